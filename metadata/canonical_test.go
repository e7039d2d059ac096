package metadata_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/dbtool/dbtool/bench/gen"
	"github.com/dbtool/dbtool/metadata"
)

// TestCanonicalReadOnlyIsCanonical checks that CanonicalReadOnly, which
// shares what is canonical already, makes what Canonical makes, and
// leaves its model as it was: on generated schemas as they are (every
// table canonical), in another order, and with every kind of table list
// out of order, padded with white space or empty rather than missing, in
// every table or in some.
func TestCanonicalReadOnlyIsCanonical(t *testing.T) {
	for _, c := range []struct {
		name string
		make func() *metadata.MetaData
	}{
		{"generated", func() *metadata.MetaData { return gen.Generate(200, 1) }},
		{"edited", func() *metadata.MetaData { m, _ := gen.Edit(gen.Generate(200, 2), 40, 2); return m }},
		{"tables reversed", func() *metadata.MetaData {
			m := gen.Generate(200, 3)
			slices.Reverse(m.Tables)
			return m
		}},
		{"every table untidy", func() *metadata.MetaData { return untidy(gen.Generate(200, 4), 1) }},
		{"one table in seven untidy", func() *metadata.MetaData { return untidy(gen.Generate(200, 5), 7) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := c.make()
			got := metadata.CanonicalReadOnly(m)
			if !reflect.DeepEqual(m, c.make()) {
				t.Fatal("CanonicalReadOnly changed its model")
			}
			if want := metadata.Canonical(m); !reflect.DeepEqual(got, want) {
				for i := range want.Tables {
					if !reflect.DeepEqual(got.Tables[i], want.Tables[i]) {
						t.Fatalf("table %d:\nCanonicalReadOnly %#v\nCanonical         %#v", i, got.Tables[i], want.Tables[i])
					}
				}
				t.Fatal("CanonicalReadOnly differs from Canonical")
			}
		})
	}
}

// untidy makes every nth table of m (the first, the n+1st, ...) other
// than canonical in each way Canonical tidies a table.
func untidy(m *metadata.MetaData, nth int) *metadata.MetaData {
	for i := 0; i < len(m.Tables); i += nth {
		t := &m.Tables[i]
		switch i / nth % 4 {
		case 0:
			slices.Reverse(t.Indexes)
			slices.Reverse(t.ForeignKeys)
			t.Uniques = append(t.Uniques, metadata.Unique{Name: "a_unique", Columns: []string{"id"}})
			t.Checks = append(t.Checks, metadata.Check{Expr: "  id > 0 "}, metadata.Check{Name: "a_check", Expr: "id < 9"})
			t.Columns[1].Generated = &metadata.Generated{Expr: "id * 2", Stored: true}
		case 1:
			t.Exclusions = []metadata.Exclusion{{Name: "z", Definition: "EXCLUDE USING gist (id WITH =) "}, {Name: "a", Definition: "EXCLUDE (id WITH =)"}}
			t.Policies = []metadata.Policy{{Name: "z", Using: " true"}, {Name: "a", WithCheck: "false "}}
			t.Checks = []metadata.Check{}
		case 2:
			t.PartitionBy = " RANGE (id)\n"
			t.PartitionOf = &metadata.PartitionOf{Parent: metadata.TableRef{Name: "t_00000"}, Bound: "\tDEFAULT"}
			t.Columns[1].Default = metadata.NumberLiteral{Value: "1.50"}
			t.Columns[2].Default = metadata.Expr{SQL: " NULL "}
			t.Columns[3].Default = metadata.Expr{SQL: "null"}
			t.Columns[4].Default = metadata.NumberLiteral{Value: "-0"}
		case 3:
			t.Columns[len(t.Columns)-1].Generated = &metadata.Generated{Expr: " id * 2 "}
			t.Indexes = append(t.Indexes, metadata.Index{Name: "a_index", Parts: []metadata.IndexPart{{Expr: " lower(id) "}}, Where: " id > 0"})
			t.Indexes[0].Parts = []metadata.IndexPart{}
			t.Exclusions = []metadata.Exclusion{}
			t.Policies = []metadata.Policy{{Name: "only"}}
		}
	}
	return m
}
