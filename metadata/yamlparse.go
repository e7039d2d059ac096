package metadata

import (
	"bytes"
	"runtime"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Reading a schema file of thousands of tables is mostly yaml.v3's parser
// (a third of a 5000-table migrate plan's CPU), and that parser runs on one
// core. parseYAML gives a large file's parsing to every core: it cuts the
// file's top-level lists (tables:, views: ...) between their items, parses
// the pieces side by side, and joins their items back into the lists.
//
// The result must be exactly yaml.Unmarshal's, positions included, so the
// split is made only where the file's layout makes it safe, and anything
// the pieces cannot settle alone sends the whole file to yaml.Unmarshal:
//
//   - A piece keeps its lines verbatim and is parsed behind as many empty
//     lines as precede it, so every node's line and column are the file's.
//     The pieces' lines are left empty in the rest of the file, which is
//     parsed as it stands, the first item of each list included.
//   - A list is cut only before a line that opens one of its items ("- "
//     at the items' indentation): any nested block ends at such a line.
//     A quoted scalar or a flow collection running across it leaves a
//     piece unterminated, which is an error: the whole file is then parsed
//     in one go, which also gives the error yaml.Unmarshal gives.
//   - Anchors are resolved within a piece only: a file with an alias
//     anywhere is parsed in one go.
//   - Only plain layouts are cut: a block mapping of plain keys at the
//     first column, lines that open with spaces (never a tab), no document
//     markers or directives, and no line breaks but \n and \r\n.
//
// Comments are not carried over exactly (one between two pieces is left
// out), which is harmless: the decoder reads none.
//
// decodeFile reads a large file through decodeCuts, which decodes each
// piece as soon as it is parsed; parseYAML serves what that cannot (a
// problem in the file, a list that is not the model's) and positions.

// splitMinPiece is the smallest piece worth a goroutine: below it, a file
// is parsed in one go.
const splitMinPiece = 256 << 10

// parseYAML parses a schema file's text as yaml.Unmarshal does into the
// document node (Kind 0 for an empty file), using every core for a large
// file.
func parseYAML(data []byte) (*yaml.Node, error) {
	doc, _, err := parseSplit(data, runtime.GOMAXPROCS(0), splitMinPiece)
	return doc, err
}

// parseSplit is parseYAML with at most pieces pieces of at least minPiece
// bytes. It also returns how many pieces were parsed (1: in one go).
func parseSplit(data []byte, pieces, minPiece int) (*yaml.Node, int, error) {
	var cuts []cut
	if pieces > 1 && len(data) >= 2*minPiece {
		cuts = planCuts(data, pieces, minPiece)
	}
	if len(cuts) == 0 {
		doc, err := parseWhole(data)
		return doc, 1, err
	}
	if doc, ok := parseCuts(data, cuts); ok {
		return doc, len(cuts) + 1, nil
	}
	doc, err := parseWhole(data)
	return doc, 1, err
}

func parseWhole(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// A cut is a run of whole items of a top-level list, parsed on its own.
type cut struct {
	key        string // the list's top-level key
	line       int    // the 0-based line it starts on
	start, end int    // its bytes in the file
}

// planCuts finds where the file can be cut into about pieces pieces, or
// nil when its layout is not one parseYAML cuts.
func planCuts(data []byte, pieces, minPiece int) []cut {
	if tabIndented(data) || hasOtherBreaks(data) {
		return nil
	}
	target := max(len(data)/pieces, minPiece)
	var (
		cuts       []cut
		keys       = map[string]int{} // top-level keys, by count
		key        string             // the list being read, "" outside one
		itemIndent = -1               // its items' indentation, -1 before its first item
		segment    = 0                // where the text being gathered (a cut or the rest) starts
		inCut      = false            // whether that text is a cut
		cutLine    int
	)
	closeCut := func(off int) {
		if inCut {
			cuts = append(cuts, cut{key: key, line: cutLine, start: segment, end: off})
			inCut, segment = false, off
		}
	}
	line := 0
	for off := 0; off < len(data); line++ {
		end := len(data)
		if i := bytes.IndexByte(data[off:], '\n'); i >= 0 {
			end = off + i
		}
		text := bytes.TrimSuffix(data[off:end], []byte("\r"))
		indent := len(text) - len(bytes.TrimLeft(text, " "))
		body := text[indent:]
		switch {
		case len(body) == 0 || body[0] == '#':
			// Blank lines and comments go with the text they are in.
		case indent == 0 && !(key != "" && itemIndent <= 0 && isItem(body)):
			// A top-level key: it ends the list being read.
			closeCut(off)
			name, rest, ok := topKey(body)
			if !ok {
				return nil
			}
			keys[name]++
			key, itemIndent = "", -1
			if isBlank(rest) {
				key = name
			}
		case key == "":
			// Inside a top-level value that is not a list.
		case itemIndent < 0:
			if !isItem(body) {
				key = "" // a mapping: not cut
				break
			}
			itemIndent = indent // the first item stays with the rest
		case indent > itemIndent:
			// Inside an item.
		case indent < itemIndent || !isItem(body):
			return nil // not a layout parseYAML understands
		case off-segment >= target:
			// An item opens here, and the text gathered is big enough.
			closeCut(off)
			inCut, segment, cutLine = true, off, line
		}
		off = end + 1
	}
	closeCut(len(data))
	for _, c := range cuts {
		if keys[c.key] != 1 {
			return nil
		}
	}
	return cuts
}

// parseCuts parses the cuts and the rest of the file side by side and
// puts the cuts' items back into their lists; ok is false when the result
// could differ from parsing the file in one go.
func parseCuts(data []byte, cuts []cut) (*yaml.Node, bool) {
	results := make([]*yaml.Node, len(cuts))
	var wg sync.WaitGroup
	for i, c := range cuts {
		wg.Go(func() { results[i] = parseCut(data, c) })
	}
	doc, lists := parseRest(data, cuts)
	wg.Wait()
	if doc == nil {
		return nil, false
	}
	for i, c := range cuts {
		list := lists[c.key]
		if results[i] == nil || !joins(list, results[i].Column) {
			return nil, false
		}
		list.Content = append(list.Content, results[i].Content...)
	}
	return doc, true
}

// parseCut parses a cut behind as many empty lines as precede it, so that
// its nodes have the file's positions, and returns its list of items; nil
// when the cut does not parse as a list on its own.
func parseCut(data []byte, c cut) *yaml.Node {
	text := make([]byte, 0, c.line+c.end-c.start)
	text = append(text, bytes.Repeat([]byte("\n"), c.line)...)
	text = append(text, data[c.start:c.end]...)
	doc, err := parseWhole(text)
	if err != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.SequenceNode || hasAlias(doc) {
		return nil
	}
	return doc.Content[0]
}

// parseRest parses the file with the cuts' lines left empty, and returns
// its document and its top-level values by key; a nil document when it
// does not parse, or not as a mapping that cuts can join.
func parseRest(data []byte, cuts []cut) (*yaml.Node, map[string]*yaml.Node) {
	rest := make([]byte, 0, len(data))
	prev := 0
	for _, c := range cuts {
		rest = append(rest, data[prev:c.start]...)
		rest = append(rest, bytes.Repeat([]byte("\n"), bytes.Count(data[c.start:c.end], []byte("\n")))...)
		prev = c.end
	}
	rest = append(rest, data[prev:]...)
	doc, err := parseWhole(rest)
	if err != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode || hasAlias(doc) {
		return nil, nil
	}
	lists := map[string]*yaml.Node{}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		lists[root.Content[i].Value] = root.Content[i+1]
	}
	return doc, lists
}

// joins reports whether a cut whose items open at column continues list,
// the top-level value of the cut's key in the rest of the file: a block
// list whose items open at the same column.
func joins(list *yaml.Node, column int) bool {
	return list != nil && list.Kind == yaml.SequenceNode &&
		list.Style&yaml.FlowStyle == 0 && column == list.Column
}

// isItem reports whether a line's text, after its indentation, opens a
// block sequence item.
func isItem(body []byte) bool {
	return body[0] == '-' && (len(body) == 1 || body[1] == ' ')
}

// topKey splits a top-level line "name: rest" whose key is a plain word;
// ok is false for any other line (a quoted or complex key, a document
// marker, a directive, a flow collection...).
func topKey(body []byte) (name string, rest []byte, ok bool) {
	i := 0
	for i < len(body) && (body[i] == '_' || body[i] >= 'a' && body[i] <= 'z' || body[i] >= 'A' && body[i] <= 'Z' || i > 0 && body[i] >= '0' && body[i] <= '9') {
		i++
	}
	j := i
	for j < len(body) && body[j] == ' ' {
		j++
	}
	if i == 0 || j >= len(body) || body[j] != ':' || (j+1 < len(body) && body[j+1] != ' ') {
		return "", nil, false
	}
	return string(body[:i]), body[j+1:], true
}

// isBlank reports whether the rest of a key's line holds no value: spaces
// and at most a comment.
func isBlank(rest []byte) bool {
	rest = bytes.TrimLeft(rest, " ")
	return len(rest) == 0 || rest[0] == '#'
}

// tabIndented reports whether a line opens with a tab.
func tabIndented(data []byte) bool {
	return data[0] == '\t' || bytes.Contains(data, []byte("\n\t"))
}

// hasOtherBreaks reports whether the text holds a line break other than
// \n and \r\n that yaml.v3 counts as one (a lone \r, NEL, LS, PS), which
// would make the cuts' line numbers wrong.
func hasOtherBreaks(data []byte) bool {
	return bytes.Count(data, []byte("\r")) != bytes.Count(data, []byte("\r\n")) ||
		bytes.Contains(data, []byte("\u0085")) || bytes.Contains(data, []byte("\u2028")) || bytes.Contains(data, []byte("\u2029"))
}

// hasAlias reports whether a node tree holds an alias.
func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}
