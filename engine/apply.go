package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// ApplyOptions tune Apply.
type ApplyOptions struct {
	PlanOptions
	// Saved, when set, is applied instead of a plan computed now, if the
	// database still matches the schema it was computed from.
	Saved *SavedPlan
	// AllowDestructive applies changes that drop or may lose data; without
	// it such a plan is refused whole with a *DestructiveError.
	AllowDestructive bool
	// LockWait bounds the wait for another apply or create-all to finish;
	// zero means DefaultLockWait.
	LockWait time.Duration
	// DryRun plans (under the lock, with the data checks) and writes
	// nothing.
	DryRun bool
	// Confirm, when set, is asked once the plan is known and checked,
	// before anything is written; false stops with ErrNotConfirmed.
	Confirm func(*MigrationPlan) (bool, error)
	// Progress, when set, is called before each statement.
	Progress func(Progress)
	// Version is dbtool's version, for the history.
	Version string
}

// ApplyResult says what Apply did.
type ApplyResult struct {
	Plan *MigrationPlan
	// Applied is false when there was nothing to do, or on a dry run.
	Applied bool
	// Duration is the time the statements took.
	Duration time.Duration
}

// ErrNotConfirmed is returned when ApplyOptions.Confirm said no.
var ErrNotConfirmed = errors.New("not applied: not confirmed")

// DestructiveError refuses a plan that drops or may lose data without
// ApplyOptions.AllowDestructive. Nothing was written.
type DestructiveError struct{ Risks []migrate.Risk }

func (e *DestructiveError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "refusing %d destructive change(s); nothing was applied (allow them with --allow-destructive):", len(e.Risks))
	for _, r := range e.Risks {
		fmt.Fprintf(&b, "\n  %s: %s (%s)", r.Object, r.Hazard, r.Reason)
	}
	return b.String()
}

// Apply brings the database to the declared schema (or applies a saved
// plan), safely:
//
//   - under the migration lock, taken before anything is planned, so that
//     two applies (or create-alls) never run at once and the second finds
//     nothing left to do;
//   - refusing destructive changes unless allowed, and checking existing
//     rows against new constraints before writing (*DataCheckError);
//   - every statement that can in one transaction, with the history row
//     recorded in it, so that a failure, a lost connection or Ctrl-C
//     leaves the database as it was; the others (CREATE INDEX
//     CONCURRENTLY) after the commit, one by one.
//
// No change writes nothing, not even history.
func (e *Engine) Apply(ctx context.Context, want *metadata.MetaData, opts ApplyOptions) (*ApplyResult, error) {
	if opts.Saved == nil {
		if err := e.checkDeclared(ctx, want, opts.Validated); err != nil {
			return nil, err
		}
	}
	s, err := e.lock(ctx, opts.LockWait)
	if err != nil {
		return nil, err
	}
	defer s.release(ctx)

	live, err := e.Inspect(ctx, opts.Filter)
	if err != nil {
		return nil, fmt.Errorf("reading the live schema: %w", err)
	}
	liveSchema := opts.Filter.Select(live.Schema)
	var plan *MigrationPlan
	if opts.Saved != nil {
		if plan, err = e.verifySaved(opts.Saved, liveSchema, liveServer(live)); err != nil {
			return nil, err
		}
	} else if plan, err = e.planAgainst(ctx, liveSchema, opts.Filter.Select(want), liveServer(live), live.Warnings, opts.PlanOptions); err != nil {
		return nil, err
	}
	res := &ApplyResult{Plan: plan}
	if len(plan.Statements) == 0 {
		return res, nil
	}
	if !opts.AllowDestructive {
		var risks []migrate.Risk
		for _, c := range plan.Changes {
			for _, r := range migrate.Risks(c) {
				if r.Hazard.Destructive() {
					risks = append(risks, r)
				}
			}
		}
		if len(risks) > 0 {
			return res, &DestructiveError{Risks: risks}
		}
	}
	if hr, ok := s.(historyRecorder); ok {
		if err := hr.mayRecord(ctx); err != nil {
			return res, fmt.Errorf("not applied: %w; nothing was written", err)
		}
	}
	if err := e.checkData(ctx, s, plan); err != nil {
		return res, err
	}
	if err := e.checkLockBudget(ctx, plan.Statements); err != nil {
		return res, err
	}
	if opts.DryRun {
		return res, nil
	}
	if opts.Confirm != nil {
		ok, err := opts.Confirm(plan)
		if err != nil {
			return res, err
		}
		if !ok {
			return res, ErrNotConfirmed
		}
	}

	start := time.Now()
	// The history row's checksums and text need only the plan, so they
	// are made while the statements run: Fingerprint encodes the whole
	// schema (60 ms of CPU for bench/gen's 1000 tables), which another
	// core then does beside SQLite's single thread.
	record := make(chan HistoryEntry, 1)
	go func() {
		stmtText := make([]string, len(plan.Statements))
		for i, st := range plan.Statements {
			stmtText[i] = strings.TrimSpace(st.SQL)
		}
		record <- HistoryEntry{
			PlanChecksum: PlanChecksum(plan.Statements), Before: Fingerprint(liveSchema), After: Fingerprint(plan.Want),
			Statements: stmtText,
		}
	}()
	first, inTx, after := ddl.SplitByTransaction(plan.Statements)
	progress := func(done int, stmts []ddl.Statement) func(int) {
		if opts.Progress == nil {
			return nil
		}
		return func(i int) {
			opts.Progress(Progress{Done: done + i, Total: len(plan.Statements), Object: stmts[i].Object})
		}
	}
	if len(first) > 0 {
		if err := commitFirst(ctx, s, first, progress(0, first)); err != nil {
			return res, err
		}
	}
	// kept says, after a failure, what the first transaction committed.
	kept := func(err error) error {
		if len(first) == 0 {
			return err
		}
		var objs []string
		for _, st := range first {
			objs = append(objs, st.Object)
		}
		return fmt.Errorf("%w\n(committed before the transaction, and kept: %s; the next apply goes on from there)", err, strings.Join(objs, ", "))
	}
	if err := s.begin(ctx); err != nil {
		return res, kept(err)
	}
	if err := s.exec(ctx, inTx, progress(len(first), inTx)); err != nil {
		s.rollback(ctx)
		return res, kept(err)
	}
	entry := <-record
	entry.AppliedBy, entry.Host, entry.Version = s.user(ctx), hostname(), opts.Version
	entry.DurationMS = time.Since(start).Milliseconds()
	if err := s.exec(ctx, historyRecord(s.history(), entry), nil); err != nil {
		s.rollback(ctx)
		return res, kept(fmt.Errorf("recording the migration: %w", err))
	}
	if err := s.commit(ctx); err != nil {
		s.rollback(ctx)
		return res, kept(err)
	}
	for i, st := range after {
		if opts.Progress != nil {
			opts.Progress(Progress{Done: len(first) + len(inTx) + i, Total: len(plan.Statements), Object: st.Object})
		}
		if err := s.execAlone(ctx, st); err != nil {
			return res, fmt.Errorf("after the transaction committed: %w (run apply again to finish)", err)
		}
	}
	res.Applied = true
	res.Duration = time.Since(start)
	return res, nil
}

