package sqlite_test

import (
	"strings"
	"testing"

	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/metadata"
	"github.com/google/go-cmp/cmp"
)

func col(name string, typ metadata.Type, nullable bool) metadata.Column {
	return metadata.Column{Name: name, Type: typ, Nullable: nullable}
}

func pk(cols ...string) *metadata.PrimaryKey { return &metadata.PrimaryKey{Columns: cols} }

// everyType has a column of every portable type, raw types, no type, and
// every kind of default.
func everyType() metadata.Table {
	withDefault := func(c metadata.Column, d metadata.Default) metadata.Column { c.Default = d; return c }
	return metadata.Table{
		Name: "every_type",
		Columns: []metadata.Column{
			col("id", metadata.Integer{Bytes: 4}, false),
			col("small", metadata.Integer{Bytes: 2}, true),
			col("big", metadata.Integer{Bytes: 8}, false),
			col("name", metadata.String{Length: 100}, false),
			col("any_length", metadata.String{}, true),
			col("code", metadata.Char{Length: 3}, true),
			col("one_char", metadata.Char{}, true),
			col("body", metadata.Text{}, true),
			col("flag", metadata.Boolean{}, true),
			col("amount", metadata.Numeric{Precision: 10, Scale: 2}, true),
			col("whole", metadata.Numeric{Precision: 12}, true),
			col("exact", metadata.Numeric{}, true),
			col("ratio", metadata.Float{Bytes: 4}, true),
			col("precise", metadata.Float{Bytes: 8}, true),
			col("day", metadata.Date{}, true),
			col("at", metadata.Time{Precision: -1}, true),
			col("at_tz", metadata.Time{TZ: true, Precision: 3}, true),
			col("stamp", metadata.Timestamp{Precision: -1}, true),
			col("stamp3", metadata.Timestamp{Precision: 3}, true),
			col("stamp_tz", metadata.Timestamp{TZ: true, Precision: -1}, true),
			col("token", metadata.UUID{}, true),
			col("doc", metadata.JSON{}, true),
			col("bytes", metadata.Binary{}, true),
			col("legacy_int", metadata.Raw{SQL: "INT"}, true),
			col("nvarchar", metadata.Raw{SQL: "NVARCHAR(40)"}, true),
			col("untyped", metadata.Raw{SQL: ""}, true),
			withDefault(col("d_string", metadata.Text{}, false), metadata.StringLiteral{Value: "it's \"quoted\""}),
			withDefault(col("d_empty", metadata.Text{}, true), metadata.StringLiteral{Value: ""}),
			withDefault(col("d_int", metadata.Integer{Bytes: 4}, false), metadata.NumberLiteral{Value: "0"}),
			withDefault(col("d_neg", metadata.Numeric{Precision: 10, Scale: 2}, true), metadata.NumberLiteral{Value: "-1.50"}),
			withDefault(col("d_exp", metadata.Float{Bytes: 8}, true), metadata.NumberLiteral{Value: "1e-3"}),
			withDefault(col("d_true", metadata.Boolean{}, true), metadata.BoolLiteral{Value: true}),
			withDefault(col("d_false", metadata.Boolean{}, true), metadata.BoolLiteral{Value: false}),
			withDefault(col("d_now", metadata.Timestamp{Precision: -1}, true), metadata.Expr{SQL: "CURRENT_TIMESTAMP"}),
			withDefault(col("d_date", metadata.Date{}, true), metadata.Expr{SQL: "CURRENT_DATE"}),
			withDefault(col("d_func", metadata.Text{}, true), metadata.Expr{SQL: "datetime('now', 'localtime')"}),
			withDefault(col("d_expr_one", metadata.Integer{Bytes: 4}, true), metadata.Expr{SQL: "1"}),
			withDefault(col("d_expr_str", metadata.Text{}, true), metadata.Expr{SQL: "'a' || 'b'"}),
			withDefault(col("d_paren", metadata.Integer{Bytes: 4}, true), metadata.Expr{SQL: "(1) + (2)"}),
			withDefault(col("d_null", metadata.Text{}, true), metadata.Expr{SQL: "NULL"}),
			withDefault(col("d_blob", metadata.Binary{}, true), metadata.Expr{SQL: "X'00FF'"}),
			withDefault(col("d_hex", metadata.Integer{Bytes: 4}, true), metadata.Expr{SQL: "0x10"}),
		},
		PrimaryKey: pk("id"),
	}
}

