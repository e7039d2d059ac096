package engine_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/metadata"
	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"
	_ "modernc.org/sqlite" // database/sql access to check rows
)

// snapshot is what "the database is exactly as it was" compares: the
// canonical inspection, every row of every table, and the history.
type snapshot struct {
	Schema  *metadata.MetaData
	Rows    map[string][]string
	History int
}

// rawDB opens the database of a test URL with database/sql, independently
// of dbtool, to read rows and to break things.
func rawDB(t *testing.T, url string) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", url
	if path, ok := strings.CutPrefix(url, "sqlite:///"); ok {
		driver, dsn = "sqlite", path
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// take reads a snapshot of the database eng is open on.
func take(t *testing.T, eng *engine.Engine, raw *sql.DB) snapshot {
	t.Helper()
	s := snapshot{Schema: metadata.Canonical(inspect(t, eng)), Rows: map[string][]string{}}
	for _, tb := range s.Schema.Tables {
		name := quoteIdent(tb.Name)
		if tb.Schema != "" {
			name = quoteIdent(tb.Schema) + "." + name
		}
		var exprs []string
		for _, c := range tb.Columns {
			exprs = append(exprs, "COALESCE(CAST("+quoteIdent(c.Name)+" AS TEXT), '<null>')")
		}
		rows, err := raw.Query("SELECT " + strings.Join(exprs, " || '|' || ") + " FROM " + name)
		if err != nil {
			t.Fatalf("reading %s: %v", name, err)
		}
		var got []string
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				t.Fatal(err)
			}
			got = append(got, r)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		slices.Sort(got)
		s.Rows[metadata.QualifiedName(tb.Schema, tb.Name)] = got
	}
	h, err := eng.History(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s.History = len(h)
	return s
}

// sameAs fails the test when the database is not exactly at before.
func sameAs(t *testing.T, what string, before, after snapshot) {
	t.Helper()
	if d := cmp.Diff(before, after); d != "" {
		t.Errorf("%s changed the database (-before +after):\n%s", what, d)
	}
}

// parse reads a schema written in a test.
func parse(t *testing.T, yaml string) *metadata.MetaData {
	t.Helper()
	m, err := metadata.Parse(t.Name()+".yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fixture is a database at schema A with rows, open in eng.
type fixture struct {
	url string
	eng *engine.Engine
	raw *sql.DB
	a   snapshot
}

// newFixture creates schema a in a fresh database of db's kind and runs
// the inserts.
func newFixture(t *testing.T, db database, a string, inserts ...string) *fixture {
	t.Helper()
	f := &fixture{url: db.url(t)}
	f.eng = open(t, f.url, engine.Options{Create: true})
	f.raw = rawDB(t, f.url)
	if _, err := f.eng.CreateAll(context.Background(), parse(t, a), engine.CreateAllOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(inserts) > 0 {
		if err := f.eng.Exec(context.Background(), inserts...); err != nil {
			t.Fatal(err)
		}
	}
	f.a = take(t, f.eng, f.raw)
	return f
}

// unchanged fails the test when the database is not at A.
func (f *fixture) unchanged(t *testing.T, what string) {
	t.Helper()
	sameAs(t, what, f.a, take(t, f.eng, f.raw))
}

// usersA is a small schema A with rows that break some changes: three
// NULL emails, two rows sharing a name.
const usersA = `
tables:
  - name: users
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: email, type: varchar(100)}
      - {name: name, type: varchar(50)}
      - {name: age, type: integer}
  - name: posts
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: user_id, type: integer}
      - {name: title, type: text}
`

var usersRows = []string{
	`INSERT INTO users (id, email, name, age) VALUES (1, 'ann@example.com', 'Ann', 30), (2, NULL, 'Bob', 40), (3, NULL, 'Bob', NULL), (4, NULL, 'Cy', 50)`,
	`INSERT INTO posts (id, user_id, title) VALUES (1, 1, 'hello'), (2, 9, 'orphan')`,
}

// TestApplyNoChanges: applying the schema the database has says so,
// returns Applied false, and writes nothing, not even history.
func TestApplyNoChanges(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			f := newFixture(t, db, usersA, usersRows...)
			res, err := f.eng.Apply(context.Background(), parse(t, usersA), engine.ApplyOptions{
				Confirm: func(*engine.MigrationPlan) (bool, error) {
					t.Error("asked to confirm an empty plan")
					return false, nil
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			if res.Applied || len(res.Plan.Changes) != 0 || len(res.Plan.Statements) != 0 {
				t.Errorf("applied %v, %d changes, %d statements; want nothing", res.Applied, len(res.Plan.Changes), len(res.Plan.Statements))
			}
			f.unchanged(t, "an apply with no changes")
			if h, err := f.eng.History(context.Background()); err != nil || h != nil {
				t.Errorf("history %v, %v: want no table at all", h, err)
			}
		})
	}
}

// TestApplyRecordsHistory: an apply records one history row with its
// statements and the fingerprints of the schemas before and after; a
// second apply of the same schema records nothing.
func TestApplyRecordsHistory(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			f := newFixture(t, db, usersA, usersRows...)
			b := parse(t, strings.Replace(usersA, "      - {name: age, type: integer}\n", "      - {name: age, type: integer}\n      - {name: bio, type: text}\n", 1))
			ctx := context.Background()
			res, err := f.eng.Apply(ctx, b, engine.ApplyOptions{Version: "v1.2.3"})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Applied {
				t.Fatal("not applied")
			}
			if _, err := f.eng.Apply(ctx, b, engine.ApplyOptions{}); err != nil {
				t.Fatal(err)
			}
			h, err := f.eng.History(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(h) != 1 {
				t.Fatalf("%d history rows, want 1: %+v", len(h), h)
			}
			e := h[0]
			after := inspect(t, f.eng)
			if e.Version != "v1.2.3" || e.Before != engine.Fingerprint(f.a.Schema) || e.After != engine.Fingerprint(after) ||
				e.PlanChecksum != engine.PlanChecksum(res.Plan.Statements) || len(e.Statements) != len(res.Plan.Statements) || e.AppliedBy == "" {
				t.Errorf("history row %+v does not describe the apply", e)
			}
			if e.AppliedAt.IsZero() {
				t.Errorf("history row has no time: %+v", e)
			}
			if !slices.ContainsFunc(e.Statements, func(s string) bool { return strings.Contains(s, "bio") }) {
				t.Errorf("history statements %q lack the new column", e.Statements)
			}
		})
	}
}

// destructiveCase is one kind of change that loses or may lose data.
type destructiveCase struct {
	name string
	// b is schema B, from usersA.
	b string
	// object is in the refusal's message.
	object string
	// only names the one database that has the kind, if any.
	only string
	a    string
}

var destructiveCases = []destructiveCase{
	{name: "drop table", b: `
tables:
  - name: users
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: email, type: varchar(100)}
      - {name: name, type: varchar(50)}
      - {name: age, type: integer}
`, object: `table "posts"`},
	{name: "drop column", b: strings.Replace(usersA, "      - {name: age, type: integer}\n", "", 1), object: `column "age"`},
	{name: "numeric scale narrowed", a: strings.Replace(usersA, "{name: age, type: integer}", "{name: age, type: \"numeric(6,2)\"}", 1),
		b: strings.Replace(usersA, "{name: age, type: integer}", "{name: age, type: \"numeric(6,1)\"}", 1), object: `column "age" of table "users": may lose data (numeric(6,2) changed to numeric(6,1): values are rounded`},
	{name: "lossy type change", b: strings.Replace(usersA, "{name: age, type: integer}", "{name: age, type: real}", 1), object: `column "age"`},
	{name: "generated column", b: strings.Replace(usersA, "{name: age, type: integer}", "{name: age, type: integer, generated: {expr: id * 2, stored: true}}", 1), object: `column "age"`, only: "postgres"},
	{name: "drop enum", only: "postgres",
		a: usersA + "enums:\n  - {name: mood, values: [sad, ok, happy]}\n", b: usersA, object: `enum "mood"`},
	{name: "enum value removed", only: "postgres",
		a: usersA + "enums:\n  - {name: mood, values: [sad, ok, happy]}\n", b: usersA + "enums:\n  - {name: mood, values: [sad, happy]}\n", object: `enum "mood"`},
	{name: "drop composite type", only: "postgres",
		a: usersA + "composite_types:\n  - {name: pair, attributes: [{name: x, type: integer}, {name: y, type: integer}]}\n", b: usersA, object: `"pair"`},
	{name: "autoincrement turned off", b: strings.Replace(usersA, "{name: id, type: integer, primary_key: true}", "{name: id, type: integer, primary_key: true, autoincrement: false}", 1), object: `column "id" of table "users": may lose data (the column stops numbering new rows`},
	{name: "drop sequence", only: "postgres",
		a: usersA + "sequences:\n  - {name: invoice_no, start: 1000}\n", b: usersA, object: `sequence "invoice_no"`},
	{name: "drop virtual table", only: "sqlite",
		a: usersA + "virtual_tables:\n  - {name: docs, using: \"fts5(body)\"}\n", b: usersA, object: `"docs"`},
}

// TestApplyDestructive: every kind of destructive change is refused whole
// without AllowDestructive (a *DestructiveError naming it, the database
// untouched, no history) and applied with it.
func TestApplyDestructive(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			for _, tc := range destructiveCases {
				if tc.only != "" && tc.only != db.name {
					continue
				}
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					a := tc.a
					if a == "" {
						a = usersA
					}
					f := newFixture(t, db, a, usersRows...)
					b := parse(t, tc.b)
					ctx := context.Background()
					_, err := f.eng.Apply(ctx, b, engine.ApplyOptions{})
					var de *engine.DestructiveError
					if !errors.As(err, &de) {
						t.Fatalf("error %v, want a *DestructiveError", err)
					}
					if !strings.Contains(err.Error(), tc.object) || !strings.Contains(err.Error(), "--allow-destructive") {
						t.Errorf("refusal does not name %s and the flag:\n%v", tc.object, err)
					}
					f.unchanged(t, "a refused destructive apply")
					res, err := f.eng.Apply(ctx, b, engine.ApplyOptions{AllowDestructive: true})
					if err != nil {
						t.Fatal(err)
					}
					if !res.Applied {
						t.Fatal("not applied with AllowDestructive")
					}
					again, err := f.eng.Plan(ctx, b, engine.PlanOptions{})
					if err != nil {
						t.Fatal(err)
					}
					if len(again.Changes) != 0 {
						t.Errorf("changes left after the apply:\n%s", describe(again))
					}
				})
			}
		})
	}
}

