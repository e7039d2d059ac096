package sqlite_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// base is the schema every alteration starts from: x, the table that
// changes, between p, which x references, and r, which references x with
// ON DELETE CASCADE (so a DROP TABLE "x" run with foreign keys on would
// empty it); a view and a trigger on x; and s, a table without a key.
func base() *metadata.MetaData {
	qty := col("qty", integer, false)
	qty.Default = metadata.NumberLiteral{Value: "0"}
	x := metadata.Table{
		Name:        "x",
		Columns:     []metadata.Column{col("id", integer, false), col("name", text, true), qty, col("note", text, true), col("p_id", integer, true)},
		PrimaryKey:  &metadata.PrimaryKey{Columns: []string{"id"}},
		Uniques:     []metadata.Unique{{Name: "uq_x_name", Columns: []string{"name"}}},
		Checks:      []metadata.Check{{Name: "ck_x_qty", Expr: "qty >= 0"}},
		ForeignKeys: []metadata.ForeignKey{{Name: "fk_x_p", Columns: []string{"p_id"}, References: metadata.ForeignKeyTarget{Table: "p", Columns: []string{"id"}}}},
		Indexes: []metadata.Index{
			{Name: "ix_x_qty", Parts: []metadata.IndexPart{{Column: "qty"}}},
			{Name: "ix_x_note", Parts: []metadata.IndexPart{{Column: "note", Desc: true}}},
		},
	}
	return &metadata.MetaData{
		Tables: []metadata.Table{
			{Name: "p", Columns: []metadata.Column{col("id", integer, false), col("label", text, false)}, PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}}},
			x,
			{
				Name: "r", Columns: []metadata.Column{col("id", integer, false), col("x_id", integer, true)},
				PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}},
				ForeignKeys: []metadata.ForeignKey{{
					Columns: []string{"x_id"}, References: metadata.ForeignKeyTarget{Table: "x", Columns: []string{"id"}}, OnDelete: metadata.Cascade,
				}},
			},
			{Name: "s", Columns: []metadata.Column{col("k", text, true), col("n", integer, true)}},
		},
		Views:    []metadata.View{{Name: "v_x", Definition: "SELECT id FROM x"}},
		Triggers: []metadata.Trigger{{Name: "trg_x", Table: "x", Definition: "CREATE TRIGGER trg_x AFTER DELETE ON x BEGIN DELETE FROM r WHERE x_id = old.id; END"}},
	}
}

const rows = `
INSERT INTO p VALUES (1, 'one'), (2, 'two');
INSERT INTO x VALUES (1, 'a', 10, 'n1', 1), (2, 'b', 20, NULL, 2), (3, NULL, 30, 'n3', NULL);
INSERT INTO r VALUES (1, 1), (2, 2), (3, 3);
INSERT INTO s VALUES ('k1', 1), ('k2', 2)`

// alteration is one ModifyTable of table x (or s), with the top-level
// changes the diff emits around it.
type alteration struct {
	name    string
	table   string // "x" unless set
	edit    func(t *metadata.Table)
	changes []migrate.TableChange
	before  []migrate.Change // before the ModifyTable
	after   []migrate.Change // after it
	rebuild bool             // want a rebuild
	// keep reads the surviving values before (keep[0]) and after
	// (keep[1]) the change: they must be equal.
	keep [2]string
	// check and want: a query after the change, and its rows.
	check, want string
	// fails: the change must fail on the rows, with this in the error,
	// and leave the database as it was.
	fails string
}

func index(t *metadata.Table, name string) *metadata.Index {
	for i := range t.Indexes {
		if t.Indexes[i].Name == name {
			return &t.Indexes[i]
		}
	}
	panic("no index " + name)
}

func dropIndex(t *metadata.Table, name string) {
	t.Indexes = slices.DeleteFunc(t.Indexes, func(ix metadata.Index) bool { return ix.Name == name })
}

func fk(name, column, table, refColumn string) metadata.ForeignKey {
	return metadata.ForeignKey{Name: name, Columns: []string{column}, References: metadata.ForeignKeyTarget{Table: table, Columns: []string{refColumn}}}
}

