package metadata

import (
	"reflect"
	"strings"
	"sync"
)

// schemaFields is how a model struct reads and writes in a schema file,
// taken from its yaml tags once per type: the decoder and the encoder of
// thousands of objects share it.
type schemaFields struct {
	// ordered are the fields with a key, in declaration order.
	ordered []schemaField
	// byKey finds a field's index by its key.
	byKey map[string]int
	// required are the keys a file must give: those without omitempty,
	// other than booleans, whose zero value is usable.
	required []string
}

// schemaField is a struct field and its schema-file key.
type schemaField struct {
	index int
	key   string
}

var fieldsCache sync.Map // reflect.Type -> *schemaFields

// fieldsOf returns the schema-file description of a struct type.
func fieldsOf(t reflect.Type) *schemaFields {
	if f, ok := fieldsCache.Load(t); ok {
		return f.(*schemaFields)
	}
	f := &schemaFields{byKey: map[string]int{}}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		key := yamlKey(sf)
		if key == "" {
			continue
		}
		f.ordered = append(f.ordered, schemaField{index: i, key: key})
		f.byKey[key] = i
		if !strings.Contains(sf.Tag.Get("yaml"), ",omitempty") && sf.Type.Kind() != reflect.Bool {
			f.required = append(f.required, key)
		}
	}
	fieldsCache.Store(t, f)
	return f
}

// yamlKey is a struct field's schema-file key, "" for none.
func yamlKey(f reflect.StructField) string {
	tag := f.Tag.Get("yaml")
	if tag == "-" {
		return ""
	}
	name, _, _ := strings.Cut(tag, ",")
	return name
}
