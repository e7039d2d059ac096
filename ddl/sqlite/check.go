package sqlite

import (
	"fmt"
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// builtinCollations are the collating sequences every SQLite connection
// has. Another name fails when the table is created, so Check reports it.
var builtinCollations = []string{"BINARY", "NOCASE", "RTRIM"}

// strictTypes are the only types a STRICT table's columns may declare.
var strictTypes = []string{"INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY"}

// Check reports, all at once, what in the model SQLite cannot hold: the
// PostgreSQL objects (namespaces, extensions, enums, domains, sequences,
// functions, partitions, inheritance, row-level security, exclusion
// constraints, identity columns, materialized views, index methods,
// operator classes, INCLUDE and NULLS ordering, MATCH FULL), comments
// (SQLite has nowhere to keep them, so they would be lost silently),
// collations SQLite does not have, types a STRICT table refuses, and
// AUTOINCREMENT anywhere but on the single INTEGER column of a rowid
// table's primary key, tables without columns (PostgreSQL allows them,
// SQLite's grammar does not), NOT VALID constraints (SQLite cannot add a
// constraint to an existing table, so it has no unchecked ones), names
// that differ only in case (see caseClashes), and virtual tables whose
// module the built-in SQLite lacks (FTS3 and FTS4 among them).
func (d Dialect) Check(m *metadata.MetaData) error {
	c := &checker{d: d}
	c.caseClashes(m)
	for i, e := range m.Extensions {
		c.add(fmt.Sprintf("extensions[%d]", i), metadata.ObjectName("extension", "", e.Name), "SQLite has no extensions")
	}
	for i, s := range m.Schemas {
		c.add(fmt.Sprintf("schemas[%d]", i), metadata.ObjectName("schema", "", s.Name), "SQLite has no schemas (namespaces): every object lives in the database itself")
	}
	for i, e := range m.Enums {
		c.add(fmt.Sprintf("enums[%d]", i), metadata.ObjectName("enum", e.Schema, e.Name), "SQLite has no enum types: use a text column with a CHECK (col IN (...)) constraint")
	}
	for i, x := range m.Domains {
		c.add(fmt.Sprintf("domains[%d]", i), metadata.ObjectName("domain", x.Schema, x.Name), "SQLite has no domains")
	}
	for i, x := range m.CompositeTypes {
		c.add(fmt.Sprintf("composite_types[%d]", i), metadata.ObjectName("composite type", x.Schema, x.Name), "SQLite has no composite types")
	}
	for i, s := range m.Sequences {
		c.add(fmt.Sprintf("sequences[%d]", i), metadata.ObjectName("sequence", s.Schema, s.Name), "SQLite has no sequences: use an INTEGER PRIMARY KEY, with autoincrement if ids must never be reused")
	}
	for i, f := range m.Functions {
		c.add(fmt.Sprintf("functions[%d]", i), metadata.ObjectName("function", f.Schema, f.Name), "SQLite has no stored functions or procedures")
	}
	for i := range m.Tables {
		c.table(fmt.Sprintf("tables[%d]", i), &m.Tables[i])
	}
	for i, vt := range m.VirtualTables {
		if msg := checkModule(vt.Using); msg != "" {
			c.add(fmt.Sprintf("virtual_tables[%d].using", i), metadata.ObjectName("virtual table", "", vt.Name), "%s", msg)
		}
	}
	for i, v := range m.Views {
		p := fmt.Sprintf("views[%d]", i)
		obj := metadata.ObjectName("view", v.Schema, v.Name)
		c.schema(p, obj, v.Schema)
		if v.Materialized {
			c.add(p+".materialized", obj, "SQLite has no materialized views")
		}
		if v.CheckOption != "" {
			c.add(p+".check_option", obj, "SQLite views have no WITH CHECK OPTION")
		}
		c.comment(p, obj, v.Comment)
	}
	for i, t := range m.Triggers {
		p := fmt.Sprintf("triggers[%d]", i)
		obj := fmt.Sprintf("trigger %s on %s", metadata.QuoteName(t.Name), metadata.QuoteName(t.Table))
		c.schema(p, obj, t.Schema)
		c.comment(p, obj, t.Comment)
		if msg := checkTriggerDefinition(t.Definition, t.Name); msg != "" {
			c.add(p+".definition", obj, "%s", msg)
		}
	}
	return c.problems.Err()
}

// modules are the virtual-table modules of the SQLite that dbtool carries
// (modernc.org/sqlite, built with FTS5, R*Tree, Geopoly, DBSTAT and
// DBPAGE): SQLite refuses any other with "no such module". The tests hold
// this list to the driver's pragma_module_list.
var modules = []string{"dbstat", "fts5", "fts5vocab", "geopoly", "rtree", "rtree_i32", "sqlite_dbpage"}

// checkModule reports a virtual table whose module the built-in SQLite
// does not have, "" when it has it.
func checkModule(using string) string {
	module, _, _ := strings.Cut(using, "(")
	module = strings.ToLower(strings.TrimSpace(module))
	for _, m := range modules {
		if module == m {
			return ""
		}
	}
	switch module {
	case "fts3", "fts4":
		return fmt.Sprintf("the SQLite built into dbtool (modernc.org/sqlite, pure Go) has no %s module, only fts5: "+
			"declare the table with fts5 (same columns; MATCH queries mostly carry over, but FTS5 has no matchinfo() "+
			"and its own options and auxiliary functions), or create it with a SQLite built with FTS3/FTS4", strings.ToUpper(module))
	case "":
		return "using names no module"
	}
	return fmt.Sprintf("the SQLite built into dbtool has no module %q (it has %s), and cannot load extensions", module, strings.Join(modules, ", "))
}

// checkTriggerDefinition reports a trigger definition that SQLite would
// not keep as written, so that inspecting the database would not give it
// back: SQLite stores "CREATE TRIGGER name ..." whatever the case of the
// keywords, TEMP or IF NOT EXISTS, and names the trigger as the definition
// does.
func checkTriggerDefinition(def, name string) string {
	const prefix = "CREATE TRIGGER "
	if !strings.HasPrefix(def, prefix) {
		return `the definition must start with "CREATE TRIGGER ", as SQLite stores it (no TEMP, upper case)`
	}
	rest := def[len(prefix):]
	if len(rest) >= 13 && strings.EqualFold(rest[:13], "IF NOT EXISTS") {
		return "SQLite does not keep IF NOT EXISTS in a trigger's definition: leave it out"
	}
	got, ok := leadingName(rest)
	if !ok || got != name {
		return fmt.Sprintf("the definition creates a trigger named %s, not %s", metadata.QuoteName(got), metadata.QuoteName(name))
	}
	return ""
}

// leadingName reads the identifier at the start of s: bare, or quoted
// with "", [] or “.
func leadingName(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	closer := s[0]
	switch closer {
	case '"', '`':
	case '[':
		closer = ']'
	default:
		i := 0
		for i < len(s) && (s[i] == '_' || s[i] == '$' || s[i] >= 0x80 || isDigit(s[i]) && i > 0 ||
			s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
			i++
		}
		return s[:i], i > 0
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] == closer {
			if closer != ']' && i+1 < len(s) && s[i+1] == closer {
				b.WriteByte(closer)
				i++
				continue
			}
			return b.String(), true
		}
		b.WriteByte(s[i])
	}
	return "", false
}

