package migrate

import (
	"testing"

	"github.com/dbtool/dbtool/metadata"
)

// TestUniqueIndexMayFail: a new unique index fails on duplicate rows, so
// it is marked may fail (and its rows counted before an apply); a plain
// index cannot fail on the rows.
func TestUniqueIndexMayFail(t *testing.T) {
	table := metadata.TableRef{Name: "users"}
	for _, c := range []struct {
		unique bool
		want   Hazard
	}{{true, MayFail}, {false, Safe}} {
		ix := AddIndex{Table: table, Index: metadata.Index{Name: "ix", Unique: c.unique, Parts: []metadata.IndexPart{{Column: "email"}}}}
		if got := HazardOf(ix); got != c.want {
			t.Errorf("unique %v: hazard %s, want %s", c.unique, got, c.want)
		}
	}
}
