insert into measures (sensor, taken, value) values (1, '2024-03-01', 1.5), (2, '2024-06-01', null);
insert into measures_2025 (sensor, taken, value) values (1, '2025-02-01', 2.5);
