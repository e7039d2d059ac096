package inspect

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/dbtool/dbtool/internal/iostreams"
	"github.com/dbtool/dbtool/metadata"
	"golang.org/x/text/width"
)

// printText writes the readable listing of a schema: one block per object,
// tables with their columns aligned and their keys, constraints and
// indexes beneath. Colour comes from cs only, so piped output is plain.
func printText(w io.Writer, cs *iostreams.ColorScheme, m *metadata.MetaData) error {
	bw := bufio.NewWriter(w)
	p := &textPrinter{w: bw, cs: cs}
	p.schema(m)
	return bw.Flush()
}

type textPrinter struct {
	w  *bufio.Writer
	cs *iostreams.ColorScheme
	// lastKind is the kind of the last block; multiline is set when it
	// had lines under its header. One-line blocks of the same kind (a run
	// of extensions, of enums) are written without blank lines between.
	lastKind  string
	multiline bool
}

// header starts a block: "kind name" and what qualifies it.
func (p *textPrinter) header(kind, name string, extra ...string) {
	if p.lastKind != "" && (p.multiline || p.lastKind != kind) {
		p.w.WriteString("\n")
	}
	p.lastKind, p.multiline = kind, false
	p.w.WriteString(p.cs.Dim(kind) + " " + p.cs.Bold(name))
	for _, e := range extra {
		if e != "" {
			p.w.WriteString(" " + e)
		}
	}
	p.w.WriteString("\n")
}

// line writes one indented line of a block.
func (p *textPrinter) line(s string) {
	p.multiline = true
	p.w.WriteString("  " + s + "\n")
}

// body writes SQL text (a view's query, a trigger) indented under its block.
func (p *textPrinter) body(sql string) {
	p.multiline = true
	for _, l := range strings.Split(strings.TrimRight(sql, "\n; \t"), "\n") {
		p.w.WriteString("    " + strings.TrimRight(l, " \t") + "\n")
	}
}

func (p *textPrinter) comment(c string) {
	if c != "" {
		p.line(p.cs.Dim("comment: " + strings.ReplaceAll(c, "\n", " ")))
	}
}

func (p *textPrinter) schema(m *metadata.MetaData) {
	empty := true
	for _, e := range m.Extensions {
		empty = false
		extra := ""
		if e.Schema != "" {
			extra = p.cs.Dim("in schema ") + ident(e.Schema)
		}
		p.header("extension", ident(e.Name), extra)
	}
	for _, s := range m.Schemas {
		empty = false
		p.header("schema", ident(s.Name))
		p.comment(s.Comment)
	}
	for _, e := range m.Enums {
		empty = false
		vals := make([]string, len(e.Values))
		for i, v := range e.Values {
			vals[i] = sqlString(v)
		}
		p.header("enum", qualified(e.Schema, e.Name), "("+strings.Join(vals, ", ")+")")
		p.comment(e.Comment)
	}
	for _, d := range m.Domains {
		empty = false
		p.domain(d)
	}
	for _, s := range m.Sequences {
		empty = false
		p.sequence(s)
	}
	for _, f := range m.Functions {
		empty = false
		kind := f.Kind
		if kind == "" {
			kind = "function"
		}
		p.header(kind, qualified(f.Schema, f.Name)+"("+f.Args+")")
		p.comment(f.Comment)
	}
	for i := range m.Tables {
		empty = false
		p.table(&m.Tables[i])
	}
	for _, vt := range m.VirtualTables {
		empty = false
		p.header("virtual table", ident(vt.Name), p.cs.Dim("using")+" "+vt.Using)
	}
	for i := range m.Views {
		empty = false
		p.view(&m.Views[i])
	}
	for _, tr := range m.Triggers {
		empty = false
		p.header("trigger", ident(tr.Name), p.cs.Dim("on")+" "+qualified(tr.Schema, tr.Table))
		p.body(tr.Definition)
		p.comment(tr.Comment)
	}
	if empty {
		p.w.WriteString(p.cs.Dim("no tables or views") + "\n")
	}
}

