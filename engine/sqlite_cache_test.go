package engine

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/internal/sqlitecache"
)

// TestSQLiteCacheSizedForTheSchema: before statements run, a session on a
// database file raises the connection's page cache to hold the schema
// table they leave, with SQLite's default cache on top, once the table
// would take more than half the cache, and echoes it; after statements
// run in two calls, the cache holds the whole schema table.
func TestSQLiteCacheSizedForTheSchema(t *testing.T) {
	ctx := context.Background()
	eng, echoed := echoingEngine(t, "sqlite:///"+filepath.Join(t.TempDir(), "test.db"))
	// 400 tables of about 3 KiB of SQL each: a schema table of about 1.3
	// MiB, over half the default cache of 2000 KiB. The first 10 fit in
	// it.
	var stmts []ddl.Statement
	for i := range 400 {
		var cols []string
		for j := range 120 {
			cols = append(cols, fmt.Sprintf("column_number_%03d INTEGER", j))
		}
		stmts = append(stmts, ddl.Statement{SQL: fmt.Sprintf("CREATE TABLE t%03d (%s)", i, strings.Join(cols, ", ")), Object: fmt.Sprintf("table t%03d", i)})
	}
	s := beginSession(t, eng)
	if err := s.exec(ctx, stmts[:10], nil); err != nil {
		t.Fatal(err)
	}
	if err := s.exec(ctx, stmts[10:], nil); err != nil {
		t.Fatal(err)
	}
	ss := s.(*sqliteSession)
	var cacheSize, schemaPages, pageSize int64
	if err := ss.conn.QueryRowContext(ctx, `SELECT (SELECT cache_size FROM pragma_cache_size),
  (SELECT count(*) FROM dbstat WHERE name = 'sqlite_schema'), (SELECT page_size FROM pragma_page_size)`).Scan(&cacheSize, &schemaPages, &pageSize); err != nil {
		t.Fatal(err)
	}
	if err := s.commit(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("cache_size %d; the schema table has %d pages of %d bytes", cacheSize, schemaPages, pageSize)
	log := echoed.String()
	pragma, second := strings.Index(log, "PRAGMA cache_size = -"), strings.Index(log, "CREATE TABLE t010 ")
	if pragma < 0 || pragma > second || pragma < strings.Index(log, "CREATE TABLE t009 ") {
		t.Errorf("PRAGMA cache_size echoed at %d, want it between the calls, before %d:\n%.300s", pragma, second, log)
	}
	if last := fmt.Sprintf("PRAGMA cache_size = %d;\n", cacheSize); !strings.Contains(log, last) {
		t.Errorf("echo lacks %q", last)
	}
	if need := schemaPages*pageSize/1024 + sqlitecache.DefaultKiB; -cacheSize < need {
		t.Errorf("cache_size %d KiB; the schema table and the default cache need %d", -cacheSize, need)
	}
}

// TestSQLiteCacheLeftAlone: a plan whose schema table takes less than
// half the cache, and an in-memory database, which holds every page
// anyway, leave the cache, and the echo, as they were.
func TestSQLiteCacheLeftAlone(t *testing.T) {
	var small []ddl.Statement
	for i := range 100 {
		small = append(small, ddl.Statement{SQL: fmt.Sprintf("CREATE TABLE t%03d (id INTEGER PRIMARY KEY, name TEXT NOT NULL)", i), Object: fmt.Sprintf("table t%03d", i)})
	}
	for _, c := range []struct {
		name, url string
		stmts     []ddl.Statement
	}{
		{"small schema", "sqlite:///" + filepath.Join(t.TempDir(), "test.db"), small},
		{"in memory", "sqlite://", []ddl.Statement{{SQL: "CREATE TABLE a (id INTEGER)", Object: "table a"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			eng, echoed := echoingEngine(t, c.url)
			s := beginSession(t, eng)
			if err := s.exec(ctx, c.stmts, nil); err != nil {
				t.Fatal(err)
			}
			if err := s.commit(ctx); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(echoed.String(), "cache_size") {
				t.Errorf("the session set cache_size:\n%.300s", echoed.String())
			}
		})
	}
}

// echoingEngine opens a database, created when missing, with its
// statements echoed to the buffer it returns.
func echoingEngine(t *testing.T, url string) (*Engine, *bytes.Buffer) {
	t.Helper()
	var echoed bytes.Buffer
	eng, err := Open(context.Background(), url, Options{Create: true, Echo: &echoed})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	return eng, &echoed
}
