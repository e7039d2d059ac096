package metadata

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// trickyStrings are strings YAML could misread if written carelessly.
var trickyStrings = []string{
	"", " ", " a", "a ", "yes", "No", "null", "~", "NULL", "true", "Off", "y", "123", "-1", "1e3", "0x1f", ".5", "+1",
	"2024-01-01", "12:30", "- a", "-a", "a: b", "a:b", "a:", "a #b", "#x", "[x]", "{x}", "a,b", "a, b", "'q'", `"dq"`,
	"it's", "tab\there", "multi\nline", "multi\nline\n", "multi\n\nline\n\n\n", " leading\nspace", "\nstart newline",
	"trailing \nspace", "unicode é 漢字 🙂", "nel\u0085x", "\ufeffbom", "line\r\nwin", `back\slash`, "%percent", "@at",
	"`tick", "!bang", "&amp", "*star", "|pipe", ">gt", "?q", ":colon", "=eq", "SELECT 1;\n", "  indented\n  block\n",
	"ctl\x01char", "del\x7f", "a\n b\n  c", "\n", "\n\n", "x\n ", "ends with colon:\nnext",
}

func TestEncodeQuotesEveryString(t *testing.T) {
	for _, s := range trickyStrings {
		checkStringRoundTrip(t, s)
	}
}

func FuzzEncodeString(f *testing.F) {
	for _, s := range trickyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkStringRoundTrip(t, s)
	})
}

// checkStringRoundTrip puts s where the encoder writes block scalars,
// literal blocks, flow sequences and flow mappings, and reads it back.
func checkStringRoundTrip(t *testing.T, s string) {
	t.Helper()
	if !utf8Valid(s) {
		return // YAML and JSON carry text, not bytes
	}
	m := &MetaData{
		Enums: []Enum{{Name: "e", Values: []string{s, "x"}}},
		Tables: []Table{{
			Name:    "t",
			Comment: s,
			Columns: []Column{{Name: "c", Type: Text{}, Nullable: true, Default: StringLiteral{Value: s}, Comment: s}},
			Checks:  []Check{{Expr: "c <> ''", Name: s}},
		}},
		Views: []View{{Name: "v", Definition: "x" + s + "x"}, {Name: "w", Definition: "SELECT 1", Columns: []string{s}}},
	}
	for _, enc := range []struct {
		file string
		fn   func(*MetaData) ([]byte, error)
	}{{"s.yaml", EncodeYAML}, {"s.json", EncodeJSON}} {
		b, err := enc.fn(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, pos, problems := decodeFile(enc.file, b)
		if len(problems) > 0 || m2 == nil {
			t.Fatalf("%s of %q does not read back: %v\n%s", enc.file, s, problems, b)
		}
		_ = pos
		if diff := cmp.Diff(m, m2); diff != "" {
			t.Fatalf("%s of %q (-want +got):\n%s\n%s", enc.file, s, diff, b)
		}
	}
}

func utf8Valid(s string) bool {
	for _, r := range s {
		if r == '\uFFFD' {
			return false
		}
	}
	return true
}

// TestAutoincrementDefaultRoundTrips: a primary key of one integer column
// autoincrements unless the file says autoincrement: false, and the
// encoder writes that false (and only that), so that the model read back
// from its own output is the same.
func TestAutoincrementDefaultRoundTrips(t *testing.T) {
	m, err := Parse("auto.yaml", []byte(`tables:
  - name: a
    columns:
      - {name: id, type: integer, primary_key: true}
  - name: b
    columns:
      - {name: id, type: integer, primary_key: true, autoincrement: false}
  - name: c
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: a_id, type: integer}
  - name: d
    columns:
      - {name: id, type: integer, primary_key: true}
    foreign_keys:
      - {columns: [id], references: {table: a, columns: [id]}}
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		table string
		want  bool
	}{{"a", true}, {"b", false}, {"c", false}, {"d", false}} {
		if got := m.Table(TableRef{Name: c.table}).Columns[0].Autoincrement; got != c.want {
			t.Errorf("%s.id: autoincrement %v, want %v", c.table, got, c.want)
		}
	}
	out, err := EncodeYAML(m)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(out), "autoincrement"); n != 1 || !strings.Contains(string(out), "autoincrement: false") {
		t.Errorf("want exactly one autoincrement: false (on b.id) in:\n%s", out)
	}
	back, err := Parse("back.yaml", out)
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Diff(m, back) != "" {
		t.Errorf("the model changed through its YAML:\n%s", out)
	}
}
