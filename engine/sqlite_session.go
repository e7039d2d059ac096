package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	osuser "os/user"
	"strings"
	"time"

	"github.com/dbtool/dbtool/ddl"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteHistory is SQLite's history table, in the main database.
func sqliteHistory() historyTable {
	return historyTable{
		Name: HistoryTableName,
		Create: []string{`CREATE TABLE IF NOT EXISTS "dbtool_migrations" (
  id INTEGER PRIMARY KEY,
  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  applied_by TEXT NOT NULL,
  host TEXT NOT NULL,
  version TEXT NOT NULL,
  plan_checksum TEXT NOT NULL,
  schema_before TEXT NOT NULL,
  schema_after TEXT NOT NULL,
  statements TEXT NOT NULL,
  duration_ms INTEGER NOT NULL
)`},
		quote:   func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` },
		literal: func(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` },
	}
}

// sqliteSession holds SQLite's write lock: a connection of its own in
// BEGIN IMMEDIATE, which other writers wait for (busy timeout) while
// readers, the inspection among them, go on. Foreign keys are turned off
// on it first, since a table rebuild needs them off and SQLite can only
// change that outside a transaction; PRAGMA foreign_key_check must then
// find nothing before commit, and they are turned back on after.
//
// An in-memory database is private to its one connection, which the
// inspection needs too: there the session takes no lock and begins its
// transaction on that connection when asked.
type sqliteSession struct {
	d      *sqliteDriver
	conn   *sql.Conn // the lock's connection; nil in memory
	tx     *sql.Tx   // the transaction in memory
	fkOn   bool
	inTx   bool
	closer func()
}

// sqlRunner is what both a connection and a transaction run.
type sqlRunner interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// run is where the session's statements go.
func (s *sqliteSession) run() sqlRunner {
	if s.conn != nil {
		return s.conn
	}
	if s.tx != nil {
		return s.tx
	}
	return s.d.db
}

func (d *sqliteDriver) lock(ctx context.Context, wait time.Duration) (session, error) {
	s := &sqliteSession{d: d, closer: func() {}}
	if d.file == ":memory:" {
		if err := d.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&s.fkOn); err != nil {
			return nil, err
		}
		if s.fkOn {
			if _, err := d.db.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
				return nil, err
			}
		}
		return s, nil
	}
	// A connection of its own: the driver's one connection stays free for
	// the inspection while this one holds the lock.
	db, err := sql.Open("sqlite", d.dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	s.closer = func() { db.Close() }
	conn, err := db.Conn(ctx)
	if err != nil {
		s.closer()
		return nil, fmt.Errorf("SQLite database %s: %w", d.path, err)
	}
	s.conn = conn
	fail := func(err error) (session, error) {
		conn.Close()
		s.closer()
		return nil, fmt.Errorf("SQLite database %s: %w", d.path, err)
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&s.fkOn); err != nil {
		return fail(err)
	}
	if s.fkOn {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return fail(err)
		}
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", wait.Milliseconds())); err != nil {
		return fail(err)
	}
	echo(d.echo, "BEGIN IMMEDIATE")
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		var se *sqlite.Error
		if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY {
			return fail(fmt.Errorf("%w (waited %s, --lock-timeout)", ErrLockTimeout, wait))
		}
		return fail(err)
	}
	s.inTx = true
	return s, nil
}

// begin does nothing for a file, where the lock is the transaction
// (BEGIN IMMEDIATE), and begins one in memory.
func (s *sqliteSession) begin(ctx context.Context) error {
	if s.conn != nil {
		return nil
	}
	tx, err := s.d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	s.tx, s.inTx = tx, true
	return nil
}

func (s *sqliteSession) exec(ctx context.Context, stmts []ddl.Statement, progress func(int)) error {
	for i, st := range stmts {
		if progress != nil {
			progress(i)
		}
		echo(s.d.echo, st.SQL)
		if _, err := s.run().ExecContext(ctx, st.SQL); err != nil {
			return &StatementError{Object: st.Object, SQL: st.SQL, Err: err}
		}
	}
	return nil
}

func (s *sqliteSession) count(ctx context.Context, q string) (int64, error) {
	echo(s.d.echo, q)
	var n sql.NullInt64
	err := s.run().QueryRowContext(ctx, q).Scan(&n)
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_ERROR {
		return 0, &refusedQuery{err: err}
	}
	return n.Int64, err
}

func (s *sqliteSession) commit(ctx context.Context) error {
	if s.fkOn {
		if err := foreignKeyCheck(ctx, s.run()); err != nil {
			return err
		}
	}
	echo(s.d.echo, "COMMIT")
	var err error
	if s.tx != nil {
		err = s.tx.Commit()
		s.tx = nil
	} else {
		_, err = s.conn.ExecContext(ctx, "COMMIT")
	}
	if err != nil {
		return err
	}
	s.inTx = false
	return nil
}

func (s *sqliteSession) rollback(ctx context.Context) {
	if !s.inTx {
		return
	}
	echo(s.d.echo, "ROLLBACK")
	if s.tx != nil {
		_ = s.tx.Rollback()
		s.tx = nil
	} else {
		_, _ = s.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	}
	s.inTx = false
}

func (s *sqliteSession) execAlone(ctx context.Context, st ddl.Statement) error {
	return s.exec(ctx, []ddl.Statement{st}, nil)
}

func (s *sqliteSession) history() historyTable { return sqliteHistory() }

// user is the system user: SQLite has none of its own.
func (s *sqliteSession) user(context.Context) string {
	if u, err := osuser.Current(); err == nil {
		return u.Username
	}
	return ""
}

func (d *sqliteDriver) history() historyTable { return sqliteHistory() }

func (s *sqliteSession) release(ctx context.Context) {
	s.rollback(ctx)
	if s.fkOn {
		_, _ = s.run().ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
	}
	if s.conn != nil {
		s.conn.Close()
	}
	s.closer()
}

// foreignKeyCheck runs PRAGMA foreign_key_check in the transaction.
func foreignKeyCheck(ctx context.Context, r sqlRunner) error {
	rows, err := r.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	var fe ForeignKeyError
	for rows.Next() {
		var v ForeignKeyViolation
		var rowid sql.NullInt64
		var fkid int
		if err := rows.Scan(&v.Table, &rowid, &v.Parent, &fkid); err != nil {
			return err
		}
		v.RowID = rowid.Int64
		fe.Violations = append(fe.Violations, v)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(fe.Violations) > 0 {
		return &fe
	}
	return nil
}

func (d *sqliteDriver) readHistory(ctx context.Context) ([]HistoryEntry, error) {
	var n int
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, HistoryTableName).Scan(&n); err != nil || n == 0 {
		return nil, err
	}
	rows, err := d.db.QueryContext(ctx, fmt.Sprintf(historyQuery, `"`+HistoryTableName+`"`))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return collectHistory(rows)
}
