package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// Normalize returns want with the objects that a first diff found changed
// replaced by the server's form of them: they are created in a scratch
// database, with what they need, and inspected back. A foreign key is
// compared as declared (it has no expression), so the scratch tables are
// created without foreign keys and need no other table. A table whose
// changes need no more than the server's form of some column types
// (serverNeeds) is not created: the driver reads the types
// (withServerTypes), and a plan that needs nothing else opens no scratch
// database.
func (e *Engine) Normalize(ctx context.Context, want *metadata.MetaData, first *migrate.Plan, devURL string) (*metadata.MetaData, error) {
	norm, _, err := e.normalize(ctx, want, first, devURL)
	return norm, err
}

// normalize is Normalize, which also returns the shapes of the views the
// scratch database held (those the plan may replace in place).
func (e *Engine) normalize(ctx context.Context, want *metadata.MetaData, first *migrate.Plan, devURL string) (*metadata.MetaData, migrate.ViewShapes, error) {
	cand := candidates(first)
	want, err := e.withServerTypes(ctx, want, cand)
	if err != nil {
		return nil, nil, err
	}
	if cand.empty() {
		return want, nil, nil
	}
	scratch, err := e.openScratch(ctx, devURL)
	if err != nil {
		return nil, nil, err
	}
	defer e.dropScratch(ctx, scratch)

	si, _ := e.driver.Dialect().(standInWriter)
	sub := cand.subset(want, si)
	got, err := scratch.load(ctx, sub)
	if err != nil {
		// The subset may lack something the names in SQL text did not
		// reveal: load the whole declaration, which must load.
		if err := scratch.reset(ctx); err != nil {
			return nil, nil, err
		}
		all := withoutForeignKeys(want)
		if got, err = scratch.load(ctx, all); err != nil {
			return nil, nil, fmt.Errorf("loading the declared schema into a scratch database: %w", err)
		}
	}
	return merge(want, got.Schema, cand), got.ViewShapes, nil
}

// typeReader is a driver that can tell, without creating anything, how
// its database stores column types.
type typeReader interface {
	// serverTypes returns each type as the inspector reads back a column
	// declared with it.
	serverTypes(ctx context.Context, types []metadata.Type) ([]metadata.Type, error)
}

// withServerTypes returns want with the columns that cand.types lists
// given their type's server form, read at once by the driver's
// typeReader. Without one, or when the database cannot read one of the
// types, those tables become whole candidates instead.
func (e *Engine) withServerTypes(ctx context.Context, want *metadata.MetaData, cand *candidateSet) (*metadata.MetaData, error) {
	if len(cand.types) == 0 {
		return want, nil
	}
	var types []metadata.Type
	at := map[metadata.Type]int{}
	for _, t := range want.Tables {
		for _, name := range cand.types[t.Ref()] {
			if c := t.Column(name); c != nil {
				if _, ok := at[c.Type]; !ok {
					at[c.Type] = len(types)
					types = append(types, c.Type)
				}
			}
		}
	}
	var server []metadata.Type
	tr, ok := e.driver.(typeReader)
	if ok {
		var err error
		if server, err = tr.serverTypes(ctx, types); err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			ok = false
		}
	}
	if !ok {
		for ref := range cand.types {
			cand.tables[ref] = true
		}
		clear(cand.types)
		return want, nil
	}
	out := *want
	out.Tables = slices.Clone(want.Tables)
	for i, t := range out.Tables {
		names := cand.types[t.Ref()]
		if len(names) == 0 {
			continue
		}
		t.Columns = slices.Clone(t.Columns)
		for j, c := range t.Columns {
			if slices.Contains(names, c.Name) {
				t.Columns[j].Type = server[at[c.Type]]
			}
		}
		out.Tables[i] = t
	}
	return &out, nil
}

// candidateSet holds the declared objects whose server form the diff
// needs.
type candidateSet struct {
	tables, views map[metadata.TableRef]bool
	// types lists, by table, the columns of which only the server's form
	// of the type is needed (serverNeeds).
	types map[metadata.TableRef][]string
	// triggers are keyed by metadata.TriggerKey.
	triggers           map[string]bool
	functions          map[string]bool
	domains, sequences map[string]bool
	composites         map[string]bool
}

func (c *candidateSet) empty() bool {
	return len(c.tables)+len(c.views)+len(c.triggers)+len(c.functions)+len(c.domains)+len(c.sequences)+len(c.composites) == 0
}

