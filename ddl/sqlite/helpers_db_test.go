package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/ddl"
	sqliteddl "github.com/dbtool/dbtool/ddl/sqlite"
	"github.com/dbtool/dbtool/inspector"
	sqliteinspect "github.com/dbtool/dbtool/inspector/sqlite"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
	"github.com/google/go-cmp/cmp"
	_ "modernc.org/sqlite"
)

// openDB opens a fresh SQLite database in a temporary file, with foreign
// keys enforced, as the engine opens it.
func openDB(t *testing.T) (*sql.DB, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "test.db")
	db := openFile(t, file)
	return db, file
}

func openFile(t *testing.T, file string) *sql.DB {
	t.Helper()
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	db, err := sql.Open("sqlite", "file:"+file+"?"+q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// createAll creates m with create-all's own plan.
func createAll(t *testing.T, db *sql.DB, m *metadata.MetaData) {
	t.Helper()
	if err := metadata.Validate(m); err != nil {
		t.Fatalf("invalid model: %v", err)
	}
	stmts, err := sqliteddl.Dialect{}.Plan(migrate.PlanCreateAll(m, nil).Changes)
	if err != nil {
		t.Fatal(err)
	}
	if err := apply(db, stmts); err != nil {
		t.Fatal(err)
	}
}

// apply runs statements in one transaction as a migration's apply does
// with a SQLite rebuild among them: foreign keys off before the
// transaction, PRAGMA foreign_key_check before the commit, foreign keys on
// again after.
func apply(db *sql.DB, stmts []ddl.Statement) (err error) {
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	rebuild := false
	for _, s := range stmts {
		rebuild = rebuild || s.Rebuild
	}
	if rebuild {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		defer func() {
			if _, e := conn.ExecContext(ctx, "PRAGMA foreign_keys = ON"); e != nil && err == nil {
				err = e
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s.SQL); err != nil {
			return fmt.Errorf("%s: %w\n%s", s.Object, err, s.SQL)
		}
	}
	if rebuild {
		violations, err := queryTx(tx, "PRAGMA foreign_key_check")
		if err != nil {
			return err
		}
		if violations != "" {
			return errors.New("foreign key violations: " + violations)
		}
	}
	return tx.Commit()
}

func queryTx(tx *sql.Tx, q string) (string, error) {
	rows, err := tx.Query(q)
	if err != nil {
		return "", err
	}
	return scanRows(rows)
}

// query runs q and returns its rows as "a|b;c|d".
func query(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	s, err := scanRows(rows)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s
}

func scanRows(rows *sql.Rows) (string, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			row[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(row, "|"))
	}
	return strings.Join(out, ";"), rows.Err()
}

// inspect reflects db.
func inspect(t *testing.T, db *sql.DB) *metadata.MetaData {
	t.Helper()
	res, err := sqliteinspect.New(db, nil).Inspect(context.Background(), inspector.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Schema
}

// sameTable fails when the inspected table differs from the declared one.
func sameTable(t *testing.T, got *metadata.MetaData, want metadata.Table) {
	t.Helper()
	have := got.Table(want.Ref())
	if have == nil {
		t.Fatalf("table %s is missing after the change", want.Name)
	}
	canon := func(tb metadata.Table) metadata.Table {
		return metadata.Canonical(&metadata.MetaData{Tables: []metadata.Table{tb}}).Tables[0]
	}
	if diff := cmp.Diff(canon(want), canon(*have)); diff != "" {
		t.Fatalf("table %s differs (-declared +inspected):\n%s", want.Name, diff)
	}
}

// healthy checks what every migration must leave behind: no foreign key
// violation, an intact database, and a schema that a new connection (which
// parses every CREATE statement again) can use.
func healthy(t *testing.T, db *sql.DB, file string, queries ...string) {
	t.Helper()
	if v := query(t, db, "PRAGMA foreign_key_check"); v != "" {
		t.Errorf("foreign key violations: %s", v)
	}
	if v := query(t, db, "PRAGMA integrity_check"); v != "ok" {
		t.Errorf("integrity_check: %s", v)
	}
	fresh := openFile(t, file)
	for _, q := range queries {
		if a, b := query(t, db, q), query(t, fresh, q); a != b {
			t.Errorf("%s: %q on the migrating connection, %q on a new one", q, a, b)
		}
	}
}

func col(name string, typ metadata.Type, nullable bool) metadata.Column {
	return metadata.Column{Name: name, Type: typ, Nullable: nullable}
}

var (
	integer = metadata.Integer{Bytes: 4}
	text    = metadata.Text{}
)

// plan plans changes with the SQLite dialect.
func plan(t *testing.T, changes ...migrate.Change) []ddl.Statement {
	t.Helper()
	stmts, err := sqliteddl.Dialect{}.Plan(changes)
	if err != nil {
		t.Fatal(err)
	}
	return stmts
}

func rebuilds(stmts []ddl.Statement) bool {
	for _, s := range stmts {
		if s.Rebuild {
			return true
		}
	}
	return false
}
