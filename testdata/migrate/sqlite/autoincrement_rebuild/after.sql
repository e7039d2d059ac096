-- id 3 was used before the rebuild: the next id is 4
insert into events (kind) values ('d');
select name, seq from sqlite_sequence;
select id, kind from events order by id;
