package postgres

import (
	"regexp"
	"strings"
)

var reTypmod = regexp.MustCompile(`\(\d+(?:,\d+)?\)`)

// sameTypeIgnoringTypmod reports whether a cast's type, as the server
// prints it in a default ('x'::character varying), is the column's type
// as format_type() prints it (character varying(20)): casts drop the
// modifiers, and character(n) is cast as bpchar.
func sameTypeIgnoringTypmod(cast, column string) bool {
	if cast == column {
		return true
	}
	base := reTypmod.ReplaceAllString(column, "")
	if rest, ok := strings.CutPrefix(base, "character"); ok && (rest == "" || rest[0] == '[') {
		base = "bpchar" + rest
	}
	return cast == base
}
