// Package postgres writes PostgreSQL's DDL: identifiers, column types,
// defaults, and the CREATE statements for create-all, from the typed
// changes of package migrate.
//
// Every spelling chosen here is also what the PostgreSQL inspector reads
// back: column types are spelled as the server's format_type() prints them,
// so that the inspector maps a type to the portable model only when this
// package writes it the same way (ReadType); defaults and unnamed
// constraints are left in forms the inspector reads back exactly (its
// readers are tested against the server's choices). A schema declared,
// created and inspected comes back equal.
package postgres

import (
	"strings"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// Dialect is PostgreSQL's ddl.Dialect. Its zero value writes the plain
// forms, each of which runs inside the migration's transaction.
type Dialect struct {
	// LowLock writes the forms that keep a live table usable while they
	// run, at the price of running outside the transaction: an index on
	// an existing table is built (and dropped) CONCURRENTLY, and a new
	// foreign key or check is added NOT VALID, which takes its lock only
	// briefly, and validated by a separate VALIDATE CONSTRAINT after the
	// transaction commits, under a lock that lets writes through. Such
	// statements are marked NoTx.
	LowLock bool
}

// Name returns "postgres".
func (Dialect) Name() string { return "postgres" }

// QuoteIdent quotes an identifier when it needs it, exactly as the server's
// quote_ident() and pg_dump do: a name of lower-case ASCII letters, digits
// and underscores, not starting with a digit and not a keyword, is written
// bare; any other name is put in double quotes, embedded double quotes
// doubled. So generated SQL stays readable (users.id) while names with
// spaces, quotes, upper case, non-ASCII letters or reserved words ("user",
// "order") are safe.
func (Dialect) QuoteIdent(name string) string { return quoteIdent(name) }

func quoteIdent(name string) string {
	if isSafeIdent(name) {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// isSafeIdent reports whether a name may be written without quotes.
func isSafeIdent(name string) bool {
	if name == "" || keywords[name] {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c == '_':
		case c >= '0' && c <= '9':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// qualified quotes a name in a schema; an empty schema is the connection's
// default one and is left out.
func qualified(schema, name string) string {
	if schema == "" {
		return quoteIdent(name)
	}
	return quoteIdent(schema) + "." + quoteIdent(name)
}

// qualifiedRef quotes a table reference.
func qualifiedRef(r metadata.TableRef) string { return qualified(r.Schema, r.Name) }

// quoteLiteral writes a string constant. Utility statements (COMMENT ON,
// CREATE TYPE ... AS ENUM, DEFAULT) take no bound parameters, so values in
// them are written here and only here: single quotes are doubled, and a
// value holding a backslash is written as an escape string (E'...') with
// the backslashes doubled, as the server's quote_literal() does, so the
// value is the same whatever standard_conforming_strings says.
func quoteLiteral(s string) string {
	q := "'" + strings.ReplaceAll(s, "'", "''") + "'"
	if strings.Contains(s, `\`) {
		return "E" + strings.ReplaceAll(q, `\`, `\\`)
	}
	return q
}

// quoteList quotes each name and joins them with ", ".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteIdent(n)
	}
	return strings.Join(q, ", ")
}

// DataChecks counts, before a plan runs, the rows that would make its
// changes fail (see ddl.DataChecker). A column converted to an enum the
// plan creates cannot be cast to it before the plan runs: its values are
// compared with the enum's, which counts the rows that hold others.
func (d Dialect) DataChecks(changes []migrate.Change) []ddl.DataCheck {
	newEnums := map[string][]string{}
	for _, c := range changes {
		if c, ok := c.(migrate.AddEnum); ok {
			for _, name := range []string{c.Enum.Name, c.Enum.Schema + "." + c.Enum.Name, qualified(c.Enum.Schema, c.Enum.Name)} {
				newEnums[name] = c.Enum.Values
			}
		}
	}
	checks := domainConversions(changes)
	return append(ddl.StandardDataChecks(changes, ddl.CheckSQL{Quote: d.QuoteIdent, FormatType: d.FormatType, FormatDefault: formatDefault, Convert: func(from, to metadata.Column, col string) string {
		if r, ok := to.Type.(metadata.Raw); ok && newEnums[r.SQL] != nil {
			values := make([]string, len(newEnums[r.SQL]))
			for i, v := range newEnums[r.SQL] {
				values[i] = quoteLiteral(v)
			}
			return "CASE WHEN " + col + "::text IN (" + strings.Join(values, ", ") + ") THEN true END"
		}
		return conversion(from, to, col)
	}}), checks...)
}

// domainConversions are the data checks of the columns a recreated
// domain converts (migrate.RecreateDomain): each value is converted to the
// new base type first, as the ALTER will (see ddl.DataCheck.Converts).
// They read the tables under their live names, which the types' changes
// run under, before any table is renamed.
func domainConversions(changes []migrate.Change) []ddl.DataCheck {
	var out []ddl.DataCheck
	for _, c := range changes {
		rd, ok := c.(migrate.RecreateDomain)
		if !ok {
			continue
		}
		from, to := metadata.Column{Type: rd.From.Type}, metadata.Column{Type: rd.To.Type}
		for _, col := range rd.Columns {
			if col.Dims > 0 {
				continue // arrays: the server converts them, and says so
			}
			name := quoteIdent(col.Column)
			if expr := conversion(from, to, name); expr != "" {
				out = append(out, ddl.DataCheck{Object: "column " + metadata.QuoteName(col.Column) + " of " + tableObject(col.Table), Converts: true,
					Query:   "SELECT count(*) FROM " + qualifiedRef(col.Table) + " WHERE " + name + " IS NOT NULL AND (" + expr + ") IS NULL",
					Problem: "values do not convert to the domain's new type"})
			}
		}
	}
	return out
}
