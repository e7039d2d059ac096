package metadata

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// decoder turns a parsed YAML document into the model. It is driven by the
// model's yaml tags, so the format and the model cannot drift, and it knows
// the few places where the format is kinder than the model: types and
// defaults as scalars, column-level primary_key/unique, a primary key as a
// plain list, an index column as a plain name.
//
// Every error names file:line:column. Validation problems, found later on
// the pure model, are placed in the file by their model path
// ("tables[2].columns[0]"), walking the document (see positions).
type decoder struct {
	file     string
	problems Problems
	// stack is the model path of the node being decoded (see push).
	stack []segment
	// columns holds, for the columns that have any, what applySugar
	// needs of a column besides its fields.
	columns map[*Column]*columnKeys
}

// columnKeys is what a column's mapping said beyond its fields: the
// primary_key and unique keys that are true, and whether autoincrement
// and nullable were written at all.
type columnKeys struct {
	primaryKey, unique      *yaml.Node
	autoincrement, nullable bool
}

// columnSugarKeys are the boolean keys a column takes besides its fields:
// shorthands for table-level constraints (see applySugar).
var columnSugarKeys = []string{"primary_key", "unique"}

func isColumnSugar(key string) bool {
	for _, k := range columnSugarKeys {
		if k == key {
			return true
		}
	}
	return false
}

// boolean decodes a boolean value, the one way every boolean key is read.
// The YAML 1.2 core schema's spellings are accepted: true, True, TRUE,
// false, False, FALSE (JSON has only the first and the fourth). Anything
// else is an error at its position: YAML 1.1's yes, on, y and their
// opposites, 1 and 0, and a quoted "true", which YAML and JSON both
// define as a string (a schema file never guesses that a string meant a
// boolean).
func (d *decoder) boolean(n *yaml.Node) (value, ok bool) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		switch n.Value {
		case "true", "True", "TRUE":
			return true, true
		case "false", "False", "FALSE":
			return false, true
		}
	}
	hint := ""
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		switch strings.ToLower(n.Value) {
		case "true", "false":
			hint = fmt.Sprintf(" (write %s without quotes)", strings.ToLower(n.Value))
		case "yes", "y", "on":
			hint = " (write true: YAML 1.2 reads " + n.Value + " as a string)"
		case "no", "n", "off":
			hint = " (write false: YAML 1.2 reads " + n.Value + " as a string)"
		}
	}
	d.fail(n, d.path(), "%s: expected true or false, found %s%s", d.lastKey(), describe(n), hint)
	return false, false
}

func (d *decoder) pos(n *yaml.Node) Pos { return Pos{File: d.file, Line: n.Line, Column: n.Column} }

func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	d.problems = append(d.problems, Problem{Pos: d.pos(n), Path: path, Message: fmt.Sprintf(format, args...)})
}

var (
	typeType     = reflect.TypeOf((*Type)(nil)).Elem()
	defaultType  = reflect.TypeOf((*Default)(nil)).Elem()
	pkType       = reflect.TypeOf(PrimaryKey{})
	partType     = reflect.TypeOf(IndexPart{})
	columnType   = reflect.TypeOf(Column{})
	tableType    = reflect.TypeOf(Table{})
	metaDataType = reflect.TypeOf(MetaData{})
)

