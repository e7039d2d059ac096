package metadata

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
)

// EncodeYAML writes a model in the schema-file format. Decoding the output
// with Parse gives back an equal model: this is what makes
// `dbtool inspect --format yaml` a valid input for create-all.
func EncodeYAML(m *MetaData) ([]byte, error) {
	var buf bytes.Buffer
	root := encodeNode(reflect.ValueOf(m).Elem(), nil)
	if len(root.content) == 0 {
		buf.WriteString("{}\n")
		return buf.Bytes(), nil
	}
	writeYAMLMapping(&buf, root, 0)
	return buf.Bytes(), nil
}

// EncodeJSON writes a model as JSON in the schema-file format, keys in the
// same order as EncodeYAML, indented by two spaces.
func EncodeJSON(m *MetaData) ([]byte, error) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteJSON writes what EncodeJSON returns to w, without holding it: a
// checksum of a large schema need not hold its text. A writer without
// WriteString, WriteByte and WriteRune (a hash) is buffered.
func WriteJSON(w io.Writer, m *MetaData) error {
	tw, ok := w.(textWriter)
	var bw *bufio.Writer
	if !ok {
		bw = bufio.NewWriter(w)
		tw = bw
	}
	writeJSON(tw, encodeNode(reflect.ValueOf(m).Elem(), nil), "")
	tw.WriteByte('\n')
	if bw != nil {
		return bw.Flush()
	}
	return nil
}

// textWriter is what the JSON writer writes to: a bytes.Buffer or a
// bufio.Writer, whose errors, if any, the final Flush returns.
type textWriter interface {
	io.Writer
	io.ByteWriter
	io.StringWriter
	WriteRune(r rune) (int, error)
}

// encodeNode builds the YAML tree of a value. Zero values are left out
// (every optional key is omitempty), except a column's nullable and
// autoincrement, which are written only where they differ from the file's
// default (see NotNullByDefault and AutoincrementByDefault). table is the enclosing table, once inside one.
func encodeNode(v reflect.Value, table *Table) *enode {
	switch v.Type() {
	case typeType:
		t := v.Interface().(Type)
		if raw, ok := t.(Raw); ok && raw.SQL != "" {
			if parsed, err := ParseType(raw.SQL); err != nil || parsed != t {
				return &enode{kind: mappingKind, flow: true, content: []*enode{str("raw"), str(raw.SQL)}}
			}
		}
		return str(t.String())
	case defaultType:
		return encodeDefault(v.Interface().(Default))
	case pkType:
		// A key that is only its columns is written as a plain list.
		if v.Field(pkNameField).String() == "" && v.Field(pkOptionsField).Len() == 0 && v.Field(pkConflictField).String() == "" {
			return flowStrings(v.Field(pkColumnsField).Interface().([]string))
		}
	case partType:
		if p := v.Interface().(IndexPart); p == (IndexPart{Column: p.Column}) {
			return str(p.Column)
		}
	case tableType:
		table = v.Addr().Interface().(*Table)
	}
	switch v.Kind() {
	case reflect.Pointer:
		return encodeNode(v.Elem(), table)
	case reflect.Struct:
		n := &enode{kind: mappingKind}
		isColumn := v.Type() == columnType
		for _, f := range fieldsOf(v.Type()).ordered {
			fv := v.Field(f.index)
			if isColumn && f.key == "nullable" {
				c := v.Addr().Interface().(*Column)
				if c.Nullable == !NotNullByDefault(table, c) {
					continue
				}
			} else if isColumn && f.key == "autoincrement" {
				c := v.Addr().Interface().(*Column)
				if c.Autoincrement == AutoincrementByDefault(table, c) {
					continue
				}
			} else if fv.IsZero() {
				continue
			}
			n.content = append(n.content, &enode{kind: scalarKind, tag: strTag, value: f.key}, encodeNode(fv, table))
		}
		return n
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			return flowStrings(v.Interface().([]string))
		}
		return &enode{kind: sequenceKind, lazy: &lazyItems{slice: v, table: table}}
	case reflect.String:
		return str(v.String())
	case reflect.Bool:
		return &enode{kind: scalarKind, tag: boolTag, value: strconv.FormatBool(v.Bool())}
	case reflect.Int64:
		return &enode{kind: scalarKind, tag: intTag, value: strconv.FormatInt(v.Int(), 10)}
	}
	panic(fmt.Sprintf("metadata: no encoding for %s", v.Type()))
}

// The PrimaryKey fields encodeNode reads without boxing the struct.
var (
	pkNameField     = mustField(pkType, "Name")
	pkColumnsField  = mustField(pkType, "Columns")
	pkOptionsField  = mustField(pkType, "ColumnOptions")
	pkConflictField = mustField(pkType, "OnConflict")
)

