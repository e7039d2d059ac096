package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/bench/gen"
	sqliteddl "github.com/dbtool/dbtool/ddl/sqlite"
	"github.com/dbtool/dbtool/inspector"
	sqliteinspect "github.com/dbtool/dbtool/inspector/sqlite"
	"github.com/dbtool/dbtool/metadata"
	"github.com/google/go-cmp/cmp"
)

// TestConstantQueries: inspection sends the same number of queries for 10
// tables as for 200, filtered or not.
func TestConstantQueries(t *testing.T) {
	counts := map[int]int{}
	for _, n := range []int{10, 200} {
		db := openDB(t)
		create(t, db, gen.Generate(n, 1))
		counts[n] = countQueries(t, db, inspector.Options{})
		if filtered := countQueries(t, db, inspector.Options{Tables: []string{"t_0000*"}, Exclude: []string{"t_00001"}}); filtered != counts[n] {
			t.Errorf("%d tables: %d queries filtered, %d unfiltered", n, filtered, counts[n])
		}
	}
	if counts[10] != counts[200] || counts[10] == 0 {
		t.Errorf("queries: %d for 10 tables, %d for 200", counts[10], counts[200])
	}
}

// TestConstantQueriesImplicitReferences: foreign keys that name no
// columns (REFERENCES parent) to tables outside the selection cost one
// more query, whatever their number.
func TestConstantQueriesImplicitReferences(t *testing.T) {
	counts := map[int]int{}
	for _, n := range []int{10, 200} {
		db := openDB(t)
		var b strings.Builder
		b.WriteString("BEGIN;\n")
		for i := 0; i < n; i++ {
			b.WriteString("CREATE TABLE p" + itoa(i) + " (id INTEGER PRIMARY KEY);\n")
			b.WriteString("CREATE TABLE c" + itoa(i) + " (p_id INTEGER REFERENCES p" + itoa(i) + ");\n")
		}
		b.WriteString("COMMIT;\n")
		if _, err := db.Exec(b.String()); err != nil {
			t.Fatal(err)
		}
		var echo bytes.Buffer
		res := inspectEcho(t, db, inspector.Options{Tables: []string{"c*"}}, &echo)
		counts[n] = strings.Count(echo.String(), ";\n")
		if len(res.Schema.Tables) != n {
			t.Fatalf("%d tables inspected, want %d", len(res.Schema.Tables), n)
		}
		for _, tbl := range res.Schema.Tables {
			if got := tbl.ForeignKeys[0].References.Columns; !cmp.Equal(got, []string{"id"}) {
				t.Fatalf("table %s: references columns %v, want [id]", tbl.Name, got)
			}
		}
	}
	if counts[10] != counts[200] {
		t.Errorf("queries: %d for 10 tables, %d for 200", counts[10], counts[200])
	}
}

func itoa(i int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + i%10)}, b...)
		if i /= 10; i == 0 {
			return string(b)
		}
	}
}

// TestGeneratedSchemaRoundTrip: a generated schema of hundreds of tables,
// the benchmark's kind, comes back as declared.
func TestGeneratedSchemaRoundTrip(t *testing.T) {
	roundTrip(t, gen.Generate(300, 3))
}

func names(m *metadata.MetaData) []string {
	var out []string
	for _, t := range m.Tables {
		out = append(out, "table "+t.Name)
	}
	for _, v := range m.Views {
		out = append(out, "view "+v.Name)
	}
	for _, v := range m.VirtualTables {
		out = append(out, "virtual "+v.Name)
	}
	for _, tr := range m.Triggers {
		out = append(out, "trigger "+tr.Name+" on "+tr.Table)
	}
	return out
}