// candidates lists the declared objects that a diff found changed: those
// that exist in the live database in another form. A view or trigger the
// database lacks altogether is created from its declaration whatever the
// server makes of it, so it needs no scratch round trip: a plan from an
// empty database (all AddTable and AddView) creates no scratch database.
// A view or trigger that the diff replaces comes as a drop and an add of
// the same name, and is a candidate. A changed table is one when its
// changes need the server's form (needsServerForm); a table with an index
// added, when one of its indexes is also dropped (the two may be one
// index, written two ways).
func candidates(p *migrate.Plan) *candidateSet {
	c := &candidateSet{
		tables: map[metadata.TableRef]bool{}, views: map[metadata.TableRef]bool{}, types: map[metadata.TableRef][]string{},
		triggers:  map[string]bool{},
		functions: map[string]bool{}, domains: map[string]bool{}, sequences: map[string]bool{},
		composites: map[string]bool{},
	}
	droppedViews, droppedTriggers := map[metadata.TableRef]bool{}, map[string]bool{}
	droppedIndex := map[metadata.TableRef]bool{}
	droppedFunctions := map[string]bool{} // by schema and name
	droppedTypes := map[string]bool{}     // domains and composite types, which share a namespace
	for _, ch := range p.Changes {
		switch ch := ch.(type) {
		case migrate.DropView:
			droppedViews[ch.View.Ref()] = true
		case migrate.DropTrigger:
			droppedTriggers[metadata.TriggerKey(ch.Trigger)] = true
		case migrate.DropFunction:
			droppedFunctions[metadata.ObjectKey(ch.Function.Schema, ch.Function.Name)] = true
		case migrate.DropDomain:
			droppedTypes[metadata.ObjectKey(ch.Domain.Schema, ch.Domain.Name)] = true
		case migrate.DropCompositeType:
			droppedTypes[metadata.ObjectKey(ch.CompositeType.Schema, ch.CompositeType.Name)] = true
		case migrate.DropIndex:
			droppedIndex[ch.Table] = true
		}
	}
	for _, ch := range p.Changes {
		// A renamed table's indexes are dropped under its live name.
		if r, ok := ch.(migrate.RenameTable); ok && droppedIndex[r.From] {
			droppedIndex[r.To] = true
		}
	}
	for _, ch := range p.Changes {
		switch ch := ch.(type) {
		case migrate.ModifyTable:
			switch whole, typed := serverNeeds(ch); {
			case whole:
				c.tables[ch.To.Ref()] = true
			case len(typed) > 0:
				c.types[ch.To.Ref()] = typed
			}
		case migrate.AddIndex:
			if droppedIndex[ch.Table] {
				c.tables[ch.Table] = true
			}
		case migrate.AddView:
			if droppedViews[ch.View.Ref()] {
				c.views[ch.View.Ref()] = true
			}
		case migrate.AddTrigger:
			if droppedTriggers[metadata.TriggerKey(ch.Trigger)] {
				c.triggers[metadata.TriggerKey(ch.Trigger)] = true
			}
		case migrate.ReplaceFunction:
			c.functions[metadata.FunctionKey(ch.To)] = true
		case migrate.AddFunction:
			// Added beside a drop of the same name: the declared
			// arguments may be the live ones written otherwise (or left
			// out), which only the server's identity arguments tell.
			if droppedFunctions[metadata.ObjectKey(ch.Function.Schema, ch.Function.Name)] {
				c.functions[metadata.FunctionKey(ch.Function)] = true
			}
		case migrate.ModifyDomain:
			c.domains[metadata.ObjectKey(ch.To.Schema, ch.To.Name)] = true
		case migrate.RecreateDomain:
			// Its base type differs, perhaps only as written ("int" for
			// "integer"), which the server's form tells.
			c.domains[metadata.ObjectKey(ch.To.Schema, ch.To.Name)] = true
		case migrate.AddDomain:
			// Recreated because its base type differs: perhaps only as
			// written ("int" for "integer"), which the server's form tells.
			if key := metadata.ObjectKey(ch.Domain.Schema, ch.Domain.Name); droppedTypes[key] {
				c.domains[key] = true
			}
		case migrate.ModifyCompositeType:
			c.composites[metadata.ObjectKey(ch.To.Schema, ch.To.Name)] = true
		case migrate.AddCompositeType:
			// Recreated, or altered, because its attributes' types
			// differ, perhaps only as written.
			if key := metadata.ObjectKey(ch.CompositeType.Schema, ch.CompositeType.Name); droppedTypes[key] {
				c.composites[key] = true
			}
		case migrate.ModifySequence:
			c.sequences[metadata.ObjectKey(ch.To.Schema, ch.To.Name)] = true
		}
	}
	return c
}

