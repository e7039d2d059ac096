// Package inspector reflects a live database into a metadata.MetaData, as
// SQLAlchemy's Inspector does. Each database implements Inspector once, in
// its own package (inspector/sqlite, inspector/postgres), reading the whole
// catalog in a constant number of queries whatever the number of tables,
// with the filters of Options applied inside those queries.
package inspector

import (
	"context"

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
	// ViewShapes are the views' output columns as the database describes
	// them ("name type", in order), where it does (PostgreSQL): what a
	// plan needs to replace a changed view in place (see
	// migrate.ViewShapes). They are not part of the model: no schema file
	// states them.
	ViewShapes map[metadata.TableRef][]string
	// ViewReads are the relations each view reads, by name, and the
	// columns of each it reads (nil: the whole row), as the database
	// records them (PostgreSQL's pg_depend), where it does (see
	// migrate.ViewReads).
	ViewReads map[metadata.TableRef]map[string][]string
	// ViewGrants are the privileges granted on each view to roles other
	// than its owner, where the database has them (PostgreSQL). The model
	// does not hold them (they are reported as warnings), but a plan that
	// must drop a view and create it again grants them again (see
	// migrate.Grant).
	ViewGrants map[metadata.TableRef][]Grant
}

// Grant is one privilege granted on a view, or on one of its columns.
type Grant struct {
	// Column is the column it is granted on; "" is the whole view.
	Column string
	// Grantee is the role it is granted to; "" is PUBLIC.
	Grantee string
	// Privilege is its SQL name: SELECT, INSERT, UPDATE, ...
	Privilege string
	// Grantable is WITH GRANT OPTION.
	Grantable bool
}

// Options select what to inspect: the model's one filter, which
// inspectors push into their catalog queries where they can and apply with
// its Match methods for what remains.
type Options = metadata.Filter

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
