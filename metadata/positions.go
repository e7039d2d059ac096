package metadata

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// positions places model paths ("tables[2].columns[0].type") in the
// schema files they were read from. It keeps each file's text and, only
// when a problem needs a place, parses it again and walks the document: a
// map of every node's position, filled while decoding, cost a fifth of
// reading a large schema file, and keeping the document the decoder read
// would keep its whole node tree (five times the model's size) alive
// beside the model, for the rare file with a mistake in it.
type positions struct {
	files []*filePositions
}

// filePositions is one file's document and where its lists start in the
// merged model.
type filePositions struct {
	file string
	// data is the file's text; root is its document's top node once
	// parsed (see document), nil for an empty file.
	data   []byte
	root   *yaml.Node
	parsed bool
	// start and count are, by key ("tables"), the index in the merged
	// model of the file's first element of that list, and how many it
	// has; nil when the file is the model (Parse).
	start, count map[string]int
}

// find returns the position of the object at a model path, with ok false
// when the path names nothing that a file wrote.
func (ps *positions) find(path string) (Pos, bool) {
	key, rest := path, ""
	if i := strings.IndexAny(path, ".["); i >= 0 {
		key, rest = path[:i], path[i:]
	}
	index := -1
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		n, err := strconv.Atoi(rest[1:max(end, 1)])
		if end < 0 || err != nil {
			return Pos{}, false
		}
		index, rest = n, rest[end+1:]
	}
	for _, f := range ps.files {
		switch {
		case f.document() == nil:
			continue
		case f.count == nil:
			return f.walk(path)
		case index < 0:
			if pos, ok := f.walk(path); ok {
				return pos, true
			}
			continue
		}
		start := f.start[key]
		if index >= start && index < start+f.count[key] {
			return f.walk(key + "[" + strconv.Itoa(index-start) + "]" + rest)
		}
	}
	return Pos{}, false
}

// document parses the file's text, once, and returns its top node; nil
// for an empty file.
func (f *filePositions) document() *yaml.Node {
	if !f.parsed {
		f.parsed = true
		if doc, err := parseYAML(f.data); err == nil && len(doc.Content) > 0 {
			f.root = doc.Content[0]
		}
	}
	return f.root
}

// walk follows a path of the file's own through its document as the
// decoder read it: the first of repeated keys, a primary key written as a
// plain list standing for its columns.
func (f *filePositions) walk(path string) (Pos, bool) {
	n := f.document()
	if n == nil {
		return Pos{}, false
	}
	for path != "" {
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		if path[0] == '[' {
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return Pos{}, false
			}
			i, err := strconv.Atoi(path[1:end])
			if err != nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
				return Pos{}, false
			}
			n, path = n.Content[i], path[end+1:]
			continue
		}
		path = strings.TrimPrefix(path, ".")
		key := path
		if i := strings.IndexAny(path, ".["); i >= 0 {
			key = path[:i]
		}
		path = path[len(key):]
		switch n.Kind {
		case yaml.MappingNode:
			var val *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == key {
					val = n.Content[i+1]
					break
				}
			}
			if val == nil {
				return Pos{}, false
			}
			n = val
		case yaml.SequenceNode:
			// primary_key: [a, b] stands for {columns: [a, b]}.
			if key != "columns" {
				return Pos{}, false
			}
		default:
			return Pos{}, false
		}
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return Pos{File: f.file, Line: n.Line, Column: n.Column}, true
}
