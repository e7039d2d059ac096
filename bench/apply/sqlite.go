package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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

func (*sqliteTarget) script(dryRun []byte) []byte { return bytes.Clone(dryRun) }
