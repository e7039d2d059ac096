// Package exitcode carries an exit code other than 0 (success) and 1 (an
// error) out of a command, through the error its run function returns:
// cli.Run prints the error, if it has a message, and exits with the code.
package exitcode

import "strconv"

// Pending is the exit code of a check that found work to do (dbtool docs
// --check with pages out of date).
const Pending = 2

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
