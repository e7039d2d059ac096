package engine

import (
	"context"
	"fmt"
	"io"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// PlanOptions tune Plan.
type PlanOptions struct {
	// Filter selects the part of both schemas to compare; what it leaves
	// out is never changed, let alone dropped.
	Filter metadata.Filter
	// DevURL names a database dbtool may empty and use to normalise the
	// declared schema, instead of a temporary database on the target's
	// server (PostgreSQL) or in memory (SQLite).
	DevURL string
	// Validated says that the declared schema has been through
	// metadata.Validate already (metadata.Load's and LoadSource's results
	// have): it is not validated again, which costs a tenth of a second
	// at 5000 tables. The dialect's checks still run.
	Validated bool
}

// MigrationPlan is what Plan found: the typed changes, the statements
// that make them, and the live schema they were computed from.
type MigrationPlan struct {
	migrate.Plan
	// Statements are the SQL of the changes, in order.
	Statements []ddl.Statement
	// Live is the live schema, as inspected (and filtered).
	Live *metadata.MetaData
	// Want is the declared schema in the server's own terms.
	Want *metadata.MetaData
	// WantShapes are the declared views' shapes, as the scratch database
	// stored them (migrate.Server): a saved plan keeps them, so that
	// apply can compute the same changes again without one.
	WantShapes migrate.ViewShapes
	// Warnings are what the inspection of the live database reported.
	Warnings []string
	// Dialect writes the statements' SQL.
	Dialect ddl.Dialect
}

// Plan compares a declared schema with the live database and returns the
// changes that turn the one into the other. It writes nothing to the
// database.
//
// The comparison is made in the server's own terms: PostgreSQL rewrites
// every expression it stores (casts, parentheses, qualified names), so the
// declared objects that differ from the live ones as written are first
// created in a scratch database (see Normalize) and read back, and the
// diff is made again with that form. Only what differs pays that round
// trip; an unchanged schema costs one inspection.
func (e *Engine) Plan(ctx context.Context, want *metadata.MetaData, opts PlanOptions) (*MigrationPlan, error) {
	if err := e.checkDeclared(ctx, want, opts.Validated); err != nil {
		return nil, err
	}
	live, err := e.Inspect(ctx, opts.Filter)
	if err != nil {
		return nil, fmt.Errorf("reading the live schema: %w", err)
	}
	return e.planAgainst(ctx, opts.Filter.Select(live.Schema), opts.Filter.Select(want), liveServer(live), live.Warnings, opts)
}

// PlanSource is LoadSource and Plan, with the live database read while
// the files are: on a large schema, reading them is a third of a plan's
// time, and the inspection waits on the database. An error in the files
// is reported before any from the database.
func (e *Engine) PlanSource(ctx context.Context, paths []string, stdin io.Reader, opts PlanOptions) (*MigrationPlan, *Source, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type inspected struct {
		res *inspector.Result
		err error
	}
	live := make(chan inspected, 1)
	go func() {
		res, err := e.Inspect(ctx, opts.Filter)
		live <- inspected{res, err}
	}()
	src, err := e.LoadSource(ctx, paths, stdin, opts.DevURL)
	if err == nil {
		err = e.checkDeclared(ctx, src.Schema, true)
	}
	if err != nil {
		cancel()
		<-live
		return nil, nil, err
	}
	got := <-live
	if got.err != nil {
		return nil, src, fmt.Errorf("reading the live schema: %w", got.err)
	}
	plan, err := e.planAgainst(ctx, opts.Filter.Select(got.res.Schema), opts.Filter.Select(src.Schema), liveServer(got.res), got.res.Warnings, opts)
	return plan, src, err
}

// checkDeclared refuses a declared schema that is not valid, that this
// database's dialect cannot hold, or (where the driver can tell) that the
// database would accept and fail on later; validated skips
// metadata.Validate.
func (e *Engine) checkDeclared(ctx context.Context, m *metadata.MetaData, validated bool) error {
	if !validated {
		if err := metadata.Validate(m); err != nil {
			return err
		}
	}
	if err := e.driver.Dialect().Check(m); err != nil {
		return err
	}
	if mc, ok := e.driver.(modelChecker); ok {
		return mc.CheckModel(ctx, m)
	}
	return nil
}

// liveServer is what an inspection of the live database tells a diff
// beyond the model.
func liveServer(res *inspector.Result) migrate.Server {
	srv := migrate.Server{LiveShapes: res.ViewShapes, LiveReads: res.ViewReads}
	if len(res.ViewGrants) > 0 {
		srv.LiveGrants = make(map[metadata.TableRef][]migrate.Grant, len(res.ViewGrants))
		for ref, gs := range res.ViewGrants {
			for _, g := range gs {
				srv.LiveGrants[ref] = append(srv.LiveGrants[ref], migrate.Grant(g))
			}
		}
	}
	return srv
}

// planAgainst diffs a live schema against a declared one, normalising the
// declared objects that differ.
func (e *Engine) planAgainst(ctx context.Context, live, want *metadata.MetaData, srv migrate.Server, warnings []string, opts PlanOptions) (*MigrationPlan, error) {
	df := migrate.NewDiffer(live)
	plan := df.DiffWith(want, srv)
	if len(plan.Changes) > 0 {
		norm, shapes, err := e.normalize(ctx, want, plan, opts.DevURL)
		if err != nil {
			return nil, err
		}
		want, srv.WantShapes = norm, shapes
		plan = df.DiffWith(want, srv)
	}
	stmts, err := e.driver.Dialect().Plan(plan.Changes)
	if err != nil {
		return nil, err
	}
	return &MigrationPlan{Plan: *plan, Statements: stmts, Live: live, Want: want, WantShapes: srv.WantShapes, Warnings: warnings, Dialect: e.driver.Dialect()}, nil
}

// PlanModels diffs two schemas with this database's dialect: live stands
// for the database to change, in the server's terms already (an
// inspection, or Materialize's result); want is normalised as Plan does.
// Neither is read from or written to this database.
func (e *Engine) PlanModels(ctx context.Context, live, want *metadata.MetaData, opts PlanOptions) (*MigrationPlan, error) {
	return e.planAgainst(ctx, opts.Filter.Select(live), opts.Filter.Select(want), migrate.Server{}, nil, opts)
}

// Materialize creates a whole declared schema in a scratch database of
// this database's kind and returns its inspection: the schema as this
// server would store it. diff uses it for a source that is a file.
func (e *Engine) Materialize(ctx context.Context, m *metadata.MetaData, devURL string) (*metadata.MetaData, error) {
	if err := e.checkDeclared(ctx, m, false); err != nil {
		return nil, err
	}
	scratch, err := e.openScratch(ctx, devURL)
	if err != nil {
		return nil, err
	}
	defer e.dropScratch(ctx, scratch)
	got, err := scratch.load(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("loading the schema into a scratch database: %w", err)
	}
	return got.Schema, nil
}
