// Package sqlite writes PostgreSQL's DDL. (Placeholder: being written.)
package postgres

import (
	"errors"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// Dialect is PostgreSQL's ddl.Dialect.
type Dialect struct{}

var errTODO = errors.New("postgres dialect: not written yet")

func (Dialect) Name() string                                           { return "postgres" }
func (Dialect) QuoteIdent(name string) string                          { return name }
func (Dialect) FormatType(t metadata.Type) (string, error)             { return "", errTODO }
func (Dialect) Check(m *metadata.MetaData) error                       { return errTODO }
func (Dialect) Plan(changes []migrate.Change) ([]ddl.Statement, error) { return nil, errTODO }
