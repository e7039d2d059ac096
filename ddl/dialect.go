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
	// Hazard is what the statement may do to existing rows (see
	// migrate.Hazard); a plan's destructive statements are marked so.
	Hazard migrate.Hazard
	// NoTx marks a statement that cannot run inside a transaction block
	// (CREATE INDEX CONCURRENTLY): it runs after the transaction commits.
	NoTx bool
	// CommitFirst marks a statement whose effect cannot be used in the
	// transaction that makes it, when a later statement uses it
	// (PostgreSQL's ALTER TYPE ... ADD VALUE): it runs, and commits, in a
	// transaction of its own before the others, and stays if they fail.
	CommitFirst bool
	// Rebuild marks the statements of a SQLite table rebuild: foreign keys
	// must be off while they run (PRAGMA foreign_keys cannot change inside
	// a transaction) and PRAGMA foreign_key_check must pass before commit.
	Rebuild bool
	// Notes warn about what the statement does to a live database:
	// "rewrites the table", "takes an ACCESS EXCLUSIVE lock on ...".
	Notes []string
}
