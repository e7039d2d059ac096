select conname from pg_constraint where conrelid in ('stock'::regclass, 'bins'::regclass) order by conname;
select relname from pg_class where relkind = 'S' and relnamespace = 'public'::regnamespace order by relname;
insert into stock (sku, qty) values ('c', 1);
insert into bins default values;
select id, sku from stock order by id;
select bin_id from bins order by bin_id;
