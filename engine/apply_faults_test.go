package engine_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dbtool/dbtool/engine"
	"github.com/jackc/pgx/v5"
)

var faultSeed = flag.Int64("fault-seed", 0, "seed of the statement the fault tests break an apply at; 0 picks one")

// faultRand returns the fault tests' random source, logging its seed so
// that a failure can be replayed with -fault-seed.
func faultRand(t *testing.T) *rand.Rand {
	t.Helper()
	seed := *faultSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("fault seed %d (replay with -fault-seed=%d)", seed, seed)
	return rand.New(rand.NewSource(seed))
}

// faultTables is how many tables schema A of the fault tests has.
const faultTables = 6

// faultA is the fault tests' schema A: tables t_0.. with three rows each.
func faultA() (string, []string) {
	var b strings.Builder
	var rows []string
	b.WriteString("tables:\n")
	for i := range faultTables {
		fmt.Fprintf(&b, "  - name: t_%d\n    columns:\n      - {name: id, type: integer, primary_key: true}\n      - {name: name, type: varchar(50)}\n      - {name: n, type: integer}\n", i)
		rows = append(rows, fmt.Sprintf("INSERT INTO t_%d (id, name, n) VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', NULL)", i))
	}
	return b.String(), rows
}

// faultB is schema B: t_1, t_2 and t_5 gain a column, t_3, t_4 and t_5 an
// index, and a new table references t_0, so that each table of A is first
// named by a different kind of statement, early or late in the plan. With
// uniqueCode, t_3 also gains a column code with a default and a unique
// index on it, which the default breaks: the rows have no duplicates
// before the plan runs, so the data checks cannot see it, and the server
// refuses the index half-way.
func faultB(uniqueCode bool) string {
	var b strings.Builder
	b.WriteString("tables:\n")
	for i := range faultTables {
		fmt.Fprintf(&b, "  - name: t_%d\n    columns:\n      - {name: id, type: integer, primary_key: true}\n      - {name: name, type: varchar(50)}\n      - {name: n, type: integer}\n", i)
		if i == 1 || i == 2 || i == 5 {
			b.WriteString("      - {name: note, type: text}\n")
		}
		if uniqueCode && i == 3 {
			b.WriteString("      - {name: code, type: varchar(10), default: {expr: \"lower('X')\"}}\n")
		}
		if i >= 3 {
			fmt.Fprintf(&b, "    indexes:\n      - {name: ix_t_%d_n, columns: [n]}\n", i)
		}
		if uniqueCode && i == 3 {
			b.WriteString("      - {name: ux_t_3_code, columns: [code], unique: true}\n")
		}
	}
	b.WriteString("  - name: extra\n    columns:\n      - {name: id, type: integer, primary_key: true}\n      - {name: t0, type: integer}\n" +
		"    foreign_keys:\n      - {columns: [t0], references: {table: t_0, columns: [id]}}\n")
	return b.String()
}

// faultFixture is a database at faultA, and the plan to faultB.
func faultFixture(t *testing.T, db database, uniqueCode bool) (*fixture, string, *engine.MigrationPlan) {
	t.Helper()
	a, rows := faultA()
	f := newFixture(t, db, a, rows...)
	b := faultB(uniqueCode)
	p, err := f.eng.Plan(context.Background(), parse(t, b), engine.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Statements) < faultTables {
		t.Fatalf("the plan has %d statements, want at least %d:\n%s", len(p.Statements), faultTables, describe(p))
	}
	return f, b, p
}

// rerun checks that an apply after a fault succeeds and leaves one
// history row and nothing to do.
func (f *fixture) rerun(t *testing.T, b string) {
	t.Helper()
	ctx := context.Background()
	res, err := f.eng.Apply(ctx, parse(t, b), engine.ApplyOptions{LockWait: 30 * time.Second})
	if err != nil {
		t.Fatalf("the apply after the fault: %v", err)
	}
	if !res.Applied {
		t.Fatal("the apply after the fault applied nothing")
	}
	if h, err := f.eng.History(ctx); err != nil || len(h) != 1 {
		t.Errorf("history after the rerun: %d rows, %v; want 1", len(h), err)
	}
	again, err := f.eng.Plan(ctx, parse(t, b), engine.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Changes) != 0 {
		t.Errorf("changes left after the rerun:\n%s", describe(again))
	}
}

