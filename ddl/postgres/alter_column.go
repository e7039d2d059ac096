package postgres

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// addColumn adds a column with every attribute columnDef writes, and its
// comment. Since PostgreSQL 11 a column with a constant default (or none)
// is added without touching the rows; an identity, serial or generated
// column, or a volatile default, fills every row and rewrites the table.
func (t *alterTable) addColumn(s *statements, c *metadata.Column) error {
	if t.to.PartitionOf != nil {
		return fmt.Errorf("a partition takes its columns from its parent: add the column to %s", tableObject(t.to.PartitionOf.Parent))
	}
	def, err := columnDef(t.to, c)
	if err != nil {
		return err
	}
	notes := []string{t.lock()}
	switch {
	case c.Identity != nil || c.Autoincrement || c.Generated != nil:
		notes = append(notes, noteRewrite)
	case isVolatile(c.Default):
		notes = append(notes, noteRewrite)
	case isExpr(c.Default):
		notes = append(notes, noteRewrite+" if the default expression is volatile")
	}
	s.add(t.prefix()+"ADD COLUMN "+def, notes...)
	if c.Comment != "" {
		s.add(commentOn("COLUMN", t.name+"."+quoteIdent(c.Name), c.Comment))
	}
	return nil
}

// volatileCall finds the calls of the volatile functions a default
// commonly uses.
var volatileCall = regexp.MustCompile(`(?i)\b(random|clock_timestamp|timeofday|nextval|gen_random_uuid|uuid_generate_v[14]|uuid_generate_v1mc)\s*\(`)

func isVolatile(d metadata.Default) bool {
	e, ok := d.(metadata.Expr)
	return ok && volatileCall.MatchString(e.SQL)
}

func isExpr(d metadata.Default) bool {
	_, ok := d.(metadata.Expr)
	return ok
}

