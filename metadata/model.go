package metadata

// MetaData is a whole declared (or reflected) schema: everything dbtool
// creates, inspects and, later, migrates. The lists keep their order; the
// order of Tables is the order a schema file declared them in, not the order
// they are created in (see CreationOrder).
type MetaData struct {
	// Extensions are PostgreSQL extensions the schema needs.
	Extensions []Extension `yaml:"extensions,omitempty" json:"extensions,omitempty"`
	// Schemas are PostgreSQL namespaces created besides the default one.
	Schemas []Schema `yaml:"schemas,omitempty" json:"schemas,omitempty"`
	// Enums are PostgreSQL enumerated types.
	Enums []Enum `yaml:"enums,omitempty" json:"enums,omitempty"`
	// Domains are PostgreSQL domains: a base type with constraints.
	Domains []Domain `yaml:"domains,omitempty" json:"domains,omitempty"`
	// CompositeTypes are PostgreSQL composite types (CREATE TYPE ... AS
	// (...)), used as column types.
	CompositeTypes []CompositeType `yaml:"composite_types,omitempty" json:"composite_types,omitempty"`
	// Sequences are standalone sequences (not those behind serial columns).
	Sequences []Sequence `yaml:"sequences,omitempty" json:"sequences,omitempty"`
	// Functions are functions, procedures and aggregates, kept whole.
	Functions []Function `yaml:"functions,omitempty" json:"functions,omitempty"`
	// Tables are the ordinary, partitioned and partition tables.
	Tables []Table `yaml:"tables,omitempty" json:"tables,omitempty"`
	// VirtualTables are SQLite virtual tables (FTS5 and the like).
	VirtualTables []VirtualTable `yaml:"virtual_tables,omitempty" json:"virtual_tables,omitempty"`
	// Views are views and materialized views.
	Views []View `yaml:"views,omitempty" json:"views,omitempty"`
	// Triggers are triggers on tables or views, kept whole.
	Triggers []Trigger `yaml:"triggers,omitempty" json:"triggers,omitempty"`
}

// Extension is a PostgreSQL extension (CREATE EXTENSION IF NOT EXISTS).
type Extension struct {
	Name string `yaml:"name" json:"name"`
	// Schema is where the extension's objects go; empty for the default.
	Schema string `yaml:"schema,omitempty" json:"schema,omitempty"`
}

// Schema is a PostgreSQL namespace.
type Schema struct {
	Name    string `yaml:"name" json:"name"`
	Comment string `yaml:"comment,omitempty" json:"comment,omitempty"`
}

// Enum is a PostgreSQL enumerated type (CREATE TYPE ... AS ENUM).
type Enum struct {
	Schema  string   `yaml:"schema,omitempty" json:"schema,omitempty"`
	Name    string   `yaml:"name" json:"name"`
	Values  []string `yaml:"values" json:"values"`
	Comment string   `yaml:"comment,omitempty" json:"comment,omitempty"`
	// RenamedValues are values renamed since, for migrations: a migration
	// renames the value in place rather than drop it and add another.
	RenamedValues []EnumValueRename `yaml:"renamed_values,omitempty" json:"renamed_values,omitempty"`
}

// EnumValueRename is an enum value's rename: Value had the name From.
type EnumValueRename struct {
	Value string `yaml:"value" json:"value"`
	From  string `yaml:"from" json:"from"`
}

// Domain is a PostgreSQL domain: a named base type with a default, NOT NULL
// and check constraints.
type Domain struct {
	Schema    string  `yaml:"schema,omitempty" json:"schema,omitempty"`
	Name      string  `yaml:"name" json:"name"`
	Type      Type    `yaml:"type" json:"type"`
	NotNull   bool    `yaml:"not_null,omitempty" json:"not_null,omitempty"`
	Default   Default `yaml:"default,omitempty" json:"default,omitempty"`
	Collation string  `yaml:"collation,omitempty" json:"collation,omitempty"`
	Checks    []Check `yaml:"checks,omitempty" json:"checks,omitempty"`
	Comment   string  `yaml:"comment,omitempty" json:"comment,omitempty"`
}

