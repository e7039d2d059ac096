package sqlscript

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/google/go-cmp/cmp"
)

// corpusDir holds real public schemas, shared by the project's checkouts
// (the shared/ directory beside the repository).
var corpusDir = filepath.Join("..", "..", "shared", "corpus")

// corpusFiles returns the corpus files the patterns match, relative to
// corpusDir, or skips the test when there are none.
func corpusFiles(t *testing.T, patterns ...string) []string {
	t.Helper()
	var files []string
	for _, p := range patterns {
		m, _ := filepath.Glob(filepath.Join(corpusDir, p))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skipf("no corpus of real schemas matching %q in %s (the shared/ directory beside the checkout)", patterns, corpusDir)
	}
	return files
}

// testName names a corpus file's subtest: its directory and base name.
func testName(file string) string {
	return filepath.Base(filepath.Dir(file)) + "/" + strings.TrimSuffix(filepath.Base(file), ".sql")
}

// TestPostgresCorpus loads each real PostgreSQL schema twice, with psql
// and with Split and Exec: pg_dump --schema-only of the two databases must
// be the same.
func TestPostgresCorpus(t *testing.T) {
	files := corpusFiles(t, "postgres/*.sql", "pairs/river-pg/*.sql")
	for _, file := range files {
		t.Run(testName(file), func(t *testing.T) {
			t.Parallel()
			stmts, notes, err := ReadFile(file, PostgreSQL)
			if err != nil {
				t.Fatal(err)
			}
			got := pgtest.URL(t)
			if err := loadPostgres(t, got, stmts); err != nil {
				t.Fatal(err)
			}
			ref := pgtest.URL(t)
			run(t, nil, pgBin(t, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", ref, "-f", file)
			if diff := cmp.Diff(schemaDump(t, ref), schemaDump(t, got)); diff != "" {
				t.Errorf("pg_dump --schema-only of the database psql loaded and of the one Exec loaded differ (-psql +Exec):\n%s", diff)
			}
			t.Logf("%d statements run; notes: %q", len(stmts), notes)
		})
	}
}

// TestSQLiteCorpus loads each real SQLite schema into an in-memory
// database, and compares its sqlite_schema with that of a database the
// sqlite3 shell loaded when the shell is installed.
func TestSQLiteCorpus(t *testing.T) {
	files := corpusFiles(t, "sqlite/*.sql", "pairs/river-sqlite/*.sql")
	shell, _ := exec.LookPath("sqlite3")
	for _, file := range files {
		t.Run(testName(file), func(t *testing.T) {
			stmts, notes, err := ReadFile(file, SQLite)
			if err != nil {
				t.Fatal(err)
			}
			db := openSQLite(t, ":memory:")
			if err := loadSQLite(t, db, stmts); err != nil {
				t.Fatal(err)
			}
			got := sqliteSchema(t, db)
			if len(got) == 0 {
				t.Fatal("nothing was created")
			}
			t.Logf("%d statements run, %d objects; notes: %q", len(stmts), len(got), notes)
			if shell == "" {
				t.Log("sqlite3 is not installed: the comparison with the database the shell loads is left out")
				return
			}
			refPath := filepath.Join(t.TempDir(), "ref.db")
			src := readFile(t, file)
			run(t, src, shell, "-bail", refPath)
			want := sqliteSchema(t, openSQLite(t, refPath))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("sqlite_schema of the database sqlite3 loaded and of the one Exec loaded differ (-sqlite3 +Exec):\n%s", diff)
			}
		})
	}
}

// pgBin returns the path of a PostgreSQL program, failing the test when
// it is not installed (PostgreSQL itself is, or pgtest.URL has skipped).
func pgBin(t *testing.T, name string) string {
	t.Helper()
	p := pgtest.Bin(name)
	if p == "" {
		t.Fatalf("%s is not installed", name)
	}
	return p
}

// schemaDump returns pg_dump --schema-only of a database, less the
// \restrict and \unrestrict lines, whose key changes with every run.
func schemaDump(t *testing.T, url string) string {
	t.Helper()
	out := run(t, nil, pgBin(t, "pg_dump"), "--schema-only", "-d", url)
	var kept []string
	for _, line := range strings.Split(string(out), "\n") {
		if !strings.HasPrefix(line, `\restrict `) && !strings.HasPrefix(line, `\unrestrict `) {
			kept = append(kept, line)
		}
	}
	if len(kept) < 10 {
		t.Fatalf("pg_dump printed almost nothing:\n%s", out)
	}
	return strings.Join(kept, "\n")
}

// sqliteObject is one row of sqlite_schema.
type sqliteObject struct {
	Type, Name, Table string
	SQL               sql.NullString
}

// sqliteSchema returns the rows of a database's sqlite_schema, in order.
func sqliteSchema(t *testing.T, db *sql.DB) []sqliteObject {
	t.Helper()
	rows, err := db.Query("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var objs []sqliteObject
	for rows.Next() {
		var o sqliteObject
		if err := rows.Scan(&o.Type, &o.Name, &o.Table, &o.SQL); err != nil {
			t.Fatal(err)
		}
		objs = append(objs, o)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return objs
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
