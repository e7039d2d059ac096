// Package migrate computes what must change to bring a live database to a
// declared schema: a list of typed changes (AddTable, AddIndex, ...) that a
// dialect in package ddl turns into SQL. It holds no SQL and does no I/O.
//
// Today it plans create-all (add what is missing, in dependency order);
// diffing and applying migrations grow from the same change types.
package migrate

import "github.com/dbtool/dbtool/metadata"

// Change is one schema change. The set is closed: a type switch over it,
// in each dialect's planner, is the only place that needs to know them all.
type Change interface {
	// Object names what the change is about: `table "users"`.
	Object() string
	isChange()
}

// AddSchema creates a namespace.
type AddSchema struct{ Schema metadata.Schema }

// AddExtension creates an extension if it is not installed.
type AddExtension struct{ Extension metadata.Extension }

// AddEnum creates an enumerated type.
type AddEnum struct{ Enum metadata.Enum }

// AddDomain creates a domain.
type AddDomain struct{ Domain metadata.Domain }

// AddSequence creates a sequence, without its owner (see SetSequenceOwner),
// since a sequence must exist before the table whose default uses it.
type AddSequence struct{ Sequence metadata.Sequence }

// SetSequenceOwner ties a sequence to the column that owns it, once the
// table exists.
type SetSequenceOwner struct{ Sequence metadata.Sequence }

// AddFunction creates a function, procedure or aggregate.
type AddFunction struct{ Function metadata.Function }

// AddTable creates a table with its columns, keys, checks, comments,
// row-level security and policies, and then its indexes. The foreign keys
// listed in DeferredForeignKeys (indexes into Table.ForeignKeys) are left
// out: they close a cycle and are added afterwards by AddForeignKey.
type AddTable struct {
	Table               metadata.Table
	DeferredForeignKeys []int
}

// AddForeignKey adds a foreign key to an existing table (ALTER TABLE).
type AddForeignKey struct {
	Table      metadata.TableRef
	ForeignKey metadata.ForeignKey
}

// AddIndex creates an index on an existing table or materialized view.
type AddIndex struct {
	Table metadata.TableRef
	Index metadata.Index
}

// AddVirtualTable creates a SQLite virtual table.
type AddVirtualTable struct{ VirtualTable metadata.VirtualTable }

// AddView creates a view or materialized view, with a materialized view's
// indexes and the view's comment.
type AddView struct {
	View metadata.View
	// Grants are the privileges the view had before the plan dropped it
	// to create it again, granted again after it is created.
	Grants []Grant
}

// AddTrigger creates a trigger.
type AddTrigger struct{ Trigger metadata.Trigger }

func (c AddSchema) Object() string    { return "schema " + quote(c.Schema.Name) }
func (c AddExtension) Object() string { return "extension " + quote(c.Extension.Name) }
func (c AddEnum) Object() string      { return "enum " + qualified(c.Enum.Schema, c.Enum.Name) }
func (c AddDomain) Object() string    { return "domain " + qualified(c.Domain.Schema, c.Domain.Name) }
func (c AddSequence) Object() string {
	return "sequence " + qualified(c.Sequence.Schema, c.Sequence.Name)
}
func (c SetSequenceOwner) Object() string {
	return "sequence " + qualified(c.Sequence.Schema, c.Sequence.Name)
}
func (c AddFunction) Object() string {
	kind := c.Function.Kind
	if kind == "" {
		kind = "function"
	}
	return kind + " " + qualified(c.Function.Schema, c.Function.Name) + "(" + c.Function.Args + ")"
}
func (c AddTable) Object() string { return "table " + qualified(c.Table.Schema, c.Table.Name) }
func (c AddForeignKey) Object() string {
	return "foreign key " + constraintName(c.ForeignKey.Name, c.ForeignKey.Columns) + " on table " + qualified(c.Table.Schema, c.Table.Name)
}
func (c AddIndex) Object() string {
	return "index " + quote(c.Index.Name) + " on " + qualified(c.Table.Schema, c.Table.Name)
}
func (c AddVirtualTable) Object() string { return "virtual table " + quote(c.VirtualTable.Name) }
func (c AddView) Object() string {
	kind := "view "
	if c.View.Materialized {
		kind = "materialized view "
	}
	return kind + qualified(c.View.Schema, c.View.Name)
}
func (c AddTrigger) Object() string {
	return "trigger " + quote(c.Trigger.Name) + " on " + qualified(c.Trigger.Schema, c.Trigger.Table)
}

func (AddSchema) isChange()        {}
func (AddExtension) isChange()     {}
func (AddEnum) isChange()          {}
func (AddDomain) isChange()        {}
func (AddSequence) isChange()      {}
func (SetSequenceOwner) isChange() {}
func (AddFunction) isChange()      {}
func (AddTable) isChange()         {}
func (AddForeignKey) isChange()    {}
func (AddIndex) isChange()         {}
func (AddVirtualTable) isChange()  {}
func (AddView) isChange()          {}
func (AddTrigger) isChange()       {}

// quote writes a name for a message, escaping what it contains.
func quote(name string) string { return metadata.QuoteName(name) }

// qualified names an object for a message, each part quoted.
func qualified(schema, name string) string { return metadata.QualifiedName(schema, name) }
