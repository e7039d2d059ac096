insert into authors (id, name) values (1, 'le guin');
insert into books (id, author_id, title) values (1, 1, 'the dispossessed'), (2, 99, 'orphan');
