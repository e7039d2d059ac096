insert into lines (id, qty) values (1, 5), (2, 999);