// TestApplyDataChecks: changes that existing rows would break are all
// reported, with the count of rows, before anything is written.
func TestApplyDataChecks(t *testing.T) {
	b := `
tables:
  - name: users
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: email, type: varchar(100), nullable: false}
      - {name: name, type: varchar(50), unique: true}
      - {name: age, type: integer}
      - {name: tier, type: integer, default: 1}
    checks:
      - {name: ck_users_age, expr: age < 45}
    uniques:
      - {name: uq_users_name_tier, columns: [name, tier]}
    indexes:
      - {name: ux_users_lower_name, columns: [{expr: lower(name)}], unique: true}
      - {name: ux_users_lower_name_young, columns: [{expr: lower(name)}], unique: true, where: age < 45}
      - {name: ux_users_name_email, columns: [name, email], unique: true}
  - name: posts
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: user_id, type: integer}
      - {name: title, type: text}
      - {name: kind, type: varchar(10), default: post}
    foreign_keys:
      - {columns: [user_id], references: {table: users, columns: [id]}}
    uniques:
      - {name: uq_posts_user_kind, columns: [user_id, kind]}
    indexes:
      - {name: ux_posts_kind, columns: [kind], unique: true}
`
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			f := newFixture(t, db, usersA, usersRows...)
			_, err := f.eng.Apply(context.Background(), parse(t, b), engine.ApplyOptions{AllowDestructive: true})
			var dc *engine.DataCheckError
			if !errors.As(err, &dc) {
				t.Fatalf("error %v, want a *DataCheckError", err)
			}
			for _, want := range []string{
				`column "email"`, "3 rows are NULL",
				"1 value is held by more than one row",
				"1 row fails the check",
				`foreign key (user_id) on table "posts": 1 row references no row of "users"`,
				`index "ux_users_lower_name" on "users": 1 value is held by more than one row`,
				// tier and kind, new, are 1 and 'post' in every row.
				`unique "uq_users_name_tier" of table "users": 1 value is held by more than one row`,
				`index "ux_posts_kind" on "posts": 1 value is held by more than one row`,
			} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("data check error lacks %q:\n%v", want, err)
				}
			}
			// Ann and Bob under 45 differ; Bob twice with NULL emails
			// are two keys with a NULL part, which differ too; the posts'
			// user_id differ, whatever their kind.
			for _, unwanted := range []string{"ux_users_lower_name_young", "ux_users_name_email", "uq_posts_user_kind"} {
				if strings.Contains(err.Error(), unwanted) {
					t.Errorf("data check error names %s, which the rows do not break:\n%v", unwanted, err)
				}
			}
			if !strings.Contains(err.Error(), "nothing was written") {
				t.Errorf("the error does not say nothing was written:\n%v", err)
			}
			f.unchanged(t, "an apply refused by its data checks")
		})
	}
}

