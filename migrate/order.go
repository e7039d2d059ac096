package migrate

import (
	"strings"
	"unicode"

	"github.com/dbtool/dbtool/metadata"
)

// node is one function, table or view in the creation order.
type node struct {
	function *metadata.Function
	table    *metadata.Table
	view     *metadata.View
	// deferredFKs are the foreign keys (indexes into table.ForeignKeys)
	// that close a cycle and must be added after every table exists.
	deferredFKs []int
	deps        []edge
	state       int // 0 new, 1 visiting, 2 done
}

// edge is a dependency; fk is the foreign key behind it, or -1.
type edge struct {
	to *node
	fk int
}

// order returns functions, tables and views in an order that creates each
// after what it depends on, keeping the declared order where there is a
// choice. A foreign key that closes a cycle is deferred; any other cycle
// (which only a false match of a name in SQL text can make) is broken where
// it is found.
func order(m *metadata.MetaData) []*node {
	var nodes []*node
	byName := map[string][]*node{} // lower-case name -> nodes
	tables := map[metadata.TableRef]*node{}
	index := func(n *node, name string) {
		nodes = append(nodes, n)
		byName[strings.ToLower(name)] = append(byName[strings.ToLower(name)], n)
	}
	for i := range m.Functions {
		index(&node{function: &m.Functions[i]}, m.Functions[i].Name)
	}
	for i := range m.Tables {
		n := &node{table: &m.Tables[i]}
		tables[m.Tables[i].Ref()] = n
		index(n, m.Tables[i].Name)
	}
	for i := range m.Views {
		index(&node{view: &m.Views[i]}, m.Views[i].Name)
	}
	// mentions adds an edge to every node named in some SQL text.
	mentions := func(n *node, sql string, want func(*node) bool) {
		for _, word := range identifiers(sql) {
			for _, to := range byName[word] {
				if to != n && want(to) {
					n.deps = append(n.deps, edge{to: to, fk: -1})
				}
			}
		}
	}
	isFunc := func(n *node) bool { return n.function != nil }
	isRel := func(n *node) bool { return n.function == nil }
	for _, n := range nodes {
		switch {
		case n.table != nil:
			t := n.table
			if t.PartitionOf != nil {
				if to := tables[t.PartitionOf.Parent]; to != nil {
					n.deps = append(n.deps, edge{to: to, fk: -1})
				}
			}
			for _, ref := range t.Inherits {
				if to := tables[ref]; to != nil {
					n.deps = append(n.deps, edge{to: to, fk: -1})
				}
			}
			for i, fk := range t.ForeignKeys {
				if to := tables[fk.References.Ref()]; to != nil && to != n {
					n.deps = append(n.deps, edge{to: to, fk: i})
				}
			}
			for _, sql := range tableExpressions(t) {
				mentions(n, sql, isFunc)
			}
		case n.view != nil:
			mentions(n, n.view.Definition, func(*node) bool { return true })
		case n.function != nil:
			mentions(n, functionHeader(n.function.Definition), isRel)
		}
	}
	var out []*node
	var visit func(n *node)
	visit = func(n *node) {
		n.state = 1
		for _, e := range n.deps {
			switch e.to.state {
			case 0:
				visit(e.to)
			case 1:
				if e.fk >= 0 {
					n.deferredFKs = append(n.deferredFKs, e.fk)
				}
			}
		}
		n.state = 2
		out = append(out, n)
	}
	for _, n := range nodes {
		if n.state == 0 {
			visit(n)
		}
	}
	return out
}

// tableExpressions returns the SQL texts of a table that may call functions.
func tableExpressions(t *metadata.Table) []string {
	var out []string
	for _, c := range t.Columns {
		if e, ok := c.Default.(metadata.Expr); ok {
			out = append(out, e.SQL)
		}
		if c.Generated != nil {
			out = append(out, c.Generated.Expr)
		}
	}
	for _, c := range t.Checks {
		out = append(out, c.Expr)
	}
	for _, p := range t.Policies {
		out = append(out, p.Using, p.WithCheck)
	}
	for _, ix := range t.Indexes {
		out = append(out, ix.Where)
		for _, p := range ix.Parts {
			out = append(out, p.Expr)
		}
	}
	return out
}

// functionHeader returns a function definition up to its body: the part
// whose names must exist when the function is created (argument and result
// types). Bodies are not checked at creation, so their names do not count.
func functionHeader(def string) string {
	lower := strings.ToLower(def)
	end := len(def)
	for _, marker := range []string{"\nas ", " as $", "\nas\n", "$"} {
		if i := strings.Index(lower, marker); i >= 0 && i < end {
			end = i
		}
	}
	return def[:end]
}

// identifiers returns the lower-cased identifiers in SQL text: bare words
// and "quoted" names, each part of a qualified name on its own. String
// literals and comments are skipped.
func identifiers(sql string) []string {
	var out []string
	rs := []rune(sql)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\'':
			for i++; i < len(rs) && rs[i] != '\''; i++ {
			}
		case r == '-' && i+1 < len(rs) && rs[i+1] == '-':
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
		case r == '"' || r == '`' || r == '[':
			closer := r
			if r == '[' {
				closer = ']'
			}
			j := i + 1
			var b strings.Builder
			for ; j < len(rs); j++ {
				if rs[j] == closer {
					if j+1 < len(rs) && rs[j+1] == closer {
						b.WriteRune(closer)
						j++
						continue
					}
					break
				}
				b.WriteRune(rs[j])
			}
			out = append(out, strings.ToLower(b.String()))
			i = j
		case unicode.IsLetter(r) || r == '_':
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_' || rs[j] == '$') {
				j++
			}
			out = append(out, strings.ToLower(string(rs[i:j])))
			i = j - 1
		}
	}
	return out
}
