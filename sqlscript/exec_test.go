package sqlscript

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"
)

// writeScript writes a script into a temporary directory and returns its
// path.
func writeScript(t *testing.T, name, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestExecErrorPostgres: a statement PostgreSQL refuses is named by its
// file:line:col, and the server's error stays reachable.
func TestExecErrorPostgres(t *testing.T) {
	path := writeScript(t, "bad.sql", "CREATE TABLE a (x int);\n\n-- next\n  CREATE TABL b (y int);\nCREATE TABLE c ();\n")
	stmts, _, err := ReadFile(path, PostgreSQL)
	if err != nil {
		t.Fatal(err)
	}
	err = loadPostgres(t, pgtest.URL(t), stmts)
	var se *StatementError
	if !errors.As(err, &se) {
		t.Fatalf("Exec returned %v, want a *StatementError", err)
	}
	if want := (Pos{File: path, Line: 4, Column: 3}); se.Pos != want {
		t.Errorf("error at %v, want %v", se.Pos, want)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42601" {
		t.Errorf("the error does not carry the server's syntax error (42601): %#v", err)
	}
	msg := err.Error()
	for _, want := range []string{path + ":4:3: ", `syntax error at or near "TABL"`, "statement: CREATE TABL b (y int)"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
}

// TestExecErrorSQLite: the same for SQLite.
func TestExecErrorSQLite(t *testing.T) {
	path := writeScript(t, "bad.sql", "CREATE TABLE a (x);\nCREATE TABLE b (\n  y REFERENCES a,\n  z int,\n);\n")
	stmts, _, err := ReadFile(path, SQLite)
	if err != nil {
		t.Fatal(err)
	}
	err = loadSQLite(t, openSQLite(t, ":memory:"), stmts)
	var se *StatementError
	if !errors.As(err, &se) {
		t.Fatalf("Exec returned %v, want a *StatementError", err)
	}
	if want := (Pos{File: path, Line: 2, Column: 1}); se.Pos != want {
		t.Errorf("error at %v, want %v", se.Pos, want)
	}
	msg := err.Error()
	for _, want := range []string{path + ":2:1: ", `near ")": syntax error`, "statement: CREATE TABLE b ( ..."} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
}

// lineNumbers finds the line numbers in a Note.
var lineNumbers = regexp.MustCompile(`(dump\.sql:|line )\d+`)

// TestPostgresDump loads pg_dump's output of a database that has data
// (COPY blocks, setval, \restrict, set_config) and of the same database
// dumped as INSERT statements: the structure must come through, the data
// must not.
func TestPostgresDump(t *testing.T) {
	src := pgtest.URL(t)
	const schema = `
CREATE SCHEMA shop;
CREATE TYPE shop.mood AS ENUM ('ok', 'not;ok');
CREATE TABLE shop.item (
	id serial PRIMARY KEY,
	name text NOT NULL CHECK (name <> ';'),
	note text DEFAULT E'a\\b;''c',
	mood shop.mood
);
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
	NEW.note := NEW.note || $$;$$;
	RETURN NEW;
END
$fn$;
CREATE TRIGGER item_touch BEFORE INSERT ON shop.item FOR EACH ROW EXECUTE FUNCTION shop.touch();
CREATE FUNCTION shop.two() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;
INSERT INTO shop.item (name, note, mood) VALUES
	('a', E'line\none;\\.', 'not;ok'), ('\.', 'tab	here', 'ok'), ('b', NULL, NULL);
`
	run(t, nil, pgBin(t, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", src, "-c", schema)
	want := schemaDump(t, src)
	for _, tt := range []struct {
		name  string
		args  []string
		notes []string
	}{
		{"copy", nil, []string{
			"dump.sql:%d: COPY ... FROM stdin skipped: a source declares structure, not data",
			"dump.sql:%d: SELECT setval skipped: it sets a sequence's value, which is data",
		}},
		{"inserts", []string{"--inserts"}, []string{
			"dump.sql:%d: 3 INSERT statements skipped (through line %d): a source declares structure, not data",
			"dump.sql:%d: SELECT setval skipped: it sets a sequence's value, which is data",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dump := run(t, nil, pgBin(t, "pg_dump"), append(tt.args, "-d", src)...)
			if !strings.Contains(string(dump), `\restrict `) {
				t.Logf("this pg_dump writes no \\restrict line")
			}
			stmts, notes, err := Split("dump.sql", dump, PostgreSQL)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, n := range notes {
				// Line numbers depend on pg_dump's version.
				got = append(got, lineNumbers.ReplaceAllString(n.String(), "$1%d"))
			}
			if diff := cmp.Diff(tt.notes, got); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
			dst := pgtest.URL(t)
			if err := loadPostgres(t, dst, stmts); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, schemaDump(t, dst)); diff != "" {
				t.Errorf("pg_dump --schema-only of the dumped database and of the one Exec loaded differ (-dumped +loaded):\n%s", diff)
			}
			var rows int
			if err := queryRow(t, dst, "SELECT count(*) FROM shop.item", &rows); err != nil || rows != 0 {
				t.Errorf("shop.item has %d rows (%v), want none", rows, err)
			}
		})
	}
}
