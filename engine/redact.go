package engine

import (
	"slices"
	"strings"
)

// minSecret is the shortest password RedactError looks for in a message:
// a shorter one cannot be told from ordinary text ("p" would turn every p
// of a message into "xxxxx"). No message dbtool makes holds the password
// in the first place; RedactError is a second net under what a driver
// might quote.
const minSecret = 4

// RedactError returns err with every occurrence of rawURL's password, as
// typed and as decoded, replaced by "xxxxx", keeping err's chain for
// errors.Is and errors.As. It returns err itself when the message holds no
// password.
func RedactError(err error, rawURL string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	var found []string
	for _, pw := range secrets(rawURL) {
		if strings.Contains(msg, pw) {
			found = append(found, pw)
		}
	}
	if len(found) == 0 {
		return err
	}
	return &scrubbedError{err: err, secrets: found}
}

// secrets lists the forms of rawURL's password worth looking for: as typed
// between "://" and the last '@', and decoded; and the value of a
// password= parameter. Longest first, so that a form containing another
// is replaced whole.
func secrets(rawURL string) []string {
	var out []string
	add := func(s string) {
		if len(s) >= minSecret {
			out = append(out, s)
		}
	}
	if _, rest, ok := strings.Cut(rawURL, "://"); ok {
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if _, pw, ok := strings.Cut(rest[:at], ":"); ok {
				add(pw)
				add(unquote(pw))
			}
		}
	}
	if u, err := ParseURL(rawURL); err == nil {
		if pw, ok := u.Password(); ok {
			add(pw)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		if d := len(b) - len(a); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return slices.Compact(out)
}

// scrubbedError is an error whose message has its secrets replaced.
type scrubbedError struct {
	err     error
	secrets []string
}

func (e *scrubbedError) Error() string {
	s := e.err.Error()
	for _, pw := range e.secrets {
		s = strings.ReplaceAll(s, pw, "xxxxx")
	}
	return s
}

func (e *scrubbedError) Unwrap() error { return e.err }
