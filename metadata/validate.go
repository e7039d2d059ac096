package metadata

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// MaxNameLength is the longest identifier, in bytes, a schema may use:
// PostgreSQL's limit, kept for every database so that a schema stays
// portable.
const MaxNameLength = 63

// Validate checks a model for what no database could create: missing or
// over-long names, duplicates, keys and indexes on missing columns, foreign
// keys to missing tables or columns, and the like. It reports every problem
// found, as Problems, not just the first.
func Validate(m *MetaData) error {
	v := &validator{m: m, tables: map[TableRef]*Table{}, views: map[TableRef]bool{}}
	for i := range m.Tables {
		v.tables[m.Tables[i].Ref()] = &m.Tables[i]
	}
	for i := range m.Views {
		v.views[m.Views[i].Ref()] = true
	}
	v.run()
	return v.problems.Err()
}

type validator struct {
	m        *MetaData
	problems Problems
	// tables and views index the model by reference: a schema of
	// thousands of tables looks them up once per foreign key.
	tables map[TableRef]*Table
	views  map[TableRef]bool
}

func (v *validator) add(path, object, format string, args ...any) {
	v.problems = append(v.problems, Problem{Path: path, Object: object, Message: fmt.Sprintf(format, args...)})
}

// duplicate reports a name defined twice; first is the path of the first.
func (v *validator) duplicate(path, object, name, first string) {
	v.problems = append(v.problems, Problem{Path: path, Object: object, Other: first,
		Message: fmt.Sprintf("duplicate name %s", QuoteName(name))})
}

// name checks one identifier.
func (v *validator) name(path, object, name string) {
	switch {
	case strings.TrimSpace(name) == "":
		v.add(path, object, "name is empty")
	case len(name) > MaxNameLength:
		v.add(path, object, "name is %d bytes long; the limit is %d", len(name), MaxNameLength)
	case strings.ContainsRune(name, 0):
		v.add(path, object, "name contains a NUL character")
	}
}

// relationKey is a name in a schema's namespace of relations: tables,
// views, virtual tables, sequences and indexes share it in PostgreSQL, and
// tables and indexes share it in SQLite.
type relationKey struct{ schema, name string }

