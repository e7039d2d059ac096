package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/dbtool/dbtool/internal/pgtest"
)

// postgresTarget runs against a throwaway PostgreSQL cluster, started once
// for the whole run with the installed server's initdb, reached only
// through a unix socket in its own directory, with durability off; every
// run gets a new database in it. The reference is `psql -X -q -1 -f`.
// As root the server runs as the postgres user, since PostgreSQL refuses
// to run as root.
//
// bench/inspect starts its clusters the same way; the two programs are
// separate commands and share no code but internal/pgtest's lookups.
type postgresTarget struct {
	binDir, sock string
}

// pgPort only names the socket file in the cluster's own directory:
// nothing listens on TCP.
const pgPort = 5432

func (t *postgresTarget) start(ctx context.Context, _ string) (func(), error) {
	binDir, err := pgtest.ServerBinDir()
	if err != nil {
		return nil, err
	}
	cred, err := pgtest.ServerCredential()
	if err != nil {
		return nil, err
	}
	// Not under the benchmark's directory: as root that one is private
	// (0700) and the postgres user could not reach its cluster.
	dir, err := os.MkdirTemp("", "dbtool-bench-apply-pg-")
	if err != nil {
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, err
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
		return nil, err
	}
	opts := strings.Join([]string{
		"-p", strconv.Itoa(pgPort), "-k", dir, "-c", "listen_addresses=",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		// 5000 tables in one transaction take a lock on each.
		"-c", "max_locks_per_transaction=1024",
	}, " ")
	if err := run("pg_ctl", "start", "-D", data, "-w", "-t", "60", "-l", filepath.Join(dir, "server.log"), "-o", opts); err != nil {
		stop()
		return nil, err
	}
	t.binDir, t.sock = binDir, dir
	return stop, nil
}

func (t *postgresTarget) url(db string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Path:     "/" + db,
		RawQuery: url.Values{"host": {t.sock}, "port": {strconv.Itoa(pgPort)}}.Encode(),
	}
	return u.String()
}

func (t *postgresTarget) fresh(ctx context.Context, _, name string) (string, error) {
	// The name is the benchmark's own (bench_N): no quoting needed.
	cmd := exec.CommandContext(ctx, filepath.Join(t.binDir, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
		"-d", t.url("postgres"), "-c", "DROP DATABASE IF EXISTS "+name, "-c", "CREATE DATABASE "+name)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("making database %s: %w\n%s", name, err, out)
	}
	return t.url(name), nil
}

func (t *postgresTarget) reference(ctx context.Context, url, script string) *exec.Cmd {
	return exec.CommandContext(ctx, filepath.Join(t.binDir, "psql"), "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", script)
}

func (*postgresTarget) referenceName() string { return "psql -1 -f script" }

// script drops create-all's BEGIN and COMMIT: psql -1 wraps the file in
// its own transaction.
func (*postgresTarget) script(dryRun []byte) []byte {
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(dryRun))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		if l := sc.Text(); l != "BEGIN;" && l != "COMMIT;" {
			out.WriteString(l)
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}
