insert into handles (h, sku) values ('ann', 'A1'), ('bobby', 'B2');