// serverNeeds reports what a diff of a changed table needs of the server's
// form of it: the whole table (it is created in the scratch database), or
// only the types of some of its declared columns (typed, by name; read by
// a typeReader without creating anything), or nothing.
//
// A column, constraint or policy only added, or only dropped, stays added
// or dropped whatever the server makes of its text: only one that the diff
// could not match with a live one (an add beside a drop of the same kind,
// where the server's form may show them to be the same), or a column whose
// default, nullability or other server-written property differs, needs
// the whole table. A column of another type needs only its type's server
// form, and so do the columns added beside a dropped one (the diff
// compares their types to report a probable rename) — when the declared
// type is a portable one: another (a domain, an array, a name the server
// resolves) needs the table. In a plan that adds, drops and widens columns
// and adds or drops indexes, most changed tables need nothing.
func serverNeeds(m migrate.ModifyTable) (whole bool, typed []string) {
	var added, dropped [5]bool // columns, uniques, checks, exclusions, policies
	var addedCols []string
	portable := func(t metadata.Type) bool {
		_, raw := t.(metadata.Raw)
		return !raw
	}
	for _, c := range m.Changes {
		switch c := c.(type) {
		case migrate.AddColumn:
			added[0] = true
			if !portable(c.Column.Type) {
				return true, nil
			}
			addedCols = append(addedCols, c.Column.Name)
		case migrate.DropColumn:
			dropped[0] = true
		case migrate.AddUnique:
			added[1] = true
		case migrate.DropUnique:
			dropped[1] = true
		case migrate.AddCheck:
			added[2] = true
		case migrate.DropCheck:
			dropped[2] = true
		case migrate.AddExclusion:
			added[3] = true
		case migrate.DropExclusion:
			dropped[3] = true
		case migrate.AddPolicy:
			added[4] = true
		case migrate.DropPolicy:
			dropped[4] = true
		case migrate.ModifyColumn:
			if c.Change&^(migrate.ChangeType|migrate.ChangeComment) != 0 {
				return true, nil
			}
			if c.Change.Has(migrate.ChangeType) {
				if !portable(c.To.Type) {
					return true, nil
				}
				typed = append(typed, c.To.Name)
			}
		case migrate.RenameColumn, migrate.RenameConstraint, migrate.SetTableComment, migrate.SetRowLevelSecurity:
		default:
			// A primary key, a partition's bounds, and whatever is
			// added to the model later: ask the server.
			return true, nil
		}
	}
	for i := 1; i < len(added); i++ {
		if added[i] && dropped[i] {
			return true, nil
		}
	}
	if added[0] && dropped[0] {
		typed = append(typed, addedCols...)
	}
	return false, typed
}

// standInWriter is a dialect that can write a query standing in for a
// table that only views read (see subset).
type standInWriter interface {
	// StandIn returns a query with t's columns, of their types and
	// collations, and no rows.
	StandIn(t metadata.Table) (string, error)
}

