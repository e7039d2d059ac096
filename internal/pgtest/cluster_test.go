//go:build unix

package pgtest

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestTemplateTrust checks that a template directory is used only when it
// is complete and belongs to the server user alone.
func TestTemplateTrust(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	me := os.Geteuid()
	if err := trusted(dir, data, me); err == nil {
		t.Error("a template without PG_VERSION is trusted")
	}
	if err := os.WriteFile(filepath.Join(data, "PG_VERSION"), []byte("15\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := trusted(dir, data, me); err != nil {
		t.Errorf("a complete template of ours is not trusted: %v", err)
	}
	if err := trusted(dir, data, me+1); err == nil {
		t.Error("a template of another user is trusted")
	}
	if err := os.Chmod(data, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := trusted(dir, data, me); err == nil {
		t.Error("a world-writable template is trusted")
	}
}

// TestBaseDir checks that clusters are made where the server can reach
// them and its socket path stays short.
func TestBaseDir(t *testing.T) {
	private := filepath.Join(t.TempDir(), "private")
	if err := os.Mkdir(private, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", private)
	if got := baseDir(nil); got != private {
		t.Errorf("baseDir as ourselves = %s, want %s", got, private)
	}
	if got := baseDir(&syscall.Credential{Uid: 12345}); got != "/tmp" {
		t.Errorf("baseDir for another user with a private TMPDIR = %s, want /tmp", got)
	}
	long := filepath.Join("/tmp", strings.Repeat("x", 70))
	t.Setenv("TMPDIR", long)
	if got := baseDir(nil); got != "/tmp" {
		t.Errorf("baseDir with a long TMPDIR = %s, want /tmp", got)
	}
}
