// Package progress shows how far a long run is (create-all, migrate
// apply) on one line of a terminal's stderr.
package progress

import (
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/iostreams"
)

// progressInterval is how often the progress line is rewritten at most: a
// create-all of thousands of tables sends thousands of statements a
// second, and a terminal need not redraw for each.
const progressInterval = 100 * time.Millisecond

// maxProgressObject is the longest object name shown, in runes, so that
// the line does not wrap on a narrow terminal (a wrapped line cannot be
// rewritten in place).
const maxProgressObject = 50

// Line shows how far a run is, "k/N object (elapsed)", on one line of
// stderr that it rewrites in place and erases at the end. It is shown only
// when stderr is a terminal: piped output gets nothing extra.
type Line struct {
	w     io.Writer
	now   func() time.Time
	start time.Time
	last  time.Time
	shown bool
}

// New returns the progress line for ios, or nil when stderr is not a
// terminal.
func New(ios *iostreams.IOStreams, now func() time.Time) *Line {
	if !ios.ProgressEnabled() {
		return nil
	}
	return &Line{w: ios.ErrOut, now: now, start: now()}
}

// Update shows statement pr.Done+1 of pr.Total: always the first and the
// last, and the others at most every progressInterval.
func (p *Line) Update(pr engine.Progress) {
	t := p.now()
	if p.shown && t.Sub(p.last) < progressInterval && pr.Done+1 != pr.Total {
		return
	}
	p.last, p.shown = t, true
	obj := pr.Object
	if utf8.RuneCountInString(obj) > maxProgressObject {
		obj = string([]rune(obj)[:maxProgressObject-1]) + "…"
	}
	fmt.Fprintf(p.w, "\r\x1b[K%d/%d %s (%.1fs)", pr.Done+1, pr.Total, obj, t.Sub(p.start).Seconds())
}

// Done erases the progress line, so that what follows starts on a clean
// line.
func (p *Line) Done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
