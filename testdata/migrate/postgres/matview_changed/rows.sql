insert into sales (id, region, amount) values (1, 'north', 10), (2, 'north', 5), (3, 'south', 7);
