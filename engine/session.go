package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dbtool/dbtool/ddl"
)

// session is one migration's hold on a database: the lock that makes
// applies (and create-alls) run one at a time, taken before anything is
// planned, and the transaction the changes run in. Each driver implements
// it in its own file.
type session interface {
	// begin starts the transaction the changes run in; on PostgreSQL it
	// sets lock_timeout for the DDL in it.
	begin(ctx context.Context) error
	// exec runs statements in the transaction; progress, when not nil, is
	// called before each with its index.
	exec(ctx context.Context, stmts []ddl.Statement, progress func(int)) error
	// count runs a query that returns one number, in the transaction when
	// there is one (data checks, history).
	count(ctx context.Context, sql string) (int64, error)
	// commit commits the transaction (SQLite: after PRAGMA
	// foreign_key_check finds nothing).
	commit(ctx context.Context) error
	// rollback rolls it back, if it is open.
	rollback(ctx context.Context)
	// execAlone runs a statement outside any transaction, after commit.
	execAlone(ctx context.Context, s ddl.Statement) error
	// history is the database's table of applied migrations.
	history() historyTable
	// user names who applies, for the history: the database user, or the
	// system's for a database without users (SQLite).
	user(ctx context.Context) string
	// release gives the lock back and closes the session's connection.
	release(ctx context.Context)
}

// locker is a driver that can open a session: every driver is one.
type locker interface {
	lock(ctx context.Context, wait time.Duration) (session, error)
}

// DefaultLockWait is how long an apply or create-all waits for another
// one to finish before giving up.
const DefaultLockWait = 5 * time.Minute

// ErrLockTimeout is returned (wrapped) when another dbtool held the
// migration lock for longer than the wait allowed.
var ErrLockTimeout = errors.New("another dbtool apply or create-all holds the migration lock")

func (e *Engine) lock(ctx context.Context, wait time.Duration) (session, error) {
	l, ok := e.driver.(locker)
	if !ok {
		return nil, fmt.Errorf("%s: no migration lock", e.URL.Dialect)
	}
	if wait <= 0 {
		wait = DefaultLockWait
	}
	return l.lock(ctx, wait)
}

// refusedQuery is a data check's query that the database refused, as
// opposed to a lost connection: it names what the plan has yet to create
// (a function a new check calls), so the rows cannot be counted before
// the plan runs. Each session's count returns it. badValue marks a
// refusal of a value in the rows (a value that does not convert, or that a
// domain's check refuses), which a conversion check reports as a failure.
type refusedQuery struct {
	err      error
	badValue bool
}

func (e *refusedQuery) Error() string { return e.err.Error() }
func (e *refusedQuery) Unwrap() error { return e.err }
