package metadata

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"

	goccy "github.com/goccy/go-yaml"
	"go.yaml.in/yaml/v3"
)

// Load reads schema files and merges them into one validated model. Each
// path is a YAML or JSON file, or a directory whose *.yaml, *.yml and
// *.json files (in any case, not recursive, in name order) are all read. A
// file named twice, directly or through its directory, is read once. An
// object defined twice, in one file or across files, is an error naming
// both places. Every problem found is reported, as Problems with
// file:line:col.
func Load(paths ...string) (*MetaData, error) {
	return LoadFrom(nil, paths...)
}

// StdinName is the file name that positions in a schema read from
// standard input carry.
const StdinName = "<stdin>"

// LoadFrom is Load, with the path "-" standing for the schema read from
// stdin (YAML or JSON, told apart by its content).
func LoadFrom(stdin io.Reader, paths ...string) (*MetaData, error) {
	var files []string
	seen := map[string]bool{}
	add := func(f string) {
		key := f
		if f != "-" {
			if abs, err := filepath.Abs(f); err == nil {
				key = abs
			}
		}
		if !seen[key] {
			seen[key] = true
			files = append(files, f)
		}
	}
	for _, p := range paths {
		if p == "-" {
			if stdin == nil {
				return nil, errors.New("schema -: no standard input to read")
			}
			add(p)
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("schema %w", err)
		}
		if !fi.IsDir() {
			add(p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("schema directory %w", err)
		}
		var found []string
		for _, e := range entries {
			switch strings.ToLower(filepath.Ext(e.Name())) {
			case ".yaml", ".yml", ".json":
				if !e.IsDir() {
					found = append(found, filepath.Join(p, e.Name()))
				}
			}
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("schema directory %s: no .yaml, .yml or .json file in it", p)
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	if len(files) == 0 {
		return nil, errors.New("no schema file given")
	}
	merged := &MetaData{}
	pos := &positions{}
	var problems Problems
	for _, f := range files {
		var data []byte
		var err error
		name := f
		if f == "-" {
			name = StdinName
			data, err = io.ReadAll(stdin)
			if err != nil {
				return nil, fmt.Errorf("schema from standard input: %w", err)
			}
		} else if data, err = os.ReadFile(f); err != nil {
			return nil, fmt.Errorf("schema %w", err)
		}
		m, fp, ps := decodeFile(name, data)
		problems = append(problems, ps...)
		if m != nil {
			mergeInto(merged, fp, m)
			pos.files = append(pos.files, fp)
		}
	}
	return validated(merged, pos, problems)
}

// Parse reads one schema file's content (YAML, or JSON) into a validated
// model; filename is used in error positions.
func Parse(filename string, data []byte) (*MetaData, error) {
	m, fp, problems := decodeFile(filename, data)
	if m == nil {
		return nil, problems
	}
	return validated(m, &positions{files: []*filePositions{fp}}, problems)
}

// validated validates a decoded model and reports its problems together
// with those decoding found (a model that failed to decode in part is
// still validated, so that one typo does not hide other mistakes; problems
// inside a part that failed to decode are left out, as noise).
func validated(m *MetaData, positions *positions, decodeProblems Problems) (*MetaData, error) {
	problems := decodeProblems
	if err := Validate(m); err != nil {
		var ps Problems
		errors.As(place(err, positions), &ps)
		for _, p := range ps {
			if !underAny(p.Path, decodeProblems) {
				problems = append(problems, p)
			}
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return m, nil
}

// underAny reports whether path is within the object of a decode problem.
func underAny(path string, ps Problems) bool {
	for _, p := range ps {
		obj := p.Path
		if i := strings.LastIndexByte(obj, '.'); i >= 0 {
			obj = obj[:i] // the object that holds the bad key
		}
		if path == obj || strings.HasPrefix(path, obj+".") || strings.HasPrefix(path, obj+"[") {
			return true
		}
	}
	return false
}

// decodeFile parses one file into a model, not yet validated, with what
// places its objects in the file and the problems found. The model is nil
// when the file is not even well-formed.
func decodeFile(filename string, data []byte) (*MetaData, *filePositions, Problems) {
	if strings.EqualFold(filepath.Ext(filename), ".json") {
		if p := checkJSON(filename, data); p != nil {
			return nil, nil, Problems{*p}
		}
	}
	m, d, _, ok := decodeCuts(filename, data, runtime.GOMAXPROCS(0), decodePiece)
	if !ok {
		var bad *Problem
		if m, d, bad = decodeWhole(filename, data); bad != nil {
			return nil, nil, Problems{*bad}
		}
	}
	d.applySugar(m)
	return m, &filePositions{file: filename, data: data}, d.problems
}

// decodeWhole decodes a file whose node tree is parsed whole (in pieces
// side by side, see parseYAML) before it is decoded; the problem is the
// syntax error that keeps it from being parsed.
func decodeWhole(filename string, data []byte) (*MetaData, *decoder, *Problem) {
	doc, err := parseYAML(data)
	if err != nil {
		// Without a .json name (standard input), text that opens like
		// JSON and is not YAML either is reported as the JSON it is
		// most likely meant to be.
		if looksJSON(data) {
			if p := checkJSON(filename, data); p != nil {
				return nil, nil, p
			}
		}
		p := syntaxError(filename, data, err)
		return nil, nil, &p
	}
	d := &decoder{file: filename, columns: map[*Column]*columnKeys{}}
	m := &MetaData{}
	if doc.Kind != 0 && len(doc.Content) > 0 {
		d.value(doc.Content[0], reflect.ValueOf(m).Elem())
	}
	return m, d, nil
}

// looksJSON reports whether data opens as a JSON object: "{" and then
// a quoted key or "}".
func looksJSON(data []byte) bool {
	rest := bytes.TrimLeft(data, " \t\r\n")
	if len(rest) == 0 || rest[0] != '{' {
		return false
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	return len(rest) > 0 && (rest[0] == '"' || rest[0] == '}')
}

// checkJSON reports a JSON syntax error with its line and column; the
// YAML reader, which reads the structure, only knows lines.
func checkJSON(filename string, data []byte) *Problem {
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		_, err := dec.Token()
		if err == nil {
			continue
		}
		if err.Error() == "EOF" {
			return nil
		}
		off := dec.InputOffset()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = se.Offset
		}
		line, col := lineCol(data, off)
		return &Problem{Pos: Pos{File: filename, Line: line, Column: col}, Message: "malformed JSON: " + err.Error()}
	}
}

// syntaxError places a YAML syntax error at its line and column.
func syntaxError(filename string, data []byte, err error) Problem {
	p := Problem{Pos: Pos{File: filename}, Message: "malformed YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	// yaml.v3 knows the line only; goccy/go-yaml's parser knows the
	// column too, so ask it where the problem is.
	if gerr := goccy.Unmarshal(data, new(any)); gerr != nil {
		var se *goccy.SyntaxError
		if errors.As(gerr, &se) && se.Token != nil {
			p.Pos.Line, p.Pos.Column = se.Token.Position.Line, se.Token.Position.Column
			p.Message = "malformed YAML: " + se.Message
		}
	}
	if p.Pos.Line == 0 {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if rest, ok := strings.CutPrefix(msg, "line "); ok {
			if num, tail, ok := strings.Cut(rest, ": "); ok {
				if n, convErr := strconv.Atoi(num); convErr == nil {
					p.Pos.Line, p.Pos.Column, p.Message = n, 1, "malformed YAML: "+tail
				}
			}
		}
	}
	return p
}

func lineCol(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col = 1, 1
	for _, b := range data[:off] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// applySugar turns the column-level primary_key and unique keys into
// table-level constraints, makes a primary key of one integer column
// autoincrement (AutoincrementByDefault), and makes primary-key,
// autoincrement and identity columns NOT NULL unless they say otherwise. It also writes the
// spellings that mean a default the way the model does: match: simple as
// no match, a policy for the role public alone as no roles.
func (d *decoder) applySugar(m *MetaData) {
	for i := range m.Tables {
		t := &m.Tables[i]
		var pkCols []string
		var pkNode *yaml.Node
		for j := range t.Columns {
			keys := d.columns[&t.Columns[j]]
			if keys == nil {
				continue
			}
			if keys.primaryKey != nil {
				pkCols = append(pkCols, t.Columns[j].Name)
				pkNode = keys.primaryKey
			}
			if keys.unique != nil {
				t.Uniques = append(t.Uniques, Unique{Columns: []string{t.Columns[j].Name}})
			}
		}
		for j := range t.ForeignKeys {
			if strings.EqualFold(t.ForeignKeys[j].Match, "simple") {
				t.ForeignKeys[j].Match = ""
			}
		}
		for j := range t.Policies {
			if r := t.Policies[j].Roles; len(r) == 1 && strings.EqualFold(r[0], "public") {
				t.Policies[j].Roles = nil
			}
		}
		if len(pkCols) > 0 {
			if t.PrimaryKey != nil {
				d.fail(pkNode, fmt.Sprintf("tables[%d].primary_key", i), "the primary key is given both on a column and on table %s: keep one", QuoteName(t.Name))
				continue
			}
			t.PrimaryKey = &PrimaryKey{Columns: pkCols}
		}
		for j := range t.Columns {
			c := &t.Columns[j]
			keys := d.columns[c]
			if keys == nil {
				keys = &columnKeys{}
			}
			if !keys.autoincrement && AutoincrementByDefault(t, c) {
				c.Autoincrement = true
			}
			if !keys.nullable && NotNullByDefault(t, c) {
				c.Nullable = false
			}
		}
	}
}

// NotNullByDefault reports whether a schema file makes a column NOT NULL
// when it does not say: primary-key columns, and columns whose values the
// database generates (autoincrement, identity).
func NotNullByDefault(t *Table, c *Column) bool {
	if c.Autoincrement || c.Identity != nil {
		return true
	}
	if t.PrimaryKey != nil {
		for _, name := range t.PrimaryKey.Columns {
			if name == c.Name {
				return true
			}
		}
	}
	return false
}

// mergeInto appends one file's model to the merged one, noting in fp
// where the file's lists start in it, so that a path of the merged model
// finds the file's object.
func mergeInto(dst *MetaData, fp *filePositions, src *MetaData) {
	fp.start, fp.count = map[string]int{}, map[string]int{}
	dv, sv := reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem()
	for i := 0; i < dv.NumField(); i++ {
		key := yamlKey(dv.Type().Field(i))
		fp.start[key], fp.count[key] = dv.Field(i).Len(), sv.Field(i).Len()
		dv.Field(i).Set(reflect.AppendSlice(dv.Field(i), sv.Field(i)))
	}
}

// place fills in the file positions of validation problems from their
// model paths: the longest recorded prefix of a path wins.
func place(err error, positions *positions) error {
	var ps Problems
	if !errors.As(err, &ps) {
		return err
	}
	find := func(path string) Pos {
		for p := path; p != ""; {
			if pos, ok := positions.find(p); ok {
				return pos
			}
			i := strings.LastIndexAny(p, ".[")
			if i < 0 {
				break
			}
			p = p[:i]
		}
		return Pos{}
	}
	out := make(Problems, len(ps))
	for i, p := range ps {
		if p.Pos.File == "" {
			p.Pos = find(p.Path)
		}
		if p.Other != "" && p.OtherPos.File == "" {
			p.OtherPos = find(p.Other)
		}
		out[i] = p
	}
	return out
}
