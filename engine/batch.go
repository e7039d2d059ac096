package engine

import (
	"context"
	"strings"

	"github.com/dbtool/dbtool/ddl"
)

// txBatch is how many statements ExecTx sends in one round trip. Loading
// the 708 statements of the bench's 5000-table plan into a PostgreSQL
// scratch database took 440-630 ms one statement at a time, 310 ms in
// batches of 64 and 350 ms all at once (bench/README.md).
const txBatch = 64

// joinStatements is the statements as one SQL text, each separator on a
// line of its own since a statement may end in a -- comment.
func joinStatements(stmts []ddl.Statement) string {
	var b strings.Builder
	for i, st := range stmts {
		if i > 0 {
			b.WriteString("\n;\n")
		}
		b.WriteString(st.SQL)
	}
	return b.String()
}

// batchLen is how many of stmts, from the first, go into one Exec: at
// most max, and a statement with "/*" in it alone, since an unterminated
// block comment (which SQLite accepts at the end of a statement's text)
// would hide the statements after it in a batch.
func batchLen(stmts []ddl.Statement, max int) int {
	if strings.Contains(stmts[0].SQL, "/*") {
		return 1
	}
	n := 1
	for n < len(stmts) && n < max && !strings.Contains(stmts[n].SQL, "/*") {
		n++
	}
	return n
}

// sqlTx is a driver's transaction, as execTx uses it.
type sqlTx interface {
	// exec runs SQL text, one statement or several.
	exec(ctx context.Context, sql string) error
	commit(ctx context.Context) error
	rollback(ctx context.Context)
}

// execTx runs the statements in one transaction that begin starts, up to
// txBatch statements to a round trip (batchLen), each batch joined into
// one text; progress, when set, is called for each statement before its
// batch is sent. A batch's error does not say which of its statements failed, nor
// does a statement that swallows its neighbours (an unterminated comment
// or quote) fail where it should, so when a batch fails the statements
// run again in a new transaction, one at a time, and the error is the
// failing one's *StatementError, as without batches. The first
// transaction was rolled back: nothing runs twice. A cancelled context
// stops at once.
func execTx(ctx context.Context, begin func(context.Context) (sqlTx, error), stmts []ddl.Statement, progress func(int)) error {
	batchFailed := false
	err := inTx(ctx, begin, func(tx sqlTx) error {
		for start := 0; start < len(stmts); {
			batch := stmts[start : start+batchLen(stmts[start:], txBatch)]
			if progress != nil {
				for i := range batch {
					progress(start + i)
				}
			}
			if err := tx.exec(ctx, joinStatements(batch)); err != nil {
				if len(batch) == 1 {
					return &StatementError{Object: batch[0].Object, SQL: batch[0].SQL, Err: err}
				}
				batchFailed = true
				return err
			}
			start += len(batch)
		}
		return nil
	})
	if !batchFailed || ctx.Err() != nil {
		return err
	}
	return inTx(ctx, begin, func(tx sqlTx) error {
		for _, st := range stmts {
			if err := tx.exec(ctx, st.SQL); err != nil {
				return &StatementError{Object: st.Object, SQL: st.SQL, Err: err}
			}
		}
		return nil
	})
}

// inTx runs body in a transaction, committed when body succeeds.
func inTx(ctx context.Context, begin func(context.Context) (sqlTx, error), body func(sqlTx) error) error {
	tx, err := begin(ctx)
	if err != nil {
		return err
	}
	defer tx.rollback(context.WithoutCancel(ctx))
	if err := body(tx); err != nil {
		return err
	}
	return tx.commit(ctx)
}