func alterations() []alteration {
	const all = "SELECT id, name, qty, note, p_id FROM x ORDER BY id"
	withDefault := func(c metadata.Column, d metadata.Default) metadata.Column { c.Default = d; return c }
	generated := func(c metadata.Column, expr string, stored bool) metadata.Column {
		c.Generated = &metadata.Generated{Expr: expr, Stored: stored}
		return c
	}
	addColumn := func(c metadata.Column) func(*metadata.Table) {
		return func(t *metadata.Table) { t.Columns = append(t.Columns, c) }
	}
	dropColumn := func(name string) func(*metadata.Table) {
		return func(t *metadata.Table) {
			t.Columns = slices.DeleteFunc(t.Columns, func(c metadata.Column) bool { return c.Name == name })
		}
	}
	oldFK := fk("fk_x_p", "p_id", "p", "id")
	newFK := oldFK
	newFK.OnDelete = metadata.SetNull
	qtyFK := fk("fk_x_qty", "qty", "p", "id")
	return []alteration{{
		name:    "add a nullable column",
		edit:    addColumn(col("extra", text, true)),
		changes: []migrate.TableChange{migrate.AddColumn{Column: col("extra", text, true)}},
		keep:    [2]string{all, all},
		check:   "SELECT count(*) FROM x WHERE extra IS NULL", want: "3",
	}, {
		name:    "add a NOT NULL column with a default",
		edit:    addColumn(withDefault(col("extra", integer, false), metadata.NumberLiteral{Value: "7"})),
		changes: []migrate.TableChange{migrate.AddColumn{Column: withDefault(col("extra", integer, false), metadata.NumberLiteral{Value: "7"})}},
		keep:    [2]string{all, all},
		check:   "SELECT group_concat(extra) FROM x", want: "7,7,7",
	}, {
		name:    "add a virtual generated column",
		edit:    addColumn(generated(col("twice", integer, true), "qty * 2", false)),
		changes: []migrate.TableChange{migrate.AddColumn{Column: generated(col("twice", integer, true), "qty * 2", false)}},
		keep:    [2]string{all, all},
		check:   "SELECT group_concat(twice) FROM x", want: "20,40,60",
	}, {
		name:    "add a column with a CURRENT_TIMESTAMP default",
		edit:    addColumn(withDefault(col("at", text, true), metadata.Expr{SQL: "CURRENT_TIMESTAMP"})),
		changes: []migrate.TableChange{migrate.AddColumn{Column: withDefault(col("at", text, true), metadata.Expr{SQL: "CURRENT_TIMESTAMP"})}},
		rebuild: true,
		keep:    [2]string{all, all},
		check:   "SELECT count(*) FROM x WHERE at IS NOT NULL", want: "3",
	}, {
		name:    "add a stored generated column",
		edit:    addColumn(generated(col("twice", integer, true), "qty * 2", true)),
		changes: []migrate.TableChange{migrate.AddColumn{Column: generated(col("twice", integer, true), "qty * 2", true)}},
		rebuild: true,
		keep:    [2]string{all, all},
		check:   "SELECT group_concat(twice) FROM x", want: "20,40,60",
	}, {
		name:    "add a NOT NULL column without a default to a table with rows",
		edit:    addColumn(col("extra", integer, false)),
		changes: []migrate.TableChange{migrate.AddColumn{Column: col("extra", integer, false)}},
		rebuild: true,
		fails:   "NOT NULL constraint failed",
	}, {
		name: "add a unique column",
		edit: func(t *metadata.Table) {
			t.Columns = append(t.Columns, col("code", text, true))
			t.Uniques = append(t.Uniques, metadata.Unique{Name: "uq_x_code", Columns: []string{"code"}})
		},
		changes: []migrate.TableChange{migrate.AddColumn{Column: col("code", text, true)}, migrate.AddUnique{Unique: metadata.Unique{Name: "uq_x_code", Columns: []string{"code"}}}},
		rebuild: true,
		keep:    [2]string{all, all},
	}, {
		name:    "drop a column",
		table:   "s",
		edit:    dropColumn("n"),
		changes: []migrate.TableChange{migrate.DropColumn{Column: col("n", integer, true)}},
		keep:    [2]string{"SELECT k FROM s ORDER BY k", "SELECT k FROM s ORDER BY k"},
	}, {
		name: "drop an indexed column whose index is dropped first",
		edit: func(t *metadata.Table) {
			dropColumn("note")(t)
			dropIndex(t, "ix_x_note")
		},
		before:  []migrate.Change{migrate.DropIndex{Table: metadata.TableRef{Name: "x"}, Index: base().Tables[1].Indexes[1]}},
		changes: []migrate.TableChange{migrate.DropColumn{Column: col("note", text, true)}},
		keep:    [2]string{"SELECT id, name, qty, p_id FROM x ORDER BY id", "SELECT id, name, qty, p_id FROM x ORDER BY id"},
	}, {
		name:    "drop an indexed column whose index stays until the rebuild",
		edit:    func(t *metadata.Table) { dropColumn("note")(t); dropIndex(t, "ix_x_note") },
		changes: []migrate.TableChange{migrate.DropColumn{Column: col("note", text, true)}},
		after:   []migrate.Change{migrate.DropIndex{Table: metadata.TableRef{Name: "x"}, Index: base().Tables[1].Indexes[1]}},
		rebuild: true,
		keep:    [2]string{"SELECT id, name, qty, p_id FROM x ORDER BY id", "SELECT id, name, qty, p_id FROM x ORDER BY id"},
	}, {
		name: "drop a column a check uses",
		edit: func(t *metadata.Table) {
			dropColumn("qty")(t)
			t.Checks = nil
			dropIndex(t, "ix_x_qty")
		},
		before:  []migrate.Change{migrate.DropIndex{Table: metadata.TableRef{Name: "x"}, Index: base().Tables[1].Indexes[0]}},
		changes: []migrate.TableChange{migrate.DropCheck{Check: base().Tables[1].Checks[0]}, migrate.DropColumn{Column: base().Tables[1].Columns[2]}},
		rebuild: true, // the check goes too
		keep:    [2]string{"SELECT id, name, note, p_id FROM x ORDER BY id", "SELECT id, name, note, p_id FROM x ORDER BY id"},
	}, {
		name: "drop a foreign key column",
		edit: func(t *metadata.Table) {
			dropColumn("p_id")(t)
			t.ForeignKeys = nil
		},
		before:  []migrate.Change{migrate.DropForeignKey{Table: metadata.TableRef{Name: "x"}, ForeignKey: oldFK}},
		changes: []migrate.TableChange{migrate.DropColumn{Column: col("p_id", integer, true)}},
		rebuild: true,
		keep:    [2]string{"SELECT id, name, qty, note FROM x ORDER BY id", "SELECT id, name, qty, note FROM x ORDER BY id"},
	}, {
		name: "rename a column",
		edit: func(t *metadata.Table) {
			t.Columns[3].Name = "remark"
			index(t, "ix_x_note").Parts[0].Column = "remark"
		},
		changes: []migrate.TableChange{migrate.RenameColumn{From: "note", To: "remark"}},
		keep:    [2]string{all, "SELECT id, name, qty, remark, p_id FROM x ORDER BY id"},
	}, {
		name: "rename a unique, foreign key column",
		edit: func(t *metadata.Table) {
			t.Columns[1].Name, t.Columns[4].Name = "title", "parent"
			t.Uniques[0].Columns = []string{"title"}
			t.ForeignKeys[0].Columns = []string{"parent"}
		},
		changes: []migrate.TableChange{migrate.RenameColumn{From: "name", To: "title"}, migrate.RenameColumn{From: "p_id", To: "parent"}},
		keep:    [2]string{all, "SELECT id, title, qty, note, parent FROM x ORDER BY id"},
	}, {
		name: "rename a column a check uses",
		edit: func(t *metadata.Table) {
			t.Columns[2].Name = "amount"
			t.Checks[0].Expr = "amount >= 0"
			index(t, "ix_x_qty").Parts[0].Column = "amount"
		},
		changes: []migrate.TableChange{migrate.RenameColumn{From: "qty", To: "amount"}},
		rebuild: true,
		keep:    [2]string{all, "SELECT id, name, amount, note, p_id FROM x ORDER BY id"},
		check:   "SELECT count(*) FROM x WHERE amount = 20", want: "1",
	}, {
		name: "change a column's type",
		edit: func(t *metadata.Table) { t.Columns[3].Type = metadata.String{Length: 20} },
		changes: []migrate.TableChange{migrate.ModifyColumn{
			From: col("note", text, true), To: col("note", metadata.String{Length: 20}, true), Change: migrate.ChangeType,
		}},
		rebuild: true,
		keep:    [2]string{all, all},
	}, {
		name: "make a column NOT NULL",
		edit: func(t *metadata.Table) { t.Columns[1].Nullable = false },
		changes: []migrate.TableChange{migrate.ModifyColumn{
			From: col("name", text, true), To: col("name", text, false), Change: migrate.ChangeNullable,
		}},
		rebuild: true,
		fails:   "NOT NULL constraint failed",
	}, {
		name:  "set a primary key",
		table: "s",
		edit: func(t *metadata.Table) {
			t.Columns[0].Nullable = false
			t.PrimaryKey = &metadata.PrimaryKey{Name: "pk_s", Columns: []string{"k"}}
		},
		changes: []migrate.TableChange{
			migrate.ModifyColumn{From: col("k", text, true), To: col("k", text, false), Change: migrate.ChangeNullable},
			migrate.SetPrimaryKey{To: &metadata.PrimaryKey{Name: "pk_s", Columns: []string{"k"}}},
		},
		rebuild: true,
		keep:    [2]string{"SELECT k, n FROM s ORDER BY k", "SELECT k, n FROM s ORDER BY k"},
	}, {
		name: "replace a unique and a check",
		edit: func(t *metadata.Table) {
			t.Uniques = []metadata.Unique{{Name: "uq_x_note", Columns: []string{"note"}}}
			t.Checks = []metadata.Check{{Name: "ck_x_qty_max", Expr: "qty < 100"}}
		},
		changes: []migrate.TableChange{
			migrate.DropUnique{Unique: metadata.Unique{Name: "uq_x_name", Columns: []string{"name"}}},
			migrate.AddUnique{Unique: metadata.Unique{Name: "uq_x_note", Columns: []string{"note"}}},
			migrate.DropCheck{Check: metadata.Check{Name: "ck_x_qty", Expr: "qty >= 0"}},
			migrate.AddCheck{Check: metadata.Check{Name: "ck_x_qty_max", Expr: "qty < 100"}},
		},
		rebuild: true,
		keep:    [2]string{all, all},
	}, {
		name: "add a check the rows break",
		edit: func(t *metadata.Table) {
			t.Checks = append(t.Checks, metadata.Check{Name: "ck_small", Expr: "qty < 15"})
		},
		changes: []migrate.TableChange{migrate.AddCheck{Check: metadata.Check{Name: "ck_small", Expr: "qty < 15"}}},
		rebuild: true,
		fails:   "CHECK constraint failed",
	}, {
		name:    "rename a constraint",
		edit:    func(t *metadata.Table) { t.Uniques[0].Name = "uq_x_title" },
		changes: []migrate.TableChange{migrate.RenameConstraint{From: "uq_x_name", To: "uq_x_title"}},
		rebuild: true,
		keep:    [2]string{all, all},
	}, {
		name:    "change a foreign key",
		edit:    func(t *metadata.Table) { t.ForeignKeys = []metadata.ForeignKey{newFK} },
		before:  []migrate.Change{migrate.DropForeignKey{Table: metadata.TableRef{Name: "x"}, ForeignKey: oldFK}},
		after:   []migrate.Change{migrate.AddForeignKey{Table: metadata.TableRef{Name: "x"}, ForeignKey: newFK}},
		rebuild: true,
		keep:    [2]string{all, all},
	}, {
		name:    "add a foreign key the rows break",
		edit:    func(t *metadata.Table) { t.ForeignKeys = append(t.ForeignKeys, qtyFK) },
		after:   []migrate.Change{migrate.AddForeignKey{Table: metadata.TableRef{Name: "x"}, ForeignKey: qtyFK}},
		rebuild: true,
		fails:   "foreign key violations",
	}}
}