// TestApplyCancelledAtStatement: the apply's context is cancelled (what
// Ctrl-C does) just before a random statement k is sent: the apply
// returns context.Canceled and the database is exactly at A, with no
// history; a rerun succeeds.
func TestApplyCancelledAtStatement(t *testing.T) {
	r := faultRand(t)
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			for run := range 3 {
				t.Run(fmt.Sprint(run), func(t *testing.T) {
					f, b, p := faultFixture(t, db, false)
					k := r.Intn(len(p.Statements))
					t.Logf("cancelling before statement %d of %d: %s", k, len(p.Statements), p.Statements[k].SQL)
					ctx, cancel := context.WithCancel(context.Background())
					defer cancel()
					sent := 0
					_, err := f.eng.Apply(ctx, parse(t, b), engine.ApplyOptions{Progress: func(pr engine.Progress) {
						sent = pr.Done
						if pr.Done == k {
							cancel()
						}
					}})
					if !errors.Is(err, context.Canceled) {
						t.Fatalf("error %v, want context.Canceled", err)
					}
					if sent != k {
						t.Errorf("went on to statement %d after the cancel at %d", sent, k)
					}
					f.unchanged(t, "an apply cancelled at statement "+fmt.Sprint(k))
					f.rerun(t, b)
				})
			}
		})
	}
}

// TestApplyServerRefusesHalfway: a unique index over duplicate rows, which
// an earlier statement of the plan made (a new column's default), fails
// on the server after the statements before it ran: the database is
// exactly at A, with no history; the error names the index and keeps the
// server's detail.
func TestApplyServerRefusesHalfway(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			f, b, p := faultFixture(t, db, true)
			at := -1
			for i, s := range p.Statements {
				if strings.Contains(s.SQL, "ux_t_3_code") {
					at = i
				}
			}
			if at < 1 {
				t.Fatalf("the unique index is statement %d; want one after others:\n%s", at, describe(p))
			}
			_, err := f.eng.Apply(context.Background(), parse(t, b), engine.ApplyOptions{})
			var se *engine.StatementError
			if !errors.As(err, &se) || !strings.Contains(se.SQL, "ux_t_3_code") {
				t.Fatalf("error %v, want a *StatementError for the unique index", err)
			}
			if db.name == "postgres" && (pgCode(err) != "23505" || !strings.Contains(err.Error(), "DETAIL: Key (code)=(x) is duplicated")) {
				t.Errorf("error lacks the server's code and detail: %v", err)
			}
			f.unchanged(t, fmt.Sprintf("an apply refused at statement %d of %d", at, len(p.Statements)))
			if err := f.eng.Exec(context.Background(), "DELETE FROM t_3 WHERE id > 1"); err != nil {
				t.Fatal(err)
			}
			f.rerun(t, b)
		})
	}
}

// mentioned is the first table of A a statement names.
var mentioned = regexp.MustCompile(`\bt_\d+\b`)