// TestApplyDataChecksRenamedColumns: a new unique index, unique
// constraint, foreign key, index expression or check over columns the
// plan renames counts the rows as the declaration names them, on both
// sides of a foreign key, and the database stays at A.
func TestApplyDataChecksRenamedColumns(t *testing.T) {
	const a = `
tables:
  - name: teams
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: code, type: integer, unique: true}
  - name: accounts
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: handle, type: text}
      - {name: team, type: integer}
`
	rows := []string{
		`INSERT INTO teams (id, code) VALUES (1, 10), (2, 20)`,
		// ann twice; the second ann in a team whose code is 30, which no
		// team has.
		`INSERT INTO accounts (id, handle, team) VALUES (1, 'ann', 10), (2, 'ann', 30), (3, 'Bob', 20), (4, 'bob', 10)`,
	}
	b := `
tables:
  - name: teams
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: team_code, type: integer, unique: true, renamed_from: code}
  - name: accounts
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: nick, type: text, renamed_from: handle}
      - {name: team_code, type: integer, renamed_from: team}
    foreign_keys:
      - {columns: [team_code], references: {table: teams, columns: [team_code]}}
    uniques:
      - {name: uq_accounts_nick_team, columns: [nick, team_code]}
    indexes:
      - {name: ux_accounts_nick, columns: [nick], unique: true}
      - {name: ux_accounts_team_nick, columns: [team_code, nick], unique: true}
`
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			f := newFixture(t, db, a, rows...)
			_, err := f.eng.Apply(context.Background(), parse(t, b), engine.ApplyOptions{})
			var dc *engine.DataCheckError
			if !errors.As(err, &dc) {
				t.Fatalf("error %v, want a *DataCheckError", err)
			}
			for _, want := range []string{
				`index "ux_accounts_nick" on "accounts": 1 value is held by more than one row`,
				`foreign key (team_code) on table "accounts": 1 row references no row of "teams"`,
			} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("data check error lacks %q:\n%v", want, err)
				}
			}
			// The two anns are in different teams, and so are the two bobs.
			if len(dc.Failures) != 2 {
				t.Errorf("%d data checks failed, want 2:\n%v", len(dc.Failures), err)
			}
			f.unchanged(t, "an apply refused by its data checks")

			// The table renamed too: read under its live name, with its
			// columns under their new ones.
			d := strings.Replace(b, "  - name: accounts\n", "  - name: members\n    renamed_from: accounts\n", 1)
			_, err = f.eng.Apply(context.Background(), parse(t, d), engine.ApplyOptions{})
			if want := `index "ux_accounts_nick" on "members": 1 value is held by more than one row`; !errors.As(err, &dc) || !strings.Contains(err.Error(), want) {
				t.Fatalf("error %v, want a *DataCheckError with %q", err, want)
			}
			f.unchanged(t, "an apply refused by its data checks")

			// An index expression and a check name the renamed column as
			// declared: the anns, and 'Bob' and 'bob', under lower(nick);
			// every nick is 3 letters long.
			c := strings.Replace(b, "{name: ux_accounts_nick, columns: [nick], unique: true}", "{name: ux_accounts_lower_nick, columns: [{expr: lower(nick)}], unique: true}", 1)
			c = strings.Replace(c, "      - {columns: [team_code], references: {table: teams, columns: [team_code]}}\n", "", 1)
			c = strings.Replace(c, "    foreign_keys:\n", "    checks:\n      - {name: ck_accounts_nick, expr: length(nick) > 3}\n", 1)
			_, err = f.eng.Apply(context.Background(), parse(t, c), engine.ApplyOptions{})
			if !errors.As(err, &dc) || len(dc.Failures) != 2 {
				t.Fatalf("error %v, want a *DataCheckError with 2 failures", err)
			}
			for _, want := range []string{
				`index "ux_accounts_lower_nick" on "accounts": 2 values are held by more than one row`,
				`check "ck_accounts_nick" of table "accounts": 4 rows fail the check`,
			} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("data check error lacks %q:\n%v", want, err)
				}
			}
			f.unchanged(t, "an apply refused by its data checks")
		})
	}
}

