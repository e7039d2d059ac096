package metadata

import "testing"

// TestShortestDecimalShortcut checks shortestDecimal's shortcut for a
// number in its shortest form against the exact way, on every string of
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
	for _, s := range []string{"0.00", "-0", "-0.0", "10", "100.25", "-3.140", "12345678901234567890.5"} {
		if got, want := shortestDecimal(s), exactShortestDecimal(s); got != want {
			t.Errorf("shortestDecimal(%q) = %q, want %q", s, got, want)
		}
	}
}
