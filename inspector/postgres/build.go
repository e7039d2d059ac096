package postgres

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	pgddl "github.com/dbtool/dbtool/ddl/postgres"
	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/metadata"
)

// builder turns the catalog's rows into a model.
type builder struct {
	c    *catalog
	m    *metadata.MetaData
	rels map[uint32]*relation
	// byRef finds a relation by its model name.
	byRef map[metadata.TableRef]*relation
	// order lists the relations in the catalog's order.
	order []*relation
	// seqByOwner holds the sequences owned by a column, by owner.
	seqByOwner map[columnKey]*sequenceRow
	// serial marks the sequences behind serial columns, not listed alone.
	serial map[uint32]bool
	// taken holds the names in use per namespace (relations and
	// constraints), to recognise a default name with a number in it.
	taken map[string]map[string]bool
	// types remembers the model type of each type's spelling.
	typeCache map[string]metadata.Type
	warnings  []string
}

// columnKey names a column by its table's oid and its number.
type columnKey struct {
	rel uint32
	num int32
}

// relation is a selected relation and what was read about it.
type relation struct {
	row     relationRow
	parents []metadata.TableRef
	// cols are the relation's columns in order, a part of catalog.columns.
	cols  []columnRow
	table *metadata.Table
	view  *metadata.View
}

// build makes the model of what c holds.
func build(c *catalog) *inspector.Result {
	b := &builder{
		c: c, m: &metadata.MetaData{},
		rels:       map[uint32]*relation{},
		byRef:      map[metadata.TableRef]*relation{},
		seqByOwner: map[columnKey]*sequenceRow{},
		serial:     map[uint32]bool{},
		taken:      map[string]map[string]bool{},
		typeCache:  map[string]metadata.Type{},
	}
	b.relations()
	b.columns()
	b.constraints()
	b.indexes()
	b.triggers()
	b.policies()
	b.sequences()
	b.types()
	b.functions()
	b.namespaces()
	b.unmanaged()

	shapes, reads := map[metadata.TableRef][]string{}, map[metadata.TableRef]map[string][]string{}
	for _, r := range b.order {
		switch {
		case r.table != nil:
			b.m.Tables = append(b.m.Tables, *r.table)
		case r.view != nil:
			b.m.Views = append(b.m.Views, *r.view)
			if r.row.viewShape != nil {
				shapes[r.view.Ref()] = r.row.viewShape
			}
			reads[r.view.Ref()] = viewReads(r.row.viewReadRels, r.row.viewReadCols)
		}
	}
	b.sort()
	slices.Sort(b.warnings)
	return &inspector.Result{Schema: b.m, Warnings: slices.Compact(b.warnings), ViewShapes: shapes, ViewReads: reads,
		ViewGrants: b.viewGrants()}
}

// schema returns the model's name of a namespace: "" for the session's
// current schema.
func (b *builder) schema(nsp string) string {
	if nsp == b.c.currentSchema {
		return ""
	}
	return nsp
}

// qualified names an object for a warning: "schema.name".
func qualified(schema, name string) string {
	if schema == "" {
		return name
	}
	return schema + "." + name
}

func (b *builder) warn(format string, args ...any) {
	b.warnings = append(b.warnings, "not managed: "+fmt.Sprintf(format, args...))
}

func (b *builder) take(nsp, name string) {
	t := b.taken[nsp]
	if t == nil {
		t = map[string]bool{}
		b.taken[nsp] = t
	}
	t[name] = true
}

func (b *builder) namer(nsp string) defaultNamer { return defaultNamer{taken: b.taken[nsp]} }

