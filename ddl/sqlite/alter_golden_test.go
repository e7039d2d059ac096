package sqlite

import (
	"errors"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// renderMigration writes statements with what apply needs to know of
// each: hazard, rebuild, notes.
func renderMigration(stmts []ddl.Statement) string {
	var b strings.Builder
	for _, s := range stmts {
		b.WriteString("-- " + s.Object + " [" + s.Hazard.String())
		if s.Rebuild {
			b.WriteString(", rebuild")
		}
		if s.NoTx {
			b.WriteString(", no transaction")
		}
		b.WriteString("]\n")
		for _, n := range s.Notes {
			b.WriteString("-- note: " + n + "\n")
		}
		b.WriteString(s.SQL + ";\n\n")
	}
	return b.String()
}

func goldenTable() metadata.Table {
	id := column("id", metadata.Integer{Bytes: 4}, false)
	id.Autoincrement = true
	return metadata.Table{
		Name:        "we\"ird",
		Columns:     []metadata.Column{id, column("name", metadata.Text{}, true), column("qty", metadata.Integer{Bytes: 4}, true)},
		PrimaryKey:  &metadata.PrimaryKey{Columns: []string{"id"}},
		Checks:      []metadata.Check{{Name: "ck_qty", Expr: "qty >= 0"}},
		ForeignKeys: []metadata.ForeignKey{{Name: "fk_p", Columns: []string{"qty"}, References: metadata.ForeignKeyTarget{Table: "p", Columns: []string{"id"}}}},
		Indexes:     []metadata.Index{{Name: "ix_name", Parts: []metadata.IndexPart{{Column: "name"}}}},
	}
}

// TestAlterGolden: the SQL of each migration change, one golden file each.
func TestAlterGolden(t *testing.T) {
	from := goldenTable()
	ref := from.Ref()
	modified := func(edit func(*metadata.Table), changes ...migrate.TableChange) migrate.ModifyTable {
		to := goldenTable()
		edit(&to)
		return migrate.ModifyTable{From: from, To: to, Changes: changes}
	}
	note := column("note", metadata.Text{}, true)
	note.Default = metadata.StringLiteral{Value: "it's"}
	for name, changes := range map[string][]migrate.Change{
		"alter_add_column": {modified(func(t *metadata.Table) { t.Columns = append(t.Columns, note) }, migrate.AddColumn{Column: note})},
		"alter_drop_column": {modified(func(t *metadata.Table) { t.Columns = t.Columns[:2] },
			migrate.DropColumn{Column: from.Columns[2]})},
		"alter_rename_column": {modified(func(t *metadata.Table) { t.Columns[1].Name = "title"; t.Indexes[0].Parts[0].Column = "title" },
			migrate.RenameColumn{From: "name", To: "title"})},
		"alter_rebuild": {modified(func(t *metadata.Table) {
			t.Columns[1].Name = "title"
			t.Columns[1].Nullable = false
			t.Indexes[0].Parts[0].Column = "title"
			t.Columns = append(t.Columns, note)
		},
			migrate.RenameColumn{From: "name", To: "title"},
			migrate.ModifyColumn{From: column("title", metadata.Text{}, true), To: column("title", metadata.Text{}, false), Change: migrate.ChangeNullable},
			migrate.DropColumn{Column: note}, // dropped and added again: not copied
			migrate.AddColumn{Column: note},
		)},
		"alter_foreign_key": {
			migrate.DropForeignKey{Table: ref, ForeignKey: from.ForeignKeys[0]},
			modified(func(t *metadata.Table) { t.ForeignKeys[0].OnDelete = metadata.Cascade }),
			migrate.AddForeignKey{Table: ref, ForeignKey: metadata.ForeignKey{Name: "fk_p", Columns: []string{"qty"}, References: from.ForeignKeys[0].References, OnDelete: metadata.Cascade}},
			migrate.AddIndex{Table: ref, Index: from.Indexes[0]}, // the rebuild creates it
		},
		"alter_top_level": {
			migrate.DropTrigger{Trigger: metadata.Trigger{Name: "trg", Table: from.Name}},
			migrate.DropView{View: metadata.View{Name: "v"}},
			migrate.DropIndex{Table: ref, Index: metadata.Index{Name: "ix_old"}},
			migrate.RenameTable{From: metadata.TableRef{Name: "old"}, To: ref},
			migrate.ModifyTable{From: from, To: from},
			migrate.RenameIndex{Table: ref, From: "ix_before", To: "ix_name"},
			migrate.DropTable{Table: metadata.Table{Name: "gone"}},
			migrate.DropVirtualTable{VirtualTable: metadata.VirtualTable{Name: "docs"}},
			migrate.ReplaceView{View: metadata.View{Name: "w", Definition: "SELECT 1 AS a, 2 AS b"}},
		},
	} {
		t.Run(name, func(t *testing.T) {
			stmts, err := Dialect{}.Plan(changes)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, name, renderMigration(stmts))
		})
	}
}