// TestApplyDataChecksCollation: a new unique index counts as equal what
// its key's collation calls equal: 'a' and 'A' under a case-insensitive
// collation (SQLite's NOCASE; on PostgreSQL a nondeterministic ICU one),
// not under a binary one.
func TestApplyDataChecksCollation(t *testing.T) {
	const a = `
tables:
  - name: u
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: name, type: text}
`
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			f := newFixture(t, db, a, `INSERT INTO u (id, name) VALUES (1, 'a'), (2, 'A'), (3, 'b')`)
			caseless, binary := "NOCASE", "BINARY"
			if db.name == "postgres" {
				caseless, binary = "caseless", "C"
				if err := f.eng.Exec(context.Background(), "CREATE COLLATION caseless (provider = icu, locale = 'und-u-ks-level2', deterministic = false)"); err != nil {
					t.Fatal(err)
				}
				f.a = take(t, f.eng, f.raw)
			}
			b := a + fmt.Sprintf(`    indexes:
      - {name: ux_u_caseless, columns: [{column: name, collation: %s}], unique: true}
      - {name: ux_u_binary, columns: [{column: name, collation: %s}], unique: true}
`, caseless, binary)
			_, err := f.eng.Apply(context.Background(), parse(t, b), engine.ApplyOptions{})
			var dc *engine.DataCheckError
			if !errors.As(err, &dc) || len(dc.Failures) != 1 || !strings.Contains(err.Error(), `index "ux_u_caseless" on "u": 1 value is held by more than one row`) {
				t.Fatalf("error %v, want a *DataCheckError for ux_u_caseless alone", err)
			}
			f.unchanged(t, "an apply refused by its data checks")
		})
	}
}