// value decodes n into v (settable) at model path.
func (d *decoder) value(n *yaml.Node, v reflect.Value) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch v.Type() {
	case typeType:
		d.typ(n, v)
		return
	case defaultType:
		d.dflt(n, v)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if isNull(n) {
			return
		}
		if v.Type().Elem() == pkType && n.Kind == yaml.SequenceNode {
			pk := &PrimaryKey{}
			d.push("columns", 0)
			d.value(n, reflect.ValueOf(&pk.Columns).Elem())
			d.pop()
			v.Set(reflect.ValueOf(pk))
			return
		}
		p := reflect.New(v.Type().Elem())
		d.value(n, p.Elem())
		v.Set(p)
	case reflect.Struct:
		if v.Type() == partType && n.Kind == yaml.ScalarNode && !isNull(n) {
			v.Set(reflect.ValueOf(IndexPart{Column: n.Value}))
			return
		}
		d.structure(n, v)
	case reflect.Slice:
		if isNull(n) {
			return
		}
		if n.Kind != yaml.SequenceNode {
			d.fail(n, d.path(), "%s: expected a list, found %s", d.lastKey(), describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.push("", i)
			d.value(item, s.Index(i))
			d.pop()
			// Nothing reads a decoded item's nodes again (a problem's
			// position is found by parsing the file anew): let them go,
			// so that a schema of thousands of tables never holds its
			// whole node tree and its whole model at once (the tree is
			// five times the model's size).
			n.Content[i] = nil
		}
		v.Set(s)
	case reflect.String:
		if isNull(n) {
			return
		}
		if n.Kind != yaml.ScalarNode {
			d.fail(n, d.path(), "%s: expected a string, found %s", d.lastKey(), describe(n))
			return
		}
		s := n.Value
		if sqlTextKeys[d.lastKey()] {
			s = strings.TrimSpace(s)
		}
		if v.Type() == reflect.TypeOf(ReferentialAction("")) {
			s = strings.ToLower(strings.Join(strings.Fields(s), " "))
			if s == "no action" {
				s = ""
			}
		}
		if v.Type() == reflect.TypeOf(ConflictAction("")) {
			s = strings.ToLower(strings.TrimSpace(s))
		}
		v.SetString(s)
	case reflect.Bool:
		if b, ok := d.boolean(n); ok {
			v.SetBool(b)
		}
	case reflect.Int64:
		var i int64
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&i) != nil {
			d.fail(n, d.path(), "%s: expected a whole number, found %s", d.lastKey(), describe(n))
			return
		}
		v.SetInt(i)
	default:
		panic(fmt.Sprintf("metadata: no decoding for %s", v.Type()))
	}
}

// structure decodes a mapping into a struct, refusing unknown keys.
func (d *decoder) structure(n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		if v.Type() == metaDataType {
			d.fail(n, "", "a schema file is a mapping of top-level keys (tables:, views:, ...); found %s", describe(n))
			return
		}
		d.fail(n, d.path(), "%s: expected a mapping, found %s", d.lastKey(), describe(n))
		return
	}
	fields := fieldsOf(v.Type())
	var col *columnKeys
	if v.Type() == columnType {
		v.FieldByName("Nullable").SetBool(true)
		col = &columnKeys{}
	}
	// seen are the keys read so far; a mapping has a few, so a list
	// costs less than a map.
	var seenBuf [24]*yaml.Node
	seen := seenBuf[:0]
	// cut is a plain value of a flow mapping that a comma cut short
	// ("numeric(10" of {type: numeric(10,2)}); rest is what followed it.
	var cut, cutKey *yaml.Node
	var rest []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key := k.Value
		if cut != nil {
			if _, known := fields.byKey[key]; !known && !(v.Type() == columnType && isColumnSugar(key)) {
				rest = append(rest, k)
				if openParens(rejoin(cut, rest)) <= 0 {
					d.cutShort(cut, cutKey, rest)
					cut, rest = nil, nil
				}
				continue
			}
			d.cutShort(cut, cutKey, rest)
			cut, rest = nil, nil
		}
		if i > 0 && n.Style&yaml.FlowStyle != 0 && k.Style == 0 && isNull(val) {
			if prev := n.Content[i-1]; prev.Kind == yaml.ScalarNode && prev.Style == 0 && openParens(prev.Value) > 0 {
				if _, known := fields.byKey[key]; !known {
					cut, cutKey, rest = prev, n.Content[i-2], []*yaml.Node{k}
					if openParens(rejoin(cut, rest)) <= 0 {
						d.cutShort(cut, cutKey, rest)
						cut, rest = nil, nil
					}
					continue
				}
			}
		}
		if first := seenKey(seen, key); first != nil {
			d.fail(k, d.path(), "key %q is repeated (first at line %d)", key, first.Line)
			continue
		}
		seen = append(seen, k)
		if col != nil && isColumnSugar(key) {
			d.push(key, 0)
			b, ok := d.boolean(val)
			d.pop()
			if ok && b {
				if key == "primary_key" {
					col.primaryKey = val
				} else {
					col.unique = val
				}
			}
			continue
		}
		if col != nil {
			col.autoincrement = col.autoincrement || key == "autoincrement"
			col.nullable = col.nullable || key == "nullable"
		}
		if v.Type() == metaDataType && strings.HasPrefix(key, "x-") {
			// An extension key: a place for YAML anchors that the
			// schema refers to by alias, ignored itself.
			continue
		}
		idx, ok := fields.byKey[key]
		if !ok {
			d.push(key, 0)
			d.fail(k, d.path(), "unknown key %q%s", key, suggest(key, fields.byKey, v.Type()))
			d.pop()
			continue
		}
		d.push(key, 0)
		d.value(val, v.Field(idx))
		d.pop()
	}
	if cut != nil {
		d.cutShort(cut, cutKey, rest)
	}
	for _, f := range fields.required {
		if seenKey(seen, f) == nil && !(v.Type() == tableType && f == "columns") {
			d.fail(n, d.path(), "missing required key %q", f)
		}
	}
	if col != nil && *col != (columnKeys{}) {
		d.columns[v.Addr().Interface().(*Column)] = col
	}
}

