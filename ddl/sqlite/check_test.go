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
