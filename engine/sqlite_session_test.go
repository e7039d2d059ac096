package engine

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/dbtool/dbtool/ddl"
)

// TestSQLiteBatchOpenComment: a statement that ends inside an unclosed
// block comment, which SQLite accepts at the end of a statement's text,
// does not hide the statements after it, as it would in a batch of
// statements sent together.
func TestSQLiteBatchOpenComment(t *testing.T) {
	ctx := context.Background()
	eng, err := Open(ctx, "sqlite:///"+filepath.Join(t.TempDir(), "test.db"), Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	stmts := []ddl.Statement{
		{SQL: `CREATE TABLE a (id INTEGER)`, Object: "table a"},
		{SQL: `CREATE VIEW v AS SELECT id FROM a /* an unclosed comment`, Object: "view v"},
		{SQL: `CREATE TABLE b (id INTEGER)`, Object: "table b"},
		{SQL: `CREATE TABLE c (id INTEGER) -- a comment to the end of the line`, Object: "table c"},
		{SQL: `CREATE TABLE d (id INTEGER)`, Object: "table d"},
	}
	s := beginSession(t, eng)
	if err := s.exec(ctx, stmts, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.commit(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := eng.driver.(*sqliteDriver).db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE name IN ('a', 'v', 'b', 'c', 'd')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(stmts) {
		t.Errorf("%d of the %d objects exist", n, len(stmts))
	}
}

// beginSession takes the migration lock of eng and begins its
// transaction; the lock is released when the test ends.
func beginSession(t *testing.T, eng *Engine) session {
	t.Helper()
	ctx := context.Background()
	s, err := eng.lock(ctx, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.release(ctx) })
	if err := s.begin(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}
