insert into customers (id) values (1);
insert into orders (id, customer_id) values (1, 1), (2, 42);