func (p *textPrinter) domain(d metadata.Domain) {
	var extra []string
	if d.Type != nil {
		extra = append(extra, p.cs.Cyan(d.Type.String()))
	}
	if d.Collation != "" {
		extra = append(extra, p.cs.Dim("collate")+" "+d.Collation)
	}
	if d.NotNull {
		extra = append(extra, p.cs.Red("NOT NULL"))
	}
	if d.Default != nil {
		extra = append(extra, p.cs.Dim("default")+" "+p.cs.Magenta(formatDefault(d.Default)))
	}
	p.header("domain", qualified(d.Schema, d.Name), extra...)
	p.checks(d.Checks)
	p.comment(d.Comment)
}

func (p *textPrinter) sequence(s metadata.Sequence) {
	var extra []string
	if s.Type != nil {
		extra = append(extra, p.cs.Cyan(s.Type.String()))
	}
	num := func(label string, v *int64) {
		if v != nil {
			extra = append(extra, p.cs.Dim(label)+" "+fmt.Sprint(*v))
		}
	}
	num("start", s.Start)
	num("increment", s.Increment)
	num("min", s.MinValue)
	num("max", s.MaxValue)
	num("cache", s.Cache)
	if s.Cycle {
		extra = append(extra, "cycle")
	}
	if s.OwnedBy != "" {
		extra = append(extra, p.cs.Dim("owned by")+" "+s.OwnedBy)
	}
	p.header("sequence", qualified(s.Schema, s.Name), extra...)
	p.comment(s.Comment)
}

func (p *textPrinter) table(t *metadata.Table) {
	var extra []string
	if t.PartitionBy != "" {
		extra = append(extra, p.cs.Dim("partition by")+" "+t.PartitionBy)
	}
	if po := t.PartitionOf; po != nil {
		extra = append(extra, p.cs.Dim("partition of")+" "+qualified(po.Parent.Schema, po.Parent.Name)+" "+po.Bound)
	}
	if len(t.Inherits) > 0 {
		parents := make([]string, len(t.Inherits))
		for i, r := range t.Inherits {
			parents[i] = qualified(r.Schema, r.Name)
		}
		extra = append(extra, p.cs.Dim("inherits")+" ("+strings.Join(parents, ", ")+")")
	}
	if t.WithoutRowID {
		extra = append(extra, p.cs.Dim("without rowid"))
	}
	if t.Strict {
		extra = append(extra, p.cs.Dim("strict"))
	}
	switch {
	case t.ForceRowLevelSecurity:
		extra = append(extra, p.cs.Dim("row level security (forced)"))
	case t.RowLevelSecurity:
		extra = append(extra, p.cs.Dim("row level security"))
	}
	p.header("table", qualified(t.Schema, t.Name), extra...)
	p.columns(t.Columns)
	if pk := t.PrimaryKey; pk != nil {
		p.line(p.cs.Blue("primary key") + named(pk.Name) + " " + identList(pk.Columns))
	}
	for _, fk := range t.ForeignKeys {
		p.line(p.foreignKey(fk))
	}
	for _, u := range t.Uniques {
		s := p.cs.Blue("unique") + named(u.Name) + " " + identList(u.Columns)
		if u.NullsNotDistinct {
			s += " " + p.cs.Dim("nulls not distinct")
		}
		p.line(s)
	}
	p.checks(t.Checks)
	for _, x := range t.Exclusions {
		p.line(p.cs.Blue("exclusion") + named(x.Name) + " " + x.Definition)
	}
	for _, ix := range t.Indexes {
		p.line(p.index(ix))
	}
	for _, pol := range t.Policies {
		p.line(p.policy(pol))
	}
	p.comment(t.Comment)
}

