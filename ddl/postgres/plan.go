package postgres

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// Plan turns changes into PostgreSQL statements, in the order given.
//
// A change may yield several statements: a table is its CREATE TABLE
// (columns and constraints, less the foreign keys migrate deferred to
// close a cycle), then the comments on it and its columns, row-level
// security and policies, and its indexes with their comments. When the
// plan creates functions, it starts with SET LOCAL check_function_bodies
// = false, as pg_dump does, so that a function body may name tables
// created later; the statements are meant to run in one transaction.
//
// The changes of a migration (drops, renames, ModifyTable, ...) are
// written by alter.go; see planStatements.
func (d Dialect) Plan(changes []migrate.Change) ([]ddl.Statement, error) {
	var out []ddl.Statement
	if slices.ContainsFunc(changes, writesFunction) {
		out = append(out, ddl.Statement{SQL: "SET LOCAL check_function_bodies = false", Object: `setting "check_function_bodies"`})
	}
	var added []enumValueAdded
	renamesValues := map[string]bool{} // enum key -> the plan renames one of its values
	for _, change := range changes {
		stmts, err := d.planStatements(change)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", change.Object(), err)
		}
		switch c := change.(type) {
		case migrate.AddEnumValue:
			added = append(added, enumValueAdded{enum: metadata.ObjectKey(c.Enum.Schema, c.Enum.Name), value: c.Value, stmt: len(out)})
		case migrate.RenameEnumValue:
			renamesValues[metadata.ObjectKey(c.Enum.Schema, c.Enum.Name)] = true
		}
		out = append(out, stmts...)
	}
	commitUsedEnumValues(out, added, renamesValues)
	return out, nil
}

// enumValueAdded is the statement (an index into a plan's) that adds a
// value to an enum.
type enumValueAdded struct {
	enum, value string
	stmt        int
}

// commitUsedEnumValues marks CommitFirst the statements that add values
// to an enum when a later statement of the plan, other than another value
// added, names one of them as a literal: PostgreSQL refuses a new value
// ("unsafe use of new value") until the transaction that added it
// commits, and a view, check, default or index predicate of the same plan
// would stop it half-way. The enum's added values go together, since each
// is placed after the one before. The search errs towards yes (the same
// string used elsewhere also counts), which only commits the value first.
// An enum whose values the plan also renames is left in the transaction:
// its additions are placed by the new names, and the rename is not one to
// commit ahead of the rest.
func commitUsedEnumValues(stmts []ddl.Statement, added []enumValueAdded, renamesValues map[string]bool) {
	if len(added) == 0 {
		return
	}
	adds := map[int]bool{}
	for _, a := range added {
		adds[a.stmt] = true
	}
	used := map[string]bool{} // enum key
	for _, a := range added {
		if used[a.enum] || renamesValues[a.enum] {
			continue
		}
		lit := quoteLiteral(a.value)
		for i := a.stmt + 1; i < len(stmts); i++ {
			if !adds[i] && strings.Contains(stmts[i].SQL, lit) {
				used[a.enum] = true
				break
			}
		}
	}
	for _, a := range added {
		if used[a.enum] {
			st := &stmts[a.stmt]
			st.CommitFirst = true
			st.Notes = []string{"commits before the other statements, in a transaction of its own: a later statement uses the new value, which PostgreSQL allows only once it is committed; it stays if the rest fails"}
		}
	}
}

// writesFunction reports whether a change creates or replaces a function.
func writesFunction(change migrate.Change) bool {
	switch change.(type) {
	case migrate.AddFunction, migrate.ReplaceFunction:
		return true
	}
	return false
}

