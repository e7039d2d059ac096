insert into warehouses (id) values (1);
insert into inventory (sku, qty, warehouse_id) values ('a', 3, 1), ('b', 0, null);
insert into bins default values;
