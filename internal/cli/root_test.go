package cli

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/internal/iostreams"
	_ "modernc.org/sqlite"
)

func testFactory(env map[string]string) (*factory.Factory, *bytes.Buffer, *bytes.Buffer) {
	ios, _, out, errOut := iostreams.Test()
	return &factory.Factory{
		IOStreams:  ios,
		Getenv:     func(k string) string { return env[k] },
		OpenEngine: engine.Open,
	}, out, errOut
}

// TestHelpListsEveryCommand checks that --help lists the commands a user
// can run, completion included (cobra adds it, and can hide it).
func TestHelpListsEveryCommand(t *testing.T) {
	f, out, errOut := testFactory(nil)
	if code := Run(context.Background(), f, []string{"--help"}); code != ExitOK {
		t.Fatalf("exit code %d: %s", code, errOut)
	}
	for _, name := range []string{"completion", "create-all", "inspect", "version"} {
		if !strings.Contains(out.String(), "\n  "+name+" ") {
			t.Errorf("--help does not list %s:\n%s", name, out)
		}
	}
	f, out, errOut = testFactory(nil)
	if code := Run(context.Background(), f, []string{"completion", "bash"}); code != ExitOK || !strings.Contains(out.String(), "__start_dbtool") {
		t.Errorf("completion bash: exit code %d, stderr %s, stdout starts %.80q", code, errOut, out)
	}
}

func TestRunExitCodes(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name       string
		args       []string
		code       int
		stderr     string
		emptyStdio bool
	}{
		{name: "version", args: []string{"version"}, code: ExitOK},
		{name: "help", args: []string{"--help"}, code: ExitOK},
		{name: "unknown command", args: []string{"frob"}, code: ExitError, stderr: `dbtool: unknown command "frob" for "dbtool"` + "\n", emptyStdio: true},
		{name: "bad flag", args: []string{"inspect", "--frob"}, code: ExitError, stderr: "dbtool: unknown flag: --frob (see dbtool inspect --help)\n", emptyStdio: true},
		{name: "no URL", args: []string{"inspect"}, code: ExitError, stderr: "dbtool: no database URL: pass --url or set DATABASE_URL\n", emptyStdio: true},
		{
			name: "missing database", args: []string{"inspect", "--url", filepath.Join(dir, "none.db")}, code: ExitError,
			stderr: "dbtool: SQLite database " + filepath.Join(dir, "none.db") + ": database does not exist\n", emptyStdio: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, out, errOut := testFactory(nil)
			if code := Run(context.Background(), f, tc.args); code != tc.code {
				t.Errorf("exit code %d, want %d; stderr: %s", code, tc.code, errOut)
			}
			if tc.stderr != "" && errOut.String() != tc.stderr {
				t.Errorf("stderr %q, want %q", errOut, tc.stderr)
			}
			if tc.emptyStdio && out.Len() > 0 {
				t.Errorf("stdout %q, want nothing", out)
			}
			if tc.code == ExitOK && errOut.Len() > 0 {
				t.Errorf("stderr %q on success", errOut)
			}
		})
	}
}

func TestRunInterruptedBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f, _, errOut := testFactory(map[string]string{"DATABASE_URL": "postgresql://u@127.0.0.1:1/db"})
	if code := Run(ctx, f, []string{"inspect"}); code != ExitInterrupted {
		t.Errorf("exit code %d, want %d; stderr: %s", code, ExitInterrupted, errOut)
	}
	if got := errOut.String(); !strings.HasPrefix(got, "dbtool: interrupted") || strings.Count(got, "dbtool:") != 1 {
		t.Errorf("stderr %q, want one \"dbtool: interrupted\" line", got)
	}
}

// cancelOnNth cancels a context when the nth statement starting with
// prefix is echoed: create-all echoes each statement just before sending
// it, so the cancellation lands inside the transaction, after earlier
// statements ran.
type cancelOnNth struct {
	mu     sync.Mutex
	prefix string
	n      int
	cancel context.CancelFunc
	buf    bytes.Buffer
}

func (w *cancelOnNth) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for _, line := range strings.Split(string(p), "\n") {
		if strings.HasPrefix(line, w.prefix) {
			if w.n--; w.n == 0 {
				w.cancel()
			}
		}
	}
	return len(p), nil
}

// TestRunInterruptedRollsBack: cancelling the context (what Ctrl-C does)
// while create-all is inside its transaction exits with 130 and leaves the
// database as it was: the tables created before the interruption are
// rolled back.
func TestRunInterruptedRollsBack(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE existing (id INTEGER)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	schema := filepath.Join(dir, "schema.yaml")
	if err := os.WriteFile(schema, []byte(`tables:
  - {name: a, columns: [{name: id, type: integer}]}
  - {name: b, columns: [{name: id, type: integer}]}
  - {name: c, columns: [{name: id, type: integer}]}
`), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f, out, _ := testFactory(nil)
	echo := &cancelOnNth{prefix: "CREATE TABLE", n: 3, cancel: cancel}
	f.IOStreams.ErrOut = echo
	code := Run(ctx, f, []string{"create-all", "--url", path, "-f", schema, "--echo"})
	if code != ExitInterrupted {
		t.Errorf("exit code %d, want %d; stdout %s; stderr:\n%s", code, ExitInterrupted, out, echo.buf.String())
	}
	if n := strings.Count(echo.buf.String(), "CREATE TABLE"); n != 3 {
		t.Fatalf("%d CREATE TABLE statements echoed, want 3 (two sent, the third interrupted):\n%s", n, echo.buf.String())
	}
	if !strings.Contains(echo.buf.String(), "dbtool: interrupted") {
		t.Errorf("stderr lacks \"dbtool: interrupted\":\n%s", echo.buf.String())
	}

	db, err = sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var names []string
	rows, err := db.Query("SELECT name FROM sqlite_schema ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if got := strings.Join(names, ","); got != "existing" {
		t.Errorf("tables after the interrupted create-all: %s, want only existing", got)
	}
}

func TestMemoryLimit(t *testing.T) {
	f, _, _ := testFactory(nil)
	root := NewCmdRoot(f)
	for args, want := range map[string]int64{
		"migrate plan --url sqlite:///x.db -f s.yaml":  200 << 20,
		"diff --from a.yaml --to b.yaml":               200 << 20,
		"migrate apply --url sqlite:///x.db -f s.yaml": defaultMemoryLimit,
		"create-all --url sqlite:///x.db -f s.yaml":    defaultMemoryLimit,
		"no-such-command":                              defaultMemoryLimit,
		"":                                             defaultMemoryLimit,
	} {
		if got := memoryLimit(root, strings.Fields(args)); got != want {
			t.Errorf("dbtool %s: memory limit %d MiB, want %d MiB", args, got>>20, want>>20)
		}
	}
}
