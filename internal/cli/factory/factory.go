// Package factory holds what every dbtool command is built from: the
// streams it prints to, the environment it reads and the way it opens a
// database. Tests build a Factory with buffers and a fake environment; the
// real one comes from New. (It is its own package, not part of package cli,
// because package cli imports every command and each command needs it.)
package factory

import (
	"context"
	"os"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/iostreams"
)

// Factory is shared by the commands of one run.
type Factory struct {
	IOStreams *iostreams.IOStreams
	// Getenv reads an environment variable (DATABASE_URL).
	Getenv func(key string) string
	// OpenEngine opens a database; engine.Open unless a test replaces it.
	OpenEngine func(ctx context.Context, url string, opts engine.Options) (*engine.Engine, error)
}

// New returns the factory of a real run: the process's streams and
// environment, and engine.Open.
func New() *Factory {
	return &Factory{
		IOStreams:  iostreams.System(),
		Getenv:     os.Getenv,
		OpenEngine: engine.Open,
	}
}
