package sqlite

import (
	"errors"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/metadata"
)

func TestCheckCatchesMisspeltTypes(t *testing.T) {
	for typ, want := range map[string]string{
		"strnig":      `unknown type "strnig": did you mean "string"?`,
		"intger":      "", // contains INT: SQLite gives it INTEGER affinity on purpose
		"bolean":      `did you mean "boolean"?`,
		"tmestamp":    `did you mean "timestamp"?`,
		"GEOMETRY":    "",
		"DATETIME":    "",
		"JSONB":       "",
		"NUMERIC(10)": "",
		"uuuid":       `did you mean "uuid"?`,
	} {
		m := &metadata.MetaData{Tables: []metadata.Table{{Name: "t", Columns: []metadata.Column{{Name: "c", Type: metadata.Raw{SQL: typ}, Nullable: true}}}}}
		err := Dialect{}.Check(m)
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: unexpected problem: %v", typ, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s: error %v, want it to contain %q", typ, err, want)
		}
	}
}

// TestCheckRefusesPostgreSQLOnlyTableForms: a table without columns, NOT
// VALID constraints and composite types are PostgreSQL's; SQLite cannot
// hold them, so Check says so rather than create-all failing or dropping
// them silently.
func TestCheckRefusesPostgreSQLOnlyTableForms(t *testing.T) {
	m := &metadata.MetaData{
		CompositeTypes: []metadata.CompositeType{{Name: "pair", Attributes: []metadata.Attribute{{Name: "a", Type: metadata.Integer{Bytes: 4}}}}},
		Tables: []metadata.Table{
			{Name: "empty"},
			{Name: "p", Columns: []metadata.Column{{Name: "id", Type: metadata.Integer{Bytes: 4}}}},
			{
				Name:        "c",
				Columns:     []metadata.Column{{Name: "p_id", Type: metadata.Integer{Bytes: 4}, Nullable: true}},
				ForeignKeys: []metadata.ForeignKey{{Columns: []string{"p_id"}, References: metadata.ForeignKeyTarget{Table: "p", Columns: []string{"id"}}, NotValid: true}},
				Checks:      []metadata.Check{{Expr: "p_id > 0", NotValid: true}},
			},
		},
	}
	err := Dialect{}.Check(m)
	var ps metadata.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Check: %v, want problems", err)
	}
	got := map[string]string{}
	for _, p := range ps {
		got[p.Path] = p.Message
	}
	for path, want := range map[string]string{
		"composite_types[0]":                  "SQLite has no composite types",
		"tables[0].columns":                   "SQLite cannot hold a table without columns",
		"tables[2].foreign_keys[0].not_valid": "SQLite has no NOT VALID constraints",
		"tables[2].checks[0].not_valid":       "SQLite has no NOT VALID constraints",
	} {
		if !strings.Contains(got[path], want) {
			t.Errorf("%s: got %q, want it to contain %q", path, got[path], want)
		}
	}
	if len(ps) != 4 {
		t.Errorf("got %d problems, want 4: %v", len(ps), err)
	}
}
