package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	osuser "os/user"
	"slices"
	"strings"
	"time"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/internal/sqlitecache"
	"github.com/dbtool/dbtool/migrate"
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
	d    *sqliteDriver
	conn *sql.Conn // the lock's connection; nil in memory
	tx   *sql.Tx   // the transaction in memory
	fkOn bool
	inTx bool
	// fkBefore counts the rows that referenced nothing before the
	// transaction's first statement that could add some (referencesBefore);
	// nil until then, and when no statement can.
	fkBefore map[referenceKey]int
	// The page cache is sized for the schema table (sizeCache): its
	// estimated size in bytes, after the statements run so far, and the
	// cache in KiB, once read.
	schemaBytes, cacheKiB int64
	sized                 bool
	closer                func()
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

// sqliteBatch is how many statements the session sends to SQLite in one
// Exec. Under a context that can be cancelled, as the CLI's is (Ctrl-C),
// modernc.org/sqlite starts a goroutine per Exec to watch it, whose
// wake-up at the end of each Exec keeps another thread busy: the 3070
// statements of bench/gen's 1000 tables, run through modernc.org/sqlite
// with such a context, took 1.07 s of CPU in one Exec each and 0.77 s in
// batches of 64 (medians of 5 runs; batches of 8 to 256 measured alike).
// A failing batch reruns at most 64 statements one by one.
const sqliteBatch = 64

// batchSavepoint is the savepoint that each batch runs in, so that a
// failing batch can be undone and rerun statement by statement.
const batchSavepoint = "dbtool_batch"

// exec runs the statements in batches of sqliteBatch, each in one Exec
// inside a savepoint. When a batch fails, the session rolls back to the
// savepoint and runs that batch again one statement at a time, so that
// the *StatementError names the statement that failed, as a run of one
// Exec per statement does. progress is called for each statement of a
// batch, in order, before the batch is sent, and --echo logs each one.
func (s *sqliteSession) exec(ctx context.Context, stmts []ddl.Statement, progress func(int)) error {
	if err := s.sizeCache(ctx, stmts); err != nil {
		return err
	}
	if _, err := s.referencesBefore(ctx, stmts); err != nil {
		return fmt.Errorf("SQLite database %s: checking the foreign keys: %w", s.d.path, err)
	}
	for start := 0; start < len(stmts); {
		n := batchLen(stmts[start:], sqliteBatch)
		batch := stmts[start : start+n]
		for i, st := range batch {
			if progress != nil {
				progress(start + i)
				if err := ctx.Err(); err != nil {
					return &StatementError{Object: st.Object, SQL: st.SQL, Err: err}
				}
			}
			echo(s.d.echo, st.SQL)
		}
		var err error
		if n == 1 {
			err = s.execOne(ctx, batch[0])
		} else {
			err = s.execBatch(ctx, batch)
		}
		if err != nil {
			return err
		}
		start += n
	}
	return nil
}

// sizeCache raises the page cache of the session's connection, before
// statements run, to hold the schema table that they leave, once it would
// take more than half the cache (sqlitecache.For).
// The table's size and the cache are read once; each call adds its
// statements to the estimate. An in-memory database keeps every page
// anyway, and the connection, the session's own, closes with it.
func (s *sqliteSession) sizeCache(ctx context.Context, stmts []ddl.Statement) error {
	if s.conn == nil {
		return nil
	}
	if !s.sized {
		var pageSize, cacheSize int64
		err := s.conn.QueryRowContext(ctx, fmt.Sprintf(`SELECT
  (SELECT coalesce(sum(length(sql)), 0) + %d*count(*) FROM sqlite_schema),
  (SELECT page_size FROM pragma_page_size),
  (SELECT cache_size FROM pragma_cache_size)`, sqlitecache.RowBytes)).Scan(&s.schemaBytes, &pageSize, &cacheSize)
		if err != nil {
			return fmt.Errorf("SQLite database %s: reading the schema table's size: %w", s.d.path, err)
		}
		s.cacheKiB, s.sized = sqlitecache.KiB(cacheSize, pageSize), true
	}
	for _, st := range stmts {
		s.schemaBytes += int64(len(st.SQL)) + sqlitecache.RowBytes
	}
	want, raise := sqlitecache.For(s.schemaBytes, s.cacheKiB)
	if !raise {
		return nil
	}
	q := fmt.Sprintf("PRAGMA cache_size = -%d", want)
	echo(s.d.echo, q)
	if _, err := s.conn.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("SQLite database %s: %w", s.d.path, err)
	}
	s.cacheKiB = want
	return nil
}

// execOne runs one statement, already echoed.
func (s *sqliteSession) execOne(ctx context.Context, st ddl.Statement) error {
	if _, err := s.run().ExecContext(ctx, st.SQL); err != nil {
		return &StatementError{Object: st.Object, SQL: st.SQL, Err: err}
	}
	return nil
}

