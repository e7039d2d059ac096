// Package inspector reflects a live database into a metadata.MetaData, as
// SQLAlchemy's Inspector does. Each database implements Inspector once, in
// its own package (inspector/sqlite, inspector/postgres), reading the whole
// catalog in a constant number of queries whatever the number of tables,
// with the filters of Options applied inside those queries.
package inspector

import (
	"context"
	"path"

	"github.com/dbtool/dbtool/metadata"
)

// Inspector reflects a live database.
type Inspector interface {
	// Inspect reads the schema objects that opts selects. Objects dbtool
	// does not manage are reported as warnings, never as errors.
	Inspect(ctx context.Context, opts Options) (*Result, error)
}

// Result is what an inspection found.
type Result struct {
	Schema *metadata.MetaData
	// Warnings report objects found but not managed:
	// "not managed: rule public.r on t".
	Warnings []string
}

// Options select what to inspect. Empty lists select everything.
type Options struct {
	// Schemas limits PostgreSQL inspection to these namespaces.
	Schemas []string
	// Tables are glob patterns (path.Match syntax: *, ?, [...]) a table or
	// view must match, by its name or by "schema.name".
	Tables []string
	// Exclude are glob patterns of tables and views to leave out.
	Exclude []string
}

// Match reports whether a table or view in schema passes the Tables and
// Exclude filters. Inspectors push the filters into their SQL where they
// can and use Match for what remains.
func (o Options) Match(schema, name string) bool {
	if len(o.Tables) > 0 && !matchAny(o.Tables, schema, name) {
		return false
	}
	return !matchAny(o.Exclude, schema, name)
}

// MatchSchema reports whether a namespace passes the Schemas filter.
func (o Options) MatchSchema(schema string) bool {
	if len(o.Schemas) == 0 {
		return true
	}
	for _, s := range o.Schemas {
		if s == schema {
			return true
		}
	}
	return false
}

// Filtered reports whether any table filter is set.
func (o Options) Filtered() bool { return len(o.Tables) > 0 || len(o.Exclude) > 0 }

func matchAny(patterns []string, schema, name string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
		if schema != "" {
			if ok, _ := path.Match(p, schema+"."+name); ok {
				return true
			}
		}
	}
	return false
}

// GlobRegexp translates a glob pattern (path.Match syntax) into an anchored
// POSIX regular expression, for inspectors that filter inside SQL with a
// regex operator (PostgreSQL's ~). SQLite's GLOB operator takes the
// pattern as it is.
func GlobRegexp(glob string) string {
	var b []byte
	b = append(b, '^')
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch c {
		case '*':
			b = append(b, '.', '*')
		case '?':
			b = append(b, '.')
		case '[':
			j := i + 1
			for j < len(glob) && glob[j] != ']' {
				j++
			}
			if j == len(glob) {
				b = append(b, '\\', '[')
				continue
			}
			class := glob[i+1 : j]
			if len(class) > 0 && class[0] == '^' {
				class = "^" + class[1:]
			}
			b = append(b, '[')
			b = append(b, class...)
			b = append(b, ']')
			i = j
		case '\\':
			if i+1 < len(glob) {
				i++
				b = append(b, '\\', glob[i])
			} else {
				b = append(b, '\\', '\\')
			}
		case '.', '+', '(', ')', '|', '{', '}', '^', '$':
			b = append(b, '\\', c)
		default:
			b = append(b, c)
		}
	}
	b = append(b, '$')
	return string(b)
}
