package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
)

// historyTable is where a database keeps the record of applied
// migrations: dbtool's own object, which inspect, plan and diff never
// show.
type historyTable struct {
	// Schema is the namespace dbtool keeps it in (PostgreSQL's "dbtool"),
	// created on first use; empty for the default one (SQLite).
	Schema string
	Name   string
	// Create are the statements that create it when missing.
	Create []string
	// Insert is the statement that records one apply, with $1.. or ?
	// placeholders replaced by literals (see record).
	quote   func(string) string
	literal func(string) string
}

// historian is a driver that keeps a history table: every driver is one.
type historian interface{ history() historyTable }

// HistoryTableName is the name of the table that records applied
// migrations.
const HistoryTableName = "dbtool_migrations"

// HistoryEntry is one recorded apply.
//
// The row keeps the statements applied, once, as a JSON array of their
// text: what ran must be readable afterwards with dbtool migrate history
// or plain SQL, without dbtool's code. A big apply makes a big row, the
// size of the script itself: 3.6 MiB for the 15,343 statements that
// create bench/gen's 5000 tables, which the row records in about 60 ms
// (JSON and the INSERT's literal, on the 2-core benchmark machine under
// load), against 25-60 s for the statements themselves (bench/apply).
// Compressing it would save that disk space but make the record opaque,
// and keeping only PlanChecksum and a count would lose what was run; the
// checksum is kept besides, to compare with a saved plan.
type HistoryEntry struct {
	ID        int64     `json:"id"`
	AppliedAt time.Time `json:"applied_at"`
	// AppliedBy is the database user; Host the machine dbtool ran on.
	AppliedBy string `json:"applied_by"`
	Host      string `json:"host"`
	Version   string `json:"version"`
	// PlanChecksum identifies the statements applied.
	PlanChecksum string `json:"plan_checksum"`
	// Before and After are fingerprints of the schema (Fingerprint).
	Before     string   `json:"schema_before"`
	After      string   `json:"schema_after"`
	Statements []string `json:"statements"`
	DurationMS int64    `json:"duration_ms"`
}

// Fingerprint is a checksum of a schema's content: two inspections of an
// unchanged database have the same one, and any change dbtool manages
// changes it.
func Fingerprint(m *metadata.MetaData) string {
	if m == nil {
		m = &metadata.MetaData{}
	}
	h := sha256.New()
	// The JSON is hashed as it is written, from a canonical view that
	// shares m's tables: neither a copy of the schema nor its text is
	// held (bench/gen's 5000 tables: 90 MiB, held through an apply).
	if err := metadata.WriteJSON(h, metadata.CanonicalReadOnly(m)); err != nil {
		// A hash never fails to write; a failure is a bug worth seeing.
		panic(fmt.Sprintf("fingerprint: %v", err))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// PlanChecksum is a checksum of the statements of a plan.
func PlanChecksum(stmts []ddl.Statement) string {
	h := sha256.New()
	for _, s := range stmts {
		h.Write([]byte(strings.TrimSpace(s.SQL)))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// historyRecord writes the statements that record one apply in the
// history table, creating it first when missing.
func historyRecord(h historyTable, e HistoryEntry) []ddl.Statement {
	var out []ddl.Statement
	for _, c := range h.Create {
		out = append(out, ddl.Statement{SQL: c, Object: "table " + metadata.QualifiedName(h.Schema, h.Name)})
	}
	stmts, _ := json.Marshal(e.Statements)
	table := h.quote(h.Name)
	if h.Schema != "" {
		table = h.quote(h.Schema) + "." + table
	}
	sql := fmt.Sprintf(`INSERT INTO %s (applied_by, host, version, plan_checksum, schema_before, schema_after, statements, duration_ms) VALUES (%s, %s, %s, %s, %s, %s, %s, %d)`,
		table, h.literal(e.AppliedBy), h.literal(e.Host), h.literal(e.Version), h.literal(e.PlanChecksum),
		h.literal(e.Before), h.literal(e.After), h.literal(string(stmts)), e.DurationMS)
	return append(out, ddl.Statement{SQL: sql, Object: "table " + metadata.QualifiedName(h.Schema, h.Name)})
}

// hostname is the machine's name for the history, or "".
func hostname() string {
	h, _ := os.Hostname()
	return h
}

// withoutOwnObjects removes dbtool's history table (and its namespace,
// when dbtool made one for it) from an inspection.
func withoutOwnObjects(m *metadata.MetaData, h historyTable) *metadata.MetaData {
	if m == nil {
		return m
	}
	own := func(schema, name string) bool { return schema == h.Schema && name == h.Name }
	found := false
	for _, t := range m.Tables {
		if own(t.Schema, t.Name) || (h.Schema != "" && t.Schema == h.Schema) {
			found = true
		}
	}
	for _, s := range m.Schemas {
		if h.Schema != "" && s.Name == h.Schema {
			found = true
		}
	}
	if !found {
		return m
	}
	c := *m
	c.Tables = nil
	for _, t := range m.Tables {
		if !own(t.Schema, t.Name) && (h.Schema == "" || t.Schema != h.Schema) {
			c.Tables = append(c.Tables, t)
		}
	}
	c.Schemas = nil
	for _, s := range m.Schemas {
		if h.Schema == "" || s.Name != h.Schema {
			c.Schemas = append(c.Schemas, s)
		}
	}
	c.Sequences = nil
	for _, s := range m.Sequences {
		if h.Schema == "" || s.Schema != h.Schema {
			c.Sequences = append(c.Sequences, s)
		}
	}
	return &c
}

// historyQuery reads the history table; every driver's query returns the
// columns in this order, statements as JSON text.
const historyQuery = `SELECT id, applied_at, applied_by, host, version, plan_checksum, schema_before, schema_after, statements, duration_ms FROM %s ORDER BY id`

// historyReader is a driver that reads its history table: every driver
// is one. It returns no entry when the table does not exist.
type historyReader interface {
	readHistory(ctx context.Context) ([]HistoryEntry, error)
}

// History lists the migrations applied to the database, oldest first.
func (e *Engine) History(ctx context.Context) ([]HistoryEntry, error) {
	h, ok := e.driver.(historyReader)
	if !ok {
		return nil, fmt.Errorf("%s: no migration history", e.URL.Dialect)
	}
	return h.readHistory(ctx)
}

// scanHistory fills an entry from one row of historyQuery.
func scanHistory(scan func(dest ...any) error) (HistoryEntry, error) {
	var e HistoryEntry
	var at any
	var stmts string
	if err := scan(&e.ID, &at, &e.AppliedBy, &e.Host, &e.Version, &e.PlanChecksum, &e.Before, &e.After, &stmts, &e.DurationMS); err != nil {
		return e, err
	}
	switch at := at.(type) {
	case time.Time:
		e.AppliedAt = at
	case string:
		e.AppliedAt, _ = time.Parse("2006-01-02T15:04:05.999Z", at)
	}
	if err := json.Unmarshal([]byte(stmts), &e.Statements); err != nil {
		return e, fmt.Errorf("history entry %d: %w", e.ID, err)
	}
	return e, nil
}

// historyRows is what database/sql's and pgx's rows both are.
type historyRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// collectHistory reads every row of historyQuery.
func collectHistory(rows historyRows) ([]HistoryEntry, error) {
	var out []HistoryEntry
	for rows.Next() {
		e, err := scanHistory(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
