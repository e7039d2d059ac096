// Package cli is dbtool's command line: the root command, the commands
// under it, and Main, which runs them and turns their outcome into an exit
// code. Each command lives in its own package (createall, inspect, docs,
// version) as an options struct, a NewCmd constructor and a run function
// that tests call directly.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/dbtool/dbtool/internal/cli/createall"
	"github.com/dbtool/dbtool/internal/cli/diff"
	"github.com/dbtool/dbtool/internal/cli/docs"
	"github.com/dbtool/dbtool/internal/cli/exitcode"
	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/internal/cli/inspect"
	"github.com/dbtool/dbtool/internal/cli/migrate"
	"github.com/dbtool/dbtool/internal/cli/version"
	"github.com/spf13/cobra"
)

// Exit codes; those of checks (2, 3) are in package exitcode.
const (
	ExitOK          = 0
	ExitError       = 1
	ExitInterrupted = 130
)

// ExitPending is the exit code of a check that found work to do (docs
// --check with pages out of date). A command returns it, or any other
// code, as an *exitcode.Error.
const ExitPending = exitcode.Pending

// NewCmdRoot returns the dbtool command with every subcommand.
func NewCmdRoot(f *factory.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "dbtool <command> [flags]",
		Short: "Schema as code for PostgreSQL and SQLite",
		Long: `dbtool keeps a database schema as code: declare tables, views, keys and
indexes in YAML or JSON files, create them with create-all, and reflect a
live database back into the same format with inspect.`,
		Example: `  dbtool create-all --url sqlite:///app.db -f schema.yaml
  dbtool migrate plan --url sqlite:///app.db -f schema.yaml
  dbtool inspect --url sqlite:///app.db
  dbtool inspect --url postgresql://me@localhost/app --format yaml
  dbtool docs --url sqlite:///app.db --out docs/schema`,
		// Main prints the error once; usage is for --help.
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       version.Current().Version,
	}
	root.SetVersionTemplate(version.Current().String() + "\n")
	root.SetIn(f.IOStreams.In)
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return fmt.Errorf("%w (see %s --help)", err, cmd.CommandPath())
	})

	root.AddCommand(createall.NewCmdCreateAll(f, nil))
	root.AddCommand(inspect.NewCmdInspect(f, nil))
	root.AddCommand(migrate.NewCmdMigrate(f))
	root.AddCommand(diff.NewCmdDiff(f, nil))
	root.AddCommand(docs.NewCmdDocs(f, nil))
	root.AddCommand(version.NewCmdVersion(f, nil))
	return root
}

// Main runs dbtool with the process's arguments, streams and environment
// and returns its exit code: 0 on success, 1 on an error (printed once, as
// "dbtool: <error>", on stderr), 130 when interrupted. Ctrl-C (SIGINT) or
// SIGTERM cancels the context every command runs in, so a create-all in
// progress rolls back; a second Ctrl-C kills the process at once.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal, restore the default handling.
	context.AfterFunc(ctx, stop)
	f := factory.New()
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit(NewCmdRoot(f), os.Args[1:]))
	}
	return Run(ctx, f, os.Args[1:])
}

// Reading a schema file used to hold its whole YAML node tree for a moment
// (about 18 bytes per byte of YAML: 100 MiB for the 5.8 MiB of a
// 5000-table schema), and at the default GOGC of 100 the heap grew to
// twice that before it was collected: migrate apply and create-all of 5000
// tables peaked at 222 and 217 MiB resident. A soft limit collects sooner
// only when the heap nears it: no cost at 1000 tables, 161 MiB and 0.4 s
// more CPU for a 5000-table create-all --dry-run; past about 7000 tables
// the tree alone exceeded it and loading cost up to 2.6 times the CPU
// (10,000 tables: 8.4 s instead of 3.2, 307 MiB instead of 443). GOGC=50
// instead cost 17% more CPU at 5000 tables and stayed above 200 MiB for an
// apply. A large file is now decoded piece by piece as it is parsed
// (metadata's decodeCuts), which holds a few pieces' trees at a time (the
// same create-all --dry-run: 98 MiB, and 0.35 s less), so the limit is
// seldom reached; it stays for files the pieces cannot serve (anchors,
// tabs). Setting GOGC or GOMEMLIMIT (=off) in the environment leaves the
// runtime's defaults.
const defaultMemoryLimit = 150 << 20

// memoryLimits are the soft memory limits of the commands that need more
// than defaultMemoryLimit. migrate plan and diff read the live schema
// while they read the files, so the live model and the YAML tree are held
// at once: under 150 MiB a 5000-table plan collected garbage all along
// (3.9-4.0 s of CPU and 202-216 MiB resident, against 2.7-2.9 s and 240
// MiB under 200 MiB).
var memoryLimits = map[string]int64{
	"dbtool migrate plan": 200 << 20,
	"dbtool diff":         200 << 20,
}

// memoryLimit returns the soft memory limit of the command args name.
func memoryLimit(root *cobra.Command, args []string) int64 {
	if cmd, _, err := root.Find(args); err == nil {
		if limit, ok := memoryLimits[cmd.CommandPath()]; ok {
			return limit
		}
	}
	return defaultMemoryLimit
}

// Run runs dbtool with args in ctx and returns its exit code. An error
// when ctx is done is an interruption.
func Run(ctx context.Context, f *factory.Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	if ctx.Err() != nil {
		msg := "interrupted"
		if !errors.Is(err, context.Canceled) {
			msg += ": " + err.Error()
		}
		fmt.Fprintln(f.IOStreams.ErrOut, "dbtool: "+msg)
		return ExitInterrupted
	}
	var coded *exitcode.Error
	if errors.As(err, &coded) {
		if coded.Err != nil {
			fmt.Fprintln(f.IOStreams.ErrOut, "dbtool: "+coded.Err.Error())
		}
		return coded.Code
	}
	fmt.Fprintln(f.IOStreams.ErrOut, "dbtool: "+err.Error())
	return ExitError
}
