package metadata

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// The JSON Schema in docs/dbtool.schema.json gives editors completion and
// checking of schema files. These tests keep it true to the format: every
// testdata schema validates against it, it describes every key of the
// model (and no key the model lacks), it rejects what the loader rejects
// where a JSON Schema can tell, and what dbtool itself writes validates.

const jsonSchemaPath = "../docs/dbtool.schema.json"

// columnSugar lists the keys a schema file may use that are not fields of
// the model: shorthands the loader turns into table-level constraints.
var columnSugar = map[reflect.Type][]string{
	reflect.TypeOf(Column{}): {"primary_key", "unique"},
}

func compileJSONSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(jsonSchemaPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", jsonSchemaPath, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("dbtool.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	// Compiling checks the schema against the draft 2020-12 meta-schema.
	sch, err := c.Compile("dbtool.schema.json")
	if err != nil {
		t.Fatalf("compiling %s: %v", jsonSchemaPath, err)
	}
	return sch
}

// instance reads a schema file as a JSON value, as an editor's language
// server does: JSON as is, YAML through go.yaml.in/yaml/v3.
func instance(name string, data []byte) (any, error) {
	if strings.EqualFold(filepath.Ext(name), ".json") {
		return jsonschema.UnmarshalJSON(bytes.NewReader(data))
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	return yamlValue(&doc)
}

// yamlValue turns a YAML node into the value its JSON form would decode
// to. Scalars go by their resolved tag, so that 2024-01-01 stays a string
// (as it does for a JSON reader) and 1.50 is a number.
func yamlValue(n *yaml.Node) (any, error) {
	switch n.Kind {
	case 0:
		return nil, nil
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return yamlValue(n.Content[0])
	case yaml.AliasNode:
		return yamlValue(n.Alias)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := yamlValue(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, item := range n.Content {
			v, err := yamlValue(item)
			if err != nil {
				return nil, err
			}
			s[i] = v
		}
		return s, nil
	}
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool", "!!int", "!!float":
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		return v, nil
	}
	return n.Value, nil
}

// schemaFiles lists every file under dir that the loader would read.
func schemaFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".yaml", ".yml", ".json":
			if !d.IsDir() {
				files = append(files, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestJSONSchemaAcceptsTestdataSchemas(t *testing.T) {
	sch := compileJSONSchema(t)
	files := schemaFiles(t, "../testdata/schemas")
	if len(files) < 20 {
		t.Fatalf("only %d files under testdata/schemas", len(files))
	}
	for _, f := range files {
		t.Run(filepath.ToSlash(strings.TrimPrefix(f, "../testdata/schemas/")), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			v, err := instance(f, data)
			if err != nil {
				t.Fatalf("reading %s: %v", f, err)
			}
			if err := sch.Validate(v); err != nil {
				t.Errorf("%s does not validate against the JSON Schema:\n%v", f, err)
			}
		})
	}
}

// TestTestdataSchemasLoad checks that every testdata schema, file by file
// and as the directories tests load whole, parses and validates, and that
// what dbtool writes for it (inspect --format yaml|json) validates against
// the JSON Schema too.
func TestTestdataSchemasLoad(t *testing.T) {
	sch := compileJSONSchema(t)
	var paths []string
	for _, f := range schemaFiles(t, "../testdata/schemas") {
		// The files of split/ refer to each other: they load together.
		if filepath.Dir(f) != filepath.FromSlash("../testdata/schemas/split") {
			paths = append(paths, f)
		}
	}
	// The directories load as one schema each.
	paths = append(paths, "../testdata/schemas/split", "../testdata/schemas/sqlite", "../testdata/schemas/postgres")
	for _, p := range paths {
		t.Run(filepath.ToSlash(strings.TrimPrefix(p, "../testdata/schemas/")), func(t *testing.T) {
			m, err := Load(p)
			if err != nil {
				t.Fatalf("Load(%s):\n%v", p, err)
			}
			if len(m.Tables)+len(m.Views) == 0 {
				t.Fatalf("Load(%s) found no table and no view", p)
			}
			for _, enc := range []struct {
				name   string
				encode func(*MetaData) ([]byte, error)
			}{{"out.yaml", EncodeYAML}, {"out.json", EncodeJSON}} {
				out, err := enc.encode(m)
				if err != nil {
					t.Fatal(err)
				}
				v, err := instance(enc.name, out)
				if err != nil {
					t.Fatalf("reading back %s: %v\n%s", enc.name, err, out)
				}
				if err := sch.Validate(v); err != nil {
					t.Errorf("dbtool's own %s output does not validate against the JSON Schema:\n%v\n%s", enc.name, err, out)
				}
			}
		})
	}
}

func TestSplitDirectoryMergesInNameOrder(t *testing.T) {
	m, err := Load("../testdata/schemas/split")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range m.Tables {
		names = append(names, tb.Name)
	}
	// 10_authors.yaml, 20_posts.yml, 30_comments.json; README.txt and
	// nested/ (which redefines authors) are not read.
	if want := []string{"authors", "posts", "comments"}; !slices.Equal(names, want) {
		t.Errorf("tables = %v, want %v", names, want)
	}
	if len(m.Views) != 1 || m.Views[0].Name != "post_comment_counts" {
		t.Errorf("views = %+v, want post_comment_counts from 40_views.yaml", m.Views)
	}
}

func TestJSONVariantEqualsYAML(t *testing.T) {
	y, err := Load("../testdata/schemas/users_addresses.yaml")
	if err != nil {
		t.Fatal(err)
	}
	j, err := Load("../testdata/schemas/users_addresses.json")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(y, j) {
		t.Errorf("users_addresses.json and .yaml load differently:\n%+v\n%+v", y, j)
	}
}

// TestInvalidTestdata loads each file of testdata/invalid: it must fail
// with the text its first line announces ("# error: TEXT"), and the JSON
// Schema must reject exactly the files whose fault it can see.
func TestInvalidTestdata(t *testing.T) {
	sch := compileJSONSchema(t)
	// The faults a JSON Schema can see: unknown keys, values of the wrong
	// kind, names empty or more than 63 characters, a primary key given
	// twice. The others need the whole model (duplicates, references),
	// the type parser, or a byte count.
	schemaRejects := map[string]bool{
		"bad_fk_action.yaml":   true,
		"bad_value_type.yaml":  true,
		"empty_name.yaml":      true,
		"flow_comma.yaml":      true,
		"long_name.yaml":       true,
		"pk_conflict.yaml":     true,
		"unknown_key.yaml":     true,
		"unknown_top_key.yaml": true,
	}
	want := map[string]string{
		// JSON has no comments: see testdata/invalid/README.md.
		"malformed_json.json": "malformed_json.json:5:7: malformed JSON",
	}
	files := schemaFiles(t, "../testdata/invalid")
	for _, f := range files {
		rel := filepath.ToSlash(strings.TrimPrefix(f, "../testdata/invalid/"))
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(data), "\n")
		switch {
		case strings.HasPrefix(first, "# error: "):
			want[rel] = strings.TrimPrefix(first, "# error: ")
		case strings.HasPrefix(first, "# create-all error: "):
			want[rel] = "" // loads; fails only against a database
		case want[rel] == "":
			t.Errorf("%s: first line %q states no expected error", rel, first)
		}
	}
	// The files of dup_across/ are fine alone; together they clash.
	loads := map[string]string{}
	for _, f := range files {
		rel := filepath.ToSlash(strings.TrimPrefix(f, "../testdata/invalid/"))
		if !strings.HasPrefix(rel, "dup_across/") {
			loads[rel] = f
		}
	}
	loads["dup_across/"] = "../testdata/invalid/dup_across"
	want["dup_across/"] = want["dup_across/a.yaml"]

	for rel, path := range loads {
		t.Run("load/"+rel, func(t *testing.T) {
			_, err := Load(path)
			switch {
			case want[rel] == "" && err != nil:
				t.Errorf("Load(%s) failed, but only create-all should:\n%v", rel, err)
			case want[rel] != "" && err == nil:
				t.Errorf("Load(%s) succeeded; want an error containing %q", rel, want[rel])
			case want[rel] != "" && !strings.Contains(err.Error(), want[rel]):
				t.Errorf("Load(%s) error:\n%v\nwant it to contain %q", rel, err, want[rel])
			}
			if rel == "dup_across/" && err != nil {
				for _, f := range []string{"a.yaml", "b.yaml"} {
					if !strings.Contains(err.Error(), f) {
						t.Errorf("the duplicate across files does not name %s:\n%v", f, err)
					}
				}
			}
		})
	}
	for _, f := range files {
		rel := filepath.ToSlash(strings.TrimPrefix(f, "../testdata/invalid/"))
		t.Run("jsonschema/"+rel, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			v, err := instance(f, data)
			if err != nil {
				if strings.HasPrefix(rel, "malformed_") {
					return // not even YAML or JSON
				}
				t.Fatalf("reading %s: %v", rel, err)
			}
			err = sch.Validate(v)
			if schemaRejects[rel] && err == nil {
				t.Errorf("the JSON Schema accepts %s", rel)
			}
			if !schemaRejects[rel] && err != nil {
				t.Errorf("the JSON Schema rejects %s, which it cannot tell is wrong:\n%v", rel, err)
			}
		})
	}
}

