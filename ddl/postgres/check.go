package postgres

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// Check reports, all at once as metadata.Problems, what in a model
// PostgreSQL cannot hold: SQLite's virtual tables, WITHOUT ROWID and
// STRICT tables, SQLite's ON CONFLICT clauses and the collations and
// orders it allows inside a primary key or unique constraint, VIRTUAL
// generated columns (PostgreSQL computes STORED
// ones only), MATCH PARTIAL foreign keys (not implemented by the server),
// serial and identity columns declared nullable (they are always NOT
// NULL), a check option on a materialized view, a partition that also
// inherits, a policy for public and other roles (the server keeps public
// alone), and types or defaults this dialect cannot write. Names too
// long for PostgreSQL are metadata.Validate's business.
func (Dialect) Check(m *metadata.MetaData) error {
	var ps metadata.Problems
	add := func(path, object, format string, args ...any) {
		ps = append(ps, metadata.Problem{Path: path, Object: object, Message: fmt.Sprintf(format, args...)})
	}
	for i, vt := range m.VirtualTables {
		add(fmt.Sprintf("virtual_tables[%d]", i), metadata.ObjectName("virtual table", "", vt.Name),
			"PostgreSQL has no virtual tables (a SQLite feature)")
	}
	for i, d := range m.Domains {
		p := fmt.Sprintf("domains[%d]", i)
		obj := metadata.ObjectName("domain", d.Schema, d.Name)
		if d.Type != nil {
			if _, err := formatType(d.Type); err != nil {
				add(p+".type", obj, "%v", err)
			}
		}
		if d.Default != nil {
			if _, err := formatDefault(d.Default); err != nil {
				add(p+".default", obj, "%v", err)
			}
		}
	}
	for i, ct := range m.CompositeTypes {
		for j, a := range ct.Attributes {
			if a.Type != nil {
				if _, err := formatType(a.Type); err != nil {
					add(fmt.Sprintf("composite_types[%d].attributes[%d].type", i, j), metadata.ObjectName("composite type", ct.Schema, ct.Name), "%v", err)
				}
			}
		}
	}
	for i, s := range m.Sequences {
		if s.Type != nil {
			if _, err := formatType(s.Type); err != nil {
				add(fmt.Sprintf("sequences[%d].type", i), metadata.ObjectName("sequence", s.Schema, s.Name), "%v", err)
			}
		}
	}
	for i := range m.Tables {
		checkTable(&m.Tables[i], fmt.Sprintf("tables[%d]", i), add)
	}
	for i, v := range m.Views {
		if v.Materialized && v.CheckOption != "" {
			add(fmt.Sprintf("views[%d].check_option", i), metadata.ObjectName("materialized view", v.Schema, v.Name),
				"a materialized view cannot have a check option")
		}
	}
	return ps.Err()
}

// noOnConflict is the refusal of a SQLite ON CONFLICT clause.
const noOnConflict = "ON CONFLICT on a constraint is a SQLite feature: PostgreSQL has no such clause (a statement that breaks a constraint fails; use INSERT ... ON CONFLICT in the statement instead)"

// checkKey refuses the SQLite parts of a primary key or unique
// constraint.
func checkKey(p, obj string, opts []metadata.KeyColumnOption, action metadata.ConflictAction, add func(path, object, format string, args ...any)) {
	if len(opts) > 0 {
		add(p+".column_options", obj, "PostgreSQL takes no collation or order inside a primary key or unique constraint: declare a unique index instead")
	}
	if action != "" {
		add(p+".on_conflict", obj, noOnConflict)
	}
}

func checkTable(t *metadata.Table, p string, add func(path, object, format string, args ...any)) {
	obj := metadata.ObjectName("table", t.Schema, t.Name)
	if t.WithoutRowID {
		add(p+".without_rowid", obj, "WITHOUT ROWID is a SQLite feature; PostgreSQL has no rowid")
	}
	if t.Strict {
		add(p+".strict", obj, "STRICT is a SQLite feature; PostgreSQL always checks types")
	}
	if t.PartitionOf != nil && len(t.Inherits) > 0 {
		add(p+".inherits", obj, "a partition cannot also inherit from other tables")
	}
	for j := range t.Columns {
		c := &t.Columns[j]
		cp := fmt.Sprintf("%s.columns[%d]", p, j)
		cobj := fmt.Sprintf("column %s.%s", metadata.QuoteName(t.Name), metadata.QuoteName(c.Name))
		if c.Type != nil && t.PartitionOf == nil {
			if _, err := formatType(c.Type); err != nil {
				add(cp+".type", cobj, "%v", err)
			}
		}
		if c.Default != nil {
			if _, err := formatDefault(c.Default); err != nil {
				add(cp+".default", cobj, "%v", err)
			}
		}
		if c.Generated != nil && !c.Generated.Stored {
			add(cp+".generated.stored", cobj, "PostgreSQL computes STORED generated columns only: set stored: true")
		}
		if (c.Autoincrement || c.Identity != nil) && c.Nullable {
			add(cp+".nullable", cobj, "a serial or identity column is always NOT NULL on PostgreSQL: set nullable: false")
		}
		if c.NotNullOnConflict != "" {
			add(cp+".not_null_on_conflict", cobj, noOnConflict)
		}
	}
	if pk := t.PrimaryKey; pk != nil {
		checkKey(p+".primary_key", obj, pk.ColumnOptions, pk.OnConflict, add)
	}
	for j, u := range t.Uniques {
		checkKey(fmt.Sprintf("%s.uniques[%d]", p, j), obj, u.ColumnOptions, u.OnConflict, add)
	}
	for j, fk := range t.ForeignKeys {
		if fk.Match == "partial" {
			add(fmt.Sprintf("%s.foreign_keys[%d].match", p, j), obj, "PostgreSQL does not implement MATCH PARTIAL")
		}
	}
	for j, pol := range t.Policies {
		if len(pol.Roles) > 1 && slices.ContainsFunc(pol.Roles, func(r string) bool { return strings.EqualFold(r, "public") }) {
			add(fmt.Sprintf("%s.policies[%d].roles", p, j), obj, "a policy for public applies to every role: the server ignores the other roles listed")
		}
		if pol.Command == "insert" && pol.Using != "" {
			add(fmt.Sprintf("%s.policies[%d].using", p, j), obj, "an INSERT policy takes only with_check, not using")
		}
		if (pol.Command == "select" || pol.Command == "delete") && pol.WithCheck != "" {
			add(fmt.Sprintf("%s.policies[%d].with_check", p, j), obj, "a %s policy takes only using, not with_check", pol.Command)
		}
	}
}
