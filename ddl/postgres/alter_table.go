package postgres

import (
	"fmt"
	"strings"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// alterTable is the context of one ModifyTable: the table before and
// after, its quoted name (the new one: a rename comes first) and the
// readable name its notes use.
type alterTable struct {
	from, to *metadata.Table
	name     string
	object   string
	lowLock  bool
	// dropped are the columns dropped so far: PostgreSQL drops the
	// constraints on a dropped column with it.
	dropped map[string]bool
}

// ifGone returns "IF EXISTS " when one of columns was dropped already,
// with the constraint on it.
func (t *alterTable) ifGone(columns []string) string {
	for _, c := range columns {
		if t.dropped[c] {
			return "IF EXISTS "
		}
	}
	return ""
}

// prefix starts an ALTER TABLE on the table.
func (t *alterTable) prefix() string { return "ALTER TABLE " + t.name + " " }

// lock is the note of an ALTER TABLE that takes an ACCESS EXCLUSIVE lock.
func (t *alterTable) lock() string { return lockNote(t.object) }

// modifyTable writes a table's alterations one by one, in order, each
// statement named "<alteration> of <table>" and marked with the
// alteration's own hazard. The names of constraints the live table left
// to the server (From's unnamed ones) are the server's defaults for
// From's name.
func (d Dialect) modifyTable(c migrate.ModifyTable) ([]ddl.Statement, error) {
	t := &alterTable{from: &c.From, to: &c.To, name: qualifiedRef(c.To.Ref()), object: tableObject(c.To.Ref()), lowLock: d.LowLock}
	var out []ddl.Statement
	for _, tc := range c.Changes {
		s := &statements{object: tc.Object() + " of " + c.Object(), hazard: migrate.TableChangeHazard(tc)}
		if err := t.change(s, tc); err != nil {
			return nil, fmt.Errorf("%s: %w", tc.Object(), err)
		}
		out = append(out, s.out...)
	}
	return out, nil
}

// change writes one alteration.
func (t *alterTable) change(s *statements, tc migrate.TableChange) error {
	switch c := tc.(type) {
	case migrate.AddColumn:
		return t.addColumn(s, &c.Column)
	case migrate.DropColumn:
		s.add(t.prefix()+"DROP COLUMN "+quoteIdent(c.Column.Name), t.lock())
		if t.dropped == nil {
			t.dropped = map[string]bool{}
		}
		t.dropped[c.Column.Name] = true
	case migrate.RenameColumn:
		s.add(t.prefix()+"RENAME COLUMN "+quoteIdent(c.From)+" TO "+quoteIdent(c.To), t.lock())
		if from := t.from.Column(c.From); from != nil && from.Autoincrement {
			return renameSerial(s, t.to.Ref(), t.to.Name, c.From, c.To)
		}
	case migrate.ModifyColumn:
		return t.modifyColumn(s, c)
	case migrate.SetPrimaryKey:
		var cmds []string
		if c.From != nil {
			name := c.From.Name
			if name == "" {
				name = DefaultName(t.from.Name, nil, LabelPrimaryKey)
			}
			cmds = append(cmds, "DROP CONSTRAINT "+t.ifGone(c.From.Columns)+quoteIdent(name))
		}
		notes := []string{t.lock()}
		if c.To != nil {
			cmds = append(cmds, "ADD "+constraintName(c.To.Name)+"PRIMARY KEY ("+quoteList(c.To.Columns)+")")
			notes = append(notes, "builds the key's index and sets its columns NOT NULL, scanning the table")
		}
		s.add(t.prefix()+strings.Join(cmds, ", "), notes...)
	case migrate.AddUnique:
		u := c.Unique
		nnd := ""
		if u.NullsNotDistinct {
			nnd = "NULLS NOT DISTINCT "
		}
		s.add(t.prefix()+"ADD "+constraintName(u.Name)+"UNIQUE "+nnd+"("+quoteList(u.Columns)+")",
			t.lock(), "builds the constraint's index")
	case migrate.DropUnique:
		name := c.Unique.Name
		if name == "" {
			name = DefaultName(t.from.Name, c.Unique.Columns, LabelUnique)
		}
		t.dropConstraint(s, t.ifGone(c.Unique.Columns)+quoteIdent(name))
	case migrate.AddCheck:
		t.addCheck(s, c.Check)
	case migrate.DropCheck:
		name := c.Check.Name
		cols := checkColumns(c.Check.Expr, t.from.Columns)
		if name == "" {
			name = DefaultName(t.from.Name, cols, LabelCheck)
		}
		t.dropConstraint(s, t.ifGone(cols)+quoteIdent(name))
	case migrate.AddExclusion:
		s.add(t.prefix()+"ADD "+constraintName(c.Exclusion.Name)+strings.TrimSpace(c.Exclusion.Definition),
			t.lock(), "builds the constraint's index")
	case migrate.DropExclusion:
		if c.Exclusion.Name == "" {
			return fmt.Errorf("an exclusion constraint without a name cannot be dropped: name it")
		}
		t.dropConstraint(s, quoteIdent(c.Exclusion.Name))
	case migrate.RenameConstraint:
		if c.From == "" || c.To == "" {
			return fmt.Errorf("renaming a constraint needs both names")
		}
		s.add(t.prefix()+"RENAME CONSTRAINT "+quoteIdent(c.From)+" TO "+quoteIdent(c.To), t.lock())
	case migrate.SetTableComment:
		s.add(commentOn("TABLE", t.name, c.To))
	case migrate.SetRowLevelSecurity:
		enable, force := "DISABLE", "NO FORCE"
		if c.Enable {
			enable = "ENABLE"
		}
		if c.Force {
			force = "FORCE"
		}
		s.add(t.prefix()+enable+" ROW LEVEL SECURITY, "+force+" ROW LEVEL SECURITY", t.lock())
	case migrate.AddPolicy:
		s.add(createPolicy(t.name, &c.Policy), t.lock())
	case migrate.DropPolicy:
		s.add("DROP POLICY "+quoteIdent(c.Policy.Name)+" ON "+t.name, t.lock())
	case migrate.AttachPartition:
		parent := c.PartitionOf.Parent
		s.add("ALTER TABLE "+qualifiedRef(parent)+" ATTACH PARTITION "+t.name+" "+partitionBound(c.PartitionOf.Bound),
			"takes a SHARE UPDATE EXCLUSIVE lock on "+tableObject(parent)+" and an ACCESS EXCLUSIVE lock on "+t.object,
			"scans the table to check that its rows fall within the bound")
	case migrate.DetachPartition:
		parent := c.PartitionOf.Parent
		s.add("ALTER TABLE "+qualifiedRef(parent)+" DETACH PARTITION "+t.name,
			lockNote(tableObject(parent)+" and "+t.object))
	default:
		return fmt.Errorf("unknown table change %T", tc)
	}
	return nil
}

// dropConstraint drops a constraint by its quoted name, which may be
// preceded by IF EXISTS.
func (t *alterTable) dropConstraint(s *statements, name string) {
	s.add(t.prefix()+"DROP CONSTRAINT "+name, t.lock())
}

// addCheck adds a check constraint, which scans the table under an
// ACCESS EXCLUSIVE lock; under LowLock it is added NOT VALID and
// validated after the commit. A NOT VALID check needs a name to be
// validated by: an unnamed one is given the server's default name, which
// the inspector reads back as no name.
func (t *alterTable) addCheck(s *statements, ch metadata.Check) {
	if ch.NotValid {
		// Declared NOT VALID: the rows already there stay unchecked.
		s.add(t.prefix()+"ADD "+constraintName(ch.Name)+"CHECK ("+ch.Expr+") NOT VALID", t.lock()+", briefly: only new rows are checked")
		return
	}
	if !t.lowLock {
		s.add(t.prefix()+"ADD "+constraintName(ch.Name)+"CHECK ("+ch.Expr+")", t.lock(), noteScan)
		return
	}
	name := ch.Name
	if name == "" {
		name = DefaultName(t.to.Name, checkColumns(ch.Expr, t.to.Columns), LabelCheck)
	}
	s.add(t.prefix()+"ADD "+constraintName(name)+"CHECK ("+ch.Expr+") NOT VALID", t.lock()+", briefly: the rows are checked later")
	validate(s, t.name, name)
}

// checkColumns guesses the columns a check expression uses, which is
// what the server names an unnamed check after when there is exactly
// one: the table's columns that occur in the expression as identifiers
// (outside string constants).
func checkColumns(expr string, cols []metadata.Column) []string {
	names := map[string]bool{}
	for _, c := range cols {
		names[c.Name] = true
	}
	used := map[string]bool{}
	var order []string
	note := func(id string) {
		if names[id] && !used[id] {
			used[id] = true
			order = append(order, id)
		}
	}
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == '\'':
			j := i + 1
			for j < len(expr) {
				if expr[j] == '\'' {
					if j+1 < len(expr) && expr[j+1] == '\'' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			i = j + 1
		case c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(expr); j++ {
				if expr[j] == '"' {
					if j+1 < len(expr) && expr[j+1] == '"' {
						b.WriteByte('"')
						j++
						continue
					}
					break
				}
				b.WriteByte(expr[j])
			}
			note(b.String())
			i = j + 1
		case isIdentStart(c):
			j := i
			for j < len(expr) && (isIdentStart(expr[j]) || expr[j] >= '0' && expr[j] <= '9' || expr[j] == '$') {
				j++
			}
			note(strings.ToLower(expr[i:j]))
			i = j
		default:
			i++
		}
	}
	if len(order) == 1 {
		return order
	}
	return nil
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}
