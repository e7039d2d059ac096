insert into orders (id, total) values (1, 10), (2, 20);
