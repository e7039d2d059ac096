package migrate

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/cli/dbflags"
	"github.com/dbtool/dbtool/internal/cli/exitcode"
	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/internal/cli/planview"
	"github.com/dbtool/dbtool/internal/cli/version"
	"github.com/dbtool/dbtool/internal/iostreams"
	"github.com/spf13/cobra"
)

// PlanOptions are the inputs of migrate plan.
type PlanOptions struct {
	Factory *factory.Factory
	IO      *iostreams.IOStreams
	DB      *dbflags.Flags
	// Files are the schema files or directories (-f).
	Files []string
	// Format is text, sql or json.
	Format string
	// ExitCode makes the exit code say whether there are changes.
	ExitCode bool
	// DevURL is a database dbtool may empty, for normalising.
	DevURL string
	// Out is a file to save the plan to, for migrate apply --plan.
	Out string
}

// NewCmdPlan returns the migrate plan command. runF replaces the
// command's action in tests; nil runs it.
func NewCmdPlan(f *factory.Factory, runF func(context.Context, *PlanOptions) error) *cobra.Command {
	opts := &PlanOptions{Factory: f, IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "plan --url URL -f PATH [--format text|sql|json] [--exit-code] [--dev-url URL] [--out FILE]",
		Short: "Print the changes that bring a database to the schema files",
		Long: `Compare the schema files with the live database and print the changes that
turn the one into the other, with their SQL. Nothing is written to the
database.

The declared objects that differ from the live ones as written are first
created in a scratch database (a temporary database on the same
PostgreSQL server, or an in-memory SQLite database) and read back, so
that both sides are compared as the server stores them: a check written
"price > 0" matches the server's "(price > (0)::numeric)".

  text  one line per change (+ add, - drop, ~ modify, > rename), the
        destructive ones marked and counted, then the SQL
  sql   the statements alone, a script psql -1 -f or sqlite3 runs
  json  the changes and statements, for machines (docs/migrate.md)

-f takes schema files (YAML, JSON), a directory of them, - for standard
input, or .sql scripts of DDL (pg_dump --schema-only output too), which
are loaded into the scratch database and read back.

With --exit-code the exit code tells a CI job what it found: 0 no
changes, 2 changes, 3 changes of which some are destructive (1 stays for
errors). --out saves the plan for migrate apply --plan, which applies
exactly it, and only if the database has not changed since.`,
		Example: `  dbtool migrate plan --url sqlite:///app.db -f schema.yaml
  dbtool migrate plan --url postgresql://me@localhost/app -f schema/ --format sql > change.sql
  dbtool migrate plan --url "$DATABASE_URL" -f schema.yaml --exit-code`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(planview.Formats, opts.Format) {
				return fmt.Errorf("--format %q: want one of %s", opts.Format, strings.Join(planview.Formats, ", "))
			}
			if err := opts.DB.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runPlan(cmd.Context(), opts)
		},
	}
	opts.DB = dbflags.Add(cmd)
	cmd.Flags().StringArrayVarP(&opts.Files, "file", "f", nil, "schema file, or directory of them, to compare with (`path`; repeatable)")
	cmd.Flags().StringVar(&opts.Format, "format", planview.FormatText, "output `format`: "+strings.Join(planview.Formats, ", "))
	cmd.Flags().BoolVar(&opts.ExitCode, "exit-code", false, "exit 2 when there are changes, 3 when some are destructive")
	cmd.Flags().StringVar(&opts.DevURL, "dev-url", "", "a PostgreSQL database dbtool may empty, to normalise the schema in (`URL`)")
	cmd.Flags().StringVar(&opts.Out, "out", "", "also save the plan to this `file`, for migrate apply --plan")
	_ = cmd.MarkFlagRequired("file")
	return cmd
}

func runPlan(ctx context.Context, opts *PlanOptions) error {
	eng, err := opts.DB.Open(ctx, opts.Factory, engine.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer eng.Close()
	plan, src, err := eng.PlanSource(ctx, opts.Files, opts.IO.In, engine.PlanOptions{Filter: opts.DB.Filter(), DevURL: opts.DevURL})
	if src != nil {
		for _, n := range src.Notes {
			fmt.Fprintln(opts.IO.ErrOut, "note: "+n)
		}
	}
	if err != nil {
		return dbflags.Redact(dbflags.Redact(err, opts.DB.URL), opts.DevURL)
	}
	for _, w := range plan.Warnings {
		fmt.Fprintln(opts.IO.ErrOut, "warning: "+w)
	}
	if opts.Out != "" {
		if err := writeSavedPlan(opts.Out, plan, eng.URL.Dialect); err != nil {
			return err
		}
	}
	if err := planview.Print(opts.IO, plan, opts.Format); err != nil {
		return err
	}
	if code := planview.ExitCode(plan); opts.ExitCode && code != 0 {
		return &exitcode.Error{Code: code}
	}
	return nil
}

// writeSavedPlan saves a plan for migrate apply --plan.
func writeSavedPlan(path string, plan *engine.MigrationPlan, dialect string) error {
	sp, err := plan.Save(dialect, version.Current().Version)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(sp, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	return nil
}