func (v *validator) run() {
	m := v.m
	seen := map[relationKey]string{} // -> path of first definition
	claim := func(path, object, schema, name string) {
		if name == "" {
			return
		}
		k := relationKey{schema, name}
		if first, dup := seen[k]; dup {
			v.duplicate(path, object, name, first)
			return
		}
		seen[k] = path
	}
	for i, s := range m.Schemas {
		p := fmt.Sprintf("schemas[%d]", i)
		v.name(p+".name", ObjectName("schema", "", s.Name), s.Name)
	}
	for i, e := range m.Extensions {
		v.name(fmt.Sprintf("extensions[%d].name", i), ObjectName("extension", "", e.Name), e.Name)
	}
	types := map[relationKey]string{}
	claimType := func(path, object, schema, name string) {
		k := relationKey{schema, name}
		if first, dup := types[k]; dup && name != "" {
			v.duplicate(path, object, name, first)
			return
		}
		types[k] = path
	}
	for i, e := range m.Enums {
		p := fmt.Sprintf("enums[%d]", i)
		obj := ObjectName("enum", e.Schema, e.Name)
		v.name(p+".name", obj, e.Name)
		claimType(p, obj, e.Schema, e.Name)
		if len(e.Values) == 0 {
			v.add(p+".values", obj, "an enum needs at least one value")
		}
		vals := map[string]bool{}
		for j, val := range e.Values {
			if vals[val] {
				v.add(fmt.Sprintf("%s.values[%d]", p, j), obj, "duplicate value %q", val)
			}
			vals[val] = true
		}
		olds := map[string]bool{}
		for j, r := range e.RenamedValues {
			rp := fmt.Sprintf("%s.renamed_values[%d]", p, j)
			switch {
			case !vals[r.Value]:
				v.add(rp+".value", obj, "renamed value %q is not among the enum's values", r.Value)
			case vals[r.From]:
				v.add(rp+".from", obj, "value %q is renamed to %q but is also declared: a value is either renamed or kept", r.From, r.Value)
			case olds[r.From]:
				v.add(rp+".from", obj, "value %q is renamed twice", r.From)
			}
			olds[r.From] = true
		}
	}
	for i, d := range m.Domains {
		p := fmt.Sprintf("domains[%d]", i)
		obj := ObjectName("domain", d.Schema, d.Name)
		v.name(p+".name", obj, d.Name)
		claimType(p, obj, d.Schema, d.Name)
		if d.Type == nil {
			v.add(p+".type", obj, "no type")
		}
		v.checks(p, obj, d.Checks)
	}
	for i := range m.CompositeTypes {
		v.compositeType(i, claimType, claim)
	}
	for i, s := range m.Sequences {
		p := fmt.Sprintf("sequences[%d]", i)
		obj := ObjectName("sequence", s.Schema, s.Name)
		v.name(p+".name", obj, s.Name)
		claim(p, obj, s.Schema, s.Name)
		if s.Type != nil {
			if _, ok := s.Type.(Integer); !ok {
				v.add(p+".type", obj, "a sequence's type must be smallint, integer or bigint, not %s", s.Type)
			}
		}
		if s.Increment != nil && *s.Increment == 0 {
			v.add(p+".increment", obj, "increment must not be zero")
		}
	}
	for i, f := range m.Functions {
		p := fmt.Sprintf("functions[%d]", i)
		obj := ObjectName("function", f.Schema, f.Name)
		v.name(p+".name", obj, f.Name)
		switch f.Kind {
		case "", "function", "procedure", "aggregate":
		default:
			v.add(p+".kind", obj, "kind must be function, procedure or aggregate, not %q", f.Kind)
		}
		if strings.TrimSpace(f.Definition) == "" {
			v.add(p+".definition", obj, "definition is empty")
		}
	}
	for i := range m.Tables {
		t := &m.Tables[i]
		p := fmt.Sprintf("tables[%d]", i)
		claim(p, ObjectName("table", t.Schema, t.Name), t.Schema, t.Name)
	}
	for i, vt := range m.VirtualTables {
		p := fmt.Sprintf("virtual_tables[%d]", i)
		obj := ObjectName("virtual table", "", vt.Name)
		v.name(p+".name", obj, vt.Name)
		claim(p, obj, "", vt.Name)
		if strings.TrimSpace(vt.Using) == "" {
			v.add(p+".using", obj, "using is empty: name the module and its arguments, as fts5(title, body)")
		}
	}
	for i := range m.Views {
		w := &m.Views[i]
		p := fmt.Sprintf("views[%d]", i)
		obj := ObjectName("view", w.Schema, w.Name)
		v.name(p+".name", obj, w.Name)
		claim(p, obj, w.Schema, w.Name)
		if strings.TrimSpace(w.Definition) == "" {
			v.add(p+".definition", obj, "definition is empty")
		}
		switch w.CheckOption {
		case "", "local", "cascaded":
		default:
			v.add(p+".check_option", obj, "check_option must be local or cascaded, not %q", w.CheckOption)
		}
		if len(w.Indexes) > 0 && !w.Materialized {
			v.add(p+".indexes", obj, "only a materialized view can have indexes")
		}
		for j := range w.Indexes {
			ix := &w.Indexes[j]
			ip := fmt.Sprintf("%s.indexes[%d]", p, j)
			claim(ip, ObjectName("index", w.Schema, ix.Name), w.Schema, ix.Name)
			v.index(ip, w.Schema, w.Name, ix, func(string) bool { return true })
		}
	}
	for i := range m.Tables {
		v.table(i, seen)
	}
	v.checkRenames("tables", "table", len(m.Tables), func(i int) (string, string, string) {
		return m.Tables[i].Schema, m.Tables[i].Name, m.Tables[i].RenamedFrom
	})
	for i, s := range m.Sequences {
		if s.OwnedBy == "" {
			continue
		}
		p := fmt.Sprintf("sequences[%d].owned_by", i)
		obj := ObjectName("sequence", s.Schema, s.Name)
		parts := strings.Split(s.OwnedBy, ".")
		var ref TableRef
		var col string
		switch len(parts) {
		case 2:
			ref, col = TableRef{Schema: s.Schema, Name: parts[0]}, parts[1]
		case 3:
			ref, col = TableRef{Schema: parts[0], Name: parts[1]}, parts[2]
		default:
			v.add(p, obj, "owned_by must be table.column or schema.table.column, not %q", s.OwnedBy)
			continue
		}
		if t := v.tables[ref]; t == nil || t.Column(col) == nil {
			v.add(p, obj, "owned_by names %q, which is not a declared column", s.OwnedBy)
		}
	}
	for i, tr := range m.Triggers {
		p := fmt.Sprintf("triggers[%d]", i)
		obj := fmt.Sprintf("trigger %s on %s", QuoteName(tr.Name), QuoteName(tr.Table))
		v.name(p+".name", obj, tr.Name)
		ref := TableRef{Schema: tr.Schema, Name: tr.Table}
		if v.tables[ref] == nil && !v.views[ref] {
			v.add(p+".table", obj, "table %s is not declared", QuoteName(ref.String()))
		}
		if strings.TrimSpace(tr.Definition) == "" {
			v.add(p+".definition", obj, "definition is empty")
		}
	}
}