// modifyColumn changes a column in place, in one ALTER TABLE so that the
// table is locked, and rewritten, once. Its parts run in this order:
//
//   - what goes: the generation expression (DROP EXPRESSION keeps the
//     values), the identity, the serial default, and a default that
//     cannot be cast to the new type;
//   - the type (and collation), USING an explicit cast when the old and
//     new types are of different kinds, where PostgreSQL has no
//     assignment cast (text to integer, text to jsonb, varchar to uuid,
//     anything to an enum or a domain); within one kind the assignment
//     cast is used, which, unlike an explicit one, refuses to truncate;
//   - NOT NULL, the new default, the new identity or its settings.
//
// A new serial is a sequence created before, owned by the column and
// set past the column's largest value after; a serial that goes drops
// its sequence after. A changed generation expression cannot be altered
// in PostgreSQL 15 (only dropped): the column is dropped and added again,
// at the end of the table, and refused when a key, index or constraint
// of the table uses it, since they would be dropped with it. The comment
// is a statement of its own.
func (t *alterTable) modifyColumn(s *statements, mc migrate.ModifyColumn) error {
	from, to, ch := mc.From, mc.To, mc.Change
	if ch.Has(migrate.ChangeGenerated) && to.Generated != nil {
		return t.regenerate(s, &from, &to)
	}
	col := quoteIdent(to.Name)
	alter := "ALTER COLUMN " + col + " "
	var cmds, before, after []string
	notes := []string{t.lock()}

	typeChanged := ch.Has(migrate.ChangeType) || ch.Has(migrate.ChangeCollation)
	var fromType, toType string
	if typeChanged {
		var err error
		if fromType, err = formatType(from.Type); err != nil {
			return err
		}
		if toType, err = formatType(to.Type); err != nil {
			return err
		}
	}
	using := ch.Has(migrate.ChangeType) && fromType != toType && needsUsing(from.Type, to.Type)
	seq := qualified(t.to.Schema, DefaultName(t.to.Name, []string{to.Name}, LabelSequence))

	// What goes.
	if ch.Has(migrate.ChangeGenerated) && from.Generated != nil {
		cmds = append(cmds, alter+"DROP EXPRESSION")
	}
	if ch.Has(migrate.ChangeIdentity) && from.Identity != nil && to.Identity == nil {
		cmds = append(cmds, alter+"DROP IDENTITY")
	}
	serialGoes := ch.Has(migrate.ChangeAutoincrement) && from.Autoincrement && !to.Autoincrement
	defaultGoes := ch.Has(migrate.ChangeDefault) && from.Default != nil && to.Default == nil
	defaultCasts := using && from.Default != nil
	if serialGoes || defaultGoes || defaultCasts {
		cmds = append(cmds, alter+"DROP DEFAULT")
	}
	if serialGoes {
		after = append(after, "DROP SEQUENCE "+seq)
	}

	// The type.
	if typeChanged {
		sql := alter + "TYPE " + toType
		if to.Collation != "" {
			sql += " COLLATE " + quoteIdent(to.Collation)
		} else if ch.Has(migrate.ChangeCollation) {
			sql += ` COLLATE "default"`
		}
		if using {
			sql += " USING " + col + "::" + toType
		}
		cmds = append(cmds, sql)
		switch {
		case fromType != toType && rewrites(from.Type, to.Type):
			notes = append(notes, noteRewrite)
		case fromType != toType:
			// Binary-coercible and wide enough: only the catalog changes.
		default:
			notes = append(notes, "rebuilds the indexes on the column")
		}
		if from.Autoincrement && to.Autoincrement && fromType != toType {
			after = append(after, "ALTER SEQUENCE "+seq+" AS "+toType)
		}
	}

	// What comes.
	if ch.Has(migrate.ChangeNullable) {
		if to.Nullable {
			cmds = append(cmds, alter+"DROP NOT NULL")
		} else {
			cmds = append(cmds, alter+"SET NOT NULL")
			notes = append(notes, noteScan+", to check for NULLs")
		}
	}
	if to.Default != nil && (ch.Has(migrate.ChangeDefault) || defaultCasts) {
		def, err := formatDefault(to.Default)
		if err != nil {
			return err
		}
		cmds = append(cmds, alter+"SET DEFAULT "+def)
	}
	if ch.Has(migrate.ChangeAutoincrement) && to.Autoincrement && !from.Autoincrement {
		typ, err := formatType(to.Type)
		if err != nil {
			return err
		}
		before = append(before, "CREATE SEQUENCE "+seq+" AS "+typ)
		cmds = append(cmds, alter+"SET DEFAULT nextval("+quoteLiteral(seq)+"::regclass)")
		after = append(after,
			"ALTER SEQUENCE "+seq+" OWNED BY "+t.name+"."+col,
			"SELECT setval("+quoteLiteral(seq)+", GREATEST(max("+col+"), 0) + 1, false) FROM "+t.name)
	}
	if ch.Has(migrate.ChangeIdentity) && to.Identity != nil {
		id := to.Identity
		switch {
		case from.Identity == nil:
			cmds = append(cmds, alter+"ADD "+identityClause(id))
			if id.Increment == nil || *id.Increment > 0 {
				start := int64(1)
				if id.Start != nil {
					start = *id.Start
				}
				// Past the values the rows already hold, so that the
				// next insert does not collide with them.
				after = append(after, "SELECT setval(pg_get_serial_sequence("+quoteLiteral(t.name)+", "+quoteLiteral(to.Name)+"), max("+col+")) FROM "+t.name+
					" HAVING max("+col+") >= "+strconv.FormatInt(start, 10))
			}
		default:
			old := from.Identity
			if old.Always != id.Always {
				gen := "SET GENERATED BY DEFAULT"
				if id.Always {
					gen = "SET GENERATED ALWAYS"
				}
				cmds = append(cmds, alter+gen)
			}
			if !sameInt(old.Increment, id.Increment, 1) {
				cmds = append(cmds, alter+"SET INCREMENT BY "+strconv.FormatInt(intOr(id.Increment, 1), 10))
			}
			if !sameInt(old.Start, id.Start, 1) {
				cmds = append(cmds, alter+"SET START WITH "+strconv.FormatInt(intOr(id.Start, 1), 10))
				notes = append(notes, "START WITH changes where the sequence restarts, not its next value")
			}
		}
	}

	for _, sql := range before {
		s.add(sql)
	}
	if len(cmds) > 0 {
		s.add(t.prefix()+strings.Join(cmds, ",\n    "), notes...)
	}
	for _, sql := range after {
		s.add(sql)
	}
	if ch.Has(migrate.ChangeComment) {
		s.add(commentOn("COLUMN", t.name+"."+col, to.Comment))
	}
	return nil
}

