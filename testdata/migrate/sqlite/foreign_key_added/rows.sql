insert into authors (id, name) values (1, 'le guin'), (2, 'borges');
insert into books (id, author_id, title) values (1, 1, 'the dispossessed'), (2, 2, 'ficciones'), (3, null, 'anonymous');
