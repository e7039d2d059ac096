package sqlite_test

import (
	"testing"

	"github.com/dbtool/dbtool/bench/gen"
	"github.com/dbtool/dbtool/inspector"
)

// BenchmarkInspect inspects a generated schema of 1000 tables in process.
// (bench/inspect measures the dbtool binary against sqlite3 .schema.)
func BenchmarkInspect(b *testing.B) {
	db := openDB(b)
	create(b, db, gen.Generate(1000, 1))
	b.ResetTimer()
	for range b.N {
		inspect(b, db, inspector.Options{})
	}
}
