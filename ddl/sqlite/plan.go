package sqlite

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// Plan turns changes into SQLite statements, in order.
//
// A table is created by one CREATE TABLE holding its columns and all its
// constraints, foreign keys included, even those migrate defers to close a
// cycle: SQLite accepts a foreign key to a table that does not exist yet,
// and cannot add one to an existing table without rebuilding it. So an
// AddForeignKey for a table created earlier in the same plan yields
// nothing, and any other is an error. The table's indexes follow as
// CREATE INDEX statements.
//
// A migration's changes (alter.go) are made with ALTER TABLE where SQLite
// can, and otherwise by rebuilding the table (rebuild.go); alter.go states
// what Plan expects of the changes it is given. An AddForeignKey or an
// AddIndex that a rebuild in the same plan carries out yields nothing.
//
// Changes for objects SQLite does not have (namespaces, enums, functions,
// comments, ...) are errors wrapping ErrUnsupported; Check reports them
// earlier, with every other problem of the model.
func (d Dialect) Plan(changes []migrate.Change) ([]ddl.Statement, error) {
	var out []ddl.Statement
	created := map[metadata.TableRef]*metadata.Table{}
	alters, err := d.scanAlterations(changes)
	if err != nil {
		return nil, err
	}
	for i, change := range changes {
		obj := change.Object()
		emit := func(sql string) { out = append(out, ddl.Statement{SQL: sql, Object: obj}) }
		var err error
		switch c := change.(type) {
		case migrate.AddTable:
			var sql string
			if sql, err = d.createTable(&c.Table); err == nil {
				emit(sql)
				t := c.Table
				created[t.Ref()] = &t
				for i := range t.Indexes {
					if sql, err = d.createIndex(t.Name, &t.Indexes[i]); err != nil {
						break
					}
					emit(sql)
				}
			}
		case migrate.AddForeignKey:
			t := created[c.Table]
			if t == nil {
				t = alters.modified[c.Table] // the table's rebuild adds it
			}
			if t == nil || !hasForeignKey(t, c.ForeignKey) {
				err = fmt.Errorf("SQLite cannot add a foreign key to an existing table without rebuilding it: %w", ErrUnsupported)
			}
		case migrate.AddIndex:
			var sql string
			if c.Table.Schema != "" {
				err = errSchema
			} else if alters.rebuiltIndex(c.Table, c.Index.Name) {
				// the table's rebuild creates it
			} else if sql, err = d.createIndex(c.Table.Name, &c.Index); err == nil {
				emit(sql)
			}
		case migrate.AddView:
			var sql string
			if sql, err = d.createView(&c.View); err == nil {
				emit(sql)
			}
		case migrate.ReplaceView:
			// SQLite has no CREATE OR REPLACE VIEW, and checks no view
			// when one it reads is dropped: drop it and create it.
			var sql string
			if sql, err = d.createView(&c.View); err == nil {
				emit("DROP VIEW IF EXISTS " + d.QuoteIdent(c.View.Name))
				emit(sql)
			}
		case migrate.AddVirtualTable:
			emit("CREATE VIRTUAL TABLE " + d.QuoteIdent(c.VirtualTable.Name) + " USING " + c.VirtualTable.Using)
		case migrate.AddTrigger:
			if c.Trigger.Schema != "" {
				err = errSchema
			} else {
				emit(c.Trigger.Definition)
			}
		case migrate.AddSchema, migrate.AddExtension, migrate.AddEnum, migrate.AddDomain,
			migrate.AddSequence, migrate.SetSequenceOwner, migrate.AddFunction:
			err = fmt.Errorf("SQLite has no such object: %w", ErrUnsupported)
		default:
			var stmts []ddl.Statement
			if stmts, err = d.alter(change, i, alters); err == nil {
				out = append(out, stmts...)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", obj, err)
		}
	}
	return out, nil
}

var errSchema = fmt.Errorf("SQLite has no schemas (namespaces): %w", ErrUnsupported)

func hasForeignKey(t *metadata.Table, fk metadata.ForeignKey) bool {
	for _, have := range t.ForeignKeys {
		if reflect.DeepEqual(have, fk) {
			return true
		}
	}
	return false
}

// createTable writes one CREATE TABLE with every column and constraint.
func (d Dialect) createTable(t *metadata.Table) (string, error) {
	if t.Schema != "" {
		return "", errSchema
	}
	var defs []string
	inlinePK := inlinePrimaryKey(t)
	for i := range t.Columns {
		c := &t.Columns[i]
		def, err := d.columnDef(c)
		if err != nil {
			return "", fmt.Errorf("column %s: %w", metadata.QuoteName(c.Name), err)
		}
		if c.Autoincrement && c.Name != inlinePK {
			return "", fmt.Errorf("column %s: AUTOINCREMENT needs the column to be the whole primary key", metadata.QuoteName(c.Name))
		}
		if c.Name == inlinePK {
			pk := t.PrimaryKey
			def += d.constraintName(pk.Name) + " PRIMARY KEY"
			if pk.Option(c.Name).Desc {
				def += " DESC"
			}
			def += onConflict(pk.OnConflict)
			if c.Autoincrement {
				def += " AUTOINCREMENT"
			}
		}
		defs = append(defs, def)
	}
	if pk := t.PrimaryKey; pk != nil && inlinePK == "" {
		defs = append(defs, strings.TrimPrefix(d.constraintName(pk.Name)+" PRIMARY KEY ("+d.keyColumns(pk.Columns, pk.ColumnOptions)+")"+onConflict(pk.OnConflict), " "))
	}
	for _, u := range t.Uniques {
		defs = append(defs, strings.TrimPrefix(d.constraintName(u.Name)+" UNIQUE ("+d.keyColumns(u.Columns, u.ColumnOptions)+")"+onConflict(u.OnConflict), " "))
	}
	for _, ch := range t.Checks {
		defs = append(defs, strings.TrimPrefix(d.constraintName(ch.Name)+" CHECK ("+ch.Expr+")", " "))
	}
	for _, fk := range t.ForeignKeys {
		defs = append(defs, strings.TrimPrefix(d.constraintName(fk.Name)+" FOREIGN KEY ("+d.idents(fk.Columns)+") "+d.references(fk), " "))
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE ")
	b.WriteString(d.QuoteIdent(t.Name))
	b.WriteString(" (\n  ")
	b.WriteString(strings.Join(defs, ",\n  "))
	b.WriteString("\n)")
	var opts []string
	if t.WithoutRowID {
		opts = append(opts, "WITHOUT ROWID")
	}
	if t.Strict {
		opts = append(opts, "STRICT")
	}
	if len(opts) > 0 {
		b.WriteString(" " + strings.Join(opts, ", "))
	}
	return b.String(), nil
}

// inlinePrimaryKey returns the column whose definition carries the
// primary key, or "" when the key is a table constraint. That is a lone
// key column that is autoincrement (SQLite accepts AUTOINCREMENT only
// there) or descending: SQLite makes "id INTEGER PRIMARY KEY DESC" a key
// of its own but "PRIMARY KEY (id DESC)" an alias of the rowid, and the
// inspector reads a DESC only from the former.
func inlinePrimaryKey(t *metadata.Table) string {
	pk := t.PrimaryKey
	if pk == nil || len(pk.Columns) != 1 {
		return ""
	}
	c := t.Column(pk.Columns[0])
	if c == nil {
		return ""
	}
	if opt := pk.Option(c.Name); c.Autoincrement || opt.Desc && opt.Collation == "" {
		return c.Name
	}
	return ""
}

// keyColumns writes a primary key's or unique constraint's column list,
// with each column's COLLATE and DESC.
func (d Dialect) keyColumns(names []string, opts []metadata.KeyColumnOption) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = d.QuoteIdent(n)
		for _, o := range opts {
			if o.Column != n {
				continue
			}
			if o.Collation != "" {
				q[i] += " COLLATE " + d.QuoteIdent(o.Collation)
			}
			if o.Desc {
				q[i] += " DESC"
			}
		}
	}
	return strings.Join(q, ", ")
}

