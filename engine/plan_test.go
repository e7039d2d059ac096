package engine_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// describe lists a plan's changes and statements for a failure message.
func describe(p *engine.MigrationPlan) string {
	var b strings.Builder
	for _, c := range p.Changes {
		fmt.Fprintf(&b, "  %T %s\n", c, c.Object())
		if mt, ok := c.(migrate.ModifyTable); ok {
			for _, tc := range mt.Changes {
				fmt.Fprintf(&b, "      %T %s\n", tc, tc.Object())
				if mc, ok := tc.(migrate.ModifyColumn); ok {
					fmt.Fprintf(&b, "        %s: %#v -> %#v\n", mc.Change, mc.From, mc.To)
				}
			}
		}
	}
	for _, s := range p.Statements {
		b.WriteString("  " + s.SQL + ";\n")
	}
	return b.String()
}

// corpusDir is where the team's real public schemas are.
const corpusDir = "../../shared/corpus"

// loadCorpusFile loads a corpus schema as its README says: psql for
// PostgreSQL, the whole script through the driver for SQLite.
func loadCorpusFile(t *testing.T, dialect, url, file string) {
	t.Helper()
	switch dialect {
	case "postgres":
		psql := pgtest.Bin("psql")
		if psql == "" {
			t.Fatal("psql is not installed")
		}
		out, err := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", file).CombinedOutput()
		if err != nil {
			t.Fatalf("psql -f %s: %v\n%s", file, err, out)
		}
	case "sqlite":
		script, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite", strings.TrimPrefix(url, "sqlite:///"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(string(script)); err != nil {
			t.Fatalf("loading %s: %v", file, err)
		}
	}
}

// TestPlanCorpusNoChanges: every real schema of the corpus, loaded as its
// authors load it, inspected into a schema file, plans no change against
// itself: inspect's output is valid input, and the plan sees nothing that
// is not there. So does the .sql script it was loaded from.
func TestPlanCorpusNoChanges(t *testing.T) {
	for _, db := range databases {
		files, _ := filepath.Glob(filepath.Join(corpusDir, db.dir, "*.sql"))
		pairs, _ := filepath.Glob(filepath.Join(corpusDir, "pairs", "river-"+map[string]string{"sqlite": "sqlite", "postgres": "pg"}[db.name], "*.sql"))
		files = append(files, pairs...)
		if len(files) == 0 {
			t.Skipf("no corpus at %s: the shared corpus is absent", corpusDir)
		}
		for _, file := range files {
			t.Run(db.name+"/"+filepath.Base(filepath.Dir(file))+"/"+filepath.Base(file), func(t *testing.T) {
				t.Parallel()
				url := db.url(t)
				loadCorpusFile(t, db.name, url, file)
				eng := open(t, url, engine.Options{})
				y, err := metadata.EncodeYAML(inspect(t, eng))
				if err != nil {
					t.Fatal(err)
				}
				want, err := metadata.Parse("inspected.yaml", y)
				if err != nil {
					t.Fatalf("inspected YAML does not read back: %v", err)
				}
				plan, err := eng.Plan(context.Background(), want, engine.PlanOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if len(plan.Changes) != 0 {
					t.Fatalf("plan of the inspection against its own database is not empty:\n%s", describe(plan))
				}
				// The script itself, as a team that keeps its schema as
				// that .sql file uses it. pg_dump's scripts empty the
				// session's search_path (and sakila's turns
				// standard_conforming_strings off): the source is read as
				// a new session reads a database, public the current schema.
				plan, _, err = eng.PlanSource(context.Background(), []string{file}, nil, engine.PlanOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if len(plan.Changes) != 0 {
					t.Fatalf("plan of the script against the database it was loaded into is not empty:\n%s", describe(plan))
				}
			})
		}
	}
}
