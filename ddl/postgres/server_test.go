package postgres

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/dbtool/dbtool/metadata"
	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// connect opens a connection to a fresh database.
func connect(t *testing.T) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// run executes statements in one transaction, as create-all does.
func run(ctx context.Context, t *testing.T, conn *pgx.Conn, stmts []ddl.Statement) {
	t.Helper()
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s.SQL); err != nil {
			t.Fatalf("%s: %v\n%s", s.Object, err, s.SQL)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestCreateEdge creates the edge-case schema on a real server and checks
// every object in pg_catalog, defaults and bounds as the server prints
// them.
func TestCreateEdge(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := connect(t)
	m := loadEdge(t)
	run(ctx, t, conn, planModel(t, m))
	verify(ctx, t, conn, m, true)
}

// TestCreateTestdata creates every shared testdata schema PostgreSQL can
// hold (the portable ones and those of testdata/schemas/postgres) and
// checks them in pg_catalog.
func TestCreateTestdata(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "schemas")
	var paths []string
	for _, pattern := range []string{"*.yaml", "*.yml", "*.json", filepath.Join("postgres", "*.yaml")} {
		found, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, found...)
	}
	if dir := filepath.Join(root, "split"); isDir(dir) {
		paths = append(paths, dir)
	}
	if len(paths) == 0 {
		t.Skip("no shared testdata schemas yet")
	}
	for _, path := range paths {
		rel, _ := filepath.Rel(root, path)
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			m, err := metadata.Load(path)
			if err != nil {
				t.Fatalf("loading: %v", err)
			}
			ctx := context.Background()
			conn := connect(t)
			run(ctx, t, conn, planModel(t, m))
			verify(ctx, t, conn, m, false)
		})
	}
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// TestQuoteIdentServer checks that QuoteIdent agrees with the server's
// quote_ident, and that every quoted name reaches the server unchanged.
func TestQuoteIdentServer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := connect(t)
	names := []string{
		"users", "user", "User", "order", "select", "type", "name", "value", "int", "left", "json",
		"a b", `a"b`, `""`, "ümlaut", "日本", "_x", "x1", "1x", "a$b", "a-b", "A", "abc_DEF",
		"between", "current_user", "authorization", "nulls", "generated", "system_user",
		strings.Repeat("n", 63), "e\u0301", "tab\tname", "semi;colon", "--dash", "x'y",
	}
	var rows [][]any
	for _, n := range names {
		rows = append(rows, []any{n})
	}
	rs, err := conn.Query(ctx, "SELECT n, quote_ident(n), w.catcode IS NOT NULL FROM unnest($1::text[]) n LEFT JOIN pg_get_keywords() w ON w.word = n", names)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var n, q string
		var known bool
		if err := rs.Scan(&n, &q, &known); err != nil {
			t.Fatal(err)
		}
		if got := quoteIdent(n); got != q {
			// A word that became a keyword after this server's version
			// is quoted here and not there; anything else must agree.
			if !(keywords[n] && !known && got == `"`+n+`"`) {
				t.Errorf("QuoteIdent(%q) = %s, server's quote_ident says %s", n, got, q)
			}
		}
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	// Every name, quoted, is read by the server as itself.
	var cols []string
	for _, n := range names {
		cols = append(cols, "1 AS "+quoteIdent(n))
	}
	r, err := conn.Query(ctx, "SELECT "+strings.Join(cols, ", "))
	if err != nil {
		t.Fatal(err)
	}
	for j, f := range r.FieldDescriptions() {
		if f.Name != names[j] {
			t.Errorf("quoted %q came back as %q", names[j], f.Name)
		}
	}
	r.Close()
	// And every keyword the server has that is not unreserved is quoted.
	kw, err := conn.Query(ctx, "SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'")
	if err != nil {
		t.Fatal(err)
	}
	defer kw.Close()
	for kw.Next() {
		var w string
		if err := kw.Scan(&w); err != nil {
			t.Fatal(err)
		}
		if !keywords[w] {
			t.Errorf("keyword %q is missing from keywords.go (a newer server?)", w)
		}
	}
}

// TestQuoteLiteralServer checks that every quoted value reaches the server
// unchanged, whatever standard_conforming_strings says.
func TestQuoteLiteralServer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := connect(t)
	values := []string{"", "plain", "it's", `back\slash`, `\'`, `'\`, "new\nline", "ünï", `E'x'`, "$$", "--", `\\'\\`}
	for _, scs := range []string{"on", "off"} {
		if _, err := conn.Exec(ctx, "SET standard_conforming_strings = "+scs); err != nil {
			t.Fatal(err)
		}
		for _, v := range values {
			var got string
			if err := conn.QueryRow(ctx, "SELECT "+quoteLiteral(v)).Scan(&got); err != nil {
				t.Errorf("standard_conforming_strings=%s: %s: %v", scs, quoteLiteral(v), err)
				continue
			}
			if got != v {
				t.Errorf("standard_conforming_strings=%s: %s is %q, want %q", scs, quoteLiteral(v), got, v)
			}
		}
	}
}

