package migrate

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/cli/dbflags"
	"github.com/dbtool/dbtool/internal/cli/exitcode"
	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/internal/cli/planview"
	"github.com/dbtool/dbtool/internal/cli/progress"
	"github.com/dbtool/dbtool/internal/cli/version"
	"github.com/dbtool/dbtool/internal/iostreams"
	"github.com/dbtool/dbtool/metadata"
	"github.com/spf13/cobra"
)

// ApplyOptions are the inputs of migrate apply.
type ApplyOptions struct {
	Factory *factory.Factory
	IO      *iostreams.IOStreams
	DB      *dbflags.Flags
	// Files are the schema files (-f); Plan a saved plan (--plan).
	Files []string
	Plan  string
	// DryRun prints what would run and writes nothing.
	DryRun bool
	// AutoApprove applies without asking.
	AutoApprove bool
	// AllowDestructive applies changes that drop or may lose data.
	AllowDestructive bool
	// LockTimeout bounds the wait for another apply; DDLLockTimeout is
	// PostgreSQL's lock_timeout for the statements.
	LockTimeout, DDLLockTimeout time.Duration
	// LowLock selects PostgreSQL's low-lock forms.
	LowLock bool
	DevURL  string
	now     func() time.Time
}

// NewCmdApply returns the migrate apply command. runF replaces the
// command's action in tests; nil runs it.
func NewCmdApply(f *factory.Factory, runF func(context.Context, *ApplyOptions) error) *cobra.Command {
	opts := &ApplyOptions{Factory: f, IO: f.IOStreams, now: time.Now}
	cmd := &cobra.Command{
		Use:   "apply --url URL (-f PATH | --plan FILE) [--dry-run] [--auto-approve] [--allow-destructive]",
		Short: "Bring a database to the schema files, safely",
		Long: `Plan the changes that bring the database to the schema files (or take a
plan saved by migrate plan --out) and apply them:

  - under a lock, taken before planning, so that two applies (or
    create-alls) never run at once: the second waits (--lock-timeout),
    then finds nothing left to do;
  - all or nothing: every statement that can runs in one transaction,
    with the history row (dbtool_migrations); a failure, a lost
    connection or Ctrl-C leaves the database as it was;
  - refusing destructive changes (a dropped table or column, a lossy
    type change, a removed enum value) unless --allow-destructive, with
    exit code 3;
  - counting, before writing, the rows that would break a new NOT NULL,
    unique, check or foreign key, or a narrowed type;
  - on PostgreSQL with lock_timeout (--ddl-lock-timeout), so that an
    ALTER TABLE queued behind a long query gives up rather than stall the
    application.

On a terminal it shows the plan and asks before applying; elsewhere it
never asks, and needs --auto-approve. --plan applies exactly a saved plan,
and only if the database has not changed since it was made.`,
		Example: `  dbtool migrate apply --url sqlite:///app.db -f schema.yaml
  dbtool migrate apply --url "$DATABASE_URL" -f schema/ --auto-approve
  dbtool migrate plan --url "$DATABASE_URL" -f schema/ --out plan.json && dbtool migrate apply --url "$DATABASE_URL" --plan plan.json --auto-approve`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (len(opts.Files) == 0) == (opts.Plan == "") {
				return errors.New("give the schema with -f, or a saved plan with --plan (one of them)")
			}
			if err := opts.DB.Resolve(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runApply(cmd.Context(), opts)
		},
	}
	opts.DB = dbflags.Add(cmd)
	fs := cmd.Flags()
	fs.StringArrayVarP(&opts.Files, "file", "f", nil, "schema file, or directory of them, or .sql scripts (`path`; repeatable)")
	fs.StringVar(&opts.Plan, "plan", "", "apply this saved plan (`file`, from migrate plan --out)")
	fs.BoolVar(&opts.DryRun, "dry-run", false, "print what would run and change nothing")
	fs.BoolVar(&opts.AutoApprove, "auto-approve", false, "apply without asking")
	fs.BoolVar(&opts.AllowDestructive, "allow-destructive", false, "apply changes that drop or may lose data")
	fs.DurationVar(&opts.LockTimeout, "lock-timeout", engine.DefaultLockWait, "wait this long for another apply or create-all to finish")
	fs.DurationVar(&opts.DDLLockTimeout, "ddl-lock-timeout", engine.DefaultDDLLockTimeout, "PostgreSQL: give up a statement that waits this long for a table lock (0: wait for ever)")
	fs.BoolVar(&opts.LowLock, "low-lock", false, "PostgreSQL: CREATE INDEX CONCURRENTLY, and new foreign keys and checks NOT VALID then VALIDATE")
	fs.StringVar(&opts.DevURL, "dev-url", "", "a PostgreSQL database dbtool may empty, to normalise the schema in (`URL`)")
	return cmd
}

