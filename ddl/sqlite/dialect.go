// Package sqlite writes SQLite's DDL: identifiers, column types, defaults,
// and the CREATE statements for create-all, from the typed changes of
// package migrate.
//
// Every spelling chosen here is also what the SQLite inspector reads back:
// the inspector maps a declared type or default to the portable model only
// when this package would write it the same way (ReadType, ReadDefault), so
// a schema declared, created and inspected comes back equal.
package sqlite

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// Dialect is SQLite's ddl.Dialect.
type Dialect struct{}

// ErrUnsupported is wrapped by the errors of changes SQLite cannot carry
// out: a namespace, an enum, a foreign key added to an existing table...
var ErrUnsupported = errors.New("not supported by SQLite")

// Name returns "sqlite".
func (Dialect) Name() string { return "sqlite" }

// QuoteIdent quotes an identifier in double quotes, doubling embedded
// ones. SQLite takes any name so quoted: spaces, reserved words, mixed
// case, non-ASCII letters.
func (Dialect) QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// FormatType spells a column type for SQLite.
//
// SQLite stores values by the affinity it derives from the declared type's
// text, so each spelling is chosen both to round-trip (the inspector maps
// the same text back to the same portable type) and to give a sensible
// affinity:
//
//	integer INTEGER, smallint SMALLINT, bigint BIGINT     INTEGER affinity
//	varchar(n) VARCHAR(n), char(n) CHAR(n), text TEXT     TEXT affinity
//	float FLOAT, double DOUBLE                            REAL affinity
//	binary BLOB                                           BLOB affinity
//	boolean BOOLEAN, numeric(p,s) NUMERIC(p,s), date DATE,
//	time[tz](p) TIME[TZ](p), timestamp[tz](p) TIMESTAMP[TZ](p),
//	uuid UUID, json JSON                                  NUMERIC affinity
//
// NUMERIC affinity keeps dates, times, UUIDs and JSON objects as the text
// they are written as (they are not numbers); it would turn a JSON document
// that is a bare number ("1.50") into a number. UUID and JSON are the
// spellings SQLAlchemy and most SQLite schemas use, which is why they are
// kept over CHAR(36) or TEXT (which would read back as char(36) or text).
//
// A Raw type is written as it is; Raw{SQL: ""} declares no type at all,
// which SQLite allows (BLOB affinity).
func (Dialect) FormatType(t metadata.Type) (string, error) {
	switch t := t.(type) {
	case metadata.Integer:
		switch t.Bytes {
		case 2:
			return "SMALLINT", nil
		case 8:
			return "BIGINT", nil
		}
		return "INTEGER", nil
	case metadata.String:
		return withLength("VARCHAR", t.Length), nil
	case metadata.Char:
		return withLength("CHAR", t.Length), nil
	case metadata.Text:
		return "TEXT", nil
	case metadata.Boolean:
		return "BOOLEAN", nil
	case metadata.Numeric:
		switch {
		case t.Precision == 0:
			return "NUMERIC", nil
		case t.Scale == 0:
			return fmt.Sprintf("NUMERIC(%d)", t.Precision), nil
		}
		return fmt.Sprintf("NUMERIC(%d,%d)", t.Precision, t.Scale), nil
	case metadata.Float:
		if t.Bytes == 8 {
			return "DOUBLE", nil
		}
		return "FLOAT", nil
	case metadata.Date:
		return "DATE", nil
	case metadata.Time:
		return withPrecision("TIME", t.TZ, t.Precision), nil
	case metadata.Timestamp:
		return withPrecision("TIMESTAMP", t.TZ, t.Precision), nil
	case metadata.UUID:
		return "UUID", nil
	case metadata.JSON:
		return "JSON", nil
	case metadata.Binary:
		return "BLOB", nil
	case metadata.Raw:
		if err := checkRawType(t.SQL); err != nil {
			return "", err
		}
		return t.SQL, nil
	case nil:
		return "", errors.New("no type")
	}
	return "", fmt.Errorf("type %s: %w", t, ErrUnsupported)
}

