package postgres

import (
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// colNames names a relation's columns by number; 0, an expression, is "".
func (r *relation) colNames(nums []int16) []string {
	out := make([]string, len(nums))
	for i, n := range nums {
		if c := r.column(n); c != nil {
			out[i] = c.name
		}
	}
	return out
}

// referentialActions maps pg_constraint.confupdtype/confdeltype.
var referentialActions = map[string]metadata.ReferentialAction{
	"a": metadata.NoAction,
	"r": metadata.Restrict,
	"c": metadata.Cascade,
	"n": metadata.SetNull,
	"d": metadata.SetDefault,
}

// constraints adds the keys, checks and exclusion constraints of each
// table. Those a table inherits (from INHERITS parents, or cloned onto a
// partition from its partitioned parent) are the parent's.
func (b *builder) constraints() {
	for _, con := range b.c.constraints {
		if r := b.rels[con.rel]; r != nil {
			b.take(r.row.schema, con.name)
		}
	}
	for _, ix := range b.c.indexes {
		if r := b.rels[ix.rel]; r != nil {
			b.take(r.row.schema, ix.name)
		}
	}
	for _, s := range b.c.sequences {
		b.take(s.schema, s.name)
	}
	for i := range b.c.constraints {
		con := &b.c.constraints[i]
		r := b.rels[con.rel]
		if r == nil || r.table == nil || con.cloned || !con.isLocal {
			continue
		}
		t, schema := r.table, r.row.schema
		namer := b.namer(schema)
		what := qualified(schema, r.row.name)
		name := func(isDefault bool) string {
			if isDefault {
				return ""
			}
			return con.name
		}
		if !con.validated && con.kind != "f" && con.kind != "c" {
			b.warn("NOT VALID on constraint %s of %s (reflected as valid)", con.name, what)
		}
		cols := r.colNames(con.keys)
		switch con.kind {
		case "p":
			t.PrimaryKey = &metadata.PrimaryKey{Name: name(namer.primaryKey(con.name, r.row.name)), Columns: cols}
		case "u":
			t.Uniques = append(t.Uniques, metadata.Unique{
				Name:             name(namer.unique(con.name, r.row.name, r.colNames(con.indexKeys))),
				Columns:          cols,
				NullsNotDistinct: con.nullsNotDistinct,
			})
		case "f":
			fk := metadata.ForeignKey{
				Name:              name(namer.foreignKey(con.name, r.row.name, cols)),
				Columns:           cols,
				OnDelete:          referentialActions[str(con.onDelete)],
				OnUpdate:          referentialActions[str(con.onUpdate)],
				Deferrable:        con.deferrable,
				InitiallyDeferred: con.deferred,
				NotValid:          !con.validated,
			}
			switch str(con.match) {
			case "f":
				fk.Match = "full"
			case "p":
				fk.Match = "partial"
			}
			fk.References.Schema = b.schema(str(con.refSchema))
			fk.References.Table = str(con.refTable)
			if ref := b.rels[con.refRel]; ref != nil && len(ref.cols) > 0 {
				fk.References.Columns = ref.colNames(con.refKeys)
			} else {
				fk.References.Columns = con.refNames
			}
			t.ForeignKeys = append(t.ForeignKeys, fk)
		case "c":
			if con.noInherit {
				b.warn("NO INHERIT on check constraint %s of %s (reflected as inherited)", con.name, what)
			}
			t.Checks = append(t.Checks, metadata.Check{
				Name:     name(namer.check(con.name, r.row.name, cols)),
				Expr:     checkExpr(str(con.def)),
				NotValid: !con.validated,
			})
		case "x":
			t.Exclusions = append(t.Exclusions, metadata.Exclusion{
				Name:       name(namer.exclusion(con.name, r.row.name, r.colNames(con.indexKeys))),
				Definition: strings.TrimSuffix(str(con.def), " NOT VALID"),
			})
		}
	}
}

// checkExpr returns a check constraint's expression from its definition
// as pg_get_constraintdef prints it: "CHECK (age >= 0) NOT VALID" is
// "age >= 0".
func checkExpr(def string) string {
	def = strings.TrimSuffix(def, " NOT VALID")
	def = strings.TrimSuffix(def, " NO INHERIT")
	def = strings.TrimPrefix(def, "CHECK ")
	return stripParens(def)
}

// indexes adds the indexes of each table and materialized view, except
// those behind constraints (the queries leave them out) and those of a
// partition attached to its parent's partitioned index, which the
// server creates with the partition.
func (b *builder) indexes() {
	for i := range b.c.indexes {
		ix := &b.c.indexes[i]
		r := b.rels[ix.rel]
		if r == nil || ix.attached {
			continue
		}
		what := qualified(r.row.schema, ix.name)
		if !ix.valid {
			b.warn("invalid index %s (left out; rebuild it)", what)
			continue
		}
		if ix.nullsNotDistinct {
			b.warn("NULLS NOT DISTINCT on index %s (reflected without it)", what)
		}
		out := metadata.Index{Name: ix.name, Unique: ix.unique, Where: stripParens(str(ix.where)), Comment: str(ix.comment)}
		if ix.method != "btree" {
			out.Method = ix.method
		}
		exprs := ix.exprs
		keyTexts := indexKeys(str(ix.def))
		for k := 0; k < int(ix.keyCount) && k < len(ix.keys); k++ {
			var part metadata.IndexPart
			col := r.column(ix.keys[k])
			switch {
			case ix.keys[k] == 0 && len(exprs) > 0:
				part.Expr = stripParens(exprs[0])
				exprs = exprs[1:]
			case col != nil:
				part.Column = col.name
			}
			if k < len(ix.options) {
				desc, nullsFirst := ix.options[k]&1 != 0, ix.options[k]&2 != 0
				part.Desc = desc
				switch {
				case nullsFirst && !desc:
					part.Nulls = "first"
				case !nullsFirst && desc:
					part.Nulls = "last"
				}
			}
			if k < len(ix.classes) {
				part.OpClass = b.c.opclasses[ix.classes[k]]
			}
			if k < len(ix.colls) {
				part.Collation = b.indexCollation(ix.colls[k], col)
				// An expression's key inherits its collation from what it
				// reads (lower(title) from title's); only a COLLATE the
				// definition writes out is the key's own.
				if part.Expr != "" && (k >= len(keyTexts) || !hasCollate(keyTexts[k])) {
					part.Collation = ""
				}
			}
			out.Parts = append(out.Parts, part)
		}
		for _, n := range ix.keys[min(int(ix.keyCount), len(ix.keys)):] {
			if col := r.column(n); col != nil {
				out.Include = append(out.Include, col.name)
			}
		}
		switch {
		case r.table != nil:
			r.table.Indexes = append(r.table.Indexes, out)
		case r.view != nil:
			r.view.Indexes = append(r.view.Indexes, out)
		}
	}
}

// indexKeys returns the key texts of a CREATE INDEX statement as
// pg_get_indexdef prints it: what stands between the parentheses after
// USING method, split at the top-level commas. It returns nil for "".
func indexKeys(def string) []string {
	start := topLevelIndex(def, " USING ")
	if start < 0 {
		return nil
	}
	open := strings.IndexByte(def[start:], '(')
	if open < 0 {
		return nil
	}
	var keys []string
	depth, from := 0, start+open+1
	scanSQL(def[start+open:], func(i int, c byte) bool {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				keys = append(keys, strings.TrimSpace(def[from:start+open+i]))
				return false
			}
		case ',':
			if depth == 1 {
				keys = append(keys, strings.TrimSpace(def[from:start+open+i]))
				from = start + open + i + 1
			}
		}
		return true
	})
	return keys
}

