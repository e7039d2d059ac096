// Package inspect is the "dbtool inspect" command: reflect a live database
// and print its schema as a coloured listing, as a schema file (YAML or
// JSON, a valid create-all input), as the SQL that creates it, or as an
// entity-relationship diagram (Mermaid, Graphviz DOT or SVG).
package inspect

import (
	"context"
	"fmt"
	"strings"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/diagram"
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
	// The diagram formats (package diagram).
	FormatMermaid = "mermaid"
	FormatDOT     = "dot"
	FormatSVG     = "svg"
)

var formats = []string{FormatText, FormatYAML, FormatJSON, FormatSQL, FormatMermaid, FormatDOT, FormatSVG}

// Options are the inputs of inspect.
type Options struct {
	Factory *factory.Factory
	IO      *iostreams.IOStreams
	DB      *dbflags.Flags
	// Format is text, yaml, json, sql, mermaid, dot or svg.
	Format string
	// Around, when set, keeps only the tables within Depth foreign-key
	// hops of this table (metadata.ForeignKeyGraph.Around).
	Around string
	Depth  int
}

// NewCmdInspect returns the inspect command. runF replaces the command's
// action in tests; nil runs it.
func NewCmdInspect(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{Factory: f, IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "inspect --url URL [--format text|yaml|json|sql|mermaid|dot|svg] [--around TABLE [--depth N]]",
		Short: "Print the schema of a live database",
		Long: `Reflect a live database into dbtool's model and print it:

  text  a readable listing, coloured on a terminal
  yaml  the schema-file format: a valid -f input for create-all
  json  the same, as JSON
  sql      the CREATE statements that rebuild it
  mermaid  an entity-relationship diagram in Mermaid (GitHub and GitLab
           draw it inside Markdown, in a mermaid code block)
  dot      the same diagram for Graphviz (dot -Tpng)
  svg      the same diagram drawn by dbtool, no other program needed

--around TABLE keeps only the tables within --depth foreign-key hops of
TABLE (default 1), in both directions: the way to draw one corner of a big
schema. Objects dbtool does not manage are reported on stderr as warnings.
A missing SQLite file is an error: inspect never creates a database.`,
		Example: `  dbtool inspect --url sqlite:///app.db
  dbtool inspect --url postgresql://me@localhost/app --schema public --table 'order*' --format yaml > schema.yaml
  dbtool inspect --url sqlite:///app.db --format svg --around orders --depth 2 > orders.svg`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !validFormat(opts.Format) {
				return fmt.Errorf("--format %q: want one of %s", opts.Format, strings.Join(formats, ", "))
			}
			if opts.Depth < 0 {
				return fmt.Errorf("--depth %d: must not be negative", opts.Depth)
			}
			if cmd.Flags().Changed("depth") && opts.Around == "" {
				return fmt.Errorf("--depth needs --around TABLE")
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
	cmd.Flags().StringVar(&opts.Around, "around", "", "only the tables within --depth foreign keys of this `table` (name or schema.name)")
	cmd.Flags().IntVar(&opts.Depth, "depth", 1, "how many foreign-key hops --around follows, both ways (`n`)")
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
	eng, m, err := opts.DB.Inspect(ctx, opts.Factory, opts.IO.ErrOut)
	if err != nil {
		return err
	}
	defer eng.Close()
	if opts.Around != "" {
		start, err := m.LookupTable(opts.Around)
		if err != nil {
			return fmt.Errorf("--around: %w", err)
		}
		if m, err = m.Around(start, opts.Depth); err != nil {
			return fmt.Errorf("--around: %w", err)
		}
	}
	switch opts.Format {
	case FormatMermaid, FormatDOT, FormatSVG:
		if n := diagram.Tables(m); n > diagram.Readable {
			fmt.Fprintf(opts.IO.ErrOut, "warning: a diagram of %d tables and views will not be readable: narrow it with --around TABLE --depth N, --table or --schema\n", n)
		}
		var b []byte
		switch opts.Format {
		case FormatMermaid:
			b = diagram.Mermaid(m)
		case FormatDOT:
			b = diagram.DOT(m)
		default:
			b = diagram.SVG(m)
		}
		_, err := opts.IO.Out.Write(b)
		return err
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
