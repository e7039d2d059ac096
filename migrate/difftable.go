package migrate

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// diffTables pairs live and declared tables (by name, or by renamed_from)
// and compares each pair; unpaired declared tables are created, unpaired
// live ones dropped.
func (d *diffRun) diffTables() {
	// The maps and lists are made to size: growing them was a tenth of
	// the bytes a 5000-table diff allocated.
	live := make(map[metadata.TableRef]*metadata.Table, len(d.from.Tables))
	for i := range d.from.Tables {
		live[d.from.Tables[i].Ref()] = &d.from.Tables[i]
	}
	declared := make(map[metadata.TableRef]bool, len(d.to.Tables))
	for _, t := range d.to.Tables {
		declared[t.Ref()] = true
	}
	// Pair first, so that every rename is known before any table is
	// compared: a foreign key to a renamed table follows it.
	paired := make(map[metadata.TableRef]bool, min(len(d.from.Tables), len(d.to.Tables)))
	var added []metadata.Table
	type pair struct{ l, t *metadata.Table }
	pairs := make([]pair, 0, min(len(d.from.Tables), len(d.to.Tables)))
	for i := range d.to.Tables {
		t := &d.to.Tables[i]
		l := live[t.Ref()]
		if l == nil && t.RenamedFrom != "" {
			old := metadata.TableRef{Schema: t.Schema, Name: t.RenamedFrom}
			if ol := live[old]; ol != nil && !declared[old] && !paired[old] {
				l = ol
				d.renamed[old] = t.Ref()
			}
		}
		if l == nil {
			added = append(added, *t)
			continue
		}
		paired[l.Ref()] = true
		pairs = append(pairs, pair{l, t})
	}
	for _, p := range pairs {
		if _, renamed := d.renamed[p.l.Ref()]; !renamed && sameTable(p.l, p.t) {
			// The same table, in the same canonical form: nothing to
			// change, and cheaper to tell than matching its constraints
			// and indexes one by one (most tables of a plan are
			// unchanged). A foreign key to a renamed or dropped table
			// differs from the declared one, so it takes the long way.
			continue
		}
		d.diffTable(p.l, p.t)
	}
	var dropped []metadata.Table
	for _, t := range d.from.Tables {
		if !paired[t.Ref()] {
			dropped = append(dropped, t)
		}
	}
	d.probableTableRenames(dropped, added)

	// New tables in dependency order; a foreign key that closes a cycle
	// among them is added after all of them exist.
	for _, n := range order(&metadata.MetaData{Tables: added}) {
		d.addTables = append(d.addTables, AddTable{Table: *n.table, DeferredForeignKeys: n.deferredFKs})
		for _, i := range n.deferredFKs {
			d.addFKs = append(d.addFKs, AddForeignKey{Table: n.table.Ref(), ForeignKey: n.table.ForeignKeys[i]})
		}
	}

	// Dropped tables after those that reference them; foreign keys of a
	// cycle among them are dropped first.
	nodes := order(&metadata.MetaData{Tables: dropped})
	for i := len(nodes) - 1; i >= 0; i-- {
		t := nodes[i].table
		for _, fk := range nodes[i].deferredFKs {
			d.dropFKs = append(d.dropFKs, DropForeignKey{Table: t.Ref(), ForeignKey: t.ForeignKeys[fk]})
		}
		d.dropTables = append(d.dropTables, DropTable{Table: *t})
	}
	// A kept table's foreign key to a dropped table must go first; the
	// declaration cannot hold it, so diffTable dropped it already.
}

