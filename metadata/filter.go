package metadata

import (
	"path"
	"slices"
	"strings"
)

// Filter selects part of a schema: the namespaces, tables and views that
// --schema, --table and --exclude name. It is applied in one place, here,
// to a declared model and to an inspected one alike, so that a comparison
// of the two never sees an object on one side only because of a filter.
// Inspectors also push it into their catalog queries. Empty lists select
// everything.
type Filter struct {
	// Schemas limits the selection to these namespaces.
	Schemas []string
	// Tables are glob patterns (path.Match syntax: *, ?, [...]) a table or
	// view must match, by its name or by "schema.name".
	Tables []string
	// Exclude are glob patterns of tables and views to leave out.
	Exclude []string
	// DefaultSchema is the name of the namespace that objects without one
	// are in ("public", "main"), as the live database says; when empty,
	// both "public" and "main" name it.
	DefaultSchema string
}

// Match reports whether a table or view in schema passes the Tables and
// Exclude filters.
func (f Filter) Match(schema, name string) bool {
	if len(f.Tables) > 0 && !matchAny(f.Tables, schema, name) {
		return false
	}
	return !matchAny(f.Exclude, schema, name)
}

// MatchSchema reports whether a namespace passes the Schemas filter.
func (f Filter) MatchSchema(schema string) bool {
	if len(f.Schemas) == 0 {
		return true
	}
	return slices.Contains(f.Schemas, schema)
}

// Filtered reports whether any table filter is set.
func (f Filter) Filtered() bool { return len(f.Tables) > 0 || len(f.Exclude) > 0 }

// Selects reports whether the filter selects anything less than all.
func (f Filter) Selects() bool { return len(f.Schemas) > 0 || f.Filtered() }

// inSchema reports whether the filter keeps a namespace, "" being the
// default one.
func (f Filter) inSchema(schema string) bool {
	if schema != "" {
		return f.MatchSchema(schema)
	}
	if f.DefaultSchema != "" {
		return f.MatchSchema("") || f.MatchSchema(f.DefaultSchema)
	}
	return f.MatchSchema("") || f.MatchSchema("public") || f.MatchSchema("main")
}

func matchAny(patterns []string, schema, name string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
		if schema != "" {
			if ok, _ := path.Match(p, schema+"."+name); ok {
				return true
			}
		}
	}
	return false
}

// Select returns the part of m that f keeps:
//
//   - Schemas keeps the objects in those namespaces (an object declared
//     without one is in the default namespace);
//   - --table and --exclude keep the tables, views and virtual tables whose
//     name (or schema.name) they match;
//   - a trigger goes with its table; extensions, which belong to the
//     database, always stay.
//
// The result may lack tables that the kept ones need (a foreign key's
// target); see Dependencies.
func (f Filter) Select(m *MetaData) *MetaData {
	if !f.Selects() {
		return m
	}
	inSchema := f.inSchema
	keepRel := func(schema, name string) bool { return inSchema(schema) && f.Match(schema, name) }

	out := &MetaData{
		Extensions:    m.Extensions,
		Schemas:       keep(m.Schemas, func(s Schema) bool { return inSchema(s.Name) }),
		Enums:         keep(m.Enums, func(e Enum) bool { return inSchema(e.Schema) }),
		Domains:       keep(m.Domains, func(d Domain) bool { return inSchema(d.Schema) }),
		Sequences:     keep(m.Sequences, func(s Sequence) bool { return inSchema(s.Schema) }),
		Functions:     keep(m.Functions, func(f Function) bool { return inSchema(f.Schema) }),
		Tables:        keep(m.Tables, func(t Table) bool { return keepRel(t.Schema, t.Name) }),
		VirtualTables: keep(m.VirtualTables, func(v VirtualTable) bool { return keepRel("", v.Name) }),
		Views:         keep(m.Views, func(v View) bool { return keepRel(v.Schema, v.Name) }),
	}
	out.Triggers = keep(m.Triggers, func(tr Trigger) bool {
		ref := TableRef{Schema: tr.Schema, Name: tr.Table}
		return out.Table(ref) != nil || out.View(ref) != nil
	})
	return out
}

// Dependency is a declared table that a selected object needs and the
// selection left out.
type Dependency struct {
	Table TableRef
	// NeededBy names the object that needs it: `table "posts"`.
	NeededBy string
}

// Dependencies returns the tables of full that the objects of sel need
// (foreign-key targets, partition parents, inheritance parents, the
// tables sequences belong to) and sel lacks, transitively, each once, in
// the order they are found. Create-all can go ahead only if they exist.
func Dependencies(sel, full *MetaData) []Dependency {
	have := map[TableRef]bool{}
	for _, t := range sel.Tables {
		have[t.Ref()] = true
	}
	var out []Dependency
	var queue []*Table
	need := func(ref TableRef, by string) {
		if have[ref] {
			return
		}
		have[ref] = true
		if t := full.Table(ref); t != nil {
			out = append(out, Dependency{Table: ref, NeededBy: by})
			queue = append(queue, t)
		}
	}
	for i := range sel.Tables {
		queue = append(queue, &sel.Tables[i])
	}
	for _, s := range sel.Sequences {
		if ref, ok := ownerTable(s); ok {
			need(ref, ObjectName("sequence", s.Schema, s.Name))
		}
	}
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		by := ObjectName("table", t.Schema, t.Name)
		for _, fk := range t.ForeignKeys {
			need(fk.References.Ref(), by)
		}
		if t.PartitionOf != nil {
			need(t.PartitionOf.Parent, by)
		}
		for _, ref := range t.Inherits {
			need(ref, by)
		}
	}
	return out
}

// ownerTable returns the table of a sequence's owned_by.
func ownerTable(s Sequence) (TableRef, bool) {
	parts := strings.Split(s.OwnedBy, ".")
	switch len(parts) {
	case 2:
		return TableRef{Schema: s.Schema, Name: parts[0]}, true
	case 3:
		return TableRef{Schema: parts[0], Name: parts[1]}, true
	}
	return TableRef{}, false
}

// keep returns the elements of s that ok accepts, in order.
func keep[T any](s []T, ok func(T) bool) []T {
	var out []T
	for _, x := range s {
		if ok(x) {
			out = append(out, x)
		}
	}
	return out
}
