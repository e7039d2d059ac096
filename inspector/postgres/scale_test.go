package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/metadata"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// counter is a pgx tracer that counts the statements sent and the rows
// the catalog queries return.
type counter struct {
	mu      sync.Mutex
	queries int
	rows    int64
}

// TraceQueryStart counts a statement unless it only opens or closes a
// transaction: how many helper connections join an inspection (each with
// its own BEGIN ... COMMIT) depends on how fast the pool connects, not on
// the tables, while the catalog queries must not depend on either.
func (c *counter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	if isTransactionControl(data.SQL) {
		return ctx
	}
	c.mu.Lock()
	c.queries++
	c.mu.Unlock()
	return ctx
}

func isTransactionControl(sql string) bool {
	for _, prefix := range []string{"BEGIN", "COMMIT"} {
		if strings.HasPrefix(sql, prefix) {
			return true
		}
	}
	return false
}

func (c *counter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (c *counter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

func (c *counter) TraceBatchQuery(_ context.Context, _ *pgx.Conn, data pgx.TraceBatchQueryData) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.queries++
	if data.CommandTag.Select() {
		c.rows += data.CommandTag.RowsAffected()
	}
}

func (c *counter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// countedInspect inspects through a pool whose tracer counts.
func countedInspect(t *testing.T, db *testDB, opts inspector.Options) (*inspector.Result, *counter) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(db.url)
	if err != nil {
		t.Fatal(err)
	}
	c := &counter{}
	cfg.ConnConfig.Tracer = c
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	res, err := New(pool).Inspect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res, c
}

// makeTables creates n tables t_0001... in schema, each with a key, a
// foreign key to the previous one, a check, an index, a trigger and a
// policy, and a view over every tenth.
func makeTables(db *testDB, schema string, n int) {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE SCHEMA IF NOT EXISTS %s;\n", schema)
	b.WriteString("CREATE OR REPLACE FUNCTION public.noop() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';\n")
	for i := 1; i <= n; i++ {
		fk := ""
		if i > 1 {
			fk = fmt.Sprintf(", prev integer REFERENCES %s.t_%04d", schema, i-1)
		}
		fmt.Fprintf(&b, "CREATE TABLE %[1]s.t_%04[2]d (id serial PRIMARY KEY, name text NOT NULL DEFAULT 'x', n integer CHECK (n > 0)%[3]s);\n", schema, i, fk)
		fmt.Fprintf(&b, "CREATE INDEX ON %[1]s.t_%04[2]d (lower(name)) WHERE n > 1;\n", schema, i)
		fmt.Fprintf(&b, "CREATE TRIGGER tr BEFORE UPDATE ON %[1]s.t_%04[2]d FOR EACH ROW EXECUTE FUNCTION public.noop();\n", schema, i)
		fmt.Fprintf(&b, "CREATE POLICY p ON %[1]s.t_%04[2]d USING (n > 0);\n", schema, i)
		if i%10 == 0 {
			fmt.Fprintf(&b, "CREATE VIEW %[1]s.v_%04[2]d AS SELECT id, name FROM %[1]s.t_%04[2]d;\n", schema, i)
		}
	}
	db.exec(b.String())
}

// TestConstantQueries checks that the number of queries an inspection
// sends does not depend on the number of tables.
func TestConstantQueries(t *testing.T) {
	t.Parallel()
	small, large := newDB(t), newDB(t)
	makeTables(small, "s", 3)
	makeTables(large, "s", 120)
	resSmall, cSmall := countedInspect(t, small, inspector.Options{})
	resLarge, cLarge := countedInspect(t, large, inspector.Options{})
	if len(resSmall.Schema.Tables) != 3 || len(resLarge.Schema.Tables) != 120 {
		t.Fatalf("inspected %d and %d tables, want 3 and 120", len(resSmall.Schema.Tables), len(resLarge.Schema.Tables))
	}
	if cSmall.queries != cLarge.queries {
		t.Errorf("3 tables took %d queries, 120 tables took %d: the count must not depend on the tables", cSmall.queries, cLarge.queries)
	}
	t.Logf("%d queries for 3 tables and for 120", cLarge.queries)
	if cLarge.queries > 30 {
		t.Errorf("%d queries: more than the object kinds warrant", cLarge.queries)
	}
}

// TestFilters checks --schema, --table and --exclude, and that they are
// applied inside the queries: picking 2 tables of 200 reads about as many
// rows as a database of 2 tables.
func TestFilters(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	makeTables(db, "a", 200)
	db.exec(`
CREATE SCHEMA b;
CREATE TYPE b.kind AS ENUM ('x');
CREATE TABLE b.t_0001 (id integer PRIMARY KEY, k b.kind);
CREATE TABLE b.other (id integer);
CREATE TABLE public.top (id integer);
`)
	names := func(m *metadata.MetaData) string {
		var out []string
		for _, tb := range m.Tables {
			out = append(out, metadata.TableRef{Schema: tb.Schema, Name: tb.Name}.String())
		}
		for _, v := range m.Views {
			out = append(out, "view "+v.Ref().String())
		}
		return strings.Join(out, " ")
	}
	for _, c := range []struct {
		opts inspector.Options
		want string
	}{
		{inspector.Options{Schemas: []string{"b"}}, "b.other b.t_0001"},
		{inspector.Options{Schemas: []string{"b", "public"}}, "top b.other b.t_0001"},
		{inspector.Options{Tables: []string{"t_0001"}}, "a.t_0001 b.t_0001"},
		{inspector.Options{Tables: []string{"b.t_000?"}}, "b.t_0001"},
		{inspector.Options{Tables: []string{"a.t_019*", "top"}}, "top a.t_0190 a.t_0191 a.t_0192 a.t_0193 a.t_0194 a.t_0195 a.t_0196 a.t_0197 a.t_0198 a.t_0199"},
		{inspector.Options{Tables: []string{"?.v_01[89]0"}}, "view a.v_0180 view a.v_0190"},
		{inspector.Options{Schemas: []string{"b"}, Exclude: []string{"other"}}, "b.t_0001"},
		{inspector.Options{Tables: []string{"a.t_00[0-1]?"}, Exclude: []string{"*[2-9]", "a.t_0010"}}, "a.t_0001 a.t_0011"},
	} {
		res, cnt := countedInspect(t, db, c.opts)
		if got := names(res.Schema); got != c.want {
			t.Errorf("%+v: inspected %q, want %q", c.opts, got, c.want)
		}
		// 200 tables of about ten rows each (columns, constraints,
		// indexes, sequences...) would be thousands.
		if len(c.opts.Tables) > 0 && cnt.rows > 1200 {
			t.Errorf("%+v: the queries returned %d rows: the filter is not applied inside them", c.opts, cnt.rows)
		}
	}
	// A table picked by name comes with what hangs off it (its sequence
	// behind serial, index, trigger, policy), but not the namespace-wide
	// objects.
	res, _ := countedInspect(t, db, inspector.Options{Tables: []string{"a.t_0002"}})
	m := res.Schema
	tb := m.Tables[0]
	if !tb.Columns[0].Autoincrement || len(tb.Indexes) != 1 || len(tb.Policies) != 1 || len(m.Triggers) != 1 || len(tb.ForeignKeys) != 1 {
		t.Errorf("a.t_0002 lacks what hangs off it: %+v, triggers %v", tb, m.Triggers)
	}
	if len(m.Schemas)+len(m.Enums)+len(m.Functions)+len(m.Sequences) > 0 {
		t.Errorf("namespace-wide objects read with a table filter: %+v", m)
	}
	// The schema filter keeps the namespace-wide objects of its schemas.
	res, _ = countedInspect(t, db, inspector.Options{Schemas: []string{"b"}})
	check(t, "enums of b", []metadata.Enum{{Schema: "b", Name: "kind", Values: []string{"x"}}}, res.Schema.Enums)
	check(t, "functions of b", []metadata.Function(nil), res.Schema.Functions)
}

// TestFilterCost compares, in rows read, inspecting 2 tables of a
// 200-table database with inspecting a 2-table database.
func TestFilterCost(t *testing.T) {
	t.Parallel()
	big, small := newDB(t), newDB(t)
	makeTables(big, "a", 200)
	makeTables(small, "a", 2)
	_, cBig := countedInspect(t, big, inspector.Options{Tables: []string{"a.t_000[12]"}})
	_, cSmall := countedInspect(t, small, inspector.Options{Tables: []string{"a.t_000[12]"}})
	if cBig.rows != cSmall.rows {
		t.Errorf("2 tables of 200 read %d rows, 2 tables of 2 read %d: want the same", cBig.rows, cSmall.rows)
	}
}

// TestConnections checks that an inspection finishes whatever the pool
// can give it: one connection, connections another user holds, or all it
// asks for; and that a cancelled context stops it.
func TestConnections(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	makeTables(db, "a", 20)
	want := db.inspect(inspector.Options{}).Schema
	pool := func(max int32) *pgxpool.Pool {
		cfg, err := pgxpool.ParseConfig(db.url)
		if err != nil {
			t.Fatal(err)
		}
		cfg.MaxConns = max
		p, err := pgxpool.NewWithConfig(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		return p
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	one := pool(1)
	res, err := New(one).Inspect(ctx, inspector.Options{})
	if err != nil {
		t.Fatalf("with one connection: %v", err)
	}
	check(t, "with one connection", want, res.Schema)

	busy := pool(2)
	held, err := busy.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err = New(busy).Inspect(ctx, inspector.Options{})
	held.Release()
	if err != nil {
		t.Fatalf("with the pool's other connection held: %v", err)
	}
	check(t, "with the pool's other connection held", want, res.Schema)

	cancelled, stop := context.WithCancel(ctx)
	stop()
	if _, err := New(pool(4)).Inspect(cancelled, inspector.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("with a cancelled context: got %v, want context.Canceled", err)
	}
}

// TestFilteredInspectionKeepsTheTypesItUses: picking tables by name
// leaves out the namespace-wide objects, but not the enums and domains
// their columns use (directly, in an array, or under a domain), so the
// result can be created on its own.
func TestFilteredInspectionKeepsTheTypesItUses(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	db.exec(`
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'ok');
CREATE TYPE unused AS ENUM ('x');
CREATE TYPE level AS ENUM ('low', 'high');
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE DOMAIN tier AS level NOT NULL;
CREATE DOMAIN unused_domain AS text;
CREATE TABLE picked (id positive PRIMARY KEY, m app.mood, ms app.mood[], t tier);
CREATE TABLE other (u unused, d unused_domain);
`)
	res := db.inspect(inspector.Options{Tables: []string{"picked"}})
	var enums, domains []string
	for _, e := range res.Schema.Enums {
		enums = append(enums, metadata.TableRef{Schema: e.Schema, Name: e.Name}.String())
	}
	for _, d := range res.Schema.Domains {
		domains = append(domains, d.Name)
	}
	check(t, "enums", []string{"level", "app.mood"}, enums)
	check(t, "domains", []string{"positive", "tier"}, domains)
	// The filtered model is complete: it creates in an empty database.
	fresh := newDB(t)
	fresh.createAll(res.Schema)
	again := fresh.inspect(inspector.Options{Tables: []string{"picked"}})
	if diff := diffModels(res.Schema, again.Schema); diff != "" {
		t.Errorf("recreated from the filtered model (-first +again):\n%s", diff)
	}
}
