package engine_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

var update = flag.Bool("update", false, "rewrite the expected files of testdata/migrate (want.txt, after.txt)")

// pairsDir holds the hand-written migration pairs: one directory per case
// under the dialect's name, with
//
//	a.yaml     the schema to create first
//	b.yaml     the schema to migrate to
//	want.txt   the plan's changes, one "Type object" line each, a
//	           table's alterations indented under it (-update rewrites it)
//	rows.sql   optional: rows put in A's tables before planning
//	after.sql  optional: statements run after the migration, each ending
//	           a line with ';'; their rows, one per line, columns joined
//	           by '|', must equal after.txt
//	changed_columns.txt  optional: table.column of B whose text form
//	           the migration changes on purpose, left out of the rows
//	           check (after.sql checks them)
//	apply_error.txt  optional: the migration must fail with an error
//	           containing this text, and leave the database as A
const pairsDir = "../testdata/migrate"

// TestMigratePairs runs every hand-written pair: create A with
// create-all, put rows in it, plan B and compare the plan's changes with
// want.txt, apply the plan; then a second plan is empty and the rows of
// every table and column B keeps are still there.
func TestMigratePairs(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			cases, err := os.ReadDir(filepath.Join(pairsDir, db.dir))
			if err != nil {
				t.Fatal(err)
			}
			if len(cases) < 5 {
				t.Fatalf("only %d migration pairs for %s", len(cases), db.name)
			}
			for _, c := range cases {
				dir := filepath.Join(pairsDir, db.dir, c.Name())
				t.Run(c.Name(), func(t *testing.T) {
					t.Parallel()
					runPair(t, db, dir)
				})
			}
		})
	}
}

