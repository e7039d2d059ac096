package createall

import (
	"strings"

	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/metadata"
)

// Select returns the part of m that --schema, --table and --exclude keep:
//
//   - --schema keeps the objects in those namespaces (an object declared
//     without one is in the default namespace, which passes as "public",
//     PostgreSQL's, or "main", SQLite's);
//   - --table and --exclude keep the tables, views and virtual tables whose
//     name (or schema.name) they match;
//   - a trigger goes with its table; extensions, which belong to the
//     database, always stay.
//
// The result may lack tables that the kept ones need (a foreign key's
// target); see Dependencies.
func Select(m *metadata.MetaData, f inspector.Options) *metadata.MetaData {
	inSchema := func(schema string) bool {
		if schema == "" {
			return f.MatchSchema("") || f.MatchSchema("public") || f.MatchSchema("main")
		}
		return f.MatchSchema(schema)
	}
	keepRel := func(schema, name string) bool { return inSchema(schema) && f.Match(schema, name) }

	out := &metadata.MetaData{
		Extensions:    m.Extensions,
		Schemas:       keep(m.Schemas, func(s metadata.Schema) bool { return inSchema(s.Name) }),
		Enums:         keep(m.Enums, func(e metadata.Enum) bool { return inSchema(e.Schema) }),
		Domains:       keep(m.Domains, func(d metadata.Domain) bool { return inSchema(d.Schema) }),
		Sequences:     keep(m.Sequences, func(s metadata.Sequence) bool { return inSchema(s.Schema) }),
		Functions:     keep(m.Functions, func(f metadata.Function) bool { return inSchema(f.Schema) }),
		Tables:        keep(m.Tables, func(t metadata.Table) bool { return keepRel(t.Schema, t.Name) }),
		VirtualTables: keep(m.VirtualTables, func(v metadata.VirtualTable) bool { return keepRel("", v.Name) }),
		Views:         keep(m.Views, func(v metadata.View) bool { return keepRel(v.Schema, v.Name) }),
	}
	out.Triggers = keep(m.Triggers, func(tr metadata.Trigger) bool {
		ref := metadata.TableRef{Schema: tr.Schema, Name: tr.Table}
		return out.Table(ref) != nil || out.View(ref) != nil
	})
	return out
}

// Dependency is a declared table that a selected object needs and the
// selection left out.
type Dependency struct {
	Table metadata.TableRef
	// NeededBy names the object that needs it: `table "posts"`.
	NeededBy string
}

// Dependencies returns the tables of full that the objects of sel need
// (foreign-key targets, partition parents, inheritance parents, the
// tables sequences belong to) and sel lacks, transitively, each once, in
// the order they are found. Create-all can go ahead only if they exist.
func Dependencies(sel, full *metadata.MetaData) []Dependency {
	have := map[metadata.TableRef]bool{}
	for _, t := range sel.Tables {
		have[t.Ref()] = true
	}
	var out []Dependency
	var queue []*metadata.Table
	need := func(ref metadata.TableRef, by string) {
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
			need(ref, metadata.ObjectName("sequence", s.Schema, s.Name))
		}
	}
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		by := metadata.ObjectName("table", t.Schema, t.Name)
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
func ownerTable(s metadata.Sequence) (metadata.TableRef, bool) {
	parts := strings.Split(s.OwnedBy, ".")
	switch len(parts) {
	case 2:
		return metadata.TableRef{Schema: s.Schema, Name: parts[0]}, true
	case 3:
		return metadata.TableRef{Schema: parts[0], Name: parts[1]}, true
	}
	return metadata.TableRef{}, false
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
