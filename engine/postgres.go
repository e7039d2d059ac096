package engine

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/dbtool/dbtool/ddl"
	pgddl "github.com/dbtool/dbtool/ddl/postgres"
	pginspect "github.com/dbtool/dbtool/inspector/postgres"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// postgresDriver is PostgreSQL through a pgx v5 connection pool.
type postgresDriver struct {
	*pginspect.Inspector
	pool *pgxpool.Pool
	echo io.Writer
}

func openPostgres(ctx context.Context, u *URL, opts Options) (Driver, error) {
	cfg, err := pgxpool.ParseConfig(u.DSN)
	if err != nil {
		return nil, redacted(fmt.Sprintf("database URL %s", u), err)
	}
	cfg.ConnConfig.ConnectTimeout = opts.ConnectTimeout
	if opts.Echo != nil {
		cfg.ConnConfig.Tracer = echoTracer{opts.Echo}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, redacted(fmt.Sprintf("connecting to %s", u), err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, opts.ConnectTimeout)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		where := fmt.Sprintf("connecting to host %s port %d database %s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			where += fmt.Sprintf(": no answer within %s (--timeout)", opts.ConnectTimeout)
		}
		return nil, redacted(where, err, ctx.Err())
	}
	return &postgresDriver{Inspector: pginspect.New(pool), pool: pool, echo: opts.Echo}, nil
}

func (d *postgresDriver) Dialect() ddl.Dialect { return pgddl.Dialect{} }

func (d *postgresDriver) Close() error { d.pool.Close(); return nil }

func (d *postgresDriver) ExecTx(ctx context.Context, stmts []ddl.Statement, progress func(int)) error {
	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("beginning a transaction: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // after Commit it is a no-op
	for i, s := range stmts {
		if progress != nil {
			progress(i)
		}
		if _, err := tx.Exec(ctx, s.SQL); err != nil {
			return &StatementError{Object: s.Object, SQL: s.SQL, Err: withServerDetail(err)}
		}
	}
	return tx.Commit(ctx)
}

// withServerDetail returns err with the server's DETAIL and HINT added to
// its message, when it is a *pgconn.PgError that has them: pgconn's own
// message has neither, and the hint is often what says how to fix the
// statement ("No function matches the given name and argument types. You
// might need to add explicit type casts."). errors.As still finds the
// *pgconn.PgError.
func withServerDetail(err error) error {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) || pg.Detail == "" && pg.Hint == "" {
		return err
	}
	msg := err.Error()
	if pg.Detail != "" {
		msg += "\nDETAIL: " + pg.Detail
	}
	if pg.Hint != "" {
		msg += "\nHINT: " + pg.Hint
	}
	return &serverError{msg: msg, err: err}
}

// serverError is a server error whose message carries its detail and hint.
type serverError struct {
	msg string
	err error
}

func (e *serverError) Error() string { return e.msg }

func (e *serverError) Unwrap() error { return e.err }

// echoTracer logs every statement pgx sends, as --echo asks.
type echoTracer struct{ w io.Writer }

func (t echoTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	echo(t.w, data.SQL)
	return ctx
}

func (echoTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// The inspector sends its catalog queries in batches; echo them too.

func (echoTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

func (t echoTracer) TraceBatchQuery(_ context.Context, _ *pgx.Conn, data pgx.TraceBatchQueryData) {
	echo(t.w, data.SQL)
}

func (echoTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// redactedError is an error whose text has passed through Redact (pgx's
// messages can quote a connection string) while errors.Is and errors.As
// still reach the causes: *pgconn.PgError and the like, and the context's
// own error when it was cancelled (pgx does not always wrap it).
type redactedError struct {
	msg    string
	causes []error
}

func redacted(context string, err error, ctxErr ...error) error {
	e := &redactedError{msg: context + ": " + Redact(err.Error()), causes: []error{err}}
	for _, c := range ctxErr {
		if c != nil && !errors.Is(err, c) {
			e.causes = append(e.causes, c)
		}
	}
	return e
}

func (e *redactedError) Error() string { return e.msg }

func (e *redactedError) Unwrap() []error { return e.causes }
