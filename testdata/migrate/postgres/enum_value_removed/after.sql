select enum_range(null::status)::text;
