package engine_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/engine"
)

// batchTables is how many tables the batch tests' schemas have besides
// "dup": schema B gives each an index, several of the SQLite session's
// batches of statements.
const batchTables = 150

// batchSchemas are a schema A of batchTables tables and "dup", with two
// rows, and a schema B giving each table an index and, with uniqueCode,
// each table a column and "dup" a column code whose default, an
// expression, breaks a unique index on it: only the server can tell,
// half-way through the plan (SQLite rebuilds "dup" to add such a
// column, among the other tables' ALTER TABLEs).
func batchSchemas(uniqueCode bool) (a, b string, rows []string) {
	var sa, sb strings.Builder
	sa.WriteString("tables:\n")
	sb.WriteString("tables:\n")
	dup := "  - name: dup\n    columns:\n      - {name: id, type: integer, primary_key: true}\n      - {name: name, type: varchar(50)}\n"
	sa.WriteString(dup)
	sb.WriteString(dup)
	if uniqueCode {
		sb.WriteString("      - {name: code, type: varchar(10), default: {expr: \"lower('X')\"}}\n    indexes:\n      - {name: ux_dup_code, columns: [code], unique: true}\n")
	}
	for i := range batchTables {
		// Named on both sides of "dup", so that its statements fall among theirs.
		name := fmt.Sprintf("%c_%03d", "ce"[i%2], i)
		table := "  - name: " + name + "\n    columns:\n      - {name: id, type: integer, primary_key: true}\n      - {name: n, type: integer}\n"
		sa.WriteString(table)
		if uniqueCode {
			table += "      - {name: note, type: text}\n"
		}
		sb.WriteString(table + "    indexes:\n      - {name: ix_" + name + "_n, columns: [n]}\n")
	}
	return sa.String(), sb.String(), []string{`INSERT INTO dup (id, name) VALUES (1, 'a'), (2, 'b')`}
}

// TestSQLiteBatchRefusedInTheMiddle: SQLite's session sends statements in
// batches; a statement that fails in the middle of one is still reported
// by its own SQL and object, the database is left as it was, with no
// history, and progress was told of the statements up to it in order.
func TestSQLiteBatchRefusedInTheMiddle(t *testing.T) {
	a, b, rows := batchSchemas(true)
	f := newFixture(t, databases[0], a, rows...)
	p, err := f.eng.Plan(context.Background(), parse(t, b), engine.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	at := -1
	for i, s := range p.Statements {
		if strings.Contains(s.SQL, "ux_dup_code") {
			at = i
		}
	}
	if at < 10 || at > len(p.Statements)-10 {
		t.Fatalf("the unique index is statement %d of %d; want one in the middle", at, len(p.Statements))
	}
	t.Logf("the unique index is statement %d of %d", at, len(p.Statements))
	var got []int
	_, err = f.eng.Apply(context.Background(), parse(t, b), engine.ApplyOptions{Progress: func(pr engine.Progress) { got = append(got, pr.Done) }})
	var se *engine.StatementError
	if !errors.As(err, &se) || se.SQL != p.Statements[at].SQL || se.Object != p.Statements[at].Object {
		t.Fatalf("error %v, want a *StatementError for statement %d (%s): %s", err, at, p.Statements[at].Object, p.Statements[at].SQL)
	}
	if !strings.Contains(err.Error(), "UNIQUE constraint failed") {
		t.Errorf("error lacks SQLite's message: %v", err)
	}
	for i, d := range got {
		if d != i {
			t.Fatalf("progress calls %v: want 0, 1, 2, ... in order", got)
		}
	}
	if len(got) <= at {
		t.Errorf("progress told of %d statements, want at least %d", len(got), at+1)
	}
	f.unchanged(t, fmt.Sprintf("an apply refused at statement %d of %d", at, len(p.Statements)))
	if h, err := f.eng.History(context.Background()); err != nil || h != nil {
		t.Errorf("history after the refused apply: %v, %v; want none", h, err)
	}
}

// TestSQLiteBatchProgressAndEcho: an apply of several batches tells
// progress of every statement in order, up to the last, and --echo logs
// every statement, in order.
func TestSQLiteBatchProgressAndEcho(t *testing.T) {
	a, b, rows := batchSchemas(false)
	f := newFixture(t, databases[0], a, rows...)
	var echoed bytes.Buffer
	eng := open(t, f.url, engine.Options{Echo: &echoed})
	var got []engine.Progress
	res, err := eng.Apply(context.Background(), parse(t, b), engine.ApplyOptions{Progress: func(pr engine.Progress) { got = append(got, pr) }})
	if err != nil {
		t.Fatal(err)
	}
	stmts := res.Plan.Statements
	if len(stmts) < batchTables {
		t.Fatalf("%d statements, want at least %d", len(stmts), batchTables)
	}
	if len(got) != len(stmts) {
		t.Fatalf("%d progress calls for %d statements", len(got), len(stmts))
	}
	for i, pr := range got {
		if pr.Done != i || pr.Total != len(stmts) || pr.Object != stmts[i].Object {
			t.Fatalf("call %d: %+v, want statement %d of %d about %s", i, pr, i, len(stmts), stmts[i].Object)
		}
	}
	log := echoed.String()
	for i, s := range stmts {
		k := strings.Index(log, s.SQL+";\n")
		if k < 0 {
			t.Fatalf("statement %d not echoed: %s", i, s.SQL)
		}
		log = log[k+len(s.SQL):]
	}
	again, err := eng.Plan(context.Background(), parse(t, b), engine.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Changes) != 0 {
		t.Errorf("changes left after the apply:\n%s", describe(again))
	}
}
