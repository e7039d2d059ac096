package postgres

import (
	"slices"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

func i64(v int64) *int64 { return &v }

// TestGoldenChanges plans changes one by one, as a migration would send
// them, covering what create-all of edge.yaml does not.
func TestGoldenChanges(t *testing.T) {
	s := metadata.TableRef{Schema: "Sales Dept", Name: "order"}
	changes := []migrate.Change{
		migrate.AddExtension{Extension: metadata.Extension{Name: "uuid-ossp"}},
		migrate.AddSchema{Schema: metadata.Schema{Name: "Sales Dept", Comment: "Sales."}},
		migrate.AddDomain{Domain: metadata.Domain{Name: "plain", Type: metadata.Text{}}},
		migrate.AddSequence{Sequence: metadata.Sequence{Schema: "Sales Dept", Name: "n", OwnedBy: "order.id", Start: i64(0), MinValue: i64(0)}},
		migrate.AddTable{Table: metadata.Table{Schema: "Sales Dept", Name: "order", Columns: []metadata.Column{
			{Name: "id", Type: metadata.Integer{Bytes: 8}},
			{Name: "parent", Type: metadata.Integer{Bytes: 8}, Nullable: true},
		}}},
		migrate.AddTable{Table: metadata.Table{Name: "nothing"}},
		migrate.AddCompositeType{CompositeType: metadata.CompositeType{Schema: "Sales Dept", Name: "pair", Comment: "Two.",
			Attributes: []metadata.Attribute{{Name: "a", Type: metadata.Integer{Bytes: 4}}, {Name: "b", Type: metadata.Text{}, Collation: "C"}}}},
		migrate.AddCompositeType{CompositeType: metadata.CompositeType{Name: "empty"}},
		migrate.AddDomain{Domain: metadata.Domain{Name: "pos", Type: metadata.Integer{Bytes: 4},
			Checks: []metadata.Check{{Expr: "VALUE > 0"}, {Name: "pos_small", Expr: "VALUE < 100", NotValid: true}}}},
		migrate.AddTable{Table: metadata.Table{Name: "unchecked", Columns: []metadata.Column{{Name: "n", Type: metadata.Integer{Bytes: 4}, Nullable: true}},
			Checks:      []metadata.Check{{Expr: "n > 0", NotValid: true}, {Name: "n_small", Expr: "n < 9"}},
			ForeignKeys: []metadata.ForeignKey{{Columns: []string{"n"}, References: metadata.ForeignKeyTarget{Table: "t", Columns: []string{"id"}}, NotValid: true}}}},
		migrate.AddTable{Table: metadata.Table{Name: "p", PartitionBy: "LIST (k)", Columns: []metadata.Column{{Name: "k", Type: metadata.Text{}}}}},
		migrate.AddTable{Table: metadata.Table{Name: "p_a", PartitionOf: &metadata.PartitionOf{Parent: metadata.TableRef{Name: "p"}, Bound: "IN ('a')"},
			Columns: []metadata.Column{{Name: "k", Type: metadata.Text{}, Nullable: true}}}},
		migrate.SetSequenceOwner{Sequence: metadata.Sequence{Schema: "Sales Dept", Name: "n", OwnedBy: "order.id"}},
		migrate.SetSequenceOwner{Sequence: metadata.Sequence{Name: "m", OwnedBy: "other schema.t.c"}},
		migrate.AddForeignKey{Table: s, ForeignKey: metadata.ForeignKey{
			Name: "fk parent", Columns: []string{"parent"}, References: metadata.ForeignKeyTarget{Schema: "Sales Dept", Table: "order"},
			OnDelete: metadata.SetDefault, OnUpdate: metadata.NoAction, Deferrable: true, NotValid: true,
		}},
		migrate.AddIndex{Table: s, Index: metadata.Index{Name: "ix", Unique: true, Method: "btree",
			Parts:   []metadata.IndexPart{{Column: "parent", Collation: "und-x-icu", OpClass: "public.int8_ops", Nulls: "last"}},
			Comment: "On parent."}},
		migrate.AddFunction{Function: metadata.Function{Schema: "Sales Dept", Name: "go", Kind: "procedure", Args: "IN x integer",
			Definition: "  CREATE PROCEDURE \"Sales Dept\".go(IN x integer) LANGUAGE sql AS $$ SELECT 1 $$\n\n", Comment: "Goes."}},
		migrate.AddFunction{Function: metadata.Function{Name: "cnt", Kind: "aggregate",
			Definition: "CREATE AGGREGATE cnt(*) (SFUNC = int8inc, STYPE = bigint)", Comment: "Counts."}},
		migrate.AddView{View: metadata.View{Schema: "Sales Dept", Name: "v", Definition: " SELECT 1 AS one;\n", Comment: "V."}},
		migrate.AddTrigger{Trigger: metadata.Trigger{Schema: "Sales Dept", Name: "tr", Table: "order",
			Definition: "CREATE TRIGGER tr AFTER INSERT ON \"Sales Dept\".\"order\" FOR EACH ROW EXECUTE FUNCTION f()", Comment: "T."}},
	}
	stmts, err := Dialect{}.Plan(changes)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "changes.sql", script(stmts))
}

