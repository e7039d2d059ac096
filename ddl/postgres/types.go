package postgres

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// FormatType spells a column type exactly as the server's format_type()
// prints it back, so that ReadType (and the inspector) can map it to the
// same portable type:
//
//	integer                integer         smallint   smallint
//	bigint                 bigint          text       text
//	varchar(n)             character varying(n)   (varchar: character varying)
//	char(n)                character(n)           (char: bpchar, unbounded)
//	boolean                boolean
//	numeric(p,s)           numeric(p,s)    (numeric(p): numeric(p,0); numeric: numeric)
//	float                  real            double     double precision
//	date                   date
//	time[(p)]              time[(p)] without time zone
//	timetz[(p)]            time[(p)] with time zone
//	timestamp[(p)]         timestamp[(p)] without time zone
//	timestamptz[(p)]       timestamp[(p)] with time zone
//	uuid                   uuid            json       json
//	binary                 bytea
//
// A Raw type ("jsonb", "inet", "integer[]", an enum or domain name) is
// written as it is, and is read back as Raw when the server prints it the
// same way; so a raw type round-trips when it is written as format_type()
// prints it (character varying(20)[] rather than varchar(20)[]).
//
// Char without a length is bpchar, PostgreSQL's blank-padded string of any
// length, not SQL's char (which means char(1)): that is what reads back
// as char without a length.
func (Dialect) FormatType(t metadata.Type) (string, error) { return formatType(t) }

// StandIn returns a query with t's columns, of their types and
// collations, and no rows: a view of it stands in for the table in a
// scratch database where views only read it (engine's plan).
func (Dialect) StandIn(t metadata.Table) (string, error) {
	var b strings.Builder
	b.WriteString("SELECT")
	for i, c := range t.Columns {
		typ, err := formatType(c.Type)
		if err != nil {
			return "", fmt.Errorf("column %s: %w", metadata.QuoteName(c.Name), err)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(" NULL::" + typ)
		if c.Collation != "" {
			b.WriteString(" COLLATE " + quoteIdent(c.Collation))
		}
		b.WriteString(" AS " + quoteIdent(c.Name))
	}
	b.WriteString(" WHERE false")
	return b.String(), nil
}

func formatType(t metadata.Type) (string, error) {
	switch t := t.(type) {
	case metadata.Integer:
		switch t.Bytes {
		case 2:
			return "smallint", nil
		case 4, 0:
			return "integer", nil
		case 8:
			return "bigint", nil
		}
		return "", fmt.Errorf("integer of %d bytes: PostgreSQL has 2, 4 and 8", t.Bytes)
	case metadata.String:
		if t.Length == 0 {
			return "character varying", nil
		}
		return "character varying(" + strconv.Itoa(t.Length) + ")", nil
	case metadata.Char:
		if t.Length == 0 {
			return "bpchar", nil
		}
		return "character(" + strconv.Itoa(t.Length) + ")", nil
	case metadata.Text:
		return "text", nil
	case metadata.Boolean:
		return "boolean", nil
	case metadata.Numeric:
		if t.Precision == 0 {
			return "numeric", nil
		}
		return fmt.Sprintf("numeric(%d,%d)", t.Precision, t.Scale), nil
	case metadata.Float:
		if t.Bytes == 8 {
			return "double precision", nil
		}
		return "real", nil
	case metadata.Date:
		return "date", nil
	case metadata.Time:
		return withZone("time", t.TZ, t.Precision), nil
	case metadata.Timestamp:
		return withZone("timestamp", t.TZ, t.Precision), nil
	case metadata.UUID:
		return "uuid", nil
	case metadata.JSON:
		return "json", nil
	case metadata.Binary:
		return "bytea", nil
	case metadata.Raw:
		if err := checkRawType(t.SQL); err != nil {
			return "", err
		}
		return t.SQL, nil
	case nil:
		return "", errors.New("no type")
	}
	return "", fmt.Errorf("type %s is not known to PostgreSQL's dialect", t)
}

// withZone spells time and timestamp: "timestamp(3) with time zone".
func withZone(name string, tz bool, precision int) string {
	if precision >= 0 {
		name += "(" + strconv.Itoa(precision) + ")"
	}
	if tz {
		return name + " with time zone"
	}
	return name + " without time zone"
}

// checkRawType refuses raw type text that would break out of a column
// definition: statement separators, comments, string quotes, unbalanced
// parentheses, brackets or double quotes. A raw type is trusted schema
// text, not a value, but a typo in it should fail here rather than as a
// confusing syntax error, and it must never end the statement.
func checkRawType(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("empty type")
	}
	depth, brackets, inQuote := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inQuote {
			if c == '"' {
				inQuote = false
			}
			continue
		}
		switch c {
		case '"':
			inQuote = true
		case '(':
			depth++
		case ')':
			depth--
		case '[':
			brackets++
		case ']':
			brackets--
		case ';', '\'', '\\':
			return fmt.Errorf("type %q: %q is not allowed in a type", s, c)
		case '-', '/':
			if i+1 < len(s) && (s[i+1] == '-' || s[i+1] == '*') {
				return fmt.Errorf("type %q: comments are not allowed in a type", s)
			}
		}
		if depth < 0 || brackets < 0 {
			return fmt.Errorf("type %q: unbalanced brackets", s)
		}
	}
	if inQuote {
		return fmt.Errorf("type %q: unterminated quoted name", s)
	}
	if depth != 0 || brackets != 0 {
		return fmt.Errorf("type %q: unbalanced brackets", s)
	}
	return nil
}

