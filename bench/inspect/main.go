// Command inspect benchmarks dbtool against the database's own schema
// dump on generated schemas of growing size. By default it times
// `dbtool inspect`, as issue 2 (SQLite, against `sqlite3 FILE .schema`)
// and issue 3 (PostgreSQL, against `pg_dump --schema-only`) ask:
//
//	go run ./bench/inspect -db sqlite -sizes 100,1000,5000 -runs 7
//
// With -command plan it times `dbtool migrate plan` against a target
// schema with about 5% of the tables changed, beside `dbtool inspect` and
// the reference, as the migrate-plan issue asks:
//
//	go run ./bench/inspect -command plan -db postgres
//
// It builds the dbtool binary, creates one database per size with the
// engine (bench/gen schemas: 8-20 columns, keys, foreign keys, indexes,
// views), checks once that `dbtool inspect --format yaml` gives back the
// generated schema (and for plan, that the plan lists exactly the edits),
// then runs the commands alternately, -runs times each after a warm-up,
// and prints per size the median wall and CPU time of each, their ratios,
// the time per table, how the time grew against the table count (1.00 is
// linear) and each one's peak resident memory.
//
// Each database kind is a target; targets() lists them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dbtool/dbtool/bench/timing"
)

// target is one kind of database the benchmark runs on.
type target interface {
	// setup creates, under dir, an empty database for a schema of size
	// tables and returns its URL and a function that removes it. The
	// benchmark then creates the schema in it with the engine.
	setup(ctx context.Context, dir string, size int) (url string, cleanup func(), err error)
	// reference returns the database's own schema dump of url, the
	// yardstick dbtool is timed against.
	reference(ctx context.Context, url string) *exec.Cmd
	// referenceName names the reference in the report.
	referenceName() string
}

// reuser is what a target implements when it can find the database a
// previous run kept (-keep), to skip creating it again with -reuse:
// creating thousands of tables takes minutes, since SQLite rereads its
// schema table after each statement. A reused database is used only if
// dbtool inspect gives back the generated schema from it.
type reuser interface {
	existing(ctx context.Context, dir string, size int) (url string, ok bool)
}

// targets lists the database kinds by their -db name.
func targets() map[string]target {
	return map[string]target{
		"sqlite":   sqliteTarget{},
		"postgres": postgresTarget{},
	}
}

// The commands -command chooses among.
const (
	commandInspect = "inspect"
	commandPlan    = "plan"
)

type options struct {
	db      string
	command string
	sizes   []int
	runs    int
	seed    int64
	dir     string
	keep    bool
	reuse   bool
	format  string
	changed float64
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) > 1 {
		if child, ok := children[os.Args[1]]; ok {
			if err := child(ctx, os.Args[2:], os.Stderr); err != nil {
				fmt.Fprintln(os.Stderr, "bench:", err)
				os.Exit(1)
			}
			return
		}
	}
	opts, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := run(ctx, opts, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// children are the subcommands this program runs as its own child
// process (see prepareCommand), by their first argument.
var children = map[string]func(ctx context.Context, args []string, log io.Writer) error{
	prepareCommand: runPrepare,
	profileCommand: runProfile,
}

func parseFlags(args []string) (*options, error) {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	opts := &options{}
	sizes := fs.String("sizes", "100,1000,5000", "comma-separated table counts")
	fs.StringVar(&opts.db, "db", "sqlite", "database kind: sqlite or postgres")
	fs.StringVar(&opts.command, "command", commandInspect, "what to time: inspect (against the reference) or plan (migrate plan, beside inspect and the reference)")
	fs.IntVar(&opts.runs, "runs", 7, "timed runs of each command per size")
	fs.Int64Var(&opts.seed, "seed", 1, "seed of the generated schemas")
	fs.StringVar(&opts.dir, "dir", "", "directory for the databases (default: a temporary one)")
	fs.BoolVar(&opts.keep, "keep", false, "keep the directory and databases afterwards")
	fs.BoolVar(&opts.reuse, "reuse", false, "use the databases a previous run kept in -dir when they hold the generated schema")
	fs.StringVar(&opts.format, "format", "yaml", "dbtool inspect's output format: yaml, json, sql or text")
	fs.Float64Var(&opts.changed, "changed", 0.05, "for -command plan: the fraction of tables the target schema changes")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-sizes: %q is not a table count", s)
		}
		opts.sizes = append(opts.sizes, n)
	}
	if opts.runs < 1 {
		return nil, errors.New("-runs must be at least 1")
	}
	if opts.command != commandInspect && opts.command != commandPlan {
		return nil, fmt.Errorf("-command %q: want inspect or plan", opts.command)
	}
	if opts.changed <= 0 || opts.changed > 1 {
		return nil, fmt.Errorf("-changed %v: want a fraction in (0, 1]", opts.changed)
	}
	return opts, nil
}

// bench is one run of the benchmark: the target and the built binary.
type bench struct {
	opts *options
	tgt  target
	bin  string
	log  io.Writer
}