// relations makes a table or view of each selected relation.
func (b *builder) relations() {
	for _, row := range b.c.relations {
		r := b.rels[row.oid]
		if r == nil {
			r = &relation{row: row}
			b.rels[row.oid] = r
			b.order = append(b.order, r)
			b.byRef[metadata.TableRef{Schema: b.schema(row.schema), Name: row.name}] = r
			b.take(row.schema, row.name)
		}
		if row.parent != nil {
			r.parents = append(r.parents, metadata.TableRef{Schema: b.schema(*row.parentSchema), Name: *row.parent})
		}
	}
	for _, r := range b.order {
		row := r.row
		switch row.kind {
		case "r", "p":
			t := &metadata.Table{Schema: b.schema(row.schema), Name: row.name, Comment: str(row.comment)}
			if row.kind == "p" {
				t.PartitionBy = str(row.partKey)
			}
			if row.isPart && len(r.parents) == 1 {
				t.PartitionOf = &metadata.PartitionOf{Parent: r.parents[0], Bound: str(row.partBound)}
			} else {
				t.Inherits = r.parents
			}
			t.RowLevelSecurity = row.rls
			t.ForceRowLevelSecurity = row.forceRLS
			if row.persistence == "u" {
				b.warn("unlogged table %s (reflected as a logged table)", qualified(row.schema, row.name))
			}
			if len(row.options) > 0 {
				b.warn("storage parameters (%s) of table %s", strings.Join(row.options, ", "), qualified(row.schema, row.name))
			}
			r.table = t
		case "v", "m":
			v := &metadata.View{
				Schema:       b.schema(row.schema),
				Name:         row.name,
				Definition:   viewDefinition(str(row.viewDef)),
				Materialized: row.kind == "m",
				Comment:      str(row.comment),
			}
			var other []string
			for _, o := range row.options {
				if opt, ok := strings.CutPrefix(o, "check_option="); ok {
					v.CheckOption = opt
				} else {
					other = append(other, o)
				}
			}
			if len(other) > 0 {
				b.warn("options (%s) of view %s", strings.Join(other, ", "), qualified(row.schema, row.name))
			}
			r.view = v
		case "f":
			b.warn("foreign table %s", qualified(row.schema, row.name))
		}
	}
}

// viewDefinition trims what pg_get_viewdef adds around the query: a
// leading space and a final semicolon.
func viewDefinition(def string) string {
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(def), ";"))
}

// columns makes the columns of each table. A partition or an inheriting
// table lists only its own columns: those it declares (attislocal) and
// those whose default or NOT NULL differ from the parent's; the rest comes
// from the parent.
func (b *builder) columns() {
	// The server returns each table's columns together (the join runs
	// table by table), not always in order.
	cols := slices.Concat(b.c.columnParts...)
	if !grouped(cols) {
		slices.SortFunc(cols, func(x, y columnRow) int { return cmp.Compare(x.rel, y.rel) })
	}
	byNum := func(x, y columnRow) int { return cmp.Compare(x.num, y.num) }
	for start := 0; start < len(cols); {
		end := start + 1
		for end < len(cols) && cols[end].rel == cols[start].rel {
			end++
		}
		group := cols[start:end:end]
		if !slices.IsSortedFunc(group, byNum) {
			slices.SortFunc(group, byNum)
		}
		if r := b.rels[cols[start].rel]; r != nil {
			r.cols = group
		}
		start = end
	}
	for i := range b.c.sequences {
		s := &b.c.sequences[i]
		if s.ownerRel != nil && s.ownerCol != nil {
			b.seqByOwner[columnKey{*s.ownerRel, *s.ownerCol}] = s
		}
	}
	for _, r := range b.order {
		if r.table == nil {
			continue
		}
		r.table.Columns = make([]metadata.Column, 0, len(r.cols))
		for i := range r.cols {
			col := &r.cols[i]
			if !col.isLocal && !b.differsFromParent(r, col) {
				continue
			}
			r.table.Columns = append(r.table.Columns, b.column(r, col))
		}
		if len(r.table.Columns) == 0 {
			r.table.Columns = nil
		}
	}
}

// grouped reports whether each table's columns come together.
func grouped(cols []columnRow) bool {
	seen := map[uint32]bool{}
	for i := range cols {
		if i > 0 && cols[i].rel == cols[i-1].rel {
			continue
		}
		if seen[cols[i].rel] {
			return false
		}
		seen[cols[i].rel] = true
	}
	return true
}

// differsFromParent reports whether an inherited column has a default or
// NOT NULL of its own.
func (b *builder) differsFromParent(r *relation, col *columnRow) bool {
	for _, ref := range r.parents {
		p := b.relByRef(ref)
		if p == nil {
			continue
		}
		for _, pc := range p.cols {
			if pc.name == col.name {
				return pc.notNull != col.notNull || str(pc.def) != str(col.def)
			}
		}
	}
	return false
}

// column returns the relation's column number num, or nil.
func (r *relation) column(num int16) *columnRow {
	i, found := slices.BinarySearchFunc(r.cols, num, func(c columnRow, n int16) int { return cmp.Compare(c.num, n) })
	if !found {
		return nil
	}
	return &r.cols[i]
}

// columnType maps a type as format_type() prints it to the model, as the
// dialect reads it back (pgddl.ReadType: a portable type only where the
// dialect spells it exactly so), remembered: a database has few types.
func (b *builder) columnType(formatted string) metadata.Type {
	t, ok := b.typeCache[formatted]
	if !ok {
		t = pgddl.ReadType(formatted)
		b.typeCache[formatted] = t
	}
	return t
}

