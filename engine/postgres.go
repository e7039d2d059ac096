package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/dbtool/dbtool/ddl"
	pgddl "github.com/dbtool/dbtool/ddl/postgres"
	pginspect "github.com/dbtool/dbtool/inspector/postgres"
	"github.com/dbtool/dbtool/sqlscript"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// postgresDriver is PostgreSQL through a pgx v5 connection pool.
type postgresDriver struct {
	*pginspect.Inspector
	pool *pgxpool.Pool
	cfg  *pgxpool.Config
	echo io.Writer
	// ddlLockTimeout is lock_timeout for an apply's statements.
	ddlLockTimeout time.Duration
	lowLock        bool
}

func openPostgres(ctx context.Context, u *URL, opts Options) (Driver, error) {
	cfg, err := pgxpool.ParseConfig(u.DSN)
	if err != nil {
		return nil, redacted(fmt.Sprintf("database URL %s", u), err)
	}
	// The password goes to pgx in the config, never inside a string pgx
	// could quote in an error.
	if pw, ok := u.Password(); ok && pw != "" {
		cfg.ConnConfig.Password = pw
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
		return nil, &redactedError{msg: where + ": " + Redact(connectCause(err)), causes: causes(err, ctx.Err())}
	}
	ddlTimeout := opts.DDLLockTimeout
	if ddlTimeout == 0 {
		ddlTimeout = DefaultDDLLockTimeout
	}
	return &postgresDriver{Inspector: pginspect.New(pool), pool: pool, cfg: cfg, echo: opts.Echo, ddlLockTimeout: ddlTimeout, lowLock: opts.LowLock}, nil
}

func (d *postgresDriver) Dialect() ddl.Dialect { return pgddl.Dialect{LowLock: d.lowLock} }

func (d *postgresDriver) Close() error { d.pool.Close(); return nil }

func (d *postgresDriver) ExecTx(ctx context.Context, stmts []ddl.Statement, progress func(int)) error {
	return execTx(ctx, d.begin, stmts, progress)
}

func (d *postgresDriver) begin(ctx context.Context) (sqlTx, error) {
	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("beginning a transaction: %w", err)
	}
	return pgTx{tx}, nil
}

// pgTx is a pgx transaction as execTx uses it.
type pgTx struct{ tx pgx.Tx }

func (t pgTx) exec(ctx context.Context, text string) error {
	_, err := t.tx.Exec(ctx, text)
	return withServerDetail(err)
}

func (t pgTx) commit(ctx context.Context) error { return t.tx.Commit(ctx) }

func (t pgTx) rollback(ctx context.Context) { _ = t.tx.Rollback(ctx) }

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
	return &redactedError{msg: context + ": " + Redact(err.Error()), causes: causes(err, ctxErr...)}
}

// causes is err and those of ctxErr that are set and not already in err's
// chain.
func causes(err error, ctxErr ...error) []error {
	out := []error{err}
	for _, c := range ctxErr {
		if c != nil && !errors.Is(err, c) {
			out = append(out, c)
		}
	}
	return out
}

// connectCause says why pgx could not connect, the reason that decided it
// first. pgx tries each address in turn (with sslmode=prefer, the default,
// first with TLS and then without) and reports every attempt in order, so
// against a server without TLS every message would start with "tls error:
// server refused TLS connection" and hide the real reason (a wrong
// password, a missing database) at its end. The last attempt's cause comes
// first here, a server error as the server's own message, and the earlier
// attempts follow in brackets.
func connectCause(err error) string {
	var ce *pgconn.ConnectError
	if !errors.As(err, &ce) {
		return err.Error()
	}
	multi, ok := ce.Unwrap().(interface{ Unwrap() []error })
	if !ok {
		// "hostname resolving error: ..." joins one line per lookup,
		// often the same one twice.
		var lines []string
		for _, l := range strings.Split(ce.Unwrap().Error(), "\n") {
			if len(lines) == 0 || !strings.HasSuffix(lines[len(lines)-1], l) {
				lines = append(lines, l)
			}
		}
		return strings.Join(lines, "; ")
	}
	attempts := multi.Unwrap()
	if len(attempts) == 0 {
		return err.Error()
	}
	last := attempts[len(attempts)-1]
	msg := attemptCause(last)
	var earlier []string
	for _, a := range attempts[:len(attempts)-1] {
		// Two refused dials to one address say the same thing twice.
		if a.Error() != last.Error() && !slices.Contains(earlier, a.Error()) {
			earlier = append(earlier, a.Error())
		}
	}
	if len(earlier) > 0 {
		msg += " [earlier attempts: " + strings.Join(earlier, "; ") + "]"
	}
	return msg
}

// attemptCause is one connection attempt's reason: the server's error as
// it gave it, or pgx's message for the attempt without the address it
// starts with (the error already names host and port).
func attemptCause(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Error()
	}
	if inner := errors.Unwrap(err); inner != nil {
		return inner.Error()
	}
	return err.Error()
}

func (e *redactedError) Error() string { return e.msg }

func (e *redactedError) Unwrap() []error { return e.causes }

func (d *postgresDriver) scriptSyntax() sqlscript.Syntax { return sqlscript.PostgreSQL }

// runScript runs a script as psql does: in autocommit, on one connection,
// so that a script's SET stays in force and an enum value it adds can be
// used by its next statement.
func (d *postgresDriver) runScript(ctx context.Context, stmts []sqlscript.Statement) error {
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The script's SETs (pg_dump's empty search_path, a
	// standard_conforming_strings = off) stay with its session: closed,
	// not returned to the pool, so that the database is read afterwards
	// as any new session reads it, public as the current schema.
	defer func() {
		_ = conn.Conn().Close(context.WithoutCancel(ctx))
		conn.Release()
	}()
	return sqlscript.Exec(ctx, sqlscript.ExecFunc(func(ctx context.Context, sql string) error {
		_, err := conn.Exec(ctx, sql)
		return withServerDetail(err)
	}), stmts)
}
