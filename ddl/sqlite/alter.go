package sqlite

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// The migration changes: drops, renames and table modifications.
//
// What Plan expects of the changes it is given (the contract with the diff
// in package migrate):
//
//   - A table whose foreign keys change has a ModifyTable in the same plan,
//     whose To holds the foreign keys as they will be: SQLite cannot add or
//     drop a foreign key in place, so the table is rebuilt, and the
//     AddForeignKey and DropForeignKey changes for it yield nothing. Without
//     a ModifyTable they are errors.
//   - Views and triggers that depend on a table or column that changes are
//     dropped (DropView, DropTrigger) before the ModifyTable and created
//     again (AddView, AddTrigger) after it. A rebuild drops the table, and
//     with it every trigger on the table, so the diff drops and recreates
//     every trigger on a rebuilt table, changed or not; DropTrigger is
//     written DROP TRIGGER IF EXISTS so that it is harmless wherever it
//     falls.
//   - A RenameIndex names only the index: SQLite has no ALTER INDEX, so the
//     index is dropped and created again from its definition, which Plan
//     takes from the To of a ModifyTable of the same table in the plan (one
//     with no Changes will do). Without one, RenameIndex is an error.
//   - A ModifyTable after a RenameTable names the table by its new name
//     (To.Name): that is the table its statements alter.

// alterations is what Plan learns about the table changes of a plan before
// writing any statement: the statements of each ModifyTable (in place or
// a rebuild), which tables are modified, which rebuilt, which dropped.
type alterations struct {
	// stmts are the statements of the ModifyTable at each position.
	stmts map[int][]ddl.Statement
	// modified maps a modified table to what it will be, rebuilt those
	// of them that are rebuilt.
	modified map[metadata.TableRef]*metadata.Table
	rebuilt  map[metadata.TableRef]bool
	dropped  map[metadata.TableRef]bool
}

// scanAlterations plans every ModifyTable of changes, in order, deciding
// for each whether SQLite can make it in place or must rebuild the table.
func (d Dialect) scanAlterations(changes []migrate.Change) (*alterations, error) {
	a := &alterations{
		stmts:    map[int][]ddl.Statement{},
		modified: map[metadata.TableRef]*metadata.Table{},
		rebuilt:  map[metadata.TableRef]bool{},
		dropped:  map[metadata.TableRef]bool{},
	}
	// gone holds the indexes dropped so far, per table: an index dropped
	// before a column no longer stops SQLite dropping the column.
	gone := map[metadata.TableRef]map[string]bool{}
	for i, change := range changes {
		switch c := change.(type) {
		case migrate.DropIndex:
			if gone[c.Table] == nil {
				gone[c.Table] = map[string]bool{}
			}
			gone[c.Table][c.Index.Name] = true
		case migrate.DropTable:
			a.dropped[c.Table.Ref()] = true
		case migrate.ModifyTable:
			if c.To.Schema != "" || c.From.Schema != "" {
				return nil, fmt.Errorf("%s: %w", c.Object(), errSchema)
			}
			stmts, ok, err := d.alterInPlace(c, gone[c.To.Ref()])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.Object(), err)
			}
			if !ok {
				if stmts, err = d.rebuild(c); err != nil {
					return nil, fmt.Errorf("%s: %w", c.Object(), err)
				}
				a.rebuilt[c.To.Ref()] = true
			}
			a.stmts[i] = stmts
			a.modified[c.To.Ref()] = &c.To
		}
	}
	return a, nil
}

// rebuiltIndex reports whether a rebuild in the plan creates the table's
// index of that name (from the To of its ModifyTable), so that an AddIndex
// for it has nothing left to do.
func (a *alterations) rebuiltIndex(table metadata.TableRef, name string) bool {
	return a.rebuilt[table] && index(a.modified[table], name) != nil
}

func index(t *metadata.Table, name string) *metadata.Index {
	for i := range t.Indexes {
		if t.Indexes[i].Name == name {
			return &t.Indexes[i]
		}
	}
	return nil
}

