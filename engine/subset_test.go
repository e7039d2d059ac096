package engine

import (
	"testing"

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
	plan := &migrate.Plan{Changes: []migrate.Change{
		migrate.DropView{View: view}, // the view exists in another form
		migrate.ModifyTable{From: changed, To: changed},
		migrate.ModifyTable{From: part, To: part},
		migrate.AddView{View: view},
	}}

	got := candidates(plan).subset(want)

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
