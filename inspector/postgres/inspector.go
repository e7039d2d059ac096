// Package postgres reflects a PostgreSQL database into a metadata model.
//
// It reads the whole catalog in a constant number of queries whatever the
// number of tables, never one per table: a selection query applies the
// filters of inspector.Options (bound parameters) and returns the oids of
// the selected relations; then one bulk query over pg_catalog per kind of
// object (relations, columns, constraints, indexes, sequences, types,
// functions, triggers, policies, ...) takes those oids as a bound array
// and finds its rows through the catalog's index, so inspecting ten tables
// of a large database reads only what those ten need. The queries are
// spread over a few pooled connections, each sent as one pipelined batch,
// in transactions sharing one exported snapshot: they see the database as
// it was at a single instant, as pg_dump does. Nested loops are switched
// off in those transactions, so that no plan can grow with the square of
// the tables whatever the catalogs' statistics say.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sync"

	"github.com/dbtool/dbtool/inspector"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"
)

// maxConns is how many connections an inspection uses at most. The
// catalog queries are few and uneven (the columns query is the biggest), so
// more connections than this only cost their setup.
const maxConns = 4

// Inspector reflects one PostgreSQL database.
type Inspector struct {
	pool *pgxpool.Pool
	// conns overrides the number of connections used (tests, benchmarks).
	conns int
}

// New returns an inspector over pool. Echoing is the pool's tracer's job.
func New(pool *pgxpool.Pool) *Inspector { return &Inspector{pool: pool} }

// Inspect implements inspector.Inspector. Objects dbtool does not manage
// (rules, publications, casts, operators, ...) are reported in the
// result's warnings.
func (i *Inspector) Inspect(ctx context.Context, opts inspector.Options) (*inspector.Result, error) {
	cat, err := i.read(ctx, newFilter(opts))
	if err != nil {
		return nil, err
	}
	return build(cat), nil
}

// filter is inspector.Options as the queries' bound parameters. The
// slices are never nil: a nil slice is sent as NULL, not as an empty array.
type filter struct {
	schemas, include, exclude []string
	// byName is set when tables are picked by name: only they and what
	// hangs off them are read, not the namespace-wide objects.
	byName bool
}

func newFilter(opts inspector.Options) filter {
	f := filter{
		schemas: append([]string{}, opts.Schemas...),
		include: make([]string, 0, len(opts.Tables)),
		exclude: make([]string, 0, len(opts.Exclude)),
		byName:  len(opts.Tables) > 0,
	}
	for _, g := range opts.Tables {
		f.include = append(f.include, inspector.GlobRegexp(g))
	}
	for _, g := range opts.Exclude {
		f.exclude = append(f.exclude, inspector.GlobRegexp(g))
	}
	return f
}

