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
	// Converts marks a check whose query converts every value as the
	// change will: it counts nothing, and fails at the first value that
	// does not convert, with the database's message naming the value.
	Converts bool
}

// Conversion returns the expression a column type change converts each
// value of col with, where a value can fail to convert ("col::integer"),
// or "" where none can, or none fails (SQLite keeps any value in any
// column).
type Conversion func(from, to metadata.Column, col string) string

// CheckSQL is what StandardDataChecks writes a dialect's SQL with.
type CheckSQL struct {
	// Quote quotes an identifier.
	Quote func(string) string
	// FormatType and FormatDefault spell a column's type and default.
	FormatType    func(metadata.Type) (string, error)
	FormatDefault func(metadata.Default) (string, error)
	// Convert, when not nil, adds a check of each column type change
	// whose values can fail to convert (see DataCheck.Converts).
	Convert Conversion
}

// StandardDataChecks writes the data checks of a plan in SQL that SQLite
// and PostgreSQL both run. The queries read the tables as they are before
// the plan, under the names the plan gives them: a renamed table is read
// under its live name, and a table whose columns the plan renames or adds
// through a subquery that gives them their new names, and an added column
// the value the existing rows will hold (its literal default, or NULL),
// so that a check, an index expression or a key names them as the
// declaration does. What the plan creates has no rows to check.
func StandardDataChecks(changes []migrate.Change, sql CheckSQL) []DataCheck {
	quote, convert := sql.Quote, sql.Convert
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
			columns[c.To.Ref()] = newPlanColumns(c, sql)
		}
	}
	// from is what a check reads a table's rows from, under alias.
	from := func(ref metadata.TableRef, alias string) string {
		live := ref
		if l, ok := liveName[ref]; ok {
			live = l
		}
		name := quote(live.Name)
		if live.Schema != "" {
			name = quote(live.Schema) + "." + name
		}
		return columns[ref].source(name, quote) + " " + alias
	}
	var out []DataCheck
	for _, c := range changes {
		switch c := c.(type) {
		case migrate.ModifyTable:
			out = append(out, tableChecks(c, from(c.To.Ref(), "t"), columns[c.To.Ref()], quote, convert)...)
		case migrate.AddIndex:
			if c.Index.Unique && !created[c.Table] {
				if check, ok := uniqueIndexCheck(c, from(c.Table, "t"), columns[c.Table], quote); ok {
					out = append(out, check)
				}
			}
		case migrate.AddForeignKey:
			if check, ok := foreignKeyCheck(c, from, columns, created, quote); ok {
				out = append(out, check)
			}
		}
	}
	return out
}

// planColumns are the columns a plan adds to one table or renames in it,
// with the table as declared. A nil *planColumns is a table whose columns
// the plan leaves as they are.
type planColumns struct {
	table metadata.Table
	// renamed maps a renamed column's new name to its live one.
	renamed map[string]string
	// added maps an added column to whether every existing row will hold
	// the same value in it (constantDefault).
	added map[string]bool
	// values are the added columns whose value in the existing rows is
	// known, as SQL: CAST('x' AS text), CAST(NULL AS integer).
	values map[string]string
	// unknown are the added columns whose value is not: an expression
	// default, a generated, identity or serial column.
	unknown map[string]bool
}

func newPlanColumns(mt migrate.ModifyTable, sql CheckSQL) *planColumns {
	p := &planColumns{table: mt.To, renamed: map[string]string{}, added: map[string]bool{},
		values: map[string]string{}, unknown: map[string]bool{}}
	for _, tc := range mt.Changes {
		switch tc := tc.(type) {
		case migrate.RenameColumn:
			p.renamed[tc.To] = tc.From
		case migrate.AddColumn:
			c := tc.Column
			p.added[c.Name] = constantDefault(c)
			if v := existingValue(c, sql); v != "" {
				p.values[c.Name] = v
			} else {
				p.unknown[c.Name] = true
			}
		}
	}
	return p
}

// existingValue is what an added column holds in the rows that exist
// when it is added, as SQL of its type: its literal default, or NULL when
// it has none; "" when that is not known before the plan runs.
func existingValue(c metadata.Column, sql CheckSQL) string {
	if c.Generated != nil || c.Identity != nil || c.Autoincrement || sql.FormatType == nil {
		return ""
	}
	v := "NULL"
	switch {
	case c.Default == nil:
	case constantDefault(c) && sql.FormatDefault != nil:
		d, err := sql.FormatDefault(c.Default)
		if err != nil {
			return ""
		}
		v = d
	default:
		return ""
	}
	typ, err := sql.FormatType(c.Type)
	if err != nil {
		return ""
	}
	return "CAST(" + v + " AS " + typ + ")"
}

