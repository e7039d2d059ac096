package postgres

import (
	"context"
	"os"
	"testing"
	"time"

	pgddl "github.com/dbtool/dbtool/ddl/postgres"
	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// testDB is a fresh database of a test's own.
type testDB struct {
	t    testing.TB
	url  string
	pool *pgxpool.Pool
}

// newDB returns a fresh, empty database, closed when the test ends.
func newDB(t testing.TB) *testDB {
	t.Helper()
	url := pgtest.URL(t)
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	t.Cleanup(pool.Close)
	return &testDB{t: t, url: url, pool: pool}
}

// exec runs SQL (several statements may be separated by semicolons).
func (db *testDB) exec(sql string) {
	db.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		db.t.Fatal(err)
	}
	defer conn.Release()
	// The simple protocol runs several statements at once.
	if _, err := conn.Conn().PgConn().Exec(ctx, sql).ReadAll(); err != nil {
		db.t.Fatalf("executing %s: %v", sql, err)
	}
}

// inspect reflects the database.
func (db *testDB) inspect(opts inspector.Options) *inspector.Result {
	db.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := New(db.pool).Inspect(ctx, opts)
	if err != nil {
		db.t.Fatalf("inspect: %v", err)
	}
	return res
}

// createAll creates m as create-all does: migrate plans, the PostgreSQL
// dialect writes the statements, and they run in one transaction.
func (db *testDB) createAll(m *metadata.MetaData) {
	db.t.Helper()
	if err := metadata.Validate(m); err != nil {
		db.t.Fatalf("the model is invalid:\n%v", err)
	}
	d := pgddl.Dialect{}
	if err := d.Check(m); err != nil {
		db.t.Fatalf("the dialect refuses the model:\n%v", err)
	}
	stmts, err := d.Plan(migrate.PlanCreateAll(m, nil).Changes)
	if err != nil {
		db.t.Fatalf("planning: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		db.t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s.SQL); err != nil {
			db.t.Fatalf("creating %s: %v\n%s", s.Object, err, s.SQL)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		db.t.Fatal(err)
	}
}

// diffModels compares two models in canonical order; "" when equal.
func diffModels(want, got *metadata.MetaData) string {
	return cmp.Diff(metadata.Canonical(want), metadata.Canonical(got))
}
