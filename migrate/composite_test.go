package migrate

import (
	"slices"
	"testing"

	"github.com/dbtool/dbtool/metadata"
)

// TestTypesInDependencyOrder: domains and composite types are created
// after the enums, each after the domains and composite types it names,
// whatever order the file declares them in; those that exist are skipped.
func TestTypesInDependencyOrder(t *testing.T) {
	want := &metadata.MetaData{
		Enums: []metadata.Enum{{Name: "colour", Values: []string{"red"}}},
		Domains: []metadata.Domain{
			{Name: "wrapped", Type: metadata.Raw{SQL: "outer_t"}},
			{Name: "percent", Type: metadata.Integer{Bytes: 4}},
		},
		CompositeTypes: []metadata.CompositeType{
			{Name: "outer_t", Attributes: []metadata.Attribute{{Name: "i", Type: metadata.Raw{SQL: "inner_t[]"}}}},
			{Name: "inner_t", Attributes: []metadata.Attribute{
				{Name: "p", Type: metadata.Raw{SQL: "percent"}}, {Name: "c", Type: metadata.Raw{SQL: "colour"}},
			}},
			{Schema: "s", Name: "there"},
		},
	}
	live := &metadata.MetaData{CompositeTypes: []metadata.CompositeType{{Schema: "s", Name: "there"}}}
	p := PlanCreateAll(want, live)
	var got []string
	for _, c := range p.Changes {
		got = append(got, c.Object())
	}
	wantOrder := []string{`schema "s"`, `enum "colour"`, `domain "percent"`, `composite type "inner_t"`,
		`composite type "outer_t"`, `domain "wrapped"`}
	if !slices.Equal(got, wantOrder) {
		t.Errorf("changes:\n got %q\nwant %q", got, wantOrder)
	}
	if !slices.Equal(p.Skipped, []string{`composite type "s"."there"`}) {
		t.Errorf("skipped %q", p.Skipped)
	}
}
