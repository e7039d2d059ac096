package migrate

import (
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// AddCompositeType creates a composite type (CREATE TYPE ... AS (...)).
type AddCompositeType struct{ CompositeType metadata.CompositeType }

func (c AddCompositeType) Object() string {
	return "composite type " + qualified(c.CompositeType.Schema, c.CompositeType.Name)
}

func (AddCompositeType) isChange() {}

// typeChanges returns the changes that create the declared domains and
// composite types absent from live, each after the domains and composite
// types it names (a composite type's attribute of a domain type, a domain
// over a composite type), keeping the declared order where there is a
// choice: domains first, then composite types. Enums name no other type
// and are created before all of them. Names are matched as order matches
// them, by their last part, lower-cased; a cycle (which PostgreSQL cannot
// create either) is broken where it is found.
func typeChanges(want, live *metadata.MetaData) (changes []Change, skipped []string) {
	exists := map[key]bool{}
	for _, e := range live.Enums {
		exists[key{e.Schema, e.Name}] = true
	}
	for _, d := range live.Domains {
		exists[key{d.Schema, d.Name}] = true
	}
	for _, t := range live.CompositeTypes {
		exists[key{t.Schema, t.Name}] = true
	}
	type typeNode struct {
		change Change
		key    key
		uses   []string // the SQL texts of the types it names
		state  int      // 0 new, 1 visiting, 2 done
	}
	var nodes []*typeNode
	byName := map[string][]*typeNode{}
	for _, d := range want.Domains {
		n := &typeNode{change: AddDomain{Domain: d}, key: key{d.Schema, d.Name}}
		if d.Type != nil {
			n.uses = []string{d.Type.String()}
		}
		nodes = append(nodes, n)
	}
	for _, t := range want.CompositeTypes {
		n := &typeNode{change: AddCompositeType{CompositeType: t}, key: key{t.Schema, t.Name}}
		for _, a := range t.Attributes {
			if a.Type != nil {
				n.uses = append(n.uses, a.Type.String())
			}
		}
		nodes = append(nodes, n)
	}
	for _, n := range nodes {
		name := strings.ToLower(n.key.name)
		byName[name] = append(byName[name], n)
	}
	var visit func(n *typeNode)
	visit = func(n *typeNode) {
		n.state = 1
		for _, sql := range n.uses {
			for _, word := range identifiers(sql) {
				for _, to := range byName[word] {
					if to != n && to.state == 0 {
						visit(to)
					}
				}
			}
		}
		n.state = 2
		if exists[n.key] {
			skipped = append(skipped, n.change.Object())
		} else {
			changes = append(changes, n.change)
		}
	}
	for _, n := range nodes {
		if n.state == 0 {
			visit(n)
		}
	}
	return changes, skipped
}

// DropCompositeType drops a composite type.
type DropCompositeType struct{ CompositeType metadata.CompositeType }

func (c DropCompositeType) Object() string {
	return AddCompositeType(c).Object()
}

func (DropCompositeType) isChange() {}

// ModifyCompositeType changes a composite type's attributes in place
// (ALTER TYPE), which keeps the values of the columns that use it: Drop
// are dropped (with their values), Add added at the end, and Retype, the
// kept attributes whose type or collation changed, altered (which
// PostgreSQL refuses while a column uses the type).
type ModifyCompositeType struct {
	From, To          metadata.CompositeType
	Drop, Add, Retype []metadata.Attribute
}

func (c ModifyCompositeType) Object() string {
	return AddCompositeType{CompositeType: c.To}.Object()
}

func (ModifyCompositeType) isChange() {}

// modifyInPlace returns the ModifyCompositeType that turns l into t, if
// ALTER TYPE can: the attributes l keeps come first in t, in the same
// order, and the new ones after them (ADD ATTRIBUTE appends).
func modifyInPlace(l, t *metadata.CompositeType) (ModifyCompositeType, bool) {
	m := ModifyCompositeType{From: *l, To: *t}
	declared := map[string]bool{}
	for _, a := range t.Attributes {
		declared[a.Name] = true
	}
	var kept []metadata.Attribute
	for _, a := range l.Attributes {
		if declared[a.Name] {
			kept = append(kept, a)
		} else {
			m.Drop = append(m.Drop, a)
		}
	}
	if len(kept) > len(t.Attributes) {
		return m, false
	}
	for i, a := range kept {
		if t.Attributes[i].Name != a.Name {
			return m, false
		}
		if keyOf(a) != keyOf(t.Attributes[i]) {
			m.Retype = append(m.Retype, t.Attributes[i])
		}
	}
	m.Add = t.Attributes[len(kept):]
	return m, true
}

// compositeTypes compares composite types. One whose attributes changed
// is altered in place when ALTER TYPE can make the change (see
// modifyInPlace), and otherwise dropped and created again: the type holds
// no rows of its own, and PostgreSQL refuses the drop while a column uses
// it, which the plan then reports rather than guess how to convert the
// column.
func (d *diffRun) compositeTypes() {
	key := func(t metadata.CompositeType) string { return metadata.ObjectKey(t.Schema, t.Name) }
	live := indexBy(d.from.CompositeTypes, key)
	want := indexBy(d.to.CompositeTypes, key)
	for _, t := range d.to.CompositeTypes {
		l := live[key(t)]
		if l == nil {
			d.types = append(d.types, AddCompositeType{CompositeType: t})
			continue
		}
		if keyOf(l.Attributes) != keyOf(t.Attributes) {
			m, ok := modifyInPlace(l, &t)
			if !ok {
				d.dropTypes = append(d.dropTypes, DropCompositeType{CompositeType: *l})
				d.types = append(d.types, AddCompositeType{CompositeType: t})
				continue
			}
			d.types = append(d.types, m)
		}
		if l.Comment != t.Comment {
			d.comments = append(d.comments, SetComment{Kind: "TYPE", Schema: t.Schema, Name: t.Name, From: l.Comment, To: t.Comment})
		}
	}
	for _, t := range d.from.CompositeTypes {
		if want[key(t)] == nil {
			d.drops = append(d.drops, DropCompositeType{CompositeType: t})
		}
	}
}