// CompositeType is a PostgreSQL composite type: a named row of
// attributes (CREATE TYPE name AS (a integer, b text)).
type CompositeType struct {
	Schema string `yaml:"schema,omitempty" json:"schema,omitempty"`
	Name   string `yaml:"name" json:"name"`
	// Attributes may be none: PostgreSQL allows an empty composite type.
	Attributes []Attribute `yaml:"attributes,omitempty" json:"attributes,omitempty"`
	Comment    string      `yaml:"comment,omitempty" json:"comment,omitempty"`
}

// Attribute is one attribute (field) of a composite type.
type Attribute struct {
	Name      string `yaml:"name" json:"name"`
	Type      Type   `yaml:"type" json:"type"`
	Collation string `yaml:"collation,omitempty" json:"collation,omitempty"`
}

// Sequence is a standalone sequence. Nil numbers take the database's default.
type Sequence struct {
	Schema string `yaml:"schema,omitempty" json:"schema,omitempty"`
	Name   string `yaml:"name" json:"name"`
	// Type is smallint, integer or bigint; nil for the default (bigint).
	Type      Type   `yaml:"type,omitempty" json:"type,omitempty"`
	Start     *int64 `yaml:"start,omitempty" json:"start,omitempty"`
	Increment *int64 `yaml:"increment,omitempty" json:"increment,omitempty"`
	MinValue  *int64 `yaml:"min_value,omitempty" json:"min_value,omitempty"`
	MaxValue  *int64 `yaml:"max_value,omitempty" json:"max_value,omitempty"`
	Cache     *int64 `yaml:"cache,omitempty" json:"cache,omitempty"`
	Cycle     bool   `yaml:"cycle,omitempty" json:"cycle,omitempty"`
	// OwnedBy is the column that owns the sequence, as "table.column" or
	// "schema.table.column"; empty for none.
	OwnedBy string `yaml:"owned_by,omitempty" json:"owned_by,omitempty"`
	Comment string `yaml:"comment,omitempty" json:"comment,omitempty"`
}

// Function is a function, procedure or aggregate, kept as its whole
// definition as the database prints it (for PostgreSQL, pg_get_functiondef).
type Function struct {
	Schema string `yaml:"schema,omitempty" json:"schema,omitempty"`
	Name   string `yaml:"name" json:"name"`
	// Args are the identity arguments ("integer, text"): overloads share a
	// name and differ here.
	Args string `yaml:"args,omitempty" json:"args,omitempty"`
	// Kind is "function" (the default), "procedure" or "aggregate".
	Kind       string `yaml:"kind,omitempty" json:"kind,omitempty"`
	Definition string `yaml:"definition" json:"definition"`
	Comment    string `yaml:"comment,omitempty" json:"comment,omitempty"`
}

