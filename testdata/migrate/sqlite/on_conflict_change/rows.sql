insert into links (id, url, title) values (1, 'https://a.example', 'a'), (2, 'https://b.example', '');
