// Package gen generates schemas of any size for benchmarks: deterministic
// for a seed, made only of portable types so that every dialect can create
// them, and shaped like real schemas (keys, foreign keys to earlier tables,
// some composite, unique and check constraints, a few indexes per table,
// and about one view per twenty tables).
package gen

import (
	"fmt"
	"math/rand/v2"

	"github.com/dbtool/dbtool/metadata"
)

// columnKinds are the portable types generated columns draw from.
var columnKinds = []struct {
	name string
	typ  func(r *rand.Rand) metadata.Type
	// dflt returns a default the type takes in every dialect, or nil.
	dflt func(r *rand.Rand) metadata.Default
}{
	{"int", func(*rand.Rand) metadata.Type { return metadata.Integer{Bytes: 4} }, func(r *rand.Rand) metadata.Default {
		return metadata.NumberLiteral{Value: fmt.Sprint(r.IntN(100))}
	}},
	{"small", func(*rand.Rand) metadata.Type { return metadata.Integer{Bytes: 2} }, nil},
	{"big", func(*rand.Rand) metadata.Type { return metadata.Integer{Bytes: 8} }, nil},
	{"name", func(r *rand.Rand) metadata.Type { return metadata.String{Length: 20 + 10*r.IntN(20)} }, func(*rand.Rand) metadata.Default {
		return metadata.StringLiteral{Value: "unknown"}
	}},
	{"code", func(r *rand.Rand) metadata.Type { return metadata.Char{Length: 2 + r.IntN(8)} }, nil},
	{"note", func(*rand.Rand) metadata.Type { return metadata.Text{} }, nil},
	{"flag", func(*rand.Rand) metadata.Type { return metadata.Boolean{} }, func(r *rand.Rand) metadata.Default {
		return metadata.BoolLiteral{Value: r.IntN(2) == 0}
	}},
	{"amount", func(r *rand.Rand) metadata.Type { return metadata.Numeric{Precision: 10 + r.IntN(8), Scale: 2} }, func(*rand.Rand) metadata.Default {
		return metadata.NumberLiteral{Value: "0.00"}
	}},
	{"ratio", func(*rand.Rand) metadata.Type { return metadata.Float{Bytes: 4} }, nil},
	{"measure", func(*rand.Rand) metadata.Type { return metadata.Float{Bytes: 8} }, nil},
	{"day", func(*rand.Rand) metadata.Type { return metadata.Date{} }, nil},
	{"at", func(*rand.Rand) metadata.Type { return metadata.Time{Precision: -1} }, nil},
	{"stamp", func(*rand.Rand) metadata.Type { return metadata.Timestamp{Precision: -1} }, func(*rand.Rand) metadata.Default {
		return metadata.Expr{SQL: "CURRENT_TIMESTAMP"}
	}},
	{"stamptz", func(*rand.Rand) metadata.Type { return metadata.Timestamp{TZ: true, Precision: -1} }, nil},
	{"token", func(*rand.Rand) metadata.Type { return metadata.UUID{} }, nil},
	{"doc", func(*rand.Rand) metadata.Type { return metadata.JSON{} }, nil},
	{"data", func(*rand.Rand) metadata.Type { return metadata.Binary{} }, nil},
}

// Generate returns a schema of the given number of tables, the same for
// the same seed. Each table has 8 to 20 columns: an integer primary key
// (one table in six has a composite key of id and a smallint part),
// foreign keys to up to three earlier tables (composite where the target's
// key is), columns of every portable type, sometimes NOT NULL or with a
// default, a unique constraint in most tables, a check in some, and one to
// three indexes. A view joins every twentieth table to one it references.
// The model passes metadata.Validate.
func Generate(tables int, seed int64) *metadata.MetaData {
	r := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	m := &metadata.MetaData{}
	for i := 0; i < tables; i++ {
		m.Tables = append(m.Tables, table(r, m.Tables, i))
	}
	for i := 19; i < tables; i += 20 {
		t := &m.Tables[i]
		v := metadata.View{Name: fmt.Sprintf("v_%05d", i)}
		if len(t.ForeignKeys) > 0 {
			fk := t.ForeignKeys[0]
			v.Definition = fmt.Sprintf("SELECT a.id, a.%s AS value, b.id AS ref_id FROM %s a JOIN %s b ON a.%s = b.%s",
				t.Columns[len(t.Columns)-1].Name, t.Name, fk.References.Table, fk.Columns[0], fk.References.Columns[0])
		} else {
			v.Definition = fmt.Sprintf("SELECT id, %s AS value FROM %s", t.Columns[len(t.Columns)-1].Name, t.Name)
		}
		m.Views = append(m.Views, v)
	}
	return m
}

