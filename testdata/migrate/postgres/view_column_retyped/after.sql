select id from short_names;
