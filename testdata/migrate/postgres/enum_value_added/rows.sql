insert into shirts (id, size, mood, stage) values (1, 'm', 'sad', 'draft'), (2, 'l', null, 'published');
