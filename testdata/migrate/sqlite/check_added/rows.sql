insert into accounts (id, balance, name) values (1, 10, 'ann'), (2, 0, 'bob');
