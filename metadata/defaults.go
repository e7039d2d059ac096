package metadata

// Default is a column's server-side default: a literal value, which every
// dialect writes in its own syntax, or an SQL expression passed through as
// written. The set is closed; a type switch over it is exhaustive.
type Default interface {
	isDefault()
}

// StringLiteral is a string default: DEFAULT 'text'.
type StringLiteral struct{ Value string }

// NumberLiteral is a numeric default kept as written ("0", "-1.50"), so
// that no precision is lost.
type NumberLiteral struct{ Value string }

// BoolLiteral is a boolean default.
type BoolLiteral struct{ Value bool }

// Expr is a default computed by the server, passed through as written:
// "now()", "CURRENT_TIMESTAMP", "gen_random_uuid()", "NULL".
type Expr struct{ SQL string }

func (StringLiteral) isDefault() {}
func (NumberLiteral) isDefault() {}
func (BoolLiteral) isDefault()   {}
func (Expr) isDefault()          {}

// IsDecimal reports whether s is a plain decimal number: an optional minus
// sign, digits, an optional fraction and exponent ("-1", "2.50", "1e-3").
// NumberLiteral values are always of this form, so every dialect, YAML and
// JSON read them alike.
func IsDecimal(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	n := digits()
	if i < len(s) && s[i] == '.' {
		i++
		n += digits()
	}
	if n == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