// seenKey returns the key node of seen named key, nil for none.
func seenKey(seen []*yaml.Node, key string) *yaml.Node {
	for _, k := range seen {
		if k.Value == key {
			return k
		}
	}
	return nil
}

// cutShort reports a flow-mapping value that a comma cut short: in
// {name: price, type: numeric(10,2)} YAML reads type as "numeric(10" and
// "2)" as a key of its own, so the value needs quotes.
func (d *decoder) cutShort(value, key *yaml.Node, rest []*yaml.Node) {
	d.push(key.Value, 0)
	defer d.pop()
	d.fail(value, d.path(), "%s: the value %q was cut short at a comma, which ends a value inside {...}: quote the whole value, as %s: %q",
		key.Value, value.Value, key.Value, rejoin(value, rest))
}

// rejoin puts a value cut short back together with the keys that YAML
// made of its rest, with the spaces that followed each comma where the
// pieces share a line.
func rejoin(value *yaml.Node, rest []*yaml.Node) string {
	var b strings.Builder
	b.WriteString(value.Value)
	prev := value
	for _, r := range rest {
		b.WriteByte(',')
		if r.Line == prev.Line {
			end := prev.Column + utf8.RuneCountInString(prev.Value)
			b.WriteString(strings.Repeat(" ", max(r.Column-end-1, 0)))
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(r.Value)
		prev = r
	}
	return b.String()
}

// openParens counts the parentheses s leaves open.
func openParens(s string) int {
	return strings.Count(s, "(") - strings.Count(s, ")")
}

// sqlTextKeys are the keys whose values are SQL text. Their surrounding
// white space carries no meaning, and a YAML block adds a newline, so it
// is trimmed (Canonical trims it too, for models built in code).
var sqlTextKeys = map[string]bool{
	"definition": true, "expr": true, "where": true, "using": true, "with_check": true,
	"bound": true, "partition_by": true,
}

// typ decodes a column type: a portable name or a raw dialect type.
func (d *decoder) typ(n *yaml.Node, v reflect.Value) {
	if isNull(n) {
		return
	}
	if n.Kind == yaml.MappingNode {
		// {raw: "DECIMAL(4,2)"}: a dialect type kept exactly as written,
		// even where it reads like a portable one.
		if len(n.Content) != 2 || n.Content[0].Value != "raw" || n.Content[1].Kind != yaml.ScalarNode {
			d.fail(n, d.path(), "type: a mapping must be {raw: TYPE}")
			return
		}
		v.Set(reflect.ValueOf(Raw{SQL: n.Content[1].Value}))
		return
	}
	if n.Kind != yaml.ScalarNode {
		d.fail(n, d.path(), "type: expected a type name such as integer or varchar(50), found %s", describe(n))
		return
	}
	if strings.TrimSpace(n.Value) == "" {
		v.Set(reflect.ValueOf(Raw{}))
		return
	}
	t, err := ParseType(n.Value)
	if err != nil {
		d.fail(n, d.path(), "%v", err)
		return
	}
	v.Set(reflect.ValueOf(t))
}

// dflt decodes a default: a scalar literal, or {expr: SQL}.
func (d *decoder) dflt(n *yaml.Node, v reflect.Value) {
	switch {
	case isNull(n):
		d.fail(n, d.path(), `default: null is ambiguous: omit the key for no default, or write {expr: "NULL"}`)
	case n.Kind == yaml.MappingNode:
		if len(n.Content) != 2 || n.Content[0].Value != "expr" {
			d.fail(n, d.path(), "default: a mapping must be {expr: SQL}")
			return
		}
		e := n.Content[1]
		if e.Kind != yaml.ScalarNode || strings.TrimSpace(e.Value) == "" {
			d.fail(e, d.path()+".expr", "default: expr must be a non-empty SQL expression")
			return
		}
		v.Set(reflect.ValueOf(Expr{SQL: e.Value}))
	case n.Kind == yaml.ScalarNode:
		switch n.Tag {
		case "!!int", "!!float":
			if !IsDecimal(n.Value) {
				d.fail(n, d.path(), "default: write the number %s in decimal, or quote it for a string", n.Value)
				return
			}
			v.Set(reflect.ValueOf(NumberLiteral{Value: n.Value}))
		case "!!bool":
			var b bool
			_ = n.Decode(&b)
			v.Set(reflect.ValueOf(BoolLiteral{Value: b}))
		default:
			v.Set(reflect.ValueOf(StringLiteral{Value: n.Value}))
		}
	default:
		d.fail(n, d.path(), "default: expected a literal or {expr: SQL}, found %s", describe(n))
	}
}

// suggest proposes the known key closest to a misspelt one.
func suggest(key string, fields map[string]int, t reflect.Type) string {
	known := make([]string, 0, len(fields)+2)
	for k := range fields {
		known = append(known, k)
	}
	if t == columnType {
		known = append(known, columnSugarKeys...)
	}
	sort.Strings(known)
	best, bestDist := "", 3
	for _, k := range known {
		if dist := editDistance(key, k); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return " (known keys: " + strings.Join(known, ", ") + ")"
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.Tag {
	case "!!null":
		return "nothing"
	case "!!str":
		// A long string is named by its start: a whole file read as one
		// string (SQL in a .yaml file) would fill the screen.
		const most = 60
		if v := []rune(n.Value); len(v) > most {
			return fmt.Sprintf("the string %q...", string(v[:most]))
		}
		return fmt.Sprintf("the string %q", n.Value)
	}
	return n.Value
}

// segment is one step of a model path: a mapping key, or ("") the
// index of a list element.
type segment struct {
	key   string
	index int
}

// push enters a key or list element of the node being decoded. The
// path is kept as a stack and written out (path) only when a problem
// names it: the decoder visits every node of the file, nearly all fine.
func (d *decoder) push(key string, index int) { d.stack = append(d.stack, segment{key, index}) }

func (d *decoder) pop() { d.stack = d.stack[:len(d.stack)-1] }

// path is the model path of the node being decoded:
// "tables[2].columns[0]".
func (d *decoder) path() string {
	var b strings.Builder
	for _, s := range d.stack {
		switch {
		case s.key == "":
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
		case b.Len() > 0:
			b.WriteByte('.')
			fallthrough
		default:
			b.WriteString(s.key)
		}
	}
	return b.String()
}

// lastKey is the last key of the path: "type" of "tables[0].columns[1].type",
// "columns" of "tables[0].columns[1]".
func (d *decoder) lastKey() string {
	for i := len(d.stack) - 1; i >= 0; i-- {
		if d.stack[i].key != "" {
			return d.stack[i].key
		}
	}
	return ""
}
