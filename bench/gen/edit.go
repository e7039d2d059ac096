package gen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// EditKinds names the edits Edit makes, so that a test can check that a
// run of pairs made every one of them.
var EditKinds = []string{
	"add column", "add not null column", "drop column", "widen column", "drop not null",
	"set not null", "change default", "add index", "drop index", "add unique", "drop unique",
	"add check", "drop check", "add foreign key", "drop foreign key", "add table",
	"drop table", "rename table", "rename column", "change view", "add view", "drop view",
}

// Edit returns a copy of m changed by n random edits, as a person edits a
// schema between two releases, and the kinds of the edits it made. Every
// edit keeps the rows Rows inserts valid (a new NOT NULL column has a
// default, a new unique constraint is on a column whose generated values
// are distinct, types only widen) except the destructive ones (drop table
// or column), so that a plan from m to the result keeps every row it was
// not told to drop. Renames are declared with renamed_from.
func Edit(m *metadata.MetaData, n int, seed int64) (*metadata.MetaData, []string) {
	r := rand.New(rand.NewPCG(uint64(seed), 0xed17))
	e := &editor{r: r, m: clone(m), only: -1, fresh: map[string]bool{}}
	var done []string
	for tries := 0; len(done) < n && tries < n*20; tries++ {
		kind := EditKinds[r.IntN(len(EditKinds))]
		if e.apply(kind) {
			done = append(done, kind)
		}
	}
	return e.m, done
}

// EditTables changes about fraction of m's tables, each by one to three
// edits among those that keep the table's name (the benchmark's target).
func EditTables(m *metadata.MetaData, fraction float64, seed int64) *metadata.MetaData {
	r := rand.New(rand.NewPCG(uint64(seed), 0xbe7c))
	e := &editor{r: r, m: clone(m), fresh: map[string]bool{}}
	kinds := []string{"add column", "drop column", "widen column", "add index", "drop index", "drop foreign key", "change view"}
	count := int(float64(len(m.Tables))*fraction + 0.5)
	for i := 0; i < count; i++ {
		e.only = r.IntN(len(e.m.Tables))
		for k := 1 + r.IntN(3); k > 0; k-- {
			e.apply(kinds[r.IntN(len(kinds))])
		}
	}
	return e.m
}

type editor struct {
	r *rand.Rand
	m *metadata.MetaData
	// only is the index of the table to edit, or -1 for any.
	only  int
	added int
	// fresh are the columns edits added ("table.column"): their rows are
	// NULL, so they are never made NOT NULL.
	fresh map[string]bool
}

// pick returns a random table, or the one EditTables chose.
func (e *editor) pick() *metadata.Table {
	if len(e.m.Tables) == 0 {
		return nil
	}
	if e.only >= 0 && e.only < len(e.m.Tables) {
		return &e.m.Tables[e.only]
	}
	return &e.m.Tables[e.r.IntN(len(e.m.Tables))]
}

