package engine

import (
	"testing"

	pgddl "github.com/dbtool/dbtool/ddl/postgres"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// TestSubsetLoadsReadTablesAsRelationsOnly checks what the scratch
// database receives when a view changes: the view, the changed table
// whole, the table the view reads with its columns and primary key only,
// and the parent of a changed partition whole (a partition takes its
// parent's indexes).
func TestSubsetLoadsReadTablesAsRelationsOnly(t *testing.T) {
	col := func(name string) metadata.Column {
		return metadata.Column{Name: name, Type: metadata.Integer{Bytes: 4}, Comment: "c"}
	}
	idx := func(name, column string) []metadata.Index {
		return []metadata.Index{{Name: name, Parts: []metadata.IndexPart{{Column: column}}}}
	}
	full := func(name string) metadata.Table {
		return metadata.Table{
			Name: name, Columns: []metadata.Column{col("id"), col("x")},
			PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}},
			Uniques:    []metadata.Unique{{Name: name + "_x_key", Columns: []string{"x"}}},
			Checks:     []metadata.Check{{Name: name + "_x_check", Expr: "x > 0"}},
			ForeignKeys: []metadata.ForeignKey{{Name: name + "_fk", Columns: []string{"x"},
				References: metadata.ForeignKeyTarget{Table: "other", Columns: []string{"id"}}}},
			Indexes: idx(name+"_x", "x"), Comment: "t",
		}
	}
	changed, read, parent, part, untouched := full("changed"), full("read"), full("parent"), full("part"), full("untouched")
	part.PartitionOf = &metadata.PartitionOf{Parent: metadata.TableRef{Name: "parent"}, Bound: "DEFAULT"}
	view := metadata.View{Name: "v", Definition: "SELECT id, x FROM read"}
	want := &metadata.MetaData{Tables: []metadata.Table{changed, read, parent, part, untouched}, Views: []metadata.View{view}}
	// A new default: the server's form of the table is needed.
	newDefault := []migrate.TableChange{migrate.ModifyColumn{From: col("x"), To: col("x"), Change: migrate.ChangeDefault}}
	plan := &migrate.Plan{Changes: []migrate.Change{
		migrate.DropView{View: view}, // the view exists in another form
		migrate.ModifyTable{From: changed, To: changed, Changes: newDefault},
		migrate.ModifyTable{From: part, To: part, Changes: newDefault},
		migrate.AddView{View: view},
	}}

	got := candidates(plan).subset(want, nil)

	byName := map[string]metadata.Table{}
	for _, tb := range got.Tables {
		byName[tb.Name] = tb
	}
	if _, ok := byName["untouched"]; ok || len(got.Tables) != 4 {
		t.Fatalf("subset tables = %v, want changed, read, parent and part", names(got.Tables))
	}
	for _, name := range []string{"changed", "parent", "part"} {
		tb := byName[name]
		if len(tb.Indexes) != 1 || len(tb.Uniques) != 1 || len(tb.Checks) != 1 || tb.Comment == "" {
			t.Errorf("%s: loaded without its indexes, constraints or comment: %+v", name, tb)
		}
	}
	r := byName["read"]
	if len(r.Indexes)+len(r.Uniques)+len(r.Checks) != 0 || r.Comment != "" || r.Columns[1].Comment != "" {
		t.Errorf("read: want columns and primary key only, got %+v", r)
	}
	if r.PrimaryKey == nil || len(r.Columns) != 2 {
		t.Errorf("read: lost its columns or primary key: %+v", r)
	}
	if read.Columns[1].Comment == "" {
		t.Error("subset changed the declaration's columns")
	}
	for _, tb := range got.Tables {
		if len(tb.ForeignKeys) != 0 {
			t.Errorf("%s: loaded with foreign keys", tb.Name)
		}
	}
	if len(got.Views) != 1 {
		t.Errorf("subset views = %d, want the changed one", len(got.Views))
	}
}

func names(ts []metadata.Table) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Name)
	}
	return out
}

// TestSubsetStandsInForReadTables: with a dialect that writes stand-ins,
// a table that only views read is loaded as a view of the stand-in query;
// a table a trigger names, and every read table when a loaded view groups
// rows, stay tables.
func TestSubsetStandsInForReadTables(t *testing.T) {
	col := func(name string) metadata.Column {
		return metadata.Column{Name: name, Type: metadata.Integer{Bytes: 4}}
	}
	table := func(name string) metadata.Table {
		return metadata.Table{Name: name, Columns: []metadata.Column{col("id"), col("x")},
			PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}}}
	}
	trigger := metadata.Trigger{Name: "tr", Table: "fired", Definition: "CREATE TRIGGER tr AFTER INSERT ON fired FOR EACH ROW EXECUTE FUNCTION f()"}
	for _, c := range []struct {
		name, def string
		standIn   bool
	}{
		{"plain view", "SELECT id, x FROM read", true},
		{"grouping view", "SELECT id, count(*) FROM read GROUP BY id", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			view := metadata.View{Name: "v", Definition: c.def}
			want := &metadata.MetaData{Tables: []metadata.Table{table("read"), table("fired")}, Views: []metadata.View{view}, Triggers: []metadata.Trigger{trigger}}
			// Both exist in another form: dropped and added again.
			plan := &migrate.Plan{Changes: []migrate.Change{
				migrate.DropTrigger{Trigger: trigger}, migrate.DropView{View: view},
				migrate.AddView{View: view}, migrate.AddTrigger{Trigger: trigger},
			}}

			got := candidates(plan).subset(want, pgddl.Dialect{})

			if got.Table(metadata.TableRef{Name: "fired"}) == nil {
				t.Errorf("the trigger's table is not loaded as a table: tables %v", names(got.Tables))
			}
			read := got.View(metadata.TableRef{Name: "read"})
			if c.standIn != (read != nil) || c.standIn == (got.Table(metadata.TableRef{Name: "read"}) != nil) {
				t.Fatalf("read: stand-in view %v, want %v (tables %v)", read != nil, c.standIn, names(got.Tables))
			}
			if read != nil && read.Definition != `SELECT NULL::integer AS id, NULL::integer AS x WHERE false` {
				t.Errorf("stand-in = %q", read.Definition)
			}
		})
	}
}
