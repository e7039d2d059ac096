package metadata

// AutoincrementByDefault reports whether a schema file makes a column
// autoincrement when it does not say, as SQLAlchemy's
// autoincrement="auto" does: the column is the whole primary key, of type
// integer, with no default, identity or generated expression, not a
// foreign key, not descending, in a table that is neither WITHOUT ROWID
// nor a partition.
//
// Only integer qualifies, not smallint or bigint: it is the one type every
// dialect can autoincrement (SQLite's AUTOINCREMENT and rowid alias take
// INTEGER alone). A file opts out with autoincrement: false, and the
// encoder writes that explicitly for such a column, so that a model read
// back from its own output is the same.
func AutoincrementByDefault(t *Table, c *Column) bool {
	if t == nil || t.PrimaryKey == nil || len(t.PrimaryKey.Columns) != 1 || t.PrimaryKey.Columns[0] != c.Name {
		return false
	}
	if c.Type != (Integer{Bytes: 4}) || c.Default != nil || c.Identity != nil || c.Generated != nil {
		return false
	}
	if t.WithoutRowID || t.PartitionOf != nil || t.PrimaryKey.Option(c.Name).Desc {
		return false
	}
	for _, fk := range t.ForeignKeys {
		for _, name := range fk.Columns {
			if name == c.Name {
				return false
			}
		}
	}
	return true
}
