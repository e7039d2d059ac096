package sqlscript

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode/utf8"
)

// Pos is a place in a script. Line and Column count from 1; Column counts
// characters, not bytes.
type Pos struct {
	File   string
	Line   int
	Column int
}

// String returns file:line:col.
func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column) }

// Statement is one statement of a script, to be run.
type Statement struct {
	// Pos is where the statement's first word is.
	Pos Pos
	// SQL is the statement's text as written, comments inside it and
	// white space before its semicolon included, without the semicolon.
	SQL string
}

// Note reports statements Split did not return, so that the caller can
// tell the user what a source left out.
type Note struct {
	// Pos is where the first skipped statement starts.
	Pos Pos
	// What names the kind of statement: "INSERT", "COPY ... FROM stdin",
	// "SELECT setval".
	What string
	// Why says why it was skipped.
	Why string
	// Count is how many statements of this kind were skipped one after
	// another, the last starting on line LastLine.
	Count    int
	LastLine int
}

// String returns "file:line: INSERT skipped: why", or for several
// "file:line: 3 INSERT statements skipped (through line N): why".
func (n Note) String() string {
	if n.Count <= 1 {
		return fmt.Sprintf("%s:%d: %s skipped: %s", n.Pos.File, n.Pos.Line, n.What, n.Why)
	}
	return fmt.Sprintf("%s:%d: %d %s statements skipped (through line %d): %s",
		n.Pos.File, n.Pos.Line, n.Count, n.What, n.LastLine, n.Why)
}

// Error is a script Split cannot read: an unterminated quote or comment,
// or a shell command a schema source may not hold.
type Error struct {
	Pos Pos
	Msg string
}

// Error returns "file:line:col: message".
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ReadFile reads the script at path and splits it; the statements' File
// is path as given.
func ReadFile(path string, syn Syntax) ([]Statement, []Note, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading SQL source: %w", err)
	}
	return Split(path, src, syn)
}

// Split cuts the script src, read from file, into the statements to run,
// in order, and notes on the statements it skipped (see the package
// documentation). A script it cannot read is an *Error naming file:line:col.
func Split(file string, src []byte, syn Syntax) ([]Statement, []Note, error) {
	text := string(src)
	segs, err := scan(text, &syn)
	lines := lineStarts(text)
	pos := func(off int) Pos { return position(file, text, lines, off) }
	if e := (*scanError)(nil); errors.As(err, &e) {
		return nil, nil, &Error{Pos: pos(e.off), Msg: e.msg}
	} else if err != nil {
		return nil, nil, err
	}
	var (
		stmts []Statement
		notes []Note
		// merge: the last note may take the next skipped statement of
		// its kind (nothing ran in between).
		merge bool
	)
	for _, sg := range segs {
		switch sg.kind {
		case segRun:
			stmts = append(stmts, Statement{Pos: pos(sg.start), SQL: text[sg.start:sg.end]})
			merge = false
		case segSkip:
			p := pos(sg.start)
			if last := len(notes) - 1; merge && notes[last].What == sg.what {
				notes[last].Count++
				notes[last].LastLine = p.Line
				continue
			}
			notes = append(notes, Note{Pos: p, What: sg.what, Why: sg.why, Count: 1, LastLine: p.Line})
			merge = true
		}
	}
	return stmts, notes, nil
}

