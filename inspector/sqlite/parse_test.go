package sqlite

import (
	"strings"
	"testing"

	"github.com/dbtool/dbtool/metadata"
	"github.com/google/go-cmp/cmp"
)

func TestLex(t *testing.T) {
	src := `CREATE "a ""b""" [c d] ` + "`e``f`" + ` 'g''h' x'00ff' 12.5e-3 .5 0x1F -- line, comment
/* block ( comment */ ( , ) || <= name$1 ünï;`
	toks, err := lex(src)
	if err != nil {
		t.Fatal(err)
	}
	type tok struct {
		Kind  tokenKind
		Value string
	}
	var got []tok
	for _, tk := range toks {
		got = append(got, tok{tk.kind, tk.value})
		if tk.kind != tkQuoted && tk.kind != tkString && src[tk.start:tk.end] != tk.value {
			t.Errorf("token %q spans %q", tk.value, src[tk.start:tk.end])
		}
	}
	want := []tok{
		{tkWord, "CREATE"}, {tkQuoted, `a "b"`}, {tkQuoted, "c d"}, {tkQuoted, "e`f"}, {tkString, "g'h"},
		{tkBlob, "x'00ff'"}, {tkNumber, "12.5e-3"}, {tkNumber, ".5"}, {tkNumber, "0x1F"},
		{tkPunct, "("}, {tkPunct, ","}, {tkPunct, ")"}, {tkPunct, "||"}, {tkPunct, "<="},
		{tkWord, "name$1"}, {tkWord, "ünï"}, {tkPunct, ";"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{`"open`, `'open`, "[open", "`open", "x'00"} {
		if _, err := lex(bad); err == nil || !strings.Contains(err.Error(), "unterminated") {
			t.Errorf("lex(%q): err = %v", bad, err)
		}
	}
	// SQLite ends an unterminated block comment at the end of the text.
	if toks, err := lex("a /* open"); err != nil || len(toks) != 1 {
		t.Errorf("unterminated comment: %v, %v", toks, err)
	}
}

func TestDeclaredType(t *testing.T) {
	for in, want := range map[string]string{
		"":                "",
		"INTEGER":         "INTEGER",
		"NUMERIC(10, 2)":  "NUMERIC(10, 2)",
		`"weird type"`:    "weird type",
		`"a""b" (10)`:     `a"b`,
		"[bracketed] x":   "bracketed",
		"unsigned  big":   "unsigned  big",
		"VARCHAR /*c*/ 5": "VARCHAR /*c*/ 5",
	} {
		if got := declaredType(in); got != want {
			t.Errorf("declaredType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseCreateTableErrors(t *testing.T) {
	for _, sql := range []string{
		"CREATE VIEW v AS SELECT 1",
		"CREATE TABLE t",
		"CREATE TABLE t (a INT",
		"CREATE TABLE t (a INT, PRIMARY KEY (a), b INT)",
		"CREATE TABLE t (a INT) GARBAGE",
		"CREATE TABLE t (a INT REFERENCES p ON DELETE EXPLODE)",
		"CREATE TABLE t (a INT CHECK a > 0)",
		"CREATE TABLE t (a INT DEFAULT)",
		"CREATE TABLE t (a INT GENERATED ALWAYS (a))",
	} {
		if _, err := parseCreateTable(sql); err == nil {
			t.Errorf("%s: no error", sql)
		} else if !strings.Contains(err.Error(), "offset") {
			t.Errorf("%s: error %v does not say where", sql, err)
		}
	}
}

func TestParseCreateTable(t *testing.T) {
	def, err := parseCreateTable(`CREATE TABLE IF NOT EXISTS main."t" (
		id INTEGER CONSTRAINT pk PRIMARY KEY ASC ON CONFLICT ROLLBACK AUTOINCREMENT,
		"a b" TEXT NOT NULL ON CONFLICT FAIL DEFAULT 'x' COLLATE NOCASE CONSTRAINT u UNIQUE ON CONFLICT IGNORE,
		c REFERENCES p (x) ON DELETE SET NULL ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED,
		d NUMERIC(10, 2) DEFAULT (1 + 2) CHECK (d > 0) GENERATED ALWAYS AS (id * 2) STORED,
		CONSTRAINT fk FOREIGN KEY (c, d) REFERENCES q ON UPDATE CASCADE NOT DEFERRABLE,
		UNIQUE (c COLLATE RTRIM, d DESC) ON CONFLICT replace
		CHECK (c <> d) ON CONFLICT IGNORE
	) WITHOUT ROWID, STRICT`)
	if err != nil {
		t.Fatal(err)
	}
	want := &tableDef{
		columns: []columnDef{
			{name: "id", typ: "INTEGER", autoincrement: true},
			{name: "a b", typ: "TEXT", notNull: true, notNullConflict: "FAIL", defaultText: "'x'", collation: "NOCASE"},
			{name: "c"},
			{name: "d", typ: "NUMERIC(10, 2)", defaultText: "(1 + 2)", generated: &metadata.Generated{Expr: "id * 2", Stored: true}},
		},
		pk: &keyDef{name: "pk", columns: []string{"id"}, collations: []string{""}, descs: []bool{false}, inline: true, onConflict: "ROLLBACK"},
		uniques: []keyDef{
			{name: "u", columns: []string{"a b"}, collations: []string{""}, descs: []bool{false}, inline: true, onConflict: "IGNORE"},
			{columns: []string{"c", "d"}, collations: []string{"RTRIM", ""}, descs: []bool{false, true}, onConflict: "REPLACE"},
		},
		checks: []metadata.Check{{Expr: "d > 0"}, {Expr: "c <> d"}},
		foreignKeys: []fkDef{
			{columns: []string{"c"}, table: "p", refColumns: []string{"x"}, onDelete: metadata.SetNull, deferrable: true, initiallyDeferred: true},
			{name: "fk", columns: []string{"c", "d"}, table: "q", onUpdate: metadata.Cascade},
		},
		withoutRowID: true,
		strict:       true,
		dropped:      []string{"ON CONFLICT IGNORE on CHECK (c <> d), which SQLite ignores"},
	}
	if diff := cmp.Diff(want, def, cmp.AllowUnexported(tableDef{}, columnDef{}, keyDef{}, fkDef{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseCreateIndex(t *testing.T) {
	def, err := parseCreateIndex(`CREATE UNIQUE INDEX IF NOT EXISTS main.ix ON "t" (
		a, ("b"), 'c' COLLATE NOCASE DESC, lower(d || ',') ASC, (e + f) COLLATE "RTRIM"
	) WHERE a > 0 AND b IN (1, 2)`)
	if err != nil {
		t.Fatal(err)
	}
	want := &indexDef{
		unique: true,
		table:  "t",
		parts: []indexPartDef{
			{text: "a", name: "a"},
			{text: `("b")`, name: "b"},
			{text: "'c'", name: "c", collation: "NOCASE", desc: true},
			{text: "lower(d || ',')"},
			{text: "(e + f)", collation: "RTRIM"},
		},
		where: "a > 0 AND b IN (1, 2)",
	}
	if diff := cmp.Diff(want, def, cmp.AllowUnexported(indexDef{}, indexPartDef{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseViewAndVirtualTable(t *testing.T) {
	v, err := parseCreateView("CREATE TEMP VIEW IF NOT EXISTS \"v\" (a, [b c]) AS\n  SELECT 1, 2 -- two")
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(v.columns, []string{"a", "b c"}) || v.definition != "SELECT 1, 2 -- two" {
		t.Errorf("view: %+v", v)
	}
	using, err := parseCreateVirtualTable("CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(title, body, tokenize = 'porter')")
	if err != nil || using != "fts5(title, body, tokenize = 'porter')" {
		t.Errorf("virtual table: %q, %v", using, err)
	}
}
