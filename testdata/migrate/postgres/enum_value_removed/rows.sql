insert into tickets (id, status) values (1, 'new'), (2, 'active'), (3, 'closed');
