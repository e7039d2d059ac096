package metadata

import (
	"maps"
	"reflect"
	"sync"
	"sync/atomic"
)

// Parsing a large file in pieces (see parseYAML) still held its whole node
// tree before the decoder read it: about 18 bytes per byte of YAML, 110
// MiB for a 5000-table file, allocated and touched once, kept alive
// across the garbage collections that growing heap causes, and collected
// only at the end. decodeCuts decodes each piece as soon as it is parsed,
// so that a piece's nodes are garbage before the next is read.
//
// The result must be decodeFile's, problems and all. A piece is decoded
// alone into a list of the model (tables, views...), whose items are
// appended, in the file's order, to the list the rest of the file began;
// a problem's path would carry the piece's own item numbers, so any
// problem at all, and anything parseCuts would refuse, sends the file to
// the decoding in one go, which reports it.

// decodePiece is the size of the pieces decodeCuts parses and decodes:
// small enough that the pieces in hand weigh little beside the model,
// large enough that a goroutine's start is nothing beside its work.
const decodePiece = 256 << 10

// cutDecoded is a cut decoded alone: its items, a slice of the type of its
// list's field in MetaData, and the decoder that read them.
type cutDecoded struct {
	items  reflect.Value
	column int // the column its items open at
	d      *decoder
}

// decodeCuts decodes a file of at least two pieces of piece bytes as
// decodeFile does, with up to workers pieces in hand at a time. ok is
// false when the file is not cut, or when anything, a problem included,
// needs it decoded in one go. It also returns how many pieces were read.
func decodeCuts(filename string, data []byte, workers, piece int) (*MetaData, *decoder, int, bool) {
	if workers < 1 || len(data) < 2*piece {
		return nil, nil, 0, false
	}
	cuts := planCuts(data, len(data)/piece, piece)
	if len(cuts) == 0 {
		return nil, nil, 0, false
	}
	results := make([]*cutDecoded, len(cuts))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, len(cuts)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(cuts); i = int(next.Add(1) - 1) {
				results[i] = decodeCut(filename, data, cuts[i])
			}
		})
	}
	// The rest is decoded while the workers work: decoding lets go of a
	// list's items, not of the list nodes that joins reads.
	d := &decoder{file: filename, columns: map[*Column]*columnKeys{}}
	m := &MetaData{}
	mv := reflect.ValueOf(m).Elem()
	doc, lists := parseRest(data, cuts)
	if doc != nil {
		d.value(doc.Content[0], mv)
	}
	wg.Wait()
	if doc == nil || len(d.problems) > 0 {
		return nil, nil, 0, false
	}
	fields := fieldsOf(metaDataType)
	for i, c := range cuts {
		if results[i] == nil || !joins(lists[c.key], results[i].column) {
			return nil, nil, 0, false // m, half joined, is dropped
		}
		list := mv.Field(fields.byKey[c.key])
		list.Set(reflect.AppendSlice(list, results[i].items))
		// The columns' keys are their addresses, which the append
		// keeps: it copies the tables, not their columns.
		maps.Copy(d.columns, results[i].d.columns)
	}
	return m, d, len(cuts) + 1, true
}

// decodeCut parses and decodes one cut; nil when it does not parse as a
// list on its own, is not a list of the model, or has a problem.
func decodeCut(filename string, data []byte, c cut) *cutDecoded {
	items := parseCut(data, c)
	if items == nil {
		return nil
	}
	field, ok := fieldsOf(metaDataType).byKey[c.key]
	if !ok {
		return nil // an x- extension key, or a mistake decodeFile reports
	}
	t := metaDataType.Field(field).Type
	if t.Kind() != reflect.Slice {
		return nil
	}
	d := &decoder{file: filename, columns: map[*Column]*columnKeys{}}
	v := reflect.New(t).Elem()
	column := items.Column
	d.push(c.key, 0)
	d.value(items, v)
	d.pop()
	if len(d.problems) > 0 {
		return nil
	}
	return &cutDecoded{items: v, column: column, d: d}
}
