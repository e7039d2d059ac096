package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/metadata"
)

// TestApplyDataChecksConversions: on PostgreSQL, a type change whose
// values may not convert (text to integer, timestamp, boolean or an enum,
// a numeric that overflows its new precision) is checked before anything
// is written, each failure quoting the first value the server refused,
// where the ALTER would have failed half-way with the first alone. Once
// the rows are fixed, the same plan applies, and the values converted.
func TestApplyDataChecksConversions(t *testing.T) {
	const a = `
tables:
  - name: items
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: qty, type: text}
      - {name: at, type: text}
      - {name: flag, type: text}
      - {name: price, type: "numeric(12,4)"}
      - {name: state, type: text}
      - {name: note, type: text}
`
	const b = `
enums:
  - {name: item_state, values: [new, sold]}
tables:
  - name: items
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: qty, type: integer}
      - {name: at, type: timestamp}
      - {name: flag, type: boolean}
      - {name: price, type: "numeric(8,2)"}
      - {name: state, type: item_state}
      - {name: note, type: varchar(100)}
`
	f := newFixture(t, databases[1], a,
		`INSERT INTO items VALUES (1, '12', '2024-01-01 10:00', 'yes', 12.3456, 'new', 'a'),
			(2, 'x', 'nope', 'maybe', 12345678.5, 'lost', 'b'), (3, NULL, NULL, NULL, NULL, NULL, NULL)`)
	ctx := context.Background()
	_, err := f.eng.Apply(ctx, parse(t, b), engine.ApplyOptions{AllowDestructive: true})
	var dc *engine.DataCheckError
	if !errors.As(err, &dc) {
		t.Fatalf("error %v, want a *DataCheckError", err)
	}
	for _, want := range []string{
		`column "qty" of table "items": values do not convert to the new type (ERROR: invalid input syntax for type integer: "x"`,
		`column "at" of table "items": values do not convert to the new type (ERROR: invalid input syntax for type timestamp: "nope"`,
		`column "flag" of table "items": values do not convert to the new type (ERROR: invalid input syntax for type boolean: "maybe"`,
		`column "price" of table "items": values do not convert to the new type (ERROR: numeric field overflow`,
		// An enum the plan creates: the rows holding other values counted.
		`column "state" of table "items": 1 value does not convert to the new type`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal does not say\n  %s\nit says:\n%v", want, err)
		}
	}
	if len(dc.Failures) != 5 {
		t.Errorf("%d failures, want 5 (note converts to varchar whatever it holds):\n%v", len(dc.Failures), err)
	}
	f.unchanged(t, "a plan refused by its data checks")

	if err := f.eng.Exec(ctx, `UPDATE items SET qty = '7', at = '2024-02-02', flag = 'off', price = 123456.5, state = 'sold' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Apply(ctx, parse(t, b), engine.ApplyOptions{AllowDestructive: true}); err != nil {
		t.Fatal(err)
	}
	got := queryRows(t, f.raw, `SELECT id, qty + 1, at, flag, price, state FROM items ORDER BY id`)
	want := "1|13|2024-01-01T10:00:00Z|true|12.35|new\n2|8|2024-02-02T00:00:00Z|false|123456.50|sold\n3|<null>|<null>|<null>|<null>|<null>\n"
	if got != want {
		t.Errorf("converted rows:\n%swant:\n%s", got, want)
	}
}

// TestApplyNarrowedString: a narrowed varchar loses nothing on either
// database (PostgreSQL's ALTER fails on a value too long, SQLite keeps
// it), so it is not refused as destructive: the values that no longer fit
// are counted first, and once they fit, it applies without
// --allow-destructive.
func TestApplyNarrowedString(t *testing.T) {
	narrow := func(n string) *metadata.MetaData {
		return parse(t, strings.Replace(usersA, "{name: name, type: varchar(50)}", "{name: name, type: varchar("+n+")}", 1))
	}
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, db, usersA, usersRows...)
			_, err := f.eng.Apply(ctx, narrow("2"), engine.ApplyOptions{})
			var dc *engine.DataCheckError
			if !errors.As(err, &dc) || !strings.Contains(err.Error(), `column "name" of table "users": 3 values are longer than 2 characters`) {
				t.Fatalf("error %v, want a *DataCheckError counting Ann and both Bobs", err)
			}
			f.unchanged(t, "a narrowing refused by its data check")
			if _, err := f.eng.Apply(ctx, narrow("3"), engine.ApplyOptions{}); err != nil {
				t.Fatalf("a narrowing the values fit: %v", err)
			}
			if got := queryRows(t, f.raw, "SELECT name FROM users ORDER BY id"); got != "Ann\nBob\nBob\nCy\n" {
				t.Errorf("names after the narrowing:\n%s", got)
			}
		})
	}
}

// TestApplyRecreatesDomain: a domain whose base type changes is replaced
// with its columns converted in place (where it used to be dropped, which
// PostgreSQL refuses while a column uses it): the rows keep their values,
// an array of it converts too, a view over it is recreated with its
// grants, a default no cast reaches is set again as declared, and the new
// domain's checks hold and keep their names. A value the new base type
// cannot hold is reported before anything is written.
func TestApplyRecreatesDomain(t *testing.T) {
	const a = `
domains:
  - {name: amount, type: integer, checks: [{expr: VALUE >= 0}]}
  - {name: code, type: text}
tables:
  - name: orders
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: total, type: amount, default: 0}
      - {name: ref, type: code, default: "1"}
      - {name: parts, type: "amount[]"}
  - name: refunds
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: total, type: amount, nullable: false}
views:
  - {name: big, definition: "select id, total from orders where total > 100"}
