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
