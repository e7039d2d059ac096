package diagram

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/internal/mermaidcheck"
	"github.com/dbtool/dbtool/metadata"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// testSchema is a schema of the repository's testdata/schemas.
type testSchema struct {
	name string
	m    *metadata.MetaData
}

// schemas loads every schema of testdata/schemas (its subdirectories
// postgres and sqlite too, and split as one schema).
func schemas(t testing.TB) []testSchema {
	t.Helper()
	root := filepath.Join("..", "testdata", "schemas")
	var paths []string
	for _, pattern := range []string{"*.yaml", "*.json", "postgres/*.yaml", "sqlite/*.yaml"} {
		found, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, found...)
	}
	paths = append(paths, filepath.Join(root, "split"))
	var out []testSchema
	for _, p := range paths {
		m, err := metadata.Load(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		rel, _ := filepath.Rel(root, p)
		name := strings.ReplaceAll(strings.TrimSuffix(rel, filepath.Ext(rel)), string(filepath.Separator), "_")
		out = append(out, testSchema{name, m})
	}
	if len(out) < 10 {
		t.Fatalf("only %d test schemas found under %s", len(out), root)
	}
	return out
}

// golden compares got with testdata/golden/name, or rewrites it with
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./diagram/ -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-golden +got; go test ./diagram/ -update rewrites it):\n%s", path, diff)
	}
}

func TestGolden(t *testing.T) {
	for _, s := range schemas(t) {
		t.Run(s.name, func(t *testing.T) {
			golden(t, s.name+".mmd", Mermaid(s.m))
			golden(t, s.name+".dot", DOT(s.m))
			golden(t, s.name+".svg", SVG(s.m))
			if !bytes.Equal(Mermaid(s.m), Mermaid(s.m)) || !bytes.Equal(SVG(s.m), SVG(s.m)) {
				t.Error("two renderings of one model differ")
			}
		})
	}
}

func TestMermaidSyntax(t *testing.T) {
	for _, s := range append(schemas(t), testSchema{"odd", oddModel()}) {
		if err := mermaidcheck.Check(string(Mermaid(s.m))); err != nil {
			t.Errorf("%s: %v\n%s", s.name, err, Mermaid(s.m))
		}
	}
}

// TestDOTGraphviz renders every DOT output with Graphviz's dot, which
// must accept it without a warning. Without dot the test skips, except
// under CI=true, where .ci/run installs Graphviz and a missing dot fails.
func TestDOTGraphviz(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("Graphviz's dot is not installed (apt-get install graphviz): CI must check the DOT output with it")
		}
		t.Skip("Graphviz's dot is not installed (apt-get install graphviz): the DOT output is not checked")
	}
	for _, s := range append(schemas(t), testSchema{"odd", oddModel()}) {
		cmd := exec.Command(dot, "-Tsvg")
		cmd.Stdin = bytes.NewReader(DOT(s.m))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || stderr.Len() > 0 {
			t.Errorf("%s: dot -Tsvg: %v\n%s\n%s", s.name, err, stderr.String(), DOT(s.m))
			continue
		}
		if !bytes.Contains(out, []byte("<svg")) {
			t.Errorf("%s: dot -Tsvg wrote no SVG", s.name)
		}
	}
}

// TestSVGWellFormed parses every SVG with encoding/xml and finds every
// table's and view's name in its text.
func TestSVGWellFormed(t *testing.T) {
	for _, s := range append(schemas(t), testSchema{"odd", oddModel()}) {
		text := svgText(t, SVG(s.m))
		for _, tb := range s.m.Tables {
			if !strings.Contains(text, tb.Ref().String()) {
				t.Errorf("%s: table %s is not in the SVG", s.name, tb.Ref())
			}
		}
		for _, v := range s.m.Views {
			if !strings.Contains(text, v.Ref().String()) {
				t.Errorf("%s: view %s is not in the SVG", s.name, v.Ref())
			}
		}
	}
}

