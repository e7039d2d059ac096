select region, total, n from sales_by_region order by region;
