package ddl_test

import (
	"strings"
	"testing"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/ddl/sqlite"
)

// TestWriteMigrationScript: statements that can run in a transaction run
// in one, framed as the dialect asks (SQLite: foreign keys off around a
// rebuild, checked before commit); those that commit first come before
// it, and those that run outside one after it, marked.
func TestWriteMigrationScript(t *testing.T) {
	var b strings.Builder
	stmts := []ddl.Statement{
		{SQL: "CREATE TABLE _dbtool_new_t (id INTEGER)", Rebuild: true},
		{SQL: "DROP TABLE t;", Rebuild: true},
		{SQL: "CREATE INDEX CONCURRENTLY ix ON t (id)", Object: `index "ix"`, NoTx: true},
		{SQL: "ALTER TYPE mood ADD VALUE 'happy'", Object: `value "happy" of enum "mood"`, CommitFirst: true},
	}
	if err := ddl.WriteMigrationScript(&b, sqlite.Dialect{}, stmts); err != nil {
		t.Fatal(err)
	}
	want := `-- committed before the transaction: value "happy" of enum "mood"
ALTER TYPE mood ADD VALUE 'happy';
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE _dbtool_new_t (id INTEGER);
DROP TABLE t;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
-- outside a transaction: index "ix"
CREATE INDEX CONCURRENTLY ix ON t (id);
`
	if b.String() != want {
		t.Errorf("script:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := ddl.WriteMigrationScript(&b, sqlite.Dialect{}, stmts[:0]); err != nil || b.Len() != 0 {
		t.Errorf("no statement wrote %q, %v", b.String(), err)
	}
}
