insert into readings (id, sensor, value) values (1, 'a', 1.5), (2, 'b', null);
insert into samples (id, label) values (1, 'x'), (2, null);
