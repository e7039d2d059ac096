package engine_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/dbtool/dbtool/metadata"
	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// database is one kind of database the tests run against.
type database struct {
	name string
	// dir holds the testdata schemas only this database can create.
	dir string
	url func(t *testing.T) string
	// extra are more schemas only this database can create.
	extra []string
}

var databases = []database{
	{name: "sqlite", dir: "sqlite", url: func(t *testing.T) string { return "sqlite:///" + filepath.Join(t.TempDir(), "test.db") }},
	{name: "postgres", dir: "postgres", url: func(t *testing.T) string { return pgtest.URL(t) },
		// The dialect's edge-case schema: every object and option of issue 3.
		extra: []string{"../ddl/postgres/testdata/edge.yaml"}},
}

// schemaFiles lists the testdata schemas for a database: the portable ones,
// the split directory, and the database's own.
func schemaFiles(t *testing.T, db database) []string {
	t.Helper()
	var out []string
	for _, dir := range []string{"../testdata/schemas", filepath.Join("../testdata/schemas", db.dir)} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			switch filepath.Ext(e.Name()) {
			case ".yaml", ".yml", ".json":
				out = append(out, filepath.Join(dir, e.Name()))
			}
		}
	}
	out = append(out, "../testdata/schemas/split")
	out = append(out, db.extra...)
	if len(out) < 10 {
		t.Fatalf("only %d testdata schemas found", len(out))
	}
	return out
}

func open(t *testing.T, url string, opts engine.Options) *engine.Engine {
	t.Helper()
	eng, err := engine.Open(context.Background(), url, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	return eng
}

func inspect(t *testing.T, eng *engine.Engine) *metadata.MetaData {
	t.Helper()
	res, err := eng.Inspect(context.Background(), inspector.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Schema
}

// naturalForm are the testdata schemas written as people write SQL, which
// PostgreSQL stores in another form (casts, parentheses, a re-laid view):
// they must plan no changes, but do not inspect back as written.
var naturalForm = map[string]bool{"shop.yaml": true}

// TestCreateAllRoundTrip is the central check: for every testdata schema
// on every database, create-all then inspect gives back the declared
// model; the YAML of the inspection reads back as the same model; a second
// create-all does nothing.
func TestCreateAllRoundTrip(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			for _, file := range schemaFiles(t, db) {
				t.Run(filepath.Base(file), func(t *testing.T) {
					t.Parallel()
					want, err := metadata.Load(file)
					if err != nil {
						t.Fatal(err)
					}
					eng := open(t, db.url(t), engine.Options{Create: true})
					ctx := context.Background()
					res, err := eng.CreateAll(ctx, want, engine.CreateAllOptions{})
					if err != nil {
						t.Fatal(err)
					}
					if len(res.Created) == 0 || len(res.Skipped) != 0 {
						t.Errorf("first run: created %v, skipped %v", res.Created, res.Skipped)
					}
					got := inspect(t, eng)
					// The central check: the declaration, written as a
					// person writes it, plans no change against what
					// create-all made of it.
					plan, err := eng.Plan(ctx, want, engine.PlanOptions{})
					if err != nil {
						t.Fatal(err)
					}
					if len(plan.Changes) != 0 {
						t.Fatalf("migrate plan after create-all is not empty:\n%s", describe(plan))
					}
					// SQLite keeps what it is given as written; so does
					// PostgreSQL for the files written in its own form.
					if db.name == "sqlite" || !naturalForm[filepath.Base(file)] {
						if diff := cmp.Diff(metadata.Canonical(want), metadata.Canonical(got)); diff != "" {
							t.Fatalf("inspect differs from the declaration (-declared +inspected):\n%s", diff)
						}
					}
					y, err := metadata.EncodeYAML(got)
					if err != nil {
						t.Fatal(err)
					}
					back, err := metadata.Parse("inspected.yaml", y)
					if err != nil {
						t.Fatalf("inspected YAML does not read back: %v\n%s", err, y)
					}
					if diff := cmp.Diff(metadata.Canonical(got), metadata.Canonical(back)); diff != "" {
						t.Errorf("YAML round trip (-inspected +read back):\n%s", diff)
					}
					again, err := eng.CreateAll(ctx, want, engine.CreateAllOptions{})
					if err != nil {
						t.Fatal(err)
					}
					if len(again.Statements) != 0 || len(again.Created) != 0 {
						t.Errorf("second run is not a no-op: %v", again.Created)
					}
					skipped := strings.Join(again.Skipped, "\n")
					for _, tb := range want.Tables {
						if !strings.Contains(skipped, metadata.QualifiedName(tb.Schema, tb.Name)) {
							t.Errorf("second run does not report table %s as skipped: %v", tb.Ref(), again.Skipped)
						}
					}
				})
			}
		})
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			want, err := metadata.Load("../testdata/schemas/shop.yaml")
			if err != nil {
				t.Fatal(err)
			}
			eng := open(t, db.url(t), engine.Options{Create: true})
			res, err := eng.CreateAll(context.Background(), want, engine.CreateAllOptions{DryRun: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Statements) == 0 {
				t.Fatal("a dry run planned no statement")
			}
			if got := inspect(t, eng); len(got.Tables)+len(got.Views) != 0 {
				t.Errorf("a dry run created %d tables and %d views", len(got.Tables), len(got.Views))
			}
		})
	}
}

