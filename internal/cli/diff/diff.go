// Package diff is the "dbtool diff" command: the statements that turn one
// schema source into another, where a source is a database URL or schema
// files (staging against production, a file against a database, two
// files).
package diff

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/internal/cli/dbflags"
	"github.com/dbtool/dbtool/internal/cli/exitcode"
	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/internal/cli/planview"
	"github.com/dbtool/dbtool/internal/iostreams"
	"github.com/dbtool/dbtool/metadata"
	"github.com/spf13/cobra"
)

// Options are the inputs of diff.
type Options struct {
	Factory *factory.Factory
	IO      *iostreams.IOStreams
	// From and To are the sources: a database URL, or a schema file or
	// directory.
	From, To string
	Format   string
	ExitCode bool
	// DevURL is a database dbtool may empty; with two file sources, it
	// decides the dialect too.
	DevURL string
	Echo   bool
	// Timeout bounds connecting to each database.
	Timeout time.Duration
	Schemas []string
	Tables  []string
	Exclude []string
	NoColor bool
}

// NewCmdDiff returns the diff command. runF replaces the command's action
// in tests; nil runs it.
func NewCmdDiff(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{Factory: f, IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "diff --from SRC --to SRC [--format text|sql|json] [--exit-code] [--dev-url URL]",
		Short: "Print the statements that turn one schema into another",
		Long: `Compare two schema sources and print the changes that turn --from into --to,
with their SQL. A source is a database URL (read, never written) or a
schema file or directory. A file source is created in a scratch database
of the other source's kind and read back, so that both are compared in the
server's own terms; with two file sources, --dev-url names the database
to use (sqlite:// for an in-memory SQLite one).

Exit codes with --exit-code: 0 the same, 2 different, 3 different with
destructive changes.`,
		Example: `  dbtool diff --from postgresql://me@staging/app --to postgresql://me@prod/app
  dbtool diff --from postgresql://me@localhost/app --to schema.yaml --format sql
  dbtool diff --from old.yaml --to new.yaml --dev-url sqlite://`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(planview.Formats, opts.Format) {
				return fmt.Errorf("--format %q: want one of %s", opts.Format, strings.Join(planview.Formats, ", "))
			}
			if opts.Timeout <= 0 {
				return errors.New("--timeout must be positive")
			}
			if opts.NoColor {
				f.IOStreams.DisableColor()
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runDiff(cmd.Context(), opts)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.From, "from", "", "the schema to change: a database `URL` or a schema file or directory")
	fs.StringVar(&opts.To, "to", "", "the schema to reach: a database `URL` or a schema file or directory")
	fs.StringVar(&opts.Format, "format", planview.FormatText, "output `format`: "+strings.Join(planview.Formats, ", "))
	fs.BoolVar(&opts.ExitCode, "exit-code", false, "exit 2 when the sources differ, 3 when some changes are destructive")
	fs.StringVar(&opts.DevURL, "dev-url", "", "a database dbtool may empty, to normalise file sources in (`URL`)")
	fs.BoolVar(&opts.Echo, "echo", false, "log every SQL statement sent to stderr")
	fs.DurationVar(&opts.Timeout, "timeout", dbflags.DefaultTimeout, "give up connecting after this `duration`")
	fs.StringArrayVar(&opts.Schemas, "schema", nil, "only this PostgreSQL `schema` (repeatable)")
	fs.StringArrayVar(&opts.Tables, "table", nil, "only tables and views matching this `glob` (repeatable)")
	fs.StringArrayVar(&opts.Exclude, "exclude", nil, "leave out tables and views matching this `glob` (repeatable)")
	fs.BoolVar(&opts.NoColor, "no-color", false, "never colour the output")
	_ = cmd.MarkFlagRequired("from")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

// isFileSource reports whether a source names schema files rather than a
// database: a directory, or a file with a schema extension.
func isFileSource(src string) bool {
	if st, err := os.Stat(src); err == nil && st.IsDir() {
		return true
	}
	switch strings.ToLower(filepath.Ext(src)) {
	case ".yaml", ".yml", ".json", ".sql":
		return true
	}
	return false
}

// side is one source: a database, or files.
type side struct {
	eng  *engine.Engine
	path string
}

func runDiff(ctx context.Context, opts *Options) error {
	filter := inspector.Options{Schemas: opts.Schemas, Tables: opts.Tables, Exclude: opts.Exclude}
	var closers []func() error
	defer func() {
		for _, c := range closers {
			_ = c()
		}
	}()
	open := func(url string) (*engine.Engine, error) {
		eo := engine.Options{ReadOnly: true, ConnectTimeout: opts.Timeout}
		if opts.Echo {
			eo.Echo = opts.IO.ErrOut
		}
		eng, err := opts.Factory.OpenEngine(ctx, url, eo)
		if err != nil {
			return nil, dbflags.Redact(err, url)
		}
		closers = append(closers, eng.Close)
		return eng, nil
	}
	read := func(src string) (*side, error) {
		if isFileSource(src) {
			return &side{path: src}, nil
		}
		eng, err := open(src)
		return &side{eng: eng}, err
	}
	from, err := read(opts.From)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	to, err := read(opts.To)
	if err != nil {
		return fmt.Errorf("--to: %w", err)
	}

	// The database whose dialect and server normalise the comparison.
	eng := from.eng
	if eng == nil {
		eng = to.eng
	}
	if eng == nil {
		if opts.DevURL == "" {
			return errors.New("two file sources need --dev-url to say which database to compare them in (sqlite:// for SQLite in memory)")
		}
		if eng, err = open(opts.DevURL); err != nil {
			return fmt.Errorf("--dev-url: %w", err)
		}
	}
	if from.eng != nil && to.eng != nil && from.eng.URL.Dialect != to.eng.URL.Dialect {
		return fmt.Errorf("--from is %s and --to is %s: diff compares sources of one kind", from.eng.URL.Dialect, to.eng.URL.Dialect)
	}

	live, err := sideModel(ctx, eng, from, filter, opts.DevURL, true)
	if err != nil {
		return fmt.Errorf("--from: %w", dbflags.Redact(err, opts.From))
	}
	want, err := sideModel(ctx, eng, to, filter, opts.DevURL, false)
	if err != nil {
		return fmt.Errorf("--to: %w", dbflags.Redact(err, opts.To))
	}
	plan, err := eng.PlanModels(ctx, live, want, engine.PlanOptions{Filter: filter, DevURL: opts.DevURL})
	if err != nil {
		return dbflags.Redact(err, opts.DevURL)
	}
	if err := planview.Print(opts.IO, plan, opts.Format); err != nil {
		return err
	}
	if code := planview.ExitCode(plan); opts.ExitCode && code != 0 {
		return &exitcode.Error{Code: code}
	}
	return nil
}

// sideModel returns a source's schema: a database's inspection, a .sql
// script's (loaded into a scratch database and inspected), or a schema
// file's declaration; the declaration of the side to change (materialize)
// is created in a scratch database and read back, so that it is in the
// server's terms, as the other side is normalised by the plan.
func sideModel(ctx context.Context, eng *engine.Engine, s *side, filter inspector.Options, devURL string, materialize bool) (*metadata.MetaData, error) {
	if s.eng != nil {
		res, err := s.eng.Inspect(ctx, filter)
		if err != nil {
			return nil, err
		}
		return res.Schema, nil
	}
	src, err := eng.LoadSource(ctx, []string{s.path}, nil, devURL)
	if err != nil {
		return nil, err
	}
	if engine.IsSQLSource([]string{s.path}) {
		return src.Schema, nil
	}
	if err := metadata.Validate(src.Schema); err != nil {
		return nil, err
	}
	if !materialize {
		return src.Schema, nil
	}
	return eng.Materialize(ctx, filter.Select(src.Schema), devURL)
}