// read runs every catalog query and returns their rows.
//
// The first connection opens the inspection's transaction and selects the
// relations; the others are connected meanwhile. The queries, dealt into
// one batch per connection, go to whichever connection is free: the first
// one runs its batch and then any left over, so that an inspection never
// waits for a connection the pool cannot give (another user may hold
// them), and one that arrives after the work is done is not used.
func (i *Inspector) read(ctx context.Context, f filter) (*catalog, error) {
	n := i.conns
	if n <= 0 {
		n = maxConns
	}
	n = min(n, int(i.pool.Config().MaxConns))
	first, err := i.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("inspecting: %w", err)
	}
	defer first.Release()

	// The other connections, set up while the first selects.
	helpersCtx, stopHelpers := context.WithCancel(ctx)
	defer stopHelpers()
	helpers := make(chan *pgxpool.Conn, n)
	var waiting sync.WaitGroup
	for range n - 1 {
		waiting.Add(1)
		go func() {
			defer waiting.Done()
			if conn, err := i.pool.Acquire(helpersCtx); err == nil {
				helpers <- conn
			}
		}()
	}
	defer func() {
		stopHelpers()
		waiting.Wait()
		close(helpers)
		for conn := range helpers {
			conn.Release()
		}
	}()

	c := &catalog{}
	snapshot, err := begin(ctx, first.Conn(), c, plannerSettings, f)
	if err != nil {
		return nil, err
	}
	groups := spread(c.jobs(f), n)
	queue := make(chan []job, len(groups))
	for _, g := range groups {
		queue <- g
	}
	close(queue)
	open := beginSQL
	if snapshot != "" {
		// SET TRANSACTION SNAPSHOT takes no parameter; the name was checked
		// against reSnapshot.
		open += "; SET TRANSACTION SNAPSHOT '" + snapshot + "'"
	}
	open += "; " + plannerSettings

	g, gctx := errgroup.WithContext(ctx)
	// The first connection works until the queue is empty.
	g.Go(func() error {
		// Done or failed, no more connections are needed.
		defer stopHelpers()
		for jobs := range queue {
			if err := runBatch(gctx, first.Conn(), jobs); err != nil {
				return err
			}
		}
		return nil
	})
	// Each helper that connects in time takes batches too, in a
	// transaction of its own that imports the first one's snapshot.
	g.Go(func() error {
		var hg errgroup.Group
		for {
			var conn *pgxpool.Conn
			select {
			case conn = <-helpers:
			case <-helpersCtx.Done():
				return hg.Wait()
			}
			hg.Go(func() error {
				defer conn.Release()
				return runHelper(gctx, conn.Conn(), queue, open)
			})
		}
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// The exporting transaction ends last: a snapshot can be imported only
	// while it is open.
	if _, err := first.Conn().Exec(ctx, "COMMIT", pgx.QueryExecModeSimpleProtocol); err != nil {
		return nil, fmt.Errorf("inspecting: %w", err)
	}
	return c, nil
}

// runHelper runs batches from queue on conn, in a transaction opened by
// open, until the queue is empty.
func runHelper(ctx context.Context, conn *pgx.Conn, queue <-chan []job, open string) error {
	opened := false
	for jobs := range queue {
		if !opened {
			if _, err := conn.Exec(ctx, open, pgx.QueryExecModeSimpleProtocol); err != nil {
				return fmt.Errorf("inspecting: %w", err)
			}
			opened = true
		}
		if err := runBatch(ctx, conn, jobs); err != nil {
			return err
		}
	}
	if opened {
		if _, err := conn.Exec(ctx, "COMMIT", pgx.QueryExecModeSimpleProtocol); err != nil {
			return fmt.Errorf("inspecting: %w", err)
		}
	}
	return nil
}

// beginSQL opens an inspection's transactions: read only, and repeatable
// read so that a snapshot can be exported and imported.
const beginSQL = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

// plannerSettings are set in every inspection transaction. A nested
// loop chosen on a wrong estimate (a catalog's statistics say one row
// where there are thousands) rescans its inner side for each outer row and
// grows with the square of the tables; hash joins never do. The queries
// find the selected relations' rows through the catalogs' indexes by the
// oid array, which needs no join, so switching nested loops off costs a
// filtered inspection only small passes over pg_type and the like, and
// keeps every query linear whatever the statistics. JIT compilation never
// pays off on these queries, and a disabled plan's inflated cost would
// trigger it. Custom plans see the oid array as a constant, which the
// executor hashes; a generic plan (plan_cache_mode may force them) would
// search the array once per catalog row.
const plannerSettings = "SET LOCAL jit = off; SET LOCAL enable_nestloop = off; SET LOCAL plan_cache_mode = force_custom_plan"

// reSnapshot is the shape of an exported snapshot's name.
var reSnapshot = regexp.MustCompile(`^[0-9A-Fa-f-]+$`)

// begin opens the inspection's first transaction on conn, exports its
// snapshot for the other connections, reads the session's current schema
// and the server's version into c, and selects the relations f keeps.
// Where a snapshot cannot be exported (a hot standby before PostgreSQL 10,
// a pooler in transaction mode) it returns "" and each connection reads
// in a snapshot of its own.
func begin(ctx context.Context, conn *pgx.Conn, c *catalog, settings string, f filter) (snapshot string, err error) {
	var current *string
	open := func() error {
		_, err := conn.Exec(ctx, beginSQL+"; "+settings, pgx.QueryExecModeSimpleProtocol)
		return err
	}
	if err := open(); err != nil {
		return "", fmt.Errorf("inspecting: %w", err)
	}
	err = conn.QueryRow(ctx, qSession+", pg_catalog.pg_export_snapshot()", pgx.QueryExecModeSimpleProtocol).
		Scan(&current, &c.version, &snapshot)
	if err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("inspecting: %w", ctx.Err())
		}
		snapshot = ""
		if _, rbErr := conn.Exec(ctx, "ROLLBACK", pgx.QueryExecModeSimpleProtocol); rbErr != nil {
			return "", fmt.Errorf("inspecting: %w", errors.Join(err, rbErr))
		}
		if err := open(); err != nil {
			return "", fmt.Errorf("inspecting: %w", err)
		}
		if err := conn.QueryRow(ctx, qSession, pgx.QueryExecModeSimpleProtocol).Scan(&current, &c.version); err != nil {
			return "", fmt.Errorf("inspecting: reading the session: %w", err)
		}
	}
	if snapshot != "" && !reSnapshot.MatchString(snapshot) {
		return "", fmt.Errorf("inspecting: unexpected snapshot name %q", snapshot)
	}
	if current != nil {
		c.currentSchema = *current
	}
	if err := conn.QueryRow(ctx, qSelection, f.schemas, f.include, f.exclude).Scan(&c.rels, &c.tables); err != nil {
		return "", fmt.Errorf("inspecting: selecting the relations: %w", err)
	}
	return snapshot, nil
}

// runBatch sends jobs to conn as one pipelined batch and scans their
// rows, in the transaction conn is in.
func runBatch(ctx context.Context, conn *pgx.Conn, jobs []job) error {
	b := &pgx.Batch{}
	for _, j := range jobs {
		b.Queue(j.sql, j.args...)
	}
	br := conn.SendBatch(ctx, b)
	for _, j := range jobs {
		rows, err := br.Query()
		if err == nil {
			err = j.scan(rows)
		}
		if err != nil {
			br.Close()
			return fmt.Errorf("inspecting: reading %s: %w", j.name, err)
		}
	}
	if err := br.Close(); err != nil {
		return fmt.Errorf("inspecting: %w", err)
	}
	return nil
}

// spread deals jobs to n connections, the costliest first, each to the
// least loaded connection.
func spread(jobs []job, n int) [][]job {
	n = max(1, min(n, len(jobs)))
	sorted := slices.Clone(jobs)
	slices.SortStableFunc(sorted, func(a, b job) int { return b.cost - a.cost })
	groups := make([][]job, n)
	load := make([]int, n)
	for _, j := range sorted {
		k := 0
		for x := range load {
			if load[x] < load[k] {
				k = x
			}
		}
		groups[k] = append(groups[k], j)
		load[k] += j.cost
	}
	return groups
}
