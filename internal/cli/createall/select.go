package createall

import (
	"fmt"

	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/metadata"
)

// Select returns the part of m that --schema, --table and --exclude keep:
//
//   - --schema keeps the objects in those namespaces (an object declared
//     without one is in the default namespace, which passes as "public",
//     PostgreSQL's, or "main", SQLite's);
//   - --table and --exclude keep the tables, views and virtual tables whose
//     name (or schema.name) they match;
//   - a trigger goes with its table; extensions, which belong to the
//     database, always stay.
//
// What the kept objects need must be kept too: a foreign key to a table
// left out is an error that says so, not a statement that fails later.
func Select(m *metadata.MetaData, f inspector.Options) (*metadata.MetaData, error) {
	inSchema := func(schema string) bool {
		if schema == "" {
			return f.MatchSchema("") || f.MatchSchema("public") || f.MatchSchema("main")
		}
		return f.MatchSchema(schema)
	}
	keepRel := func(schema, name string) bool { return inSchema(schema) && f.Match(schema, name) }

	out := &metadata.MetaData{Extensions: m.Extensions}
	for _, s := range m.Schemas {
		if inSchema(s.Name) {
			out.Schemas = append(out.Schemas, s)
		}
	}
	for _, e := range m.Enums {
		if inSchema(e.Schema) {
			out.Enums = append(out.Enums, e)
		}
	}
	for _, d := range m.Domains {
		if inSchema(d.Schema) {
			out.Domains = append(out.Domains, d)
		}
	}
	for _, s := range m.Sequences {
		if inSchema(s.Schema) {
			out.Sequences = append(out.Sequences, s)
		}
	}
	for _, fn := range m.Functions {
		if inSchema(fn.Schema) {
			out.Functions = append(out.Functions, fn)
		}
	}
	for _, t := range m.Tables {
		if keepRel(t.Schema, t.Name) {
			out.Tables = append(out.Tables, t)
		}
	}
	for _, vt := range m.VirtualTables {
		if keepRel("", vt.Name) {
			out.VirtualTables = append(out.VirtualTables, vt)
		}
	}
	for _, v := range m.Views {
		if keepRel(v.Schema, v.Name) {
			out.Views = append(out.Views, v)
		}
	}
	for _, tr := range m.Triggers {
		ref := metadata.TableRef{Schema: tr.Schema, Name: tr.Table}
		if out.Table(ref) != nil || out.View(ref) != nil {
			out.Triggers = append(out.Triggers, tr)
		}
	}
	if err := metadata.Validate(out); err != nil {
		return nil, fmt.Errorf("--schema, --table and --exclude leave out objects that the selected ones need:\n%w", err)
	}
	return out, nil
}
