package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// FormatDefault writes a column default as it follows DEFAULT.
//
// An expression that is one of the portable date and time functions is
// written as SQLite spells it, as SQLAlchemy renders func.now() and the
// like (see portableFunctions): now() is CURRENT_TIMESTAMP, which is also
// what SQLite keeps and inspect reads back.
//
// Literals are written in SQLite's syntax ('it”s', -1.5, TRUE). An
// expression is wrapped in parentheses, which SQLite requires for anything
// but a literal, except a lone keyword, name or blob (CURRENT_TIMESTAMP,
// NULL, X'00'), which SQLite takes bare. The parentheses are what tells
// ReadDefault that Expr{"1"} is an expression and not the number 1, so
// every default reads back as it was declared.
func FormatDefault(d metadata.Default) (string, error) {
	switch d := d.(type) {
	case metadata.StringLiteral:
		return quoteString(d.Value), nil
	case metadata.NumberLiteral:
		if !metadata.IsDecimal(d.Value) {
			return "", fmt.Errorf("default %q is not a number", d.Value)
		}
		return d.Value, nil
	case metadata.BoolLiteral:
		if d.Value {
			return "TRUE", nil
		}
		return "FALSE", nil
	case metadata.Expr:
		if strings.TrimSpace(d.SQL) == "" {
			return "", fmt.Errorf("default expression is empty")
		}
		if s, ok := portableFunction(d.SQL); ok {
			return s, nil
		}
		if isBareDefault(d.SQL) {
			return d.SQL, nil
		}
		return "(" + d.SQL + ")", nil
	}
	return "", fmt.Errorf("default %v: %w", d, ErrUnsupported)
}

// portableFunctions are the date and time functions of a portable schema
// that SQLite lacks, by their lower-case spelling without spaces, and what
// SQLite writes for each. The portable set is these and the three
// keywords CURRENT_TIMESTAMP, CURRENT_DATE and CURRENT_TIME, which both
// databases have (SQLite's in UTC) and which are written as they are.
// PostgreSQL has them all as they are.
var portableFunctions = map[string]string{
	"now()":          "CURRENT_TIMESTAMP",
	"localtimestamp": "(datetime('now', 'localtime'))",
	"localtime":      "(time('now', 'localtime'))",
}

// portableFunction returns SQLite's spelling of a portable function, and
// whether expr is one.
func portableFunction(expr string) (string, bool) {
	key := strings.ToLower(strings.Join(strings.Fields(expr), ""))
	s, ok := portableFunctions[key]
	return s, ok
}

// Preparer prepares a statement without running it: a *sql.DB, *sql.Conn
// or *sql.Tx.
type Preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// CheckDefaults reports, all at once as metadata.Problems, every default
// expression of m that SQLite cannot evaluate: each one written in
// parentheses (see FormatDefault) is prepared as SELECT (expr) on db and
// never run. SQLite checks only the syntax of a default when the table is
// created, so a default calling a function it lacks (now(), or a
// PostgreSQL function) would otherwise make every insert fail later, with
// "unknown function". A default SQLite takes bare (a keyword, a name, a
// blob) needs no evaluation. db should be the database the model is for,
// or any connection of the same SQLite.
func CheckDefaults(ctx context.Context, db Preparer, m *metadata.MetaData) error {
	var ps metadata.Problems
	for i := range m.Tables {
		t := &m.Tables[i]
		for j := range t.Columns {
			c := &t.Columns[j]
			if _, ok := c.Default.(metadata.Expr); !ok {
				continue
			}
			text, err := FormatDefault(c.Default)
			if err != nil || !strings.HasPrefix(text, "(") {
				continue // Check reports a default that cannot be written
			}
			stmt, err := db.PrepareContext(ctx, "SELECT "+text)
			if err == nil {
				err = stmt.Close()
			}
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				ps = append(ps, metadata.Problem{
					Path:    fmt.Sprintf("tables[%d].columns[%d].default", i, j),
					Object:  fmt.Sprintf("column %s.%s", metadata.QuoteName(t.Name), metadata.QuoteName(c.Name)),
					Message: fmt.Sprintf("SQLite cannot evaluate the default %s: %v", text, err),
				})
			}
		}
	}
	return ps.Err()
}

