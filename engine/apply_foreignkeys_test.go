package engine_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/engine"
)

// teamsA is a SQLite schema whose members reference teams.
const teamsA = `
tables:
  - name: teams
    columns:
      - {name: id, type: integer, primary_key: true}
  - name: members
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: team_id, type: integer}
    foreign_keys:
      - {columns: [team_id], references: {table: teams, columns: [id]}}
`

// teamsFixture is teamsA with team 1 and the members given, written, as
// the sqlite3 shell would, by a connection that enforces no foreign key.
func teamsFixture(t *testing.T, a, members string) *fixture {
	t.Helper()
	f := newFixture(t, databases[0], a, `INSERT INTO teams (id) VALUES (1)`)
	if _, err := f.raw.Exec(`INSERT INTO members (id, team_id) VALUES ` + members); err != nil {
		t.Fatal(err)
	}
	f.a = take(t, f.eng, f.raw)
	return f
}

// TestSQLiteRebuildKeepsBrokenReferences: rows that already reference
// nothing do not stop a plan that rebuilds their table: they are warned
// of, and left as they are, since the rebuild did not break them.
func TestSQLiteRebuildKeepsBrokenReferences(t *testing.T) {
	ctx := context.Background()
	f := teamsFixture(t, teamsA, `(1, 1), (2, 7), (3, 7)`)
	// A new check makes SQLite rebuild members.
	rebuild := teamsA + "    checks:\n      - {name: ck_members_id, expr: id > 0}\n"
	res, err := f.eng.Apply(ctx, parse(t, rebuild), engine.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(res.Plan.Statements, func(s ddl.Statement) bool { return s.Rebuild }) {
		t.Fatal("the plan does not rebuild members")
	}
	want := `foreign keys of table "members": 2 rows reference no row of "teams" already, written while foreign keys were not enforced; the plan leaves them as they are`
	if !slices.Contains(res.Plan.Warnings, want) {
		t.Errorf("warnings %q, want %q", res.Plan.Warnings, want)
	}
	var n int
	if err := f.raw.QueryRow(`SELECT count(*) FROM pragma_foreign_key_check`).Scan(&n); err != nil || n != 2 {
		t.Errorf("%d rows reference nothing after the rebuild, %v; want the 2 there were", n, err)
	}
}

// TestSQLiteRebuildBreaksReferences: a rebuild that leaves more rows
// referencing nothing than there were (a new column with a default that
// no team has, which the data checks do not count) fails the foreign key
// check before commit, and everything rolls back; the message counts the
// rows that were there before.
func TestSQLiteRebuildBreaksReferences(t *testing.T) {
	b := teamsA + `      - {columns: [captain_of], references: {table: teams, columns: [id]}}
`
	b = strings.Replace(b, "      - {name: team_id, type: integer}\n", "      - {name: team_id, type: integer}\n      - {name: captain_of, type: integer, default: 99}\n", 1)
	ctx := context.Background()
	for _, c := range []struct {
		name, members string
		violations    int
		message       string
	}{
		{"none before", `(1, 1)`, 1, `foreign key check failed, rolled back: row 1 of table "members" references a missing row of "teams"`},
		{"one before", `(1, 1), (2, 7)`, 3, `(and 2 more; 1 of these 3 rows was there before the plan)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := teamsFixture(t, teamsA, c.members)
			_, err := f.eng.Apply(ctx, parse(t, b), engine.ApplyOptions{})
			var fe *engine.ForeignKeyError
			if !errors.As(err, &fe) || len(fe.Violations) != c.violations {
				t.Fatalf("error %v, want a *ForeignKeyError with %d rows", err, c.violations)
			}
			if !strings.Contains(err.Error(), c.message) {
				t.Errorf("error %q lacks %q", err, c.message)
			}
			f.unchanged(t, "a rebuild whose foreign key check failed")
			if h, err := f.eng.History(ctx); err != nil || h != nil {
				t.Errorf("history %v, %v: want none", h, err)
			}
		})
	}
}
