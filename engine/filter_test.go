package engine_test

import (
	"context"
	"testing"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// TestPlanFilterDropsNothingLeftOut: a filter selects what a plan
// compares, and what it leaves out is never changed, let alone dropped.
// A database holds tables a, b and c; the schema declares a alone, with a
// new column. With --table a the plan changes a only; without a filter,
// b and c are dropped, marked destructive.
func TestPlanFilterDropsNothingLeftOut(t *testing.T) {
	table := func(schema, name string) metadata.Table {
		return metadata.Table{Schema: schema, Name: name, Columns: []metadata.Column{
			{Name: "id", Type: metadata.Integer{Bytes: 4}},
		}, PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}}}
	}
	live := &metadata.MetaData{Tables: []metadata.Table{table("", "a"), table("", "b"), table("", "c")}}
	want := &metadata.MetaData{Tables: []metadata.Table{table("", "a")}}
	want.Tables[0].Columns = append(want.Tables[0].Columns, metadata.Column{Name: "note", Type: metadata.Text{}, Nullable: true})

	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			eng := open(t, db.url(t), engine.Options{Create: true})
			if _, err := eng.CreateAll(ctx, live, engine.CreateAllOptions{}); err != nil {
				t.Fatal(err)
			}
			plan, err := eng.Plan(ctx, want, engine.PlanOptions{Filter: metadata.Filter{Tables: []string{"a"}}})
			if err != nil {
				t.Fatal(err)
			}
			if got := changeKinds(plan.Changes); got != "ModifyTable table \"a\"\n    AddColumn column \"note\"\n" {
				t.Errorf("with --table a:\n%s", got)
			}
			if migrate.Worst(plan.Changes).Destructive() {
				t.Error("with --table a the plan is destructive")
			}

			plan, err = eng.Plan(ctx, want, engine.PlanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want := "ModifyTable table \"a\"\n    AddColumn column \"note\"\nDropTable table \"c\"\nDropTable table \"b\"\n" // dropped in reverse order of creation
			if got := changeKinds(plan.Changes); got != want {
				t.Errorf("without a filter:\n%swant\n%s", got, want)
			}
			for _, c := range plan.Changes {
				if _, ok := c.(migrate.DropTable); ok && !migrate.HazardOf(c).Destructive() {
					t.Errorf("%s is not marked destructive", c.Object())
				}
			}
		})
	}
}

// TestPlanSchemaFilter: on PostgreSQL, --schema compares one namespace
// and leaves the others alone, though the file declares nothing of them.
func TestPlanSchemaFilter(t *testing.T) {
	db := databases[1]
	if db.name != "postgres" {
		t.Fatal("databases[1] is not PostgreSQL")
	}
	ctx := context.Background()
	live := &metadata.MetaData{
		Schemas: []metadata.Schema{{Name: "sales"}},
		Tables: []metadata.Table{
			{Name: "users", Columns: []metadata.Column{{Name: "id", Type: metadata.Integer{Bytes: 4}}}},
			{Schema: "sales", Name: "orders", Columns: []metadata.Column{{Name: "id", Type: metadata.Integer{Bytes: 4}}}},
			{Schema: "sales", Name: "old_orders", Columns: []metadata.Column{{Name: "id", Type: metadata.Integer{Bytes: 4}}}},
		},
	}
	want := &metadata.MetaData{
		Schemas: []metadata.Schema{{Name: "sales"}},
		Tables: []metadata.Table{
			{Schema: "sales", Name: "orders", Columns: []metadata.Column{
				{Name: "id", Type: metadata.Integer{Bytes: 4}, Nullable: true},
				{Name: "total", Type: metadata.Integer{Bytes: 4}, Nullable: true},
			}},
		},
	}
	live.Tables[0].Columns[0].Nullable = true
	live.Tables[1].Columns[0].Nullable = true
	live.Tables[2].Columns[0].Nullable = true
	eng := open(t, db.url(t), engine.Options{})
	if _, err := eng.CreateAll(ctx, live, engine.CreateAllOptions{}); err != nil {
		t.Fatal(err)
	}
	plan, err := eng.Plan(ctx, want, engine.PlanOptions{Filter: metadata.Filter{Schemas: []string{"sales"}}})
	if err != nil {
		t.Fatal(err)
	}
	wantKinds := "ModifyTable table \"sales\".\"orders\"\n    AddColumn column \"total\"\nDropTable table \"sales\".\"old_orders\"\n"
	if got := changeKinds(plan.Changes); got != wantKinds {
		t.Errorf("with --schema sales:\n%swant\n%s", got, wantKinds)
	}
	if err := applyAll(ctx, eng, want, engine.PlanOptions{Filter: metadata.Filter{Schemas: []string{"sales"}}}); err != nil {
		t.Fatal(err)
	}
	res := inspect(t, eng)
	if res.Table(metadata.TableRef{Name: "users"}) == nil {
		t.Error("public.users was dropped by a plan filtered to schema sales")
	}
}