func (e *editor) apply(kind string) bool {
	t := e.pick()
	if t == nil {
		return false
	}
	e.added++
	switch kind {
	case "add column":
		name := fmt.Sprintf("n%02d_note", e.added)
		e.fresh[t.Name+"."+name] = true
		t.Columns = append(t.Columns, metadata.Column{Name: name, Type: metadata.Text{}, Nullable: true})
	case "add not null column":
		t.Columns = append(t.Columns, metadata.Column{Name: fmt.Sprintf("n%02d_count", e.added), Type: metadata.Integer{Bytes: 4},
			Default: metadata.NumberLiteral{Value: "7"}})
	case "drop column":
		c := e.freeColumn(t)
		if c == "" {
			return false
		}
		t.Columns = slices.DeleteFunc(t.Columns, func(col metadata.Column) bool { return col.Name == c })
	case "widen column":
		for _, i := range e.r.Perm(len(t.Columns)) {
			c := &t.Columns[i]
			if e.inKey(t, c.Name) {
				continue
			}
			switch typ := c.Type.(type) {
			case metadata.Integer:
				if typ.Bytes < 8 {
					c.Type = metadata.Integer{Bytes: 8}
					return true
				}
			case metadata.String:
				c.Type = metadata.String{Length: typ.Length + 50}
				return true
			}
		}
		return false
	case "drop not null":
		for _, i := range e.r.Perm(len(t.Columns)) {
			c := &t.Columns[i]
			if !c.Nullable && !slices.Contains(t.PrimaryKey.Columns, c.Name) {
				c.Nullable = true
				return true
			}
		}
		return false
	case "set not null":
		for _, i := range e.r.Perm(len(t.Columns)) {
			c := &t.Columns[i]
			if c.Nullable && !e.referencing(t, c.Name) && !e.fresh[t.Name+"."+c.Name] && t.RenamedFrom == "" && c.RenamedFrom == "" {
				c.Nullable = false
				return true
			}
		}
		return false
	case "change default":
		for _, i := range e.r.Perm(len(t.Columns)) {
			c := &t.Columns[i]
			switch c.Type.(type) {
			case metadata.Integer:
				if c.Default == nil && !e.inKey(t, c.Name) {
					c.Default = metadata.NumberLiteral{Value: "42"}
					return true
				}
			case metadata.Text, metadata.String:
				if c.Default != nil {
					c.Default = nil
				} else {
					c.Default = metadata.StringLiteral{Value: "n/a"}
				}
				return true
			}
		}
		return false
	case "add index":
		c := e.indexable(t)
		if c == "" {
			return false
		}
		t.Indexes = append(t.Indexes, metadata.Index{Name: fmt.Sprintf("ix_%s_e%d", t.Name, e.added), Parts: []metadata.IndexPart{{Column: c}}})
	case "drop index":
		if len(t.Indexes) == 0 {
			return false
		}
		t.Indexes = slices.Delete(t.Indexes, 0, 1)
	case "add unique":
		c := e.indexable(t)
		if c == "" || c == "id" {
			return false
		}
		for _, u := range t.Uniques {
			if slices.Equal(u.Columns, []string{c}) {
				return false
			}
		}
		t.Uniques = append(t.Uniques, metadata.Unique{Columns: []string{c}})
	case "drop unique":
		if len(t.Uniques) == 0 {
			return false
		}
		t.Uniques = slices.Delete(t.Uniques, 0, 1)
	case "add check":
		for _, c := range t.Columns {
			if _, ok := c.Type.(metadata.Integer); ok && !strings.Contains(checksText(t), c.Name) {
				t.Checks = append(t.Checks, metadata.Check{Expr: c.Name + " > -1000"})
				return true
			}
		}
		return false
	case "drop check":
		if len(t.Checks) == 0 {
			return false
		}
		t.Checks = slices.Delete(t.Checks, 0, 1)
	case "add foreign key":
		// A new nullable column referencing an earlier table's key.
		i := slices.IndexFunc(e.m.Tables, func(x metadata.Table) bool { return x.Name == t.Name })
		if i <= 0 {
			return false
		}
		target := e.m.Tables[e.r.IntN(i)]
		if len(target.PrimaryKey.Columns) != 1 {
			return false
		}
		pk := target.PrimaryKey.Columns[0]
		name := fmt.Sprintf("f%02d_%s_%s", e.added, target.Name, pk)
		e.fresh[t.Name+"."+name] = true
		t.Columns = append(t.Columns, metadata.Column{Name: name, Type: target.Column(pk).Type, Nullable: true})
		t.ForeignKeys = append(t.ForeignKeys, metadata.ForeignKey{Columns: []string{name},
			References: metadata.ForeignKeyTarget{Table: target.Name, Columns: []string{pk}}})
	case "drop foreign key":
		if len(t.ForeignKeys) == 0 || e.inView(t.Name) {
			return false
		}
		t.ForeignKeys = slices.Delete(t.ForeignKeys, 0, 1)
	case "add table":
		nt := metadata.Table{Name: fmt.Sprintf("new_%03d", e.added), Columns: []metadata.Column{
			{Name: "id", Type: metadata.Integer{Bytes: 8}},
			{Name: "label", Type: metadata.String{Length: 40}, Nullable: true},
			{Name: "ref_id", Type: t.Column(t.PrimaryKey.Columns[0]).Type, Nullable: true},
		}, PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}}}
		if len(t.PrimaryKey.Columns) == 1 {
			nt.ForeignKeys = []metadata.ForeignKey{{Columns: []string{"ref_id"},
				References: metadata.ForeignKeyTarget{Table: t.Name, Columns: []string{t.PrimaryKey.Columns[0]}}}}
		}
		e.m.Tables = append(e.m.Tables, nt)
	case "drop table":
		if e.referenced(t.Name) || e.inView(t.Name) {
			return false
		}
		name := t.Name
		e.m.Tables = slices.DeleteFunc(e.m.Tables, func(x metadata.Table) bool { return x.Name == name })
	case "rename table":
		if e.inView(t.Name) || t.RenamedFrom != "" || strings.HasPrefix(t.Name, "new_") {
			return false
		}
		old := t.Name
		t.RenamedFrom, t.Name = old, old+"_r"
		for i := range e.m.Tables {
			for j := range e.m.Tables[i].ForeignKeys {
				if ref := &e.m.Tables[i].ForeignKeys[j].References; ref.Table == old {
					ref.Table = t.Name
				}
			}
		}
	case "rename column":
		c := e.freeColumn(t)
		if c == "" || t.RenamedFrom != "" {
			return false
		}
		col := t.Column(c)
		if col.RenamedFrom != "" {
			return false
		}
		col.RenamedFrom, col.Name = c, c+"_r"
		for i := range t.Indexes {
			for j := range t.Indexes[i].Parts {
				if t.Indexes[i].Parts[j].Column == c {
					t.Indexes[i].Parts[j].Column = col.Name
				}
			}
		}
		for i := range t.Uniques {
			for j := range t.Uniques[i].Columns {
				if t.Uniques[i].Columns[j] == c {
					t.Uniques[i].Columns[j] = col.Name
				}
			}
		}
	case "change view":
		for i := range e.m.Views {
			v := &e.m.Views[i]
			if !strings.Contains(v.Definition, " WHERE ") {
				v.Definition += " WHERE 1 = 1"
				return true
			}
		}
		return false
	case "add view":
		e.m.Views = append(e.m.Views, metadata.View{Name: fmt.Sprintf("v_new_%03d", e.added),
			Definition: fmt.Sprintf("SELECT id FROM %s", t.Name)})
	case "drop view":
		if len(e.m.Views) == 0 {
			return false
		}
		e.m.Views = slices.Delete(e.m.Views, len(e.m.Views)-1, len(e.m.Views))
	default:
		panic("unknown edit " + kind)
	}
	return true
}