// caseClashes reports names that SQLite takes for the same name although
// they differ in case: SQLite compares identifiers without regard to
// ASCII case, even quoted ones, so tables "order" and "Order" cannot both
// exist. Tables, views, virtual tables and indexes share one namespace;
// triggers have their own; columns are compared within their table. Names
// equal as written are left to metadata.Validate, which reports them as
// duplicates.
func (c *checker) caseClashes(m *metadata.MetaData) {
	// Paths and object names are written only for a clash: most names
	// clash with nothing, and a schema has tens of thousands of them.
	relations := foldedNames{}
	triggers := foldedNames{}
	for i := range m.Tables {
		c.clash(relations, m.Tables[i].Name, func() (string, string) {
			t := &m.Tables[i]
			return fmt.Sprintf("tables[%d].name", i), metadata.ObjectName("table", t.Schema, t.Name)
		})
		columns := foldedNames{}
		for j := range m.Tables[i].Columns {
			c.clash(columns, m.Tables[i].Columns[j].Name, func() (string, string) {
				t := &m.Tables[i]
				return fmt.Sprintf("tables[%d].columns[%d].name", i, j),
					fmt.Sprintf("column %s.%s", metadata.QuoteName(t.Name), metadata.QuoteName(t.Columns[j].Name))
			})
		}
	}
	for i := range m.VirtualTables {
		c.clash(relations, m.VirtualTables[i].Name, func() (string, string) {
			return fmt.Sprintf("virtual_tables[%d].name", i), metadata.ObjectName("virtual table", "", m.VirtualTables[i].Name)
		})
	}
	for i := range m.Views {
		c.clash(relations, m.Views[i].Name, func() (string, string) {
			v := &m.Views[i]
			return fmt.Sprintf("views[%d].name", i), metadata.ObjectName("view", v.Schema, v.Name)
		})
	}
	for i := range m.Tables {
		for j := range m.Tables[i].Indexes {
			c.clash(relations, m.Tables[i].Indexes[j].Name, func() (string, string) {
				t := &m.Tables[i]
				return fmt.Sprintf("tables[%d].indexes[%d].name", i, j),
					fmt.Sprintf("index %s on %s", metadata.QuoteName(t.Indexes[j].Name), metadata.QuoteName(t.Name))
			})
		}
	}
	for i := range m.Triggers {
		c.clash(triggers, m.Triggers[i].Name, func() (string, string) {
			tr := &m.Triggers[i]
			return fmt.Sprintf("triggers[%d].name", i),
				fmt.Sprintf("trigger %s on %s", metadata.QuoteName(tr.Name), metadata.QuoteName(tr.Table))
		})
	}
}