// features declares one of everything SQLite keeps.
func features() *metadata.MetaData {
	nocase := col("email", metadata.Text{}, false)
	nocase.Collation = "NOCASE"
	auto := col("id", metadata.Integer{Bytes: 4}, false)
	auto.Autoincrement = true
	virtualGen := col("total", metadata.Numeric{Precision: 10, Scale: 2}, true)
	virtualGen.Generated = &metadata.Generated{Expr: "quantity * price"}
	storedGen := col("label", metadata.Text{}, false)
	storedGen.Generated = &metadata.Generated{Expr: "'#' || id", Stored: true}
	return &metadata.MetaData{
		Tables: []metadata.Table{
			everyType(),
			{
				Name:       "accounts",
				Columns:    []metadata.Column{auto, nocase, col("org_id", metadata.Integer{Bytes: 4}, true), col("age", metadata.Integer{Bytes: 4}, true)},
				PrimaryKey: &metadata.PrimaryKey{Name: "pk_accounts", Columns: []string{"id"}},
				Uniques:    []metadata.Unique{{Columns: []string{"email"}}, {Name: "uq_accounts_org_email", Columns: []string{"org_id", "email"}}},
				Checks:     []metadata.Check{{Expr: "age >= 0"}, {Name: "ck_accounts_age", Expr: "age < 200"}},
				ForeignKeys: []metadata.ForeignKey{{
					Name: "fk_accounts_org", Columns: []string{"org_id"},
					References: metadata.ForeignKeyTarget{Table: "orgs", Columns: []string{"id"}},
					OnDelete:   metadata.SetNull, OnUpdate: metadata.Cascade,
				}},
				Indexes: []metadata.Index{
					{Name: "ix_accounts_lower_email", Unique: true, Parts: []metadata.IndexPart{{Expr: "lower(email)"}}, Where: "email IS NOT NULL"},
					{Name: "ix_accounts_age_desc", Parts: []metadata.IndexPart{{Column: "age", Desc: true}, {Column: "email", Collation: "RTRIM"}}},
					{Name: "ix_accounts_expr_collate", Parts: []metadata.IndexPart{{Expr: "substr(email, 1, 3)", Collation: "NOCASE", Desc: true}}},
				},
			},
			{
				Name:       "orgs",
				Columns:    []metadata.Column{col("id", metadata.Integer{Bytes: 4}, false), col("name", metadata.String{Length: 100}, false), col("parent_id", metadata.Integer{Bytes: 4}, true)},
				PrimaryKey: pk("id"),
				ForeignKeys: []metadata.ForeignKey{{
					Columns: []string{"parent_id"}, References: metadata.ForeignKeyTarget{Table: "orgs", Columns: []string{"id"}}, OnDelete: metadata.Restrict,
				}},
			},
			{
				Name:       "parents",
				Columns:    []metadata.Column{col("a", metadata.Integer{Bytes: 4}, false), col("b", metadata.Text{}, false)},
				PrimaryKey: &metadata.PrimaryKey{Name: "pk_parents", Columns: []string{"a", "b"}},
			},
			{
				Name: "children",
				Columns: []metadata.Column{
					col("id", metadata.Integer{Bytes: 4}, false), col("pa", metadata.Integer{Bytes: 4}, true), col("pb", metadata.Text{}, true),
					col("quantity", metadata.Integer{Bytes: 4}, false), col("price", metadata.Numeric{Precision: 10, Scale: 2}, false),
					virtualGen, storedGen,
				},
				PrimaryKey: pk("id"),
				ForeignKeys: []metadata.ForeignKey{
					{
						Name: "fk_children_parent", Columns: []string{"pa", "pb"},
						References: metadata.ForeignKeyTarget{Table: "parents", Columns: []string{"a", "b"}},
						OnDelete:   metadata.Cascade, OnUpdate: metadata.SetDefault, Deferrable: true, InitiallyDeferred: true,
					},
					{
						Columns:    []string{"pb", "pa"},
						References: metadata.ForeignKeyTarget{Table: "parents", Columns: []string{"b", "a"}},
						Deferrable: true,
					},
				},
			},
			// An FK cycle: cycle_a -> cycle_b -> cycle_a.
			{
				Name:        "cycle_a",
				Columns:     []metadata.Column{col("id", metadata.Integer{Bytes: 4}, false), col("b_id", metadata.Integer{Bytes: 4}, true)},
				PrimaryKey:  pk("id"),
				ForeignKeys: []metadata.ForeignKey{{Columns: []string{"b_id"}, References: metadata.ForeignKeyTarget{Table: "cycle_b", Columns: []string{"id"}}}},
			},
			{
				Name:        "cycle_b",
				Columns:     []metadata.Column{col("id", metadata.Integer{Bytes: 4}, false), col("a_id", metadata.Integer{Bytes: 4}, true)},
				PrimaryKey:  pk("id"),
				ForeignKeys: []metadata.ForeignKey{{Columns: []string{"a_id"}, References: metadata.ForeignKeyTarget{Table: "cycle_a", Columns: []string{"id"}}}},
			},
			{
				Name:         "kv",
				Columns:      []metadata.Column{col("ns", metadata.Text{}, false), col("key", metadata.Text{}, false), col("value", metadata.Binary{}, true)},
				PrimaryKey:   pk("ns", "key"),
				WithoutRowID: true,
			},
			{
				Name:       "strict_t",
				Strict:     true,
				Columns:    []metadata.Column{col("id", metadata.Integer{Bytes: 4}, false), col("r", metadata.Raw{SQL: "REAL"}, true), col("a", metadata.Raw{SQL: "ANY"}, true), col("t", metadata.Text{}, true)},
				PrimaryKey: pk("id"),
			},
			{
				Name:         "strict_wr",
				Strict:       true,
				WithoutRowID: true,
				Columns:      []metadata.Column{col("code", metadata.Text{}, false), col("n", metadata.Raw{SQL: "INT"}, false)},
				PrimaryKey:   pk("code"),
			},
			{
				// No primary key, a nullable unique, no constraints at all.
				Name:    "loose",
				Columns: []metadata.Column{col("x", metadata.Raw{SQL: ""}, true), col("y", metadata.Integer{Bytes: 4}, true)},
				Uniques: []metadata.Unique{{Columns: []string{"y"}}},
			},
		},
		Views: []metadata.View{
			{Name: "adults", Definition: "SELECT id, email FROM accounts WHERE age >= 18"},
			{Name: "org_names", Columns: []string{"org_id", "org_name"}, Definition: "SELECT id, name\nFROM orgs -- every org"},
		},
		VirtualTables: []metadata.VirtualTable{
			{Name: "docs_fts", Using: "fts5(title, body, tokenize = 'porter')"},
		},
		Triggers: []metadata.Trigger{{
			Name: "trg_orgs_ai", Table: "orgs",
			Definition: "CREATE TRIGGER trg_orgs_ai AFTER INSERT ON orgs\nBEGIN\n  INSERT INTO docs_fts(title, body) VALUES (new.name, '');\nEND",
		}},
	}
}