// diffTable compares a live table with its declaration.
func (d *diffRun) diffTable(l, t *metadata.Table) {
	ref := t.Ref()
	if (l.PartitionOf == nil) != (t.PartitionOf == nil) {
		// Attached or detached: a partition lists only the columns it
		// holds differently from its parent, while a table of its own
		// lists them all; compare them all, since attaching and
		// detaching keep every column.
		if l.PartitionOf != nil {
			lc := *l
			lc.Columns = partitionColumns(d.from, l)
			l = &lc
		}
		if t.PartitionOf != nil {
			tc := *t
			tc.Columns = partitionColumns(d.to, t)
			t = &tc
		}
	}
	_, renamed := d.renamed[l.Ref()]
	if renamed {
		var serial []string
		for _, c := range l.Columns {
			if c.Autoincrement {
				serial = append(serial, c.Name)
			}
		}
		d.tables = append(d.tables, RenameTable{From: l.Ref(), To: ref, Autoincrement: serial})
		d.rebuilt[ref] = true
	}
	// The live foreign keys, with their targets under their new names.
	liveFKs := make([]metadata.ForeignKey, len(l.ForeignKeys))
	for i, fk := range l.ForeignKeys {
		if to, ok := d.renamed[fk.References.Ref()]; ok {
			fk.References.Schema, fk.References.Table = to.Schema, to.Name
		}
		liveFKs[i] = fk
	}
	var changes []TableChange
	add := func(c ...TableChange) { changes = append(changes, c...) }

	// Columns, by name or renamed_from.
	liveCols := map[string]*metadata.Column{}
	for i := range l.Columns {
		liveCols[l.Columns[i].Name] = &l.Columns[i]
	}
	declCols := map[string]bool{}
	for _, c := range t.Columns {
		declCols[c.Name] = true
	}
	pairedCols := map[string]bool{}
	renamedCols := map[string]string{} // live name to declared name
	var addedCols []metadata.Column
	structural := false
	for _, c := range t.Columns {
		lc := liveCols[c.Name]
		if lc == nil && c.RenamedFrom != "" {
			if old := liveCols[c.RenamedFrom]; old != nil && !declCols[c.RenamedFrom] && !pairedCols[c.RenamedFrom] {
				lc = old
				add(RenameColumn{From: old.Name, To: c.Name})
				renamedCols[old.Name] = c.Name
				structural = true
			}
		}
		if lc == nil {
			addedCols = append(addedCols, c)
			continue
		}
		pairedCols[lc.Name] = true
		if change := columnChange(lc, &c); change != 0 {
			add(ModifyColumn{From: *lc, To: c, Change: change})
			if change&^(ChangeComment|ChangeDefault) != 0 {
				structural = true
			}
			if change&(ChangeType|ChangeCollation|ChangeGenerated) != 0 {
				d.columnChanges(l.Ref(), lc.Name)
			}
		}
	}
	var droppedCols []metadata.Column
	for _, c := range l.Columns {
		if !pairedCols[c.Name] {
			droppedCols = append(droppedCols, c)
			add(DropColumn{Column: c})
			d.columnChanges(l.Ref(), c.Name)
			structural = true
		}
	}
	for _, c := range addedCols {
		add(AddColumn{Column: c})
	}
	d.probableColumnRenames(t, droppedCols, addedCols)

	// Keys and constraints, their live columns under their new names: a
	// renamed column stays in its keys.
	if len(renamedCols) > 0 {
		lc := *l
		lc.PrimaryKey = renameKeyColumns(l.PrimaryKey, renamedCols)
		lc.Uniques = slices.Clone(l.Uniques)
		for i := range lc.Uniques {
			lc.Uniques[i].Columns = renameColumns(lc.Uniques[i].Columns, renamedCols)
			lc.Uniques[i].ColumnOptions = renameOptions(lc.Uniques[i].ColumnOptions, renamedCols)
		}
		for i := range liveFKs {
			liveFKs[i].Columns = renameColumns(liveFKs[i].Columns, renamedCols)
		}
		l = &lc
	}
	if !samePrimaryKey(l.PrimaryKey, t.PrimaryKey) {
		add(SetPrimaryKey{From: l.PrimaryKey, To: t.PrimaryKey})
	} else if l.PrimaryKey != nil && t.PrimaryKey.Name != "" && l.PrimaryKey.Name != t.PrimaryKey.Name {
		add(RenameConstraint{From: l.PrimaryKey.Name, To: t.PrimaryKey.Name})
	}
	uniques := matchNamed(l.Uniques, t.Uniques, func(u metadata.Unique) string { return u.Name }, func(u metadata.Unique) string {
		u.Name = ""
		return keyOf(u)
	})
	for _, r := range uniques.renamed {
		add(RenameConstraint{From: r[0], To: r[1]})
	}
	for _, u := range uniques.dropped {
		add(DropUnique{Unique: u})
	}
	checks := matchNamed(l.Checks, t.Checks, func(c metadata.Check) string { return c.Name }, func(c metadata.Check) string {
		c.Name = ""
		return keyOf(c)
	})
	for _, r := range checks.renamed {
		add(RenameConstraint{From: r[0], To: r[1]})
	}
	for _, c := range checks.dropped {
		add(DropCheck{Check: c})
	}
	excl := matchNamed(l.Exclusions, t.Exclusions, func(x metadata.Exclusion) string { return x.Name }, func(x metadata.Exclusion) string { return x.Definition })
	for _, r := range excl.renamed {
		add(RenameConstraint{From: r[0], To: r[1]})
	}
	for _, x := range excl.dropped {
		add(DropExclusion{Exclusion: x})
	}
	for _, u := range uniques.added {
		add(AddUnique{Unique: u})
	}
	for _, c := range checks.added {
		add(AddCheck{Check: c})
	}
	for _, x := range excl.added {
		add(AddExclusion{Exclusion: x})
	}

	// Foreign keys are changes of their own; a rename stays in the table.
	fks := matchNamed(liveFKs, t.ForeignKeys, func(fk metadata.ForeignKey) string { return fk.Name }, func(fk metadata.ForeignKey) string {
		fk.Name = ""
		return keyOf(fk)
	})
	for _, r := range fks.renamed {
		add(RenameConstraint{From: r[0], To: r[1]})
	}
	for _, fk := range fks.dropped {
		// A renamed table's foreign keys are dropped once it has its new
		// name, just before its ModifyTable: a dialect that rebuilds the
		// table (SQLite) finds them together.
		if renamed {
			d.tables = append(d.tables, DropForeignKey{Table: ref, ForeignKey: fk})
			continue
		}
		d.dropFKs = append(d.dropFKs, DropForeignKey{Table: l.Ref(), ForeignKey: fk})
	}
	for _, fk := range fks.added {
		d.addFKs = append(d.addFKs, AddForeignKey{Table: ref, ForeignKey: fk})
	}
	fkChanged := len(fks.dropped)+len(fks.added) > 0

	// Partitioning.
	if !reflect.DeepEqual(l.PartitionOf, t.PartitionOf) {
		if l.PartitionOf != nil {
			add(DetachPartition{PartitionOf: *l.PartitionOf})
		}
		if t.PartitionOf != nil {
			add(AttachPartition{PartitionOf: *t.PartitionOf})
		}
	}

	// Security, comments.
	if l.RowLevelSecurity != t.RowLevelSecurity || l.ForceRowLevelSecurity != t.ForceRowLevelSecurity {
		add(SetRowLevelSecurity{Enable: t.RowLevelSecurity, Force: t.ForceRowLevelSecurity})
	}
	pol := matchNamed(l.Policies, t.Policies, func(p metadata.Policy) string { return p.Name }, keyOf[metadata.Policy])
	for _, p := range pol.dropped {
		add(DropPolicy{Policy: p})
	}
	for _, p := range pol.added {
		add(AddPolicy{Policy: p})
	}
	if l.Comment != t.Comment {
		add(SetTableComment{From: l.Comment, To: t.Comment})
	}

	// Indexes are changes of their own.
	ix := matchNamed(l.Indexes, t.Indexes, func(x metadata.Index) string { return x.Name }, indexKey)
	for _, r := range ix.renamed {
		d.addIndexes = append(d.addIndexes, RenameIndex{Table: ref, From: r[0], To: r[1]})
	}
	for _, x := range ix.dropped {
		d.dropIndexes = append(d.dropIndexes, DropIndex{Table: l.Ref(), Index: x})
	}
	for _, x := range ix.added {
		d.addIndexes = append(d.addIndexes, AddIndex{Table: ref, Index: x})
	}
	for _, p := range ix.same {
		if p[0].Comment != p[1].Comment {
			d.comments = append(d.comments, SetComment{Kind: "INDEX", Schema: t.Schema, Name: p[1].Name, From: p[0].Comment, To: p[1].Comment})
		}
	}

	// What has no alteration of its own (SQLite's WITHOUT ROWID and STRICT)
	// still differs between From and To: the dialect rebuilds.
	other := l.WithoutRowID != t.WithoutRowID || l.Strict != t.Strict
	// A renamed index comes with its table's ModifyTable, even an empty
	// one, since SQLite renames an index by creating it again from To.
	if len(changes) == 0 && !fkChanged && !other && len(ix.renamed) == 0 && !renamed {
		return
	}
	from := *l
	if r, ok := d.renamed[l.Ref()]; ok {
		from.Schema, from.Name = r.Schema, r.Name
	}
	d.tables = append(d.tables, ModifyTable{From: from, To: *t, Changes: changes})
	if structural || fkChanged || other || hasConstraintChange(changes) {
		d.rebuilt[ref] = true
	}
}

