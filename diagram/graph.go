// Package diagram draws entity-relationship diagrams of a schema: Mermaid
// erDiagram text (which GitHub and GitLab render inside Markdown), Graphviz
// DOT, and SVG laid out by dbtool itself. Each renderer is a pure function
// of a *metadata.MetaData: no I/O, the same bytes for the same model.
package diagram

import (
	"slices"
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// graph is what every renderer draws: the tables and views in a stable
// order (by schema, then name), and one relationship per foreign key whose
// target is in the diagram.
type graph struct {
	entities  []entity
	relations []relation
}

// entity is a table or a view.
type entity struct {
	ref   metadata.TableRef
	table *metadata.Table // nil for a view
	view  *metadata.View  // nil for a table
	attrs []attribute
}

// attribute is a column with the keys it takes part in.
type attribute struct {
	name, typ  string
	pk, fk, uk bool
	nullable   bool
	comment    string
}

// keys returns the Mermaid spelling of the attribute's keys: "PK,FK".
func (a attribute) keys() string {
	var k []string
	if a.pk {
		k = append(k, "PK")
	}
	if a.fk {
		k = append(k, "FK")
	}
	if a.uk {
		k = append(k, "UK")
	}
	return strings.Join(k, ",")
}

// relation is a foreign key from child to parent, one for a composite key.
type relation struct {
	child, parent int // indexes into graph.entities
	fk            *metadata.ForeignKey
	// optional: a column of the key is nullable, so a child row may have
	// no parent (zero or one parent, not exactly one).
	optional bool
	// unique: the key's columns are unique in the child (its primary key,
	// a unique constraint or a unique index), so a parent has at most one
	// child: one-to-one.
	unique bool
	// identifying: the key's columns are part of the child's primary key.
	identifying bool
}

// label names the relationship by its columns: "customer_id", or
// "order_id, item_id" for a composite key.
func (r relation) label() string { return strings.Join(r.fk.Columns, ", ") }

func compareRefs(a, b metadata.TableRef) int {
	if c := strings.Compare(a.Schema, b.Schema); c != 0 {
		return c
	}
	return strings.Compare(a.Name, b.Name)
}

// newGraph collects what m's diagram shows.
func newGraph(m *metadata.MetaData) *graph {
	g := &graph{}
	for i := range m.Tables {
		t := &m.Tables[i]
		g.entities = append(g.entities, entity{ref: t.Ref(), table: t, attrs: attributes(t)})
	}
	for i := range m.Views {
		v := &m.Views[i]
		e := entity{ref: v.Ref(), view: v}
		for _, c := range v.Columns {
			e.attrs = append(e.attrs, attribute{name: c, nullable: true})
		}
		g.entities = append(g.entities, e)
	}
	slices.SortStableFunc(g.entities, func(a, b entity) int { return compareRefs(a.ref, b.ref) })
	index := make(map[metadata.TableRef]int, len(g.entities))
	for i, e := range g.entities {
		if e.table != nil {
			index[e.ref] = i
		}
	}
	for i, e := range g.entities {
		if e.table == nil {
			continue
		}
		for k := range e.table.ForeignKeys {
			fk := &e.table.ForeignKeys[k]
			j, ok := index[fk.References.Ref()]
			if !ok {
				continue
			}
			r := relation{child: i, parent: j, fk: fk, unique: isUnique(e.table, fk.Columns)}
			r.identifying = e.table.PrimaryKey != nil
			for _, c := range fk.Columns {
				if col := e.table.Column(c); col == nil || col.Nullable {
					r.optional = true
				}
				if e.table.PrimaryKey == nil || !slices.Contains(e.table.PrimaryKey.Columns, c) {
					r.identifying = false
				}
			}
			g.relations = append(g.relations, r)
		}
	}
	return g
}

// attributes lists a table's columns with their keys. A column is UK when
// a unique constraint or a full unique index is on it alone.
func attributes(t *metadata.Table) []attribute {
	fk := map[string]bool{}
	for _, k := range t.ForeignKeys {
		for _, c := range k.Columns {
			fk[c] = true
		}
	}
	uk := map[string]bool{}
	for _, u := range t.Uniques {
		if len(u.Columns) == 1 {
			uk[u.Columns[0]] = true
		}
	}
	for _, ix := range t.Indexes {
		if cols, ok := indexColumns(ix); ok && ix.Unique && ix.Where == "" && len(cols) == 1 {
			uk[cols[0]] = true
		}
	}
	attrs := make([]attribute, len(t.Columns))
	for i, c := range t.Columns {
		attrs[i] = attribute{
			name:     c.Name,
			typ:      c.Type.String(),
			pk:       t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, c.Name),
			fk:       fk[c.Name],
			uk:       uk[c.Name],
			nullable: c.Nullable,
			comment:  c.Comment,
		}
	}
	return attrs
}

// indexColumns returns the columns of an index made only of plain columns.
func indexColumns(ix metadata.Index) ([]string, bool) {
	cols := make([]string, 0, len(ix.Parts))
	for _, p := range ix.Parts {
		if p.Column == "" {
			return nil, false
		}
		cols = append(cols, p.Column)
	}
	return cols, true
}

// isUnique reports whether cols, in any order, are exactly the table's
// primary key, a unique constraint's columns or a full unique index's.
func isUnique(t *metadata.Table, cols []string) bool {
	same := func(other []string) bool {
		if len(other) != len(cols) {
			return false
		}
		for _, c := range cols {
			if !slices.Contains(other, c) {
				return false
			}
		}
		return true
	}
	if t.PrimaryKey != nil && same(t.PrimaryKey.Columns) {
		return true
	}
	for _, u := range t.Uniques {
		if same(u.Columns) {
			return true
		}
	}
	for _, ix := range t.Indexes {
		if c, ok := indexColumns(ix); ok && ix.Unique && ix.Where == "" && same(c) {
			return true
		}
	}
	return false
}

// attrIndex returns the position of the named attribute, or -1.
func (e *entity) attrIndex(name string) int {
	for i, a := range e.attrs {
		if a.name == name {
			return i
		}
	}
	return -1
}

// title is what a diagram shows as the entity's name: "schema.name", with
// "(view)" or "(materialized view)" after a view's.
func (e *entity) title() string {
	s := e.ref.String()
	switch {
	case e.view != nil && e.view.Materialized:
		s += " (materialized view)"
	case e.view != nil:
		s += " (view)"
	}
	return s
}

// Tables counts the tables and views a diagram of m would draw.
func Tables(m *metadata.MetaData) int { return len(m.Tables) + len(m.Views) }

// Readable is the number of tables and views above which a whole-schema
// diagram is too large to read (the CLI warns): a diagram past a few
// hundred boxes is a wall, whatever the layout.
const Readable = 300
