package sqlite

import (
	"strings"
	"testing"

	"github.com/dbtool/dbtool/metadata"
	"github.com/google/go-cmp/cmp"
)

// TestTypesRoundTrip: every portable type reads back from its spelling,
// in any case.
func TestTypesRoundTrip(t *testing.T) {
	for _, typ := range []metadata.Type{
		metadata.Integer{Bytes: 2}, metadata.Integer{Bytes: 4}, metadata.Integer{Bytes: 8},
		metadata.String{}, metadata.String{Length: 50}, metadata.Char{}, metadata.Char{Length: 3},
		metadata.Text{}, metadata.Boolean{}, metadata.Numeric{}, metadata.Numeric{Precision: 12},
		metadata.Numeric{Precision: 10, Scale: 2}, metadata.Float{Bytes: 4}, metadata.Float{Bytes: 8},
		metadata.Date{}, metadata.Time{Precision: -1}, metadata.Time{TZ: true, Precision: 3},
		metadata.Timestamp{Precision: -1}, metadata.Timestamp{Precision: 0}, metadata.Timestamp{TZ: true, Precision: 6},
		metadata.UUID{}, metadata.JSON{}, metadata.Binary{},
	} {
		s, err := Dialect{}.FormatType(typ)
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		for _, spelling := range []string{s, strings.ToLower(s)} {
			if got := ReadType(spelling); !cmp.Equal(got, typ) {
				t.Errorf("%s is spelled %s, which reads back as %#v", typ, spelling, got)
			}
		}
	}
}

// TestReadTypeKeepsOtherSpellingsRaw: a declared type is portable only when
// the dialect would spell it so; otherwise it is recreated as declared.
func TestReadTypeKeepsOtherSpellingsRaw(t *testing.T) {
	for _, declared := range []string{
		"", "INT", "DECIMAL(4,2)", "NUMERIC(10, 2)", "NVARCHAR(40)", "DATETIME", "REAL", "ANY",
		"VARCHAR(0)", "string(20)", "binary", "UNSIGNED BIG INT", "BLOB SUB_TYPE TEXT", "NUMERIC(10,0)",
	} {
		if got := ReadType(declared); !cmp.Equal(got, metadata.Type(metadata.Raw{SQL: declared})) {
			t.Errorf("ReadType(%q) = %#v, want it raw", declared, got)
		}
	}
}

func TestDefaultsRoundTrip(t *testing.T) {
	for _, d := range []metadata.Default{
		metadata.StringLiteral{Value: ""}, metadata.StringLiteral{Value: "it's"}, metadata.StringLiteral{Value: "(x)"},
		metadata.StringLiteral{Value: "'"}, metadata.StringLiteral{Value: "1"}, metadata.StringLiteral{Value: "TRUE"},
		metadata.NumberLiteral{Value: "0"}, metadata.NumberLiteral{Value: "-1.50"}, metadata.NumberLiteral{Value: "1e-3"},
		metadata.BoolLiteral{Value: true}, metadata.BoolLiteral{Value: false},
		metadata.Expr{SQL: "CURRENT_TIMESTAMP"}, metadata.Expr{SQL: "current_date"}, metadata.Expr{SQL: "NULL"},
		metadata.Expr{SQL: "1"}, metadata.Expr{SQL: "'x'"}, metadata.Expr{SQL: "TRUE"}, metadata.Expr{SQL: "(1)"},
		metadata.Expr{SQL: "(1) + (2)"}, metadata.Expr{SQL: "datetime('now')"}, metadata.Expr{SQL: "X'00ff'"},
		metadata.Expr{SQL: `"quoted"`}, metadata.Expr{SQL: "+3"}, metadata.Expr{SQL: "0x1F"}, metadata.Expr{SQL: "')' || x"},
	} {
		s, err := FormatDefault(d)
		if err != nil {
			t.Fatalf("%#v: %v", d, err)
		}
		if got := ReadDefault(s); !cmp.Equal(got, d) {
			t.Errorf("%#v is written %s, which reads back as %#v", d, s, got)
		}
	}
}

