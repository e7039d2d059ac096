select enum_range(null::size)::text, enum_range(null::mood)::text, enum_range(null::stage)::text;
