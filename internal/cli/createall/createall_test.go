package createall

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/cli/dbflags"
	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/internal/iostreams"
)

const schema = `tables:
  - name: users
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: email, type: text, nullable: false, unique: true}
  - name: posts
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: user_id, type: integer}
    foreign_keys:
      - {columns: [user_id], references: {table: users, columns: [id]}}
`

// setup writes the schema and returns options for a create-all of it into
// a new SQLite file, with the streams to inspect.
func setup(t *testing.T) (*Options, *iostreams.IOStreams, *bytes.Buffer, *bytes.Buffer, string) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "schema.yaml")
	if err := os.WriteFile(file, []byte(schema), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "app.db")
	ios, _, out, errOut := iostreams.Test()
	f := &factory.Factory{IOStreams: ios, Getenv: func(string) string { return "" }, OpenEngine: engine.Open}
	opts := &Options{
		Factory: f,
		IO:      ios,
		DB:      &dbflags.Flags{URL: "sqlite:///" + filepath.ToSlash(db), Timeout: dbflags.DefaultTimeout},
		Files:   []string{file},
	}
	return opts, ios, out, errOut, db
}

func TestRunCreateAllColour(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tty     bool
		noColor bool
		want    bool
	}{
		{"terminal", true, false, true},
		{"pipe", false, false, false},
		{"terminal with NO_COLOR", true, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts, ios, out, _, _ := setup(t)
			ios.SetStdoutTTY(tc.tty)
			ios.SetNoColorEnv(tc.noColor)
			for range 2 { // created, then skipped
				if err := runCreateAll(context.Background(), opts); err != nil {
					t.Fatal(err)
				}
			}
			got := out.String()
			if has := strings.Contains(got, "\x1b["); has != tc.want {
				t.Errorf("escape codes: %v, want %v; output:\n%q", has, tc.want, got)
			}
			plain := stripEscapes(got)
			for _, want := range []string{`created table "users"`, `created table "posts"`, `table "users" exists, skipped`} {
				if !strings.Contains(plain, want+"\n") {
					t.Errorf("output lacks %q:\n%s", want, plain)
				}
			}
		})
	}
}

func stripEscapes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestRunCreateAllDryRunCreatesNoFile(t *testing.T) {
	opts, _, out, _, db := setup(t)
	opts.DryRun = true
	if err := runCreateAll(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("dry run: %s exists (stat: %v), want it absent", db, err)
	}
	if got := out.String(); !strings.Contains(got, "CREATE TABLE") || !strings.HasSuffix(strings.TrimSpace(got), ";") {
		t.Errorf("dry run printed:\n%s\nwant CREATE statements ending with ;", got)
	}
}

// TestRunCreateAllFailureLeavesNoFile: when create-all fails on a file it
// created, the empty file is removed.
func TestRunCreateAllFailureLeavesNoFile(t *testing.T) {
	opts, _, _, _, db := setup(t)
	bad := filepath.Join(filepath.Dir(db), "bad.yaml")
	if err := os.WriteFile(bad, []byte("views:\n  - {name: v, definition: \"SELEC 1\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts.Files = append(opts.Files, bad)
	err := runCreateAll(context.Background(), opts)
	if err == nil || !strings.Contains(err.Error(), `view "v"`) {
		t.Fatalf("error %v, want one naming view \"v\"", err)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("%s exists after a failed create-all (stat: %v), want it removed", db, err)
	}
}

func TestRunCreateAllTableFilter(t *testing.T) {
	opts, _, out, _, _ := setup(t)
	opts.DB.Tables = []string{"users"}
	if err := runCreateAll(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, `created table "users"`) || strings.Contains(got, "posts") {
		t.Errorf("--table users created:\n%s", got)
	}
	out.Reset()
	opts.DB.Tables = []string{"posts"}
	opts.DB.Exclude = nil
	if err := runCreateAll(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, `created table "posts"`) {
		t.Errorf("--table posts after users created:\n%s", got)
	}
}

// TestRunCreateAllMissingDependency: --table posts on an empty database
// cannot create posts without users, which the filter leaves out.
func TestRunCreateAllMissingDependency(t *testing.T) {
	opts, _, out, _, db := setup(t)
	opts.DB.Tables = []string{"posts"}
	err := runCreateAll(context.Background(), opts)
	if err == nil {
		t.Fatalf("no error; output:\n%s", out)
	}
	for _, want := range []string{`table "posts" needs table "users"`, "does not have"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("%s exists after a refused create-all (stat: %v)", db, err)
	}
}

// TestRunCreateAllProgress: on a terminal, stderr shows "k/N object
// (elapsed)" rewritten in place and erased at the end; piped, nothing.
func TestRunCreateAllProgress(t *testing.T) {
	for _, tty := range []bool{true, false} {
		opts, ios, out, errOut, _ := setup(t)
		ios.SetStderrTTY(tty)
		clock := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		opts.Now = func() time.Time { clock = clock.Add(200 * time.Millisecond); return clock }
		if err := runCreateAll(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		got := errOut.String()
		if !tty {
			if got != "" {
				t.Errorf("piped: stderr %q, want nothing", got)
			}
			continue
		}
		want := "\r\x1b[K1/2 table \"users\" (0.2s)\r\x1b[K2/2 table \"posts\" (0.4s)\r\x1b[K"
		if got != want {
			t.Errorf("terminal: stderr %q, want %q", got, want)
		}
		if !strings.HasPrefix(out.String(), "created table \"users\"\n") {
			t.Errorf("stdout %q", out.String())
		}
	}
}