// alter writes the statements of a migration change that is not one of
// create-all's; i is its position in the plan.
func (d Dialect) alter(change migrate.Change, i int, a *alterations) ([]ddl.Statement, error) {
	obj := change.Object()
	one := func(sql string) []ddl.Statement {
		return []ddl.Statement{{SQL: sql, Object: obj, Hazard: migrate.HazardOf(change)}}
	}
	switch c := change.(type) {
	case migrate.ModifyTable:
		return a.stmts[i], nil
	case migrate.DropTable:
		if c.Table.Schema != "" {
			return nil, errSchema
		}
		return one("DROP TABLE " + d.QuoteIdent(c.Table.Name)), nil
	case migrate.RenameTable:
		if c.From.Schema != "" || c.To.Schema != "" {
			return nil, errSchema
		}
		// With legacy_alter_table off (SQLite's default since 3.26), the
		// rename carries on into the views, triggers and foreign keys that
		// name the table.
		return one("ALTER TABLE " + d.QuoteIdent(c.From.Name) + " RENAME TO " + d.QuoteIdent(c.To.Name)), nil
	case migrate.DropForeignKey:
		if a.modified[c.Table] == nil && !a.dropped[c.Table] {
			return nil, fmt.Errorf("SQLite cannot drop a foreign key without rebuilding the table, and the plan has no ModifyTable for it: %w", ErrUnsupported)
		}
		return nil, nil // the rebuild leaves it out, or the table goes
	case migrate.DropIndex:
		if c.Table.Schema != "" {
			return nil, errSchema
		}
		if a.rebuilt[c.Table] {
			return nil, nil // dropped with the old table, and not recreated
		}
		return one("DROP INDEX " + d.QuoteIdent(c.Index.Name)), nil
	case migrate.RenameIndex:
		return d.renameIndex(c, a)
	case migrate.DropView:
		if c.View.Schema != "" {
			return nil, errSchema
		}
		if c.View.Materialized {
			return nil, fmt.Errorf("SQLite has no materialized views: %w", ErrUnsupported)
		}
		return one("DROP VIEW " + d.QuoteIdent(c.View.Name)), nil
	case migrate.DropTrigger:
		if c.Trigger.Schema != "" {
			return nil, errSchema
		}
		// IF EXISTS: the trigger may have gone already with a rebuilt table.
		return one("DROP TRIGGER IF EXISTS " + d.QuoteIdent(c.Trigger.Name)), nil
	case migrate.DropVirtualTable:
		return one("DROP TABLE " + d.QuoteIdent(c.VirtualTable.Name)), nil
	case migrate.DropSchema, migrate.DropExtension, migrate.DropEnum, migrate.AddEnumValue,
		migrate.RenameEnumValue, migrate.RecreateEnum, migrate.RecreateDomain, migrate.DropDomain, migrate.ModifyDomain, migrate.ModifyCompositeType,
		migrate.DropSequence, migrate.ModifySequence, migrate.DropFunction, migrate.ReplaceFunction:
		return nil, fmt.Errorf("SQLite has no such object: %w", ErrUnsupported)
	case migrate.SetComment:
		return nil, errComment
	}
	return nil, fmt.Errorf("unknown change %T: %w", change, ErrUnsupported)
}

var errComment = fmt.Errorf("SQLite has no comments: %w", ErrUnsupported)

// renameIndex drops the index and creates it again under its new name,
// from the definition in the To of the table's ModifyTable.
func (d Dialect) renameIndex(c migrate.RenameIndex, a *alterations) ([]ddl.Statement, error) {
	if c.Table.Schema != "" {
		return nil, errSchema
	}
	if a.rebuiltIndex(c.Table, c.To) {
		return nil, nil
	}
	t := a.modified[c.Table]
	if t == nil || index(t, c.To) == nil {
		return nil, fmt.Errorf("SQLite has no ALTER INDEX ... RENAME, and the plan has no ModifyTable whose To defines index %s to create it again from: %w",
			metadata.QuoteName(c.To), ErrUnsupported)
	}
	create, err := d.createIndex(t.Name, index(t, c.To))
	if err != nil {
		return nil, err
	}
	obj := c.Object()
	return []ddl.Statement{
		{SQL: "DROP INDEX " + d.QuoteIdent(c.From), Object: obj},
		{SQL: create, Object: obj},
	}, nil
}

