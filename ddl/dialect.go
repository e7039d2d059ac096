// Package ddl turns typed schema changes into SQL for one database. Each
// database implements Dialect once, in its own package (ddl/sqlite,
// ddl/postgres); shared code never asks which database it is talking to.
package ddl

import (
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// Dialect is what one database knows about writing SQL.
type Dialect interface {
	// Name is the dialect's name: "sqlite", "postgres".
	Name() string
	// QuoteIdent quotes one identifier, escaping embedded quotes. It is
	// the only place identifiers are quoted.
	QuoteIdent(name string) string
	// FormatType spells a column type in this dialect.
	FormatType(t metadata.Type) (string, error)
	// Check reports what in the model this database cannot hold (a
	// PostgreSQL enum on SQLite, a SQLite virtual table on PostgreSQL),
	// every problem at once, as metadata.Problems.
	Check(m *metadata.MetaData) error
	// Plan turns changes into statements, in order. A change that needs
	// several statements yields several, each naming the change's object.
	Plan(changes []migrate.Change) ([]Statement, error)
}

// Statement is one SQL statement and the object it is about.
type Statement struct {
	SQL string
	// Object names the object, as migrate.Change.Object does.
	Object string
}
