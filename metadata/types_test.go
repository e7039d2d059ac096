package metadata

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseType(t *testing.T) {
	ok := []struct {
		in   string
		want Type
	}{
		{"integer", Integer{Bytes: 4}},
		{"INTEGER", Integer{Bytes: 4}},
		{"smallint", Integer{Bytes: 2}},
		{"bigint", Integer{Bytes: 8}},
		{"varchar(50)", String{Length: 50}},
		{"string(50)", String{Length: 50}},
		{"varchar", String{}},
		{"char(3)", Char{Length: 3}},
		{"text", Text{}},
		{"boolean", Boolean{}},
		{"numeric(10,2)", Numeric{Precision: 10, Scale: 2}},
		{"decimal(10, 2)", Numeric{Precision: 10, Scale: 2}},
		{"numeric(5)", Numeric{Precision: 5}},
		{"numeric", Numeric{}},
		{"float", Float{Bytes: 4}},
		{"double", Float{Bytes: 8}},
		{"date", Date{}},
		{"time", Time{Precision: -1}},
		{"timetz(3)", Time{TZ: true, Precision: 3}},
		{"timestamp", Timestamp{Precision: -1}},
		{"timestamp(0)", Timestamp{Precision: 0}},
		{"timestamptz", Timestamp{TZ: true, Precision: -1}},
		{"uuid", UUID{}},
		{"json", JSON{}},
		{"binary", Binary{}},
		// SQLAlchemy's names, in its spelling and in any case.
		{"Integer", Integer{Bytes: 4}},
		{"BigInteger", Integer{Bytes: 8}},
		{"SmallInteger", Integer{Bytes: 2}},
		{"SMALLINTEGER", Integer{Bytes: 2}},
		{"String(30)", String{Length: 30}},
		{"String", String{}},
		{"Unicode(30)", String{Length: 30}},
		{"Unicode", String{}},
		{"Text", Text{}},
		{"UnicodeText", Text{}},
		{"Boolean", Boolean{}},
		{"Date", Date{}},
		{"DateTime", Timestamp{Precision: -1}},
		{"datetime", Timestamp{Precision: -1}},
		{"DATETIME", Timestamp{Precision: -1}},
		{"Time", Time{Precision: -1}},
		{"Float", Float{Bytes: 4}},
		{"Double", Float{Bytes: 8}},
		{"Numeric(10, 2)", Numeric{Precision: 10, Scale: 2}},
		{"LargeBinary", Binary{}},
		{"JSON", JSON{}},
		{"Uuid", UUID{}},
		{"INT", Raw{SQL: "INT"}},
		{"jsonb", Raw{SQL: "jsonb"}},
		{"integer[]", Raw{SQL: "integer[]"}},
		{"character varying(20)", Raw{SQL: "character varying(20)"}},
		{"NVARCHAR(40)", Raw{SQL: "NVARCHAR(40)"}},
		{"public.mood", Raw{SQL: "public.mood"}},
		{"varchar(20)[]", Raw{SQL: "varchar(20)[]"}},
		{"numeric(10,2)[]", Raw{SQL: "numeric(10,2)[]"}},
		{"timestamp(3) with time zone", Raw{SQL: "timestamp(3) with time zone"}},
	}
	for _, c := range ok {
		got, err := ParseType(c.in)
		if err != nil {
			t.Errorf("ParseType(%q): %v", c.in, err)
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("ParseType(%q) (-want +got):\n%s", c.in, diff)
		}
		// The portable spelling parses back to the same type.
		if _, raw := got.(Raw); !raw {
			again, err := ParseType(got.String())
			if err != nil || again != got {
				t.Errorf("ParseType(%q).String() = %q does not parse back: %v, %v", c.in, got.String(), again, err)
			}
		}
	}
	for _, bad := range []string{"", "varchar(x)", "varchar(0)", "numeric(2,5)", "integer(3)", "timestamp(9)", "varchar(-1)", "numeric(1,2,3)", "Unicode(x)", "UnicodeText(5)", "LargeBinary(10)", "BigInteger(8)"} {
		if got, err := ParseType(bad); err == nil {
			t.Errorf("ParseType(%q) = %v, want an error", bad, got)
		}
	}
}

func TestIsDecimal(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "-1": true, "2.50": true, "1e-3": true, ".5": true, "5.": true,
		"": false, "-": false, "0x1F": false, "1e": false, "abc": false, "+1": false, ".": false,
	} {
		if got := IsDecimal(s); got != want {
			t.Errorf("IsDecimal(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestClosestPortableType(t *testing.T) {
	for in, want := range map[string]string{
		"strnig": "string", "bolean": "boolean", "tmestamp": "timestamp", "Integr": "integer",
		"integer": "", "GEOMETRY": "", "inet": "", "jsonb": "json", "uuid": "", "x": "",
	} {
		if got := ClosestPortableType(in); got != want {
			t.Errorf("ClosestPortableType(%q) = %q, want %q", in, got, want)
		}
	}
}
