package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dbtool/dbtool/internal/cli"
	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/rogpeppe/go-internal/testscript"
	_ "modernc.org/sqlite"
)

// pgRunner stops the test PostgreSQL cluster, if a script started one,
// after the tests.
type pgRunner struct{ m *testing.M }

func (r pgRunner) Run() int { return pgtest.Run(r.m) }

func TestMain(m *testing.M) {
	// Scripts run "dbtool" as a real program: this test binary, re-run
	// with the real main.
	testscript.Main(pgRunner{m}, map[string]func(){
		"dbtool": func() { os.Exit(cli.Main()) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script against
// SQLite files, and those that need no server (unreachable PostgreSQL).
func TestScripts(t *testing.T) {
	testscript.Run(t, params(t, "script"))
}

// TestScriptsPostgres runs the scripts in testdata/script/postgres, each
// with $PGURL naming a fresh database on a real PostgreSQL server
// (internal/pgtest).
func TestScriptsPostgres(t *testing.T) {
	p := params(t, filepath.Join("script", "postgres"))
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		if err := setup(env); err != nil {
			return err
		}
		tb, ok := env.T().(testing.TB)
		if !ok {
			return errors.New("testscript's T is not a testing.TB")
		}
		env.Values[tbKey{}] = tb
		locks := &pgLocks{}
		env.Values[pgLocksKey{}] = locks
		env.Defer(locks.release)
		raw := pgtest.URL(tb)
		env.Setenv("PGURL", raw)
		u, err := url.Parse(raw)
		if err != nil {
			return err
		}
		// The same database with a password the server ignores (the test
		// cluster trusts local connections): it must never be printed.
		user := "postgres"
		if u.User != nil && u.User.Username() != "" {
			user = u.User.Username()
		}
		u.User = url.UserPassword(user, "s3cret")
		env.Setenv("PGURL_SECRET", u.String())
		// A database that does not exist on the server.
		missing := *u
		missing.Path += "_nonexistent"
		env.Setenv("PGURL_MISSING", missing.String())
		// psql, to run the SQL dbtool prints as its users would.
		env.Setenv("PSQL", pgtest.Bin("psql"))
		// The same database as a role that may not create databases.
		nocreate, err := roleWithoutCreateDB(tb, raw)
		if err != nil {
			return err
		}
		u.User = url.User(nocreate)
		env.Setenv("PGURL_NOCREATEDB", u.String())
		return nil
	}
	p.Cmds["pgquery"] = cmdPGQuery
	p.Cmds["pgscratchgone"] = cmdPGScratchGone
	p.Cmds["pgpassword"] = cmdPGPassword
	p.Cmds["pglock"] = cmdPGLock
	p.Cmds["pgunlock"] = cmdPGUnlock
	p.Cmds["pgwaitlock"] = cmdPGWaitLock
	testscript.Run(t, p)
}

// tbKey holds a PostgreSQL script's testing.TB in its env.Values.
type tbKey struct{}

// cmdPGPassword makes a role that the server makes give PASSWORD, and a
// database it owns (pgtest.PasswordURL), and sets $NAME to the database's
// URL with the password typed in as it is (but '%' as %25), and
// $NAME_WRONG to the same with a wrong password:
//
//	pgpassword NAME PASSWORD
func cmdPGPassword(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: pgpassword NAME PASSWORD")
	}
	u := pgtest.PasswordURL(ts.Value(tbKey{}).(testing.TB), args[1])
	typed := func(pw string) string {
		return "postgresql://" + u.User.Username() + ":" + strings.ReplaceAll(pw, "%", "%25") + "@" + u.Host + u.Path
	}
	ts.Setenv(args[0], typed(args[1]))
	ts.Setenv(args[0]+"_WRONG", typed("Wr0ng"+args[1]))
}

func params(t *testing.T, dir string) testscript.Params {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	schemas := filepath.Join(root, "testdata", "schemas")
	return testscript.Params{
		Dir:                 filepath.Join(root, "testdata", dir),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			// $SCHEMAS holds the shared test schemas, when present.
			env.Setenv("SCHEMAS", schemas)
			// $BLACKHOLE is host:port of a server that accepts connections
			// and never answers: a connection that hangs.
			b, err := blackhole()
			if err != nil {
				return err
			}
			env.Defer(b.close)
			env.Values[blackholeKey{}] = b
			env.Setenv("BLACKHOLE", b.addr())
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "schemas":
				// [schemas]: testdata/schemas exists.
				fi, err := os.Stat(schemas)
				return err == nil && fi.IsDir(), nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":         cmdExits,
			"sqlite":        cmdSQLite,
			"sqlite-script": cmdSQLiteScript,
			"pgexec":        cmdPGExec,
			"waitconn":      cmdWaitConn,
		},
	}
}

// cmdExits runs a program and checks its exit code:
//
//	exits CODE program [args...]
//
// Its stdout and stderr are kept for the stdout and stderr commands.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		got = exit.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited with code %d, want %d", args[1], got, want)
	}
}