func table(r *rand.Rand, earlier []metadata.Table, i int) metadata.Table {
	t := metadata.Table{Name: fmt.Sprintf("t_%05d", i)}
	t.Columns = append(t.Columns, metadata.Column{Name: "id", Type: metadata.Integer{Bytes: 4}})
	t.PrimaryKey = &metadata.PrimaryKey{Columns: []string{"id"}}
	if r.IntN(6) == 0 {
		t.Columns = append(t.Columns, metadata.Column{Name: "part", Type: metadata.Integer{Bytes: 2}})
		t.PrimaryKey.Columns = append(t.PrimaryKey.Columns, "part")
	}
	ncols := 8 + r.IntN(13)
	var indexable []string
	// Foreign keys to earlier tables, distinct targets.
	targets := map[int]bool{}
	for k := r.IntN(4); k > 0 && len(earlier) > 0; k-- {
		j := r.IntN(len(earlier))
		if targets[j] {
			continue
		}
		targets[j] = true
		target := &earlier[j]
		fk := metadata.ForeignKey{References: metadata.ForeignKeyTarget{Table: target.Name}}
		for _, pc := range target.PrimaryKey.Columns {
			name := fmt.Sprintf("%s_%s", target.Name, pc)
			t.Columns = append(t.Columns, metadata.Column{Name: name, Type: target.Column(pc).Type, Nullable: true})
			fk.Columns = append(fk.Columns, name)
			fk.References.Columns = append(fk.References.Columns, pc)
		}
		switch r.IntN(4) {
		case 0:
			fk.OnDelete = metadata.Cascade
		case 1:
			fk.OnDelete = metadata.SetNull
		}
		t.ForeignKeys = append(t.ForeignKeys, fk)
		indexable = append(indexable, fk.Columns[0])
	}
	for n := len(t.Columns); n < ncols; n++ {
		kind := columnKinds[r.IntN(len(columnKinds))]
		c := metadata.Column{Name: fmt.Sprintf("c%02d_%s", n, kind.name), Type: kind.typ(r), Nullable: r.IntN(3) > 0}
		if kind.dflt != nil && r.IntN(3) == 0 {
			c.Default = kind.dflt(r)
		}
		t.Columns = append(t.Columns, c)
		switch kind.name {
		case "int", "name", "code", "day", "stamp", "big":
			indexable = append(indexable, c.Name)
		}
	}
	if len(indexable) == 0 {
		// Never json: PostgreSQL has no B-tree operator class for it.
		indexable = append(indexable, "id")
	}
	// A unique constraint on id alone would repeat the primary key, which
	// PostgreSQL folds into it: none then.
	if r.IntN(4) > 0 && !(len(indexable) == 1 && indexable[0] == "id") {
		u := metadata.Unique{Columns: []string{indexable[r.IntN(len(indexable))]}}
		if r.IntN(3) == 0 && u.Columns[0] != "id" {
			u.Columns = append(u.Columns, "id")
		}
		t.Uniques = append(t.Uniques, u)
	}
	for _, c := range t.Columns {
		if _, ok := c.Type.(metadata.Integer); ok && c.Name != "id" && c.Name != "part" && r.IntN(4) == 0 && len(t.ForeignKeys) == 0 {
			t.Checks = append(t.Checks, metadata.Check{Expr: c.Name + " >= 0"})
			break
		}
	}
	for k := 1 + r.IntN(3); k > 0; k-- {
		ix := metadata.Index{Name: fmt.Sprintf("ix_%s_%d", t.Name, k)}
		first := indexable[r.IntN(len(indexable))]
		ix.Parts = append(ix.Parts, metadata.IndexPart{Column: first})
		if second := indexable[r.IntN(len(indexable))]; second != first && r.IntN(2) == 0 {
			ix.Parts = append(ix.Parts, metadata.IndexPart{Column: second, Desc: r.IntN(3) == 0})
		}
		t.Indexes = append(t.Indexes, ix)
	}
	return t
}
