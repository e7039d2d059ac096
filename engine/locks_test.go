package engine_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/dbtool/dbtool/metadata"
)

// manyTables is a schema of n tables t_0.. with a key and a unique column.
func manyTables(n int) *metadata.MetaData {
	m := &metadata.MetaData{}
	for i := range n {
		m.Tables = append(m.Tables, metadata.Table{
			Name: fmt.Sprintf("t_%d", i),
			Columns: []metadata.Column{
				{Name: "id", Type: metadata.Integer{Bytes: 4}},
				{Name: "code", Type: metadata.Text{}},
			},
			PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}},
			Uniques:    []metadata.Unique{{Columns: []string{"code"}}},
		})
	}
	return m
}

// smallLockTable are the settings of a server whose lock table holds 100
// locks: max_locks_per_transaction at its minimum.
var smallLockTable = []string{"max_locks_per_transaction=10", "max_connections=10"}

// raiseTo reads the value a *LockBudgetError says to raise
// max_locks_per_transaction to.
var raiseTo = regexp.MustCompile(`raise max_locks_per_transaction to at least (\d+)`)

// TestLockBudget: on a server whose lock table is too small for a run, a
// create-all and an apply stop before writing anything and say which
// setting to raise and to what; on a server with that setting, the same
// runs succeed.
func TestLockBudget(t *testing.T) {
	const tables = 120
	ctx := context.Background()
	url := pgtest.DedicatedURL(t, smallLockTable...)
	eng := open(t, url, engine.Options{})
	raw := rawDB(t, url)
	empty := take(t, eng, raw)
	want := manyTables(tables)

	_, err := eng.CreateAll(ctx, want, engine.CreateAllOptions{})
	var lb *engine.LockBudgetError
	if !errors.As(err, &lb) {
		t.Fatalf("create-all of %d tables: %v, want a *LockBudgetError", tables, err)
	}
	m := raiseTo.FindStringSubmatch(err.Error())
	if m == nil || !strings.Contains(err.Error(), "max_locks_per_transaction (10)") {
		t.Fatalf("the error does not say to raise max_locks_per_transaction from 10, and to what:\n%v", err)
	}
	t.Logf("create-all: %v", err)
	sameAs(t, "a create-all over the lock budget", empty, take(t, eng, raw))

	// An apply of the same schema, on a database that has a few tables.
	if _, err := eng.CreateAll(ctx, manyTables(3), engine.CreateAllOptions{}); err != nil {
		t.Fatal(err)
	}
	before := take(t, eng, raw)
	_, err = eng.Apply(ctx, want, engine.ApplyOptions{})
	if !errors.As(err, &lb) || raiseTo.FindStringSubmatch(err.Error()) == nil {
		t.Fatalf("apply of %d tables: %v, want a *LockBudgetError saying what to raise", tables, err)
	}
	sameAs(t, "an apply over the lock budget", before, take(t, eng, raw))

	// What the error says is enough.
	enough, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatal(err)
	}
	big := pgtest.DedicatedURL(t, fmt.Sprintf("max_locks_per_transaction=%d", enough), "max_connections=10")
	beng := open(t, big, engine.Options{})
	if _, err := beng.CreateAll(ctx, want, engine.CreateAllOptions{}); err != nil {
		t.Errorf("create-all with max_locks_per_transaction=%d, as the error said: %v", enough, err)
	}
}

// TestServerLockTableHint: when the server itself runs out of locks, its
// HINT (which names max_locks_per_transaction) is in the error.
func TestServerLockTableHint(t *testing.T) {
	url := pgtest.DedicatedURL(t, smallLockTable...)
	eng := open(t, url, engine.Options{})
	var stmts []string
	for i := range 2000 {
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE t_%d (id integer PRIMARY KEY)", i))
	}
	err := eng.Exec(context.Background(), stmts...)
	if pgCode(err) != "53200" || !strings.Contains(err.Error(), "HINT: You might need to increase max_locks_per_transaction") {
		t.Fatalf("error %v: want out of shared memory (53200) with the server's HINT", err)
	}
}
