// Package migrate is the "dbtool migrate" command group: plan (compare a
// schema file with a live database and print the changes) and, later,
// apply.
package migrate

import (
	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/spf13/cobra"
)

// NewCmdMigrate returns the migrate command and its subcommands.
func NewCmdMigrate(f *factory.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate <command>",
		Short: "Compare a schema with a live database and plan the changes",
		Long: `Bring a live database to the schema declared in files: plan computes the
changes (add, drop, modify, rename) in the server's own terms and prints
them with their SQL. See docs/migrate.md.`,
	}
	cmd.AddCommand(NewCmdPlan(f, nil))
	return cmd
}
