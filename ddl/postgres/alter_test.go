package postgres

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// alterScript renders statements with what apply needs to know of each:
// its hazard, whether it runs outside the transaction or commits first,
// and its notes.
func alterScript(stmts []ddl.Statement) []byte {
	var b bytes.Buffer
	last := ""
	for _, s := range stmts {
		if s.Object != last {
			b.WriteString("-- " + s.Object + "\n")
			last = s.Object
		}
		var marks []string
		if s.Hazard != migrate.Safe {
			marks = append(marks, s.Hazard.String())
		}
		if s.NoTx {
			marks = append(marks, "outside the transaction")
		}
		if s.CommitFirst {
			marks = append(marks, "commits first")
		}
		marks = append(marks, s.Notes...)
		if len(marks) > 0 {
			b.WriteString("--   [" + strings.Join(marks, "; ") + "]\n")
		}
		b.WriteString(s.SQL + ";\n")
	}
	return b.Bytes()
}

// alterChanges is one of every migration change, with the quoting a
// hard name needs.
func alterChanges() []migrate.Change {
	ref := metadata.TableRef{Schema: "Sales Dept", Name: "order"}
	id := metadata.Column{Name: "id", Type: metadata.Integer{Bytes: 4}}
	text := func(name string) metadata.Column {
		return metadata.Column{Name: name, Type: metadata.Text{}, Nullable: true}
	}
	from := metadata.Table{Schema: "Sales Dept", Name: "order", Columns: []metadata.Column{id, text("note"), text("Qty")},
		PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}}}
	to := from
	qty := metadata.Column{Name: "Qty", Type: metadata.Integer{Bytes: 4}, Default: metadata.NumberLiteral{Value: "0"}}
	ident := id
	ident.Identity = &metadata.Identity{Always: true, Start: i64(10)}
	serial := id
	serial.Autoincrement = true
	gen := metadata.Column{Name: "total", Type: metadata.Integer{Bytes: 4}, Nullable: true, Generated: &metadata.Generated{Expr: "id * 2", Stored: true}}
	gen2 := gen
	gen2.Generated = &metadata.Generated{Expr: "id * 3", Stored: true}
	coll := text("note")
	coll.Collation, coll.Comment = "C", "It's noted."
	added := metadata.Column{Name: "at", Type: metadata.Timestamp{TZ: true, Precision: -1}, Default: metadata.Expr{SQL: "clock_timestamp()"}, Comment: "When."}
	po := metadata.PartitionOf{Parent: metadata.TableRef{Name: "p"}, Bound: "IN ('a')"}
	enum := metadata.Enum{Schema: "app", Name: "mood", Values: []string{"sad", "ok", "happy"}}
	fn := metadata.Function{Schema: "app", Name: "f", Args: "x integer", Definition: "CREATE FUNCTION app.f(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x $$"}
	fn2 := fn
	fn2.Definition = "CREATE FUNCTION app.f(x integer) RETURNS bigint LANGUAGE sql AS $$ SELECT x $$"
	return []migrate.Change{
		migrate.DropTrigger{Trigger: metadata.Trigger{Schema: "Sales Dept", Name: "tr", Table: "order"}},
		migrate.DropView{View: metadata.View{Name: "v"}},
		migrate.DropView{View: metadata.View{Schema: "app", Name: "mv", Materialized: true}},
		migrate.DropForeignKey{Table: ref, ForeignKey: metadata.ForeignKey{Columns: []string{"parent"}}},
		migrate.DropIndex{Table: ref, Index: metadata.Index{Name: "ix"}},
		migrate.DropTable{Table: metadata.Table{Name: "user"}},
		migrate.RenameTable{From: metadata.TableRef{Name: "a"}, To: metadata.TableRef{Schema: "Sales Dept", Name: "b"}},
		migrate.RenameTable{From: metadata.TableRef{Schema: "x", Name: "a"}, To: metadata.TableRef{Name: "a"}},
		migrate.RenameIndex{Table: ref, From: "ix", To: "ix 2"},
		migrate.ModifyTable{From: from, To: to, Changes: []migrate.TableChange{
			migrate.ModifyColumn{From: text("Qty"), To: qty, Change: migrate.ChangeType | migrate.ChangeDefault | migrate.ChangeNullable},
			migrate.ModifyColumn{From: text("note"), To: coll, Change: migrate.ChangeCollation | migrate.ChangeComment},
			migrate.ModifyColumn{From: id, To: ident, Change: migrate.ChangeIdentity},
			migrate.ModifyColumn{From: ident, To: id, Change: migrate.ChangeIdentity},
			migrate.ModifyColumn{From: id, To: serial, Change: migrate.ChangeAutoincrement},
			migrate.ModifyColumn{From: serial, To: id, Change: migrate.ChangeAutoincrement},
			migrate.ModifyColumn{From: gen, To: gen2, Change: migrate.ChangeGenerated},
			migrate.ModifyColumn{From: gen, To: text("total"), Change: migrate.ChangeGenerated},
			migrate.AddColumn{Column: added},
			migrate.DropColumn{Column: text("old")},
			migrate.RenameColumn{From: "old", To: "new"},
			migrate.SetPrimaryKey{From: from.PrimaryKey, To: &metadata.PrimaryKey{Name: "pk", Columns: []string{"id", "Qty"}}},
			migrate.AddUnique{Unique: metadata.Unique{Columns: []string{"Qty"}, NullsNotDistinct: true}},
			migrate.DropUnique{Unique: metadata.Unique{Columns: []string{"note", "Qty"}}},
			migrate.AddCheck{Check: metadata.Check{Expr: `"Qty" > 0`}},
			migrate.DropCheck{Check: metadata.Check{Expr: `"Qty" > 0`}},
			migrate.DropCheck{Check: metadata.Check{Name: "c", Expr: "id > 0"}},
			migrate.AddExclusion{Exclusion: metadata.Exclusion{Name: "x", Definition: "EXCLUDE USING btree (id WITH =)"}},
			migrate.DropExclusion{Exclusion: metadata.Exclusion{Name: "x"}},
			migrate.RenameConstraint{From: "c", To: "c 2"},
			migrate.SetTableComment{From: "", To: "Orders."},
			migrate.SetTableComment{From: "Orders."},
			migrate.SetRowLevelSecurity{Enable: true},
			migrate.AddPolicy{Policy: metadata.Policy{Name: "p", Command: "select", Using: "true"}},
			migrate.DropPolicy{Policy: metadata.Policy{Name: "p"}},
			migrate.DetachPartition{PartitionOf: po},
			migrate.AttachPartition{PartitionOf: po},
		}},
		migrate.AddForeignKey{Table: ref, ForeignKey: metadata.ForeignKey{Columns: []string{"parent"}, References: metadata.ForeignKeyTarget{Table: "user"}}},
		migrate.AddIndex{Table: ref, Index: metadata.Index{Name: "ix", Parts: []metadata.IndexPart{{Column: "Qty"}}, Comment: "Qty."}},
		migrate.DropSchema{Schema: metadata.Schema{Name: "Old"}},
		migrate.DropExtension{Extension: metadata.Extension{Name: "uuid-ossp"}},
		migrate.DropEnum{Enum: metadata.Enum{Name: "gone"}},
		migrate.AddEnumValue{Enum: enum, Value: "happy", After: "ok"},
		migrate.AddEnumValue{Enum: enum, Value: "it's", Before: "sad"},
		migrate.AddEnumValue{Enum: enum, Value: "last"},
		migrate.RenameEnumValue{Enum: enum, From: "ok", To: "fine"},
		migrate.RecreateEnum{From: metadata.Enum{Schema: "app", Name: "mood", Values: []string{"ok", "sad"}}, To: enum,
			Columns: []migrate.ColumnRef{{Table: ref, Column: "Mood"}}},
		migrate.DropDomain{Domain: metadata.Domain{Name: "d"}},
		migrate.ModifyDomain{From: metadata.Domain{Name: "d", Type: metadata.Text{}, Checks: []metadata.Check{{Expr: "VALUE <> ''"}}},
			To: metadata.Domain{Name: "d", Type: metadata.Text{}, NotNull: true, Default: metadata.StringLiteral{Value: "x"}, Comment: "D."}},
		migrate.DropSequence{Sequence: metadata.Sequence{Name: "s"}},
		migrate.ModifySequence{From: metadata.Sequence{Name: "s", OwnedBy: "t.c"}, To: metadata.Sequence{Name: "s", Type: metadata.Integer{Bytes: 2}, Cycle: true, Cache: i64(5)}},
		migrate.DropFunction{Function: metadata.Function{Name: "cnt", Kind: "aggregate"}},
		migrate.DropFunction{Function: metadata.Function{Schema: "app", Name: "go", Kind: "procedure", Args: "IN x integer"}},
		migrate.ReplaceFunction{From: fn, To: metadata.Function{Schema: "app", Name: "f", Args: "x integer", Definition: fn.Definition, Comment: "F."}},
		migrate.ReplaceFunction{From: fn, To: fn2},
		migrate.SetComment{Kind: "TRIGGER", Schema: "Sales Dept", Name: "tr", Table: "order", To: "T."},
		migrate.SetComment{Kind: "FUNCTION", Schema: "app", Name: "f", Args: "x integer", From: "F."},
		migrate.SetComment{Kind: "materialized view", Schema: "app", Name: "mv", To: "MV."},
	}
}

