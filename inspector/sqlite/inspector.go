// Package sqlite reflects a SQLite database. (Placeholder: being written.)
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"io"

	"github.com/dbtool/dbtool/inspector"
)

// Inspector reflects one SQLite database.
type Inspector struct {
	db   *sql.DB
	echo io.Writer
}

// New returns an inspector over db; echo, when set, receives every query.
func New(db *sql.DB, echo io.Writer) *Inspector { return &Inspector{db: db, echo: echo} }

// Inspect implements inspector.Inspector.
func (i *Inspector) Inspect(ctx context.Context, opts inspector.Options) (*inspector.Result, error) {
	return nil, errors.New("sqlite inspector: not written yet")
}
