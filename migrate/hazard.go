package migrate

import (
	"fmt"
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// Hazard is what a change may do to the rows of a database. Hazards are
// ordered: a change's hazard is the worst of its parts.
type Hazard uint8

// The hazards, from none to the worst.
const (
	// Safe changes keep every row and cannot fail on existing data.
	Safe Hazard = iota
	// MayFail changes keep every row but fail when existing rows break
	// them: SET NOT NULL, a new unique, check, primary or foreign key, a
	// type conversion the server may refuse for some values.
	MayFail
	// MayLoseData changes may change or lose values: a narrowing or lossy
	// type change, removing an enum value.
	MayLoseData
	// DropsData changes drop data: a table, a column, a virtual table.
	DropsData
)

// Destructive reports whether the hazard loses or may lose data; a plan
// with such a change is applied only when the user allows it.
func (h Hazard) Destructive() bool { return h >= MayLoseData }

// String names the hazard: "safe", "may fail", "may lose data", "drops data".
func (h Hazard) String() string {
	switch h {
	case MayFail:
		return "may fail"
	case MayLoseData:
		return "may lose data"
	case DropsData:
		return "drops data"
	}
	return "safe"
}

// Risk is one hazard of a change, with the object it is about and why.
type Risk struct {
	Hazard Hazard
	// Object names the object: `column "email" of table "users"`.
	Object string
	// Reason says why, for a person: "varchar(255) narrowed to varchar(50)".
	Reason string
}

// Risks lists the hazards of a change that is not safe, one per part; a
// safe change has none.
func Risks(c Change) []Risk {
	switch c := c.(type) {
	case DropTable:
		return []Risk{{DropsData, c.Object(), "the table and its rows are dropped"}}
	case DropVirtualTable:
		return []Risk{{DropsData, c.Object(), "the virtual table and its content are dropped"}}
	case RecreateEnum:
		if removed := missing(c.From.Values, c.To.Values); len(removed) > 0 {
			return []Risk{{MayLoseData, c.Object(), "values removed: " + strings.Join(removed, ", ") + "; rows holding them make the conversion fail"}}
		}
	case DropCompositeType:
		return []Risk{{MayLoseData, c.Object(), "the type is dropped"}}
	case ModifyCompositeType:
		var out []Risk
		if len(c.Drop) > 0 {
			out = append(out, Risk{DropsData, c.Object(), "attributes dropped with their values: " + attributeNames(c.Drop)})
		}
		if len(c.Retype) > 0 {
			out = append(out, Risk{MayFail, c.Object(), "attributes retyped: " + attributeNames(c.Retype) + "; PostgreSQL refuses while a column uses the type"})
		}
		return out
	case DropEnum:
		return []Risk{{MayLoseData, c.Object(), "the type is dropped"}}
	case DropSequence:
		return []Risk{{MayLoseData, c.Object(), "the sequence, and where it stood, are dropped"}}
	case AddIndex:
		if c.Index.Unique {
			return []Risk{{MayFail, c.Object(), "existing rows must be unique"}}
		}
	case AddForeignKey:
		if !c.ForeignKey.NotValid {
			return []Risk{{MayFail, c.Object(), "existing rows must reference existing rows"}}
		}
	case RecreateDomain:
		if h, reason := typeChangeHazard(c.From.Type, c.To.Type); h != Safe {
			return []Risk{{h, c.Object(), "base type " + reason}}
		}
	case ModifyDomain:
		if c.To.NotNull && !c.From.NotNull {
			return []Risk{{MayFail, c.Object(), "existing values must not be NULL"}}
		}
		if len(missingChecks(c.To.Checks, c.From.Checks)) > 0 {
			return []Risk{{MayFail, c.Object(), "existing values must pass the new checks"}}
		}
	case ModifyTable:
		var out []Risk
		for _, tc := range c.Changes {
			h, reason := tableChangeHazard(tc)
			if h != Safe {
				out = append(out, Risk{h, tc.Object() + " of " + c.Object(), reason})
			}
		}
		return out
	}
	return nil
}

// Worst returns the worst hazard among changes.
func Worst(changes []Change) Hazard {
	h := Safe
	for _, c := range changes {
		for _, r := range Risks(c) {
			h = max(h, r.Hazard)
		}
	}
	return h
}

// HazardOf returns the worst hazard of one change.
func HazardOf(c Change) Hazard { return Worst([]Change{c}) }

// TableChangeHazard returns the hazard of one alteration of a table, for
// a dialect that marks each statement it writes.
func TableChangeHazard(tc TableChange) Hazard {
	h, _ := tableChangeHazard(tc)
	return h
}

func tableChangeHazard(tc TableChange) (Hazard, string) {
	switch tc := tc.(type) {
	case DropColumn:
		return DropsData, "the column and its values are dropped"
	case AddColumn:
		c := tc.Column
		if !c.Nullable && c.Default == nil && c.Generated == nil && c.Identity == nil && !c.Autoincrement {
			return MayFail, "NOT NULL without a default fails when the table has rows"
		}
	case ModifyColumn:
		var h Hazard
		var why []string
		if tc.Change.Has(ChangeType) {
			th, reason := typeChangeHazard(tc.From.Type, tc.To.Type)
			h = max(h, th)
			why = append(why, reason)
		}
		if tc.Change.Has(ChangeNullable) && !tc.To.Nullable {
			h = max(h, MayFail)
			why = append(why, "existing NULLs make SET NOT NULL fail")
		}
		if tc.Change.Has(ChangeGenerated) && tc.To.Generated != nil && tc.From.Generated == nil {
			// A generated column's values were computed, and are computed
			// again from the new expression: only a column that held its
			// own values loses them.
			h = max(h, MayLoseData)
			why = append(why, "the column's values are replaced by the generation expression")
		}
		if numbers(tc.From) && !numbers(tc.To) {
			h = max(h, MayLoseData)
			why = append(why, "the column stops numbering new rows: its counter, and where it stood, are dropped")
		}
		return h, strings.Join(why, "; ")
	case SetPrimaryKey:
		if tc.To != nil {
			return MayFail, "existing rows must be unique and not NULL"
		}
	case AddUnique:
		return MayFail, "existing rows must be unique"
	case AddCheck:
		if !tc.Check.NotValid {
			return MayFail, "existing rows must pass the check"
		}
	case AddExclusion:
		return MayFail, "existing rows must not conflict"
	case AttachPartition:
		return MayFail, "existing rows must fall within the partition's bound"
	}
	return Safe, ""
}

// numbers reports whether a column numbers new rows itself, with a
// counter of its own: autoincrement (serial, SQLite's AUTOINCREMENT) or
// an identity.
func numbers(c metadata.Column) bool { return c.Autoincrement || c.Identity != nil }

// typeChangeHazard judges a column type change on the portable types; a
// change it cannot judge (a raw type) may lose data.
func typeChangeHazard(from, to metadata.Type) (Hazard, string) {
	reason := fmt.Sprintf("%s changed to %s", from, to)
	switch f := from.(type) {
	case metadata.Integer:
		switch t := to.(type) {
		case metadata.Integer:
			if t.Bytes >= f.Bytes {
				return Safe, reason
			}
			return MayFail, reason + ": larger values make the conversion fail"
		case metadata.Numeric:
			if t.Precision == 0 || t.Precision-t.Scale >= intDigits(f.Bytes) {
				return Safe, reason
			}
			return MayFail, reason + ": larger values make the conversion fail"
		case metadata.Text, metadata.String:
			if s, ok := t.(metadata.String); ok && s.Length > 0 && s.Length < intDigits(f.Bytes)+1 {
				return MayFail, reason + ": longer values make the conversion fail"
			}
			return Safe, reason
		}
	case metadata.String:
		switch t := to.(type) {
		case metadata.String:
			if t.Length == 0 || (f.Length > 0 && t.Length >= f.Length) {
				return Safe, reason
			}
			// Neither database cuts a value: PostgreSQL's ALTER fails on
			// one too long, SQLite keeps it. The data check counts them.
			return MayFail, reason + ": longer values make the conversion fail"
		case metadata.Text:
			return Safe, reason
		}
	case metadata.Char:
		switch t := to.(type) {
		case metadata.Text:
			return Safe, reason
		case metadata.String:
			if t.Length == 0 || t.Length >= f.Length {
				return Safe, reason
			}
			return MayFail, reason + ": longer values make the conversion fail"
		}
	case metadata.Text:
		if t, ok := to.(metadata.String); ok {
			if t.Length == 0 {
				return Safe, reason
			}
			return MayFail, reason + ": longer values make the conversion fail"
		}
	case metadata.Numeric:
		if t, ok := to.(metadata.Numeric); ok {
			if t.Precision == 0 || (f.Precision > 0 && t.Scale >= f.Scale && t.Precision-t.Scale >= f.Precision-f.Scale) {
				return Safe, reason
			}
			return MayLoseData, reason + ": values are rounded or no longer fit"
		}
	case metadata.Float:
		if t, ok := to.(metadata.Float); ok && t.Bytes >= f.Bytes {
			return Safe, reason
		}
	case metadata.Timestamp:
		if t, ok := to.(metadata.Timestamp); ok && (t.Precision < 0 || (f.Precision >= 0 && t.Precision >= f.Precision)) {
			return Safe, reason
		}
	case metadata.Date:
		if _, ok := to.(metadata.Timestamp); ok {
			return Safe, reason
		}
	}
	return MayLoseData, reason + ": values may not convert exactly"
}

// intDigits is the number of decimal digits of the largest integer of
// that many bytes.
func intDigits(bytes int) int {
	switch bytes {
	case 2:
		return 5
	case 4:
		return 10
	}
	return 19
}

// missing returns the values of from that to lacks.
func missing(from, to []string) []string {
	in := make(map[string]bool, len(to))
	for _, v := range to {
		in[v] = true
	}
	var out []string
	for _, v := range from {
		if !in[v] {
			out = append(out, v)
		}
	}
	return out
}

func missingChecks(want, have []metadata.Check) []metadata.Check {
	in := map[string]bool{}
	for _, c := range have {
		in[c.Expr] = true
	}
	var out []metadata.Check
	for _, c := range want {
		if !in[c.Expr] {
			out = append(out, c)
		}
	}
	return out
}

// attributeNames lists attributes by name, for a Risk's reason.
func attributeNames(attrs []metadata.Attribute) string {
	names := make([]string, len(attrs))
	for i, a := range attrs {
		names[i] = a.Name
	}
	return strings.Join(names, ", ")
}