// TestGoldenAlter writes one of every migration change, in the plain
// and the low-lock forms.
func TestGoldenAlter(t *testing.T) {
	for _, c := range []struct {
		file string
		d    Dialect
	}{{"alter.sql", Dialect{}}, {"alter_lowlock.sql", Dialect{LowLock: true}}} {
		stmts, err := c.d.Plan(alterChanges())
		if err != nil {
			t.Fatal(err)
		}
		golden(t, c.file, alterScript(stmts))
	}
}

// TestAlterErrors checks that what PostgreSQL cannot do in place fails,
// naming the object.
func TestAlterErrors(t *testing.T) {
	id := metadata.Column{Name: "id", Type: metadata.Integer{Bytes: 4}}
	gen := metadata.Column{Name: "g", Type: metadata.Integer{Bytes: 4}, Nullable: true, Generated: &metadata.Generated{Expr: "id", Stored: true}}
	gen2 := gen
	gen2.Generated = &metadata.Generated{Expr: "id + 1", Stored: true}
	indexed := metadata.Table{Name: "t", Columns: []metadata.Column{id, gen}, Indexes: []metadata.Index{{Name: "ix_g", Parts: []metadata.IndexPart{{Expr: "g + 1"}}}}}
	part := metadata.Table{Name: "p_a", PartitionOf: &metadata.PartitionOf{Parent: metadata.TableRef{Name: "p"}, Bound: "DEFAULT"}}
	for _, c := range []struct {
		change migrate.Change
		want   string
	}{
		{migrate.DropVirtualTable{VirtualTable: metadata.VirtualTable{Name: "fts"}}, `virtual table "fts": PostgreSQL has no virtual tables`},
		{migrate.ModifyTable{From: indexed, To: indexed, Changes: []migrate.TableChange{migrate.ModifyColumn{From: gen, To: gen2, Change: migrate.ChangeGenerated}}},
			`table "t": column "g": PostgreSQL cannot change a generation expression in place, and dropping the column to add it again would drop index "ix_g"`},
		{migrate.ModifyTable{From: part, To: part, Changes: []migrate.TableChange{migrate.AddColumn{Column: id}}}, `table "p_a": column "id": a partition takes its columns from its parent`},
		{migrate.ModifyTable{From: indexed, To: indexed, Changes: []migrate.TableChange{migrate.DropExclusion{Exclusion: metadata.Exclusion{Definition: "EXCLUDE (id WITH =)"}}}}, "without a name"},
		{migrate.ModifyTable{From: indexed, To: indexed, Changes: []migrate.TableChange{migrate.RenameConstraint{To: "x"}}}, "needs both names"},
		{migrate.ModifyDomain{From: metadata.Domain{Name: "d", Type: metadata.Text{}}, To: metadata.Domain{Name: "d", Type: metadata.Integer{Bytes: 4}}}, `domain "d": a domain's type cannot change in place`},
		{migrate.ModifyDomain{From: metadata.Domain{Name: "d", Type: metadata.Text{}}, To: metadata.Domain{Name: "d", Type: metadata.Text{}, Collation: "C"}}, "collation"},
		{migrate.SetComment{Kind: "COLUMN", Name: "x"}, "not a kind"},
		{migrate.RenameTable{From: metadata.TableRef{Schema: "s", Name: "a$dbtool$"}, To: metadata.TableRef{Name: "a$dbtool$"}}, "contains"},
	} {
		_, err := Dialect{}.Plan([]migrate.Change{c.change})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Plan(%s) = %v, want an error containing %q", c.change.Object(), err, c.want)
		}
	}
}