// freeColumn returns a column of t that no key, index, check or view
// uses, or "".
func (e *editor) freeColumn(t *metadata.Table) string {
	for _, i := range e.r.Perm(len(t.Columns)) {
		c := t.Columns[i].Name
		if !e.inKey(t, c) && !e.used(t, c) {
			return c
		}
	}
	return ""
}

// inKey reports whether a column is in t's primary key or a foreign key,
// or another table's foreign key references it.
func (e *editor) inKey(t *metadata.Table, c string) bool {
	if t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, c) {
		return true
	}
	return e.referencing(t, c)
}

func (e *editor) referencing(t *metadata.Table, c string) bool {
	for _, fk := range t.ForeignKeys {
		if slices.Contains(fk.Columns, c) {
			return true
		}
	}
	return false
}

// used reports whether an index, unique, check or view of t uses c.
func (e *editor) used(t *metadata.Table, c string) bool {
	for _, ix := range t.Indexes {
		for _, p := range ix.Parts {
			if p.Column == c {
				return true
			}
		}
	}
	for _, u := range t.Uniques {
		if slices.Contains(u.Columns, c) {
			return true
		}
	}
	if strings.Contains(checksText(t), c) {
		return true
	}
	for _, v := range e.m.Views {
		if strings.Contains(v.Definition, c) {
			return true
		}
	}
	return false
}

// indexable returns a column of a B-tree indexable type whose generated
// values are distinct, or "".
func (e *editor) indexable(t *metadata.Table) string {
	for _, i := range e.r.Perm(len(t.Columns)) {
		switch t.Columns[i].Type.(type) {
		case metadata.Integer, metadata.String, metadata.Date:
			return t.Columns[i].Name
		}
	}
	return ""
}

// referenced reports whether another table's foreign key names table.
func (e *editor) referenced(table string) bool {
	for _, t := range e.m.Tables {
		for _, fk := range t.ForeignKeys {
			if fk.References.Table == table && t.Name != table {
				return true
			}
		}
	}
	return false
}

func (e *editor) inView(table string) bool {
	for _, v := range e.m.Views {
		if strings.Contains(v.Definition, table) {
			return true
		}
	}
	return false
}

func checksText(t *metadata.Table) string {
	var b strings.Builder
	for _, c := range t.Checks {
		b.WriteString(c.Expr + "\n")
	}
	return b.String()
}

// clone deep-copies what Edit changes.
func clone(m *metadata.MetaData) *metadata.MetaData {
	c := *m
	c.Tables = slices.Clone(m.Tables)
	for i := range c.Tables {
		t := &c.Tables[i]
		t.Columns = slices.Clone(t.Columns)
		t.Indexes = slices.Clone(t.Indexes)
		for j := range t.Indexes {
			t.Indexes[j].Parts = slices.Clone(t.Indexes[j].Parts)
		}
		t.Uniques = slices.Clone(t.Uniques)
		for j := range t.Uniques {
			t.Uniques[j].Columns = slices.Clone(t.Uniques[j].Columns)
		}
		t.Checks = slices.Clone(t.Checks)
		t.ForeignKeys = slices.Clone(t.ForeignKeys)
		if t.PrimaryKey != nil {
			pk := *t.PrimaryKey
			t.PrimaryKey = &pk
		}
	}
	c.Views = slices.Clone(m.Views)
	return &c
}
