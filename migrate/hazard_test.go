package migrate

import (
	"testing"

	"github.com/dbtool/dbtool/metadata"
)

// TestUniqueIndexMayFail: a new unique index fails on duplicate rows, so
// it is marked may fail (and its rows counted before an apply); a plain
// index cannot fail on the rows.
func TestUniqueIndexMayFail(t *testing.T) {
	table := metadata.TableRef{Name: "users"}
	for _, c := range []struct {
		unique bool
		want   Hazard
	}{{true, MayFail}, {false, Safe}} {
		ix := AddIndex{Table: table, Index: metadata.Index{Name: "ix", Unique: c.unique, Parts: []metadata.IndexPart{{Column: "email"}}}}
		if got := HazardOf(ix); got != c.want {
			t.Errorf("unique %v: hazard %s, want %s", c.unique, got, c.want)
		}
	}
}

// TestNumberingDropped: a column that stops numbering new rows loses its
// counter (PostgreSQL drops the sequence, SQLite its sqlite_sequence row),
// so it may lose data, and is refused without --allow-destructive; moving
// from one kind of numbering to another keeps it. Dropping a standalone
// sequence drops where it stood.
func TestNumberingDropped(t *testing.T) {
	serial := metadata.Column{Name: "id", Type: metadata.Integer{Bytes: 4}, Autoincrement: true}
	identity := metadata.Column{Name: "id", Type: metadata.Integer{Bytes: 8}, Identity: &metadata.Identity{}}
	plain := metadata.Column{Name: "id", Type: metadata.Integer{Bytes: 8}}
	widened := serial
	widened.Type = metadata.Integer{Bytes: 8}
	for _, c := range []struct {
		name     string
		from, to metadata.Column
		change   ColumnChange
		want     Hazard
	}{
		{"serial to plain bigint", serial, plain, ChangeType | ChangeAutoincrement, MayLoseData},
		{"identity to plain", identity, plain, ChangeIdentity, MayLoseData},
		{"serial to identity", serial, identity, ChangeType | ChangeAutoincrement | ChangeIdentity, Safe},
		{"serial widened", serial, widened, ChangeType, Safe},
		{"plain to bigserial", plain, widened, ChangeAutoincrement, Safe},
	} {
		mt := ModifyTable{From: metadata.Table{Name: "t"}, To: metadata.Table{Name: "t"},
			Changes: []TableChange{ModifyColumn{From: c.from, To: c.to, Change: c.change}}}
		if got := HazardOf(mt); got != c.want {
			t.Errorf("%s: hazard %s, want %s (%v)", c.name, got, c.want, Risks(mt))
		}
	}
	if got := HazardOf(DropSequence{Sequence: metadata.Sequence{Name: "s"}}); got != MayLoseData {
		t.Errorf("DropSequence: hazard %s, want %s", got, MayLoseData)
	}
}

// TestGeneratedColumnHazard: a column that becomes generated loses the
// values it held; a generated column whose expression changes held only
// computed values, which are computed again.
func TestGeneratedColumnHazard(t *testing.T) {
	plain := metadata.Column{Name: "c", Type: metadata.Text{}}
	upper := plain
	upper.Generated = &metadata.Generated{Expr: "upper(a)"}
	lower := plain
	lower.Generated = &metadata.Generated{Expr: "lower(a)"}
	for _, c := range []struct {
		name     string
		from, to metadata.Column
		want     Hazard
	}{
		{"column becomes generated", plain, upper, MayLoseData},
		{"expression changed", upper, lower, Safe},
		{"generation dropped", upper, plain, Safe},
	} {
		mt := ModifyTable{From: metadata.Table{Name: "t"}, To: metadata.Table{Name: "t"},
			Changes: []TableChange{ModifyColumn{From: c.from, To: c.to, Change: ChangeGenerated}}}
		if got := HazardOf(mt); got != c.want {
			t.Errorf("%s: hazard %s, want %s", c.name, got, c.want)
		}
	}
}
