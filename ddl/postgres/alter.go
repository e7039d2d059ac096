package postgres

import (
	"fmt"
	"strings"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// The notes that warn what a statement does to a live database.
const (
	noteRewrite = "rewrites the table"
	noteScan    = "scans the table while holding the lock"
)

// lockNote warns that a statement blocks every read and write of obj
// until the transaction ends.
func lockNote(obj string) string { return "takes an ACCESS EXCLUSIVE lock on " + obj }

// tableObject names a table for a message, as migrate does: `table "a.b"`.
func tableObject(r metadata.TableRef) string {
	return "table " + metadata.QuoteName(r.String())
}

// statements collects the statements of one change, each carrying the
// change's object and hazard.
type statements struct {
	object string
	hazard migrate.Hazard
	out    []ddl.Statement
}

// add appends one statement and returns it, for the caller to mark.
func (s *statements) add(sql string, notes ...string) *ddl.Statement {
	s.out = append(s.out, ddl.Statement{SQL: sql, Object: s.object, Hazard: s.hazard, Notes: notes})
	return &s.out[len(s.out)-1]
}

// planStatements writes one change's statements. The create-all changes
// are planChange's, marked with their hazard and, for an index or a
// foreign key on an existing table, with the locks they take (or, under
// LowLock, in their low-lock forms); every other change is written here.
func (d Dialect) planStatements(change migrate.Change) ([]ddl.Statement, error) {
	s := &statements{object: change.Object(), hazard: migrate.HazardOf(change)}
	var err error
	switch c := change.(type) {
	case migrate.AddIndex:
		err = d.addIndex(s, c)
	case migrate.AddForeignKey:
		err = d.addForeignKey(s, c)
	case migrate.ModifyTable:
		return d.modifyTable(c)
	case migrate.DropTable:
		s.add("DROP TABLE "+qualifiedRef(c.Table.Ref()), lockNote(tableObject(c.Table.Ref())))
	case migrate.RenameTable:
		err = renameTable(s, c)
	case migrate.DropForeignKey:
		name := c.ForeignKey.Name
		if name == "" {
			name = DefaultName(c.Table.Name, c.ForeignKey.Columns, LabelForeignKey)
		}
		s.add("ALTER TABLE "+qualifiedRef(c.Table)+" DROP CONSTRAINT "+quoteIdent(name),
			lockNote(tableObject(c.Table)+" and the table it references"))
	case migrate.DropIndex:
		d.dropIndex(s, c)
	case migrate.RenameIndex:
		s.add("ALTER INDEX " + qualified(c.Table.Schema, c.From) + " RENAME TO " + quoteIdent(c.To))
	case migrate.DropView:
		kind := "VIEW "
		if c.View.Materialized {
			kind = "MATERIALIZED VIEW "
		}
		s.add("DROP " + kind + qualified(c.View.Schema, c.View.Name))
	case migrate.DropTrigger:
		on := metadata.TableRef{Schema: c.Trigger.Schema, Name: c.Trigger.Table}
		s.add("DROP TRIGGER "+quoteIdent(c.Trigger.Name)+" ON "+qualifiedRef(on), lockNote(tableObject(on)))
	case migrate.DropVirtualTable:
		return nil, fmt.Errorf("PostgreSQL has no virtual tables (a SQLite feature)")
	case migrate.DropSchema:
		s.add("DROP SCHEMA " + quoteIdent(c.Schema.Name))
	case migrate.DropExtension:
		s.add("DROP EXTENSION " + quoteIdent(c.Extension.Name))
	case migrate.DropEnum:
		s.add("DROP TYPE " + qualified(c.Enum.Schema, c.Enum.Name))
	case migrate.AddEnumValue:
		addEnumValue(s, c)
	case migrate.RenameEnumValue:
		s.add("ALTER TYPE " + qualified(c.Enum.Schema, c.Enum.Name) + " RENAME VALUE " + quoteLiteral(c.From) + " TO " + quoteLiteral(c.To))
	case migrate.RecreateEnum:
		err = recreateEnum(s, c)
	case migrate.RecreateDomain:
		err = recreateDomain(s, c)
	case migrate.DropDomain:
		s.add("DROP DOMAIN " + qualified(c.Domain.Schema, c.Domain.Name))
	case migrate.DropCompositeType:
		s.add("DROP TYPE " + qualified(c.CompositeType.Schema, c.CompositeType.Name))
	case migrate.ModifyCompositeType:
		err = modifyCompositeType(s, c)
	case migrate.ModifyDomain:
		err = modifyDomain(s, c)
	case migrate.DropSequence:
		s.add("DROP SEQUENCE " + qualified(c.Sequence.Schema, c.Sequence.Name))
	case migrate.ModifySequence:
		err = modifySequence(s, c)
	case migrate.DropFunction:
		s.add("DROP " + functionSignature(&c.Function))
	case migrate.ReplaceFunction:
		replaceFunction(s, c)
	case migrate.SetComment:
		err = setComment(s, c)
	default:
		var sqls []string
		sqls, err = planChange(change)
		for _, sql := range sqls {
			s.add(sql)
		}
	}
	if err != nil {
		return nil, err
	}
	return s.out, nil
}

// addIndex creates an index on an existing table or materialized view:
// under a SHARE lock that holds writes back while it is built, or under
// LowLock CONCURRENTLY, outside the transaction.
func (d Dialect) addIndex(s *statements, c migrate.AddIndex) error {
	sqls, err := createIndex(c.Table, &c.Index)
	if err != nil {
		return err
	}
	if !d.LowLock {
		s.add(sqls[0], "takes a SHARE lock on "+tableObject(c.Table)+": writes wait until the index is built")
		for _, sql := range sqls[1:] {
			s.add(sql)
		}
		return nil
	}
	// createIndex starts with CREATE [UNIQUE] INDEX name: the first
	// "INDEX " is the keyword.
	sql := strings.Replace(sqls[0], "INDEX ", "INDEX CONCURRENTLY ", 1)
	s.add(sql, "builds the index without blocking writes; if it fails, an INVALID index is left behind and must be dropped").NoTx = true
	for _, sql := range sqls[1:] {
		s.add(sql).NoTx = true // the comment needs the index
	}
	return nil
}

// dropIndex drops an index, CONCURRENTLY under LowLock.
func (d Dialect) dropIndex(s *statements, c migrate.DropIndex) {
	name := qualified(c.Table.Schema, c.Index.Name)
	if d.LowLock {
		s.add("DROP INDEX CONCURRENTLY " + name).NoTx = true
		return
	}
	s.add("DROP INDEX "+name, lockNote(tableObject(c.Table)))
}

// addForeignKey adds a foreign key to an existing table, which takes a
// SHARE ROW EXCLUSIVE lock on both tables while every row is checked; or,
// under LowLock, NOT VALID (a brief lock, only new rows checked) and then
// VALIDATE CONSTRAINT after the commit, which lets writes through.
func (d Dialect) addForeignKey(s *statements, c migrate.AddForeignKey) error {
	fk := c.ForeignKey
	table := qualifiedRef(c.Table)
	if fk.NotValid {
		// Declared NOT VALID: the rows already there stay unchecked, so
		// it is neither scanned now nor validated later.
		def, err := foreignKey(&fk)
		if err != nil {
			return err
		}
		s.add("ALTER TABLE "+table+" ADD "+def+" NOT VALID",
			"takes a SHARE ROW EXCLUSIVE lock on "+tableObject(c.Table)+" and the table it references, briefly: only new rows are checked")
		return nil
	}
	if !d.LowLock {
		def, err := foreignKey(&fk)
		if err != nil {
			return err
		}
		s.add("ALTER TABLE "+table+" ADD "+def,
			"takes a SHARE ROW EXCLUSIVE lock on "+tableObject(c.Table)+" and the table it references, and scans the table")
		return nil
	}
	if fk.Name == "" {
		fk.Name = DefaultName(c.Table.Name, fk.Columns, LabelForeignKey)
	}
	def, err := foreignKey(&fk)
	if err != nil {
		return err
	}
	s.add("ALTER TABLE "+table+" ADD "+def+" NOT VALID",
		"takes a SHARE ROW EXCLUSIVE lock on "+tableObject(c.Table)+" and the table it references, briefly: the rows are checked later")
	validate(s, table, fk.Name)
	return nil
}

// validate validates a constraint added NOT VALID, after the transaction
// that added it commits: inside it, the ADD's lock would still be held.
func validate(s *statements, table, name string) {
	s.add("ALTER TABLE "+table+" VALIDATE CONSTRAINT "+quoteIdent(name),
		"scans the table under a SHARE UPDATE EXCLUSIVE lock, which lets reads and writes through; if it fails, the constraint stays NOT VALID (checked for new rows only)").NoTx = true
}

// renameTable renames a table and, when its schema changes, moves it.
// Moving it to the default schema ("") names that schema at run time
// with current_schema().
func renameTable(s *statements, c migrate.RenameTable) error {
	cur := c.From
	if c.From.Name != c.To.Name {
		s.add("ALTER TABLE "+qualifiedRef(cur)+" RENAME TO "+quoteIdent(c.To.Name), lockNote(tableObject(cur)))
		cur.Name = c.To.Name
	}
	switch {
	case c.From.Schema == c.To.Schema:
	case c.To.Schema != "":
		s.add("ALTER TABLE "+qualifiedRef(cur)+" SET SCHEMA "+quoteIdent(c.To.Schema), lockNote(tableObject(cur)))
	default:
		body := "BEGIN EXECUTE format('ALTER TABLE %s SET SCHEMA %I', " + quoteLiteral(qualifiedRef(cur)) + "::regclass, current_schema()); END"
		sql, err := doBlock(body)
		if err != nil {
			return err
		}
		s.add(sql, lockNote(tableObject(cur)))
	}
	for _, col := range c.Autoincrement {
		if err := renameSerial(s, c.To, c.From.Name, col, col); err != nil {
			return err
		}
	}
	return nil
}

// renameSerial renames the sequence behind a serial column, once its
// table or the column is renamed, to the name serial would give it now
// (<table>_<column>_seq): the inspector knows a serial column by that
// name. The sequence is found by pg_get_serial_sequence, since serial
// may have added a digit to the name it chose.
func renameSerial(s *statements, table metadata.TableRef, oldTable, oldCol, col string) error {
	name := DefaultName(table.Name, []string{col}, LabelSequence)
	if name == DefaultName(oldTable, []string{oldCol}, LabelSequence) {
		return nil
	}
	body := "DECLARE seq text := pg_get_serial_sequence(" + quoteLiteral(qualifiedRef(table)) + ", " + quoteLiteral(col) + ");\n" +
		"BEGIN IF seq IS NOT NULL THEN EXECUTE format('ALTER SEQUENCE %s RENAME TO %I', seq, " + quoteLiteral(name) + "); END IF; END"
	sql, err := doBlock(body)
	if err != nil {
		return err
	}
	s.add(sql)
	return nil
}

// doTag quotes the body of a DO block.
const doTag = "$dbtool$"

// doBlock wraps PL/pgSQL in a DO block; a body holding the quote tag (in
// a name) is refused rather than broken out of.
func doBlock(body string) (string, error) {
	if strings.Contains(body, doTag) {
		return "", fmt.Errorf("a name contains %s", doTag)
	}
	return "DO " + doTag + "\n" + body + "\n" + doTag, nil
}

// setComment sets or removes the comment of an object.
func setComment(s *statements, c migrate.SetComment) error {
	kind := strings.ToUpper(c.Kind)
	var name string
	switch kind {
	case "SCHEMA", "EXTENSION":
		name = quoteIdent(c.Name)
	case "TRIGGER", "POLICY", "RULE":
		name = quoteIdent(c.Name) + " ON " + qualified(c.Schema, c.Table)
	case "FUNCTION", "PROCEDURE", "AGGREGATE":
		f := metadata.Function{Schema: c.Schema, Name: c.Name, Args: c.Args, Kind: kind}
		name = strings.TrimPrefix(functionSignature(&f), kind+" ")
	case "TYPE", "DOMAIN", "VIEW", "MATERIALIZED VIEW", "INDEX", "SEQUENCE", "TABLE":
		name = qualified(c.Schema, c.Name)
	default:
		return fmt.Errorf("comment on a %q: not a kind PostgreSQL comments on", c.Kind)
	}
	s.add(commentOn(kind, name, c.To))
	return nil
}

// commentOn writes COMMENT ON kind name IS 'text', or IS NULL to remove it.
func commentOn(kind, name, comment string) string {
	text := "NULL"
	if comment != "" {
		text = quoteLiteral(comment)
	}
	return "COMMENT ON " + kind + " " + name + " IS " + text
}

// functionSignature writes "FUNCTION name(args)", the kind upper-case,
// an aggregate without arguments as name(*).
func functionSignature(f *metadata.Function) string {
	kind := strings.ToUpper(f.Kind)
	if kind == "" {
		kind = "FUNCTION"
	}
	args := f.Args
	if kind == "AGGREGATE" && strings.TrimSpace(args) == "" {
		args = "*"
	}
	return kind + " " + qualified(f.Schema, f.Name) + "(" + args + ")"
}