func TestRoundTripFeatures(t *testing.T) {
	res := roundTrip(t, features())
	if len(res.Warnings) != 0 {
		t.Errorf("warnings: %v", res.Warnings)
	}
}

// quotedNames uses names that need quoting everywhere a name goes.
func quotedNames() *metadata.MetaData {
	return &metadata.MetaData{
		Tables: []metadata.Table{
			{
				Name: `we"ird tab`,
				Columns: []metadata.Column{
					col("sel ect", metadata.Integer{Bytes: 4}, false),
					col("Order", metadata.Text{}, true),
					col("user", metadata.Text{}, true),
					col("ünïcödé", metadata.Text{}, true),
					col(`it's "both"`, metadata.Integer{Bytes: 4}, true),
					col("[bracket]", metadata.Integer{Bytes: 4}, true),
				},
				PrimaryKey: &metadata.PrimaryKey{Name: "pk weird", Columns: []string{"sel ect"}},
				Uniques:    []metadata.Unique{{Name: `uq "order"`, Columns: []string{"Order", "user"}}},
				Checks:     []metadata.Check{{Name: "check", Expr: `"sel ect" > 0`}},
				Indexes: []metadata.Index{
					{Name: `ix "ünï"`, Parts: []metadata.IndexPart{{Column: "ünïcödé"}, {Column: `it's "both"`, Desc: true}}},
					{Name: "from", Parts: []metadata.IndexPart{{Expr: `lower("Order")`}}, Where: `"user" <> 'x'`},
				},
			},
			{
				Name:       "order",
				Columns:    []metadata.Column{col("id", metadata.Integer{Bytes: 4}, false), col("weird id", metadata.Integer{Bytes: 4}, true), col("[bracket]", metadata.Integer{Bytes: 4}, true)},
				PrimaryKey: pk("id"),
				ForeignKeys: []metadata.ForeignKey{{
					Name: "fk to \"weird\"", Columns: []string{"weird id"},
					References: metadata.ForeignKeyTarget{Table: `we"ird tab`, Columns: []string{"sel ect"}},
				}},
			},
		},
		Views: []metadata.View{{Name: "select", Columns: []string{"from", "Ä"}, Definition: `SELECT "sel ect", "Order" FROM "we""ird tab"`}},
		Triggers: []metadata.Trigger{{
			Name: "trigger \"x\"", Table: "order",
			Definition: `CREATE TRIGGER "trigger ""x""" AFTER DELETE ON "order" BEGIN SELECT 1; END`,
		}},
	}
}

