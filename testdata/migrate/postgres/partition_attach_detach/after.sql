select tableoid::regclass::text, sensor, taken from measures order by taken;
