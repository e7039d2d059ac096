// Package createall is the "dbtool create-all" command: create every
// declared object a database lacks, as SQLAlchemy's
// metadata.create_all(checkfirst=True) does.
package createall

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/internal/cli/dbflags"
	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/internal/cli/progress"
	"github.com/dbtool/dbtool/internal/iostreams"
	"github.com/dbtool/dbtool/metadata"
	"github.com/spf13/cobra"
)

// Options are the inputs of create-all.
type Options struct {
	Factory *factory.Factory
	IO      *iostreams.IOStreams
	DB      *dbflags.Flags
	// Files are the schema files and directories (-f); "-" is the
	// schema read from IO.In.
	Files []string
	// DryRun prints the SQL and touches nothing.
	DryRun bool
	// DevURL is the database a .sql source is loaded into to be read
	// (engine.LoadSource); empty is a scratch database on the target's
	// server (SQLite: in memory).
	DevURL string
	// Now is the clock the progress display reads; nil is time.Now.
	Now func() time.Time
}

func (o *Options) now() func() time.Time {
	if o.Now != nil {
		return o.Now
	}
	return time.Now
}

// NewCmdCreateAll returns the create-all command. runF replaces the
// command's action in tests; nil runs it.
func NewCmdCreateAll(f *factory.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{Factory: f, IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "create-all --url URL -f PATH [-f PATH]... [--dry-run]",
		Short: "Create every declared table, index and view the database lacks",
		Long: `Create every object declared in the schema files that the database does not
have yet, in dependency order and in one transaction: a referenced table
before the table that references it, a view after what it selects from. An
object that exists is skipped whole and reported. On any failure nothing is
left half-created.

--schema, --table and --exclude restrict which declared objects are
created. A missing SQLite file is created, unless there is nothing to
create. "-f -" reads the schema (YAML or JSON) from standard input.

-f also takes .sql scripts of DDL (or a directory of them), as migrate
does: they are run in a scratch database (--dev-url, or one dbtool creates
on the server and drops; SQLite: in memory), read back, and what they
declare is created here the same way.`,
		Example: `  dbtool create-all --url sqlite:///app.db -f schema.yaml
  dbtool create-all --url postgresql://me@localhost/app -f schema/ --dry-run
  DATABASE_URL=app.db dbtool create-all -f schema.yaml --table 'user*'
  dbtool inspect --url old.db --format json | dbtool create-all --url new.db -f -
  dbtool create-all --url postgresql://me@localhost/app -f schema.sql`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.DB.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runCreateAll(cmd.Context(), opts)
		},
	}
	opts.DB = dbflags.Add(cmd)
	cmd.Flags().StringArrayVarP(&opts.Files, "file", "f", nil, "schema file, or directory of them, to read (`path`; repeatable; - for standard input)")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the SQL statements and change nothing")
	cmd.Flags().StringVar(&opts.DevURL, "dev-url", "", "a PostgreSQL database dbtool may empty, to load .sql sources in (`URL`)")
	_ = cmd.MarkFlagRequired("file")
	return cmd
}

// runCreateAll loads the schema, opens the database and creates what is
// missing, printing one line per object created or skipped; with DryRun
// it prints the statements instead and changes nothing.
func runCreateAll(ctx context.Context, opts *Options) error {
	// Schema files are read before anything is opened, so that a file
	// with a problem creates no SQLite file; .sql scripts need the
	// database's kind to be run in, so they are read once it is open.
	sqlSource := engine.IsSQLSource(opts.Files)
	var m *metadata.MetaData
	var err error
	if !sqlSource {
		if m, err = metadata.LoadFrom(opts.IO.In, opts.Files...); err != nil {
			return err
		}
	}
	u, err := engine.ParseURL(opts.DB.URL)
	if err != nil {
		return err
	}
	newFile := !opts.DryRun && dbflags.MissingSQLiteFile(u)
	redact := func(err error) error { return dbflags.Redact(dbflags.Redact(err, opts.DB.URL), opts.DevURL) }

	// A dry run plans against a missing SQLite file as an empty database,
	// without creating it; a real run creates it.
	eng, err := opts.DB.Open(ctx, opts.Factory, engine.Options{Create: !opts.DryRun, MissingAsEmpty: opts.DryRun})
	if err != nil {
		if newFile {
			dbflags.RemoveSQLite(u.Path)
		}
		return err
	}
	if sqlSource {
		m, err = loadSQLSource(ctx, opts, eng)
	}
	if err == nil {
		m, err = selectObjects(ctx, opts, eng, m)
	}
	var res *engine.CreateAllResult
	if err == nil {
		// The files were validated as they were read; a filtered part of
		// them is validated again, on its own.
		cao := engine.CreateAllOptions{DryRun: opts.DryRun, Validated: !opts.DB.Filter().Selects()}
		p := progress.New(opts.IO, opts.now())
		if p != nil {
			cao.Progress = p.Update
		}
		res, err = eng.CreateAll(ctx, m, cao)
		if p != nil {
			p.Done() // before anything else is printed
		}
	}
	closeErr := eng.Close()
	if err != nil {
		if newFile {
			// Leave no empty database behind: the file did not exist and
			// the transaction that would have filled it was rolled back.
			dbflags.RemoveSQLite(u.Path)
		}
		return redact(err)
	}
	if closeErr != nil {
		return redact(closeErr)
	}
	if opts.DryRun {
		return printStatements(opts.IO, res)
	}
	if newFile && len(res.Created) == 0 {
		// Nothing to create (an empty schema, or filters that select
		// nothing): leave no empty database file behind.
		dbflags.RemoveSQLite(u.Path)
	}
	printResult(opts.IO, res)
	return nil
}

