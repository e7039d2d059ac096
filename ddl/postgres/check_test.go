package postgres

import (
	"errors"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/metadata"
)

// TestCheck checks that every model feature PostgreSQL cannot hold is
// reported, all at once, each naming its place in the model.
func TestCheck(t *testing.T) {
	m := &metadata.MetaData{
		VirtualTables: []metadata.VirtualTable{{Name: "docs", Using: "fts5(body)"}},
		Domains:       []metadata.Domain{{Name: "d", Type: metadata.Raw{SQL: "text; drop"}}},
		Sequences:     []metadata.Sequence{{Name: "s", Type: metadata.Integer{Bytes: 3}}},
		Tables: []metadata.Table{
			{
				Name: "t", WithoutRowID: true, Strict: true,
				Columns: []metadata.Column{
					{Name: "id", Type: metadata.Integer{Bytes: 4}, Nullable: true, Autoincrement: true},
					{Name: "v", Type: metadata.Integer{Bytes: 4}, Nullable: true, Generated: &metadata.Generated{Expr: "id * 2"}},
					{Name: "x", Type: metadata.Integer{Bytes: 4}, Nullable: true, Identity: &metadata.Identity{}},
					{Name: "bad", Type: metadata.Raw{SQL: "int -- x"}, Nullable: true, Default: metadata.NumberLiteral{Value: "1e"}},
				},
				ForeignKeys: []metadata.ForeignKey{{Columns: []string{"id"}, References: metadata.ForeignKeyTarget{Table: "t", Columns: []string{"id"}}, Match: "partial"}},
				Policies: []metadata.Policy{
					{Name: "p1", Command: "insert", Using: "true"},
					{Name: "p2", Command: "select", WithCheck: "true"},
					{Name: "p3", Roles: []string{"r", "PUBLIC"}},
				},
			},
			{Name: "p", PartitionBy: "LIST (id)", Columns: []metadata.Column{{Name: "id", Type: metadata.Integer{Bytes: 4}}}},
			{Name: "p1", PartitionOf: &metadata.PartitionOf{Parent: metadata.TableRef{Name: "p"}, Bound: "DEFAULT"},
				Inherits: []metadata.TableRef{{Name: "t"}}},
		},
		Views: []metadata.View{{Name: "mv", Materialized: true, CheckOption: "local", Definition: "SELECT 1"}},
	}
	err := Dialect{}.Check(m)
	var ps metadata.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Check = %v, want metadata.Problems", err)
	}
	want := []string{
		"virtual_tables[0]",
		"domains[0].type",
		"sequences[0].type",
		"tables[0].without_rowid",
		"tables[0].strict",
		"tables[0].columns[0].nullable",
		"tables[0].columns[1].generated.stored",
		"tables[0].columns[2].nullable",
		"tables[0].columns[3].type",
		"tables[0].columns[3].default",
		"tables[0].foreign_keys[0].match",
		"tables[0].policies[0].using",
		"tables[0].policies[1].with_check",
		"tables[0].policies[2].roles",
		"tables[2].inherits",
		"views[0].check_option",
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Path)
		if p.Object == "" || p.Message == "" {
			t.Errorf("problem %+v names no object or says nothing", p)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems at:\n%s\nwant:\n%s\nall:\n%v", strings.Join(got, "\n"), strings.Join(want, "\n"), err)
	}

	ok := &metadata.MetaData{Tables: []metadata.Table{{Name: "t", Columns: []metadata.Column{
		{Name: "id", Type: metadata.Integer{Bytes: 8}, Autoincrement: true},
		{Name: "g", Type: metadata.Integer{Bytes: 8}, Nullable: true, Generated: &metadata.Generated{Expr: "id", Stored: true}},
	}}}}
	if err := (Dialect{}).Check(ok); err != nil {
		t.Errorf("Check of a valid model: %v", err)
	}
}

// TestCheckRefusesSQLiteConflictClauses: ON CONFLICT on a constraint, and
// a collation or order inside a key, are SQLite's; PostgreSQL refuses
// them with a message that says so and what to do instead.
func TestCheckRefusesSQLiteConflictClauses(t *testing.T) {
	m := &metadata.MetaData{Tables: []metadata.Table{{
		Name: "t",
		Columns: []metadata.Column{
			{Name: "id", Type: metadata.Integer{Bytes: 4}},
			{Name: "name", Type: metadata.Text{}, NotNullOnConflict: metadata.ConflictIgnore},
		},
		PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}, OnConflict: metadata.ConflictReplace},
		Uniques: []metadata.Unique{{
			Columns:       []string{"name"},
			ColumnOptions: []metadata.KeyColumnOption{{Column: "name", Collation: "NOCASE"}},
		}},
	}}}
	err := Dialect{}.Check(m)
	var ps metadata.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Check = %v, want metadata.Problems", err)
	}
	want := map[string]string{
		"tables[0].columns[1].not_null_on_conflict": "PostgreSQL has no such clause",
		"tables[0].primary_key.on_conflict":         "PostgreSQL has no such clause",
		"tables[0].uniques[0].column_options":       "declare a unique index instead",
	}
	if len(ps) != len(want) {
		t.Fatalf("problems: %v", err)
	}
	for _, p := range ps {
		if w, ok := want[p.Path]; !ok || !strings.Contains(p.Message, w) {
			t.Errorf("problem at %s: %q, want one saying %q", p.Path, p.Message, w)
		}
	}
}
