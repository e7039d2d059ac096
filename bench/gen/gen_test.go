package gen

import (
	"testing"

	"github.com/dbtool/dbtool/metadata"
	"github.com/google/go-cmp/cmp"
)

func TestGenerateIsValidAndDeterministic(t *testing.T) {
	for _, n := range []int{1, 20, 500} {
		m := Generate(n, 42)
		if err := metadata.Validate(m); err != nil {
			t.Fatalf("%d tables: %v", n, err)
		}
		if len(m.Tables) != n {
			t.Fatalf("%d tables asked, %d generated", n, len(m.Tables))
		}
		if want := n / 20; len(m.Views) != want {
			t.Errorf("%d tables: %d views, want %d", n, len(m.Views), want)
		}
		if diff := cmp.Diff(m, Generate(n, 42)); diff != "" {
			t.Fatalf("same seed, different schema:\n%s", diff)
		}
	}
	if cmp.Equal(Generate(50, 1), Generate(50, 2)) {
		t.Error("different seeds, same schema")
	}
}

func TestGenerateShape(t *testing.T) {
	m := Generate(1000, 7)
	var fks, composite, uniques, checks, indexes, defaults int
	for _, tbl := range m.Tables {
		if n := len(tbl.Columns); n < 8 || n > 20 {
			t.Errorf("table %s has %d columns, want 8 to 20", tbl.Name, n)
		}
		if tbl.PrimaryKey == nil {
			t.Errorf("table %s has no primary key", tbl.Name)
		}
		if len(tbl.Indexes) == 0 {
			t.Errorf("table %s has no index", tbl.Name)
		}
		for _, fk := range tbl.ForeignKeys {
			fks++
			if len(fk.Columns) > 1 {
				composite++
			}
			if fk.References.Table >= tbl.Name {
				t.Errorf("table %s references %s, which is not earlier", tbl.Name, fk.References.Table)
			}
		}
		for _, c := range tbl.Columns {
			if c.Default != nil {
				defaults++
			}
		}
		uniques += len(tbl.Uniques)
		checks += len(tbl.Checks)
		indexes += len(tbl.Indexes)
	}
	// Every feature appears, in proportions like real schemas'.
	for what, n := range map[string][2]int{
		"foreign keys": {fks, 1000}, "composite foreign keys": {composite, 100}, "unique constraints": {uniques, 500},
		"checks": {checks, 50}, "indexes": {indexes, 1500}, "defaults": {defaults, 1000},
	} {
		if n[0] < n[1] {
			t.Errorf("%d %s in 1000 tables, want at least %d", n[0], what, n[1])
		}
	}
}
