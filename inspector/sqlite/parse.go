package sqlite

import (
	"fmt"
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// The parsers here read the CREATE statements SQLite keeps in
// sqlite_schema.sql, for what its pragmas do not report: constraint names,
// CHECK expressions, defaults as written, COLLATE, generated-column
// expressions, AUTOINCREMENT, DEFERRABLE, index expressions and WHERE
// clauses, view bodies. They follow SQLite's grammar closely enough to
// walk any statement SQLite accepted, and take the structure itself
// (columns, key columns, actions) from the pragmas.

// tableDef is what a CREATE TABLE statement says beyond the pragmas.
type tableDef struct {
	columns []columnDef
	// pkName is the primary key's constraint name, "" when unnamed.
	pkName string
	// uniques, checks and foreignKeys are in the order written, column
	// constraints in their column's place.
	uniques      []uniqueDef
	checks       []metadata.Check
	foreignKeys  []fkDef
	withoutRowID bool
	strict       bool
	// dropped describes clauses the model does not keep (ON CONFLICT),
	// reported as warnings.
	dropped []string
}

type columnDef struct {
	name string
	// defaultText is the default as written after DEFAULT; "" for none.
	defaultText   string
	collation     string
	generated     *metadata.Generated
	autoincrement bool
}

type uniqueDef struct {
	name    string
	columns []string
}

type fkDef struct {
	name                          string
	columns                       []string
	table                         string
	deferrable, initiallyDeferred bool
}

// parser walks the tokens of one statement.
type parser struct {
	src  string
	toks []token
	pos  int
}

func newParser(src string) (*parser, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	return &parser{src: src, toks: toks}, nil
}

func (p *parser) peek() token { return p.peekAt(0) }

func (p *parser) peekAt(n int) token {
	if p.pos+n < len(p.toks) {
		return p.toks[p.pos+n]
	}
	return token{kind: tkEOF, start: len(p.src), end: len(p.src)}
}

func (p *parser) next() token {
	t := p.peek()
	if p.pos < len(p.toks) {
		p.pos++
	}
	return t
}

func (p *parser) errorf(format string, args ...any) error {
	at := p.peek()
	near := "end of statement"
	if at.kind != tkEOF {
		near = fmt.Sprintf("%q", p.src[at.start:at.end])
	}
	return fmt.Errorf("%s near %s (offset %d)", fmt.Sprintf(format, args...), near, at.start)
}

// isWord reports whether the next token is the bare word w.
func (p *parser) isWord(w string) bool { return isWord(p.peek(), w) }

func isWord(t token, w string) bool { return t.kind == tkWord && strings.EqualFold(t.value, w) }

func isPunct(t token, s string) bool { return t.kind == tkPunct && t.value == s }

// acceptWords consumes the words if they come next, all of them.
func (p *parser) acceptWords(words ...string) bool {
	for i, w := range words {
		if !isWord(p.peekAt(i), w) {
			return false
		}
	}
	p.pos += len(words)
	return true
}

func (p *parser) expectWords(words ...string) error {
	if !p.acceptWords(words...) {
		return p.errorf("expected %s", strings.Join(words, " "))
	}
	return nil
}

func (p *parser) acceptPunct(s string) bool {
	if isPunct(p.peek(), s) {
		p.pos++
		return true
	}
	return false
}

func (p *parser) expectPunct(s string) error {
	if !p.acceptPunct(s) {
		return p.errorf("expected %q", s)
	}
	return nil
}

// name reads an identifier: a bare word, a quoted name, or a string,
// which SQLite also takes as a name (CREATE TABLE 'x').
func (p *parser) name() (string, error) {
	switch t := p.peek(); t.kind {
	case tkWord, tkQuoted, tkString:
		p.pos++
		return t.value, nil
	}
	return "", p.errorf("expected a name")
}

// qualifiedName reads [schema.]name and returns the name.
func (p *parser) qualifiedName() (string, error) {
	n, err := p.name()
	if err != nil {
		return "", err
	}
	if p.acceptPunct(".") {
		return p.name()
	}
	return n, nil
}

// parens consumes a parenthesised group and returns the text inside it,
// without surrounding white space.
func (p *parser) parens() (string, error) {
	open := p.peek()
	if !isPunct(open, "(") {
		return "", p.errorf("expected \"(\"")
	}
	depth := 0
	for {
		t := p.next()
		switch {
		case t.kind == tkEOF:
			return "", fmt.Errorf("unbalanced parentheses from offset %d", open.start)
		case isPunct(t, "("):
			depth++
		case isPunct(t, ")"):
			depth--
			if depth == 0 {
				return strings.TrimSpace(p.src[open.end:t.start]), nil
			}
		}
	}
}

// element consumes the tokens up to the next "," or ")" outside
// parentheses, which it leaves.
func (p *parser) element() []token {
	start := p.pos
	depth := 0
	for {
		t := p.peek()
		switch {
		case t.kind == tkEOF:
			return p.toks[start:p.pos]
		case isPunct(t, "("):
			depth++
		case isPunct(t, ")"):
			if depth == 0 {
				return p.toks[start:p.pos]
			}
			depth--
		case isPunct(t, ",") && depth == 0:
			return p.toks[start:p.pos]
		}
		p.pos++
	}
}

// text returns the source text that the tokens span.
func (p *parser) text(toks []token) string {
	if len(toks) == 0 {
		return ""
	}
	return p.src[toks[0].start:toks[len(toks)-1].end]
}

// createPrefix reads CREATE [TEMP|TEMPORARY] [UNIQUE] <kind...> [IF NOT
// EXISTS]; it reports whether UNIQUE was there.
func (p *parser) createPrefix(kind ...string) (unique bool, err error) {
	if err := p.expectWords("CREATE"); err != nil {
		return false, err
	}
	if !p.acceptWords("TEMP") {
		p.acceptWords("TEMPORARY")
	}
	unique = p.acceptWords("UNIQUE")
	if err := p.expectWords(kind...); err != nil {
		return false, err
	}
	p.acceptWords("IF", "NOT", "EXISTS")
	return unique, nil
}

// tableConstraintStarts are the words that begin a table constraint
// rather than a column definition.
var tableConstraintStarts = []string{"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"}

// columnConstraintStarts are the words that end a column's type.
var columnConstraintStarts = []string{"CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS"}

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
	for {
		tok := p.peek()
		if tok.kind == tkEOF || isPunct(tok, ",") || isPunct(tok, ")") || isAnyWord(tok, columnConstraintStarts) {
			break
		}
		if isPunct(tok, "(") {
			if _, err := p.parens(); err != nil {
				return err
			}
			continue
		}
		p.pos++
	}
	named := ""
	for {
		tok := p.peek()
		if tok.kind == tkEOF || isPunct(tok, ",") || isPunct(tok, ")") {
			break
		}
		p.pos++
		switch strings.ToUpper(tok.value) {
		case "CONSTRAINT":
			if named, err = p.name(); err != nil {
				return err
			}
			continue
		case "PRIMARY":
			if err := p.expectWords("KEY"); err != nil {
				return err
			}
			if !p.acceptWords("ASC") {
				p.acceptWords("DESC")
			}
			p.conflict(t, "the primary key")
			col.autoincrement = p.acceptWords("AUTOINCREMENT")
			t.pkName = named
		case "NOT":
			if err := p.expectWords("NULL"); err != nil {
				return err
			}
			p.conflict(t, "NOT NULL of column "+metadata.QuoteName(name))
		case "NULL":
			p.conflict(t, "NULL of column "+metadata.QuoteName(name))
		case "UNIQUE":
			p.conflict(t, "a unique constraint")
			t.uniques = append(t.uniques, uniqueDef{name: named, columns: []string{name}})
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

// conflict reads an optional ON CONFLICT clause, which the model does not
// keep.
func (p *parser) conflict(t *tableDef, what string) {
	if isWord(p.peek(), "ON") && isWord(p.peekAt(1), "CONFLICT") {
		action := p.peekAt(2).value
		p.pos += 3
		t.dropped = append(t.dropped, fmt.Sprintf("ON CONFLICT %s on %s", strings.ToUpper(action), what))
	}
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
		return t.value + num.value, nil
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

// references reads a foreign-key clause, after REFERENCES. The columns and
// actions come from PRAGMA foreign_key_list; what only the text says is
// DEFERRABLE.
func (p *parser) references() (fkDef, error) {
	var fk fkDef
	var err error
	if fk.table, err = p.name(); err != nil {
		return fk, err
	}
	if isPunct(p.peek(), "(") {
		if _, err := p.parens(); err != nil {
			return fk, err
		}
	}
	for {
		switch {
		case p.acceptWords("ON"):
			if !p.acceptWords("DELETE") && !p.acceptWords("UPDATE") {
				return fk, p.errorf("expected DELETE or UPDATE")
			}
			switch {
			case p.acceptWords("SET", "NULL"), p.acceptWords("SET", "DEFAULT"), p.acceptWords("CASCADE"),
				p.acceptWords("RESTRICT"), p.acceptWords("NO", "ACTION"):
			default:
				return fk, p.errorf("expected a referential action")
			}
		case p.acceptWords("MATCH"):
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
		if _, err := p.columnList(); err != nil {
			return err
		}
		p.conflict(t, "the primary key")
		t.pkName = named
	case p.acceptWords("UNIQUE"):
		cols, err := p.columnList()
		if err != nil {
			return err
		}
		p.conflict(t, "a unique constraint")
		t.uniques = append(t.uniques, uniqueDef{name: named, columns: cols})
	case p.acceptWords("CHECK"):
		expr, err := p.parens()
		if err != nil {
			return err
		}
		t.checks = append(t.checks, metadata.Check{Name: named, Expr: expr})
	case p.acceptWords("FOREIGN", "KEY"):
		cols, err := p.columnList()
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
		fk.name, fk.columns = named, cols
		t.foreignKeys = append(t.foreignKeys, fk)
	default:
		return p.errorf("expected PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY")
	}
	return nil
}

// columnList reads ( name [COLLATE x] [ASC|DESC], ... ) and returns the
// names.
func (p *parser) columnList() ([]string, error) {
	if err := p.expectPunct("("); err != nil {
		return nil, err
	}
	var names []string
	for {
		el := p.element()
		if len(el) == 0 {
			return nil, p.errorf("expected a column name")
		}
		switch el[0].kind {
		case tkWord, tkQuoted, tkString:
			names = append(names, el[0].value)
		default:
			names = append(names, p.text(el))
		}
		if p.acceptPunct(")") {
			return names, nil
		}
		if err := p.expectPunct(","); err != nil {
			return nil, err
		}
	}
}

// indexDef is what a CREATE INDEX statement says beyond the pragmas.
type indexDef struct {
	parts []indexPartDef
	where string
}

type indexPartDef struct {
	// text is the column or expression as written, without COLLATE and
	// ASC/DESC.
	text      string
	collation string
	desc      bool
}

// parseCreateIndex reads a CREATE INDEX statement.
func parseCreateIndex(sql string) (*indexDef, error) {
	p, err := newParser(sql)
	if err != nil {
		return nil, err
	}
	if _, err := p.createPrefix("INDEX"); err != nil {
		return nil, err
	}
	if _, err := p.qualifiedName(); err != nil {
		return nil, err
	}
	if err := p.expectWords("ON"); err != nil {
		return nil, err
	}
	if _, err := p.name(); err != nil {
		return nil, err
	}
	if err := p.expectPunct("("); err != nil {
		return nil, err
	}
	ix := &indexDef{}
	for {
		el := p.element()
		if len(el) == 0 {
			return nil, p.errorf("expected an indexed column")
		}
		var part indexPartDef
		if n := len(el); isWord(el[n-1], "DESC") || isWord(el[n-1], "ASC") {
			part.desc = isWord(el[n-1], "DESC")
			el = el[:n-1]
		}
		if n := len(el); n >= 3 && isWord(el[n-2], "COLLATE") {
			part.collation = el[n-1].value
			el = el[:n-2]
		}
		part.text = p.text(el)
		ix.parts = append(ix.parts, part)
		if p.acceptPunct(")") {
			break
		}
		if err := p.expectPunct(","); err != nil {
			return nil, err
		}
	}
	if where := p.peek(); isWord(where, "WHERE") {
		ix.where = strings.TrimSpace(p.src[where.end:])
	} else if where.kind != tkEOF {
		return nil, p.errorf("unexpected text after the index")
	}
	return ix, nil
}

// viewDef is a CREATE VIEW statement's column names and query.
type viewDef struct {
	columns    []string
	definition string
}

// parseCreateView reads a CREATE VIEW statement.
func parseCreateView(sql string) (*viewDef, error) {
	p, err := newParser(sql)
	if err != nil {
		return nil, err
	}
	if _, err := p.createPrefix("VIEW"); err != nil {
		return nil, err
	}
	if _, err := p.qualifiedName(); err != nil {
		return nil, err
	}
	v := &viewDef{}
	if isPunct(p.peek(), "(") {
		if v.columns, err = p.columnList(); err != nil {
			return nil, err
		}
	}
	as := p.peek()
	if err := p.expectWords("AS"); err != nil {
		return nil, err
	}
	v.definition = strings.TrimSpace(p.src[as.end:])
	return v, nil
}

// parseCreateVirtualTable reads a CREATE VIRTUAL TABLE statement and
// returns what follows USING: the module and its arguments.
func parseCreateVirtualTable(sql string) (string, error) {
	p, err := newParser(sql)
	if err != nil {
		return "", err
	}
	if _, err := p.createPrefix("VIRTUAL", "TABLE"); err != nil {
		return "", err
	}
	if _, err := p.qualifiedName(); err != nil {
		return "", err
	}
	using := p.peek()
	if err := p.expectWords("USING"); err != nil {
		return "", err
	}
	return strings.TrimSpace(p.src[using.end:]), nil
}
