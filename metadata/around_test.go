package metadata

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// graphModel builds tables from "child>parent" edges; a table named
// "s.x" is x in schema s.
func graphModel(names []string, edges ...string) *MetaData {
	ref := func(s string) TableRef {
		if schema, name, ok := strings.Cut(s, "."); ok {
			return TableRef{Schema: schema, Name: name}
		}
		return TableRef{Name: s}
	}
	m := &MetaData{}
	for _, n := range names {
		r := ref(n)
		m.Tables = append(m.Tables, Table{Schema: r.Schema, Name: r.Name, Columns: []Column{{Name: "id", Type: Integer{Bytes: 4}}}})
	}
	for _, e := range edges {
		child, parent, _ := strings.Cut(e, ">")
		t := m.Table(ref(child))
		p := ref(parent)
		t.ForeignKeys = append(t.ForeignKeys, ForeignKey{Columns: []string{"id"}, References: ForeignKeyTarget{Schema: p.Schema, Table: p.Name, Columns: []string{"id"}}})
	}
	return m
}

func TestNeighbourhood(t *testing.T) {
	// a <- b <- c <- d <- e, c <- x, y <- y (self), p <-> q (cycle),
	// s.c <- c (another schema), lonely alone, and c -> missing.
	m := graphModel([]string{"a", "b", "c", "d", "e", "x", "y", "p", "q", "s.c", "lonely"},
		"b>a", "c>b", "d>c", "e>d", "x>c", "y>y", "p>q", "q>p", "c>s.c", "c>missing", "q>a")
	for _, c := range []struct {
		start string
		depth int
		want  map[string]int
	}{
		{"c", 0, map[string]int{"c": 0}},
		{"c", 1, map[string]int{"c": 0, "b": 1, "d": 1, "x": 1, "s.c": 1}},
		{"c", 2, map[string]int{"c": 0, "b": 1, "d": 1, "x": 1, "s.c": 1, "a": 2, "e": 2}},
		{"c", 3, map[string]int{"c": 0, "b": 1, "d": 1, "x": 1, "s.c": 1, "a": 2, "e": 2, "q": 3}},
		{"c", 99, map[string]int{"c": 0, "b": 1, "d": 1, "x": 1, "s.c": 1, "a": 2, "e": 2, "q": 3, "p": 4}},
		{"y", 5, map[string]int{"y": 0}},
		{"p", 1, map[string]int{"p": 0, "q": 1}},
		{"lonely", 3, map[string]int{"lonely": 0}},
		{"s.c", 1, map[string]int{"s.c": 0, "c": 1}},
	} {
		start, err := m.LookupTable(c.start)
		if err != nil {
			t.Fatal(err)
		}
		dist, err := m.Neighbourhood(start, c.depth)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for r, d := range dist {
			got[r.String()] = d
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("around %s depth %d (-want +got):\n%s", c.start, c.depth, diff)
		}
		around, err := m.Around(start, c.depth)
		if err != nil {
			t.Fatal(err)
		}
		if len(around.Tables) != len(c.want) {
			t.Errorf("Around %s depth %d: %d tables, want %d", c.start, c.depth, len(around.Tables), len(c.want))
		}
	}
}

func TestAroundKeepsOrderAndTriggers(t *testing.T) {
	m := graphModel([]string{"z", "a", "m"}, "a>z")
	m.Views = []View{{Name: "v", Definition: "SELECT 1"}}
	m.Triggers = []Trigger{{Name: "t1", Table: "a", Definition: "x"}, {Name: "t2", Table: "m", Definition: "y"}}
	got, err := m.Around(TableRef{Name: "a"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range got.Tables {
		names = append(names, tb.Name)
	}
	if diff := cmp.Diff([]string{"z", "a"}, names); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	if len(got.Views) != 0 || len(got.Triggers) != 1 || got.Triggers[0].Name != "t1" {
		t.Errorf("views %v, triggers %v", got.Views, got.Triggers)
	}
}

func TestLookupTableErrors(t *testing.T) {
	m := graphModel([]string{"a.t", "b.t", "u"})
	m.Views = []View{{Name: "v", Definition: "SELECT 1"}}
	for name, want := range map[string]string{
		"t":       `table name "t" is ambiguous: a.t, b.t`,
		"v":       `"v" is a view`,
		"nothing": `no table "nothing"`,
	} {
		if _, err := m.LookupTable(name); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LookupTable(%q) = %v, want %q", name, err, want)
		}
	}
	if r, err := m.LookupTable("b.t"); err != nil || r != (TableRef{Schema: "b", Name: "t"}) {
		t.Errorf("LookupTable(b.t) = %v, %v", r, err)
	}
	if _, err := m.Neighbourhood(TableRef{Name: "u"}, -1); err == nil {
		t.Error("a negative depth is accepted")
	}
	if _, err := m.Neighbourhood(TableRef{Name: "gone"}, 1); err == nil {
		t.Error("a missing table is accepted")
	}
}
