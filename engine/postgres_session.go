package engine

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pgHistory is PostgreSQL's history table, in a schema of dbtool's own.
func pgHistory() historyTable {
	return historyTable{
		Schema: "dbtool",
		Name:   HistoryTableName,
		// CREATE SCHEMA and CREATE TABLE IF NOT EXISTS check the
		// privilege to create before they look for the object: a role
		// that may only insert into the table would fail them.
		Create: []string{
			`DO $dbtool$ BEGIN
  IF to_regnamespace('dbtool') IS NULL THEN
    CREATE SCHEMA dbtool;
  END IF;
END $dbtool$`,
			`DO $dbtool$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'dbtool' AND c.relname = 'dbtool_migrations') THEN
    CREATE TABLE dbtool.dbtool_migrations (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now(),
      applied_by text NOT NULL,
      host text NOT NULL,
      version text NOT NULL,
      plan_checksum text NOT NULL,
      schema_before text NOT NULL,
      schema_after text NOT NULL,
      statements jsonb NOT NULL,
      duration_ms bigint NOT NULL
    );
  END IF;
END $dbtool$`,
		},
		quote:   quotePGIdent,
		literal: quotePGLiteral,
	}
}

// historyRecorder is a session whose role may lack the privileges to
// record an apply (PostgreSQL's). The history row is written last, in the
// transaction, where a refusal would roll back all of the plan's work:
// mayRecord checks first, and says what to grant.
type historyRecorder interface {
	mayRecord(ctx context.Context) error
}

// mayRecord checks that the session's role may insert into the history
// table, or create it (and its schema) when missing.
func (s *pgSession) mayRecord(ctx context.Context) error {
	h := pgHistory()
	table := h.quote(h.Schema) + "." + h.quote(h.Name)
	var role, db string
	var tableExists, insert, schemaExists, usage, createInSchema, createSchema bool
	// The catalogs, not to_regclass, which needs USAGE on the schema.
	err := s.conn.QueryRow(ctx, `SELECT current_user, current_database(),
  c.oid IS NOT NULL, coalesce(has_table_privilege(c.oid, 'INSERT'), false),
  n.oid IS NOT NULL, coalesce(has_schema_privilege(n.oid, 'USAGE'), false),
  coalesce(has_schema_privilege(n.oid, 'CREATE'), false),
  has_database_privilege(current_database(), 'CREATE')
FROM (SELECT 1) AS one
  LEFT JOIN pg_namespace n ON n.nspname = $1
  LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = $2`, h.Schema, h.Name).Scan(
		&role, &db, &tableExists, &insert, &schemaExists, &usage, &createInSchema, &createSchema)
	if err != nil {
		return fmt.Errorf("checking the privileges on the history table: %w", err)
	}
	name := metadata.QualifiedName(h.Schema, h.Name)
	who := quotePGIdent(role)
	switch {
	case schemaExists && !usage:
		return fmt.Errorf("role %q may not use the schema of the history table %s: GRANT USAGE ON SCHEMA %s TO %s", role, name, h.quote(h.Schema), who)
	case tableExists && !insert:
		return fmt.Errorf("role %q may not insert into the history table %s: GRANT INSERT ON %s TO %s", role, name, table, who)
	case !tableExists && schemaExists && !createInSchema:
		return fmt.Errorf("the history table %s does not exist, and role %q may not create it: GRANT CREATE ON SCHEMA %s TO %s", name, role, h.quote(h.Schema), who)
	case !schemaExists && !createSchema:
		return fmt.Errorf("the history table %s does not exist, and role %q may not create its schema: as the database's owner, CREATE SCHEMA %s AUTHORIZATION %s (or GRANT CREATE ON DATABASE %s TO %s)",
			name, role, h.quote(h.Schema), who, quotePGIdent(db), who)
	}
	return nil
}

// DefaultDDLLockTimeout is PostgreSQL's lock_timeout for the statements of
// an apply: an ALTER TABLE queued behind a long query gives up rather
// than stall every query queued behind it.
const DefaultDDLLockTimeout = 5 * time.Second

// pgSession holds PostgreSQL's migration lock: a session advisory lock,
// keyed by the database's name, on a connection of its own (outside the
// pool the inspector reads with), on which the changes then run in one
// transaction.
type pgSession struct {
	d    *postgresDriver
	conn *pgx.Conn
	key  int64
	tx   pgx.Tx
	// ddlTimeout is lock_timeout for the transaction's statements.
	ddlTimeout time.Duration
}

// advisoryKey is the advisory lock's key for a database: the same for
// every dbtool that migrates it.
func advisoryKey(database string) int64 {
	h := fnv.New64a()
	h.Write([]byte("dbtool migrate " + database))
	return int64(h.Sum64())
}

func (d *postgresDriver) lock(ctx context.Context, wait time.Duration) (session, error) {
	conn, err := pgx.ConnectConfig(ctx, d.cfg.ConnConfig)
	if err != nil {
		return nil, redacted("connecting for the migration lock", err)
	}
	s := &pgSession{d: d, conn: conn, key: advisoryKey(d.cfg.ConnConfig.Database), ddlTimeout: d.ddlLockTimeout}
	deadline := time.Now().Add(wait)
	for {
		var ok bool
		if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", s.key).Scan(&ok); err != nil {
			conn.Close(context.WithoutCancel(ctx))
			return nil, fmt.Errorf("taking the migration lock: %w", err)
		}
		if ok {
			return s, nil
		}
		if time.Now().After(deadline) {
			conn.Close(context.WithoutCancel(ctx))
			return nil, fmt.Errorf("%w (waited %s, --lock-timeout)", ErrLockTimeout, wait)
		}
		select {
		case <-ctx.Done():
			conn.Close(context.WithoutCancel(ctx))
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *pgSession) begin(ctx context.Context) error {
	tx, err := s.conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("beginning a transaction: %w", err)
	}
	s.tx = tx
	if s.ddlTimeout > 0 {
		if _, err := tx.Exec(ctx, fmt.Sprintf("SET LOCAL lock_timeout = '%dms'", s.ddlTimeout.Milliseconds())); err != nil {
			return err
		}
	}
	return nil
}