// Table is a table: ordinary, partitioned, or a partition of another.
type Table struct {
	// Schema is the namespace; empty for the connection's default one
	// (PostgreSQL's first search_path entry, SQLite's main).
	Schema  string   `yaml:"schema,omitempty" json:"schema,omitempty"`
	Name    string   `yaml:"name" json:"name"`
	Columns []Column `yaml:"columns" json:"columns"`
	// PrimaryKey is nil for a table without one.
	PrimaryKey  *PrimaryKey  `yaml:"primary_key,omitempty" json:"primary_key,omitempty"`
	ForeignKeys []ForeignKey `yaml:"foreign_keys,omitempty" json:"foreign_keys,omitempty"`
	Uniques     []Unique     `yaml:"uniques,omitempty" json:"uniques,omitempty"`
	Checks      []Check      `yaml:"checks,omitempty" json:"checks,omitempty"`
	// Exclusions are PostgreSQL exclusion constraints.
	Exclusions []Exclusion `yaml:"exclusions,omitempty" json:"exclusions,omitempty"`
	Indexes    []Index     `yaml:"indexes,omitempty" json:"indexes,omitempty"`
	Comment    string      `yaml:"comment,omitempty" json:"comment,omitempty"`

	// WithoutRowID marks a SQLite WITHOUT ROWID table.
	WithoutRowID bool `yaml:"without_rowid,omitempty" json:"without_rowid,omitempty"`
	// Strict marks a SQLite STRICT table.
	Strict bool `yaml:"strict,omitempty" json:"strict,omitempty"`

	// PartitionBy is a PostgreSQL partitioned table's key as the server
	// prints it: "RANGE (created_at)", "LIST (region)", "HASH (id)".
	PartitionBy string `yaml:"partition_by,omitempty" json:"partition_by,omitempty"`
	// PartitionOf makes this table a partition of another.
	PartitionOf *PartitionOf `yaml:"partition_of,omitempty" json:"partition_of,omitempty"`
	// Inherits lists the parents of a PostgreSQL table using INHERITS.
	Inherits []TableRef `yaml:"inherits,omitempty" json:"inherits,omitempty"`
	// RowLevelSecurity enables PostgreSQL row-level security on the table;
	// ForceRowLevelSecurity applies it to the owner too.
	RowLevelSecurity      bool     `yaml:"row_level_security,omitempty" json:"row_level_security,omitempty"`
	ForceRowLevelSecurity bool     `yaml:"force_row_level_security,omitempty" json:"force_row_level_security,omitempty"`
	Policies              []Policy `yaml:"policies,omitempty" json:"policies,omitempty"`

	// RenamedFrom is the name the table had before, for migrations.
	RenamedFrom string `yaml:"renamed_from,omitempty" json:"renamed_from,omitempty"`
}

// Ref returns the reference that names the table.
func (t *Table) Ref() TableRef { return TableRef{Schema: t.Schema, Name: t.Name} }

// Column returns the named column, or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// TableRef names a table (or view) by its schema and name.
type TableRef struct {
	Schema string `yaml:"schema,omitempty" json:"schema,omitempty"`
	Name   string `yaml:"table" json:"table"`
}

// String returns "schema.name", or "name" in the default schema.
func (r TableRef) String() string {
	if r.Schema == "" {
		return r.Name
	}
	return r.Schema + "." + r.Name
}

// PartitionOf attaches a table to its partitioned parent.
type PartitionOf struct {
	Parent TableRef `yaml:"parent" json:"parent"`
	// Bound is the partition bound as the server prints it:
	// "FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')" or "DEFAULT".
	Bound string `yaml:"bound" json:"bound"`
}

// Column is a table column.
type Column struct {
	Name string `yaml:"name" json:"name"`
	Type Type   `yaml:"type" json:"type"`
	// Nullable is true unless the column is NOT NULL. Schema files default
	// it to true, and to false for primary-key columns.
	Nullable bool `yaml:"nullable" json:"nullable"`
	// Default is the server-side default; nil for none.
	Default Default `yaml:"default,omitempty" json:"default,omitempty"`
	// Autoincrement marks a column whose values the database generates:
	// SQLite's AUTOINCREMENT, PostgreSQL's serial types. Schema files
	// default it to true for a primary key of one integer column (see
	// AutoincrementByDefault).
	Autoincrement bool `yaml:"autoincrement,omitempty" json:"autoincrement,omitempty"`
	// Identity marks a PostgreSQL identity column.
	Identity *Identity `yaml:"identity,omitempty" json:"identity,omitempty"`
	// Generated marks a generated (computed) column.
	Generated *Generated `yaml:"generated,omitempty" json:"generated,omitempty"`
	Collation string     `yaml:"collation,omitempty" json:"collation,omitempty"`
	// NotNullOnConflict is what SQLite does when an insert or update
	// breaks the column's NOT NULL: NOT NULL ON CONFLICT REPLACE and the
	// like. Empty for the default; only for a column that is not
	// nullable.
	NotNullOnConflict ConflictAction `yaml:"not_null_on_conflict,omitempty" json:"not_null_on_conflict,omitempty"`
	Comment           string         `yaml:"comment,omitempty" json:"comment,omitempty"`
	// RenamedFrom is the name the column had before, for migrations.
	RenamedFrom string `yaml:"renamed_from,omitempty" json:"renamed_from,omitempty"`
}