// onConflict writes " ON CONFLICT ACTION", or nothing for the default.
func onConflict(a metadata.ConflictAction) string {
	if a == "" {
		return ""
	}
	return " ON CONFLICT " + strings.ToUpper(string(a))
}

// columnDef writes a column's name, type, NOT NULL, DEFAULT, COLLATE and
// generation.
func (d Dialect) columnDef(c *metadata.Column) (string, error) {
	typ, err := d.FormatType(c.Type)
	if err != nil {
		return "", err
	}
	s := d.QuoteIdent(c.Name)
	if typ != "" {
		s += " " + typ
	}
	if !c.Nullable {
		s += " NOT NULL" + onConflict(c.NotNullOnConflict)
	}
	if c.Default != nil {
		v, err := FormatDefault(c.Default)
		if err != nil {
			return "", err
		}
		s += " DEFAULT " + v
	}
	if c.Collation != "" {
		s += " COLLATE " + d.QuoteIdent(c.Collation)
	}
	if g := c.Generated; g != nil {
		s += " GENERATED ALWAYS AS (" + g.Expr + ")"
		if g.Stored {
			s += " STORED"
		} else {
			s += " VIRTUAL"
		}
	}
	return s, nil
}

// constraintName writes " CONSTRAINT name", or nothing for an unnamed
// constraint.
func (d Dialect) constraintName(name string) string {
	if name == "" {
		return ""
	}
	return " CONSTRAINT " + d.QuoteIdent(name)
}

