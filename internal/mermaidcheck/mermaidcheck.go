// Package mermaidcheck checks Mermaid erDiagram text against the syntax
// Mermaid's documentation gives (mermaid.js.org/syntax/entityRelationshipDiagram),
// for tests that cannot run Mermaid itself. It accepts the subset dbtool
// writes and the documented forms around it, strictly:
//
//	diagram      = "erDiagram" NL { statement NL }
//	statement    = entity [ alias ] [ "{" ( "}" | NL { attribute NL } "}" ) ]
//	             | entity cardinality line cardinality entity ":" label
//	entity       = name | quoted
//	alias        = "[" quoted "]"
//	attribute    = word word [ key { "," key } ] [ quoted ]
//	key          = "PK" | "FK" | "UK"
//	cardinality  = "|o" | "||" | "}o" | "}|"   (left)
//	             | "o|" | "||" | "o{" | "|{"   (right)
//	line         = "--" | ".."
//	label        = quoted | name
//	name         = letter { letter | digit | "_" | "-" }, not a keyword
//	word         = letter { letter | digit | "_" | "-" | "(" | ")" | "[" | "]" }
//	quoted       = '"' { any character but '"', or '#' only in an entity code } '"'
//
// Entity codes (#quot;, #35;, #9829;) stand for characters in quoted text.
package mermaidcheck

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	nameRE      = `[A-Za-z][A-Za-z0-9_-]*`
	quotedRE    = `"(?:[^"#\n]|#(?:[a-z]+|[0-9]+);)*"`
	entityRE    = `(?:` + nameRE + `|` + quotedRE + `)`
	entityLine  = regexp.MustCompile(`^(` + entityRE + `)(?:\[(` + quotedRE + `)\])?(?:\s*(\{\}|\{))?$`)
	relLine     = regexp.MustCompile(`^(` + entityRE + `)\s+(\|o|\|\||\}o|\}\|)(--|\.\.)(o\||\|\||o\{|\|\{)\s+(` + entityRE + `)\s*:\s*(` + quotedRE + `|` + nameRE + `)$`)
	wordRE      = `[A-Za-z][A-Za-z0-9_()\[\]-]*`
	attrLine    = regexp.MustCompile(`^(` + wordRE + `)\s+(` + wordRE + `)(?:\s+((?:PK|FK|UK)(?:\s*,\s*(?:PK|FK|UK))*))?(?:\s+(` + quotedRE + `))?$`)
	keywordsSet = map[string]bool{
		"erdiagram": true, "end": true, "subgraph": true, "style": true, "class": true, "classdef": true,
		"direction": true, "title": true, "acctitle": true, "accdescr": true, "to": true, "optionally": true,
		"one": true, "zero": true, "many": true, "only": true, "u": true,
	}
	keys = map[string]bool{"PK": true, "FK": true, "UK": true}
)

// Check returns an error naming the first line of src that the grammar
// above does not accept.
func Check(src string) error {
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "erDiagram" {
		return fmt.Errorf("line 1: want erDiagram, got %q", firstOf(lines))
	}
	inBlock := false
	for n, raw := range lines[1:] {
		lineNo := n + 2
		line := strings.TrimSpace(raw)
		fail := func(format string, args ...any) error {
			return fmt.Errorf("line %d: %s: %q", lineNo, fmt.Sprintf(format, args...), raw)
		}
		if line == "" {
			continue
		}
		if inBlock {
			if line == "}" {
				inBlock = false
				continue
			}
			m := attrLine.FindStringSubmatch(line)
			if m == nil {
				return fail("not an attribute (type name [PK,FK,UK] [\"comment\"])")
			}
			if keys[strings.ToUpper(m[1])] || keys[strings.ToUpper(m[2])] {
				return fail("PK, FK and UK are keys, not a type or name")
			}
			continue
		}
		if m := relLine.FindStringSubmatch(line); m != nil {
			for _, e := range []string{m[1], m[5]} {
				if err := checkEntity(e); err != nil {
					return fail("%v", err)
				}
			}
			continue
		}
		m := entityLine.FindStringSubmatch(line)
		if m == nil {
			return fail("neither an entity nor a relationship")
		}
		if err := checkEntity(m[1]); err != nil {
			return fail("%v", err)
		}
		if m[2] == `""` {
			return fail("empty alias")
		}
		inBlock = m[3] == "{"
	}
	if inBlock {
		return fmt.Errorf("line %d: an attribute block is not closed", len(lines))
	}
	return nil
}

func checkEntity(e string) error {
	if e == `""` {
		return fmt.Errorf("empty entity name")
	}
	if !strings.HasPrefix(e, `"`) && keywordsSet[strings.ToLower(e)] {
		return fmt.Errorf("entity name %s is a Mermaid keyword", e)
	}
	return nil
}

func firstOf(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return lines[0]
}