func TestFilters(t *testing.T) {
	db := openDB(t)
	create(t, db, features())
	if _, err := db.Exec(`CREATE TABLE "acc/slash" (x); CREATE TABLE "acc*star" (x)`); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		opts inspector.Options
		want []string
	}{
		// path.Match's * does not match "/".
		{"include", inspector.Options{Tables: []string{"acc*"}}, []string{"table acc*star", "table accounts"}},
		{"include several", inspector.Options{Tables: []string{"orgs", "adult?"}}, []string{"table orgs", "view adults", "trigger trg_orgs_ai on orgs"}},
		{"exclude", inspector.Options{Exclude: []string{"*e*", "c*", "k?", "l*", "s*"}},
			[]string{"table acc*star", "table acc/slash", "table accounts", "table orgs", "view adults", "virtual docs_fts", "trigger trg_orgs_ai on orgs"}},
		// GLOB's * matches "/", path.Match's does not: the SQL must not
		// drop acc/slash.
		{"exclude and slash", inspector.Options{Tables: []string{"acc?s*", "acc[/]*"}, Exclude: []string{"a*"}}, []string{"table acc/slash"}},
		// path.Match's \ escapes; GLOB has no escape: Match decides.
		{"escape", inspector.Options{Tables: []string{`acc\*star`}}, []string{"table acc*star"}},
		{"class", inspector.Options{Tables: []string{"[a-c]*"}, Exclude: []string{"[^c]*"}}, []string{"table children", "table cycle_a", "table cycle_b"}},
		{"nothing", inspector.Options{Tables: []string{"nope"}}, nil},
		// SQLite's one namespace is main; another one holds nothing.
		{"schema main", inspector.Options{Schemas: []string{"main"}, Tables: []string{"orgs"}}, []string{"table orgs", "trigger trg_orgs_ai on orgs"}},
		{"other schema", inspector.Options{Schemas: []string{"public"}, Tables: []string{"orgs"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var echo bytes.Buffer
			res := inspectEcho(t, db, c.opts, &echo)
			if diff := cmp.Diff(c.want, names(res.Schema)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if c.name != "escape" && c.name != "other schema" && !strings.Contains(echo.String(), "GLOB ?") {
				t.Errorf("the filter is not in the SQL:\n%s", echo.String())
			}
		})
	}
	// A filtered table keeps its indexes, keys and references whole.
	res := inspect(t, db, inspector.Options{Tables: []string{"accounts"}})
	want := metadata.Canonical(features()).Tables[0]
	if diff := cmp.Diff(want, metadata.Canonical(res.Schema).Tables[0]); diff != "" {
		t.Errorf("filtered table (-want +got):\n%s", diff)
	}
}

// TestForeignSyntax reads a schema written by hand the many ways SQLite
// allows, not as dbtool writes it: column constraints, every quoting,
// comments, constraints without commas, implicit references, names in
// another case, CREATE TABLE ... AS.
func TestForeignSyntax(t *testing.T) {
	db := openDB(t)
	_, err := db.Exec(`
CREATE TABLE "Parent" (ID integer primary key, code TEXT UNIQUE ON CONFLICT REPLACE);
CREATE TABLE child (
  id INTEGER NOT NULL CONSTRAINT child_pk PRIMARY KEY, -- the key, (with a comma)
  parent_id INT REFERENCES parent ON DELETE CASCADE, /* block, comment ( */
  ` + "`back tick`" + ` TEXT DEFAULT 'x' COLLATE nocase,
  [square] VARCHAR(10) CHECK (length([square]) < 10) NOT NULL DEFAULT ( upper('a') ),
  n REAL DEFAULT -1.5 CONSTRAINT n_nonzero CHECK (n <> 0),
  u TEXT CONSTRAINT "u unique" UNIQUE,
  g AS (n * 2),
  "t" TEXT DEFAULT CURRENT_TIMESTAMP NULL,
  UNIQUE (u, n)
  CHECK ( n < 100 )
  CONSTRAINT fk_u FOREIGN KEY (u) REFERENCES "PARENT"(Code) DEFERRABLE INITIALLY DEFERRED
);
create temp table if not exists scratch (x);
create table if not exists "lower" as select 1 as x, 'a' as y;
CREATE INDEX IF NOT EXISTS ix_child ON child (
  "square" COLLATE NOCASE DESC, -- comment
  n + 1 ASC
) WHERE n > 0;
CREATE VIEW IF NOT EXISTS v(a) AS /* c */ SELECT 1;
`)
	if err != nil {
		t.Fatal(err)
	}
	res := inspect(t, db, inspector.Options{})
	gen := metadata.Column{Name: "g", Type: metadata.Raw{}, Nullable: true, Generated: &metadata.Generated{Expr: "n * 2"}}
	want := &metadata.MetaData{
		Tables: []metadata.Table{
			{
				Name:       "Parent",
				Columns:    []metadata.Column{col("ID", metadata.Integer{Bytes: 4}, true), col("code", metadata.Text{}, true)},
				PrimaryKey: pk("ID"),
				Uniques:    []metadata.Unique{{Columns: []string{"code"}, OnConflict: metadata.ConflictReplace}},
			},
			{
				Name: "child",
				Columns: []metadata.Column{
					col("id", metadata.Integer{Bytes: 4}, false),
					col("parent_id", metadata.Raw{SQL: "INT"}, true),
					{Name: "back tick", Type: metadata.Text{}, Nullable: true, Default: metadata.StringLiteral{Value: "x"}, Collation: "nocase"},
					{Name: "square", Type: metadata.String{Length: 10}, Default: metadata.Expr{SQL: "upper('a')"}},
					{Name: "n", Type: metadata.Raw{SQL: "REAL"}, Nullable: true, Default: metadata.NumberLiteral{Value: "-1.5"}},
					col("u", metadata.Text{}, true),
					gen,
					{Name: "t", Type: metadata.Text{}, Nullable: true, Default: metadata.Expr{SQL: "CURRENT_TIMESTAMP"}},
				},
				PrimaryKey: &metadata.PrimaryKey{Name: "child_pk", Columns: []string{"id"}},
				ForeignKeys: []metadata.ForeignKey{
					{Columns: []string{"parent_id"}, References: metadata.ForeignKeyTarget{Table: "Parent", Columns: []string{"ID"}}, OnDelete: metadata.Cascade},
					{Name: "fk_u", Columns: []string{"u"}, References: metadata.ForeignKeyTarget{Table: "Parent", Columns: []string{"code"}}, Deferrable: true, InitiallyDeferred: true},
				},
				Uniques: []metadata.Unique{{Name: "u unique", Columns: []string{"u"}}, {Columns: []string{"u", "n"}}},
				Checks:  []metadata.Check{{Expr: "length([square]) < 10"}, {Name: "n_nonzero", Expr: "n <> 0"}, {Expr: "n < 100"}},
				Indexes: []metadata.Index{{
					Name:  "ix_child",
					Parts: []metadata.IndexPart{{Column: "square", Collation: "NOCASE", Desc: true}, {Expr: "n + 1"}},
					Where: "n > 0",
				}},
			},
			{
				Name: "lower",
				// SQLite rewrites CREATE TABLE ... AS as a plain CREATE
				// TABLE, here without types.
				Columns: []metadata.Column{col("x", metadata.Raw{}, true), col("y", metadata.Raw{}, true)},
			},
		},
		Views: []metadata.View{{Name: "v", Columns: []string{"a"}, Definition: "/* c */ SELECT 1"}},
	}
	assertSame(t, want, res.Schema)
	if len(res.Warnings) != 0 {
		t.Errorf("warnings: %q", res.Warnings)
	}
	// What was read creates the same schema again, as SQLite sees it.
	recreate(t, db)
}

func TestInspectHonoursContext(t *testing.T) {
	db := openDB(t)
	create(t, db, features())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := sqliteinspect.New(db, nil).Inspect(ctx, inspector.Options{}); err == nil {
		t.Fatal("inspection with a cancelled context succeeded")
	}
}

func TestUnparsableTableIsAnError(t *testing.T) {
	// A CREATE TABLE the parser cannot follow must fail loudly, naming the
	// table, rather than come back partly read. SQLite accepts no such
	// statement, so the text is planted with writable_schema.
	db := openDB(t)
	_, err := db.Exec(`CREATE TABLE odd (a INT);
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = 'CREATE TABLE odd (a INT) GARBAGE' WHERE name = 'odd';
PRAGMA writable_schema = OFF;`)
	if err != nil {
		t.Skipf("cannot plant a statement: %v", err)
	}
	db.SetMaxOpenConns(1)
	_, err = sqliteinspect.New(db, nil).Inspect(context.Background(), inspector.Options{})
	if err == nil || !strings.Contains(err.Error(), `table "odd"`) {
		t.Fatalf("err = %v, want one naming table \"odd\"", err)
	}
}

// fts4File makes a database file as a SQLite built with FTS4 (the sqlite3
// shell) leaves it after CREATE VIRTUAL TABLE docs USING fts4(title,
// body): the virtual table's row in sqlite_schema and its five shadow
// tables, as FTS4 declares them. The SQLite dbtool carries has no FTS4, so
// the row is written with PRAGMA writable_schema, as the shell would have.
func fts4File(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fts4.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)`,
		`CREATE TABLE 'docs_content'(docid INTEGER PRIMARY KEY, 'c0title', 'c1body')`,
		`CREATE TABLE 'docs_segments'(blockid INTEGER PRIMARY KEY, block BLOB)`,
		`CREATE TABLE 'docs_segdir'(level INTEGER,idx INTEGER,start_block INTEGER,leaves_end_block INTEGER,end_block INTEGER,root BLOB,PRIMARY KEY(level, idx))`,
		`CREATE TABLE 'docs_docsize'(docid INTEGER PRIMARY KEY, size BLOB)`,
		`CREATE TABLE 'docs_stat'(id INTEGER PRIMARY KEY, value BLOB)`,
		`PRAGMA writable_schema = ON`,
		`INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) VALUES ('table', 'docs', 'docs', 0, 'CREATE VIRTUAL TABLE docs USING fts4(title, body)')`,
		`PRAGMA writable_schema = OFF`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return path
}

// TestInspectFTS4File: a database with an FTS4 table inspects (reading
// sqlite_schema needs no module) with the virtual table as declared and
// its shadow tables left out, without a warning; creating it again is
// refused before anything is written, saying why.
func TestInspectFTS4File(t *testing.T) {
	path := fts4File(t)
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res := inspect(t, db, inspector.Options{})
	if len(res.Warnings) != 0 {
		t.Errorf("warnings: %q", res.Warnings)
	}
	want := []metadata.VirtualTable{{Name: "docs", Using: "fts4(title, body)"}}
	if !cmp.Equal(res.Schema.VirtualTables, want) {
		t.Errorf("virtual tables %+v, want %+v", res.Schema.VirtualTables, want)
	}
	if len(res.Schema.Tables) != 1 || res.Schema.Tables[0].Name != "notes" {
		t.Errorf("tables: %+v, want notes alone (no shadow table)", res.Schema.Tables)
	}
	err = sqliteddl.Dialect{}.Check(res.Schema)
	if err == nil || !strings.Contains(err.Error(), "no FTS4 module, only fts5") {
		t.Errorf("Check = %v, want the FTS4 refusal", err)
	}
}