// source is the live table (name, quoted) or, when the plan renames or
// adds some of its columns, a subquery of the declared columns, the
// renamed ones under their new names, the added ones with the values the
// existing rows will hold, where known.
func (p *planColumns) source(name string, quote func(string) string) string {
	if p == nil || len(p.renamed)+len(p.values) == 0 {
		return name
	}
	var cols []string
	for _, c := range p.table.Columns {
		col := quote(c.Name)
		if live, ok := p.renamed[c.Name]; ok {
			col = quote(live) + " AS " + col
		} else if v, ok := p.values[c.Name]; ok {
			col = v + " AS " + col
		} else if p.unknown[c.Name] {
			continue
		}
		cols = append(cols, col)
	}
	return "(SELECT " + strings.Join(cols, ", ") + " FROM " + name + ")"
}

// isAdded reports whether the plan adds col: it has no values yet, or
// (constant) the same literal in every existing row.
func (p *planColumns) isAdded(col string) (added, constant bool) {
	if p == nil {
		return false, false
	}
	constant, added = p.added[col]
	return added, constant
}

// mentionsAdded reports whether an expression names a column the plan
// adds whose value in the existing rows is not known before it runs.
func (p *planColumns) mentionsAdded(expr string) bool {
	return p != nil && mentionsAny(expr, p.unknown)
}

// uniqueIndexCheck counts the duplicate keys under a new unique index on
// an existing table, read from src: keys with a NULL part are distinct,
// as in a unique constraint; a part's collation decides what is equal; a
// partial index counts the rows its predicate selects. A column the plan
// adds with a literal default is the same in every existing row, and
// drops out of the key. An index on another column the plan adds is not
// counted (it has no values yet), nor one whose expression or predicate
// names a column the plan adds: the server checks those.
func uniqueIndexCheck(c migrate.AddIndex, src string, cols *planColumns, quote func(string) string) (DataCheck, bool) {
	x := c.Index
	var keys, notNull []string
	for _, p := range x.Parts {
		key := "(" + p.Expr + ")"
		if p.Column != "" {
			added, constant := cols.isAdded(p.Column)
			if constant {
				continue
			}
			if added {
				return DataCheck{}, false
			}
			key = quote(p.Column)
		} else if cols.mentionsAdded(p.Expr) {
			return DataCheck{}, false
		}
		notNull = append(notNull, key+" IS NOT NULL")
		if p.Collation != "" {
			key += " COLLATE " + quote(p.Collation)
		}
		keys = append(keys, key)
	}
	if x.Where != "" {
		if cols.mentionsAdded(x.Where) {
			return DataCheck{}, false
		}
		notNull = append(notNull, "("+x.Where+")")
	}
	return DataCheck{Object: c.Object(), Query: duplicates(src, keys, notNull), Problem: "values are held by more than one row"}, true
}

// foreignKeyCheck counts the rows a new foreign key on an existing table
// refuses: rows whose key has no NULL part and matches no row of the
// referenced table. A key over a column the plan adds is not counted (the
// column has no values yet, or one the server will check).
func foreignKeyCheck(c migrate.AddForeignKey, from func(metadata.TableRef, string) string, columns map[metadata.TableRef]*planColumns, created map[metadata.TableRef]bool, quote func(string) string) (DataCheck, bool) {
	fk := c.ForeignKey
	parent := fk.References.Ref()
	if created[c.Table] || created[parent] || fk.NotValid {
		// New tables have no rows; declared NOT VALID, the rows there
		// stay unchecked.
		return DataCheck{}, false
	}
	var notNull, match []string
	for i, col := range fk.Columns {
		ref := fk.References.Columns[i]
		if added, _ := columns[c.Table].isAdded(col); added {
			return DataCheck{}, false
		}
		if added, _ := columns[parent].isAdded(ref); added {
			return DataCheck{}, false
		}
		notNull = append(notNull, "c."+quote(col)+" IS NOT NULL")
		match = append(match, "p."+quote(ref)+" = c."+quote(col))
	}
	return DataCheck{
		Object:  c.Object(),
		Query:   fmt.Sprintf("SELECT count(*) FROM %s WHERE %s AND NOT EXISTS (SELECT 1 FROM %s WHERE %s)", from(c.Table, "c"), strings.Join(notNull, " AND "), from(parent, "p"), strings.Join(match, " AND ")),
		Problem: "rows reference no row of " + metadata.QualifiedName(fk.References.Schema, fk.References.Table),
	}, true
}