// compositeType checks a composite type. Its name is a type's and, since
// PostgreSQL keeps a composite type's attributes as a relation of its own,
// a relation's too. It may have no attribute, as PostgreSQL allows.
func (v *validator) compositeType(i int, claimType, claimRelation func(path, object, schema, name string)) {
	ct := &v.m.CompositeTypes[i]
	p := fmt.Sprintf("composite_types[%d]", i)
	obj := ObjectName("composite type", ct.Schema, ct.Name)
	v.name(p+".name", obj, ct.Name)
	claimType(p, obj, ct.Schema, ct.Name)
	claimRelation(p, obj, ct.Schema, ct.Name)
	first := map[string]string{}
	for j, a := range ct.Attributes {
		ap := fmt.Sprintf("%s.attributes[%d]", p, j)
		aobj := fmt.Sprintf("attribute %s.%s", QuoteName(ct.Name), QuoteName(a.Name))
		v.name(ap+".name", aobj, a.Name)
		if f, dup := first[a.Name]; dup {
			v.duplicate(ap+".name", aobj, a.Name, f)
		} else {
			first[a.Name] = ap
		}
		if a.Type == nil {
			v.add(ap+".type", aobj, "no type")
		}
	}
}

func (v *validator) table(i int, relations map[relationKey]string) {
	m := v.m
	t := &m.Tables[i]
	p := fmt.Sprintf("tables[%d]", i)
	obj := ObjectName("table", t.Schema, t.Name)
	tname := QuoteName(t.Name)
	v.name(p+".name", obj, t.Name)
	// cols maps each column name to the index of its first column.
	cols := make(map[string]int, len(t.Columns))
	colPath := func(j int) string { return p + ".columns[" + strconv.Itoa(j) + "]" }
	for j := range t.Columns {
		c := &t.Columns[j]
		// A column's path and name are written only when it has a
		// problem: checked first without them, and again with them if
		// anything was found (a schema has tens of thousands of columns,
		// nearly all fine).
		before := len(v.problems)
		v.name("", "", c.Name)
		v.column("", "", c)
		first, dup := cols[c.Name]
		if len(v.problems) > before || dup {
			v.problems = v.problems[:before]
			cp, cobj := colPath(j), "column "+tname+"."+QuoteName(c.Name)
			v.name(cp+".name", cobj, c.Name)
			if dup {
				v.duplicate(cp+".name", cobj, c.Name, colPath(first))
			}
			v.column(cp, cobj, c)
		}
		if !dup {
			cols[c.Name] = j
		}
	}
	v.checkRenames(p+".columns", "column", len(t.Columns), func(k int) (string, string, string) {
		return "", t.Columns[k].Name, t.Columns[k].RenamedFrom
	})
	inherited := v.inheritedColumns(t, map[*Table]bool{})
	has := func(name string) bool {
		_, ok := cols[name]
		return ok || inherited[name]
	}
	colList := func(path, object, what string, names []string) {
		if len(names) == 0 {
			v.add(path, object, "%s names no column", what)
		}
		dup := map[string]bool{}
		for k, name := range names {
			cp := fmt.Sprintf("%s[%d]", path, k)
			if !has(name) {
				v.add(cp, object, "%s names column %s, which table %s does not have", what, QuoteName(name), QuoteName(t.Name))
			}
			if dup[name] {
				v.add(cp, object, "%s names column %s twice", what, QuoteName(name))
			}
			dup[name] = true
		}
	}
	if pk := t.PrimaryKey; pk != nil {
		colList(p+".primary_key.columns", obj, "primary key", pk.Columns)
		v.keyOptions(p+".primary_key", obj, "primary key", pk.Columns, pk.ColumnOptions, pk.OnConflict)
	}
	for j := range t.ForeignKeys {
		fk := &t.ForeignKeys[j]
		fp := fmt.Sprintf("%s.foreign_keys[%d]", p, j)
		fobj := fmt.Sprintf("foreign key %s on table %s", QuoteName(fk.Name), QuoteName(t.Name))
		if fk.Name == "" {
			fobj = fmt.Sprintf("foreign key (%s) on table %s", strings.Join(fk.Columns, ", "), QuoteName(t.Name))
		}
		colList(fp+".columns", fobj, "foreign key", fk.Columns)
		v.foreignKey(fp, fobj, fk)
	}
	for j, u := range t.Uniques {
		colList(fmt.Sprintf("%s.uniques[%d].columns", p, j), obj, "unique constraint", u.Columns)
		v.keyOptions(fmt.Sprintf("%s.uniques[%d]", p, j), obj, "unique constraint", u.Columns, u.ColumnOptions, u.OnConflict)
	}
	v.checks(p, obj, t.Checks)
	for j, x := range t.Exclusions {
		if strings.TrimSpace(x.Definition) == "" {
			v.add(fmt.Sprintf("%s.exclusions[%d].definition", p, j), obj, "exclusion definition is empty")
		}
	}
	for j := range t.Indexes {
		ix := &t.Indexes[j]
		ip := fmt.Sprintf("%s.indexes[%d]", p, j)
		if ix.Name != "" {
			if first, dup := relations[relationKey{t.Schema, ix.Name}]; dup {
				v.duplicate(ip+".name", ObjectName("index", t.Schema, ix.Name), ix.Name, first)
			} else {
				relations[relationKey{t.Schema, ix.Name}] = ip
			}
		}
		v.index(ip, t.Schema, t.Name, ix, has)
	}
	if po := t.PartitionOf; po != nil {
		parent := v.tables[po.Parent]
		switch {
		case parent == nil:
			v.add(p+".partition_of.parent", obj, "parent table %s is not declared", QuoteName(po.Parent.String()))
		case parent.PartitionBy == "":
			v.add(p+".partition_of.parent", obj, "parent table %s is not partitioned (it has no partition_by)", QuoteName(po.Parent.String()))
		}
		if strings.TrimSpace(po.Bound) == "" {
			v.add(p+".partition_of.bound", obj, "partition bound is empty")
		}
	}
	for j, ref := range t.Inherits {
		if v.tables[ref] == nil {
			v.add(fmt.Sprintf("%s.inherits[%d]", p, j), obj, "parent table %s is not declared", QuoteName(ref.String()))
		}
	}
	pols := map[string]bool{}
	for j, pol := range t.Policies {
		pp := fmt.Sprintf("%s.policies[%d]", p, j)
		pobj := fmt.Sprintf("policy %s on table %s", QuoteName(pol.Name), QuoteName(t.Name))
		v.name(pp+".name", pobj, pol.Name)
		if pols[pol.Name] {
			v.add(pp+".name", pobj, "duplicate policy name")
		}
		pols[pol.Name] = true
		switch pol.Command {
		case "", "all", "select", "insert", "update", "delete":
		default:
			v.add(pp+".command", pobj, "command must be all, select, insert, update or delete, not %q", pol.Command)
		}
	}
}

