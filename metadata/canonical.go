package metadata

import (
	"cmp"
	"slices"
	"strings"
)

// Canonical returns a copy of m with every list whose order carries no
// meaning sorted: objects by schema and name, constraints and indexes by
// name and then content. Columns, enum values, index keys and parents keep
// their order, which does carry meaning. Two models that declare the same
// schema in different orders have equal canonical forms; an inspected
// database compares with its declaration this way.
func Canonical(m *MetaData) *MetaData {
	c := *m
	c.Extensions = sorted(m.Extensions, func(e Extension) string { return e.Name })
	c.Schemas = sorted(m.Schemas, func(s Schema) string { return s.Name })
	c.Enums = sorted(m.Enums, func(e Enum) string { return e.Schema + "\x00" + e.Name })
	c.Domains = sorted(m.Domains, func(d Domain) string { return d.Schema + "\x00" + d.Name })
	for i := range c.Domains {
		c.Domains[i].Checks = sortedChecks(c.Domains[i].Checks)
	}
	c.Sequences = sorted(m.Sequences, func(s Sequence) string { return s.Schema + "\x00" + s.Name })
	c.Functions = sorted(m.Functions, func(f Function) string {
		return f.Schema + "\x00" + f.Name + "\x00" + strings.Join(strings.Fields(f.Args), " ")
	})
	c.Tables = sorted(m.Tables, func(t Table) string { return t.Schema + "\x00" + t.Name })
	for i := range c.Tables {
		t := &c.Tables[i]
		t.ForeignKeys = sorted(t.ForeignKeys, func(fk ForeignKey) string {
			return fk.Name + "\x00" + strings.Join(fk.Columns, ",") + "\x00" + fk.References.Schema + "." + fk.References.Table
		})
		t.Uniques = sorted(t.Uniques, func(u Unique) string { return u.Name + "\x00" + strings.Join(u.Columns, ",") })
		t.Checks = sortedChecks(t.Checks)
		t.Exclusions = sorted(t.Exclusions, func(x Exclusion) string { return x.Name + "\x00" + x.Definition })
		t.Indexes = sorted(t.Indexes, func(ix Index) string { return ix.Name })
		t.Policies = sorted(t.Policies, func(p Policy) string { return p.Name })
	}
	c.VirtualTables = sorted(m.VirtualTables, func(v VirtualTable) string { return v.Name })
	c.Views = sorted(m.Views, func(v View) string { return v.Schema + "\x00" + v.Name })
	for i := range c.Views {
		c.Views[i].Indexes = sorted(c.Views[i].Indexes, func(ix Index) string { return ix.Name })
	}
	c.Triggers = sorted(m.Triggers, func(t Trigger) string { return t.Schema + "\x00" + t.Table + "\x00" + t.Name })
	return &c
}

func sortedChecks(cs []Check) []Check {
	return sorted(cs, func(c Check) string { return c.Name + "\x00" + c.Expr })
}

// sorted returns a sorted copy of s (nil stays nil, so that an empty list
// and a missing one compare equal after encoding).
func sorted[T any](s []T, key func(T) string) []T {
	if len(s) == 0 {
		return nil
	}
	out := slices.Clone(s)
	slices.SortStableFunc(out, func(a, b T) int { return cmp.Compare(key(a), key(b)) })
	return out
}
