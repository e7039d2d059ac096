// Command apply benchmarks `dbtool migrate apply` and `dbtool create-all`
// from an empty database to generated schemas against the database's own
// client running the same statements (`psql -X -q -1 -f`, `sqlite3 < file`),
// as the apply issue's speed point asks:
//
//	go run ./bench/apply -db sqlite -sizes 1000,5000 -runs 5
//
// Per size it writes the bench/gen schema as YAML, takes the statements
// from `dbtool create-all --dry-run` against an empty database, then runs
// the three alternately, -runs times each, every run on a fresh empty
// database made outside the timing, checking after the first run of each
// that it left the declared schema (a `migrate apply --dry-run` finds no
// change), and prints the median wall and CPU time of each, their ratios
// to the reference, and the peak resident memory of each process. With
// -before, another dbtool binary's apply and create-all join the
// alternation, to compare versions under the same load.
//
// The reference's CPU is its client's: psql sends the script to a server
// whose work is in the wall time only, as dbtool's is.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
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
	"github.com/dbtool/dbtool/bench/timing"
	"github.com/dbtool/dbtool/metadata"
)

// target is one kind of database.
type target interface {
	// start prepares what the databases of a size need (a server) and
	// returns a function that stops it.
	start(ctx context.Context, dir string) (stop func(), err error)
	// fresh returns the URL of a new empty database, removing the one
	// given by the previous call for the same name.
	fresh(ctx context.Context, dir, name string) (url string, err error)
	// reference returns the command that runs script on the database at url.
	reference(ctx context.Context, url, script string) *exec.Cmd
	// referenceName names the reference in the report.
	referenceName() string
	// script turns create-all's dry-run output into the reference's input.
	script(dryRun []byte) []byte
}

// tunedTarget is a target whose reference also runs tuned as dbtool
// tunes its own session, reported beside the plain one.
type tunedTarget interface {
	tunedReference(ctx context.Context, url, script string) *exec.Cmd
	tunedReferenceName() string
}

func targets() map[string]target {
	return map[string]target{"sqlite": &sqliteTarget{}, "postgres": &postgresTarget{}}
}

