package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// sqliteTarget benchmarks SQLite files against `sqlite3 FILE .schema`.
type sqliteTarget struct{}

// path is where the database of a size lives.
func (sqliteTarget) path(dir string, size int) (string, error) {
	return filepath.Abs(filepath.Join(dir, fmt.Sprintf("bench_%d.db", size)))
}

func (t sqliteTarget) existing(_ context.Context, dir string, size int) (string, bool) {
	path, err := t.path(dir, size)
	if err != nil {
		return "", false
	}
	if _, err := os.Stat(path); err != nil {
		return "", false
	}
	return "sqlite:///" + filepath.ToSlash(path), true
}

func (t sqliteTarget) setup(_ context.Context, dir string, size int) (string, func(), error) {
	path, err := t.path(dir, size)
	if err != nil {
		return "", nil, err
	}
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return "", nil, err
	}
	if _, err := exec.LookPath("sqlite3"); err != nil {
		return "", nil, fmt.Errorf("the reference needs the sqlite3 command (bench/run.sh installs it): %w", err)
	}
	// sqlite:////abs/path: four slashes for an absolute path.
	return "sqlite:///" + filepath.ToSlash(path), func() { os.Remove(path) }, nil
}

func (sqliteTarget) reference(ctx context.Context, url string) *exec.Cmd {
	path := filepath.FromSlash(url[len("sqlite:///"):])
	return exec.CommandContext(ctx, "sqlite3", path, ".schema")
}

func (sqliteTarget) referenceName() string { return "sqlite3 .schema" }
