// Package migrate is the "dbtool migrate" command group: plan (compare a
// schema with a live database and print the changes), apply (make them,
// safely) and history (what was applied).
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
them with their SQL; apply makes them under a lock, in one transaction,
and records them; history lists what was applied. See docs/migrate.md.`,
	}
	cmd.AddCommand(NewCmdPlan(f, nil))
	cmd.AddCommand(NewCmdApply(f, nil))
	cmd.AddCommand(NewCmdHistory(f, nil))
	return cmd
}
