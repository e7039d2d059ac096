// Package exitstatus carries an exit code other than 0 or 1 out of a
// command that succeeded: migrate plan --exit-code says "changes pending"
// this way. Run prints nothing for it and exits with its code.
package exitstatus

import "fmt"

// The exit codes of a drift check (--exit-code).
const (
	// Changes means the database differs from the schema.
	Changes = 2
	// Destructive means it differs and some changes lose data.
	Destructive = 3
)

// Error is a successful outcome with an exit code to report.
type Error struct{ Code int }

func (e *Error) Error() string { return fmt.Sprintf("exit status %d", e.Code) }
