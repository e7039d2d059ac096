package engine_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/dbtool/dbtool/engine"
)

// TestExecBatchesFindTheFailingStatement: Exec sends its statements in
// batches; one refused in the middle of a batch is still reported by its
// own SQL and object, and nothing of the others is left behind. The
// statements end in -- comments and one holds an unterminated /* comment,
// which SQLite accepts and which, joined with the next statements, would
// hide them.
func TestExecBatchesFindTheFailingStatement(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			eng := open(t, db.url(t), engine.Options{Create: true})
			ctx := context.Background()
			if err := eng.Exec(ctx, "CREATE TABLE base (id integer PRIMARY KEY)"); err != nil {
				t.Fatal(err)
			}
			var stmts []string
			for i := range 150 {
				stmts = append(stmts, fmt.Sprintf("CREATE TABLE t_%03d (id integer PRIMARY KEY) -- table %d", i, i))
			}
			const bad = 97
			stmts[bad] = "INSERT INTO base (id) VALUES (1), (1)"
			err := eng.Exec(ctx, stmts...)
			var se *engine.StatementError
			if !errors.As(err, &se) || se.SQL != stmts[bad] || se.Object != fmt.Sprintf("statement %d", bad+1) {
				t.Fatalf("error %v, want a *StatementError for statement %d: %s", err, bad+1, stmts[bad])
			}
			if got := inspect(t, eng); len(got.Tables) != 1 {
				t.Errorf("%d tables after a refused Exec, want only base", len(got.Tables))
			}

			if db.name == "sqlite" {
				stmts = []string{
					"CREATE TABLE a (id integer) /* unterminated",
					"CREATE TABLE b (id integer)",
					"CREATE TABLE c (id integer)",
				}
				if err := eng.Exec(ctx, stmts...); err != nil {
					t.Fatal(err)
				}
				if got := inspect(t, eng); len(got.Tables) != 4 {
					t.Errorf("%d tables, want base, a, b and c", len(got.Tables))
				}
			}
		})
	}
}
