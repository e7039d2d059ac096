// Package iostreams holds the standard streams a command reads and writes,
// and decides whether its output is coloured. Commands get one IOStreams
// value from the CLI's factory and never touch os.Stdout or the colour
// library's global switch themselves, so tests can run them with buffers
// and pick the terminal they pretend to write to.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"github.com/fatih/color"
	"github.com/mattn/go-colorable"
	"github.com/mattn/go-isatty"
)

// IOStreams are the streams of one run of the CLI.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdoutTTY bool
	// stderrTTY is stderr being a terminal: progress is shown only there.
	stderrTTY bool
	// stdinTTY is stdin being a terminal: a person who can answer a prompt.
	stdinTTY bool
	// noColorEnv is NO_COLOR set to a non-empty value (https://no-color.org),
	// or TERM=dumb.
	noColorEnv bool
	// forceColor is CLICOLOR_FORCE set to a non-zero value: colour even
	// when stdout is not a terminal (NO_COLOR still wins).
	forceColor bool
	// colorDisabled is --no-color.
	colorDisabled bool
	// dumbTerm is TERM=dumb: a terminal that cannot rewrite a line.
	dumbTerm bool
}

// System returns the process's streams, reading the terminal and the
// colour environment (NO_COLOR, TERM=dumb, CLICOLOR_FORCE) once.
func System() *IOStreams {
	tty := isTerminal(os.Stdout)
	s := &IOStreams{
		In:         os.Stdin,
		Out:        os.Stdout,
		ErrOut:     os.Stderr,
		stdoutTTY:  tty,
		stderrTTY:  isTerminal(os.Stderr),
		stdinTTY:   isTerminal(os.Stdin),
		noColorEnv: os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb",
		dumbTerm:   os.Getenv("TERM") == "dumb",
		forceColor: os.Getenv("CLICOLOR_FORCE") != "" && os.Getenv("CLICOLOR_FORCE") != "0",
	}
	if tty {
		// On Windows this turns escape sequences into console calls where
		// the console does not understand them; elsewhere it is os.Stdout.
		s.Out = colorable.NewColorable(os.Stdout)
	}
	return s
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// Test returns streams over buffers, for tests: not a terminal, no colour
// environment. SetStdoutTTY and SetNoColorEnv pretend otherwise.
func Test() (s *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// SetStdoutTTY says whether stdout is a terminal.
func (s *IOStreams) SetStdoutTTY(tty bool) { s.stdoutTTY = tty }

// SetStderrTTY says whether stderr is a terminal.
func (s *IOStreams) SetStderrTTY(tty bool) { s.stderrTTY = tty }

// ProgressEnabled reports whether a long command may show its progress:
// only when stderr, where it goes, is a terminal (TERM=dumb aside), so
// that piped or redirected output never gets progress lines.
func (s *IOStreams) ProgressEnabled() bool {
	return s.stderrTTY && !s.dumbTerm
}

// SetNoColorEnv says whether the environment asks for no colour, as
// NO_COLOR does.
func (s *IOStreams) SetNoColorEnv(noColor bool) { s.noColorEnv = noColor }

// DisableColor turns colour off whatever the terminal, as --no-color does.
func (s *IOStreams) DisableColor() { s.colorDisabled = true }

// ColorEnabled reports whether stdout gets colour: only when it is a
// terminal (or CLICOLOR_FORCE asks for colour anyway), NO_COLOR is not set
// and --no-color was not given. Piped output is always plain, so scripts
// and diffs see stable text.
func (s *IOStreams) ColorEnabled() bool {
	if s.colorDisabled || s.noColorEnv {
		return false
	}
	return s.stdoutTTY || s.forceColor
}

// ColorScheme returns the colours for stdout, each switched on or off by
// ColorEnabled, never by the colour library's global state.
func (s *IOStreams) ColorScheme() *ColorScheme {
	return newColorScheme(s.ColorEnabled())
}

// ColorScheme is the palette the commands print with. Every function
// returns its argument unchanged when colour is off.
type ColorScheme struct {
	bold, dim, red, green, yellow, blue, magenta, cyan *color.Color
}

func newColorScheme(enabled bool) *ColorScheme {
	cs := &ColorScheme{}
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if enabled {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	cs.bold = mk(color.Bold)
	cs.dim = mk(color.Faint)
	cs.red = mk(color.FgRed)
	cs.green = mk(color.FgGreen)
	cs.yellow = mk(color.FgYellow)
	cs.blue = mk(color.FgBlue)
	cs.magenta = mk(color.FgMagenta)
	cs.cyan = mk(color.FgCyan)
	return cs
}

// Bold is for the names of tables, views and other top-level objects.
func (cs *ColorScheme) Bold(s string) string { return cs.bold.Sprint(s) }

// Dim is for what matters least: keywords, "nullable", punctuation.
func (cs *ColorScheme) Dim(s string) string { return cs.dim.Sprint(s) }

// Red is for errors and NOT NULL.
func (cs *ColorScheme) Red(s string) string { return cs.red.Sprint(s) }

// Green is for what was created.
func (cs *ColorScheme) Green(s string) string { return cs.green.Sprint(s) }

// Yellow is for warnings and what was skipped.
func (cs *ColorScheme) Yellow(s string) string { return cs.yellow.Sprint(s) }

// Blue is for keys and constraints.
func (cs *ColorScheme) Blue(s string) string { return cs.blue.Sprint(s) }

// Magenta is for defaults and expressions.
func (cs *ColorScheme) Magenta(s string) string { return cs.magenta.Sprint(s) }

// Cyan is for column types.
func (cs *ColorScheme) Cyan(s string) string { return cs.cyan.Sprint(s) }

// SetStdinTTY pretends stdin is (or is not) a terminal, for tests.
func (s *IOStreams) SetStdinTTY(tty bool) { s.stdinTTY = tty }

// CanPrompt reports whether a person can answer a question: stdin and
// stderr are terminals.
func (s *IOStreams) CanPrompt() bool { return s.stdinTTY && s.stderrTTY }
