// Package docs is the "dbtool docs" command: reflect a live database and
// write Markdown documentation of its schema (package schemadoc) to a
// directory, or check that the directory is up to date.
package docs

import (
	"context"
	"fmt"

	"github.com/dbtool/dbtool/internal/cli/dbflags"
	"github.com/dbtool/dbtool/internal/cli/exitcode"
	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/internal/iostreams"
	"github.com/dbtool/dbtool/schemadoc"
	"github.com/spf13/cobra"
)

// FormatMarkdown is the only output format so far.
const FormatMarkdown = "md"

// Options are the inputs of docs.
type Options struct {
	Factory *factory.Factory
	IO      *iostreams.IOStreams
	DB      *dbflags.Flags
	// Out is the directory the pages go to.
	Out string
	// Format is md.
	Format string
	// Check compares Out with what would be written and changes nothing.
	Check bool
}

// NewCmdDocs returns the docs command. runF replaces the command's action
// in tests; nil runs it.
func NewCmdDocs(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{Factory: f, IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "docs --url URL --out DIR [--format md] [--check]",
		Short: "Write Markdown documentation of a live database's schema",
		Long: `Reflect a live database and write its documentation to DIR: README.md
with a diagram of the whole schema (Mermaid, which GitHub and GitLab draw)
and a table of its tables, and a page per table and view with its columns,
keys, indexes, checks, the tables it references and that reference it,
its triggers and a diagram of its neighbourhood.

The output is stable (sorted, no timestamps), so it can be committed:
pages that did not change are not rewritten, and pages of tables that no
longer exist are removed (only pages dbtool wrote, which start with its
marker line). --check changes nothing: it lists the files that differ and
exits with code 2 when DIR is out of date, 0 when it is current, so CI can
fail on documentation nobody regenerated.`,
		Example: `  dbtool docs --url sqlite:///app.db --out docs/schema
  dbtool docs --url postgresql://me@localhost/app --schema public --out docs/schema --check`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Format != FormatMarkdown {
				return fmt.Errorf("--format %q: want %s", opts.Format, FormatMarkdown)
			}
			if opts.Out == "" {
				return fmt.Errorf("--out DIR is required")
			}
			if err := opts.DB.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runDocs(cmd.Context(), opts)
		},
	}
	opts.DB = dbflags.Add(cmd)
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "write the pages to this `directory`")
	cmd.Flags().StringVar(&opts.Format, "format", FormatMarkdown, "output `format`: md")
	cmd.Flags().BoolVar(&opts.Check, "check", false, "change nothing; exit 2 when the directory is out of date")
	_ = cmd.MarkFlagRequired("out")
	_ = cmd.MarkFlagDirname("out")
	return cmd
}

func runDocs(ctx context.Context, opts *Options) error {
	eng, m, err := opts.DB.Inspect(ctx, opts.Factory, opts.IO.ErrOut)
	if err != nil {
		return err
	}
	defer eng.Close()
	pages := schemadoc.Pages(m)
	diffs, err := compare(opts.Out, pages)
	if err != nil {
		return err
	}
	if opts.Check {
		for _, d := range diffs {
			fmt.Fprintf(opts.IO.Out, "%s: %s\n", d.kind, d.path)
		}
		if len(diffs) > 0 {
			return &exitcode.Error{Code: exitcode.Pending,
				Err: fmt.Errorf("the documentation in %s is out of date: %d files differ (run dbtool docs without --check to update it)", opts.Out, len(diffs))}
		}
		fmt.Fprintf(opts.IO.Out, "%s is up to date (%d pages)\n", opts.Out, len(pages))
		return nil
	}
	if err := apply(opts.Out, pages, diffs); err != nil {
		return err
	}
	for _, d := range diffs {
		verb := "wrote"
		if d.kind == stale {
			verb = "removed"
		}
		fmt.Fprintf(opts.IO.Out, "%s %s\n", verb, d.path)
	}
	fmt.Fprintf(opts.IO.Out, "%d pages in %s, %d changed\n", len(pages), opts.Out, len(diffs))
	return nil
}
