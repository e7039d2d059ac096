package metadata

import (
	"strings"
	"testing"
)

// TestRenamesAreValidated: renamed_from and renamed_values must name an
// old name that is not also declared, claimed once.
func TestRenamesAreValidated(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"table renamed and kept", `
tables:
  - {name: a, columns: [{name: id, type: integer}]}
  - {name: b, renamed_from: a, columns: [{name: id, type: integer}]}
`, `renamed_from: table "a" is also declared`},
		{"table renamed from itself", `
tables:
  - {name: a, renamed_from: a, columns: [{name: id, type: integer}]}
`, "renamed_from names the table itself"},
		{"two tables claim one old name", `
tables:
  - {name: b, renamed_from: a, columns: [{name: id, type: integer}]}
  - {name: c, renamed_from: a, columns: [{name: id, type: integer}]}
`, `renamed_from: table "a" is also claimed by table "b"`},
		{"column renamed and kept", `
tables:
  - {name: t, columns: [{name: x, type: integer}, {name: y, renamed_from: x, type: integer}]}
`, `renamed_from: column "x" is also declared`},
		{"enum value renamed and kept", `
enums:
  - {name: mood, values: [ok, fine], renamed_values: [{value: fine, from: ok}]}
`, `value "ok" is renamed to "fine" but is also declared`},
		{"enum value renamed to nothing declared", `
enums:
  - {name: mood, values: [ok], renamed_values: [{value: fine, from: good}]}
`, `renamed value "fine" is not among the enum's values`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(c.yaml))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if !strings.Contains(err.Error(), "s.yaml:") {
				t.Errorf("error %v does not name the file and line", err)
			}
		})
	}
	// A rename to a new name is fine.
	if _, err := Parse("s.yaml", []byte("tables:\n  - {name: b, renamed_from: a, columns: [{name: id, type: integer}]}\n")); err != nil {
		t.Fatal(err)
	}
}