func mustField(t reflect.Type, name string) int {
	f, ok := t.FieldByName(name)
	if !ok {
		panic("metadata: no field " + name)
	}
	return f.Index[0]
}

func encodeDefault(d Default) *enode {
	switch d := d.(type) {
	case StringLiteral:
		return str(d.Value)
	case NumberLiteral:
		tag := intTag
		if strings.ContainsAny(d.Value, ".eE") {
			tag = floatTag
		}
		return &enode{kind: scalarKind, tag: tag, value: d.Value}
	case BoolLiteral:
		return &enode{kind: scalarKind, tag: boolTag, value: strconv.FormatBool(d.Value)}
	case Expr:
		return &enode{kind: mappingKind, flow: true, content: []*enode{str("expr"), str(d.SQL)}}
	}
	panic(fmt.Sprintf("metadata: unknown default %T", d))
}

// enode is a node of the tree the encoders write: as light as can be,
// since a schema of thousands of tables has millions of them.
//
// A block sequence (of tables, columns, ...) holds the slice it encodes,
// not its items' trees: the writers encode one item at a time, so a
// whole schema's tree is never held at once (bench/gen's 5000 tables:
// about 60 MiB).
type enode struct {
	kind    nodeKind
	tag     scalarTag
	flow    bool // a one-line [a, b] or {k: v}
	value   string
	content []*enode // a mapping's keys and values alternate; a flow sequence's items
	lazy    *lazyItems
}

// lazyItems are a block sequence's items, encoded as they are written.
type lazyItems struct {
	slice reflect.Value
	table *Table // the table enclosing them
}

// len is the number of a sequence's items, or of a mapping's keys and
// values.
func (n *enode) len() int {
	if n.lazy != nil {
		return n.lazy.slice.Len()
	}
	return len(n.content)
}

// item is the tree of a sequence's i'th item.
func (n *enode) item(i int) *enode {
	if n.lazy != nil {
		return encodeNode(n.lazy.slice.Index(i), n.lazy.table)
	}
	return n.content[i]
}

type nodeKind uint8

const (
	scalarKind nodeKind = iota
	mappingKind
	sequenceKind
)

// scalarTag is how a scalar reads: as a string, or as a bare number or
// boolean.
type scalarTag uint8

const (
	strTag scalarTag = iota
	intTag
	floatTag
	boolTag
)

func str(s string) *enode { return &enode{kind: scalarKind, tag: strTag, value: s} }

func flowStrings(ss []string) *enode {
	n := &enode{kind: sequenceKind, flow: true, content: make([]*enode, len(ss))}
	for i, s := range ss {
		n.content[i] = str(s)
	}
	return n
}

// writeJSON writes a tree as JSON, keeping the order of keys.
func writeJSON(buf textWriter, n *enode, indent string) {
	inner := indent + "  "
	switch n.kind {
	case mappingKind:
		if len(n.content) == 0 {
			buf.WriteString("{}")
			return
		}
		buf.WriteString("{\n")
		for i := 0; i < len(n.content); i += 2 {
			buf.WriteString(inner)
			writeJSONString(buf, n.content[i].value)
			buf.WriteString(": ")
			writeJSON(buf, n.content[i+1], inner)
			if i+2 < len(n.content) {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		buf.WriteString(indent + "}")
	case sequenceKind:
		if n.len() == 0 {
			buf.WriteString("[]")
			return
		}
		buf.WriteString("[\n")
		for i := range n.len() {
			buf.WriteString(inner)
			writeJSON(buf, n.item(i), inner)
			if i+1 < n.len() {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		buf.WriteString(indent + "]")
	default:
		if n.tag == strTag {
			writeJSONString(buf, n.value)
		} else {
			buf.WriteString(n.value)
		}
	}
}

// writeJSONString writes s as a JSON string. Every character that is not
// printable is escaped, line separators such as U+0085 included: JSON
// allows them raw, but YAML, which reads dbtool's JSON too, folds them.
func writeJSONString(buf textWriter, s string) {
	buf.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			buf.WriteString(`\"`)
		case r == '\\':
			buf.WriteString(`\\`)
		case r == '\n':
			buf.WriteString(`\n`)
		case r == '\t':
			buf.WriteString(`\t`)
		case r == '\r':
			buf.WriteString(`\r`)
		case r == ' ' || unicode.IsPrint(r) && r != '\uFEFF':
			buf.WriteRune(r)
		case r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(buf, `\u%04x\u%04x`, r1, r2)
		default:
			fmt.Fprintf(buf, `\u%04x`, r)
		}
	}
	buf.WriteByte('"')
}
