// Package pgtest gives tests a real PostgreSQL server, started by the test
// binary itself. A package that needs one declares
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }
//
// and each test asks for a fresh, empty database with URL(t). The first
// call starts a throwaway cluster (initdb in a temporary directory, a free
// TCP port on 127.0.0.1, trust authentication, durability switched off);
// Run stops it and removes its directory when the tests are done. When
// DBTOOL_TEST_POSTGRES_URL is set, that server is used instead and only
// the per-test databases are created and dropped on it.
//
// The server runs as a child of the test binary with a parent-death
// signal, so a test binary that crashes or is killed takes its server down
// with it; only the temporary directory of such a run is left behind, and
// the next run removes it.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// EnvURL names the environment variable holding the URL of an existing
// server to use instead of starting one. Its user must be allowed to
// create and drop databases.
const EnvURL = "DBTOOL_TEST_POSTGRES_URL"

// installHint tells a developer how to get PostgreSQL.
const installHint = "install PostgreSQL's server (Debian/Ubuntu: apt-get install postgresql; " +
	"macOS: brew install postgresql) or set " + EnvURL + " to a server's URL"

var (
	mu       sync.Mutex
	srv      *server // the running server, once started
	startErr error   // why it could not start, once tried
	started  bool    // whether starting was tried
	seq      atomic.Int64
)

// server is the PostgreSQL the tests use: one this package started
// (cluster != nil) or an external one.
type server struct {
	cluster *cluster
	base    *url.URL      // URL of the maintenance database
	admin   *pgxpool.Pool // connections to base, to create and drop databases
	binDir  string        // the server's programs, "" if unknown
	version int           // server_version_num
}

// unavailableError means PostgreSQL is not installed: the tests skip
// (fail under CI=true). Any other start failure fails the test.
type unavailableError struct{ msg string }

func (e *unavailableError) Error() string { return e.msg }

// Run runs the package's tests and stops the cluster afterwards. It returns
// the exit code for os.Exit.
func Run(m *testing.M) int {
	code := m.Run()
	mu.Lock()
	defer mu.Unlock()
	if srv != nil {
		if err := srv.close(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: stopping PostgreSQL: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
		srv = nil
	}
	return code
}

// URL returns the URL of a fresh, empty database for this test, dropped
// (with force) when the test ends. The first call starts the server, once
// per test binary. Without PostgreSQL on the machine it skips the test
// with a message saying how to install it, except under CI=true, where it
// fails the test.
func URL(t testing.TB) string {
	t.Helper()
	s, err := get()
	if err != nil {
		skipOrFail(t, err)
		return ""
	}
	return s.database(t)
}

// DedicatedURL starts a server of the test's own with settings
// ("name=value", as postgres -c takes them) added to the defaults, for a
// test that needs what the shared server must not have (a small
// max_locks_per_transaction), and returns the URL of an empty database on
// it. The server is stopped and removed when the test ends. It needs
// PostgreSQL's programs on this machine even when EnvURL is set; without
// them it skips (fails under CI=true), as URL does.
func DedicatedURL(t testing.TB, settings ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := startCluster(ctx, settings...)
	if err != nil {
		skipOrFail(t, err)
		return ""
	}
	s := &server{cluster: c, base: c.url("postgres"), binDir: c.binDir}
	if s.admin, err = connect(ctx, s.base); err != nil {
		_ = c.stop()
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		if err := s.close(); err != nil {
			t.Errorf("pgtest: stopping the dedicated server: %v", err)
		}
	})
	if err := s.readVersion(ctx); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return s.database(t)
}

// database creates a database for a test, dropped when it ends, and
// returns its URL.
func (s *server) database(t testing.TB) string {
	t.Helper()
	name := dbName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ident := pgx.Identifier{name}.Sanitize()
	// template0 is pristine whatever the server; copying its files is
	// faster than logging every block (PostgreSQL 15's default).
	create := "CREATE DATABASE " + ident + " TEMPLATE template0"
	if s.version >= 150000 {
		create += " STRATEGY FILE_COPY"
	}
	if _, err := s.admin.Exec(ctx, create); err != nil {
		t.Fatalf("pgtest: creating database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := s.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: dropping database %s: %v", name, err)
		}
	})
	u := *s.base
	u.Path = "/" + name
	return u.String()
}

// PasswordGroup is the role whose members the server this package starts
// makes authenticate with a password (scram-sha-256) over TCP; everyone
// else is trusted.
const PasswordGroup = "pgtest_password"

