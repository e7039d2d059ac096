// Command inspect benchmarks `dbtool inspect` against the database's own
// schema dump on generated schemas of growing size, as issue 2 (SQLite,
// against `sqlite3 FILE .schema`) and issue 3 (PostgreSQL, against
// `pg_dump --schema-only`) ask:
//
//	go run ./bench/inspect -db sqlite -sizes 100,1000,5000 -runs 7
//
// It builds the dbtool binary, creates one database per size with the
// engine (bench/gen schemas: 8-20 columns, keys, foreign keys, indexes,
// views), checks once that `dbtool inspect --format yaml` gives back the
// generated schema, then runs dbtool and the reference alternately, -runs
// times each after a warm-up, and prints per size the median wall time of
// each, their ratio, the time per table, how the time grew against the
// table count (1.00 is linear) and dbtool's peak resident memory.
//
// Each database kind is a target; targets() lists them.
package main

import (
	"bytes"
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
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/dbtool/dbtool/bench/gen"
	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/metadata"
	"github.com/google/go-cmp/cmp"
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

type options struct {
	db     string
	sizes  []int
	runs   int
	seed   int64
	dir    string
	keep   bool
	reuse  bool
	format string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) > 1 && os.Args[1] == prepareCommand {
		if err := runPrepare(ctx, os.Args[2:], os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
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

func parseFlags(args []string) (*options, error) {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	opts := &options{}
	sizes := fs.String("sizes", "100,1000,5000", "comma-separated table counts")
	fs.StringVar(&opts.db, "db", "sqlite", "database kind: sqlite or postgres")
	fs.IntVar(&opts.runs, "runs", 7, "timed runs of each command per size")
	fs.Int64Var(&opts.seed, "seed", 1, "seed of the generated schemas")
	fs.StringVar(&opts.dir, "dir", "", "directory for the databases (default: a temporary one)")
	fs.BoolVar(&opts.keep, "keep", false, "keep the directory and databases afterwards")
	fs.BoolVar(&opts.reuse, "reuse", false, "use the databases a previous run kept in -dir when they hold the generated schema")
	fs.StringVar(&opts.format, "format", "yaml", "dbtool inspect's output format: yaml, json, sql or text")
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
	return opts, nil
}

// result is what one size measured: medians of wall and CPU (user and
// system) time, and the largest peak resident set size, in KiB.
type result struct {
	size              int
	dbtool, ref       time.Duration
	dbtoolCPU, refCPU time.Duration
	dbtoolRSS, rRSS   int64
}

// sample is one run of one command.
type sample struct {
	wall, cpu time.Duration
	rss       int64
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
	bin := filepath.Join(tmp, "dbtool")
	fmt.Fprintf(log, "building dbtool into %s\n", bin)
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/dbtool/dbtool/cmd/dbtool")
	build.Stdout, build.Stderr = log, log
	if err := build.Run(); err != nil {
		return fmt.Errorf("building dbtool: %w", err)
	}
	var results []result
	for _, size := range opts.sizes {
		r, err := measure(ctx, tgt, opts, dir, bin, size, log)
		if err != nil {
			return fmt.Errorf("%d tables: %w", size, err)
		}
		results = append(results, r)
	}
	report(stdout, opts, tgt.referenceName(), results)
	return nil
}

// measure creates the database of one size and times both commands.
func measure(ctx context.Context, tgt target, opts *options, dir, bin string, size int, log io.Writer) (result, error) {
	res := result{size: size}
	url, reused := "", false
	if r, ok := tgt.(reuser); ok && opts.reuse {
		if u, ok := r.existing(ctx, dir, size); ok {
			if err := prepare(ctx, opts.db, u, size, opts.seed, bin, false, log); err == nil {
				fmt.Fprintf(log, "%d tables: reusing %s\n", size, u)
				url, reused = u, true
			}
		}
	}
	if !reused {
		u, cleanup, err := tgt.setup(ctx, dir, size)
		if err != nil {
			return res, fmt.Errorf("setting up: %w", err)
		}
		if !opts.keep {
			defer cleanup()
		}
		url = u
		if err := prepare(ctx, opts.db, url, size, opts.seed, bin, true, log); err != nil {
			return res, err
		}
	}
	dbtool := func() *exec.Cmd {
		return exec.CommandContext(ctx, bin, "inspect", "--url", url, "--format", opts.format)
	}
	ref := func() *exec.Cmd { return tgt.reference(ctx, url) }
	// One warm-up run of each, not counted: caches, page cache.
	for _, mk := range []func() *exec.Cmd{dbtool, ref} {
		if _, err := timeRun(mk()); err != nil {
			return res, err
		}
	}
	var ds, rs []sample
	for i := 0; i < opts.runs; i++ {
		d, err := timeRun(dbtool())
		if err != nil {
			return res, err
		}
		r, err := timeRun(ref())
		if err != nil {
			return res, err
		}
		ds, rs = append(ds, d), append(rs, r)
	}
	wall := func(s sample) time.Duration { return s.wall }
	cpu := func(s sample) time.Duration { return s.cpu }
	rss := func(s sample) int64 { return s.rss }
	res.dbtool, res.ref = median(ds, wall), median(rs, wall)
	res.dbtoolCPU, res.refCPU = median(ds, cpu), median(rs, cpu)
	res.dbtoolRSS, res.rRSS = maxOf(ds, rss), maxOf(rs, rss)
	fmt.Fprintf(log, "%d tables: dbtool %s, %s %s\n", size, res.dbtool.Round(time.Microsecond), tgt.referenceName(), res.ref.Round(time.Microsecond))
	return res, nil
}

// prepareCommand runs this program as a child process that creates (or
// only checks) one database. The measuring process keeps its own memory
// small this way: on Linux a child's peak RSS starts from its parent's
// (Go starts children with vfork, and exec keeps the high-water mark), so
// the parent must not hold a generated schema of thousands of tables.
const prepareCommand = "prepare"

// prepare runs the prepare child for one database.
func prepare(ctx context.Context, db, url string, size int, seed int64, bin string, create bool, log io.Writer) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, self, prepareCommand, "-db", db, "-url", url, "-size", strconv.Itoa(size),
		"-seed", strconv.FormatInt(seed, 10), "-bin", bin, "-create="+strconv.FormatBool(create))
	cmd.Stdout, cmd.Stderr = log, log
	return cmd.Run()
}

// runPrepare is the prepare child: it generates the schema of a size,
// creates it in the database at -url when -create is set, and checks that
// dbtool inspect gives it back.
func runPrepare(ctx context.Context, args []string, log io.Writer) error {
	fs := flag.NewFlagSet(prepareCommand, flag.ContinueOnError)
	db := fs.String("db", "sqlite", "database kind")
	url := fs.String("url", "", "database URL")
	size := fs.Int("size", 0, "table count")
	seed := fs.Int64("seed", 1, "seed")
	bin := fs.String("bin", "", "dbtool binary")
	create := fs.Bool("create", false, "create the schema first")
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
	return verify(ctx, tgt, *bin, *url, m)
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
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "inspect", "--url", url, "--format", "yaml")
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("dbtool inspect: %w\n%s", err, errOut.String())
	}
	got, err := metadata.Parse("inspected.yaml", out.Bytes())
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

