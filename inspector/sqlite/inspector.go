// Package sqlite reflects a SQLite database into dbtool's model.
//
// It reads the whole schema in a constant number of queries whatever the
// number of tables: sqlite_schema joined with the pragma table-valued
// functions (pragma_table_list, pragma_table_xinfo,
// pragma_foreign_key_list, pragma_index_list, pragma_index_xinfo), each
// query covering every table at once, with the table filters inside the
// SQL. What the pragmas do not report (constraint names, CHECK
// expressions, defaults as written, COLLATE, generated columns,
// AUTOINCREMENT, DEFERRABLE, index expressions, view bodies) is read from
// the CREATE statements SQLite keeps in sqlite_schema.sql, with a small
// tokenizer that knows SQLite's quoting.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"

	sqliteddl "github.com/dbtool/dbtool/ddl/sqlite"
	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/metadata"
)

// Inspector reflects one SQLite database.
type Inspector struct {
	db   *sql.DB
	echo io.Writer
}

// New returns an inspector over db; echo, when set, receives every query.
func New(db *sql.DB, echo io.Writer) *Inspector { return &Inspector{db: db, echo: echo} }

// Inspect implements inspector.Inspector. It reads tables, views, virtual
// tables and triggers of the main database, in one read transaction so
// that the queries see one schema. Internal tables (sqlite_sequence,
// sqlite_stat*) and the shadow tables of virtual tables are left out.
func (i *Inspector) Inspect(ctx context.Context, opts inspector.Options) (*inspector.Result, error) {
	tx, err := i.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("inspecting SQLite: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to keep
	r := &reader{tx: tx, echo: i.echo, opts: opts}
	cat, err := r.read(ctx)
	if err != nil {
		return nil, fmt.Errorf("inspecting SQLite: %w", err)
	}
	return cat.build()
}

// reader runs the catalog queries.
type reader struct {
	tx   *sql.Tx
	echo io.Writer
	opts inspector.Options
}

// object is one row of sqlite_schema, with what pragma_table_list says of
// it when it is a table.
type object struct {
	typ, name, table, sql string
	// listType is pragma_table_list's type: table, view, virtual, shadow.
	listType   string
	wr, strict bool
}

type columnRow struct {
	cid        int
	name, typ  string
	notNull    bool
	pk, hidden int
}

type fkRow struct {
	id, seq            int
	table, from        string
	to                 sql.NullString
	onUpdate, onDelete string
}

type indexRow struct {
	index  string
	unique bool
	origin string
	seqno  int
	cid    int
	column sql.NullString
	desc   bool
}

// catalog is everything the queries returned, by table.
type catalog struct {
	objects []object
	columns map[string][]columnRow
	fks     map[string][]fkRow
	indexes map[string][]indexRow
	// parentPK holds primary-key columns by lower-case table name: of the
	// tables read, and of those that foreign keys reference without
	// naming columns.
	parentPK map[string][]string
	opts     inspector.Options
}

// The catalog queries. Each covers every selected table at once; %s is
// where the table filter goes. Names starting with sqlite_ are SQLite's
// own (sqlite_sequence, sqlite_stat1, the automatic indexes).
const (
	objectsQuery = `SELECT s.type, s.name, s.tbl_name, coalesce(s.sql, ''),
  coalesce(l.type, ''), coalesce(l.wr, 0), coalesce(l.strict, 0)
FROM sqlite_schema AS s
LEFT JOIN pragma_table_list(s.name) AS l ON l.schema = 'main'
WHERE s.name NOT LIKE 'sqlite\_%' ESCAPE '\'{filter}`

	tablesWhere = `s.type = 'table' AND s.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND s.sql NOT LIKE 'CREATE VIRTUAL %'`

	columnsQuery = `SELECT s.name, c.cid, c.name, c.type, c."notnull", c.pk, c.hidden
FROM sqlite_schema AS s
JOIN pragma_table_xinfo(s.name) AS c
WHERE ` + tablesWhere + `{filter}`

	foreignKeysQuery = `SELECT s.name, f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete
FROM sqlite_schema AS s
JOIN pragma_foreign_key_list(s.name) AS f
WHERE ` + tablesWhere + `{filter}`

	indexesQuery = `SELECT s.name, il.name, il."unique", il.origin, ii.seqno, ii.cid, ii.name, ii."desc"
FROM sqlite_schema AS s
JOIN pragma_index_list(s.name) AS il
JOIN pragma_index_xinfo(il.name) AS ii
WHERE ` + tablesWhere + `
  AND il.origin <> 'pk' AND ii.key = 1{filter}`

	// parentKeysQuery reads the primary keys of the tables named in a
	// JSON array, in one query.
	parentKeysQuery = `SELECT j.value, c.name
FROM json_each(?) AS j
JOIN pragma_table_xinfo(j.value) AS c
WHERE c.pk > 0
ORDER BY j.value, c.pk`
)

// read runs the catalog queries: four, and a fifth only when a foreign key
// references a table outside the selection without naming its columns.
func (r *reader) read(ctx context.Context) (*catalog, error) {
	c := &catalog{
		columns:  map[string][]columnRow{},
		fks:      map[string][]fkRow{},
		indexes:  map[string][]indexRow{},
		parentPK: map[string][]string{},
		opts:     r.opts,
	}
	where, args := r.filter("s.tbl_name")
	err := r.query(ctx, withFilter(objectsQuery, where), args, func(rows *sql.Rows) error {
		var o object
		if err := rows.Scan(&o.typ, &o.name, &o.table, &o.sql, &o.listType, &o.wr, &o.strict); err != nil {
			return err
		}
		c.objects = append(c.objects, o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	where, args = r.filter("s.name")
	err = r.query(ctx, withFilter(columnsQuery, where), args, func(rows *sql.Rows) error {
		var table string
		var col columnRow
		if err := rows.Scan(&table, &col.cid, &col.name, &col.typ, &col.notNull, &col.pk, &col.hidden); err != nil {
			return err
		}
		c.columns[table] = append(c.columns[table], col)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = r.query(ctx, withFilter(foreignKeysQuery, where), args, func(rows *sql.Rows) error {
		var table string
		var fk fkRow
		if err := rows.Scan(&table, &fk.id, &fk.seq, &fk.table, &fk.from, &fk.to, &fk.onUpdate, &fk.onDelete); err != nil {
			return err
		}
		c.fks[table] = append(c.fks[table], fk)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = r.query(ctx, withFilter(indexesQuery, where), args, func(rows *sql.Rows) error {
		var table string
		var ix indexRow
		if err := rows.Scan(&table, &ix.index, &ix.unique, &ix.origin, &ix.seqno, &ix.cid, &ix.column, &ix.desc); err != nil {
			return err
		}
		c.indexes[table] = append(c.indexes[table], ix)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for table, rows := range c.columns {
		var pk []columnRow
		for _, r := range rows {
			if r.pk > 0 {
				pk = append(pk, r)
			}
		}
		sort.Slice(pk, func(i, j int) bool { return pk[i].pk < pk[j].pk })
		for _, r := range pk {
			c.parentPK[strings.ToLower(table)] = append(c.parentPK[strings.ToLower(table)], r.name)
		}
	}
	if missing := c.unknownParents(); len(missing) > 0 {
		names, err := jsonStrings(missing)
		if err != nil {
			return nil, err
		}
		err = r.query(ctx, parentKeysQuery, []any{names}, func(rows *sql.Rows) error {
			var table, col string
			if err := rows.Scan(&table, &col); err != nil {
				return err
			}
			c.parentPK[strings.ToLower(table)] = append(c.parentPK[strings.ToLower(table)], col)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

// withFilter puts a filter condition into a catalog query.
func withFilter(query, where string) string { return strings.Replace(query, "{filter}", where, 1) }

// query runs one catalog query, echoing it first.
func (r *reader) query(ctx context.Context, q string, args []any, scan func(*sql.Rows) error) error {
	if r.echo != nil {
		fmt.Fprintf(r.echo, "%s;\n", q)
		if len(args) > 0 {
			fmt.Fprintf(r.echo, "-- parameters: %s\n", formatArgs(args))
		}
	}
	rows, err := r.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func formatArgs(args []any) string {
	s := make([]string, len(args))
	for i, a := range args {
		s[i] = fmt.Sprintf("%q", fmt.Sprint(a))
	}
	return strings.Join(s, ", ")
}

// filter returns the SQL condition (starting with AND) and its parameters
// that apply the table filters to the name in column col. SQLite's GLOB
// takes path.Match's syntax, except that path.Match's * and ? never match
// "/" and that it knows the escape \; a pattern where that matters is
// left to Options.Match alone, which checks every object afterwards. So
// the SQL never drops what Match would keep.
func (r *reader) filter(col string) (string, []any) {
	var b strings.Builder
	var args []any
	pushable := func(p string) bool {
		_, err := path.Match(p, "")
		return err == nil && !strings.Contains(p, `\`)
	}
	include := len(r.opts.Tables) > 0
	for _, p := range r.opts.Tables {
		if !pushable(p) {
			include = false
		}
	}
	if include {
		b.WriteString("\n  AND (")
		for i, p := range r.opts.Tables {
			if i > 0 {
				b.WriteString(" OR ")
			}
			b.WriteString(col + " GLOB ?")
			args = append(args, p)
		}
		b.WriteString(")")
	}
	for _, p := range r.opts.Exclude {
		if pushable(p) && !strings.Contains(p, "/") {
			b.WriteString("\n  AND NOT (" + col + " GLOB ? AND instr(" + col + ", '/') = 0)")
			args = append(args, p)
		}
	}
	return b.String(), args
}

// jsonStrings encodes names as a JSON array for json_each.
func jsonStrings(names []string) (string, error) {
	var b strings.Builder
	b.WriteByte('[')
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(n))
	}
	b.WriteByte(']')
	// strconv.Quote writes Go escapes; JSON accepts the same for the
	// characters a name can hold except \x.., which Go uses only for
	// invalid UTF-8.
	if strings.Contains(b.String(), `\x`) {
		return "", fmt.Errorf("table name is not valid UTF-8: %q", names)
	}
	return b.String(), nil
}

// unknownParents returns the tables that foreign keys reference without
// naming columns and whose columns were not read.
func (c *catalog) unknownParents() []string {
	known := map[string]bool{}
	for t := range c.columns {
		known[strings.ToLower(t)] = true
	}
	seen := map[string]bool{}
	var out []string
	for _, rows := range c.fks {
		for _, fk := range rows {
			key := strings.ToLower(fk.table)
			if !fk.to.Valid && !known[key] && !seen[key] {
				seen[key] = true
				out = append(out, fk.table)
			}
		}
	}
	sort.Strings(out)
	return out
}

// shadowSuffixes are the shadow tables each built-in virtual-table module
// creates, for telling them apart should pragma_table_list not know the
// module.
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
	indexSQL := map[string]string{}
	shadows := map[string]bool{}
	for _, o := range c.objects {
		switch {
		case o.typ == "index":
			indexSQL[o.name] = o.sql
		case o.typ == "table" && isVirtual(o):
			using, err := parseCreateVirtualTable(o.sql)
			if err != nil {
				return nil, fmt.Errorf("virtual table %s: reading %q: %w", metadata.QuoteName(o.name), o.sql, err)
			}
			module := strings.ToLower(strings.TrimSpace(strings.SplitN(using, "(", 2)[0]))
			for _, suffix := range shadowSuffixes[module] {
				shadows[strings.ToLower(o.name+"_"+suffix)] = true
			}
			if c.opts.Match("", o.name) {
				m.VirtualTables = append(m.VirtualTables, metadata.VirtualTable{Name: o.name, Using: using})
			}
		}
	}
	tables := map[string]*metadata.Table{}
	for _, o := range c.objects {
		if !c.opts.Match("", o.table) {
			continue
		}
		switch o.typ {
		case "table":
			if isVirtual(o) || o.listType == "shadow" || shadows[strings.ToLower(o.name)] {
				continue
			}
			t, warnings, err := c.table(o, indexSQL)
			if err != nil {
				return nil, err
			}
			res.Warnings = append(res.Warnings, warnings...)
			m.Tables = append(m.Tables, t)
		case "view":
			v, err := parseCreateView(o.sql)
			if err != nil {
				return nil, fmt.Errorf("view %s: reading %q: %w", metadata.QuoteName(o.name), o.sql, err)
			}
			m.Views = append(m.Views, metadata.View{Name: o.name, Columns: v.columns, Definition: v.definition})
		case "trigger":
			m.Triggers = append(m.Triggers, metadata.Trigger{Name: o.name, Table: o.table, Definition: o.sql})
		}
	}
	for i := range m.Tables {
		tables[strings.ToLower(m.Tables[i].Name)] = &m.Tables[i]
	}
	c.resolveReferences(m, tables)
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

func isVirtual(o object) bool {
	return o.listType == "virtual" || len(o.sql) >= 14 && strings.EqualFold(o.sql[:14], "CREATE VIRTUAL")
}

// table builds one table from its pragma rows and its CREATE TABLE text.
func (c *catalog) table(o object, indexSQL map[string]string) (metadata.Table, []string, error) {
	obj := metadata.ObjectName("table", "", o.name)
	def, err := parseCreateTable(o.sql)
	if err != nil {
		return metadata.Table{}, nil, fmt.Errorf("%s: reading %q: %w", obj, o.sql, err)
	}
	t := metadata.Table{Name: o.name, WithoutRowID: o.wr || def.withoutRowID, Strict: o.strict || def.strict}
	var warnings []string
	for _, d := range def.dropped {
		warnings = append(warnings, fmt.Sprintf("not managed: %s of %s", d, obj))
	}

	parsed := map[string]*columnDef{}
	for i := range def.columns {
		parsed[strings.ToLower(def.columns[i].name)] = &def.columns[i]
	}
	rows := c.columns[o.name]
	sort.Slice(rows, func(i, j int) bool { return rows[i].cid < rows[j].cid })
	var pk []columnRow
	for _, row := range rows {
		col := metadata.Column{Name: row.name, Type: sqliteddl.ReadType(row.typ), Nullable: !row.notNull}
		pc := parsed[strings.ToLower(row.name)]
		if pc == nil {
			return t, nil, fmt.Errorf("%s: column %s is not in its CREATE TABLE statement", obj, metadata.QuoteName(row.name))
		}
		col.Default = sqliteddl.ReadDefault(pc.defaultText)
		col.Collation = pc.collation
		col.Autoincrement = pc.autoincrement
		col.Generated = pc.generated
		if gen := row.hidden == 2 || row.hidden == 3; gen != (pc.generated != nil) || gen && (row.hidden == 3) != pc.generated.Stored {
			return t, nil, fmt.Errorf("%s: column %s: its generation does not match its CREATE TABLE statement", obj, metadata.QuoteName(row.name))
		}
		t.Columns = append(t.Columns, col)
		if row.pk > 0 {
			pk = append(pk, row)
		}
	}
	if len(t.Columns) == 0 {
		return t, nil, fmt.Errorf("%s: no columns reported", obj)
	}
	if len(pk) > 0 {
		sort.Slice(pk, func(i, j int) bool { return pk[i].pk < pk[j].pk })
		t.PrimaryKey = &metadata.PrimaryKey{Name: def.pkName}
		for _, row := range pk {
			t.PrimaryKey.Columns = append(t.PrimaryKey.Columns, row.name)
		}
	}
	t.Checks = def.checks
	t.ForeignKeys = foreignKeys(def.foreignKeys, c.fks[o.name])
	uniques, indexes, err := indexesOf(c.indexes[o.name], def.uniques, indexSQL)
	if err != nil {
		return t, nil, fmt.Errorf("%s: %w", obj, err)
	}
	t.Uniques, t.Indexes = uniques, indexes
	return t, warnings, nil
}

// foreignKeys pairs the pragma's foreign keys (by id, in reverse order of
// declaration) with those of the CREATE TABLE text (in order), for their
// names and DEFERRABLE, and returns them in declaration order.
func foreignKeys(parsed []fkDef, rows []fkRow) []metadata.ForeignKey {
	byID := map[int][]fkRow{}
	var ids []int
	for _, r := range rows {
		if _, ok := byID[r.id]; !ok {
			ids = append(ids, r.id)
		}
		byID[r.id] = append(byID[r.id], r)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ids)))
	used := map[int]bool{}
	var out []metadata.ForeignKey
	add := func(id int, def *fkDef) {
		group := byID[id]
		sort.Slice(group, func(i, j int) bool { return group[i].seq < group[j].seq })
		fk := metadata.ForeignKey{
			References: metadata.ForeignKeyTarget{Table: group[0].table},
			OnDelete:   action(group[0].onDelete),
			OnUpdate:   action(group[0].onUpdate),
		}
		for _, r := range group {
			fk.Columns = append(fk.Columns, r.from)
			if r.to.Valid {
				fk.References.Columns = append(fk.References.Columns, r.to.String)
			}
		}
		if def != nil {
			fk.Name, fk.Deferrable, fk.InitiallyDeferred = def.name, def.deferrable, def.initiallyDeferred
		}
		used[id] = true
		out = append(out, fk)
	}
	for i := range parsed {
		def := &parsed[i]
		for _, id := range ids {
			g := byID[id]
			if !used[id] && strings.EqualFold(g[0].table, def.table) && sameNames(fromColumns(g), def.columns) {
				add(id, def)
				break
			}
		}
	}
	for _, id := range ids {
		if !used[id] {
			add(id, nil)
		}
	}
	return out
}

func fromColumns(group []fkRow) []string {
	sorted := append([]fkRow(nil), group...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].seq < sorted[j].seq })
	out := make([]string, len(sorted))
	for i, r := range sorted {
		out[i] = r.from
	}
	return out
}

func sameNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

// action maps PRAGMA foreign_key_list's action to the model's.
func action(s string) metadata.ReferentialAction {
	if strings.EqualFold(s, "NO ACTION") {
		return metadata.NoAction
	}
	return metadata.ReferentialAction(strings.ToLower(s))
}

// indexesOf splits a table's pragma index rows into unique constraints
// (the automatic indexes behind UNIQUE, origin "u") and indexes (origin
// "c", created by CREATE INDEX).
func indexesOf(rows []indexRow, parsedUniques []uniqueDef, indexSQL map[string]string) ([]metadata.Unique, []metadata.Index, error) {
	byName := map[string][]indexRow{}
	var names []string
	for _, r := range rows {
		if _, ok := byName[r.index]; !ok {
			names = append(names, r.index)
		}
		byName[r.index] = append(byName[r.index], r)
	}
	// Automatic indexes are numbered in declaration order.
	sort.Slice(names, func(i, j int) bool {
		ni, nj := autoindexNumber(names[i]), autoindexNumber(names[j])
		if ni != nj {
			return ni < nj
		}
		return names[i] < names[j]
	})
	var uniques []metadata.Unique
	var indexes []metadata.Index
	usedUnique := make([]bool, len(parsedUniques))
	for _, name := range names {
		group := byName[name]
		sort.Slice(group, func(i, j int) bool { return group[i].seqno < group[j].seqno })
		switch group[0].origin {
		case "u":
			u := metadata.Unique{}
			for _, r := range group {
				u.Columns = append(u.Columns, r.column.String)
			}
			for k, pu := range parsedUniques {
				if !usedUnique[k] && sameNames(pu.columns, u.Columns) {
					usedUnique[k] = true
					u.Name = pu.name
					break
				}
			}
			uniques = append(uniques, u)
		case "c":
			ix, err := index(name, group, indexSQL[name])
			if err != nil {
				return nil, nil, err
			}
			indexes = append(indexes, ix)
		}
	}
	sort.Slice(indexes, func(i, j int) bool { return indexes[i].Name < indexes[j].Name })
	return uniques, indexes, nil
}

// autoindexNumber returns N of sqlite_autoindex_TABLE_N, or -1.
func autoindexNumber(name string) int {
	if !strings.HasPrefix(name, "sqlite_autoindex_") {
		return -1
	}
	n, err := strconv.Atoi(name[strings.LastIndexByte(name, '_')+1:])
	if err != nil {
		return -1
	}
	return n
}

// index builds an index from its pragma rows and its CREATE INDEX text.
func index(name string, rows []indexRow, sql string) (metadata.Index, error) {
	obj := metadata.ObjectName("index", "", name)
	ix := metadata.Index{Name: name, Unique: rows[0].unique}
	def, err := parseCreateIndex(sql)
	if err != nil {
		return ix, fmt.Errorf("%s: reading %q: %w", obj, sql, err)
	}
	if len(def.parts) != len(rows) {
		return ix, fmt.Errorf("%s: %d keys in %q, %d reported by pragma_index_xinfo", obj, len(def.parts), sql, len(rows))
	}
	for k, r := range rows {
		part := metadata.IndexPart{Desc: r.desc, Collation: def.parts[k].collation}
		if r.cid >= 0 && r.column.Valid {
			part.Column = r.column.String
		} else {
			part.Expr = def.parts[k].text
		}
		ix.Parts = append(ix.Parts, part)
	}
	ix.Where = def.where
	return ix, nil
}

// resolveReferences fills the referenced columns of foreign keys that name
// none (REFERENCES parent means its primary key) and spells referenced
// tables and columns as the parent declares them: SQLite matches names
// case-insensitively, the model exactly.
func (c *catalog) resolveReferences(m *metadata.MetaData, tables map[string]*metadata.Table) {
	for i := range m.Tables {
		for j := range m.Tables[i].ForeignKeys {
			fk := &m.Tables[i].ForeignKeys[j]
			parent := tables[strings.ToLower(fk.References.Table)]
			if parent != nil {
				fk.References.Table = parent.Name
				for k, col := range fk.References.Columns {
					for _, pc := range parent.Columns {
						if strings.EqualFold(pc.Name, col) {
							fk.References.Columns[k] = pc.Name
						}
					}
				}
			}
			if len(fk.References.Columns) > 0 {
				continue
			}
			fk.References.Columns = append([]string(nil), c.parentPK[strings.ToLower(fk.References.Table)]...)
		}
	}
}
