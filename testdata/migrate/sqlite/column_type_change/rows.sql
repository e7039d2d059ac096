insert into products (id, code, title, price) values (1, 100, 'pen', 2), (2, 200, 'ink', null), (3, 300, null, 15);
