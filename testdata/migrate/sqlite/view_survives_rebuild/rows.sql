insert into staff (id, name, salary) values (1, 'ann', 900), (2, 'bob', 2000);
