insert into tags (tag, uses) values ('go', 3), ('sql', 1);
insert into kv (k, v) values ('a', '1'), ('b', null);
