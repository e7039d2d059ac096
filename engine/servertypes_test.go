package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/dbtool/dbtool/metadata"
)

// TestServerTypesAsInspected: for every portable type, with and without
// its arguments, the type a typeReader gives is the one the inspector
// reads back from a column created with it, on each database. Normalize
// trusts it for a column whose type changed in place of a scratch table.
func TestServerTypesAsInspected(t *testing.T) {
	var types []metadata.Type
	for _, b := range []int{0, 2, 4, 8} {
		types = append(types, metadata.Integer{Bytes: b})
	}
	for _, n := range []int{0, 1, 20} {
		types = append(types, metadata.String{Length: n}, metadata.Char{Length: n})
	}
	types = append(types, metadata.Text{}, metadata.Boolean{}, metadata.Numeric{}, metadata.Numeric{Precision: 10},
		metadata.Numeric{Precision: 12, Scale: 3}, metadata.Float{Bytes: 4}, metadata.Float{Bytes: 8}, metadata.Float{},
		metadata.Date{}, metadata.UUID{}, metadata.JSON{}, metadata.Binary{})
	for _, tz := range []bool{false, true} {
		for _, p := range []int{-1, 0, 3, 6} {
			types = append(types, metadata.Time{TZ: tz, Precision: p}, metadata.Timestamp{TZ: tz, Precision: p})
		}
	}
	table := metadata.Table{Name: "types"}
	for i, typ := range types {
		table.Columns = append(table.Columns, metadata.Column{Name: fmt.Sprintf("c%02d", i), Type: typ, Nullable: true})
	}
	m := &metadata.MetaData{Tables: []metadata.Table{table}}

	for _, url := range map[string]func() string{
		"sqlite":   func() string { return "sqlite:///" + filepath.Join(t.TempDir(), "types.db") },
		"postgres": func() string { return pgtest.URL(t) },
	} {
		ctx := context.Background()
		eng, err := Open(ctx, url(), Options{Create: true})
		if err != nil {
			t.Fatal(err)
		}
		defer eng.Close()
		name := eng.URL.Dialect
		tr, ok := eng.driver.(typeReader)
		if !ok {
			t.Fatalf("%s: the driver is no typeReader", name)
		}
		server, err := tr.serverTypes(ctx, types)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := eng.CreateAll(ctx, m, CreateAllOptions{}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		res, err := eng.Inspect(ctx, inspector.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := res.Schema.Table(table.Ref())
		if got == nil || len(got.Columns) != len(types) {
			t.Fatalf("%s: inspected %+v", name, got)
		}
		for i, c := range got.Columns {
			if c.Type != server[i] {
				t.Errorf("%s: %#v: the server's form is %#v, inspected %#v", name, types[i], server[i], c.Type)
			}
		}
	}
}
