package pgtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
)

// debianRoot is where Debian and Ubuntu install each PostgreSQL version's
// programs, in <version>/bin.
var debianRoot = "/usr/lib/postgresql"

// findBinDir finds the directory holding initdb and postgres: initdb's on
// PATH, else the highest version under /usr/lib/postgresql/*/bin.
// ServerBinDir returns the directory of the PostgreSQL server programs the
// tests start (initdb, postgres, pg_ctl and the clients of that version),
// found as URL finds them, for tools that start a server of their own such
// as the benchmark.
func ServerBinDir() (string, error) { return findBinDir() }

func findBinDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if dir := filepath.Dir(p); isExecutable(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob(filepath.Join(debianRoot, "*", "bin"))
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, dir := range dirs {
		if isExecutable(filepath.Join(dir, "initdb")) && isExecutable(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	return "", &unavailableError{"no initdb and postgres on PATH or under /usr/lib/postgresql/*/bin; " + installHint}
}

// binDirForMajor returns Debian's directory of programs for a server major
// version, or "" if it is not installed.
func binDirForMajor(major int) string {
	dir := filepath.Join(debianRoot, strconv.Itoa(major), "bin")
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return dir
	}
	return ""
}

// lookBin finds program name in dir, else on PATH; "" if absent.
func lookBin(dir, name string) string {
	if dir != "" {
		if p := filepath.Join(dir, name); isExecutable(p) {
			return p
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	return ""
}

// versionOf reads the major version in /usr/lib/postgresql/<v>/bin.
func versionOf(binDir string) float64 {
	v, err := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	if err != nil {
		return -1
	}
	return v
}

func isExecutable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}
