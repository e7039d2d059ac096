package iostreams

import (
	"strings"
	"testing"

	"github.com/fatih/color"
)

func TestColorEnabled(t *testing.T) {
	for _, tc := range []struct {
		name                            string
		tty, noColorEnv, force, flagOff bool
		want                            bool
	}{
		{name: "terminal", tty: true, want: true},
		{name: "pipe", tty: false, want: false},
		{name: "terminal with NO_COLOR", tty: true, noColorEnv: true, want: false},
		{name: "terminal with --no-color", tty: true, flagOff: true, want: false},
		{name: "pipe with CLICOLOR_FORCE", force: true, want: true},
		{name: "CLICOLOR_FORCE and NO_COLOR", force: true, noColorEnv: true, want: false},
		{name: "CLICOLOR_FORCE and --no-color", force: true, flagOff: true, want: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ios, _, _, _ := Test()
			ios.SetStdoutTTY(tc.tty)
			ios.SetNoColorEnv(tc.noColorEnv)
			ios.forceColor = tc.force
			if tc.flagOff {
				ios.DisableColor()
			}
			if got := ios.ColorEnabled(); got != tc.want {
				t.Errorf("ColorEnabled() = %v, want %v", got, tc.want)
			}
			cs := ios.ColorScheme()
			got := cs.Bold("x") + cs.Red("x") + cs.Dim("x")
			if has := strings.Contains(got, "\x1b["); has != tc.want {
				t.Errorf("scheme output %q: escape codes = %v, want %v", got, has, tc.want)
			}
			if !tc.want && got != "xxx" {
				t.Errorf("plain output = %q, want %q", got, "xxx")
			}
		})
	}
}

// TestColorSchemeIgnoresGlobal checks that each printer's colour is set by
// the streams, not by fatih/color's global NoColor switch (which is
// computed from os.Stdout and NO_COLOR when the program starts).
func TestColorSchemeIgnoresGlobal(t *testing.T) {
	saved := color.NoColor
	t.Cleanup(func() { color.NoColor = saved })

	color.NoColor = true
	on := newColorScheme(true)
	if got := on.Green("ok"); !strings.Contains(got, "\x1b[32m") {
		t.Errorf("enabled scheme: Green = %q, want an escape code", got)
	}
	color.NoColor = false
	off := newColorScheme(false)
	if got := off.Green("ok"); got != "ok" {
		t.Errorf("disabled scheme: Green = %q, want plain", got)
	}
}

// TestProgressEnabled: progress goes to a terminal's stderr only, never to
// a pipe or a dumb terminal.
func TestProgressEnabled(t *testing.T) {
	ios, _, _, _ := Test()
	if ios.ProgressEnabled() {
		t.Error("progress on buffers")
	}
	ios.SetStderrTTY(true)
	if !ios.ProgressEnabled() {
		t.Error("no progress on a terminal")
	}
	ios.dumbTerm = true
	if ios.ProgressEnabled() {
		t.Error("progress on TERM=dumb")
	}
}
