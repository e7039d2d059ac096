package sqlscript

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Execer runs one SQL statement without arguments. A pgx connection or
// transaction becomes one through ExecFunc, database/sql's *DB, *Tx and
// *Conn through FromSQL.
type Execer interface {
	Exec(ctx context.Context, sql string) error
}

// ExecFunc adapts a function to Execer; with pgx:
//
//	sqlscript.ExecFunc(func(ctx context.Context, sql string) error {
//		_, err := tx.Exec(ctx, sql)
//		return err
//	})
type ExecFunc func(ctx context.Context, sql string) error

// Exec calls f.
func (f ExecFunc) Exec(ctx context.Context, sql string) error { return f(ctx, sql) }

// FromSQL adapts database/sql's *DB, *Tx or *Conn to Execer.
func FromSQL(db interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}) Execer {
	return ExecFunc(func(ctx context.Context, sql string) error {
		_, err := db.ExecContext(ctx, sql)
		return err
	})
}

// Exec runs the statements in order and stops at the first the database
// refuses, returning a *StatementError. It opens no transaction.
//
// Give it one connection, not a pool: a script's SET and set_config must
// stay in force for the statements after them. On PostgreSQL, run a
// script in autocommit mode, as psql does, rather than in one
// transaction: a value ALTER TYPE ... ADD VALUE adds to an enum cannot be
// used in the transaction that added it (the river-pg corpus does this),
// and CREATE INDEX CONCURRENTLY refuses to run in one. SQLite scripts can
// run in a transaction.
func Exec(ctx context.Context, db Execer, stmts []Statement) error {
	for _, s := range stmts {
		if err := db.Exec(ctx, s.SQL); err != nil {
			return &StatementError{Pos: s.Pos, SQL: s.SQL, Err: err}
		}
	}
	return nil
}

// StatementError is a statement of a script the database refused. Err is
// the database's error (for PostgreSQL a *pgconn.PgError, reachable with
// errors.As).
type StatementError struct {
	Pos Pos
	SQL string // the whole statement
	Err error
}

// Error returns "file:line:col: the database's error", and the start of
// the statement on a second line.
func (e *StatementError) Error() string {
	return fmt.Sprintf("%s: %v\nstatement: %s", e.Pos, e.Err, abbreviate(e.SQL))
}

// Unwrap returns the database's error.
func (e *StatementError) Unwrap() error { return e.Err }

// abbreviate returns the first line of a statement, shortened to about 80
// characters, with "..." when something was left out.
func abbreviate(sql string) string {
	const max = 80
	line, rest, more := strings.Cut(sql, "\n")
	line = strings.TrimRight(line, " \t\r")
	more = more && strings.TrimSpace(rest) != ""
	if r := []rune(line); len(r) > max {
		line, more = string(r[:max]), true
	}
	if more {
		line += " ..."
	}
	return line
}
