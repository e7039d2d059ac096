package engine

import (
	"context"
	"fmt"

	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// scratchDB is an empty database of the target's kind in which dbtool
// creates declared objects to read them back in the server's own terms.
type scratchDB struct {
	driver Driver
	// reset empties the database for another load.
	reset func(ctx context.Context) error
	// close releases it, dropping a temporary database.
	close func(ctx context.Context)
}

// scratchOpener is a driver that can open a scratch database: every
// driver is one, each in its own file.
type scratchOpener interface {
	openScratch(ctx context.Context, devURL string) (*scratchDB, error)
}

// dropScratch closes a scratch database without waiting for it: dropping
// a PostgreSQL database takes the server a tenth of a second or more,
// which a plan need not wait for; Close does. It goes on when ctx is
// cancelled.
func (e *Engine) dropScratch(ctx context.Context, s *scratchDB) {
	e.closing.Go(func() { s.close(context.WithoutCancel(ctx)) })
}

func (e *Engine) openScratch(ctx context.Context, devURL string) (*scratchDB, error) {
	o, ok := e.driver.(scratchOpener)
	if !ok {
		return nil, fmt.Errorf("%s: no scratch database to normalise the declared schema in", e.URL.Dialect)
	}
	return o.openScratch(ctx, devURL)
}

// load creates a model in the scratch database, as create-all would, and
// inspects it back.
func (s *scratchDB) load(ctx context.Context, m *metadata.MetaData) (*inspector.Result, error) {
	plan := migrate.PlanCreateAll(m, nil)
	stmts, err := s.driver.Dialect().Plan(plan.Changes)
	if err != nil {
		return nil, err
	}
	if err := s.driver.ExecTx(ctx, stmts, nil); err != nil {
		return nil, err
	}
	res, err := s.driver.Inspect(ctx, metadata.Filter{})
	if err != nil {
		return nil, fmt.Errorf("reading the scratch database: %w", err)
	}
	return res, nil
}