// planChange writes one create-all change's statements.
func planChange(change migrate.Change) ([]string, error) {
	switch c := change.(type) {
	case migrate.AddSchema:
		out := []string{"CREATE SCHEMA IF NOT EXISTS " + quoteIdent(c.Schema.Name)}
		return appendComment(out, "SCHEMA", quoteIdent(c.Schema.Name), c.Schema.Comment), nil
	case migrate.AddExtension:
		sql := "CREATE EXTENSION IF NOT EXISTS " + quoteIdent(c.Extension.Name)
		if c.Extension.Schema != "" {
			sql += " SCHEMA " + quoteIdent(c.Extension.Schema)
		}
		return []string{sql}, nil
	case migrate.AddEnum:
		e := c.Enum
		vals := make([]string, len(e.Values))
		for i, v := range e.Values {
			vals[i] = quoteLiteral(v)
		}
		name := qualified(e.Schema, e.Name)
		out := []string{"CREATE TYPE " + name + " AS ENUM (" + strings.Join(vals, ", ") + ")"}
		return appendComment(out, "TYPE", name, e.Comment), nil
	case migrate.AddDomain:
		return createDomain(&c.Domain)
	case migrate.AddCompositeType:
		return createCompositeType(&c.CompositeType)
	case migrate.AddSequence:
		return createSequence(&c.Sequence)
	case migrate.SetSequenceOwner:
		owner, err := sequenceOwner(&c.Sequence)
		if err != nil {
			return nil, err
		}
		return []string{"ALTER SEQUENCE " + qualified(c.Sequence.Schema, c.Sequence.Name) + " OWNED BY " + owner}, nil
	case migrate.AddFunction:
		return createFunction(&c.Function), nil
	case migrate.AddTable:
		return createTable(&c.Table, c.DeferredForeignKeys)
	case migrate.AddForeignKey:
		fk, err := foreignKey(&c.ForeignKey)
		if err != nil {
			return nil, err
		}
		return []string{"ALTER TABLE " + qualifiedRef(c.Table) + " ADD " + fk + notValid(c.ForeignKey.NotValid)}, nil
	case migrate.AddIndex:
		return createIndex(c.Table, &c.Index)
	case migrate.AddView:
		out, err := createView("CREATE", &c.View)
		return append(out, grants(c.View.Ref(), c.Grants)...), err
	case migrate.ReplaceView:
		// The server keeps the view's comment: a change of it is a
		// SetComment of its own.
		v := c.View
		v.Comment = ""
		return createView("CREATE OR REPLACE", &v)
	case migrate.AddTrigger:
		t := c.Trigger
		out := []string{strings.TrimSpace(t.Definition)}
		return appendComment(out, "TRIGGER", quoteIdent(t.Name)+" ON "+qualified(t.Schema, t.Table), t.Comment), nil
	case migrate.AddVirtualTable:
		return nil, fmt.Errorf("PostgreSQL has no virtual tables (a SQLite feature)")
	}
	return nil, fmt.Errorf("unknown change %T", change)
}

// appendComment adds COMMENT ON kind name IS 'text' when there is one.
func appendComment(out []string, kind, name, comment string) []string {
	if comment == "" {
		return out
	}
	return append(out, "COMMENT ON "+kind+" "+name+" IS "+quoteLiteral(comment))
}

func createDomain(d *metadata.Domain) ([]string, error) {
	typ, err := formatType(d.Type)
	if err != nil {
		return nil, err
	}
	name := qualified(d.Schema, d.Name)
	var b strings.Builder
	b.WriteString("CREATE DOMAIN " + name + " AS " + typ)
	if d.Collation != "" {
		b.WriteString(" COLLATE " + quoteIdent(d.Collation))
	}
	if d.Default != nil {
		def, err := formatDefault(d.Default)
		if err != nil {
			return nil, err
		}
		b.WriteString(" DEFAULT " + def)
	}
	if d.NotNull {
		b.WriteString(" NOT NULL")
	}
	var later []string
	for _, ch := range d.Checks {
		check := constraintName(ch.Name) + "CHECK (" + ch.Expr + ")"
		if ch.NotValid {
			later = append(later, "ALTER DOMAIN "+name+" ADD "+check+" NOT VALID")
			continue
		}
		b.WriteString(" " + check)
	}
	return appendComment(append([]string{b.String()}, later...), "DOMAIN", name, d.Comment), nil
}

// notValid writes " NOT VALID" for a constraint added so.
func notValid(v bool) string {
	if v {
		return " NOT VALID"
	}
	return ""
}

