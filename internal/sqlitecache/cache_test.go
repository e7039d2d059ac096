package sqlitecache

import "testing"

// TestFor: the cache is left alone while the schema table, at a b-tree
// page's 70% fill, takes at most half of it; past that it holds the table
// with SQLite's default cache on top, in whole MiB, and never shrinks.
func TestFor(t *testing.T) {
	for _, c := range []struct {
		bytes, have, want int64
		raise             bool
	}{
		{0, DefaultKiB, DefaultKiB, false},
		{700_000, DefaultKiB, DefaultKiB, false}, // 976 KiB: half the cache
		{720_000, DefaultKiB, 3072, true},        // 1004 + 2000 KiB
		{1 << 20, DefaultKiB, 4096, true},        // 1462 + 2000
		{4_400_000, DefaultKiB, 8192, true},      // 6138 + 2000
		{4_400_000, 8192, 8192, false},           // already raised
		{4_400_000, 64 << 10, 64 << 10, false},   // a larger cache is kept
		{10 << 20, 8192, 17 * 1024, true},        // 14628 + 2000
	} {
		got, raise := For(c.bytes, c.have)
		if got != c.want || raise != c.raise {
			t.Errorf("For(%d, %d) = %d, %v; want %d, %v", c.bytes, c.have, got, raise, c.want, c.raise)
		}
	}
}

// TestKiB: a cache_size counts pages, or KiB when negative.
func TestKiB(t *testing.T) {
	for _, c := range []struct{ size, page, want int64 }{
		{-2000, 4096, 2000},
		{2000, 4096, 8000},
		{100, 65536, 6400},
	} {
		if got := KiB(c.size, c.page); got != c.want {
			t.Errorf("KiB(%d, %d) = %d, want %d", c.size, c.page, got, c.want)
		}
	}
}
