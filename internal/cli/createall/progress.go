package createall

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

// progress shows how far a create-all is, "k/N object (elapsed)", on one
// line of stderr that it rewrites in place and erases at the end. It is
// shown only when stderr is a terminal: piped output gets nothing extra.
type progress struct {
	w     io.Writer
	now   func() time.Time
	start time.Time
	last  time.Time
	shown bool
}

// newProgress returns the progress display for ios, or nil when stderr is
// not a terminal.
func newProgress(ios *iostreams.IOStreams, now func() time.Time) *progress {
	if !ios.ProgressEnabled() {
		return nil
	}
	return &progress{w: ios.ErrOut, now: now, start: now()}
}

// update shows statement p.Done+1 of p.Total: always the first and the
// last, and the others at most every progressInterval.
func (p *progress) update(pr engine.Progress) {
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

// done erases the progress line, so that what follows starts on a clean
// line.
func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