// Identity is a PostgreSQL identity column's generation.
type Identity struct {
	// Always is GENERATED ALWAYS; false is GENERATED BY DEFAULT.
	Always    bool   `yaml:"always,omitempty" json:"always,omitempty"`
	Start     *int64 `yaml:"start,omitempty" json:"start,omitempty"`
	Increment *int64 `yaml:"increment,omitempty" json:"increment,omitempty"`
}

// Generated is a generated column's expression.
type Generated struct {
	Expr string `yaml:"expr" json:"expr"`
	// Stored is true for STORED, false for VIRTUAL (SQLite only).
	Stored bool `yaml:"stored,omitempty" json:"stored,omitempty"`
}

// PrimaryKey is a table's primary key, of one column or several.
type PrimaryKey struct {
	// Name is empty for the database's default name.
	Name    string   `yaml:"name,omitempty" json:"name,omitempty"`
	Columns []string `yaml:"columns" json:"columns"`
	// ColumnOptions give some of Columns a collation or a descending
	// order inside the key (SQLite: PRIMARY KEY (a COLLATE NOCASE DESC)).
	ColumnOptions []KeyColumnOption `yaml:"column_options,omitempty" json:"column_options,omitempty"`
	// OnConflict is what SQLite does when a row breaks the key.
	OnConflict ConflictAction `yaml:"on_conflict,omitempty" json:"on_conflict,omitempty"`
}

// KeyColumnOption is what a primary key or unique constraint says of one
// of its columns besides its name (SQLite only).
type KeyColumnOption struct {
	Column string `yaml:"column" json:"column"`
	// Collation compares the column's values in the key; empty for the
	// column's own.
	Collation string `yaml:"collation,omitempty" json:"collation,omitempty"`
	Desc      bool   `yaml:"desc,omitempty" json:"desc,omitempty"`
}

// ConflictAction is SQLite's ON CONFLICT clause on a NOT NULL, primary
// key or unique constraint: how a statement that breaks the constraint
// ends. The empty action is the default, ABORT.
type ConflictAction string

// The conflict actions.
const (
	ConflictRollback ConflictAction = "rollback"
	ConflictAbort    ConflictAction = "abort"
	ConflictFail     ConflictAction = "fail"
	ConflictIgnore   ConflictAction = "ignore"
	ConflictReplace  ConflictAction = "replace"
)

// ConflictActions are the valid non-empty conflict actions.
var ConflictActions = []ConflictAction{ConflictRollback, ConflictAbort, ConflictFail, ConflictIgnore, ConflictReplace}

// Option returns the option given for the named key column, or the zero
// option (the column's own collation, ascending).
func (pk *PrimaryKey) Option(column string) KeyColumnOption {
	return keyOption(pk.ColumnOptions, column)
}

func keyOption(opts []KeyColumnOption, column string) KeyColumnOption {
	for _, o := range opts {
		if o.Column == column {
			return o
		}
	}
	return KeyColumnOption{Column: column}
}

// ReferentialAction is what a foreign key does ON DELETE or ON UPDATE.
type ReferentialAction string

// The referential actions. The empty action is the database's default,
// NO ACTION.
const (
	NoAction   ReferentialAction = ""
	Restrict   ReferentialAction = "restrict"
	Cascade    ReferentialAction = "cascade"
	SetNull    ReferentialAction = "set null"
	SetDefault ReferentialAction = "set default"
)

