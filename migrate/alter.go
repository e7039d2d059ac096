package migrate

import (
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// The changes of a migration, beyond what create-all adds: drops, renames
// and modifications of every object kind the model holds. Each is plain
// data; the dialect in package ddl writes its SQL.

// DropSchema drops a namespace (it must be empty by then).
type DropSchema struct{ Schema metadata.Schema }

// DropExtension drops an extension.
type DropExtension struct{ Extension metadata.Extension }

// DropEnum drops an enumerated type.
type DropEnum struct{ Enum metadata.Enum }

// AddEnumValue adds one value to an enum at its declared position: before
// the value Before, or after the value After, or at the end when both are
// empty. PostgreSQL cannot use the new value in the transaction that adds
// it.
type AddEnumValue struct {
	Enum          metadata.Enum // the enum as it will be
	Value         string
	Before, After string
}

// RenameEnumValue renames a value of an enum (ALTER TYPE ... RENAME VALUE).
type RenameEnumValue struct {
	Enum     metadata.Enum // the enum as it will be
	From, To string
}

// RecreateEnum replaces an enum whose values were removed or reordered,
// which PostgreSQL cannot do in place: the type is recreated and Columns,
// the columns of it or of arrays of it, are converted through text. A row
// holding a removed value makes the conversion fail.
type RecreateEnum struct {
	From, To metadata.Enum
	Columns  []ColumnRef
}

// ColumnRef names a column of a table.
type ColumnRef struct {
	Table  metadata.TableRef
	Column string
	// Dims is, for a column of a RecreateEnum, the array dimensions it
	// was declared with (0: the enum itself, 1: an array of it, ...).
	Dims int
}

// RecreateDomain replaces a domain whose base type or collation changed,
// which PostgreSQL cannot do in place: the old domain is renamed aside,
// the new one created under the name, Columns (of the domain or of arrays
// of it) converted to it through the new base type, and the old one
// dropped. A value the new type does not hold, or its checks refuse, makes
// the conversion fail.
type RecreateDomain struct {
	From, To metadata.Domain
	Columns  []ColumnRef
}

// DropDomain drops a domain.
type DropDomain struct{ Domain metadata.Domain }

// ModifyDomain changes a domain's default, NOT NULL, checks or comment in
// place (ALTER DOMAIN). Its base type cannot change in place.
type ModifyDomain struct{ From, To metadata.Domain }

// DropSequence drops a standalone sequence.
type DropSequence struct{ Sequence metadata.Sequence }

// ModifySequence changes a sequence's options or owner (ALTER SEQUENCE).
type ModifySequence struct{ From, To metadata.Sequence }

// DropFunction drops a function, procedure or aggregate.
type DropFunction struct{ Function metadata.Function }

// ReplaceFunction replaces a function's definition (CREATE OR REPLACE).
type ReplaceFunction struct{ From, To metadata.Function }

// DropTable drops a table and every row in it.
type DropTable struct{ Table metadata.Table }

// RenameTable renames a table (and may move it to another namespace).
// The table's other changes follow in a ModifyTable under its new name.
type RenameTable struct {
	From, To metadata.TableRef
	// Autoincrement lists the table's autoincrement columns by their live
	// names: a dialect that names the sequence behind such a column after
	// its table renames the sequence too, so that the renamed table reads
	// back as one created under its new name.
	Autoincrement []string
}

// ModifyTable changes an existing table. From and To are the whole table
// before and after, so that a dialect that cannot alter in place (SQLite)
// rebuilds it from To; Changes are the alterations one by one, in order,
// for a dialect that can. Foreign keys and indexes are not among them:
// they are changes of their own (AddForeignKey, DropIndex, ...), since
// they order against other tables, but To holds them too.
type ModifyTable struct {
	From, To metadata.Table
	Changes  []TableChange
}

// DropForeignKey drops a foreign key from a table that stays.
type DropForeignKey struct {
	Table      metadata.TableRef
	ForeignKey metadata.ForeignKey
}

// DropIndex drops an index of a table or materialized view that stays.
type DropIndex struct {
	Table metadata.TableRef
	Index metadata.Index
}

// RenameIndex renames an index whose definition is unchanged.
type RenameIndex struct {
	Table    metadata.TableRef
	From, To string
}

// DropVirtualTable drops a SQLite virtual table and its content.
type DropVirtualTable struct{ VirtualTable metadata.VirtualTable }

// DropView drops a view or materialized view. Views that select from it
// are dropped before it and created again after.
type DropView struct{ View metadata.View }

// ReplaceView gives a view a new query in place (PostgreSQL's CREATE OR
// REPLACE VIEW). The diff makes one instead of a DropView and an AddView
// when the server's descriptions of the view before and after
// (ViewShapes) keep every column's name, type and collation, new columns
// at the end aside; the views that select from it and its triggers are
// then left alone.
type ReplaceView struct{ View metadata.View }

// DropTrigger drops a trigger.
type DropTrigger struct{ Trigger metadata.Trigger }

// SetComment sets or removes (To "") the comment of an object that has no
// modification of its own: a schema, an enum, a view, a trigger, an index.
type SetComment struct {
	// Kind is the object's kind as SQL names it: "SCHEMA", "TYPE",
	// "VIEW", "MATERIALIZED VIEW", "TRIGGER", "INDEX", "FUNCTION".
	Kind string
	// Schema and Name name the object; Table is set for a trigger.
	Schema, Name, Table string
	// Args are a function's identity arguments.
	Args     string
	From, To string
}

func (c DropSchema) Object() string    { return "schema " + quote(c.Schema.Name) }
func (c DropExtension) Object() string { return "extension " + quote(c.Extension.Name) }
func (c DropEnum) Object() string      { return "enum " + qualified(c.Enum.Schema, c.Enum.Name) }
func (c AddEnumValue) Object() string {
	return "value " + quote(c.Value) + " of enum " + qualified(c.Enum.Schema, c.Enum.Name)
}
func (c RenameEnumValue) Object() string {
	return "value " + quote(c.From) + " of enum " + qualified(c.Enum.Schema, c.Enum.Name)
}
func (c RecreateEnum) Object() string { return "enum " + qualified(c.To.Schema, c.To.Name) }
func (c RecreateDomain) Object() string {
	return "domain " + qualified(c.To.Schema, c.To.Name)
}
func (c DropDomain) Object() string   { return "domain " + qualified(c.Domain.Schema, c.Domain.Name) }
func (c ModifyDomain) Object() string { return "domain " + qualified(c.To.Schema, c.To.Name) }
func (c DropSequence) Object() string {
	return "sequence " + qualified(c.Sequence.Schema, c.Sequence.Name)
}
func (c ModifySequence) Object() string { return "sequence " + qualified(c.To.Schema, c.To.Name) }
func (c DropFunction) Object() string   { return functionObject(c.Function) }
func (c ReplaceFunction) Object() string {
	return functionObject(c.To)
}
func (c DropTable) Object() string   { return "table " + qualified(c.Table.Schema, c.Table.Name) }
func (c RenameTable) Object() string { return "table " + qualified(c.From.Schema, c.From.Name) }
func (c ModifyTable) Object() string { return "table " + qualified(c.To.Schema, c.To.Name) }
func (c DropForeignKey) Object() string {
	return "foreign key " + constraintName(c.ForeignKey.Name, c.ForeignKey.Columns) + " on table " + qualified(c.Table.Schema, c.Table.Name)
}
func (c DropIndex) Object() string {
	return "index " + quote(c.Index.Name) + " on " + qualified(c.Table.Schema, c.Table.Name)
}
func (c RenameIndex) Object() string {
	return "index " + quote(c.From) + " on " + qualified(c.Table.Schema, c.Table.Name)
}
func (c DropVirtualTable) Object() string { return "virtual table " + quote(c.VirtualTable.Name) }
func (c DropView) Object() string         { return AddView{View: c.View}.Object() }
func (c ReplaceView) Object() string      { return AddView{View: c.View}.Object() }
func (c DropTrigger) Object() string      { return AddTrigger(c).Object() }
func (c SetComment) Object() string {
	obj := strings.ToLower(c.Kind) + " " + qualified(c.Schema, c.Name)
	if c.Table != "" {
		obj += " on " + qualified(c.Schema, c.Table)
	}
	return obj
}

func functionObject(f metadata.Function) string { return AddFunction{Function: f}.Object() }

func (DropSchema) isChange()       {}
func (DropExtension) isChange()    {}
func (DropEnum) isChange()         {}
func (AddEnumValue) isChange()     {}
func (RenameEnumValue) isChange()  {}
func (RecreateEnum) isChange()     {}
func (RecreateDomain) isChange()   {}
func (DropDomain) isChange()       {}
func (ModifyDomain) isChange()     {}
func (DropSequence) isChange()     {}
func (ModifySequence) isChange()   {}
func (DropFunction) isChange()     {}
func (ReplaceFunction) isChange()  {}
func (DropTable) isChange()        {}
func (RenameTable) isChange()      {}
func (ModifyTable) isChange()      {}
func (DropForeignKey) isChange()   {}
func (DropIndex) isChange()        {}
func (RenameIndex) isChange()      {}
func (DropVirtualTable) isChange() {}
func (DropView) isChange()         {}
func (ReplaceView) isChange()      {}
func (DropTrigger) isChange()      {}
func (SetComment) isChange()       {}

// TableChange is one alteration inside a ModifyTable. The set is closed.
type TableChange interface {
	// Object names what the alteration is about: `column "email"`.
	Object() string
	isTableChange()
}

// AddColumn adds a column.
type AddColumn struct{ Column metadata.Column }

// DropColumn drops a column and its values.
type DropColumn struct{ Column metadata.Column }

// RenameColumn renames a column; a ModifyColumn under the new name may
// follow.
type RenameColumn struct{ From, To string }

// ColumnChange is the set of a column's properties that a ModifyColumn
// changes.
type ColumnChange uint16

// The properties of a column that can change in place.
const (
	ChangeType ColumnChange = 1 << iota
	ChangeNullable
	ChangeDefault
	ChangeAutoincrement
	ChangeIdentity
	ChangeGenerated
	ChangeCollation
	ChangeComment
)

// Has reports whether every property in o is in c.
func (c ColumnChange) Has(o ColumnChange) bool { return c&o == o }

// String lists the changed properties: "type, nullable".
func (c ColumnChange) String() string {
	names := []string{"type", "nullable", "default", "autoincrement", "identity", "generated", "collation", "comment"}
	var out []string
	for i, n := range names {
		if c&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return strings.Join(out, ", ")
}

// ModifyColumn changes a column in place.
type ModifyColumn struct {
	From, To metadata.Column
	Change   ColumnChange
}

// SetPrimaryKey replaces the primary key: From is dropped (when not nil)
// and To added (when not nil).
type SetPrimaryKey struct{ From, To *metadata.PrimaryKey }

// AddUnique adds a unique constraint.
type AddUnique struct{ Unique metadata.Unique }

// DropUnique drops a unique constraint.
type DropUnique struct{ Unique metadata.Unique }

// AddCheck adds a check constraint.
type AddCheck struct{ Check metadata.Check }

// DropCheck drops a check constraint.
type DropCheck struct{ Check metadata.Check }

// AddExclusion adds a PostgreSQL exclusion constraint.
type AddExclusion struct{ Exclusion metadata.Exclusion }

// DropExclusion drops an exclusion constraint.
type DropExclusion struct{ Exclusion metadata.Exclusion }

// RenameConstraint renames a constraint whose definition is unchanged.
type RenameConstraint struct{ From, To string }

// SetTableComment sets or removes (To "") the table's comment.
type SetTableComment struct{ From, To string }

// SetRowLevelSecurity turns PostgreSQL row-level security (and its FORCE
// form) on or off.
type SetRowLevelSecurity struct{ Enable, Force bool }

// AddPolicy adds a row-level security policy.
type AddPolicy struct{ Policy metadata.Policy }

// DropPolicy drops a row-level security policy.
type DropPolicy struct{ Policy metadata.Policy }

// AttachPartition attaches the table to a partitioned parent.
type AttachPartition struct{ PartitionOf metadata.PartitionOf }

// DetachPartition detaches the table from its partitioned parent.
type DetachPartition struct{ PartitionOf metadata.PartitionOf }

func (c AddColumn) Object() string    { return "column " + quote(c.Column.Name) }
func (c DropColumn) Object() string   { return "column " + quote(c.Column.Name) }
func (c RenameColumn) Object() string { return "column " + quote(c.From) }
func (c ModifyColumn) Object() string { return "column " + quote(c.To.Name) }
func (c SetPrimaryKey) Object() string {
	if c.To != nil {
		return "primary key " + quote(strings.Join(c.To.Columns, ", "))
	}
	return "primary key " + quote(c.From.Name)
}
func (c AddUnique) Object() string {
	return "unique " + constraintName(c.Unique.Name, c.Unique.Columns)
}
func (c DropUnique) Object() string {
	return "unique " + constraintName(c.Unique.Name, c.Unique.Columns)
}
func (c AddCheck) Object() string {
	return "check " + constraintName(c.Check.Name, []string{c.Check.Expr})
}
func (c DropCheck) Object() string {
	return "check " + constraintName(c.Check.Name, []string{c.Check.Expr})
}
func (c AddExclusion) Object() string        { return "exclusion " + quote(c.Exclusion.Name) }
func (c DropExclusion) Object() string       { return "exclusion " + quote(c.Exclusion.Name) }
func (c RenameConstraint) Object() string    { return "constraint " + quote(c.From) }
func (c SetTableComment) Object() string     { return "comment" }
func (c SetRowLevelSecurity) Object() string { return "row-level security" }
func (c AddPolicy) Object() string           { return "policy " + quote(c.Policy.Name) }
func (c DropPolicy) Object() string          { return "policy " + quote(c.Policy.Name) }
func (c AttachPartition) Object() string {
	return "partition of " + qualified(c.PartitionOf.Parent.Schema, c.PartitionOf.Parent.Name)
}
func (c DetachPartition) Object() string {
	return "partition of " + qualified(c.PartitionOf.Parent.Schema, c.PartitionOf.Parent.Name)
}

// constraintName names a constraint by its name, or by its definition
// when it has none.
func constraintName(name string, def []string) string {
	if name != "" {
		return quote(name)
	}
	return "(" + strings.Join(def, ", ") + ")"
}

func (AddColumn) isTableChange()           {}
func (DropColumn) isTableChange()          {}
func (RenameColumn) isTableChange()        {}
func (ModifyColumn) isTableChange()        {}
func (SetPrimaryKey) isTableChange()       {}
func (AddUnique) isTableChange()           {}
func (DropUnique) isTableChange()          {}
func (AddCheck) isTableChange()            {}
func (DropCheck) isTableChange()           {}
func (AddExclusion) isTableChange()        {}
func (DropExclusion) isTableChange()       {}
func (RenameConstraint) isTableChange()    {}
func (SetTableComment) isTableChange()     {}
func (SetRowLevelSecurity) isTableChange() {}
func (AddPolicy) isTableChange()           {}
func (DropPolicy) isTableChange()          {}
func (AttachPartition) isTableChange()     {}
func (DetachPartition) isTableChange()     {}
