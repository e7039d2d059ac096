package metadata

import (
	"fmt"
	"strconv"
	"strings"
)

// Type is a column type: one of the portable types below, which every
// dialect maps to its own spelling, or Raw, a dialect type passed through
// as written. The set is closed; a type switch over it is exhaustive.
type Type interface {
	// String returns the type's schema-file spelling.
	String() string
	isType()
}

// Integer is smallint (2 bytes), integer (4) or bigint (8).
type Integer struct{ Bytes int }

// String is a variable-length string, varchar(n); Length 0 is unbounded.
type String struct{ Length int }

// Char is a fixed-length string, char(n).
type Char struct{ Length int }

// Text is an unbounded string.
type Text struct{}

// Boolean is true or false.
type Boolean struct{}

// Numeric is an exact decimal, numeric(p,s); zero Precision is unbounded.
type Numeric struct{ Precision, Scale int }

// Float is a binary floating-point number: float (4 bytes) or double (8).
type Float struct{ Bytes int }

// Date is a calendar date.
type Date struct{}

// Time is a time of day, with or without time zone; Precision is the
// fractional-seconds digits, -1 for the default.
type Time struct {
	TZ        bool
	Precision int
}

// Timestamp is a date and time, with or without time zone; Precision is
// the fractional-seconds digits, -1 for the default.
type Timestamp struct {
	TZ        bool
	Precision int
}

// UUID is a universally unique identifier.
type UUID struct{}

// JSON is a JSON document.
type JSON struct{}

// Binary is a byte string (bytea, BLOB).
type Binary struct{}

// Raw is a dialect type passed through verbatim: "inet", "jsonb",
// "integer[]", a user enum or domain, SQLite's "INT".
type Raw struct{ SQL string }

func (Integer) isType()   {}
func (String) isType()    {}
func (Char) isType()      {}
func (Text) isType()      {}
func (Boolean) isType()   {}
func (Numeric) isType()   {}
func (Float) isType()     {}
func (Date) isType()      {}
func (Time) isType()      {}
func (Timestamp) isType() {}
func (UUID) isType()      {}
func (JSON) isType()      {}
func (Binary) isType()    {}
func (Raw) isType()       {}

func (t Integer) String() string {
	switch t.Bytes {
	case 2:
		return "smallint"
	case 8:
		return "bigint"
	}
	return "integer"
}

func (t String) String() string {
	if t.Length == 0 {
		return "varchar"
	}
	return fmt.Sprintf("varchar(%d)", t.Length)
}

func (t Char) String() string {
	if t.Length == 0 {
		return "char"
	}
	return fmt.Sprintf("char(%d)", t.Length)
}

func (Text) String() string    { return "text" }
func (Boolean) String() string { return "boolean" }

func (t Numeric) String() string {
	switch {
	case t.Precision == 0:
		return "numeric"
	case t.Scale == 0:
		return fmt.Sprintf("numeric(%d)", t.Precision)
	}
	return fmt.Sprintf("numeric(%d,%d)", t.Precision, t.Scale)
}

func (t Float) String() string {
	if t.Bytes == 8 {
		return "double"
	}
	return "float"
}

func (Date) String() string { return "date" }

func (t Time) String() string { return withPrecision("time", t.TZ, t.Precision) }

func (t Timestamp) String() string { return withPrecision("timestamp", t.TZ, t.Precision) }

func withPrecision(name string, tz bool, p int) string {
	if tz {
		name += "tz"
	}
	if p >= 0 {
		name += "(" + strconv.Itoa(p) + ")"
	}
	return name
}

func (UUID) String() string   { return "uuid" }
func (JSON) String() string   { return "json" }
func (Binary) String() string { return "binary" }
func (t Raw) String() string  { return t.SQL }

