package postgres

import (
	"regexp"
	"strconv"
	"strings"

	pgddl "github.com/dbtool/dbtool/ddl/postgres"
	"github.com/dbtool/dbtool/metadata"
)

// typeFormatter spells a portable type as the dialect that creates it
// does (ddl/postgres.Dialect).
type typeFormatter interface {
	FormatType(t metadata.Type) (string, error)
}

// dialectFormatter is the PostgreSQL dialect's type spelling.
type dialectFormatter = pgddl.Dialect

// columnType maps a type as format_type() prints it to the model. A
// portable type is used only when the dialect writes it in a way the
// server prints back as the same text, so that create-all of the result
// gives the same column; anything else (arrays, enums, domains, interval,
// jsonb, inet, ...) is kept as metadata.Raw with the server's spelling,
// qualified by format_type() when its namespace is not on the search path.
func columnType(formatted string, d typeFormatter) metadata.Type {
	cand := portableCandidate(formatted)
	if cand == nil {
		return metadata.Raw{SQL: formatted}
	}
	spelled, err := d.FormatType(cand)
	if err != nil || canonicalTypeName(spelled) != formatted {
		return metadata.Raw{SQL: formatted}
	}
	return cand
}

var (
	reTypmod1  = regexp.MustCompile(`^([a-z ]+)\((\d+)\)$`)
	reTypmod2  = regexp.MustCompile(`^([a-z ]+)\((\d+),(\d+)\)$`)
	reDateTime = regexp.MustCompile(`^(time|timestamp)(?:\((\d+)\))? with(out)? time zone$`)
)

// portableCandidate returns the portable type format_type()'s text
// names, or nil.
func portableCandidate(s string) metadata.Type {
	switch s {
	case "smallint":
		return metadata.Integer{Bytes: 2}
	case "integer":
		return metadata.Integer{Bytes: 4}
	case "bigint":
		return metadata.Integer{Bytes: 8}
	case "character varying":
		return metadata.String{}
	case "text":
		return metadata.Text{}
	case "boolean":
		return metadata.Boolean{}
	case "numeric":
		return metadata.Numeric{}
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
	}
	if m := reDateTime.FindStringSubmatch(s); m != nil {
		p := -1
		if m[2] != "" {
			p, _ = strconv.Atoi(m[2])
		}
		tz := m[3] == ""
		if m[1] == "time" {
			return metadata.Time{TZ: tz, Precision: p}
		}
		return metadata.Timestamp{TZ: tz, Precision: p}
	}
	if m := reTypmod1.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[2])
		switch m[1] {
		case "character varying":
			return metadata.String{Length: n}
		case "character":
			return metadata.Char{Length: n}
		}
	}
	if m := reTypmod2.FindStringSubmatch(s); m != nil && m[1] == "numeric" {
		p, _ := strconv.Atoi(m[2])
		sc, _ := strconv.Atoi(m[3])
		return metadata.Numeric{Precision: p, Scale: sc}
	}
	return nil
}

var reTypeName = regexp.MustCompile(`^([a-z][a-z0-9 ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?(\s+with(?:out)?\s+time\s+zone)?$`)

// canonicalTypeName spells a type name as format_type() would print the
// type it names: "varchar(20)" is "character varying(20)", "timestamptz"
// is "timestamp with time zone", "decimal(5)" is "numeric(5,0)". A name it
// does not know is returned lower-cased.
func canonicalTypeName(s string) string {
	s = strings.Join(strings.Fields(strings.ToLower(s)), " ")
	m := reTypeName.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	name, a1, a2, zone := m[1], m[2], m[3], strings.Join(strings.Fields(m[4]), " ")
	args := ""
	if a1 != "" {
		args = "(" + a1 + ")"
	}
	withPrec := func(base string, tz bool) string {
		if tz {
			return base + args + " with time zone"
		}
		return base + args + " without time zone"
	}
	switch name {
	case "int2", "smallint":
		return "smallint"
	case "int", "int4", "integer":
		return "integer"
	case "int8", "bigint":
		return "bigint"
	case "varchar", "character varying":
		return "character varying" + args
	case "bpchar":
		if args == "" {
			return "bpchar"
		}
		return "character" + args
	case "char", "character":
		if args == "" {
			return "character(1)"
		}
		return "character" + args
	case "bool", "boolean":
		return "boolean"
	case "decimal", "numeric":
		switch {
		case a1 == "":
			return "numeric"
		case a2 == "":
			return "numeric(" + a1 + ",0)"
		}
		return "numeric(" + a1 + "," + a2 + ")"
	case "float4", "real":
		return "real"
	case "float8", "double precision", "double":
		return "double precision"
	case "float":
		if n, err := strconv.Atoi(a1); err == nil && n <= 24 {
			return "real"
		}
		return "double precision"
	case "time":
		return withPrec("time", zone == "with time zone")
	case "timetz":
		return withPrec("time", true)
	case "timestamp":
		return withPrec("timestamp", zone == "with time zone")
	case "timestamptz":
		return withPrec("timestamp", true)
	}
	return s
}

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
