package inspect

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/internal/iostreams"
	"github.com/dbtool/dbtool/metadata"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func ptr(n int64) *int64 { return &n }

// everything is a model using every kind of object the listing shows.
func everything() *metadata.MetaData {
	return &metadata.MetaData{
		Extensions: []metadata.Extension{{Name: "pgcrypto"}, {Name: "citext", Schema: "ext"}},
		Schemas:    []metadata.Schema{{Name: "billing", Comment: "money"}},
		Enums:      []metadata.Enum{{Name: "mood", Values: []string{"sad", "it's ok"}}},
		Domains: []metadata.Domain{{
			Schema: "billing", Name: "posint", Type: metadata.Integer{Bytes: 4}, NotNull: true,
			Default: metadata.NumberLiteral{Value: "1"}, Checks: []metadata.Check{{Name: "positive", Expr: "VALUE > 0"}},
		}},
		Sequences: []metadata.Sequence{{
			Name: "ticket_seq", Type: metadata.Integer{Bytes: 8}, Start: ptr(100), Increment: ptr(5), Cycle: true,
			OwnedBy: "users.ticket",
		}},
		Functions: []metadata.Function{{Name: "touch", Args: "integer, text", Definition: "CREATE FUNCTION ..."},
			{Name: "total", Kind: "aggregate", Args: "numeric", Definition: "CREATE AGGREGATE ..."}},
		Tables: []metadata.Table{
			{
				Name: "orgs",
				Columns: []metadata.Column{
					{Name: "id", Type: metadata.Integer{Bytes: 4}},
					{Name: "name", Type: metadata.Text{}, Nullable: true, Collation: "NOCASE"},
				},
				PrimaryKey:   &metadata.PrimaryKey{Columns: []string{"id"}},
				WithoutRowID: true,
				Strict:       true,
			},
			{
				Name:    "users",
				Comment: "people who log in",
				Columns: []metadata.Column{
					{Name: "id", Type: metadata.Integer{Bytes: 4}, Autoincrement: true},
					{Name: "email", Type: metadata.String{Length: 255}, Comment: "lower case"},
					{Name: "org_id", Type: metadata.Integer{Bytes: 4}, Nullable: true},
					{Name: "created", Type: metadata.Timestamp{TZ: true, Precision: 3}, Nullable: true, Default: metadata.Expr{SQL: "now()"}},
					{Name: "status", Type: metadata.String{Length: 20}, Default: metadata.StringLiteral{Value: "new"}},
					{Name: "active", Type: metadata.Boolean{}, Default: metadata.BoolLiteral{Value: true}},
					{Name: "ticket", Type: metadata.Integer{Bytes: 8}, Identity: &metadata.Identity{Always: true, Start: ptr(10)}},
					{Name: "lower_email", Type: metadata.Raw{SQL: "citext"}, Nullable: true, Generated: &metadata.Generated{Expr: "lower(email)", Stored: true}},
					{Name: "Odd \"Name\"", Type: metadata.Raw{SQL: "integer[]"}, Nullable: true},
				},
				PrimaryKey: &metadata.PrimaryKey{Name: "pk_users", Columns: []string{"id"}},
				ForeignKeys: []metadata.ForeignKey{{
					Columns:    []string{"org_id"},
					References: metadata.ForeignKeyTarget{Table: "orgs", Columns: []string{"id"}},
					OnDelete:   metadata.Cascade, OnUpdate: metadata.SetNull,
					Deferrable: true, InitiallyDeferred: true, Match: "full",
				}},
				Uniques:    []metadata.Unique{{Columns: []string{"email"}}, {Name: "uq_ticket", Columns: []string{"ticket", "org_id"}, NullsNotDistinct: true}},
				Checks:     []metadata.Check{{Expr: "status IN ('new', 'old')"}},
				Exclusions: []metadata.Exclusion{{Name: "no_overlap", Definition: "EXCLUDE USING gist (org_id WITH =)"}},
				Indexes: []metadata.Index{
					{Name: "ix_users_lower_email", Unique: true, Parts: []metadata.IndexPart{{Expr: "lower(email)"}}, Where: "email IS NOT NULL"},
					{Name: "ix_users_created", Method: "brin", Parts: []metadata.IndexPart{{Column: "created", Desc: true, Nulls: "last"}}, Include: []string{"status"}, Comment: "for reports"},
					{Name: "ix_users_email_pattern", Parts: []metadata.IndexPart{{Column: "email", OpClass: "text_pattern_ops", Collation: "C"}}},
				},
				RowLevelSecurity: true,
				Policies: []metadata.Policy{
					{Name: "own_rows", Command: "select", Roles: []string{"app"}, Using: "id = current_user_id()"},
					{Name: "no_writes", Restrictive: true, WithCheck: "false"},
				},
			},
			{
				Schema: "billing", Name: "invoices_2026",
				PartitionOf: &metadata.PartitionOf{Parent: metadata.TableRef{Schema: "billing", Name: "invoices"}, Bound: "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')"},
				Inherits:    []metadata.TableRef{{Name: "audit"}},
			},
		},
		VirtualTables: []metadata.VirtualTable{{Name: "docs", Using: "fts5(title, body)"}},
		Views: []metadata.View{
			{Name: "active_users", Columns: []string{"id", "email"}, Definition: "SELECT id, email\nFROM users\nWHERE active;", CheckOption: "local"},
			{Schema: "billing", Name: "totals", Materialized: true, Definition: "SELECT 1 AS one",
				Indexes: []metadata.Index{{Name: "ix_totals_one", Unique: true, Parts: []metadata.IndexPart{{Column: "one"}}}}, Comment: "refreshed nightly"},
		},
		Triggers: []metadata.Trigger{{Name: "users_touch", Table: "users", Definition: "CREATE TRIGGER users_touch AFTER UPDATE ON users\nBEGIN SELECT 1; END"}},
	}
}

