select conname, convalidated from pg_constraint where conname = 'fk_orders_customer';
