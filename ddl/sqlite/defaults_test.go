package sqlite

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/metadata"
)

// TestPortableFunctions: the portable date and time functions are written
// as SQLite has them, whatever their case and spacing; anything else
// passes through.
func TestPortableFunctions(t *testing.T) {
	for expr, want := range map[string]string{
		"now()":             "CURRENT_TIMESTAMP",
		"NOW ( )":           "CURRENT_TIMESTAMP",
		"current_timestamp": "current_timestamp",
		"Current_Date":      "Current_Date",
		"CURRENT_TIME":      "CURRENT_TIME",
		"LOCALTIMESTAMP":    "(datetime('now', 'localtime'))",
		"localtime":         "(time('now', 'localtime'))",
		"now() + 1":         "(now() + 1)",
		"datetime('now')":   "(datetime('now'))",
	} {
		got, err := FormatDefault(metadata.Expr{SQL: expr})
		if err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", expr, got, err, want)
		}
	}
}

// TestCheckDefaults evaluates each default expression on a real SQLite:
// those it lacks a function for are refused, naming the column; the
// portable ones, SQLite's own and bare words pass.
func TestCheckDefaults(t *testing.T) {
	db := openMemory(t)
	expr := func(name, sql string) metadata.Column {
		return metadata.Column{Name: name, Type: metadata.Text{}, Nullable: true, Default: metadata.Expr{SQL: sql}}
	}
	m := &metadata.MetaData{Tables: []metadata.Table{
		{Name: "fine", Columns: []metadata.Column{
			expr("a", "now()"), expr("b", "localtimestamp"), expr("c", "datetime('now', 'localtime')"),
			expr("d", "lower('X') || 'y'"), expr("e", "CURRENT_DATE"), expr("f", "abs(random())"),
			expr("g", "bare_word"), expr("h", "X'00'"), expr("i", "strftime('%s', 'now') * 1000"),
			{Name: "j", Type: metadata.Text{}, Default: metadata.StringLiteral{Value: "now()"}},
		}},
		{Name: "events", Columns: []metadata.Column{
			expr("id", "gen_random_uuid()"),
			expr("at", "now() at time zone 'utc'"),
			expr("n", "nextval('events_seq'::regclass)"),
			expr("ok", "1"),
		}},
	}}
	err := CheckDefaults(context.Background(), db, m)
	var ps metadata.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("CheckDefaults = %v, want metadata.Problems", err)
	}
	want := []struct{ path, object, message string }{
		{"tables[1].columns[0].default", `column "events"."id"`, "no such function: gen_random_uuid"},
		{"tables[1].columns[1].default", `column "events"."at"`, "syntax error"},
		{"tables[1].columns[2].default", `column "events"."n"`, "unrecognized token"},
	}
	if len(ps) != len(want) {
		t.Fatalf("problems:\n%v", err)
	}
	for i, w := range want {
		if ps[i].Path != w.path || ps[i].Object != w.object || !strings.Contains(ps[i].Message, w.message) {
			t.Errorf("problem %d: %+v, want %+v", i, ps[i], w)
		}
	}
}
