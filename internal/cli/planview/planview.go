// Package planview prints a migration plan, for migrate plan and diff:
// a coloured summary with the SQL (text), the SQL alone as a script that
// psql -1 -f or sqlite3 runs as it is (sql), or the changes and statements
// for machines (json, documented in docs/migrate.md).
package planview

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/dbtool/dbtool/ddl"
	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/cli/exitcode"
	"github.com/dbtool/dbtool/internal/iostreams"
	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// The output formats.
const (
	FormatText = "text"
	FormatSQL  = "sql"
	FormatJSON = "json"
)

// Formats lists the formats, for flag help and validation.
var Formats = []string{FormatText, FormatSQL, FormatJSON}

// ExitCode is what --exit-code returns for a plan: 0 no changes, 2
// changes, 3 changes of which some are destructive.
func ExitCode(p *engine.MigrationPlan) int {
	switch {
	case len(p.Changes) == 0:
		return 0
	case migrate.Worst(p.Changes).Destructive():
		return exitcode.Destructive
	}
	return exitcode.Pending
}

// Print writes the plan in the format.
func Print(ios *iostreams.IOStreams, p *engine.MigrationPlan, format string) error {
	switch format {
	case FormatSQL:
		return ddl.WriteMigrationScript(ios.Out, p.Dialect, p.Statements)
	case FormatJSON:
		b, err := json.MarshalIndent(toJSON(p), "", "  ")
		if err != nil {
			return err
		}
		_, err = ios.Out.Write(append(b, '\n'))
		return err
	}
	return printText(ios, p)
}

// sign is the mark of a change in the summary: + add, - drop, ~ modify,
// > rename.
func sign(c any) string {
	name := reflect.TypeOf(c).Name()
	switch {
	case strings.HasPrefix(name, "Add"), strings.HasPrefix(name, "Attach"):
		return "+"
	case strings.HasPrefix(name, "Drop"), strings.HasPrefix(name, "Detach"):
		return "-"
	case strings.HasPrefix(name, "Rename"):
		return ">"
	}
	return "~"
}

func printText(ios *iostreams.IOStreams, p *engine.MigrationPlan) error {
	cs := ios.ColorScheme()
	out := ios.Out
	if len(p.Changes) == 0 {
		fmt.Fprintln(out, "no changes: the database matches the schema")
		printRenames(ios, p)
		return nil
	}
	colour := func(s, text string) string {
		switch s {
		case "+":
			return cs.Green(text)
		case "-":
			return cs.Red(text)
		case ">":
			return cs.Cyan(text)
		}
		return cs.Yellow(text)
	}
	destructive, shown := 0, 0
	for _, c := range p.Changes {
		s := sign(c)
		line := colour(s, s) + " " + c.Object() + renamedTo(c)

		if mt, ok := c.(migrate.ModifyTable); ok {
			if len(mt.Changes) == 0 {
				// It only carries the table for a dialect that rebuilds
				// (a foreign key or an index of it changes, listed on
				// their own lines), or follows a rename: nothing to say.
				continue
			}
			shown++
			fmt.Fprintln(out, line)
			for _, tc := range mt.Changes {
				ts := sign(tc)
				sub := "    " + colour(ts, ts) + " " + tc.Object() + renamedTo(tc)
				if mc, ok := tc.(migrate.ModifyColumn); ok {
					sub += cs.Dim(" (" + mc.Change.String() + ")")
				}
				if h := migrate.TableChangeHazard(tc); h != migrate.Safe {
					sub += " " + hazardText(cs, h)
					if h.Destructive() {
						destructive++
					}
				}
				fmt.Fprintln(out, sub)
			}
			continue
		}
		if h := migrate.HazardOf(c); h != migrate.Safe {
			line += " " + hazardText(cs, h)
			if h.Destructive() {
				destructive++
			}
		}
		shown++
		fmt.Fprintln(out, line)
	}
	summary := fmt.Sprintf("%d change(s)", shown)
	if destructive > 0 {
		summary += ", " + cs.Red(fmt.Sprintf("%d destructive", destructive))
	}
	fmt.Fprintln(out, cs.Bold(summary))
	printRenames(ios, p)
	fmt.Fprintln(out)
	for _, s := range p.Statements {
		for _, n := range s.Notes {
			fmt.Fprintln(out, cs.Dim("-- "+n))
		}
		if s.NoTx {
			fmt.Fprintln(out, cs.Dim("-- runs outside the transaction"))
		}
		fmt.Fprintln(out, strings.TrimRight(strings.TrimSpace(s.SQL), ";")+";")
	}
	return nil
}

