insert into tickets (ref) values (7), (8);