// TestCheckColumns checks the guess of the column an unnamed check is
// named after.
func TestCheckColumns(t *testing.T) {
	cols := []metadata.Column{{Name: "a"}, {Name: "Big"}, {Name: "c"}}
	for expr, want := range map[string]string{
		"a > 0":                 "[a]",
		`"Big" > 0`:             "[Big]",
		"a > c":                 "[]",
		"A > 0 AND a < 9":       "[a]",
		"'a' <> c":              "[c]",
		`'it''s a' <> c::text`:  "[c]",
		"length(x) > 0":         "[]",
		`"a""b" > 0 OR Big > 1`: "[]",
	} {
		if got := fmt.Sprint(checkColumns(expr, cols)); got != want {
			t.Errorf("checkColumns(%q) = %s, want %s", expr, got, want)
		}
	}
}

// TestConversion: the type changes whose values a data check converts
// first, and the cast it converts them with.
func TestConversion(t *testing.T) {
	col := func(typ metadata.Type) metadata.Column { return metadata.Column{Name: "c", Type: typ} }
	for _, tc := range []struct {
		from, to metadata.Type
		want     string
	}{
		{metadata.Text{}, metadata.Integer{Bytes: 4}, `"c"::integer`},
		{metadata.Text{}, metadata.Boolean{}, `"c"::boolean`},
		{metadata.Text{}, metadata.Raw{SQL: "mood"}, `"c"::mood`},
		{metadata.Numeric{Precision: 12, Scale: 4}, metadata.Numeric{Precision: 8, Scale: 2}, `"c"::numeric(8,2)`},
		{metadata.Float{Bytes: 8}, metadata.Integer{Bytes: 4}, `"c"::integer`},
		// Cannot fail, or counted otherwise.
		{metadata.Numeric{Precision: 8, Scale: 2}, metadata.Numeric{Precision: 12, Scale: 2}, ""},
		{metadata.Integer{Bytes: 8}, metadata.Integer{Bytes: 4}, ""},
		{metadata.Integer{Bytes: 4}, metadata.Integer{Bytes: 8}, ""},
		{metadata.Integer{Bytes: 4}, metadata.Text{}, ""},
		{metadata.Text{}, metadata.String{Length: 5}, ""},
		{metadata.Timestamp{Precision: -1}, metadata.Date{}, ""},
	} {
		if got := conversion(col(tc.from), col(tc.to), `"c"`); got != tc.want {
			t.Errorf("%#v to %#v: %q, want %q", tc.from, tc.to, got, tc.want)
		}
	}
}
