insert into items (sku) values ('ABC1'), ('XYZ');