// PasswordURL creates a login role with password, a member of
// PasswordGroup, and a fresh database it owns, both dropped when the test
// ends, and returns the database's URL with the role's name and without
// its password. The server refuses the role without that password: that is
// checked here, and on a server given by DBTOOL_TEST_POSTGRES_URL that
// does not (its pg_hba.conf trusts the role) the test skips with a message,
// or fails under CI=true.
func PasswordURL(t testing.TB, password string) *url.URL {
	t.Helper()
	s, err := get()
	if err != nil {
		skipOrFail(t, err)
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	role := fmt.Sprintf("pgtest_pw_%d_%d", os.Getpid(), seq.Add(1))
	ident := pgx.Identifier{role}.Sanitize()
	// CREATE ROLE takes no parameters: the password is a literal, quoted
	// for standard_conforming_strings (on since PostgreSQL 9.1).
	literal := "'" + strings.ReplaceAll(password, "'", "''") + "'"
	if _, err := s.admin.Exec(ctx, `DO $$ BEGIN CREATE ROLE `+PasswordGroup+` NOLOGIN;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`); err != nil {
		t.Fatalf("pgtest: creating role %s: %v", PasswordGroup, err)
	}
	if _, err := s.admin.Exec(ctx, "CREATE ROLE "+ident+" LOGIN PASSWORD "+literal+" IN ROLE "+PasswordGroup); err != nil {
		t.Fatalf("pgtest: creating role %s: %v", role, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := s.admin.Exec(ctx, "DROP ROLE IF EXISTS "+ident); err != nil {
			t.Errorf("pgtest: dropping role %s: %v", role, err)
		}
	})
	// Cleanups run last first: the database goes before its owner.
	u, err := url.Parse(s.database(t))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	db := pgx.Identifier{strings.TrimPrefix(u.Path, "/")}.Sanitize()
	if _, err := s.admin.Exec(ctx, "ALTER DATABASE "+db+" OWNER TO "+ident); err != nil {
		t.Fatalf("pgtest: giving database %s to %s: %v", db, role, err)
	}
	u.User = url.User(role)
	wrong := *u
	wrong.User = url.UserPassword(role, password+"-wrong")
	conn, err := pgx.Connect(ctx, wrong.String())
	var pgErr *pgconn.PgError
	switch {
	case err == nil && s.cluster == nil:
		conn.Close(ctx)
		skipOrFail(t, &unavailableError{"the server at " + EnvURL + " lets role " + role + " in without its password (its pg_hba.conf trusts it)"})
		return nil
	case err == nil:
		conn.Close(ctx)
		t.Fatalf("pgtest: the server let role %s in with a wrong password", role)
	case !errors.As(err, &pgErr) || pgErr.Code != "28P01":
		t.Fatalf("pgtest: connecting as %s with a wrong password: %v, want invalid_password (28P01)", role, err)
	}
	return u
}

// skipOrFail skips a test when PostgreSQL is not installed, unless
// CI=true; any other failure to start fails it.
func skipOrFail(t testing.TB, err error) {
	t.Helper()
	var u *unavailableError
	if errors.As(err, &u) && os.Getenv("CI") != "true" {
		t.Skipf("pgtest: PostgreSQL is not available: %v", err)
		return
	}
	t.Fatalf("pgtest: PostgreSQL is not available: %v", err)
}

// Bin returns the path of a PostgreSQL client or server program ("psql",
// "pg_dump") of the running server's version, or "" if absent. Before the
// server is started, it looks where the server would be found.
func Bin(name string) string {
	mu.Lock()
	s := srv
	mu.Unlock()
	dir := ""
	if s != nil {
		dir = s.binDir
	} else if d, err := findBinDir(); err == nil {
		dir = d
	}
	return lookBin(dir, name)
}

// get returns the server, starting it on the first call.
func get() (*server, error) {
	mu.Lock()
	defer mu.Unlock()
	if !started {
		started = true
		srv, startErr = start()
	}
	return srv, startErr
}

// start connects to the external server or starts a cluster.
func start() (*server, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if raw := os.Getenv(EnvURL); raw != "" {
		return external(ctx, raw)
	}
	c, err := startCluster(ctx)
	if err != nil {
		return nil, err
	}
	s := &server{cluster: c, base: c.url("postgres"), binDir: c.binDir}
	if s.admin, err = connect(ctx, s.base); err != nil {
		_ = c.stop()
		return nil, err
	}
	if err := s.readVersion(ctx); err != nil {
		_ = s.close()
		return nil, err
	}
	return s, nil
}

// readVersion asks the server its version.
func (s *server) readVersion(ctx context.Context) error {
	if err := s.admin.QueryRow(ctx,
		"SELECT current_setting('server_version_num')::int").Scan(&s.version); err != nil {
		return fmt.Errorf("reading the server's version: %w", err)
	}
	return nil
}

// external uses the server at raw.
func external(ctx context.Context, raw string) (*server, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvURL, err)
	}
	s := &server{base: u}
	if s.admin, err = connect(ctx, u); err != nil {
		return nil, err
	}
	if err := s.readVersion(ctx); err != nil {
		s.admin.Close()
		return nil, fmt.Errorf("%s: %w", EnvURL, err)
	}
	s.binDir = binDirForMajor(s.version / 10000)
	return s, nil
}

// connect opens a small pool on u and checks it answers.
func connect(ctx context.Context, u *url.URL) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(u.String())
	if err != nil {
		return nil, fmt.Errorf("parsing the server URL: %w", err)
	}
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", u.Redacted(), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connecting to %s: %w", u.Redacted(), err)
	}
	return pool, nil
}

// close drops the admin connections and stops a cluster this package
// started.
func (s *server) close() error {
	s.admin.Close()
	if s.cluster != nil {
		return s.cluster.stop()
	}
	return nil
}

// dbName makes a database name unique in this server: the test's name
// (sanitised, shortened), the process id and a counter, within
// PostgreSQL's 63 bytes.
func dbName(test string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(test) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 32 {
			break
		}
	}
	return fmt.Sprintf("pgtest_%s_%d_%d", b.String(), os.Getpid(), seq.Add(1))
}
