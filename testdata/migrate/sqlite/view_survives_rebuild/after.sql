select id, name from well_paid order by id;