// TestRawSpellingsKept: a declared type that reads as a portable type
// but is not spelled as the dialect spells it stays raw, so the table is
// recreated as it was declared, also through YAML ({raw: ...}).
func TestRawSpellingsKept(t *testing.T) {
	m := &metadata.MetaData{Tables: []metadata.Table{{
		Name: "spellings",
		Columns: []metadata.Column{
			col("a", metadata.Raw{SQL: "NUMERIC(10, 2)"}, true),
			col("b", metadata.Raw{SQL: "DECIMAL(4,2)"}, true),
			col("c", metadata.Raw{SQL: "INT"}, false),
			col("d", metadata.Raw{SQL: "UNSIGNED BIG INT"}, true),
			col("e", metadata.Raw{SQL: "BLOB SUB_TYPE TEXT"}, true),
			col("f", metadata.Raw{SQL: "DOUBLE PRECISION"}, true),
		},
		PrimaryKey: pk("c"),
	}}}
	db := openDB(t)
	create(t, db, m)
	got := inspect(t, db, inspector.Options{}).Schema
	assertSame(t, m, got)
	throughYAML(t, got)
}

func TestRoundTripQuotedNames(t *testing.T) {
	roundTrip(t, quotedNames())
}

func TestRoundTripTwice(t *testing.T) {
	// What is inspected, created again, inspects the same: the second
	// database is built only from the first one's model.
	first := roundTrip(t, features())
	second := roundTrip(t, first.Schema)
	assertSame(t, first.Schema, second.Schema)
}

func TestShadowAndInternalTablesLeftOut(t *testing.T) {
	res := roundTrip(t, features())
	for _, tbl := range res.Schema.Tables {
		switch tbl.Name {
		case "sqlite_sequence", "docs_fts_data", "docs_fts_idx", "docs_fts_content", "docs_fts_docsize", "docs_fts_config":
			t.Errorf("internal or shadow table %s reported", tbl.Name)
		}
	}
	if len(res.Schema.VirtualTables) != 1 {
		t.Errorf("virtual tables: %+v", res.Schema.VirtualTables)
	}
}

func TestAutomaticIndexesAreConstraints(t *testing.T) {
	res := roundTrip(t, features())
	for _, tbl := range res.Schema.Tables {
		for _, ix := range tbl.Indexes {
			if len(ix.Name) >= 7 && ix.Name[:7] == "sqlite_" {
				t.Errorf("table %s: automatic index %s reported as an index", tbl.Name, ix.Name)
			}
		}
	}
}