// inheritedColumns returns the columns a table gets from its partitioned
// parent and its INHERITS parents, all the way up. A partition or child
// table may declare none of its own.
func (v *validator) inheritedColumns(t *Table, seen map[*Table]bool) map[string]bool {
	out := map[string]bool{}
	if seen[t] {
		return out
	}
	seen[t] = true
	parents := append([]TableRef(nil), t.Inherits...)
	if t.PartitionOf != nil {
		parents = append(parents, t.PartitionOf.Parent)
	}
	for _, ref := range parents {
		parent := v.tables[ref]
		if parent == nil {
			continue
		}
		for _, c := range parent.Columns {
			out[c.Name] = true
		}
		for name := range v.inheritedColumns(parent, seen) {
			out[name] = true
		}
	}
	return out
}

func (v *validator) column(path, object string, c *Column) {
	if c.Type == nil {
		v.add(path+".type", object, "no type")
	}
	if c.NotNullOnConflict != "" {
		v.conflictAction(path, "not_null_on_conflict", object, c.NotNullOnConflict)
		if c.Nullable {
			v.add(path+".not_null_on_conflict", object, "not_null_on_conflict needs nullable: false")
		}
	}
	if c.Generated != nil {
		if strings.TrimSpace(c.Generated.Expr) == "" {
			v.add(path+".generated.expr", object, "generated expression is empty")
		}
		if c.Default != nil {
			v.add(path+".default", object, "a generated column cannot have a default")
		}
	}
	if c.Identity != nil || c.Autoincrement {
		if _, ok := c.Type.(Integer); !ok && c.Type != nil {
			v.add(path+".type", object, "an identity or autoincrement column must be smallint, integer or bigint, not %s", c.Type)
		}
		if c.Default != nil {
			v.add(path+".default", object, "an identity or autoincrement column cannot have a default")
		}
	}
	if c.Identity != nil && c.Autoincrement {
		v.add(path+".identity", object, "a column is either identity or autoincrement, not both")
	}
}

