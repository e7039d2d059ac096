package sqlite_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// TestRebuildRecreatesDependentView: a view on a column that a rebuild
// renames is dropped before and created after, as the diff orders it; the
// connection is left in SQLite's default (non-legacy) ALTER TABLE mode,
// and the schema, read again by a new connection, works.
func TestRebuildRecreatesDependentView(t *testing.T) {
	m := base()
	m.Views = append(m.Views, metadata.View{Name: "v_qty", Definition: "SELECT id, qty FROM x WHERE qty > 10"})
	db, file := openDB(t)
	createAll(t, db, m)
	if _, err := db.Exec(rows); err != nil {
		t.Fatal(err)
	}
	from := m.Tables[1]
	to := *metadata.Canonical(&metadata.MetaData{Tables: []metadata.Table{from}})
	toTable := to.Tables[0]
	toTable.Columns[2].Name = "amount"
	toTable.Checks[0].Expr = "amount >= 0"
	index(&toTable, "ix_x_qty").Parts[0].Column = "amount"
	newView := metadata.View{Name: "v_qty", Definition: "SELECT id, amount FROM x WHERE amount > 10"}
	version := query(t, db, "PRAGMA schema_version")

	stmts := plan(t,
		migrate.DropView{View: m.Views[1]},
		migrate.DropTrigger{Trigger: m.Triggers[0]},
		migrate.ModifyTable{From: from, To: toTable, Changes: []migrate.TableChange{migrate.RenameColumn{From: "qty", To: "amount"}}},
		migrate.AddView{View: newView},
		migrate.AddTrigger{Trigger: m.Triggers[0]},
	)
	if !rebuilds(stmts) {
		t.Fatalf("want a rebuild:\n%s", sqlText(stmts))
	}
	if err := apply(db, stmts); err != nil {
		t.Fatal(err)
	}
	if got := query(t, db, "SELECT * FROM v_qty ORDER BY id"); got != "2|20;3|30" {
		t.Errorf("v_qty = %s", got)
	}
	if got := query(t, db, "PRAGMA legacy_alter_table"); got != "0" {
		t.Errorf("legacy_alter_table = %s after the rebuild, want 0", got)
	}
	if got := query(t, db, "PRAGMA schema_version"); atoi(t, got) <= atoi(t, version) {
		t.Errorf("schema_version %s after the rebuild, %s before: other connections would not reload the schema", got, version)
	}
	got := inspect(t, db)
	sameTable(t, got, toTable)
	if v := got.View(metadata.TableRef{Name: "v_qty"}); v == nil || v.Definition != newView.Definition {
		t.Errorf("v_qty = %+v", v)
	}
	healthy(t, db, file, "SELECT * FROM v_qty", "SELECT * FROM v_x")
}

// TestRebuildKeepsAutoincrementCounter: ids of deleted rows are not given
// out again after a rebuild, as AUTOINCREMENT promises.
func TestRebuildKeepsAutoincrementCounter(t *testing.T) {
	id := col("id", integer, false)
	id.Autoincrement = true
	from := metadata.Table{Name: "a", Columns: []metadata.Column{id, col("v", text, true)}, PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}}}
	db, file := openDB(t)
	createAll(t, db, &metadata.MetaData{Tables: []metadata.Table{from}})
	if _, err := db.Exec("INSERT INTO a (v) VALUES ('1'), ('2'), ('3'); DELETE FROM a WHERE id = 3"); err != nil {
		t.Fatal(err)
	}
	to := from
	to.Columns = []metadata.Column{id, col("v", metadata.String{Length: 10}, true)}
	stmts := plan(t, migrate.ModifyTable{From: from, To: to, Changes: []migrate.TableChange{
		migrate.ModifyColumn{From: from.Columns[1], To: to.Columns[1], Change: migrate.ChangeType},
	}})
	if err := apply(db, stmts); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO a (v) VALUES ('4')"); err != nil {
		t.Fatal(err)
	}
	if got := query(t, db, "SELECT group_concat(id) FROM a"); got != "1,2,4" {
		t.Errorf("ids = %s, want 1,2,4", got)
	}
	if got := query(t, db, "SELECT name, seq FROM sqlite_sequence"); got != "a|4" {
		t.Errorf("sqlite_sequence = %s", got)
	}
	sameTable(t, inspect(t, db), to)
	healthy(t, db, file, "SELECT * FROM a")
}

// TestRebuildSelfReference: a table whose foreign key references itself
// keeps its rows and references through a rebuild.
func TestRebuildSelfReference(t *testing.T) {
	from := metadata.Table{
		Name:        "tree",
		Columns:     []metadata.Column{col("id", integer, false), col("parent", integer, true)},
		PrimaryKey:  &metadata.PrimaryKey{Columns: []string{"id"}},
		ForeignKeys: []metadata.ForeignKey{fk("fk_parent", "parent", "tree", "id")},
	}
	db, file := openDB(t)
	createAll(t, db, &metadata.MetaData{Tables: []metadata.Table{from}})
	if _, err := db.Exec("INSERT INTO tree VALUES (1, NULL), (2, 1), (3, 2)"); err != nil {
		t.Fatal(err)
	}
	to := from
	to.Checks = []metadata.Check{{Name: "ck_not_own_parent", Expr: "parent <> id"}}
	stmts := plan(t, migrate.ModifyTable{From: from, To: to, Changes: []migrate.TableChange{migrate.AddCheck{Check: to.Checks[0]}}})
	if err := apply(db, stmts); err != nil {
		t.Fatal(err)
	}
	sameTable(t, inspect(t, db), to)
	if got := query(t, db, "SELECT * FROM tree ORDER BY id"); got != "1|<nil>;2|1;3|2" {
		t.Errorf("rows = %s", got)
	}
	if _, err := db.Exec("INSERT INTO tree VALUES (4, 99)"); err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Errorf("a dangling parent: err = %v, want a foreign key failure", err)
	}
	healthy(t, db, file, "SELECT * FROM tree")
}