// conflictClauses declares SQLite's ON CONFLICT clauses and the collations
// and orders of key columns, each where SQLite takes them.
func conflictClauses() *metadata.MetaData {
	notNull := col("title", metadata.Text{}, false)
	notNull.NotNullOnConflict = metadata.ConflictReplace
	notNull.Default = metadata.StringLiteral{Value: "untitled"}
	return &metadata.MetaData{Tables: []metadata.Table{
		{
			Name:       "notes",
			Columns:    []metadata.Column{col("id", metadata.Integer{Bytes: 4}, false), notNull, col("book", metadata.Text{}, true), col("slug", metadata.Text{}, true)},
			PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}, OnConflict: metadata.ConflictReplace},
			Uniques: []metadata.Unique{
				{Columns: []string{"book", "title"}, ColumnOptions: []metadata.KeyColumnOption{{Column: "title", Collation: "NOCASE", Desc: true}}, OnConflict: metadata.ConflictIgnore},
				{Name: "uq_slug", Columns: []string{"slug"}, OnConflict: metadata.ConflictFail},
			},
		},
		{
			// A descending INTEGER key: not an alias of the rowid.
			Name:       "desc_key",
			Columns:    []metadata.Column{col("id", metadata.Integer{Bytes: 4}, false)},
			PrimaryKey: &metadata.PrimaryKey{Name: "pk_desc", Columns: []string{"id"}, ColumnOptions: []metadata.KeyColumnOption{{Column: "id", Desc: true}}, OnConflict: metadata.ConflictAbort},
		},
		{
			Name:         "kv",
			Columns:      []metadata.Column{col("k", metadata.Text{}, false), col("n", metadata.Integer{Bytes: 4}, false)},
			PrimaryKey:   &metadata.PrimaryKey{Columns: []string{"k", "n"}, ColumnOptions: []metadata.KeyColumnOption{{Column: "k", Collation: "RTRIM"}, {Column: "n", Desc: true}}, OnConflict: metadata.ConflictRollback},
			WithoutRowID: true,
		},
		{
			Name:       "auto",
			Columns:    []metadata.Column{{Name: "id", Type: metadata.Integer{Bytes: 4}, Autoincrement: true}},
			PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}, OnConflict: metadata.ConflictIgnore},
		},
	}}
}

// TestRoundTripConflictClauses: the clauses are created, read back
// without a warning, and SQLite acts on them.
func TestRoundTripConflictClauses(t *testing.T) {
	m := conflictClauses()
	db := openDB(t)
	create(t, db, m)
	res := inspect(t, db, inspector.Options{})
	if len(res.Warnings) != 0 {
		t.Errorf("warnings: %q", res.Warnings)
	}
	assertSame(t, m, res.Schema)
	checkAgainstPragmas(t, db, res.Schema)
	throughYAML(t, res.Schema)
	for _, q := range []string{
		`INSERT INTO notes (id, title, book) VALUES (1, 'A', 'b')`,
		`INSERT INTO notes (id, title, book) VALUES (1, 'B', 'b')`,  // REPLACE on the key: row 1 is now B
		`INSERT INTO notes (id, title, book) VALUES (2, 'b', 'b')`,  // IGNORE: B and b are equal under NOCASE
		`INSERT INTO notes (id, title, book) VALUES (3, NULL, 'c')`, // NOT NULL ON CONFLICT REPLACE: the default
		`INSERT INTO auto (id) VALUES (1), (1)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	got := query(t, db, `SELECT id, title FROM notes ORDER BY id`)
	if want := [][]string{{"1", "B"}, {"3", "untitled"}}; !cmp.Equal(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	if _, err := db.Exec(`INSERT INTO notes (id, title, slug) VALUES (4, 'x', 's'), (5, 'y', 's')`); err == nil || !strings.Contains(err.Error(), "UNIQUE") {
		t.Errorf("a duplicate slug: %v, want a UNIQUE failure", err)
	}
}
