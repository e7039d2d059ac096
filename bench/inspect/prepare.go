package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/dbtool/dbtool/bench/gen"
	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
	"github.com/google/go-cmp/cmp"
)

// prepareCommand runs this program as a child process that creates (or
// only checks) one database, and for -command plan writes the target
// schema. The measuring process keeps its own memory small this way: on
// Linux a child's peak RSS starts from its parent's (Go starts children
// with vfork, and exec keeps the high-water mark), so the parent must not
// hold a generated schema of thousands of tables.
const prepareCommand = "prepare"

// runPrepare is the prepare child: it generates the schema of a size,
// creates it in the database at -url when -create is set, and checks that
// dbtool inspect gives it back. With -target it also writes the target
// schema there (the generated one with about -changed of its tables
// edited) and checks what dbtool migrate plan makes of it.
func runPrepare(ctx context.Context, args []string, log io.Writer) error {
	fs := flag.NewFlagSet(prepareCommand, flag.ContinueOnError)
	db := fs.String("db", "sqlite", "database kind")
	url := fs.String("url", "", "database URL")
	size := fs.Int("size", 0, "table count")
	seed := fs.Int64("seed", 1, "seed")
	bin := fs.String("bin", "", "dbtool binary")
	create := fs.Bool("create", false, "create the schema first")
	target := fs.String("target", "", "where to write the target schema of migrate plan (none: inspect only)")
	changed := fs.Float64("changed", 0.05, "fraction of tables the target schema changes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	m := gen.Generate(*size, *seed)
	if *create {
		fmt.Fprintf(log, "%d tables: creating %d tables and %d views\n", *size, len(m.Tables), len(m.Views))
		start := time.Now()
		if err := createSchema(ctx, *url, m); err != nil {
			return err
		}
		fmt.Fprintf(log, "%d tables: created in %s; checking dbtool's output\n", *size, time.Since(start).Round(time.Millisecond))
	}
	tgt, ok := targets()[*db]
	if !ok {
		return fmt.Errorf("unknown -db %q", *db)
	}
	if err := verify(ctx, tgt, *bin, *url, m); err != nil {
		return err
	}
	if *target == "" {
		return nil
	}
	want := gen.EditTables(m, *changed, *seed)
	same := filepath.Join(filepath.Dir(*target), "same_"+filepath.Base(*target))
	for path, model := range map[string]*metadata.MetaData{*target: want, same: m} {
		if err := writeSchema(path, model); err != nil {
			return err
		}
	}
	return verifyPlan(ctx, *bin, *url, m, want, same, *target, log)
}

// writeSchema writes a model as a schema file.
func writeSchema(path string, m *metadata.MetaData) error {
	b, err := metadata.EncodeYAML(m)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, b, 0o644)
}

// normaliser is a target whose database rewrites some SQL text (view
// bodies, check expressions): verify compares models without it.
type normaliser interface {
	normalise(*metadata.MetaData) *metadata.MetaData
}

// createSchema creates m in the database at url with the engine, as
// `dbtool create-all` does.
func createSchema(ctx context.Context, url string, m *metadata.MetaData) error {
	eng, err := engine.Open(ctx, url, engine.Options{Create: true})
	if err != nil {
		return err
	}
	defer eng.Close()
	_, err = eng.CreateAll(ctx, m, engine.CreateAllOptions{})
	return err
}

// verify checks that dbtool inspect prints the generated schema, so that
// what is timed is a complete and correct inspection.
func verify(ctx context.Context, tgt target, bin, url string, m *metadata.MetaData) error {
	out, err := output(ctx, bin, "inspect", "--url", url, "--format", "yaml")
	if err != nil {
		return err
	}
	got, err := metadata.Parse("inspected.yaml", out)
	if err != nil {
		return fmt.Errorf("dbtool inspect printed YAML that does not read back: %w", err)
	}
	if n, ok := tgt.(normaliser); ok {
		m, got = n.normalise(m), n.normalise(got)
	}
	if diff := cmp.Diff(metadata.Canonical(m), metadata.Canonical(got)); diff != "" {
		return fmt.Errorf("dbtool inspect does not give back the generated schema (-generated +inspected):\n%s", diff)
	}
	return nil
}

