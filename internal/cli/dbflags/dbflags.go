// Package dbflags holds the flags every command that talks to a database
// shares (--url, --echo, --timeout, --schema, --table, --exclude,
// --no-color) and opens the database they name.
package dbflags

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/metadata"
	"github.com/spf13/cobra"
)

// DefaultTimeout bounds connecting when --timeout is not given.
const DefaultTimeout = 30 * time.Second

// Flags are the database flags of one command.
type Flags struct {
	// URL is --url, or $DATABASE_URL when --url is not given.
	URL string
	// Echo logs every SQL statement to stderr.
	Echo bool
	// Timeout bounds connecting.
	Timeout time.Duration
	// Schemas, Tables and Exclude select objects: namespaces, and glob
	// patterns of tables and views to keep and to leave out.
	Schemas []string
	Tables  []string
	Exclude []string
	// NoColor turns colour off.
	NoColor bool
}

// Add registers the flags on cmd and returns where they land.
func Add(cmd *cobra.Command) *Flags {
	fl := &Flags{}
	fs := cmd.Flags()
	// The default is not $DATABASE_URL's value: --help would print its
	// password. Resolve reads it.
	fs.StringVar(&fl.URL, "url", "", "database `URL`: sqlite:///file.db, postgresql://user@host/db (default $DATABASE_URL)")
	fs.BoolVar(&fl.Echo, "echo", false, "log every SQL statement sent to stderr")
	fs.DurationVar(&fl.Timeout, "timeout", DefaultTimeout, "give up connecting after this `duration`")
	fs.StringArrayVar(&fl.Schemas, "schema", nil, "only this PostgreSQL `schema` (repeatable)")
	fs.StringArrayVar(&fl.Tables, "table", nil, "only tables and views matching this `glob`, by name or schema.name (repeatable)")
	fs.StringArrayVar(&fl.Exclude, "exclude", nil, "leave out tables and views matching this `glob` (repeatable)")
	fs.BoolVar(&fl.NoColor, "no-color", false, "never colour the output")
	return fl
}

// Resolve completes the flags from the environment once they are parsed:
// --url falls back to $DATABASE_URL, --no-color turns colour off.
func (fl *Flags) Resolve(f *factory.Factory) error {
	if fl.URL == "" && f.Getenv != nil {
		fl.URL = f.Getenv("DATABASE_URL")
	}
	if fl.URL == "" {
		return errors.New("no database URL: pass --url or set DATABASE_URL")
	}
	if fl.NoColor {
		f.IOStreams.DisableColor()
	}
	if fl.Timeout <= 0 {
		return errors.New("--timeout must be positive")
	}
	return nil
}

// Filter returns the object selection the flags make.
func (fl *Flags) Filter() inspector.Options {
	return inspector.Options{Schemas: fl.Schemas, Tables: fl.Tables, Exclude: fl.Exclude}
}

// Open opens the database with the flags' echo and timeout and the rest
// of opts (Create, MissingAsEmpty). Whatever fails, the URL's password is
// not in the error.
func (fl *Flags) Open(ctx context.Context, f *factory.Factory, opts engine.Options) (*engine.Engine, error) {
	opts.ConnectTimeout = fl.Timeout
	opts.Echo = nil
	if fl.Echo {
		opts.Echo = f.IOStreams.ErrOut
	}
	eng, err := f.OpenEngine(ctx, fl.URL, opts)
	if err != nil {
		return nil, Redact(err, fl.URL)
	}
	return eng, nil
}

// Redact returns err with rawURL's password replaced by "xxxxx" wherever it
// appears, as typed or percent-decoded, keeping err's chain for errors.Is
// and errors.As (engine.RedactError). engine.Open already leaves the
// password out; this is a second net under whatever a driver might quote.
func Redact(err error, rawURL string) error { return engine.RedactError(err, rawURL) }

// MissingSQLiteFile reports whether u names a SQLite file that does not
// exist yet: a command that creates it (create-all, migrate apply) removes
// it again when it fails or has nothing to write, so that a typo never
// leaves an empty database behind.
func MissingSQLiteFile(u *engine.URL) bool {
	if u.Path == "" || u.Path == ":memory:" {
		return false
	}
	_, err := os.Stat(u.Path)
	return errors.Is(err, fs.ErrNotExist)
}

// RemoveSQLite removes a database file and the journal files SQLite may
// leave beside it.
func RemoveSQLite(path string) {
	for _, p := range []string{path, path + "-journal", path + "-wal", path + "-shm"} {
		_ = os.Remove(p)
	}
}

// Inspect opens the database and reflects what the flags select, as
// inspect and docs do: the inspection's warnings go to warnings, one a
// line, and the schema returned is never nil. The caller closes the
// engine.
func (fl *Flags) Inspect(ctx context.Context, f *factory.Factory, warnings io.Writer) (*engine.Engine, *metadata.MetaData, error) {
	eng, err := fl.Open(ctx, f, engine.Options{})
	if err != nil {
		return nil, nil, err
	}
	res, err := eng.Inspect(ctx, fl.Filter())
	if err != nil {
		eng.Close()
		return nil, nil, Redact(err, fl.URL)
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(warnings, "warning: "+w)
	}
	if res.Schema == nil {
		return eng, &metadata.MetaData{}, nil
	}
	return eng, res.Schema, nil
}