// createCompositeType writes CREATE TYPE ... AS (...) and its comment.
func createCompositeType(t *metadata.CompositeType) ([]string, error) {
	name := qualified(t.Schema, t.Name)
	attrs := make([]string, len(t.Attributes))
	for i, a := range t.Attributes {
		typ, err := formatType(a.Type)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", metadata.QuoteName(a.Name), err)
		}
		attrs[i] = quoteIdent(a.Name) + " " + typ
		if a.Collation != "" {
			attrs[i] += " COLLATE " + qualifiedName(a.Collation)
		}
	}
	sql := "CREATE TYPE " + name + " AS ()"
	if len(attrs) > 0 {
		sql = "CREATE TYPE " + name + " AS (\n    " + strings.Join(attrs, ",\n    ") + "\n)"
	}
	return appendComment([]string{sql}, "TYPE", name, t.Comment), nil
}

func createSequence(s *metadata.Sequence) ([]string, error) {
	name := qualified(s.Schema, s.Name)
	var b strings.Builder
	b.WriteString("CREATE SEQUENCE " + name)
	if s.Type != nil {
		typ, err := formatType(s.Type)
		if err != nil {
			return nil, err
		}
		b.WriteString(" AS " + typ)
	}
	num := func(keyword string, v *int64) {
		if v != nil {
			b.WriteString(" " + keyword + " " + strconv.FormatInt(*v, 10))
		}
	}
	num("INCREMENT BY", s.Increment)
	num("MINVALUE", s.MinValue)
	num("MAXVALUE", s.MaxValue)
	num("START WITH", s.Start)
	num("CACHE", s.Cache)
	if s.Cycle {
		b.WriteString(" CYCLE")
	}
	return appendComment([]string{b.String()}, "SEQUENCE", name, s.Comment), nil
}

// sequenceOwner quotes a sequence's owned_by column: "table.column" (in
// the sequence's schema) or "schema.table.column".
func sequenceOwner(s *metadata.Sequence) (string, error) {
	parts := strings.Split(s.OwnedBy, ".")
	switch len(parts) {
	case 2:
		return qualified(s.Schema, parts[0]) + "." + quoteIdent(parts[1]), nil
	case 3:
		return qualified(parts[0], parts[1]) + "." + quoteIdent(parts[2]), nil
	}
	return "", fmt.Errorf("owned_by must be table.column or schema.table.column, not %q", s.OwnedBy)
}

func createFunction(f *metadata.Function) []string {
	out := []string{strings.TrimSpace(f.Definition)}
	kind := strings.ToUpper(f.Kind)
	if kind == "" {
		kind = "FUNCTION"
	}
	args := f.Args
	if kind == "AGGREGATE" && strings.TrimSpace(args) == "" {
		args = "*"
	}
	return appendComment(out, kind, qualified(f.Schema, f.Name)+"("+args+")", f.Comment)
}

