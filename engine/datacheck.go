package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
)

// DataCheckError reports the existing rows that would make the plan's
// changes fail, all of them, found before anything was written.
type DataCheckError struct{ Failures []DataFailure }

// DataFailure is one change and the rows that would break it.
type DataFailure struct {
	Object string
	// Rows is how many rows break it; 0 when they were not counted (a
	// conversion fails at its first value, which Problem quotes).
	Rows    int64
	Problem string
}

func (e *DataCheckError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "not applied: existing rows would make %d change(s) fail; nothing was written:", len(e.Failures))
	for _, f := range e.Failures {
		if f.Rows == 0 {
			fmt.Fprintf(&b, "\n  %s: %s", f.Object, f.Problem)
			continue
		}
		fmt.Fprintf(&b, "\n  %s: %d %s", f.Object, f.Rows, f.Problem)
	}
	return b.String()
}

// checkData runs the dialect's data checks of a plan in the session. A
// check the database cannot run before the plan (its query names what the
// plan creates) becomes a warning: the statement itself then checks the
// rows, in the transaction that rolls back if they fail.
func (e *Engine) checkData(ctx context.Context, s session, p *MigrationPlan) error {
	dc, ok := e.driver.Dialect().(ddl.DataChecker)
	if !ok {
		return nil
	}
	var fe DataCheckError
	for _, c := range dc.DataChecks(p.Changes) {
		n, err := s.count(ctx, c.Query)
		var refused *refusedQuery
		if c.Converts && errors.As(err, &refused) && refused.badValue && ctx.Err() == nil {
			fe.Failures = append(fe.Failures, DataFailure{Object: c.Object, Problem: c.Problem + " (" + firstLine(refused.Error()) + ")"})
			continue
		}
		if errors.As(err, &refused) && ctx.Err() == nil {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s: existing rows not counted before applying (%s); the database checks them as it applies",
				c.Object, firstLine(refused.Error())))
			continue
		}
		if err != nil {
			return fmt.Errorf("checking the rows of %s: %w", c.Object, err)
		}
		if n > 0 {
			problem := c.Problem
			if n == 1 {
				problem = singular(problem)
			}
			fe.Failures = append(fe.Failures, DataFailure{Object: c.Object, Rows: n, Problem: problem})
		}
	}
	if err := warnBrokenReferences(ctx, s, p); err != nil {
		return err
	}
	if len(fe.Failures) > 0 {
		return &fe
	}
	return nil
}

// referenceCounter is a session that runs a plan with foreign keys off
// and counts the rows that reference nothing before the plan's first
// statement that could add some (SQLite's, for a table rebuild): the
// check before commit fails only if there are more.
type referenceCounter interface {
	referencesBefore(ctx context.Context, stmts []ddl.Statement) (map[referenceKey]int, error)
}

// referenceKey is a table and the table its foreign keys reference.
type referenceKey struct{ Table, Parent string }

// warnBrokenReferences warns of the rows that already reference nothing
// when the plan could add some: common on SQLite, which enforces foreign
// keys only on connections that ask for it (the sqlite3 shell does not).
// The plan leaves them as they are.
func warnBrokenReferences(ctx context.Context, s session, p *MigrationPlan) error {
	rc, ok := s.(referenceCounter)
	if !ok {
		return nil
	}
	before, err := rc.referencesBefore(ctx, p.Statements)
	if err != nil {
		return fmt.Errorf("checking the foreign keys: %w", err)
	}
	keys := slices.SortedFunc(maps.Keys(before), func(a, b referenceKey) int {
		return cmp.Or(strings.Compare(a.Table, b.Table), strings.Compare(a.Parent, b.Parent))
	})
	for _, k := range keys {
		problem := fmt.Sprintf("rows reference no row of %s already, written while foreign keys were not enforced; the plan leaves them as they are", metadata.QuoteName(k.Parent))
		if before[k] == 1 {
			problem = singular(problem)
		}
		p.Warnings = append(p.Warnings, fmt.Sprintf("foreign keys of table %s: %d %s", metadata.QuoteName(k.Table), before[k], problem))
	}
	return nil
}

// singular turns "rows are NULL" into "row is NULL": every problem
// starts with its noun and verb, and only those two words change (the
// rest may name a table).
func singular(s string) string {
	words := strings.SplitN(s, " ", 3)
	one := map[string]string{"rows": "row", "values": "value", "are": "is", "reference": "references", "fail": "fails", "exist,": "exists,", "do": "does"}
	for i := 0; i < len(words) && i < 2; i++ {
		if w, ok := one[words[i]]; ok {
			words[i] = w
		}
	}
	return strings.Join(words, " ")
}

// firstLine is the first line of a message.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
