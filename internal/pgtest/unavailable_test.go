package pgtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFindBinDirMissing checks that a machine without PostgreSQL gets the
// "not installed" error that makes tests skip, with the install hint.
func TestFindBinDirMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	old := debianRoot
	debianRoot = t.TempDir()
	t.Cleanup(func() { debianRoot = old })
	_, err := findBinDir()
	var u *unavailableError
	if !errors.As(err, &u) {
		t.Fatalf("findBinDir without PostgreSQL: %v, want an unavailableError", err)
	}
	if !strings.Contains(err.Error(), "apt-get install postgresql") {
		t.Errorf("error does not say how to install PostgreSQL: %v", err)
	}
}

// TestFindBinDirHighest checks that the highest installed version wins
// (10 above 9.6: compared as numbers, not text).
func TestFindBinDirHighest(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	old := debianRoot
	debianRoot = t.TempDir()
	t.Cleanup(func() { debianRoot = old })
	for _, v := range []string{"9.6", "10", "11-broken"} {
		dir := filepath.Join(debianRoot, v, "bin")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, prog := range []string{"initdb", "postgres"} {
			if v == "11-broken" && prog == "postgres" {
				continue
			}
			if err := os.WriteFile(filepath.Join(dir, prog), []byte("#!/bin/sh\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := findBinDir()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(debianRoot, "10", "bin"); got != want {
		t.Errorf("findBinDir = %s, want %s", got, want)
	}
}

// recorder is a testing.TB that records how a test was stopped.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                        {}
func (r *recorder) Skipf(format string, a ...any)  { r.skipped = fmt.Sprintf(format, a...) }
func (r *recorder) Fatalf(format string, a ...any) { r.failed = fmt.Sprintf(format, a...) }

// TestSkipOrFail checks that a missing PostgreSQL skips, except under
// CI=true, and that a broken one always fails.
func TestSkipOrFail(t *testing.T) {
	missing := &unavailableError{"no initdb; " + installHint}
	broken := errors.New("initdb: exit status 1")
	for _, tc := range []struct {
		ci       string
		err      error
		wantSkip bool
	}{
		{"", missing, true},
		{"false", missing, true},
		{"true", missing, false},
		{"", broken, false},
		{"true", broken, false},
	} {
		t.Setenv("CI", tc.ci)
		r := &recorder{TB: t}
		skipOrFail(r, tc.err)
		if tc.wantSkip && (r.skipped == "" || r.failed != "") {
			t.Errorf("CI=%q, %v: skipped %q, failed %q; want a skip", tc.ci, tc.err, r.skipped, r.failed)
		}
		if !tc.wantSkip && (r.failed == "" || r.skipped != "") {
			t.Errorf("CI=%q, %v: skipped %q, failed %q; want a failure", tc.ci, tc.err, r.skipped, r.failed)
		}
		if !strings.Contains(r.skipped+r.failed, tc.err.Error()) {
			t.Errorf("message %q does not carry the cause %v", r.skipped+r.failed, tc.err)
		}
	}
}
