package sqlite_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

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
	if len(files) == 0 {
		t.Skipf("no corpus in %s: the real-schema checks need the shared corpus checked out beside the repository", corpusDir)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			original := openDB(t)
			if _, err := original.Exec(string(src)); err != nil {
				t.Fatalf("loading %s: %v", file, err)
			}
			first := inspect(t, original, inspector.Options{})
			if len(first.Schema.Tables) == 0 {
				t.Fatal("no tables inspected")
			}
			if err := metadata.Validate(first.Schema); err != nil {
				t.Fatalf("the inspected model is not valid: %v", err)
			}
			copied := openDB(t)
			create(t, copied, first.Schema)
			second := inspect(t, copied, inspector.Options{})
			assertSame(t, first.Schema, second.Schema)
			if diff := cmp.Diff(catalogOf(t, original), catalogOf(t, copied)); diff != "" {
				t.Errorf("SQLite's own description of the two databases differs (-original +recreated):\n%s", diff)
			}
			yamlRoundTrip(t, first.Schema)
		})
	}
}

// yamlRoundTrip checks that the inspected model survives the schema-file
// format. One limitation of the format is tolerated and logged: a raw type
// that the YAML reader takes for a portable one ("DECIMAL(4,2)" reads as
// numeric(4,2)), since the format has no way to mark a type raw.
func yamlRoundTrip(t *testing.T, m *metadata.MetaData) {
	t.Helper()
	y, err := metadata.EncodeYAML(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := metadata.Parse("inspected.yaml", y)
	if err != nil {
		t.Fatalf("inspected YAML does not read back: %v\n%s", err, y)
	}
	diff := cmp.Diff(metadata.Canonical(m), metadata.Canonical(back))
	if diff == "" {
		return
	}
	reread, lost := rawAsRead(m)
	if cmp.Diff(metadata.Canonical(reread), metadata.Canonical(back)) != "" {
		t.Fatalf("YAML round trip (-inspected +read back):\n%s", diff)
	}
	t.Logf("known limitation of the schema-file format: raw types read back as portable ones: %s", strings.Join(lost, ", "))
}

// rawAsRead returns m with each raw type replaced by what the schema-file
// reader makes of its text, and the columns that changed.
func rawAsRead(m *metadata.MetaData) (*metadata.MetaData, []string) {
	c := *m
	c.Tables = append([]metadata.Table(nil), m.Tables...)
	var lost []string
	for i := range c.Tables {
		t := &c.Tables[i]
		t.Columns = append([]metadata.Column(nil), t.Columns...)
		for j := range t.Columns {
			raw, ok := t.Columns[j].Type.(metadata.Raw)
			if !ok || raw.SQL == "" {
				continue
			}
			if parsed, err := metadata.ParseType(raw.SQL); err == nil && parsed != metadata.Type(raw) {
				t.Columns[j].Type = parsed
				lost = append(lost, fmt.Sprintf("%s.%s %s", t.Name, t.Columns[j].Name, raw.SQL))
			}
		}
	}
	return &c, lost
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
			add(p+"column ", `SELECT cid, name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?)`, o.name)
			add(p+"fk ", `SELECT seq, "table", "from", "to", on_update, on_delete, match FROM pragma_foreign_key_list(?)`, o.name)
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
