package postgres

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// addEnumValue adds a value to an enum at its place.
//
// Since PostgreSQL 12, ALTER TYPE ... ADD VALUE runs inside a transaction
// block; what fails is using the new value (a default, a check, a view, a
// row) before that transaction commits. Most migrations only add the
// value, and keep their single transaction; when a later statement uses
// it, Plan marks the statement CommitFirst (commitUsedEnumValues).
func addEnumValue(s *statements, c migrate.AddEnumValue) {
	sql := "ALTER TYPE " + qualified(c.Enum.Schema, c.Enum.Name) + " ADD VALUE " + quoteLiteral(c.Value)
	switch {
	case c.Before != "":
		sql += " BEFORE " + quoteLiteral(c.Before)
	case c.After != "":
		sql += " AFTER " + quoteLiteral(c.After)
	}
	s.add(sql)
}

// recreateEnum replaces an enum whose values were removed or reordered:
// the old type is renamed aside, the new one created under the name, each
// column converted through text, and the old type dropped. A column's
// default refers to the old type and cannot be cast, so each column is
// converted by a DO block that reads the default, evaluates it to its
// text, drops it, converts the column and sets the default again as that
// value of the new type (an enum default is a constant in practice). An
// array of the enum is converted through text[] alike. A row holding a
// removed value makes the conversion fail; a view over a column makes it
// fail too (the migration drops and recreates views around it).
func recreateEnum(s *statements, c migrate.RecreateEnum) error {
	old := qualified(c.From.Schema, DefaultName(c.From.Name, nil, "old"))
	name := qualified(c.To.Schema, c.To.Name)
	s.add("ALTER TYPE " + qualified(c.From.Schema, c.From.Name) + " RENAME TO " + quoteIdent(DefaultName(c.From.Name, nil, "old")))
	vals := make([]string, len(c.To.Values))
	for i, v := range c.To.Values {
		vals[i] = quoteLiteral(v)
	}
	s.add("CREATE TYPE " + name + " AS ENUM (" + strings.Join(vals, ", ") + ")")
	if c.To.Comment != "" {
		s.add(commentOn("TYPE", name, c.To.Comment))
	}
	for _, col := range c.Columns {
		table, column := qualifiedRef(col.Table), quoteIdent(col.Column)
		alter := "ALTER TABLE " + table + " ALTER COLUMN " + column
		typ, via := name, "text"
		if col.Dims > 0 {
			// The server keeps no dimensions: text[] casts any array.
			typ, via = name+strings.Repeat("[]", col.Dims), "text[]"
		}
		body := "DECLARE def text;\nBEGIN\n" +
			"  SELECT pg_get_expr(d.adbin, d.adrelid) INTO def FROM pg_attrdef d\n" +
			"    JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum\n" +
			"    WHERE d.adrelid = " + quoteLiteral(table) + "::regclass AND a.attname = " + quoteLiteral(col.Column) + ";\n" +
			"  IF def IS NOT NULL THEN\n" +
			"    EXECUTE 'SELECT (' || def || ')::text' INTO def;\n" +
			"    " + alter + " DROP DEFAULT;\n" +
			"  END IF;\n" +
			"  " + alter + " TYPE " + typ + " USING " + column + "::" + via + "::" + typ + ";\n" +
			"  IF def IS NOT NULL THEN\n" +
			"    EXECUTE " + quoteLiteral(alter+" SET DEFAULT ") + " || quote_literal(def) || " + quoteLiteral("::"+typ) + ";\n" +
			"  END IF;\n" +
			"END"
		sql, err := doBlock(body)
		if err != nil {
			return fmt.Errorf("column %s of %s: %w", metadata.QuoteName(col.Column), tableObject(col.Table), err)
		}
		s.add(sql, lockNote(tableObject(col.Table)), noteRewrite)
	}
	s.add("DROP TYPE " + old)
	return nil
}

