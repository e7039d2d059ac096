package migrate

import (
	"github.com/dbtool/dbtool/metadata"
)

// CreateAllPlan is what create-all must do to a live database.
type CreateAllPlan struct {
	// Changes create what is missing, in dependency order.
	Changes []Change
	// Skipped names the declared objects that exist already.
	Skipped []string
}

// PlanCreateAll plans create-all: every object declared in want and absent
// from live, in dependency order. Like SQLAlchemy's
// create_all(checkfirst=True), an object that exists is skipped whole (a
// table's indexes are created with the table, not added to an existing one).
//
// Order: schemas, extensions, enums, domains and composite types (each
// after the types it names), sequences; then functions,
// tables and views in one dependency order (a referenced table before the
// table that references it, a partition after its parent, a view after
// what it selects from, a function after the tables its signature names);
// then the foreign keys that close a cycle, sequence owners, virtual tables
// and triggers.
func PlanCreateAll(want, live *metadata.MetaData) *CreateAllPlan {
	if live == nil {
		live = &metadata.MetaData{}
	}
	p := &CreateAllPlan{}
	add := func(exists bool, c Change) {
		if exists {
			p.Skipped = append(p.Skipped, c.Object())
			return
		}
		p.Changes = append(p.Changes, c)
	}

	liveSchemas := map[string]bool{}
	for _, s := range live.Schemas {
		liveSchemas[s.Name] = true
	}
	for _, s := range declaredSchemas(want) {
		add(liveSchemas[s.Name], AddSchema{Schema: s})
	}
	liveExt := map[string]bool{}
	for _, e := range live.Extensions {
		liveExt[e.Name] = true
	}
	for _, e := range want.Extensions {
		add(liveExt[e.Name], AddExtension{Extension: e})
	}
	liveTypes := map[key]bool{}
	for _, e := range live.Enums {
		liveTypes[key{e.Schema, e.Name}] = true
	}
	for _, e := range want.Enums {
		add(liveTypes[key{e.Schema, e.Name}], AddEnum{Enum: e})
	}
	types, skippedTypes := typeChanges(want, live)
	p.Changes = append(p.Changes, types...)
	p.Skipped = append(p.Skipped, skippedTypes...)
	liveSeq := map[key]bool{}
	for _, s := range live.Sequences {
		liveSeq[key{s.Schema, s.Name}] = true
	}
	var owners []Change
	for _, s := range want.Sequences {
		exists := liveSeq[key{s.Schema, s.Name}]
		add(exists, AddSequence{Sequence: s})
		if !exists && s.OwnedBy != "" {
			owners = append(owners, SetSequenceOwner{Sequence: s})
		}
	}

	liveRel := map[key]bool{}
	for _, t := range live.Tables {
		liveRel[key{t.Schema, t.Name}] = true
	}
	for _, v := range live.Views {
		liveRel[key{v.Schema, v.Name}] = true
	}
	for _, vt := range live.VirtualTables {
		liveRel[key{"", vt.Name}] = true
	}
	liveFunc := map[string]bool{}
	for _, f := range live.Functions {
		liveFunc[funcKey(f)] = true
	}
	var deferred []Change
	for _, n := range order(want) {
		switch {
		case n.table != nil:
			c := AddTable{Table: *n.table, DeferredForeignKeys: n.deferredFKs}
			exists := liveRel[key{n.table.Schema, n.table.Name}]
			add(exists, c)
			if !exists {
				for _, i := range n.deferredFKs {
					deferred = append(deferred, AddForeignKey{Table: n.table.Ref(), ForeignKey: n.table.ForeignKeys[i]})
				}
			}
		case n.view != nil:
			add(liveRel[key{n.view.Schema, n.view.Name}], AddView{View: *n.view})
		case n.function != nil:
			add(liveFunc[funcKey(*n.function)], AddFunction{Function: *n.function})
		}
	}
	p.Changes = append(p.Changes, deferred...)
	p.Changes = append(p.Changes, owners...)

	// Virtual tables come after tables (their content may be fed by
	// triggers on tables) but before views, which may select from them;
	// order() placed views, so insert them before the first AddView.
	var vts []Change
	for _, vt := range want.VirtualTables {
		if liveRel[key{"", vt.Name}] {
			p.Skipped = append(p.Skipped, AddVirtualTable{VirtualTable: vt}.Object())
			continue
		}
		vts = append(vts, AddVirtualTable{VirtualTable: vt})
	}
	p.Changes = insertBeforeViews(p.Changes, vts)

	liveTrig := map[string]bool{}
	for _, t := range live.Triggers {
		liveTrig[metadata.TriggerKey(t)] = true
	}
	for _, t := range want.Triggers {
		add(liveTrig[metadata.TriggerKey(t)], AddTrigger{Trigger: t})
	}
	return p
}

// declaredSchemas returns the declared namespaces and, after them, those
// that objects use without declaring: create-all creates a missing one.
func declaredSchemas(m *metadata.MetaData) []metadata.Schema {
	out := append([]metadata.Schema(nil), m.Schemas...)
	seen := map[string]bool{"": true}
	for _, s := range m.Schemas {
		seen[s.Name] = true
	}
	use := func(name string) {
		if !seen[name] {
			seen[name] = true
			out = append(out, metadata.Schema{Name: name})
		}
	}
	for _, e := range m.Extensions {
		use(e.Schema)
	}
	for _, e := range m.Enums {
		use(e.Schema)
	}
	for _, d := range m.Domains {
		use(d.Schema)
	}
	for _, t := range m.CompositeTypes {
		use(t.Schema)
	}
	for _, s := range m.Sequences {
		use(s.Schema)
	}
	for _, f := range m.Functions {
		use(f.Schema)
	}
	for _, t := range m.Tables {
		use(t.Schema)
	}
	for _, v := range m.Views {
		use(v.Schema)
	}
	return out
}

func insertBeforeViews(changes, ins []Change) []Change {
	if len(ins) == 0 {
		return changes
	}
	at := len(changes)
	for i, c := range changes {
		if _, ok := c.(AddView); ok {
			at = i
			break
		}
	}
	out := make([]Change, 0, len(changes)+len(ins))
	out = append(out, changes[:at]...)
	out = append(out, ins...)
	return append(out, changes[at:]...)
}

type key struct{ schema, name string }

func funcKey(f metadata.Function) string { return metadata.FunctionKey(f) }