// columns writes the columns as an aligned table: name, type, NOT NULL or
// nullable, then what else the column has. Widths are measured on the
// plain text, so colour does not break the alignment.
func (p *textPrinter) columns(cols []metadata.Column) {
	type row struct{ name, typ, null, rest string }
	rows := make([]row, len(cols))
	var wName, wType int
	for i, c := range cols {
		r := row{name: ident(c.Name), null: "nullable"}
		if c.Type != nil {
			r.typ = c.Type.String()
		}
		if !c.Nullable {
			r.null = "NOT NULL"
		}
		r.rest = p.columnExtras(c)
		rows[i] = r
		wName = max(wName, displayWidth(r.name))
		wType = max(wType, displayWidth(r.typ))
	}
	for i, r := range rows {
		null := p.cs.Dim(r.null)
		if !cols[i].Nullable {
			null = p.cs.Red(r.null)
		}
		s := pad(r.name, wName) + "  " + p.cs.Cyan(r.typ) + spaces(wType-displayWidth(r.typ)) + "  "
		if r.rest == "" {
			s += null
		} else {
			s += null + spaces(len("NOT NULL")-len(r.null)) + "  " + r.rest
		}
		p.line(s)
	}
}

func (p *textPrinter) columnExtras(c metadata.Column) string {
	var parts []string
	if c.Default != nil {
		parts = append(parts, p.cs.Dim("default")+" "+p.cs.Magenta(formatDefault(c.Default)))
	}
	if c.Autoincrement {
		parts = append(parts, p.cs.Magenta("autoincrement"))
	}
	if id := c.Identity; id != nil {
		s := "identity by default"
		if id.Always {
			s = "identity always"
		}
		if id.Start != nil {
			s += fmt.Sprintf(" start %d", *id.Start)
		}
		if id.Increment != nil {
			s += fmt.Sprintf(" increment %d", *id.Increment)
		}
		parts = append(parts, p.cs.Magenta(s))
	}
	if g := c.Generated; g != nil {
		kind := "virtual"
		if g.Stored {
			kind = "stored"
		}
		parts = append(parts, p.cs.Dim("generated")+" "+p.cs.Magenta("("+g.Expr+")")+" "+p.cs.Dim(kind))
	}
	if c.Collation != "" {
		parts = append(parts, p.cs.Dim("collate")+" "+c.Collation)
	}
	if c.Comment != "" {
		parts = append(parts, p.cs.Dim("-- "+strings.ReplaceAll(c.Comment, "\n", " ")))
	}
	return strings.Join(parts, "  ")
}

func (p *textPrinter) foreignKey(fk metadata.ForeignKey) string {
	s := p.cs.Blue("foreign key") + named(fk.Name) + " " + identList(fk.Columns) +
		" -> " + qualified(fk.References.Schema, fk.References.Table) + " " + identList(fk.References.Columns)
	if fk.OnDelete != metadata.NoAction {
		s += " " + p.cs.Dim("ON DELETE "+strings.ToUpper(string(fk.OnDelete)))
	}
	if fk.OnUpdate != metadata.NoAction {
		s += " " + p.cs.Dim("ON UPDATE "+strings.ToUpper(string(fk.OnUpdate)))
	}
	if fk.Match != "" {
		s += " " + p.cs.Dim("MATCH "+strings.ToUpper(fk.Match))
	}
	if fk.Deferrable {
		s += " " + p.cs.Dim("DEFERRABLE")
		if fk.InitiallyDeferred {
			s += " " + p.cs.Dim("INITIALLY DEFERRED")
		}
	}
	return s
}

func (p *textPrinter) checks(checks []metadata.Check) {
	for _, c := range checks {
		p.line(p.cs.Blue("check") + named(c.Name) + " " + p.cs.Magenta("("+c.Expr+")"))
	}
}

