package postgres

import (
	"strings"
	"testing"

	"github.com/dbtool/dbtool/metadata"
)

// portableTypes is every portable type in its interesting variants.
func portableTypes() []metadata.Type {
	return []metadata.Type{
		metadata.Integer{Bytes: 2}, metadata.Integer{Bytes: 4}, metadata.Integer{Bytes: 8},
		metadata.String{}, metadata.String{Length: 1}, metadata.String{Length: 255},
		metadata.Char{}, metadata.Char{Length: 1}, metadata.Char{Length: 3},
		metadata.Text{}, metadata.Boolean{},
		metadata.Numeric{}, metadata.Numeric{Precision: 7}, metadata.Numeric{Precision: 10, Scale: 2},
		metadata.Float{Bytes: 4}, metadata.Float{Bytes: 8},
		metadata.Date{},
		metadata.Time{Precision: -1}, metadata.Time{Precision: 0}, metadata.Time{Precision: 6},
		metadata.Time{TZ: true, Precision: -1}, metadata.Time{TZ: true, Precision: 3},
		metadata.Timestamp{Precision: -1}, metadata.Timestamp{Precision: 3},
		metadata.Timestamp{TZ: true, Precision: -1}, metadata.Timestamp{TZ: true, Precision: 0},
		metadata.UUID{}, metadata.JSON{}, metadata.Binary{},
	}
}

func TestFormatTypeSpellings(t *testing.T) {
	want := []string{
		"smallint", "integer", "bigint",
		"character varying", "character varying(1)", "character varying(255)",
		"bpchar", "character(1)", "character(3)",
		"text", "boolean",
		"numeric", "numeric(7,0)", "numeric(10,2)",
		"real", "double precision",
		"date",
		"time without time zone", "time(0) without time zone", "time(6) without time zone",
		"time with time zone", "time(3) with time zone",
		"timestamp without time zone", "timestamp(3) without time zone",
		"timestamp with time zone", "timestamp(0) with time zone",
		"uuid", "json", "bytea",
	}
	for i, typ := range portableTypes() {
		got, err := Dialect{}.FormatType(typ)
		if err != nil || got != want[i] {
			t.Errorf("FormatType(%v) = %q, %v; want %q", typ, got, err, want[i])
		}
		if back := ReadType(got); back != typ {
			t.Errorf("ReadType(%q) = %v, want %v", got, back, typ)
		}
	}
}

func TestReadTypeRaw(t *testing.T) {
	for _, s := range []string{
		"jsonb", "integer[]", "text[]", "character varying(20)[]", "numeric(10,2)[]", "interval",
		"interval second(3)", "inet", "public.mood", `"My Schema"."Size"`, "bit(3)", `"char"`,
		"character", "character varying(x)", "numeric(10)", "timestamp(3)", "time(3) with time", "double",
		"float", "varchar(10)", "int", "timestamptz",
	} {
		if got := ReadType(s); got != (metadata.Raw{SQL: s}) {
			t.Errorf("ReadType(%q) = %#v, want it raw", s, got)
		}
	}
}

func TestFormatTypeRaw(t *testing.T) {
	for _, ok := range []string{"jsonb", `"My Schema"."Size ""Label"""`, "character varying(20)[]", "numeric(10,2)[]", "ext.hstore", "text[][]"} {
		if got, err := formatType(metadata.Raw{SQL: ok}); err != nil || got != ok {
			t.Errorf("FormatType(raw %q) = %q, %v", ok, got, err)
		}
	}
	for _, bad := range []string{"", "  ", "int; DROP TABLE x", "text -- c", "text /* c */", "a(1", "a)", "a[", "x'y", `"open`, `a\b`} {
		if got, err := formatType(metadata.Raw{SQL: bad}); err == nil {
			t.Errorf("FormatType(raw %q) = %q, want an error", bad, got)
		}
	}
	if _, err := formatType(nil); err == nil {
		t.Error("FormatType(nil): no error")
	}
	if _, err := formatType(metadata.Integer{Bytes: 3}); err == nil {
		t.Error("FormatType(3-byte integer): no error")
	}
}

func TestQuoteIdent(t *testing.T) {
	for name, want := range map[string]string{
		"users": "users", "user": `"user"`, "Users": `"Users"`, "a b": `"a b"`, `a"b`: `"a""b"`,
		"_x1": "_x1", "1x": `"1x"`, "ü": `"ü"`, "": `""`, "type": "type", "a$b": `"a$b"`, "order": `"order"`,
	} {
		if got := (Dialect{}).QuoteIdent(name); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", name, got, want)
		}
	}
}

