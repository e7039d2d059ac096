package migrate

import (
	"fmt"
	"testing"

	"github.com/dbtool/dbtool/metadata"
)

// TestRecreateEnumColumns: the columns a recreated enum converts are those
// of the enum and of arrays of it, with their dimensions.
func TestRecreateEnumColumns(t *testing.T) {
	schema := func(values string) *metadata.MetaData {
		return parse(t, `
enums: [{name: size, values: [`+values+`]}]
tables:
  - name: t
    columns:
      - {name: a, type: size}
      - {name: b, type: "size[]"}
      - {name: c, type: "size[][]"}
      - {name: d, type: text}
      - {name: e, type: "sizes[]"}
`)
	}
	from, to := schema("s, m, l"), schema("l, m, s")
	var got []ColumnRef
	for _, c := range Diff(from, to).Changes {
		if r, ok := c.(RecreateEnum); ok {
			got = append(got, r.Columns...)
		}
	}
	ref := metadata.TableRef{Name: "t"}
	want := []ColumnRef{{Table: ref, Column: "a"}, {Table: ref, Column: "b", Dims: 1}, {Table: ref, Column: "c", Dims: 2}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("converted columns %v, want %v", got, want)
	}
}