func TestPrintTextGolden(t *testing.T) {
	var buf bytes.Buffer
	ios, _, _, _ := iostreams.Test()
	if err := printText(&buf, ios.ColorScheme(), everything()); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "everything.txt")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got := buf.String(); got != string(want) {
		t.Errorf("listing differs from %s (go test -update rewrites it):\n%s", golden, got)
	}
}

var escape = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestPrintTextColour checks that colour changes nothing but the escape
// codes: the coloured listing, stripped, is the plain one, so columns stay
// aligned.
func TestPrintTextColour(t *testing.T) {
	var plain, coloured bytes.Buffer
	ios, _, _, _ := iostreams.Test()
	if err := printText(&plain, ios.ColorScheme(), everything()); err != nil {
		t.Fatal(err)
	}
	ios.SetStdoutTTY(true)
	if err := printText(&coloured, ios.ColorScheme(), everything()); err != nil {
		t.Fatal(err)
	}
	if !escape.Match(coloured.Bytes()) {
		t.Fatal("listing for a terminal has no colour")
	}
	if escape.Match(plain.Bytes()) {
		t.Fatal("listing for a pipe has escape codes")
	}
	if stripped := escape.ReplaceAllString(coloured.String(), ""); stripped != plain.String() {
		t.Errorf("coloured listing, stripped of colour, differs from the plain one:\n%s", stripped)
	}
}

func TestPrintTextEmpty(t *testing.T) {
	var buf bytes.Buffer
	ios, _, _, _ := iostreams.Test()
	if err := printText(&buf, ios.ColorScheme(), &metadata.MetaData{}); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "no tables or views\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestIdent(t *testing.T) {
	for name, want := range map[string]string{
		"users":      "users",
		"_x1":        "_x1",
		"größe":      "größe",
		"Odd Name":   `"Odd Name"`,
		`say "hi"`:   `"say ""hi"""`,
		"1st":        `"1st"`,
		"":           `""`,
		"a.b":        `"a.b"`,
		"with-dash":  `"with-dash"`,
		"dollar$ok":  "dollar$ok",
		"$notastart": `"$notastart"`,
	} {
		if got := ident(name); got != want {
			t.Errorf("ident(%q) = %s, want %s", name, got, want)
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{
		"id": 2, "名前": 4, "ｶﾅ": 2, "ＡＢ": 4, "é": 1, "e\u0301": 1, "": 0,
	} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
	// Columns line up after a wide name.
	if got := pad("名前", 6) + "|"; got != "名前  |" {
		t.Errorf("pad = %q", got)
	}
}

// TestPrintTextAlignsCJK lists a table whose names and types mix CJK,
// full-width, combining and ASCII text, and checks on the output itself
// that each column of the listing starts at the same terminal column on
// every line, plain and coloured.
func TestPrintTextAlignsCJK(t *testing.T) {
	m := &metadata.MetaData{Tables: []metadata.Table{{
		Name: "顧客",
		Columns: []metadata.Column{
			{Name: "id", Type: metadata.Integer{Bytes: 4}},
			{Name: "名前", Type: metadata.Text{}, Nullable: true, Default: metadata.StringLiteral{Value: "無名"}},
			{Name: "電子メールアドレス", Type: metadata.String{Length: 255}},
			{Name: "ｶﾅ", Type: metadata.Raw{SQL: "状態"}, Nullable: true, Comment: "半角"},
			{Name: "café", Type: metadata.Raw{SQL: "ＪＳＯＮ"}, Comment: "x"},
			{Name: "cafe\u0301", Type: metadata.Boolean{}, Nullable: true},
		},
	}}}
	for _, tty := range []bool{false, true} {
		var buf bytes.Buffer
		ios, _, _, _ := iostreams.Test()
		ios.SetStdoutTTY(tty)
		if err := printText(&buf, ios.ColorScheme(), m); err != nil {
			t.Fatal(err)
		}
		plain := escape.ReplaceAllString(buf.String(), "")
		lines := strings.Split(strings.TrimSuffix(plain, "\n"), "\n")
		if len(lines) != 7 || lines[0] != "table 顧客" {
			t.Fatalf("listing:\n%s", plain)
		}
		// A column of the listing starts after a run of two spaces; its
		// start is measured in terminal columns.
		var starts [][]int
		for _, l := range lines[1:] {
			var s []int
			for i := 2; i < len(l); i++ {
				if l[i-2:i] == "  " && l[i] != ' ' && i > 2 {
					s = append(s, displayWidth(l[:i]))
				}
			}
			starts = append(starts, s)
		}
		for i, s := range starts {
			// Type and nullability line up on every line, and the
			// extras on every line that has them.
			n := min(len(s), len(starts[0]))
			if i > 0 && !slices.Equal(s[:min(n, 2)], starts[0][:2]) {
				t.Errorf("tty=%v: line %q starts its columns at %v, the first line at %v\n%s", tty, lines[i+1], s, starts[0], plain)
			}
		}
		if len(starts[1]) != 3 || len(starts[3]) != 3 || starts[1][2] != starts[3][2] {
			t.Errorf("tty=%v: extras not aligned: %v\n%s", tty, starts, plain)
		}
	}
}
