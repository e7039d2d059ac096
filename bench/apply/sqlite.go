package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"

	"github.com/dbtool/dbtool/internal/sqlitecache"
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

// tunedReference is sqlite3 with the page cache dbtool's session gives
// itself for the same statements (sqlitecache.For): past SQLite's default
// cache of 2000 KiB, each CREATE's rescan of sqlite_schema reads the table
// from the file. It shows the gap to sqlite3 with the same advantage on
// both sides. (A larger cache, 64 MiB, was slower at 1000 tables, 593 ms
// against 502 plain: dirty pages are no longer reused.)
func (t *sqliteTarget) tunedReference(ctx context.Context, url, script string) *exec.Cmd {
	cmd := t.reference(ctx, url, script)
	cmd.Args = slices.Insert(cmd.Args, 1, "-cmd", fmt.Sprintf("PRAGMA cache_size = -%d", scriptCacheKiB(script)))
	return cmd
}

// scriptCacheKiB is the cache dbtool's session gives an empty database
// for the script's statements: their text, and sqlitecache.RowBytes for
// each row of sqlite_schema they leave.
func scriptCacheKiB(script string) int64 {
	b, err := os.ReadFile(script)
	if err != nil {
		return sqlitecache.DefaultKiB
	}
	kib, _ := sqlitecache.For(int64(len(b)+sqlitecache.RowBytes*statements(b)), sqlitecache.DefaultKiB)
	return kib
}

func (*sqliteTarget) tunedReferenceName() string { return "sqlite3, dbtool's cache_size" }

func (*sqliteTarget) script(dryRun []byte) []byte { return bytes.Clone(dryRun) }