// lockAt holds an ACCESS EXCLUSIVE lock, from a connection of the test's
// own, on the table of A that a random statement k of the plan names, so
// that the apply blocks at the first statement naming that table. It
// returns that statement's index and a function that rolls the lock back.
func lockAt(t *testing.T, r *rand.Rand, url string, p *engine.MigrationPlan) (int, func()) {
	t.Helper()
	var k int
	var table string
	for table == "" {
		k = r.Intn(len(p.Statements))
		table = mentioned.FindString(p.Statements[k].SQL)
	}
	for i, s := range p.Statements {
		if slices.Contains(mentioned.FindAllString(s.SQL, -1), table) {
			k = i
			break
		}
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "LOCK TABLE "+table+" IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	t.Logf("table %s locked: the apply blocks at statement %d of %d: %s", table, k, len(p.Statements), p.Statements[k].SQL)
	var once sync.Once
	return k, func() { once.Do(func() { _ = tx.Rollback(ctx) }) }
}

// blockedBackend waits for a session of the database to wait on a lock
// and returns its pid and query. It asks on a connection of its own, out
// of any transaction: one reads pg_stat_activity as it was at its
// transaction's first look.
func blockedBackend(t *testing.T, url string, done <-chan struct{}) (int, string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		var pid int
		var query string
		err := conn.QueryRow(context.Background(), `SELECT pid, query FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`).Scan(&pid, &query)
		if err == nil {
			return pid, query
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			t.Fatal(err)
		}
		select {
		case <-done:
			t.Fatal("the apply ended without blocking on the locked table")
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatal("no session waits on the locked table")
	return 0, ""
}

// TestApplyKilledAtStatement: the apply blocks at a random statement k
// (a table it alters is locked by another session) and is then killed
// from that session (pg_terminate_backend), or its context cancelled:
// the database is exactly at A, with no history, the migration lock is
// free, and a rerun succeeds.
func TestApplyKilledAtStatement(t *testing.T) {
	r := faultRand(t)
	for _, how := range []string{"terminated", "cancelled"} {
		t.Run(how, func(t *testing.T) {
			for run := range 3 {
				t.Run(fmt.Sprint(run), func(t *testing.T) {
					db := databases[1]
					f, b, p := faultFixture(t, db, false)
					k, unlock := lockAt(t, r, f.url, p)
					defer unlock()
					ctx, cancel := context.WithCancel(context.Background())
					defer cancel()
					var mu sync.Mutex
					sent := -1
					done := make(chan struct{})
					var err error
					// Its own engine: the one the test inspects with must
					// not be the one killed.
					eng := open(t, f.url, engine.Options{DDLLockTimeout: 10 * time.Minute})
					go func() {
						defer close(done)
						_, err = eng.Apply(ctx, parse(t, b), engine.ApplyOptions{Progress: func(pr engine.Progress) {
							mu.Lock()
							sent = pr.Done
							mu.Unlock()
						}})
					}()
					pid, query := blockedBackend(t, f.url, done)
					mu.Lock()
					at := sent
					mu.Unlock()
					if at != k || !strings.Contains(query, strings.TrimSpace(p.Statements[k].SQL)) {
						t.Errorf("blocked at statement %d (%q), want %d", at, query, k)
					}
					if how == "terminated" {
						var ok bool
						if err := f.raw.QueryRow("SELECT pg_terminate_backend($1)", pid).Scan(&ok); err != nil || !ok {
							t.Fatalf("pg_terminate_backend(%d): %v, %v", pid, ok, err)
						}
					} else {
						cancel()
					}
					<-done
					unlock()
					if err == nil {
						t.Fatal("the apply succeeded")
					}
					if how == "cancelled" && !errors.Is(err, context.Canceled) {
						t.Errorf("error %v, want context.Canceled", err)
					}
					t.Logf("apply: %v", err)
					f.unchanged(t, fmt.Sprintf("an apply %s at statement %d", how, k))
					f.rerun(t, b)
				})
			}
		})
	}
}

// TestApplyLockTimeout: a statement that waits longer than lock_timeout
// for a table fails the apply, which says what it waited on; the database
// is exactly at A, with no history, and a rerun succeeds.
func TestApplyLockTimeout(t *testing.T) {
	r := faultRand(t)
	db := databases[1]
	f, b, p := faultFixture(t, db, false)
	k, unlock := lockAt(t, r, f.url, p)
	defer unlock()
	eng := open(t, f.url, engine.Options{DDLLockTimeout: 200 * time.Millisecond})
	_, err := eng.Apply(context.Background(), parse(t, b), engine.ApplyOptions{})
	unlock()
	var se *engine.StatementError
	if !errors.As(err, &se) || se.SQL != p.Statements[k].SQL {
		t.Fatalf("error %v, want a *StatementError of statement %d", err, k)
	}
	if pgCode(err) != "55P03" || !strings.Contains(err.Error(), "lock_timeout 200ms") || !strings.Contains(err.Error(), "LOCK TABLE") {
		t.Errorf("error does not say it hit lock_timeout waiting on the LOCK TABLE session: %v", err)
	}
	f.unchanged(t, "an apply that hit lock_timeout")
	f.rerun(t, b)
}
