insert into invoices (id) values (3);
select id, no from invoices order by id;
