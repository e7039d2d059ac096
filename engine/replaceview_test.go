package engine_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/dbtool/dbtool/migrate"
)

// TestPlanReplacesViews: on PostgreSQL a view whose columns stay (a new
// one at the end aside) is replaced in place, and the view that reads it
// is left alone; a view whose columns change order or type is dropped
// and created again, with its readers. SQLite, which has no CREATE OR
// REPLACE VIEW, recreates them all. Either way the database converges.
func TestPlanReplacesViews(t *testing.T) {
	const tables = `
tables:
  - name: t
    columns:
      - {name: a, type: integer}
      - {name: b, type: text, nullable: true}
views:
  - name: w
    definition: select a from v
`
	const before = tables + `
  - name: v
    definition: select a from t
  - name: x
    definition: select a, b from t
  - name: y
    definition: select a from t
`
	const after = tables + `
  - name: v
    definition: select a, b from t where a > 0
  - name: x
    definition: select b, a from t
  - name: y
    definition: select cast(a as bigint) as a from t
`
	cases := map[string]struct {
		url  func() string
		want string // the view changes, in plan order
	}{
		"postgres": {func() string { return pgtest.URL(t) }, `DropView view "y"
DropView view "x"
ReplaceView view "v"
AddView view "x"
AddView view "y"
`},
		"sqlite": {func() string { return "sqlite:///" + filepath.Join(t.TempDir(), "v.db") }, `DropView view "y"
DropView view "x"
DropView view "w"
DropView view "v"
AddView view "v"
AddView view "w"
AddView view "x"
AddView view "y"
`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			eng, err := engine.Open(ctx, c.url(), engine.Options{Create: true})
			if err != nil {
				t.Fatal(err)
			}
			defer eng.Close()
			if _, err := eng.CreateAll(ctx, parse(t, before), engine.CreateAllOptions{}); err != nil {
				t.Fatal(err)
			}
			want := parse(t, after)
			plan, err := eng.Plan(ctx, want, engine.PlanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var views []migrate.Change
			for _, ch := range plan.Changes {
				switch ch.(type) {
				case migrate.AddView, migrate.DropView, migrate.ReplaceView:
					views = append(views, ch)
				}
			}
			if got := changeKinds(views); got != c.want {
				t.Errorf("view changes:\n%swant:\n%s", got, c.want)
			}
			replaced := false
			for _, s := range plan.Statements {
				replaced = replaced || strings.HasPrefix(s.SQL, "CREATE OR REPLACE VIEW")
			}
			if replaced != (name == "postgres") {
				t.Errorf("CREATE OR REPLACE VIEW among the statements: %v", replaced)
			}
			if _, err := eng.Apply(ctx, want, engine.ApplyOptions{}); err != nil {
				t.Fatal(err)
			}
			again, err := eng.Plan(ctx, want, engine.PlanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Changes) > 0 {
				t.Errorf("after apply, the plan still lists %d changes: %v", len(again.Changes), again.Changes)
			}
		})
	}
}

// TestPlanViewReadsAsRecorded: on PostgreSQL the views a changed table
// touches are those the server records as reading it (pg_depend), so a
// view that only names it (SELECT 1 AS t) stays; SQLite records nothing,
// and the names in the query count.
func TestPlanViewReadsAsRecorded(t *testing.T) {
	schema := func(typ string) string {
		return `
tables:
  - name: t
    columns:
      - {name: a, type: ` + typ + `}
views:
  - name: v
    definition: select a from t
  - name: z
    definition: select 1 as t
`
	}
	for name, url := range map[string]func() string{
		"postgres": func() string { return pgtest.URL(t) },
		"sqlite":   func() string { return "sqlite:///" + filepath.Join(t.TempDir(), "z.db") },
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			eng, err := engine.Open(ctx, url(), engine.Options{Create: true})
			if err != nil {
				t.Fatal(err)
			}
			defer eng.Close()
			if _, err := eng.CreateAll(ctx, parse(t, schema("integer")), engine.CreateAllOptions{}); err != nil {
				t.Fatal(err)
			}
			want := parse(t, schema("bigint"))
			plan, err := eng.Plan(ctx, want, engine.PlanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			kinds := changeKinds(plan.Changes)
			if !strings.Contains(kinds, `DropView view "v"`) {
				t.Errorf("the view that reads t is not recreated:\n%s", kinds)
			}
			if touched := strings.Contains(kinds, `view "z"`); touched != (name == "sqlite") {
				t.Errorf("the view that only names t recreated: %v, want %v:\n%s", touched, name == "sqlite", kinds)
			}
			if _, err := eng.Apply(ctx, want, engine.ApplyOptions{AllowDestructive: true}); err != nil {
				t.Fatal(err)
			}
			again, err := eng.Plan(ctx, want, engine.PlanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Changes) > 0 {
				t.Errorf("after apply, the plan still lists:\n%s", changeKinds(again.Changes))
			}
		})
	}
}