// TestPlanErrors checks that what PostgreSQL cannot do fails, naming the
// object.
func TestPlanErrors(t *testing.T) {
	col := []metadata.Column{{Name: "id", Type: metadata.Integer{Bytes: 4}}}
	for _, c := range []struct {
		change migrate.Change
		want   string
	}{
		{migrate.AddVirtualTable{VirtualTable: metadata.VirtualTable{Name: "fts", Using: "fts5(x)"}}, `virtual table "fts": PostgreSQL has no virtual tables`},
		{migrate.AddTable{Table: metadata.Table{Name: "t", Columns: []metadata.Column{{Name: "x", Type: metadata.Raw{SQL: "int; drop table y"}}}}}, `table "t": column "x": type`},
		{migrate.AddTable{Table: metadata.Table{Name: "t", Columns: []metadata.Column{{Name: "x", Type: metadata.Text{}, Autoincrement: true}}}}, "autoincrement needs"},
		{migrate.AddTable{Table: metadata.Table{Name: "t", Columns: []metadata.Column{{Name: "x", Type: metadata.Text{}, Default: metadata.NumberLiteral{Value: "1; drop"}}}}}, "is not a number"},
		{migrate.AddTable{Table: metadata.Table{Name: "t", Columns: col, ForeignKeys: []metadata.ForeignKey{{Columns: []string{"id"}, References: metadata.ForeignKeyTarget{Table: "t"}, Match: "partial"}}}}, "match"},
		{migrate.AddTable{Table: metadata.Table{Name: "t", Columns: col, ForeignKeys: []metadata.ForeignKey{{Columns: []string{"id"}, References: metadata.ForeignKeyTarget{Table: "t"}, OnDelete: "explode"}}}}, "referential action"},
		{migrate.AddIndex{Table: metadata.TableRef{Name: "t"}, Index: metadata.Index{Name: "i", Parts: []metadata.IndexPart{{Column: "a", Nulls: "middle"}}}}, "nulls"},
		{migrate.AddIndex{Table: metadata.TableRef{Name: "t"}, Index: metadata.Index{Name: "i", Parts: []metadata.IndexPart{{Column: "a", Expr: "a"}}}}, "column or an expression"},
		{migrate.SetSequenceOwner{Sequence: metadata.Sequence{Name: "s", OwnedBy: "x"}}, "owned_by"},
		{migrate.AddView{View: metadata.View{Name: "v", Materialized: true, CheckOption: "local", Definition: "SELECT 1"}}, "check option"},
	} {
		_, err := Dialect{}.Plan([]migrate.Change{c.change})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Plan(%s) = %v, want an error containing %q", c.change.Object(), err, c.want)
		}
	}
}

