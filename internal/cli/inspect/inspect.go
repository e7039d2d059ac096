// Package inspect is the "dbtool inspect" command: reflect a live database
// and print its schema as a coloured listing, as a schema file (YAML or
// JSON, a valid create-all input) or as the SQL that creates it.
package inspect

import (
	"context"
	"fmt"
	"strings"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/cli/dbflags"
	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/internal/iostreams"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
	"github.com/spf13/cobra"
)

// The output formats.
const (
	FormatText = "text"
	FormatYAML = "yaml"
	FormatJSON = "json"
	FormatSQL  = "sql"
)

var formats = []string{FormatText, FormatYAML, FormatJSON, FormatSQL}

// Options are the inputs of inspect.
type Options struct {
	Factory *factory.Factory
	IO      *iostreams.IOStreams
	DB      *dbflags.Flags
	// Format is text, yaml, json or sql.
	Format string
}

// NewCmdInspect returns the inspect command. runF replaces the command's
// action in tests; nil runs it.
func NewCmdInspect(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{Factory: f, IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "inspect --url URL [--format text|yaml|json|sql]",
		Short: "Print the schema of a live database",
		Long: `Reflect a live database into dbtool's model and print it:

  text  a readable listing, coloured on a terminal
  yaml  the schema-file format: a valid -f input for create-all
  json  the same, as JSON
  sql   the CREATE statements that rebuild it

Objects dbtool does not manage are reported on stderr as warnings. A
missing SQLite file is an error: inspect never creates a database.`,
		Example: `  dbtool inspect --url sqlite:///app.db
  dbtool inspect --url postgresql://me@localhost/app --schema public --table 'order*' --format yaml > schema.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !validFormat(opts.Format) {
				return fmt.Errorf("--format %q: want one of %s", opts.Format, strings.Join(formats, ", "))
			}
			if err := opts.DB.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runInspect(cmd.Context(), opts)
		},
	}
	opts.DB = dbflags.Add(cmd)
	cmd.Flags().StringVar(&opts.Format, "format", FormatText, "output `format`: "+strings.Join(formats, ", "))
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func validFormat(f string) bool {
	for _, x := range formats {
		if f == x {
			return true
		}
	}
	return false
}

func runInspect(ctx context.Context, opts *Options) error {
	eng, err := opts.DB.Open(ctx, opts.Factory, engine.Options{})
	if err != nil {
		return err
	}
	defer eng.Close()
	res, err := eng.Inspect(ctx, opts.DB.Filter())
	if err != nil {
		return dbflags.Redact(err, opts.DB.URL)
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(opts.IO.ErrOut, "warning: "+w)
	}
	m := res.Schema
	if m == nil {
		m = &metadata.MetaData{}
	}
	switch opts.Format {
	case FormatYAML:
		b, err := metadata.EncodeYAML(m)
		if err != nil {
			return err
		}
		_, err = opts.IO.Out.Write(b)
		return err
	case FormatJSON:
		b, err := metadata.EncodeJSON(m)
		if err != nil {
			return err
		}
		_, err = opts.IO.Out.Write(b)
		return err
	case FormatSQL:
		return printSQL(opts.IO, eng.Dialect(), m)
	}
	return printText(opts.IO.Out, opts.IO.ColorScheme(), m)
}

// printSQL prints the statements that create m in an empty database, as
// a script that runs them in one transaction.
func printSQL(ios *iostreams.IOStreams, d ddl.Dialect, m *metadata.MetaData) error {
	plan := migrate.PlanCreateAll(m, nil)
	stmts, err := d.Plan(plan.Changes)
	if err != nil {
		return err
	}
	return ddl.WriteScript(ios.Out, stmts)
}
