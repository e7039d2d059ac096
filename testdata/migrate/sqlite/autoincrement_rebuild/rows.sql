insert into events (kind) values ('a'), ('b'), ('c');
delete from events where id = 3;
