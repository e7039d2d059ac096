package postgres

import (
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// columnDefault maps a default as pg_get_expr() prints it to the model.
// A constant of the column's own type comes back with a cast the server
// added ('x'::character varying, '-1'::integer): the cast is dropped and
// the constant becomes a literal, a number for a numeric column
// (typcategory N) and a string otherwise. true and false are booleans; a
// bare number (1.50) is a number; NULL cast to the column's type is the
// expression NULL. Anything else is an expression kept verbatim.
func columnDefault(expr, colType, category string) metadata.Default {
	expr = strings.TrimSpace(expr)
	switch expr {
	case "true":
		return metadata.BoolLiteral{Value: true}
	case "false":
		return metadata.BoolLiteral{Value: false}
	}
	if category == "N" && metadata.IsDecimal(expr) {
		return metadata.NumberLiteral{Value: expr}
	}
	if rest, ok := strings.CutPrefix(expr, "NULL::"); ok && sameTypeIgnoringTypmod(rest, colType) {
		return metadata.Expr{SQL: "NULL"}
	}
	if val, cast, ok := stringConstant(expr); ok && category == "N" && numericCasts[cast] && metadata.IsDecimal(val) {
		// A negative or fractional constant is printed cast to the
		// constant's own type, which need not be the column's: -1 on a
		// smallint is '-1'::integer, -1.5 on a real is '-1.5'::numeric.
		return metadata.NumberLiteral{Value: val}
	}
	if val, cast, ok := stringConstant(expr); ok && (cast == "" || sameTypeIgnoringTypmod(cast, colType)) {
		if category == "N" && metadata.IsDecimal(val) {
			return metadata.NumberLiteral{Value: val}
		}
		if category == "B" && (val == "true" || val == "false") {
			return metadata.BoolLiteral{Value: val == "true"}
		}
		return metadata.StringLiteral{Value: val}
	}
	return metadata.Expr{SQL: expr}
}

// numericCasts are the types the server casts a numeric constant to when
// it prints a default.
var numericCasts = map[string]bool{
	"smallint": true, "integer": true, "bigint": true, "numeric": true, "real": true, "double precision": true,
}

// stringConstant reads a quoted constant with an optional cast,
// 'it”s'::text, and returns its value and the cast's type (or ""). With
// standard_conforming_strings the server doubles only quotes; an E'...'
// constant has backslash escapes too.
func stringConstant(s string) (val, cast string, ok bool) {
	escapes := false
	if strings.HasPrefix(s, "E'") {
		escapes = true
		s = s[1:]
	}
	if !strings.HasPrefix(s, "'") {
		return "", "", false
	}
	var b strings.Builder
	i := 1
	for {
		if i >= len(s) {
			return "", "", false
		}
		c := s[i]
		switch {
		case c == '\'' && i+1 < len(s) && s[i+1] == '\'':
			b.WriteByte('\'')
			i += 2
		case c == '\'':
			rest := s[i+1:]
			if rest == "" {
				return b.String(), "", true
			}
			cast, found := strings.CutPrefix(rest, "::")
			if !found || cast == "" {
				return "", "", false
			}
			return b.String(), cast, true
		case escapes && c == '\\' && i+1 < len(s):
			b.WriteByte(unescape(s[i+1]))
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
}

// unescape decodes the simple backslash escapes of an E” string.
func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	}
	return c
}