// renamedTo is what a rename's line adds: ` to "new"`.
func renamedTo(c any) string {
	switch c := c.(type) {
	case migrate.RenameTable:
		return " to " + metadata.QualifiedName(c.To.Schema, c.To.Name)
	case migrate.RenameIndex:
		return " to " + metadata.QuoteName(c.To)
	case migrate.RenameEnumValue:
		return " to " + metadata.QuoteName(c.To)
	case migrate.RenameColumn:
		return " to " + metadata.QuoteName(c.To)
	case migrate.RenameConstraint:
		return " to " + metadata.QuoteName(c.To)
	}
	return ""
}

func hazardText(cs *iostreams.ColorScheme, h migrate.Hazard) string {
	if h.Destructive() {
		return cs.Red("[" + h.String() + "]")
	}
	return cs.Yellow("[" + h.String() + "]")
}

func printRenames(ios *iostreams.IOStreams, p *engine.MigrationPlan) {
	for _, r := range p.Renames {
		fmt.Fprintf(ios.ErrOut, "note: %s looks like %q renamed; to rename it and keep its rows, declare %s\n", r.Object, r.From, r.Hint)
	}
}

// jsonPlan is the JSON form of a plan; docs/migrate.md documents it.
type jsonPlan struct {
	Changes     []jsonChange    `json:"changes"`
	Statements  []jsonStatement `json:"statements"`
	Renames     []jsonRename    `json:"probable_renames"`
	Destructive bool            `json:"destructive"`
}

type jsonChange struct {
	Kind        string       `json:"kind"`
	Object      string       `json:"object"`
	Hazard      string       `json:"hazard"`
	Destructive bool         `json:"destructive"`
	Risks       []jsonRisk   `json:"risks,omitempty"`
	Changes     []jsonChange `json:"changes,omitempty"`
}

type jsonRisk struct {
	Hazard string `json:"hazard"`
	Object string `json:"object"`
	Reason string `json:"reason"`
}

type jsonStatement struct {
	SQL           string   `json:"sql"`
	Object        string   `json:"object"`
	Hazard        string   `json:"hazard"`
	Destructive   bool     `json:"destructive"`
	NoTransaction bool     `json:"no_transaction,omitempty"`
	CommitFirst   bool     `json:"commit_first,omitempty"`
	Rebuild       bool     `json:"rebuild,omitempty"`
	Notes         []string `json:"notes,omitempty"`
}

type jsonRename struct {
	Object string `json:"object"`
	From   string `json:"from"`
	Hint   string `json:"hint"`
}

func toJSON(p *engine.MigrationPlan) jsonPlan {
	out := jsonPlan{Changes: []jsonChange{}, Statements: []jsonStatement{}, Renames: []jsonRename{}}
	for _, c := range p.Changes {
		h := migrate.HazardOf(c)
		jc := jsonChange{Kind: reflect.TypeOf(c).Name(), Object: c.Object(), Hazard: h.String(), Destructive: h.Destructive()}
		for _, r := range migrate.Risks(c) {
			jc.Risks = append(jc.Risks, jsonRisk{Hazard: r.Hazard.String(), Object: r.Object, Reason: r.Reason})
		}
		if mt, ok := c.(migrate.ModifyTable); ok {
			for _, tc := range mt.Changes {
				th := migrate.TableChangeHazard(tc)
				jc.Changes = append(jc.Changes, jsonChange{Kind: reflect.TypeOf(tc).Name(), Object: tc.Object(), Hazard: th.String(), Destructive: th.Destructive()})
			}
		}
		out.Destructive = out.Destructive || h.Destructive()
		out.Changes = append(out.Changes, jc)
	}
	for _, s := range p.Statements {
		out.Statements = append(out.Statements, jsonStatement{
			SQL: strings.TrimSpace(s.SQL), Object: s.Object, Hazard: s.Hazard.String(), Destructive: s.Hazard.Destructive(),
			NoTransaction: s.NoTx, CommitFirst: s.CommitFirst, Rebuild: s.Rebuild, Notes: s.Notes,
		})
	}
	for _, r := range p.Renames {
		out.Renames = append(out.Renames, jsonRename{Object: r.Object, From: r.From, Hint: r.Hint})
	}
	return out
}
