// Package engine connects dbtool's model to a live database, as
// SQLAlchemy's Engine does: Open reads a database URL and picks the
// database's driver (its connection, its ddl.Dialect and its inspector),
// and CreateAll and Inspect run on it. It is the entry point for Go
// programs that embed dbtool.
package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// Driver is what one database provides to the engine. Each database
// implements it once, in this package's file named for it.
type Driver interface {
	// Dialect writes this database's SQL.
	Dialect() ddl.Dialect
	inspector.Inspector
	// ExecTx runs the statements in one transaction: all of them or none.
	// A failing statement's error is a *StatementError. progress, when
	// not nil, is called before each statement with its index.
	ExecTx(ctx context.Context, stmts []ddl.Statement, progress func(i int)) error
	// Close releases the connection.
	Close() error
}

// modelChecker is a Driver that can also try parts of a model on the
// database itself before anything is written, where the dialect's Check,
// which reads only the model, cannot tell. A driver without it relies on
// the database refusing the statements, in the transaction that rolls
// back.
type modelChecker interface {
	// CheckModel reports, as metadata.Problems, what in m the database
	// would accept when creating it but fail on later.
	CheckModel(ctx context.Context, m *metadata.MetaData) error
}

// Options tune Open.
type Options struct {
	// Echo, when set, receives every SQL statement sent, one per line, as
	// SQLAlchemy's echo=True logs them.
	Echo io.Writer
	// ConnectTimeout bounds connecting; zero means 30 seconds.
	ConnectTimeout time.Duration
	// Create lets Open create a missing SQLite file (create-all does;
	// inspect must not, so a typo never yields an empty database).
	Create bool
	// MissingAsEmpty opens a missing SQLite file as an empty database that
	// lives in memory, so that a dry run plans against it without creating
	// the file.
	MissingAsEmpty bool
	// ReadOnly opens a SQLite file read-only, as planning does; PostgreSQL
	// is only ever read in READ ONLY transactions when planning.
	ReadOnly bool
	// DDLLockTimeout is PostgreSQL's lock_timeout for the statements of an
	// apply; zero means DefaultDDLLockTimeout, negative none.
	DDLLockTimeout time.Duration
	// LowLock makes PostgreSQL's plans use the forms that lock less:
	// CREATE INDEX CONCURRENTLY, and new foreign keys and checks added NOT
	// VALID and then validated.
	LowLock bool
}

// Engine is an open database.
type Engine struct {
	URL    *URL
	driver Driver
	// closing counts the scratch databases still being dropped: a plan
	// returns without waiting for that, Close waits.
	closing sync.WaitGroup
}

// Open connects to the database a URL names. Its errors never contain the
// URL's password.
func Open(ctx context.Context, rawURL string, opts Options) (*Engine, error) {
	eng, err := open(ctx, rawURL, opts)
	return eng, RedactError(err, rawURL)
}

func open(ctx context.Context, rawURL string, opts Options) (*Engine, error) {
	u, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if opts.ConnectTimeout == 0 {
		opts.ConnectTimeout = 30 * time.Second
	}
	if opts.Echo != nil {
		// The PostgreSQL inspector queries on several connections at once.
		opts.Echo = &lockedWriter{w: opts.Echo}
	}
	var d Driver
	switch u.Dialect {
	case "sqlite":
		d, err = openSQLite(ctx, u, opts)
	case "postgres":
		d, err = openPostgres(ctx, u, opts)
	default:
		err = fmt.Errorf("unsupported dialect %q", u.Dialect)
	}
	if err != nil {
		return nil, err
	}
	return &Engine{URL: u, driver: d}, nil
}

// Dialect returns the database's SQL dialect.
func (e *Engine) Dialect() ddl.Dialect { return e.driver.Dialect() }

// Close releases the connection, once the scratch databases of earlier
// plans are dropped.
func (e *Engine) Close() error {
	e.closing.Wait()
	return e.driver.Close()
}

// Inspect reflects the live database.
// dbtool's own objects (the migration history) are left out.
func (e *Engine) Inspect(ctx context.Context, opts inspector.Options) (*inspector.Result, error) {
	res, err := e.driver.Inspect(ctx, opts)
	if err != nil {
		return nil, err
	}
	if h, ok := e.driver.(historian); ok {
		res.Schema = withoutOwnObjects(res.Schema, h.history())
	}
	return res, nil
}

