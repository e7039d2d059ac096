package sqlite

import (
	"errors"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/metadata"
	"github.com/google/go-cmp/cmp"
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

// TestCheckCatchesCaseClashes checks that names SQLite would take for one
// (it ignores ASCII case, even in quoted names) are all reported before
// anything is created, and that names equal as written (Validate's
// duplicates), non-ASCII case and separate namespaces are not.
func TestCheckCatchesCaseClashes(t *testing.T) {
	col := func(name string) metadata.Column {
		return metadata.Column{Name: name, Type: metadata.Integer{Bytes: 4}, Nullable: true}
	}
	m := &metadata.MetaData{
		Tables: []metadata.Table{
			{Name: "order", Columns: []metadata.Column{col("id"), col("Id"), col("é"), col("É")}},
			{Name: "Order", Columns: []metadata.Column{col("x")},
				Indexes: []metadata.Index{{Name: "ix_A", Parts: []metadata.IndexPart{{Column: "x"}}}, {Name: "IX_a", Parts: []metadata.IndexPart{{Column: "x"}}}}},
			{Name: "Ünïcode", Columns: []metadata.Column{col("x")}},
			{Name: "ünïcode", Columns: []metadata.Column{col("x")}},
		},
		VirtualTables: []metadata.VirtualTable{{Name: "ORDER", Using: "fts5(a)"}},
		Views:         []metadata.View{{Name: "Ix_A", Definition: "SELECT 1"}},
		Triggers: []metadata.Trigger{
			{Name: "order", Table: "order", Definition: `CREATE TRIGGER order AFTER INSERT ON "order" BEGIN SELECT 1; END`},
			{Name: "Tr", Table: "order", Definition: `CREATE TRIGGER Tr AFTER INSERT ON "order" BEGIN SELECT 1; END`},
			{Name: "tR", Table: "order", Definition: `CREATE TRIGGER tR AFTER INSERT ON "order" BEGIN SELECT 1; END`},
		},
	}
	err := Dialect{}.Check(m)
	const rest = " only in case, and SQLite compares names without regard to ASCII case: rename one"
	want := []string{
		`column "order"."Id": the name differs from that of column "order"."id"` + rest,
		`table "Order": the name differs from that of table "order"` + rest,
		`virtual table "ORDER": the name differs from that of table "order"` + rest,
		`index "ix_A" on "Order": the name differs from that of view "Ix_A"` + rest,
		`index "IX_a" on "Order": the name differs from that of view "Ix_A"` + rest,
		`trigger "tR" on "order": the name differs from that of trigger "Tr" on "order"` + rest,
	}
	var got []string
	var ps metadata.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			got = append(got, p.String())
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
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

// TestCheckKeyOptions: what SQLite would not keep of a key's options is
// refused before anything is written.
func TestCheckKeyOptions(t *testing.T) {
	id := metadata.Column{Name: "id", Type: metadata.Integer{Bytes: 4}}
	auto := id
	auto.Autoincrement = true
	for name, c := range map[string]struct {
		table metadata.Table
		want  string
	}{
		"autoincrement descending": {
			metadata.Table{Name: "t", Columns: []metadata.Column{auto},
				PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}, ColumnOptions: []metadata.KeyColumnOption{{Column: "id", Desc: true}}}},
			"AUTOINCREMENT on a descending primary key",
		},
		"collated rowid": {
			metadata.Table{Name: "t", Columns: []metadata.Column{id},
				PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}, ColumnOptions: []metadata.KeyColumnOption{{Column: "id", Collation: "NOCASE"}}}},
			"an alias of the rowid and ignores the collation",
		},
		"unknown collation": {
			metadata.Table{Name: "t", Columns: []metadata.Column{id},
				Uniques: []metadata.Unique{{Columns: []string{"id"}, ColumnOptions: []metadata.KeyColumnOption{{Column: "id", Collation: "de_DE"}}}}},
			`SQLite has no collation "de_DE"`,
		},
		"descending rowid-like key": {
			metadata.Table{Name: "t", Columns: []metadata.Column{id},
				PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}, ColumnOptions: []metadata.KeyColumnOption{{Column: "id", Desc: true}}, OnConflict: metadata.ConflictReplace}},
			"",
		},
	} {
		err := Dialect{}.Check(&metadata.MetaData{Tables: []metadata.Table{c.table}})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: unexpected problem: %v", name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want it to contain %q", name, err, c.want)
		}
	}
}
