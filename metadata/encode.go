package metadata

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// EncodeYAML writes a model in the schema-file format. Decoding the output
// with Parse gives back an equal model: this is what makes
// `dbtool inspect --format yaml` a valid input for create-all.
func EncodeYAML(m *MetaData) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(encodeNode(reflect.ValueOf(m).Elem(), nil)); err != nil {
		return nil, fmt.Errorf("encoding schema as YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encoding schema as YAML: %w", err)
	}
	return buf.Bytes(), nil
}

// EncodeJSON writes a model as JSON in the schema-file format, keys in the
// same order as EncodeYAML, indented by two spaces.
func EncodeJSON(m *MetaData) ([]byte, error) {
	var buf bytes.Buffer
	if err := writeJSON(&buf, encodeNode(reflect.ValueOf(m).Elem(), nil), ""); err != nil {
		return nil, fmt.Errorf("encoding schema as JSON: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// encodeNode builds the YAML tree of a value. Zero values are left out
// (every optional key is omitempty), except a column's nullable, which is
// written only where it differs from the file's default (see
// NotNullByDefault). table is the enclosing table, once inside one.
func encodeNode(v reflect.Value, table *Table) *yaml.Node {
	switch x := v.Interface().(type) {
	case Type:
		return str(x.String())
	case Default:
		return encodeDefault(x)
	case PrimaryKey:
		if x.Name == "" {
			return flowStrings(x.Columns)
		}
	case IndexPart:
		if x == (IndexPart{Column: x.Column}) {
			return str(x.Column)
		}
	case Table:
		table = &x
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return encodeNode(v.Elem(), table)
	case reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode}
		for i := 0; i < v.NumField(); i++ {
			f, fv := v.Type().Field(i), v.Field(i)
			key := yamlKey(f)
			if key == "" {
				continue
			}
			if v.Type() == columnType && key == "nullable" {
				c := v.Interface().(Column)
				if c.Nullable == !NotNullByDefault(table, &c) {
					continue
				}
			} else if fv.IsZero() {
				continue
			}
			n.Content = append(n.Content, str(key), encodeNode(fv, table))
		}
		return n
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			return flowStrings(v.Interface().([]string))
		}
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for i := 0; i < v.Len(); i++ {
			n.Content = append(n.Content, encodeNode(v.Index(i), table))
		}
		return n
	case reflect.String:
		return str(v.String())
	case reflect.Bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(v.Bool())}
	case reflect.Int64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(v.Int())}
	}
	panic(fmt.Sprintf("metadata: no encoding for %s", v.Type()))
}

func encodeDefault(d Default) *yaml.Node {
	switch d := d.(type) {
	case StringLiteral:
		return str(d.Value)
	case NumberLiteral:
		tag := "!!int"
		if strings.ContainsAny(d.Value, ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: d.Value}
	case BoolLiteral:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(d.Value)}
	case Expr:
		return &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle, Content: []*yaml.Node{str("expr"), str(d.SQL)}}
	}
	panic(fmt.Sprintf("metadata: unknown default %T", d))
}

// str is a string scalar. Multi-line text (view and function definitions)
// is written as a literal block, so it reads as SQL.
func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.Contains(s, "\n") && !hasTrailingSpace(s) {
		n.Style = yaml.LiteralStyle
	}
	return n
}

// hasTrailingSpace reports a line ending in a blank, which a literal block
// cannot keep exactly; such text is written quoted instead.
func hasTrailingSpace(s string) bool {
	for _, line := range strings.Split(s, "\n") {
		if strings.HasSuffix(line, " ") || strings.HasSuffix(line, "\t") {
			return true
		}
	}
	return strings.Contains(s, "\r")
}

func flowStrings(ss []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, s := range ss {
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s})
	}
	return n
}

// writeJSON writes a YAML tree as JSON, keeping the order of keys.
func writeJSON(buf *bytes.Buffer, n *yaml.Node, indent string) error {
	inner := indent + "  "
	switch n.Kind {
	case yaml.MappingNode:
		if len(n.Content) == 0 {
			buf.WriteString("{}")
			return nil
		}
		buf.WriteString("{\n")
		for i := 0; i < len(n.Content); i += 2 {
			buf.WriteString(inner)
			writeJSONString(buf, n.Content[i].Value)
			buf.WriteString(": ")
			if err := writeJSON(buf, n.Content[i+1], inner); err != nil {
				return err
			}
			if i+2 < len(n.Content) {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		buf.WriteString(indent + "}")
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			buf.WriteString("[]")
			return nil
		}
		buf.WriteString("[\n")
		for i, c := range n.Content {
			buf.WriteString(inner)
			if err := writeJSON(buf, c, inner); err != nil {
				return err
			}
			if i+1 < len(n.Content) {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		buf.WriteString(indent + "]")
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!bool", "!!int", "!!float":
			buf.WriteString(n.Value)
		default:
			writeJSONString(buf, n.Value)
		}
	default:
		return fmt.Errorf("unexpected YAML node kind %d", n.Kind)
	}
	return nil
}

func writeJSONString(buf *bytes.Buffer, s string) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	buf.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}
