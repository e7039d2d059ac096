package metadata

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

// checkDecodeCuts decodes data piece by piece, every item a piece, and in
// one go, and fails on any difference in the model or the problems; it
// returns how many pieces were read (0: the file was decoded in one go).
func checkDecodeCuts(t *testing.T, name string, data []byte) int {
	t.Helper()
	want, wd, bad := decodeWhole(name, data)
	got, gd, n, ok := decodeCuts(name, data, 3, 1)
	if !ok {
		return 0
	}
	if bad != nil {
		t.Fatalf("%s: decoded in %d pieces, but in one go: %v", name, n, bad)
	}
	gd.applySugar(got)
	wd.applySugar(want)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: the model decoded in %d pieces differs from the one decoded in one go", name, n)
	}
	if !reflect.DeepEqual(gd.problems, wd.problems) {
		t.Fatalf("%s: in %d pieces the problems are %v, in one go %v", name, n, gd.problems, wd.problems)
	}
	return n
}

// validSchema writes n tables the way people write them (comments, flow
// and block lists, quoted and block scalars), with column-level keys,
// which are kept beside the model until applySugar.
func validSchema(n int) []byte {
	var b strings.Builder
	b.WriteString("# the shop\ntables:\n")
	for i := range n {
		fmt.Fprintf(&b, `  # table %[1]d
  - name: t%[1]d
    comment: "table \"%[1]d\": quoted"
    columns:
      - {name: id, type: integer, primary_key: true}
      - name: note
        type: text
        unique: true
        default: 'it''s'
      - name: total
        type: numeric(10,2)
    checks:
      - expr: |
          total >= 0
          and total < 100

`, i)
	}
	b.WriteString("views:\n- name: v\n  definition: >\n    select 1\n- name: w\n  definition: select 2\n")
	return []byte(b.String())
}

func TestDecodeCutsMatchesOneGo(t *testing.T) {
	data := validSchema(300)
	if n := checkDecodeCuts(t, "generated", data); n < 100 {
		t.Errorf("generated schema: decoded in %d pieces", n)
	}
	m, _, problems := decodeFile("generated", data)
	if len(problems) > 0 || len(m.Tables) != 300 || m.Tables[299].Name != "t299" ||
		len(m.Tables[299].Uniques) != 1 || m.Tables[299].PrimaryKey == nil {
		t.Fatalf("generated schema: %d tables, problems %v", len(m.Tables), problems)
	}
}

// TestDecodeCutsLeavesProblemsToOneGo checks that a file with a problem in
// a piece, or a list that is not the model's, is decoded in one go, where
// a problem's path and position are the file's.
func TestDecodeCutsLeavesProblemsToOneGo(t *testing.T) {
	items := strings.Repeat("  - name: b\n    columns: [{name: x, type: int}]\n", 20)
	cases := map[string]struct{ text, problem string }{
		"unknown key in a piece": {"tables:\n" + items + "  - name: z\n    colums: []\n" + items,
			`s.yaml:43:5: unknown key "colums" (did you mean "columns"?)`},
		"bad value in a piece": {"tables:\n" + items + "  - name: z\n    columns: {}\n" + items,
			"s.yaml:43:14: columns: expected a list, found a mapping"},
		"problem in the rest": {"views: {}\ntables:\n" + items,
			"s.yaml:1:8: views: expected a list, found a mapping"},
		"extension list": {"x-parts:\n" + strings.Repeat("  - a\n", 40) + "tables:\n" + items, ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if _, _, n, ok := decodeCuts("s.yaml", []byte(c.text), 3, 1); ok {
				t.Fatalf("decoded in %d pieces", n)
			}
			_, _, problems := decodeFile("s.yaml", []byte(c.text))
			got := ""
			if len(problems) > 0 {
				got = problems[0].String()
			}
			if got != c.problem {
				t.Fatalf("problem %q, want %q", got, c.problem)
			}
		})
	}
}

// TestDecodeCutsFiles decodes every schema file of the repository, and of
// the shared corpus when it is there, piece by piece and in one go.
func TestDecodeCutsFiles(t *testing.T) {
	var cut int
	for _, path := range everySchemaFile(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if checkDecodeCuts(t, path, data) > 0 {
			cut++
		}
	}
	if cut < 20 {
		t.Fatalf("only %d schema files decoded in pieces", cut)
	}
}