func (d Dialect) idents(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = d.QuoteIdent(n)
	}
	return strings.Join(q, ", ")
}

// references writes a foreign key's REFERENCES clause.
func (d Dialect) references(fk metadata.ForeignKey) string {
	s := "REFERENCES " + d.QuoteIdent(fk.References.Table)
	if len(fk.References.Columns) > 0 {
		s += " (" + d.idents(fk.References.Columns) + ")"
	}
	if fk.OnDelete != metadata.NoAction {
		s += " ON DELETE " + strings.ToUpper(string(fk.OnDelete))
	}
	if fk.OnUpdate != metadata.NoAction {
		s += " ON UPDATE " + strings.ToUpper(string(fk.OnUpdate))
	}
	if fk.Deferrable {
		s += " DEFERRABLE INITIALLY "
		if fk.InitiallyDeferred {
			s += "DEFERRED"
		} else {
			s += "IMMEDIATE"
		}
	}
	return s
}

// createIndex writes CREATE [UNIQUE] INDEX with each key's collation and
// order, and a partial index's WHERE.
func (d Dialect) createIndex(table string, ix *metadata.Index) (string, error) {
	var b strings.Builder
	b.WriteString("CREATE ")
	if ix.Unique {
		b.WriteString("UNIQUE ")
	}
	b.WriteString("INDEX " + d.QuoteIdent(ix.Name) + " ON " + d.QuoteIdent(table) + " (")
	for i, p := range ix.Parts {
		if i > 0 {
			b.WriteString(", ")
		}
		switch {
		case p.Column != "":
			b.WriteString(d.QuoteIdent(p.Column))
		case strings.TrimSpace(p.Expr) != "":
			b.WriteString(p.Expr)
		default:
			return "", fmt.Errorf("index %s: part %d names no column or expression", metadata.QuoteName(ix.Name), i)
		}
		if p.Collation != "" {
			b.WriteString(" COLLATE " + d.QuoteIdent(p.Collation))
		}
		if p.Desc {
			b.WriteString(" DESC")
		}
	}
	b.WriteString(")")
	if ix.Where != "" {
		b.WriteString(" WHERE " + ix.Where)
	}
	return b.String(), nil
}

// createView writes CREATE VIEW with its optional column names.
func (d Dialect) createView(v *metadata.View) (string, error) {
	if v.Schema != "" {
		return "", errSchema
	}
	if v.Materialized {
		return "", fmt.Errorf("SQLite has no materialized views: %w", ErrUnsupported)
	}
	s := "CREATE VIEW " + d.QuoteIdent(v.Name)
	if len(v.Columns) > 0 {
		s += " (" + d.idents(v.Columns) + ")"
	}
	return s + " AS " + v.Definition, nil
}
