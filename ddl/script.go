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

// ScriptFramer is a dialect that wraps a migration script in statements
// of its own, outside the transaction or just before its commit (SQLite:
// foreign keys off around a table rebuild, and checked before commit).
type ScriptFramer interface {
	// Frame returns what runs before BEGIN, before COMMIT and after it.
	Frame(stmts []Statement) (before, beforeCommit, after []string)
}

// SplitByTransaction separates a migration's statements into those that
// commit before its transaction (CommitFirst), those that run in it, and
// those that run after it (NoTx), each in plan order.
func SplitByTransaction(stmts []Statement) (first, inTx, after []Statement) {
	for _, s := range stmts {
		switch {
		case s.CommitFirst:
			first = append(first, s)
		case s.NoTx:
			after = append(after, s)
		default:
			inTx = append(inTx, s)
		}
	}
	return first, inTx, after
}

// WriteMigrationScript writes a migration's statements as a script that
// psql -f or sqlite3 runs as it is: first each statement that must commit
// before the others use it (an enum value), marked; then those that can
// run in a transaction in one (BEGIN ... COMMIT), framed as the dialect
// needs; then each of the others (CREATE INDEX CONCURRENTLY), marked.
func WriteMigrationScript(w io.Writer, d Dialect, stmts []Statement) error {
	first, inTx, noTx := SplitByTransaction(stmts)
	var before, beforeCommit, after []string
	if f, ok := d.(ScriptFramer); ok && len(inTx) > 0 {
		before, beforeCommit, after = f.Frame(inTx)
	}
	var b strings.Builder
	line := func(sql string) {
		b.WriteString(strings.TrimRight(strings.TrimSpace(sql), ";"))
		b.WriteString(";\n")
	}
	for _, s := range first {
		b.WriteString("-- committed before the transaction: " + s.Object + "\n")
		line(s.SQL)
	}
	for _, s := range before {
		line(s)
	}
	if len(inTx) > 0 {
		b.WriteString("BEGIN;\n")
		for _, s := range inTx {
			line(s.SQL)
		}
		for _, s := range beforeCommit {
			line(s)
		}
		b.WriteString("COMMIT;\n")
	}
	for _, s := range after {
		line(s)
	}
	for _, s := range noTx {
		b.WriteString("-- outside a transaction: " + s.Object + "\n")
		line(s.SQL)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
