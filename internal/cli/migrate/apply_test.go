package migrate

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/internal/cli/dbflags"
	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/internal/iostreams"
	"github.com/dbtool/dbtool/metadata"
)

const schemaA = `tables:
  - name: users
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: email, type: text}
`

const schemaB = `tables:
  - name: users
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: email, type: text}
      - {name: bio, type: text}
`

// applySetup makes a SQLite file at schemaA and returns apply options
// for schemaB on a terminal (stdin and stderr), with the answer typed in,
// and the streams' buffers.
func applySetup(t *testing.T, answer string) (*ApplyOptions, *bytes.Buffer, *bytes.Buffer, string) {
	t.Helper()
	dir := t.TempDir()
	url := "sqlite:///" + filepath.ToSlash(filepath.Join(dir, "app.db"))
	a, err := metadata.Parse("a.yaml", []byte(schemaA))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.Open(context.Background(), url, engine.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	if _, err := eng.CreateAll(context.Background(), a, engine.CreateAllOptions{}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "b.yaml")
	if err := os.WriteFile(file, []byte(schemaB), 0o644); err != nil {
		t.Fatal(err)
	}
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(answer)
	ios.SetStdinTTY(true)
	ios.SetStderrTTY(true)
	f := &factory.Factory{IOStreams: ios, Getenv: func(string) string { return "" }, OpenEngine: engine.Open}
	opts := &ApplyOptions{
		Factory: f, IO: ios, Files: []string{file},
		DB:          &dbflags.Flags{URL: url, Timeout: dbflags.DefaultTimeout},
		LockTimeout: time.Minute, now: time.Now,
	}
	return opts, out, errOut, url
}

// state reads whether users has bio, and how many migrations the history
// holds.
func state(t *testing.T, url string) (bio bool, history int) {
	t.Helper()
	eng, err := engine.Open(context.Background(), url, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	res, err := eng.Inspect(context.Background(), inspector.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := eng.History(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res.Schema.Table(metadata.TableRef{Name: "users"}).Column("bio") != nil, len(h)
}

// TestRunApplyPrompt: on a terminal, apply shows the plan and asks; "y"
// applies it, anything else (or no answer) applies nothing and says so.
func TestRunApplyPrompt(t *testing.T) {
	for _, tc := range []struct {
		answer  string
		applied bool
	}{
		{"y\n", true},
		{"yes\n", true},
		{"n\n", false},
		{"\n", false},
		{"", false},
	} {
		t.Run(strings.TrimSpace(tc.answer), func(t *testing.T) {
			opts, out, errOut, url := applySetup(t, tc.answer)
			if err := runApply(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			stdout, stderr := out.String(), errOut.String()
			if !strings.Contains(stdout+stderr, `+ column "bio"`) {
				t.Errorf("the plan was not shown:\nstdout:\n%s\nstderr:\n%s", stdout, stderr)
			}
			if !strings.Contains(stderr, "Apply these 1 change(s) to sqlite:///") || !strings.Contains(stderr, "? [y/N] ") {
				t.Errorf("no question on stderr:\n%s", stderr)
			}
			bio, history := state(t, url)
			if bio != tc.applied || history != map[bool]int{true: 1, false: 0}[tc.applied] {
				t.Errorf("column added %v, %d history rows; want applied %v", bio, history, tc.applied)
			}
			if tc.applied != strings.Contains(stdout, "applied 1 change(s)") {
				t.Errorf("stdout does not say whether it applied:\n%s", stdout)
			}
			if !tc.applied && !strings.Contains(stderr, "not applied") {
				t.Errorf("stderr does not say nothing was applied:\n%s", stderr)
			}
		})
	}
}

// TestRunApplyNoTerminal: without a terminal to ask on, apply refuses
// unless --auto-approve, and never reads standard input.
func TestRunApplyNoTerminal(t *testing.T) {
	opts, _, _, url := applySetup(t, "y\n")
	opts.IO.SetStdinTTY(false)
	err := runApply(context.Background(), opts)
	if err == nil || !strings.Contains(err.Error(), "pass --auto-approve") {
		t.Fatalf("error %v, want one saying to pass --auto-approve", err)
	}
	if bio, history := state(t, url); bio || history != 0 {
		t.Errorf("applied without approval: column %v, %d history rows", bio, history)
	}
	opts.AutoApprove = true
	if err := runApply(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if bio, history := state(t, url); !bio || history != 1 {
		t.Errorf("with --auto-approve: column %v, %d history rows", bio, history)
	}
}
