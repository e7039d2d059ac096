package progress

import (
	"strings"
	"testing"
	"time"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/iostreams"
)

// TestProgressThrottled: between the first and the last statement, the
// line is rewritten at most every progressInterval.
func TestProgressThrottled(t *testing.T) {
	ios, _, _, errOut := iostreams.Test()
	ios.SetStderrTTY(true)
	clock := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	p := New(ios, func() time.Time { clock = clock.Add(time.Millisecond); return clock })
	for i := range 1000 {
		p.Update(engine.Progress{Done: i, Total: 1000, Object: `table "t_` + strings.Repeat("x", 60) + `"`})
	}
	p.Done()
	lines := strings.Count(errOut.String(), "\r\x1b[K")
	if lines < 10 || lines > 12 {
		t.Errorf("%d rewrites of the line for 1000 statements over 1s, want about 11", lines)
	}
	if !strings.Contains(errOut.String(), "1000/1000 table \"t_xxx") || !strings.Contains(errOut.String(), "…") {
		t.Errorf("last line missing or not shortened: %q", errOut.String())
	}
}
