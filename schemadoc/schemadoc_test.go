package schemadoc

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/internal/mermaidcheck"
	"github.com/dbtool/dbtool/metadata"
	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

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
		out = append(out, testSchema{strings.ReplaceAll(strings.TrimSuffix(rel, filepath.Ext(rel)), string(filepath.Separator), "_"), m})
	}
	if len(out) < 10 {
		t.Fatalf("only %d test schemas found under %s", len(out), root)
	}
	return out
}

// archive holds pages as one txtar archive, for a golden file.
func archive(files []File) []byte {
	a := &txtar.Archive{}
	for _, f := range files {
		a.Files = append(a.Files, txtar.File{Name: f.Name, Data: f.Data})
	}
	return txtar.Format(a)
}

func TestGolden(t *testing.T) {
	for _, s := range schemas(t) {
		t.Run(s.name, func(t *testing.T) {
			got := archive(Pages(s.m))
			path := filepath.Join("testdata", "golden", s.name+".txtar")
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
				t.Fatalf("%v (go test ./schemadoc/ -update creates it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s differs (-golden +got; go test ./schemadoc/ -update rewrites it):\n%s", path, diff)
			}
		})
	}
}

func TestPagesHold(t *testing.T) {
	for _, s := range schemas(t) {
		checkPages(t, s.name, s.m, Pages(s.m))
	}
}

var (
	linkRE    = regexp.MustCompile(`[^\\]\]\(([^)]*)\)`)
	mermaidRE = regexp.MustCompile("(?s)```mermaid\n(.*?)```\n")
)

// checkPages holds pages to what every documentation must be: the index
// first, a page per table and view holding its name, file names unique
// without regard to case and safe as one path element, every link to a
// page that exists, every Mermaid block valid, and the same bytes when
// made again.
func checkPages(t *testing.T, name string, m *metadata.MetaData, files []File) {
	t.Helper()
	if len(files) != 1+len(m.Tables)+len(m.Views) || files[0].Name != Index {
		t.Fatalf("%s: %d files, the first %q; want README.md and one per table and view", name, len(files), files[0].Name)
	}
	seen := map[string]bool{}
	for _, f := range files {
		lower := strings.ToLower(f.Name)
		if seen[lower] {
			t.Errorf("%s: two pages named %q without regard to case", name, f.Name)
		}
		seen[lower] = true
		if f.Name != filepath.Base(f.Name) || strings.ContainsAny(f.Name, `/\:*?"<>| `) || strings.HasPrefix(f.Name, ".") || !strings.HasSuffix(f.Name, ".md") {
			t.Errorf("%s: unsafe file name %q", name, f.Name)
		}
		if !strings.HasPrefix(string(f.Data), Marker+"\n") {
			t.Errorf("%s: %s does not start with the marker", name, f.Name)
		}
	}
	for _, f := range files {
		prose := mermaidRE.ReplaceAllString(string(f.Data), "")
		for _, l := range linkRE.FindAllStringSubmatch(prose, -1) {
			if !seen[strings.ToLower(l[1])] {
				t.Errorf("%s: %s links to %q, which is not a page", name, f.Name, l[1])
			}
		}
		for _, block := range mermaidRE.FindAllStringSubmatch(string(f.Data), -1) {
			if err := mermaidcheck.Check(block[1]); err != nil {
				t.Errorf("%s: %s: %v", name, f.Name, err)
			}
		}
	}
	if diff := cmp.Diff(archive(files), archive(Pages(m))); diff != "" {
		t.Errorf("%s: a second run differs:\n%s", name, diff)
	}
}

func TestPageNames(t *testing.T) {
	refs := []metadata.TableRef{
		{Name: "users"}, {Name: "Users"}, {Name: "orders"}, {Name: "README"}, {Name: "con"},
		{Name: "../../etc/passwd"}, {Name: `a\b`}, {Name: "a b"}, {Name: "a_b"}, {Name: "."}, {Name: ".."},
		{Schema: "public", Name: "orders"}, {Schema: "My Schema", Name: "Order Lines"}, {Name: "名前"},
		{Name: strings.Repeat("long", 40)}, {Name: strings.Repeat("long", 40) + "er"}, {Name: "trailing."},
	}
	names := pageNames(refs)
	want := map[metadata.TableRef]string{
		{Name: "orders"}:                           "orders.md",
		{Schema: "public", Name: "orders"}:         "public.orders.md",
		{Schema: "My Schema", Name: "Order Lines"}: "My_Schema.Order_Lines.md",
		{Name: "../../etc/passwd"}:                 "_._.._etc_passwd.md",
		{Name: "trailing."}:                        "trailing_.md",
	}
	for r, w := range want {
		if names[r] != w {
			t.Errorf("page of %s: %q, want %q", r, names[r], w)
		}
	}
	seen := map[string]metadata.TableRef{}
	for _, r := range refs {
		n := names[r]
		if other, ok := seen[strings.ToLower(n)]; ok {
			t.Errorf("%s and %s share the page %q", r, other, n)
		}
		seen[strings.ToLower(n)] = r
		if strings.ContainsAny(n, `/\`) || strings.HasPrefix(n, ".") || len(n) > maxBase+12 {
			t.Errorf("page of %s: unsafe name %q", r, n)
		}
	}
	for _, r := range []metadata.TableRef{{Name: "users"}, {Name: "Users"}, {Name: "README"}, {Name: "con"}, {Name: "a b"}, {Name: "a_b"}} {
		if !regexp.MustCompile(`-[0-9a-f]{8}\.md$`).MatchString(names[r]) {
			t.Errorf("page of %s: %q has no hash suffix", r, names[r])
		}
	}
	// A name does not depend on the other tables' order.
	reversed := make([]metadata.TableRef, len(refs))
	for i, r := range refs {
		reversed[len(refs)-1-i] = r
	}
	if diff := cmp.Diff(names, pageNames(reversed)); diff != "" {
		t.Errorf("names depend on order:\n%s", diff)
	}
}

func TestMarkdownEscaping(t *testing.T) {
	m := &metadata.MetaData{Tables: []metadata.Table{{
		Name:    "odd|*name*",
		Comment: "a <b>bold</b> & | pipe\n\nsecond paragraph",
		Columns: []metadata.Column{
			{Name: "x`y", Type: metadata.Text{}, Nullable: true, Default: metadata.StringLiteral{Value: "it's | here"}, Comment: "[not a link](x)"},
		},
		Checks: []metadata.Check{{Name: "c", Expr: "x`y <> 'a|b'"}},
	}}}
	files := Pages(m)
	checkPages(t, "odd", m, files)
	page := string(files[1].Data)
	for _, want := range []string{
		"# odd\\|\\*name\\*\n",
		"a \\<b\\>bold\\</b\\> \\& \\| pipe",
		"| `` x`y `` | `text` | yes | `'it''s \\| here'` | \\[not a link\\](x) |",
		"| `c` | check | `` x`y <> 'a\\|b' `` |",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("no %q in\n%s", want, page)
		}
	}
}
