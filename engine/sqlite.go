package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/dbtool/dbtool/ddl"
	sqliteddl "github.com/dbtool/dbtool/ddl/sqlite"
	sqliteinspect "github.com/dbtool/dbtool/inspector/sqlite"
	"github.com/dbtool/dbtool/metadata"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// sqliteDriver is SQLite through modernc.org/sqlite: pure Go, no cgo.
type sqliteDriver struct {
	*sqliteinspect.Inspector
	db   *sql.DB
	echo io.Writer
	path string
}

func openSQLite(ctx context.Context, u *URL, opts Options) (Driver, error) {
	path := u.Path
	if path != ":memory:" && !opts.Create {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			if !opts.MissingAsEmpty {
				return nil, fmt.Errorf("SQLite database %s: %w", u.Path, ErrNoDatabase)
			}
			path = ":memory:"
		}
	}
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(5000)")
	if opts.ReadOnly && path != ":memory:" {
		q.Add("mode", "ro")
	}
	// The path becomes a file: URI, where %, ? and # are special.
	uriPath := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	db, err := sql.Open("sqlite", "file:"+uriPath+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("SQLite database %s: %w", u.Path, err)
	}
	// One connection: an in-memory database lives in its connection, and
	// SQLite has one writer anyway.
	db.SetMaxOpenConns(1)
	ctx, cancel := context.WithTimeout(ctx, opts.ConnectTimeout)
	defer cancel()
	// Reading the schema fails at once on a file that is not a database.
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
		db.Close()
		return nil, fmt.Errorf("SQLite database %s: %w", u.Path, err)
	}
	return &sqliteDriver{Inspector: sqliteinspect.New(db, opts.Echo), db: db, echo: opts.Echo, path: u.Path}, nil
}

func (d *sqliteDriver) Dialect() ddl.Dialect { return sqliteddl.Dialect{} }

func (d *sqliteDriver) Close() error { return d.db.Close() }

// CheckModel tries every default expression on the database: SQLite takes
// DEFAULT (now()) in CREATE TABLE and fails only when a row is inserted.
func (d *sqliteDriver) CheckModel(ctx context.Context, m *metadata.MetaData) error {
	return sqliteddl.CheckDefaults(ctx, d.db, m)
}

func (d *sqliteDriver) ExecTx(ctx context.Context, stmts []ddl.Statement, progress func(int)) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("SQLite database %s: %w", d.path, err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	for i, s := range stmts {
		if progress != nil {
			progress(i)
		}
		echo(d.echo, s.SQL)
		if _, err := tx.ExecContext(ctx, s.SQL); err != nil {
			return &StatementError{Object: s.Object, SQL: s.SQL, Err: err}
		}
	}
	return tx.Commit()
}

// openScratch opens an in-memory database: SQLite's scratch database costs
// nothing and needs no rights. devURL is not used.
func (d *sqliteDriver) openScratch(ctx context.Context, _ string) (*scratchDB, error) {
	open := func() (Driver, error) {
		return openSQLite(ctx, &URL{Dialect: "sqlite", Path: ":memory:", redacted: "sqlite://"}, Options{ConnectTimeout: 30 * time.Second})
	}
	drv, err := open()
	if err != nil {
		return nil, err
	}
	s := &scratchDB{driver: drv}
	s.reset = func(context.Context) error {
		s.driver.Close()
		s.driver, err = open()
		return err
	}
	s.close = func(context.Context) { s.driver.Close() }
	return s, nil
}

// Apply runs a migration. A table rebuild needs foreign keys off, which
// SQLite can only change outside a transaction: they are turned off on
// the connection first, PRAGMA foreign_key_check must find nothing before
// commit, and they are turned back on after, as SQLite's documentation
// prescribes for schema changes it cannot make with ALTER TABLE.
func (d *sqliteDriver) Apply(ctx context.Context, stmts []ddl.Statement) error {
	rebuild := false
	for _, s := range stmts {
		rebuild = rebuild || s.Rebuild
	}
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("SQLite database %s: %w", d.path, err)
	}
	defer conn.Close()
	if rebuild {
		var on bool
		if err := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&on); err != nil {
			return err
		}
		if on {
			echo(d.echo, "PRAGMA foreign_keys = OFF")
			if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
				return err
			}
			defer func() {
				echo(d.echo, "PRAGMA foreign_keys = ON")
				_, _ = conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
			}()
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("SQLite database %s: %w", d.path, err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	for _, s := range stmts {
		echo(d.echo, s.SQL)
		if _, err := tx.ExecContext(ctx, s.SQL); err != nil {
			return &StatementError{Object: s.Object, SQL: s.SQL, Err: err}
		}
	}
	if rebuild {
		if err := foreignKeyCheck(ctx, tx); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// foreignKeyCheck runs PRAGMA foreign_key_check in the transaction.
func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
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
