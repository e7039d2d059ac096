package migrate

import (
	"fmt"
	"strings"
	"testing"
)

// summary lists changes as "Type object", a ModifyTable's alterations
// indented under it, for comparing with the expected plan.
func summary(changes []Change) string {
	var b strings.Builder
	for _, c := range changes {
		fmt.Fprintf(&b, "%s %s\n", typeName(c), c.Object())
		if mt, ok := c.(ModifyTable); ok {
			for _, tc := range mt.Changes {
				fmt.Fprintf(&b, "  %s %s", typeName(tc), tc.Object())
				if mc, ok := tc.(ModifyColumn); ok {
					fmt.Fprintf(&b, " (%s)", mc.Change)
				}
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

func typeName(v any) string {
	s := fmt.Sprintf("%T", v)
	return s[strings.LastIndex(s, ".")+1:]
}

const users = `
tables:
  - name: users
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: email, type: varchar(100), nullable: false}
      - {name: name, type: text}
    uniques:
      - {name: users_email_key, columns: [email]}
    indexes:
      - {name: ix_users_name, columns: [name]}
`

func TestDiff(t *testing.T) {
	cases := []struct {
		name     string
		from, to string
		want     string
		renames  []string
		hazard   Hazard
	}{
		{name: "same", from: users, to: users, want: ""},
		{
			name: "unnamed constraints match live default names",
			from: users,
			to: `
tables:
  - name: users
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: email, type: varchar(100), nullable: false, unique: true}
      - {name: name, type: text}
    indexes:
      - {name: ix_users_name, columns: [name]}
`,
			want: "",
		},
		{
			name: "column added, retyped, dropped",
			from: users,
			to: `
tables:
  - name: users
    columns:
      - {name: id, type: bigint, primary_key: true}
      - {name: email, type: varchar(50), nullable: false}
      - {name: age, type: integer}
    uniques:
      - {name: users_email_key, columns: [email]}
`,
			want: `DropIndex index "ix_users_name" on "users"
ModifyTable table "users"
  ModifyColumn column "id" (type, autoincrement)
  ModifyColumn column "email" (type)
  DropColumn column "name"
  AddColumn column "age"
`,
			hazard: DropsData,
		},
		{
			name: "renamed_from renames a table and a column",
			from: users,
			to: `
tables:
  - name: people
    renamed_from: users
    columns:
      - {name: id, type: integer, primary_key: true}
      - {name: email_address, renamed_from: email, type: varchar(100), nullable: false}
      - {name: name, type: text}
    uniques:
      - {name: users_email_key, columns: [email_address]}
    indexes:
      - {name: ix_users_name, columns: [name]}
`,
			// The unique constraint's columns are the renamed column's:
			// the same constraint after RENAME COLUMN, which follows the
			// column, so it is left alone.
			want: `RenameTable table "users"
ModifyTable table "people"
  RenameColumn column "email"
`,
			hazard: Safe,
		},
		{
			name: "a rename without renamed_from is only suggested",
			from: users,
			to:   strings.Replace(users, "name: users", "name: people", 1),
			want: `AddTable table "people"
DropTable table "users"
`,
			renames: []string{`table "people" from users: renamed_from: users`},
			hazard:  DropsData,
		},
		{
			name: "index renamed keeps its definition",
			from: users,
			to:   strings.Replace(users, "ix_users_name", "users_name_idx", 1),
			// With its table's (empty) ModifyTable: SQLite renames an
			// index by creating it again from the table's To.
			want: "ModifyTable table \"users\"\nRenameIndex index \"ix_users_name\" on \"users\"\n",
		},
		{
			name: "foreign keys and views in dependency order",
			from: `
tables:
  - name: a
    columns: [{name: id, type: integer, primary_key: true}, {name: x, type: integer}]
  - name: b
    columns: [{name: id, type: integer, primary_key: true}, {name: a_id, type: integer}]
    foreign_keys: [{name: b_a_id_fkey, columns: [a_id], references: {table: a, columns: [id]}}]
views:
  - {name: v, definition: SELECT a.x FROM a}
  - {name: w, definition: SELECT v.x FROM v}
`,
			to: `
tables:
  - name: a
    columns: [{name: id, type: integer, primary_key: true}, {name: x, type: bigint}]
  - name: b
    columns: [{name: id, type: integer, primary_key: true}, {name: a_id, type: integer}]
views:
  - {name: v, definition: SELECT a.x FROM a}
  - {name: w, definition: SELECT v.x FROM v}
`,
			want: `DropView view "w"
DropView view "v"
DropForeignKey foreign key "b_a_id_fkey" on table "b"
ModifyTable table "a"
  ModifyColumn column "x" (type)
ModifyTable table "b"
AddView view "v"
AddView view "w"
`,
		},
		{
			name: "enum values added in place, or the type recreated",
			from: `
enums:
  - {name: mood, values: [ok, sad]}
  - {name: size, values: [s, m, l]}
tables:
  - name: t
    columns: [{name: m, type: size}]
`,
			to: `
enums:
  - {name: mood, values: [happy, ok, meh, sad]}
  - {name: size, values: [s, l]}
tables:
  - name: t
    columns: [{name: m, type: size}]
`,
			want: `AddEnumValue value "happy" of enum "mood"
AddEnumValue value "meh" of enum "mood"
RecreateEnum enum "size"
`,
			hazard: MayLoseData,
		},
		{
			name: "dropped tables after the tables that reference them",
			from: `
tables:
  - name: parent
    columns: [{name: id, type: integer, primary_key: true}]
  - name: child
    columns: [{name: id, type: integer, primary_key: true}, {name: p, type: integer}]
    foreign_keys: [{name: child_p_fkey, columns: [p], references: {table: parent, columns: [id]}}]
  - name: keep
    columns: [{name: id, type: integer}]
`,
			to: `
tables:
  - name: keep
    columns: [{name: id, type: integer}]
`,
			want: `DropTable table "child"
DropTable table "parent"
`,
			hazard: DropsData,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := Diff(parse(t, tc.from), parse(t, tc.to))
			if got := summary(p.Changes); got != tc.want {
				t.Errorf("changes:\n%s\nwant:\n%s", got, tc.want)
			}
			var renames []string
			for _, r := range p.Renames {
				renames = append(renames, r.Object+" from "+r.From+": "+r.Hint)
			}
			if strings.Join(renames, "\n") != strings.Join(tc.renames, "\n") {
				t.Errorf("probable renames: %q, want %q", renames, tc.renames)
			}
			if h := Worst(p.Changes); h != tc.hazard {
				t.Errorf("hazard %s, want %s", h, tc.hazard)
			}
		})
	}
}

// TestDiffIsEmptyBothWays: a model diffed with itself has no change,
// whichever order its lists are in.
func TestDiffIsEmptyBothWays(t *testing.T) {
	m := parse(t, users)
	if p := Diff(m, m); len(p.Changes) != 0 {
		t.Fatalf("self diff: %s", summary(p.Changes))
	}
}

// TestIdentityIsUnambiguous: "a.b"."c" and "a"."b.c" are two tables, in
// the diff and in messages.
func TestIdentityIsUnambiguous(t *testing.T) {
	one := parse(t, `
tables:
  - {schema: a.b, name: c, columns: [{name: id, type: integer}]}
`)
	two := parse(t, `
tables:
  - {schema: a, name: b.c, columns: [{name: id, type: integer}]}
`)
	p := Diff(one, two)
	want := "AddSchema schema \"a\"\nAddTable table \"a\".\"b.c\"\nDropTable table \"a.b\".\"c\"\n"
	if got := summary(p.Changes); got != want {
		t.Errorf("changes:\n%s\nwant:\n%s", got, want)
	}
}

// TestDiffRenamedEnumValue: a declared renamed value is renamed in place,
// not dropped and added (which would recreate the type and lose rows).
func TestDiffRenamedEnumValue(t *testing.T) {
	from := parse(t, "enums:\n  - {name: mood, values: [ok, sad]}\n")
	to := parse(t, "enums:\n  - {name: mood, values: [fine, sad, glad], renamed_values: [{value: fine, from: ok}]}\n")
	p := Diff(from, to)
	want := "RenameEnumValue value \"ok\" of enum \"mood\"\nAddEnumValue value \"glad\" of enum \"mood\"\n"
	if got := summary(p.Changes); got != want {
		t.Errorf("changes:\n%s\nwant:\n%s", got, want)
	}
	if h := Worst(p.Changes); h != Safe {
		t.Errorf("hazard %s, want safe", h)
	}
}