// ForeignKey is a foreign-key constraint, of one column or several.
type ForeignKey struct {
	Name       string            `yaml:"name,omitempty" json:"name,omitempty"`
	Columns    []string          `yaml:"columns" json:"columns"`
	References ForeignKeyTarget  `yaml:"references" json:"references"`
	OnDelete   ReferentialAction `yaml:"on_delete,omitempty" json:"on_delete,omitempty"`
	OnUpdate   ReferentialAction `yaml:"on_update,omitempty" json:"on_update,omitempty"`
	// Deferrable and InitiallyDeferred set when the constraint is checked.
	Deferrable        bool `yaml:"deferrable,omitempty" json:"deferrable,omitempty"`
	InitiallyDeferred bool `yaml:"initially_deferred,omitempty" json:"initially_deferred,omitempty"`
	// Match is "" (SIMPLE, the default), "full" or "partial".
	Match string `yaml:"match,omitempty" json:"match,omitempty"`
	// NotValid marks a PostgreSQL constraint added NOT VALID: rows that
	// were there when it was added are not checked, new rows are.
	NotValid bool `yaml:"not_valid,omitempty" json:"not_valid,omitempty"`
}

// ForeignKeyTarget is the referenced side of a foreign key.
type ForeignKeyTarget struct {
	Schema  string   `yaml:"schema,omitempty" json:"schema,omitempty"`
	Table   string   `yaml:"table" json:"table"`
	Columns []string `yaml:"columns" json:"columns"`
}

// Ref returns the referenced table.
func (t ForeignKeyTarget) Ref() TableRef { return TableRef{Schema: t.Schema, Name: t.Table} }

// Unique is a unique constraint.
type Unique struct {
	Name    string   `yaml:"name,omitempty" json:"name,omitempty"`
	Columns []string `yaml:"columns" json:"columns"`
	// NullsNotDistinct treats NULLs as equal (PostgreSQL 15+).
	NullsNotDistinct bool `yaml:"nulls_not_distinct,omitempty" json:"nulls_not_distinct,omitempty"`
	// ColumnOptions and OnConflict are as a primary key's (SQLite only).
	ColumnOptions []KeyColumnOption `yaml:"column_options,omitempty" json:"column_options,omitempty"`
	OnConflict    ConflictAction    `yaml:"on_conflict,omitempty" json:"on_conflict,omitempty"`
}

// Option returns the option given for the named key column, or the zero
// option.
func (u *Unique) Option(column string) KeyColumnOption {
	return keyOption(u.ColumnOptions, column)
}

// Check is a check constraint; Expr is its SQL boolean expression.
type Check struct {
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	Expr string `yaml:"expr" json:"expr"`
	// NotValid marks a PostgreSQL constraint added NOT VALID (see
	// ForeignKey.NotValid).
	NotValid bool `yaml:"not_valid,omitempty" json:"not_valid,omitempty"`
}

// Exclusion is a PostgreSQL exclusion constraint, kept as the server prints
// it after the constraint name: "EXCLUDE USING gist (room WITH =, during WITH &&)".
type Exclusion struct {
	Name       string `yaml:"name,omitempty" json:"name,omitempty"`
	Definition string `yaml:"definition" json:"definition"`
}

// Index is an index on a table (or a materialized view).
type Index struct {
	Name   string `yaml:"name" json:"name"`
	Unique bool   `yaml:"unique,omitempty" json:"unique,omitempty"`
	// Method is the access method: "" for the default (btree), "hash",
	// "gin", "gist", "brin", ...
	Method string `yaml:"method,omitempty" json:"method,omitempty"`
	// Parts are the indexed columns or expressions, in order. A schema
	// file writes them under "columns:", a plain name for a bare column.
	Parts []IndexPart `yaml:"columns" json:"columns"`
	// Include lists the non-key columns of a covering index.
	Include []string `yaml:"include,omitempty" json:"include,omitempty"`
	// Where is a partial index's predicate.
	Where   string `yaml:"where,omitempty" json:"where,omitempty"`
	Comment string `yaml:"comment,omitempty" json:"comment,omitempty"`
}

