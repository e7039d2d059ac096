// Package exitcode carries an exit code other than 0 (success) and 1 (an
// error) out of a command, through the error its run function returns:
// cli.Run prints the error, if it has a message, and exits with the code.
package exitcode

import "strconv"

// The exit codes of checks.
const (
	// Pending is the exit code of a check that found work to do: docs
	// --check with pages out of date, migrate plan --exit-code with
	// changes pending.
	Pending = 2
	// Destructive is migrate plan --exit-code's when some of the pending
	// changes lose or may lose data.
	Destructive = 3
)

// Error is a command's outcome with its own exit code.
type Error struct {
	Code int
	// Err is what to print; nil prints nothing.
	Err error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return "exit code " + strconv.Itoa(e.Code)
	}
	return e.Err.Error()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }
