package gen

import (
	"fmt"
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// Rows returns INSERT statements that put n rows in every table of m, in
// declared order (foreign keys point to earlier tables): row i holds i in
// every integer column, values derived from i in the others, so that the
// values of a column are distinct, a foreign key references row i of its
// target, and a check "c >= 0" holds. Values are plain string literals,
// which PostgreSQL converts to the column's type on INSERT and SQLite
// stores by the column's affinity (a CAST would make SQLite read
// '2020-01-02' as the number 2020); identifiers are quoted with quote.
func Rows(m *metadata.MetaData, n int, quote func(string) string) ([]string, error) {
	var out []string
	for _, t := range m.Tables {
		if t.PartitionOf != nil {
			continue
		}
		var cols []string
		for _, c := range t.Columns {
			if c.Generated == nil {
				cols = append(cols, quote(c.Name))
			}
		}
		var rows []string
		for i := 1; i <= n; i++ {
			var vals []string
			for _, c := range t.Columns {
				if c.Generated != nil {
					continue
				}
				vals = append(vals, value(c.Type, i))
			}
			rows = append(rows, "("+strings.Join(vals, ", ")+")")
		}
		out = append(out, "INSERT INTO "+quote(t.Name)+" ("+strings.Join(cols, ", ")+") VALUES "+strings.Join(rows, ", "))
	}
	return out, nil
}

// value is row i's value of a column of type t, as a string literal.
func value(t metadata.Type, i int) string {
	var v string
	switch t := t.(type) {
	case metadata.Integer, metadata.Numeric:
		v = fmt.Sprint(i)
	case metadata.Float:
		v = fmt.Sprintf("%d.5", i)
	case metadata.Boolean:
		v = map[bool]string{true: "true", false: "false"}[i%2 == 0]
	case metadata.Date:
		v = fmt.Sprintf("2020-01-%02d", i)
	case metadata.Time:
		v = fmt.Sprintf("10:00:%02d", i)
	case metadata.Timestamp:
		v = fmt.Sprintf("2020-01-%02d 10:00:00", i)
	case metadata.UUID:
		v = fmt.Sprintf("00000000-0000-0000-0000-%012d", i)
	case metadata.JSON:
		v = fmt.Sprintf(`{"i": %d}`, i)
	case metadata.Char:
		v = fmt.Sprintf("%d", i)
		if t.Length > 0 && len(v) > t.Length {
			v = v[:t.Length]
		}
	default:
		v = fmt.Sprintf("v%d", i)
	}
	return "'" + strings.ReplaceAll(v, "'", "''") + "'"
}
