package sqlite

import (
	"fmt"
	"sort"
	"strings"

	sqliteddl "github.com/dbtool/dbtool/ddl/sqlite"
	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/metadata"
)

// catalog is the parsed schema, before it becomes the model.
type catalog struct {
	opts inspector.Options
	// tables are the ordinary tables read, by lower-case name (SQLite's
	// names are case-insensitive), in the order read.
	tables  map[string]*parsedTable
	order   []*parsedTable
	indexes map[string][]object // by lower-case table name
	views   []object
	virtual []object
	trigger []object
	// parents are tables outside the selection that foreign keys
	// reference without naming columns, by lower-case name.
	parents map[string]*tableDef
	// types caches the model type of each declared type: schemas repeat
	// a few types many times.
	types map[string]metadata.Type
}

type parsedTable struct {
	name string
	def  *tableDef
}

func newCatalog(opts inspector.Options) *catalog {
	return &catalog{
		opts:    opts,
		tables:  map[string]*parsedTable{},
		indexes: map[string][]object{},
		parents: map[string]*tableDef{},
		types:   map[string]metadata.Type{},
	}
}

// readType returns the model type of a declared type.
func (c *catalog) readType(declared string) metadata.Type {
	t, ok := c.types[declared]
	if !ok {
		t = sqliteddl.ReadType(declared)
		c.types[declared] = t
	}
	return t
}

// add files one object of sqlite_schema, parsing a table's statement.
func (c *catalog) add(o object) error {
	switch o.typ {
	case "table":
		if isVirtual(o.sql) {
			c.virtual = append(c.virtual, o)
			return nil
		}
		def, err := parseCreateTable(o.sql)
		if err != nil {
			return fmt.Errorf("%s: reading %q: %w", metadata.ObjectName("table", "", o.name), o.sql, err)
		}
		t := &parsedTable{name: o.name, def: def}
		c.tables[strings.ToLower(o.name)] = t
		c.order = append(c.order, t)
	case "index":
		key := strings.ToLower(o.table)
		c.indexes[key] = append(c.indexes[key], o)
	case "view":
		c.views = append(c.views, o)
	case "trigger":
		c.trigger = append(c.trigger, o)
	}
	return nil
}

// addParent files a table read for its primary key only.
func (c *catalog) addParent(o object) error {
	def, err := parseCreateTable(o.sql)
	if err != nil {
		return fmt.Errorf("%s: reading %q: %w", metadata.ObjectName("table", "", o.name), o.sql, err)
	}
	c.parents[strings.ToLower(o.name)] = def
	return nil
}

func isVirtual(sql string) bool {
	return len(sql) >= 14 && strings.EqualFold(sql[:14], "CREATE VIRTUAL")
}

// unknownParents returns the tables that foreign keys reference without
// naming columns and that were not read.
func (c *catalog) unknownParents() []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range c.order {
		for _, fk := range t.def.foreignKeys {
			key := strings.ToLower(fk.table)
			if fk.refColumns == nil && c.tables[key] == nil && !seen[key] {
				seen[key] = true
				out = append(out, fk.table)
			}
		}
	}
	sort.Strings(out)
	return out
}

// shadowSuffixes are the shadow tables of the virtual-table modules built
// into SQLite. A table is a shadow table when its name is a virtual
// table's name, "_" and one of its module's suffixes: the rule SQLite
// applies itself (sqlite3ShadowTableName).
var shadowSuffixes = map[string][]string{
	"fts3":      {"content", "segments", "segdir", "docsize", "stat"},
	"fts4":      {"content", "segments", "segdir", "docsize", "stat"},
	"fts5":      {"data", "idx", "content", "docsize", "config"},
	"rtree":     {"node", "parent", "rowid"},
	"rtree_i32": {"node", "parent", "rowid"},
	"geopoly":   {"node", "parent", "rowid"},
}

// build turns the catalog into the model.
func (c *catalog) build() (*inspector.Result, error) {
	res := &inspector.Result{Schema: &metadata.MetaData{}}
	m := res.Schema
	shadows := map[string]bool{}
	for _, o := range c.virtual {
		using, err := parseCreateVirtualTable(o.sql)
		if err != nil {
			return nil, fmt.Errorf("%s: reading %q: %w", metadata.ObjectName("virtual table", "", o.name), o.sql, err)
		}
		module := strings.ToLower(strings.TrimSpace(strings.SplitN(using, "(", 2)[0]))
		for _, suffix := range shadowSuffixes[module] {
			shadows[strings.ToLower(o.name+"_"+suffix)] = true
		}
		if c.opts.Match("", o.name) {
			m.VirtualTables = append(m.VirtualTables, metadata.VirtualTable{Name: o.name, Using: using})
		}
	}
	if len(c.order) > 0 {
		m.Tables = make([]metadata.Table, 0, len(c.order))
	}
	for _, pt := range c.order {
		if shadows[strings.ToLower(pt.name)] || !c.opts.Match("", pt.name) {
			continue
		}
		t, err := c.table(pt)
		if err != nil {
			return nil, err
		}
		for _, d := range pt.def.dropped {
			res.Warnings = append(res.Warnings, fmt.Sprintf("not managed: %s of %s", d, metadata.ObjectName("table", "", pt.name)))
		}
		m.Tables = append(m.Tables, t)
	}
	for _, o := range c.views {
		if !c.opts.Match("", o.name) {
			continue
		}
		v, err := parseCreateView(o.sql)
		if err != nil {
			return nil, fmt.Errorf("%s: reading %q: %w", metadata.ObjectName("view", "", o.name), o.sql, err)
		}
		m.Views = append(m.Views, metadata.View{Name: o.name, Columns: v.columns, Definition: v.definition})
	}
	for _, o := range c.trigger {
		if c.opts.Match("", o.table) {
			m.Triggers = append(m.Triggers, metadata.Trigger{Name: o.name, Table: o.table, Definition: o.sql})
		}
	}
	c.resolveReferences(m)
	sort.Slice(m.Tables, func(i, j int) bool { return m.Tables[i].Name < m.Tables[j].Name })
	sort.Slice(m.Views, func(i, j int) bool { return m.Views[i].Name < m.Views[j].Name })
	sort.Slice(m.VirtualTables, func(i, j int) bool { return m.VirtualTables[i].Name < m.VirtualTables[j].Name })
	sort.Slice(m.Triggers, func(i, j int) bool {
		a, b := m.Triggers[i], m.Triggers[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Table < b.Table
	})
	return res, nil
}

// table builds one table from its CREATE TABLE and CREATE INDEX
// statements, deriving what SQLite derives from them.
func (c *catalog) table(pt *parsedTable) (metadata.Table, error) {
	def := pt.def
	t := metadata.Table{Name: pt.name, WithoutRowID: def.withoutRowID, Strict: def.strict}
	t.Columns = make([]metadata.Column, 0, len(def.columns))
	// column maps a name as written in a constraint to the column's
	// declared name.
	column := func(name string) (string, bool) {
		for _, col := range def.columns {
			if strings.EqualFold(col.name, name) {
				return col.name, true
			}
		}
		return name, false
	}
	columns := func(names []string) []string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i], _ = column(n)
		}
		return out
	}
	inPK := map[string]bool{}
	rowidAlias := rowidAlias(def)
	if def.pk != nil {
		t.PrimaryKey = &metadata.PrimaryKey{Name: def.pk.name, Columns: columns(def.pk.columns)}
		// A rowid alias has no index: a collation or order written in
		// its key changes nothing, and is left out.
		if rowidAlias == "" {
			t.PrimaryKey.ColumnOptions = keyOptions(*def.pk, columns)
		}
		for _, n := range t.PrimaryKey.Columns {
			inPK[strings.ToLower(n)] = true
		}
	}
	implicitNotNull := func(name string) bool {
		// SQLite makes the primary-key columns of WITHOUT ROWID and
		// STRICT tables NOT NULL, except a STRICT table's rowid alias.
		return inPK[strings.ToLower(name)] && (def.withoutRowID || def.strict && !strings.EqualFold(name, rowidAlias))
	}
	for _, col := range def.columns {
		mc := metadata.Column{
			Name:              col.name,
			Type:              c.readType(col.typ),
			Nullable:          !col.notNull && !implicitNotNull(col.name),
			Default:           sqliteddl.ReadDefault(col.defaultText),
			Collation:         col.collation,
			Generated:         col.generated,
			Autoincrement:     col.autoincrement,
			NotNullOnConflict: conflictAction(col.notNullConflict),
		}
		t.Columns = append(t.Columns, mc)
	}
	if len(t.Columns) == 0 {
		return t, fmt.Errorf("%s: no columns", metadata.ObjectName("table", "", pt.name))
	}
	t.Uniques = uniques(def, rowidAlias, columns)
	if t.PrimaryKey != nil {
		// After uniques: one that repeats the key gives it its ON
		// CONFLICT when it has none, as SQLite does.
		t.PrimaryKey.OnConflict = conflictAction(def.pk.onConflict)
	}
	t.Checks = def.checks
	for _, fk := range def.foreignKeys {
		mfk := metadata.ForeignKey{
			Name:              fk.name,
			Columns:           columns(fk.columns),
			References:        metadata.ForeignKeyTarget{Table: fk.table, Columns: fk.refColumns},
			OnDelete:          fk.onDelete,
			OnUpdate:          fk.onUpdate,
			Deferrable:        fk.deferrable,
			InitiallyDeferred: fk.initiallyDeferred,
		}
		t.ForeignKeys = append(t.ForeignKeys, mfk)
	}
	for _, o := range c.indexes[strings.ToLower(pt.name)] {
		ix, err := index(o, column, rowidAlias)
		if err != nil {
			return t, err
		}
		t.Indexes = append(t.Indexes, ix)
	}
	sort.Slice(t.Indexes, func(i, j int) bool { return t.Indexes[i].Name < t.Indexes[j].Name })
	return t, nil
}