// foldedNames maps names folded as SQLite folds them to the first object
// that had each.
type foldedNames map[string]foldedName

// foldedName is the first name seen of a folded one, and where it is.
type foldedName struct {
	name  string
	where func() (path, object string)
}

// clash records a name, and reports it when an earlier object's name
// differs from it only in case. where returns the object's path and name,
// for the message.
func (c *checker) clash(seen foldedNames, name string, where func() (path, object string)) {
	key := foldASCII(name)
	first, ok := seen[key]
	if !ok {
		seen[key] = foldedName{name: name, where: where}
		return
	}
	if first.name != name {
		_, firstObject := first.where()
		path, object := where()
		c.add(path, object, "the name differs from that of %s only in case, and SQLite compares names without regard to ASCII case: rename one", firstObject)
	}
}

// foldASCII lower-cases the ASCII letters of s, as SQLite does when it
// compares identifiers (other letters are compared as they are).
func foldASCII(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return 'A' <= r && r <= 'Z' }) {
		return s
	}
	b := []byte(s)
	for i, ch := range b {
		if 'A' <= ch && ch <= 'Z' {
			b[i] = ch + 'a' - 'A'
		}
	}
	return string(b)
}

type checker struct {
	d        Dialect
	problems metadata.Problems
}

func (c *checker) add(path, object, format string, args ...any) {
	c.problems = append(c.problems, metadata.Problem{Path: path, Object: object, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) schema(path, object, schema string) {
	if schema != "" {
		c.add(path+".schema", object, "SQLite has no schemas (namespaces): leave schema empty")
	}
}

func (c *checker) comment(path, object, comment string) {
	if comment != "" {
		c.add(path+".comment", object, "SQLite has no comments: they could not be stored, and would be lost")
	}
}

func (c *checker) collation(path, object, name string) {
	if name == "" {
		return
	}
	for _, b := range builtinCollations {
		if strings.EqualFold(name, b) {
			return
		}
	}
	c.add(path+".collation", object, "SQLite has no collation %s (it has %s)", metadata.QuoteName(name), strings.Join(builtinCollations, ", "))
}

func (c *checker) table(p string, t *metadata.Table) {
	obj := metadata.ObjectName("table", t.Schema, t.Name)
	c.schema(p, obj, t.Schema)
	c.comment(p, obj, t.Comment)
	if t.PartitionBy != "" {
		c.add(p+".partition_by", obj, "SQLite has no partitioned tables")
	}
	if t.PartitionOf != nil {
		c.add(p+".partition_of", obj, "SQLite has no partitions")
	}
	if len(t.Inherits) > 0 {
		c.add(p+".inherits", obj, "SQLite has no table inheritance")
	}
	if t.RowLevelSecurity || t.ForceRowLevelSecurity {
		c.add(p+".row_level_security", obj, "SQLite has no row-level security")
	}
	if len(t.Policies) > 0 {
		c.add(p+".policies", obj, "SQLite has no row-level security policies")
	}
	if len(t.Exclusions) > 0 {
		c.add(p+".exclusions", obj, "SQLite has no exclusion constraints")
	}
	if len(t.Columns) == 0 && t.PartitionOf == nil && len(t.Inherits) == 0 {
		c.add(p+".columns", obj, "SQLite cannot hold a table without columns (PostgreSQL can): declare at least one")
	}
	if t.WithoutRowID && t.PrimaryKey == nil {
		c.add(p+".without_rowid", obj, "a WITHOUT ROWID table needs a primary key")
	}
	for j := range t.Columns {
		c.column(fmt.Sprintf("%s.columns[%d]", p, j), t, &t.Columns[j])
	}
	for j, ch := range t.Checks {
		if ch.NotValid {
			c.add(fmt.Sprintf("%s.checks[%d].not_valid", p, j), obj, "SQLite has no NOT VALID constraints: it checks every row, so leave not_valid out")
		}
	}
	if pk := t.PrimaryKey; pk != nil {
		c.keyOptions(p+".primary_key", obj, pk.ColumnOptions)
		if len(pk.Columns) == 1 {
			col := t.Column(pk.Columns[0])
			opt := pk.Option(pk.Columns[0])
			switch {
			case col != nil && col.Autoincrement && opt.Desc:
				c.add(p+".primary_key.column_options", obj, "SQLite does not allow AUTOINCREMENT on a descending primary key (id INTEGER PRIMARY KEY DESC is not an alias of the rowid)")
			case col != nil && !t.WithoutRowID && opt.Collation != "" && c.isInteger(col):
				c.add(p+".primary_key.column_options", obj, "SQLite makes PRIMARY KEY (%s COLLATE ...) on an INTEGER column an alias of the rowid and ignores the collation: leave it out", metadata.QuoteName(col.Name))
			}
		}
	}
	for j, u := range t.Uniques {
		if u.NullsNotDistinct {
			c.add(fmt.Sprintf("%s.uniques[%d].nulls_not_distinct", p, j), obj, "SQLite unique constraints always treat NULLs as distinct")
		}
		c.keyOptions(fmt.Sprintf("%s.uniques[%d]", p, j), obj, u.ColumnOptions)
	}
	for j, fk := range t.ForeignKeys {
		fp := fmt.Sprintf("%s.foreign_keys[%d]", p, j)
		if fk.References.Schema != "" {
			c.add(fp+".references.schema", obj, "SQLite has no schemas (namespaces): leave schema empty")
		}
		if fk.NotValid {
			c.add(fp+".not_valid", obj, "SQLite has no NOT VALID constraints: it checks every row, so leave not_valid out")
		}
		if fk.Match != "" && !strings.EqualFold(fk.Match, "simple") {
			c.add(fp+".match", obj, "SQLite does not enforce MATCH %s: it treats every foreign key as MATCH SIMPLE", strings.ToUpper(fk.Match))
		}
	}
	for j := range t.Indexes {
		c.index(fmt.Sprintf("%s.indexes[%d]", p, j), t, &t.Indexes[j])
	}
}

// keyOptions checks the collations of a key's columns.
func (c *checker) keyOptions(p, obj string, opts []metadata.KeyColumnOption) {
	for k, o := range opts {
		c.collation(fmt.Sprintf("%s.column_options[%d]", p, k), obj, o.Collation)
	}
}

// isInteger reports whether a column is declared INTEGER, the type that
// makes a lone primary-key column an alias of the rowid.
func (c *checker) isInteger(col *metadata.Column) bool {
	spelled, err := c.d.FormatType(col.Type)
	return err == nil && strings.EqualFold(spelled, "INTEGER")
}

func (c *checker) column(p string, t *metadata.Table, col *metadata.Column) {
	obj := fmt.Sprintf("column %s.%s", metadata.QuoteName(t.Name), metadata.QuoteName(col.Name))
	c.comment(p, obj, col.Comment)
	c.collation(p, obj, col.Collation)
	if col.Identity != nil {
		c.add(p+".identity", obj, "SQLite has no identity columns: use autoincrement on an INTEGER primary key")
	}
	spelled, err := c.d.FormatType(col.Type)
	if err != nil && col.Type != nil {
		c.add(p+".type", obj, "%v", err)
	}
	if raw, ok := col.Type.(metadata.Raw); ok {
		if guess := likelyTypo(raw.SQL); guess != "" {
			c.add(p+".type", obj, "unknown type %q: did you mean %s? (SQLite would take any name and store the values as numbers where it can)", raw.SQL, guess)
		}
	}
	if t.Strict && err == nil && !isStrictType(spelled) {
		if spelled == "" {
			c.add(p+".type", obj, "a STRICT table's columns must declare a type: one of %s", strings.Join(strictTypes, ", "))
		} else {
			c.add(p+".type", obj, "a STRICT table allows only %s, not %s: declare one of them (integer, text and binary are spelled INTEGER, TEXT and BLOB; use a raw type for the others)", strings.Join(strictTypes, ", "), spelled)
		}
	}
	if col.Autoincrement {
		switch {
		case spelled != "INTEGER":
			c.add(p+".autoincrement", obj, "SQLite allows AUTOINCREMENT only on an INTEGER column (type integer), not %s", col.Type)
		case t.PrimaryKey == nil || len(t.PrimaryKey.Columns) != 1 || t.PrimaryKey.Columns[0] != col.Name:
			c.add(p+".autoincrement", obj, "SQLite allows AUTOINCREMENT only on a column that is the whole primary key")
		case t.WithoutRowID:
			c.add(p+".autoincrement", obj, "SQLite does not allow AUTOINCREMENT in a WITHOUT ROWID table")
		}
	}
}

// affinityWords are the parts of a declared type that give SQLite a
// deliberate affinity (INT -> INTEGER, CHAR/CLOB/TEXT -> TEXT, BLOB ->
// BLOB, REAL/FLOA/DOUB -> REAL). A name with none of them falls back to
// NUMERIC affinity, which is what a misspelt type silently gets.
var affinityWords = []string{"INT", "CHAR", "CLOB", "TEXT", "BLOB", "REAL", "FLOA", "DOUB"}

// numericTypeNames are names that real schemas use on purpose although
// they take SQLite's fallback affinity.
var numericTypeNames = map[string]bool{
	"NUMERIC": true, "DECIMAL": true, "BOOLEAN": true, "BOOL": true, "DATE": true, "DATETIME": true,
	"TIME": true, "TIMETZ": true, "TIMESTAMP": true, "TIMESTAMPTZ": true, "UUID": true, "JSON": true,
	"JSONB": true, "MONEY": true, "NUMBER": true, "BIT": true, "YEAR": true, "ANY": true,
}

// likelyTypo returns the portable type a raw SQLite type is most likely a
// misspelling of ("strnig" -> "string"), quoted, or "" when the name is
// one SQLite understands or too far from any portable name to be a slip.
// It is deliberately narrow: SQLite accepts any type name, and schemas
// use their own (GEOMETRY, a SpatiaLite type, must stay possible).
func likelyTypo(declared string) string {
	upper := strings.ToUpper(strings.TrimSpace(declared))
	for _, w := range affinityWords {
		if strings.Contains(upper, w) {
			return ""
		}
	}
	base, _, _ := strings.Cut(upper, "(")
	if numericTypeNames[strings.TrimSpace(base)] {
		return ""
	}
	if guess := metadata.ClosestPortableType(declared); guess != "" {
		return fmt.Sprintf("%q", guess)
	}
	return ""
}

func isStrictType(spelled string) bool {
	for _, s := range strictTypes {
		if strings.EqualFold(spelled, s) {
			return true
		}
	}
	return false
}

func (c *checker) index(p string, t *metadata.Table, ix *metadata.Index) {
	obj := fmt.Sprintf("index %s on %s", metadata.QuoteName(ix.Name), metadata.QuoteName(t.Name))
	c.comment(p, obj, ix.Comment)
	if ix.Method != "" {
		c.add(p+".method", obj, "SQLite has one index method (a B-tree): leave method empty")
	}
	if len(ix.Include) > 0 {
		c.add(p+".include", obj, "SQLite indexes have no INCLUDE columns")
	}
	for k, part := range ix.Parts {
		pp := fmt.Sprintf("%s.columns[%d]", p, k)
		if part.Nulls != "" {
			c.add(pp+".nulls", obj, "SQLite indexes do not take NULLS FIRST or LAST")
		}
		if part.OpClass != "" {
			c.add(pp+".opclass", obj, "SQLite has no operator classes")
		}
		c.collation(pp, obj, part.Collation)
	}
}