// TestRebuildAfterRenameTable: a table renamed and then rebuilt under its
// new name; the referencing table, view and trigger follow the rename.
func TestRebuildAfterRenameTable(t *testing.T) {
	m := base()
	db, file := openDB(t)
	createAll(t, db, m)
	if _, err := db.Exec(rows); err != nil {
		t.Fatal(err)
	}
	from := m.Tables[1]
	to := *metadata.Canonical(&metadata.MetaData{Tables: []metadata.Table{from}})
	toTable := to.Tables[0]
	toTable.Name = "y"
	toTable.Columns[3].Type = metadata.String{Length: 50}
	stmts := plan(t,
		migrate.RenameTable{From: metadata.TableRef{Name: "x"}, To: metadata.TableRef{Name: "y"}},
		migrate.ModifyTable{From: from, To: toTable, Changes: []migrate.TableChange{
			migrate.ModifyColumn{From: from.Columns[3], To: toTable.Columns[3], Change: migrate.ChangeType},
		}},
	)
	if err := apply(db, stmts); err != nil {
		t.Fatalf("%v\n%s", err, sqlText(stmts))
	}
	got := inspect(t, db)
	sameTable(t, got, toTable)
	r := *got.Table(metadata.TableRef{Name: "r"})
	if ref := r.ForeignKeys[0].References.Table; ref != "y" {
		t.Errorf("r references %s, want y", ref)
	}
	if got := query(t, db, "SELECT count(*) FROM v_x"); got != "3" {
		t.Errorf("v_x counts %s rows", got)
	}
	if _, err := db.Exec("DELETE FROM y WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	healthy(t, db, file, "SELECT * FROM v_x", "SELECT * FROM r")
}

// TestDrops runs the drops and index renames on a real database.
func TestDrops(t *testing.T) {
	m := base()
	m.VirtualTables = []metadata.VirtualTable{{Name: "docs", Using: "fts5(body)"}}
	db, file := openDB(t)
	createAll(t, db, m)
	if _, err := db.Exec(rows); err != nil {
		t.Fatal(err)
	}
	x := m.Tables[1]
	// The index is renamed in the model; the ModifyTable, with no
	// changes, gives its definition.
	to := *metadata.Canonical(&metadata.MetaData{Tables: []metadata.Table{x}})
	toX := to.Tables[0]
	index(&toX, "ix_x_qty").Name = "ix_x_amount"
	stmts := plan(t,
		migrate.DropTrigger{Trigger: m.Triggers[0]},
		migrate.DropTrigger{Trigger: m.Triggers[0]},
		migrate.DropView{View: m.Views[0]},
		migrate.DropIndex{Table: x.Ref(), Index: *index(&x, "ix_x_note")},
		migrate.ModifyTable{From: x, To: toX},
		migrate.RenameIndex{Table: x.Ref(), From: "ix_x_qty", To: "ix_x_amount"},
		migrate.DropTable{Table: m.Tables[3]},
		migrate.DropVirtualTable{VirtualTable: m.VirtualTables[0]},
	)
	if rebuilds(stmts) {
		t.Errorf("nothing here needs a rebuild:\n%s", sqlText(stmts))
	}
	for _, s := range stmts {
		if strings.HasPrefix(s.SQL, "DROP TABLE") && s.Hazard != migrate.DropsData {
			t.Errorf("%s: hazard %s", s.SQL, s.Hazard)
		}
	}
	if err := apply(db, stmts); err != nil {
		t.Fatalf("%v\n%s", err, sqlText(stmts))
	}
	got := inspect(t, db)
	dropIndex(&toX, "ix_x_note")
	sameTable(t, got, toX)
	if len(got.Views)+len(got.Triggers)+len(got.VirtualTables) != 0 || got.Table(metadata.TableRef{Name: "s"}) != nil {
		t.Errorf("left over: views %v, triggers %v, virtual tables %v, tables %d", got.Views, got.Triggers, got.VirtualTables, len(got.Tables))
	}
	healthy(t, db, file, "SELECT * FROM x")
}

// TestRenameIndexOfRebuiltTable: the rebuild creates the index under its
// new name; the RenameIndex yields nothing.
func TestRenameIndexOfRebuiltTable(t *testing.T) {
	m := base()
	db, file := openDB(t)
	createAll(t, db, m)
	x := m.Tables[1]
	to := *metadata.Canonical(&metadata.MetaData{Tables: []metadata.Table{x}})
	toX := to.Tables[0]
	index(&toX, "ix_x_qty").Name = "ix_x_amount"
	toX.Checks = nil
	stmts := plan(t,
		migrate.DropTrigger{Trigger: m.Triggers[0]},
		migrate.ModifyTable{From: x, To: toX, Changes: []migrate.TableChange{migrate.DropCheck{Check: x.Checks[0]}}},
		migrate.RenameIndex{Table: x.Ref(), From: "ix_x_qty", To: "ix_x_amount"},
		migrate.AddTrigger{Trigger: m.Triggers[0]},
	)
	if err := apply(db, stmts); err != nil {
		t.Fatalf("%v\n%s", err, sqlText(stmts))
	}
	sameTable(t, inspect(t, db), toX)
	healthy(t, db, file, "SELECT * FROM v_x")
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