func (p *textPrinter) index(ix metadata.Index) string {
	s := p.cs.Blue("index") + " " + ident(ix.Name)
	if ix.Unique {
		s += " " + p.cs.Blue("unique")
	}
	if ix.Method != "" {
		s += " " + p.cs.Dim("using") + " " + ix.Method
	}
	parts := make([]string, len(ix.Parts))
	for i, part := range ix.Parts {
		x := ident(part.Column)
		if part.Expr != "" {
			x = p.cs.Magenta(part.Expr)
		}
		if part.Collation != "" {
			x += " " + p.cs.Dim("collate") + " " + part.Collation
		}
		if part.OpClass != "" {
			x += " " + part.OpClass
		}
		if part.Desc {
			x += " " + p.cs.Dim("desc")
		}
		if part.Nulls != "" {
			x += " " + p.cs.Dim("nulls "+part.Nulls)
		}
		parts[i] = x
	}
	s += " (" + strings.Join(parts, ", ") + ")"
	if len(ix.Include) > 0 {
		s += " " + p.cs.Dim("include") + " " + identList(ix.Include)
	}
	if ix.Where != "" {
		s += " " + p.cs.Dim("where") + " " + p.cs.Magenta(ix.Where)
	}
	if ix.Comment != "" {
		s += "  " + p.cs.Dim("-- "+strings.ReplaceAll(ix.Comment, "\n", " "))
	}
	return s
}

func (p *textPrinter) policy(pol metadata.Policy) string {
	s := p.cs.Blue("policy") + " " + ident(pol.Name)
	if pol.Restrictive {
		s += " " + p.cs.Dim("restrictive")
	}
	cmd := pol.Command
	if cmd == "" {
		cmd = "all"
	}
	s += " " + p.cs.Dim("for") + " " + cmd
	if len(pol.Roles) > 0 {
		s += " " + p.cs.Dim("to") + " " + strings.Join(pol.Roles, ", ")
	}
	if pol.Using != "" {
		s += " " + p.cs.Dim("using") + " " + p.cs.Magenta("("+pol.Using+")")
	}
	if pol.WithCheck != "" {
		s += " " + p.cs.Dim("with check") + " " + p.cs.Magenta("("+pol.WithCheck+")")
	}
	return s
}

func (p *textPrinter) view(v *metadata.View) {
	kind := "view"
	if v.Materialized {
		kind = "materialized view"
	}
	var extra []string
	if len(v.Columns) > 0 {
		extra = append(extra, identList(v.Columns))
	}
	if v.CheckOption != "" {
		extra = append(extra, p.cs.Dim("with "+v.CheckOption+" check option"))
	}
	p.header(kind, qualified(v.Schema, v.Name), extra...)
	p.body(v.Definition)
	for _, ix := range v.Indexes {
		p.line(p.index(ix))
	}
	p.comment(v.Comment)
}

// named is " name" for a named constraint, "" for one the database named.
func named(name string) string {
	if name == "" {
		return ""
	}
	return " " + ident(name)
}

// ident shows a name as SQL would need it: bare when it is a plain
// identifier, double-quoted otherwise.
func ident(name string) string {
	if name == "" {
		return `""`
	}
	for i, r := range name {
		if !(r == '_' || unicode.IsLetter(r) || (i > 0 && (unicode.IsDigit(r) || r == '$'))) {
			return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
		}
	}
	return name
}

func qualified(schema, name string) string {
	if schema == "" {
		return ident(name)
	}
	return ident(schema) + "." + ident(name)
}

func identList(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = ident(n)
	}
	return "(" + strings.Join(out, ", ") + ")"
}

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// formatDefault writes a default as SQL.
func formatDefault(d metadata.Default) string {
	switch d := d.(type) {
	case metadata.StringLiteral:
		return sqlString(d.Value)
	case metadata.NumberLiteral:
		return d.Value
	case metadata.BoolLiteral:
		if d.Value {
			return "true"
		}
		return "false"
	case metadata.Expr:
		return d.SQL
	}
	return fmt.Sprint(d)
}

func pad(s string, width int) string { return s + spaces(width-displayWidth(s)) }

// displayWidth is how many terminal columns s takes: two for a wide or
// full-width character (CJK), none for a combining mark, one otherwise.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
		case width.LookupRune(r).Kind() == width.EastAsianWide, width.LookupRune(r).Kind() == width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}