// loadSQLSource reads .sql scripts through a scratch database of eng's
// kind, printing what they hold that a schema does not (data, sequence
// values) as notes.
func loadSQLSource(ctx context.Context, opts *Options, eng *engine.Engine) (*metadata.MetaData, error) {
	src, err := eng.LoadSource(ctx, opts.Files, opts.IO.In, opts.DevURL)
	if err != nil {
		return nil, err
	}
	for _, n := range src.Notes {
		fmt.Fprintln(opts.IO.ErrOut, "note: "+n)
	}
	return src.Schema, nil
}

// selectObjects applies --schema, --table and --exclude to the declared
// model. The tables the selected objects need but the filters leave out
// must exist already: they are kept in the model (create-all then skips
// them); a missing one is an error, since creating it would go beyond the
// selection and leaving it out would fail.
func selectObjects(ctx context.Context, opts *Options, eng *engine.Engine, m *metadata.MetaData) (*metadata.MetaData, error) {
	filter := opts.DB.Filter()
	if !filter.Selects() {
		return m, nil
	}
	sel := filter.Select(m)
	if len(sel.Tables)+len(sel.Views)+len(sel.VirtualTables) == 0 {
		fmt.Fprintln(opts.IO.ErrOut, "warning: no declared table or view matches --schema, --table and --exclude")
	}
	deps := metadata.Dependencies(sel, m)
	if len(deps) == 0 {
		return sel, nil
	}
	live, err := eng.Inspect(ctx, inspector.Options{})
	if err != nil {
		return nil, fmt.Errorf("reading the existing schema: %w", err)
	}
	var missing []string
	for _, d := range deps {
		if live.Schema == nil || live.Schema.Table(d.Table) == nil {
			missing = append(missing, fmt.Sprintf("%s needs %s, which the filters leave out and the database does not have",
				d.NeededBy, metadata.ObjectName("table", d.Table.Schema, d.Table.Name)))
			continue
		}
		sel.Tables = append(sel.Tables, *m.Table(d.Table))
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("--schema, --table and --exclude: %s; select it too", strings.Join(missing, "; "))
	}
	return sel, nil
}

// printStatements prints a dry run as a script that could be run as it
// is: the statements in one transaction, and what exists as comments.
func printStatements(ios *iostreams.IOStreams, res *engine.CreateAllResult) error {
	cs := ios.ColorScheme()
	for _, s := range res.Skipped {
		fmt.Fprintln(ios.Out, cs.Dim("-- "+s+" exists, skipped"))
	}
	if err := ddl.WriteScript(ios.Out, res.Statements); err != nil {
		return err
	}
	if len(res.Statements) == 0 {
		fmt.Fprintln(ios.Out, cs.Dim("-- nothing to create"))
	}
	return nil
}

// printResult says what was created and what was skipped, one line each.
func printResult(ios *iostreams.IOStreams, res *engine.CreateAllResult) {
	cs := ios.ColorScheme()
	for _, s := range res.Created {
		fmt.Fprintln(ios.Out, cs.Green("created")+" "+s)
	}
	for _, s := range res.Skipped {
		fmt.Fprintln(ios.Out, s+" "+cs.Yellow("exists, skipped"))
	}
	if len(res.Created) == 0 {
		fmt.Fprintln(ios.Out, "nothing to create")
	}
}
