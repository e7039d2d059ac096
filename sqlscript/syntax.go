package sqlscript

// Syntax is the lexical rules of one database's scripts: how it quotes,
// comments and nests, and which shell commands a script may hold. Use
// PostgreSQL or SQLite; the zero Syntax is not usable.
type Syntax struct {
	name string
	// escapeStrings: E'...' strings take backslash escapes.
	escapeStrings bool
	// dollarQuotes: $$...$$ and $tag$...$tag$ quote.
	dollarQuotes bool
	// nestedComments: /* /* */ */ is one comment.
	nestedComments bool
	// backquotes and brackets quote identifiers: `name`, [name].
	backquotes, brackets bool
	// parens: a semicolon inside parentheses does not end a statement.
	parens bool
	// block reports whether a statement beginning with these words (the
	// first four unquoted words, lower-cased) holds a BEGIN ... END body
	// whose semicolons do not end it.
	block func(words []string) bool
	// meta is the character that starts a shell command; metaAnywhere
	// says it does anywhere outside quotes (psql's backslash), not only
	// first on a line between statements (sqlite3's dot).
	meta         byte
	metaAnywhere bool
	// hashComments: a line starting with # between statements is a
	// comment.
	hashComments bool
	// commands maps a shell command's name to what to do with it;
	// commandPrefixes does the same for families (psql's \d...).
	commands        map[string]command
	commandPrefixes map[string]command
}

// command is what a shell command means to a schema source.
type command struct {
	action commandAction
	why    string // for refused commands: what it would do
}

type commandAction int

const (
	refuse commandAction = iota // an error: it changes what runs
	ignore                      // skipped: it only changes the shell's display or variables
	quit                        // the script ends here
)

// String returns the database's name.
func (s Syntax) String() string { return s.name }

// PostgreSQL is the syntax of scripts psql runs.
var PostgreSQL = Syntax{
	name:           "PostgreSQL",
	escapeStrings:  true,
	dollarQuotes:   true,
	nestedComments: true,
	parens:         true,
	block:          createRoutine,
	meta:           '\\',
	metaAnywhere:   true,
	commands: commandTable(
		[]string{"restrict", "unrestrict", "set", "unset", "pset", "echo", "qecho", "warn",
			"timing", "encoding", "a", "C", "f", "H", "t", "T", "x", "o", "out", "conninfo",
			"errverbose", "?", "h", "help", "l", "list", "z"},
		[]string{"q", "quit"},
		map[string]string{
			"c": "it connects to another database", "connect": "it connects to another database",
			"i": "it reads another file; pass that file as a source itself", "include": "it reads another file; pass that file as a source itself",
			"ir": "it reads another file; pass that file as a source itself", "include_relative": "it reads another file; pass that file as a source itself",
			"copy": "it copies data", "g": "it runs the statement buffer", "gx": "it runs the statement buffer",
			"gexec": "it runs what a query returns", "gset": "it sets variables from a query",
			"if": "it runs statements conditionally", "elif": "it runs statements conditionally",
			"else": "it runs statements conditionally", "endif": "it runs statements conditionally",
			"!": "it runs a shell command", "setenv": "it changes the environment",
		}),
	commandPrefixes: map[string]command{"d": {action: ignore}},
}

// SQLite is the syntax of scripts the sqlite3 shell runs.
var SQLite = Syntax{
	name:         "SQLite",
	backquotes:   true,
	brackets:     true,
	block:        createTrigger,
	meta:         '.',
	hashComments: true,
	commands: commandTable(
		[]string{"bail", "changes", "echo", "headers", "mode", "nullvalue", "output", "once",
			"print", "separator", "show", "timer", "width"},
		[]string{"quit", "exit"},
		map[string]string{
			"read": "it reads another file; pass that file as a source itself", "open": "it opens another database",
			"import": "it imports data", "load": "it loads an extension", "shell": "it runs a shell command",
			"system": "it runs a shell command", "restore": "it replaces the database",
		}),
}

// commandTable builds a Syntax's command map.
func commandTable(ignored, quits []string, refused map[string]string) map[string]command {
	m := make(map[string]command, len(ignored)+len(quits)+len(refused))
	for _, n := range ignored {
		m[n] = command{action: ignore}
	}
	for _, n := range quits {
		m[n] = command{action: quit}
	}
	for n, why := range refused {
		m[n] = command{action: refuse, why: why}
	}
	return m
}

// lookup returns what to do with the shell command name; an unknown
// command is refused.
func (s *Syntax) lookup(name string) command {
	if c, ok := s.commands[name]; ok {
		return c
	}
	for p, c := range s.commandPrefixes {
		if len(name) >= len(p) && name[:len(p)] == p {
			return c
		}
	}
	return command{action: refuse, why: "it is not one a schema source may hold"}
}

// createRoutine matches CREATE [OR REPLACE] FUNCTION|PROCEDURE, whose
// SQL-standard body (BEGIN ATOMIC ... END) holds semicolons.
func createRoutine(w []string) bool {
	if len(w) < 2 || w[0] != "create" {
		return false
	}
	w = w[1:]
	if len(w) >= 3 && w[0] == "or" && w[1] == "replace" {
		w = w[2:]
	}
	return w[0] == "function" || w[0] == "procedure"
}

// createTrigger matches CREATE [TEMP|TEMPORARY] TRIGGER, whose body
// (BEGIN ...; ...; END) holds semicolons.
func createTrigger(w []string) bool {
	if len(w) < 2 || w[0] != "create" {
		return false
	}
	if w[1] == "temp" || w[1] == "temporary" {
		return len(w) >= 3 && w[2] == "trigger"
	}
	return w[1] == "trigger"
}
