package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/dbtool/dbtool/bench/pgcluster"
	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/dbtool/dbtool/metadata"
)

// postgresTarget benchmarks PostgreSQL against `pg_dump --schema-only`.
// Each size gets a throwaway cluster of its own, made with the installed
// server's initdb in a temporary directory and reached only through a
// unix socket there, with durability off (the benchmark reads the catalog;
// it never needs to survive a crash). As root, the server runs as the
// postgres user, since PostgreSQL refuses to run as root.
// The clusters are bench/pgcluster's.
type postgresTarget struct{}

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
	c, err := pgcluster.Start(ctx, fmt.Sprintf("dbtool-bench-pg%d-", size))
	if err != nil {
		return "", nil, err
	}
	if err := c.Run(ctx, "createdb", "-h", c.Dir, "-p", strconv.Itoa(pgcluster.Port), "-U", "postgres", "bench"); err != nil {
		c.Stop()
		return "", nil, err
	}
	return pgURL(c.Dir), c.Stop, nil
}

// existing finds the cluster a previous run kept (-keep) for a size,
// still running, for -reuse.
func (postgresTarget) existing(ctx context.Context, _ string, size int) (string, bool) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), fmt.Sprintf("dbtool-bench-pg%d-*", size)))
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf(".s.PGSQL.%d", pgcluster.Port))); err == nil {
			return pgURL(dir), true
		}
	}
	return "", false
}

// pgURL is the URL of the benchmark database of the cluster in dir.
func pgURL(dir string) string { return pgcluster.URL(dir, "bench") }

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