// TestApplySavedPlan: a saved plan applies when the database has not
// changed since it was made, and is refused, naming what changed, when it
// has.
func TestApplySavedPlan(t *testing.T) {
	b := strings.Replace(usersA, "      - {name: age, type: integer}\n", "      - {name: age, type: integer}\n      - {name: bio, type: text}\n", 1)
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, db, usersA, usersRows...)
			save := func() *engine.SavedPlan {
				t.Helper()
				p, err := f.eng.Plan(ctx, parse(t, b), engine.PlanOptions{})
				if err != nil {
					t.Fatal(err)
				}
				sp, err := p.Save(f.eng.URL.Dialect, "test")
				if err != nil {
					t.Fatal(err)
				}
				return sp
			}
			stale := save()
			if err := f.eng.Exec(ctx, "CREATE INDEX sneaked_in ON posts (title)"); err != nil {
				t.Fatal(err)
			}
			before := take(t, f.eng, f.raw)
			_, err := f.eng.Apply(ctx, nil, engine.ApplyOptions{Saved: stale})
			if !errors.Is(err, engine.ErrPlanStale) || !strings.Contains(err.Error(), `index "sneaked_in"`) {
				t.Errorf("stale plan: error %v, want ErrPlanStale naming the new index", err)
			}
			sameAs(t, "a stale saved plan", before, take(t, f.eng, f.raw))

			fresh := save()
			res, err := f.eng.Apply(ctx, nil, engine.ApplyOptions{Saved: fresh})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Applied {
				t.Fatal("fresh saved plan not applied")
			}
			if got := take(t, f.eng, f.raw); got.History != 1 || got.Schema.Table(metadata.TableRef{Name: "users"}).Column("bio") == nil {
				t.Errorf("after the saved plan: %d history rows, users %+v", got.History, got.Schema.Table(metadata.TableRef{Name: "users"}))
			}
			// Applied once, the same plan no longer fits.
			if _, err := f.eng.Apply(ctx, nil, engine.ApplyOptions{Saved: fresh}); !errors.Is(err, engine.ErrPlanStale) {
				t.Errorf("the saved plan applied twice: %v", err)
			}
		})
	}
}

