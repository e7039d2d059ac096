package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dbtool/dbtool/metadata"
	"github.com/dbtool/dbtool/sqlscript"
)

// Source is a declared schema read from files: schema files (YAML or
// JSON), or .sql scripts of DDL, which are loaded into a scratch database
// and inspected, so that a team that keeps its schema as plain SQL (or as
// pg_dump --schema-only output) is served too.
type Source struct {
	// Schema is the declared schema, validated (metadata.Validate).
	Schema *metadata.MetaData
	// Notes say what a .sql script had that a schema source skips: data
	// statements (INSERT, COPY ... FROM stdin), sequence values.
	Notes []string
}

// IsSQLSource reports whether paths name .sql scripts (or directories of
// them) rather than schema files.
func IsSQLSource(paths []string) bool {
	for _, p := range paths {
		if strings.EqualFold(filepath.Ext(p), ".sql") {
			return true
		}
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			if m, _ := filepath.Glob(filepath.Join(p, "*.sql")); len(m) > 0 {
				return true
			}
		}
	}
	return false
}

// LoadSource reads a declared schema from paths, for comparing it with
// this database: schema files are read as they are, .sql scripts are run
// into a scratch database of this database's kind (devURL as Plan takes
// it) and inspected. stdin is read for the path "-".
func (e *Engine) LoadSource(ctx context.Context, paths []string, stdin io.Reader, devURL string) (*Source, error) {
	if !IsSQLSource(paths) {
		m, err := metadata.LoadFrom(stdin, paths...)
		if err != nil {
			return nil, err
		}
		return &Source{Schema: m}, nil
	}
	files, err := sqlFiles(paths)
	if err != nil {
		return nil, err
	}
	sr, ok := e.driver.(scriptRunner)
	if !ok {
		return nil, fmt.Errorf("%s: .sql sources are not supported", e.URL.Dialect)
	}
	src := &Source{}
	var stmts []sqlscript.Statement
	for _, f := range files {
		s, notes, err := sqlscript.ReadFile(f, sr.scriptSyntax())
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, s...)
		for _, n := range notes {
			src.Notes = append(src.Notes, n.String())
		}
	}
	scratch, err := e.openScratch(ctx, devURL)
	if err != nil {
		return nil, err
	}
	defer scratch.close(context.WithoutCancel(ctx))
	run, ok := scratch.driver.(scriptRunner)
	if !ok {
		return nil, fmt.Errorf("%s: .sql sources are not supported", e.URL.Dialect)
	}
	if err := run.runScript(ctx, stmts); err != nil {
		return nil, err
	}
	res, err := scratch.driver.Inspect(ctx, metadata.Filter{})
	if err != nil {
		return nil, fmt.Errorf("reading the loaded .sql source: %w", err)
	}
	if err := metadata.Validate(res.Schema); err != nil {
		return nil, fmt.Errorf("the loaded .sql source: %w", err)
	}
	src.Schema = res.Schema
	for _, w := range res.Warnings {
		src.Notes = append(src.Notes, "the .sql source has what dbtool does not manage: "+w)
	}
	return src, nil
}

// scriptRunner is a driver that runs .sql scripts: every driver is one.
type scriptRunner interface {
	scriptSyntax() sqlscript.Syntax
	// runScript runs statements as the database's own shell would, on
	// one connection.
	runScript(ctx context.Context, stmts []sqlscript.Statement) error
}

// sqlFiles expands directories to their .sql files, in name order, and
// refuses a mix of .sql scripts and schema files.
func sqlFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			if !strings.EqualFold(filepath.Ext(p), ".sql") {
				return nil, fmt.Errorf("%s: a source is either .sql scripts or schema files, not both", p)
			}
			out = append(out, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		for _, en := range entries {
			switch strings.ToLower(filepath.Ext(en.Name())) {
			case ".sql":
				out = append(out, filepath.Join(p, en.Name()))
			case ".yaml", ".yml", ".json":
				return nil, fmt.Errorf("%s: a source is either .sql scripts or schema files, not both", filepath.Join(p, en.Name()))
			}
		}
	}
	slices.Sort(out)
	if len(out) == 0 {
		return nil, errors.New("no .sql file found")
	}
	return out, nil
}