// createTable writes a table's CREATE TABLE and what follows it.
func createTable(t *metadata.Table, deferred []int) ([]string, error) {
	name := qualified(t.Schema, t.Name)
	var defs []string
	for i := range t.Columns {
		def, err := columnDef(t, &t.Columns[i])
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", metadata.QuoteName(t.Columns[i].Name), err)
		}
		if def != "" {
			defs = append(defs, def)
		}
	}
	if pk := t.PrimaryKey; pk != nil {
		defs = append(defs, constraintName(pk.Name)+"PRIMARY KEY ("+quoteList(pk.Columns)+")")
	}
	for _, u := range t.Uniques {
		nnd := ""
		if u.NullsNotDistinct {
			nnd = "NULLS NOT DISTINCT "
		}
		defs = append(defs, constraintName(u.Name)+"UNIQUE "+nnd+"("+quoteList(u.Columns)+")")
	}
	// A NOT VALID constraint cannot be declared in CREATE TABLE: it is
	// added right after, by ALTER TABLE.
	var notValidDefs []string
	for _, ch := range t.Checks {
		check := constraintName(ch.Name) + "CHECK (" + ch.Expr + ")"
		if ch.NotValid {
			notValidDefs = append(notValidDefs, check)
			continue
		}
		defs = append(defs, check)
	}
	for _, x := range t.Exclusions {
		defs = append(defs, constraintName(x.Name)+strings.TrimSpace(x.Definition))
	}
	skip := map[int]bool{}
	for _, i := range deferred {
		skip[i] = true
	}
	for i := range t.ForeignKeys {
		if skip[i] {
			continue
		}
		fk, err := foreignKey(&t.ForeignKeys[i])
		if err != nil {
			return nil, err
		}
		if t.ForeignKeys[i].NotValid {
			notValidDefs = append(notValidDefs, fk)
			continue
		}
		defs = append(defs, fk)
	}

	var b strings.Builder
	b.WriteString("CREATE TABLE " + name)
	if po := t.PartitionOf; po != nil {
		b.WriteString(" PARTITION OF " + qualifiedRef(po.Parent))
	}
	switch {
	case len(defs) > 0:
		b.WriteString(" (\n    " + strings.Join(defs, ",\n    ") + "\n)")
	case t.PartitionOf == nil:
		b.WriteString(" ()")
	}
	if po := t.PartitionOf; po != nil {
		b.WriteString(" " + partitionBound(po.Bound))
	}
	if len(t.Inherits) > 0 {
		parents := make([]string, len(t.Inherits))
		for i, p := range t.Inherits {
			parents[i] = qualifiedRef(p)
		}
		b.WriteString(" INHERITS (" + strings.Join(parents, ", ") + ")")
	}
	if t.PartitionBy != "" {
		b.WriteString(" PARTITION BY " + t.PartitionBy)
	}
	out := []string{b.String()}
	for _, def := range notValidDefs {
		out = append(out, "ALTER TABLE "+name+" ADD "+def+" NOT VALID")
	}

	out = appendComment(out, "TABLE", name, t.Comment)
	for _, c := range t.Columns {
		out = appendComment(out, "COLUMN", name+"."+quoteIdent(c.Name), c.Comment)
	}
	if t.RowLevelSecurity {
		out = append(out, "ALTER TABLE "+name+" ENABLE ROW LEVEL SECURITY")
	}
	if t.ForceRowLevelSecurity {
		out = append(out, "ALTER TABLE "+name+" FORCE ROW LEVEL SECURITY")
	}
	for i := range t.Policies {
		out = append(out, createPolicy(name, &t.Policies[i]))
	}
	for i := range t.Indexes {
		ix, err := createIndex(t.Ref(), &t.Indexes[i])
		if err != nil {
			return nil, err
		}
		out = append(out, ix...)
	}
	return out, nil
}

// columnDef writes one column of a CREATE TABLE. A partition's columns
// come from its parent, with their types, identity and generation: it
// writes only the options a partition may add (name WITH OPTIONS DEFAULT
// ... NOT NULL), or nothing.
func columnDef(t *metadata.Table, c *metadata.Column) (string, error) {
	var b strings.Builder
	b.WriteString(quoteIdent(c.Name))
	if t.PartitionOf != nil {
		b.WriteString(" WITH OPTIONS")
	} else {
		typ, err := formatType(c.Type)
		if err != nil {
			return "", err
		}
		if c.Autoincrement {
			switch typ {
			case "smallint":
				typ = "smallserial"
			case "integer":
				typ = "serial"
			case "bigint":
				typ = "bigserial"
			default:
				return "", fmt.Errorf("autoincrement needs smallint, integer or bigint, not %s", typ)
			}
		}
		b.WriteString(" " + typ)
		if c.Collation != "" {
			b.WriteString(" COLLATE " + quoteIdent(c.Collation))
		}
	}
	opts := 0
	if id := c.Identity; id != nil && t.PartitionOf == nil {
		opts++
		if id.Always {
			b.WriteString(" GENERATED ALWAYS AS IDENTITY")
		} else {
			b.WriteString(" GENERATED BY DEFAULT AS IDENTITY")
		}
		var seq []string
		if id.Start != nil {
			seq = append(seq, "START WITH "+strconv.FormatInt(*id.Start, 10))
		}
		if id.Increment != nil {
			seq = append(seq, "INCREMENT BY "+strconv.FormatInt(*id.Increment, 10))
		}
		if len(seq) > 0 {
			b.WriteString(" (" + strings.Join(seq, " ") + ")")
		}
	}
	if g := c.Generated; g != nil && t.PartitionOf == nil {
		opts++
		b.WriteString(" GENERATED ALWAYS AS (" + g.Expr + ") STORED")
	}
	if c.Default != nil {
		opts++
		def, err := formatDefault(c.Default)
		if err != nil {
			return "", err
		}
		b.WriteString(" DEFAULT " + def)
	}
	if !c.Nullable {
		opts++
		b.WriteString(" NOT NULL")
	}
	if t.PartitionOf != nil && opts == 0 {
		return "", nil
	}
	return b.String(), nil
}

