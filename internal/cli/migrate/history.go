package migrate

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/cli/dbflags"
	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/internal/iostreams"
	"github.com/spf13/cobra"
)

// HistoryOptions are the inputs of migrate history.
type HistoryOptions struct {
	Factory *factory.Factory
	IO      *iostreams.IOStreams
	DB      *dbflags.Flags
	// Format is text or json.
	Format string
}

// NewCmdHistory returns the migrate history command. runF replaces the
// command's action in tests; nil runs it.
func NewCmdHistory(f *factory.Factory, runF func(context.Context, *HistoryOptions) error) *cobra.Command {
	opts := &HistoryOptions{Factory: f, IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "history --url URL [--format text|json]",
		Short: "List the migrations applied to a database",
		Long: `List what migrate apply recorded in the database's dbtool_migrations table
(PostgreSQL: in the dbtool schema), oldest first: when, by whom, with which
dbtool, the plan's checksum, fingerprints of the schema before and after,
and how long it took; json adds the statements.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains([]string{"text", "json"}, opts.Format) {
				return fmt.Errorf("--format %q: want text or json", opts.Format)
			}
			if err := opts.DB.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runHistory(cmd.Context(), opts)
		},
	}
	opts.DB = dbflags.Add(cmd)
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output `format`: text, json")
	return cmd
}

func runHistory(ctx context.Context, opts *HistoryOptions) error {
	eng, err := opts.DB.Open(ctx, opts.Factory, engine.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer eng.Close()
	entries, err := eng.History(ctx)
	if err != nil {
		return dbflags.Redact(err, opts.DB.URL)
	}
	if opts.Format == "json" {
		if entries == nil {
			entries = []engine.HistoryEntry{}
		}
		b, err := json.MarshalIndent(entries, "", "  ")
		if err != nil {
			return err
		}
		_, err = opts.IO.Out.Write(append(b, '\n'))
		return err
	}
	if len(entries) == 0 {
		fmt.Fprintln(opts.IO.Out, "no migration applied yet")
		return nil
	}
	cs := opts.IO.ColorScheme()
	for _, e := range entries {
		fmt.Fprintf(opts.IO.Out, "%s %s by %s on %s, dbtool %s, %d statement(s) in %s\n    plan %s, schema %s -> %s\n",
			cs.Bold(fmt.Sprintf("#%d", e.ID)), e.AppliedAt.UTC().Format(time.RFC3339), e.AppliedBy, e.Host, e.Version,
			len(e.Statements), (time.Duration(e.DurationMS) * time.Millisecond).String(),
			short(e.PlanChecksum), short(e.Before), short(e.After))
	}
	return nil
}

// short abbreviates a checksum for the listing.
func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return strings.TrimSpace(sum)
}
