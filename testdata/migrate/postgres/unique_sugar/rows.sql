insert into users (id, email, login, phone) values (1, 'a@x', 'a', null), (2, 'b@x', 'b', '555');
