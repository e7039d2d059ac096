package schemadoc

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dbtool/dbtool/diagram"
	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/internal/mermaidcheck"
	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/dbtool/dbtool/metadata"
	_ "modernc.org/sqlite"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// corpusDir holds real public schemas, shared by the project's checkouts.
var corpusDir = filepath.Join("..", "..", "shared", "corpus")

// corpus returns the corpus's SQL files for a database, or skips.
func corpus(t *testing.T, db string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(corpusDir, db, "*.sql"))
	if len(files) == 0 {
		t.Skipf("no corpus of real %s schemas in %s (the shared/ directory beside the checkout)", db, filepath.Join(corpusDir, db))
	}
	return files
}

// TestCorpusSQLite loads each real SQLite schema, inspects it and holds
// its documentation and diagrams to what they must be.
func TestCorpusSQLite(t *testing.T) {
	for _, file := range corpus(t, "sqlite") {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".sql"), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "corpus.db")
			db, err := sql.Open("sqlite", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = db.Exec(string(src))
			db.Close()
			if err != nil {
				t.Fatalf("loading %s: %v", file, err)
			}
			checkCorpus(t, "sqlite:///"+filepath.ToSlash(path))
		})
	}
}

// TestCorpusPostgres does the same on PostgreSQL, each schema loaded with
// psql into a fresh database of the test cluster (internal/pgtest).
func TestCorpusPostgres(t *testing.T) {
	for _, file := range corpus(t, "postgres") {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".sql"), func(t *testing.T) {
			url := pgtest.URL(t)
			psql := pgtest.Bin("psql")
			if psql == "" {
				t.Fatal("psql is not installed beside the PostgreSQL server")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", file)
			var errOut bytes.Buffer
			cmd.Stderr = &errOut
			if err := cmd.Run(); err != nil {
				t.Fatalf("psql -f %s: %v\n%s", file, err, errOut.String())
			}
			checkCorpus(t, url)
		})
	}
}

// checkCorpus inspects the database at url and checks its pages (see
// checkPages), that every table's page names every column and every
// table referencing it, and that its diagrams hold: valid Mermaid, SVG
// naming every table, and DOT that Graphviz draws when it is installed.
func checkCorpus(t *testing.T, url string) {
	t.Helper()
	ctx := context.Background()
	eng, err := engine.Open(ctx, url, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	res, err := eng.Inspect(ctx, inspector.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Schema
	if len(m.Tables) == 0 {
		t.Fatal("no tables inspected")
	}
	files := Pages(m)
	checkPages(t, "corpus", m, files)
	byName := map[string]string{}
	for _, f := range files {
		byName[f.Name] = string(f.Data)
	}
	names := pageNames(refsOf(m))
	for i := range m.Tables {
		tb := &m.Tables[i]
		page := byName[names[tb.Ref()]]
		for _, c := range tb.Columns {
			if !strings.Contains(page, code(c.Name)) {
				t.Errorf("the page of %s does not list column %s", tb.Ref(), c.Name)
			}
		}
		for _, fk := range tb.ForeignKeys {
			target := byName[names[fk.References.Ref()]]
			if target != "" && !strings.Contains(target, "| referenced by | "+link(names, tb.Ref())+" |") {
				t.Errorf("the page of %s does not say %s references it", fk.References.Ref(), tb.Ref())
			}
		}
	}
	if err := mermaidcheck.Check(string(diagram.Mermaid(m))); err != nil {
		t.Error(err)
	}
	svg := string(diagram.SVG(m))
	for i := range m.Tables {
		if !strings.Contains(svg, "<title>"+xmlEscape(m.Tables[i].Ref().String())+"</title>") {
			t.Errorf("table %s is not in the SVG", m.Tables[i].Ref())
		}
	}
	if dot, err := exec.LookPath("dot"); err == nil {
		cmd := exec.Command(dot, "-Tsvg", "-o", os.DevNull)
		cmd.Stdin = bytes.NewReader(diagram.DOT(m))
		if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("dot -Tsvg: %v\n%s", err, out)
		}
	}
}

func refsOf(m *metadata.MetaData) []metadata.TableRef {
	var refs []metadata.TableRef
	for i := range m.Tables {
		refs = append(refs, m.Tables[i].Ref())
	}
	for i := range m.Views {
		refs = append(refs, m.Views[i].Ref())
	}
	return refs
}

func link(names map[metadata.TableRef]string, r metadata.TableRef) string {
	return "[" + text(r.String()) + "](" + names[r] + ")"
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}