// relByRef finds a selected relation by its model reference.
func (b *builder) relByRef(ref metadata.TableRef) *relation { return b.byRef[ref] }

// column makes one column of the model.
func (b *builder) column(r *relation, col *columnRow) metadata.Column {
	c := metadata.Column{
		Name:     col.name,
		Type:     b.columnType(arrayDims(col.typ, col.dims)),
		Nullable: !col.notNull,
		Comment:  str(col.comment),
	}
	if col.collOID != col.typColl {
		c.Collation = b.collation(col.collOID)
	}
	seq := b.seqByOwner[columnKey{r.row.oid, int32(col.num)}]
	switch col.identity {
	case "a", "d":
		c.Identity = &metadata.Identity{Always: col.identity == "a"}
		if seq != nil && seq.depType != nil && *seq.depType == "i" {
			if seq.increment != 1 {
				c.Identity.Increment = ptr(seq.increment)
			}
			if seq.start != defaultStart(seq) {
				c.Identity.Start = ptr(seq.start)
			}
		}
		return c
	}
	if col.def == nil {
		return c
	}
	if col.generate == "s" {
		c.Generated = &metadata.Generated{Expr: stripParens(*col.def), Stored: true}
		return c
	}
	if seq != nil && b.isSerial(r, col, seq) {
		c.Autoincrement = true
		b.serial[seq.oid] = true
		return c
	}
	c.Default = columnDefault(*col.def, col.typ, col.cat)
	return c
}

// arrayDims writes an array type with the dimensions its column was
// declared with (pg_attribute.attndims): format_type() prints text[] for
// a text[][] column, since the server does not enforce dimensions.
func arrayDims(typ string, dims int16) string {
	if dims > 1 && strings.HasSuffix(typ, "[]") {
		return typ + strings.Repeat("[]", int(dims)-1)
	}
	return typ
}

// isSerial reports whether a column is what a serial type makes: a
// default of nextval() of a sequence the column owns, named as serial
// names it (<table>_<column>_seq), of the column's type and with every
// parameter at its default.
func (b *builder) isSerial(r *relation, col *columnRow, seq *sequenceRow) bool {
	if seq.depType == nil || *seq.depType != "a" || seq.typ != col.typ {
		return false
	}
	if seq.schema != r.row.schema || !b.namer(r.row.schema).is(seq.name, r.row.name, col.name, "seq") {
		return false
	}
	lit, ok := strings.CutPrefix(*col.def, "nextval('")
	if !ok {
		return false
	}
	lit, ok = strings.CutSuffix(lit, "'::regclass)")
	if !ok {
		return false
	}
	parts := splitQualified(strings.ReplaceAll(lit, "''", "'"))
	if len(parts) == 0 || parts[len(parts)-1] != seq.name || (len(parts) == 2 && parts[0] != seq.schema) || len(parts) > 2 {
		return false
	}
	return seq.increment == 1 && seq.start == 1 && seq.min == 1 && seq.max == typeMax(seq.typ) &&
		seq.cache == 1 && !seq.cycle
}

// splitQualified splits a possibly quoted, possibly qualified name as a
// regclass prints it ("public"."My Seq", s.seq) into its parts, unquoted.
func splitQualified(s string) []string {
	var parts []string
	var cur strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '"' && i+1 < len(s) && s[i+1] == '"':
			cur.WriteByte('"')
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == '.':
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(parts, cur.String())
}

// typeMax is the largest value of a sequence's type.
func typeMax(typ string) int64 {
	switch typ {
	case "smallint":
		return 1<<15 - 1
	case "integer":
		return 1<<31 - 1
	}
	return 1<<63 - 1
}

// defaultStart is the start a sequence has when none is given.
func defaultStart(s *sequenceRow) int64 {
	if s.increment < 0 {
		return s.max
	}
	return s.min
}