// duplicates is the query that counts the keys held by more than one of
// the rows of src that meet every condition. With no keys, every row has
// the same key (the literal defaults of new columns), held more than once
// when there are two rows.
func duplicates(src string, keys, conds []string) string {
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	if len(keys) == 0 {
		return fmt.Sprintf("SELECT CASE WHEN count(*) > 1 THEN 1 ELSE 0 END FROM %s%s", src, where)
	}
	return fmt.Sprintf("SELECT count(*) FROM (SELECT 1 AS x FROM %s%s GROUP BY %s HAVING count(*) > 1) AS d", src, where, strings.Join(keys, ", "))
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

// tableChecks are the checks of one table's alterations, read from src.
func tableChecks(mt migrate.ModifyTable, src string, cols *planColumns, quote func(string) string, convert Conversion) []DataCheck {
	obj := func(what string) string {
		return what + " of table " + metadata.QualifiedName(mt.To.Schema, mt.To.Name)
	}
	var out []DataCheck
	unique := func(what string, keyCols []string, nulls bool) {
		var parts, notNull []string
		for _, c := range keyCols {
			added, constant := cols.isAdded(c)
			if constant {
				continue // the same in every row: out of the key
			}
			if added {
				return // a new column: no values yet
			}
			parts = append(parts, quote(c))
			notNull = append(notNull, quote(c)+" IS NOT NULL")
		}
		out = append(out, DataCheck{Object: obj(what), Query: duplicates(src, parts, notNull), Problem: "values are held by more than one row"})
		if nulls && len(parts) > 0 {
			var anyNull []string
			for _, p := range parts {
				anyNull = append(anyNull, p+" IS NULL")
			}
			out = append(out, DataCheck{Object: obj(what), Query: fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", src, strings.Join(anyNull, " OR ")), Problem: "rows are NULL"})
		}
	}
	for _, tc := range mt.Changes {
		switch tc := tc.(type) {
		case migrate.AddColumn:
			c := tc.Column
			if !c.Nullable && c.Default == nil && c.Generated == nil && c.Identity == nil && !c.Autoincrement {
				out = append(out, DataCheck{Object: obj(tc.Object()), Query: "SELECT count(*) FROM " + src,
					Problem: "rows exist, and the new NOT NULL column has no default to fill them"})
			}
		case migrate.ModifyColumn:
			name := quote(tc.To.Name)
			if tc.Change.Has(migrate.ChangeNullable) && !tc.To.Nullable {
				out = append(out, DataCheck{Object: obj(tc.Object()), Query: fmt.Sprintf("SELECT count(*) FROM %s WHERE %s IS NULL", src, name), Problem: "rows are NULL"})
			}
			if tc.Change.Has(migrate.ChangeType) {
				if q, problem := narrowing(tc.From.Type, tc.To.Type, name); q != "" {
					out = append(out, DataCheck{Object: obj(tc.Object()), Query: fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", src, q), Problem: problem})
				}
				if convert == nil || tc.Change.Has(migrate.ChangeGenerated) || tc.To.Generated != nil {
					break // a generated column's values are computed anew
				}
				if expr := convert(tc.From, tc.To, name); expr != "" {
					// A value that converts is never NULL: the count is 0,
					// unless the query fails on a value.
					out = append(out, DataCheck{Object: obj(tc.Object()), Converts: true,
						Query:   fmt.Sprintf("SELECT count(*) FROM %s WHERE %s IS NOT NULL AND (%s) IS NULL", src, name, expr),
						Problem: "values do not convert to the new type"})
				}
			}
		case migrate.AddUnique:
			unique(tc.Object(), tc.Unique.Columns, false)
		case migrate.SetPrimaryKey:
			if tc.To != nil {
				unique(tc.Object(), tc.To.Columns, true)
			}
		case migrate.AddCheck:
			if tc.Check.NotValid || cols.mentionsAdded(tc.Check.Expr) {
				// Declared NOT VALID, the rows stay unchecked; a column
				// the plan adds has no values yet: the server checks it.
				continue
			}
			out = append(out, DataCheck{Object: obj(tc.Object()), Query: fmt.Sprintf("SELECT count(*) FROM %s WHERE NOT (%s)", src, tc.Check.Expr), Problem: "rows fail the check"})
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
