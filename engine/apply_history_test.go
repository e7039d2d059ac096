package engine_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/jackc/pgx/v5"
)

var roleSeq atomic.Int64

// loginRole creates a role that may log in, with nothing else, dropped
// when the test ends; it returns its name and url as that role.
func loginRole(t *testing.T, admin string) (string, string) {
	t.Helper()
	ctx := context.Background()
	role := fmt.Sprintf("deployer_%d_%d", os.Getpid(), roleSeq.Add(1))
	exec := func(sql string) error {
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, sql)
		return err
	}
	if err := exec("CREATE ROLE " + role + " LOGIN"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := exec("DROP OWNED BY " + role + "; DROP ROLE " + role); err != nil {
			t.Errorf("dropping role %s: %v", role, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	return role, u.String()
}

// TestApplyHistoryPrivileges: a role that may change the tables but not
// record the apply (create the history's schema or table, use its schema,
// insert into it) is refused before anything is written, with the GRANT
// that fixes it, where the history row, written last, would roll back all
// the plan's work; given each privilege in turn, it applies.
func TestApplyHistoryPrivileges(t *testing.T) {
	ctx := context.Background()
	admin := pgtest.URL(t)
	role, asRole := loginRole(t, admin)
	raw := rawDB(t, admin)
	if _, err := raw.Exec("GRANT CREATE, USAGE ON SCHEMA public TO " + role); err != nil {
		t.Fatal(err)
	}
	eng := open(t, asRole, engine.Options{})
	schema := func(tables ...string) string {
		s := "tables:\n"
		for _, name := range tables {
			s += "  - name: " + name + "\n    columns:\n      - {name: id, type: integer, primary_key: true}\n"
		}
		return s
	}
	var n, have int // tables in public now, and after the last apply
	for i, step := range []struct {
		want  string // the refusal; "" applies
		grant string // run as the administrator after the step
	}{
		{want: `the history table "dbtool"."dbtool_migrations" does not exist, and role "` + role + `" may not create its schema: as the database's owner, CREATE SCHEMA dbtool AUTHORIZATION ` + role,
			grant: "CREATE SCHEMA dbtool"},
		{want: `role "` + role + `" may not use the schema of the history table "dbtool"."dbtool_migrations": GRANT USAGE ON SCHEMA dbtool TO ` + role,
			grant: "GRANT USAGE ON SCHEMA dbtool TO " + role},
		{want: `the history table "dbtool"."dbtool_migrations" does not exist, and role "` + role + `" may not create it: GRANT CREATE ON SCHEMA dbtool TO ` + role,
			grant: "GRANT CREATE ON SCHEMA dbtool TO " + role},
		// The role creates the history table, which it then owns.
		{grant: "ALTER TABLE dbtool.dbtool_migrations OWNER TO postgres; REVOKE CREATE ON SCHEMA dbtool FROM " + role},
		{want: `role "` + role + `" may not insert into the history table "dbtool"."dbtool_migrations": GRANT INSERT ON dbtool.dbtool_migrations TO ` + role,
			grant: "GRANT INSERT ON dbtool.dbtool_migrations TO " + role},
		{},
	} {
		tables := []string{"a"}
		for j := range i {
			tables = append(tables, fmt.Sprintf("t%d", j))
		}
		res, err := eng.Apply(ctx, parse(t, schema(tables...)), engine.ApplyOptions{})
		if step.want == "" {
			if err != nil || !res.Applied {
				t.Fatalf("step %d: applied %v, error %v; want applied", i, res != nil && res.Applied, err)
			}
			have = len(tables)
		} else {
			if err == nil || !strings.Contains(err.Error(), step.want) || !strings.HasSuffix(err.Error(), "nothing was written") {
				t.Fatalf("step %d: error %v, want %q, and that nothing was written", i, err, step.want)
			}
			if err := raw.QueryRow("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&n); err != nil || n != have {
				t.Fatalf("step %d: %d tables in public, %v; want the %d there were", i, n, err, have)
			}
		}
		if step.grant != "" {
			if _, err := raw.Exec(step.grant); err != nil {
				t.Fatalf("step %d: %s: %v", i, step.grant, err)
			}
		}
	}
	// The role may insert into the history, not read it.
	if h, err := open(t, admin, engine.Options{}).History(ctx); err != nil || len(h) != 2 || h[1].AppliedBy != role {
		t.Errorf("history: %+v, %v; want 2 entries, the last by %s", h, err, role)
	}
}
