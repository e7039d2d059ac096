package engine_test

import (
	"context"
	"encoding/json"
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

// TestApplyKeepsViewsByColumn: on PostgreSQL a plan that retypes one
// column, adds a NOT NULL to another and reorders an enum, on a table
// with rows, recreates only the views that read the retyped and enum
// columns (PostgreSQL refuses to change them under a view). The others
// stand, and the materialized view keeps its rows; the recreated ones are
// granted again what they had (on the view, on a column, to PUBLIC, with
// grant option). The database converges.
func TestApplyKeepsViewsByColumn(t *testing.T) {
	schema := func(aType, bNull, moods string) string {
		return `
enums:
  - {name: mood, values: [` + moods + `]}
tables:
  - name: t
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: a, type: ` + aType + `}
      - {name: b, type: text, nullable: ` + bNull + `}
      - {name: m, type: mood}
views:
  - {name: va, definition: "select id, a from t"}
  - {name: vb, definition: "select id, b from t"}
  - {name: vm, definition: "select id, m from t"}
  - {name: onb, definition: "select b from vb"}
  - {name: mv, definition: "select b, count(*) as n from t group by b", materialized: true}
`
	}
	ctx := context.Background()
	url := pgtest.URL(t)
	eng, err := engine.Open(ctx, url, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	if _, err := eng.CreateAll(ctx, parse(t, schema("integer", "true", "sad, ok")), engine.CreateAllOptions{}); err != nil {
		t.Fatal(err)
	}
	role, _ := loginRole(t, url)
	raw := rawDB(t, url)
	for _, q := range []string{
		"INSERT INTO t SELECT g, g, 'b' || (g % 3), CASE WHEN g % 2 = 0 THEN 'ok' ELSE 'sad' END::mood FROM generate_series(1, 50) g",
		"REFRESH MATERIALIZED VIEW mv",
		"GRANT SELECT ON va, vb, vm, onb, mv TO " + role,
		"GRANT UPDATE (a) ON va TO " + role,
		"GRANT SELECT ON vm TO PUBLIC",
		"GRANT INSERT, DELETE ON vm TO " + role + " WITH GRANT OPTION",
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	// The grants, each list in order: granted again, they may come in
	// another order.
	const acls = `SELECT c.relname, array(SELECT x::text FROM unnest(c.relacl) x ORDER BY 1)::text,
		  coalesce(string_agg(a.attname || ':' || a.attacl::text, ' '), '')
		FROM pg_class c LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attacl IS NOT NULL
		WHERE c.relname IN ('va', 'vb', 'vm', 'onb', 'mv') GROUP BY c.relname, c.relacl ORDER BY 1`
	grantsBefore := queryRows(t, raw, acls)
	want := parse(t, schema("bigint", "false", "ok, sad"))
	plan, err := eng.Plan(ctx, want, engine.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := changeKinds(plan.Changes)
	for _, v := range []string{`view "va"`, `view "vm"`} {
		if !strings.Contains(kinds, "DropView "+v+"\n") {
			t.Errorf("%s reads a column that changes type and is not recreated:\n%s", v, kinds)
		}
	}
	for _, v := range []string{`view "vb"`, `view "onb"`, `materialized view "mv"`} {
		if strings.Contains(kinds, " "+v+"\n") {
			t.Errorf("%s reads no column that changes type, and is recreated:\n%s", v, kinds)
		}
	}
	if _, err := eng.Apply(ctx, want, engine.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := queryRows(t, raw, acls); got != grantsBefore {
		t.Errorf("grants after apply:\n%swant those before, the recreated views' granted again:\n%s", got, grantsBefore)
	}
	if got := queryRows(t, raw, "SELECT sum(n) FROM mv"); got != "50\n" {
		t.Errorf("the materialized view's rows: %q, want a sum of 50", got)
	}
	if got := queryRows(t, raw, "SELECT count(*) FROM vm WHERE m = 'ok'"); got != "25\n" {
		t.Errorf("rows of vm with m = ok after the enum's recreation: %q, want 25", got)
	}
	again, err := eng.Plan(ctx, want, engine.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Changes) > 0 {
		t.Errorf("after apply, the plan still lists:\n%s", changeKinds(again.Changes))
	}
}

// TestApplySavedPlanViews: a saved plan whose views the server's record
// decides (one replaced in place, one left standing beside a change of
// its table) applies, through its file: apply computes the same
// statements again from the live server and the saved view shapes, where
// it used to recreate both and refuse the plan as edited.
func TestApplySavedPlanViews(t *testing.T) {
	schema := func(bNull, vDef string) string {
		return `
tables:
  - name: t
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: b, type: text, nullable: ` + bNull + `}
views:
  - {name: v, definition: "` + vDef + `"}
  - {name: w, definition: "select id from t"}
`
	}
	ctx := context.Background()
	eng, err := engine.Open(ctx, pgtest.URL(t), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	if _, err := eng.CreateAll(ctx, parse(t, schema("true", "select id from t")), engine.CreateAllOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := eng.Exec(ctx, "INSERT INTO t VALUES (1, 'x')"); err != nil {
		t.Fatal(err)
	}
	plan, err := eng.Plan(ctx, parse(t, schema("false", "select id, b from t")), engine.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := changeKinds(plan.Changes)
	if !strings.Contains(kinds, `ReplaceView view "v"`) || strings.Contains(kinds, `view "w"`) {
		t.Fatalf("the plan should replace v in place and leave w standing:\n%s", kinds)
	}
	sp, err := plan.Save(eng.URL.Dialect, "test")
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(sp)
	if err != nil {
		t.Fatal(err)
	}
	read, err := engine.ReadSavedPlan("plan.json", data)
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Apply(ctx, nil, engine.ApplyOptions{Saved: read})
	if err != nil {
		t.Fatalf("the saved plan: %v", err)
	}
	if got := changeKinds(res.Plan.Changes); got != kinds {
		t.Errorf("applied:\n%swant the saved plan's changes:\n%s", got, kinds)
	}
}
