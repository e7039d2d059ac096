package metadata

import (
	"slices"
	"strings"
	"testing"
)

func filterTable(schema, name string, refs ...string) Table {
	t := Table{Schema: schema, Name: name, Columns: []Column{
		{Name: "id", Type: Integer{Bytes: 4}},
		{Name: "ref", Type: Integer{Bytes: 4}, Nullable: true},
	}}
	for _, r := range refs {
		t.ForeignKeys = append(t.ForeignKeys, ForeignKey{
			Columns:    []string{"ref"},
			References: ForeignKeyTarget{Schema: schema, Table: r, Columns: []string{"id"}},
		})
	}
	return t
}

func filterModel() *MetaData {
	return &MetaData{
		Extensions: []Extension{{Name: "pgcrypto"}},
		Schemas:    []Schema{{Name: "billing"}, {Name: "audit"}},
		Enums:      []Enum{{Name: "mood", Values: []string{"ok"}}, {Schema: "billing", Name: "state", Values: []string{"paid"}}},
		Tables: []Table{
			filterTable("", "users"),
			filterTable("", "user_roles", "users"),
			filterTable("", "orders", "users"),
			filterTable("billing", "invoices"),
			filterTable("audit", "log"),
		},
		VirtualTables: []VirtualTable{{Name: "user_search", Using: "fts5(name)"}},
		Views: []View{
			{Name: "user_view", Definition: "SELECT id FROM users"},
			{Schema: "billing", Name: "open_invoices", Definition: "SELECT id FROM billing.invoices"},
		},
		Triggers: []Trigger{
			{Name: "t_users", Table: "users", Definition: "CREATE TRIGGER ..."},
			{Name: "t_orders", Table: "orders", Definition: "CREATE TRIGGER ..."},
		},
	}
}

func filterNames(m *MetaData) []string {
	var out []string
	for _, s := range m.Schemas {
		out = append(out, "schema "+s.Name)
	}
	for _, e := range m.Enums {
		out = append(out, "enum "+TableRef{Schema: e.Schema, Name: e.Name}.String())
	}
	for _, t := range m.Tables {
		out = append(out, "table "+t.Ref().String())
	}
	for _, vt := range m.VirtualTables {
		out = append(out, "virtual "+vt.Name)
	}
	for _, v := range m.Views {
		out = append(out, "view "+v.Ref().String())
	}
	for _, t := range m.Triggers {
		out = append(out, "trigger "+t.Name)
	}
	return out
}

func TestSelect(t *testing.T) {
	for _, tc := range []struct {
		name   string
		filter Filter
		want   []string
	}{
		{
			name:   "table glob keeps what it matches, and triggers follow their table",
			filter: Filter{Tables: []string{"user*"}},
			want: []string{"schema billing", "schema audit", "enum mood", "enum billing.state",
				"table users", "table user_roles", "virtual user_search", "view user_view", "trigger t_users"},
		},
		{
			name:   "exclude",
			filter: Filter{Exclude: []string{"orders", "*_view", "billing.*", "audit.*"}},
			want: []string{"schema billing", "schema audit", "enum mood", "enum billing.state",
				"table users", "table user_roles", "virtual user_search", "trigger t_users"},
		},
		{
			name:   "schema",
			filter: Filter{Schemas: []string{"billing"}},
			want:   []string{"schema billing", "enum billing.state", "table billing.invoices", "view billing.open_invoices"},
		},
		{
			name:   "the default schema passes as public",
			filter: Filter{Schemas: []string{"public"}, Tables: []string{"users"}},
			want:   []string{"enum mood", "table users", "trigger t_users"},
		},
		{
			name:   "schema and table",
			filter: Filter{Schemas: []string{"billing", "audit"}, Tables: []string{"log", "invoices"}},
			want:   []string{"schema billing", "schema audit", "enum billing.state", "table billing.invoices", "table audit.log"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.filter.Select(filterModel())
			if g := filterNames(got); !slices.Equal(g, tc.want) {
				t.Errorf("kept\n  %s\nwant\n  %s", strings.Join(g, "\n  "), strings.Join(tc.want, "\n  "))
			}
			if len(got.Extensions) != 1 {
				t.Errorf("extensions: %v, want them kept", got.Extensions)
			}
		})
	}
}

func TestDependencies(t *testing.T) {
	m := filterModel()
	m.Tables = append(m.Tables,
		filterTable("", "comments", "orders"),
		Table{Schema: "billing", Name: "invoices_2026", PartitionOf: &PartitionOf{
			Parent: TableRef{Schema: "billing", Name: "invoices"}, Bound: "DEFAULT"}},
	)
	m.Sequences = []Sequence{{Name: "seq", OwnedBy: "audit.log.id"}}
	sel := Filter{Tables: []string{"comments", "invoices_2026"}}.Select(m)
	var got []string
	for _, d := range Dependencies(sel, m) {
		got = append(got, d.Table.String()+" <- "+d.NeededBy)
	}
	want := []string{
		`audit.log <- sequence "seq"`,
		`orders <- table "comments"`,
		`billing.invoices <- table "billing"."invoices_2026"`,
		`users <- table "orders"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("Dependencies:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	plain := filterModel()
	if d := Dependencies(Filter{Tables: []string{"users", "user_roles"}}.Select(plain), plain); len(d) != 0 {
		t.Errorf("users and user_roles need nothing else, got %v", d)
	}
}

// TestSelectLeavesModelAlone: the caller's model is not changed.
func TestSelectLeavesModelAlone(t *testing.T) {
	m := filterModel()
	before := filterNames(m)
	Filter{Tables: []string{"users"}}.Select(m)
	if after := filterNames(m); !slices.Equal(before, after) {
		t.Errorf("model changed: %v -> %v", before, after)
	}
}
