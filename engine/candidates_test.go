package engine

import (
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