// ParseType reads a schema-file type spelling. Portable names are matched
// case-insensitively ("integer", "varchar(50)", "string(50)",
// "numeric(10,2)", "timestamptz(3)", ...), and so are SQLAlchemy's names
// for the same types ("BigInteger", "Unicode(50)", "DateTime",
// "LargeBinary", ...), so that a model written for SQLAlchemy reads as
// it means on every database; anything else is a Raw type kept exactly as
// written. It fails only on a portable name with bad arguments
// ("varchar(x)") or an empty string.
func ParseType(s string) (Type, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("empty type")
	}
	name, args, hasArgs, err := splitTypeArgs(s)
	if err != nil {
		// "varchar(x)" is a mistake; "varchar(20)[]" or "timestamp(3)
		// with time zone" are dialect types to pass through.
		if open := strings.IndexByte(s, '('); open > 0 && strings.HasSuffix(s, ")") && strings.Count(s, ")") == 1 &&
			portableNames[strings.ToLower(strings.TrimSpace(s[:open]))] {
			return nil, fmt.Errorf("type %q: arguments must be whole numbers", s)
		}
		return Raw{SQL: s}, nil
	}
	want := func(min, max int) error {
		if len(args) < min || len(args) > max {
			return fmt.Errorf("type %q takes %d to %d arguments", s, min, max)
		}
		return nil
	}
	nonNeg := func() error {
		for _, a := range args {
			if a < 0 {
				return fmt.Errorf("type %q: arguments must not be negative", s)
			}
		}
		return nil
	}
	if err := nonNeg(); err != nil {
		return nil, err
	}
	noArgs := func(t Type) (Type, error) {
		if hasArgs {
			return nil, fmt.Errorf("type %q takes no arguments", s)
		}
		return t, nil
	}
	switch strings.ToLower(name) {
	case "smallint", "smallinteger":
		return noArgs(Integer{Bytes: 2})
	case "integer":
		return noArgs(Integer{Bytes: 4})
	case "bigint", "biginteger":
		return noArgs(Integer{Bytes: 8})
	case "varchar", "string", "unicode":
		if err := want(0, 1); err != nil {
			return nil, err
		}
		if len(args) == 1 {
			if args[0] == 0 {
				return nil, fmt.Errorf("type %q: length must be positive", s)
			}
			return String{Length: args[0]}, nil
		}
		return String{}, nil
	case "char":
		if err := want(0, 1); err != nil {
			return nil, err
		}
		if len(args) == 1 {
			if args[0] == 0 {
				return nil, fmt.Errorf("type %q: length must be positive", s)
			}
			return Char{Length: args[0]}, nil
		}
		return Char{}, nil
	case "text", "unicodetext":
		return noArgs(Text{})
	case "boolean":
		return noArgs(Boolean{})
	case "numeric", "decimal":
		if err := want(0, 2); err != nil {
			return nil, err
		}
		var n Numeric
		if len(args) > 0 {
			n.Precision = args[0]
			if n.Precision == 0 {
				return nil, fmt.Errorf("type %q: precision must be positive", s)
			}
		}
		if len(args) > 1 {
			n.Scale = args[1]
			if n.Scale > n.Precision {
				return nil, fmt.Errorf("type %q: scale exceeds precision", s)
			}
		}
		return n, nil
	case "float":
		return noArgs(Float{Bytes: 4})
	case "double":
		return noArgs(Float{Bytes: 8})
	case "date":
		return noArgs(Date{})
	case "time", "timetz", "timestamp", "timestamptz", "datetime":
		if err := want(0, 1); err != nil {
			return nil, err
		}
		p := -1
		if len(args) == 1 {
			if args[0] > 6 {
				return nil, fmt.Errorf("type %q: precision must be 0 to 6", s)
			}
			p = args[0]
		}
		lower := strings.ToLower(name)
		tz := strings.HasSuffix(lower, "tz")
		if strings.HasPrefix(lower, "timestamp") || lower == "datetime" {
			return Timestamp{TZ: tz, Precision: p}, nil
		}
		return Time{TZ: tz, Precision: p}, nil
	case "uuid":
		return noArgs(UUID{})
	case "json":
		return noArgs(JSON{})
	case "binary", "largebinary":
		return noArgs(Binary{})
	}
	return Raw{SQL: s}, nil
}

// portableNames is the set of portableOrder.
var portableNames = func() map[string]bool {
	set := make(map[string]bool, len(portableOrder))
	for _, name := range portableOrder {
		set[name] = true
	}
	return set
}()

// splitTypeArgs splits "name(1, 2)" into its name and integer arguments.
// It fails when the arguments are not plain integers, which makes the
// spelling a raw type.
func splitTypeArgs(s string) (name string, args []int, hasArgs bool, err error) {
	open := strings.IndexByte(s, '(')
	if open < 0 {
		if strings.ContainsAny(s, " )[]") {
			return "", nil, false, fmt.Errorf("not a portable name")
		}
		return s, nil, false, nil
	}
	if !strings.HasSuffix(s, ")") {
		return "", nil, false, fmt.Errorf("not a portable name")
	}
	name = strings.TrimSpace(s[:open])
	inner := s[open+1 : len(s)-1]
	for _, part := range strings.Split(inner, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil {
			return "", nil, false, err
		}
		args = append(args, n)
	}
	return name, args, true, nil
}

// ClosestPortableType returns the portable type name a type name is most
// likely a misspelling of ("strnig" -> "string", "bolean" -> "boolean"),
// or "" when it is one, or too far from every one to be a slip. A dialect
// that accepts any type name uses it to catch typos.
func ClosestPortableType(name string) string {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(name)), "(")
	base = strings.TrimSpace(base)
	if len(base) < 4 || portableNames[base] {
		return ""
	}
	best, bestDist := "", 3
	for _, p := range portableOrder {
		if d := editDistance(base, p); d < bestDist {
			best, bestDist = p, d
		}
	}
	return best
}

// portableOrder lists the portable names in a fixed order, for stable
// suggestions.
var portableOrder = []string{
	"smallint", "integer", "bigint", "varchar", "string", "char", "text", "boolean", "numeric", "decimal",
	"float", "double", "date", "time", "timetz", "timestamp", "timestamptz", "uuid", "json", "binary",
	// SQLAlchemy's names.
	"smallinteger", "biginteger", "unicode", "unicodetext", "datetime", "largebinary",
}
