-- NOT NULL ... ON CONFLICT REPLACE puts the default for a null; the unique
-- key's REPLACE replaces the row holding the same url
insert into links (id, url, title) values (3, 'https://a.example', null);
select id, url, title from links order by id;
