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

// TestDiffViewReadsByColumn: where the server records the columns a view
// reads, a view is recreated only when one of them is dropped or changes
// type (an enum recreated counts), or when it reads the whole row; a new
// NOT NULL or check on its table leaves it standing. Without that record
// (SQLite, two files), any change of the table recreates its readers.
func TestDiffViewReadsByColumn(t *testing.T) {
	ref := func(name string) metadata.TableRef { return metadata.TableRef{Name: name} }
	table := func(aType string, bNull bool, mood string, withC bool) metadata.Table {
		cols := []metadata.Column{
			{Name: "id", Type: metadata.Integer{}},
			{Name: "a", Type: metadata.Raw{SQL: aType}, Nullable: true},
			{Name: "b", Type: metadata.Text{}, Nullable: bNull},
			{Name: "m", Type: metadata.Raw{SQL: mood}, Nullable: true},
		}
		if withC {
			cols = append(cols, metadata.Column{Name: "c", Type: metadata.Text{}, Nullable: true})
		}
		return metadata.Table{Name: "t", Columns: cols}
	}
	views := []metadata.View{
		{Name: "va", Definition: "SELECT id, a FROM t"},
		{Name: "vb", Definition: "SELECT id, b FROM t"},
		{Name: "vm", Definition: "SELECT id, m FROM t"},
		{Name: "vc", Definition: "SELECT c FROM t"},
		{Name: "vrow", Definition: "SELECT t FROM t"},
		{Name: "mv", Definition: "SELECT b, count(*) AS n FROM t GROUP BY b", Materialized: true},
		{Name: "onb", Definition: "SELECT b FROM vb"},
	}
	live := &metadata.MetaData{
		Enums:  []metadata.Enum{{Name: "mood", Values: []string{"sad", "ok"}}},
		Tables: []metadata.Table{table("integer", true, "mood", true)},
		Views:  views,
	}
	want := &metadata.MetaData{
		Enums:  []metadata.Enum{{Name: "mood", Values: []string{"ok", "sad"}}},
		Tables: []metadata.Table{table("bigint", false, "mood", false)},
		Views:  views[:3:3],
	}
	want.Views = append(want.Views, views[4:]...)
	reads := ViewReads{
		ref("va"):   {"t": {"id", "a"}},
		ref("vb"):   {"t": {"id", "b"}},
		ref("vm"):   {"t": {"id", "m"}},
		ref("vc"):   {"t": {"c"}},
		ref("vrow"): {"t": nil},
		ref("mv"):   {"t": {"b"}},
		ref("onb"):  {"vb": {"b"}},
	}
	list := summary(NewDiffer(live).DiffWith(want, Server{LiveReads: reads}).Changes)
	for _, v := range []string{`view "va"`, `view "vm"`, `view "vrow"`} {
		if !strings.Contains(list, "DropView "+v+"\n") || !strings.Contains(list, "AddView "+v+"\n") {
			t.Errorf("%s reads what changes and is not recreated:\n%s", v, list)
		}
	}
	if !strings.Contains(list, `DropView view "vc"`+"\n") {
		t.Errorf("vc, dropped with the column it reads, is not dropped:\n%s", list)
	}
	for _, v := range []string{`view "vb"`, `materialized view "mv"`, `view "onb"`} {
		if strings.Contains(list, " "+v+"\n") {
			t.Errorf("%s reads only columns that keep their type, and is recreated:\n%s", v, list)
		}
	}
	// Without the server's record, every reader of t is recreated, and
	// what reads them.
	list = summary(NewDiffer(live).DiffWith(want, Server{}).Changes)
	for _, v := range []string{`view "vb"`, `materialized view "mv"`, `view "onb"`} {
		if !strings.Contains(list, "DropView "+v+"\n") {
			t.Errorf("without recorded reads, %s is not recreated:\n%s", v, list)
		}
	}
}
