package createall

import (
	"slices"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/metadata"
)

func table(schema, name string, refs ...string) metadata.Table {
	t := metadata.Table{Schema: schema, Name: name, Columns: []metadata.Column{
		{Name: "id", Type: metadata.Integer{Bytes: 4}},
		{Name: "ref", Type: metadata.Integer{Bytes: 4}, Nullable: true},
	}}
	for _, r := range refs {
		t.ForeignKeys = append(t.ForeignKeys, metadata.ForeignKey{
			Columns:    []string{"ref"},
			References: metadata.ForeignKeyTarget{Schema: schema, Table: r, Columns: []string{"id"}},
		})
	}
	return t
}

func model() *metadata.MetaData {
	return &metadata.MetaData{
		Extensions: []metadata.Extension{{Name: "pgcrypto"}},
		Schemas:    []metadata.Schema{{Name: "billing"}, {Name: "audit"}},
		Enums:      []metadata.Enum{{Name: "mood", Values: []string{"ok"}}, {Schema: "billing", Name: "state", Values: []string{"paid"}}},
		Tables: []metadata.Table{
			table("", "users"),
			table("", "user_roles", "users"),
			table("", "orders", "users"),
			table("billing", "invoices"),
			table("audit", "log"),
		},
		VirtualTables: []metadata.VirtualTable{{Name: "user_search", Using: "fts5(name)"}},
		Views: []metadata.View{
			{Name: "user_view", Definition: "SELECT id FROM users"},
			{Schema: "billing", Name: "open_invoices", Definition: "SELECT id FROM billing.invoices"},
		},
		Triggers: []metadata.Trigger{
			{Name: "t_users", Table: "users", Definition: "CREATE TRIGGER ..."},
			{Name: "t_orders", Table: "orders", Definition: "CREATE TRIGGER ..."},
		},
	}
}

func names(m *metadata.MetaData) []string {
	var out []string
	for _, s := range m.Schemas {
		out = append(out, "schema "+s.Name)
	}
	for _, e := range m.Enums {
		out = append(out, "enum "+metadata.TableRef{Schema: e.Schema, Name: e.Name}.String())
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
		filter inspector.Options
		want   []string
	}{
		{
			name:   "table glob keeps what it matches, and triggers follow their table",
			filter: inspector.Options{Tables: []string{"user*"}},
			want: []string{"schema billing", "schema audit", "enum mood", "enum billing.state",
				"table users", "table user_roles", "virtual user_search", "view user_view", "trigger t_users"},
		},
		{
			name:   "exclude",
			filter: inspector.Options{Exclude: []string{"orders", "*_view", "billing.*", "audit.*"}},
			want: []string{"schema billing", "schema audit", "enum mood", "enum billing.state",
				"table users", "table user_roles", "virtual user_search", "trigger t_users"},
		},
		{
			name:   "schema",
			filter: inspector.Options{Schemas: []string{"billing"}},
			want:   []string{"schema billing", "enum billing.state", "table billing.invoices", "view billing.open_invoices"},
		},
		{
			name:   "the default schema passes as public",
			filter: inspector.Options{Schemas: []string{"public"}, Tables: []string{"users"}},
			want:   []string{"enum mood", "table users", "trigger t_users"},
		},
		{
			name:   "schema and table",
			filter: inspector.Options{Schemas: []string{"billing", "audit"}, Tables: []string{"log", "invoices"}},
			want:   []string{"schema billing", "schema audit", "enum billing.state", "table billing.invoices", "table audit.log"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Select(model(), tc.filter)
			if g := names(got); !slices.Equal(g, tc.want) {
				t.Errorf("kept\n  %s\nwant\n  %s", strings.Join(g, "\n  "), strings.Join(tc.want, "\n  "))
			}
			if len(got.Extensions) != 1 {
				t.Errorf("extensions: %v, want them kept", got.Extensions)
			}
		})
	}
}

func TestDependencies(t *testing.T) {
	m := model()
	m.Tables = append(m.Tables,
		table("", "comments", "orders"),
		metadata.Table{Schema: "billing", Name: "invoices_2026", PartitionOf: &metadata.PartitionOf{
			Parent: metadata.TableRef{Schema: "billing", Name: "invoices"}, Bound: "DEFAULT"}},
	)
	m.Sequences = []metadata.Sequence{{Name: "seq", OwnedBy: "audit.log.id"}}
	sel := Select(m, inspector.Options{Tables: []string{"comments", "invoices_2026"}})
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
	plain := model()
	if d := Dependencies(Select(plain, inspector.Options{Tables: []string{"users", "user_roles"}}), plain); len(d) != 0 {
		t.Errorf("users and user_roles need nothing else, got %v", d)
	}
}

// TestSelectLeavesModelAlone: the caller's model is not changed.
func TestSelectLeavesModelAlone(t *testing.T) {
	m := model()
	before := names(m)
	Select(m, inspector.Options{Tables: []string{"users"}})
	if after := names(m); !slices.Equal(before, after) {
		t.Errorf("model changed: %v -> %v", before, after)
	}
}