// stripParens removes parentheses that enclose a whole expression, as
// the server adds around a generated column's or an index key's
// expression: "(a + b)" is "a + b", "(a) + (b)" stays.
func stripParens(s string) string {
	s = strings.TrimSpace(s)
	for len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' && closes(s) == len(s)-1 {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// closes returns the index of the parenthesis that closes the one at
// s[0], skipping quoted strings and names, or -1.
func closes(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'', '"':
			q := s[i]
			for i++; i < len(s) && s[i] != q; i++ {
			}
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func ptr[T any](v T) *T { return &v }

// sort puts every list in the order the result promises: by schema and
// name, constraints by name and then content.
func (b *builder) sort() {
	m := b.m
	byName := func(schema, name string) string { return schema + "\x00" + name }
	slices.SortFunc(m.Schemas, func(x, y metadata.Schema) int { return cmp.Compare(x.Name, y.Name) })
	slices.SortFunc(m.Extensions, func(x, y metadata.Extension) int { return cmp.Compare(x.Name, y.Name) })
	slices.SortFunc(m.Enums, func(x, y metadata.Enum) int {
		return cmp.Compare(byName(x.Schema, x.Name), byName(y.Schema, y.Name))
	})
	slices.SortFunc(m.Domains, func(x, y metadata.Domain) int {
		return cmp.Compare(byName(x.Schema, x.Name), byName(y.Schema, y.Name))
	})
	for i := range m.Domains {
		slices.SortFunc(m.Domains[i].Checks, byCheck)
	}
	slices.SortFunc(m.CompositeTypes, func(x, y metadata.CompositeType) int {
		return cmp.Compare(byName(x.Schema, x.Name), byName(y.Schema, y.Name))
	})
	slices.SortFunc(m.Sequences, func(x, y metadata.Sequence) int {
		return cmp.Compare(byName(x.Schema, x.Name), byName(y.Schema, y.Name))
	})
	slices.SortFunc(m.Functions, func(x, y metadata.Function) int {
		return cmp.Or(cmp.Compare(byName(x.Schema, x.Name), byName(y.Schema, y.Name)), cmp.Compare(x.Args, y.Args))
	})
	slices.SortFunc(m.Tables, func(x, y metadata.Table) int {
		return cmp.Compare(byName(x.Schema, x.Name), byName(y.Schema, y.Name))
	})
	for i := range m.Tables {
		t := &m.Tables[i]
		slices.SortFunc(t.ForeignKeys, func(x, y metadata.ForeignKey) int {
			return cmp.Or(cmp.Compare(x.Name, y.Name), slices.Compare(x.Columns, y.Columns))
		})
		slices.SortFunc(t.Uniques, func(x, y metadata.Unique) int {
			return cmp.Or(cmp.Compare(x.Name, y.Name), slices.Compare(x.Columns, y.Columns))
		})
		slices.SortFunc(t.Checks, byCheck)
		slices.SortFunc(t.Exclusions, func(x, y metadata.Exclusion) int {
			return cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.Definition, y.Definition))
		})
		slices.SortFunc(t.Indexes, func(x, y metadata.Index) int { return cmp.Compare(x.Name, y.Name) })
		slices.SortFunc(t.Policies, func(x, y metadata.Policy) int { return cmp.Compare(x.Name, y.Name) })
	}
	slices.SortFunc(m.Views, func(x, y metadata.View) int {
		return cmp.Compare(byName(x.Schema, x.Name), byName(y.Schema, y.Name))
	})
	for i := range m.Views {
		slices.SortFunc(m.Views[i].Indexes, func(x, y metadata.Index) int { return cmp.Compare(x.Name, y.Name) })
	}
	slices.SortFunc(m.Triggers, func(x, y metadata.Trigger) int {
		return cmp.Or(cmp.Compare(byName(x.Schema, x.Table), byName(y.Schema, y.Table)), cmp.Compare(x.Name, y.Name))
	})
}

// byCheck orders check constraints by name, then expression.
func byCheck(x, y metadata.Check) int {
	return cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.Expr, y.Expr))
}

// viewReads pairs the relations a view's rule depends on with the columns
// of each: a relation it depends on as a whole (a whole-row reference)
// has nil, every column. A view that reads no relation (SELECT 1) has an
// empty map, not nil: what it reads is known.
func viewReads(rels, cols []string) map[string][]string {
	reads := make(map[string][]string, len(rels))
	whole := map[string]bool{}
	for i, rel := range rels {
		switch {
		case whole[rel]:
		case cols[i] == "":
			whole[rel] = true
			reads[rel] = nil
		default:
			reads[rel] = append(reads[rel], cols[i])
		}
	}
	return reads
}

// viewGrants are the privileges granted on the views, by view.
func (b *builder) viewGrants() map[metadata.TableRef][]inspector.Grant {
	var out map[metadata.TableRef][]inspector.Grant
	for _, g := range b.c.viewGrants {
		rel := b.rels[g.rel]
		if rel == nil || rel.view == nil {
			continue
		}
		if out == nil {
			out = map[metadata.TableRef][]inspector.Grant{}
		}
		out[rel.view.Ref()] = append(out[rel.view.Ref()], g.grant)
	}
	return out
}
