package sqlscript

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// stmt is a statement as the tests write it: where it starts and its SQL.
type stmt struct {
	Line, Col int
	SQL       string
}

func splitTexts(t *testing.T, syn Syntax, src string) ([]stmt, []string) {
	t.Helper()
	stmts, notes, err := Split("t.sql", []byte(src), syn)
	if err != nil {
		t.Fatalf("Split: %v", err)
	}
	var got []stmt
	for _, s := range stmts {
		if s.Pos.File != "t.sql" {
			t.Errorf("statement at %v: file %q, want t.sql", s.Pos, s.Pos.File)
		}
		got = append(got, stmt{s.Pos.Line, s.Pos.Column, s.SQL})
	}
	var ns []string
	for _, n := range notes {
		ns = append(ns, n.String())
	}
	return got, ns
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name  string
		syn   Syntax
		src   string
		want  []stmt
		notes []string
	}{
		{
			name: "semicolons in strings and identifiers",
			syn:  PostgreSQL,
			src:  "SELECT 'a;b';\nSELECT 'it''s; here';\nCREATE TABLE \"x;y\" (\"c\"\"d;\" int);",
			want: []stmt{{1, 1, "SELECT 'a;b'"}, {2, 1, "SELECT 'it''s; here'"}, {3, 1, `CREATE TABLE "x;y" ("c""d;" int)`}},
		},
		{
			name: "E-strings escape with backslashes, plain strings do not",
			syn:  PostgreSQL,
			src:  `SELECT E'a\';b', e'\\'; SELECT 'a\'; SELECT xe'a\'; SELECT 2`,
			want: []stmt{{1, 1, `SELECT E'a\';b', e'\\'`}, {1, 25, `SELECT 'a\'`}, {1, 38, `SELECT xe'a\'`}, {1, 53, "SELECT 2"}},
		},
		{
			name: "standard_conforming_strings off makes backslashes escape",
			syn:  PostgreSQL,
			src:  "SET standard_conforming_strings = off;\nSELECT 'a\\';b';\nSET standard_conforming_strings TO on;\nSELECT 'a\\';",
			want: []stmt{
				{1, 1, "SET standard_conforming_strings = off"}, {2, 1, `SELECT 'a\';b'`},
				{3, 1, "SET standard_conforming_strings TO on"}, {4, 1, `SELECT 'a\'`},
			},
		},
		{
			name: "dollar quotes with and without tags",
			syn:  PostgreSQL,
			src: "CREATE FUNCTION f() RETURNS int AS $body$\nBEGIN\n  RETURN 1; -- $$ ; $x$\nEND\n$body$ LANGUAGE plpgsql;\n" +
				"DO $$ BEGIN PERFORM ';'; END $$;\nSELECT $1, a$$b, $_$x;$_$;",
			want: []stmt{
				{1, 1, "CREATE FUNCTION f() RETURNS int AS $body$\nBEGIN\n  RETURN 1; -- $$ ; $x$\nEND\n$body$ LANGUAGE plpgsql"},
				{6, 1, "DO $$ BEGIN PERFORM ';'; END $$"},
				{7, 1, "SELECT $1, a$$b, $_$x;$_$"},
			},
		},
		{
			name: "PostgreSQL block comments nest",
			syn:  PostgreSQL,
			src:  "/* a /* b; */ c; */ SELECT 1 /* ; /* ; */ */ + 2; -- SELECT 3;\nSELECT 4",
			want: []stmt{{1, 21, "SELECT 1 /* ; /* ; */ */ + 2"}, {2, 1, "SELECT 4"}},
		},
		{
			name: "SQLite block comments do not nest",
			syn:  SQLite,
			src:  "/* a /* b; */ SELECT 1; /* ; */",
			want: []stmt{{1, 15, "SELECT 1"}},
		},
		{
			name: "a semicolon inside parentheses does not end a PostgreSQL statement",
			syn:  PostgreSQL,
			src:  "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); NOTIFY t);\nSELECT (1));SELECT 2;",
			want: []stmt{{1, 1, "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); NOTIFY t)"}, {2, 1, "SELECT (1))"}, {2, 13, "SELECT 2"}},
		},
		{
			name: "BEGIN ATOMIC bodies stay whole, CASE inside them too",
			syn:  PostgreSQL,
			src: "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN true THEN 1 END;\n  SELECT 2;\nEND;\n" +
				"CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; END;\nBEGIN;\nCREATE TABLE t (begin int, \"end\" int);\nCOMMIT;",
			want: []stmt{
				{1, 1, "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN true THEN 1 END;\n  SELECT 2;\nEND"},
				{6, 1, "CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; END"},
				{8, 1, `CREATE TABLE t (begin int, "end" int)`},
			},
		},
		{
			name: "SQLite triggers are one statement",
			syn:  SQLite,
			src: "CREATE TRIGGER actor_ai AFTER INSERT ON actor\n BEGIN\n  UPDATE actor SET n = 1 WHERE rowid = new.rowid;\n END\n;\n" +
				"create temp trigger if not exists t2 before delete on a when old.x > 0 begin\n" +
				"  update b set y = case when old.x = 1 then 'one;' else 'many' end;\n  delete from c;\nend;\n" +
				"CREATE TABLE [a;b] (`c;d` int, \"e;f\" int);\nBEGIN TRANSACTION;\nEND TRANSACTION;",
			want: []stmt{
				{1, 1, "CREATE TRIGGER actor_ai AFTER INSERT ON actor\n BEGIN\n  UPDATE actor SET n = 1 WHERE rowid = new.rowid;\n END\n"},
				{6, 1, "create temp trigger if not exists t2 before delete on a when old.x > 0 begin\n" +
					"  update b set y = case when old.x = 1 then 'one;' else 'many' end;\n  delete from c;\nend"},
				{10, 1, "CREATE TABLE [a;b] (`c;d` int, \"e;f\" int)"},
			},
		},
		{
			name: "backslashes, dollars and brackets are plain characters in SQLite",
			syn:  SQLite,
			src:  "SELECT 'a\\'; SELECT $x, E'a\\'; SELECT [x;y];",
			want: []stmt{{1, 1, `SELECT 'a\'`}, {1, 14, `SELECT $x, E'a\'`}, {1, 32, "SELECT [x;y]"}},
		},
		{
			name: "psql meta-commands that change nothing are skipped",
			syn:  PostgreSQL,
			src:  "\\restrict abc123\n\\set ON_ERROR_STOP on\n\\set x 'a\\b'\nSET x = 1; \\echo done\n\\dt+ public.*\n\\pset pager off\nSELECT 1;\n\\unrestrict abc123\n",
			want: []stmt{{4, 1, "SET x = 1"}, {7, 1, "SELECT 1"}},
		},
		{
			name: `\q ends the script`,
			syn:  PostgreSQL,
			src:  "SELECT 1;\n\\q\nSELECT 2;\n\\connect other\n",
			want: []stmt{{1, 1, "SELECT 1"}},
		},
		{
			name: "sqlite3 dot-commands and # comments",
			syn:  SQLite,
			src:  "# made by hand\n.mode column\n.headers on\nCREATE TABLE t (a);\nSELECT 1\n.x;\n.quit\nCREATE TABLE u (a);",
			want: []stmt{{4, 1, "CREATE TABLE t (a)"}, {5, 1, "SELECT 1\n.x"}},
		},
		{
			name: "COPY FROM stdin skips its data rows",
			syn:  PostgreSQL,
			src: "COPY public.t (a, b) FROM stdin;\n1\tit's; here\n2\t\\\\.\n3\t$$\n\\.\nCREATE TABLE u ();\n" +
				"COPY t FROM STDIN WITH (FORMAT csv);\r\nx;y\r\n\\.\r\nCOPY t TO stdout;\nCOPY t FROM stdin;\n1\n",
			want: []stmt{{6, 1, "CREATE TABLE u ()"}},
			notes: []string{
				"t.sql:1: COPY ... FROM stdin skipped: a source declares structure, not data",
				"t.sql:7: COPY ... FROM stdin skipped: a source declares structure, not data",
				"t.sql:10: COPY skipped: a source declares structure, not data",
				"t.sql:11: COPY ... FROM stdin skipped: a source declares structure, not data",
			},
		},
		{
			name: "data is skipped with a note, session settings run, transaction control goes",
			syn:  PostgreSQL,
			src: "BEGIN;\nSET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\n" +
				"INSERT INTO t VALUES (1);\ninsert into t values (2);\nINSERT INTO t VALUES (3);\nUPDATE t SET a = 2;\n" +
				"CREATE TABLE u ();\nINSERT INTO t VALUES (4);\nSELECT pg_catalog.setval('s', 3, true);\nSELECT setval('s', 4);\n" +
				"WITH x AS (SELECT 1) DELETE FROM t;\nTRUNCATE t;\nVACUUM ANALYZE t;\nSTART TRANSACTION;\nSAVEPOINT a;\nROLLBACK TO SAVEPOINT a;\nROLLBACK;\nEND;\nABORT;\nCOMMIT;",
			want: []stmt{
				{2, 1, "SET statement_timeout = 0"}, {3, 1, "SELECT pg_catalog.set_config('search_path', '', false)"},
				{8, 1, "CREATE TABLE u ()"}, {16, 1, "SAVEPOINT a"}, {17, 1, "ROLLBACK TO SAVEPOINT a"},
			},
			notes: []string{
				"t.sql:4: 3 INSERT statements skipped (through line 6): a source declares structure, not data",
				"t.sql:7: UPDATE skipped: a source declares structure, not data",
				"t.sql:9: INSERT skipped: a source declares structure, not data",
				"t.sql:10: 2 SELECT setval statements skipped (through line 11): it sets a sequence's value, which is data",
				"t.sql:12: WITH skipped: a source declares structure, not data",
				"t.sql:13: TRUNCATE skipped: a source declares structure, not data",
				"t.sql:14: VACUUM skipped: maintenance, not structure",
			},
		},
		{
			name: "positions count lines and characters",
			syn:  PostgreSQL,
			src:  "\uFEFFSELECT 1;\r\n  -- ü\r\n\t/* é */ SELECT 'ü;'; SELECT 3\r\n;;\n\n  SELECT 4",
			want: []stmt{{1, 1, "SELECT 1"}, {3, 10, "SELECT 'ü;'"}, {3, 23, "SELECT 3\r\n"}, {6, 3, "SELECT 4"}},
		},
		{
			name: "comments only",
			syn:  PostgreSQL,
			src:  "-- nothing\n/* at all */ ;\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, notes := splitTexts(t, tt.syn, tt.src)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("statements (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.notes, notes); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSplitErrors(t *testing.T) {
	tests := []struct {
		name string
		syn  Syntax
		src  string
		want string
	}{
		{"unterminated string", PostgreSQL, "SELECT 1;\nSELECT 'abc;\nSELECT 2;", "t.sql:2:8: unterminated quoted string"},
		{"unterminated E-string", PostgreSQL, `SELECT E'abc\';`, "t.sql:1:9: unterminated quoted string"},
		{"unterminated identifier", SQLite, "CREATE TABLE \"t (a);", "t.sql:1:14: unterminated quoted identifier"},
		{"unterminated backquote", SQLite, "CREATE TABLE `t (a);", "t.sql:1:14: unterminated quoted identifier"},
		{"unterminated bracket", SQLite, "CREATE TABLE [t (a);", "t.sql:1:14: unterminated [identifier]"},
		{"unterminated dollar quote", PostgreSQL, "DO $x$ BEGIN END $$;\nSELECT 1;", "t.sql:1:4: unterminated dollar-quoted string $x$"},
		{"unterminated nested comment", PostgreSQL, "ü /* a /* b */ SELECT 1;", "t.sql:1:3: unterminated /* comment"},
		{"connect", PostgreSQL, "SELECT 1;\n\\connect other\n", `t.sql:2:1: psql meta-command \connect is not allowed in a schema source: it connects to another database`},
		{"include", PostgreSQL, "  \\i other.sql\n", `t.sql:1:3: psql meta-command \i is not allowed in a schema source: it reads another file; pass that file as a source itself`},
		{"gexec", PostgreSQL, "SELECT 'CREATE TABLE t ()'\n\\gexec\n", `t.sql:2:1: psql meta-command \gexec inside a statement: a schema source may hold one only between statements`},
		{"if", PostgreSQL, "\\if :x\nSELECT 1;\n\\endif", `t.sql:1:1: psql meta-command \if is not allowed in a schema source: it runs statements conditionally`},
		{"unknown", PostgreSQL, "\\frobnicate", `t.sql:1:1: psql meta-command \frobnicate is not allowed in a schema source: it is not one a schema source may hold`},
		{"two on a line", PostgreSQL, "\\echo hi \\\\ \\connect other\n", `t.sql:1:1: psql meta-command \echo is followed by another command on its line; put each on a line of its own`},
		{"copy meta-command", PostgreSQL, "\\copy t from 'x.csv'", `t.sql:1:1: psql meta-command \copy is not allowed in a schema source: it copies data`},
		{"read", SQLite, "CREATE TABLE t (a);\n.read other.sql\n", "t.sql:2:1: sqlite3 dot-command .read is not allowed in a schema source: it reads another file; pass that file as a source itself"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Split("t.sql", []byte(tt.src), tt.syn)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Split returned %v, want an *Error", err)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %s\nwant %s", err, tt.want)
			}
		})
	}
}

func TestReadFile(t *testing.T) {
	_, _, err := ReadFile("testdata/missing.sql", PostgreSQL)
	if err == nil || !strings.Contains(err.Error(), "testdata/missing.sql") {
		t.Errorf("ReadFile of a missing file: %v, want an error naming it", err)
	}
}