// execBatch runs several statements, already echoed, in one Exec inside
// a savepoint. On a failure it rolls back to the savepoint and reruns
// them one by one, returning the first one's *StatementError; should
// they all succeed then, the batch is done after all.
func (s *sqliteSession) execBatch(ctx context.Context, batch []ddl.Statement) error {
	echo(s.d.echo, "SAVEPOINT "+batchSavepoint)
	if _, err := s.run().ExecContext(ctx, "SAVEPOINT "+batchSavepoint); err != nil {
		return fmt.Errorf("SAVEPOINT before %s: %w", batch[0].Object, err)
	}
	_, err := s.run().ExecContext(ctx, joinStatements(batch))
	if err == nil {
		return s.releaseBatch(ctx, batch)
	}
	if ctx.Err() != nil {
		// Interrupted: the caller rolls everything back.
		return fmt.Errorf("in the %d statements from %s on: %w", len(batch), batch[0].Object, err)
	}
	// Some errors (a full disk, an I/O error) make SQLite roll back the
	// whole transaction, the savepoint with it: then nothing may run
	// again, since it would run outside the transaction.
	echo(s.d.echo, "ROLLBACK TO "+batchSavepoint)
	if _, rerr := s.run().ExecContext(context.WithoutCancel(ctx), "ROLLBACK TO "+batchSavepoint); rerr != nil {
		return fmt.Errorf("in the %d statements from %s on: %w (and rolling back to their savepoint: %v)", len(batch), batch[0].Object, err, rerr)
	}
	for _, st := range batch {
		echo(s.d.echo, st.SQL)
		if err := s.execOne(ctx, st); err != nil {
			return err
		}
	}
	return s.releaseBatch(ctx, batch)
}

// releaseBatch releases the savepoint of a batch that ran.
func (s *sqliteSession) releaseBatch(ctx context.Context, batch []ddl.Statement) error {
	echo(s.d.echo, "RELEASE "+batchSavepoint)
	if _, err := s.run().ExecContext(ctx, "RELEASE "+batchSavepoint); err != nil {
		return fmt.Errorf("RELEASE after %s: %w", batch[len(batch)-1].Object, err)
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
	if s.fkBefore != nil {
		if err := s.referencesKept(ctx); err != nil {
			return err
		}
	}
	s.fkBefore = nil
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
	s.fkBefore = nil
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

// mayBreakReferences reports whether a statement, run with foreign keys
// off, can leave rows that reference nothing: a table rebuild's, or one
// that drops a table or a column. Creating, renaming (legacy_alter_table
// off rewrites the references) and adding nullable columns cannot.
func mayBreakReferences(st ddl.Statement) bool {
	return st.Rebuild || st.Hazard == migrate.DropsData
}

// referencesBefore counts the rows that reference nothing, by table and
// referenced table, once per transaction and before the first of its
// statements that may add some; nil when stmts cannot, or when the
// database's connections do not enforce foreign keys.
func (s *sqliteSession) referencesBefore(ctx context.Context, stmts []ddl.Statement) (map[referenceKey]int, error) {
	if !s.fkOn || s.fkBefore != nil {
		return s.fkBefore, nil
	}
	if !slices.ContainsFunc(stmts, mayBreakReferences) {
		return nil, nil
	}
	vs, err := foreignKeyViolations(ctx, s.run())
	if err != nil {
		return nil, err
	}
	s.fkBefore = countByReference(vs)
	return s.fkBefore, nil
}

// referencesKept runs PRAGMA foreign_key_check before commit: a table and
// referenced table with more rows referencing nothing than before the
// plan fail it.
func (s *sqliteSession) referencesKept(ctx context.Context) error {
	vs, err := foreignKeyViolations(ctx, s.run())
	if err != nil {
		return err
	}
	after := countByReference(vs)
	var fe ForeignKeyError
	for _, v := range vs {
		k := referenceKey{v.Table, v.Parent}
		if after[k] > s.fkBefore[k] {
			fe.Violations = append(fe.Violations, v)
		}
	}
	for k, n := range s.fkBefore {
		if after[k] > n {
			fe.Before += n
		}
	}
	if len(fe.Violations) > 0 {
		return &fe
	}
	return nil
}

// countByReference counts violations by table and referenced table;
// never nil, so that a count taken marks the transaction as checked.
func countByReference(vs []ForeignKeyViolation) map[referenceKey]int {
	n := map[referenceKey]int{}
	for _, v := range vs {
		n[referenceKey{v.Table, v.Parent}]++
	}
	return n
}

// foreignKeyViolations runs PRAGMA foreign_key_check.
func foreignKeyViolations(ctx context.Context, r sqlRunner) ([]ForeignKeyViolation, error) {
	rows, err := r.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ForeignKeyViolation
	for rows.Next() {
		var v ForeignKeyViolation
		var rowid sql.NullInt64
		var fkid int
		if err := rows.Scan(&v.Table, &rowid, &v.Parent, &fkid); err != nil {
			return nil, err
		}
		v.RowID = rowid.Int64
		out = append(out, v)
	}
	return out, rows.Err()
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
