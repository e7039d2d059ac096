select id, (home).street, (home).city, (home).zip from customers order by id;