// timeRun runs a command with its output discarded (as >/dev/null) and
// returns its wall time, CPU time and peak resident set size.
func timeRun(cmd *exec.Cmd) (sample, error) {
	var errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = nil, &errOut // nil: the null device
	start := time.Now()
	err := cmd.Run()
	s := sample{wall: time.Since(start)}
	if err != nil {
		return s, fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, errOut.String())
	}
	s.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.rss = int64(ru.Maxrss) // KiB on Linux
	}
	return s, nil
}

func median(samples []sample, of func(sample) time.Duration) time.Duration {
	s := make([]time.Duration, len(samples))
	for i, x := range samples {
		s[i] = of(x)
	}
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func maxOf(samples []sample, of func(sample) int64) int64 {
	var m int64
	for _, x := range samples {
		m = max(m, of(x))
	}
	return m
}

// report prints the table of results.
func report(w io.Writer, opts *options, refName string, rs []result) {
	ref := strings.Fields(refName)[0]
	fmt.Fprintf(w, "\ndbtool inspect --format %s vs %s (%s, median of %d runs, seed %d)\n\n", opts.format, refName, opts.db, opts.runs, opts.seed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "tables\tdbtool\t%s\tratio\tdbtool CPU\t%s CPU\tCPU ratio\tdbtool/table\tgrowth\t%s growth\tdbtool RSS\t%s RSS\t\n", ref, ref, ref, ref)
	for i, r := range rs {
		growth, refGrowth := "-", "-"
		if i > 0 {
			prev := rs[i-1]
			// Time growth over table-count growth: 1.00 is linear.
			n := float64(r.size) / float64(prev.size)
			growth = fmt.Sprintf("%.2f", float64(r.dbtool)/float64(prev.dbtool)/n)
			refGrowth = fmt.Sprintf("%.2f", float64(r.ref)/float64(prev.ref)/n)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.2fx\t%s\t%s\t%.2fx\t%s\t%s\t%s\t%s\t%s\t\n",
			r.size, ms(r.dbtool), ms(r.ref), float64(r.dbtool)/float64(r.ref),
			ms(r.dbtoolCPU), ms(r.refCPU), float64(r.dbtoolCPU)/float64(r.refCPU),
			fmt.Sprintf("%.1f µs", float64(r.dbtool.Microseconds())/float64(r.size)),
			growth, refGrowth, mib(r.dbtoolRSS), mib(r.rRSS))
	}
	tw.Flush()
	fmt.Fprintln(w, "\ntimes are wall-clock medians; CPU is user+system; RSS is the peak resident set")
	fmt.Fprintln(w, "growth: (time / previous time) / (tables / previous tables); 1.00 is linear")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func mib(kib int64) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }
