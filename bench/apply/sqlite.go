package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
)

// sqliteTarget runs against SQLite files, with `sqlite3 FILE < script`
// as the reference. The script keeps create-all's BEGIN and COMMIT, so
// that sqlite3 runs it in one transaction, as dbtool does.
type sqliteTarget struct{}

func (*sqliteTarget) start(context.Context, string) (func(), error) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		return nil, fmt.Errorf("the reference needs the sqlite3 command (bench/run.sh installs it): %w", err)
	}
	return func() {}, nil
}

func (*sqliteTarget) fresh(_ context.Context, dir, name string) (string, error) {
	path := filepath.Join(dir, name+".db")
	for _, p := range []string{path, path + "-journal", path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return "", err
		}
	}
	// An empty file is an empty database; migrate apply, unlike
	// create-all, does not create a missing one.
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		return "", err
	}
	// sqlite:////abs/path: four slashes for an absolute path.
	return "sqlite:///" + filepath.ToSlash(path), nil
}

func (*sqliteTarget) reference(ctx context.Context, url, script string) *exec.Cmd {
	path := filepath.FromSlash(url[len("sqlite:///"):])
	cmd := exec.CommandContext(ctx, "sqlite3", "-bail", path)
	// The file is closed by its finalizer; the benchmark opens a few dozen.
	if f, err := os.Open(script); err == nil {
		cmd.Stdin = f
	} else {
		cmd.Args = append(cmd.Args, ".read "+script)
	}
	return cmd
}

func (*sqliteTarget) referenceName() string { return "sqlite3 < script" }

// refCacheKiB is the page cache of the tuned reference: 64 MiB, more than
// the schema table of bench/gen's 5000 tables (4.4 MiB) needs, and more
// than dbtool gives itself (about twice the table, in whole MiB). Past
// the table's size, more cache changed nothing measurable.
const refCacheKiB = 64 << 10

// tunedReference is sqlite3 with a page cache that holds the schema
// table, as dbtool's session sets one: past SQLite's default cache of
// 2000 KiB, each CREATE's rescan of sqlite_schema reads it from the file.
// It shows how much of the gap to plain sqlite3 the cache closes.
func (t *sqliteTarget) tunedReference(ctx context.Context, url, script string) *exec.Cmd {
	cmd := t.reference(ctx, url, script)
	cmd.Args = slices.Insert(cmd.Args, 1, "-cmd", fmt.Sprintf("PRAGMA cache_size = -%d", refCacheKiB))
	return cmd
}

func (*sqliteTarget) tunedReferenceName() string {
	return fmt.Sprintf("sqlite3, cache_size -%d", refCacheKiB)
}

func (*sqliteTarget) script(dryRun []byte) []byte { return bytes.Clone(dryRun) }
