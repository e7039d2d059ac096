package postgres

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/dbtool/dbtool/metadata"
	"github.com/google/go-cmp/cmp"
)

// corpusDir holds real public schemas, shared by the project's checkouts.
var corpusDir = filepath.Join("..", "..", "..", "shared", "corpus", "postgres")

// TestCorpus loads each real schema with psql, inspects it, creates what
// was inspected in a fresh database and inspects that: the two models must
// be equal, and pg_dump --schema-only of the two databases must agree on
// every object dbtool manages.
func TestCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.sql"))
	if len(files) == 0 {
		t.Skipf("no corpus of real PostgreSQL schemas in %s (the shared/ directory beside the checkout)", corpusDir)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".sql"), func(t *testing.T) {
			t.Parallel()
			orig := newDB(t)
			psql := pgtest.Bin("psql")
			if psql == "" {
				t.Fatal("psql is not installed")
			}
			run(t, psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", orig.url, "-f", file)
			first := orig.inspect(inspector.Options{})
			if err := metadata.Validate(first.Schema); err != nil {
				t.Fatalf("the inspected model does not validate:\n%v", err)
			}
			// The model must also survive the schema-file format.
			yml, err := metadata.EncodeYAML(first.Schema)
			if err != nil {
				t.Fatal(err)
			}
			fromFile, err := metadata.Parse("inspected.yaml", yml)
			if err != nil {
				t.Fatalf("the inspected model's YAML does not read back: %v", err)
			}
			if diff := diffModels(first.Schema, fromFile); diff != "" {
				t.Fatalf("the inspected model changes through YAML (-inspected +read back):\n%s", diff)
			}

			copyDB := newDB(t)
			copyDB.createAll(fromFile)
			second := copyDB.inspect(inspector.Options{})
			if diff := diffModels(first.Schema, second.Schema); diff != "" {
				t.Errorf("inspect -> create-all -> inspect changed the model (-original +copy):\n%s", diff)
			}
			if extra := newWarnings(first.Warnings, second.Warnings); len(extra) > 0 {
				t.Errorf("the copy warns of what the original did not: %q", extra)
			}

			pgDump := pgtest.Bin("pg_dump")
			if pgDump == "" {
				t.Fatal("pg_dump is not installed")
			}
			dumpOrig := dumpObjects(t, run(t, pgDump, "--schema-only", "--no-owner", "--no-privileges", "-d", orig.url))
			dumpCopy := dumpObjects(t, run(t, pgDump, "--schema-only", "--no-owner", "--no-privileges", "-d", copyDB.url))
			// What dbtool does not manage is in the original only, and
			// must have been reported: rules, and a comment on the default
			// namespace (which the model does not hold as an object).
			reported := func(o dumpObject) bool {
				return slices.ContainsFunc(first.Warnings, func(w string) bool {
					for _, word := range strings.Fields(o.name) {
						if !strings.Contains(strings.ToLower(w), strings.ToLower(word)) {
							return false
						}
					}
					return true
				})
			}
			var kept []dumpObject
			for _, o := range dumpOrig {
				unmanaged := !managedDumpTypes[o.kind] || o.kind == "COMMENT" && o.name == "SCHEMA public"
				if !unmanaged {
					kept = append(kept, o)
				} else if !reported(o) {
					t.Errorf("pg_dump has %s %s, which inspect neither reflected nor reported", o.kind, o.name)
				}
			}
			dumpOrig = kept
			dumpCopy = slices.DeleteFunc(dumpCopy, func(o dumpObject) bool { return o.kind == "COMMENT" && o.name == "SCHEMA public" })
			if diff := cmp.Diff(managed(dumpOrig), managed(dumpCopy)); diff != "" {
				t.Errorf("pg_dump of the original and of the copy disagree (-original +copy):\n%s", diff)
			}
			t.Logf("%d tables, %d views, %d functions, %d objects in pg_dump compared; warnings: %q",
				len(first.Schema.Tables), len(first.Schema.Views), len(first.Schema.Functions), len(managed(dumpOrig)), first.Warnings)
		})
	}
}

// run runs a program and returns its output; a failure fails the test.
func run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10")
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", filepath.Base(name), err, errOut.String())
	}
	return out.Bytes()
}

// dumpObject is one object of a pg_dump script: the "Type" and "Name" of
// its "-- Name: ...; Type: ...;" header and its statements.
type dumpObject struct {
	kind, name, sql string
}

// managedDumpTypes are the kinds of pg_dump objects dbtool creates. The
// others are rules (reported as warnings), and what a fresh database has
// anyway (the public schema's comment, privileges) or pg_dump's own
// settings, which --no-owner and --no-privileges mostly leave out.
var managedDumpTypes = map[string]bool{
	"TABLE": true, "TABLE ATTACH": true, "VIEW": true, "MATERIALIZED VIEW": true,
	"SEQUENCE": true, "SEQUENCE OWNED BY": true, "DEFAULT": true,
	"CONSTRAINT": true, "FK CONSTRAINT": true, "CHECK CONSTRAINT": true,
	"INDEX": true, "INDEX ATTACH": true, "TRIGGER": true, "POLICY": true, "ROW SECURITY": true,
	"TYPE": true, "DOMAIN": true, "FUNCTION": true, "PROCEDURE": true, "AGGREGATE": true,
	"SCHEMA": true, "EXTENSION": true, "COMMENT": true,
}

var dumpHeader = regexp.MustCompile(`(?m)^-- Name: (.*?); Type: (.*?); Schema: .*$`)

// dumpObjects splits a pg_dump script into its objects. Statements are
// compared with their whitespace collapsed; pg_dump's own lines (SET,
// set_config, comments) are dropped.
func dumpObjects(t *testing.T, script []byte) []dumpObject {
	t.Helper()
	s := string(script)
	locs := dumpHeader.FindAllStringSubmatchIndex(s, -1)
	if len(locs) == 0 {
		t.Fatalf("pg_dump printed no object:\n%s", s)
	}
	var out []dumpObject
	for i, loc := range locs {
		end := len(s)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		var lines []string
		for _, line := range strings.Split(s[loc[1]:end], "\n") {
			// pg_dump's own lines: comments, settings, and the \restrict
			// guard of recent versions, whose key is random.
			if strings.HasPrefix(line, "--") || strings.HasPrefix(line, "SET ") ||
				strings.HasPrefix(line, "SELECT pg_catalog.set_config") ||
				strings.HasPrefix(line, `\restrict `) || strings.HasPrefix(line, `\unrestrict `) {
				continue
			}
			lines = append(lines, line)
		}
		out = append(out, dumpObject{
			kind: s[loc[4]:loc[5]],
			name: s[loc[2]:loc[3]],
			sql:  strings.Join(strings.Fields(strings.Join(lines, "\n")), " "),
		})
	}
	return out
}

// managed returns the statements of the objects dbtool manages, sorted.
func managed(objs []dumpObject) []string {
	var out []string
	for _, o := range objs {
		// An object left empty held only what --no-owner and
		// --no-privileges leave out (ALTER SCHEMA public OWNER TO ...).
		if managedDumpTypes[o.kind] && o.sql != "" {
			out = append(out, o.kind+" "+o.name+": "+o.sql)
		}
	}
	slices.Sort(out)
	return out
}
