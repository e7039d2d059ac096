package migrate

import (
	"reflect"
	"testing"

	"github.com/dbtool/dbtool/bench/gen"
	"github.com/dbtool/dbtool/metadata"
)

// TestDifferIsDiff diffs one live schema against several declarations
// with one Differ and checks each plan against Diff's, and the live
// schema against a copy made alike: no diff may change the canonical
// form the Differ keeps for the next.
func TestDifferIsDiff(t *testing.T) {
	live := gen.Generate(60, 7)
	edited, kinds := gen.Edit(gen.Generate(60, 7), 30, 7)
	df := NewDiffer(live)
	for _, c := range []struct {
		name string
		want *metadata.MetaData
	}{
		{"edited", edited},
		{"tables edited", gen.EditTables(gen.Generate(60, 7), 0.3, 7)},
		{"unchanged", gen.Generate(60, 7)},
		{"edited again", edited},
	} {
		got, want := df.Diff(c.want), Diff(live, c.want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the Differ's plan differs from Diff's:\n%s\nDiff:\n%s", c.name, summary(got.Changes), summary(want.Changes))
		}
		if c.name != "unchanged" && len(got.Changes) == 0 {
			t.Errorf("%s: no changes (edits: %v)", c.name, kinds)
		}
	}
	if !reflect.DeepEqual(live, gen.Generate(60, 7)) {
		t.Error("the live schema changed")
	}
}
