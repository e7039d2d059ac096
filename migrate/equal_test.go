package migrate

import (
	"reflect"
	"testing"

	"github.com/dbtool/dbtool/metadata"
)

// TestSameTableIsDeepEqual changes a table in every field, at every depth,
// one way at a time (a string, a flag, a number, a pointer set to nil, a
// list set to nil, emptied or shortened, a type or default replaced), and
// checks that sameTable answers as reflect.DeepEqual does. A field added
// to the model and forgotten by sameTable fails here.
func TestSameTableIsDeepEqual(t *testing.T) {
	for _, base := range []struct {
		name string
		// lists is the length of the lists of a table (0: nil) and of
		// the lists inside its elements (-1: none filled).
		lists, inner int
	}{
		{"every field set", 2, 2},
		{"inner lists empty", 1, 0},
		{"zero", 0, -1},
	} {
		fresh := func() *metadata.Table {
			var tb metadata.Table
			if base.inner >= 0 {
				fill(reflect.ValueOf(&tb).Elem(), base.lists, base.inner)
			}
			return &tb
		}
		a, b := fresh(), fresh()
		if !sameTable(a, b) || !reflect.DeepEqual(a, b) {
			t.Fatalf("%s: two tables made alike differ", base.name)
		}
		nodes, leaves := 0, 0
		walk(reflect.ValueOf(fresh()).Elem(), "", func(v reflect.Value, _ string) {
			nodes++
			if v.Kind() != reflect.Struct {
				leaves++
			}
		})
		changed := map[int]bool{}
		for k := 0; k < nodes; k++ {
			for variant := 0; ; variant++ {
				b := fresh()
				var path string
				applied, more := false, false
				i := 0
				walk(reflect.ValueOf(b).Elem(), "", func(v reflect.Value, p string) {
					if i == k {
						path = p
						applied, more = mutate(v, variant)
					}
					i++
				})
				if applied {
					changed[k] = true
					if got, want := sameTable(a, b), reflect.DeepEqual(a, b); got != want {
						t.Errorf("%s: %s changed (variant %d): sameTable %v, reflect.DeepEqual %v", base.name, path, variant, got, want)
					}
				}
				if !more {
					break
				}
			}
		}
		if len(changed) != leaves {
			t.Fatalf("%s: %d of %d fields changed", base.name, len(changed), leaves)
		}
	}
}

// fill sets every field of v: strings, flags and numbers to non-zero
// values, pointers to filled values, lists to n filled elements, and the
// lists inside them to inner elements (none is an empty list, not nil).
func fill(v reflect.Value, n, inner int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("s")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(1)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), inner, inner)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := 0; i < n; i++ {
			fill(v.Index(i), inner, inner)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			fill(v.Field(i), n, inner)
		}
	case reflect.Interface:
		v.Set(reflect.ValueOf(interfaceValues(v.Type())[0]))
	default:
		panic("fill: " + v.Type().String())
	}
}

// interfaceValues are values of an interface type of the model: the
// first is what fill uses, the others differ from it.
func interfaceValues(t reflect.Type) []any {
	switch t {
	case reflect.TypeFor[metadata.Type]():
		return []any{metadata.Raw{SQL: "s"}, metadata.Raw{SQL: "t"}, metadata.Text{}}
	case reflect.TypeFor[metadata.Default]():
		return []any{metadata.Expr{SQL: "s"}, metadata.Expr{SQL: "t"}, metadata.StringLiteral{Value: "s"}}
	}
	panic("interfaceValues: " + t.String())
}

// walk calls visit for v and everything inside it, depth first.
func walk(v reflect.Value, path string, visit func(reflect.Value, string)) {
	visit(v, path)
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walk(v.Elem(), path, visit)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walk(v.Index(i), path+"["+string(rune('0'+i))+"]", visit)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			walk(v.Field(i), path+"."+v.Type().Field(i).Name, visit)
		}
	}
}

// mutate changes v the variant-th way its kind can be changed, and
// reports whether it did and whether there are more ways.
func mutate(v reflect.Value, variant int) (applied, more bool) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		} else {
			v.SetZero()
		}
	case reflect.Slice:
		n := v.Len()
		switch {
		case variant == 0 && v.IsNil():
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		case variant == 0:
			v.SetZero()
		case variant == 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		case variant == 2:
			v.Set(v.Slice(0, n-1))
		}
		return true, variant < 2 && n > 0
	case reflect.Interface:
		values := append(interfaceValues(v.Type()), nil)
		if variant+1 >= len(values) {
			return false, false
		}
		if x := values[variant+1]; x == nil {
			v.SetZero()
		} else {
			v.Set(reflect.ValueOf(x))
		}
		return true, variant+2 < len(values)
	case reflect.Struct:
		return false, false
	default:
		panic("mutate: " + v.Type().String())
	}
	return variant == 0, false
}
