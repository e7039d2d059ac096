// Package sqlitecache sizes SQLite's page cache for a transaction that
// creates schema objects, so that engine, which sets it, and the apply
// benchmark, which gives the reference sqlite3 the same cache, share one
// formula.
//
// After each CREATE, SQLite rereads its schema table to parse the new
// entry: a full scan, since the table has no index. When the table
// outgrows the cache (SQLite's default is 2000 KiB, about 1000 tables of
// bench/gen's schema), every scan reads it back from the file and spills
// the transaction's dirty pages to make room: bench/gen's 5000 tables,
// whose schema table is 4.4 MiB, took modernc.org/sqlite 30 s with the
// default cache and 17-19 s with any cache of 6 MiB or more (sqlite3
// itself, from 16 to 11.5 s).
package sqlitecache

// DefaultKiB is SQLite's default page cache (cache_size -2000).
const DefaultKiB = 2000

// RowBytes is what a row of sqlite_schema holds besides its SQL text: its
// type, names, root page and record header, rounded up.
const RowBytes = 64

// For returns the page cache, in KiB, for a connection whose cache holds
// haveKiB and whose schema table will hold schemaBytes (its SQL text and
// RowBytes a row), and whether that is more than haveKiB.
//
// The table takes its bytes over the 70% fill of a b-tree page (measured:
// 75-80%). While it takes at most half the cache, the cache is left as
// it is; past that, the cache is the table with the default cache on top,
// for the rest of the work, rounded up to a MiB so that it seldom
// changes.
func For(schemaBytes, haveKiB int64) (kib int64, raise bool) {
	table := schemaBytes * 10 / 7 / 1024
	if 2*table <= haveKiB {
		return haveKiB, false
	}
	want := (table + DefaultKiB + 1023) / 1024 * 1024
	if want <= haveKiB {
		return haveKiB, false
	}
	return want, true
}

// KiB is a cache_size in KiB: it counts pages of pageSize bytes, or KiB
// when negative.
func KiB(cacheSize, pageSize int64) int64 {
	if cacheSize < 0 {
		return -cacheSize
	}
	return cacheSize * pageSize / 1024
}
