package sqlite_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	sqliteddl "github.com/dbtool/dbtool/ddl/sqlite"
	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/metadata"
	"github.com/google/go-cmp/cmp"
)

// corpusDir holds real public SQLite schemas, outside the repository.
const corpusDir = "../../../shared/corpus/sqlite"

// TestCorpus loads each real schema as it is, inspects it, creates a fresh
// database from the inspected model with the SQLite dialect, and inspects
// that: the two models are equal, and the two databases agree on what
// SQLite itself reports of every table, index, view and trigger.
func TestCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.sql"))
	// A real schema at two versions, for migrations: each is a schema.
	pairs, _ := filepath.Glob(filepath.Join(corpusDir, "..", "pairs", "*sqlite*", "*.sql"))
	files = append(files, pairs...)
	if len(files) == 0 {
		t.Skipf("no corpus in %s: the real-schema checks need the shared corpus checked out beside the repository", corpusDir)
	}
	for _, file := range files {
		name, _ := filepath.Rel(corpusDir, file)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			original := openDB(t)
			if _, err := original.Exec(string(src)); err != nil {
				t.Fatalf("loading %s: %v", file, err)
			}
			first := recreate(t, original)
			if len(first.Schema.Tables) == 0 {
				t.Fatal("no tables inspected")
			}
			if len(first.Warnings) > 0 {
				t.Errorf("warnings: %q", first.Warnings)
			}
			throughYAML(t, first.Schema)
		})
	}
}

// TestTestdataSchemas: every testdata schema SQLite can hold (the portable
// ones, the split directory and SQLite's own) is created, inspected,
// created again from the inspection and inspected: the same model, and no
// warning the first inspection did not give.
func TestTestdataSchemas(t *testing.T) {
	var files []string
	for _, dir := range []string{"../../testdata/schemas", "../../testdata/schemas/sqlite"} {
		for _, ext := range []string{"*.yaml", "*.yml", "*.json"} {
			found, _ := filepath.Glob(filepath.Join(dir, ext))
			files = append(files, found...)
		}
	}
	files = append(files, "../../testdata/schemas/split")
	if len(files) < 15 {
		t.Fatalf("only %d testdata schemas found", len(files))
	}
	for _, file := range files {
		name, _ := filepath.Rel("../../testdata/schemas", file)
		t.Run(name, func(t *testing.T) {
			m, err := metadata.Load(file)
			if err != nil {
				t.Fatal(err)
			}
			db := openDB(t)
			create(t, db, m)
			first := recreate(t, db)
			assertSame(t, m, first.Schema)
			throughYAML(t, first.Schema)
		})
	}
}

// recreate inspects a database, creates a fresh one from the inspected
// model with the SQLite dialect and inspects that: the two models must be
// equal, and SQLite's own pragmas must describe the two databases alike
// (which holds the inspector's reading of the CREATE statements to
// SQLite's). It returns the first inspection.
func recreate(t *testing.T, original *sql.DB) *inspector.Result {
	t.Helper()
	first := inspect(t, original, inspector.Options{})
	checkAgainstPragmas(t, original, first.Schema)
	if err := metadata.Validate(first.Schema); err != nil {
		t.Fatalf("the inspected model is not valid: %v", err)
	}
	copied := openDB(t)
	create(t, copied, first.Schema)
	second := inspect(t, copied, inspector.Options{})
	assertSame(t, first.Schema, second.Schema)
	for _, w := range second.Warnings {
		if !slices.Contains(first.Warnings, w) {
			t.Errorf("the recreated database warns %q, which the original did not", w)
		}
	}
	if diff := cmp.Diff(catalogOf(t, original), catalogOf(t, copied)); diff != "" {
		t.Errorf("SQLite's own description of the two databases differs (-original +recreated):\n%s", diff)
	}
	return first
}