// commitFirst runs, in a transaction of its own, the statements whose
// effect the main transaction uses and can only use once committed (a
// new enum value). Only PostgreSQL's dialect marks any: a SQLite file's
// session is one transaction, its lock, which a commit here would end.
func commitFirst(ctx context.Context, s session, stmts []ddl.Statement, progress func(int)) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	if err := s.exec(ctx, stmts, progress); err != nil {
		s.rollback(ctx)
		return err
	}
	if err := s.commit(ctx); err != nil {
		s.rollback(ctx)
		return err
	}
	return nil
}

// ForeignKeyViolation is a row that references no row of its foreign
// key's table, as SQLite's PRAGMA foreign_key_check reports it.
type ForeignKeyViolation struct {
	Table, Parent string
	RowID         int64
}

// ForeignKeyError reports that a SQLite plan, run with foreign keys off
// (a table rebuild needs them off), left more rows referencing nothing
// than there were before it: PRAGMA foreign_key_check before commit found
// them, and everything was rolled back.
type ForeignKeyError struct {
	// Violations are the rows referencing nothing, of each table and
	// referenced table whose count grew.
	Violations []ForeignKeyViolation
	// Before is how many of them were there before the plan ran.
	Before int
}

func (e *ForeignKeyError) Error() string {
	v := e.Violations[0]
	msg := fmt.Sprintf("foreign key check failed, rolled back: row %d of table %q references a missing row of %q", v.RowID, v.Table, v.Parent)
	if n := len(e.Violations) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more", n)
		switch {
		case e.Before == 1:
			msg += fmt.Sprintf("; 1 of these %d rows was there before the plan", len(e.Violations))
		case e.Before > 1:
			msg += fmt.Sprintf("; %d of these %d rows were there before the plan", e.Before, len(e.Violations))
		}
		msg += ")"
	}
	return msg
}
