package postgres

import (
	"fmt"
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// formatDefault writes a column default: a string as a quoted literal, a
// number and an expression as written, a boolean as true or false.
func formatDefault(d metadata.Default) (string, error) {
	switch d := d.(type) {
	case metadata.StringLiteral:
		return quoteLiteral(d.Value), nil
	case metadata.NumberLiteral:
		if !metadata.IsDecimal(d.Value) {
			return "", fmt.Errorf("default %q is not a number", d.Value)
		}
		return d.Value, nil
	case metadata.BoolLiteral:
		if d.Value {
			return "true", nil
		}
		return "false", nil
	case metadata.Expr:
		if strings.TrimSpace(d.SQL) == "" {
			return "", fmt.Errorf("default expression is empty")
		}
		return d.SQL, nil
	}
	return "", fmt.Errorf("unknown default %T", d)
}
