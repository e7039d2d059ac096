package sqlscript

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// loadPostgres runs stmts into the database at url on one connection in
// autocommit mode, as psql does, and returns Exec's error.
func loadPostgres(t *testing.T, url string, stmts []Statement) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	return Exec(ctx, ExecFunc(func(ctx context.Context, sql string) error {
		_, err := conn.Exec(ctx, sql)
		return err
	}), stmts)
}

// openSQLite opens an in-memory SQLite database, or a file, through
// modernc.org/sqlite.
func openSQLite(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // an in-memory database lives in its connection
	t.Cleanup(func() { db.Close() })
	return db
}

// loadSQLite runs stmts into db in one transaction and returns Exec's
// error.
func loadSQLite(t *testing.T, db *sql.DB, stmts []Statement) error {
	t.Helper()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	if err := Exec(ctx, FromSQL(tx), stmts); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return nil
}

// run runs a program and returns its standard output; a failure fails
// the test.
func run(t *testing.T, stdin []byte, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var out, errOut bytes.Buffer
	cmd.Stdin = bytes.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10")
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", filepath.Base(name), err, errOut.String())
	}
	return out.Bytes()
}

// queryRow runs a query returning one row on the database at url.
func queryRow(t *testing.T, url, query string, dest ...any) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	return conn.QueryRow(ctx, query).Scan(dest...)
}
