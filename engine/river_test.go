package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/metadata"
	"github.com/google/go-cmp/cmp"
)

// riverRows are rows for the tables of the river pair's old schema, at
// least two per table where its constraints allow. river_leader's check
// (name = 'default') allows one row. river_migration gets none: the new
// schema replaces its key by a NOT NULL column line with no default,
// which no table with rows can be given (River copies the rows over in a
// DO block; a declarative migration cannot know to). Nor does SQLite's
// river_job, a one-column placeholder in old.sql that new.sql replaces by
// the real table, with NOT NULL columns (kind...) that have no default.
var riverRows = map[string][]string{
	"postgres": {
		`insert into river_job (kind, max_attempts, args, tags) values ('email', 3, '{"to": "a@example.com"}', '{urgent}'), ('report', 5, '{}', '{}')`,
		`insert into river_job (kind, max_attempts, args, state, finalized_at) values ('cleanup', 1, '{}', 'completed', '2024-05-01 10:00:00+00')`,
		`insert into river_leader (elected_at, expires_at, leader_id) values ('2024-05-01 10:00:00+00', '2024-05-01 10:05:00+00', 'host-1')`,
		`insert into river_queue (name, updated_at, metadata) values ('default', '2024-05-01 10:00:00+00', '{}'), ('slow', '2024-05-02 10:00:00+00', '{"max": 2}')`,
	},
	"sqlite": {
		`insert into river_leader (elected_at, expires_at, leader_id) values ('2024-05-01 10:00:00', '2024-05-01 10:05:00', 'host-1')`,
		`insert into river_queue (name, updated_at) values ('default', '2024-05-01 10:00:00'), ('slow', '2024-05-02 10:00:00')`,
	},
}

// emptyRiverTables are the tables riverRows leaves empty, and why.
var emptyRiverTables = map[string]bool{"postgres.river_migration": true, "sqlite.river_migration": true, "sqlite.river_job": true}

// TestRiverPair migrates a real schema between two of its versions:
// River's old.sql loaded as its authors load it, with rows, is migrated
// by dbtool to the schema of new.sql (loaded into another database and
// inspected); then a second plan is empty, the migrated database
// inspects as new.sql's does, and the rows are still there.
func TestRiverPair(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(corpusDir, "pairs", map[string]string{"sqlite": "river-sqlite", "postgres": "river-pg"}[db.name])
			if _, err := os.Stat(dir); err != nil {
				t.Skipf("no river pair at %s: the shared corpus is absent", dir)
			}
			ctx := context.Background()

			newURL := db.url(t)
			loadCorpusFile(t, db.name, newURL, filepath.Join(dir, "new.sql"))
			want := inspect(t, open(t, newURL, engine.Options{}))

			oldURL := db.url(t)
			loadCorpusFile(t, db.name, oldURL, filepath.Join(dir, "old.sql"))
			eng := open(t, oldURL, engine.Options{})
			if err := eng.Exec(ctx, riverRows[db.name]...); err != nil {
				t.Fatalf("rows: %v", err)
			}
			old := inspect(t, eng)
			raw := rawDB(t, oldURL)
			kept := keptRelations(old, want)
			before := relationContent(t, db, raw, kept, false)
			for _, k := range kept {
				if rows := before[metadata.QualifiedName(k.from.Schema, k.from.Name)]; len(rows) == 0 || rows[0] == "" {
					if !emptyRiverTables[db.name+"."+k.from.Name] {
						t.Errorf("table %s has no rows to keep", k.from.Name)
					}
				}
			}

			plan, err := eng.Plan(ctx, want, engine.PlanOptions{})
			if err != nil {
				t.Fatalf("plan: %v", err)
			}
			if len(plan.Changes) == 0 {
				t.Fatal("old and new plan no change")
			}
			if err := applyAll(ctx, eng, want, engine.PlanOptions{}); err != nil {
				t.Fatalf("apply: %v\nplan:\n%s", err, describe(plan))
			}
			again, err := eng.Plan(ctx, want, engine.PlanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Changes) != 0 {
				t.Fatalf("second plan is not empty:\n%s\nfirst plan:\n%s", describe(again), describe(plan))
			}

			got := inspect(t, eng)
			// Columns added by ALTER TABLE ... ADD COLUMN come last, where
			// new.sql may have them elsewhere (SQLite's river_job, created
			// whole in new.sql, grows from a one-column table here); the
			// diff matches columns by name, so the order is no difference.
			// Compare the columns in name order, everything else as is.
			if diff := cmp.Diff(byColumnName(metadata.Canonical(want)), byColumnName(metadata.Canonical(got))); diff != "" {
				t.Errorf("the migrated database differs from new.sql's (-new.sql +migrated):\n%s", diff)
			}
			after := relationContent(t, db, raw, kept, true)
			for rel, rows := range before {
				if got := after[rel]; !slices.Equal(got, rows) {
					t.Errorf("rows of %s changed:\nbefore %q\nafter  %q", rel, rows, got)
				}
			}
		})
	}
}

// byColumnName sorts every table's columns by name.
func byColumnName(m *metadata.MetaData) *metadata.MetaData {
	for i := range m.Tables {
		slices.SortFunc(m.Tables[i].Columns, func(a, b metadata.Column) int {
			switch {
			case a.Name < b.Name:
				return -1
			case a.Name > b.Name:
				return 1
			}
			return 0
		})
	}
	return m
}
