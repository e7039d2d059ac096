package metadata

import (
	"fmt"
	"strconv"
	"strings"
)

// Pos is a place in a schema file.
type Pos struct {
	File         string
	Line, Column int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Problem is one thing wrong with a schema. It names the object it is
// about and, when the schema came from a file, where in the file.
type Problem struct {
	// Pos is where in a schema file; zero for a model built in code.
	Pos Pos
	// Path locates the problem in the model: "tables[2].columns[0].type".
	// The file loader uses it to find Pos.
	Path string
	// Object names the object: `column "users"."id"`.
	Object  string
	Message string
	// Other is the path of a second place the problem involves, such as
	// the first definition of a duplicate; OtherPos is its file position.
	Other    string
	OtherPos Pos
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Pos.File != "" {
		b.WriteString(p.Pos.String())
		b.WriteString(": ")
	}
	if p.Object != "" {
		b.WriteString(p.Object)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	switch {
	case p.OtherPos.File != "":
		b.WriteString(" (first defined at " + p.OtherPos.String() + ")")
	case p.Other != "":
		b.WriteString(" (first defined at " + p.Other + ")")
	}
	return b.String()
}

// Problems is every problem found in a schema, returned as one error so
// that a user fixes them all in one go.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Err returns ps as an error, or nil when there is no problem.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// QuoteName quotes an identifier for messages: "users". (It is
// strconv.Quote, as %q is, without fmt's cost: validation and the diff
// name every object they look at.)
func QuoteName(name string) string { return strconv.Quote(name) }

// ObjectName names an object for messages: `table "audit"."log"`.
func ObjectName(kind, schema, name string) string {
	if schema == "" {
		return kind + " " + QuoteName(name)
	}
	return kind + " " + QuoteName(schema) + "." + QuoteName(name)
}
