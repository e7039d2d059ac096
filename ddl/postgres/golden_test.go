package postgres

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// planModel plans create-all of m on an empty database.
func planModel(t *testing.T, m *metadata.MetaData) []ddl.Statement {
	t.Helper()
	if err := metadata.Validate(m); err != nil {
		t.Fatalf("invalid model:\n%v", err)
	}
	if err := (Dialect{}).Check(m); err != nil {
		t.Fatalf("Check:\n%v", err)
	}
	stmts, err := Dialect{}.Plan(migrate.PlanCreateAll(m, nil).Changes)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return stmts
}

// script renders statements as a psql script, each under a comment
// naming its object.
func script(stmts []ddl.Statement) []byte {
	var b bytes.Buffer
	last := ""
	for _, s := range stmts {
		if s.Object != last {
			b.WriteString("-- " + s.Object + "\n")
			last = s.Object
		}
		b.WriteString(s.SQL + ";\n")
	}
	return b.Bytes()
}

// golden compares got with testdata/golden/name, or rewrites it under
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", name, lineDiff(string(want), string(got)))
	}
}

// lineDiff lists the lines that differ, for a readable failure.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl + "\n")
		}
	}
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }

func loadEdge(t *testing.T) *metadata.MetaData {
	t.Helper()
	m, err := metadata.Load(filepath.Join("testdata", "edge.yaml"))
	if err != nil {
		t.Fatalf("loading edge.yaml:\n%v", err)
	}
	return m
}

func TestGoldenEdge(t *testing.T) {
	golden(t, "edge.sql", script(planModel(t, loadEdge(t))))
}
