package inspect

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/cli/dbflags"
	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/internal/iostreams"
	"github.com/dbtool/dbtool/metadata"
)

// newDB creates a SQLite database holding a small schema, through the
// engine, and returns its URL.
func newDB(t *testing.T) string {
	t.Helper()
	url := "sqlite:///" + filepath.ToSlash(filepath.Join(t.TempDir(), "app.db"))
	m, err := metadata.Parse("schema.yaml", []byte(`tables:
  - name: users
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: email, type: text, nullable: false, unique: true}
views:
  - {name: v, definition: "SELECT id FROM users"}
`))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	eng, err := engine.Open(ctx, url, engine.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	if _, err := eng.CreateAll(ctx, m, engine.CreateAllOptions{}); err != nil {
		t.Fatal(err)
	}
	return url
}

func options(url, format string) (*Options, *iostreams.IOStreams, *bytes.Buffer, *bytes.Buffer) {
	ios, _, out, errOut := iostreams.Test()
	f := &factory.Factory{IOStreams: ios, Getenv: func(string) string { return "" }, OpenEngine: engine.Open}
	return &Options{
		Factory: f,
		IO:      ios,
		DB:      &dbflags.Flags{URL: url, Timeout: dbflags.DefaultTimeout},
		Format:  format,
	}, ios, out, errOut
}

// TestRunInspectColour: the text listing is coloured on a terminal only,
// and the other formats never are: they are for files and programs.
func TestRunInspectColour(t *testing.T) {
	url := newDB(t)
	for _, tc := range []struct {
		name, format      string
		tty, noColorEnv   bool
		noColorFlag, want bool
	}{
		{name: "text on a terminal", format: FormatText, tty: true, want: true},
		{name: "text piped", format: FormatText},
		{name: "text on a terminal, NO_COLOR", format: FormatText, tty: true, noColorEnv: true},
		{name: "text on a terminal, --no-color", format: FormatText, tty: true, noColorFlag: true},
		{name: "yaml on a terminal", format: FormatYAML, tty: true},
		{name: "json on a terminal", format: FormatJSON, tty: true},
		{name: "sql on a terminal", format: FormatSQL, tty: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts, ios, out, errOut := options(url, tc.format)
			ios.SetStdoutTTY(tc.tty)
			ios.SetNoColorEnv(tc.noColorEnv)
			if tc.noColorFlag {
				ios.DisableColor()
			}
			if err := runInspect(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			got := out.String()
			if !strings.Contains(got, "users") {
				t.Fatalf("output does not show table users:\n%s", got)
			}
			if has := strings.Contains(got, "\x1b["); has != tc.want {
				t.Errorf("escape codes: %v, want %v:\n%q", has, tc.want, got)
			}
			if errOut.Len() > 0 {
				t.Errorf("stderr: %s", errOut)
			}
		})
	}
}

// TestRunInspectYAMLIsSchemaFile: the yaml and json outputs parse back
// into the inspected model.
func TestRunInspectYAMLIsSchemaFile(t *testing.T) {
	url := newDB(t)
	for _, format := range []string{FormatYAML, FormatJSON} {
		opts, _, out, _ := options(url, format)
		if err := runInspect(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		m, err := metadata.Parse("inspected."+format, out.Bytes())
		if err != nil {
			t.Fatalf("%s output is not a schema file: %v\n%s", format, err, out)
		}
		if len(m.Tables) != 1 || m.Tables[0].Name != "users" || len(m.Views) != 1 {
			t.Errorf("%s output parses to %+v", format, m)
		}
	}
}

// TestRunInspectMissingFile: inspect never creates a database.
func TestRunInspectMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.db")
	opts, _, _, _ := options(path, FormatText)
	err := runInspect(context.Background(), opts)
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("error %v, want one saying the database does not exist", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s exists after inspect (stat: %v)", path, err)
	}
}

// TestRunInspectDiagramWarning: a diagram of more tables than anyone can
// read warns on stderr and is still drawn; --around narrows it and does
// not warn.
func TestRunInspectDiagramWarning(t *testing.T) {
	url := "sqlite:///" + filepath.ToSlash(filepath.Join(t.TempDir(), "big.db"))
	m := &metadata.MetaData{}
	for i := 0; i <= 400; i++ {
		tb := metadata.Table{Name: fmt.Sprintf("t%03d", i), Columns: []metadata.Column{{Name: "id", Type: metadata.Integer{Bytes: 4}}}}
		tb.PrimaryKey = &metadata.PrimaryKey{Columns: []string{"id"}}
		if i > 0 {
			tb.Columns = append(tb.Columns, metadata.Column{Name: "parent", Type: metadata.Integer{Bytes: 4}, Nullable: true})
			tb.ForeignKeys = []metadata.ForeignKey{{Columns: []string{"parent"}, References: metadata.ForeignKeyTarget{Table: fmt.Sprintf("t%03d", i-1), Columns: []string{"id"}}}}
		}
		m.Tables = append(m.Tables, tb)
	}
	ctx := context.Background()
	eng, err := engine.Open(ctx, url, engine.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.CreateAll(ctx, m, engine.CreateAllOptions{}); err != nil {
		t.Fatal(err)
	}
	eng.Close()
	for _, format := range []string{FormatMermaid, FormatDOT, FormatSVG} {
		opts, _, out, errOut := options(url, format)
		if err := runInspect(ctx, opts); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(errOut.String(), "warning: a diagram of 401 tables and views will not be readable") {
			t.Errorf("%s: stderr %q", format, errOut.String())
		}
		if !strings.Contains(out.String(), "t400") {
			t.Errorf("%s: t400 is not drawn", format)
		}
		opts, _, out, errOut = options(url, format)
		opts.Around, opts.Depth = "t200", 2
		if err := runInspect(ctx, opts); err != nil {
			t.Fatal(err)
		}
		if errOut.Len() > 0 {
			t.Errorf("%s --around: stderr %q", format, errOut.String())
		}
		for _, want := range []string{"t198", "t199", "t200", "t201", "t202"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s --around t200 --depth 2: no %s", format, want)
			}
		}
		if strings.Contains(out.String(), "t197") || strings.Contains(out.String(), "t203") {
			t.Errorf("%s --around t200 --depth 2: more than 2 hops", format)
		}
	}
}