// TestAlterations makes each kind of table alteration on a real database
// with rows, foreign keys on, a referencing table, a view and a trigger,
// and checks the table that results against the one declared, the rows,
// the foreign keys and the view.
func TestAlterations(t *testing.T) {
	for _, a := range alterations() {
		t.Run(a.name, func(t *testing.T) {
			m := base()
			db, file := openDB(t)
			createAll(t, db, m)
			if _, err := db.Exec(rows); err != nil {
				t.Fatal(err)
			}
			name := a.table
			if name == "" {
				name = "x"
			}
			from := *m.Table(metadata.TableRef{Name: name})
			to := *metadata.Canonical(&metadata.MetaData{Tables: []metadata.Table{from}}) // a deep copy
			toTable := to.Tables[0]
			toTable.Columns = slices.Clone(from.Columns)
			a.edit(&toTable)
			if err := metadata.Validate(&metadata.MetaData{Tables: []metadata.Table{m.Tables[0], toTable}}); err != nil {
				t.Fatalf("the case declares an invalid table: %v", err)
			}

			changes := slices.Clone(a.before)
			rebuilt := false
			if name == "x" {
				// What the diff emits for the trigger of a rebuilt table.
				changes = append(changes, migrate.DropTrigger{Trigger: m.Triggers[0]})
			}
			changes = append(changes, migrate.ModifyTable{From: from, To: toTable, Changes: a.changes})
			changes = append(changes, a.after...)
			if name == "x" {
				changes = append(changes, migrate.AddTrigger{Trigger: m.Triggers[0]})
			}
			stmts := plan(t, changes...)
			if rebuilt = rebuilds(stmts); rebuilt != a.rebuild {
				t.Errorf("rebuild = %v, want %v:\n%s", rebuilt, a.rebuild, sqlText(stmts))
			}
			var before string
			if a.keep[0] != "" {
				before = query(t, db, a.keep[0])
			}
			schemaBefore := query(t, db, "SELECT type, name, sql FROM sqlite_schema ORDER BY name")
			err := apply(db, stmts)
			if a.fails != "" {
				if err == nil || !strings.Contains(err.Error(), a.fails) {
					t.Fatalf("err = %v, want %q", err, a.fails)
				}
				if got := query(t, db, "SELECT type, name, sql FROM sqlite_schema ORDER BY name"); got != schemaBefore {
					t.Errorf("the failed change left the schema changed:\n%s", got)
				}
				if got := query(t, db, "SELECT count(*) FROM x"); got != "3" {
					t.Errorf("the failed change left %s rows in x", got)
				}
				healthy(t, db, file, "SELECT * FROM v_x")
				return
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, sqlText(stmts))
			}

			got := inspect(t, db)
			sameTable(t, got, toTable)
			for _, other := range m.Tables {
				if other.Name != name {
					sameTable(t, got, other)
				}
			}
			if len(got.Triggers) != 1 || got.Triggers[0].Definition != m.Triggers[0].Definition {
				t.Errorf("triggers after the change: %+v", got.Triggers)
			}
			if a.keep[0] != "" {
				if after := query(t, db, a.keep[1]); after != before {
					t.Errorf("rows changed:\nbefore %s\nafter  %s", before, after)
				}
			}
			if a.check != "" {
				if got := query(t, db, a.check); got != a.want {
					t.Errorf("%s = %s, want %s", a.check, got, a.want)
				}
			}
			if got := query(t, db, "SELECT count(*) FROM r"); got != "3" {
				t.Errorf("r has %s rows, want 3: the rebuild's DROP TABLE cascaded", got)
			}
			healthy(t, db, file, "SELECT * FROM v_x ORDER BY id", "SELECT * FROM "+name)
			// The trigger works on the new table.
			if _, err := db.Exec("DELETE FROM x WHERE id = 1"); err != nil {
				t.Fatal(err)
			}
			if got := query(t, db, "SELECT group_concat(x_id) FROM r"); got != "2,3" {
				t.Errorf("after a delete from x, r holds x_id %s, want 2,3", got)
			}
		})
	}
}

func sqlText(stmts []ddl.Statement) string {
	var b strings.Builder
	for _, s := range stmts {
		b.WriteString(s.SQL + ";\n")
	}
	return b.String()
}