// hasConstraintChange reports whether the alterations touch keys, checks
// or a column's definition, which SQLite makes by rebuilding the table. A
// column's comment alone is not one: no dialect that rebuilds has
// comments, and a view reading the column need not be recreated for it.
func hasConstraintChange(changes []TableChange) bool {
	for _, c := range changes {
		switch c := c.(type) {
		case SetPrimaryKey, AddUnique, DropUnique, AddCheck, DropCheck:
			return true
		case ModifyColumn:
			if c.Change != ChangeComment {
				return true
			}
		}
	}
	return false
}

// columnChange returns what differs between a live column and its
// declaration.
func columnChange(l, c *metadata.Column) ColumnChange {
	var ch ColumnChange
	if !sameType(l.Type, c.Type) {
		ch |= ChangeType
	}
	if l.Nullable != c.Nullable || l.NotNullOnConflict != c.NotNullOnConflict {
		ch |= ChangeNullable
	}
	if !sameDefault(l.Default, c.Default) {
		ch |= ChangeDefault
	}
	if l.Autoincrement != c.Autoincrement {
		ch |= ChangeAutoincrement
	}
	if !samePtr(l.Identity, c.Identity, sameIdentity) {
		ch |= ChangeIdentity
	}
	if !samePtr(l.Generated, c.Generated, sameValue[metadata.Generated]) {
		ch |= ChangeGenerated
	}
	if l.Collation != c.Collation {
		ch |= ChangeCollation
	}
	if l.Comment != c.Comment {
		ch |= ChangeComment
	}
	return ch
}

