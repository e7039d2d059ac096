package pgtest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Run(m)) }

// TestURL checks that a URL reaches a working, empty database of its own.
func TestURL(t *testing.T) {
	ctx := context.Background()
	u1, u2 := URL(t), URL(t)
	if u1 == u2 {
		t.Fatalf("two URLs are the same: %s", u1)
	}
	c1 := conn(t, u1)
	c2 := conn(t, u2)
	var db1, db2 string
	if err := c1.QueryRow(ctx, "SELECT current_database()").Scan(&db1); err != nil {
		t.Fatal(err)
	}
	if err := c2.QueryRow(ctx, "SELECT current_database()").Scan(&db2); err != nil {
		t.Fatal(err)
	}
	if db1 == db2 {
		t.Fatalf("both URLs reach database %s", db1)
	}
	// A table made in one database is not in the other.
	if _, err := c1.Exec(ctx, "CREATE TABLE only_here (id integer)"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := c2.QueryRow(ctx, "SELECT count(*) FROM pg_class WHERE relname = 'only_here'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("table of %s visible in %s", db1, db2)
	}
	// Fresh means no user tables at all.
	if err := c2.QueryRow(ctx, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("a fresh database holds %d relations", n)
	}
	var enc string
	if err := c1.QueryRow(ctx, "SHOW server_encoding").Scan(&enc); err != nil {
		t.Fatal(err)
	}
	if enc != "UTF8" {
		t.Errorf("server_encoding = %s, want UTF8", enc)
	}
}

// TestDropped checks that a test's database is gone once the test ends,
// even when a connection to it is still open.
func TestDropped(t *testing.T) {
	ctx := context.Background()
	var name string
	outer := t
	t.Run("inner", func(t *testing.T) {
		c, err := pgx.Connect(ctx, URL(t))
		if err != nil {
			t.Fatal(err)
		}
		// Still open when the inner test's database is dropped: WITH
		// (FORCE) must cope.
		outer.Cleanup(func() { _ = c.Close(context.Background()) })
		if err := c.QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
	})
	if name == "" {
		t.Fatal("inner test did not run")
	}
	// Ask from another database of the same server.
	c := conn(t, URL(t))
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("database %s still exists after its test", name)
	}
}

// TestParallel checks that parallel tests each get their own database.
func TestParallel(t *testing.T) {
	for _, name := range []string{"a", "b", "c", "d"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := conn(t, URL(t))
			if _, err := c.Exec(context.Background(), "CREATE TABLE same_name (id integer)"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestBin checks that the server's programs are found and are of its
// version.
func TestBin(t *testing.T) {
	c := conn(t, URL(t))
	var version string
	if err := c.QueryRow(context.Background(), "SHOW server_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	major, _, _ := strings.Cut(version, ".")
	for _, name := range []string{"psql", "pg_dump"} {
		p := Bin(name)
		if p == "" {
			t.Errorf("Bin(%q) not found", name)
			continue
		}
		out, err := exec.Command(p, "--version").Output()
		if err != nil {
			t.Fatalf("%s --version: %v", p, err)
		}
		if !strings.Contains(string(out), " "+major+".") {
			t.Errorf("%s is %q, server is %s", p, strings.TrimSpace(string(out)), version)
		}
	}
	if p := Bin("no_such_program_here"); p != "" {
		t.Errorf("Bin of a missing program = %q, want \"\"", p)
	}
}

func TestDBName(t *testing.T) {
	long := strings.Repeat("X/y z", 40)
	a, b := dbName(long), dbName(long)
	if a == b {
		t.Errorf("dbName twice gave %s", a)
	}
	if len(a) > 63 {
		t.Errorf("dbName is %d bytes: %s", len(a), a)
	}
	for _, r := range a {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			t.Fatalf("dbName %q holds %q", a, r)
		}
	}
}

func conn(t *testing.T, u string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}

// TestExternal checks the DBTOOL_TEST_POSTGRES_URL path: a server given by
// URL (here, a database of the cluster) is asked its version, and tests get
// their databases on it.
func TestExternal(t *testing.T) {
	ctx := context.Background()
	s, err := external(ctx, URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.admin.Close()
	if s.version < 100000 {
		t.Errorf("version %d", s.version)
	}
	var name string
	t.Run("inner", func(t *testing.T) {
		c := conn(t, s.database(t))
		if err := c.QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
	})
	var n int
	if err := s.admin.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if name == "" || n != 0 {
		t.Errorf("database %q: %d left after its test", name, n)
	}
	if _, err := external(ctx, "postgres://127.0.0.1:1/x?connect_timeout=2"); err == nil {
		t.Error("external of an unreachable server: no error")
	}
}

// TestDedicatedURL: a dedicated server runs with the settings asked for,
// apart from the shared one, and is gone when its test ends.
func TestDedicatedURL(t *testing.T) {
	ctx := context.Background()
	var addr string
	t.Run("server", func(t *testing.T) {
		u := DedicatedURL(t, "max_locks_per_transaction=10", "max_connections=12")
		c := conn(t, u)
		var locks, conns string
		if err := c.QueryRow(ctx, "SELECT current_setting('max_locks_per_transaction'), current_setting('max_connections')").Scan(&locks, &conns); err != nil {
			t.Fatal(err)
		}
		if locks != "10" || conns != "12" {
			t.Errorf("max_locks_per_transaction %s, max_connections %s; want 10 and 12", locks, conns)
		}
		if shared := conn(t, URL(t)); shared.Config().Port == c.Config().Port {
			t.Error("the dedicated server is the shared one")
		}
		addr = u
	})
	if addr == "" {
		return
	}
	if c, err := pgx.Connect(ctx, addr); err == nil {
		c.Close(ctx)
		t.Error("the dedicated server still runs after its test")
	}
}
