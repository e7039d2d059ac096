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
	"github.com/dbtool/dbtool/sqlscript"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// sqliteDriver is SQLite through modernc.org/sqlite: pure Go, no cgo.
type sqliteDriver struct {
	*sqliteinspect.Inspector
	db   *sql.DB
	echo io.Writer
	path string
	// file is the file opened (":memory:" for none) and dsn the driver's
	// name for it, for the migration lock's own connection.
	file, dsn string
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
	dsn := "file:" + uriPath + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("SQLite database %s: %w", u.Path, err)
	}
	// One connection: an in-memory database lives in its connection, and
	// SQLite has one writer anyway.
	db.SetMaxOpenConns(1)
	ctx, cancel := context.WithTimeout(ctx, opts.ConnectTimeout)
	defer cancel()
	// Reading the schema cookie fails at once on a file that is not a
	// database, and does not parse the schema: on a large one that takes
	// a while (0.1 s at 5000 tables), which migrate plan spends while it
	// reads the schema files, in its first inspection query.
	var n int
	if err := db.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&n); err != nil {
		db.Close()
		return nil, fmt.Errorf("SQLite database %s: %w", u.Path, err)
	}
	return &sqliteDriver{Inspector: sqliteinspect.New(db, opts.Echo), db: db, echo: opts.Echo, path: u.Path, file: path, dsn: dsn}, nil
}

func (d *sqliteDriver) Dialect() ddl.Dialect { return sqliteddl.Dialect{} }

func (d *sqliteDriver) Close() error { return d.db.Close() }

// CheckModel tries every default expression on the database: SQLite takes
// DEFAULT (now()) in CREATE TABLE and fails only when a row is inserted.
func (d *sqliteDriver) CheckModel(ctx context.Context, m *metadata.MetaData) error {
	return sqliteddl.CheckDefaults(ctx, d.db, m)
}

func (d *sqliteDriver) ExecTx(ctx context.Context, stmts []ddl.Statement, progress func(int)) error {
	return execTx(ctx, d.begin, stmts, progress)
}

func (d *sqliteDriver) begin(ctx context.Context) (sqlTx, error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("SQLite database %s: %w", d.path, err)
	}
	return sqliteTx{tx: tx, echo: d.echo}, nil
}

// sqliteTx is a database/sql transaction as execTx uses it.
type sqliteTx struct {
	tx   *sql.Tx
	echo io.Writer
}

func (t sqliteTx) exec(ctx context.Context, text string) error {
	echo(t.echo, text)
	_, err := t.tx.ExecContext(ctx, text)
	return err
}

func (t sqliteTx) commit(context.Context) error { return t.tx.Commit() }

func (t sqliteTx) rollback(context.Context) { _ = t.tx.Rollback() }

// serverTypes needs no database: SQLite keeps a column's type as the
// CREATE TABLE statement spells it, which is the dialect's spelling, and
// the inspector reads that text back (sqliteddl.ReadType).
func (d *sqliteDriver) serverTypes(_ context.Context, types []metadata.Type) ([]metadata.Type, error) {
	out := make([]metadata.Type, len(types))
	for i, t := range types {
		s, err := d.Dialect().FormatType(t)
		if err != nil {
			return nil, err
		}
		out[i] = sqliteddl.ReadType(s)
	}
	return out, nil
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

func (d *sqliteDriver) scriptSyntax() sqlscript.Syntax { return sqlscript.SQLite }

// runScript runs a script in one transaction on the one connection.
func (d *sqliteDriver) runScript(ctx context.Context, stmts []sqlscript.Statement) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	if err := sqlscript.Exec(ctx, sqlscript.FromSQL(tx), stmts); err != nil {
		return err
	}
	return tx.Commit()
}