// recreateDomain replaces a domain whose base type or collation changed:
// the old one is renamed aside, the new one created under the name, each
// column converted through the new base type, and the old one dropped. A
// column's default is in the base type's terms and converts with the
// column where a cast allows; where none does (text to integer), the
// default is dropped first, and the plan sets the declared one after (its
// ModifyTable: the live default then differs from it).
func recreateDomain(s *statements, c migrate.RecreateDomain) error {
	aside := DefaultName(c.From.Name, nil, "old")
	s.add("ALTER DOMAIN " + qualified(c.From.Schema, c.From.Name) + " RENAME TO " + quoteIdent(aside))
	// The old domain's checks go first: their names, kept, would make the
	// server name the new domain's checks otherwise (amount_check1).
	drop, err := doBlock("DECLARE c text;\nBEGIN\n" +
		"  FOR c IN SELECT conname FROM pg_constraint WHERE contypid = " + quoteLiteral(qualified(c.From.Schema, aside)) + "::regtype LOOP\n" +
		"    EXECUTE format('ALTER DOMAIN %s DROP CONSTRAINT %I', " + quoteLiteral(qualified(c.From.Schema, aside)) + ", c);\n" +
		"  END LOOP;\n" +
		"END")
	if err != nil {
		return err
	}
	s.add(drop)
	create, err := createDomain(&c.To)
	if err != nil {
		return err
	}
	for _, sql := range create {
		s.add(sql)
	}
	base, err := formatType(c.To.Type)
	if err != nil {
		return err
	}
	name := qualified(c.To.Schema, c.To.Name)
	for _, col := range c.Columns {
		table, column := qualifiedRef(col.Table), quoteIdent(col.Column)
		alter := "ALTER TABLE " + table + " ALTER COLUMN " + column
		dims := strings.Repeat("[]", col.Dims)
		convert := alter + " TYPE " + name + dims + " USING " + column + "::" + base + dims + "::" + name + dims + ";"
		body := "BEGIN\n" +
			"  " + convert + "\n" +
			"EXCEPTION WHEN datatype_mismatch THEN\n" +
			"  -- its default cannot be cast: the plan sets the declared one\n" +
			"  " + alter + " DROP DEFAULT;\n" +
			"  " + convert + "\n" +
			"END"
		sql, err := doBlock(body)
		if err != nil {
			return fmt.Errorf("column %s of %s: %w", metadata.QuoteName(col.Column), tableObject(col.Table), err)
		}
		s.add(sql, lockNote(tableObject(col.Table)), noteRewrite)
	}
	s.add("DROP DOMAIN " + qualified(c.From.Schema, aside))
	return nil
}

// modifyDomain changes a domain in place: its default, NOT NULL, checks
// (those that changed are dropped and added) and comment. Its base type
// and collation cannot change in place.
func modifyDomain(s *statements, c migrate.ModifyDomain) error {
	from, to := c.From, c.To
	ft, err := formatType(from.Type)
	if err != nil {
		return err
	}
	tt, err := formatType(to.Type)
	if err != nil {
		return err
	}
	if ft != tt {
		return fmt.Errorf("a domain's type cannot change in place (%s to %s): drop and create it", ft, tt)
	}
	if from.Collation != to.Collation {
		return fmt.Errorf("a domain's collation cannot change in place: drop and create it")
	}
	name := qualified(to.Schema, to.Name)
	alter := "ALTER DOMAIN " + name + " "
	fd, td := "", ""
	if from.Default != nil {
		if fd, err = formatDefault(from.Default); err != nil {
			return err
		}
	}
	if to.Default != nil {
		if td, err = formatDefault(to.Default); err != nil {
			return err
		}
	}
	switch {
	case fd == td:
	case td == "":
		s.add(alter + "DROP DEFAULT")
	default:
		s.add(alter + "SET DEFAULT " + td)
	}
	switch {
	case from.NotNull == to.NotNull:
	case to.NotNull:
		s.add(alter+"SET NOT NULL", "checks every column of the domain's type for NULLs")
	default:
		s.add(alter + "DROP NOT NULL")
	}
	has := func(checks []metadata.Check, ch metadata.Check) bool {
		for _, x := range checks {
			if x.Name == ch.Name && strings.TrimSpace(x.Expr) == strings.TrimSpace(ch.Expr) {
				return true
			}
		}
		return false
	}
	for _, ch := range from.Checks {
		if !has(to.Checks, ch) {
			n := ch.Name
			if n == "" {
				n = DefaultName(from.Name, nil, LabelCheck)
			}
			s.add(alter + "DROP CONSTRAINT " + quoteIdent(n))
		}
	}
	for _, ch := range to.Checks {
		if !has(from.Checks, ch) {
			s.add(alter+"ADD "+constraintName(ch.Name)+"CHECK ("+ch.Expr+")", "checks every column of the domain's type")
		}
	}
	if from.Comment != to.Comment {
		s.add(commentOn("DOMAIN", name, to.Comment))
	}
	return nil
}

