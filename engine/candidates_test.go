package engine

import (
	"strings"
	"testing"

	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// TestCandidatesOnlyWhatExists: a plan from an empty database creates
// everything from its declaration, so nothing goes through a scratch
// database; a view or trigger that exists in another form does.
func TestCandidatesOnlyWhatExists(t *testing.T) {
	table := metadata.Table{Name: "t", Columns: []metadata.Column{{Name: "id", Type: metadata.Integer{Bytes: 4}}}}
	view := metadata.View{Name: "v", Definition: "SELECT id FROM t"}
	trigger := metadata.Trigger{Name: "tr", Table: "t", Definition: "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END"}
	want := &metadata.MetaData{Tables: []metadata.Table{table}, Views: []metadata.View{view}, Triggers: []metadata.Trigger{trigger}}

	if c := candidates(migrate.Diff(&metadata.MetaData{}, want)); !c.empty() {
		t.Errorf("from an empty database, candidates = %+v, want none", c)
	}

	live := &metadata.MetaData{
		Tables:   []metadata.Table{table},
		Views:    []metadata.View{{Name: "v", Definition: "SELECT t.id FROM t"}},
		Triggers: []metadata.Trigger{{Name: "tr", Table: "t", Definition: "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 2; END"}},
	}
	c := candidates(migrate.Diff(live, want))
	if !c.views[view.Ref()] {
		t.Errorf("a view that exists in another form is not a candidate: %+v", c)
	}
	if !c.triggers[metadata.ObjectKey("", "t", "tr")] {
		t.Errorf("a trigger that exists in another form is not a candidate: %+v", c)
	}
}

// TestServerNeeds: a changed table goes through the scratch database
// only when the server's form of its text could change what the diff
// finds: a column, constraint or policy only added or only dropped stays
// so; a default or other column property, a primary key, or an add beside
// a drop of the same kind (which the server's form may show to be one and
// the same) needs the table; a portable type needs only the type.
func TestServerNeeds(t *testing.T) {
	col := metadata.Column{Name: "c", Type: metadata.Integer{Bytes: 4}}
	wider := metadata.Column{Name: "c", Type: metadata.Integer{Bytes: 8}}
	added := metadata.Column{Name: "n", Type: metadata.String{Length: 20}}
	raw := metadata.Column{Name: "c", Type: metadata.Raw{SQL: "int8"}}
	check := metadata.Check{Name: "k", Expr: "c > 0"}
	unique := metadata.Unique{Name: "u", Columns: []string{"c"}}
	policy := metadata.Policy{Name: "p"}
	pk := &metadata.PrimaryKey{Columns: []string{"c"}}
	const whole = "whole"
	for _, tc := range []struct {
		name    string
		changes []migrate.TableChange
		want    string // "whole", or the typed columns
	}{
		{"column added", []migrate.TableChange{migrate.AddColumn{Column: added}}, ""},
		{"columns dropped", []migrate.TableChange{migrate.DropColumn{Column: col}, migrate.DropColumn{Column: col}}, ""},
		{"column added and one dropped (a rename?)", []migrate.TableChange{migrate.AddColumn{Column: added}, migrate.DropColumn{Column: col}}, "n"},
		{"column of a raw type added and one dropped", []migrate.TableChange{migrate.AddColumn{Column: raw}, migrate.DropColumn{Column: col}}, whole},
		{"comment", []migrate.TableChange{migrate.ModifyColumn{From: col, To: col, Change: migrate.ChangeComment}, migrate.SetTableComment{To: "x"}}, ""},
		{"type", []migrate.TableChange{migrate.ModifyColumn{From: col, To: wider, Change: migrate.ChangeType | migrate.ChangeComment}}, "c"},
		{"raw type", []migrate.TableChange{migrate.ModifyColumn{From: col, To: raw, Change: migrate.ChangeType}}, whole},
		{"type and default", []migrate.TableChange{migrate.ModifyColumn{From: col, To: wider, Change: migrate.ChangeType | migrate.ChangeDefault}}, whole},
		{"default", []migrate.TableChange{migrate.ModifyColumn{From: col, To: col, Change: migrate.ChangeDefault}}, whole},
		{"nullable", []migrate.TableChange{migrate.ModifyColumn{From: col, To: col, Change: migrate.ChangeNullable}}, whole},
		{"renames", []migrate.TableChange{migrate.RenameColumn{From: "a", To: "b"}, migrate.RenameConstraint{From: "a", To: "b"}}, ""},
		{"check added", []migrate.TableChange{migrate.AddCheck{Check: check}, migrate.DropUnique{Unique: unique}}, ""},
		{"check added and one dropped", []migrate.TableChange{migrate.AddCheck{Check: check}, migrate.DropCheck{Check: check}}, whole},
		{"unique added and one dropped", []migrate.TableChange{migrate.AddUnique{Unique: unique}, migrate.DropUnique{Unique: unique}}, whole},
		{"policy added", []migrate.TableChange{migrate.AddPolicy{Policy: policy}}, ""},
		{"policy added and one dropped", []migrate.TableChange{migrate.DropPolicy{Policy: policy}, migrate.AddPolicy{Policy: policy}}, whole},
		{"row-level security", []migrate.TableChange{migrate.SetRowLevelSecurity{Enable: true}}, ""},
		{"primary key", []migrate.TableChange{migrate.SetPrimaryKey{To: pk}}, whole},
		{"partition", []migrate.TableChange{migrate.AttachPartition{}}, whole},
	} {
		w, typed := serverNeeds(migrate.ModifyTable{Changes: tc.changes})
		got := strings.Join(typed, ",")
		if w {
			got = whole
		}
		if got != tc.want {
			t.Errorf("%s: serverNeeds = %q, want %q", tc.name, got, tc.want)
		}
	}

	// An index added to a table is a candidate only beside a dropped one.
	table := metadata.TableRef{Name: "t"}
	index := metadata.Index{Name: "i", Parts: []metadata.IndexPart{{Column: "c"}}}
	if c := candidates(&migrate.Plan{Changes: []migrate.Change{migrate.AddIndex{Table: table, Index: index}}}); c.tables[table] {
		t.Errorf("a table with an index only added is a candidate")
	}
	c := candidates(&migrate.Plan{Changes: []migrate.Change{migrate.DropIndex{Table: table, Index: index}, migrate.AddIndex{Table: table, Index: index}}})
	if !c.tables[table] {
		t.Errorf("a table with an index added and one dropped is not a candidate")
	}
}
