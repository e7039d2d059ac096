package metadata

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// sameTree reports the first difference between two node trees, comments
// aside (the decoder reads none), or "" when they are the same.
func sameTree(path string, a, b *yaml.Node) string {
	if a == nil || b == nil {
		if a != b {
			return fmt.Sprintf("%s: %v against %v", path, a, b)
		}
		return ""
	}
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value || a.Anchor != b.Anchor ||
		a.Line != b.Line || a.Column != b.Column || len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s: kind %d style %d tag %s value %q anchor %q at %d:%d with %d children, against kind %d style %d tag %s value %q anchor %q at %d:%d with %d children",
			path, a.Kind, a.Style, a.Tag, a.Value, a.Anchor, a.Line, a.Column, len(a.Content),
			b.Kind, b.Style, b.Tag, b.Value, b.Anchor, b.Line, b.Column, len(b.Content))
	}
	if a.Kind == yaml.AliasNode {
		return sameTree(path+"*", a.Alias, b.Alias)
	}
	for i := range a.Content {
		if d := sameTree(fmt.Sprintf("%s/%d", path, i), a.Content[i], b.Content[i]); d != "" {
			return d
		}
	}
	return ""
}

// checkSplit parses data in pieces and in one go and fails on any
// difference; it returns how many pieces were parsed.
func checkSplit(t *testing.T, name string, data []byte, pieces, minPiece int) int {
	t.Helper()
	got, n, gotErr := parseSplit(data, pieces, minPiece)
	want, wantErr := parseWhole(data)
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
		t.Fatalf("%s in %d pieces: error %v, in one go %v", name, pieces, gotErr, wantErr)
	}
	if gotErr == nil {
		if d := sameTree("", got, want); d != "" {
			t.Fatalf("%s in %d pieces (%d parsed) differs from one go at %s", name, pieces, n, d)
		}
	}
	return n
}

// bigSchema writes n tables the way people write them: comments between
// and inside items, flow and block lists, quoted and block scalars.
func bigSchema(n int) []byte {
	var b strings.Builder
	b.WriteString("# the shop\nversion: 1\ntables:\n")
	for i := range n {
		fmt.Fprintf(&b, `  # table %[1]d
  - name: t%[1]d
    comment: "table \"%[1]d\": quoted"
    columns:
      - {name: id, type: integer}
      - name: note
        type: text
        default: 'it''s'
      - name: total
        type: numeric(10,2)
        check: |
          total >= 0
          and total < 100
    primary_key: [id]

`, i)
	}
	b.WriteString("views:\n- name: v\n  definition: >\n    select 1\n- name: w\n  definition: select 2\n")
	return []byte(b.String())
}

func TestParseSplitMatchesOneGo(t *testing.T) {
	data := bigSchema(400)
	for _, pieces := range []int{2, 3, 8, 50} {
		if n := checkSplit(t, "generated", data, pieces, 1); n < 2 {
			t.Errorf("generated schema in %d pieces: parsed in %d", pieces, n)
		}
	}
	// The views list has its items at the first column.
	views := []byte("tables:\n- name: a\n" + strings.Repeat("- name: b\n  columns: [{name: x, type: int}]\n", 50) + "views:\n- name: v\n")
	if n := checkSplit(t, "compact", views, 4, 1); n < 2 {
		t.Errorf("compact lists: parsed in %d", n)
	}
	crlf := []byte(strings.ReplaceAll(string(bigSchema(50)), "\n", "\r\n"))
	if n := checkSplit(t, "crlf", crlf, 4, 1); n < 2 {
		t.Errorf("CRLF lines: parsed in %d", n)
	}
}

// TestParseSplitFallsBack checks that what pieces cannot settle alone is
// parsed in one go, with the same result or error.
func TestParseSplitFallsBack(t *testing.T) {
	items := strings.Repeat("  - name: b\n    type: int\n", 20)
	cases := map[string]string{
		"alias across pieces":   "tables:\n  - name: a\n    x: &c {type: int}\n" + items + "  - name: z\n    x: *c\n",
		"anchor redefined":      "tables:\n  - name: a\n    x: &c {type: int}\n" + items + "  - name: y\n    x: &c {type: text}\n" + items + "views:\n  - name: v\n    x: *c\n",
		"merge key":             "base: &b {type: int}\ntables:\n" + items + "  - <<: *b\n    name: z\n",
		"quoted across a cut":   "tables:\n" + items + "  - name: \"a\n  - b\"\n" + items,
		"flow across a cut":     "tables:\n" + items + "  - name: [a,\n  - b]\n" + items,
		"unterminated quote":    "tables:\n" + items + "  - name: \"a\n" + items,
		"bad indentation":       "tables:\n" + items + " - name: x\n" + items,
		"tab indentation":       "tables:\n" + items + "\t- name: x\n" + items,
		"two documents":         "tables:\n" + items + "---\ntables:\n" + items,
		"duplicate key":         "tables:\n" + items + "tables:\n" + items,
		"quoted key":            "\"tables\":\n" + items,
		"flow document":         "{tables: [" + strings.Repeat("{name: b},", 40) + "]}\n",
		"lone carriage return":  "tables:\n" + items + "  - name: x\r  - name: y\n",
		"mapping value":         "defaults:\n  a: 1\n" + strings.Repeat("  k: v\n", 40),
		"later key not a word":  "tables:\n" + items + "? complex\n: key\n",
		"scalar at item indent": "tables:\n" + items + "  oops\n" + items,
		"empty":                 "",
		"comment only":          "# nothing\n",
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			checkSplit(t, name, []byte(text), 4, 1)
		})
	}
}

// everySchemaFile lists the schema files of the repository, and of the
// shared corpus when it is there.
func everySchemaFile(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, root := range []string{"../testdata", "testdata", "../../shared/corpus"} {
		if _, err := os.Stat(root); err == nil {
			files = append(files, schemaFiles(t, root)...)
		}
	}
	if len(files) < 50 {
		t.Fatalf("only %d schema files found", len(files))
	}
	return files
}

// TestParseSplitFiles cuts every schema file of the repository, and of the
// shared corpus when it is there, at every cut the layout allows, and
// checks that each parses as in one go.
func TestParseSplitFiles(t *testing.T) {
	for _, path := range everySchemaFile(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, pieces := range []int{2, 5, 1000} {
			checkSplit(t, path, data, pieces, 1)
		}
	}
}

// BenchmarkParseYAML parses a 3000-table file (about 1.3 MB) in one go, as
// yaml.Unmarshal does, and in as many pieces as there are cores.
func BenchmarkParseYAML(b *testing.B) {
	data := bigSchema(3000)
	b.Run("one-go", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := parseWhole(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("split", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, _, err := parseSplit(data, runtime.GOMAXPROCS(0), splitMinPiece); err != nil {
				b.Fatal(err)
			}
		}
	})
}
