package migrate

import (
	"strings"
	"testing"

	"github.com/dbtool/dbtool/metadata"
	"github.com/google/go-cmp/cmp"
)

func parse(t *testing.T, src string) *metadata.MetaData {
	t.Helper()
	m, err := metadata.Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func objects(changes []Change) []string {
	out := make([]string, len(changes))
	for i, c := range changes {
		out[i] = c.Object()
	}
	return out
}

func TestPlanCreateAllOrder(t *testing.T) {
	m := parse(t, `
schemas: [{name: app}]
functions:
  - name: report
    definition: |
      CREATE FUNCTION report() RETURNS SETOF orders LANGUAGE sql
      AS $$ SELECT * FROM customers $$
  - name: positive
    args: integer
    definition: "CREATE FUNCTION positive(integer) RETURNS boolean LANGUAGE sql AS $$ SELECT $1 > 0 $$"
views:
  - {name: big_orders, definition: "SELECT * FROM order_totals WHERE total > 100"}
  - {name: order_totals, definition: "SELECT o.id, sum(i.price) AS total FROM orders o JOIN items i ON i.order_id = o.id GROUP BY o.id"}
tables:
  - name: items
    columns: [{name: id, type: integer, primary_key: true}, {name: order_id, type: integer}, {name: price, type: integer}]
    foreign_keys: [{columns: [order_id], references: {table: orders, columns: [id]}}]
    checks: [{expr: "positive(price)"}]
  - name: orders
    columns: [{name: id, type: integer, primary_key: true}, {name: customer_id, type: integer}]
    foreign_keys: [{columns: [customer_id], references: {schema: app, table: customers, columns: [id]}}]
  - name: customers
    schema: app
    columns: [{name: id, type: integer, primary_key: true}, {name: parent, type: integer}]
    foreign_keys: [{columns: [parent], references: {schema: app, table: customers, columns: [id]}}]
`)
	p := PlanCreateAll(m, nil)
	got := objects(p.Changes)
	want := []string{
		`schema "app"`,
		`function "positive"(integer)`, // needed by items' check
		`table "app"."customers"`,      // self-reference is no dependency
		`table "orders"`,
		`function "report"()`, // its result type is the orders table
		`table "items"`,
		`view "order_totals"`,
		`view "big_orders"`,
	}
	// report only needs orders, positive only items: check relative order.
	pos := map[string]int{}
	for i, o := range got {
		pos[o] = i
	}
	before := func(a, b string) {
		t.Helper()
		ia, oka := pos[a]
		ib, okb := pos[b]
		if !oka || !okb || ia > ib {
			t.Errorf("%s must come before %s; order:\n%s", a, b, strings.Join(got, "\n"))
		}
	}
	if len(got) != len(want) {
		t.Fatalf("got %d changes, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	before(`schema "app"`, `table "app"."customers"`)
	before(`table "app"."customers"`, `table "orders"`)
	before(`table "orders"`, `table "items"`)
	before(`function "positive"(integer)`, `table "items"`)
	before(`table "orders"`, `function "report"()`)
	before(`table "items"`, `view "order_totals"`)
	before(`view "order_totals"`, `view "big_orders"`)
	if len(p.Skipped) != 0 {
		t.Errorf("skipped %v", p.Skipped)
	}
}

func TestPlanCreateAllDefersCycleForeignKeys(t *testing.T) {
	m := parse(t, `
tables:
  - name: a
    columns: [{name: id, type: integer, primary_key: true}, {name: b_id, type: integer}]
    foreign_keys: [{name: a_b, columns: [b_id], references: {table: b, columns: [id]}}]
  - name: b
    columns: [{name: id, type: integer, primary_key: true}, {name: a_id, type: integer}]
    foreign_keys: [{name: b_a, columns: [a_id], references: {table: a, columns: [id]}}]
`)
	p := PlanCreateAll(m, nil)
	want := []string{`table "b"`, `table "a"`, `foreign key "b_a" on table "b"`}
	if diff := cmp.Diff(want, objects(p.Changes)); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	b := p.Changes[0].(AddTable)
	if diff := cmp.Diff([]int{0}, b.DeferredForeignKeys); diff != "" {
		t.Errorf("deferred (-want +got):\n%s", diff)
	}
	if a := p.Changes[1].(AddTable); len(a.DeferredForeignKeys) != 0 {
		t.Errorf("a defers %v", a.DeferredForeignKeys)
	}
}

func TestPlanCreateAllPartitionsAndSequences(t *testing.T) {
	m := parse(t, `
sequences: [{name: counter, owned_by: events.n}]
tables:
  - name: events_2024
    partition_of: {parent: {table: events}, bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"}
  - name: events
    partition_by: RANGE (at)
    columns: [{name: at, type: date}, {name: n, type: bigint, default: {expr: "nextval('counter')"}}]
`)
	got := objects(PlanCreateAll(m, nil).Changes)
	want := []string{`sequence "counter"`, `table "events"`, `table "events_2024"`, `sequence "counter"`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if _, ok := PlanCreateAll(m, nil).Changes[3].(SetSequenceOwner); !ok {
		t.Error("the last change should set the sequence's owner")
	}
}

func TestPlanCreateAllSkipsWhatExists(t *testing.T) {
	m := parse(t, `
tables:
  - {name: a, columns: [{name: id, type: integer}], indexes: [{name: a_ix, columns: [id]}]}
  - {name: b, columns: [{name: id, type: integer}]}
virtual_tables: [{name: docs, using: "fts5(body)"}]
views: [{name: v, definition: "SELECT id FROM a"}]
triggers: [{name: t, table: a, definition: "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END"}]
`)
	live := parse(t, `
tables: [{name: a, columns: [{name: id, type: integer}]}]
views: [{name: v, definition: "SELECT 1"}]
`)
	p := PlanCreateAll(m, live)
	if diff := cmp.Diff([]string{`table "b"`, `virtual table "docs"`, `trigger "t" on "a"`}, objects(p.Changes)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{`table "a"`, `view "v"`}, p.Skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	// Against itself, nothing is left to do.
	again := PlanCreateAll(m, m)
	if len(again.Changes) != 0 {
		t.Errorf("second run plans %v", objects(again.Changes))
	}
}

func TestIdentifiers(t *testing.T) {
	got := identifiers(`SELECT "Order Lines".x, o.id -- orders
FROM app.orders o WHERE name = 'customers' AND [Big]`)
	want := []string{"select", "order lines", "x", "o", "id", "from", "app", "orders", "o", "where", "name", "and", "big"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestPlanCreateAllOrdersPolicyFunctions(t *testing.T) {
	m := parse(t, `
tables:
  - name: docs
    columns: [{name: owner, type: text}]
    row_level_security: true
    policies: [{name: mine, using: "is_owner(owner)"}]
functions:
  - {name: is_owner, args: text, definition: "CREATE FUNCTION is_owner(text) RETURNS boolean LANGUAGE sql AS $$ SELECT $1 = current_user $$"}
`)
	got := objects(PlanCreateAll(m, nil).Changes)
	want := []string{`function "is_owner"(text)`, `table "docs"`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