// subset returns the part of want to load into a scratch database: the
// candidates and what they need — every namespace, extension, type,
// sequence and function (they are few and anything may use them), the
// tables and views a candidate view or trigger names, and partition and
// inheritance parents — with no foreign keys.
//
// With si, a table loaded only because views read it goes in as a view
// of si's stand-in query, which a view reads as it reads the table (same
// names, types and collations) and which the server creates several
// times faster than a table (PostgreSQL: 0.3 ms against 1.6 ms, and a
// 5000-table plan's views read 370 such tables). Not when a trigger names
// the table, nor when a loaded view groups rows (GROUP BY may lean on
// the table's primary key) or has a check option (which needs an
// updatable relation below).
func (c *candidateSet) subset(want *metadata.MetaData, si standInWriter) *metadata.MetaData {
	out := &metadata.MetaData{
		Extensions: want.Extensions, Schemas: want.Schemas, Enums: want.Enums,
		Domains: want.Domains, Functions: want.Functions, CompositeTypes: want.CompositeTypes,
	}
	for _, s := range want.Sequences {
		s.OwnedBy = ""
		out.Sequences = append(out.Sequences, s)
	}
	needRel := map[string]bool{} // lower-case names named by views and triggers
	trigRel := map[string]bool{} // those named by triggers
	tables := map[metadata.TableRef]bool{}
	for ref := range c.tables {
		tables[ref] = true
	}
	views := map[metadata.TableRef]bool{}
	for ref := range c.views {
		views[ref] = true
	}
	var triggers []metadata.Trigger
	for _, tr := range want.Triggers {
		if c.triggers[metadata.TriggerKey(tr)] {
			triggers = append(triggers, tr)
			needRel[strings.ToLower(tr.Table)] = true
			trigRel[strings.ToLower(tr.Table)] = true
			for _, w := range words(tr.Definition) {
				needRel[w] = true
				trigRel[w] = true
			}
		}
	}
	// Views name relations; follow them through other views.
	for changed := true; changed; {
		changed = false
		for _, v := range want.Views {
			if !views[v.Ref()] && !needRel[strings.ToLower(v.Name)] {
				continue
			}
			if !views[v.Ref()] {
				views[v.Ref()] = true
				changed = true
			}
			for _, w := range words(v.Definition) {
				if !needRel[w] {
					needRel[w] = true
					changed = true
				}
			}
		}
	}
	for _, t := range want.Tables {
		if needRel[strings.ToLower(t.Name)] {
			tables[t.Ref()] = true
		}
	}
	// Parents of partitions and inheriting tables, whole: a partition
	// takes its parent's indexes and constraints.
	parent := map[metadata.TableRef]bool{}
	for changed := true; changed; {
		changed = false
		for _, t := range want.Tables {
			if !tables[t.Ref()] {
				continue
			}
			parents := slices.Clone(t.Inherits)
			if t.PartitionOf != nil {
				parents = append(parents, t.PartitionOf.Parent)
			}
			for _, p := range parents {
				parent[p] = true
				if !tables[p] {
					tables[p] = true
					changed = true
				}
			}
		}
	}
	if si != nil {
		for _, v := range want.Views {
			if views[v.Ref()] && (v.CheckOption != "" || slices.Contains(words(v.Definition), "group")) {
				si = nil
				break
			}
		}
	}
	for _, t := range want.Tables {
		if !tables[t.Ref()] {
			continue
		}
		t.ForeignKeys = nil
		if !c.tables[t.Ref()] && !parent[t.Ref()] {
			if si != nil && !trigRel[strings.ToLower(t.Name)] && t.PartitionOf == nil && len(t.Inherits) == 0 && t.PartitionBy == "" {
				if q, err := si.StandIn(t); err == nil {
					out.Views = append(out.Views, metadata.View{Schema: t.Schema, Name: t.Name, Definition: q})
					continue
				}
			}
			t = relationOnly(t)
		}
		out.Tables = append(out.Tables, t)
	}
	for _, v := range want.Views {
		if views[v.Ref()] {
			out.Views = append(out.Views, v)
		}
	}
	for _, vt := range want.VirtualTables {
		if needRel[strings.ToLower(vt.Name)] {
			out.VirtualTables = append(out.VirtualTables, vt)
		}
	}
	out.Triggers = triggers
	return out
}

// relationOnly returns what a view or trigger can see of a table that is
// loaded only because one names it: its columns and primary key (which a
// view's GROUP BY may lean on), without indexes, other constraints,
// policies and comments. Its own server form is not used, and leaving
// these out of the scratch database saves statements: with 5% of 5000
// PostgreSQL tables changed, every view is a candidate (the server
// rewrites their text) and the 370 tables they read but nobody changed
// took a third of the scratch load's statements (bench/inspect -command
// plan).
func relationOnly(t metadata.Table) metadata.Table {
	cols := slices.Clone(t.Columns)
	for i := range cols {
		cols[i].Comment = ""
	}
	return metadata.Table{
		Schema: t.Schema, Name: t.Name, Columns: cols, PrimaryKey: t.PrimaryKey,
		WithoutRowID: t.WithoutRowID, Strict: t.Strict,
		PartitionBy: t.PartitionBy, PartitionOf: t.PartitionOf, Inherits: t.Inherits,
	}
}

// words returns the lower-case words of SQL text, a superset of the
// relations it names.
func words(sql string) []string {
	return strings.FieldsFunc(strings.ToLower(sql), func(r rune) bool {
		return !(r == '_' || r == '$' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r > 127)
	})
}

// withoutForeignKeys copies a model with its tables' foreign keys removed
// and sequence owners kept.
func withoutForeignKeys(m *metadata.MetaData) *metadata.MetaData {
	c := *m
	c.Tables = slices.Clone(m.Tables)
	for i := range c.Tables {
		c.Tables[i].ForeignKeys = nil
	}
	return &c
}