func runPair(t *testing.T, db database, dir string) {
	ctx := context.Background()
	a, err := metadata.Load(filepath.Join(dir, "a.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := metadata.Load(filepath.Join(dir, "b.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	url := db.url(t)
	eng := open(t, url, engine.Options{Create: true})
	if _, err := eng.CreateAll(ctx, a, engine.CreateAllOptions{}); err != nil {
		t.Fatalf("create-all of a.yaml: %v", err)
	}
	if rows, err := os.ReadFile(filepath.Join(dir, "rows.sql")); err == nil {
		if err := eng.Exec(ctx, string(rows)); err != nil {
			t.Fatalf("rows.sql: %v", err)
		}
	}
	// A plans nothing against itself: the case starts from a converged
	// database.
	if p, err := eng.Plan(ctx, a, engine.PlanOptions{}); err != nil {
		t.Fatalf("plan of a.yaml: %v", err)
	} else if len(p.Changes) != 0 {
		t.Fatalf("a.yaml plans changes against itself after create-all:\n%s", describe(p))
	}
	raw := rawDB(t, url)
	kept := keptRelations(a, b)
	if skip, err := os.ReadFile(filepath.Join(dir, "changed_columns.txt")); err == nil {
		kept = withoutColumns(kept, strings.Fields(string(skip)))
	}
	before := relationContent(t, db, raw, kept, false)

	plan, err := eng.Plan(ctx, b, engine.PlanOptions{})
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	golden(t, filepath.Join(dir, "want.txt"), changeKinds(plan.Changes))

	if wantErr, err := os.ReadFile(filepath.Join(dir, "apply_error.txt")); err == nil {
		err := applyAll(ctx, eng, b, engine.PlanOptions{})
		if err == nil || !strings.Contains(err.Error(), strings.TrimSpace(string(wantErr))) {
			t.Fatalf("apply: got error %v, want one containing %q\nplan:\n%s", err, strings.TrimSpace(string(wantErr)), describe(plan))
		}
		// Rolled back: the database is still A.
		if p, err := eng.Plan(ctx, a, engine.PlanOptions{}); err != nil {
			t.Fatal(err)
		} else if len(p.Changes) != 0 {
			t.Fatalf("a failed migration left changes behind:\n%s", describe(p))
		}
		return
	}
	if err := applyAll(ctx, eng, b, engine.PlanOptions{}); err != nil {
		t.Fatalf("apply: %v\nplan:\n%s", err, describe(plan))
	}
	again, err := eng.Plan(ctx, b, engine.PlanOptions{})
	if err != nil {
		t.Fatalf("second plan: %v", err)
	}
	if len(again.Changes) != 0 {
		t.Fatalf("second plan is not empty:\n%s\nfirst plan:\n%s", describe(again), describe(plan))
	}
	after := relationContent(t, db, raw, kept, true)
	for rel, want := range before {
		if got := after[rel]; !slices.Equal(got, want) {
			t.Errorf("rows of %s changed:\nbefore %q\nafter  %q\nplan:\n%s", rel, want, got, describe(plan))
		}
	}
	if q, err := os.ReadFile(filepath.Join(dir, "after.sql")); err == nil {
		var out strings.Builder
		for _, stmt := range scriptStatements(string(q)) {
			out.WriteString(queryRows(t, raw, stmt))
		}
		golden(t, filepath.Join(dir, "after.txt"), out.String())
	}
}

// changeKinds lists changes as want.txt holds them.
func changeKinds(changes []migrate.Change) string {
	var b strings.Builder
	for _, c := range changes {
		fmt.Fprintf(&b, "%s %s\n", reflect.TypeOf(c).Name(), c.Object())
		if mt, ok := c.(migrate.ModifyTable); ok {
			for _, tc := range mt.Changes {
				fmt.Fprintf(&b, "    %s %s\n", reflect.TypeOf(tc).Name(), tc.Object())
			}
		}
	}
	return b.String()
}

// golden compares got with a file's content, or rewrites the file with
// -update.
func golden(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs:\n--- want\n%s--- got\n%s", file, want, got)
	}
}

// keptRelation is a table of A that B keeps (maybe renamed), with the
// columns it keeps by their names in A and in B.
type keptRelation struct {
	from, to   metadata.TableRef
	fromC, toC []string
}

// keptRelations lists the tables of A that B keeps. Partitioned parents
// are left out: their rows are their partitions'.
func keptRelations(a, b *metadata.MetaData) []keptRelation {
	var out []keptRelation
	for _, tb := range b.Tables {
		old := tb.Ref()
		if tb.RenamedFrom != "" {
			old.Name = tb.RenamedFrom
		}
		ta := a.Table(old)
		if ta == nil || ta.PartitionBy != "" {
			continue
		}
		k := keptRelation{from: ta.Ref(), to: tb.Ref()}
		for _, cb := range tb.Columns {
			name := cb.Name
			if cb.RenamedFrom != "" {
				name = cb.RenamedFrom
			}
			if ta.Column(name) != nil {
				k.fromC = append(k.fromC, name)
				k.toC = append(k.toC, cb.Name)
			}
		}
		if len(k.fromC) > 0 {
			out = append(out, k)
		}
	}
	return out
}

// withoutColumns leaves the columns named table.column (B's names) out of
// kept.
func withoutColumns(kept []keptRelation, skip []string) []keptRelation {
	out := slices.Clone(kept)
	for i, k := range out {
		out[i].fromC, out[i].toC = nil, nil
		for j, col := range k.toC {
			if !slices.Contains(skip, k.to.Name+"."+col) {
				out[i].fromC = append(out[i].fromC, k.fromC[j])
				out[i].toC = append(out[i].toC, col)
			}
		}
	}
	return out
}

// relationContent reads every kept row as text, sorted, keyed by A's
// table name.
func relationContent(t *testing.T, db database, raw *sql.DB, kept []keptRelation, after bool) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, k := range kept {
		ref, cols := k.from, k.fromC
		if after {
			ref, cols = k.to, k.toC
		}
		var exprs []string
		for _, col := range cols {
			exprs = append(exprs, "COALESCE(CAST("+quoteIdent(col)+" AS TEXT), '<null>')")
		}
		table := quoteIdent(ref.Name)
		if ref.Schema != "" {
			table = quoteIdent(ref.Schema) + "." + table
		}
		if db.name == "postgres" {
			table = "ONLY " + table // a parent's own rows, not its children's
		}
		rows := queryRows(t, raw, "SELECT "+strings.Join(exprs, " || '|' || ")+" FROM "+table)
		got := strings.Split(strings.TrimSuffix(rows, "\n"), "\n")
		slices.Sort(got)
		out[metadata.QualifiedName(k.from.Schema, k.from.Name)] = got
	}
	return out
}

// queryRows runs a query and returns its rows, one a line, columns joined
// by '|'.
func queryRows(t *testing.T, raw *sql.DB, q string) string {
	t.Helper()
	rows, err := raw.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if i > 0 {
				b.WriteByte('|')
			}
			if v.Valid {
				b.WriteString(v.String)
			} else {
				b.WriteString("<null>")
			}
		}
		b.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return b.String()
}

// scriptStatements splits a script whose statements each end a line with
// ';', leaving out comment lines.
func scriptStatements(script string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(script, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "--") {
			continue
		}
		cur.WriteString(line + "\n")
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if rest := strings.TrimSpace(cur.String()); rest != "" {
		out = append(out, rest)
	}
	return out
}

// applyAll applies want with destructive changes allowed, as the tests
// that compare plans and their effect need.
func applyAll(ctx context.Context, eng *engine.Engine, want *metadata.MetaData, po engine.PlanOptions) error {
	_, err := eng.Apply(ctx, want, engine.ApplyOptions{PlanOptions: po, AllowDestructive: true})
	return err
}