// TestJSONSchemaRejects feeds the schema small documents, each with one
// fault, next to the same document without it, so that each case shows
// the schema telling the two apart.
func TestJSONSchemaRejects(t *testing.T) {
	sch := compileJSONSchema(t)
	const table = "tables: [{name: t, columns: [%s]%s}]"
	col := func(extra string) string {
		return fmt.Sprintf(table, "{name: a, type: integer"+extra+"}", "")
	}
	withTable := func(extra string) string {
		return fmt.Sprintf(table, "{name: a, type: integer}, {name: b, type: text}", ", "+extra)
	}
	cases := []struct {
		name, good, bad string
	}{
		{"unknown column key", col(", nullable: false"), col(", nulable: false")},
		{"unknown top-level key", "tables: []", "table: []"},
		{"extension key", "x-id: &id {name: id, type: integer}\ntables: [{name: t, columns: [*id]}]",
			"y-id: &id {name: id, type: integer}\ntables: [{name: t, columns: [*id]}]"},
		{"unknown table key", withTable("comment: x"), withTable("comments: x")},
		{"nullable not a boolean", col(", nullable: false"), col(`, nullable: "no"`)},
		{"columns not a list", fmt.Sprintf(table, "{name: a, type: integer}", ""), "tables: [{name: t, columns: {name: a}}]"},
		{"type not a string", col(""), "tables: [{name: t, columns: [{name: a, type: [integer]}]}]"},
		{"column without type", col(""), "tables: [{name: t, columns: [{name: a}]}]"},
		{"table without name", col(""), "tables: [{columns: [{name: a, type: integer}]}]"},
		{"empty name", col(""), "tables: [{name: '', columns: [{name: a, type: integer}]}]"},
		{"name over 63 characters", fmt.Sprintf("tables: [{name: %s, columns: [{name: a, type: integer}]}]", strings.Repeat("n", 63)),
			fmt.Sprintf("tables: [{name: %s, columns: [{name: a, type: integer}]}]", strings.Repeat("n", 64))},
		{"default expression key", col(", default: {expr: now()}"), col(", default: {sql: now()}")},
		{"default not a scalar", col(", default: 0"), col(", default: [0]")},
		{"default null", col(", default: 0"), col(", default: null")},
		{"identity not a mapping", col(", identity: {always: true}"), col(", identity: true")},
		{"identity start not a whole number", col(", identity: {start: 10}"), col(", identity: {start: ten}")},
		{"identity and autoincrement", col(", identity: {}"), col(", identity: {}, autoincrement: true")},
		{"autoincrement with a default", col(", autoincrement: true"), col(", autoincrement: true, default: 1")},
		{"generated with a default", col(", generated: {expr: b}"), col(", generated: {expr: b}, default: 1")},
		{"primary key twice", col(", primary_key: true"), fmt.Sprintf(table, "{name: a, type: integer, primary_key: true}", ", primary_key: [a]")},
		{"primary key not a list or mapping", withTable("primary_key: [a]"), withTable("primary_key: a")},
		{"primary key mapping key", withTable("primary_key: {name: pk, columns: [a]}"), withTable("primary_key: {name: pk, column: [a]}")},
		{"index part with column and expr", withTable("indexes: [{name: i, columns: [{expr: lower(b)}]}]"),
			withTable("indexes: [{name: i, columns: [{column: b, expr: lower(b)}]}]")},
		{"index part with neither", withTable("indexes: [{name: i, columns: [{column: b, desc: true}]}]"),
			withTable("indexes: [{name: i, columns: [{desc: true}]}]")},
		{"index without columns", withTable("indexes: [{name: i, columns: [b]}]"), withTable("indexes: [{name: i}]")},
		{"nulls order", withTable("indexes: [{name: i, columns: [{column: b, nulls: last}]}]"),
			withTable("indexes: [{name: i, columns: [{column: b, nulls: end}]}]")},
		{"referential action", withTable("foreign_keys: [{columns: [a], references: {table: t, columns: [a]}, on_delete: SET NULL}]"),
			withTable("foreign_keys: [{columns: [a], references: {table: t, columns: [a]}, on_delete: nullify}]")},
		{"foreign key without references", withTable("foreign_keys: [{columns: [a], references: {table: t, columns: [a]}}]"),
			withTable("foreign_keys: [{columns: [a]}]")},
		{"initially deferred without deferrable", withTable("foreign_keys: [{columns: [a], references: {table: t, columns: [a]}, deferrable: true, initially_deferred: true}]"),
			withTable("foreign_keys: [{columns: [a], references: {table: t, columns: [a]}, initially_deferred: true}]")},
		{"match", withTable("foreign_keys: [{columns: [a], references: {table: t, columns: [a]}, match: full}]"),
			withTable("foreign_keys: [{columns: [a], references: {table: t, columns: [a]}, match: fully}]")},
		{"check without expr", withTable("checks: [{name: c, expr: a > 0}]"), withTable("checks: [{name: c}]")},
		{"partition_of without bound", "tables: [{name: p, partition_of: {parent: {table: t}, bound: DEFAULT}}]",
			"tables: [{name: p, partition_of: {parent: {table: t}}}]"},
		{"parent is a table reference", "tables: [{name: p, partition_of: {parent: {table: t}, bound: DEFAULT}}]",
			"tables: [{name: p, partition_of: {parent: t, bound: DEFAULT}}]"},
		{"policy command", withTable("policies: [{name: p, command: select}]"), withTable("policies: [{name: p, command: read}]")},
		{"view check option", "views: [{name: v, definition: SELECT 1, check_option: local}]", "views: [{name: v, definition: SELECT 1, check_option: yes}]"},
		{"indexes on a plain view", "views: [{name: v, definition: SELECT 1 AS b, materialized: true, indexes: [{name: i, columns: [b]}]}]",
			"views: [{name: v, definition: SELECT 1 AS b, indexes: [{name: i, columns: [b]}]}]"},
		{"function kind", "functions: [{name: f, kind: procedure, definition: x}]", "functions: [{name: f, kind: method, definition: x}]"},
		{"enum without values", "enums: [{name: e, values: [a]}]", "enums: [{name: e}]"},
		{"enum with a repeated value", "enums: [{name: e, values: [a, b]}]", "enums: [{name: e, values: [a, a]}]"},
		{"sequence owned_by", "sequences: [{name: s, owned_by: t.a}]", "sequences: [{name: s, owned_by: a}]"},
		{"trigger without table", "triggers: [{name: tr, table: t, definition: x}]", "triggers: [{name: tr, definition: x}]"},
		{"virtual table without using", "virtual_tables: [{name: v, using: fts5(a)}]", "virtual_tables: [{name: v}]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, doc := range []struct {
				text  string
				valid bool
			}{{c.good, true}, {c.bad, false}} {
				v, err := instance("case.yaml", []byte(doc.text))
				if err != nil {
					t.Fatalf("%s: %v", doc.text, err)
				}
				err = sch.Validate(v)
				if doc.valid && err != nil {
					t.Errorf("rejects the good document %s:\n%v", doc.text, err)
				}
				if !doc.valid && err == nil {
					t.Errorf("accepts the bad document %s", doc.text)
				}
			}
		})
	}
}