// alterInPlace returns the ALTER TABLE statements that make mt in place,
// or ok false when the table must be rebuilt: SQLite can add, rename and
// drop a column in place (each only under conditions) and nothing else.
// Changes SQLite cannot make at all are errors. notIndexed lists the
// indexes of mt.From dropped earlier in the plan.
func (d Dialect) alterInPlace(mt migrate.ModifyTable, notIndexed map[string]bool) (stmts []ddl.Statement, ok bool, err error) {
	table := d.QuoteIdent(mt.To.Name)
	ok = true
	renamed := map[string]string{} // old name → new name
	for _, tc := range mt.Changes {
		var sql string
		switch c := tc.(type) {
		case migrate.AddColumn:
			if !canAddColumn(&mt.To, &c.Column) {
				ok = false
				continue
			}
			def, err := d.columnDef(&c.Column)
			if err != nil {
				return nil, false, fmt.Errorf("%s: %w", tc.Object(), err)
			}
			sql = "ALTER TABLE " + table + " ADD COLUMN " + def
		case migrate.DropColumn:
			if !canDropColumn(&mt.From, c.Column.Name, notIndexed) {
				ok = false
				continue
			}
			sql = "ALTER TABLE " + table + " DROP COLUMN " + d.QuoteIdent(c.Column.Name)
		case migrate.RenameColumn:
			// SQLite rewrites the column's name in the table's
			// expressions too, in its own spelling; rebuilt from To,
			// they are what the schema declares.
			if mentionedInExpressions(&mt.From, c.From) {
				ok = false
				continue
			}
			renamed[c.From] = c.To
			sql = "ALTER TABLE " + table + " RENAME COLUMN " + d.QuoteIdent(c.From) + " TO " + d.QuoteIdent(c.To)
		case migrate.ModifyColumn:
			switch {
			case c.Change.Has(migrate.ChangeIdentity):
				return nil, false, fmt.Errorf("%s: SQLite has no identity columns: %w", tc.Object(), ErrUnsupported)
			case c.Change == migrate.ChangeComment:
				return nil, false, fmt.Errorf("%s: %w", tc.Object(), errComment)
			}
			ok = false
			continue
		case migrate.SetPrimaryKey, migrate.AddUnique, migrate.DropUnique,
			migrate.AddCheck, migrate.DropCheck, migrate.RenameConstraint:
			ok = false
			continue
		case migrate.SetTableComment:
			return nil, false, fmt.Errorf("%s: %w", tc.Object(), errComment)
		case migrate.AddExclusion, migrate.DropExclusion, migrate.SetRowLevelSecurity,
			migrate.AddPolicy, migrate.DropPolicy, migrate.AttachPartition, migrate.DetachPartition:
			return nil, false, fmt.Errorf("%s: SQLite has no such feature: %w", tc.Object(), ErrUnsupported)
		default:
			return nil, false, fmt.Errorf("%s: unknown table change %T: %w", tc.Object(), tc, ErrUnsupported)
		}
		stmts = append(stmts, ddl.Statement{
			SQL:    sql,
			Object: tc.Object() + " of " + mt.Object(),
			Hazard: migrate.TableChangeHazard(tc),
		})
	}
	if !ok || !sameConstraints(&mt.From, &mt.To, renamed) {
		return nil, false, nil
	}
	return stmts, true, nil
}

// canAddColumn reports whether ALTER TABLE ADD COLUMN can add the column
// (https://www.sqlite.org/lang_altertable.html#alter_table_add_column): it
// is in no primary key or unique constraint, is not a STORED generated
// column, and its default is a constant other than CURRENT_TIME, _DATE or
// _TIMESTAMP, and not NULL when the column is NOT NULL. (A new foreign key
// changes the table's foreign keys, which rebuilds it anyway.)
func canAddColumn(t *metadata.Table, c *metadata.Column) bool {
	if c.Autoincrement || c.Identity != nil || inPrimaryKey(t, c.Name) || inUnique(t, c.Name) {
		return false
	}
	if c.Generated != nil {
		return !c.Generated.Stored && c.Nullable
	}
	if c.Default == nil || isNull(c.Default) {
		return c.Nullable
	}
	if e, ok := c.Default.(metadata.Expr); ok {
		// A blob literal is a constant; CURRENT_* and anything in
		// parentheses are not allowed.
		s, err := FormatDefault(e)
		return err == nil && len(s) > 2 && (s[0] == 'x' || s[0] == 'X') && s[1] == '\''
	}
	return true
}

