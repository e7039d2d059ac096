package metadata

import (
	"cmp"
	"strings"
	"testing"
)

// TestShortestDecimalShortcut checks shortestDecimal's shortcut for a
// number without an exponent against the exact way, on every string of
// up to five characters made of digits, signs, points and exponents.
func TestShortestDecimalShortcut(t *testing.T) {
	const alphabet = "-+0159.e"
	var each func(prefix string, n int)
	each = func(prefix string, n int) {
		if got, want := shortestDecimal(prefix), exactShortestDecimal(prefix); got != want {
			t.Errorf("shortestDecimal(%q) = %q, want %q", prefix, got, want)
		}
		if n == 0 {
			return
		}
		for i := 0; i < len(alphabet); i++ {
			each(prefix+alphabet[i:i+1], n-1)
		}
	}
	each("", 5)
	for _, s := range []string{"0.00", "-0", "-0.0", "10", "100.25", "-3.140", "12345678901234567890.5", "-000.500", "-.50", "1_0", "0x10", "1e3", "-1.5E-2"} {
		if got, want := shortestDecimal(s), exactShortestDecimal(s); got != want {
			t.Errorf("shortestDecimal(%q) = %q, want %q", s, got, want)
		}
	}
}

// pieces are strings to build keys from: empty, with the separators the
// keys use (NUL, comma, point) and prefixes of each other.
var pieces = []string{"", "a", "ab", "a\x00", "a\x00b", "a,b", "a.b", "b", "\x00", ",", " a", "a "}

// TestKeyComparisons checks the comparisons of canonical order against
// the keys they stand for, on every combination of pieces.
func TestKeyComparisons(t *testing.T) {
	sign := func(n int) int { return cmp.Compare(n, 0) }
	for _, a0 := range pieces {
		for _, a1 := range pieces {
			for _, b0 := range pieces {
				for _, b1 := range pieces {
					if got, want := sign(compareKey2(a0, a1, b0, b1)), strings.Compare(a0+"\x00"+a1, b0+"\x00"+b1); got != want {
						t.Errorf("compareKey2(%q, %q, %q, %q) = %d, want %d", a0, a1, b0, b1, got, want)
					}
					fa := ForeignKey{Name: a0, Columns: []string{a1, b0}, References: ForeignKeyTarget{Schema: b1, Table: a1}}
					fb := ForeignKey{Name: b0, Columns: []string{b1}, References: ForeignKeyTarget{Schema: a0, Table: a1}}
					fkKey := func(fk ForeignKey) string {
						return fk.Name + "\x00" + strings.Join(fk.Columns, ",") + "\x00" + fk.References.Schema + "." + fk.References.Table
					}
					if got, want := sign(compareForeignKeys(fa, fb)), strings.Compare(fkKey(fa), fkKey(fb)); got != want {
						t.Errorf("compareForeignKeys(%q, %q) = %d, want %d", fkKey(fa), fkKey(fb), got, want)
					}
					ua, ub := Unique{Name: a0, Columns: []string{a1, b1}}, Unique{Name: b0, Columns: []string{a1}}
					uKey := func(u Unique) string { return u.Name + "\x00" + strings.Join(u.Columns, ",") }
					if got, want := sign(compareUniques(ua, ub)), strings.Compare(uKey(ua), uKey(ub)); got != want {
						t.Errorf("compareUniques(%q, %q) = %d, want %d", uKey(ua), uKey(ub), got, want)
					}
				}
			}
		}
	}
	long := ForeignKey{Name: strings.Repeat("n", 200), Columns: []string{"a"}}
	if compareForeignKeys(long, long) != 0 || compareForeignKeys(long, ForeignKey{Name: long.Name + "x"}) != -1 {
		t.Error("compareForeignKeys of keys longer than its buffers")
	}
}

// TestTrimmed checks trimmed against strings.TrimSpace.
func TestTrimmed(t *testing.T) {
	for _, s := range []string{"", "a", " a", "a ", "\ta", "a\n", "\v", "\f\r", "a b", "\u00a0a", "a\u0085", "é", "a\u2003", "\u3000x", "x\x00", "\x00"} {
		if got, want := trimmed(s), strings.TrimSpace(s) == s; got != want {
			t.Errorf("trimmed(%q) = %v, want %v", s, got, want)
		}
	}
}