// identityClause writes GENERATED ... AS IDENTITY [(START WITH n INCREMENT BY m)].
func identityClause(id *metadata.Identity) string {
	sql := "GENERATED BY DEFAULT AS IDENTITY"
	if id.Always {
		sql = "GENERATED ALWAYS AS IDENTITY"
	}
	var seq []string
	if id.Start != nil {
		seq = append(seq, "START WITH "+strconv.FormatInt(*id.Start, 10))
	}
	if id.Increment != nil {
		seq = append(seq, "INCREMENT BY "+strconv.FormatInt(*id.Increment, 10))
	}
	if len(seq) > 0 {
		sql += " (" + strings.Join(seq, " ") + ")"
	}
	return sql
}

func intOr(p *int64, def int64) int64 {
	if p == nil {
		return def
	}
	return *p
}

func sameInt(a, b *int64, def int64) bool { return intOr(a, def) == intOr(b, def) }

// regenerate drops a column and adds it again with a new generation
// expression, which PostgreSQL 15 cannot change in place.
func (t *alterTable) regenerate(s *statements, from, to *metadata.Column) error {
	if users := columnUsers(t.from, from.Name); len(users) > 0 {
		return fmt.Errorf("PostgreSQL cannot change a generation expression in place, and dropping the column to add it again would drop %s; change it by hand",
			strings.Join(users, ", "))
	}
	def, err := columnDef(t.to, to)
	if err != nil {
		return err
	}
	s.add(t.prefix()+"DROP COLUMN "+quoteIdent(from.Name)+",\n    ADD COLUMN "+def,
		t.lock(), noteRewrite,
		"drops the column and adds it again, at the end of the table: PostgreSQL cannot change a generation expression in place")
	if to.Comment != "" {
		s.add(commentOn("COLUMN", t.name+"."+quoteIdent(to.Name), to.Comment))
	}
	return nil
}

// columnUsers lists what in a table uses a column and goes when it is
// dropped: keys, indexes and constraints naming it, by name or in an
// expression.
func columnUsers(t *metadata.Table, col string) []string {
	var out []string
	in := func(cols []string) bool {
		for _, c := range cols {
			if c == col {
				return true
			}
		}
		return false
	}
	mentions := func(expr string) bool {
		for _, c := range checkColumnsAll(expr, col) {
			if c == col {
				return true
			}
		}
		return false
	}
	if pk := t.PrimaryKey; pk != nil && in(pk.Columns) {
		out = append(out, "the primary key")
	}
	for _, u := range t.Uniques {
		if in(u.Columns) {
			out = append(out, "unique "+metadata.QuoteName(strings.Join(u.Columns, ", ")))
		}
	}
	for _, fk := range t.ForeignKeys {
		if in(fk.Columns) {
			out = append(out, "foreign key "+metadata.QuoteName(strings.Join(fk.Columns, ", ")))
		}
	}
	for _, ch := range t.Checks {
		if mentions(ch.Expr) {
			out = append(out, "check ("+ch.Expr+")")
		}
	}
	for _, x := range t.Exclusions {
		if mentions(x.Definition) {
			out = append(out, "exclusion "+metadata.QuoteName(x.Name))
		}
	}
	for _, ix := range t.Indexes {
		used := in(ix.Include) || mentions(ix.Where)
		for _, p := range ix.Parts {
			used = used || p.Column == col || mentions(p.Expr)
		}
		if used {
			out = append(out, "index "+metadata.QuoteName(ix.Name))
		}
	}
	return out
}

// checkColumnsAll returns col when expr mentions it as an identifier.
func checkColumnsAll(expr, col string) []string {
	return checkColumns(expr, []metadata.Column{{Name: col}})
}

// Type kinds, for deciding whether an ALTER COLUMN ... TYPE needs USING.
const (
	kindNumber   = "number"
	kindString   = "string"
	kindBoolean  = "boolean"
	kindDateTime = "datetime"
	kindTime     = "time"
	kindUUID     = "uuid"
	kindJSON     = "json"
	kindJSONB    = "jsonb"
	kindBinary   = "binary"
	kindInterval = "interval"
	kindNetwork  = "network"
)

// needsUsing reports whether converting from one type to another needs
// an explicit cast: they are of different kinds, or either is one this
// dialect does not know (an enum, a domain, an extension's type).
// Within a kind PostgreSQL has an assignment cast.
func needsUsing(from, to metadata.Type) bool {
	f, t := typeKind(from), typeKind(to)
	return f == "" || t == "" || f != t
}

