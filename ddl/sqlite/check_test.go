package sqlite

import (
	"strings"
	"testing"

	"github.com/dbtool/dbtool/metadata"
)

func TestCheckCatchesMisspeltTypes(t *testing.T) {
	for typ, want := range map[string]string{
		"strnig":      `unknown type "strnig": did you mean "string"?`,
		"intger":      "", // contains INT: SQLite gives it INTEGER affinity on purpose
		"bolean":      `did you mean "boolean"?`,
		"tmestamp":    `did you mean "timestamp"?`,
		"GEOMETRY":    "",
		"DATETIME":    "",
		"JSONB":       "",
		"NUMERIC(10)": "",
		"uuuid":       `did you mean "uuid"?`,
	} {
		m := &metadata.MetaData{Tables: []metadata.Table{{Name: "t", Columns: []metadata.Column{{Name: "c", Type: metadata.Raw{SQL: typ}, Nullable: true}}}}}
		err := Dialect{}.Check(m)
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: unexpected problem: %v", typ, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s: error %v, want it to contain %q", typ, err, want)
		}
	}
}

// TestCheckKeyOptions: what SQLite would not keep of a key's options is
// refused before anything is written.
func TestCheckKeyOptions(t *testing.T) {
	id := metadata.Column{Name: "id", Type: metadata.Integer{Bytes: 4}}
	auto := id
	auto.Autoincrement = true
	for name, c := range map[string]struct {
		table metadata.Table
		want  string
	}{
		"autoincrement descending": {
			metadata.Table{Name: "t", Columns: []metadata.Column{auto},
				PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}, ColumnOptions: []metadata.KeyColumnOption{{Column: "id", Desc: true}}}},
			"AUTOINCREMENT on a descending primary key",
		},
		"collated rowid": {
			metadata.Table{Name: "t", Columns: []metadata.Column{id},
				PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}, ColumnOptions: []metadata.KeyColumnOption{{Column: "id", Collation: "NOCASE"}}}},
			"an alias of the rowid and ignores the collation",
		},
		"unknown collation": {
			metadata.Table{Name: "t", Columns: []metadata.Column{id},
				Uniques: []metadata.Unique{{Columns: []string{"id"}, ColumnOptions: []metadata.KeyColumnOption{{Column: "id", Collation: "de_DE"}}}}},
			`SQLite has no collation "de_DE"`,
		},
		"descending rowid-like key": {
			metadata.Table{Name: "t", Columns: []metadata.Column{id},
				PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}, ColumnOptions: []metadata.KeyColumnOption{{Column: "id", Desc: true}}, OnConflict: metadata.ConflictReplace}},
			"",
		},
	} {
		err := Dialect{}.Check(&metadata.MetaData{Tables: []metadata.Table{c.table}})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: unexpected problem: %v", name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want it to contain %q", name, err, c.want)
		}
	}
}