// TestJSONSchemaKnowsEveryKey walks the model's structs from MetaData by
// reflection: each struct has a $defs entry of its name that refuses
// unknown keys, describes every yaml key of the struct with a schema of the
// right kind (and no key the struct lacks, besides the column shorthands),
// requires exactly the keys the loader requires, and documents each key.
func TestJSONSchemaKnowsEveryKey(t *testing.T) {
	data, err := os.ReadFile(jsonSchemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	defs, _ := root["$defs"].(map[string]any)
	if root["$ref"] != "#/$defs/MetaData" {
		t.Errorf("the root is %v, want a $ref to #/$defs/MetaData", root["$ref"])
	}
	s := &schemaWalk{t: t, defs: defs, seen: map[reflect.Type]bool{}}
	s.structure(reflect.TypeOf(MetaData{}))
	for _, name := range []string{"Type", "Default"} {
		if s.def(name) == nil {
			t.Errorf("$defs/%s is missing", name)
		}
	}
	if len(s.seen) < 20 {
		t.Errorf("walked only %d structs", len(s.seen))
	}
}

// TestJSONSchemaWorksAsDraft7 keeps the schema within what draft-07 and
// draft 2020-12 mean alike, since editors' YAML language servers implement
// draft-07: no keyword that only the later drafts know, and nothing but a
// description beside a $ref (draft-07 ignores a $ref's siblings).
func TestJSONSchemaWorksAsDraft7(t *testing.T) {
	data, err := os.ReadFile(jsonSchemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var root any
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	later := []string{"prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired",
		"dependentSchemas", "$dynamicRef", "$dynamicAnchor", "$anchor", "$recursiveRef", "minContains", "maxContains"}
	var walk func(v any, at string, inProperties bool)
	walk = func(v any, at string, inProperties bool) {
		switch v := v.(type) {
		case map[string]any:
			for k, sub := range v {
				// Under properties (and $defs), keys are names, not keywords.
				if !inProperties {
					if slices.Contains(later, k) {
						t.Errorf("%s uses %s, which draft-07 does not know", at, k)
					}
					if _, ref := v["$ref"]; ref && k != "$ref" && k != "description" && at != "#" {
						t.Errorf("%s has %s beside $ref, which draft-07 ignores", at, k)
					}
				}
				walk(sub, at+"/"+k, !inProperties && (k == "properties" || k == "$defs"))
			}
		case []any:
			for i, sub := range v {
				walk(sub, fmt.Sprintf("%s/%d", at, i), false)
			}
		}
	}
	walk(root, "#", false)
}

type schemaWalk struct {
	t    *testing.T
	defs map[string]any
	seen map[reflect.Type]bool
}

func (s *schemaWalk) def(name string) map[string]any {
	d, _ := s.defs[name].(map[string]any)
	return d
}

func (s *schemaWalk) structure(rt reflect.Type) {
	t := s.t
	if s.seen[rt] {
		return
	}
	s.seen[rt] = true
	def := s.def(rt.Name())
	if def == nil {
		t.Errorf("metadata.%s has no $defs/%s in the JSON Schema", rt.Name(), rt.Name())
		return
	}
	if def["additionalProperties"] != false {
		t.Errorf("$defs/%s: additionalProperties must be false, since unknown keys are errors", rt.Name())
	}
	// The loader ignores x- keys at the top level, and only there.
	patterns, _ := def["patternProperties"].(map[string]any)
	_, xKeys := patterns["^x-"]
	if want := rt == metaDataType; xKeys != want {
		t.Errorf("$defs/%s: patternProperties ^x- is %v, want %v", rt.Name(), xKeys, want)
	}
	if def["description"] == nil {
		t.Errorf("$defs/%s has no description", rt.Name())
	}
	props, _ := def["properties"].(map[string]any)
	keys := fieldsOf(rt).byKey
	for key, idx := range keys {
		f := rt.Field(idx)
		prop, ok := props[key].(map[string]any)
		if !ok {
			t.Errorf("metadata.%s.%s has the key %q, which $defs/%s does not describe", rt.Name(), f.Name, key, rt.Name())
			continue
		}
		if !s.described(prop) {
			t.Errorf("$defs/%s.properties.%s has no description", rt.Name(), key)
		}
		if err := s.accepts(prop, f.Type); err != nil {
			t.Errorf("$defs/%s.properties.%s does not fit metadata.%s.%s (%s): %v", rt.Name(), key, rt.Name(), f.Name, f.Type, err)
		}
	}
	for key := range props {
		if _, ok := keys[key]; !ok && !slices.Contains(columnSugar[rt], key) {
			t.Errorf("$defs/%s describes the key %q, which metadata.%s does not have", rt.Name(), key, rt.Name())
		}
	}
	var want []string
	for _, k := range fieldsOf(rt).required {
		// The loader lets a table leave out columns (a partition has its
		// parent's).
		if !(rt == tableType && k == "columns") {
			want = append(want, k)
		}
	}
	var got []string
	if req, ok := def["required"].([]any); ok {
		for _, r := range req {
			got = append(got, fmt.Sprint(r))
		}
	}
	sort.Strings(want)
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("$defs/%s requires %v; the loader requires %v", rt.Name(), got, want)
	}
}

// described reports whether a property, or the definition it refers to,
// has a description.
func (s *schemaWalk) described(prop map[string]any) bool {
	if prop["description"] != nil {
		return true
	}
	if ref, ok := prop["$ref"].(string); ok {
		if d := s.def(strings.TrimPrefix(ref, "#/$defs/")); d != nil {
			return d["description"] != nil
		}
	}
	return false
}

// alternatives returns a schema and, for a oneOf or anyOf, its branches.
func alternatives(sch map[string]any) []map[string]any {
	out := []map[string]any{sch}
	for _, k := range []string{"oneOf", "anyOf"} {
		branches, _ := sch[k].([]any)
		for _, b := range branches {
			if m, ok := b.(map[string]any); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// resolve follows a $ref to its definition.
func (s *schemaWalk) resolve(sch map[string]any) map[string]any {
	for i := 0; i < 10; i++ {
		ref, ok := sch["$ref"].(string)
		if !ok {
			return sch
		}
		d := s.def(strings.TrimPrefix(ref, "#/$defs/"))
		if d == nil {
			return sch
		}
		sch = d
	}
	return sch
}

// accepts checks that a property's schema fits a Go field's type: a
// struct by a $ref to its definition (then walked in turn), Type and
// Default by theirs, a list by its items, and a scalar by its JSON type.
func (s *schemaWalk) accepts(sch map[string]any, ft reflect.Type) error {
	switch ft {
	case typeType:
		return s.hasRef(sch, "Type")
	case defaultType:
		return s.hasRef(sch, "Default")
	}
	switch ft.Kind() {
	case reflect.Pointer:
		return s.accepts(sch, ft.Elem())
	case reflect.Struct:
		if err := s.hasRef(sch, ft.Name()); err != nil {
			return err
		}
		s.structure(ft)
		return nil
	case reflect.Slice:
		var errs []string
		for _, alt := range alternatives(sch) {
			alt = s.resolve(alt)
			if alt["type"] != "array" {
				continue
			}
			items, _ := alt["items"].(map[string]any)
			err := s.accepts(items, ft.Elem())
			if err == nil {
				return nil
			}
			errs = append(errs, err.Error())
		}
		if errs == nil {
			return fmt.Errorf("not an array")
		}
		return fmt.Errorf("items: %s", strings.Join(errs, "; "))
	}
	want := map[reflect.Kind]string{reflect.String: "string", reflect.Bool: "boolean", reflect.Int64: "integer"}[ft.Kind()]
	if want == "" {
		return fmt.Errorf("the test knows no JSON type for %s", ft)
	}
	for _, alt := range alternatives(sch) {
		if s.resolve(alt)["type"] == want {
			return nil
		}
	}
	return fmt.Errorf("not of type %q", want)
}

func (s *schemaWalk) hasRef(sch map[string]any, name string) error {
	for _, alt := range alternatives(sch) {
		if alt["$ref"] == "#/$defs/"+name {
			return nil
		}
	}
	return fmt.Errorf("no $ref to #/$defs/%s", name)
}

// TestDocsExamples reads the complete examples of docs/schema.md (the YAML
// blocks after a "<!-- schema-example -->" line): each must load and
// validate, and satisfy the JSON Schema, so that the reference cannot show
// a file dbtool refuses.
func TestDocsExamples(t *testing.T) {
	sch := compileJSONSchema(t)
	data, err := os.ReadFile("../docs/schema.md")
	if err != nil {
		t.Fatal(err)
	}
	const marker = "<!-- schema-example -->\n```yaml\n"
	rest := string(data)
	n := 0
	for {
		i := strings.Index(rest, marker)
		if i < 0 {
			break
		}
		rest = rest[i+len(marker):]
		end := strings.Index(rest, "\n```\n")
		if end < 0 {
			t.Fatalf("example %d has no closing fence", n+1)
		}
		example := rest[:end+1]
		rest = rest[end:]
		n++
		name := fmt.Sprintf("example-%d.yaml", n)
		if _, err := Parse(name, []byte(example)); err != nil {
			t.Errorf("docs/schema.md %s does not load:\n%v\n%s", name, err, example)
		}
		v, err := instance(name, []byte(example))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("docs/schema.md %s does not validate against the JSON Schema:\n%v", name, err)
		}
	}
	if n < 2 {
		t.Errorf("found %d examples in docs/schema.md, want at least 2", n)
	}
}