// cmdSQLite runs SQL on a SQLite file, independently of dbtool, and
// prints the rows of a query, one per line, columns separated by '|':
//
//	sqlite FILE SQL
//
// The file must exist: the command never creates one.
// cmdSQLiteScript runs a SQL script file, as `sqlite3 FILE < SCRIPT`
// would, creating the database file if needed: sqlite-script FILE SCRIPT.
func cmdSQLiteScript(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: sqlite-script FILE SCRIPT")
	}
	script := ts.ReadFile(args[1])
	db, err := sql.Open("sqlite", "file:"+ts.MkAbs(args[0]))
	if err != nil {
		ts.Fatalf("sqlite-script: %v", err)
	}
	defer db.Close()
	_, err = db.Exec(script)
	switch {
	case err != nil && !neg:
		ts.Fatalf("sqlite-script: %v", err)
	case err == nil && neg:
		ts.Fatalf("sqlite-script: unexpected success")
	}
}

func cmdSQLite(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: sqlite FILE SQL")
	}
	path := ts.MkAbs(args[0])
	if _, err := os.Stat(path); err != nil {
		ts.Fatalf("sqlite: %v", err)
	}
	err := func() error {
		db, err := sql.Open("sqlite", "file:"+path+"?mode=rw")
		if err != nil {
			return err
		}
		defer db.Close()
		rows, err := db.Query(args[1])
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			out := make([]string, len(vals))
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				out[i] = fmt.Sprint(v)
			}
			fmt.Fprintln(ts.Stdout(), strings.Join(out, "|"))
		}
		return rows.Err()
	}()
	switch {
	case err != nil && !neg:
		ts.Fatalf("sqlite: %v", err)
	case err == nil && neg:
		ts.Fatalf("sqlite: unexpected success")
	}
}

// cmdPGExec runs SQL on a PostgreSQL database, independently of dbtool:
//
//	pgexec URL SQL
func cmdPGExec(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: pgexec URL SQL")
	}
	ctx, conn, done := pgCommandConn(ts, "pgexec", args[0])
	defer done()
	if _, err := conn.Exec(ctx, args[1]); err != nil {
		ts.Fatalf("pgexec: %v", err)
	}
}

// pgCommandConn connects the script command name to the database at url,
// with a minute for its work; done closes the connection.
func pgCommandConn(ts *testscript.TestScript, name, url string) (ctx context.Context, conn *pgx.Conn, done func()) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		cancel()
		ts.Fatalf("%s: %v", name, err)
	}
	return ctx, conn, func() {
		conn.Close(ctx)
		cancel()
	}
}

// pgLocks are the table locks a script holds (pglock), each in an open
// transaction on a connection of its own.
type pgLocks struct {
	mu    sync.Mutex
	conns []*pgx.Conn
}

type pgLocksKey struct{}

// release rolls back every lock's transaction and closes its connection.
func (l *pgLocks) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.conns {
		c.Close(context.Background())
	}
	l.conns = nil
}

// cmdPGLock locks a table in ACCESS EXCLUSIVE mode until pgunlock (or the
// script's end), so that a dbtool that alters it waits:
//
//	pglock URL TABLE
func cmdPGLock(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: pglock URL TABLE")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, args[0])
	if err != nil {
		ts.Fatalf("pglock: %v", err)
	}
	if _, err := conn.Exec(ctx, "BEGIN; LOCK TABLE "+pgx.Identifier{args[1]}.Sanitize()+" IN ACCESS EXCLUSIVE MODE"); err != nil {
		conn.Close(ctx)
		ts.Fatalf("pglock: %v", err)
	}
	l := ts.Value(pgLocksKey{}).(*pgLocks)
	l.mu.Lock()
	l.conns = append(l.conns, conn)
	l.mu.Unlock()
}

// cmdPGUnlock releases the locks pglock took:
//
//	pgunlock
func cmdPGUnlock(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: pgunlock")
	}
	ts.Value(pgLocksKey{}).(*pgLocks).release()
}

