insert into people (id, name) values (1, 'ann'), (2, 'bartholomew');