type options struct {
	db     string
	sizes  []int
	runs   int
	seed   int64
	dir    string
	keep   bool
	only   string
	bin    string
	before string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) > 1 && os.Args[1] == writeCommand {
		if err := runWrite(os.Args[2:]); err != nil {
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
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	opts := &options{}
	sizes := fs.String("sizes", "1000,5000", "comma-separated table counts")
	fs.StringVar(&opts.db, "db", "sqlite", "database kind: sqlite or postgres")
	fs.IntVar(&opts.runs, "runs", 5, "timed runs of each command per size")
	fs.Int64Var(&opts.seed, "seed", 1, "seed of the generated schemas")
	fs.StringVar(&opts.dir, "dir", "", "directory for the schema files, scripts and databases (default: a temporary one)")
	fs.BoolVar(&opts.keep, "keep", false, "keep -dir's files afterwards")
	fs.StringVar(&opts.bin, "bin", "", "time this dbtool binary instead of building one (to measure another version)")
	fs.StringVar(&opts.before, "before", "", "also time this other dbtool binary's apply and create-all, in the same alternation (before a change)")
	fs.StringVar(&opts.only, "only", "", "time only these commands, comma-separated: apply, create-all, ref, ref-tuned, apply-before, create-all-before (default all)")
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
	if _, ok := targets()[opts.db]; !ok {
		return nil, fmt.Errorf("-db %q: want sqlite or postgres", opts.db)
	}
	return opts, nil
}

// result is what one command measured at one size: medians of wall and
// CPU time, and the largest peak RSS.
type result struct {
	wall, cpu time.Duration
	rss       int64
}

// command is one of the three timed commands.
type command struct {
	name string
	cmd  func(url string) *exec.Cmd
}

func run(ctx context.Context, opts *options, stdout, log io.Writer) error {
	tgt := targets()[opts.db]
	dir := opts.dir
	if dir == "" {
		d, err := os.MkdirTemp("", "dbtool-bench-apply-")
		if err != nil {
			return err
		}
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if !opts.keep {
		defer os.RemoveAll(dir)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	bin := opts.bin
	if bin == "" {
		bin = filepath.Join(dir, "dbtool")
		fmt.Fprintf(log, "building dbtool into %s\n", bin)
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/dbtool/dbtool/cmd/dbtool")
		build.Stdout, build.Stderr = log, log
		if err := build.Run(); err != nil {
			return fmt.Errorf("building dbtool: %w", err)
		}
	}
	stop, err := tgt.start(ctx, dir)
	if err != nil {
		return err
	}
	defer stop()

	all := map[int]map[string]result{}
	var names []string
	for _, size := range opts.sizes {
		rs, cmds, err := measure(ctx, tgt, opts, dir, bin, size, log)
		if err != nil {
			return fmt.Errorf("%d tables: %w", size, err)
		}
		all[size], names = rs, cmds
	}
	report(stdout, opts, tgt, names, all)
	return nil
}

// measure writes the schema and script of one size and times the commands.
func measure(ctx context.Context, tgt target, opts *options, dir, bin string, size int, log io.Writer) (map[string]result, []string, error) {
	yamlPath := filepath.Join(dir, fmt.Sprintf("schema_%d.yaml", size))
	if err := writeSchema(ctx, yamlPath, size, opts.seed); err != nil {
		return nil, nil, err
	}
	name := fmt.Sprintf("bench_%d", size)
	url, err := tgt.fresh(ctx, dir, name)
	if err != nil {
		return nil, nil, err
	}
	var out, errOut bytes.Buffer
	dry := exec.CommandContext(ctx, bin, "create-all", "--url", url, "-f", yamlPath, "--dry-run")
	dry.Stdout, dry.Stderr = &out, &errOut
	if err := dry.Run(); err != nil {
		return nil, nil, fmt.Errorf("create-all --dry-run: %w\n%s", err, errOut.String())
	}
	scriptPath := filepath.Join(dir, fmt.Sprintf("script_%d.sql", size))
	if err := os.WriteFile(scriptPath, tgt.script(out.Bytes()), 0o644); err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(log, "%d tables: %d statements, schema %s, script %s\n", size, statements(out.Bytes()), mibBytes(fileSize(yamlPath)), mibBytes(fileSize(scriptPath)))

	cmds := []command{
		{"apply", func(url string) *exec.Cmd {
			return exec.CommandContext(ctx, bin, "migrate", "apply", "--url", url, "--auto-approve", "-f", yamlPath)
		}},
		{"create-all", func(url string) *exec.Cmd {
			return exec.CommandContext(ctx, bin, "create-all", "--url", url, "-f", yamlPath)
		}},
		{"ref", func(url string) *exec.Cmd { return tgt.reference(ctx, url, scriptPath) }},
	}
	if tuned, ok := tgt.(tunedTarget); ok {
		cmds = append(cmds, command{"ref-tuned", func(url string) *exec.Cmd { return tuned.tunedReference(ctx, url, scriptPath) }})
	}
	if opts.before != "" {
		cmds = append(cmds,
			command{"apply-before", func(url string) *exec.Cmd {
				return exec.CommandContext(ctx, opts.before, "migrate", "apply", "--url", url, "--auto-approve", "-f", yamlPath)
			}},
			command{"create-all-before", func(url string) *exec.Cmd {
				return exec.CommandContext(ctx, opts.before, "create-all", "--url", url, "-f", yamlPath)
			}})
	}
	if opts.only != "" {
		keep := strings.Split(opts.only, ",")
		cmds = slices.DeleteFunc(cmds, func(c command) bool { return !slices.Contains(keep, c.name) })
	}
	samples := map[string][]timing.Sample{}
	for i := 0; i < opts.runs; i++ {
		for _, c := range cmds {
			if url, err = tgt.fresh(ctx, dir, name); err != nil {
				return nil, nil, err
			}
			s, err := timing.Run(c.cmd(url))
			if err != nil {
				return nil, nil, err
			}
			samples[c.name] = append(samples[c.name], s)
			fmt.Fprintf(log, "%d tables: run %d: %s %s\n", size, i+1, c.name, s.Wall.Round(time.Millisecond))
			// The first run of each is checked: the schema it left must
			// be the declared one.
			if i == 0 {
				if err := check(ctx, bin, url, yamlPath); err != nil {
					return nil, nil, fmt.Errorf("after %s: %w", c.name, err)
				}
			}
		}
	}
	rs := map[string]result{}
	var names []string
	for _, c := range cmds {
		ss := samples[c.name]
		rs[c.name] = result{
			wall: timing.Median(ss, func(s timing.Sample) time.Duration { return s.Wall }),
			cpu:  timing.Median(ss, func(s timing.Sample) time.Duration { return s.CPU }),
			rss:  timing.MaxRSS(ss),
		}
		names = append(names, c.name)
	}
	return rs, names, nil
}

// check runs `migrate apply --dry-run`, which must find nothing to do.
func check(ctx context.Context, bin, url, yamlPath string) error {
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "migrate", "apply", "--url", url, "-f", yamlPath, "--dry-run")
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("migrate apply --dry-run: %w\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "no changes") {
		head, _, _ := strings.Cut(out.String(), "\n\n")
		return fmt.Errorf("the database does not match the schema; migrate apply --dry-run printed:\n%.2000s", head)
	}
	return nil
}

// writeCommand runs this program as a child that writes a generated
// schema: on Linux a child's peak RSS starts from its parent's, so the
// measuring process must not hold a schema of thousands of tables.
const writeCommand = "write"

func writeSchema(ctx context.Context, path string, size int, seed int64) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, self, writeCommand, path, strconv.Itoa(size), strconv.FormatInt(seed, 10))
	cmd.Stderr = os.Stderr
	return cmd.Run()
}

