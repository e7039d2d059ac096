package metadata

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParseSugarAndDefaults(t *testing.T) {
	m, err := Parse("s.yaml", []byte(`
tables:
  - name: users
    columns:
      - {name: id, type: integer, primary_key: true, autoincrement: true}
      - {name: email, type: varchar(255), nullable: false, unique: true}
      - {name: n, type: integer, default: 0}
      - {name: f, type: double, default: -1.50}
      - {name: s, type: text, default: "0"}
      - {name: b, type: boolean, default: false}
      - {name: c, type: timestamp, default: {expr: CURRENT_TIMESTAMP}}
      - {name: raw, type: INT}
      - {name: none, type: ""}
    indexes:
      - {name: ix, unique: true, columns: [{expr: lower(email), desc: true}, n], where: "email IS NOT NULL"}
  - name: pair
    primary_key: [a, b]
    columns:
      - {name: a, type: integer}
      - {name: b, type: integer, nullable: true}
    foreign_keys:
      - {columns: [a], references: {table: users, columns: [id]}, on_delete: CASCADE, on_update: No Action}
`))
	if err != nil {
		t.Fatal(err)
	}
	want := &MetaData{Tables: []Table{
		{
			Name: "users",
			Columns: []Column{
				{Name: "id", Type: Integer{Bytes: 4}, Autoincrement: true},
				{Name: "email", Type: String{Length: 255}},
				{Name: "n", Type: Integer{Bytes: 4}, Nullable: true, Default: NumberLiteral{Value: "0"}},
				{Name: "f", Type: Float{Bytes: 8}, Nullable: true, Default: NumberLiteral{Value: "-1.50"}},
				{Name: "s", Type: Text{}, Nullable: true, Default: StringLiteral{Value: "0"}},
				{Name: "b", Type: Boolean{}, Nullable: true, Default: BoolLiteral{Value: false}},
				{Name: "c", Type: Timestamp{Precision: -1}, Nullable: true, Default: Expr{SQL: "CURRENT_TIMESTAMP"}},
				{Name: "raw", Type: Raw{SQL: "INT"}, Nullable: true},
				{Name: "none", Type: Raw{}, Nullable: true},
			},
			PrimaryKey: &PrimaryKey{Columns: []string{"id"}},
			Uniques:    []Unique{{Columns: []string{"email"}}},
			Indexes: []Index{{Name: "ix", Unique: true, Where: "email IS NOT NULL",
				Parts: []IndexPart{{Expr: "lower(email)", Desc: true}, {Column: "n"}}}},
		},
		{
			Name:       "pair",
			PrimaryKey: &PrimaryKey{Columns: []string{"a", "b"}},
			Columns: []Column{
				{Name: "a", Type: Integer{Bytes: 4}},
				{Name: "b", Type: Integer{Bytes: 4}, Nullable: true},
			},
			ForeignKeys: []ForeignKey{{Columns: []string{"a"}, OnDelete: Cascade, OnUpdate: NoAction,
				References: ForeignKeyTarget{Table: "users", Columns: []string{"id"}}}},
		},
	}}
	if diff := cmp.Diff(want, m); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	// Encoding and reading back gives the same model, in YAML and JSON.
	y, err := EncodeYAML(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("back.yaml", y)
	if err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	if diff := cmp.Diff(m, back); diff != "" {
		t.Errorf("YAML round trip (-want +got):\n%s\n%s", diff, y)
	}
	j, err := EncodeJSON(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err = Parse("back.json", j)
	if err != nil {
		t.Fatalf("%v\n%s", err, j)
	}
	if diff := cmp.Diff(m, back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s\n%s", diff, j)
	}
}

// TestEncodeRoundTripEverything encodes a model using every field and
// reads it back.
func TestEncodeRoundTripEverything(t *testing.T) {
	one := int64(1)
	m := &MetaData{
		Extensions: []Extension{{Name: "citext", Schema: "ext"}},
		Schemas:    []Schema{{Name: "ext"}, {Name: "audit", Comment: "audit trail"}},
		Enums:      []Enum{{Schema: "audit", Name: "mood", Values: []string{"sad", "ok", "yes"}, Comment: "c"}},
		Domains: []Domain{{Name: "year", Type: Integer{Bytes: 4}, NotNull: true, Default: NumberLiteral{Value: "2000"},
			Collation: "", Checks: []Check{{Name: "year_check", Expr: "VALUE >= 1901"}}}},
		Sequences: []Sequence{{Name: "s", Type: Integer{Bytes: 8}, Start: &one, Increment: &one, Cycle: true, OwnedBy: "t.id"}},
		Functions: []Function{{Name: "f", Args: "integer", Kind: "function",
			Definition: "CREATE OR REPLACE FUNCTION public.f(integer)\n RETURNS integer\n LANGUAGE sql\nAS $function$ SELECT $1 $function$"}},
		Tables: []Table{{
			Name: "t",
			Columns: []Column{
				{Name: "id", Type: Integer{Bytes: 8}, Identity: &Identity{Always: true, Start: &one}},
				{Name: "g", Type: Integer{Bytes: 4}, Nullable: true, Generated: &Generated{Expr: "id * 2", Stored: true}, Comment: "twice"},
				{Name: "name", Type: Text{}, Nullable: true, Collation: "C", RenamedFrom: "title", Default: StringLiteral{Value: "it's"}},
				{Name: "when", Type: Timestamp{TZ: true, Precision: 3}, Nullable: true, Default: Expr{SQL: "now()"}},
			},
			PrimaryKey:  &PrimaryKey{Name: "t_pk", Columns: []string{"id"}},
			ForeignKeys: []ForeignKey{{Name: "fk", Columns: []string{"id"}, References: ForeignKeyTarget{Table: "t", Columns: []string{"id"}}, Deferrable: true, InitiallyDeferred: true, Match: "full", OnDelete: SetNull}},
			Uniques:     []Unique{{Name: "u", Columns: []string{"name"}, NullsNotDistinct: true}},
			Checks:      []Check{{Expr: "id > 0"}},
			Exclusions:  []Exclusion{{Name: "x", Definition: "EXCLUDE USING gist (id WITH =)"}},
			Indexes: []Index{{Name: "ix", Method: "btree", Parts: []IndexPart{{Column: "name", Desc: true, Nulls: "last", Collation: "C", OpClass: "text_pattern_ops"}},
				Include: []string{"g"}, Where: "id > 1", Comment: "ci"}},
			Comment: "the table", PartitionBy: "RANGE (id)",
			RowLevelSecurity: true, ForceRowLevelSecurity: true,
			Policies:    []Policy{{Name: "p", Command: "select", Restrictive: true, Roles: []string{"app_user"}, Using: "true", WithCheck: "true"}},
			RenamedFrom: "old_t",
		}, {
			Name: "t_1", PartitionOf: &PartitionOf{Parent: TableRef{Name: "t"}, Bound: "FOR VALUES FROM (0) TO (10)"},
			Inherits: nil,
		}, {
			Name: "kid", Columns: []Column{{Name: "x", Type: Raw{SQL: "integer[]"}, Nullable: true}},
			Inherits: []TableRef{{Name: "t"}}, WithoutRowID: false,
		}, {
			Name: "notes", Columns: []Column{{Name: "a", Type: Text{}, NotNullOnConflict: ConflictFail}, {Name: "b", Type: Text{}}},
			PrimaryKey: &PrimaryKey{Columns: []string{"a", "b"}, ColumnOptions: []KeyColumnOption{{Column: "b", Collation: "NOCASE", Desc: true}}, OnConflict: ConflictReplace},
			Uniques:    []Unique{{Columns: []string{"b"}, ColumnOptions: []KeyColumnOption{{Column: "b", Desc: true}}, OnConflict: ConflictIgnore}},
		}},
		VirtualTables: []VirtualTable{{Name: "docs", Using: "fts5(title, body)"}},
		Views: []View{{Name: "v", Columns: []string{"a"}, Definition: "SELECT t.id\n   FROM t;", Materialized: true,
			Indexes: []Index{{Name: "v_ix", Parts: []IndexPart{{Column: "a"}}}}, Comment: "mv"}},
		Triggers: []Trigger{{Name: "trg", Table: "t", Definition: "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()"}},
	}
	for _, enc := range []struct {
		file string
		fn   func(*MetaData) ([]byte, error)
	}{{"m.yaml", EncodeYAML}, {"m.json", EncodeJSON}, {"w.json", writeJSONToWriter}} {
		b, err := enc.fn(m)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(enc.file, b)
		if err != nil {
			t.Fatalf("%s: %v\n%s", enc.file, err, b)
		}
		if diff := cmp.Diff(m, back); diff != "" {
			t.Errorf("%s round trip (-want +got):\n%s\n%s", enc.file, diff, b)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, file, content string
		want                []string
	}{
		{"malformed yaml", "s.yaml", "tables:\n  - name: a\n   columns: x\n", []string{"s.yaml:3:4: malformed YAML"}},
		{"malformed json", "s.json", "{\n  \"tables\": [\n    {\"name\": \"a\",, }\n  ]\n}\n", []string{"s.json:3:18: malformed JSON"}},
		{"unknown key", "s.yaml", "tables:\n  - name: a\n    columns:\n      - {name: id, type: integer, nulable: false}\n",
			[]string{`s.yaml:4:35: unknown key "nulable" (did you mean "nullable"?)`}},
		{"bad type args", "s.yaml", "tables:\n  - name: a\n    columns:\n      - {name: id, type: varchar(x)}\n",
			[]string{`s.yaml:4:26: type "varchar(x)": arguments must be whole numbers`}},
		{"wrong value kind", "s.yaml", "tables:\n  - name: a\n    columns:\n      - {name: id, type: integer, nullable: maybe}\n",
			[]string{`s.yaml:4:45: nullable: expected true or false, found the string "maybe"`}},
		{"missing type", "s.yaml", "tables:\n  - name: a\n    columns:\n      - {name: id}\n",
			[]string{`s.yaml:4:9: missing required key "type"`}},
		{"null default", "s.yaml", "tables:\n  - name: a\n    columns:\n      - {name: id, type: integer, default: null}\n",
			[]string{`s.yaml:4:44: default: null is ambiguous`}},
		{"every validation problem at once", "s.yaml", `tables:
  - name: users
    columns:
      - {name: id, type: integer}
      - {name: id, type: text}
      - {name: "", type: text}
    indexes:
      - {name: ix, columns: [nope]}
    foreign_keys:
      - {columns: [id], references: {table: ghost, columns: [id]}}
      - {columns: [id], references: {table: users, columns: [missing]}}
    primary_key: [absent]
  - name: users
    columns: [{name: x, type: integer}]
  - name: ` + strings.Repeat("x", 64) + `
    columns: [{name: x, type: integer}]
`, []string{
			`s.yaml:5:16: column "users"."id": duplicate name "id" (first defined at s.yaml:4:9)`,
			`s.yaml:6:16: column "users"."": name is empty`,
			`s.yaml:8:30: index "ix" on "users": names column "nope", which table "users" does not have`,
			`s.yaml:10:45: foreign key (id) on table "users": references table "ghost", which is not declared`,
			`s.yaml:11:62: foreign key (id) on table "users": references column "users"."missing", which is not declared`,
			`s.yaml:12:19: table "users": primary key names column "absent", which table "users" does not have`,
			`s.yaml:13:5: table "users": duplicate name "users" (first defined at s.yaml:2:5)`,
			`name is 64 bytes long; the limit is 63`,
		}},
		{"conflict clauses", "s.yaml", `tables:
  - name: a
    columns:
      - {name: id, type: integer, not_null_on_conflict: replace}
      - {name: x, type: text, not_null_on_conflict: REPLACE}
      - {name: y, type: text, nullable: false, not_null_on_conflict: sometimes}
    primary_key: {columns: [id], on_conflict: ignore, column_options: [{column: x, desc: true}]}
    uniques:
      - {columns: [x, y], column_options: [{column: y}, {column: y}]}
`, []string{
			`s.yaml:5:53: column "a"."x": not_null_on_conflict needs nullable: false`,
			`s.yaml:6:70: column "a"."y": not_null_on_conflict must be rollback, abort, fail, ignore or replace, not "sometimes"`,
			`s.yaml:7:81: table "a": column_options names column "x", which is not in the primary key`,
			`s.yaml:9:66: table "a": column_options names column "y" twice`,
		}},
		{"a typo does not hide other problems", "s.yaml", `tables:
  - name: a
    columns:
      - {name: id, type: integer, nulable: false}
    indexes:
      - {name: ix, columns: [nope]}
`, []string{`unknown key "nulable"`, `names column "nope"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.file, []byte(c.content))
			if err == nil {
				t.Fatal("no error")
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("error %T is not Problems: %v", err, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q; got:\n%v", w, err)
				}
			}
		})
	}
}

func TestLoadDirectoryMerges(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "1-users.yaml", "tables:\n  - name: users\n    columns: [{name: id, type: integer, primary_key: true}]\n")
	write(t, dir, "2-posts.json", `{"tables": [{"name": "posts", "columns": [{"name": "id", "type": "integer"}, {"name": "user_id", "type": "integer"}],
  "foreign_keys": [{"columns": ["user_id"], "references": {"table": "users", "columns": ["id"]}}]}]}`)
	write(t, dir, "notes.txt", "not a schema")
	m, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Tables) != 2 || m.Tables[0].Name != "users" || m.Tables[1].Name != "posts" {
		t.Fatalf("tables = %+v", m.Tables)
	}

	// A duplicate across files names both places.
	p3 := write(t, dir, "3-dup.yaml", "tables:\n  - name: other\n    columns: [{name: id, type: integer}]\n  - name: users\n    columns: [{name: id, type: integer}]\n")
	_, err = Load(dir)
	want := p3 + `:4:5: table "users": duplicate name "users" (first defined at ` + filepath.Join(dir, "1-users.yaml") + `:2:5)`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %v\nwant it to contain %s", err, want)
	}
	// Files given one by one merge the same way.
	if _, err := Load(filepath.Join(dir, "1-users.yaml"), p3); err == nil || !strings.Contains(err.Error(), "first defined at") {
		t.Fatalf("error = %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no .yaml") {
		t.Errorf("empty directory: %v", err)
	}
}

func TestCanonicalIgnoresDeclarationOrder(t *testing.T) {
	a, err := Parse("a.yaml", []byte(`
tables:
  - {name: b, columns: [{name: x, type: integer}], checks: [{expr: x > 1}, {expr: x < 9}]}
  - {name: a, columns: [{name: x, type: integer}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse("b.yaml", []byte(`
tables:
  - {name: a, columns: [{name: x, type: integer}]}
  - {name: b, columns: [{name: x, type: integer}], checks: [{expr: x < 9}, {expr: x > 1}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Canonical(a), Canonical(b)); diff != "" {
		t.Errorf("(-a +b):\n%s", diff)
	}
	if a.Tables[0].Name != "b" {
		t.Error("Canonical changed its argument")
	}
}

func TestParseJSONTrailingGarbage(t *testing.T) {
	_, err := Parse("s.json", []byte("{\"tables\": []}\n}\n"))
	if err == nil || !strings.Contains(err.Error(), "s.json:2:1: malformed JSON") {
		t.Fatalf("error = %v", err)
	}
}

func TestParseNormalisesDefaults(t *testing.T) {
	m, err := Parse("s.yaml", []byte(`
tables:
  - name: t
    columns:
      - {name: id, type: bigint, autoincrement: true}
      - {name: n, type: integer, identity: {always: true}}
      - {name: m, type: integer, identity: {}, nullable: true}
      - {name: ref, type: bigint}
    foreign_keys: [{columns: [ref], references: {table: t, columns: [id]}, match: SIMPLE}]
    policies: [{name: p, roles: [PUBLIC]}]
`))
	if err != nil {
		t.Fatal(err)
	}
	tb := m.Tables[0]
	if tb.Columns[0].Nullable || tb.Columns[1].Nullable || !tb.Columns[2].Nullable || !tb.Columns[3].Nullable {
		t.Errorf("nullable defaults: %+v", tb.Columns)
	}
	if tb.ForeignKeys[0].Match != "" || tb.Policies[0].Roles != nil {
		t.Errorf("match %q, roles %v: want the defaults", tb.ForeignKeys[0].Match, tb.Policies[0].Roles)
	}
	y, _ := EncodeYAML(m)
	if strings.Count(string(y), "nullable") != 1 {
		t.Errorf("only column m differs from its default nullability:\n%s", y)
	}
}

func TestRawTypeKeptExactly(t *testing.T) {
	m := &MetaData{Tables: []Table{{Name: "t", Columns: []Column{
		{Name: "a", Type: Raw{SQL: "DECIMAL(4,2)"}, Nullable: true},
		{Name: "b", Type: Raw{SQL: "NUMERIC(10, 2)"}, Nullable: true},
		{Name: "c", Type: Raw{SQL: "INT"}, Nullable: true},
		{Name: "d", Type: Numeric{Precision: 4, Scale: 2}, Nullable: true},
		// SQLite's DATETIME reads as SQLAlchemy's DateTime, a timestamp:
		// as a raw type it must be written as one.
		{Name: "e", Type: Raw{SQL: "DATETIME"}, Nullable: true},
	}}}}
	y, err := EncodeYAML(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`type: {raw: "DECIMAL(4,2)"}`, `type: {raw: "NUMERIC(10, 2)"}`, `type: INT`, `type: numeric(4,2)`, `type: {raw: DATETIME}`} {
		if !strings.Contains(string(y), want) {
			t.Errorf("YAML lacks %q:\n%s", want, y)
		}
	}
	back, err := Parse("t.yaml", y)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, back); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := Parse("t.yaml", []byte("tables: [{name: t, columns: [{name: a, type: {raw: x, y: z}}]}]")); err == nil || !strings.Contains(err.Error(), "{raw: TYPE}") {
		t.Errorf("bad raw mapping: %v", err)
	}
}

func TestValidateInheritedColumns(t *testing.T) {
	ok := `
tables:
  - name: payment
    columns: [{name: id, type: integer}, {name: amount, type: integer}]
  - name: payment_2024
    inherits: [{table: payment}]
    checks: [{expr: "amount > 0"}]
    indexes: [{name: ix_p24_amount, columns: [amount]}]
    primary_key: [id]
  - name: refund
    columns: [{name: pid, type: integer}]
    foreign_keys: [{columns: [pid], references: {table: payment_2024, columns: [id]}}]
`
	if _, err := Parse("ok.yaml", []byte(ok)); err != nil {
		t.Fatalf("a child may use its parents' columns: %v", err)
	}
	bad := strings.Replace(ok, "columns: [amount]", "columns: [missing]", 1)
	if _, err := Parse("bad.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), `names column "missing"`) {
		t.Fatalf("a column neither own nor inherited: %v", err)
	}
}

func TestCanonicalSequenceDefaults(t *testing.T) {
	one, big, start := int64(1), int64(1<<63-1), int64(100)
	spelled := &MetaData{Sequences: []Sequence{{Schema: "s", Name: "q", Type: Integer{Bytes: 8}, Increment: &one, Cache: &one,
		Start: &one, MinValue: &one, MaxValue: &big, OwnedBy: "s.t.id"}, {Name: "r", Start: &start}}}
	unset := &MetaData{Sequences: []Sequence{{Schema: "s", Name: "q", OwnedBy: "t.id"}, {Name: "r", Start: &start}}}
	if diff := cmp.Diff(Canonical(unset), Canonical(spelled)); diff != "" {
		t.Errorf("(-unset +spelled):\n%s", diff)
	}
	minus := int64(-1)
	desc := &MetaData{Sequences: []Sequence{{Name: "d", Increment: &minus, Start: &minus}}}
	if got := Canonical(desc).Sequences[0]; got.Start != nil || got.Increment == nil {
		t.Errorf("a descending sequence starts at -1 by default and keeps its increment: %+v", got)
	}
}

func TestCanonicalDefaults(t *testing.T) {
	table := func(d Default) *MetaData {
		return &MetaData{Tables: []Table{{Name: "t", Columns: []Column{{Name: "c", Type: Numeric{}, Nullable: true, Default: d}}}}}
	}
	for _, pair := range [][2]Default{
		{NumberLiteral{Value: "1.50"}, NumberLiteral{Value: "1.5"}},
		{NumberLiteral{Value: "1.5e10"}, NumberLiteral{Value: "15000000000"}},
		{NumberLiteral{Value: "-0.0"}, NumberLiteral{Value: "0"}},
		{NumberLiteral{Value: "2.5E-3"}, NumberLiteral{Value: "0.0025"}},
		{Expr{SQL: "NULL"}, nil},
		{Expr{SQL: " null "}, nil},
		{Expr{SQL: "now() "}, Expr{SQL: "now()"}},
	} {
		if diff := cmp.Diff(Canonical(table(pair[0])), Canonical(table(pair[1]))); diff != "" {
			t.Errorf("%v and %v differ:\n%s", pair[0], pair[1], diff)
		}
	}
	for _, pair := range [][2]Default{
		{NumberLiteral{Value: "1.5"}, NumberLiteral{Value: "1.05"}},
		{NumberLiteral{Value: "1"}, StringLiteral{Value: "1"}},
		{Expr{SQL: "NULL"}, StringLiteral{Value: "NULL"}},
	} {
		if cmp.Equal(Canonical(table(pair[0])), Canonical(table(pair[1]))) {
			t.Errorf("%v and %v compare equal", pair[0], pair[1])
		}
	}
}

func TestCanonicalTrimsSQL(t *testing.T) {
	a := &MetaData{Views: []View{{Name: "v", Definition: "SELECT 1\n"}},
		Tables: []Table{{Name: "t", Columns: []Column{{Name: "c", Type: Text{}}}, Checks: []Check{{Expr: " c <> '' "}}}}}
	b := &MetaData{Views: []View{{Name: "v", Definition: "SELECT 1"}},
		Tables: []Table{{Name: "t", Columns: []Column{{Name: "c", Type: Text{}}}, Checks: []Check{{Expr: "c <> ''"}}}}}
	if diff := cmp.Diff(Canonical(a), Canonical(b)); diff != "" {
		t.Errorf("(-a +b):\n%s", diff)
	}
	if a.Views[0].Definition != "SELECT 1\n" {
		t.Error("Canonical changed its argument")
	}
}

// TestLoadReadsEachFileOnce checks that a file named twice, as the same
// path, another spelling of it, or through its directory, is read once
// rather than clashing with itself; and that upper-case extensions count.
func TestLoadReadsEachFileOnce(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "s.yaml", "tables:\n  - name: users\n    columns: [{name: id, type: integer}]\n")
	write(t, dir, "T.YAML", "tables:\n  - name: upper\n    columns: [{name: id, type: integer}]\n")
	write(t, dir, "U.YML", "tables:\n  - name: upper_yml\n    columns: [{name: id, type: integer}]\n")
	write(t, dir, "V.JSON", `{"tables": [{"name": "upper_json", "columns": [{"name": "id", "type": "integer"}]}]}`)
	t.Chdir(dir)
	m, err := Load(p, "s.yaml", "./s.yaml", "../"+filepath.Base(dir)+"/s.yaml", dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range m.Tables {
		names = append(names, tb.Name)
	}
	// s.yaml first (as named first), then the rest of the directory in
	// name order.
	if want := []string{"users", "upper", "upper_yml", "upper_json"}; !cmp.Equal(names, want) {
		t.Errorf("tables = %v, want %v", names, want)
	}
}

func TestLoadFromStdin(t *testing.T) {
	dir := t.TempDir()
	other := write(t, dir, "other.yaml", "tables:\n  - name: other\n    columns: [{name: id, type: integer}]\n")
	for name, c := range map[string]struct{ in, err string }{
		"yaml":     {in: "tables:\n  - name: t\n    columns: [{name: id, type: integer}]\n"},
		"json":     {in: `{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer"}]}]}`},
		"bad yaml": {in: "tables:\n  - name: t\n    columns: [{name: id, typ: integer}]\n", err: `<stdin>:3:26: unknown key "typ"`},
		"bad json": {in: "{\"tables\": [{\"name\": \"t\",\n \"columns\": [}]}", err: "<stdin>:2:14: malformed JSON"},
	} {
		t.Run(name, func(t *testing.T) {
			m, err := LoadFrom(strings.NewReader(c.in), "-", other, "-")
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Tables) != 2 || m.Tables[0].Name != "t" || m.Tables[1].Name != "other" {
				t.Errorf("tables = %+v", m.Tables)
			}
		})
	}
	if _, err := Load("-"); err == nil || !strings.Contains(err.Error(), "no standard input") {
		t.Errorf("Load(\"-\") = %v", err)
	}
}

// TestExtensionKeys checks that x- keys at the top of a file are ignored,
// so that they can hold YAML anchors, and only there.
func TestExtensionKeys(t *testing.T) {
	m, err := Parse("s.yaml", []byte(`
x-columns:
  id: &id {name: id, type: bigint, primary_key: true}
  created: &created {name: created_at, type: timestamp, nullable: false}
tables:
  - {name: a, columns: [*id, *created]}
  - {name: b, columns: [*id]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Tables) != 2 || len(m.Tables[0].Columns) != 2 || m.Tables[1].PrimaryKey == nil {
		t.Errorf("tables = %+v", m.Tables)
	}
	_, err = Parse("s.yaml", []byte("tables:\n  - {name: a, x-note: hi, columns: [{name: id, type: integer}]}\n"))
	if err == nil || !strings.Contains(err.Error(), `s.yaml:2:15: unknown key "x-note"`) {
		t.Errorf("x- key inside a table: %v", err)
	}
}

// writeJSONToWriter is EncodeJSON through WriteJSON to a writer that is
// only an io.Writer, as a hash is.
func writeJSONToWriter(m *MetaData) ([]byte, error) {
	var w plainWriter
	err := WriteJSON(&w, m)
	return w.b, err
}

type plainWriter struct{ b []byte }

func (w *plainWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}
