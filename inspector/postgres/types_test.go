package postgres

import (
	"testing"

	pgddl "github.com/dbtool/dbtool/ddl/postgres"
	"github.com/dbtool/dbtool/metadata"
)

func TestColumnType(t *testing.T) {
	for _, c := range []struct {
		formatted string
		want      metadata.Type
	}{
		{"smallint", metadata.Integer{Bytes: 2}},
		{"integer", metadata.Integer{Bytes: 4}},
		{"bigint", metadata.Integer{Bytes: 8}},
		{"character varying(255)", metadata.String{Length: 255}},
		{"character varying", metadata.String{}},
		{"character(3)", metadata.Char{Length: 3}},
		{"bpchar", metadata.Char{}},
		{"text", metadata.Text{}},
		{"boolean", metadata.Boolean{}},
		{"numeric(10,2)", metadata.Numeric{Precision: 10, Scale: 2}},
		{"numeric(10,0)", metadata.Numeric{Precision: 10}},
		{"numeric", metadata.Numeric{}},
		{"real", metadata.Float{Bytes: 4}},
		{"double precision", metadata.Float{Bytes: 8}},
		{"date", metadata.Date{}},
		{"time without time zone", metadata.Time{Precision: -1}},
		{"time(0) without time zone", metadata.Time{Precision: 0}},
		{"time with time zone", metadata.Time{TZ: true, Precision: -1}},
		{"timestamp(3) without time zone", metadata.Timestamp{Precision: 3}},
		{"timestamp with time zone", metadata.Timestamp{TZ: true, Precision: -1}},
		{"timestamp(6) with time zone", metadata.Timestamp{TZ: true, Precision: 6}},
		{"uuid", metadata.UUID{}},
		{"json", metadata.JSON{}},
		{"bytea", metadata.Binary{}},
		// Not portable: kept as the server spells them.
		{"jsonb", metadata.Raw{SQL: "jsonb"}},
		{"interval", metadata.Raw{SQL: "interval"}},
		{"integer[]", metadata.Raw{SQL: "integer[]"}},
		{"character varying(20)[]", metadata.Raw{SQL: "character varying(20)[]"}},
		{"inet", metadata.Raw{SQL: "inet"}},
		{"sales.order_status", metadata.Raw{SQL: "sales.order_status"}},
		{`"My Schema"."Size ""Label"""`, metadata.Raw{SQL: `"My Schema"."Size ""Label"""`}},
		{"interval day to second", metadata.Raw{SQL: "interval day to second"}},
		{"bit varying(5)", metadata.Raw{SQL: "bit varying(5)"}},
	} {
		got := pgddl.ReadType(c.formatted)
		if got != c.want {
			t.Errorf("ReadType(%q) = %#v, want %#v", c.formatted, got, c.want)
		}
	}
}

func TestColumnDefault(t *testing.T) {
	for _, c := range []struct {
		expr, typ, cat string
		want           metadata.Default
	}{
		{"true", "boolean", "B", metadata.BoolLiteral{Value: true}},
		{"false", "boolean", "B", metadata.BoolLiteral{Value: false}},
		{"0", "integer", "N", metadata.NumberLiteral{Value: "0"}},
		{"'-1'::integer", "integer", "N", metadata.NumberLiteral{Value: "-1"}},
		{"'-1'::integer", "smallint", "N", metadata.NumberLiteral{Value: "-1"}},
		{"'-1.5'::numeric", "real", "N", metadata.NumberLiteral{Value: "-1.5"}},
		{"'-1.5'::numeric", "text", "S", metadata.Expr{SQL: "'-1.5'::numeric"}},
		{"1.50", "numeric(5,2)", "N", metadata.NumberLiteral{Value: "1.50"}},
		{"'0'::numeric", "numeric(5,2)", "N", metadata.NumberLiteral{Value: "0"}},
		{"'1.5'::double precision", "double precision", "N", metadata.NumberLiteral{Value: "1.5"}},
		{"'x'::character varying", "character varying(20)", "S", metadata.StringLiteral{Value: "x"}},
		{"'it''s'::text", "text", "S", metadata.StringLiteral{Value: "it's"}},
		{"'abc'::bpchar", "character(3)", "S", metadata.StringLiteral{Value: "abc"}},
		{"''::text", "text", "S", metadata.StringLiteral{Value: ""}},
		{"'{}'::jsonb", "jsonb", "U", metadata.StringLiteral{Value: "{}"}},
		{"'{}'::integer[]", "integer[]", "A", metadata.StringLiteral{Value: "{}"}},
		{"'ok'::mood", "mood", "E", metadata.StringLiteral{Value: "ok"}},
		{"'-1'::text", "text", "S", metadata.StringLiteral{Value: "-1"}},
		{`E'a\\b'::text`, "text", "S", metadata.StringLiteral{Value: `a\b`}},
		{"NULL::character varying", "character varying(5)", "S", metadata.Expr{SQL: "NULL"}},
		{"now()", "timestamp with time zone", "D", metadata.Expr{SQL: "now()"}},
		{"CURRENT_TIMESTAMP", "timestamp with time zone", "D", metadata.Expr{SQL: "CURRENT_TIMESTAMP"}},
		{"nextval('s'::regclass)", "integer", "N", metadata.Expr{SQL: "nextval('s'::regclass)"}},
		// A constant of another type is an expression.
		{"'1 day'::interval", "timestamp without time zone", "D", metadata.Expr{SQL: "'1 day'::interval"}},
		{"'a'::text || 'b'::text", "text", "S", metadata.Expr{SQL: "'a'::text || 'b'::text"}},
		{"(1 + 2)", "integer", "N", metadata.Expr{SQL: "(1 + 2)"}},
	} {
		if got := columnDefault(c.expr, c.typ, c.cat); got != c.want {
			t.Errorf("columnDefault(%q, %q) = %#v, want %#v", c.expr, c.typ, got, c.want)
		}
	}
}

func TestStripParens(t *testing.T) {
	for in, want := range map[string]string{
		"(a + b)":             "a + b",
		"((a > 0))":           "a > 0",
		"(a) + (b)":           "(a) + (b)",
		"lower(email)":        "lower(email)",
		"(x = ')')":           "x = ')'",
		`("a)" > 0)`:          `"a)" > 0`,
		"(a > 0) AND (b > 0)": "(a > 0) AND (b > 0)",
	} {
		if got := stripParens(in); got != want {
			t.Errorf("stripParens(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIndexKeys(t *testing.T) {
	def := `CREATE UNIQUE INDEX "a, b" ON public."t (x)" USING btree (lower((title)::text) COLLATE "C", id DESC, ((a || ', '::text) || b) COLLATE "POSIX" text_pattern_ops) INCLUDE (z) WHERE (x <> 'a)'::text)`
	want := []string{`lower((title)::text) COLLATE "C"`, `id DESC`, `((a || ', '::text) || b) COLLATE "POSIX" text_pattern_ops`}
	got := indexKeys(def)
	if len(got) != len(want) {
		t.Fatalf("indexKeys = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("key %d = %q, want %q", i, got[i], want[i])
		}
	}
	for key, want := range map[string]bool{
		`lower((title)::text) COLLATE "C"`: true,
		`lower((title)::text)`:             false,
		`lower((title COLLATE "C"))`:       false, // inside the expression: the expression's own
		`(x || ' COLLATE '::text)`:         false,
	} {
		if got := hasCollate(key); got != want {
			t.Errorf("hasCollate(%q) = %v, want %v", key, got, want)
		}
	}
	if indexKeys("") != nil {
		t.Error("no definition has keys")
	}
}
