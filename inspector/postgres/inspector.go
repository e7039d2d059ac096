// Package postgres reflects a PostgreSQL database. (Placeholder: being written.)
package postgres

import (
	"context"
	"errors"

	"github.com/dbtool/dbtool/inspector"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Inspector reflects one PostgreSQL database.
type Inspector struct{ pool *pgxpool.Pool }

// New returns an inspector over pool. Echoing is the pool's tracer's job.
func New(pool *pgxpool.Pool) *Inspector { return &Inspector{pool: pool} }

// Inspect implements inspector.Inspector.
func (i *Inspector) Inspect(ctx context.Context, opts inspector.Options) (*inspector.Result, error) {
	return nil, errors.New("postgres inspector: not written yet")
}
