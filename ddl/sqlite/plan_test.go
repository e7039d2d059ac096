package sqlite

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/NAME.sql, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	file := filepath.Join("testdata", name+".sql")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", file, got, want)
	}
}

func render(stmts []ddl.Statement) string {
	var b strings.Builder
	for _, s := range stmts {
		b.WriteString("-- " + s.Object + "\n" + s.SQL + ";\n\n")
	}
	return b.String()
}

func column(name string, typ metadata.Type, nullable bool) metadata.Column {
	return metadata.Column{Name: name, Type: typ, Nullable: nullable}
}

func TestPlanGolden(t *testing.T) {
	auto := column("id", metadata.Integer{Bytes: 4}, false)
	auto.Autoincrement = true
	email := column("email", metadata.String{Length: 255}, false)
	email.Collation = "NOCASE"
	created := column("created", metadata.Timestamp{Precision: -1}, false)
	created.Default = metadata.Expr{SQL: "CURRENT_TIMESTAMP"}
	note := column("note", metadata.Text{}, true)
	note.Default = metadata.StringLiteral{Value: "it's"}
	n := column("n", metadata.Numeric{Precision: 10, Scale: 2}, false)
	n.Default = metadata.NumberLiteral{Value: "-1.50"}
	active := column("active", metadata.Boolean{}, false)
	active.Default = metadata.BoolLiteral{Value: true}
	stamp := column("stamp", metadata.Text{}, true)
	stamp.Default = metadata.Expr{SQL: "datetime('now')"}
	total := column("total", metadata.Numeric{Precision: 12, Scale: 2}, true)
	total.Generated = &metadata.Generated{Expr: "n * 2"}
	label := column("label", metadata.Text{}, true)
	label.Generated = &metadata.Generated{Expr: "'#' || id", Stored: true}

	users := metadata.Table{
		Name:       "users",
		Columns:    []metadata.Column{auto, email, created, note, n, active, stamp, total, label, column("org_id", metadata.Integer{Bytes: 8}, true)},
		PrimaryKey: &metadata.PrimaryKey{Name: "pk_users", Columns: []string{"id"}},
		Uniques:    []metadata.Unique{{Columns: []string{"email"}}, {Name: "uq_users_org_email", Columns: []string{"org_id", "email"}}},
		Checks:     []metadata.Check{{Expr: "n >= 0"}, {Name: "ck_users_email", Expr: "email LIKE '%@%'"}},
		ForeignKeys: []metadata.ForeignKey{{
			Name: "fk_users_org", Columns: []string{"org_id"}, References: metadata.ForeignKeyTarget{Table: "orgs", Columns: []string{"id"}},
			OnDelete: metadata.Cascade, OnUpdate: metadata.SetNull, Deferrable: true, InitiallyDeferred: true,
		}},
		Indexes: []metadata.Index{
			{Name: "ix_users_lower_email", Unique: true, Parts: []metadata.IndexPart{{Expr: "lower(email)"}}, Where: "email IS NOT NULL"},
			{Name: "ix_users_created", Parts: []metadata.IndexPart{{Column: "created", Desc: true}, {Column: "note", Collation: "RTRIM"}}},
		},
	}
	orgs := metadata.Table{
		Name:        "orgs",
		Columns:     []metadata.Column{column("id", metadata.Integer{Bytes: 8}, false), column("owner_id", metadata.Integer{Bytes: 4}, true), column("untyped", metadata.Raw{}, true)},
		PrimaryKey:  &metadata.PrimaryKey{Columns: []string{"id"}},
		ForeignKeys: []metadata.ForeignKey{{Columns: []string{"owner_id"}, References: metadata.ForeignKeyTarget{Table: "users", Columns: []string{"id"}}}},
	}
	kv := metadata.Table{
		Name: `we"ird kv`, WithoutRowID: true, Strict: true,
		Columns:    []metadata.Column{column("select", metadata.Text{}, false), column("Ünï", metadata.Raw{SQL: "ANY"}, true)},
		PrimaryKey: &metadata.PrimaryKey{Columns: []string{"select"}},
	}
	m := &metadata.MetaData{
		Tables:        []metadata.Table{users, orgs, kv},
		Views:         []metadata.View{{Name: "v_users", Columns: []string{"user id", "mail"}, Definition: "SELECT id, email FROM users"}, {Name: "order", Definition: "SELECT 1"}},
		VirtualTables: []metadata.VirtualTable{{Name: "docs", Using: "fts5(title, body)"}},
		Triggers:      []metadata.Trigger{{Name: "trg", Table: "users", Definition: "CREATE TRIGGER trg AFTER INSERT ON users BEGIN SELECT 1; END"}},
	}
	if err := metadata.Validate(m); err != nil {
		t.Fatal(err)
	}
	if err := (Dialect{}).Check(m); err != nil {
		t.Fatal(err)
	}
	plan := migrate.PlanCreateAll(m, nil)
	stmts, err := Dialect{}.Plan(plan.Changes)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "create_all", render(stmts))
}