func TestQuoteLiteral(t *testing.T) {
	for v, want := range map[string]string{
		"": "''", "x": "'x'", "it's": "'it''s'", `a\b`: `E'a\\b'`, `it's \`: `E'it''s \\'`,
	} {
		if got := quoteLiteral(v); got != want {
			t.Errorf("quoteLiteral(%q) = %s, want %s", v, got, want)
		}
	}
}

func TestReadDefault(t *testing.T) {
	for _, c := range []struct {
		printed, typ string
		want         metadata.Default
	}{
		{"true", "boolean", metadata.BoolLiteral{Value: true}},
		{"false", "boolean", metadata.BoolLiteral{Value: false}},
		{"0", "integer", metadata.NumberLiteral{Value: "0"}},
		{"0.10", "numeric", metadata.NumberLiteral{Value: "0.10"}},
		{"'-1'::integer", "integer", metadata.NumberLiteral{Value: "-1"}},
		{"'-2.5'::numeric", "real", metadata.NumberLiteral{Value: "-2.5"}},
		{"'12345678901'::bigint", "bigint", metadata.NumberLiteral{Value: "12345678901"}},
		{"'x''y'::character varying", "character varying(10)", metadata.StringLiteral{Value: "x'y"}},
		{"'ab'::bpchar", "character(3)", metadata.StringLiteral{Value: "ab"}},
		{"'ab'::bpchar", "bpchar", metadata.StringLiteral{Value: "ab"}},
		{"'{}'::character varying[]", "character varying(5)[]", metadata.StringLiteral{Value: "{}"}},
		{"'a'::mood", "mood", metadata.StringLiteral{Value: "a"}},
		{"'2020-01-01'::date", "date", metadata.StringLiteral{Value: "2020-01-01"}},
		{"'x'::timestamp without time zone", "timestamp(3) without time zone", metadata.StringLiteral{Value: "x"}},
		{"'5'::text", "text", metadata.StringLiteral{Value: "5"}},
		{"now()", "timestamp with time zone", metadata.Expr{SQL: "now()"}},
		{"nextval('s'::regclass)", "integer", metadata.Expr{SQL: "nextval('s'::regclass)"}},
		{"'a'::text || 'b'::text", "text", metadata.Expr{SQL: "'a'::text || 'b'::text"}},
		{"'a'::character varying(3)", "text", metadata.Expr{SQL: "'a'::character varying(3)"}},
		{"'1'::integer", "text", metadata.Expr{SQL: "'1'::integer"}},
		{"1 + 2", "integer", metadata.Expr{SQL: "1 + 2"}},
		{"'unterminated", "text", metadata.Expr{SQL: "'unterminated"}},
		{"''", "text", metadata.Expr{SQL: "''"}},
	} {
		if got := ReadDefault(c.printed, c.typ); got != c.want {
			t.Errorf("ReadDefault(%q, %q) = %#v, want %#v", c.printed, c.typ, got, c.want)
		}
	}
}

func TestDefaultName(t *testing.T) {
	for _, c := range []struct {
		table string
		cols  []string
		label string
		want  string
	}{
		{"users", nil, LabelPrimaryKey, "users_pkey"},
		{"users", []string{"email"}, LabelUnique, "users_email_key"},
		{"t", []string{"a", "b"}, LabelUnique, "t_a_b_key"},
		{"orders", []string{"user_id"}, LabelForeignKey, "orders_user_id_fkey"},
		{"users", []string{"age"}, LabelCheck, "users_age_check"},
		{"users", nil, LabelCheck, "users_check"},
		{"users", []string{"id"}, LabelSequence, "users_id_seq"},
		// 63 bytes at most; the longer part is cut first.
		{strings.Repeat("t", 60), nil, LabelPrimaryKey, strings.Repeat("t", 58) + "_pkey"},
		{strings.Repeat("t", 60), []string{"id"}, LabelForeignKey, strings.Repeat("t", 55) + "_id_fkey"},
		{strings.Repeat("t", 40), []string{strings.Repeat("c", 40)}, LabelUnique,
			strings.Repeat("t", 29) + "_" + strings.Repeat("c", 29) + "_key"},
		// A multi-byte character is never split.
		{strings.Repeat("ü", 40), nil, LabelUnique, strings.Repeat("ü", 29) + "_key"},
	} {
		got := DefaultName(c.table, c.cols, c.label)
		if got != c.want {
			t.Errorf("DefaultName(%q, %q, %q) = %q, want %q", c.table, c.cols, c.label, got, c.want)
		}
		if len(got) > 63 {
			t.Errorf("DefaultName(%q, %q, %q) is %d bytes", c.table, c.cols, c.label, len(got))
		}
	}
}