func (s *pgSession) exec(ctx context.Context, stmts []ddl.Statement, progress func(int)) error {
	if s.tx == nil {
		return errors.New("no transaction")
	}
	for i, st := range stmts {
		if progress != nil {
			progress(i)
		}
		if _, err := s.tx.Exec(ctx, st.SQL); err != nil {
			return &StatementError{Object: st.Object, SQL: st.SQL, Err: withServerDetail(lockTimeoutDetail(ctx, s, err))}
		}
	}
	return nil
}

// lockTimeoutDetail adds to a lock_timeout error what the statement
// waited on: the sessions that held the locks it wanted.
func lockTimeoutDetail(ctx context.Context, s *pgSession, err error) error {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) || pg.Code != "55P03" { // lock_not_available
		return err
	}
	var blockers []string
	rows, qerr := s.d.pool.Query(context.WithoutCancel(ctx), `SELECT pid, coalesce(application_name, ''), state, left(query, 200)
		FROM pg_stat_activity WHERE datname = current_database() AND pid <> $1 AND state <> 'idle'`, s.conn.PgConn().PID())
	if qerr == nil {
		for rows.Next() {
			var pid int
			var app, state, q string
			if rows.Scan(&pid, &app, &state, &q) == nil {
				blockers = append(blockers, fmt.Sprintf("pid %d (%s, %s): %s", pid, app, state, q))
			}
		}
		rows.Close()
	}
	if len(blockers) == 0 {
		return fmt.Errorf("%w (lock_timeout %s: another session held a lock the statement needed; nothing was changed)", err, s.ddlTimeout)
	}
	return fmt.Errorf("%w (lock_timeout %s: waited on %s; nothing was changed)", err, s.ddlTimeout, strings.Join(blockers, "; "))
}

func (s *pgSession) count(ctx context.Context, q string) (int64, error) {
	var n *int64
	var err error
	if s.tx != nil {
		err = s.tx.QueryRow(ctx, q).Scan(&n)
	} else {
		err = s.conn.QueryRow(ctx, q).Scan(&n)
	}
	// Class 42: the query names a function, table or column that does
	// not exist (yet); 22P02: a literal its type does not hold (yet), an
	// enum value the plan adds. Classes 22 and 23: a value of the rows
	// that a conversion check converts does not convert, or a domain's
	// check refuses it.
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch class := pg.Code[:2]; {
		case class == "42":
			return 0, &refusedQuery{err: withServerDetail(err)}
		case class == "22" || class == "23":
			return 0, &refusedQuery{err: withServerDetail(err), badValue: true}
		}
	}
	if n == nil {
		return 0, err
	}
	return *n, err
}

func (s *pgSession) commit(ctx context.Context) error {
	err := s.tx.Commit(ctx)
	s.tx = nil
	return err
}

func (s *pgSession) rollback(ctx context.Context) {
	if s.tx != nil {
		_ = s.tx.Rollback(context.WithoutCancel(ctx))
		s.tx = nil
	}
}

func (s *pgSession) execAlone(ctx context.Context, st ddl.Statement) error {
	if _, err := s.conn.Exec(ctx, st.SQL); err != nil {
		return &StatementError{Object: st.Object, SQL: st.SQL, Err: withServerDetail(err)}
	}
	return nil
}

func (s *pgSession) history() historyTable { return pgHistory() }

func (s *pgSession) user(ctx context.Context) string {
	var u string
	_ = s.conn.QueryRow(ctx, "SELECT current_user").Scan(&u)
	return u
}

func (d *postgresDriver) history() historyTable { return pgHistory() }

func (s *pgSession) release(ctx context.Context) {
	s.rollback(ctx)
	ctx = context.WithoutCancel(ctx)
	_, _ = s.conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", s.key)
	s.conn.Close(ctx)
}

func (d *postgresDriver) lockBudget(ctx context.Context) (int64, lockSettings, error) {
	var s lockSettings
	err := d.pool.QueryRow(ctx, `SELECT current_setting('max_locks_per_transaction')::bigint,
		current_setting('max_connections')::bigint, current_setting('max_prepared_transactions')::bigint`).
		Scan(&s.PerTransaction, &s.Connections, &s.Prepared)
	return s.PerTransaction * (s.Connections + s.Prepared), s, err
}

func (d *postgresDriver) readHistory(ctx context.Context) ([]HistoryEntry, error) {
	var exists bool
	if err := d.pool.QueryRow(ctx, `SELECT to_regclass('dbtool.dbtool_migrations') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		return nil, err
	}
	rows, err := d.pool.Query(ctx, fmt.Sprintf(strings.Replace(historyQuery, "statements,", "statements::text,", 1), "dbtool.dbtool_migrations"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return collectHistory(rows)
}