func TestPlanAddIndexToExistingTable(t *testing.T) {
	stmts, err := Dialect{}.Plan([]migrate.Change{migrate.AddIndex{
		Table: metadata.TableRef{Name: "t"},
		Index: metadata.Index{Name: "ix", Parts: []metadata.IndexPart{{Column: "a"}, {Expr: "b + 1", Desc: true}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "add_index", render(stmts))
}

func TestPlanForeignKeyToExistingTableIsAnError(t *testing.T) {
	fk := metadata.ForeignKey{Columns: []string{"a"}, References: metadata.ForeignKeyTarget{Table: "p", Columns: []string{"id"}}}
	_, err := Dialect{}.Plan([]migrate.Change{migrate.AddForeignKey{Table: metadata.TableRef{Name: "t"}, ForeignKey: fk}})
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), `table "t"`) {
		t.Fatalf("err = %v", err)
	}
	// The same foreign key, on a table created in the same plan, is
	// already inline: nothing to do.
	table := metadata.Table{Name: "t", Columns: []metadata.Column{column("a", metadata.Integer{Bytes: 4}, true)}, ForeignKeys: []metadata.ForeignKey{fk}}
	stmts, err := Dialect{}.Plan([]migrate.Change{
		migrate.AddTable{Table: table, DeferredForeignKeys: []int{0}},
		migrate.AddForeignKey{Table: metadata.TableRef{Name: "t"}, ForeignKey: fk},
	})
	if err != nil || len(stmts) != 1 || !strings.Contains(stmts[0].SQL, `FOREIGN KEY ("a") REFERENCES "p" ("id")`) {
		t.Fatalf("stmts = %v, err = %v", stmts, err)
	}
}

func TestPlanRefusesWhatSQLiteHasNot(t *testing.T) {
	for _, c := range []migrate.Change{
		migrate.AddSchema{Schema: metadata.Schema{Name: "s"}},
		migrate.AddExtension{Extension: metadata.Extension{Name: "e"}},
		migrate.AddEnum{Enum: metadata.Enum{Name: "mood", Values: []string{"a"}}},
		migrate.AddDomain{Domain: metadata.Domain{Name: "d"}},
		migrate.AddSequence{Sequence: metadata.Sequence{Name: "seq"}},
		migrate.SetSequenceOwner{Sequence: metadata.Sequence{Name: "seq"}},
		migrate.AddFunction{Function: metadata.Function{Name: "f"}},
		migrate.AddTable{Table: metadata.Table{Schema: "s", Name: "t", Columns: []metadata.Column{column("a", metadata.Text{}, true)}}},
		migrate.AddView{View: metadata.View{Name: "mv", Materialized: true, Definition: "SELECT 1"}},
		migrate.AddTrigger{Trigger: metadata.Trigger{Schema: "s", Name: "tr", Table: "t", Definition: "CREATE TRIGGER ..."}},
	} {
		_, err := Dialect{}.Plan([]migrate.Change{c})
		if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), c.Object()) {
			t.Errorf("%s: err = %v, want ErrUnsupported naming the object", c.Object(), err)
		}
	}
}

func TestPlanRefusesBadValues(t *testing.T) {
	for name, c := range map[string]metadata.Column{
		"number":   {Name: "a", Type: metadata.Integer{Bytes: 4}, Default: metadata.NumberLiteral{Value: "1; DROP TABLE x"}},
		"raw type": {Name: "a", Type: metadata.Raw{SQL: "INT); DROP TABLE x; --"}},
		"no type":  {Name: "a"},
	} {
		_, err := Dialect{}.Plan([]migrate.Change{migrate.AddTable{Table: metadata.Table{Name: "t", Columns: []metadata.Column{c}}}})
		if err == nil || !strings.Contains(err.Error(), `column "a"`) {
			t.Errorf("%s: err = %v, want an error naming the column", name, err)
		}
	}
}

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{
		"users":       `"users"`,
		"order":       `"order"`,
		`we"ird`:      `"we""ird"`,
		`""`:          `""""""`,
		"with space":  `"with space"`,
		"Ünï":         `"Ünï"`,
		"MixedCase":   `"MixedCase"`,
		"semi;colon]": `"semi;colon]"`,
	} {
		if got := (Dialect{}).QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
}