// hasCollate reports whether an index key's text ends in a COLLATE
// clause of its own, outside any parentheses or quotes.
func hasCollate(key string) bool { return topLevelIndex(key, " COLLATE ") >= 0 }

// topLevelIndex finds sep in SQL text outside parentheses, quoted names
// and string constants; -1 if it is not there.
func topLevelIndex(sql, sep string) int {
	found, depth := -1, 0
	scanSQL(sql, func(i int, c byte) bool {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		default:
			if depth == 0 && strings.HasPrefix(sql[i:], sep) {
				found = i
				return false
			}
		}
		return true
	})
	return found
}

// scanSQL calls f for each byte of SQL text that is outside a quoted name
// or a string constant (the quotes themselves are skipped too), until f
// returns false.
func scanSQL(sql string, f func(i int, c byte) bool) {
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		if c == '"' || c == '\'' {
			for i++; i < len(sql); i++ {
				if sql[i] == c {
					if i+1 < len(sql) && sql[i+1] == c {
						i++
						continue
					}
					break
				}
			}
			continue
		}
		if !f(i, c) {
			return
		}
	}
}

// defaultCollation is the oid of the database's default collation.
const defaultCollation = 100

// indexCollation names an index key's collation when it is not the one
// the key has anyway (the column's, or the default for an expression).
func (b *builder) indexCollation(oid uint32, col *columnRow) string {
	if oid == 0 || (col != nil && oid == col.collOID) || (col == nil && oid == defaultCollation) {
		return ""
	}
	return b.collation(oid)
}

// collation names a collation: by its name alone in pg_catalog or the
// current schema, else qualified.
func (b *builder) collation(oid uint32) string {
	q, ok := b.c.collations[oid]
	if !ok {
		return ""
	}
	if q.schema == "pg_catalog" || q.schema == b.c.currentSchema {
		return q.name
	}
	return q.schema + "." + q.name
}
