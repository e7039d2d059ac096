// Package pgcluster starts the throwaway PostgreSQL clusters the
// benchmarks run against: in a directory of their own under the system's
// temporary directory, as the postgres user when run as root, listening
// on a Unix socket only, without durability (fsync and synchronous commit
// off) and with a lock table big enough for one transaction over thousands
// of tables. It finds the server the way the tests do (internal/pgtest).
package pgcluster

import (
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

// Port only names the socket file in the cluster's own directory: nothing
// listens on TCP.
const Port = 5432

// Cluster is a running cluster.
type Cluster struct {
	// Dir holds the cluster's data and its socket.
	Dir    string
	binDir string
	cred   *syscall.Credential
}

// Start creates and starts a cluster in a new directory named with
// prefix.
func Start(ctx context.Context, prefix string) (*Cluster, error) {
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
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	c := &Cluster{Dir: dir, binDir: binDir, cred: cred}
	data := filepath.Join(dir, "data")
	if err := c.Run(ctx, "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	opts := strings.Join([]string{
		"-p", strconv.Itoa(Port), "-k", dir, "-c", "listen_addresses=",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		// 5000 tables in one transaction take a lock on each.
		"-c", "max_locks_per_transaction=1024",
	}, " ")
	if err := c.Run(ctx, "pg_ctl", "start", "-D", data, "-w", "-t", "60", "-l", filepath.Join(dir, "server.log"), "-o", opts); err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

// Run runs one of the server's programs (initdb, createdb, psql, ...) as
// the cluster's owner, in its directory.
func (c *Cluster) Run(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, c.Bin(name), args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	cmd.Dir = c.Dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", name, err, out.String())
	}
	return nil
}

// Bin is the path of one of the server's programs.
func (c *Cluster) Bin(name string) string { return filepath.Join(c.binDir, name) }

// Stop stops the cluster and removes its directory. It runs even when the
// benchmark was interrupted.
func (c *Cluster) Stop() {
	cmd := exec.Command(c.Bin("pg_ctl"), "stop", "-D", filepath.Join(c.Dir, "data"), "-m", "immediate", "-w")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	_ = cmd.Run()
	os.RemoveAll(c.Dir)
}

// URL is the URL of a database of the cluster in dir, as the postgres
// user over the socket.
func URL(dir, database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Path:     "/" + database,
		RawQuery: url.Values{"host": {dir}, "port": {strconv.Itoa(Port)}}.Encode(),
	}
	return u.String()
}
