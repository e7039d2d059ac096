package engine_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dbtool/dbtool/bench/gen"
	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/dbtool/dbtool/metadata"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql access to check rows
)

var pairCount = flag.Int("pairs", 200, "generated schema pairs per dialect for TestConvergence")

// TestConvergence is the migration's central check on generated schemas:
// for each seeded pair (A, B), with B a random edit of A, create A and put
// rows in every table, plan B and apply the plan; then a second plan is
// empty, and every row of every table that stays holds the same values in
// every column that stays. Over the run, every kind of edit appears.
func TestConvergence(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			var mu sync.Mutex
			seen := map[string]int{}
			const workers = 4
			t.Run("pairs", func(t *testing.T) {
				for w := 0; w < workers; w++ {
					t.Run(fmt.Sprint("worker", w), func(t *testing.T) {
						t.Parallel()
						c := newConverger(t, db)
						for i := w; i < *pairCount; i += workers {
							kinds := c.pair(t, int64(i))
							mu.Lock()
							for _, k := range kinds {
								seen[k]++
							}
							mu.Unlock()
							if t.Failed() {
								return
							}
						}
					})
				}
			})
			if t.Failed() {
				return
			}
			for _, k := range gen.EditKinds {
				if seen[k] == 0 {
					t.Errorf("no pair made the edit %q", k)
				}
			}
		})
	}
}

// converger runs pairs on one database (emptied between pairs) with one
// dev database for normalising.
type converger struct {
	db     database
	url    string
	devURL string
	raw    *sql.DB
	dir    string
}

func newConverger(t *testing.T, db database) *converger {
	c := &converger{db: db}
	if db.name == "postgres" {
		c.url = pgtest.URL(t)
		c.devURL = pgtest.URL(t)
		raw, err := sql.Open("pgx", c.url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { raw.Close() })
		c.raw = raw
	} else {
		c.dir = t.TempDir()
	}
	return c
}

// pair runs one seeded pair and returns the kinds of edit it made.
func (c *converger) pair(t *testing.T, seed int64) []string {
	ctx := context.Background()
	a := gen.Generate(3+int(seed%5), seed)
	if seed%3 == 0 {
		// Small generated schemas have no view: give some one, so that
		// views are changed, dropped and recreated around their table.
		a.Views = append(a.Views, metadata.View{Name: "v_first", Definition: "SELECT id FROM t_00000"})
	}
	b, kinds := gen.Edit(a, 1+int(seed%4), seed)
	url := c.url
	if c.db.name == "sqlite" {
		url = fmt.Sprintf("sqlite:///%s/pair%d.db", c.dir, seed)
		raw, err := sql.Open("sqlite", fmt.Sprintf("%s/pair%d.db", c.dir, seed))
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		c.raw = raw
	} else if _, err := c.raw.ExecContext(ctx, "DROP SCHEMA public CASCADE; CREATE SCHEMA public"); err != nil {
		t.Fatal(err)
	}
	fail := func(format string, args ...any) []string {
		t.Helper()
		t.Errorf("pair %d (edits %v): %s", seed, kinds, fmt.Sprintf(format, args...))
		return kinds
	}
	eng, err := engine.Open(ctx, url, engine.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	if _, err := eng.CreateAll(ctx, a, engine.CreateAllOptions{}); err != nil {
		return fail("create-all of A: %v", err)
	}
	rows, err := gen.Rows(a, 3, eng.Dialect().QuoteIdent)
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Exec(ctx, rows...); err != nil {
		return fail("inserting rows: %v", err)
	}
	kept := keptRelations(a, b)
	before := relationContent(t, c.db, c.raw, kept, false)

	res, err := eng.Apply(ctx, b, engine.ApplyOptions{PlanOptions: engine.PlanOptions{DevURL: c.devURL}, AllowDestructive: true})
	if err != nil {
		if res != nil {
			return fail("apply: %v\nplan:\n%s", err, describe(res.Plan))
		}
		return fail("apply: %v", err)
	}
	plan := res.Plan
	again, err := eng.Plan(ctx, b, engine.PlanOptions{DevURL: c.devURL})
	if err != nil {
		return fail("second plan: %v", err)
	}
	if len(again.Changes) != 0 {
		return fail("second plan is not empty:\n%s\nfirst plan:\n%s", describe(again), describe(plan))
	}
	after := relationContent(t, c.db, c.raw, kept, true)
	for table, want := range before {
		if got := after[table]; !slices.Equal(got, want) {
			return fail("rows of %s changed:\nbefore %q\nafter  %q\nplan:\n%s", table, want, got, describe(plan))
		}
	}
	return kinds
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