// lineStarts returns the byte offset at which each line starts.
func lineStarts(src string) []int {
	starts := []int{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// position turns a byte offset into a Pos.
func position(file, src string, lines []int, off int) Pos {
	line := sort.Search(len(lines), func(i int) bool { return lines[i] > off }) - 1
	from := lines[line]
	if from == 0 && strings.HasPrefix(src, bom) {
		from = len(bom)
	}
	col := 1
	if off > from {
		col += utf8.RuneCountInString(src[from:off])
	}
	return Pos{File: file, Line: line + 1, Column: col}
}

const bom = "\uFEFF"

// segKind is what a piece of a script is.
type segKind int

const (
	segRun   segKind = iota // a statement to run
	segSkip                 // a statement skipped with a note
	segDrop                 // a statement dropped silently (transaction control)
	segShell                // a shell command or a # comment line, skipped
	segData                 // the data rows of COPY ... FROM stdin, through \.
)

// segment is a piece of a script: src[start:end]. A statement's segment
// does not hold its semicolon.
type segment struct {
	kind       segKind
	start, end int
	what, why  string // for segSkip
}

// scanError is an error at a byte offset, made an *Error by Split.
type scanError struct {
	off int
	msg string
}

func (e *scanError) Error() string { return e.msg }

// scanner reads a script once, left to right.
type scanner struct {
	src  string
	syn  *Syntax
	i    int
	segs []segment

	// stdStrings is standard_conforming_strings: when off, backslashes
	// escape in '' strings too.
	stdStrings bool

	// The statement being read; start < 0 between statements.
	start     int
	parens    int      // open parentheses
	blocks    int      // open BEGIN (and CASE inside it) awaiting END
	words     []string // the first four unquoted words, lower-cased
	last      string   // the previous unquoted word
	fromStdin bool     // the words FROM STDIN appeared
}

// scan cuts src into segments.
func scan(src string, syn *Syntax) ([]segment, error) {
	s := &scanner{src: src, syn: syn, start: -1, stdStrings: true, words: make([]string, 0, 4)}
	if strings.HasPrefix(src, bom) {
		s.i = len(bom)
	}
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case isSpace(c):
			s.i++
		case c == '-' && s.peek(1) == '-':
			s.lineComment()
		case c == '/' && s.peek(1) == '*':
			if err := s.blockComment(); err != nil {
				return nil, err
			}
		case s.start < 0 && s.atLineStart() && c == '#' && s.syn.hashComments:
			end := s.lineEnd()
			s.segs = append(s.segs, segment{kind: segShell, start: s.i, end: end})
			s.i = end
		case c == s.syn.meta && (s.syn.metaAnywhere || s.start < 0 && s.atLineStart()):
			done, err := s.shellCommand()
			if err != nil {
				return nil, err
			}
			if done {
				return s.segs, nil
			}
		case c == ';':
			s.i++
			if s.start >= 0 && s.parens == 0 && s.blocks == 0 {
				s.finish(s.i - 1)
			}
		default:
			if s.start < 0 {
				s.begin()
			}
			if err := s.token(); err != nil {
				return nil, err
			}
		}
	}
	if s.start >= 0 {
		s.finish(len(s.src))
	}
	return s.segs, nil
}

func (s *scanner) peek(n int) byte {
	if s.i+n < len(s.src) {
		return s.src[s.i+n]
	}
	return 0
}

func (s *scanner) atLineStart() bool {
	return s.i == 0 || s.src[s.i-1] == '\n' || s.i == len(bom) && strings.HasPrefix(s.src, bom)
}

// lineEnd returns the offset of the end of the current line (its \n, or
// the end of the script).
func (s *scanner) lineEnd() int {
	if n := strings.IndexByte(s.src[s.i:], '\n'); n >= 0 {
		return s.i + n
	}
	return len(s.src)
}

func (s *scanner) lineComment() { s.i = s.lineEnd() }

func (s *scanner) blockComment() error {
	start := s.i
	s.i += 2
	depth := 1
	for s.i < len(s.src) {
		switch {
		case s.src[s.i] == '*' && s.peek(1) == '/':
			s.i += 2
			if depth--; depth == 0 {
				return nil
			}
		case s.src[s.i] == '/' && s.peek(1) == '*' && s.syn.nestedComments:
			s.i += 2
			depth++
		default:
			s.i++
		}
	}
	return &scanError{off: start, msg: "unterminated /* comment"}
}

