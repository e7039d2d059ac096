package postgres

// The functions here read back what the server prints, the way an
// inspector does: a column default (DefaultName, the name the server
// gives an unnamed constraint, lives in names.go: the planner needs it to
// drop such a constraint). The inspector (inspector/postgres) has its own, richer readers
// and is the one production path; these stay as the oracle that the
// dialect's tests use to interpret what the server made of each plan.

import (
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// ReadDefault maps a column default as the server prints it
// (pg_get_expr(adbin, adrelid, true)) back to the model, given the
// column's type as format_type(atttypid, atttypmod) prints it:
//
//	true, false                          BoolLiteral
//	3, 0.10                              NumberLiteral, as printed
//	'-1'::integer, '-2.5'::numeric       NumberLiteral (a number on a numeric column)
//	'it''s'::text, '{}'::integer[]       StringLiteral, when the cast is to the
//	                                     column's own type (without its length)
//	anything else                        Expr, verbatim: now(), CURRENT_TIMESTAMP,
//	                                     nextval('s'::regclass), 1 + 2
//
// The server rewrites some numbers: 1.5e10 is printed 15000000000 and
// 1e3 as 1000, so a number default round-trips when written without an
// exponent.
func ReadDefault(printed, columnType string) metadata.Default {
	switch printed {
	case "true":
		return metadata.BoolLiteral{Value: true}
	case "false":
		return metadata.BoolLiteral{Value: false}
	}
	numeric := isNumericType(columnType)
	if numeric && metadata.IsDecimal(printed) {
		return metadata.NumberLiteral{Value: printed}
	}
	value, cast, ok := splitCastLiteral(printed)
	if !ok {
		return metadata.Expr{SQL: printed}
	}
	if numeric && isNumericType(cast) && metadata.IsDecimal(value) {
		return metadata.NumberLiteral{Value: value}
	}
	if cast == castName(columnType) {
		return metadata.StringLiteral{Value: value}
	}
	return metadata.Expr{SQL: printed}
}

// splitCastLiteral splits "'value'::type" into the unquoted value and the
// type; ok is false for any other expression.
func splitCastLiteral(s string) (value, cast string, ok bool) {
	if !strings.HasPrefix(s, "'") {
		return "", "", false
	}
	var b strings.Builder
	i := 1
	for ; i < len(s); i++ {
		if s[i] == '\'' {
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			break
		}
		b.WriteByte(s[i])
	}
	if i >= len(s) || !strings.HasPrefix(s[i+1:], "::") {
		return "", "", false
	}
	cast = s[i+3:]
	if cast == "" || strings.ContainsAny(cast, "'():") {
		return "", "", false
	}
	return b.String(), cast, true
}

// castName is how the server names a column type in a cast: the type
// without its length or precision ("character varying(10)[]" is cast as
// "character varying[]"), and character(n) as bpchar.
func castName(columnType string) string {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(columnType); i++ {
		switch c := columnType[i]; {
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	s := b.String()
	if s == "character" || strings.HasPrefix(s, "character[") {
		s = "bpchar" + strings.TrimPrefix(s, "character")
	}
	return s
}

// isNumericType reports whether a type (as format_type prints it, with or
// without its precision) holds numbers.
func isNumericType(t string) bool {
	switch castName(t) {
	case "smallint", "integer", "bigint", "numeric", "real", "double precision":
		return true
	}
	return false
}
