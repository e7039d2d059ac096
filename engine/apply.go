package engine

import (
	"context"
	"fmt"

	"github.com/dbtool/dbtool/ddl"
)

// Apply runs a plan's statements: every statement that can run in a
// transaction in one transaction, all or nothing, and then, one at a
// time, those that cannot (CREATE INDEX CONCURRENTLY). A failing
// statement's error is a *StatementError naming it and its object.
func (e *Engine) Apply(ctx context.Context, p *MigrationPlan) error {
	if len(p.Statements) == 0 {
		return nil
	}
	return e.driver.Apply(ctx, p.Statements)
}

// splitTx separates the statements that run in the transaction from
// those that run after it.
func splitTx(stmts []ddl.Statement) (inTx, after []ddl.Statement) {
	for _, s := range stmts {
		if s.NoTx {
			after = append(after, s)
		} else {
			inTx = append(inTx, s)
		}
	}
	return inTx, after
}

// ForeignKeyViolation is a row that a SQLite table rebuild left without
// the row its foreign key references; the rebuild was rolled back.
type ForeignKeyViolation struct {
	Table, Parent string
	RowID         int64
}

// ForeignKeyError reports the violations PRAGMA foreign_key_check found
// before commit.
type ForeignKeyError struct{ Violations []ForeignKeyViolation }

func (e *ForeignKeyError) Error() string {
	v := e.Violations[0]
	msg := fmt.Sprintf("foreign key check failed after rebuilding tables, rolled back: row %d of table %q references a missing row of %q", v.RowID, v.Table, v.Parent)
	if n := len(e.Violations) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return msg
}
