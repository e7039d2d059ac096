package postgres_test

// The migration changes, each run against a real server: a starting
// schema is created by create-all's own Plan, rows are inserted, the
// change's statements run (those marked NoTx after the transaction
// commits, as apply runs them), and the inspector must then read back
// exactly the schema the change leads to, with the rows kept.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dbtool/dbtool/ddl"
	pgddl "github.com/dbtool/dbtool/ddl/postgres"
	"github.com/dbtool/dbtool/inspector"
	pginspect "github.com/dbtool/dbtool/inspector/postgres"
	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migration is one server test of changes.
type migration struct {
	name   string
	before *metadata.MetaData
	// setup runs after create-all: the rows.
	setup string
	// changes are built by hand, in the order the diff emits them.
	changes []migrate.Change
	lowLock bool
	after   *metadata.MetaData
	// rows is a query run before and after the change whose results must
	// be equal (rowsAfter, when set, is the query after: a renamed table).
	rows, rowsAfter string
	// then runs after the change and must succeed: an insert that uses a
	// new default, identity or serial.
	then string
}

// db is a fresh database of a test's own.
type db struct {
	t    *testing.T
	pool *pgxpool.Pool
}

func newDB(t *testing.T) *db {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return &db{t: t, pool: pool}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

// exec runs SQL, several statements at once.
func (d *db) exec(sql string) {
	d.t.Helper()
	conn, err := d.pool.Acquire(ctx(d.t))
	if err != nil {
		d.t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Conn().PgConn().Exec(ctx(d.t), sql).ReadAll(); err != nil {
		d.t.Fatalf("%v\n%s", err, sql)
	}
}

// apply runs statements as apply does: those that may run in a
// transaction in one, then the NoTx ones one by one.
func (d *db) apply(stmts []ddl.Statement) {
	d.t.Helper()
	c := ctx(d.t)
	tx, err := d.pool.Begin(c)
	if err != nil {
		d.t.Fatal(err)
	}
	defer tx.Rollback(c) //nolint:errcheck // a no-op after Commit
	var later []ddl.Statement
	for _, s := range stmts {
		if s.NoTx {
			later = append(later, s)
			continue
		}
		if _, err := tx.Exec(c, s.SQL); err != nil {
			d.t.Fatalf("%s: %v\n%s", s.Object, err, s.SQL)
		}
	}
	if err := tx.Commit(c); err != nil {
		d.t.Fatal(err)
	}
	for _, s := range later {
		if _, err := d.pool.Exec(c, s.SQL); err != nil {
			d.t.Fatalf("%s (outside the transaction): %v\n%s", s.Object, err, s.SQL)
		}
	}
}

// query returns a query's rows, printed.
func (d *db) query(sql string) []string {
	d.t.Helper()
	rows, err := d.pool.Query(ctx(d.t), sql, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		d.t.Fatalf("%v\n%s", err, sql)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			d.t.Fatal(err)
		}
		out = append(out, fmt.Sprint(vals...))
	}
	if err := rows.Err(); err != nil {
		d.t.Fatal(err)
	}
	return out
}

func (d *db) inspect() *metadata.MetaData {
	d.t.Helper()
	res, err := pginspect.New(d.pool).Inspect(ctx(d.t), inspector.Options{})
	if err != nil {
		d.t.Fatalf("inspect: %v", err)
	}
	return res.Schema
}

func plan(t *testing.T, d pgddl.Dialect, changes []migrate.Change) []ddl.Statement {
	t.Helper()
	stmts, err := d.Plan(changes)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return stmts
}

func (m migration) run(t *testing.T) {
	t.Helper()
	d := newDB(t)
	if err := metadata.Validate(m.before); err != nil {
		t.Fatalf("before is invalid:\n%v", err)
	}
	d.apply(plan(t, pgddl.Dialect{}, migrate.PlanCreateAll(m.before, nil).Changes))
	if m.setup != "" {
		d.exec(m.setup)
	}
	var before []string
	if m.rows != "" {
		before = d.query(m.rows)
		if len(before) == 0 {
			t.Fatalf("the rows query returns nothing before the change: %s", m.rows)
		}
	}
	stmts := plan(t, pgddl.Dialect{LowLock: m.lowLock}, m.changes)
	checkNotes(t, stmts)
	d.apply(stmts)
	if diff := cmp.Diff(metadata.Canonical(m.after), metadata.Canonical(d.inspect())); diff != "" {
		t.Errorf("inspected schema differs from the expected one (-want +got):\n%s\nstatements:\n%s", diff, sqlOf(stmts))
	}
	if m.rows != "" {
		q := m.rows
		if m.rowsAfter != "" {
			q = m.rowsAfter
		}
		if diff := cmp.Diff(before, d.query(q)); diff != "" {
			t.Errorf("rows changed (-before +after):\n%s", diff)
		}
	}
	if m.then != "" {
		d.exec(m.then)
	}
}

// checkNotes checks that every ALTER TABLE warns of the lock it takes:
// ACCESS EXCLUSIVE but for the forms that take less.
func checkNotes(t *testing.T, stmts []ddl.Statement) {
	t.Helper()
	for _, s := range stmts {
		if !strings.HasPrefix(s.SQL, "ALTER TABLE ") {
			continue
		}
		want := "ACCESS EXCLUSIVE"
		switch {
		case strings.Contains(s.SQL, "VALIDATE CONSTRAINT"):
			want = "SHARE UPDATE EXCLUSIVE"
		case strings.Contains(s.SQL, " FOREIGN KEY "):
			want = "SHARE ROW EXCLUSIVE"
		}
		if !hasNote(s, want) {
			t.Errorf("%s: no note of the %s lock:\n%s", s.Object, want, s.SQL)
		}
	}
}

func hasNote(s ddl.Statement, part string) bool {
	for _, n := range s.Notes {
		if strings.Contains(n, part) {
			return true
		}
	}
	return false
}

func sqlOf(stmts []ddl.Statement) string {
	var b strings.Builder
	for _, s := range stmts {
		fmt.Fprintf(&b, "%s; -- NoTx=%v %q\n", s.SQL, s.NoTx, s.Notes)
	}
	return b.String()
}

// The types and helpers the cases are written with.
var (
	int4 = metadata.Integer{Bytes: 4}
	int8 = metadata.Integer{Bytes: 8}
	text = metadata.Text{}
)

func i64(v int64) *int64 { return &v }

func col(name string, typ metadata.Type) metadata.Column {
	return metadata.Column{Name: name, Type: typ, Nullable: true}
}

func notNull(c metadata.Column) metadata.Column { c.Nullable = false; return c }

func withDefault(c metadata.Column, d metadata.Default) metadata.Column { c.Default = d; return c }

func pk(cols ...string) *metadata.PrimaryKey { return &metadata.PrimaryKey{Columns: cols} }

func tables(ts ...metadata.Table) *metadata.MetaData { return &metadata.MetaData{Tables: ts} }

// modify builds a ModifyTable from before to after with changes.
func modify(from, to metadata.Table, changes ...migrate.TableChange) migrate.ModifyTable {
	return migrate.ModifyTable{From: from, To: to, Changes: changes}
}

func modCol(from, to metadata.Column, ch migrate.ColumnChange) migrate.ModifyColumn {
	return migrate.ModifyColumn{From: from, To: to, Change: ch}
}

func TestModifyColumn(t *testing.T) {
	t.Parallel()
	id := notNull(col("id", int4))
	a0 := withDefault(col("a", text), metadata.StringLiteral{Value: "5"})
	a1 := withDefault(col("a", int4), metadata.NumberLiteral{Value: "5"})
	b0, b1 := col("b", metadata.String{Length: 10}), notNull(col("b", metadata.String{Length: 20}))
	c0, c1 := col("c", text), withDefault(col("c", text), metadata.StringLiteral{Value: "z"})
	d0, d1 := withDefault(col("d", text), metadata.StringLiteral{Value: "q"}), col("d", text)
	e0, e1 := col("e", text), col("e", text)
	e1.Collation, e1.Comment = "C", "Sorted bytewise."
	f0, f1 := col("f", metadata.String{}), col("f", metadata.UUID{})
	g0, g1 := col("g", text), col("g", metadata.Raw{SQL: "jsonb"})
	h0, h1 := notNull(col("h", text)), col("h", metadata.Raw{SQL: "mood"})
	before := metadata.Table{Name: "t", Columns: []metadata.Column{id, a0, b0, c0, d0, e0, f0, g0, h0}, PrimaryKey: pk("id")}
	after := before
	after.Columns = []metadata.Column{id, a1, b1, c1, d1, e1, f1, g1, h1}
	enums := []metadata.Enum{{Name: "mood", Values: []string{"ok", "sad"}}}
	migration{
		before: &metadata.MetaData{Enums: enums, Tables: []metadata.Table{before}},
		setup: `INSERT INTO t VALUES (1, '7', 'x', 'y', 'w', 'v', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"k": [1, 2]}', 'ok'),
			(2, '-3', 'xx', NULL, NULL, NULL, NULL, 'null', 'sad')`,
		changes: []migrate.Change{modify(before, after,
			modCol(a0, a1, migrate.ChangeType|migrate.ChangeDefault),
			modCol(b0, b1, migrate.ChangeType|migrate.ChangeNullable),
			modCol(c0, c1, migrate.ChangeDefault),
			modCol(d0, d1, migrate.ChangeDefault),
			modCol(e0, e1, migrate.ChangeCollation|migrate.ChangeComment),
			modCol(f0, f1, migrate.ChangeType),
			modCol(g0, g1, migrate.ChangeType),
			modCol(h0, h1, migrate.ChangeType|migrate.ChangeNullable),
		)},
		after: &metadata.MetaData{Enums: enums, Tables: []metadata.Table{after}},
		rows:  "SELECT id, a::text, b, c, d, e, f::text, g::text, h::text FROM t ORDER BY id",
		then:  "INSERT INTO t (id, b) VALUES (3, 'new')",
	}.run(t)
}

func TestModifyColumnIdentityAndSerial(t *testing.T) {
	t.Parallel()
	plain := notNull(col("id", int4))
	ident := plain
	ident.Identity = &metadata.Identity{Always: true}
	byDefault := notNull(col("n", int8))
	byDefault.Identity = &metadata.Identity{}
	always := byDefault
	always.Identity = &metadata.Identity{Always: true, Increment: i64(2)}
	gone := notNull(col("gone", int4))
	gone.Identity = &metadata.Identity{}
	goneAfter := notNull(col("gone", int4))
	t1 := metadata.Table{Name: "t", Columns: []metadata.Column{plain, byDefault, gone}, PrimaryKey: pk("id")}
	t1After := metadata.Table{Name: "t", Columns: []metadata.Column{ident, always, goneAfter}, PrimaryKey: pk("id")}

	s0 := notNull(col("id", int4))
	s1 := s0
	s1.Autoincrement = true
	wide0, wide1 := s1, s1
	wide0.Name, wide1.Name, wide1.Type = "w", "w", int8
	x0 := s1
	x0.Name = "x"
	x1 := notNull(col("x", int4))
	t2 := metadata.Table{Name: "s", Columns: []metadata.Column{s0, wide0, x0}, PrimaryKey: pk("id")}
	t2After := metadata.Table{Name: "s", Columns: []metadata.Column{s1, wide1, x1}, PrimaryKey: pk("id")}
	migration{
		before: tables(t1, t2),
		setup:  "INSERT INTO t VALUES (1, 1, 1), (5, 2, 2); INSERT INTO s VALUES (1), (7)",
		changes: []migrate.Change{
			modify(t1, t1After,
				modCol(plain, ident, migrate.ChangeIdentity),
				modCol(byDefault, always, migrate.ChangeIdentity),
				modCol(gone, goneAfter, migrate.ChangeIdentity)),
			modify(t2, t2After,
				modCol(s0, s1, migrate.ChangeAutoincrement),
				modCol(wide0, wide1, migrate.ChangeType),
				modCol(x0, x1, migrate.ChangeAutoincrement)),
		},
		after: tables(t1After, t2After),
		rows:  "SELECT 't', id, n, gone FROM t UNION ALL SELECT 's', id, w, x FROM s ORDER BY 1, 2",
		// The new identity and serial start past the rows' values.
		then: "INSERT INTO t (gone) VALUES (3); INSERT INTO s (x) VALUES (1)",
	}.run(t)
}

func TestModifyColumnGenerated(t *testing.T) {
	t.Parallel()
	id, a := notNull(col("id", int4)), col("a", int4)
	h0, h1 := col("h", int4), col("h", int4)
	h0.Generated = &metadata.Generated{Expr: "a + 1", Stored: true}
	g0, g1 := col("g", int4), col("g", int4)
	g0.Generated = &metadata.Generated{Expr: "a * 2", Stored: true}
	g1.Generated = &metadata.Generated{Expr: "a * 3", Stored: true}
	g1.Comment = "Thrice."
	before := metadata.Table{Name: "t", Columns: []metadata.Column{id, a, h0, g0}, PrimaryKey: pk("id")}
	after := metadata.Table{Name: "t", Columns: []metadata.Column{id, a, h1, g1}, PrimaryKey: pk("id")}
	migration{
		before: tables(before),
		setup:  "INSERT INTO t (id, a) VALUES (1, 10), (2, 20)",
		changes: []migrate.Change{modify(before, after,
			modCol(h0, h1, migrate.ChangeGenerated),
			modCol(g0, g1, migrate.ChangeGenerated|migrate.ChangeComment))},
		after: tables(after),
		rows:  "SELECT id, a, h FROM t ORDER BY id",
		then:  "DO $$BEGIN IF (SELECT sum(g) FROM t) <> 90 THEN RAISE 'g not recomputed'; END IF; END$$",
	}.run(t)
}

func TestColumns(t *testing.T) {
	t.Parallel()
	id, old, keep := notNull(col("id", int4)), col("old", text), col("name", text)
	renamed := col("full name", text)
	lit := notNull(withDefault(col("flag", metadata.Boolean{}), metadata.BoolLiteral{Value: true}))
	ident := notNull(col("seq", int8))
	ident.Identity = &metadata.Identity{Start: i64(100)}
	serial := notNull(col("ser", int4))
	serial.Autoincrement = true
	gen := col("twice", int4)
	gen.Generated = &metadata.Generated{Expr: "id * 2", Stored: true}
	coll := col("code", metadata.String{Length: 8})
	coll.Collation, coll.Comment = "C", "A code."
	at := withDefault(col("at", metadata.Timestamp{TZ: true, Precision: -1}), metadata.Expr{SQL: "now()"})
	before := metadata.Table{Name: "t", Columns: []metadata.Column{id, old, keep}, PrimaryKey: pk("id")}
	after := metadata.Table{Name: "t", Columns: []metadata.Column{id, renamed, lit, ident, serial, gen, coll, at}, PrimaryKey: pk("id")}
	migration{
		before: tables(before),
		setup:  "INSERT INTO t VALUES (1, 'x', 'Ann'), (2, 'y', 'Bob')",
		changes: []migrate.Change{modify(before, after,
			migrate.DropColumn{Column: old},
			migrate.RenameColumn{From: "name", To: "full name"},
			migrate.AddColumn{Column: lit},
			migrate.AddColumn{Column: ident},
			migrate.AddColumn{Column: serial},
			migrate.AddColumn{Column: gen},
			migrate.AddColumn{Column: coll},
			migrate.AddColumn{Column: at},
		)},
		after:     tables(after),
		rows:      "SELECT id, name FROM t ORDER BY id",
		rowsAfter: `SELECT id, "full name" FROM t ORDER BY id`,
		then:      `INSERT INTO t (id) VALUES (3)`,
	}.run(t)
}

func TestConstraints(t *testing.T) {
	for _, lowLock := range []bool{false, true} {
		t.Run(fmt.Sprintf("lowlock=%v", lowLock), func(t *testing.T) {
			t.Parallel()
			id, code, n := notNull(col("id", int4)), col("code", text), col("n", int4)
			before := metadata.Table{Name: "t", Columns: []metadata.Column{id, code, n}, PrimaryKey: pk("id"),
				Uniques:    []metadata.Unique{{Columns: []string{"code"}}, {Name: "u_old", Columns: []string{"n"}}},
				Checks:     []metadata.Check{{Expr: "(n > 0)"}, {Name: "named", Expr: "(n < 100)"}},
				Exclusions: []metadata.Exclusion{{Name: "x_old", Definition: "EXCLUDE USING btree (code WITH =)"}},
			}
			after := metadata.Table{Name: "t", Columns: []metadata.Column{id, code, n},
				PrimaryKey: &metadata.PrimaryKey{Name: "t_key", Columns: []string{"id"}},
				Uniques:    []metadata.Unique{{Columns: []string{"code", "n"}, NullsNotDistinct: true}, {Name: "u_new", Columns: []string{"n"}}},
				Checks:     []metadata.Check{{Expr: "n >= 0"}, {Name: "big", Expr: "n < 1000"}, {Name: "renamed", Expr: "n < 100"}},
				Exclusions: []metadata.Exclusion{{Name: "x_new", Definition: "EXCLUDE USING btree (n WITH =)"}},
			}
			migration{
				lowLock: lowLock,
				before:  tables(before),
				setup:   "INSERT INTO t VALUES (1, 'a', 1), (2, 'b', 2)",
				changes: []migrate.Change{modify(before, after,
					migrate.SetPrimaryKey{From: before.PrimaryKey, To: after.PrimaryKey},
					migrate.DropUnique{Unique: before.Uniques[0]},
					migrate.AddUnique{Unique: after.Uniques[0]},
					migrate.RenameConstraint{From: "u_old", To: "u_new"},
					migrate.DropCheck{Check: before.Checks[0]},
					migrate.AddCheck{Check: after.Checks[0]},
					migrate.AddCheck{Check: after.Checks[1]},
					migrate.RenameConstraint{From: "named", To: "renamed"},
					migrate.DropExclusion{Exclusion: before.Exclusions[0]},
					migrate.AddExclusion{Exclusion: after.Exclusions[0]},
				)},
				after: tables(after),
				rows:  "SELECT * FROM t ORDER BY id",
			}.run(t)
		})
	}
}

func TestTableOptions(t *testing.T) {
	t.Parallel()
	cols := []metadata.Column{notNull(col("id", int4)), col("owner", text)}
	before := metadata.Table{Name: "docs", Columns: cols, Comment: "Old.",
		Policies: []metadata.Policy{{Name: "old", Command: "select", Using: "true"}}}
	after := metadata.Table{Name: "docs", Columns: cols, Comment: "New.", RowLevelSecurity: true, ForceRowLevelSecurity: true,
		Policies: []metadata.Policy{{Name: "mine", Command: "delete", Using: "owner = CURRENT_USER"}}}
	back := before
	back.Comment = ""
	migration{
		before: tables(before),
		setup:  "INSERT INTO docs VALUES (1, 'me')",
		changes: []migrate.Change{modify(before, after,
			migrate.SetTableComment{From: "Old.", To: "New."},
			migrate.SetRowLevelSecurity{Enable: true, Force: true},
			migrate.DropPolicy{Policy: before.Policies[0]},
			migrate.AddPolicy{Policy: after.Policies[0]},
		)},
		after: tables(after),
		rows:  "SELECT * FROM docs",
	}.run(t)
	migration{
		before:  tables(after),
		changes: []migrate.Change{modify(after, back, migrate.SetTableComment{From: "New."}, migrate.SetRowLevelSecurity{}, migrate.DropPolicy{Policy: after.Policies[0]}, migrate.AddPolicy{Policy: before.Policies[0]})},
		after:   tables(back),
	}.run(t)
}

func TestPartitions(t *testing.T) {
	t.Parallel()
	k := notNull(col("k", text))
	parent := metadata.Table{Name: "p", PartitionBy: "LIST (k)", Columns: []metadata.Column{k}}
	partA := metadata.Table{Name: "p_a", Columns: []metadata.Column{k},
		PartitionOf: &metadata.PartitionOf{Parent: parent.Ref(), Bound: "FOR VALUES IN ('a')"}}
	loneA := metadata.Table{Name: "p_a", Columns: []metadata.Column{k}}
	loneB := metadata.Table{Name: "p_b", Columns: []metadata.Column{k}}
	partB := loneB
	partB.Columns = nil // a partition's columns are its parent's
	partB.PartitionOf = &metadata.PartitionOf{Parent: parent.Ref(), Bound: "FOR VALUES IN ('b')"}
	migration{
		before: tables(parent, partA, loneB),
		setup:  "INSERT INTO p VALUES ('a'); INSERT INTO p_b VALUES ('b')",
		changes: []migrate.Change{
			modify(partA, loneA, migrate.DetachPartition{PartitionOf: *partA.PartitionOf}),
			modify(loneB, partB, migrate.AttachPartition{PartitionOf: *partB.PartitionOf}),
		},
		after: tables(parent, loneA, partB),
		rows:  "SELECT k FROM p_a UNION ALL SELECT k FROM p_b ORDER BY k",
		then:  "DO $$BEGIN IF (SELECT string_agg(k, ',') FROM p) <> 'b' THEN RAISE 'p holds the wrong partitions'; END IF; END$$",
	}.run(t)
}

// TestTypeChangeRewrites checks the "rewrites the table" note against the
// server: the table's file changes exactly when the note says so, and the
// value survives the conversion.
func TestTypeChangeRewrites(t *testing.T) {
	t.Parallel()
	cases := []struct {
		from, to metadata.Type
		value    string
		rewrite  bool
	}{
		{metadata.String{Length: 10}, metadata.String{Length: 20}, "'x'", false},
		{metadata.String{Length: 10}, metadata.String{}, "'x'", false},
		{metadata.String{Length: 10}, text, "'x'", false},
		{text, metadata.String{}, "'x'", false},
		{metadata.Numeric{Precision: 10, Scale: 2}, metadata.Numeric{Precision: 12, Scale: 2}, "1.5", false},
		{metadata.Timestamp{Precision: 3}, metadata.Timestamp{Precision: 6}, "'2020-01-01 10:00:00.5'", false},
		{metadata.String{Length: 20}, metadata.String{Length: 10}, "'x'", true},
		{int4, int8, "42", true},
		{text, int4, "'42'", true},
		{int4, text, "42", true},
		{text, metadata.Raw{SQL: "jsonb"}, `'{"a": 1}'`, true},
		{metadata.String{}, metadata.UUID{}, "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", true},
		{metadata.Char{Length: 3}, text, "'ab'", true},
		{metadata.Numeric{Precision: 10, Scale: 2}, metadata.Numeric{Precision: 12, Scale: 3}, "1.5", true},
	}
	d := newDB(t)
	for i, c := range cases {
		name := fmt.Sprintf("t%d", i)
		from := metadata.Table{Name: name, Columns: []metadata.Column{col("v", c.from)}}
		to := metadata.Table{Name: name, Columns: []metadata.Column{col("v", c.to)}}
		d.apply(plan(t, pgddl.Dialect{}, []migrate.Change{migrate.AddTable{Table: from}}))
		d.exec("INSERT INTO " + name + " VALUES (" + c.value + ")")
		valueBefore := d.query("SELECT v::text FROM " + name)
		fileBefore := d.query("SELECT pg_relation_filenode('" + name + "')")
		stmts := plan(t, pgddl.Dialect{}, []migrate.Change{modify(from, to, modCol(from.Columns[0], to.Columns[0], migrate.ChangeType))})
		d.apply(stmts)
		rewrote := !cmp.Equal(fileBefore, d.query("SELECT pg_relation_filenode('"+name+"')"))
		if rewrote != c.rewrite || hasNote(stmts[0], "rewrites the table") != c.rewrite {
			t.Errorf("%s to %s: rewrote %v, noted %v, want %v\n%s", c.from, c.to, rewrote, stmts[0].Notes, c.rewrite, stmts[0].SQL)
		}
		want := valueBefore
		if c.to == (metadata.Numeric{Precision: 12, Scale: 3}) {
			want = []string{"1.500"} // the scale grew
		}
		if got := d.query("SELECT v::text FROM " + name); !cmp.Equal(got, want) {
			t.Errorf("%s to %s: value %v became %v", c.from, c.to, valueBefore, got)
		}
	}
	inspected := d.inspect()
	for i, c := range cases {
		if got := inspected.Table(metadata.TableRef{Name: fmt.Sprintf("t%d", i)}).Columns[0].Type; got != c.to {
			t.Errorf("%s to %s: inspected as %v", c.from, c.to, got)
		}
	}
}

func TestTopLevel(t *testing.T) {
	t.Parallel()
	users := metadata.Table{Name: "users", Columns: []metadata.Column{notNull(col("id", int4)), col("email", text)}, PrimaryKey: pk("id"),
		Indexes: []metadata.Index{{Name: "ix_email", Parts: []metadata.IndexPart{{Column: "email"}}}}}
	orders := metadata.Table{Name: "orders", Columns: []metadata.Column{notNull(col("id", int4)), col("user_id", int4), col("buyer", int4)}, PrimaryKey: pk("id"),
		ForeignKeys: []metadata.ForeignKey{{Columns: []string{"user_id"}, References: metadata.ForeignKeyTarget{Table: "users", Columns: []string{"id"}}}}}
	gone := metadata.Table{Name: "gone", Columns: []metadata.Column{col("x", int4)}}
	mv := metadata.View{Name: "mv", Materialized: true, Definition: "SELECT users.id\n   FROM users",
		Indexes: []metadata.Index{{Name: "mv_id", Parts: []metadata.IndexPart{{Column: "id"}}}}}
	v := metadata.View{Name: "v", Definition: "SELECT 1 AS one"}
	fn := metadata.Function{Schema: "app", Name: "touch", Definition: "CREATE OR REPLACE FUNCTION app.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$BEGIN RETURN NEW; END$function$"}
	trig := metadata.Trigger{Name: "tr", Table: "users", Definition: "CREATE TRIGGER tr BEFORE INSERT ON public.users FOR EACH ROW EXECUTE FUNCTION app.touch()"}
	before := &metadata.MetaData{
		Schemas:    []metadata.Schema{{Name: "app"}, {Name: "empty"}},
		Extensions: []metadata.Extension{{Name: "citext"}},
		Enums:      []metadata.Enum{{Name: "unused", Values: []string{"a"}}},
		Domains:    []metadata.Domain{{Name: "dom", Type: text}},
		Sequences:  []metadata.Sequence{{Name: "counter"}},
		Functions:  []metadata.Function{fn},
		Tables:     []metadata.Table{users, orders, gone},
		Views:      []metadata.View{mv, v},
		Triggers:   []metadata.Trigger{trig},
	}
	usersAfter := users
	usersAfter.Indexes = []metadata.Index{{Name: "ix_users_email", Parts: []metadata.IndexPart{{Column: "email"}}}}
	buyerFK := metadata.ForeignKey{Columns: []string{"buyer"}, References: metadata.ForeignKeyTarget{Table: "users", Columns: []string{"id"}}}
	ordersAfter := orders
	ordersAfter.ForeignKeys = []metadata.ForeignKey{buyerFK}
	ordersAfter.Indexes = []metadata.Index{{Name: "ix_buyer", Parts: []metadata.IndexPart{{Column: "buyer"}}, Comment: "Who bought."}}
	mvAfter := mv
	mvAfter.Indexes = nil
	after := &metadata.MetaData{
		Schemas:   []metadata.Schema{{Name: "app"}},
		Functions: []metadata.Function{fn},
		Tables:    []metadata.Table{usersAfter, ordersAfter},
		Views:     []metadata.View{mvAfter},
	}
	for _, lowLock := range []bool{false, true} {
		t.Run(fmt.Sprintf("lowlock=%v", lowLock), func(t *testing.T) {
			t.Parallel()
			migration{
				lowLock: lowLock,
				before:  before,
				setup:   "INSERT INTO users VALUES (1, 'a@x'), (2, 'b@x'); INSERT INTO orders VALUES (1, 1, 2); REFRESH MATERIALIZED VIEW mv",
				changes: []migrate.Change{
					migrate.DropTrigger{Trigger: trig},
					migrate.DropView{View: v},
					migrate.DropIndex{Table: mv.Ref(), Index: mv.Indexes[0]},
					migrate.DropForeignKey{Table: orders.Ref(), ForeignKey: orders.ForeignKeys[0]},
					migrate.DropTable{Table: gone},
					migrate.RenameIndex{Table: users.Ref(), From: "ix_email", To: "ix_users_email"},
					migrate.AddForeignKey{Table: orders.Ref(), ForeignKey: buyerFK},
					migrate.AddIndex{Table: orders.Ref(), Index: ordersAfter.Indexes[0]},
					migrate.DropSequence{Sequence: before.Sequences[0]},
					migrate.DropDomain{Domain: before.Domains[0]},
					migrate.DropEnum{Enum: before.Enums[0]},
					migrate.DropExtension{Extension: before.Extensions[0]},
					migrate.DropSchema{Schema: before.Schemas[1]},
				},
				after: after,
				rows:  "SELECT * FROM users JOIN orders ON orders.user_id = users.id",
			}.run(t)
		})
	}
}

func TestRenameTable(t *testing.T) {
	t.Parallel()
	t1 := metadata.Table{Name: "t", Columns: []metadata.Column{col("x", int4)}}
	moved := metadata.Table{Schema: "s", Name: "u", Columns: t1.Columns}
	back := metadata.Table{Name: "w", Columns: t1.Columns}
	schemas := []metadata.Schema{{Name: "s"}}
	migration{
		before:    &metadata.MetaData{Schemas: schemas, Tables: []metadata.Table{t1}},
		setup:     "INSERT INTO t VALUES (7)",
		changes:   []migrate.Change{migrate.RenameTable{From: t1.Ref(), To: moved.Ref()}},
		after:     &metadata.MetaData{Schemas: schemas, Tables: []metadata.Table{moved}},
		rows:      "SELECT x FROM t",
		rowsAfter: "SELECT x FROM s.u",
	}.run(t)
	migration{
		before:    &metadata.MetaData{Schemas: schemas, Tables: []metadata.Table{moved}},
		setup:     "INSERT INTO s.u VALUES (7)",
		changes:   []migrate.Change{migrate.RenameTable{From: moved.Ref(), To: back.Ref()}},
		after:     &metadata.MetaData{Schemas: schemas, Tables: []metadata.Table{back}},
		rows:      "SELECT x FROM s.u",
		rowsAfter: "SELECT x FROM w",
	}.run(t)
}

func TestEnums(t *testing.T) {
	t.Parallel()
	mood := metadata.Enum{Name: "mood", Values: []string{"sad", "ok"}}
	grown := metadata.Enum{Name: "mood", Values: []string{"awful", "sad", "fine", "ok", "great"}}
	renamed := metadata.Enum{Name: "mood", Values: []string{"awful", "sad", "fine", "good", "great"}}
	status := metadata.Enum{Schema: "app", Name: "status", Values: []string{"new", "old", "gone"}}
	status2 := metadata.Enum{Schema: "app", Name: "status", Values: []string{"old", "new"}, Comment: "Reordered."}
	tbl := func(e metadata.Enum) metadata.Table {
		return metadata.Table{Name: "t", Columns: []metadata.Column{
			col("m", metadata.Raw{SQL: "mood"}),
			withDefault(col("s", metadata.Raw{SQL: "app.status"}), metadata.StringLiteral{Value: "new"}),
			col("s2", metadata.Raw{SQL: "app.status"}),
			withDefault(col("sa", metadata.Raw{SQL: "app.status[]"}), metadata.StringLiteral{Value: "{new,old}"}),
			col("sm", metadata.Raw{SQL: "app.status[][]"}),
		}}
	}
	schemas := []metadata.Schema{{Name: "app"}}
	migration{
		before: &metadata.MetaData{Schemas: schemas, Enums: []metadata.Enum{mood, status}, Tables: []metadata.Table{tbl(status)}},
		setup:  "INSERT INTO t VALUES ('sad', 'old', 'new', '{old}', '{{old,new},{new,old}}'), ('ok', DEFAULT, NULL, DEFAULT, NULL)",
		changes: []migrate.Change{
			migrate.AddEnumValue{Enum: grown, Value: "awful", Before: "sad"},
			migrate.AddEnumValue{Enum: grown, Value: "fine", After: "sad"},
			migrate.AddEnumValue{Enum: grown, Value: "great"},
			migrate.RenameEnumValue{Enum: renamed, From: "ok", To: "good"},
			migrate.RecreateEnum{From: status, To: status2, Columns: []migrate.ColumnRef{{Table: metadata.TableRef{Name: "t"}, Column: "s"},
				{Table: metadata.TableRef{Name: "t"}, Column: "s2"}, {Table: metadata.TableRef{Name: "t"}, Column: "sa", Dims: 1},
				{Table: metadata.TableRef{Name: "t"}, Column: "sm", Dims: 2}}},
		},
		after:     &metadata.MetaData{Schemas: schemas, Enums: []metadata.Enum{renamed, status2}, Tables: []metadata.Table{tbl(status2)}},
		rows:      "SELECT m::text, s::text, s2::text, sa::text, sm::text FROM t ORDER BY 1",
		rowsAfter: "SELECT replace(m::text, 'good', 'ok'), s::text, s2::text, sa::text, sm::text FROM t ORDER BY 1",
		then:      "INSERT INTO t (m) VALUES ('great')",
	}.run(t)
}

func TestDomainSequenceFunction(t *testing.T) {
	t.Parallel()
	dom := metadata.Domain{Name: "pos", Type: int4, Checks: []metadata.Check{{Expr: "VALUE > 0"}, {Name: "small", Expr: "VALUE < 100"}}}
	dom2 := metadata.Domain{Name: "pos", Type: int4, NotNull: true, Default: metadata.NumberLiteral{Value: "1"},
		Checks: []metadata.Check{{Name: "big", Expr: "VALUE < 1000"}, {Expr: "VALUE >= 1"}}, Comment: "Positive."}
	seq := metadata.Sequence{Name: "n", Start: i64(5), MinValue: i64(5), Cache: i64(10)}
	seq2 := metadata.Sequence{Name: "n", Type: int4, Increment: i64(2), MaxValue: i64(1000), Cycle: true, OwnedBy: "t.v", Comment: "Counts."}
	f := func(ret, body string) metadata.Function {
		return metadata.Function{Schema: "app", Name: "f", Args: "x integer",
			Definition: "CREATE OR REPLACE FUNCTION app.f(x integer)\n RETURNS " + ret + "\n LANGUAGE sql\n IMMUTABLE\nAS $function$" + body + "$function$"}
	}
	f1, f2, f3 := f("integer", "SELECT x + 1"), f("integer", "SELECT x + 2"), f("bigint", "SELECT x + 3")
	f2.Comment = "Adds two."
	f3.Comment = "Adds three."
	gone := metadata.Function{Schema: "app", Name: "g", Kind: "procedure", Definition: "CREATE OR REPLACE PROCEDURE app.g()\n LANGUAGE sql\nAS $procedure$SELECT 1$procedure$"}
	tbl := metadata.Table{Name: "t", Columns: []metadata.Column{col("v", metadata.Raw{SQL: "pos"})}}
	schemas := []metadata.Schema{{Name: "app"}}
	migration{
		before: &metadata.MetaData{Schemas: schemas, Domains: []metadata.Domain{dom}, Sequences: []metadata.Sequence{seq},
			Functions: []metadata.Function{f1, gone}, Tables: []metadata.Table{tbl}},
		setup: "INSERT INTO t VALUES (5)",
		changes: []migrate.Change{
			migrate.ModifyDomain{From: dom, To: dom2},
			migrate.ModifySequence{From: seq, To: seq2},
			migrate.ReplaceFunction{From: f1, To: f2},
			migrate.DropFunction{Function: gone},
			migrate.SetComment{Kind: "SCHEMA", Name: "app", To: "The app."},
		},
		after: &metadata.MetaData{Schemas: []metadata.Schema{{Name: "app", Comment: "The app."}}, Domains: []metadata.Domain{dom2},
			Sequences: []metadata.Sequence{seq2}, Functions: []metadata.Function{f2}, Tables: []metadata.Table{tbl}},
		rows: "SELECT v FROM t",
	}.run(t)
	migration{
		before:  &metadata.MetaData{Schemas: schemas, Functions: []metadata.Function{f2}},
		changes: []migrate.Change{migrate.ReplaceFunction{From: f2, To: f3}},
		after:   &metadata.MetaData{Schemas: schemas, Functions: []metadata.Function{f3}},
	}.run(t)
}
