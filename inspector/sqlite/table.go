package sqlite

import (
	"fmt"
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// tableDef is what a CREATE TABLE statement says, as written.
type tableDef struct {
	columns []columnDef
	// pk is the primary key, nil for none.
	pk *keyDef
	// uniques, checks and foreignKeys are in the order written, column
	// constraints in their column's place.
	uniques      []keyDef
	checks       []metadata.Check
	foreignKeys  []fkDef
	withoutRowID bool
	strict       bool
	// dropped describes clauses the model does not keep because SQLite
	// ignores them (NULL ON CONFLICT, CHECK ... ON CONFLICT), reported as
	// warnings.
	dropped []string
}

type columnDef struct {
	name string
	// typ is the declared type as SQLite records it: the source text
	// from the first to the last word of the type.
	typ     string
	notNull bool
	// defaultText is the default as written after DEFAULT; "" for none.
	defaultText string
	// notNullConflict is NOT NULL's ON CONFLICT action, upper case; ""
	// for none.
	notNullConflict string
	collation       string
	generated       *metadata.Generated
	autoincrement   bool
}

// keyDef is a primary key or unique constraint.
type keyDef struct {
	name    string
	columns []string
	// collations are the key columns' COLLATE clauses, "" where none;
	// descs are set where a key column says DESC.
	collations []string
	descs      []bool
	// inline is set for a key declared on its column (id INTEGER PRIMARY
	// KEY), whose DESC is then descs[0].
	inline bool
	// autoincrement is PRIMARY KEY (id AUTOINCREMENT), at table level.
	autoincrement bool
	// onConflict is the ON CONFLICT action, upper case; "" for none.
	onConflict string
}

type fkDef struct {
	name    string
	columns []string
	table   string
	// refColumns is nil when the clause names none: the parent's primary
	// key.
	refColumns                    []string
	onDelete, onUpdate            metadata.ReferentialAction
	deferrable, initiallyDeferred bool
}

// tableConstraintStarts are the words that begin a table constraint
// rather than a column definition.
var tableConstraintStarts = []string{"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"}

// columnConstraintStarts are the words that end a column's type. None of
// them can be a type word: SQLite's grammar does not let them fall back to
// identifiers, except GENERATED, whose case is handled as SQLite does.
var columnConstraintStarts = []string{"CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS"}

// constraintWord returns the upper-case column constraint word w is, or
// "".
func constraintWord(w string) string {
	for _, c := range columnConstraintStarts {
		if strings.EqualFold(w, c) {
			return c
		}
	}
	return ""
}

func isAnyWord(t token, words []string) bool {
	for _, w := range words {
		if isWord(t, w) {
			return true
		}
	}
	return false
}

// parseCreateTable reads a CREATE TABLE statement.
func parseCreateTable(sql string) (*tableDef, error) {
	p, err := newParser(sql)
	if err != nil {
		return nil, err
	}
	defer p.release()
	if _, err := p.createPrefix("TABLE"); err != nil {
		return nil, err
	}
	if _, err := p.qualifiedName(); err != nil {
		return nil, err
	}
	if err := p.expectPunct("("); err != nil {
		return nil, err
	}
	t := &tableDef{}
	constraints := false
	for {
		switch {
		case isAnyWord(p.peek(), tableConstraintStarts):
			constraints = true
			if err := p.tableConstraint(t); err != nil {
				return nil, err
			}
		case constraints:
			return nil, p.errorf("expected a table constraint")
		default:
			if err := p.columnDef(t); err != nil {
				return nil, err
			}
		}
		if p.acceptPunct(")") {
			break
		}
		// SQLite lets table constraints follow each other without commas.
		if !p.acceptPunct(",") && !(constraints && isAnyWord(p.peek(), tableConstraintStarts)) {
			return nil, p.errorf("expected \",\" or \")\"")
		}
	}
	for p.peek().kind == tkWord {
		switch {
		case p.acceptWords("WITHOUT", "ROWID"):
			t.withoutRowID = true
		case p.acceptWords("STRICT"):
			t.strict = true
		default:
			return nil, p.errorf("unexpected table option")
		}
		if !p.acceptPunct(",") {
			break
		}
	}
	if p.peek().kind != tkEOF && !isPunct(p.peek(), ";") {
		return nil, p.errorf("unexpected text after the table")
	}
	return t, nil
}

// columnDef reads a column definition: name, type and constraints.
func (p *parser) columnDef(t *tableDef) error {
	name, err := p.name()
	if err != nil {
		return err
	}
	col := columnDef{name: name}
	// The type is every token up to the first constraint.
	var first, last token
	for {
		tok := p.peek()
		if tok.kind == tkEOF || isPunct(tok, ",") || isPunct(tok, ")") || isAnyWord(tok, columnConstraintStarts) {
			break
		}
		if first.end == 0 {
			first = tok
		}
		if isPunct(tok, "(") {
			if _, err := p.parens(); err != nil {
				return err
			}
			last = p.toks[p.pos-1]
			continue
		}
		last = p.next()
	}
	if first.end > 0 {
		col.typ = declaredType(p.src[first.start:last.end])
	}
	named := ""
	for {
		tok := p.peek()
		if tok.kind == tkEOF || isPunct(tok, ",") || isPunct(tok, ")") {
			break
		}
		p.pos++
		word := ""
		if tok.kind == tkWord {
			word = constraintWord(tok.value)
		}
		switch word {
		case "CONSTRAINT":
			if named, err = p.name(); err != nil {
				return err
			}
			continue
		case "PRIMARY":
			if err := p.expectWords("KEY"); err != nil {
				return err
			}
			key := &keyDef{name: named, columns: []string{name}, collations: []string{""}, descs: []bool{false}, inline: true}
			if !p.acceptWords("ASC") {
				key.descs[0] = p.acceptWords("DESC")
			}
			if key.onConflict, err = p.conflict(); err != nil {
				return err
			}
			col.autoincrement = p.acceptWords("AUTOINCREMENT")
			t.pk = key
		case "NOT":
			if err := p.expectWords("NULL"); err != nil {
				return err
			}
			col.notNull = true
			if col.notNullConflict, err = p.conflict(); err != nil {
				return err
			}
		case "NULL":
			// SQLite reads and ignores NULL's conflict clause.
			action, err := p.conflict()
			if err != nil {
				return err
			}
			if action != "" {
				t.dropped = append(t.dropped, fmt.Sprintf("NULL ON CONFLICT %s on column %s, which SQLite ignores", action, metadata.QuoteName(name)))
			}
		case "UNIQUE":
			key := keyDef{name: named, columns: []string{name}, collations: []string{""}, descs: []bool{false}, inline: true}
			if key.onConflict, err = p.conflict(); err != nil {
				return err
			}
			t.uniques = append(t.uniques, key)
		case "CHECK":
			expr, err := p.parens()
			if err != nil {
				return err
			}
			t.checks = append(t.checks, metadata.Check{Name: named, Expr: expr})
		case "DEFAULT":
			if col.defaultText, err = p.defaultValue(); err != nil {
				return err
			}
		case "COLLATE":
			if col.collation, err = p.name(); err != nil {
				return err
			}
		case "REFERENCES":
			fk, err := p.references()
			if err != nil {
				return err
			}
			fk.name, fk.columns = named, []string{name}
			t.foreignKeys = append(t.foreignKeys, fk)
		case "GENERATED":
			if err := p.expectWords("ALWAYS", "AS"); err != nil {
				return err
			}
			if err := p.generated(&col); err != nil {
				return err
			}
		case "AS":
			if err := p.generated(&col); err != nil {
				return err
			}
		default:
			p.pos--
			return p.errorf("unexpected word in column %s", metadata.QuoteName(name))
		}
		named = ""
	}
	t.columns = append(t.columns, col)
	return nil
}

// declaredType returns a column's type as SQLite records it: the text as
// written, dequoted when it starts with a quote (SQLite then keeps what is
// inside the first quotes).
func declaredType(s string) string {
	if s == "" {
		return s
	}
	closer := s[0]
	switch closer {
	case '"', '\'', '`':
	case '[':
		closer = ']'
	default:
		return s
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] == closer {
			if closer != ']' && i+1 < len(s) && s[i+1] == closer {
				b.WriteByte(closer)
				i++
				continue
			}
			break
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// conflictActions are the actions ON CONFLICT takes.
var conflictActions = []string{"ROLLBACK", "ABORT", "FAIL", "IGNORE", "REPLACE"}

// conflict reads an optional ON CONFLICT clause and returns its action in
// upper case, or "" when there is none.
func (p *parser) conflict() (string, error) {
	if !p.acceptWords("ON", "CONFLICT") {
		return "", nil
	}
	for _, a := range conflictActions {
		if p.acceptWords(a) {
			return a, nil
		}
	}
	return "", p.errorf("expected ROLLBACK, ABORT, FAIL, IGNORE or REPLACE")
}

// defaultValue reads what follows DEFAULT: a parenthesised expression, a
// signed number, or one token.
func (p *parser) defaultValue() (string, error) {
	t := p.peek()
	switch {
	case isPunct(t, "("):
		start := t.start
		if _, err := p.parens(); err != nil {
			return "", err
		}
		return p.src[start:p.toks[p.pos-1].end], nil
	case isPunct(t, "-") || isPunct(t, "+"):
		num := p.peekAt(1)
		if num.kind != tkNumber {
			return "", p.errorf("expected a number")
		}
		p.pos += 2
		return p.src[t.start:num.end], nil
	case t.kind == tkEOF:
		return "", p.errorf("expected a default value")
	}
	p.pos++
	return p.src[t.start:t.end], nil
}

// generated reads a generated column's (expr) [STORED|VIRTUAL], after AS.
func (p *parser) generated(col *columnDef) error {
	expr, err := p.parens()
	if err != nil {
		return err
	}
	col.generated = &metadata.Generated{Expr: expr}
	if p.acceptWords("STORED") {
		col.generated.Stored = true
	} else {
		p.acceptWords("VIRTUAL")
	}
	return nil
}

// references reads a foreign-key clause, after REFERENCES.
func (p *parser) references() (fkDef, error) {
	var fk fkDef
	var err error
	if fk.table, err = p.name(); err != nil {
		return fk, err
	}
	if isPunct(p.peek(), "(") {
		key, err := p.keyColumns()
		if err != nil {
			return fk, err
		}
		fk.refColumns = key.columns
	}
	for {
		switch {
		case p.acceptWords("ON"):
			var target *metadata.ReferentialAction
			switch {
			case p.acceptWords("DELETE"):
				target = &fk.onDelete
			case p.acceptWords("UPDATE"):
				target = &fk.onUpdate
			case p.acceptWords("INSERT"): // accepted and ignored by SQLite
				target = new(metadata.ReferentialAction)
			default:
				return fk, p.errorf("expected DELETE or UPDATE")
			}
			switch {
			case p.acceptWords("SET", "NULL"):
				*target = metadata.SetNull
			case p.acceptWords("SET", "DEFAULT"):
				*target = metadata.SetDefault
			case p.acceptWords("CASCADE"):
				*target = metadata.Cascade
			case p.acceptWords("RESTRICT"):
				*target = metadata.Restrict
			case p.acceptWords("NO", "ACTION"):
				*target = metadata.NoAction
			default:
				return fk, p.errorf("expected a referential action")
			}
		case p.acceptWords("MATCH"):
			// Parsed and ignored by SQLite, which checks every foreign
			// key as MATCH SIMPLE.
			if _, err := p.name(); err != nil {
				return fk, err
			}
		case p.acceptWords("NOT", "DEFERRABLE"):
			p.initially()
		case p.acceptWords("DEFERRABLE"):
			fk.deferrable = true
			fk.initiallyDeferred = p.initially()
		default:
			return fk, nil
		}
	}
}

// initially reads INITIALLY DEFERRED|IMMEDIATE and reports DEFERRED.
func (p *parser) initially() bool {
	if p.acceptWords("INITIALLY", "DEFERRED") {
		return true
	}
	p.acceptWords("INITIALLY", "IMMEDIATE")
	return false
}

// tableConstraint reads one table constraint.
func (p *parser) tableConstraint(t *tableDef) error {
	named := ""
	if p.acceptWords("CONSTRAINT") {
		var err error
		if named, err = p.name(); err != nil {
			return err
		}
	}
	switch {
	case p.acceptWords("PRIMARY", "KEY"):
		key, err := p.keyColumns()
		if err != nil {
			return err
		}
		if key.onConflict, err = p.conflict(); err != nil {
			return err
		}
		if key.autoincrement {
			for i := range t.columns {
				if strings.EqualFold(t.columns[i].name, key.columns[0]) {
					t.columns[i].autoincrement = true
				}
			}
		}
		key.name = named
		t.pk = &key
	case p.acceptWords("UNIQUE"):
		key, err := p.keyColumns()
		if err != nil {
			return err
		}
		if key.onConflict, err = p.conflict(); err != nil {
			return err
		}
		key.name = named
		t.uniques = append(t.uniques, key)
	case p.acceptWords("CHECK"):
		expr, err := p.parens()
		if err != nil {
			return err
		}
		// SQLite's grammar takes a conflict clause after a table CHECK
		// and ignores it: a failing check always aborts.
		action, err := p.conflict()
		if err != nil {
			return err
		}
		if action != "" {
			t.dropped = append(t.dropped, fmt.Sprintf("ON CONFLICT %s on CHECK (%s), which SQLite ignores", action, expr))
		}
		t.checks = append(t.checks, metadata.Check{Name: named, Expr: expr})
	case p.acceptWords("FOREIGN", "KEY"):
		key, err := p.keyColumns()
		if err != nil {
			return err
		}
		if err := p.expectWords("REFERENCES"); err != nil {
			return err
		}
		fk, err := p.references()
		if err != nil {
			return err
		}
		fk.name, fk.columns = named, key.columns
		t.foreignKeys = append(t.foreignKeys, fk)
	default:
		return p.errorf("expected PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY")
	}
	return nil
}

// keyColumns reads ( name [COLLATE x] [ASC|DESC], ... ).
func (p *parser) keyColumns() (keyDef, error) {
	var key keyDef
	if err := p.expectPunct("("); err != nil {
		return key, err
	}
	for {
		el := p.element()
		if len(el) == 0 {
			return key, p.errorf("expected a column name")
		}
		// SQLite's grammar takes PRIMARY KEY (id AUTOINCREMENT).
		if n := len(el); n > 1 && isWord(el[n-1], "AUTOINCREMENT") {
			key.autoincrement = true
			el = el[:n-1]
		}
		switch el[0].kind {
		case tkWord, tkQuoted, tkString:
			key.columns = append(key.columns, el[0].value)
		default:
			return key, p.errorf("expected a column name")
		}
		// What may follow the name: SQLite refuses expressions in a
		// key, so only COLLATE and ASC or DESC.
		coll, desc := "", false
		for i := 1; i < len(el); i++ {
			switch {
			case isWord(el[i], "COLLATE") && i+1 < len(el):
				coll = el[i+1].value
				i++
			case isWord(el[i], "DESC"):
				desc = true
			case isWord(el[i], "ASC"):
			default:
				return key, fmt.Errorf("unexpected %q in the key column %q", el[i].value, p.text(el))
			}
		}
		key.collations = append(key.collations, coll)
		key.descs = append(key.descs, desc)
		if p.acceptPunct(")") {
			return key, nil
		}
		if err := p.expectPunct(","); err != nil {
			return key, err
		}
	}
}
