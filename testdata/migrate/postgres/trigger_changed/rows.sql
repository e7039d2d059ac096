insert into notes (id, body) values (1, 'a'), (2, null);