// TestDefaultNameServer checks DefaultName against the names the server
// gives unnamed constraints and serial sequences, long and non-ASCII names
// included.
func TestDefaultNameServer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := connect(t)
	long := strings.Repeat("t", 60)
	longCol := strings.Repeat("c", 50)
	uni := strings.Repeat("ü", 30) // 60 bytes
	tables := []struct {
		name string
		cols []string
	}{
		{"users", []string{"id", "email"}},
		{long, []string{"id", longCol}},
		{uni, []string{"id", "ääääääääääääääääääääääääää"}},
		{"t", []string{"id", strings.Repeat("a", 63)}},
		{"Mixed Case", []string{"id", "Other Col"}},
	}
	for _, tb := range tables {
		name, a, b := tb.name, tb.cols[0], tb.cols[1]
		sql := "CREATE TABLE " + quoteIdent(name) + " (" +
			quoteIdent(a) + " serial PRIMARY KEY, " + quoteIdent(b) + " integer UNIQUE REFERENCES " + quoteIdent(name) + ", " +
			"CHECK (" + quoteIdent(b) + " > 0), CHECK (" + quoteIdent(a) + " > " + quoteIdent(b) + "), " +
			"UNIQUE (" + quoteIdent(a) + ", " + quoteIdent(b) + "))"
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
		want := map[string]bool{
			DefaultName(name, nil, LabelPrimaryKey):         true,
			DefaultName(name, []string{b}, LabelUnique):     true,
			DefaultName(name, []string{a, b}, LabelUnique):  true,
			DefaultName(name, []string{b}, LabelForeignKey): true,
			DefaultName(name, []string{b}, LabelCheck):      true,
			DefaultName(name, nil, LabelCheck):              true,
		}
		rows, err := conn.Query(ctx, "SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass", quoteIdent(name))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			got[n] = true
		}
		rows.Close()
		for n := range want {
			if !got[n] {
				t.Errorf("table %q: DefaultName gave %q; the server's names are %v", name, n, keys(got))
			}
		}
		var seq string
		if err := conn.QueryRow(ctx, "SELECT pg_get_serial_sequence($1, $2)", quoteIdent(name), a).Scan(&seq); err != nil {
			t.Fatal(err)
		}
		if want := quoteIdent(DefaultName(name, []string{a}, LabelSequence)); seq != "public."+want {
			t.Errorf("table %q: serial sequence %s, DefaultName gave %s", name, seq, want)
		}
	}
}

// TestTypesServer checks that every portable type, created as FormatType
// spells it, is printed back by format_type() the same way, so ReadType
// returns the same type.
func TestTypesServer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := connect(t)
	types := portableTypes()
	var cols []string
	for i, typ := range types {
		s, err := formatType(typ)
		if err != nil {
			t.Fatal(err)
		}
		cols = append(cols, "c"+itoa(i)+" "+s)
	}
	if _, err := conn.Exec(ctx, "CREATE TABLE zoo ("+strings.Join(cols, ", ")+")"); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query(ctx, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'zoo'::regclass AND attnum > 0 ORDER BY attnum")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		var printed string
		if err := rows.Scan(&printed); err != nil {
			t.Fatal(err)
		}
		if back := ReadType(printed); back != types[i] {
			t.Errorf("%v: created, printed as %q, read back as %v", types[i], printed, back)
		}
		i++
	}
}

