package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/dbtool/dbtool/metadata"
)

// postgresTarget benchmarks PostgreSQL against `pg_dump --schema-only`.
// Each size gets a throwaway cluster of its own, made with the installed
// server's initdb in a temporary directory and reached only through a
// unix socket there, with durability off (the benchmark reads the catalog;
// it never needs to survive a crash). As root, the server runs as the
// postgres user, since PostgreSQL refuses to run as root.
//
// internal/pgtest starts clusters the same way but only for tests (it
// needs a testing.TB); the benchmark cannot use it.
type postgresTarget struct{}

// pgPort is the port number of the benchmark's clusters. Nothing listens
// on TCP: the number only names the socket file in the cluster's own
// directory, so clusters never collide.
const pgPort = 5432

func (postgresTarget) referenceName() string { return "pg_dump --schema-only" }

func (postgresTarget) reference(ctx context.Context, url string) *exec.Cmd {
	// pg_dump of the server's own version: an older one refuses a newer
	// server, a newer one may read the catalog differently.
	pgDump := "pg_dump"
	if dir, err := pgtest.ServerBinDir(); err == nil {
		pgDump = filepath.Join(dir, "pg_dump")
	}
	return exec.CommandContext(ctx, pgDump, "--schema-only", "--dbname", url)
}

func (postgresTarget) setup(ctx context.Context, _ string, size int) (string, func(), error) {
	binDir, err := pgtest.ServerBinDir()
	if err != nil {
		return "", nil, err
	}
	cred, err := pgtest.ServerCredential()
	if err != nil {
		return "", nil, err
	}
	// Not under the benchmark's directory: as root that one is private
	// (0700) and the postgres user could not reach its cluster.
	dir, err := os.MkdirTemp("", fmt.Sprintf("dbtool-bench-pg%d-", size))
	if err != nil {
		return "", nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return "", nil, err
		}
	}
	data := filepath.Join(dir, "data")
	run := func(name string, args ...string) error {
		cmd := exec.CommandContext(ctx, filepath.Join(binDir, name), args...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		cmd.Dir = dir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w\n%s", name, err, out.String())
		}
		return nil
	}
	stop := func() {
		// A cleanup must run even when the benchmark was interrupted.
		cmd := exec.Command(filepath.Join(binDir, "pg_ctl"), "stop", "-D", data, "-m", "immediate", "-w")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		_ = cmd.Run()
		os.RemoveAll(dir)
	}
	if err := run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"); err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	opts := strings.Join([]string{
		"-p", strconv.Itoa(pgPort), "-k", dir, "-c", "listen_addresses=",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		// create-all of 5000 tables is one transaction taking a lock on each.
		"-c", "max_locks_per_transaction=1024",
	}, " ")
	if err := run("pg_ctl", "start", "-D", data, "-w", "-t", "60", "-l", filepath.Join(dir, "server.log"), "-o", opts); err != nil {
		stop()
		return "", nil, err
	}
	if err := run("createdb", "-h", dir, "-p", strconv.Itoa(pgPort), "-U", "postgres", "bench"); err != nil {
		stop()
		return "", nil, err
	}
	return pgURL(dir), stop, nil
}

// existing finds the cluster a previous run kept (-keep) for a size,
// still running, for -reuse.
func (postgresTarget) existing(ctx context.Context, _ string, size int) (string, bool) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), fmt.Sprintf("dbtool-bench-pg%d-*", size)))
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf(".s.PGSQL.%d", pgPort))); err == nil {
			return pgURL(dir), true
		}
	}
	return "", false
}

// pgURL is the URL of the benchmark database of the cluster in dir.
func pgURL(dir string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Path:     "/bench",
		RawQuery: url.Values{"host": {dir}, "port": {strconv.Itoa(pgPort)}}.Encode(),
	}
	return u.String()
}

// normalise leaves out of a model what the server rewrites: view
// definitions and check expressions come back as PostgreSQL prints them
// ("SELECT t.id,\n    t.x AS value\n   FROM t"), not as the generator wrote
// them, which the round-trip tests of inspector/postgres cover.
func (postgresTarget) normalise(m *metadata.MetaData) *metadata.MetaData {
	c := *m
	c.Views = slices.Clone(m.Views)
	for i := range c.Views {
		c.Views[i].Definition = ""
	}
	c.Tables = slices.Clone(m.Tables)
	for i := range c.Tables {
		c.Tables[i].Checks = slices.Clone(c.Tables[i].Checks)
		for j := range c.Tables[i].Checks {
			c.Tables[i].Checks[j].Expr = ""
		}
	}
	return &c
}
