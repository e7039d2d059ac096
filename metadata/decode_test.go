package metadata

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// boolKey is a boolean key somewhere in a schema file: the keys that lead
// to its mapping (each a list of mappings or a mapping) and its own key.
type boolKey struct {
	steps []boolStep
	key   string
	// sugar marks a column's primary_key or unique, which are no field.
	sugar bool
}

type boolStep struct {
	key  string
	list bool
}

// boolKeys walks the model's struct fields, as the decoder does, and
// returns every boolean key, so that a key added to the model is covered
// without touching the test.
func boolKeys(t reflect.Type, steps []boolStep, seen map[reflect.Type]bool) []boolKey {
	if seen[t] {
		return nil
	}
	seen[t] = true
	defer delete(seen, t)
	var keys []boolKey
	if t == columnType {
		for _, k := range columnSugarKeys {
			keys = append(keys, boolKey{steps: steps, key: k, sugar: true})
		}
	}
	for _, f := range fieldsOf(t).ordered {
		ft := t.Field(f.index).Type
		if ft == typeType || ft == defaultType {
			continue
		}
		list := false
		if ft.Kind() == reflect.Slice {
			ft, list = ft.Elem(), true
		}
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch ft.Kind() {
		case reflect.Bool:
			keys = append(keys, boolKey{steps: steps, key: f.key})
		case reflect.Struct:
			next := append(append([]boolStep(nil), steps...), boolStep{key: f.key, list: list})
			keys = append(keys, boolKeys(ft, next, seen)...)
		}
	}
	return keys
}

// document is a one-line flow-style file setting the key to value.
func (k boolKey) document(value string) string {
	doc := "{" + k.key + ": " + value + "}"
	for i := len(k.steps) - 1; i >= 0; i-- {
		if k.steps[i].list {
			doc = "[" + doc + "]"
		}
		doc = "{" + k.steps[i].key + ": " + doc + "}"
	}
	return doc
}

// path is the key's model path, as problems name it.
func (k boolKey) path() string {
	var parts []string
	for _, s := range k.steps {
		p := s.key
		if s.list {
			p += "[0]"
		}
		parts = append(parts, p)
	}
	return strings.Join(append(parts, k.key), ".")
}

// read returns the decoded value of the key in m.
func (k boolKey) read(m *MetaData) bool {
	v := reflect.ValueOf(m).Elem()
	var table *Table
	for _, s := range k.steps {
		v = v.Field(fieldsOf(v.Type()).byKey[s.key])
		if s.list {
			v = v.Index(0)
		}
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		if v.Type() == tableType {
			table = v.Addr().Interface().(*Table)
		}
	}
	if k.sugar {
		switch k.key {
		case "primary_key":
			return table.PrimaryKey != nil
		case "unique":
			return len(table.Uniques) == 1
		}
		panic("unknown column key " + k.key)
	}
	return v.Field(fieldsOf(v.Type()).byKey[k.key]).Bool()
}

// TestEveryBooleanKeyDecodesAlike checks that every boolean key of the
// format, column shorthands included, takes the YAML 1.2 core schema's
// spellings of true and false and means what they say, and refuses
// everything else at its line and column.
func TestEveryBooleanKeyDecodesAlike(t *testing.T) {
	keys := boolKeys(reflect.TypeOf(MetaData{}), nil, map[reflect.Type]bool{})
	if len(keys) < 20 {
		t.Fatalf("found only %d boolean keys: the walk is broken", len(keys))
	}
	for _, k := range keys {
		for spelling, want := range map[string]bool{
			"true": true, "True": true, "TRUE": true, "false": false, "False": false, "FALSE": false,
		} {
			doc := k.document(spelling)
			m, _, problems := decodeFile("s.yaml", []byte(doc))
			for _, p := range problems {
				if p.Path == k.path() {
					t.Errorf("%s: %v", doc, p)
				}
			}
			if m == nil {
				t.Fatalf("%s: not decoded: %v", doc, problems)
			}
			if got := k.read(m); got != want {
				t.Errorf("%s: %s = %v, want %v", doc, k.path(), got, want)
			}
		}
		for _, bad := range []string{"yes", "no", "on", "off", "y", "1", "0", `"true"`, `'false'`, "~", "[true]", "!!bool yes"} {
			doc := k.document(bad)
			_, _, problems := decodeFile("s.yaml", []byte(doc))
			col := strings.Index(doc, ": "+bad+"}") + 3
			want := fmt.Sprintf("s.yaml:1:%d: %s: expected true or false, found", col, k.key)
			found := false
			for _, p := range problems {
				found = found || p.Path == k.path() && strings.HasPrefix(p.String(), want)
			}
			if !found {
				t.Errorf("%s: want a problem %q, got %v", doc, want, problems)
			}
		}
	}
}

func TestQuotedBooleanHint(t *testing.T) {
	_, err := Parse("s.yaml", []byte("tables:\n  - name: t\n    columns:\n      - {name: id, type: integer, primary_key: \"true\"}\n"))
	want := `s.yaml:4:48: primary_key: expected true or false, found the string "true" (write true without quotes)`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %q", err, want)
	}
}

// TestFlowValueCutAtComma checks that a flow-mapping value that YAML cut
// at a comma is reported at the value, with the quoting that fixes it,
// rather than as an unknown key made of its rest.
func TestFlowValueCutAtComma(t *testing.T) {
	_, err := Parse("s.yaml", []byte(`tables:
  - name: t
    columns:
      - {name: price, type: numeric(10,2)}
      - {name: q, type: numeric(1,2,3), nullable: false}
      - {name: ok, type: "numeric(10,2)"}
    checks:
      - {expr: coalesce(price,  q) > 0}
`))
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		`s.yaml:4:29: type: the value "numeric(10" was cut short at a comma, which ends a value inside {...}: quote the whole value, as type: "numeric(10,2)"`,
		`s.yaml:5:25: type: the value "numeric(1" was cut short at a comma, which ends a value inside {...}: quote the whole value, as type: "numeric(1,2,3)"`,
		`s.yaml:8:16: expr: the value "coalesce(price" was cut short at a comma, which ends a value inside {...}: quote the whole value, as expr: "coalesce(price,  q) > 0"`,
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A key that is merely unknown is still reported as one.
	_, err = Parse("s.yaml", []byte("tables: [{name: t, columns: [{name: a, type: numeric(10), nulable: true}]}]"))
	if err == nil || !strings.Contains(err.Error(), `unknown key "nulable"`) {
		t.Errorf("got %v", err)
	}
}