// TestAlterRefusesWhatSQLiteCannotDo: each error wraps ErrUnsupported and
// names the object.
func TestAlterRefusesWhatSQLiteCannotDo(t *testing.T) {
	from := goldenTable()
	ref := from.Ref()
	table := func(tc migrate.TableChange) migrate.Change {
		return migrate.ModifyTable{From: from, To: from, Changes: []migrate.TableChange{tc}}
	}
	for _, c := range []struct {
		change migrate.Change
		names  string
	}{
		{migrate.DropSchema{Schema: metadata.Schema{Name: "s"}}, `schema "s"`},
		{migrate.DropExtension{Extension: metadata.Extension{Name: "e"}}, `extension "e"`},
		{migrate.DropEnum{Enum: metadata.Enum{Name: "mood"}}, `enum "mood"`},
		{migrate.AddEnumValue{Enum: metadata.Enum{Name: "mood"}, Value: "ok"}, `enum "mood"`},
		{migrate.RenameEnumValue{Enum: metadata.Enum{Name: "mood"}, From: "a", To: "b"}, `enum "mood"`},
		{migrate.RecreateEnum{To: metadata.Enum{Name: "mood"}}, `enum "mood"`},
		{migrate.DropDomain{Domain: metadata.Domain{Name: "d"}}, `domain "d"`},
		{migrate.ModifyDomain{To: metadata.Domain{Name: "d"}}, `domain "d"`},
		{migrate.ModifyCompositeType{To: metadata.CompositeType{Name: "pair"}}, `composite type "pair"`},
		{migrate.DropSequence{Sequence: metadata.Sequence{Name: "q"}}, `sequence "q"`},
		{migrate.ModifySequence{To: metadata.Sequence{Name: "q"}}, `sequence "q"`},
		{migrate.DropFunction{Function: metadata.Function{Name: "f"}}, `function "f"`},
		{migrate.ReplaceFunction{To: metadata.Function{Name: "f"}}, `function "f"`},
		{migrate.SetComment{Kind: "VIEW", Name: "v", To: "c"}, `view "v"`},
		{migrate.DropTable{Table: metadata.Table{Schema: "s", Name: "t"}}, `table "s"."t"`},
		{migrate.RenameTable{From: metadata.TableRef{Name: "t"}, To: metadata.TableRef{Schema: "s", Name: "t"}}, `table "t"`},
		{migrate.DropView{View: metadata.View{Name: "mv", Materialized: true}}, `materialized view "mv"`},
		{migrate.AddForeignKey{Table: ref, ForeignKey: from.ForeignKeys[0]}, `foreign key "fk_p"`},
		{migrate.DropForeignKey{Table: ref, ForeignKey: from.ForeignKeys[0]}, `foreign key "fk_p"`},
		{migrate.RenameIndex{Table: ref, From: "a", To: "b"}, `index "a"`},
		{table(migrate.SetTableComment{To: "c"}), `table "we\"ird": comment`},
		{table(migrate.ModifyColumn{From: from.Columns[1], To: from.Columns[1], Change: migrate.ChangeComment}), `column "name"`},
		{table(migrate.ModifyColumn{From: from.Columns[1], To: from.Columns[1], Change: migrate.ChangeIdentity}), `column "name"`},
		{table(migrate.AddExclusion{Exclusion: metadata.Exclusion{Name: "ex"}}), `exclusion "ex"`},
		{table(migrate.SetRowLevelSecurity{Enable: true}), "row-level security"},
		{table(migrate.AddPolicy{Policy: metadata.Policy{Name: "pol"}}), `policy "pol"`},
		{table(migrate.AttachPartition{PartitionOf: metadata.PartitionOf{Parent: metadata.TableRef{Name: "parent"}}}), `partition of "parent"`},
		{migrate.ModifyTable{From: metadata.Table{Schema: "s", Name: "t"}, To: metadata.Table{Schema: "s", Name: "t"}}, `table "s"."t"`},
	} {
		_, err := Dialect{}.Plan([]migrate.Change{c.change})
		if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), c.names) {
			t.Errorf("%T: err = %v, want ErrUnsupported naming %s", c.change, err, c.names)
		}
	}
}