`
	b := strings.NewReplacer("{name: amount, type: integer,", "{name: amount, type: bigint,",
		"{name: code, type: text}", "{name: code, type: integer}", `default: "1"`, "default: 1").Replace(a)
	f := newFixture(t, databases[1], a,
		`INSERT INTO orders VALUES (1, 500, 'x7', '{1,2}'), (2, 5, '8', NULL)`, `INSERT INTO refunds VALUES (1, 3)`)
	role, _ := loginRole(t, f.url)
	if _, err := f.raw.Exec("GRANT SELECT ON big TO " + role); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, err := f.eng.Apply(ctx, parse(t, b), engine.ApplyOptions{AllowDestructive: true})
	if err == nil || !strings.Contains(err.Error(), `column "ref" of table "orders": values do not convert to the domain's new type (ERROR: invalid input syntax for type integer: "x7"`) {
		t.Fatalf("error %v, want the value x7 of orders.ref reported", err)
	}
	f.unchanged(t, "a domain change refused by its data check")

	if err := f.eng.Exec(ctx, `UPDATE orders SET ref = '7' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.eng.Apply(ctx, parse(t, b), engine.ApplyOptions{}); !errors.As(err, new(*engine.DestructiveError)) {
		t.Fatalf("text to integer under a domain without --allow-destructive: %v, want a *DestructiveError", err)
	}
	res, err := f.eng.Apply(ctx, parse(t, b), engine.ApplyOptions{AllowDestructive: true})
	if err != nil {
		t.Fatal(err)
	}
	if kinds := changeKinds(res.Plan.Changes); strings.Contains(kinds, "DropDomain") || !strings.Contains(kinds, `RecreateDomain domain "amount"`) {
		t.Errorf("the plan:\n%s", kinds)
	}
	got := queryRows(t, f.raw, `SELECT o.id, pg_typeof(o.total), o.total + 1, o.ref + 1, o.parts, r.total
		FROM orders o LEFT JOIN refunds r ON r.id = o.id ORDER BY o.id`)
	if want := "1|amount|501|8|{1,2}|3\n2|amount|6|9|<null>|<null>\n"; got != want {
		t.Errorf("rows after the domains changed:\n%swant:\n%s", got, want)
	}
	if got := queryRows(t, f.raw, `SELECT has_table_privilege('`+role+`', 'big', 'SELECT'),
		(SELECT string_agg(conname, ',') FROM pg_constraint WHERE contypid = 'amount'::regtype)`); got != "true|amount_check\n" {
		t.Errorf("grant on the recreated view, and the new domain's check: %q", got)
	}
	if _, err := f.raw.Exec(`INSERT INTO refunds VALUES (2, -1)`); err == nil {
		t.Error("the new domain's check does not hold")
	}
	again, err := f.eng.Plan(ctx, parse(t, b), engine.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Changes) > 0 {
		t.Errorf("after apply, the plan still lists:\n%s", changeKinds(again.Changes))
	}
}