func runWrite(args []string) error {
	if len(args) != 3 {
		return errors.New("usage: write PATH SIZE SEED")
	}
	size, err := strconv.Atoi(args[1])
	if err != nil {
		return err
	}
	seed, err := strconv.ParseInt(args[2], 10, 64)
	if err != nil {
		return err
	}
	b, err := metadata.EncodeYAML(gen.Generate(size, seed))
	if err != nil {
		return err
	}
	return os.WriteFile(args[0], b, 0o644)
}

// statements counts the statements of a dry run, less BEGIN and COMMIT.
func statements(script []byte) int {
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(script))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasSuffix(l, ";") && l != "BEGIN;" && l != "COMMIT;" {
			n++
		}
	}
	return n
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// report prints one table per size.
func report(w io.Writer, opts *options, tgt target, names []string, all map[int]map[string]result) {
	refName := tgt.referenceName()
	fmt.Fprintf(w, "\nfrom an empty database: dbtool vs %s (%s, median of %d runs, seed %d)\n\n", refName, opts.db, opts.runs, opts.seed)
	tunedName := ""
	if tuned, ok := tgt.(tunedTarget); ok {
		tunedName = tuned.tunedReferenceName()
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	// line writes a row; the tuned ratio's column is there only when the
	// target has a tuned reference.
	line := func(size, command, wall, ratio, ratioTuned, cpu, rss string) {
		cols := []string{size, command, wall, ratio}
		if tunedName != "" {
			cols = append(cols, ratioTuned)
		}
		fmt.Fprintln(tw, strings.Join(append(cols, cpu, rss), "\t")+"\t")
	}
	line("tables", "command", "wall", "ratio", "tuned", "CPU", "peak RSS")
	for _, size := range opts.sizes {
		rs := all[size]
		ref, hasRef := rs["ref"]
		tunedRef, hasTuned := rs["ref-tuned"]
		for _, n := range names {
			r := rs[n]
			label := map[string]string{"apply": "migrate apply", "create-all": "create-all", "ref": refName, "ref-tuned": tunedName,
				"apply-before": "migrate apply (-before)", "create-all-before": "create-all (-before)"}[n]
			ratio, ratioTuned := "-", "-"
			if hasRef && n != "ref" {
				ratio = fmt.Sprintf("%.2fx", float64(r.wall)/float64(ref.wall))
			}
			if hasTuned && n != "ref-tuned" {
				ratioTuned = fmt.Sprintf("%.2fx", float64(r.wall)/float64(tunedRef.wall))
			}
			line(strconv.Itoa(size), label, ms(r.wall), ratio, ratioTuned, ms(r.cpu), mib(r.rss))
		}
	}
	tw.Flush()
	fmt.Fprintln(w, "\nwall and CPU (user+system of the client process) are medians; ratio is wall / the reference's wall;")
	if tunedName != "" {
		fmt.Fprintf(w, "tuned is wall / the wall of %s, the reference with a page cache that holds the schema table;\n", tunedName)
	}
	fmt.Fprintln(w, "peak RSS is the largest of the runs; every run starts from a fresh empty database")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func mib(kib int64) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }

func mibBytes(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