// merge replaces the candidates of want by their server form from got,
// keeping what the declaration alone knows: foreign keys (created
// without) and renamed_from hints.
func merge(want, got *metadata.MetaData, c *candidateSet) *metadata.MetaData {
	out := *want
	out.Tables = slices.Clone(want.Tables)
	for i, t := range out.Tables {
		if !c.tables[t.Ref()] {
			continue
		}
		n := got.Table(t.Ref())
		if n == nil {
			continue
		}
		nt := *n
		nt.ForeignKeys = t.ForeignKeys
		nt.RenamedFrom = t.RenamedFrom
		nt.Columns = slices.Clone(nt.Columns)
		for j := range nt.Columns {
			if dc := t.Column(nt.Columns[j].Name); dc != nil {
				nt.Columns[j].RenamedFrom = dc.RenamedFrom
			}
		}
		out.Tables[i] = nt
	}
	out.Views = slices.Clone(want.Views)
	for i, v := range out.Views {
		if n := got.View(v.Ref()); n != nil && c.views[v.Ref()] {
			out.Views[i] = *n
		}
	}
	out.Triggers = slices.Clone(want.Triggers)
	for i, tr := range out.Triggers {
		if !c.triggers[metadata.TriggerKey(tr)] {
			continue
		}
		for _, g := range got.Triggers {
			if g.Schema == tr.Schema && g.Table == tr.Table && g.Name == tr.Name {
				out.Triggers[i] = g
			}
		}
	}
	out.Functions = mergeFunctions(want.Functions, got.Functions, c.functions)
	out.Domains = replaceBy(want.Domains, got.Domains, func(d metadata.Domain) string { return metadata.ObjectKey(d.Schema, d.Name) }, c.domains)
	out.CompositeTypes = replaceBy(want.CompositeTypes, got.CompositeTypes, func(t metadata.CompositeType) string { return metadata.ObjectKey(t.Schema, t.Name) }, c.composites)
	out.Sequences = replaceBy(want.Sequences, got.Sequences, func(s metadata.Sequence) string { return metadata.ObjectKey(s.Schema, s.Name) }, c.sequences)
	// A sequence's owner is set after the tables exist; the scratch
	// tables do not own the scratch sequences.
	for i, s := range out.Sequences {
		if c.sequences[metadata.ObjectKey(s.Schema, s.Name)] {
			for _, w := range want.Sequences {
				if w.Schema == s.Schema && w.Name == s.Name {
					out.Sequences[i].OwnedBy = w.OwnedBy
				}
			}
		}
	}
	return &out
}

// mergeFunctions replaces the candidate functions of want by their server
// form in got: the one with the same identity arguments, or else, when
// want declares no other function of its name and got holds exactly one,
// that one. So a function whose args are left out, or written otherwise
// than PostgreSQL prints them ("int" for "integer"), takes the server's,
// as its definition already says them.
func mergeFunctions(want, got []metadata.Function, keys map[string]bool) []metadata.Function {
	if len(keys) == 0 {
		return want
	}
	byKey := map[string]metadata.Function{}
	byName := map[string][]metadata.Function{}
	for _, g := range got {
		byKey[metadata.FunctionKey(g)] = g
		name := metadata.ObjectKey(g.Schema, g.Name)
		byName[name] = append(byName[name], g)
	}
	declared := map[string]int{}
	for _, w := range want {
		declared[metadata.ObjectKey(w.Schema, w.Name)]++
	}
	out := slices.Clone(want)
	for i, w := range out {
		if !keys[metadata.FunctionKey(w)] {
			continue
		}
		name := metadata.ObjectKey(w.Schema, w.Name)
		if g, ok := byKey[metadata.FunctionKey(w)]; ok {
			out[i] = g
		} else if declared[name] == 1 && len(byName[name]) == 1 {
			out[i] = byName[name][0]
		}
	}
	return out
}

// replaceBy replaces the elements of want whose key is in keys by the
// element of got with the same key.
func replaceBy[T any](want, got []T, key func(T) string, keys map[string]bool) []T {
	if len(keys) == 0 {
		return want
	}
	byKey := map[string]T{}
	for _, g := range got {
		byKey[key(g)] = g
	}
	out := slices.Clone(want)
	for i, w := range out {
		if g, ok := byKey[key(w)]; ok && keys[key(w)] {
			out[i] = g
		}
	}
	return out
}
