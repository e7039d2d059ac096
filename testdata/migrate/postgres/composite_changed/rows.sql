insert into customers (id, home) values (1, row('main st', 'oslo')), (2, null);
