package sqlite

import (
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/metadata"
	_ "modernc.org/sqlite"
)

// openMemory opens an in-memory database of the SQLite dbtool carries.
func openMemory(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// TestModulesAreTheDriversOwn holds the module list Check accepts to the
// driver's own, and FTS3/FTS4 to being absent from it: if a new
// modernc.org/sqlite brings them, this fails, and Check should accept them.
func TestModulesAreTheDriversOwn(t *testing.T) {
	db := openMemory(t)
	rows, err := db.Query(`SELECT name FROM pragma_module_list`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		have[n] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, m := range modules {
		if !have[m] {
			t.Errorf("Check accepts module %s, which the driver lacks", m)
		}
	}
	for _, m := range []string{"fts3", "fts4"} {
		if have[m] {
			t.Errorf("the driver has %s now: accept it in Check", m)
		}
		if _, err := db.Exec("CREATE VIRTUAL TABLE x USING " + m + "(body)"); err == nil || !strings.Contains(err.Error(), "no such module") {
			t.Errorf("creating an %s table: %v, want no such module", m, err)
		}
	}
	if _, err := db.Exec("CREATE VIRTUAL TABLE x USING fts5(body)"); err != nil {
		t.Errorf("fts5: %v", err)
	}
}

func TestCheckRefusesMissingModules(t *testing.T) {
	m := &metadata.MetaData{VirtualTables: []metadata.VirtualTable{
		{Name: "a", Using: "fts4(title, body, tokenize=porter)"},
		{Name: "b", Using: "FTS3 (body)"},
		{Name: "c", Using: "spellfix1"},
		{Name: "ok", Using: "fts5(body)"},
		{Name: "ok2", Using: "rtree(id, minx, maxx)"},
	}}
	err := Dialect{}.Check(m)
	var ps metadata.Problems
	if err == nil || !errors.As(err, &ps) || len(ps) != 3 {
		t.Fatalf("Check = %v, want three problems", err)
	}
	for i, want := range []string{"has no FTS4 module, only fts5: declare the table with fts5", "has no FTS3 module", `has no module "spellfix1"`} {
		if ps[i].Path != "virtual_tables["+string(rune('0'+i))+"].using" || !strings.Contains(ps[i].Message, want) {
			t.Errorf("problem %d: %s: %s, want %q", i, ps[i].Path, ps[i].Message, want)
		}
	}
}
