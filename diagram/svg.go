package diagram

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"

	"github.com/dbtool/dbtool/metadata"
)

// SVG returns m drawn as a standalone SVG image, laid out by dbtool itself
// (see layOut): no Graphviz, browser or font renderer is needed, and the
// same model gives the same bytes. Boxes and edges mean what they mean in
// DOT's drawing: a box per table or view (a view's header is shaded
// differently and says so), an edge per foreign key from the referencing
// column to the referenced one with crow's-foot ends, dashed unless the
// key is part of the referencing table's primary key.
func SVG(m *metadata.MetaData) []byte {
	g := newGraph(m)
	l := layOut(g)
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="%d">`+"\n",
		num(l.width), num(l.height), num(l.width), num(l.height), fontSize)
	b.WriteString(`<style>
.box{fill:#fff;stroke:#55606e}
.head{fill:#d7e3f4;stroke:#55606e}
.view .head{fill:#e8e1f0}
.title{font-weight:bold}
.type{fill:#55606e}
.edge{fill:none;stroke:#55606e}
.optional{stroke-dasharray:5 3}
.mark{fill:#fff;stroke:#55606e}
</style>
<defs>
<marker id="one" viewBox="0 -7 16 14" refX="16" refY="0" markerWidth="16" markerHeight="14" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path class="mark" d="M4,-6V6M8,-6V6"/></marker>
<marker id="zero-one" viewBox="0 -7 16 14" refX="16" refY="0" markerWidth="16" markerHeight="14" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><circle class="mark" cx="4" cy="0" r="3.5"/><path class="mark" d="M10,-6V6"/></marker>
<marker id="zero-many" viewBox="0 -7 18 14" refX="18" refY="0" markerWidth="18" markerHeight="14" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><circle class="mark" cx="4" cy="0" r="3.5"/><path class="mark" d="M18,-6L8,0L18,6M8,0H18"/></marker>
</defs>
`)
	for i := range g.entities {
		e, bx := &g.entities[i], &l.boxes[i]
		class := "table"
		if e.view != nil {
			class = "view"
		}
		fmt.Fprintf(&b, `<g class="%s"><title>%s</title>`+"\n", class, xmlText(e.ref.String()))
		fmt.Fprintf(&b, `<rect class="box" x="%s" y="%s" width="%s" height="%s"/>`+"\n", num(bx.x), num(bx.y), num(bx.w), num(bx.h))
		fmt.Fprintf(&b, `<rect class="head" x="%s" y="%s" width="%s" height="%d"/>`+"\n", num(bx.x), num(bx.y), num(bx.w), rowHeight)
		fmt.Fprintf(&b, `<text class="title" x="%s" y="%s">%s</text>`+"\n", num(bx.x+padX), num(bx.rowY(-1)+fontSize/3), xmlText(e.title()))
		for k, a := range e.attrs {
			y := num(bx.rowY(k) + fontSize/3)
			name := xmlText(a.name)
			if a.pk {
				name = `<tspan text-decoration="underline">` + name + `</tspan>`
			}
			fmt.Fprintf(&b, `<text x="%s" y="%s">%s</text>`, num(bx.x+padX), y, name)
			if d := rowDetail(a); d != "" {
				fmt.Fprintf(&b, `<text class="type" x="%s" y="%s">%s</text>`, num(bx.x+padX+float64(bx.nameCells+2)*charWidth), y, xmlText(d))
			}
			b.WriteString("\n")
		}
		b.WriteString("</g>\n")
	}
	for _, r := range g.relations {
		writeEdge(&b, g, l, r)
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// writeEdge draws a foreign key as a curve from the referencing column's
// row to the referenced column's row. A parent in a layer to the left (the
// usual case) is joined left side to right side; one in the same layer or
// to the right (a cycle) and a self-reference by a loop on the right.
func writeEdge(b *bytes.Buffer, g *graph, l *layout, r relation) {
	child, parent := &l.boxes[r.child], &l.boxes[r.parent]
	y1 := child.rowY(g.entities[r.child].attrIndex(firstOf(r.fk.Columns)))
	y2 := parent.rowY(g.entities[r.parent].attrIndex(firstOf(r.fk.References.Columns)))
	var d string
	if parent.layer < child.layer {
		x1, x2 := child.x, parent.x+parent.w
		bend := max(30, (x1-x2)/2)
		d = fmt.Sprintf("M%s,%sC%s,%s %s,%s %s,%s", num(x1), num(y1), num(x1-bend), num(y1), num(x2+bend), num(y2), num(x2), num(y2))
	} else {
		x1, x2 := child.x+child.w, parent.x+parent.w
		bend := 40 + max(0, x1-x2, x2-x1)/4
		right := max(x1, x2) + bend
		d = fmt.Sprintf("M%s,%sC%s,%s %s,%s %s,%s", num(x1), num(y1), num(right), num(y1), num(right), num(y2), num(x2), num(y2))
	}
	class := "edge"
	if !r.identifying {
		class += " optional"
	}
	start := "zero-many"
	if r.unique {
		start = "zero-one"
	}
	end := "one"
	if r.optional {
		end = "zero-one"
	}
	fmt.Fprintf(b, `<path class="%s" d="%s" marker-start="url(#%s)" marker-end="url(#%s)"><title>%s</title></path>`+"\n",
		class, d, start, end, xmlText(g.entities[r.child].ref.String()+" ("+r.label()+") → "+g.entities[r.parent].ref.String()))
}

func firstOf(cols []string) string {
	if len(cols) == 0 {
		return ""
	}
	return cols[0]
}

// num writes a coordinate with at most one decimal.
func num(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

// xmlText escapes s for XML text and attribute values; characters XML
// cannot hold become U+FFFD.
func xmlText(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // writing to a bytes.Buffer does not fail
	return b.String()
}