func run(ctx context.Context, opts *options, stdout, log io.Writer) error {
	tgt, ok := targets()[opts.db]
	if !ok {
		return fmt.Errorf("-db %q: unknown (want one of %s)", opts.db, strings.Join(slices.Sorted(maps.Keys(targets())), ", "))
	}
	tmp, err := os.MkdirTemp("", "dbtool-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dir := opts.dir
	if dir == "" {
		dir = tmp
		if opts.keep {
			if dir, err = os.MkdirTemp("", "dbtool-bench-data-"); err != nil {
				return err
			}
			fmt.Fprintf(log, "keeping the databases in %s\n", dir)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b := &bench{opts: opts, tgt: tgt, bin: filepath.Join(tmp, "dbtool"), log: log}
	fmt.Fprintf(log, "building dbtool into %s\n", b.bin)
	build := exec.CommandContext(ctx, "go", "build", "-o", b.bin, "github.com/dbtool/dbtool/cmd/dbtool")
	build.Stdout, build.Stderr = log, log
	if err := build.Run(); err != nil {
		return fmt.Errorf("building dbtool: %w", err)
	}
	var results []result
	var names []string
	loadBefore := loadAverage()
	for _, size := range opts.sizes {
		r, n, err := b.measure(ctx, dir, size)
		if err != nil {
			return fmt.Errorf("%d tables: %w", size, err)
		}
		results, names = append(results, r), n
	}
	report(stdout, opts, tgt.referenceName(), names, results)
	fmt.Fprintf(stdout, "load average (1, 5, 15 min): %s before, %s after\n", loadBefore, loadAverage())
	return nil
}

// loadAverage returns the system's load averages, as uptime prints them:
// on a shared machine they say how far the wall times can be trusted.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// contender is one command the benchmark times.
type contender struct {
	// name is its short name in the report: plan, inspect, pg_dump.
	name string
	cmd  func() *exec.Cmd
}

// result is what one size measured, per contender in the report's order.
type result struct {
	size  int
	stats []stats
}

// stats are the wall and CPU (user and system) time of a run and its peak
// resident set size in KiB; of several runs, the medians and the largest.
type stats struct {
	wall, cpu time.Duration
	rss       int64
}

// measure creates (or reuses) the database of one size and times the
// contenders: first the one measured, last the reference.
func (b *bench) measure(ctx context.Context, dir string, size int) (result, []string, error) {
	res := result{size: size}
	tgt, opts := b.tgt, b.opts
	targetFile := ""
	if opts.command == commandPlan {
		// Beside the databases: -keep keeps it, for the profile child.
		targetFile = filepath.Join(dir, fmt.Sprintf("target_%s_%d.yaml", opts.db, size))
	}
	url, reused := "", false
	if r, ok := tgt.(reuser); ok && opts.reuse {
		if u, ok := r.existing(ctx, dir, size); ok {
			if err := b.prepare(ctx, u, size, targetFile, false); err == nil {
				fmt.Fprintf(b.log, "%d tables: reusing %s\n", size, u)
				url, reused = u, true
			}
		}
	}
	if !reused {
		u, cleanup, err := tgt.setup(ctx, dir, size)
		if err != nil {
			return res, nil, fmt.Errorf("setting up: %w", err)
		}
		if !opts.keep {
			defer cleanup()
		}
		url = u
		if err := b.prepare(ctx, url, size, targetFile, true); err != nil {
			return res, nil, err
		}
	}
	refName := strings.Fields(tgt.referenceName())[0]
	cs := []contender{
		{commandInspect, func() *exec.Cmd {
			return exec.CommandContext(ctx, b.bin, "inspect", "--url", url, "--format", opts.format)
		}},
		{refName, func() *exec.Cmd { return tgt.reference(ctx, url) }},
	}
	if opts.command == commandPlan {
		plan := contender{commandPlan, func() *exec.Cmd {
			return exec.CommandContext(ctx, b.bin, "migrate", "plan", "--url", url, "-f", targetFile)
		}}
		cs = append([]contender{plan}, cs...)
	}
	// One warm-up run of each, not counted: caches, page cache.
	for _, c := range cs {
		if _, err := timing.Run(c.cmd()); err != nil {
			return res, nil, err
		}
	}
	samples := make([][]timing.Sample, len(cs))
	for i := 0; i < opts.runs; i++ {
		for j, c := range cs {
			s, err := timing.Run(c.cmd())
			if err != nil {
				return res, nil, err
			}
			samples[j] = append(samples[j], s)
		}
	}
	names := make([]string, len(cs))
	var line []string
	for j, c := range cs {
		names[j] = c.name
		st := stats{
			wall: timing.Median(samples[j], func(s timing.Sample) time.Duration { return s.Wall }),
			cpu:  timing.Median(samples[j], func(s timing.Sample) time.Duration { return s.CPU }),
			rss:  timing.MaxRSS(samples[j]),
		}
		res.stats = append(res.stats, st)
		line = append(line, fmt.Sprintf("%s %s", c.name, st.wall.Round(time.Microsecond)))
	}
	fmt.Fprintf(b.log, "%d tables: %s\n", size, strings.Join(line, ", "))
	return res, names, nil
}

// prepare runs the prepare child for one database.
func (b *bench) prepare(ctx context.Context, url string, size int, targetFile string, create bool) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, self, prepareCommand, "-db", b.opts.db, "-url", url, "-size", strconv.Itoa(size),
		"-seed", strconv.FormatInt(b.opts.seed, 10), "-bin", b.bin, "-create="+strconv.FormatBool(create),
		"-target", targetFile, "-changed", strconv.FormatFloat(b.opts.changed, 'g', -1, 64))
	cmd.Stdout, cmd.Stderr = b.log, b.log
	return cmd.Run()
}