// modifySequence changes a sequence's options in one ALTER SEQUENCE, an
// option left unset written as its default, and its owner and comment.
func modifySequence(s *statements, c migrate.ModifySequence) error {
	canonical := func(s metadata.Sequence) metadata.Sequence {
		return metadata.Canonical(&metadata.MetaData{Sequences: []metadata.Sequence{s}}).Sequences[0]
	}
	from, to := canonical(c.From), canonical(c.To)
	name := qualified(to.Schema, to.Name)
	var opts []string
	ft, tt := "bigint", "bigint"
	var err error
	if from.Type != nil {
		if ft, err = formatType(from.Type); err != nil {
			return err
		}
	}
	if to.Type != nil {
		if tt, err = formatType(to.Type); err != nil {
			return err
		}
	}
	if ft != tt {
		opts = append(opts, "AS "+tt)
	}
	num := func(a, b *int64, set, unset string) {
		if (a == nil) != (b == nil) || (a != nil && *a != *b) {
			if b == nil {
				opts = append(opts, unset)
			} else {
				opts = append(opts, set+" "+strconv.FormatInt(*b, 10))
			}
		}
	}
	num(from.Increment, to.Increment, "INCREMENT BY", "INCREMENT BY 1")
	num(from.MinValue, to.MinValue, "MINVALUE", "NO MINVALUE")
	num(from.MaxValue, to.MaxValue, "MAXVALUE", "NO MAXVALUE")
	num(from.Cache, to.Cache, "CACHE", "CACHE 1")
	var notes []string
	// An unset start follows the minimum (or maximum), so compare where
	// each starts in effect.
	if start := intOr(to.Start, sequenceDefaultStart(&to)); intOr(from.Start, sequenceDefaultStart(&from)) != start {
		opts = append(opts, "START WITH "+strconv.FormatInt(start, 10))
		notes = append(notes, "START WITH changes where the sequence restarts, not its next value")
	}
	if from.Cycle != to.Cycle {
		if to.Cycle {
			opts = append(opts, "CYCLE")
		} else {
			opts = append(opts, "NO CYCLE")
		}
	}
	if from.OwnedBy != to.OwnedBy {
		if to.OwnedBy == "" {
			opts = append(opts, "OWNED BY NONE")
		} else {
			owner, err := sequenceOwner(&to)
			if err != nil {
				return err
			}
			opts = append(opts, "OWNED BY "+owner)
		}
	}
	if len(opts) > 0 {
		s.add("ALTER SEQUENCE "+name+" "+strings.Join(opts, " "), notes...)
	}
	if from.Comment != to.Comment {
		s.add(commentOn("SEQUENCE", name, to.Comment))
	}
	return nil
}