// TestApplyDryRunWritesNothing: a dry run plans under the lock, runs the
// data checks, and writes nothing.
func TestApplyDryRunWritesNothing(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			f := newFixture(t, db, usersA, usersRows...)
			res, err := f.eng.Apply(context.Background(), parse(t, destructiveCases[0].b), engine.ApplyOptions{DryRun: true, AllowDestructive: true})
			if err != nil {
				t.Fatal(err)
			}
			if res.Applied || len(res.Plan.Statements) == 0 {
				t.Errorf("dry run: applied %v, %d statements", res.Applied, len(res.Plan.Statements))
			}
			f.unchanged(t, "a dry run")
		})
	}
}

// pgCode returns the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code
	}
	return ""
}

// TestApplyCheckCallsNewFunction: a new check that calls a function the
// same plan creates cannot be counted before the plan runs (the function
// does not exist yet): the apply warns and lets the server check the rows
// as it adds the constraint, applying when they pass and leaving the
// database at A when they fail.
func TestApplyCheckCallsNewFunction(t *testing.T) {
	b := func(min int) string {
		return strings.Replace(usersA, "  - name: posts\n", "    checks:\n      - {name: ck_users_age, expr: \"grown(age)\"}\n  - name: posts\n", 1) + fmt.Sprintf(`functions:
  - name: grown
    definition: |-
      CREATE OR REPLACE FUNCTION public.grown(a integer)
       RETURNS boolean
       LANGUAGE sql
       IMMUTABLE
      AS $function$SELECT a IS NULL OR a >= %d$function$
`, min)
	}
	ctx := context.Background()
	f := newFixture(t, databases[1], usersA, usersRows...)
	_, err := f.eng.Apply(ctx, parse(t, b(45)), engine.ApplyOptions{})
	var se *engine.StatementError
	if !errors.As(err, &se) || pgCode(err) != "23514" || !strings.Contains(se.SQL, "ck_users_age") {
		t.Fatalf("rows under 45: error %v, want the server's check violation", err)
	}
	f.unchanged(t, "a check the rows fail")
	res, err := f.eng.Apply(ctx, parse(t, b(18)), engine.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Applied || !slices.ContainsFunc(res.Plan.Warnings, func(w string) bool {
		return strings.Contains(w, `check "ck_users_age" of table "users": existing rows not counted before applying (ERROR: function grown(integer) does not exist`)
	}) {
		t.Errorf("applied %v, warnings %q: want applied, with a warning that the rows were not counted", res.Applied, res.Plan.Warnings)
	}
}