func TestCheck(t *testing.T) {
	id := metadata.Column{Name: "id", Type: metadata.Integer{Bytes: 4}}
	bigAuto := metadata.Column{Name: "id", Type: metadata.Integer{Bytes: 8}, Autoincrement: true}
	auto := metadata.Column{Name: "id", Type: metadata.Integer{Bytes: 4}, Autoincrement: true}
	m := &metadata.MetaData{
		Extensions: []metadata.Extension{{Name: "pgcrypto"}},
		Schemas:    []metadata.Schema{{Name: "audit"}},
		Enums:      []metadata.Enum{{Name: "mood", Values: []string{"ok"}}},
		Domains:    []metadata.Domain{{Name: "posint", Type: metadata.Integer{Bytes: 4}}},
		Sequences:  []metadata.Sequence{{Name: "seq"}},
		Functions:  []metadata.Function{{Name: "f", Definition: "CREATE FUNCTION f() ..."}},
		Tables: []metadata.Table{
			{
				Schema: "audit", Name: "log", Comment: "the log", PartitionBy: "RANGE (id)", RowLevelSecurity: true,
				Columns:    []metadata.Column{{Name: "id", Type: metadata.Integer{Bytes: 4}, Identity: &metadata.Identity{}, Comment: "c", Collation: "en_US"}},
				Exclusions: []metadata.Exclusion{{Definition: "EXCLUDE USING gist (id WITH =)"}},
				Policies:   []metadata.Policy{{Name: "p"}},
				Uniques:    []metadata.Unique{{Columns: []string{"id"}, NullsNotDistinct: true}},
				Indexes: []metadata.Index{{
					Name: "ix", Method: "gin", Include: []string{"id"}, Comment: "c",
					Parts: []metadata.IndexPart{{Column: "id", Nulls: "first", OpClass: "int4_ops", Collation: "C"}},
				}},
			},
			{Name: "child", Columns: []metadata.Column{id}, PartitionOf: &metadata.PartitionOf{Parent: metadata.TableRef{Name: "log"}, Bound: "DEFAULT"}, Inherits: []metadata.TableRef{{Name: "log"}},
				ForeignKeys: []metadata.ForeignKey{{Columns: []string{"id"}, References: metadata.ForeignKeyTarget{Schema: "audit", Table: "log", Columns: []string{"id"}}, Match: "full"}}},
			{Name: "strict", Strict: true, Columns: []metadata.Column{
				{Name: "a", Type: metadata.String{Length: 5}}, {Name: "b", Type: metadata.Raw{}}, {Name: "c", Type: metadata.Raw{SQL: "real"}},
				{Name: "d", Type: metadata.Integer{Bytes: 4}}, {Name: "e", Type: metadata.Binary{}}, {Name: "f", Type: metadata.Text{}},
			}},
			{Name: "big_auto", Columns: []metadata.Column{bigAuto}, PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}}},
			{Name: "auto_not_pk", Columns: []metadata.Column{auto}},
			{Name: "auto_wr", WithoutRowID: true, Columns: []metadata.Column{auto}, PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}}},
			{Name: "wr_no_pk", WithoutRowID: true, Columns: []metadata.Column{id}},
			{Name: "fine", Columns: []metadata.Column{auto, {Name: "n", Type: metadata.Text{}, Collation: "nocase"}}, PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}},
				ForeignKeys: []metadata.ForeignKey{{Columns: []string{"id"}, References: metadata.ForeignKeyTarget{Table: "fine", Columns: []string{"id"}}, Deferrable: true, InitiallyDeferred: true, Match: "simple"}}},
		},
		Views: []metadata.View{{Schema: "audit", Name: "mv", Materialized: true, CheckOption: "local", Comment: "c", Definition: "SELECT 1"}},
		Triggers: []metadata.Trigger{
			{Schema: "audit", Name: "tr", Table: "log", Comment: "c", Definition: "CREATE TRIGGER tr ..."},
			{Name: "lower", Table: "log", Definition: "create trigger lower ..."},
			{Name: "ine", Table: "log", Definition: "CREATE TRIGGER IF NOT EXISTS ine ..."},
			{Name: "named", Table: "log", Definition: "CREATE TRIGGER other ..."},
			{Name: `q"uoted`, Table: "log", Definition: `CREATE TRIGGER "q""uoted" AFTER ...`},
			{Name: "Ünï", Table: "log", Definition: "CREATE TRIGGER Ünï AFTER ..."},
			{Name: "b r", Table: "log", Definition: "CREATE TRIGGER [b r] AFTER ..."},
		},
	}
	err := Dialect{}.Check(m)
	ps, ok := err.(metadata.Problems)
	if !ok {
		t.Fatalf("err = %v, want metadata.Problems", err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Path)
		if p.Object == "" || p.Message == "" {
			t.Errorf("problem without object or message: %+v", p)
		}
	}
	want := []string{
		"extensions[0]", "schemas[0]", "enums[0]", "domains[0]", "sequences[0]", "functions[0]",
		"tables[0].schema", "tables[0].comment", "tables[0].partition_by", "tables[0].row_level_security",
		"tables[0].policies", "tables[0].exclusions",
		"tables[0].columns[0].comment", "tables[0].columns[0].collation", "tables[0].columns[0].identity",
		"tables[0].uniques[0].nulls_not_distinct",
		"tables[0].indexes[0].comment", "tables[0].indexes[0].method", "tables[0].indexes[0].include",
		"tables[0].indexes[0].columns[0].nulls", "tables[0].indexes[0].columns[0].opclass", "tables[0].indexes[0].columns[0].collation",
		"tables[1].partition_of", "tables[1].inherits",
		"tables[1].foreign_keys[0].references.schema", "tables[1].foreign_keys[0].match",
		"tables[2].columns[0].type", "tables[2].columns[1].type",
		"tables[3].columns[0].autoincrement", "tables[4].columns[0].autoincrement",
		"tables[5].columns[0].autoincrement", "tables[6].without_rowid",
		"views[0].schema", "views[0].materialized", "views[0].check_option", "views[0].comment",
		"triggers[0].schema", "triggers[0].comment",
		"triggers[1].definition", "triggers[2].definition", "triggers[3].definition",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problem paths (-want +got):\n%s\n%v", diff, err)
	}
	if !strings.Contains(err.Error(), "STRICT") || !strings.Contains(err.Error(), `"en_US"`) {
		t.Errorf("messages do not explain:\n%v", err)
	}
}
