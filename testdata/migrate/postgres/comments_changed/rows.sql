insert into books (id, title, isbn) values (1, 'a', '978'), (2, 'b', null);
