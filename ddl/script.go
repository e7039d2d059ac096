package ddl

import (
	"io"
	"strings"
)

// WriteScript writes statements as a SQL script that runs them the way
// create-all does: in one transaction (BEGIN ... COMMIT), so that running
// the script with psql or sqlite3 is all or nothing too, and settings a
// plan makes with SET LOCAL apply. Each statement ends with a semicolon.
// Nothing is written for no statement.
func WriteScript(w io.Writer, stmts []Statement) error {
	if len(stmts) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("BEGIN;\n")
	for _, s := range stmts {
		b.WriteString(strings.TrimRight(strings.TrimSpace(s.SQL), ";"))
		b.WriteString(";\n")
	}
	b.WriteString("COMMIT;\n")
	_, err := io.WriteString(w, b.String())
	return err
}