// svgText checks that b is one well-formed <svg> element and returns its
// character data.
func svgText(t *testing.T, b []byte) string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var text strings.Builder
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if tok.Name.Local != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("root element %v, want svg", tok.Name)
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			text.Write(tok)
			text.WriteByte('\n')
		}
	}
	if roots != 1 {
		t.Fatalf("%d root elements", roots)
	}
	return text.String()
}

// oddModel holds names no diagram format takes as they are, and every
// cardinality.
func oddModel() *metadata.MetaData {
	id := metadata.Column{Name: "id", Type: metadata.Integer{Bytes: 4}}
	return &metadata.MetaData{
		Tables: []metadata.Table{
			{Name: "style", Columns: []metadata.Column{id, {Name: "PK", Type: metadata.Text{}, Comment: `says "hi" # there`}},
				PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}}},
			{Schema: "My Schema", Name: `Order "Lines"`, Comment: "odd",
				Columns: []metadata.Column{
					{Name: "line no", Type: metadata.Integer{Bytes: 4}},
					{Name: "style_id", Type: metadata.Integer{Bytes: 4}},
					{Name: "prénom", Type: metadata.Raw{SQL: `"My Schema"."Size ""Label"""`}, Nullable: true},
					{Name: `back\slash`, Type: metadata.Numeric{Precision: 10, Scale: 2}, Nullable: true},
				},
				PrimaryKey:  &metadata.PrimaryKey{Columns: []string{"line no", "style_id"}},
				ForeignKeys: []metadata.ForeignKey{{Columns: []string{"style_id"}, References: metadata.ForeignKeyTarget{Table: "style", Columns: []string{"id"}}}}},
			{Name: "名前", Columns: []metadata.Column{id,
				{Name: "a", Type: metadata.Integer{Bytes: 4}}, {Name: "b", Type: metadata.Integer{Bytes: 4}, Nullable: true},
				{Name: "owner", Type: metadata.Integer{Bytes: 4}, Nullable: true}},
				PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}},
				Uniques:    []metadata.Unique{{Columns: []string{"owner"}}},
				ForeignKeys: []metadata.ForeignKey{
					{Columns: []string{"a", "b"}, References: metadata.ForeignKeyTarget{Schema: "My Schema", Table: `Order "Lines"`, Columns: []string{"line no", "style_id"}}},
					{Columns: []string{"owner"}, References: metadata.ForeignKeyTarget{Table: "style", Columns: []string{"id"}}},
					{Columns: []string{"id"}, References: metadata.ForeignKeyTarget{Table: "名前", Columns: []string{"id"}}},
				}},
		},
		Views: []metadata.View{{Name: "style_view", Definition: "SELECT 1", Columns: []string{"one"}}},
	}
}

func TestMermaidNamesAndCardinality(t *testing.T) {
	got := string(Mermaid(oddModel()))
	for _, want := range []string{
		"    My_Schema_Order__Lines_[\"My Schema.Order #quot;Lines#quot;\"] {\n",
		"        integer line_no PK \"column line no\"\n",
		"        t__My_Schema___Size___Label___ pr_nom \"column prénom\"\n",
		"        numeric(10_2) back_slash \"column back\\slash\"\n",
		"    e_style[\"style\"] {\n",
		"        text PK_ \"column PK: says #quot;hi#quot; #35; there\"\n",
		"    e___[\"名前\"] {\n",
		"    style_view[\"style_view (view)\"] {\n",
		"        column one\n",
		// NOT NULL, inside the primary key: exactly one, identifying.
		"    e_style ||--o{ My_Schema_Order__Lines_ : \"style_id\"\n",
		// Composite, one column nullable: zero or one, one relationship.
		"    My_Schema_Order__Lines_ |o..o{ e___ : \"a, b\"\n",
		// Unique and nullable: one-to-one, zero or one.
		"    e_style |o..o| e___ : \"owner\"\n",
		// A self-reference on the primary key.
		"    e___ ||--o| e___ : \"id\"\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no line %q in\n%s", want, got)
		}
	}
	if n := strings.Count(got, "||--") + strings.Count(got, "|o..") + strings.Count(got, "||..") + strings.Count(got, "|o--"); n != 4 {
		t.Errorf("%d relationships, want 4:\n%s", n, got)
	}
}