func runApply(ctx context.Context, opts *ApplyOptions) error {
	ddlTimeout := opts.DDLLockTimeout
	if ddlTimeout == 0 {
		ddlTimeout = -1 // none
	}
	// A missing SQLite file is created, as create-all does, and removed
	// again unless something was applied to it.
	u, err := engine.ParseURL(opts.DB.URL)
	if err != nil {
		return err
	}
	newFile := !opts.DryRun && dbflags.MissingSQLiteFile(u)
	eng, err := opts.DB.Open(ctx, opts.Factory, engine.Options{DDLLockTimeout: ddlTimeout, LowLock: opts.LowLock,
		Create: !opts.DryRun, MissingAsEmpty: opts.DryRun})
	if err != nil {
		if newFile {
			dbflags.RemoveSQLite(u.Path)
		}
		return err
	}
	applied := false
	defer func() {
		eng.Close()
		if newFile && !applied {
			dbflags.RemoveSQLite(u.Path)
		}
	}()
	redact := func(err error) error { return dbflags.Redact(dbflags.Redact(err, opts.DB.URL), opts.DevURL) }

	ao := engine.ApplyOptions{
		PlanOptions:      engine.PlanOptions{Filter: opts.DB.Filter(), DevURL: opts.DevURL},
		AllowDestructive: opts.AllowDestructive,
		LockWait:         opts.LockTimeout,
		DryRun:           opts.DryRun,
		Version:          version.Current().Version,
	}
	// want stays nil for a saved plan, which carries its own schemas.
	var want *metadata.MetaData
	if opts.Plan != "" {
		data, err := os.ReadFile(opts.Plan)
		if err != nil {
			return fmt.Errorf("--plan: %w", err)
		}
		if ao.Saved, err = engine.ReadSavedPlan(opts.Plan, data); err != nil {
			return err
		}
	} else {
		src, err := eng.LoadSource(ctx, opts.Files, opts.IO.In, opts.DevURL)
		if err != nil {
			return redact(err)
		}
		for _, n := range src.Notes {
			fmt.Fprintln(opts.IO.ErrOut, "note: "+n)
		}
		want = src.Schema
		ao.Validated = true // LoadSource validated it
	}
	cs := opts.IO.ColorScheme()
	if !opts.DryRun {
		ao.Confirm = func(p *engine.MigrationPlan) (bool, error) {
			if opts.AutoApprove {
				return true, nil
			}
			if !opts.IO.CanPrompt() {
				if err := planview.Print(opts.IO, p, planview.FormatText); err != nil {
					return false, err
				}
				return false, errors.New("not applied: standard input is not a terminal, so nobody can confirm; review the plan and pass --auto-approve")
			}
			if err := planview.Print(opts.IO, p, planview.FormatText); err != nil {
				return false, err
			}
			fmt.Fprintf(opts.IO.ErrOut, "\nApply these %d change(s) to %s? [y/N] ", len(p.Changes), eng.URL)
			line, _ := bufio.NewReader(opts.IO.In).ReadString('\n')
			answer := strings.ToLower(strings.TrimSpace(line))
			return answer == "y" || answer == "yes", nil
		}
		if line := progress.New(opts.IO, opts.now); line != nil {
			ao.Progress = line.Update
			defer line.Done()
		}
	}
	res, err := eng.Apply(ctx, want, ao)
	if res != nil {
		for _, w := range res.Plan.Warnings {
			fmt.Fprintln(opts.IO.ErrOut, "warning: "+w)
		}
	}
	var destructive *engine.DestructiveError
	switch {
	case errors.As(err, &destructive):
		for _, r := range res.Plan.Renames {
			fmt.Fprintf(opts.IO.ErrOut, "note: %s looks like %q renamed; to rename it and keep its rows, declare %s\n", r.Object, r.From, r.Hint)
		}
		return &exitcode.Error{Code: exitcode.Destructive, Err: err}
	case errors.Is(err, engine.ErrNotConfirmed):
		fmt.Fprintln(opts.IO.ErrOut, "not applied")
		return nil
	case err != nil:
		return redact(err)
	}
	switch {
	case len(res.Plan.Changes) == 0:
		fmt.Fprintln(opts.IO.Out, "no changes: the database matches the schema")
	case opts.DryRun:
		if err := planview.Print(opts.IO, res.Plan, planview.FormatText); err != nil {
			return err
		}
		fmt.Fprintln(opts.IO.ErrOut, cs.Dim("dry run: nothing was applied"))
	default:
		applied = res.Applied
		fmt.Fprintf(opts.IO.Out, "%s %d change(s) in %s\n", cs.Green("applied"), len(res.Plan.Changes), res.Duration.Round(time.Millisecond))
	}
	return nil
}
