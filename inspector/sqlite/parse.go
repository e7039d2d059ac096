package sqlite

import (
	"fmt"
	"strings"
	"sync"
)

// The parsers here read the CREATE statements SQLite keeps in
// sqlite_schema.sql, which is where the whole schema is: SQLite rebuilds
// its own idea of every table by parsing this same text when it opens the
// database. They follow SQLite's grammar (and its few quirks, noted where
// they are reproduced) closely enough to walk any statement SQLite
// accepted. The tests hold them to what SQLite's pragmas report.

// parser walks the tokens of one statement.
type parser struct {
	src  string
	toks []token
	pos  int
	buf  *[]token
}

// tokenBuffers recycles token slices: a large schema has thousands of
// statements, each tokenized once and dropped.
var tokenBuffers = sync.Pool{New: func() any { return new([]token) }}

// newParser tokenizes src. The caller calls release when done with the
// parser (what it returned holds no token).
func newParser(src string) (*parser, error) {
	buf := tokenBuffers.Get().(*[]token)
	toks, err := lexAppend((*buf)[:0], src)
	if err != nil {
		tokenBuffers.Put(buf)
		return nil, err
	}
	return &parser{src: src, toks: toks, buf: buf}, nil
}

// release gives the parser's tokens back for reuse.
func (p *parser) release() {
	*p.buf = p.toks[:0]
	tokenBuffers.Put(p.buf)
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

// indexDef is what a CREATE INDEX statement says.
type indexDef struct {
	unique bool
	table  string
	parts  []indexPartDef
	where  string
}

type indexPartDef struct {
	// text is the column or expression as written, without COLLATE and
	// ASC/DESC.
	text string
	// name is the name the part consists of, when it is one name (maybe
	// in parentheses): it is a column if the table has a column so named.
	name      string
	collation string
	desc      bool
}

// parseCreateIndex reads a CREATE INDEX statement.
func parseCreateIndex(sql string) (*indexDef, error) {
	p, err := newParser(sql)
	if err != nil {
		return nil, err
	}
	defer p.release()
	ix := &indexDef{}
	if ix.unique, err = p.createPrefix("INDEX"); err != nil {
		return nil, err
	}
	if _, err := p.qualifiedName(); err != nil {
		return nil, err
	}
	if err := p.expectWords("ON"); err != nil {
		return nil, err
	}
	if ix.table, err = p.name(); err != nil {
		return nil, err
	}
	if err := p.expectPunct("("); err != nil {
		return nil, err
	}
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
		// SQLite drops the parentheses around a lone name and takes a
		// string for a name here.
		for len(el) >= 3 && isPunct(el[0], "(") && isPunct(el[len(el)-1], ")") {
			el = el[1 : len(el)-1]
		}
		if len(el) == 1 && (el[0].kind == tkWord || el[0].kind == tkQuoted || el[0].kind == tkString) {
			part.name = el[0].value
		}
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
	defer p.release()
	if _, err := p.createPrefix("VIEW"); err != nil {
		return nil, err
	}
	if _, err := p.qualifiedName(); err != nil {
		return nil, err
	}
	v := &viewDef{}
	if isPunct(p.peek(), "(") {
		key, err := p.keyColumns()
		if err != nil {
			return nil, err
		}
		v.columns = key.columns
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
	defer p.release()
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
