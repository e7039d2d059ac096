package engine

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/migrate"
)

// SavedPlanFormat is the version of the saved-plan file format.
const SavedPlanFormat = 1

// SavedPlan is a plan written to a file (migrate plan --out) to be
// applied later, exactly, by migrate apply --plan: the plan reviewed in a
// pull request is the plan that runs on deploy. It holds the live schema
// it was computed from, so that apply can refuse it when the database has
// changed since, and say how.
type SavedPlan struct {
	Format  int    `json:"format"`
	Dialect string `json:"dialect"`
	Version string `json:"dbtool_version"`
	// Fingerprint is the live schema's (see Fingerprint).
	Fingerprint string `json:"live_fingerprint"`
	// Checksum is the statements' (see PlanChecksum).
	Checksum string `json:"plan_checksum"`
	// Changes and Statements are for the reviewer; apply computes them
	// again from Live and Want and refuses the file if they differ.
	Changes    []string         `json:"changes"`
	Statements []SavedStatement `json:"statements"`
	// Live and Want are the schemas, in the schema-file format.
	Live json.RawMessage `json:"live"`
	Want json.RawMessage `json:"want"`
	// WantShapes are the declared views' output columns as the server
	// stores them (MigrationPlan.WantShapes), which decide whether a
	// changed view is replaced in place.
	WantShapes []SavedShape `json:"want_view_shapes,omitempty"`
}

// SavedShape is one view's shape in a saved plan: its output columns,
// "name type", in order.
type SavedShape struct {
	Schema  string   `json:"schema,omitempty"`
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
}

// SavedStatement is one statement of a saved plan.
type SavedStatement struct {
	SQL           string   `json:"sql"`
	Object        string   `json:"object"`
	Hazard        string   `json:"hazard"`
	NoTransaction bool     `json:"no_transaction,omitempty"`
	CommitFirst   bool     `json:"commit_first,omitempty"`
	Notes         []string `json:"notes,omitempty"`
}

// Save returns the plan as a saved plan.
func (p *MigrationPlan) Save(dialect, version string) (*SavedPlan, error) {
	live, err := metadata.EncodeJSON(p.Live)
	if err != nil {
		return nil, err
	}
	want, err := metadata.EncodeJSON(p.Want)
	if err != nil {
		return nil, err
	}
	sp := &SavedPlan{
		Format: SavedPlanFormat, Dialect: dialect, Version: version,
		Fingerprint: Fingerprint(p.Live), Checksum: PlanChecksum(p.Statements),
		Changes: []string{}, Statements: []SavedStatement{}, Live: live, Want: want,
	}
	for _, c := range p.Changes {
		sp.Changes = append(sp.Changes, c.Object())
	}
	for ref, cols := range p.WantShapes {
		if p.Want.View(ref) == nil {
			continue // a table a view reads, made a view in the scratch database
		}
		sp.WantShapes = append(sp.WantShapes, SavedShape{Schema: ref.Schema, Name: ref.Name, Columns: cols})
	}
	slices.SortFunc(sp.WantShapes, func(a, b SavedShape) int {
		return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Name, b.Name))
	})
	for _, s := range p.Statements {
		sp.Statements = append(sp.Statements, SavedStatement{SQL: strings.TrimSpace(s.SQL), Object: s.Object,
			Hazard: s.Hazard.String(), NoTransaction: s.NoTx, CommitFirst: s.CommitFirst, Notes: s.Notes})
	}
	return sp, nil
}

// ReadSavedPlan reads a saved plan; name is for messages.
func ReadSavedPlan(name string, data []byte) (*SavedPlan, error) {
	var sp SavedPlan
	if err := json.Unmarshal(data, &sp); err != nil {
		return nil, fmt.Errorf("%s: not a saved plan: %w", name, err)
	}
	if sp.Format != SavedPlanFormat {
		return nil, fmt.Errorf("%s: saved plan format %d, this dbtool reads %d: plan again", name, sp.Format, SavedPlanFormat)
	}
	return &sp, nil
}

// ErrPlanStale is returned (wrapped) when a saved plan no longer fits the
// database: nothing was applied.
var ErrPlanStale = fmt.Errorf("the saved plan no longer fits the database")

// verifySaved checks a saved plan against the live schema and returns it
// as a plan to apply: the changes computed again from its schemas, with
// what the live server tells (srv) and the saved view shapes, whose
// statements must be the saved ones.
func (e *Engine) verifySaved(sp *SavedPlan, live *metadata.MetaData, srv migrate.Server) (*MigrationPlan, error) {
	if sp.Dialect != e.URL.Dialect {
		return nil, fmt.Errorf("%w: it was made for %s, the database is %s", ErrPlanStale, sp.Dialect, e.URL.Dialect)
	}
	savedLive, err := metadata.Parse("saved plan (live).json", sp.Live)
	if err != nil {
		return nil, fmt.Errorf("saved plan: %w", err)
	}
	if Fingerprint(live) != sp.Fingerprint {
		var changed []string
		for _, c := range migrate.Diff(savedLive, live).Changes {
			changed = append(changed, c.Object())
		}
		return nil, fmt.Errorf("%w: the database changed since it was planned (%s); plan again", ErrPlanStale, strings.Join(changed, ", "))
	}
	want, err := metadata.Parse("saved plan (want).json", sp.Want)
	if err != nil {
		return nil, fmt.Errorf("saved plan: %w", err)
	}
	srv.WantShapes = migrate.ViewShapes{}
	for _, s := range sp.WantShapes {
		srv.WantShapes[metadata.TableRef{Schema: s.Schema, Name: s.Name}] = s.Columns
	}
	plan := migrate.NewDiffer(live).DiffWith(want, srv)
	stmts, err := e.driver.Dialect().Plan(plan.Changes)
	if err != nil {
		return nil, err
	}
	if PlanChecksum(stmts) != sp.Checksum {
		return nil, fmt.Errorf("%w: its statements are not what this dbtool plans from its schemas (made by dbtool %s, or edited): plan again", ErrPlanStale, sp.Version)
	}
	return &MigrationPlan{Plan: *plan, Statements: stmts, Live: live, Want: want, WantShapes: srv.WantShapes, Dialect: e.driver.Dialect()}, nil
}