// samePrimaryKey compares primary keys: their columns, and their names
// when the declaration gives one (a rename is made by RenameConstraint).
// renameColumns returns column names with the renamed ones under their
// new names.
func renameColumns(cols []string, renamed map[string]string) []string {
	out := slices.Clone(cols)
	for i, c := range out {
		if n, ok := renamed[c]; ok {
			out[i] = n
		}
	}
	return out
}

func renameOptions(opts []metadata.KeyColumnOption, renamed map[string]string) []metadata.KeyColumnOption {
	out := slices.Clone(opts)
	for i, o := range out {
		if n, ok := renamed[o.Column]; ok {
			out[i].Column = n
		}
	}
	return out
}

func renameKeyColumns(pk *metadata.PrimaryKey, renamed map[string]string) *metadata.PrimaryKey {
	if pk == nil {
		return nil
	}
	c := *pk
	c.Columns = renameColumns(pk.Columns, renamed)
	c.ColumnOptions = renameOptions(pk.ColumnOptions, renamed)
	return &c
}

func samePrimaryKey(l, t *metadata.PrimaryKey) bool {
	if l == nil || t == nil {
		return l == t
	}
	a, b := *l, *t
	a.Name, b.Name = "", ""
	return keyOf(a) == keyOf(b)
}

// matched is the outcome of pairing live constraints or indexes with
// declared ones.
type matched[T any] struct {
	added, dropped []T
	// renamed are live and declared names of the same definition.
	renamed [][2]string
	// same are live and declared forms of the objects kept as they are.
	same [][2]T
}

// matchNamed pairs live and declared objects: a declared one with a name
// matches the live one of that name (a different definition drops and
// adds it), or else a live one of the same definition under another name
// (a rename); one without a name matches any live one of the same
// definition.
func matchNamed[T any](live, want []T, name func(T) string, def func(T) string) matched[T] {
	var m matched[T]
	byName := map[string]int{}
	byDef := map[string][]int{}
	// Each definition is rendered once: rendering them (keyOf) was most
	// of a 5000-table diff's time when it was done at every comparison.
	liveDef := make([]string, len(live))
	for i, x := range live {
		if n := name(x); n != "" {
			byName[n] = i
		}
		liveDef[i] = def(x)
		byDef[liveDef[i]] = append(byDef[liveDef[i]], i)
	}
	used := make([]bool, len(live))
	take := func(i int) { used[i] = true }
	free := func(k string) int {
		for _, i := range byDef[k] {
			if !used[i] {
				return i
			}
		}
		return -1
	}
	var unnamed []T
	for _, w := range want {
		n := name(w)
		if n == "" {
			unnamed = append(unnamed, w)
			continue
		}
		wantDef := def(w)
		if i, ok := byName[n]; ok && !used[i] {
			take(i)
			if liveDef[i] == wantDef {
				m.same = append(m.same, [2]T{live[i], w})
			} else {
				m.dropped = append(m.dropped, live[i])
				m.added = append(m.added, w)
			}
			continue
		}
		if i := free(wantDef); i >= 0 && name(live[i]) != "" && !hasName(want, name, name(live[i])) {
			take(i)
			m.renamed = append(m.renamed, [2]string{name(live[i]), n})
			m.same = append(m.same, [2]T{live[i], w})
			continue
		}
		m.added = append(m.added, w)
	}
	// Unnamed declarations last, so that they do not take a live object a
	// named declaration of the same definition wants.
	for _, w := range unnamed {
		if i := free(def(w)); i >= 0 {
			take(i)
			m.same = append(m.same, [2]T{live[i], w})
			continue
		}
		m.added = append(m.added, w)
	}
	for i, x := range live {
		if !used[i] {
			m.dropped = append(m.dropped, x)
		}
	}
	return m
}