// shellCommand reads a psql meta-command or an sqlite3 dot-command, which
// runs to the end of its line. It reports whether the script ends there.
func (s *scanner) shellCommand() (bool, error) {
	end := s.lineEnd()
	line := strings.TrimRight(s.src[s.i:end], "\r")
	name := line[1:]
	if n := strings.IndexFunc(name, func(r rune) bool { return r == ' ' || r == '\t' || r == '\\' }); n >= 0 {
		name = name[:n]
	}
	what := fmt.Sprintf("psql meta-command \\%s", name)
	if s.syn.meta != '\\' {
		what = fmt.Sprintf("sqlite3 dot-command .%s", name)
	}
	if s.start >= 0 {
		return false, &scanError{off: s.i, msg: what + " inside a statement: a schema source may hold one only between statements"}
	}
	cmd := s.syn.lookup(name)
	if cmd.action != refuse && s.syn.metaAnywhere && unquotedMeta(line[1+len(name):], s.syn.meta) {
		// psql would run what follows as another command, unseen here.
		return false, &scanError{off: s.i, msg: what + " is followed by another command on its line; put each on a line of its own"}
	}
	switch cmd.action {
	case refuse:
		return false, &scanError{off: s.i, msg: what + " is not allowed in a schema source: " + cmd.why}
	case quit:
		s.segs = append(s.segs, segment{kind: segShell, start: s.i, end: len(s.src)})
		s.i = len(s.src)
		return true, nil
	}
	s.segs = append(s.segs, segment{kind: segShell, start: s.i, end: end})
	s.i = end
	return false, nil
}

// unquotedMeta reports whether the arguments of a shell command hold the
// meta character outside single quotes.
func unquotedMeta(args string, meta byte) bool {
	quoted := false
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case '\'':
			quoted = !quoted
		case meta:
			if !quoted {
				return true
			}
		}
	}
	return false
}

// begin starts a statement at the current token.
func (s *scanner) begin() {
	s.start = s.i
	s.parens, s.blocks = 0, 0
	s.words = s.words[:0]
	s.last = ""
	s.fromStdin = false
}

// token reads one token of a statement: a quoted string or name, a word,
// or a single character.
func (s *scanner) token() error {
	c := s.src[s.i]
	switch {
	case c == '\'':
		return s.quoted('\'', "quoted string", !s.stdStrings && s.syn.escapeStrings)
	case c == '"':
		return s.quoted('"', "quoted identifier", false)
	case c == '`' && s.syn.backquotes:
		return s.quoted('`', "quoted identifier", false)
	case c == '[' && s.syn.brackets:
		n := strings.IndexByte(s.src[s.i:], ']')
		if n < 0 {
			return &scanError{off: s.i, msg: "unterminated [identifier]"}
		}
		s.i += n + 1
	case c == '$' && s.syn.dollarQuotes:
		if tag := s.dollarTag(); tag != "" {
			n := strings.Index(s.src[s.i+len(tag):], tag)
			if n < 0 {
				return &scanError{off: s.i, msg: "unterminated dollar-quoted string " + tag}
			}
			s.i += 2*len(tag) + n
			return nil
		}
		s.i++ // a parameter, $1
	case isIdentStart(c):
		return s.word()
	case isDigit(c):
		for s.i < len(s.src) && isIdentCont(s.src[s.i]) {
			s.i++
		}
	case c == '(':
		if s.syn.parens {
			s.parens++
		}
		s.i++
	case c == ')':
		if s.parens > 0 {
			s.parens--
		}
		s.i++
	default:
		s.i++
	}
	return nil
}

// quoted reads a string or identifier quoted by q, in which a doubled q
// stands for itself, and with backslashes escaping if asked.
func (s *scanner) quoted(q byte, what string, backslashes bool) error {
	start := s.i
	for s.i++; s.i < len(s.src); s.i++ {
		switch s.src[s.i] {
		case '\\':
			if backslashes {
				s.i++
			}
		case q:
			if s.peek(1) != q {
				s.i++
				return nil
			}
			s.i++
		}
	}
	return &scanError{off: start, msg: "unterminated " + what}
}

// dollarTag returns the dollar-quote opening at the current $ ($$ or
// $tag$), or "" if it opens none.
func (s *scanner) dollarTag() string {
	j := s.i + 1
	if j < len(s.src) && isIdentStart(s.src[j]) {
		for j < len(s.src) && isIdentCont(s.src[j]) && s.src[j] != '$' {
			j++
		}
	}
	if j < len(s.src) && s.src[j] == '$' {
		return s.src[s.i : j+1]
	}
	return ""
}

