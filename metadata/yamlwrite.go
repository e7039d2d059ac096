package metadata

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A small YAML writer for the trees encodeNode builds: block mappings and
// sequences, flow sequences of strings, flow mappings of scalars, and
// scalars written plain, as a literal block, or double-quoted. yaml.v3's
// own emitter is general but slow on large documents (its cost grows
// faster than the document: seconds and a gigabyte at 5000 tables); this
// one is linear, and its quoting is checked against yaml.v3's reader.

// writeYAMLMapping writes a block mapping whose keys start at column indent.
// The caller has positioned the output at that column for the first key.
func writeYAMLMapping(buf *bytes.Buffer, n *enode, indent int) {
	for i := 0; i+1 < len(n.content); i += 2 {
		if i > 0 {
			writeIndent(buf, indent)
		}
		writeYAMLScalarText(buf, n.content[i].value, false)
		buf.WriteByte(':')
		writeYAMLValue(buf, n.content[i+1], indent)
	}
}

// writeYAMLValue writes the value of a mapping key at indent, starting
// right after the colon.
func writeYAMLValue(buf *bytes.Buffer, v *enode, indent int) {
	switch {
	case v.flow:
		buf.WriteByte(' ')
		writeYAMLFlow(buf, v)
		buf.WriteByte('\n')
	case v.kind == mappingKind:
		if len(v.content) == 0 {
			buf.WriteString(" {}\n")
			return
		}
		buf.WriteByte('\n')
		writeIndent(buf, indent+2)
		writeYAMLMapping(buf, v, indent+2)
	case v.kind == sequenceKind:
		if v.len() == 0 {
			buf.WriteString(" []\n")
			return
		}
		buf.WriteByte('\n')
		for i := range v.len() {
			item := v.item(i)
			writeIndent(buf, indent+2)
			buf.WriteString("- ")
			switch item.kind {
			case mappingKind:
				if item.flow || len(item.content) == 0 {
					writeYAMLFlow(buf, item)
					buf.WriteByte('\n')
				} else {
					writeYAMLMapping(buf, item, indent+4)
				}
			case sequenceKind:
				writeYAMLFlow(buf, item)
				buf.WriteByte('\n')
			default:
				writeYAMLScalar(buf, item, indent+4)
			}
		}
	default:
		buf.WriteByte(' ')
		writeYAMLScalar(buf, v, indent+2)
	}
}

// writeYAMLFlow writes a flow sequence or mapping of scalars on one line.
func writeYAMLFlow(buf *bytes.Buffer, n *enode) {
	open, close := byte('['), byte(']')
	step := 1
	if n.kind == mappingKind {
		open, close, step = '{', '}', 2
	}
	buf.WriteByte(open)
	for i := 0; i < len(n.content); i += step {
		if i > 0 {
			buf.WriteString(", ")
		}
		if step == 2 {
			writeYAMLScalarText(buf, n.content[i].value, true)
			buf.WriteString(": ")
			writeFlowScalar(buf, n.content[i+1])
		} else {
			writeFlowScalar(buf, n.content[i])
		}
	}
	buf.WriteByte(close)
}

func writeFlowScalar(buf *bytes.Buffer, n *enode) {
	if n.tag == strTag {
		writeYAMLScalarText(buf, n.value, true)
		return
	}
	buf.WriteString(n.value)
}

// writeYAMLScalar writes a scalar value followed by a newline; a multi-line
// string becomes a literal block whose lines start at column indent.
func writeYAMLScalar(buf *bytes.Buffer, n *enode, indent int) {
	if n.tag != strTag {
		buf.WriteString(n.value)
		buf.WriteByte('\n')
		return
	}
	if literalBlockable(n.value) {
		writeLiteralBlock(buf, n.value, indent)
		return
	}
	writeYAMLScalarText(buf, n.value, false)
	buf.WriteByte('\n')
}

// writeYAMLScalarText writes a string plain when YAML reads it back as the
// same string, double-quoted otherwise.
func writeYAMLScalarText(buf *bytes.Buffer, s string, flow bool) {
	if plainSafe(s, flow) {
		buf.WriteString(s)
		return
	}
	buf.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			buf.WriteString(`\"`)
		case '\\':
			buf.WriteString(`\\`)
		case '\n':
			buf.WriteString(`\n`)
		case '\t':
			buf.WriteString(`\t`)
		case '\r':
			buf.WriteString(`\r`)
		default:
			if r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ' {
				if r <= 0xFFFF {
					buf.WriteString(`\u` + strconv.FormatInt(0x10000+int64(r), 16)[1:])
				} else {
					buf.WriteString(`\U` + strconv.FormatInt(0x100000000+int64(r), 16)[1:])
				}
				continue
			}
			buf.WriteRune(r)
		}
	}
	buf.WriteByte('"')
}

// plainSafe is deliberately strict: a plain scalar must not start with an
// indicator, hold a sequence YAML gives meaning to, or read as another type
// (a number, a boolean or null in YAML 1.1 or 1.2, a date).
func plainSafe(s string, flow bool) bool {
	if s == "" || s != strings.TrimSpace(s) {
		return false
	}
	if strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`0123456789.+~=") {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	if flow && strings.ContainsAny(s, ",[]{}?:#'\"") {
		return false
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f || r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ' || r == '\uFEFF' {
			return false
		}
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf":
		return false
	}
	return true
}

// literalBlockable reports whether a multi-line string can be a literal
// block and read back exactly: no carriage returns, tabs or other control
// characters, and no line ending in blanks.
func literalBlockable(s string) bool {
	if !strings.Contains(s, "\n") || strings.TrimSpace(s) == "" {
		return false
	}
	for _, r := range s {
		if r != '\n' && (r < ' ' || r == 0x7f || !unicode.IsPrint(r) && r != ' ' || r == '\uFEFF') {
			return false
		}
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.HasSuffix(line, " ") {
			return false
		}
	}
	return true
}

// writeLiteralBlock writes s as "|" with the chomping and indentation
// indicators that make it read back exactly.
func writeLiteralBlock(buf *bytes.Buffer, s string, indent int) {
	body := strings.TrimRight(s, "\n")
	trailing := len(s) - len(body)
	buf.WriteByte('|')
	// An explicit indentation indicator is needed when the first
	// non-empty line starts with a space (or the block starts with empty
	// lines, whose indentation YAML would otherwise guess).
	lines := strings.Split(body, "\n")
	if strings.HasPrefix(body, " ") || strings.HasPrefix(body, "\n") {
		buf.WriteString("2")
	}
	switch trailing {
	case 0:
		buf.WriteByte('-')
	case 1:
	default:
		buf.WriteByte('+')
	}
	buf.WriteByte('\n')
	for _, line := range lines {
		if line != "" {
			writeIndent(buf, indent)
			buf.WriteString(line)
		}
		buf.WriteByte('\n')
	}
	for i := 1; i < trailing; i++ {
		buf.WriteByte('\n')
	}
}

func writeIndent(buf *bytes.Buffer, n int) {
	for i := 0; i < n; i++ {
		buf.WriteByte(' ')
	}
}
