insert into invoices (id) values (1), (2);
