package engine_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/metadata"
)

// concurrent is how many applies or create-alls the concurrency tests
// start at once.
const concurrent = 8

// atOnce opens concurrent engines on url, each its own connections as
// separate processes would have, then runs do on each of them at the
// same moment, and returns their errors.
func atOnce(t *testing.T, url string, do func(i int, eng *engine.Engine) error) []error {
	t.Helper()
	engs := make([]*engine.Engine, concurrent)
	for i := range engs {
		engs[i] = open(t, url, engine.Options{Create: true})
	}
	start := make(chan struct{})
	errs := make([]error, concurrent)
	var wg sync.WaitGroup
	for i, eng := range engs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = do(i, eng)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// TestApplyConcurrent: eight applies of the same change started at once
// on one database: exactly one applies it, the others find no changes,
// none fails, and the history has one row.
func TestApplyConcurrent(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			a, rows := faultA()
			f := newFixture(t, db, a, rows...)
			b := parse(t, faultB(false))
			results := make([]*engine.ApplyResult, concurrent)
			errs := atOnce(t, f.url, func(i int, eng *engine.Engine) error {
				var err error
				results[i], err = eng.Apply(context.Background(), b, engine.ApplyOptions{LockWait: 2 * time.Minute})
				return err
			})
			applied := 0
			for i, err := range errs {
				switch {
				case err != nil:
					t.Errorf("apply %d: %v", i, err)
				case results[i].Applied:
					applied++
				case len(results[i].Plan.Changes) != 0:
					t.Errorf("apply %d neither applied nor found nothing to do:\n%s", i, describe(results[i].Plan))
				}
			}
			if applied != 1 {
				t.Errorf("%d applies applied the change, want exactly 1", applied)
			}
			if h, err := f.eng.History(context.Background()); err != nil || len(h) != 1 {
				t.Errorf("history: %d rows, %v; want 1", len(h), err)
			}
		})
	}
}

// TestCreateAllConcurrent: eight create-alls of the same schema started at
// once on an empty database, as a new user might run them: exactly one
// creates everything, the others skip everything, none fails.
func TestCreateAllConcurrent(t *testing.T) {
	m, err := metadata.Load("../testdata/schemas/shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			url := db.url(t)
			results := make([]*engine.CreateAllResult, concurrent)
			errs := atOnce(t, url, func(i int, eng *engine.Engine) error {
				var err error
				results[i], err = eng.CreateAll(context.Background(), m, engine.CreateAllOptions{LockWait: 2 * time.Minute})
				return err
			})
			created := 0
			for i, err := range errs {
				switch {
				case err != nil:
					t.Errorf("create-all %d: %v", i, err)
				case len(results[i].Created) == len(m.Tables)+len(m.Views) && len(results[i].Skipped) == 0:
					created++
				case len(results[i].Created) != 0:
					t.Errorf("create-all %d created %v and skipped %v: want all or nothing", i, results[i].Created, results[i].Skipped)
				}
			}
			if created != 1 {
				t.Errorf("%d create-alls created the schema, want exactly 1", created)
			}
			eng := open(t, url, engine.Options{})
			if p, err := eng.Plan(context.Background(), m, engine.PlanOptions{}); err != nil || len(p.Changes) != 0 {
				t.Errorf("after the create-alls: %v, changes %s", err, fmt.Sprint(p))
			}
		})
	}
}