// ReadType maps a column type as the server's format_type() prints it to
// the model: the portable type that FormatType spells exactly so, or else
// Raw with the printed text. So "integer" is integer and "character
// varying(20)" is varchar(20), but "jsonb", "integer[]", "numeric(10,2)[]"
// and "public.mood" stay raw and are recreated as printed.
func ReadType(printed string) metadata.Type {
	if t := portableType(printed); t != nil {
		if s, err := formatType(t); err == nil && s == printed {
			return t
		}
	}
	return metadata.Raw{SQL: printed}
}

// portableType parses format_type()'s spelling of a portable type; nil if
// it is none.
func portableType(s string) metadata.Type {
	switch s {
	case "smallint":
		return metadata.Integer{Bytes: 2}
	case "integer":
		return metadata.Integer{Bytes: 4}
	case "bigint":
		return metadata.Integer{Bytes: 8}
	case "text":
		return metadata.Text{}
	case "boolean":
		return metadata.Boolean{}
	case "real":
		return metadata.Float{Bytes: 4}
	case "double precision":
		return metadata.Float{Bytes: 8}
	case "date":
		return metadata.Date{}
	case "uuid":
		return metadata.UUID{}
	case "json":
		return metadata.JSON{}
	case "bytea":
		return metadata.Binary{}
	case "bpchar":
		return metadata.Char{}
	case "character varying":
		return metadata.String{}
	case "numeric":
		return metadata.Numeric{}
	}
	name, args, rest, ok := splitArgs(s)
	if !ok {
		return nil
	}
	switch {
	case name == "character varying" && len(args) == 1 && rest == "":
		return metadata.String{Length: args[0]}
	case name == "character" && len(args) == 1 && rest == "":
		return metadata.Char{Length: args[0]}
	case name == "numeric" && len(args) == 2 && rest == "":
		return metadata.Numeric{Precision: args[0], Scale: args[1]}
	case name == "time" || name == "timestamp":
		p := -1
		switch len(args) {
		case 0:
		case 1:
			p = args[0]
		default:
			return nil
		}
		var tz bool
		switch rest {
		case " with time zone":
			tz = true
		case " without time zone":
		default:
			return nil
		}
		if name == "time" {
			return metadata.Time{TZ: tz, Precision: p}
		}
		return metadata.Timestamp{TZ: tz, Precision: p}
	}
	return nil
}

// splitArgs splits "name(1,2) rest" into its parts; a spelling without
// parentheses is "name rest" split at its first space, for "time with time
// zone".
func splitArgs(s string) (name string, args []int, rest string, ok bool) {
	open := strings.IndexByte(s, '(')
	if open < 0 {
		name, rest, _ = strings.Cut(s, " ")
		if rest != "" {
			rest = " " + rest
		}
		return name, nil, rest, true
	}
	closing := strings.IndexByte(s, ')')
	if closing < open {
		return "", nil, "", false
	}
	for _, part := range strings.Split(s[open+1:closing], ",") {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return "", nil, "", false
		}
		args = append(args, n)
	}
	return s[:open], args, s[closing+1:], true
}