// verifyPlan checks, before anything is timed, that what migrate plan
// computes is the edit and nothing else: against the generated schema
// itself it lists no change, and against the target exactly the changes
// (kinds and objects, in the tables too) that a diff of the two models
// gives, so that normalising in the scratch database hid no edit and
// invented none.
func verifyPlan(ctx context.Context, bin, url string, m, want *metadata.MetaData, same, target string, log io.Writer) error {
	none, err := planChanges(ctx, bin, url, same)
	if err != nil {
		return err
	}
	if len(none) > 0 {
		return fmt.Errorf("migrate plan against the generated schema itself lists %d change(s), want none: %s", len(none), strings.Join(none[:min(len(none), 10)], "; "))
	}
	got, err := planChanges(ctx, bin, url, target)
	if err != nil {
		return err
	}
	exp := changeList(migrate.Diff(m, want).Changes)
	if !sameEdits(got, exp) {
		return fmt.Errorf("migrate plan of %s does not list the edits:\n%s", target, cmp.Diff(exp, got))
	}
	tables, views := 0, 0
	for _, t := range want.Tables {
		if !reflect.DeepEqual(m.Table(t.Ref()), &t) {
			tables++
		}
	}
	for _, v := range want.Views {
		if !reflect.DeepEqual(m.View(v.Ref()), &v) {
			views++
		}
	}
	if tables == 0 {
		return fmt.Errorf("%s changes no table", target)
	}
	fmt.Fprintf(log, "%d tables: the plan of the target lists %d changes: %d tables (%.1f%%) and %d of %d views changed, as edited\n",
		len(m.Tables), len(got), tables, 100*float64(tables)/float64(len(m.Tables)), views, len(m.Views))
	return nil
}

// planChanges runs migrate plan --format json and returns its changes,
// and those inside each table, as sorted "kind object" lines.
func planChanges(ctx context.Context, bin, url, file string) ([]string, error) {
	out, err := output(ctx, bin, "migrate", "plan", "--url", url, "-f", file, "--format", "json")
	if err != nil {
		return nil, err
	}
	type change struct {
		Kind    string   `json:"kind"`
		Object  string   `json:"object"`
		Changes []change `json:"changes"`
	}
	var plan struct {
		Changes []change `json:"changes"`
	}
	if err := json.Unmarshal(out, &plan); err != nil {
		return nil, fmt.Errorf("migrate plan --format json: %w", err)
	}
	var lines []string
	for _, c := range plan.Changes {
		lines = append(lines, c.Kind+" "+c.Object)
		for _, tc := range c.Changes {
			lines = append(lines, c.Object+": "+tc.Kind+" "+tc.Object)
		}
	}
	slices.Sort(lines)
	return lines, nil
}

// changeList is planChanges's form of the changes of a diff.
func changeList(changes []migrate.Change) []string {
	var lines []string
	for _, c := range changes {
		lines = append(lines, reflect.TypeOf(c).Name()+" "+c.Object())
		if mt, ok := c.(migrate.ModifyTable); ok {
			for _, tc := range mt.Changes {
				lines = append(lines, c.Object()+": "+reflect.TypeOf(tc).Name()+" "+tc.Object())
			}
		}
	}
	slices.Sort(lines)
	return lines
}

// sameEdits compares a plan's changes with those of a diff of the two
// models (both sorted by changeList or planChanges). They may differ in
// one way: where the servers tell that a changed view keeps its columns,
// the plan replaces it in place (ReplaceView) and leaves the views that
// read it alone, where the model diff, which cannot tell, drops and
// creates them all.
func sameEdits(got, exp []string) bool {
	count := map[string]int{}
	for _, e := range exp {
		count[e]++
	}
	for _, g := range got {
		if obj, ok := strings.CutPrefix(g, "ReplaceView "); ok {
			g = "AddView " + obj
			count["DropView "+obj]--
		}
		count[g]--
	}
	// What is left over must be views the model diff recreates for
	// nothing: a DropView and an AddView each.
	for line, n := range count {
		kind, obj, _ := strings.Cut(line, " ")
		switch {
		case n == 0:
		case n == 1 && kind == "AddView" && count["DropView "+obj] == 1:
		case n == 1 && kind == "DropView" && count["AddView "+obj] == 1:
		default:
			return false
		}
	}
	return true
}

// output runs dbtool and returns what it printed.
func output(ctx context.Context, bin string, args ...string) ([]byte, error) {
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("dbtool %s: %w\n%s", strings.Join(args[:2], " "), err, errOut.String())
	}
	return out.Bytes(), nil
}