func hasName[T any](s []T, name func(T) string, n string) bool {
	for _, x := range s {
		if name(x) == n {
			return true
		}
	}
	return false
}

// keyOf is a comparable rendering of a value, for definitions.
func keyOf[T any](x T) string {
	var b strings.Builder
	writeKey(&b, reflect.ValueOf(x))
	return b.String()
}

// writeKey writes a value's content, field by field.
func writeKey(b *strings.Builder, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		b.WriteString(v.Elem().Type().String())
		writeKey(b, v.Elem())
	case reflect.Struct:
		b.WriteByte('{')
		for i := 0; i < v.NumField(); i++ {
			writeKey(b, v.Field(i))
			b.WriteByte(',')
		}
		b.WriteByte('}')
	case reflect.Slice:
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			writeKey(b, v.Index(i))
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case reflect.String:
		// Quoted into a stack buffer: one allocation less per string of
		// every constraint and index compared.
		var buf [64]byte
		b.Write(strconv.AppendQuote(buf[:0], v.String()))
	case reflect.Bool:
		if v.Type() == reflect.TypeFor[bool]() {
			// As fmt.Sprint writes it, without boxing the value.
			b.WriteString(strconv.FormatBool(v.Bool()))
			return
		}
		b.WriteString(reflectString(v))
	default:
		b.WriteString(reflectString(v))
	}
}

// indexKey is an index's definition: everything but its name and comment.
func indexKey(x metadata.Index) string {
	x.Name, x.Comment = "", ""
	return keyOf(x)
}

// probableTableRenames reports a dropped and an added table with the same
// columns as a probable rename.
func (d *diffRun) probableTableRenames(dropped, added []metadata.Table) {
	if len(dropped) == 0 || len(added) == 0 {
		return
	}
	shape := func(t metadata.Table) string {
		var b strings.Builder
		b.WriteString(t.Schema)
		for _, c := range t.Columns {
			b.WriteString("\x00" + c.Name + "\x00" + c.Type.String())
		}
		return b.String()
	}
	gone := map[string][]string{}
	for _, t := range dropped {
		gone[shape(t)] = append(gone[shape(t)], t.Name)
	}
	for _, t := range added {
		if names := gone[shape(t)]; len(names) == 1 {
			d.plan.Renames = append(d.plan.Renames, ProbableRename{
				Object: "table " + qualified(t.Schema, t.Name),
				From:   names[0],
				Hint:   "renamed_from: " + names[0],
			})
		}
	}
}

// probableColumnRenames reports a dropped and an added column of one type
// and nullability as a probable rename, when exactly one of each fits.
func (d *diffRun) probableColumnRenames(t *metadata.Table, dropped, added []metadata.Column) {
	for _, a := range added {
		var fit []metadata.Column
		for _, c := range dropped {
			if reflect.DeepEqual(c.Type, a.Type) && c.Nullable == a.Nullable {
				fit = append(fit, c)
			}
		}
		if len(fit) == 1 {
			d.plan.Renames = append(d.plan.Renames, ProbableRename{
				Object: "column " + quote(a.Name) + " of table " + qualified(t.Schema, t.Name),
				From:   fit[0].Name,
				Hint:   "renamed_from: " + fit[0].Name,
			})
		}
	}
}

func reflectString(v reflect.Value) string { return fmt.Sprint(v.Interface()) }

// partitionColumns returns every column of a partition: its parent's (a
// parent's own parent's first), overlaid by those the partition declares.
func partitionColumns(m *metadata.MetaData, t *metadata.Table) []metadata.Column {
	parent := m.Table(t.PartitionOf.Parent)
	if parent == nil || parent == t {
		return t.Columns
	}
	inherited := parent.Columns
	if parent.PartitionOf != nil {
		inherited = partitionColumns(m, parent)
	}
	own := map[string]int{}
	for i, c := range t.Columns {
		own[c.Name] = i
	}
	out := make([]metadata.Column, 0, len(inherited)+len(t.Columns))
	for _, c := range inherited {
		if i, ok := own[c.Name]; ok {
			c = t.Columns[i]
			delete(own, c.Name)
		}
		out = append(out, c)
	}
	for _, c := range t.Columns {
		if _, ok := own[c.Name]; ok {
			out = append(out, c)
		}
	}
	return out
}
