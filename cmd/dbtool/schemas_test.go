package main

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/cli"
	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/internal/iostreams"
	"github.com/dbtool/dbtool/internal/pgtest"
)

// run runs dbtool in this process with args and the environment env, and
// returns its exit code, stdout and stderr.
func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	f := &factory.Factory{IOStreams: ios, Getenv: func(k string) string { return env[k] }, OpenEngine: engine.Open}
	code := cli.Run(context.Background(), f, args)
	return code, out.String(), errOut.String()
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := run(t, nil, args...)
	if code != 0 {
		t.Fatalf("dbtool %s: exit code %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

// TestInvalidSchemas runs create-all on every file of testdata/invalid:
// each must fail with exit code 1 and the message its first line gives
// ("# error: TEXT", or "# create-all error: TEXT" for one that loads and
// fails in the database), and leave no database file behind.
func TestInvalidSchemas(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "invalid")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("no testdata/invalid: %v", err)
	}
	expect := map[string][]string{
		// JSON has no comments: its expectation is in the README.
		"malformed_json.json": {"malformed_json.json:5:"},
		"dup_across":          {`duplicate name "users"`, "a.yaml", "b.yaml"},
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if name == "README.md" {
			continue
		}
		path, err := filepath.Abs(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want := expect[name]
		if want == nil {
			want = []string{firstLineExpectation(t, path)}
		}
		n++
		t.Run(name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "app.db")
			code, out, errOut := run(t, nil, "create-all", "--url", db, "-f", path)
			if code != cli.ExitError {
				t.Fatalf("exit code %d, want 1; stdout:\n%s", code, out)
			}
			if !strings.HasPrefix(errOut, "dbtool: ") {
				t.Errorf("stderr does not start with \"dbtool: \": %q", errOut)
			}
			for _, w := range want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if _, err := os.Stat(db); !os.IsNotExist(err) {
				t.Errorf("%s exists after a refused create-all", db)
			}
		})
	}
	if n == 0 {
		t.Skip("testdata/invalid is empty")
	}
}

func firstLineExpectation(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	line := sc.Text()
	for _, prefix := range []string{"# error: ", "# create-all error: "} {
		if s, ok := strings.CutPrefix(line, prefix); ok {
			return s
		}
	}
	t.Fatalf("%s: first line %q is not \"# error: TEXT\"", path, line)
	return ""
}

// schemaInputs lists the shared test schemas under testdata/schemas/dir:
// each YAML or JSON file, and each subdirectory (loaded whole).
func schemaInputs(t *testing.T, dir string) []string {
	t.Helper()
	root := filepath.Join("..", "..", "testdata", "schemas", dir)
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Skipf("no testdata/schemas/%s: %v", dir, err)
	}
	var out []string
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() && e.Name() != "postgres" && e.Name() != "sqlite" || ext == ".yaml" || ext == ".yml" || ext == ".json" {
			p, err := filepath.Abs(filepath.Join(root, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, p)
		}
	}
	return out
}

// TestSharedSchemasSQLite runs every portable and SQLite test schema
// through the CLI: a dry run creates no file; create-all; a second
// create-all creates nothing; inspect --format yaml is a create-all input
// that rebuilds a database inspecting the same, in every format.
func TestSharedSchemasSQLite(t *testing.T) {
	inputs := append(schemaInputs(t, ""), schemaInputs(t, "sqlite")...)
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			dir := t.TempDir()
			first, second := filepath.Join(dir, "first.db"), filepath.Join(dir, "second.db")

			plan := mustRun(t, "create-all", "--url", first, "-f", in, "--dry-run")
			if !strings.Contains(plan, "CREATE ") {
				t.Errorf("dry run printed no CREATE statement:\n%s", plan)
			}
			if _, err := os.Stat(first); !os.IsNotExist(err) {
				t.Fatalf("dry run created %s", first)
			}

			mustRun(t, "create-all", "--url", first, "-f", in)
			again := mustRun(t, "create-all", "--url", first, "-f", in)
			if !strings.Contains(again, "nothing to create") || strings.Contains(again, "created ") {
				t.Errorf("second create-all:\n%s\nwant nothing created", again)
			}

			roundTrip(t, "sqlite:///"+filepath.ToSlash(first), "sqlite:///"+filepath.ToSlash(second), dir)
		})
	}
}

// roundTrip inspects first as YAML, creates second from it, and checks
// that both inspect the same in every format.
func roundTrip(t *testing.T, first, second, dir string) {
	t.Helper()
	yml := mustRun(t, "inspect", "--url", first, "--format", "yaml")
	file := filepath.Join(dir, "inspected.yaml")
	if err := os.WriteFile(file, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "create-all", "--url", second, "-f", file)
	for _, format := range []string{"yaml", "json", "sql", "text"} {
		a := mustRun(t, "inspect", "--url", first, "--format", format)
		b := mustRun(t, "inspect", "--url", second, "--format", format)
		if a != b {
			t.Errorf("--format %s differs after the YAML round trip:\n--- first\n%s\n--- second\n%s", format, a, b)
		}
	}
}

// TestSharedSchemasPostgres does the same for the portable and PostgreSQL
// test schemas on a real server, each in fresh databases.
func TestSharedSchemasPostgres(t *testing.T) {
	inputs := append(schemaInputs(t, ""), schemaInputs(t, "postgres")...)
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			first, second := pgtest.URL(t), pgtest.URL(t)
			plan := mustRun(t, "create-all", "--url", first, "-f", in, "--dry-run")
			if !strings.Contains(plan, "CREATE ") {
				t.Errorf("dry run printed no CREATE statement:\n%s", plan)
			}
			if got := mustRun(t, "inspect", "--url", first, "--format", "yaml"); strings.Contains(got, "name:") {
				t.Fatalf("dry run changed the database:\n%s", got)
			}
			mustRun(t, "create-all", "--url", first, "-f", in)
			again := mustRun(t, "create-all", "--url", first, "-f", in)
			if !strings.Contains(again, "nothing to create") || strings.Contains(again, "created ") {
				t.Errorf("second create-all:\n%s\nwant nothing created", again)
			}
			roundTrip(t, first, second, t.TempDir())
		})
	}
}