// keyOptions checks a primary key's or unique constraint's column options
// and conflict action.
func (v *validator) keyOptions(path, object, what string, columns []string, opts []KeyColumnOption, action ConflictAction) {
	seen := map[string]bool{}
	for k, o := range opts {
		op := fmt.Sprintf("%s.column_options[%d]", path, k)
		switch {
		case !slices.Contains(columns, o.Column):
			v.add(op+".column", object, "column_options names column %s, which is not in the %s", QuoteName(o.Column), what)
		case seen[o.Column]:
			v.add(op+".column", object, "column_options names column %s twice", QuoteName(o.Column))
		}
		seen[o.Column] = true
	}
	if action != "" {
		v.conflictAction(path, "on_conflict", object, action)
	}
}

// conflictAction checks the ON CONFLICT action under key.
func (v *validator) conflictAction(path, key, object string, a ConflictAction) {
	if !slices.Contains(ConflictActions, a) {
		v.add(path+"."+key, object, "%s must be rollback, abort, fail, ignore or replace, not %q", key, a)
	}
}

func (v *validator) checks(path, object string, checks []Check) {
	for j, ch := range checks {
		if strings.TrimSpace(ch.Expr) == "" {
			v.add(fmt.Sprintf("%s.checks[%d].expr", path, j), object, "check expression is empty")
		}
	}
}