// TestAlterInPlaceOrRebuild: which additions and drops SQLite makes in
// place, by the rules of its ALTER TABLE.
func TestAlterInPlaceOrRebuild(t *testing.T) {
	with := func(c metadata.Column, edit func(*metadata.Column)) metadata.Column { edit(&c); return c }
	plain := column("c", metadata.Integer{Bytes: 4}, true)
	for _, tc := range []struct {
		name    string
		column  metadata.Column
		inPlace bool
	}{
		{"nullable", plain, true},
		{"NOT NULL with a default", with(plain, func(c *metadata.Column) { c.Nullable = false; c.Default = metadata.NumberLiteral{Value: "1"} }), true},
		{"NOT NULL without a default", with(plain, func(c *metadata.Column) { c.Nullable = false }), false},
		{"NOT NULL with a NULL default", with(plain, func(c *metadata.Column) { c.Nullable = false; c.Default = metadata.Expr{SQL: "NULL"} }), false},
		{"blob default", with(plain, func(c *metadata.Column) { c.Default = metadata.Expr{SQL: "X'00'"} }), true},
		{"CURRENT_TIMESTAMP default", with(plain, func(c *metadata.Column) { c.Default = metadata.Expr{SQL: "CURRENT_TIMESTAMP"} }), false},
		{"expression default", with(plain, func(c *metadata.Column) { c.Default = metadata.Expr{SQL: "1 + 1"} }), false},
		{"virtual generated", with(plain, func(c *metadata.Column) { c.Generated = &metadata.Generated{Expr: "qty + 1"} }), true},
		{"stored generated", with(plain, func(c *metadata.Column) { c.Generated = &metadata.Generated{Expr: "qty + 1", Stored: true} }), false},
	} {
		to := goldenTable()
		to.Columns = append(to.Columns, tc.column)
		stmts, err := Dialect{}.Plan([]migrate.Change{migrate.ModifyTable{From: goldenTable(), To: to, Changes: []migrate.TableChange{migrate.AddColumn{Column: tc.column}}}})
		if err != nil {
			t.Fatal(err)
		}
		if inPlace := len(stmts) == 1 && strings.Contains(stmts[0].SQL, "ADD COLUMN"); inPlace != tc.inPlace {
			t.Errorf("add %s column: in place %v, want %v:\n%s", tc.name, inPlace, tc.inPlace, render(stmts))
		}
	}
	for _, tc := range []struct {
		column  string
		inPlace bool
	}{{"name", false}, {"qty", false}, {"id", false}} { // indexed; in a check and a foreign key; the primary key
		from, to := goldenTable(), goldenTable()
		to.Columns = slicesWithout(to.Columns, tc.column)
		stmts, err := Dialect{}.Plan([]migrate.Change{migrate.ModifyTable{From: from, To: to, Changes: []migrate.TableChange{migrate.DropColumn{Column: *from.Column(tc.column)}}}})
		if err != nil {
			t.Fatal(err)
		}
		if rebuilt := stmts[0].Rebuild; rebuilt == tc.inPlace {
			t.Errorf("drop %s: rebuild %v", tc.column, rebuilt)
		}
	}
}

func slicesWithout(cols []metadata.Column, name string) []metadata.Column {
	var out []metadata.Column
	for _, c := range cols {
		if c.Name != name {
			out = append(out, c)
		}
	}
	return out
}