// partitionBound writes a partition's bound: "DEFAULT" or "FOR VALUES
// ...", the prefix added when the model holds only "IN ('a')", "FROM (1)
// TO (2)" or "WITH (MODULUS 4, REMAINDER 0)".
func partitionBound(bound string) string {
	bound = strings.TrimSpace(bound)
	upper := strings.ToUpper(bound)
	if upper == "DEFAULT" || strings.HasPrefix(upper, "FOR VALUES") {
		return bound
	}
	return "FOR VALUES " + bound
}

// constraintName writes "CONSTRAINT name " for a named constraint, or
// nothing, letting the server choose (the inspector knows its rules).
func constraintName(name string) string {
	if name == "" {
		return ""
	}
	return "CONSTRAINT " + quoteIdent(name) + " "
}

// foreignKey writes a foreign-key constraint clause.
func foreignKey(fk *metadata.ForeignKey) (string, error) {
	var b strings.Builder
	b.WriteString(constraintName(fk.Name))
	b.WriteString("FOREIGN KEY (" + quoteList(fk.Columns) + ") REFERENCES " + qualifiedRef(fk.References.Ref()))
	if len(fk.References.Columns) > 0 {
		b.WriteString(" (" + quoteList(fk.References.Columns) + ")")
	}
	switch fk.Match {
	case "":
	case "full", "simple":
		b.WriteString(" MATCH " + strings.ToUpper(fk.Match))
	default:
		return "", fmt.Errorf("foreign key match %q is not supported by PostgreSQL", fk.Match)
	}
	for _, a := range []struct {
		on  string
		act metadata.ReferentialAction
	}{{"DELETE", fk.OnDelete}, {"UPDATE", fk.OnUpdate}} {
		switch a.act {
		case metadata.NoAction:
		case metadata.Restrict, metadata.Cascade, metadata.SetNull, metadata.SetDefault:
			b.WriteString(" ON " + a.on + " " + strings.ToUpper(string(a.act)))
		default:
			return "", fmt.Errorf("unknown referential action %q", a.act)
		}
	}
	if fk.Deferrable {
		b.WriteString(" DEFERRABLE")
		if fk.InitiallyDeferred {
			b.WriteString(" INITIALLY DEFERRED")
		}
	}
	return b.String(), nil
}

// createPolicy writes a row-level security policy on a (quoted) table.
func createPolicy(table string, p *metadata.Policy) string {
	var b strings.Builder
	b.WriteString("CREATE POLICY " + quoteIdent(p.Name) + " ON " + table)
	if p.Restrictive {
		b.WriteString(" AS RESTRICTIVE")
	}
	if p.Command != "" && p.Command != "all" {
		b.WriteString(" FOR " + strings.ToUpper(p.Command))
	}
	if len(p.Roles) > 0 {
		roles := make([]string, len(p.Roles))
		for i, r := range p.Roles {
			roles[i] = roleSpec(r)
		}
		b.WriteString(" TO " + strings.Join(roles, ", "))
	}
	if p.Using != "" {
		b.WriteString(" USING (" + p.Using + ")")
	}
	if p.WithCheck != "" {
		b.WriteString(" WITH CHECK (" + p.WithCheck + ")")
	}
	return b.String()
}

// roleSpec writes a role name; public and the current_user-like words are
// keywords, not names.
func roleSpec(role string) string {
	switch strings.ToLower(role) {
	case "public", "current_user", "current_role", "session_user":
		return strings.ToUpper(role)
	}
	return quoteIdent(role)
}