// CreateAllOptions tune CreateAll.
type CreateAllOptions struct {
	// DryRun plans the statements and touches nothing.
	DryRun bool
	// LockWait bounds the wait for another create-all or apply to finish;
	// zero means DefaultLockWait.
	LockWait time.Duration
	// Progress, when set, is called before each statement is sent, from
	// the goroutine that called CreateAll: a create-all of thousands of
	// tables takes a while, and a terminal can show how far it is.
	Progress func(Progress)
	// Validated says that the schema has been through metadata.Validate
	// already (metadata.Load's result has), as PlanOptions.Validated.
	Validated bool
}

// Progress says how far a create-all is: statement Done+1 of Total, about
// Object, is about to be sent.
type Progress struct {
	Done, Total int
	Object      string
}

// CreateAllResult says what CreateAll did, or would do.
type CreateAllResult struct {
	// Statements are the SQL statements run (or, on a dry run, to run).
	Statements []ddl.Statement
	// Created names the objects created, in order.
	Created []string
	// Skipped names the declared objects that already existed.
	Skipped []string
}

// CreateAll creates every declared object that does not exist yet, in
// dependency order and in one transaction, as SQLAlchemy's
// create_all(checkfirst=True) does. An invalid schema is refused before
// anything is sent; a failing statement rolls everything back.
func (e *Engine) CreateAll(ctx context.Context, m *metadata.MetaData, opts CreateAllOptions) (*CreateAllResult, error) {
	if err := e.checkDeclared(ctx, m, opts.Validated); err != nil {
		return nil, err
	}
	d := e.driver.Dialect()
	// A real run holds the migration lock from before it reads the
	// database until it commits, so that concurrent create-alls (and
	// applies) run one after the other and the later ones skip what the
	// first created.
	var s session
	if !opts.DryRun {
		var err error
		if s, err = e.lock(ctx, opts.LockWait); err != nil {
			return nil, err
		}
		defer s.release(ctx)
	}
	live, err := e.Inspect(ctx, inspector.Options{})
	if err != nil {
		return nil, fmt.Errorf("reading the existing schema: %w", err)
	}
	plan := migrate.PlanCreateAll(m, live.Schema)
	stmts, err := d.Plan(plan.Changes)
	if err != nil {
		return nil, err
	}
	res := &CreateAllResult{Statements: stmts, Skipped: plan.Skipped}
	for _, c := range plan.Changes {
		res.Created = append(res.Created, c.Object())
	}
	if err := e.checkLockBudget(ctx, stmts); err != nil {
		return nil, err
	}
	if opts.DryRun || len(stmts) == 0 {
		return res, nil
	}
	var progress func(int)
	if opts.Progress != nil {
		progress = func(i int) { opts.Progress(Progress{Done: i, Total: len(stmts), Object: stmts[i].Object}) }
	}
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	if err := s.exec(ctx, stmts, progress); err != nil {
		s.rollback(ctx)
		return nil, err
	}
	if err := s.commit(ctx); err != nil {
		s.rollback(ctx)
		return nil, err
	}
	return res, nil
}

// StatementError is a statement the database refused. The transaction it
// ran in was rolled back.
type StatementError struct {
	Object string
	SQL    string
	Err    error
}

func (e *StatementError) Error() string {
	return fmt.Sprintf("creating %s: %v\nstatement: %s", e.Object, e.Err, e.SQL)
}

func (e *StatementError) Unwrap() error { return e.Err }

// echo logs one statement when echoing is on, in a single write; both
// drivers use it.
func echo(w io.Writer, sql string) {
	if w != nil {
		io.WriteString(w, sql+";\n") //nolint:errcheck // logging is best effort
	}
}

// lockedWriter serialises writes from concurrent connections, one
// statement per write.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// ErrNoDatabase is returned (wrapped) when a SQLite file to inspect does
// not exist.
var ErrNoDatabase = errors.New("database does not exist")

// Exec runs SQL statements in one transaction: all of them or none. It is
// for what dbtool does not plan itself, such as loading data in a test.
func (e *Engine) Exec(ctx context.Context, sql ...string) error {
	stmts := make([]ddl.Statement, len(sql))
	for i, s := range sql {
		stmts[i] = ddl.Statement{SQL: s, Object: "statement " + fmt.Sprint(i+1)}
	}
	return e.driver.ExecTx(ctx, stmts, nil)
}
