package sqlite

import (
	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// rebuildPrefix starts the name of the table a rebuild fills before it
// takes the old table's name. The prefix keeps it apart from the schema's
// own tables (the temporary table must not clash with one) and tells
// whoever finds it after a crash what it is.
const rebuildPrefix = "_dbtool_new_"

// rebuild writes the table rebuild that SQLite prescribes for any change
// ALTER TABLE cannot make (https://www.sqlite.org/lang_altertable.html,
// "Making Other Kinds Of Table Schema Changes"):
//
//	CREATE TABLE "_dbtool_new_x" (...)            the table as To declares it
//	INSERT INTO "_dbtool_new_x" (a, b) SELECT a, old_b FROM "x"
//	DROP TABLE "x"
//	ALTER TABLE "_dbtool_new_x" RENAME TO "x"
//	CREATE INDEX ...                              To's indexes
//
// Every statement is marked Rebuild: whoever runs them turns foreign keys
// off before the transaction (else DROP TABLE would delete, or cascade
// into, the referencing rows) and runs PRAGMA foreign_key_check before
// committing (steps 1, 2, 10 to 12 of SQLite's procedure). Foreign keys of
// other tables name the table, not its storage, so they reference the new
// table once it has the old name.
//
// The copy takes every column that To shares with From, a renamed column
// from its old name (RenameColumn), and leaves out generated columns,
// which compute themselves. Its hazard is the ModifyTable's worst (see
// copyHazard): a new NOT NULL column without a default, a new unique or
// check, a narrowing type make it fail on existing rows, and the whole
// rebuild rolls back. An
// AUTOINCREMENT table keeps its counter (sqlite_sequence), so ids are not
// reused after the rebuild.
//
// The rename runs with PRAGMA legacy_alter_table on: otherwise SQLite
// checks every view and trigger of the schema as it renames, and any that
// names the table (dropped at that moment) fails the rename ("error in view
// v: no such table: main.x"). In legacy mode the rename leaves them as
// they are, and they work again on the new table, which has the old name.
// A view or trigger that the change itself breaks (a dropped column) is
// the diff's to drop and recreate (see alter.go). The rebuild never writes
// sqlite_schema or PRAGMA schema_version.
//
// Triggers on the table go with the old table (see alter.go for who
// recreates them).
func (d Dialect) rebuild(mt migrate.ModifyTable) ([]ddl.Statement, error) {
	name := mt.To.Name
	tmp := rebuildPrefix + name
	newTable := mt.To
	newTable.Name = tmp
	create, err := d.createTable(&newTable)
	if err != nil {
		return nil, err
	}
	obj := mt.Object()
	var out []ddl.Statement
	emit := func(sql string, hazard migrate.Hazard, notes ...string) {
		out = append(out, ddl.Statement{SQL: sql, Object: obj, Hazard: hazard, Rebuild: true, Notes: notes})
	}
	emit(create, migrate.Safe, "rebuilds the table: SQLite cannot make this change with ALTER TABLE")
	if into, from := copiedColumns(mt); len(into) > 0 {
		emit("INSERT INTO "+d.QuoteIdent(tmp)+" ("+d.idents(into)+")\n  SELECT "+d.idents(from)+" FROM "+d.QuoteIdent(name),
			copyHazard(mt), "copies every row into the rebuilt table")
	}
	if hasAutoincrement(&mt.From) && hasAutoincrement(&mt.To) {
		emit("DELETE FROM sqlite_sequence WHERE name = "+quoteString(tmp), migrate.Safe)
		emit("INSERT INTO sqlite_sequence (name, seq)\n  SELECT "+quoteString(tmp)+", seq FROM sqlite_sequence WHERE name = "+quoteString(name), migrate.Safe)
	}
	emit("DROP TABLE "+d.QuoteIdent(name), migrate.Safe)
	emit("PRAGMA legacy_alter_table = ON", migrate.Safe)
	emit("ALTER TABLE "+d.QuoteIdent(tmp)+" RENAME TO "+d.QuoteIdent(name), migrate.Safe)
	emit("PRAGMA legacy_alter_table = OFF", migrate.Safe)
	for i := range mt.To.Indexes {
		sql, err := d.createIndex(name, &mt.To.Indexes[i])
		if err != nil {
			return nil, err
		}
		emit(sql, migrate.Safe)
	}
	return out, nil
}

// copiedColumns returns the columns of mt.To that take the values of a
// column of mt.From (into), and those columns (from), following the
// table's changes in order: a renamed column carries its values to its new
// name; a dropped or added name has none.
func copiedColumns(mt migrate.ModifyTable) (into, from []string) {
	origin := map[string]string{} // current name → name in From; "" for none
	source := func(name string) string {
		if o, ok := origin[name]; ok {
			return o
		}
		return name
	}
	for _, tc := range mt.Changes {
		switch c := tc.(type) {
		case migrate.RenameColumn:
			origin[c.To] = source(c.From)
			origin[c.From] = ""
		case migrate.AddColumn:
			origin[c.Column.Name] = ""
		case migrate.DropColumn:
			origin[c.Column.Name] = ""
		}
	}
	for _, c := range mt.To.Columns {
		if c.Generated != nil {
			continue
		}
		if src := source(c.Name); src != "" && mt.From.Column(src) != nil {
			into = append(into, c.Name)
			from = append(from, src)
		}
	}
	return into, from
}

func hasAutoincrement(t *metadata.Table) bool {
	for _, c := range t.Columns {
		if c.Autoincrement {
			return true
		}
	}
	return false
}

// copyHazard is the hazard of a rebuild's copy: the ModifyTable's worst,
// and at least MayFail when To has a foreign key From lacks, since the
// AddForeignKey that carries that hazard yields no statement of its own
// (the rows must reference existing rows, which foreign_key_check checks
// before the commit).
func copyHazard(mt migrate.ModifyTable) migrate.Hazard {
	h := migrate.HazardOf(mt)
	for _, fk := range mt.To.ForeignKeys {
		if !hasForeignKey(&mt.From, fk) {
			h = max(h, migrate.MayFail)
		}
	}
	return h
}
