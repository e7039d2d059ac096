package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/dbtool/dbtool/ddl"
)

// lockBudgeter is a database whose lock table bounds how many objects one
// transaction may lock (PostgreSQL's shared lock table).
type lockBudgeter interface {
	// lockBudget returns how many locks the server's lock table holds,
	// and the formula, for the message.
	lockBudget(ctx context.Context) (n int64, settings lockSettings, err error)
}

// lockSettings are the server settings that size the lock table.
type lockSettings struct {
	PerTransaction, Connections, Prepared int64
}

// LockBudgetError stops a run that would exceed the server's lock table
// before it writes anything, and says which setting to raise.
type LockBudgetError struct {
	Needed, Budget int64
	Settings       lockSettings
}

func (e *LockBudgetError) Error() string {
	s := e.Settings
	// The least max_locks_per_transaction whose table fits the run with
	// the share checkLockBudget leaves to other sessions, rounded up to
	// a multiple of the default (64).
	slots := s.Connections + s.Prepared
	want := (e.Needed*lockShareDen + lockShareNum*slots - 1) / (lockShareNum * slots)
	want = (want + 63) / 64 * 64
	return fmt.Sprintf("not applied: one transaction would lock about %d objects, and the server's lock table holds "+
		"max_locks_per_transaction (%d) × (max_connections (%d) + max_prepared_transactions (%d)) = %d; "+
		"raise max_locks_per_transaction to at least %d (postgresql.conf, then restart the server), or apply in parts with --table",
		e.Needed, s.PerTransaction, s.Connections, s.Prepared, e.Budget, want)
}

// estimateLocks estimates the relations a transaction running stmts
// locks: each statement locks its table or index, a CREATE TABLE also
// the indexes of its keys, its sequences and its TOAST table and index.
// The estimate errs high: a run that fits is never stopped for nothing
// but a borderline one may be.
func estimateLocks(stmts []ddl.Statement) int64 {
	var n int64
	for _, s := range stmts {
		if s.NoTx {
			continue
		}
		sql := strings.ToUpper(s.SQL)
		n++
		if strings.HasPrefix(strings.TrimSpace(sql), "CREATE TABLE") {
			n += 2 // TOAST table and its index
			n += int64(strings.Count(sql, "PRIMARY KEY") + strings.Count(sql, "UNIQUE") + strings.Count(sql, "SERIAL") + strings.Count(sql, "IDENTITY"))
		}
	}
	return n
}

// minLockTable is the smallest lock table a server can have:
// max_locks_per_transaction at its minimum (10) for one connection. A run
// that needs fewer locks fits any server; a larger one asks the server
// its settings (one query), since a server may be set that low and a
// run of a hundred tables would then fail half-way.
const minLockTable = 10

// A run may use lockShareNum/lockShareDen of the lock table: other
// sessions hold locks too, so a tenth is kept for them.
const lockShareNum, lockShareDen = 9, 10

// checkLockBudget stops before writing when stmts would need more locks
// than the server's lock table holds.
func (e *Engine) checkLockBudget(ctx context.Context, stmts []ddl.Statement) error {
	lb, ok := e.driver.(lockBudgeter)
	if !ok {
		return nil
	}
	need := estimateLocks(stmts)
	if need < minLockTable {
		// Fits any server's lock table: not worth a query.
		return nil
	}
	budget, settings, err := lb.lockBudget(ctx)
	if err != nil {
		return fmt.Errorf("reading the server's lock settings: %w", err)
	}
	if need > budget*lockShareNum/lockShareDen {
		return &LockBudgetError{Needed: need, Budget: budget, Settings: settings}
	}
	return nil
}