// createIndex writes CREATE INDEX on a table or materialized view, and its
// comment.
func createIndex(on metadata.TableRef, ix *metadata.Index) ([]string, error) {
	var b strings.Builder
	b.WriteString("CREATE ")
	if ix.Unique {
		b.WriteString("UNIQUE ")
	}
	b.WriteString("INDEX " + quoteIdent(ix.Name) + " ON " + qualifiedRef(on))
	if ix.Method != "" {
		b.WriteString(" USING " + quoteIdent(ix.Method))
	}
	parts := make([]string, len(ix.Parts))
	for i, p := range ix.Parts {
		var s string
		switch {
		case p.Column != "" && p.Expr == "":
			s = quoteIdent(p.Column)
		case p.Expr != "" && p.Column == "":
			s = "(" + p.Expr + ")"
		default:
			return nil, fmt.Errorf("index %s: a part is a column or an expression", metadata.QuoteName(ix.Name))
		}
		if p.Collation != "" {
			s += " COLLATE " + quoteIdent(p.Collation)
		}
		if p.OpClass != "" {
			s += " " + qualifiedName(p.OpClass)
		}
		if p.Desc {
			s += " DESC"
		}
		switch p.Nulls {
		case "":
		case "first", "last":
			s += " NULLS " + strings.ToUpper(p.Nulls)
		default:
			return nil, fmt.Errorf("index %s: nulls must be first or last, not %q", metadata.QuoteName(ix.Name), p.Nulls)
		}
		parts[i] = s
	}
	b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	if len(ix.Include) > 0 {
		b.WriteString(" INCLUDE (" + quoteList(ix.Include) + ")")
	}
	if ix.Where != "" {
		b.WriteString(" WHERE (" + ix.Where + ")")
	}
	return appendComment([]string{b.String()}, "INDEX", qualified(on.Schema, ix.Name), ix.Comment), nil
}

// qualifiedName quotes a possibly schema-qualified name of an object
// other than a table, such as an operator class: each dot-separated part
// is one identifier.
func qualifiedName(name string) string {
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = quoteIdent(p)
	}
	return strings.Join(parts, ".")
}

// createView writes verb (CREATE, or CREATE OR REPLACE) [MATERIALIZED]
// VIEW, a materialized view's indexes, and the comment.
func createView(verb string, v *metadata.View) ([]string, error) {
	name := qualified(v.Schema, v.Name)
	kind := "VIEW"
	if v.Materialized {
		kind = "MATERIALIZED VIEW"
	}
	var b strings.Builder
	b.WriteString(verb + " " + kind + " " + name)
	if len(v.Columns) > 0 {
		b.WriteString(" (" + quoteList(v.Columns) + ")")
	}
	def := strings.TrimRight(strings.TrimSpace(v.Definition), "; \t\n")
	b.WriteString(" AS\n" + def)
	switch v.CheckOption {
	case "":
	case "local", "cascaded":
		if v.Materialized {
			return nil, fmt.Errorf("a materialized view cannot have a check option")
		}
		b.WriteString("\nWITH " + strings.ToUpper(v.CheckOption) + " CHECK OPTION")
	default:
		return nil, fmt.Errorf("check option must be local or cascaded, not %q", v.CheckOption)
	}
	out := []string{b.String()}
	for i := range v.Indexes {
		ix, err := createIndex(v.Ref(), &v.Indexes[i])
		if err != nil {
			return nil, err
		}
		out = append(out, ix...)
	}
	return appendComment(out, kind, name, v.Comment), nil
}

// grants grants again what a view had before it was dropped to be
// created anew: one GRANT per grantee, column and grant option, privileges
// in the order given.
func grants(view metadata.TableRef, gs []migrate.Grant) []string {
	type key struct {
		column, grantee string
		grantable       bool
	}
	var order []key
	privs := map[key][]string{}
	for _, g := range gs {
		k := key{g.Column, g.Grantee, g.Grantable}
		if privs[k] == nil {
			order = append(order, k)
		}
		privs[k] = append(privs[k], g.Privilege)
	}
	var out []string
	for _, k := range order {
		list := strings.Join(privs[k], ", ")
		if k.column != "" {
			list = strings.Join(privs[k], " ("+quoteIdent(k.column)+"), ") + " (" + quoteIdent(k.column) + ")"
		}
		to := "PUBLIC"
		if k.grantee != "" {
			to = quoteIdent(k.grantee)
		}
		stmt := "GRANT " + list + " ON " + qualified(view.Schema, view.Name) + " TO " + to
		if k.grantable {
			stmt += " WITH GRANT OPTION"
		}
		out = append(out, stmt)
	}
	return out
}
