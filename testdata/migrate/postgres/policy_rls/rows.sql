insert into documents (id, owner, public) values (1, 'ann', true), (2, 'bob', false);