// TestDefaultsServer checks that literal defaults, written by Plan and
// printed back by the server, read back as the same literal.
func TestDefaultsServer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := connect(t)
	cases := []struct {
		typ metadata.Type
		def metadata.Default
	}{
		{metadata.Integer{Bytes: 4}, metadata.NumberLiteral{Value: "0"}},
		{metadata.Integer{Bytes: 4}, metadata.NumberLiteral{Value: "-1"}},
		{metadata.Integer{Bytes: 2}, metadata.NumberLiteral{Value: "7"}},
		{metadata.Integer{Bytes: 8}, metadata.NumberLiteral{Value: "9007199254740993"}},
		{metadata.Numeric{Precision: 10, Scale: 2}, metadata.NumberLiteral{Value: "1.50"}},
		{metadata.Numeric{Precision: 10, Scale: 2}, metadata.NumberLiteral{Value: "-0.25"}},
		{metadata.Numeric{}, metadata.NumberLiteral{Value: "0.10"}},
		{metadata.Float{Bytes: 4}, metadata.NumberLiteral{Value: "2.5"}},
		{metadata.Float{Bytes: 8}, metadata.NumberLiteral{Value: "-2.5"}},
		{metadata.Text{}, metadata.StringLiteral{Value: "it's"}},
		{metadata.Text{}, metadata.StringLiteral{Value: `back\slash`}},
		{metadata.Text{}, metadata.StringLiteral{Value: ""}},
		{metadata.Text{}, metadata.StringLiteral{Value: "0"}},
		{metadata.String{Length: 10}, metadata.StringLiteral{Value: "x"}},
		{metadata.String{}, metadata.StringLiteral{Value: "x"}},
		{metadata.Char{Length: 3}, metadata.StringLiteral{Value: "ab"}},
		{metadata.Char{}, metadata.StringLiteral{Value: "ab"}},
		{metadata.Boolean{}, metadata.BoolLiteral{Value: true}},
		{metadata.Boolean{}, metadata.BoolLiteral{Value: false}},
		{metadata.Date{}, metadata.StringLiteral{Value: "2020-01-01"}},
		{metadata.Timestamp{TZ: false, Precision: 3}, metadata.StringLiteral{Value: "2020-01-01 10:00:00"}},
		{metadata.JSON{}, metadata.StringLiteral{Value: `{"a": 1}`}},
		{metadata.UUID{}, metadata.StringLiteral{Value: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}},
		{metadata.Raw{SQL: "jsonb"}, metadata.StringLiteral{Value: "[]"}},
		{metadata.Raw{SQL: "integer[]"}, metadata.StringLiteral{Value: "{1,2}"}},
		{metadata.Raw{SQL: "interval"}, metadata.StringLiteral{Value: "1 day"}},
		{metadata.Raw{SQL: "character varying(5)[]"}, metadata.StringLiteral{Value: "{}"}},
		{metadata.Timestamp{TZ: true, Precision: -1}, metadata.Expr{SQL: "now()"}},
		{metadata.Timestamp{TZ: true, Precision: -1}, metadata.Expr{SQL: "CURRENT_TIMESTAMP"}},
		{metadata.UUID{}, metadata.Expr{SQL: "gen_random_uuid()"}},
		{metadata.Integer{Bytes: 4}, metadata.Expr{SQL: "1 + 2"}},
	}
	tb := metadata.Table{Name: "defaults"}
	for i, c := range cases {
		tb.Columns = append(tb.Columns, metadata.Column{Name: "c" + itoa(i), Type: c.typ, Nullable: true, Default: c.def})
	}
	stmts, err := createTable(&tb, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
	rows, err := conn.Query(ctx, `SELECT format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid, true)
		FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE a.attrelid = 'defaults'::regclass ORDER BY a.attnum`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		var typ, printed string
		if err := rows.Scan(&typ, &printed); err != nil {
			t.Fatal(err)
		}
		if back := ReadDefault(printed, typ); back != cases[i].def {
			t.Errorf("%v default %#v: printed %s, read back as %#v", cases[i].typ, cases[i].def, printed, back)
		}
		i++
	}
	if i != len(cases) {
		t.Errorf("%d defaults read, want %d", i, len(cases))
	}
}

// TestPolicyRolesAndViewColumns creates what edge.yaml leaves out because
// the server does not give it back as written: policies for named roles,
// PUBLIC and CURRENT_USER (stored as the role it names), and a view with a
// column list (printed back as aliases in its query).
func TestPolicyRolesAndViewColumns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn := connect(t)
	role := "dbtool reader " + itoa(os.Getpid())
	if _, err := conn.Exec(ctx, "CREATE ROLE "+quoteIdent(role)); err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, sql := range []string{"DROP TABLE IF EXISTS docs CASCADE", "DROP ROLE " + quoteIdent(role)} {
			if _, err := conn.Exec(ctx, sql); err != nil {
				t.Errorf("%s: %v", sql, err)
			}
		}
	}()
	var me string
	if err := conn.QueryRow(ctx, "SELECT current_user").Scan(&me); err != nil {
		t.Fatal(err)
	}
	m := &metadata.MetaData{
		Tables: []metadata.Table{{
			Name:             "docs",
			Columns:          []metadata.Column{{Name: "id", Type: metadata.Integer{Bytes: 4}}, {Name: "owner", Type: metadata.Text{}}},
			RowLevelSecurity: true,
			Policies: []metadata.Policy{
				{Name: "readers", Command: "select", Roles: []string{role, "current_user"}, Using: "true"},
				{Name: "mine", Command: "delete", Roles: []string{"public"}, Using: "owner = CURRENT_USER"},
			},
		}},
		Views: []metadata.View{{Name: "doc ids", Columns: []string{"Doc ID", "who"}, Definition: "SELECT id, owner FROM docs"}},
	}
	run(ctx, t, conn, planModel(t, m))
	verify(ctx, t, conn, m, false)
	rows, err := conn.Query(ctx, `SELECT p.polname,
		  array(SELECT CASE WHEN r = 0 THEN 'public' ELSE (SELECT rolname::text FROM pg_roles WHERE oid = r) END FROM unnest(p.polroles) r ORDER BY 1)
		FROM pg_policy p WHERE p.polrelid = 'docs'::regclass ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	want := map[string][]string{"mine": {"public"}, "readers": {role, me}}
	for rows.Next() {
		var name string
		var roles []string
		if err := rows.Scan(&name, &roles); err != nil {
			t.Fatal(err)
		}
		w := append([]string(nil), want[name]...)
		slices.Sort(w)
		if !slices.Equal(roles, w) {
			t.Errorf("policy %s: roles %q, want %q", name, roles, w)
		}
		delete(want, name)
	}
	if len(want) > 0 {
		t.Errorf("policies missing: %v", want)
	}
}