func isNull(d metadata.Default) bool {
	e, ok := d.(metadata.Expr)
	return ok && strings.EqualFold(strings.TrimSpace(e.SQL), "NULL")
}

// canDropColumn reports whether ALTER TABLE DROP COLUMN can drop the
// column (https://www.sqlite.org/lang_altertable.html#alter_table_drop_column):
// it is not generated, in no primary key, unique constraint, foreign key or
// index (but those in notIndexed, dropped already), and no check, generated
// column or index expression mentions it. Views and triggers that use it
// are dropped before (see the contract above).
func canDropColumn(t *metadata.Table, name string, notIndexed map[string]bool) bool {
	c := t.Column(name)
	if c == nil || c.Generated != nil || inPrimaryKey(t, name) || inUnique(t, name) || mentionedInExpressions(t, name) {
		return false
	}
	for _, fk := range t.ForeignKeys {
		if containsFold(fk.Columns, name) {
			return false
		}
	}
	for _, ix := range t.Indexes {
		if notIndexed[ix.Name] {
			continue
		}
		for _, p := range ix.Parts {
			if strings.EqualFold(p.Column, name) {
				return false
			}
		}
	}
	return true
}

// mentionedInExpressions reports whether a check, a generated column or an
// index expression or predicate of t may mention the column. It looks for
// the name in the text, so it may answer yes when the name appears in some
// other way: the answer only chooses a rebuild over an ALTER TABLE.
func mentionedInExpressions(t *metadata.Table, name string) bool {
	var exprs []string
	for _, ch := range t.Checks {
		exprs = append(exprs, ch.Expr)
	}
	for _, c := range t.Columns {
		if c.Generated != nil {
			exprs = append(exprs, c.Generated.Expr)
		}
	}
	for _, ix := range t.Indexes {
		exprs = append(exprs, ix.Where)
		for _, p := range ix.Parts {
			exprs = append(exprs, p.Expr)
		}
	}
	lower := strings.ToLower(name)
	for _, e := range exprs {
		if strings.Contains(strings.ToLower(e), lower) {
			return true
		}
	}
	return false
}

func inPrimaryKey(t *metadata.Table, name string) bool {
	return t.PrimaryKey != nil && containsFold(t.PrimaryKey.Columns, name)
}

func inUnique(t *metadata.Table, name string) bool {
	for _, u := range t.Uniques {
		if containsFold(u.Columns, name) {
			return true
		}
	}
	return false
}

func containsFold(names []string, name string) bool {
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// sameConstraints reports whether the table's primary key, uniques,
// checks, foreign keys and table options are the same in from, with its
// columns renamed, as in to: what the in-place statements cannot change.
// RENAME COLUMN renames the column in the table's constraints, and in the
// foreign keys that reference it.
func sameConstraints(from, to *metadata.Table, renamed map[string]string) bool {
	rename := func(names []string) []string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = n
			if r, ok := renamed[n]; ok {
				out[i] = r
			}
		}
		return out
	}
	var pk *metadata.PrimaryKey
	if from.PrimaryKey != nil {
		pk = &metadata.PrimaryKey{Name: from.PrimaryKey.Name, Columns: rename(from.PrimaryKey.Columns)}
	}
	uniques := make([]metadata.Unique, len(from.Uniques))
	for i, u := range from.Uniques {
		u.Columns = rename(u.Columns)
		uniques[i] = u
	}
	fks := make([]metadata.ForeignKey, len(from.ForeignKeys))
	for i, fk := range from.ForeignKeys {
		fk.Columns = rename(fk.Columns)
		if fk.References.Table == from.Name {
			fk.References.Table = to.Name
			fk.References.Columns = rename(fk.References.Columns)
		}
		fks[i] = fk
	}
	return reflect.DeepEqual(pk, to.PrimaryKey) &&
		sameSet(uniques, to.Uniques) && sameSet(from.Checks, to.Checks) && sameSet(fks, to.ForeignKeys) &&
		from.WithoutRowID == to.WithoutRowID && from.Strict == to.Strict
}

// sameSet reports whether a and b hold the same elements, in any order.
func sameSet[T any](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	used := make([]bool, len(b))
next:
	for _, x := range a {
		for j, y := range b {
			if !used[j] && reflect.DeepEqual(x, y) {
				used[j] = true
				continue next
			}
		}
		return false
	}
	return true
}
