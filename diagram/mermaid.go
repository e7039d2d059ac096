package diagram

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// Mermaid returns m as a Mermaid erDiagram: every table and view with its
// columns (type, name, PK/FK/UK markers and comment), and one relationship
// per foreign key, from the referenced table to the referencing one.
//
// The cardinality at the referenced end is exactly one (||), or zero or
// one (|o) when a column of the key is nullable; at the referencing end it
// is zero or more (o{), or zero or one (o|) when the key's columns are
// unique there (one-to-one). A key inside the referencing table's primary
// key is an identifying relationship (a solid line, --), any other a
// dashed one (..).
//
// Mermaid takes bare names only of letters, digits and underscores, and
// reads some words (end, style, one, many, ...) as keywords. Any other
// table name is written as an alias, id["real name"], so the diagram shows
// the real name; a column name Mermaid cannot take is written with '_' for
// what it rejects, and its real name goes in the comment. Quotes and '#'
// in labels are written as Mermaid's entity codes #quot; and #35;.
func Mermaid(m *metadata.MetaData) []byte {
	g := newGraph(m)
	ids := mermaidIDs(g)
	var b bytes.Buffer
	b.WriteString("erDiagram\n")
	for i := range g.entities {
		e := &g.entities[i]
		b.WriteString("    " + ids[i])
		if ids[i] != e.ref.Name || e.view != nil {
			b.WriteString(`["` + mermaidText(e.title()) + `"]`)
		}
		if len(e.attrs) == 0 {
			b.WriteString(" {}\n")
			continue
		}
		b.WriteString(" {\n")
		for _, a := range e.attrs {
			name, renamed := mermaidWord(a.name, "c")
			typ := "column"
			if a.typ != "" {
				typ, _ = mermaidWord(a.typ, "t")
			}
			fmt.Fprintf(&b, "        %s %s", typ, name)
			if k := a.keys(); k != "" {
				b.WriteString(" " + k)
			}
			comment := a.comment
			if renamed {
				comment = strings.TrimSuffix("column "+a.name+": "+comment, ": ")
			}
			if comment != "" {
				b.WriteString(` "` + mermaidText(comment) + `"`)
			}
			b.WriteString("\n")
		}
		b.WriteString("    }\n")
	}
	for _, r := range g.relations {
		left := "||"
		if r.optional {
			left = "|o"
		}
		right := "o{"
		if r.unique {
			right = "o|"
		}
		line := ".."
		if r.identifying {
			line = "--"
		}
		fmt.Fprintf(&b, "    %s %s%s%s %s : \"%s\"\n", ids[r.parent], left, line, right, ids[r.child], mermaidText(r.label()))
	}
	return b.Bytes()
}

// mermaidKeywords are words Mermaid's erDiagram lexer takes as keywords
// where an entity name may stand (compared without case).
var mermaidKeywords = map[string]bool{
	"erdiagram": true, "end": true, "subgraph": true, "style": true, "class": true, "classdef": true,
	"direction": true, "title": true, "acctitle": true, "accdescr": true, "tb": true, "bt": true,
	"lr": true, "rl": true, "to": true, "optionally": true, "one": true, "zero": true, "many": true,
	"only": true, "u": true,
}

// isMermaidName reports whether s can be an entity name as it is: a
// letter, then letters, digits and underscores, and no keyword.
func isMermaidName(s string) bool {
	if s == "" || mermaidKeywords[strings.ToLower(s)] {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' && i > 0 || c >= '0' && c <= '9' && i > 0) {
			return false
		}
	}
	return true
}

// mermaidIDs names each entity in the diagram: its own name when Mermaid
// takes it as it is, otherwise its name with '_' for what Mermaid rejects
// ("public.users" is public_users), made unique with a number.
func mermaidIDs(g *graph) []string {
	ids := make([]string, len(g.entities))
	used := map[string]bool{}
	for i, e := range g.entities {
		if e.ref.Schema == "" && isMermaidName(e.ref.Name) {
			ids[i] = e.ref.Name
			used[strings.ToLower(e.ref.Name)] = true
		}
	}
	for i, e := range g.entities {
		if ids[i] != "" {
			continue
		}
		base, _ := mermaidWord(e.ref.String(), "e")
		if mermaidKeywords[strings.ToLower(base)] {
			base = "e_" + base
		}
		id := base
		for n := 2; used[strings.ToLower(id)]; n++ {
			id = fmt.Sprintf("%s_%d", base, n)
		}
		used[strings.ToLower(id)] = true
		ids[i] = id
	}
	return ids
}

// mermaidWord writes s as a Mermaid attribute word, as the documentation
// describes them: a letter first, then letters, digits, '-', '_', '(',
// ')', '[' and ']'. Anything else becomes '_'; a word not starting with a
// letter gets prefix and '_' in front; the words PK, FK and UK get a '_'
// after. It reports whether the word differs from s.
func mermaidWord(s, prefix string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == '-', r == '_', r == '(', r == ')', r == '[', r == ']':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	w := b.String()
	if w == "" || !(w[0] >= 'a' && w[0] <= 'z' || w[0] >= 'A' && w[0] <= 'Z') {
		w = prefix + "_" + w
	}
	switch strings.ToUpper(w) {
	case "PK", "FK", "UK":
		w += "_"
	}
	return w, w != s
}

// mermaidText writes s for inside a Mermaid double-quoted string: on one
// line, with '#' and '"' as the entity codes #35; and #quot;, which
// Mermaid turns back into the characters when it draws the diagram.
func mermaidText(s string) string {
	s = strings.ReplaceAll(s, "#", "#35;")
	s = strings.ReplaceAll(s, `"`, "#quot;")
	return strings.Join(strings.Fields(s), " ")
}