// word reads an unquoted word (keyword or identifier), and follows the
// BEGIN ... END blocks of the statements that have them.
func (s *scanner) word() error {
	start := s.i
	for s.i < len(s.src) && isIdentCont(s.src[s.i]) {
		s.i++
	}
	w := s.src[start:s.i]
	if s.syn.escapeStrings && (w == "E" || w == "e") && s.peek(0) == '\'' {
		return s.quoted('\'', "quoted string", true)
	}
	w = strings.ToLower(w)
	if len(s.words) < cap(s.words) {
		s.words = append(s.words, w)
	}
	if s.last == "from" && w == "stdin" {
		s.fromStdin = true
	}
	s.last = w
	if s.parens == 0 && s.syn.block != nil {
		switch {
		case w == "begin" && s.syn.block(s.words):
			s.blocks++
		case w == "case" && s.blocks > 0:
			s.blocks++
		case w == "end" && s.blocks > 0:
			s.blocks--
		}
	}
	return nil
}

// finish ends the statement at end: its semicolon, or the end of the
// script. The white space before a semicolon stays in the statement, as
// both shells send it (SQLite keeps it in sqlite_schema). For COPY ... FROM stdin it also
// skips the data rows.
func (s *scanner) finish(end int) {
	if end == len(s.src) {
		end = s.start + len(strings.TrimRight(s.src[s.start:end], " \t\r\n\f\v"))
	}
	sg := segment{start: s.start, end: end}
	sg.kind, sg.what, sg.why = s.classify()
	s.segs = append(s.segs, sg)
	s.start = -1
	if s.syn.escapeStrings && s.setsStdStrings() {
		v := s.words[len(s.words)-1]
		s.stdStrings = v != "off" && v != "false"
	}
	if sg.what == "COPY ... FROM stdin" {
		s.copyData()
	}
}

// setsStdStrings reports whether the statement is
// SET [SESSION|LOCAL] standard_conforming_strings TO|= value.
func (s *scanner) setsStdStrings() bool {
	w := s.words
	if len(w) > 0 && w[0] == "set" {
		w = w[1:]
		if len(w) > 0 && (w[0] == "session" || w[0] == "local") {
			w = w[1:]
		}
		return len(w) >= 2 && w[0] == "standard_conforming_strings"
	}
	return false
}

// dataWhy says why data statements are skipped.
const dataWhy = "a source declares structure, not data"

// classify decides what to do with the statement just read from its first
// words.
func (s *scanner) classify() (segKind, string, string) {
	w := append(s.words[:len(s.words):len(s.words)], "", "", "")
	switch w[0] {
	case "insert", "update", "delete", "merge", "replace", "truncate", "with":
		return segSkip, strings.ToUpper(w[0]), dataWhy
	case "copy":
		if s.fromStdin {
			return segSkip, "COPY ... FROM stdin", dataWhy
		}
		return segSkip, "COPY", dataWhy
	case "select":
		if w[1] == "setval" || w[1] == "pg_catalog" && w[2] == "setval" {
			return segSkip, "SELECT setval", "it sets a sequence's value, which is data"
		}
	case "vacuum", "analyze", "analyse":
		return segSkip, strings.ToUpper(w[0]), "maintenance, not structure"
	case "begin", "commit", "end", "abort":
		return segDrop, "", ""
	case "start":
		if w[1] == "transaction" {
			return segDrop, "", ""
		}
	case "rollback":
		if w[1] != "to" && w[2] != "to" {
			return segDrop, "", ""
		}
	}
	return segRun, "", ""
}

// copyData skips the data rows that follow COPY ... FROM stdin, from the
// end of its line through the line holding only \. (or the end of the
// script).
func (s *scanner) copyData() {
	start := s.i
	s.i = s.lineEnd()
	for s.i < len(s.src) {
		s.i++ // the \n
		end := s.lineEnd()
		line := strings.TrimRight(s.src[s.i:end], "\r")
		s.i = end
		if line == `\.` {
			break
		}
	}
	s.segs = append(s.segs, segment{kind: segData, start: start, end: s.i})
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isIdentStart and isIdentCont follow PostgreSQL's unquoted identifiers
// (SQLite's are the same): any byte of a multi-byte UTF-8 character is a
// letter.
func isIdentStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c >= 0x80
}

func isIdentCont(c byte) bool { return isIdentStart(c) || isDigit(c) || c == '$' }
