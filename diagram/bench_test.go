package diagram

import (
	"testing"
	"time"

	"github.com/dbtool/dbtool/bench/gen"
	"github.com/dbtool/dbtool/metadata"
)

// BenchmarkAround5000 draws one table and the tables within two foreign
// keys of it, out of a generated 5000-table schema: what
// `dbtool inspect --format ... --around t_00100 --depth 2` does after
// inspecting. It reports the time of the whole selection and drawing,
// which must stay far under a second (it takes about a millisecond).
func BenchmarkAround5000(b *testing.B) {
	m := gen.Generate(5000, 1)
	start := metadata.TableRef{Name: "t_00100"}
	for _, f := range []struct {
		name   string
		render func(*metadata.MetaData) []byte
	}{{"mermaid", Mermaid}, {"dot", DOT}, {"svg", SVG}} {
		b.Run(f.name, func(b *testing.B) {
			var tables int
			began := time.Now()
			for b.Loop() {
				around, err := m.Around(start, 2)
				if err != nil {
					b.Fatal(err)
				}
				tables = len(around.Tables)
				f.render(around)
			}
			b.ReportMetric(float64(tables), "tables")
			b.Logf("%s of %d tables around t_00100 (depth 2) of 5000: %v per diagram", f.name, tables, time.Since(began)/time.Duration(b.N))
		})
	}
}

// BenchmarkWhole5000 draws all 5000 tables: unreadable, but it finishes.
func BenchmarkWhole5000(b *testing.B) {
	m := gen.Generate(5000, 1)
	for b.Loop() {
		SVG(m)
	}
}

// TestAroundFast holds the --around path of a 5000-table schema to well
// under a second, with room for a loaded machine.
func TestAroundFast(t *testing.T) {
	m := gen.Generate(5000, 1)
	began := time.Now()
	around, err := m.Around(metadata.TableRef{Name: "t_00100"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	Mermaid(around)
	SVG(around)
	DOT(around)
	if d := time.Since(began); d > 500*time.Millisecond {
		t.Errorf("around t_00100 of 5000 tables, depth 2, drawn three ways: %v", d)
	}
	if len(around.Tables) < 2 || len(around.Tables) > 1000 {
		t.Errorf("%d tables around t_00100", len(around.Tables))
	}
	// The whole schema still draws.
	if b := SVG(m); len(b) == 0 {
		t.Error("no SVG of 5000 tables")
	}
}
