package engine

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/ddl"
)

// TestSQLiteCacheSizedForTheSchema: before statements run, a session on a
// database file raises the connection's page cache to hold the schema
// table they leave, with SQLite's default cache on top, and echoes it;
// after statements run in two calls, the cache holds the whole schema
// table.
func TestSQLiteCacheSizedForTheSchema(t *testing.T) {
	ctx := context.Background()
	var echoed bytes.Buffer
	eng, err := Open(ctx, "sqlite:///"+filepath.Join(t.TempDir(), "test.db"), Options{Create: true, Echo: &echoed})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	// 400 tables of about 1 KiB of SQL each: a schema table of over 400
	// KiB, which the default cache of 2000 KiB would hold, so the test
	// checks the sum, not that SQLite would have thrashed.
	var stmts []ddl.Statement
	for i := range 400 {
		var cols []string
		for j := range 40 {
			cols = append(cols, fmt.Sprintf("column_number_%02d INTEGER", j))
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
	if first, create := strings.Index(log, "PRAGMA cache_size = -"), strings.Index(log, "CREATE TABLE"); first < 0 || first > create {
		t.Errorf("echo starts %.80q: want PRAGMA cache_size before the first statement", log)
	}
	if last := fmt.Sprintf("PRAGMA cache_size = %d;\n", cacheSize); !strings.Contains(log, last) {
		t.Errorf("echo lacks %q", last)
	}
	if need := schemaPages*pageSize/1024 + defaultCacheKiB; -cacheSize < need {
		t.Errorf("cache_size %d KiB; the schema table and the default cache need %d", -cacheSize, need)
	}
}

// TestSQLiteCacheInMemory: an in-memory database, which holds every page
// anyway, keeps its cache_size.
func TestSQLiteCacheInMemory(t *testing.T) {
	ctx := context.Background()
	var echoed bytes.Buffer
	eng, err := Open(ctx, "sqlite://", Options{Echo: &echoed})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	s := beginSession(t, eng)
	if err := s.exec(ctx, []ddl.Statement{{SQL: "CREATE TABLE a (id INTEGER)", Object: "table a"}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.commit(ctx); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(echoed.String(), "cache_size") {
		t.Errorf("in memory, the session set cache_size:\n%s", echoed.String())
	}
}

// TestCacheFor: the cache holds the schema table at a b-tree page's 70%
// fill, with SQLite's default cache on top, in whole MiB; a cache_size
// counts pages, or KiB when negative.
func TestCacheFor(t *testing.T) {
	for _, c := range []struct{ bytes, want int64 }{
		{0, 2048},
		{1 << 20, 4096},       // 1462 + 2000 KiB
		{4_400_000, 8192},     // 6138 + 2000
		{10 << 20, 17 * 1024}, // 14628 + 2000
	} {
		if got := cacheFor(c.bytes); got != c.want {
			t.Errorf("cacheFor(%d) = %d KiB, want %d", c.bytes, got, c.want)
		}
	}
	for _, c := range []struct{ size, page, want int64 }{
		{-2000, 4096, 2000},
		{2000, 4096, 8000},
		{100, 65536, 6400},
	} {
		if got := cacheKiB(c.size, c.page); got != c.want {
			t.Errorf("cacheKiB(%d, %d) = %d, want %d", c.size, c.page, got, c.want)
		}
	}
}
