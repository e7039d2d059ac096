insert into notes (id, body) values (3, 'c');
select id, updated_at is not null from notes order by id;