// sequenceDefaultStart is where a sequence starts when START is not
// given: its minimum counting up, its maximum counting down.
func sequenceDefaultStart(s *metadata.Sequence) int64 {
	if intOr(s.Increment, 1) > 0 {
		return intOr(s.MinValue, 1)
	}
	return intOr(s.MaxValue, -1)
}

// returnsClause finds what a function definition returns, in the form
// pg_get_functiondef prints ("\n RETURNS integer\n") or written on one
// line before LANGUAGE or AS.
var returnsClause = regexp.MustCompile(`(?is)\bRETURNS\s+(.*?)(?:\n|\s+LANGUAGE\b|\s+AS\b|$)`)

// replaceFunction replaces a function's definition with CREATE OR
// REPLACE, which cannot change what a function returns or what kind of
// routine it is: then it is dropped and created. An aggregate is always
// dropped and created, since its state cannot be replaced. Dropping
// fails while a trigger, default or view uses the function.
func replaceFunction(s *statements, c migrate.ReplaceFunction) {
	from, to := c.From, c.To
	recreate := !strings.EqualFold(kindOf(&from), kindOf(&to)) || strings.EqualFold(kindOf(&to), "aggregate") ||
		returnType(from.Definition) != returnType(to.Definition)
	if recreate {
		s.add("DROP "+functionSignature(&from), "drops the routine and creates it again: what uses it makes the drop fail")
		for _, sql := range createFunction(&to) {
			s.add(sql)
		}
		return
	}
	s.add(orReplace(to.Definition))
	if from.Comment != to.Comment {
		s.add(commentOn(kindOf(&to), strings.TrimPrefix(functionSignature(&to), kindOf(&to)+" "), to.Comment))
	}
}

func kindOf(f *metadata.Function) string {
	if f.Kind == "" {
		return "FUNCTION"
	}
	return strings.ToUpper(f.Kind)
}

// returnType returns a definition's RETURNS clause, white space folded.
func returnType(def string) string {
	m := returnsClause.FindStringSubmatch(def)
	if m == nil {
		return ""
	}
	return strings.ToLower(strings.Join(strings.Fields(m[1]), " "))
}

var createPrefix = regexp.MustCompile(`(?i)^\s*CREATE\s+(OR\s+REPLACE\s+)?`)

// orReplace makes a definition CREATE OR REPLACE.
func orReplace(def string) string {
	def = strings.TrimSpace(def)
	if m := createPrefix.FindStringSubmatchIndex(def); m != nil && m[2] < 0 {
		return "CREATE OR REPLACE " + def[m[1]:]
	}
	return def
}

// modifyCompositeType alters a composite type's attributes in one ALTER
// TYPE: drops, then retypes, then additions (at the end).
func modifyCompositeType(s *statements, c migrate.ModifyCompositeType) error {
	var actions []string
	for _, a := range c.Drop {
		actions = append(actions, "DROP ATTRIBUTE "+quoteIdent(a.Name))
	}
	typed := func(a metadata.Attribute) (string, error) {
		typ, err := formatType(a.Type)
		if err != nil {
			return "", fmt.Errorf("attribute %s: %w", metadata.QuoteName(a.Name), err)
		}
		if a.Collation != "" {
			typ += " COLLATE " + qualifiedName(a.Collation)
		}
		return typ, nil
	}
	for _, a := range c.Retype {
		typ, err := typed(a)
		if err != nil {
			return err
		}
		actions = append(actions, "ALTER ATTRIBUTE "+quoteIdent(a.Name)+" TYPE "+typ)
	}
	for _, a := range c.Add {
		typ, err := typed(a)
		if err != nil {
			return err
		}
		actions = append(actions, "ADD ATTRIBUTE "+quoteIdent(a.Name)+" "+typ)
	}
	s.add("ALTER TYPE " + qualified(c.To.Schema, c.To.Name) + "\n  " + strings.Join(actions, ",\n  "))
	return nil
}