// catalogOf describes a database as SQLite's pragmas report it, without
// the names SQLite makes up (automatic indexes) and without the text of
// CREATE TABLE and CREATE VIEW statements, which dbtool rewrites in its
// own layout: tables with their columns, keys and indexes; views with
// their columns; triggers whole.
func catalogOf(t *testing.T, db *sql.DB) []string {
	t.Helper()
	var out []string
	add := func(prefix, query string, args ...any) {
		rows, err := db.Query(query, args...)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, prefix+fmt.Sprint(vals...))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		sort.Strings(lines)
		out = append(out, lines...)
	}
	rows, err := db.Query(`SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema
		WHERE name NOT LIKE 'sqlite\_autoindex%' ESCAPE '\' ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	type obj struct{ typ, name, table, sql string }
	var objs []obj
	for rows.Next() {
		var o obj
		if err := rows.Scan(&o.typ, &o.name, &o.table, &o.sql); err != nil {
			t.Fatal(err)
		}
		objs = append(objs, o)
	}
	rows.Close()
	for _, o := range objs {
		out = append(out, fmt.Sprintf("%s %s on %s", o.typ, o.name, o.table))
		switch o.typ {
		case "table", "view":
			p := o.typ + " " + o.name + ": "
			// TRUE and true are the same default, which the model
			// keeps as a boolean; the case of a type does not matter
			// to SQLite, and the model keeps integer for INTEGER.
			add(p+"column ", `SELECT cid, name, upper(type), "notnull",
				CASE WHEN lower(dflt_value) IN ('true', 'false') THEN lower(dflt_value) ELSE dflt_value END,
				pk, hidden FROM pragma_table_xinfo(?)`, o.name)
			// A foreign key that names no columns references the
			// parent's primary key: compare what it resolves to. Names
			// compare without case, as SQLite compares them.
			add(p+"fk ", `SELECT seq, lower(f."table"), f."from",
				lower(coalesce(f."to", (SELECT k.name FROM pragma_table_info(f."table") AS k WHERE k.pk = f.seq + 1))),
				f.on_update, f.on_delete, f.match FROM pragma_foreign_key_list(?) AS f`, o.name)
			add(p+"index ", `SELECT CASE WHEN name LIKE 'sqlite\_autoindex%' ESCAPE '\' THEN 'auto' ELSE name END, "unique", origin, partial
				FROM pragma_index_list(?)`, o.name)
			add(p+"index key ", `SELECT CASE WHEN il.name LIKE 'sqlite\_autoindex%' ESCAPE '\' THEN 'auto' ELSE il.name END, ii.seqno, ii.cid, ii.name, ii."desc", ii.coll, ii.key
				FROM pragma_index_list(?) AS il JOIN pragma_index_xinfo(il.name) AS ii`, o.name)
		case "trigger":
			out = append(out, o.sql)
		}
	}
	add("table list ", `SELECT name, type, ncol, wr, strict FROM pragma_table_list WHERE schema = 'main'`)
	return out
}

// TestSQLiteQuirks: schemas written the ways SQLite allows and dbtool never
// writes, each read, recreated and compared with what SQLite's pragmas say
// of the original.
func TestSQLiteQuirks(t *testing.T) {
	for name, c := range map[string]struct {
		sql      string
		warnings int
	}{
		"unique same as primary key":       {sql: `CREATE TABLE q (a TEXT, b INT, UNIQUE (a), PRIMARY KEY (a))`},
		"primary key after unique":         {sql: `CREATE TABLE q (a TEXT PRIMARY KEY, b INT, UNIQUE (a))`},
		"unique same as rowid":             {sql: `CREATE TABLE q (id INTEGER PRIMARY KEY, UNIQUE (id))`},
		"unique twice":                     {sql: `CREATE TABLE q (a, b, UNIQUE (a, b), CONSTRAINT u2 UNIQUE (A, B), UNIQUE (b, a))`},
		"unique on collated column":        {sql: `CREATE TABLE q (a TEXT COLLATE NOCASE UNIQUE, b TEXT UNIQUE)`},
		"without rowid not null key":       {sql: `CREATE TABLE q (k TEXT PRIMARY KEY, v) WITHOUT ROWID`},
		"strict key not null":              {sql: `CREATE TABLE q (id INT PRIMARY KEY, x TEXT) STRICT; CREATE TABLE r (id INTEGER PRIMARY KEY, x TEXT) STRICT`},
		"strict composite key":             {sql: `CREATE TABLE q (a INT, b TEXT, PRIMARY KEY (a, b)) STRICT`},
		"autoincrement in key clause":      {sql: `CREATE TABLE q (id INTEGER, x, PRIMARY KEY (id AUTOINCREMENT))`},
		"index keys in parentheses":        {sql: `CREATE TABLE q (a, b, "c d"); CREATE INDEX q_ix ON q (("a"), 'b' DESC, [c d] COLLATE NOCASE, (a + b), "nope")`},
		"index on other case":              {sql: `CREATE TABLE Q (Abc); CREATE UNIQUE INDEX q_ix ON q (abc) WHERE ABC > 0`},
		"types as written":                 {sql: `CREATE TABLE q (a VARCHAR /*x*/ (10), b "weird type", c  unsigned   big int, d integer, e Varchar(5), f NUMERIC ( 10 , 2 ), g DATETIME)`},
		"defaults as written":              {sql: `CREATE TABLE q (a DEFAULT - 1, b DEFAULT -0x10, c DEFAULT +3, d DEFAULT ( 5 ), e DEFAULT 'x''y', f DEFAULT x'00', g DEFAULT "dq", h DEFAULT true, i DEFAULT current_date, j DEFAULT 1.5e3, k DEFAULT NULL)`},
		"implicit references":              {sql: `CREATE TABLE p (a INT, b TEXT, PRIMARY KEY (a, b)); CREATE TABLE p1 (id TEXT PRIMARY KEY); CREATE TABLE c (x INT, y TEXT, z INT REFERENCES P1, FOREIGN KEY (x, y) REFERENCES p ON INSERT CASCADE MATCH FULL)`},
		"reference other case":             {sql: `CREATE TABLE Parent (Id INTEGER PRIMARY KEY); CREATE TABLE c (PID INT, FOREIGN KEY (pid) REFERENCES parent (id) ON UPDATE RESTRICT NOT DEFERRABLE)`},
		"reference missing table":          {sql: `CREATE TABLE c (pid INT REFERENCES nowhere (id))`},
		"constraints without commas":       {sql: `CREATE TABLE q (a INT, b INT CHECK (b > 0) CHECK (b < 9), PRIMARY KEY (a) UNIQUE (b) CHECK (a <> b) FOREIGN KEY (b) REFERENCES q (a))`},
		"generated":                        {sql: `CREATE TABLE q (a INT, b AS (a * 2), c INT GENERATED ALWAYS AS (a + 1) STORED NOT NULL, d GENERATED ALWAYS AS (a) VIRTUAL)`},
		"created as select":                {sql: `CREATE TABLE src (a INT, b TEXT); CREATE TABLE q AS SELECT a, b, a + 1 AS c FROM src`},
		"temp and if not exists":           {sql: `CREATE TEMP TABLE tmp (x); create table if not exists "main"."q" (x); CREATE VIEW IF NOT EXISTS main.v AS SELECT x FROM q`},
		"conflict clauses":                 {sql: `CREATE TABLE q (a TEXT UNIQUE ON CONFLICT IGNORE, b TEXT NOT NULL ON CONFLICT REPLACE, c INTEGER PRIMARY KEY DESC ON CONFLICT FAIL, d NOT NULL ON CONFLICT ROLLBACK, UNIQUE (a COLLATE NOCASE) ON CONFLICT ABORT, UNIQUE (b DESC, d COLLATE RTRIM))`},
		"conflict key in table constraint": {sql: `CREATE TABLE q (a TEXT, b INT, PRIMARY KEY (a COLLATE NOCASE DESC, b) ON CONFLICT REPLACE) WITHOUT ROWID; CREATE TABLE r (id INTEGER, PRIMARY KEY (id DESC) ON CONFLICT IGNORE)`},
		"descending inline keys":           {sql: `CREATE TABLE q (id INTEGER PRIMARY KEY DESC, x); CREATE TABLE r (k TEXT PRIMARY KEY DESC); CREATE TABLE s (k TEXT CONSTRAINT pk PRIMARY KEY ASC)`},
		"unique repeating the key":         {sql: `CREATE TABLE q (a TEXT PRIMARY KEY, UNIQUE (a) ON CONFLICT IGNORE); CREATE TABLE r (a TEXT, UNIQUE (a), UNIQUE (a) ON CONFLICT REPLACE)`},
		"clauses SQLite ignores warned": {sql: `CREATE TABLE q (a NULL ON CONFLICT IGNORE, b INT, CHECK (b > 0) ON CONFLICT REPLACE)`,
			warnings: 2},
	} {
		t.Run(name, func(t *testing.T) {
			db := openDB(t)
			if _, err := db.Exec(c.sql); err != nil {
				t.Fatal(err)
			}
			res := inspect(t, db, inspector.Options{})
			if len(res.Warnings) != c.warnings {
				t.Fatalf("warnings %q, want %d", res.Warnings, c.warnings)
			}
			if c.warnings > 0 {
				// What the model drops makes the recreated tables differ.
				return
			}
			if name == "reference missing table" {
				// The model cannot name a missing parent's key; SQLite
				// allows it.
				if got := res.Schema.Tables[0].ForeignKeys[0].References; got.Table != "nowhere" || !cmp.Equal(got.Columns, []string{"id"}) {
					t.Errorf("references %+v", got)
				}
				return
			}
			recreate(t, db)
		})
	}
}

// checkAgainstPragmas holds an inspected model to what SQLite's pragmas
// report of the database it came from: every column's declared type, NOT
// NULL, primary-key position and generation; every foreign key's columns,
// target and actions; every index's and unique constraint's keys.
func checkAgainstPragmas(t *testing.T, db *sql.DB, m *metadata.MetaData) {
	t.Helper()
	var fromModel, fromPragmas []string
	for _, tbl := range m.Tables {
		pkPos := map[string]int{}
		if tbl.PrimaryKey != nil {
			for i, c := range tbl.PrimaryKey.Columns {
				pkPos[c] = i + 1
			}
		}
		for i, c := range tbl.Columns {
			typ, err := sqliteddl.Dialect{}.FormatType(c.Type)
			if err != nil {
				t.Fatal(err)
			}
			hidden := 0
			if c.Generated != nil {
				hidden = 2
				if c.Generated.Stored {
					hidden = 3
				}
			}
			fromModel = append(fromModel, fmt.Sprint(tbl.Name, " column ", i, " ", c.Name, " ", strings.ToUpper(typ), " notnull=", !c.Nullable, " pk=", pkPos[c.Name], " hidden=", hidden))
		}
		for _, fk := range tbl.ForeignKeys {
			for i := range fk.Columns {
				fromModel = append(fromModel, fmt.Sprint(tbl.Name, " fk ", fk.Columns[i], " -> ", strings.ToLower(fk.References.Table), ".", strings.ToLower(fk.References.Columns[i]),
					" on delete ", action(fk.OnDelete), " on update ", action(fk.OnUpdate)))
			}
		}
		for _, u := range tbl.Uniques {
			keys := make([]string, len(u.Columns))
			for i, c := range u.Columns {
				keys[i] = c
				if u.Option(c).Desc {
					keys[i] += " desc"
				}
			}
			fromModel = append(fromModel, fmt.Sprint(tbl.Name, " unique ", strings.Join(keys, ",")))
		}
		for _, ix := range tbl.Indexes {
			var keys []string
			for _, p := range ix.Parts {
				key := p.Column
				if key == "" {
					key = "(expr)"
				}
				if p.Desc {
					key += " desc"
				}
				keys = append(keys, key)
			}
			fromModel = append(fromModel, fmt.Sprint(tbl.Name, " index ", ix.Name, " unique=", ix.Unique, " partial=", ix.Where != "", " ", strings.Join(keys, ",")))
		}
		rows := query(t, db, `SELECT cid, name, upper(type), "notnull", pk, hidden FROM pragma_table_xinfo(?)`, tbl.Name)
		for _, r := range rows {
			fromPragmas = append(fromPragmas, fmt.Sprint(tbl.Name, " column ", r[0], " ", r[1], " ", r[2], " notnull=", r[3] == "1", " pk=", r[4], " hidden=", r[5]))
		}
		rows = query(t, db, `SELECT f."from", lower(f."table"),
			lower(coalesce(f."to", (SELECT k.name FROM pragma_table_info(f."table") AS k WHERE k.pk = f.seq + 1))),
			f.on_delete, f.on_update FROM pragma_foreign_key_list(?) AS f ORDER BY f.id DESC, f.seq`, tbl.Name)
		for _, r := range rows {
			fromPragmas = append(fromPragmas, fmt.Sprint(tbl.Name, " fk ", r[0], " -> ", r[1], ".", r[2], " on delete ", r[3], " on update ", r[4]))
		}
		rows = query(t, db, `SELECT il.name, il."unique", il.origin, il.partial,
			group_concat(CASE WHEN ii.cid >= 0 THEN ii.name ELSE '(expr)' END || CASE WHEN ii."desc" THEN ' desc' ELSE '' END, ',')
			FROM pragma_index_list(?) AS il JOIN pragma_index_xinfo(il.name) AS ii
			WHERE ii.key = 1 AND il.origin <> 'pk' GROUP BY il.name ORDER BY il.name`, tbl.Name)
		var uniques []string
		for _, r := range rows {
			if r[2] == "u" {
				// sqlite_autoindex_T_N: in declaration order.
				uniques = append(uniques, r[0][strings.LastIndexByte(r[0], '_')+1:]+"\x00"+fmt.Sprint(tbl.Name, " unique ", r[4]))
				continue
			}
			fromPragmas = append(fromPragmas, fmt.Sprint(tbl.Name, " index ", r[0], " unique=", r[1] == "1", " partial=", r[3] == "1", " ", r[4]))
		}
		sort.Slice(uniques, func(i, j int) bool {
			return len(uniques[i]) < len(uniques[j]) || len(uniques[i]) == len(uniques[j]) && uniques[i] < uniques[j]
		})
		for _, u := range uniques {
			fromPragmas = append(fromPragmas, u[strings.IndexByte(u, 0)+1:])
		}
	}
	sort.Strings(fromModel)
	sort.Strings(fromPragmas)
	if diff := cmp.Diff(fromPragmas, fromModel); diff != "" {
		t.Errorf("the model differs from what SQLite's pragmas report (-pragmas +model):\n%s", diff)
	}
}

func action(a metadata.ReferentialAction) string {
	if a == metadata.NoAction {
		return "NO ACTION"
	}
	return strings.ToUpper(string(a))
}

// query returns all rows of a query as strings.
func query(t *testing.T, db *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
