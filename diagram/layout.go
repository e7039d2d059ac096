package diagram

import (
	"slices"
	"unicode"

	"golang.org/x/text/width"
)

// The SVG's metrics, in pixels. Text is monospace, so a string's width is
// its length in cells times charWidth and the boxes fit their text without
// a font renderer.
const (
	fontSize  = 12
	charWidth = 7.3 // a 12px monospace cell, a little over the usual 7.2
	rowHeight = 20
	padX      = 8
	gapX      = 90 // between layers, room for the edges
	gapY      = 28 // between boxes of a layer
	margin    = 20
)

// box is an entity's place in the drawing.
type box struct {
	x, y, w, h float64
	layer      int
	// nameCells is the width of the column-name column, in cells.
	nameCells int
}

// rowY is the vertical middle of attribute row k, or of the header for -1.
func (b *box) rowY(k int) float64 { return b.y + float64(k+1)*rowHeight + rowHeight/2 }

// layout is the drawing's geometry: a box per entity, and its size.
type layout struct {
	boxes         []box
	width, height float64
}

// layOut places the entities in layers from left to right, a simple
// Sugiyama-style layered layout: a table referenced by others is left of
// them (its layer is one more than the deepest table it references, with
// foreign-key cycles broken where a depth-first search closes them), the
// boxes of a layer are ordered by the barycentre of their neighbours to
// shorten and uncross edges, and stacked with the layers centred on each
// other. It takes time linear in entities and relations per sweep, so
// thousands of tables lay out in milliseconds (unreadably, but they do).
func layOut(g *graph) *layout {
	n := len(g.entities)
	l := &layout{boxes: make([]box, n)}
	for i := range g.entities {
		l.boxes[i] = measure(&g.entities[i])
	}
	parents := make([][]int, n)
	neighbours := make([][]int, n)
	for _, r := range g.relations {
		if r.child == r.parent {
			continue
		}
		parents[r.child] = append(parents[r.child], r.parent)
		neighbours[r.child] = append(neighbours[r.child], r.parent)
		neighbours[r.parent] = append(neighbours[r.parent], r.child)
	}

	// Layers: longest path to a table that references nothing, ignoring
	// the edges that close a cycle.
	const (
		unvisited = iota
		active
		done
	)
	state := make([]int, n)
	var visit func(i int)
	visit = func(i int) {
		state[i] = active
		layer := 0
		for _, p := range parents[i] {
			if state[p] == unvisited {
				visit(p)
			}
			if state[p] == done && l.boxes[p].layer+1 > layer {
				layer = l.boxes[p].layer + 1
			}
		}
		l.boxes[i].layer = layer
		state[i] = done
	}
	maxLayer := 0
	for i := range g.entities {
		if state[i] == unvisited {
			visit(i)
		}
		maxLayer = max(maxLayer, l.boxes[i].layer)
	}
	layers := make([][]int, maxLayer+1)
	for i := range g.entities {
		layers[l.boxes[i].layer] = append(layers[l.boxes[i].layer], i)
	}

	// Order within layers: barycentre sweeps, right then left.
	pos := make([]float64, n)
	setPos := func(layer []int) {
		for k, i := range layer {
			pos[i] = (float64(k) + 0.5) / float64(len(layer))
		}
	}
	for _, layer := range layers {
		setPos(layer)
	}
	bary := make([]float64, n)
	sweep := func(layer []int, fromLeft bool) {
		for _, i := range layer {
			sum, cnt := 0.0, 0
			for _, j := range neighbours[i] {
				if (l.boxes[j].layer < l.boxes[i].layer) == fromLeft && l.boxes[j].layer != l.boxes[i].layer {
					sum += pos[j]
					cnt++
				}
			}
			bary[i] = pos[i]
			if cnt > 0 {
				bary[i] = sum / float64(cnt)
			}
		}
		slices.SortStableFunc(layer, func(a, b int) int {
			switch {
			case bary[a] < bary[b]:
				return -1
			case bary[a] > bary[b]:
				return 1
			}
			return 0
		})
		setPos(layer)
	}
	for round := 0; round < 4; round++ {
		for k := 1; k < len(layers); k++ {
			sweep(layers[k], true)
		}
		for k := len(layers) - 2; k >= 0; k-- {
			sweep(layers[k], false)
		}
	}

	// Coordinates.
	heights := make([]float64, len(layers))
	for k, layer := range layers {
		for _, i := range layer {
			heights[k] += l.boxes[i].h + gapY
		}
		heights[k] -= gapY
	}
	tallest := slices.Max(append(heights, 0))
	x := float64(margin)
	for k, layer := range layers {
		y := margin + (tallest-heights[k])/2
		widest := 0.0
		for _, i := range layer {
			b := &l.boxes[i]
			b.x, b.y = x, y
			y += b.h + gapY
			widest = max(widest, b.w)
		}
		x += widest + gapX
	}
	l.width = x - gapX + margin
	l.height = tallest + 2*margin
	if n == 0 {
		l.width, l.height = 2*margin, 2*margin
	}
	return l
}

// measure sizes an entity's box: a header row with its title, then a row
// per attribute with its name, type and keys in aligned columns.
func measure(e *entity) box {
	b := box{}
	typeCells := 0
	for _, a := range e.attrs {
		b.nameCells = max(b.nameCells, cells(a.name))
		typeCells = max(typeCells, cells(rowDetail(a)))
	}
	inner := max(cells(e.title()), b.nameCells+2+typeCells)
	b.w = float64(inner)*charWidth + 2*padX
	b.h = float64(len(e.attrs)+1) * rowHeight
	return b
}

// rowDetail is what an attribute row shows right of the name.
func rowDetail(a attribute) string {
	s := a.typ
	if k := a.keys(); k != "" {
		s += " " + k
	}
	return s
}

// cells is how many monospace cells s takes: two for a wide or full-width
// character, none for a combining mark.
func cells(s string) int {
	n := 0
	for _, r := range s {
		switch k := width.LookupRune(r).Kind(); {
		case unicode.Is(unicode.Mn, r):
		case k == width.EastAsianWide, k == width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
