package metadata

import (
	"fmt"
	"strings"
)

// LookupTable resolves a table name as a user types it on the command
// line: "name" or "schema.name". A name that is exactly a table's
// reference (a table of the default schema, or schema.name) is that table;
// otherwise a bare name that is a table in several schemas is ambiguous
// and an error. A view is an error too, since only tables have foreign
// keys to follow.
func (m *MetaData) LookupTable(name string) (TableRef, error) {
	var found []TableRef
	for i := range m.Tables {
		t := &m.Tables[i]
		if t.Ref().String() == name {
			return t.Ref(), nil
		}
		if t.Name == name {
			found = append(found, t.Ref())
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		for i := range m.Views {
			v := &m.Views[i]
			if v.Name == name || (v.Schema != "" && v.Schema+"."+v.Name == name) {
				return TableRef{}, fmt.Errorf("%s is a view: only tables have foreign keys to follow", QuoteName(name))
			}
		}
		return TableRef{}, fmt.Errorf("no table %s", QuoteName(name))
	}
	names := make([]string, len(found))
	for i, r := range found {
		names[i] = r.String()
	}
	return TableRef{}, fmt.Errorf("table name %s is ambiguous: %s (write schema.name)", QuoteName(name), strings.Join(names, ", "))
}

// Neighbourhood returns the tables within depth foreign-key hops of start,
// following foreign keys in both directions (the tables start references
// and those that reference it, and so on), each with its distance from
// start; start itself is at distance 0. Foreign keys to tables the model
// does not hold are not followed. It takes time linear in the number of
// tables and foreign keys, so a 5000-table model answers in a millisecond.
func (m *MetaData) Neighbourhood(start TableRef, depth int) (map[TableRef]int, error) {
	if depth < 0 {
		return nil, fmt.Errorf("depth %d: must not be negative", depth)
	}
	index := make(map[TableRef]int, len(m.Tables))
	for i := range m.Tables {
		index[m.Tables[i].Ref()] = i
	}
	first, ok := index[start]
	if !ok {
		return nil, fmt.Errorf("no table %s", QuoteName(start.String()))
	}
	adjacent := make([][]int, len(m.Tables))
	for i := range m.Tables {
		for _, fk := range m.Tables[i].ForeignKeys {
			j, ok := index[fk.References.Ref()]
			if !ok || j == i {
				continue
			}
			adjacent[i] = append(adjacent[i], j)
			adjacent[j] = append(adjacent[j], i)
		}
	}
	dist := map[TableRef]int{start: 0}
	frontier := []int{first}
	for d := 1; d <= depth && len(frontier) > 0; d++ {
		var next []int
		for _, i := range frontier {
			for _, j := range adjacent[i] {
				ref := m.Tables[j].Ref()
				if _, seen := dist[ref]; !seen {
					dist[ref] = d
					next = append(next, j)
				}
			}
		}
		frontier = next
	}
	return dist, nil
}

// Around returns a copy of m reduced to the tables within depth
// foreign-key hops of start (see Neighbourhood) and the triggers on them,
// in m's order. Views and SQLite virtual tables are left out: the model
// does not know which tables a view reads. Namespaces, types, sequences
// and functions are kept as they are. The tables are shared with m, not
// copied.
func (m *MetaData) Around(start TableRef, depth int) (*MetaData, error) {
	dist, err := m.Neighbourhood(start, depth)
	if err != nil {
		return nil, err
	}
	out := &MetaData{
		Extensions: m.Extensions,
		Schemas:    m.Schemas,
		Enums:      m.Enums,
		Domains:    m.Domains,
		Sequences:  m.Sequences,
		Functions:  m.Functions,
	}
	for i := range m.Tables {
		if _, ok := dist[m.Tables[i].Ref()]; ok {
			out.Tables = append(out.Tables, m.Tables[i])
		}
	}
	for _, tr := range m.Triggers {
		if _, ok := dist[TableRef{Schema: tr.Schema, Name: tr.Table}]; ok {
			out.Triggers = append(out.Triggers, tr)
		}
	}
	return out, nil
}
