package postgres

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// PostgreSQL names an unnamed constraint or index itself. The inspector
// leaves Name empty when the name in the catalog is the one PostgreSQL
// would have chosen, so that a schema file that never named it round-trips.
// The functions here mirror the server's (src/backend/commands/indexcmds.c
// and catalog/pg_constraint.c): ChooseRelationName, ChooseConstraintName,
// ChooseIndexColumnNames and makeObjectName.

// maxIdentifierBytes is NAMEDATALEN-1, the longest name PostgreSQL keeps.
const maxIdentifierBytes = 63

// objectName is makeObjectName: name1_name2_label, the longer of name1 and
// name2 shortened first so that the whole fits in 63 bytes, never
// splitting a UTF-8 character. name2 may be empty.
func objectName(name1, name2, label string) string {
	overhead := 0
	if label != "" {
		overhead = len(label) + 1
	}
	if name2 != "" {
		overhead++
	}
	avail := maxIdentifierBytes - overhead
	n1, n2 := len(name1), len(name2)
	for n1+n2 > avail {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	name1, name2 = clip(name1, n1), clip(name2, n2)
	var b strings.Builder
	b.WriteString(name1)
	if name2 != "" {
		b.WriteByte('_')
		b.WriteString(name2)
	}
	if label != "" {
		b.WriteByte('_')
		b.WriteString(label)
	}
	return b.String()
}

// clip shortens s to at most n bytes without splitting a UTF-8 character
// (pg_mbcliplen).
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// columnsAddition is ChooseForeignKeyConstraintNameAddition and
// ChooseIndexNameAddition: the names joined by "_", stopping once the
// result is at least 63 bytes long (makeObjectName shortens it later).
func columnsAddition(names []string) string {
	var b strings.Builder
	for _, n := range names {
		if b.Len() > 0 {
			b.WriteByte('_')
		}
		if len(n) > maxIdentifierBytes {
			n = clip(n, maxIdentifierBytes)
		}
		b.WriteString(n)
		if b.Len() >= maxIdentifierBytes+1 {
			break
		}
	}
	return b.String()
}

// indexColumnNames is ChooseIndexColumnNames: a key that is an
// expression is called "expr", and a name repeated in one index gets a
// number ("expr1", "a1") to make it unique.
func indexColumnNames(keys []string) []string {
	out := make([]string, 0, len(keys))
	used := map[string]bool{}
	for _, k := range keys {
		orig := k
		if orig == "" {
			orig = "expr"
		}
		name := orig
		for i := 1; used[name]; i++ {
			suffix := strconv.Itoa(i)
			name = clip(orig, maxIdentifierBytes-len(suffix)) + suffix
		}
		used[name] = true
		out = append(out, name)
	}
	return out
}

// defaultNamer tells whether a name is the one PostgreSQL would have
// chosen. taken holds the names in use in the namespace (relations and
// constraints): a chosen name that was taken gets a number after its
// label ("users_email_key1"), which counts as default only when the name
// without it is indeed taken.
type defaultNamer struct {
	taken map[string]bool
}

// is reports whether name is makeObjectName(name1, name2, label), possibly
// with a number after the label because the plain form was taken.
func (d defaultNamer) is(name, name1, name2, label string) bool {
	base := objectName(name1, name2, label)
	if name == base {
		return true
	}
	if !d.taken[base] {
		return false
	}
	for pass := 1; pass < 1000; pass++ {
		cand := objectName(name1, name2, label+strconv.Itoa(pass))
		if cand == name {
			return true
		}
		if !d.taken[cand] {
			return false
		}
	}
	return false
}

// primaryKey reports whether name is the default name of table's primary
// key: "<table>_pkey".
func (d defaultNamer) primaryKey(name, table string) bool {
	return d.is(name, table, "", "pkey")
}

// unique reports whether name is the default name of a unique constraint
// over the index keys (columns, then INCLUDE columns): "<table>_<cols>_key".
func (d defaultNamer) unique(name, table string, keys []string) bool {
	return d.is(name, table, columnsAddition(indexColumnNames(keys)), "key")
}

// exclusion reports whether name is the default name of an exclusion
// constraint: "<table>_<cols>_excl".
func (d defaultNamer) exclusion(name, table string, keys []string) bool {
	return d.is(name, table, columnsAddition(indexColumnNames(keys)), "excl")
}

// foreignKey reports whether name is the default name of a foreign key:
// "<table>_<cols>_fkey".
func (d defaultNamer) foreignKey(name, table string, cols []string) bool {
	return d.is(name, table, columnsAddition(cols), "fkey")
}

// check reports whether name is the default name of a check constraint:
// "<table>_<col>_check" when the expression uses exactly one column,
// "<table>_check" otherwise.
func (d defaultNamer) check(name, table string, cols []string) bool {
	col := ""
	if len(cols) == 1 {
		col = cols[0]
	}
	return d.is(name, table, col, "check")
}
