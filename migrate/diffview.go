package migrate

import (
	"github.com/dbtool/dbtool/metadata"
	"slices"
	"strings"
)

// views compares views. A view whose query, columns or kind changed is
// dropped and created again (PostgreSQL's CREATE OR REPLACE VIEW cannot
// drop or retype a column, and the model does not know a view's column
// types), and so is every view that selects from a dropped, recreated or
// rebuilt relation, transitively: dropping it first is the only order in
// which PostgreSQL lets a column it reads change, and SQLite a table it
// reads be rebuilt. What a live view reads is what the server records
// (Server.LiveReads) or else the names in its query, as create-all orders
// them. Where the server records the columns a view reads, the view is
// recreated only when one of them changes (readersOf), not for every
// change of its tables: recreating a view drops its grants, and a
// materialized view's rows are computed again.
func (d *diffRun) views() {
	key := func(v metadata.View) metadata.TableRef { return v.Ref() }
	live := map[metadata.TableRef]*metadata.View{}
	for i := range d.from.Views {
		live[key(d.from.Views[i])] = &d.from.Views[i]
	}
	want := map[metadata.TableRef]*metadata.View{}
	for i := range d.to.Views {
		want[key(d.to.Views[i])] = &d.to.Views[i]
	}

	// Relations, by lower-case name, whose every reader is recreated
	// (gone: dropped tables, recreated views), and those whose readers are
	// recreated unless the server records which columns they read
	// (touched: changed or renamed tables). readersOf has the columns.
	gone, touched := map[string]bool{}, map[string]bool{}
	for ref := range d.rebuilt {
		touched[lower(ref.Name)] = true
	}
	for old := range d.renamed {
		touched[lower(old.Name)] = true
	}
	for name := range d.readersOf {
		touched[name] = true
	}
	for _, t := range d.from.Tables {
		if d.droppedTable(t.Ref()) {
			gone[lower(t.Name)] = true
		}
	}
	recreate := map[metadata.TableRef]bool{}
	replace := map[metadata.TableRef]bool{}
	for _, v := range d.from.Views {
		w := want[v.Ref()]
		switch {
		case w != nil && sameView(&v, w):
		case w != nil && d.replaceable(&v, w):
			replace[v.Ref()] = true
		default:
			recreate[v.Ref()] = true
			gone[lower(v.Name)] = true
		}
	}
	// Spread to the readers of what changes until nothing changes.
	reads := map[metadata.TableRef]map[string][]string{}
	for _, v := range d.from.Views {
		if rels, ok := d.server.LiveReads[v.Ref()]; ok {
			reads[v.Ref()] = make(map[string][]string, len(rels))
			for n, cols := range rels {
				reads[v.Ref()][lower(n)] = cols
			}
		} else {
			reads[v.Ref()] = map[string][]string{}
			for _, n := range identifiers(v.Definition) {
				reads[v.Ref()][n] = nil
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, v := range d.from.Views {
			if recreate[v.Ref()] || !d.readsChanged(reads[v.Ref()], gone, touched) {
				continue
			}
			// A view that reads what changes is dropped first, even one
			// that could have been replaced.
			delete(replace, v.Ref())
			recreate[v.Ref()] = true
			gone[lower(v.Name)] = true
			changed = true
		}
	}

	// Drop in reverse dependency order of the live views.
	var drop []metadata.View
	for _, v := range d.from.Views {
		if recreate[v.Ref()] {
			drop = append(drop, v)
		}
	}
	nodes := order(&metadata.MetaData{Views: drop})
	for i := len(nodes) - 1; i >= 0; i-- {
		d.dropViews = append(d.dropViews, DropView{View: *nodes[i].view})
	}

	// Create in dependency order of the declared views.
	var add []metadata.View
	for _, v := range d.to.Views {
		l := live[v.Ref()]
		if l == nil || recreate[v.Ref()] {
			add = append(add, v)
			continue
		}
		// A view kept, or replaced in place (a plain view: no indexes),
		// has its indexes and comment changed where it stands.
		if replace[v.Ref()] {
			add = append(add, v)
		}
		ix := matchNamed(l.Indexes, v.Indexes, func(x metadata.Index) string { return x.Name }, indexKey)
		for _, r := range ix.renamed {
			d.addIndexes = append(d.addIndexes, RenameIndex{Table: v.Ref(), From: r[0], To: r[1]})
		}
		for _, x := range ix.dropped {
			d.dropIndexes = append(d.dropIndexes, DropIndex{Table: v.Ref(), Index: x})
		}
		for _, x := range ix.added {
			d.addIndexes = append(d.addIndexes, AddIndex{Table: v.Ref(), Index: x})
		}
		if l.Comment != v.Comment {
			kind := "VIEW"
			if v.Materialized {
				kind = "MATERIALIZED VIEW"
			}
			d.comments = append(d.comments, SetComment{Kind: kind, Schema: v.Schema, Name: v.Name, From: l.Comment, To: v.Comment})
		}
	}
	for _, n := range order(&metadata.MetaData{Views: add}) {
		switch ref := n.view.Ref(); {
		case replace[ref]:
			d.addViews = append(d.addViews, ReplaceView{View: *n.view})
		case recreate[ref]:
			d.addViews = append(d.addViews, AddView{View: *n.view, Grants: d.server.LiveGrants[ref]})
		default:
			d.addViews = append(d.addViews, AddView{View: *n.view})
		}
	}
	// Triggers on recreated views are recreated too.
	for ref := range recreate {
		d.rebuilt[ref] = true
	}
}

// readsChanged reports whether a view that reads reads (lower-case
// relation names, each with the columns read, nil for all of them) must be
// recreated: it reads a relation that is gone, or a changed column of a
// touched one; a read recorded without columns reads every column, and
// any change of a touched relation.
func (d *diffRun) readsChanged(reads map[string][]string, gone, touched map[string]bool) bool {
	for name, cols := range reads {
		switch {
		case gone[name]:
			return true
		case !touched[name]:
		case cols == nil:
			return true
		default:
			for _, c := range cols {
				if d.readersOf[name][c] {
					return true
				}
			}
		}
	}
	return false
}

// replaceable reports whether live view l can become w in place: two
// plain views whose shapes are known, w's beginning with l's (CREATE OR
// REPLACE VIEW keeps every column's name, type and collation, and adds
// new ones only at the end).
func (d *diffRun) replaceable(l, w *metadata.View) bool {
	if l.Materialized || w.Materialized {
		return false
	}
	ls, ws := d.server.LiveShapes[l.Ref()], d.server.WantShapes[w.Ref()]
	return len(ls) > 0 && len(ws) >= len(ls) && slices.Equal(ws[:len(ls)], ls)
}

// sameView compares what a view is, leaving its indexes and comment to be
// changed in place.
func sameView(l, w *metadata.View) bool {
	return l.Definition == w.Definition && l.Materialized == w.Materialized &&
		l.CheckOption == w.CheckOption && slicesEqual(l.Columns, w.Columns)
}

func lower(s string) string { return strings.ToLower(s) }

func slicesEqual(a, b []string) bool { return slices.Equal(a, b) }