// TestFailureLeavesNothing: a view with invalid SQL fails create-all with
// the database's error naming the view, and the tables created before it
// in the same transaction are gone.
func TestFailureLeavesNothing(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			m, err := metadata.Parse("bad_view.yaml", []byte(`
tables:
  - {name: t, columns: [{name: id, type: integer, primary_key: true}]}
  - {name: u, columns: [{name: id, type: integer}]}
views:
  - {name: broken, definition: "SELECT id FROM t WHERE"}
`))
			if err != nil {
				t.Fatal(err)
			}
			eng := open(t, db.url(t), engine.Options{Create: true})
			_, err = eng.CreateAll(context.Background(), m, engine.CreateAllOptions{})
			var se *engine.StatementError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a StatementError", err)
			}
			if !strings.Contains(err.Error(), `view "broken"`) || !strings.Contains(err.Error(), "WHERE") {
				t.Errorf("error does not name the view and its statement: %v", err)
			}
			if got := inspect(t, eng); len(got.Tables) != 0 {
				t.Errorf("tables left after a failed create-all: %v", got.Tables)
			}
		})
	}
}

// TestInvalidSchemaSendsNothing: a model that fails validation is refused
// before any statement reaches the database.
func TestInvalidSchemaSendsNothing(t *testing.T) {
	m := &metadata.MetaData{Tables: []metadata.Table{
		{Name: "ok", Columns: []metadata.Column{{Name: "id", Type: metadata.Integer{Bytes: 4}}}},
		{Name: "bad", Columns: []metadata.Column{{Name: "id", Type: metadata.Integer{Bytes: 4}}},
			Indexes: []metadata.Index{{Name: "ix", Parts: []metadata.IndexPart{{Column: "missing"}}}}},
	}}
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			var echo strings.Builder
			eng := open(t, db.url(t), engine.Options{Create: true, Echo: &echo})
			_, err := eng.CreateAll(context.Background(), m, engine.CreateAllOptions{})
			var ps metadata.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("error %v is not metadata.Problems", err)
			}
			if strings.Contains(strings.ToUpper(echo.String()), "CREATE") {
				t.Errorf("statements were sent:\n%s", echo.String())
			}
			if got := inspect(t, eng); len(got.Tables) != 0 {
				t.Errorf("tables created: %v", got.Tables)
			}
		})
	}
}

func TestCancelledContext(t *testing.T) {
	want, err := metadata.Load("../testdata/schemas/shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			eng := open(t, db.url(t), engine.Options{Create: true})
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if _, err := eng.CreateAll(ctx, want, engine.CreateAllOptions{}); !errors.Is(err, context.Canceled) {
				t.Errorf("CreateAll on a cancelled context: %v", err)
			}
			if got := inspect(t, eng); len(got.Tables) != 0 {
				t.Errorf("tables created: %v", got.Tables)
			}
		})
	}
}

func TestInspectMissingSQLiteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.db")
	_, err := engine.Open(context.Background(), "sqlite:///"+path, engine.Options{})
	if !errors.Is(err, engine.ErrNoDatabase) {
		t.Fatalf("error = %v, want ErrNoDatabase", err)
	}
	if _, statErr := os.Stat(path); statErr == nil {
		t.Error("opening for inspection created the file")
	}
	// A dry run plans against it as an empty database, still without creating it.
	eng := open(t, "sqlite:///"+path, engine.Options{MissingAsEmpty: true})
	if got := inspect(t, eng); len(got.Tables) != 0 {
		t.Errorf("tables in a missing database: %v", got.Tables)
	}
	if _, statErr := os.Stat(path); statErr == nil {
		t.Error("MissingAsEmpty created the file")
	}
}

func TestOpenNonDatabaseFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.db")
	if err := os.WriteFile(path, []byte("these are my notes, not a database\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := engine.Open(context.Background(), path, engine.Options{})
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "not a database") {
		t.Fatalf("error = %v", err)
	}
}

// TestPortableDefaultOnSQLite: default now(), as SQLAlchemy's tutorial
// declares server_default=func.now(), is created as CURRENT_TIMESTAMP on
// SQLite, so rows can be inserted, and reads back so. A default SQLite
// cannot evaluate is refused before anything is written, naming the
// column.
func TestPortableDefaultOnSQLite(t *testing.T) {
	m, err := metadata.Parse("now.yaml", []byte(`
tables:
  - name: user_account
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: created_at, type: timestamp, nullable: false, default: {expr: now()}}
`))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "now.db")
	eng := open(t, "sqlite:///"+path, engine.Options{Create: true})
	if _, err := eng.CreateAll(context.Background(), m, engine.CreateAllOptions{}); err != nil {
		t.Fatal(err)
	}
	got := inspect(t, eng).Tables[0].Columns[1].Default
	if got != (metadata.Expr{SQL: "CURRENT_TIMESTAMP"}) {
		t.Errorf("default reads back as %#v, want CURRENT_TIMESTAMP", got)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var at string
	if err := db.QueryRow(`INSERT INTO user_account (id) VALUES (1) RETURNING CAST(created_at AS TEXT)`).Scan(&at); err != nil || len(at) != len("2006-01-02 15:04:05") {
		t.Errorf("insert: %q, %v; want the time of the insert", at, err)
	}

	bad, err := metadata.Parse("bad.yaml", []byte(`
tables:
  - {name: ok, columns: [{name: id, type: integer}]}
  - name: events
    columns:
      - {name: id, type: uuid, primary_key: true, default: {expr: gen_random_uuid()}}
`))
	if err != nil {
		t.Fatal(err)
	}
	var echo strings.Builder
	eng2 := open(t, "sqlite:///"+filepath.Join(t.TempDir(), "bad.db"), engine.Options{Create: true, Echo: &echo})
	_, err = eng2.CreateAll(context.Background(), bad, engine.CreateAllOptions{})
	var ps metadata.Problems
	if !errors.As(err, &ps) || !strings.Contains(err.Error(), `column "events"."id"`) || !strings.Contains(err.Error(), "no such function: gen_random_uuid") {
		t.Fatalf("error %v, want a problem naming the column and the function", err)
	}
	if strings.Contains(strings.ToUpper(echo.String()), "CREATE") {
		t.Errorf("statements were sent:\n%s", echo.String())
	}
}

// TestServerHintKept: when PostgreSQL refuses a statement, its HINT is in
// the error's message and the *pgconn.PgError is still reachable. The
// statement is SQLite's datetime('now') declared as a PostgreSQL default.
func TestServerHintKept(t *testing.T) {
	m, err := metadata.Parse("sqlite_default.yaml", []byte(`
tables:
  - name: events
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: at, type: text, default: {expr: "datetime('now')"}}
`))
	if err != nil {
		t.Fatal(err)
	}
	eng := open(t, pgtest.URL(t), engine.Options{})
	_, err = eng.CreateAll(context.Background(), m, engine.CreateAllOptions{})
	var pg *pgconn.PgError
	if !errors.As(err, &pg) || pg.Hint == "" {
		t.Fatalf("error %v: want a *pgconn.PgError with a hint", err)
	}
	for _, want := range []string{`creating table "events"`, "function datetime(unknown) does not exist", "\nHINT: " + pg.Hint, "\nstatement: CREATE TABLE"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// TestCreateAllProgress: Progress is told of every statement, in order,
// before it is sent.
func TestCreateAllProgress(t *testing.T) {
	m, err := metadata.Load("../testdata/schemas/shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			eng := open(t, db.url(t), engine.Options{Create: true})
			var got []engine.Progress
			res, err := eng.CreateAll(context.Background(), m, engine.CreateAllOptions{Progress: func(p engine.Progress) { got = append(got, p) }})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(res.Statements) || len(got) == 0 {
				t.Fatalf("%d progress calls for %d statements", len(got), len(res.Statements))
			}
			for i, p := range got {
				if p.Done != i || p.Total != len(res.Statements) || p.Object != res.Statements[i].Object {
					t.Errorf("call %d: %+v, want statement %d of %d about %s", i, p, i, len(res.Statements), res.Statements[i].Object)
				}
			}
		})
	}
}