// typeKind returns the kind of a type; "" when unknown.
func typeKind(t metadata.Type) string {
	switch t := t.(type) {
	case metadata.Integer, metadata.Numeric, metadata.Float:
		return kindNumber
	case metadata.String, metadata.Char, metadata.Text:
		return kindString
	case metadata.Boolean:
		return kindBoolean
	case metadata.Date, metadata.Timestamp:
		return kindDateTime
	case metadata.Time:
		return kindTime
	case metadata.UUID:
		return kindUUID
	case metadata.JSON:
		return kindJSON
	case metadata.Binary:
		return kindBinary
	case metadata.Raw:
		return rawKind(strings.ToLower(strings.TrimSpace(t.SQL)))
	}
	return ""
}

// rawKind returns the kind of a type written as text; an array is of the
// kind "array of" its element's.
func rawKind(s string) string {
	if elem, ok := strings.CutSuffix(s, "[]"); ok {
		if k := rawKind(strings.TrimSpace(elem)); k != "" {
			return "array of " + k
		}
		return ""
	}
	if t := portableType(s); t != nil {
		return typeKind(t)
	}
	base, _, _ := strings.Cut(s, "(")
	switch strings.TrimSpace(base) {
	case "int", "int2", "int4", "int8", "float4", "float8", "decimal", "numeric", "real", "money":
		return kindNumber
	case "varchar", "char", "character", "character varying", "bpchar", "text", "citext", "name":
		return kindString
	case "bool":
		return kindBoolean
	case "timestamp", "timestamptz":
		return kindDateTime
	case "time", "timetz":
		return kindTime
	case "jsonb":
		return kindJSONB
	case "json":
		return kindJSON
	case "interval":
		return kindInterval
	case "inet", "cidr":
		return kindNetwork
	}
	return ""
}

// rewrites reports whether changing a column's type rewrites the table:
// it does unless the new type is binary-coercible from the old and holds
// every old value (PostgreSQL then checks nothing, or only scans): a
// longer or unbounded varchar, varchar to text and back to an unbounded
// varchar, a numeric of more precision and the same scale, a time or
// timestamp of more precision. Anything else, unknown types included,
// is taken to rewrite.
func rewrites(from, to metadata.Type) bool {
	switch f := from.(type) {
	case metadata.String:
		switch t := to.(type) {
		case metadata.String:
			return !(t.Length == 0 || (f.Length > 0 && t.Length >= f.Length))
		case metadata.Text:
			return false
		}
	case metadata.Text:
		if t, ok := to.(metadata.String); ok && t.Length == 0 {
			return false
		}
	case metadata.Numeric:
		if t, ok := to.(metadata.Numeric); ok {
			return !(t.Precision == 0 || (f.Precision > 0 && t.Scale == f.Scale && t.Precision >= f.Precision))
		}
	case metadata.Timestamp:
		if t, ok := to.(metadata.Timestamp); ok && t.TZ == f.TZ {
			return !(t.Precision < 0 || (f.Precision >= 0 && t.Precision >= f.Precision))
		}
	case metadata.Time:
		if t, ok := to.(metadata.Time); ok && t.TZ == f.TZ {
			return !(t.Precision < 0 || (f.Precision >= 0 && t.Precision >= f.Precision))
		}
	}
	return true
}

// conversion is what ALTER COLUMN ... TYPE converts each value with, where
// a value can fail to convert (ddl.Conversion): the USING cast, or the
// assignment cast between numbers that rewrites the column (an overflow).
// Strings are left out: a length that no longer fits is counted by the
// standard checks, where an explicit cast would cut the value silently. So
// are integers to integers, which the standard checks count too.
func conversion(from, to metadata.Column, col string) string {
	fromType, err1 := formatType(from.Type)
	toType, err2 := formatType(to.Type)
	if err1 != nil || err2 != nil || fromType == toType {
		return ""
	}
	switch to.Type.(type) {
	case metadata.String, metadata.Char, metadata.Text:
		return ""
	case metadata.Integer:
		if _, ok := from.Type.(metadata.Integer); ok {
			return ""
		}
	}
	if !needsUsing(from.Type, to.Type) && (typeKind(to.Type) != kindNumber || !rewrites(from.Type, to.Type)) {
		return "" // an assignment cast within a kind that cannot fail
	}
	return col + "::" + toType
}
