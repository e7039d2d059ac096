package postgres

import (
	"testing"

	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/metadata"
)

// TestQuotedNames makes every kind of object with names that need quoting
// (spaces, quotes, upper case, reserved words, non-ASCII letters), made
// with SQL as a person would, then checks the names read back and that the
// model survives create-all into a fresh database.
func TestQuotedNames(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	db.exec(`
CREATE SCHEMA "Sch ""q"" é";
CREATE TYPE "Sch ""q"" é"."Mood Ü" AS ENUM ('it''s', 'Ok');
CREATE DOMAIN "select" AS integer CONSTRAINT "Check ""Me""" CHECK (VALUE > 0);
CREATE SEQUENCE "Sch ""q"" é"."order";
CREATE TABLE "user" (
  "Id" integer PRIMARY KEY,
  "group" text NOT NULL DEFAULT 'it''s',
  "ünï code" "select",
  "m" "Sch ""q"" é"."Mood Ü" DEFAULT 'Ok',
  "n" bigint DEFAULT nextval('"Sch ""q"" é"."order"'),
  CONSTRAINT "user ""unique""" UNIQUE ("group"),
  CHECK ("Id" > 0)
);
CREATE TABLE "Sch ""q"" é"."Tàble" (
  id serial PRIMARY KEY,
  "user" integer REFERENCES "user" ("Id"),
  "Ｆｕｌｌ" text
);
CREATE INDEX "Index ""1""" ON "Sch ""q"" é"."Tàble" (lower("Ｆｕｌｌ"));
CREATE VIEW "Sch ""q"" é"."from" AS SELECT "Id", "group" FROM "user";
CREATE FUNCTION "Sch ""q"" é"."Fn ""x"""() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER "Trig ""t""" BEFORE INSERT ON "user" FOR EACH ROW EXECUTE FUNCTION "Sch ""q"" é"."Fn ""x"""();
ALTER TABLE "user" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Pol ""p""" ON "user" USING ("group" <> 'x');
COMMENT ON TABLE "user" IS 'A "quoted" comment, it''s';
`)
	first := db.inspect(inspector.Options{})
	m := first.Schema
	user := findTable(t, m, "", "user")
	check(t, "columns", []string{"Id", "group", "ünï code", "m", "n"}, columnNames(user))
	check(t, "unique", []metadata.Unique{{Name: `user "unique"`, Columns: []string{"group"}}}, user.Uniques)
	check(t, "comment", `A "quoted" comment, it's`, user.Comment)
	check(t, "types", []metadata.Type{metadata.Integer{Bytes: 4}, metadata.Text{}, metadata.Raw{SQL: `"select"`},
		metadata.Raw{SQL: `"Sch ""q"" é"."Mood Ü"`}, metadata.Integer{Bytes: 8}}, columnTypes(user))
	check(t, "policy", []metadata.Policy{{Name: `Pol "p"`, Using: `"group" <> 'x'::text`}}, user.Policies)
	check(t, "check", []metadata.Check{{Expr: `"Id" > 0`}}, user.Checks)
	other := findTable(t, m, `Sch "q" é`, "Tàble")
	check(t, "serial", metadata.Column{Name: "id", Type: metadata.Integer{Bytes: 4}, Autoincrement: true}, other.Columns[0])
	check(t, "foreign key", []metadata.ForeignKey{{Columns: []string{"user"}, References: metadata.ForeignKeyTarget{Table: "user", Columns: []string{"Id"}}}}, other.ForeignKeys)
	check(t, "index", []metadata.Index{{Name: `Index "1"`, Parts: []metadata.IndexPart{{Expr: `lower("Ｆｕｌｌ")`}}}}, other.Indexes)
	check(t, "enum", []metadata.Enum{{Schema: `Sch "q" é`, Name: "Mood Ü", Values: []string{"it's", "Ok"}}}, m.Enums)
	check(t, "domain check", []metadata.Check{{Name: `Check "Me"`, Expr: "VALUE > 0"}}, m.Domains[0].Checks)
	check(t, "sequence", []metadata.Sequence{{Schema: `Sch "q" é`, Name: "order"}}, m.Sequences)
	check(t, "view", "from", findView(t, m, `Sch "q" é`, "from").Name)
	check(t, "trigger", `Trig "t"`, m.Triggers[0].Name)

	again := newDB(t)
	again.createAll(m)
	second := again.inspect(inspector.Options{})
	if diff := diffModels(m, second.Schema); diff != "" {
		t.Errorf("create-all of the inspected model, inspected again, differs (-first +second):\n%s", diff)
	}
}

func columnNames(t metadata.Table) []string {
	var out []string
	for _, c := range t.Columns {
		out = append(out, c.Name)
	}
	return out
}

func columnTypes(t metadata.Table) []metadata.Type {
	var out []metadata.Type
	for _, c := range t.Columns {
		out = append(out, c.Type)
	}
	return out
}
