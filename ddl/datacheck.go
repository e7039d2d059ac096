package ddl

import (
	"fmt"
	"strings"

	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// DataChecker is a dialect that can count, before a plan runs, the
// existing rows that would make one of its changes fail: NULLs under a
// new NOT NULL, duplicates under a new unique key or index, rows a new
// check or foreign key refuses, values a narrowed type cannot hold. Apply
// runs the checks and reports every count that is not zero before it
// writes anything, where the server would stop half-way with the first.
type DataChecker interface {
	DataChecks(changes []migrate.Change) []DataCheck
}

// DataCheck is one query that counts the rows a change would fail on.
type DataCheck struct {
	// Object names what the change is about: `column "users"."email"`.
	Object string
	// Query returns one number: the rows that break the change.
	Query string
	// Problem says what those rows are, after their count: "rows are NULL".
	Problem string
}

// StandardDataChecks writes the data checks of a plan in SQL that SQLite
// and PostgreSQL both run, quoting identifiers with quote. The queries
// read the tables as they are before the plan: a table or column the plan
// renames is read under its live name, a check or an index expression on
// a table with renamed columns is not counted (its expression names the
// new ones), and what the plan creates has no rows to check.
func StandardDataChecks(changes []migrate.Change, quote func(string) string) []DataCheck {
	liveName := map[metadata.TableRef]metadata.TableRef{} // new name -> live name
	created := map[metadata.TableRef]bool{}
	columns := map[metadata.TableRef]*planColumns{}
	for _, c := range changes {
		switch c := c.(type) {
		case migrate.RenameTable:
			liveName[c.To] = c.From
		case migrate.AddTable:
			created[c.Table.Ref()] = true
		case migrate.AddView:
			// A materialized view the plan creates, or recreates, is
			// filled by it: its unique indexes are the server's to check.
			created[c.View.Ref()] = true
		case migrate.ModifyTable:
			columns[c.To.Ref()] = newPlanColumns(c)
		}
	}
	table := func(ref metadata.TableRef) string {
		if l, ok := liveName[ref]; ok {
			ref = l
		}
		if ref.Schema == "" {
			return quote(ref.Name)
		}
		return quote(ref.Schema) + "." + quote(ref.Name)
	}
	var out []DataCheck
	for _, c := range changes {
		switch c := c.(type) {
		case migrate.ModifyTable:
			out = append(out, tableChecks(c, table(c.To.Ref()), columns[c.To.Ref()], quote)...)
		case migrate.AddIndex:
			if c.Index.Unique && !created[c.Table] {
				if check, ok := uniqueIndexCheck(c, table(c.Table), columns[c.Table], quote); ok {
					out = append(out, check)
				}
			}
		case migrate.AddForeignKey:
			if check, ok := foreignKeyCheck(c, table, columns, created, quote); ok {
				out = append(out, check)
			}
		}
	}
	return out
}

// planColumns are the columns a plan adds to one table or renames in it.
// A nil *planColumns is a table whose columns the plan leaves as they are.
type planColumns struct {
	// renamed maps a renamed column's new name to its live one.
	renamed map[string]string
	// added maps an added column to whether every existing row will hold
	// the same value in it (constantDefault).
	added map[string]bool
	// names are the new names of both, for reading expressions.
	names map[string]bool
}

func newPlanColumns(mt migrate.ModifyTable) *planColumns {
	p := &planColumns{renamed: map[string]string{}, added: map[string]bool{}, names: map[string]bool{}}
	for _, tc := range mt.Changes {
		switch tc := tc.(type) {
		case migrate.RenameColumn:
			p.renamed[tc.To] = tc.From
			p.names[tc.To] = true
		case migrate.AddColumn:
			p.added[tc.Column.Name] = constantDefault(tc.Column)
			p.names[tc.Column.Name] = true
		}
	}
	return p
}

// live is the name a column of the planned table has in the live one,
// and whether it has one there: a column the plan adds has none.
func (p *planColumns) live(col string) (string, bool) {
	if p == nil {
		return col, true
	}
	if l, ok := p.renamed[col]; ok {
		return l, true
	}
	_, added := p.added[col]
	return col, !added
}

// constant reports whether col is a column the plan adds that every
// existing row will hold the same value in.
func (p *planColumns) constant(col string) bool {
	return p != nil && p.added[col]
}

// renames reports whether the plan renames any of the table's columns.
func (p *planColumns) renames() bool { return p != nil && len(p.renamed) > 0 }

// mentioned reports whether an expression names a column under a name
// the live table does not give it.
func (p *planColumns) mentioned(expr string) bool {
	return p != nil && mentionsAny(expr, p.names)
}

// uniqueIndexCheck counts the duplicate keys under a new unique index on
// an existing table: keys with a NULL part are distinct, as in a unique
// constraint; a part's collation decides what is equal; a partial index
// counts the rows its predicate selects. A renamed column is read under
// its live name. A column the plan adds with a literal default is the
// same in every existing row, and drops out of the key. An index on
// another column the plan adds is not counted (it has no values yet), nor
// one whose expression or predicate names a column the plan adds or
// renames: the server checks those.
func uniqueIndexCheck(c migrate.AddIndex, table string, cols *planColumns, quote func(string) string) (DataCheck, bool) {
	x := c.Index
	var keys, notNull []string
	for _, p := range x.Parts {
		key := "(" + p.Expr + ")"
		if p.Column != "" {
			if cols.constant(p.Column) {
				continue
			}
			live, ok := cols.live(p.Column)
			if !ok {
				return DataCheck{}, false
			}
			key = quote(live)
		} else if cols.mentioned(p.Expr) {
			return DataCheck{}, false
		}
		notNull = append(notNull, key+" IS NOT NULL")
		if p.Collation != "" {
			key += " COLLATE " + quote(p.Collation)
		}
		keys = append(keys, key)
	}
	if x.Where != "" {
		if cols.mentioned(x.Where) {
			return DataCheck{}, false
		}
		notNull = append(notNull, "("+x.Where+")")
	}
	return DataCheck{Object: c.Object(), Query: duplicates(table, keys, notNull), Problem: "values are held by more than one row"}, true
}

// foreignKeyCheck counts the rows a new foreign key on an existing table
// refuses: rows whose key has no NULL part and matches no row of the
// referenced table. Renamed columns, on either side, are read under their
// live names; a key over a column the plan adds is not counted (the
// column has no values yet, or one the server will check).
func foreignKeyCheck(c migrate.AddForeignKey, table func(metadata.TableRef) string, columns map[metadata.TableRef]*planColumns, created map[metadata.TableRef]bool, quote func(string) string) (DataCheck, bool) {
	fk := c.ForeignKey
	parent := fk.References.Ref()
	if created[c.Table] || created[parent] || fk.NotValid {
		// New tables have no rows; declared NOT VALID, the rows there
		// stay unchecked.
		return DataCheck{}, false
	}
	var notNull, match []string
	for i, col := range fk.Columns {
		child, ok := columns[c.Table].live(col)
		if !ok {
			return DataCheck{}, false
		}
		ref, ok := columns[parent].live(fk.References.Columns[i])
		if !ok {
			return DataCheck{}, false
		}
		notNull = append(notNull, "c."+quote(child)+" IS NOT NULL")
		match = append(match, "p."+quote(ref)+" = c."+quote(child))
	}
	return DataCheck{
		Object:  c.Object(),
		Query:   fmt.Sprintf("SELECT count(*) FROM %s c WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s)", table(c.Table), strings.Join(notNull, " AND "), table(parent), strings.Join(match, " AND ")),
		Problem: "rows reference no row of " + metadata.QualifiedName(fk.References.Schema, fk.References.Table),
	}, true
}

// duplicates is the query that counts the keys held by more than one of
// the rows of table that meet every condition. With no keys, every row has
// the same key (the literal defaults of new columns), held more than once
// when there are two rows.
func duplicates(table string, keys, conds []string) string {
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	if len(keys) == 0 {
		return fmt.Sprintf("SELECT CASE WHEN count(*) > 1 THEN 1 ELSE 0 END FROM %s%s", table, where)
	}
	return fmt.Sprintf("SELECT count(*) FROM (SELECT 1 AS x FROM %s%s GROUP BY %s HAVING count(*) > 1) AS d", table, where, strings.Join(keys, ", "))
}

// constantDefault reports whether a column added to a table gives every
// existing row the same value, not NULL: it has a literal default, and is
// not generated, an identity or autoincremented.
func constantDefault(c metadata.Column) bool {
	switch c.Default.(type) {
	case metadata.StringLiteral, metadata.NumberLiteral, metadata.BoolLiteral:
		return c.Generated == nil && c.Identity == nil && !c.Autoincrement
	}
	return false
}

// tableChecks are the checks of one table's alterations.
func tableChecks(mt migrate.ModifyTable, table string, cols *planColumns, quote func(string) string) []DataCheck {
	col := func(name string) string {
		live, _ := cols.live(name)
		return quote(live)
	}
	obj := func(what string) string {
		return what + " of table " + metadata.QualifiedName(mt.To.Schema, mt.To.Name)
	}
	var out []DataCheck
	unique := func(what string, keyCols []string, nulls bool) {
		var parts, notNull []string
		for _, c := range keyCols {
			if cols.constant(c) {
				continue // the same in every row: out of the key
			}
			live, ok := cols.live(c)
			if !ok {
				return // a new column: no values yet
			}
			parts = append(parts, quote(live))
			notNull = append(notNull, quote(live)+" IS NOT NULL")
		}
		out = append(out, DataCheck{Object: obj(what), Query: duplicates(table, parts, notNull), Problem: "values are held by more than one row"})
		if nulls && len(parts) > 0 {
			var anyNull []string
			for _, p := range parts {
				anyNull = append(anyNull, p+" IS NULL")
			}
			out = append(out, DataCheck{Object: obj(what), Query: fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", table, strings.Join(anyNull, " OR ")), Problem: "rows are NULL"})
		}
	}
	for _, tc := range mt.Changes {
		switch tc := tc.(type) {
		case migrate.AddColumn:
			c := tc.Column
			if !c.Nullable && c.Default == nil && c.Generated == nil && c.Identity == nil && !c.Autoincrement {
				out = append(out, DataCheck{Object: obj(tc.Object()), Query: "SELECT count(*) FROM " + table,
					Problem: "rows exist, and the new NOT NULL column has no default to fill them"})
			}
		case migrate.ModifyColumn:
			name := col(tc.To.Name)
			if tc.Change.Has(migrate.ChangeNullable) && !tc.To.Nullable {
				out = append(out, DataCheck{Object: obj(tc.Object()), Query: fmt.Sprintf("SELECT count(*) FROM %s WHERE %s IS NULL", table, name), Problem: "rows are NULL"})
			}
			if tc.Change.Has(migrate.ChangeType) {
				if q, problem := narrowing(tc.From.Type, tc.To.Type, name); q != "" {
					out = append(out, DataCheck{Object: obj(tc.Object()), Query: fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", table, q), Problem: problem})
				}
			}
		case migrate.AddUnique:
			unique(tc.Object(), tc.Unique.Columns, false)
		case migrate.SetPrimaryKey:
			if tc.To != nil {
				unique(tc.Object(), tc.To.Columns, true)
			}
		case migrate.AddCheck:
			if cols.renames() || tc.Check.NotValid || cols.mentioned(tc.Check.Expr) {
				// Its expression names columns under names the table
				// does not have yet: the server checks it.
				continue
			}
			out = append(out, DataCheck{Object: obj(tc.Object()), Query: fmt.Sprintf("SELECT count(*) FROM %s WHERE NOT (%s)", table, tc.Check.Expr), Problem: "rows fail the check"})
		}
	}
	return out
}

// narrowing returns the condition that finds the values a type change
// cannot keep, or "" when there is none to count.
func narrowing(from, to metadata.Type, col string) (cond, problem string) {
	switch t := to.(type) {
	case metadata.String:
		if t.Length > 0 {
			if f, ok := from.(metadata.String); !ok || f.Length == 0 || f.Length > t.Length {
				return fmt.Sprintf("length(%s) > %d", col, t.Length), fmt.Sprintf("values are longer than %d characters", t.Length)
			}
		}
	case metadata.Char:
		if t.Length > 0 {
			return fmt.Sprintf("length(%s) > %d", col, t.Length), fmt.Sprintf("values are longer than %d characters", t.Length)
		}
	case metadata.Integer:
		if f, ok := from.(metadata.Integer); ok && f.Bytes > t.Bytes {
			limit := map[int]string{2: "32767", 4: "2147483647"}[t.Bytes]
			return fmt.Sprintf("%s > %s OR %s < -%s - 1", col, limit, col, limit), "values are out of the new type's range"
		}
	}
	return "", ""
}

// mentionsAny reports whether SQL text holds one of the names as a word,
// which errs towards yes (a name in a string constant counts).
func mentionsAny(sql string, names map[string]bool) bool {
	if len(names) == 0 {
		return false
	}
	words := strings.FieldsFunc(strings.ToLower(sql), func(r rune) bool {
		return !(r == '_' || r == '$' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r > 127)
	})
	for _, w := range words {
		for n := range names {
			if strings.EqualFold(w, n) {
				return true
			}
		}
	}
	return false
}
