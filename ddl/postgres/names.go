package postgres

import (
	"strings"
	"unicode/utf8"
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
