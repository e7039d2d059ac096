-- the trigger fires on the rebuilt table
update orders set total = 30 where id = 2;
select order_id, total from order_log order by order_id;
