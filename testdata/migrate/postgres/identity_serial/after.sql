insert into tickets default values;
select id, ref, n, seq from tickets order by id;
