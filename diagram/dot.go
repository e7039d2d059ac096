package diagram

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// DOT returns m as a Graphviz digraph, for `dot -Tsvg` or `dot -Tpng`:
// each table and view a box listing its columns (name, type, keys), and
// one edge per foreign key from the referenced column to the referencing
// one, with crow's-foot ends of the same cardinality as Mermaid's (see
// Mermaid). Referenced tables are ranked to the left of those that
// reference them. Nodes are named t0, t1, ... and columns ports c0, c1,
// ..., so that no table or column name needs escaping outside a label.
func DOT(m *metadata.MetaData) []byte {
	g := newGraph(m)
	var b bytes.Buffer
	b.WriteString("digraph schema {\n")
	b.WriteString("    graph [rankdir=LR, nodesep=0.3, ranksep=0.8, fontname=\"Helvetica\"];\n")
	b.WriteString("    node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("    edge [dir=both, color=\"#55606e\"];\n")
	for i := range g.entities {
		e := &g.entities[i]
		header := "#d7e3f4"
		if e.view != nil {
			header = "#e8e1f0"
		}
		fmt.Fprintf(&b, "    t%d [tooltip=%s, label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"3\">\n", i, dotString(e.ref.String()))
		fmt.Fprintf(&b, "        <TR><TD PORT=\"h\" COLSPAN=\"3\" BGCOLOR=\"%s\"><B>%s</B></TD></TR>\n", header, dotHTML(e.title()))
		for k, a := range e.attrs {
			name := dotHTML(a.name)
			if a.pk {
				name = "<U>" + name + "</U>"
			}
			fmt.Fprintf(&b, "        <TR><TD PORT=\"c%d\" ALIGN=\"LEFT\">%s</TD><TD ALIGN=\"LEFT\">%s</TD><TD ALIGN=\"LEFT\">%s</TD></TR>\n",
				k, name, dotHTML(a.typ), a.keys())
		}
		b.WriteString("    </TABLE>>];\n")
	}
	for _, r := range g.relations {
		parent, child := &g.entities[r.parent], &g.entities[r.child]
		// The parent's end: exactly one, or zero or one.
		tail := "teetee"
		if r.optional {
			tail = "teeodot"
		}
		// The child's end: zero or more, or zero or one.
		head := "crowodot"
		if r.unique {
			head = "teeodot"
		}
		style := "dashed"
		if r.identifying {
			style = "solid"
		}
		fmt.Fprintf(&b, "    t%d:%s -> t%d:%s [arrowtail=%s, arrowhead=%s, style=%s, tooltip=%s];\n",
			r.parent, dotPort(parent, r.fk.References.Columns), r.child, dotPort(child, r.fk.Columns),
			tail, head, style, dotString(child.ref.String()+" ("+r.label()+") → "+parent.ref.String()))
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// dotPort names the row of a key's first column, or the header.
func dotPort(e *entity, cols []string) string {
	if len(cols) > 0 {
		if k := e.attrIndex(cols[0]); k >= 0 {
			return fmt.Sprintf("c%d", k)
		}
	}
	return "h"
}

// dotString writes s as a DOT double-quoted string for a tooltip. DOT
// escapes only '"'; a backslash would start an escape sequence in a
// tooltip (or escape the closing quote), so it is shown as '∖'.
func dotString(s string) string {
	s = strings.ReplaceAll(s, `\`, "∖")
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

// dotHTML writes s for inside an HTML-like label.
func dotHTML(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\n", " ", "\r", " ", "\t", " ")
	return r.Replace(s)
}
