package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	sqliteddl "github.com/dbtool/dbtool/ddl/sqlite"
	"github.com/dbtool/dbtool/inspector"
	sqliteinspect "github.com/dbtool/dbtool/inspector/sqlite"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
	"github.com/google/go-cmp/cmp"
	_ "modernc.org/sqlite"
)

// openDB opens a fresh SQLite database in a temporary file, with foreign
// keys enforced as the engine opens it.
func openDB(t testing.TB) *sql.DB {
	t.Helper()
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "test.db")+"?"+q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// create checks and validates m, plans create-all with the SQLite dialect
// and runs the statements in one transaction. It returns the statements.
func create(t testing.TB, db *sql.DB, m *metadata.MetaData) []string {
	t.Helper()
	if err := metadata.Validate(m); err != nil {
		t.Fatalf("invalid model: %v", err)
	}
	if err := (sqliteddl.Dialect{}).Check(m); err != nil {
		t.Fatalf("SQLite refuses the model: %v", err)
	}
	stmts, err := sqliteddl.Dialect{}.Plan(migrate.PlanCreateAll(m, nil).Changes)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var out []string
	for _, s := range stmts {
		if _, err := tx.Exec(s.SQL); err != nil {
			t.Fatalf("%s: %v\n%s", s.Object, err, s.SQL)
		}
		out = append(out, s.SQL)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return out
}

// inspect reflects db.
func inspect(t testing.TB, db *sql.DB, opts inspector.Options) *inspector.Result {
	t.Helper()
	return inspectEcho(t, db, opts, nil)
}

func inspectEcho(t testing.TB, db *sql.DB, opts inspector.Options, echo io.Writer) *inspector.Result {
	t.Helper()
	res, err := sqliteinspect.New(db, echo).Inspect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// countQueries inspects db and returns how many queries it sent.
func countQueries(t testing.TB, db *sql.DB, opts inspector.Options) int {
	t.Helper()
	var buf bytes.Buffer
	inspectEcho(t, db, opts, &buf)
	return strings.Count(buf.String(), ";\n")
}

// assertSame fails when two models differ, after putting both in
// canonical order.
func assertSame(t testing.TB, want, got *metadata.MetaData) {
	t.Helper()
	if diff := cmp.Diff(metadata.Canonical(want), metadata.Canonical(got)); diff != "" {
		t.Fatalf("inspected schema differs (-declared +inspected):\n%s", diff)
	}
}

// roundTrip creates m, inspects it, checks that the inspection equals m,
// that it survives the schema-file YAML, and returns the inspection.
func roundTrip(t *testing.T, m *metadata.MetaData) *inspector.Result {
	t.Helper()
	db := openDB(t)
	create(t, db, m)
	res := inspect(t, db, inspector.Options{})
	assertSame(t, m, res.Schema)
	checkAgainstPragmas(t, db, res.Schema)
	throughYAML(t, res.Schema)
	return res
}

// throughYAML encodes m as a schema file and reads it back: the same model.
func throughYAML(t *testing.T, m *metadata.MetaData) {
	t.Helper()
	y, err := metadata.EncodeYAML(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := metadata.Parse("inspected.yaml", y)
	if err != nil {
		t.Fatalf("inspected YAML does not read back: %v\n%s", err, y)
	}
	if diff := cmp.Diff(metadata.Canonical(m), metadata.Canonical(back)); diff != "" {
		t.Fatalf("YAML round trip (-inspected +read back):\n%s\n%s", diff, y)
	}
}