// rowidAlias returns the column that is an alias of the rowid: the lone
// INTEGER column of a rowid table's primary key, unless declared PRIMARY
// KEY DESC on the column (a quirk SQLite keeps for compatibility). It
// returns "" when there is none.
func rowidAlias(def *tableDef) string {
	pk := def.pk
	if def.withoutRowID || pk == nil || len(pk.columns) != 1 || pk.inline && pk.descs[0] {
		return ""
	}
	for _, col := range def.columns {
		if strings.EqualFold(col.name, pk.columns[0]) && strings.EqualFold(col.typ, "INTEGER") {
			return col.name
		}
	}
	return ""
}

// conflictAction maps a parsed ON CONFLICT action to the model's.
func conflictAction(upper string) metadata.ConflictAction {
	return metadata.ConflictAction(strings.ToLower(upper))
}

// keyOptions returns the collations and orders a key's columns are written
// with, nil when none is.
func keyOptions(k keyDef, columns func([]string) []string) []metadata.KeyColumnOption {
	var out []metadata.KeyColumnOption
	names := columns(k.columns)
	for i, name := range names {
		if k.collations[i] != "" || k.descs[i] {
			out = append(out, metadata.KeyColumnOption{Column: name, Collation: k.collations[i], Desc: k.descs[i]})
		}
	}
	return out
}

// uniques returns the unique constraints SQLite keeps: like SQLite, it
// drops one that repeats an earlier unique constraint, or the primary key
// (unless the key is the rowid, which needs no index), on the same
// columns with the same collations. The ON CONFLICT of a dropped one goes
// to the constraint it repeats when that one has none (def.pk's too), as
// SQLite does.
func uniques(def *tableDef, rowidAlias string, columns func([]string) []string) []metadata.Unique {
	collation := func(k keyDef, i int) string {
		if k.collations[i] != "" {
			return k.collations[i]
		}
		for _, col := range def.columns {
			if strings.EqualFold(col.name, k.columns[i]) && col.collation != "" {
				return col.collation
			}
		}
		return "BINARY"
	}
	same := func(a, b keyDef) bool {
		if len(a.columns) != len(b.columns) {
			return false
		}
		for i := range a.columns {
			if !strings.EqualFold(a.columns[i], b.columns[i]) || !strings.EqualFold(collation(a, i), collation(b, i)) {
				return false
			}
		}
		return true
	}
	var kept []keyDef
	var out []metadata.Unique
	for _, u := range def.uniques {
		if def.pk != nil && rowidAlias == "" && same(u, *def.pk) {
			if def.pk.onConflict == "" {
				def.pk.onConflict = u.onConflict
			}
			continue
		}
		dup := false
		for i, k := range kept {
			if same(u, k) {
				dup = true
				if out[i].OnConflict == "" {
					out[i].OnConflict = conflictAction(u.onConflict)
				}
				break
			}
		}
		if dup {
			continue
		}
		kept = append(kept, u)
		out = append(out, metadata.Unique{
			Name:          u.name,
			Columns:       columns(u.columns),
			ColumnOptions: keyOptions(u, columns),
			OnConflict:    conflictAction(u.onConflict),
		})
	}
	return out
}

// index builds an index from its CREATE INDEX statement. A key that is one
// name of a column of the table is that column, as SQLite has it;
// anything else is an expression kept as written.
func index(o object, column func(string) (string, bool), rowidAlias string) (metadata.Index, error) {
	def, err := parseCreateIndex(o.sql)
	if err != nil {
		return metadata.Index{}, fmt.Errorf("%s: reading %q: %w", metadata.ObjectName("index", "", o.name), o.sql, err)
	}
	ix := metadata.Index{Name: o.name, Unique: def.unique, Where: def.where}
	for _, p := range def.parts {
		part := metadata.IndexPart{Desc: p.desc, Collation: p.collation}
		name, isColumn := column(p.name)
		switch {
		case p.name != "" && isColumn:
			part.Column = name
		case rowidAlias != "" && isRowid(p.name):
			part.Column = rowidAlias
		default:
			part.Expr = p.text
		}
		ix.Parts = append(ix.Parts, part)
	}
	return ix, nil
}

func isRowid(name string) bool {
	return strings.EqualFold(name, "rowid") || strings.EqualFold(name, "oid") || strings.EqualFold(name, "_rowid_")
}

// resolveReferences fills the referenced columns of foreign keys that name
// none (REFERENCES parent means its primary key) and spells referenced
// tables and columns as the parent declares them: SQLite matches names
// case-insensitively, the model exactly.
func (c *catalog) resolveReferences(m *metadata.MetaData) {
	for i := range m.Tables {
		for j := range m.Tables[i].ForeignKeys {
			fk := &m.Tables[i].ForeignKeys[j]
			key := strings.ToLower(fk.References.Table)
			var parent *tableDef
			if pt := c.tables[key]; pt != nil {
				fk.References.Table = pt.name
				parent = pt.def
			} else {
				parent = c.parents[key]
			}
			if parent == nil {
				continue
			}
			if fk.References.Columns == nil && parent.pk != nil {
				fk.References.Columns = append([]string(nil), parent.pk.columns...)
			}
			for k, name := range fk.References.Columns {
				for _, col := range parent.columns {
					if strings.EqualFold(col.name, name) {
						fk.References.Columns[k] = col.name
					}
				}
			}
		}
	}
}