func (v *validator) foreignKey(path, object string, fk *ForeignKey) {
	for _, a := range []struct {
		field string
		act   ReferentialAction
	}{{"on_delete", fk.OnDelete}, {"on_update", fk.OnUpdate}} {
		switch a.act {
		case NoAction, Restrict, Cascade, SetNull, SetDefault:
		default:
			v.add(path+"."+a.field, object, "%s must be restrict, cascade, set null or set default, not %q", a.field, a.act)
		}
	}
	switch fk.Match {
	case "", "full", "partial", "simple":
	default:
		v.add(path+".match", object, "match must be full, partial or simple, not %q", fk.Match)
	}
	if fk.InitiallyDeferred && !fk.Deferrable {
		v.add(path+".initially_deferred", object, "initially_deferred needs deferrable: true")
	}
	target := v.tables[fk.References.Ref()]
	if target == nil {
		v.add(path+".references.table", object, "references table %s, which is not declared", QuoteName(fk.References.Ref().String()))
		return
	}
	if len(fk.References.Columns) != len(fk.Columns) {
		v.add(path+".references.columns", object, "has %d columns but references %d", len(fk.Columns), len(fk.References.Columns))
	}
	for k, name := range fk.References.Columns {
		if target.Column(name) == nil && !v.inheritedColumns(target, map[*Table]bool{})[name] {
			v.add(fmt.Sprintf("%s.references.columns[%d]", path, k), object, "references column %s.%s, which is not declared", QuoteName(target.Name), QuoteName(name))
		}
	}
}

func (v *validator) index(path, schema, table string, ix *Index, has func(string) bool) {
	object := fmt.Sprintf("index %s on %s", QuoteName(ix.Name), QuoteName(table))
	v.name(path+".name", object, ix.Name)
	if len(ix.Parts) == 0 {
		v.add(path+".columns", object, "an index needs at least one column or expression")
	}
	for k, part := range ix.Parts {
		pp := fmt.Sprintf("%s.columns[%d]", path, k)
		switch {
		case part.Column != "" && part.Expr != "":
			v.add(pp, object, "a part is a column or an expression, not both")
		case part.Column == "" && part.Expr == "":
			v.add(pp, object, "a part needs a column or an expression")
		case part.Column != "" && !has(part.Column):
			v.add(pp+".column", object, "names column %s, which table %s does not have", QuoteName(part.Column), QuoteName(table))
		}
		switch part.Nulls {
		case "", "first", "last":
		default:
			v.add(pp+".nulls", object, "nulls must be first or last, not %q", part.Nulls)
		}
	}
	for k, name := range ix.Include {
		if !has(name) {
			v.add(fmt.Sprintf("%s.include[%d]", path, k), object, "includes column %s, which table %s does not have", QuoteName(name), QuoteName(table))
		}
	}
}

// checkRenames reports the renamed_from problems of n tables or columns,
// each given by its schema, name and old name: the old name must not also
// be declared (it would be renamed and kept at once), nor be claimed by
// two of them, nor be the object's own.
func (v *validator) checkRenames(path, kind string, n int, at func(i int) (schema, name, from string)) {
	renames := false
	for i := 0; i < n && !renames; i++ {
		_, _, from := at(i)
		renames = from != ""
	}
	if !renames {
		return
	}
	declared := map[string]bool{}
	for i := 0; i < n; i++ {
		s, name, _ := at(i)
		declared[s+"\x00"+name] = true
	}
	claimed := map[string]string{}
	for i := 0; i < n; i++ {
		s, name, from := at(i)
		if from == "" {
			continue
		}
		p := fmt.Sprintf("%s[%d].renamed_from", path, i)
		obj := ObjectName(kind, s, name)
		switch {
		case from == name:
			v.add(p, obj, "renamed_from names the %s itself", kind)
		case declared[s+"\x00"+from]:
			v.add(p, obj, "renamed_from: %s %s is also declared: it would be renamed and kept at once", kind, QuoteName(from))
		case claimed[s+"\x00"+from] != "":
			v.add(p, obj, "renamed_from: %s %s is also claimed by %s", kind, QuoteName(from), claimed[s+"\x00"+from])
		default:
			claimed[s+"\x00"+from] = obj
		}
	}
}