// TestCommitUsedEnumValues: the values a plan adds to an enum commit first
// when a later statement names one of them, all the enum's together;
// values another added value is placed after do not count as used, nor
// does an enum whose values the plan also renames.
func TestCommitUsedEnumValues(t *testing.T) {
	mood := metadata.Enum{Name: "mood", Values: []string{"sad", "ok", "happy", "great"}}
	status := metadata.Enum{Schema: "app", Name: "status", Values: []string{"new", "done"}}
	addHappy := migrate.AddEnumValue{Enum: mood, Value: "happy", After: "ok"}
	addGreat := migrate.AddEnumValue{Enum: mood, Value: "great", After: "happy"}
	addDone := migrate.AddEnumValue{Enum: status, Value: "done", After: "new"}
	view := func(where string) migrate.Change {
		return migrate.AddView{View: metadata.View{Name: "v", Definition: "SELECT 1 AS x WHERE " + where}}
	}
	for _, c := range []struct {
		name    string
		changes []migrate.Change
		first   []string // the values whose statements commit first
	}{
		{"unused", []migrate.Change{addHappy, addGreat, addDone, view("true")}, nil},
		{"one value used marks the enum's", []migrate.Change{addHappy, addGreat, addDone, view("'great'::mood IS NOT NULL")}, []string{"happy", "great"}},
		{"used before it is added", []migrate.Change{view("'done'::app.status IS NOT NULL"), addDone}, nil},
		{"the other enum", []migrate.Change{addHappy, addDone, view("'done'::app.status IS NOT NULL")}, []string{"done"}},
		{"values renamed too", []migrate.Change{migrate.RenameEnumValue{Enum: mood, From: "fine", To: "ok"}, addHappy, view("'happy'::mood IS NOT NULL")}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			stmts, err := Dialect{}.Plan(c.changes)
			if err != nil {
				t.Fatal(err)
			}
			var first []string
			for _, s := range stmts {
				if s.CommitFirst {
					_, v, _ := strings.Cut(s.SQL, "ADD VALUE '")
					v, _, _ = strings.Cut(v, "'")
					first = append(first, v)
					if len(s.Notes) != 1 || !strings.Contains(s.Notes[0], "it stays if the rest fails") {
						t.Errorf("%s: notes %q", s.SQL, s.Notes)
					}
				}
			}
			if !slices.Equal(first, c.first) {
				t.Errorf("committed first: %q, want %q", first, c.first)
			}
		})
	}
}

// TestRecreatedViewGrants: a view created again is granted what it had,
// one GRANT per grantee, column and grant option, names quoted, PUBLIC
// as the keyword.
func TestRecreatedViewGrants(t *testing.T) {
	view := metadata.View{Schema: "rep", Name: "Totals", Definition: "SELECT 1 AS a"}
	stmts, err := Dialect{}.Plan([]migrate.Change{migrate.AddView{View: view, Grants: []migrate.Grant{
		{Grantee: "reader", Privilege: "SELECT"},
		{Grantee: "", Privilege: "SELECT"},
		{Grantee: "Ops Team", Privilege: "INSERT", Grantable: true},
		{Grantee: "Ops Team", Privilege: "DELETE", Grantable: true},
		{Grantee: "reader", Privilege: "UPDATE", Column: "a"},
		{Grantee: "reader", Privilege: "REFERENCES", Column: "a"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range stmts[1:] {
		got = append(got, s.SQL)
	}
	want := []string{
		`GRANT SELECT ON rep."Totals" TO reader`,
		`GRANT SELECT ON rep."Totals" TO PUBLIC`,
		`GRANT INSERT, DELETE ON rep."Totals" TO "Ops Team" WITH GRANT OPTION`,
		`GRANT UPDATE (a), REFERENCES (a) ON rep."Totals" TO reader`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("grants:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