func withLength(name string, n int) string {
	if n == 0 {
		return name
	}
	return name + "(" + strconv.Itoa(n) + ")"
}

func withPrecision(name string, tz bool, p int) string {
	if tz {
		name += "TZ"
	}
	if p >= 0 {
		name += "(" + strconv.Itoa(p) + ")"
	}
	return name
}

// checkRawType refuses raw type text that would break out of a column
// definition: a statement separator, a comma outside parentheses, an
// unbalanced parenthesis, an unterminated quote or comment. A raw type is
// trusted schema text, not a value, but a typo in it should fail here
// rather than as a confusing syntax error. Type text read from a database
// (which may hold quotes and comments) passes.
func checkRawType(s string) error {
	depth := 0
	for i := 0; i < len(s); i++ {
		var end int
		switch c := s[i]; c {
		case '(':
			depth++
			continue
		case ')':
			if depth--; depth < 0 {
				return fmt.Errorf("type %q: unbalanced parentheses", s)
			}
			continue
		case ';':
			return fmt.Errorf("type %q: \";\" is not allowed in a type", s)
		case ',':
			if depth == 0 {
				return fmt.Errorf("type %q: \",\" is allowed only inside parentheses", s)
			}
			continue
		case '\'', '"', '`':
			end = strings.IndexByte(s[i+1:], c)
		case '[':
			end = strings.IndexByte(s[i+1:], ']')
		case '-', '/':
			switch {
			case c == '-' && strings.HasPrefix(s[i:], "--"):
				end = strings.IndexByte(s[i+1:], '\n')
			case c == '/' && strings.HasPrefix(s[i:], "/*"):
				if end = strings.Index(s[i+2:], "*/"); end >= 0 {
					end += 2
				}
			default:
				continue
			}
		default:
			continue
		}
		if end < 0 {
			return fmt.Errorf("type %q: unterminated quote or comment", s)
		}
		i += end + 1
	}
	if depth != 0 {
		return fmt.Errorf("type %q: unbalanced parentheses", s)
	}
	return nil
}

// ReadType maps a column's declared SQLite type back to the model: the
// portable type that FormatType spells exactly so (ignoring case), or else
// Raw with the declared text. So "INTEGER" is integer, but "INT",
// "NVARCHAR(40)" and "NUMERIC(10, 2)" stay raw and are recreated as they
// were declared.
func ReadType(declared string) metadata.Type {
	if strings.EqualFold(declared, "BLOB") {
		return metadata.Binary{}
	}
	t, err := metadata.ParseType(declared)
	if err != nil {
		return metadata.Raw{SQL: declared}
	}
	if _, raw := t.(metadata.Raw); raw {
		return metadata.Raw{SQL: declared}
	}
	if s, err := (Dialect{}).FormatType(t); err != nil || !strings.EqualFold(s, declared) {
		return metadata.Raw{SQL: declared}
	}
	return t
}

// DataChecks counts, before a plan runs, the rows that would make its
// changes fail (see ddl.DataChecker).
func (d Dialect) DataChecks(changes []migrate.Change) []ddl.DataCheck {
	return ddl.StandardDataChecks(changes, ddl.CheckSQL{Quote: d.QuoteIdent, FormatType: d.FormatType, FormatDefault: FormatDefault})
}

// Frame turns foreign keys off around a script that rebuilds a table
// (PRAGMA foreign_keys cannot change inside a transaction) and lists the
// rows that break a foreign key before commit: the sqlite3 shell prints
// them, and they must be none.
func (d Dialect) Frame(stmts []ddl.Statement) (before, beforeCommit, after []string) {
	for _, s := range stmts {
		if s.Rebuild {
			return []string{"PRAGMA foreign_keys = OFF"},
				[]string{"PRAGMA foreign_key_check"},
				[]string{"PRAGMA foreign_keys = ON"}
		}
	}
	return nil, nil, nil
}