// cmdPGWaitLock waits until a session of the database waits for a lock,
// and prints its query: a background dbtool is then surely blocked on a
// table pglock holds.
//
//	pgwaitlock URL
func cmdPGWaitLock(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: pgwaitlock URL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, args[0])
	if err != nil {
		ts.Fatalf("pgwaitlock: %v", err)
	}
	defer conn.Close(ctx)
	for {
		// Each query is its own transaction, so each sees
		// pg_stat_activity afresh.
		var query string
		err := conn.QueryRow(ctx, `SELECT query FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' LIMIT 1`).Scan(&query)
		switch {
		case err == nil:
			fmt.Fprintln(ts.Stdout(), query)
			return
		case !errors.Is(err, pgx.ErrNoRows):
			ts.Fatalf("pgwaitlock: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// blackholeServer listens on a loopback port, accepts connections and
// never writes to them, so that a client waits until its own timeout.
type blackholeServer struct {
	ln       net.Listener
	mu       sync.Mutex
	conns    []net.Conn
	accepted chan struct{} // receives once per accepted connection
}

func blackhole() (*blackholeServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &blackholeServer{ln: ln, accepted: make(chan struct{}, 100)}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b.mu.Lock()
			b.conns = append(b.conns, c)
			b.mu.Unlock()
			select {
			case b.accepted <- struct{}{}:
			default:
			}
			go io.Copy(io.Discard, c) //nolint:errcheck // read and ignore until closed
		}
	}()
	return b, nil
}

func (b *blackholeServer) addr() string { return b.ln.Addr().String() }

func (b *blackholeServer) close() {
	b.ln.Close()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range b.conns {
		c.Close()
	}
}

type blackholeKey struct{}

// cmdWaitConn waits until the script's blackhole server has accepted a
// connection: a background dbtool is then surely running, blocked on it.
//
//	waitconn
func cmdWaitConn(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: waitconn")
	}
	b := ts.Value(blackholeKey{}).(*blackholeServer)
	select {
	case <-b.accepted:
	case <-time.After(2 * time.Minute):
		ts.Fatalf("waitconn: no connection to the blackhole server")
	}
}

var roleSeq atomic.Int64

// roleWithoutCreateDB creates a login role without CREATEDB, which may
// read the catalog of the database of rawURL, dropped after the test, and
// returns its name.
func roleWithoutCreateDB(tb testing.TB, rawURL string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, rawURL)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	role := fmt.Sprintf("nocreatedb_%d_%d", os.Getpid(), roleSeq.Add(1))
	ident := pgx.Identifier{role}.Sanitize()
	if _, err := conn.Exec(ctx, "CREATE ROLE "+ident+" LOGIN NOCREATEDB"); err != nil {
		return "", fmt.Errorf("creating role %s: %w", role, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, rawURL)
		if err != nil {
			tb.Errorf("dropping role %s: %v", role, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP OWNED BY "+ident+"; DROP ROLE "+ident); err != nil {
			tb.Errorf("dropping role %s: %v", role, err)
		}
	})
	return role, nil
}

// scratchCreated finds the scratch databases an --echo'd command created.
var scratchCreated = regexp.MustCompile(`(?m)^CREATE DATABASE (dbtool_scratch_[0-9a-f]+) `)

// cmdPGScratchGone checks that the scratch databases the last command
// created, as its --echo on stderr shows (there must be one), no longer
// exist. Counting every scratch database of the cluster would race with
// the scripts running beside this one.
func cmdPGScratchGone(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: pgscratchgone URL")
	}
	var names []string
	for _, m := range scratchCreated.FindAllStringSubmatch(ts.ReadFile("stderr"), -1) {
		names = append(names, m[1])
	}
	if len(names) == 0 {
		ts.Fatalf("pgscratchgone: the last command's stderr shows no CREATE DATABASE dbtool_scratch_... (run it with --echo)")
	}
	ctx, conn, done := pgCommandConn(ts, "pgscratchgone", args[0])
	defer done()
	var left []string
	if err := conn.QueryRow(ctx, "SELECT coalesce(array_agg(datname::text), '{}') FROM pg_database WHERE datname = ANY ($1)", names).Scan(&left); err != nil {
		ts.Fatalf("pgscratchgone: %v", err)
	}
	if len(left) > 0 {
		ts.Fatalf("pgscratchgone: scratch databases left behind: %s", strings.Join(left, ", "))
	}
}

// cmdPGQuery runs a query on a PostgreSQL database, independently of
// dbtool, and prints its rows, one per line, columns separated by '|':
//
//	pgquery URL SQL
func cmdPGQuery(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: pgquery URL SQL")
	}
	ctx, conn, done := pgCommandConn(ts, "pgquery", args[0])
	defer done()
	rows, err := conn.Query(ctx, args[1], pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		ts.Fatalf("pgquery: %v", err)
	}
	defer rows.Close()
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			ts.Fatalf("pgquery: %v", err)
		}
		out := make([]string, len(vals))
		for i, v := range vals {
			out[i] = fmt.Sprint(v)
		}
		fmt.Fprintln(ts.Stdout(), strings.Join(out, "|"))
	}
	if err := rows.Err(); err != nil {
		ts.Fatalf("pgquery: %v", err)
	}
}
