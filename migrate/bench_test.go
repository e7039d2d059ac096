package migrate

import (
	"testing"

	"github.com/dbtool/dbtool/bench/gen"
)

// BenchmarkDiff diffs a generated 5000-table schema against itself and
// against a copy with about 5% of its tables edited (gen.EditTables, as
// bench/inspect -command plan does): the two diffs of a `migrate plan`.
// The two sides are generated separately, as an inspected database and a
// file read are, so that no list is shared between them and an equality
// check cannot stop at a shared pointer. Besides the wall time it reports
// the process's CPU time per diff (cpu-ns/op, the garbage collector's
// included), steadier on a machine shared with other work.
func BenchmarkDiff(b *testing.B) {
	const tables = 5000
	live := gen.Generate(tables, 1)
	for _, c := range []struct {
		name   string
		edited bool
	}{{"unchanged", false}, {"edited", true}} {
		want := gen.Generate(tables, 1)
		if c.edited {
			want = gen.EditTables(want, 0.05, 1)
		}
		b.Run(c.name, func(b *testing.B) {
			var changes int
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				changes = len(Diff(live, want).Changes)
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
			if c.edited == (changes == 0) {
				b.Fatalf("%d changes", changes)
			}
			b.ReportMetric(float64(changes), "changes")
		})
	}
}

// BenchmarkPlanDiffs makes the two diffs of a plan of 5000 tables, 5% of
// them edited (the second against the same declaration: what normalising
// changes does not matter here), with Diff each time and with one Differ,
// which canonicalises the live schema once.
func BenchmarkPlanDiffs(b *testing.B) {
	const tables = 5000
	live := gen.Generate(tables, 1)
	want := gen.EditTables(gen.Generate(tables, 1), 0.05, 1)
	for _, c := range []struct {
		name  string
		diffs func() (*Plan, *Plan)
	}{
		{"Diff", func() (*Plan, *Plan) { return Diff(live, want), Diff(live, want) }},
		{"Differ", func() (*Plan, *Plan) { df := NewDiffer(live); return df.Diff(want), df.Diff(want) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				c.diffs()
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}