// ReadDefault reads a default as it follows DEFAULT in a CREATE TABLE
// statement, the inverse of FormatDefault: a parenthesised expression is
// Expr (without the parentheses), a quoted string is StringLiteral, a
// decimal number (metadata.IsDecimal: -1, 2.50, 1e-3) is NumberLiteral,
// TRUE and FALSE are BoolLiteral, and any
// other lone token (CURRENT_TIMESTAMP, NULL, X'00') is Expr as written.
//
// (PRAGMA table_info's dflt_value is no help here: it drops the
// parentheses, so it cannot tell DEFAULT 1 from DEFAULT (1).)
func ReadDefault(text string) metadata.Default {
	s := strings.TrimSpace(text)
	switch {
	case s == "":
		return nil
	case metadata.IsDecimal(s):
		return metadata.NumberLiteral{Value: s}
	case strings.EqualFold(s, "true"):
		return metadata.BoolLiteral{Value: true}
	case strings.EqualFold(s, "false"):
		return metadata.BoolLiteral{Value: false}
	}
	if v, ok := unquoteString(s); ok {
		return metadata.StringLiteral{Value: v}
	}
	if inner, ok := unwrapParens(s); ok {
		return metadata.Expr{SQL: strings.TrimSpace(inner)}
	}
	return metadata.Expr{SQL: s}
}

// quoteString writes an SQL string literal.
func quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// unquoteString reads a whole SQL string literal ('it”s'); ok is false
// when s is anything else, such as 'a' || 'b'.
func unquoteString(s string) (string, bool) {
	if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return "", false
	}
	inner := s[1 : len(s)-1]
	for i := 0; i < len(inner); i++ {
		if inner[i] == '\'' {
			if i+1 < len(inner) && inner[i+1] == '\'' {
				i++
				continue
			}
			return "", false
		}
	}
	return strings.ReplaceAll(inner, "''", "'"), true
}

// unwrapParens returns what is inside s when one pair of parentheses
// encloses all of it: "(a + b)" but not "(a) + (b)". Quotes and comments
// are skipped.
func unwrapParens(s string) (string, bool) {
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return "", false
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'', '"', '`':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return "", false
			}
			i += j + 1
		case '[':
			j := strings.IndexByte(s[i+1:], ']')
			if j < 0 {
				return "", false
			}
			i += j + 1
		case '-':
			if i+1 < len(s) && s[i+1] == '-' {
				j := strings.IndexByte(s[i:], '\n')
				if j < 0 {
					return "", false
				}
				i += j
			}
		case '/':
			if i+1 < len(s) && s[i+1] == '*' {
				j := strings.Index(s[i+2:], "*/")
				if j < 0 {
					return "", false
				}
				i += j + 3
			}
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 && i != len(s)-1 {
				return "", false
			}
		}
	}
	return s[1 : len(s)-1], depth == 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c rune) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// isBareDefault reports whether an expression default can follow DEFAULT
// without parentheses and still read back as an expression: a keyword or
// name other than TRUE and FALSE (CURRENT_TIMESTAMP, NULL), a quoted name,
// or a blob literal.
func isBareDefault(s string) bool {
	switch {
	case strings.EqualFold(s, "true"), strings.EqualFold(s, "false"):
		return false
	case len(s) >= 3 && (s[0] == 'x' || s[0] == 'X') && s[1] == '\'' && s[len(s)-1] == '\'':
		for _, c := range s[2 : len(s)-1] {
			if !isHex(c) {
				return false
			}
		}
		return true
	case len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"':
		inner := s[1 : len(s)-1]
		return !strings.Contains(strings.ReplaceAll(inner, `""`, ""), `"`)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && isDigit(c)) {
			return false
		}
	}
	return s != ""
}
