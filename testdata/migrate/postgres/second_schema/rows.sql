insert into accounts (id) values (1), (2);
insert into billing.invoices (id, account_id) values (1, 1), (2, 2);
