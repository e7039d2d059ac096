package postgres

// The functions here read back what the server prints, the way an
// inspector does: the name it gives an unnamed constraint, and a column
// default. The inspector (inspector/postgres) has its own, richer readers
// and is the one production path; these stay as the oracle that the
// dialect's tests use to interpret what the server made of each plan.

import (
	"strings"
	"unicode/utf8"

	"github.com/dbtool/dbtool/metadata"
)

// maxIdentLength is PostgreSQL's NAMEDATALEN-1: the longest name, in bytes.
const maxIdentLength = 63

// The labels PostgreSQL appends to the names it chooses.
const (
	LabelPrimaryKey = "pkey"  // users_pkey
	LabelUnique     = "key"   // users_email_key, t_a_b_key
	LabelForeignKey = "fkey"  // orders_user_id_fkey
	LabelCheck      = "check" // users_age_check, t_check
	LabelExclusion  = "excl"  // booking_room_during_excl
	LabelSequence   = "seq"   // users_id_seq (serial and identity columns)
)

// DefaultName returns the name PostgreSQL gives a constraint (or a serial
// column's sequence) created without one, so that the inspector can leave
// such a name out and a schema that never named it round-trips:
//
//	primary key          DefaultName(table, nil, LabelPrimaryKey)        users_pkey
//	unique               DefaultName(table, columns, LabelUnique)        users_email_key
//	foreign key          DefaultName(table, columns, LabelForeignKey)    orders_user_id_fkey
//	check on one column  DefaultName(table, []string{col}, LabelCheck)   users_age_check
//	other check          DefaultName(table, nil, LabelCheck)             users_check
//	exclusion            DefaultName(table, columns, LabelExclusion)     booking_room_during_excl
//	serial sequence      DefaultName(table, []string{col}, LabelSequence) users_id_seq
//	domain check         DefaultName(domain, nil, LabelCheck)            positive_check
//
// A check's "one column" is the single distinct column its expression
// uses (pg_constraint.conkey has one entry); with none or several the
// server uses the table name alone. An exclusion constraint's columns are
// its key columns, an expression standing as the name of the function it
// calls (lower(x): "lower") or else as "expr".
//
// Like the server (makeObjectName), it joins the table name, the column
// names and the label with underscores and, when that exceeds 63 bytes,
// shortens the longer of the table part and the column part first,
// never splitting a UTF-8 character. When the name is taken, the server
// adds a number (users_age_check1); such a name is not the default.
func DefaultName(table string, columns []string, label string) string {
	// ChooseIndexNameAddition: the column names joined, stopping once
	// the text reaches NAMEDATALEN bytes.
	var b strings.Builder
	for _, c := range columns {
		if b.Len() > 0 {
			b.WriteByte('_')
		}
		if len(c) > maxIdentLength {
			c = c[:maxIdentLength]
		}
		b.WriteString(c)
		if b.Len() > maxIdentLength {
			break
		}
	}
	name2 := b.String()
	hasName2 := len(columns) > 0

	overhead := len(label) + 1
	if hasName2 {
		overhead++
	}
	avail := maxIdentLength - overhead
	n1, n2 := len(table), len(name2)
	for n1+n2 > avail {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	out := clip(table, n1)
	if hasName2 {
		out += "_" + clip(name2, n2)
	}
	return out + "_" + label
}

// clip cuts s to at most n bytes without splitting a UTF-8 character.
func clip(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

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
