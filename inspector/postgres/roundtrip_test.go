package postgres

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
	"github.com/google/go-cmp/cmp"
)

// schemaFiles lists the testdata schemas PostgreSQL must round-trip: the
// portable ones, the PostgreSQL-only ones, and the split directory as one
// schema.
func schemaFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, pattern := range []string{"*.yaml", "*.json", "postgres/*.yaml"} {
		files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "schemas", pattern))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, files...)
	}
	if len(out) == 0 {
		t.Fatal("no testdata schemas found")
	}
	return append(out, filepath.Join("..", "..", "testdata", "schemas", "split"))
}

// TestRoundTrip is the central check: every testdata schema, created by
// create-all and inspected, comes back equal to its declaration; a second
// create-all against what was inspected has nothing to do; and what was
// inspected, created in a fresh database and inspected again, comes back
// exactly (a fixed point).
//
// The PostgreSQL-only files write SQL text (views, checks, index
// predicates) as the server prints it, so they compare exactly. The
// portable files write it as a person would ("price >= 0", where the server
// prints "price >= (0)::numeric"): for them view definitions and check
// expressions are left out of the first comparison, and the fixed point
// checks that the server's text round-trips.
func TestRoundTrip(t *testing.T) {
	for _, path := range schemaFiles(t) {
		name := strings.TrimPrefix(filepath.ToSlash(path), "../../testdata/schemas/")
		portable := !strings.HasPrefix(name, "postgres/")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want, err := metadata.Load(path)
			if err != nil {
				t.Fatalf("loading: %v", err)
			}
			db := newDB(t)
			db.createAll(want)
			res := db.inspect(inspector.Options{})
			w, g := equivalent(want), equivalent(res.Schema)
			if portable {
				w, g = withoutSQLText(w), withoutSQLText(g)
			}
			if diff := cmp.Diff(w, g); diff != "" {
				t.Errorf("inspected model differs from the declared one (-declared +inspected):\n%s", diff)
			}
			if len(res.Warnings) > 0 {
				t.Errorf("unexpected warnings: %q", res.Warnings)
			}
			if plan := migrate.PlanCreateAll(want, res.Schema); len(plan.Changes) > 0 {
				var objs []string
				for _, c := range plan.Changes {
					objs = append(objs, c.Object())
				}
				t.Errorf("create-all after create-all would still create: %s", strings.Join(objs, ", "))
			}
			if err := metadata.Validate(res.Schema); err != nil {
				t.Fatalf("the inspected model does not validate:\n%v", err)
			}

			again := newDB(t)
			again.createAll(res.Schema)
			res2 := again.inspect(inspector.Options{})
			if diff := diffModels(res.Schema, res2.Schema); diff != "" {
				t.Errorf("inspect -> create-all -> inspect is not a fixed point (-first +second):\n%s", diff)
			}
			if extra := newWarnings(res.Warnings, res2.Warnings); len(extra) > 0 {
				t.Errorf("the second inspection warns of what the first did not: %q", extra)
			}
		})
	}
}

// equivalent returns m in canonical order with the spellings PostgreSQL
// cannot tell apart made one: a sequence's bigint type, increment 1 and
// cache 1 are its defaults (nil), and owned_by "schema.table.column" in
// the sequence's own schema is "table.column". metadata.Canonical could
// well do the same.
func equivalent(m *metadata.MetaData) *metadata.MetaData {
	c := metadata.Canonical(m)
	c.Sequences = slices.Clone(c.Sequences)
	for i := range c.Sequences {
		s := &c.Sequences[i]
		if s.Type == (metadata.Integer{Bytes: 8}) {
			s.Type = nil
		}
		if s.Increment != nil && *s.Increment == 1 {
			s.Increment = nil
		}
		if s.Cache != nil && *s.Cache == 1 {
			s.Cache = nil
		}
		if parts := strings.Split(s.OwnedBy, "."); len(parts) == 3 && parts[0] == s.Schema {
			s.OwnedBy = parts[1] + "." + parts[2]
		}
	}
	return c
}

// withoutSQLText blanks view definitions and check expressions.
func withoutSQLText(m *metadata.MetaData) *metadata.MetaData {
	c := *m
	c.Views = slices.Clone(c.Views)
	for i := range c.Views {
		c.Views[i].Definition = ""
	}
	c.Tables = slices.Clone(c.Tables)
	for i := range c.Tables {
		t := &c.Tables[i]
		t.Checks = slices.Clone(t.Checks)
		for j := range t.Checks {
			t.Checks[j].Expr = ""
		}
	}
	return &c
}

// newWarnings returns the warnings of a later inspection that an earlier
// one did not give: create-all must not make anything dbtool does not
// manage.
func newWarnings(first, second []string) []string {
	var out []string
	for _, w := range second {
		if !slices.Contains(first, w) {
			out = append(out, w)
		}
	}
	return out
}
