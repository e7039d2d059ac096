package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/engine"
)

// TestApplyDataChecksAddedColumns: a check, a unique index expression or
// a predicate that names a column the plan adds is counted before writing,
// with the value the existing rows will hold in it (its literal default,
// or NULL), where it used to be left to the server, half-way. A column
// with an expression default is still the server's to check.
func TestApplyDataChecksAddedColumns(t *testing.T) {
	const a = `
tables:
  - name: accounts
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: balance, type: integer, nullable: false}
      - {name: name, type: text}
`
	const b = `
tables:
  - name: accounts
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: balance, type: integer, nullable: false}
      - {name: name, type: text}
      - {name: currency, type: varchar(3), nullable: false, default: usd}
      - {name: credit, type: integer}
      - {name: status, type: text, default: active}
      - {name: opened, type: timestamp, default: {expr: CURRENT_TIMESTAMP}}
    checks:
      - {name: ck_currency, expr: "currency IN ('USD', 'EUR')"}
      - {name: ck_covered, expr: "balance + coalesce(credit, 0) >= 0"}
      - {name: ck_credit, expr: "credit IS NULL OR credit > 0"}
      - {name: ck_opened, expr: "opened IS NOT NULL"}
    indexes:
      - {name: ux_name_currency, columns: [{expr: lower(name)}, currency], unique: true}
      - {name: ux_active_name, columns: [name], unique: true, where: "status = 'active'"}
`
	rows := `INSERT INTO accounts (id, balance, name) VALUES (1, 10, 'ann'), (2, -5, 'bob'), (3, 0, 'Ann')`
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			f := newFixture(t, db, a, rows)
			ctx := context.Background()
			_, err := f.eng.Apply(ctx, parse(t, b), engine.ApplyOptions{})
			var dc *engine.DataCheckError
			if !errors.As(err, &dc) {
				t.Fatalf("error %v, want a *DataCheckError", err)
			}
			for _, want := range []string{
				`check "ck_currency" of table "accounts": 3 rows fail the check`,
				`check "ck_covered" of table "accounts": 1 row fails the check`,
				`index "ux_name_currency" on "accounts": 1 value is held by more than one row`,
			} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the refusal does not say\n  %s\nit says:\n%v", want, err)
				}
			}
			if len(dc.Failures) != 3 {
				t.Errorf("%d failures, want 3 (credit is NULL, names are distinct among active rows, opened is the server's):\n%v", len(dc.Failures), err)
			}
			f.unchanged(t, "a plan refused by its data checks")

			fixed := strings.Replace(b, "default: usd", "default: USD", 1)
			if err := f.eng.Exec(ctx, `UPDATE accounts SET balance = 0 WHERE id = 2`, `UPDATE accounts SET name = 'ann2' WHERE id = 3`); err != nil {
				t.Fatal(err)
			}
			if _, err := f.eng.Apply(ctx, parse(t, fixed), engine.ApplyOptions{}); err != nil {
				t.Fatalf("once the rows fit: %v", err)
			}
		})
	}
}
