package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"

	"github.com/dbtool/dbtool/bench/pgcluster"
)

// postgresTarget runs against a throwaway PostgreSQL cluster, started once
// for the whole run with the installed server's initdb, reached only
// through a unix socket in its own directory, with durability off; every
// run gets a new database in it. The reference is `psql -X -q -1 -f`.
// As root the server runs as the postgres user, since PostgreSQL refuses
// to run as root.
//
// The cluster is bench/pgcluster's, as bench/inspect's are.
type postgresTarget struct {
	cluster *pgcluster.Cluster
}

func (t *postgresTarget) start(ctx context.Context, _ string) (func(), error) {
	c, err := pgcluster.Start(ctx, "dbtool-bench-apply-pg-")
	if err != nil {
		return nil, err
	}
	t.cluster = c
	return c.Stop, nil
}

func (t *postgresTarget) url(db string) string { return pgcluster.URL(t.cluster.Dir, db) }

func (t *postgresTarget) fresh(ctx context.Context, _, name string) (string, error) {
	// The name is the benchmark's own (bench_N): no quoting needed.
	cmd := exec.CommandContext(ctx, t.cluster.Bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
		"-d", t.url("postgres"), "-c", "DROP DATABASE IF EXISTS "+name, "-c", "CREATE DATABASE "+name)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("making database %s: %w\n%s", name, err, out)
	}
	return t.url(name), nil
}

func (t *postgresTarget) reference(ctx context.Context, url, script string) *exec.Cmd {
	return exec.CommandContext(ctx, t.cluster.Bin("psql"), "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", script)
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