// IndexPart is one key of an index: a column or an expression.
type IndexPart struct {
	// Column and Expr: exactly one is set.
	Column string `yaml:"column,omitempty" json:"column,omitempty"`
	Expr   string `yaml:"expr,omitempty" json:"expr,omitempty"`
	Desc   bool   `yaml:"desc,omitempty" json:"desc,omitempty"`
	// Nulls is "" for the default order, "first" or "last".
	Nulls     string `yaml:"nulls,omitempty" json:"nulls,omitempty"`
	Collation string `yaml:"collation,omitempty" json:"collation,omitempty"`
	// OpClass is a PostgreSQL operator class ("text_pattern_ops").
	OpClass string `yaml:"opclass,omitempty" json:"opclass,omitempty"`
}

// Policy is a PostgreSQL row-level security policy.
type Policy struct {
	Name string `yaml:"name" json:"name"`
	// Command is "all" (the default, written ""), "select", "insert",
	// "update" or "delete".
	Command string `yaml:"command,omitempty" json:"command,omitempty"`
	// Restrictive is AS RESTRICTIVE; false is the default PERMISSIVE.
	Restrictive bool `yaml:"restrictive,omitempty" json:"restrictive,omitempty"`
	// Roles defaults to PUBLIC when empty.
	Roles     []string `yaml:"roles,omitempty" json:"roles,omitempty"`
	Using     string   `yaml:"using,omitempty" json:"using,omitempty"`
	WithCheck string   `yaml:"with_check,omitempty" json:"with_check,omitempty"`
}

// VirtualTable is a SQLite virtual table. Its module arguments are kept
// verbatim; the shadow tables a module creates are its own business.
type VirtualTable struct {
	Name string `yaml:"name" json:"name"`
	// Using is the module and its arguments: "fts5(title, body)".
	Using string `yaml:"using" json:"using"`
}

// View is a view or a PostgreSQL materialized view.
type View struct {
	Schema string `yaml:"schema,omitempty" json:"schema,omitempty"`
	Name   string `yaml:"name" json:"name"`
	// Columns optionally names the view's columns (CREATE VIEW v(a, b)).
	Columns []string `yaml:"columns,omitempty" json:"columns,omitempty"`
	// Definition is the query, without CREATE VIEW ... AS.
	Definition   string `yaml:"definition" json:"definition"`
	Materialized bool   `yaml:"materialized,omitempty" json:"materialized,omitempty"`
	// CheckOption is "", "local" or "cascaded" (WITH ... CHECK OPTION).
	CheckOption string `yaml:"check_option,omitempty" json:"check_option,omitempty"`
	// Indexes are a materialized view's indexes.
	Indexes []Index `yaml:"indexes,omitempty" json:"indexes,omitempty"`
	Comment string  `yaml:"comment,omitempty" json:"comment,omitempty"`
}

// Ref returns the reference that names the view.
func (v *View) Ref() TableRef { return TableRef{Schema: v.Schema, Name: v.Name} }

// Trigger is a trigger kept as its whole CREATE TRIGGER statement.
type Trigger struct {
	Schema string `yaml:"schema,omitempty" json:"schema,omitempty"`
	Name   string `yaml:"name" json:"name"`
	// Table is the table or view the trigger fires on.
	Table      string `yaml:"table" json:"table"`
	Definition string `yaml:"definition" json:"definition"`
	Comment    string `yaml:"comment,omitempty" json:"comment,omitempty"`
}

// Table returns the table with the given reference, or nil.
func (m *MetaData) Table(ref TableRef) *Table {
	for i := range m.Tables {
		if m.Tables[i].Schema == ref.Schema && m.Tables[i].Name == ref.Name {
			return &m.Tables[i]
		}
	}
	return nil
}

// View returns the view with the given reference, or nil.
func (m *MetaData) View(ref TableRef) *View {
	for i := range m.Views {
		if m.Views[i].Schema == ref.Schema && m.Views[i].Name == ref.Name {
			return &m.Views[i]
		}
	}
	return nil
}
