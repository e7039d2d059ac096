package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/migrate"
)

// TestPlanFunctionArgsAsWritten: a function whose identity arguments are
// left out of the file, or written otherwise than PostgreSQL prints them,
// matches the live function its definition creates, so the plan after an
// apply is empty and a new body replaces the function in place; a new
// argument type is a new function, and the old one is dropped.
func TestPlanFunctionArgsAsWritten(t *testing.T) {
	const file = `
functions:
  - name: valid_sku
    %s
    definition: |
      create function valid_sku(s text, n int default 3) returns boolean
      language sql immutable
      as $$ select length(s) >= n and s ~ '^[A-Z]' $$
tables:
  - name: products
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: sku, type: text, nullable: false}
    checks:
      - {name: ck_sku, expr: valid_sku(sku)}
`
	ctx := context.Background()
	for _, args := range []string{"", "args: s text, n int", "args: S TEXT, N INTEGER"} {
		t.Run(args, func(t *testing.T) {
			f := newFixture(t, databases[1], strings.Replace(file, "%s", args, 1))
			p, err := f.eng.Plan(ctx, parse(t, strings.Replace(file, "%s", args, 1)), engine.PlanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Changes) != 0 {
				t.Fatalf("the applied file plans changes:\n%s", describe(p))
			}
			body := strings.Replace(file, "%s", args, 1)
			body = strings.Replace(body, "s ~ '^[A-Z]'", "s ~ '^[A-Z]{2}'", 1)
			p, err = f.eng.Plan(ctx, parse(t, body), engine.PlanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Changes) != 1 {
				t.Fatalf("a new body: want one change, got:\n%s", describe(p))
			}
			if r, ok := p.Changes[0].(migrate.ReplaceFunction); !ok || r.To.Args != "s text, n integer" {
				t.Errorf("a new body: %T %+v, want a ReplaceFunction of valid_sku(s text, n integer)", p.Changes[0], p.Changes[0])
			}
		})
	}
	t.Run("new argument type", func(t *testing.T) {
		f := newFixture(t, databases[1], strings.Replace(file, "%s", "", 1))
		other := strings.Replace(strings.Replace(file, "%s", "", 1), "valid_sku(s text,", "valid_sku(s varchar,", 1)
		p, err := f.eng.Plan(ctx, parse(t, other), engine.PlanOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := describe(p)
		for _, want := range []string{`migrate.AddFunction function "valid_sku"(s character varying, n integer)`, `migrate.DropFunction function "valid_sku"(s text, n integer)`} {
			if !strings.Contains(got, want) {
				t.Errorf("plan lacks %q:\n%s", want, got)
			}
		}
	})
}

// TestPlanDomainAsWritten: a domain whose base type is written otherwise
// than PostgreSQL prints it ("int") matches the live domain, and a new
// check alters the domain in place, where dropping it would fail on the
// column that uses it.
func TestPlanDomainAsWritten(t *testing.T) {
	const file = `
domains:
  - name: positive_int
    type: int
    checks:
      - {name: positive_int_check, expr: VALUE > 0}
tables:
  - name: stock
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: qty, type: positive_int}
`
	ctx := context.Background()
	f := newFixture(t, databases[1], file, `INSERT INTO stock VALUES (1, 5)`)
	p, err := f.eng.Plan(ctx, parse(t, file), engine.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 0 {
		t.Fatalf("the applied file plans changes:\n%s", describe(p))
	}
	b := strings.Replace(file, "VALUE > 0", "VALUE >= 0", 1)
	res, err := f.eng.Apply(ctx, parse(t, b), engine.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Plan.Changes) != 1 {
		t.Fatalf("a new check: want one change, got:\n%s", describe(res.Plan))
	}
	if _, ok := res.Plan.Changes[0].(migrate.ModifyDomain); !ok {
		t.Errorf("a new check: %T, want a ModifyDomain", res.Plan.Changes[0])
	}
}

// TestPlanCompositeTypeAsWritten: a composite type whose attribute types
// are written otherwise than PostgreSQL prints them ("int") matches the
// live type; a new attribute type is altered in place.
func TestPlanCompositeTypeAsWritten(t *testing.T) {
	const file = `
composite_types:
  - name: amount
    attributes:
      - {name: value, type: "numeric(12,2)"}
      - {name: n, type: int}
`
	ctx := context.Background()
	f := newFixture(t, databases[1], file)
	p, err := f.eng.Plan(ctx, parse(t, file), engine.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 0 {
		t.Fatalf("the applied file plans changes:\n%s", describe(p))
	}
	p, err = f.eng.Plan(ctx, parse(t, strings.Replace(file, "type: int}", "type: int8}", 1)), engine.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 1 {
		t.Fatalf("a new attribute type: want one change, got:\n%s", describe(p))
	}
	if m, ok := p.Changes[0].(migrate.ModifyCompositeType); !ok || len(m.Retype) != 1 || m.Retype[0].Type.String() != "bigint" {
		t.Errorf("a new attribute type: want a ModifyCompositeType retyping n to bigint, got:\n%s", describe(p))
	}
}
