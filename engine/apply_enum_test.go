package engine_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/engine"
)

// ordersA is an enum and a table using it, with rows: the shape of a
// status column that grows a value.
const ordersA = `
enums:
  - {name: order_status, values: [pending, paid, shipped]}
tables:
  - name: orders
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: status, type: order_status, nullable: false, default: pending}
      - {name: total, type: integer, nullable: false}
`

var ordersRows = []string{`INSERT INTO orders (id, status, total) VALUES (1, 'pending', 10), (2, 'shipped', 20)`}

// TestApplyEnumValueUsed: a plan that adds an enum value and uses it in
// the same file (a view, a check, a new column's default) applies in one
// run, as written: PostgreSQL refuses a new value until the transaction
// that adds it commits, so the value commits first, on its own. The
// check's data count, which cannot name the value yet, becomes a warning.
func TestApplyEnumValueUsed(t *testing.T) {
	b := strings.Replace(ordersA, "[pending, paid, shipped]", "[pending, paid, shipped, cancelled]", 1) + `
      - {name: reason, type: order_status, default: cancelled}
    checks:
      - {name: ck_orders_cancelled, expr: "status <> 'cancelled' OR total = 0"}
views:
  - name: live_orders
    definition: SELECT id, total FROM orders WHERE status NOT IN ('shipped', 'cancelled')
`
	ctx := context.Background()
	f := newFixture(t, databases[1], ordersA, ordersRows...)
	res, err := f.eng.Apply(ctx, parse(t, b), engine.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var first []string
	for _, st := range res.Plan.Statements {
		if st.CommitFirst {
			first = append(first, st.SQL)
		}
	}
	if want := []string{"ALTER TYPE order_status ADD VALUE 'cancelled' AFTER 'shipped'"}; !slices.Equal(first, want) {
		t.Errorf("statements committed first: %q, want %q", first, want)
	}
	if !slices.ContainsFunc(res.Plan.Warnings, func(w string) bool {
		return strings.Contains(w, `check "ck_orders_cancelled" of table "orders": existing rows not counted`)
	}) {
		t.Errorf("warnings %q: want the check's rows not counted", res.Plan.Warnings)
	}
	again, err := f.eng.Apply(ctx, parse(t, b), engine.ApplyOptions{DryRun: true})
	if err != nil || len(again.Plan.Statements) != 0 {
		t.Fatalf("after the apply: %v, %d statements; want none", err, len(again.Plan.Statements))
	}
	if h, err := f.eng.History(ctx); err != nil || len(h) != 1 {
		t.Errorf("history: %d entries, %v; want 1", len(h), err)
	}
	var n int
	if err := f.raw.QueryRow("SELECT count(*) FROM live_orders").Scan(&n); err != nil || n != 1 {
		t.Errorf("live_orders: %d rows, %v; want 1", n, err)
	}
}

// TestApplyEnumValueKeptOnFailure: when the transaction after a value
// committed first fails, the value stays, the error says so, the rest is
// rolled back with no history, and the next apply goes on from there.
func TestApplyEnumValueKeptOnFailure(t *testing.T) {
	const c = `
    checks:
      - {name: ck_orders_refunded, expr: "status <> 'refunded' AND total < 15"}
views:
  - name: refunds
    definition: SELECT id FROM orders WHERE status = 'refunded'
`
	b := strings.Replace(ordersA, "[pending, paid, shipped]", "[pending, paid, shipped, refunded]", 1)
	ctx := context.Background()
	f := newFixture(t, databases[1], ordersA, ordersRows...)
	// The check's count cannot name 'refunded' before it exists: the
	// server finds order 2's total of 20 half-way.
	_, err := f.eng.Apply(ctx, parse(t, b+c), engine.ApplyOptions{})
	var se *engine.StatementError
	if !errors.As(err, &se) || pgCode(err) != "23514" {
		t.Fatalf("error %v, want the server's check violation", err)
	}
	if want := `(committed before the transaction, and kept: value "refunded" of enum "order_status"; the next apply goes on from there)`; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
	var values string
	if err := f.raw.QueryRow("SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'order_status'::regtype").Scan(&values); err != nil || values != "pending,paid,shipped,refunded" {
		t.Errorf("enum values %q, %v: want refunded kept", values, err)
	}
	var views int
	if err := f.raw.QueryRow("SELECT count(*) FROM pg_views WHERE viewname = 'refunds'").Scan(&views); err != nil || views != 0 {
		t.Errorf("%d views named refunds, %v: want the transaction rolled back", views, err)
	}
	if h, err := f.eng.History(ctx); err != nil || h != nil {
		t.Errorf("history %v, %v: want none", h, err)
	}
	// Fixed: the check dropped. The value exists, so nothing commits
	// first, and the view uses it in the one transaction.
	fixed := strings.Replace(b+c, "      - {name: ck_orders_refunded, expr: \"status <> 'refunded' AND total < 15\"}\n", "", 1)
	fixed = strings.Replace(fixed, "    checks:\n", "", 1)
	res, err := f.eng.Apply(ctx, parse(t, fixed), engine.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range res.Plan.Statements {
		if st.CommitFirst || strings.Contains(st.SQL, "ADD VALUE") {
			t.Errorf("rerun planned %q again", st.SQL)
		}
	}
	if h, err := f.eng.History(ctx); err != nil || len(h) != 1 {
		t.Errorf("history: %d entries, %v; want 1", len(h), err)
	}
}
