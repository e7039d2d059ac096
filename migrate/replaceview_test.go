package migrate

import (
	"strings"
	"testing"

	"github.com/dbtool/dbtool/metadata"
)

// TestDiffReplacingViews: a changed view is replaced in place only when
// both its shapes are known and the new one begins with the old one, and
// it reads nothing that is dropped first; its comment is then set apart.
func TestDiffReplacingViews(t *testing.T) {
	ref := func(name string) metadata.TableRef { return metadata.TableRef{Name: name} }
	live := &metadata.MetaData{Views: []metadata.View{
		{Name: "u", Definition: "SELECT 1 AS a"},
		{Name: "v", Definition: "SELECT a FROM u"},
		{Name: "z", Definition: "SELECT 2 AS b", Comment: "old"},
		{Name: "m", Definition: "SELECT 3 AS c", Materialized: true},
		{Name: "n", Definition: "SELECT 4 AS d"},
	}}
	want := &metadata.MetaData{Views: []metadata.View{
		{Name: "u", Definition: "SELECT 'x'::text AS a"},
		{Name: "v", Definition: "SELECT a FROM u WHERE true"},
		{Name: "z", Definition: "SELECT 2 AS b, 3 AS c", Comment: "new"},
		{Name: "m", Definition: "SELECT 3 AS c WHERE true", Materialized: true},
		{Name: "n", Definition: "SELECT 4 AS d WHERE true"},
	}}
	liveShapes := ViewShapes{ref("u"): {"a integer"}, ref("v"): {"a integer"}, ref("z"): {"b integer"},
		ref("m"): {"c integer"}, ref("n"): {"d integer"}}
	wantShapes := ViewShapes{ref("u"): {"a text"}, ref("v"): {"a integer"}, ref("z"): {"b integer", "c integer"},
		ref("m"): {"c integer"}}

	list := summary(NewDiffer(live).DiffWith(want, Server{LiveShapes: liveShapes, WantShapes: wantShapes}).Changes)
	for _, w := range []string{
		`DropView view "u"`, `AddView view "u"`, // its column's type changes
		`DropView view "v"`, `AddView view "v"`, // it reads u, dropped first
		`ReplaceView view "z"`, `SetComment view "z"`, // a column added at the end
		`DropView materialized view "m"`, `AddView materialized view "m"`, // never replaced
		`DropView view "n"`, `AddView view "n"`, // its new shape is not known
	} {
		if !strings.Contains(list, w+"\n") {
			t.Errorf("no %s among the changes:\n%s", w, list)
		}
	}
	if strings.Count(list, "ReplaceView") != 1 {
		t.Errorf("only z is replaced:\n%s", list)
	}
	// Without shapes, as from two files, every changed view is recreated.
	for _, c := range Diff(live, want).Changes {
		if _, ok := c.(ReplaceView); ok {
			t.Errorf("replaced without shapes: %s", c.Object())
		}
	}
}
