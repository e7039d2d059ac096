package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/metadata"
	"github.com/jackc/pgx/v5"
)

// The verifier reads pg_catalog directly and checks that every object of
// a model exists on the server as declared: it is what proves the
// statements Plan wrote did what the model says, independently of the
// inspector.

// rel is one relation read from pg_class.
type rel struct {
	oid                   uint32
	kind                  string
	isPartition           bool
	bound, partKey        string
	rls, forceRLS         bool
	options               []string
	comment               string
	parents               []string
	columns               []col
	constraints           []con
	indexes               map[string]idx
	policies              map[string]pol
	triggers              map[string]string // name -> comment
	nspname, relname      string
	columnNames, colTypes []string
}

type col struct {
	name, typ      string
	typOID         uint32
	notNull        bool
	def            string
	identity, gen  string
	collation      string
	comment        string
	serial         bool
	local          bool
	defaultPresent bool
}

type con struct {
	name, kind             string
	columns                []string
	refTable               string
	refColumns             []string
	match, onDelete, onUpd string
	deferrable, deferred   bool
	def                    string
	nullsNotDistinct       bool
	local                  bool
}

type idx struct {
	unique     bool
	method     string
	nKey       int
	keys       []string // column name, "" for an expression
	options    []int16
	opclasses  []string
	collations []string
	hasPred    bool
	comment    string
}

type pol struct {
	cmd         string
	permissive  bool
	roles       []string
	qual, check bool
}

// catalog is what the verifier read.
type catalog struct {
	schemas    map[string]string // name -> comment
	extensions map[string]string // name -> schema
	enums      map[string][]string
	enumNotes  map[string]string
	domains    map[string]domainRow
	sequences  map[string]seqRow
	functions  map[string]string // "schema.name(args) kind" -> comment
	rels       map[string]*rel   // "schema.name"
	regtypes   map[string]uint32
}

type domainRow struct {
	base, def, collation, comment string
	notNull                       bool
	checks                        []string
}

type seqRow struct {
	typ                               string
	start, inc, min, max, cache       int64
	cycle                             bool
	comment                           string
	ownerSchema, ownerTable, ownerCol string
}

func key(schema, name string) string {
	if schema == "" {
		schema = "public"
	}
	return schema + "." + name
}

// readCatalog reads the user objects of the current database.
func readCatalog(ctx context.Context, t *testing.T, conn *pgx.Conn, rawTypes []string) *catalog {
	t.Helper()
	c := &catalog{
		schemas: map[string]string{}, extensions: map[string]string{}, enums: map[string][]string{},
		enumNotes: map[string]string{}, domains: map[string]domainRow{}, sequences: map[string]seqRow{},
		functions: map[string]string{}, rels: map[string]*rel{}, regtypes: map[string]uint32{},
	}
	query := func(sql string, args []any, scan func(pgx.Rows) error) {
		t.Helper()
		rows, err := conn.Query(ctx, sql, args...)
		if err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				t.Fatalf("%v\n%s", err, sql)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
	}
	const userNS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`
	const notExt = `NOT EXISTS (SELECT FROM pg_depend x WHERE x.objid = %s AND x.deptype = 'e')`
	query(`SELECT n.nspname, coalesce(obj_description(n.oid, 'pg_namespace'), '') FROM pg_namespace n WHERE `+userNS, nil,
		func(r pgx.Rows) error {
			var name, comment string
			err := r.Scan(&name, &comment)
			c.schemas[name] = comment
			return err
		})
	query(`SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace`, nil,
		func(r pgx.Rows) error {
			var name, schema string
			err := r.Scan(&name, &schema)
			c.extensions[name] = schema
			return err
		})
	query(`SELECT n.nspname, t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder), coalesce(obj_description(t.oid, 'pg_type'), '')
		FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
		GROUP BY n.nspname, t.typname, t.oid`, nil,
		func(r pgx.Rows) error {
			var schema, name, comment string
			var labels []string
			err := r.Scan(&schema, &name, &labels, &comment)
			c.enums[key(schema, name)] = labels
			c.enumNotes[key(schema, name)] = comment
			return err
		})
	query(`SELECT n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod), t.typnotnull, coalesce(t.typdefault, ''),
		  coalesce(co.collname, ''), coalesce(obj_description(t.oid, 'pg_type'), ''),
		  array(SELECT conname::text FROM pg_constraint WHERE contypid = t.oid AND contype = 'c' ORDER BY conname)
		FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
		LEFT JOIN pg_collation co ON co.oid = t.typcollation AND t.typcollation <> 0 AND t.typcollation <> 100
		WHERE t.typtype = 'd' AND `+userNS+` AND `+fmt.Sprintf(notExt, "t.oid"), nil,
		func(r pgx.Rows) error {
			var schema, name string
			var d domainRow
			err := r.Scan(&schema, &name, &d.base, &d.notNull, &d.def, &d.collation, &d.comment, &d.checks)
			c.domains[key(schema, name)] = d
			return err
		})
	query(`SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
		  s.seqcache, s.seqcycle, coalesce(obj_description(c.oid, 'pg_class'), ''),
		  coalesce(tn.nspname, ''), coalesce(tc.relname, ''), coalesce(a.attname, '')
		FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
		  AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
		LEFT JOIN pg_class tc ON tc.oid = d.refobjid LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
		LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid`, nil,
		func(r pgx.Rows) error {
			var schema, name string
			var s seqRow
			err := r.Scan(&schema, &name, &s.typ, &s.start, &s.inc, &s.min, &s.max, &s.cache, &s.cycle, &s.comment,
				&s.ownerSchema, &s.ownerTable, &s.ownerCol)
			c.sequences[key(schema, name)] = s
			return err
		})
	query(`SELECT n.nspname, p.proname, p.prokind::text, pg_get_function_identity_arguments(p.oid), coalesce(obj_description(p.oid, 'pg_proc'), '')
		FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE `+userNS+` AND `+fmt.Sprintf(notExt, "p.oid"), nil,
		func(r pgx.Rows) error {
			var schema, name, kind, args, comment string
			err := r.Scan(&schema, &name, &kind, &args, &comment)
			c.functions[key(schema, name)+"("+args+") "+kind] = comment
			return err
		})
	byOID := map[uint32]*rel{}
	query(`SELECT c.oid, n.nspname, c.relname, c.relkind::text, c.relispartition,
		  coalesce(pg_get_expr(c.relpartbound, c.oid), ''), CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) ELSE '' END,
		  c.relrowsecurity, c.relforcerowsecurity, coalesce(c.reloptions, '{}'), coalesce(obj_description(c.oid, 'pg_class'), ''),
		  array(SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid ORDER BY i.inhseqno)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p', 'v', 'm') AND `+userNS+` AND `+fmt.Sprintf(notExt, "c.oid"), nil,
		func(r pgx.Rows) error {
			x := &rel{indexes: map[string]idx{}, policies: map[string]pol{}, triggers: map[string]string{}}
			err := r.Scan(&x.oid, &x.nspname, &x.relname, &x.kind, &x.isPartition, &x.bound, &x.partKey, &x.rls, &x.forceRLS,
				&x.options, &x.comment, &x.parents)
			c.rels[key(x.nspname, x.relname)] = x
			byOID[x.oid] = x
			return err
		})
	query(`SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.atttypid, a.attnotnull,
		  coalesce(pg_get_expr(ad.adbin, ad.adrelid, true), ''), ad.oid IS NOT NULL, a.attidentity::text, a.attgenerated::text,
		  coalesce(co.collname, ''), coalesce(col_description(a.attrelid, a.attnum), ''),
		  a.attidentity = '' AND pg_get_serial_sequence(a.attrelid::regclass::text, a.attname) IS NOT NULL, a.attislocal
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_type ty ON ty.oid = a.atttypid
		LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
		LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> ty.typcollation
		WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm') AND `+userNS+`
		ORDER BY a.attrelid, a.attnum`, nil,
		func(r pgx.Rows) error {
			var oid uint32
			var x col
			err := r.Scan(&oid, &x.name, &x.typ, &x.typOID, &x.notNull, &x.def, &x.defaultPresent, &x.identity, &x.gen,
				&x.collation, &x.comment, &x.serial, &x.local)
			if rl := byOID[oid]; rl != nil {
				rl.columns = append(rl.columns, x)
			}
			return err
		})
	query(`SELECT con.conrelid, con.conname, con.contype::text,
		  array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o),
		  CASE WHEN con.confrelid <> 0 THEN con.confrelid::regclass::text ELSE '' END,
		  array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o),
		  con.confmatchtype::text, con.confdeltype::text, con.confupdtype::text, con.condeferrable, con.condeferred,
		  pg_get_constraintdef(con.oid, true), con.conislocal AND con.conparentid = 0
		FROM pg_constraint con WHERE con.conrelid <> 0`, nil,
		func(r pgx.Rows) error {
			var oid uint32
			var x con
			err := r.Scan(&oid, &x.name, &x.kind, &x.columns, &x.refTable, &x.refColumns, &x.match, &x.onDelete, &x.onUpd,
				&x.deferrable, &x.deferred, &x.def, &x.local)
			x.nullsNotDistinct = strings.Contains(x.def, "NULLS NOT DISTINCT")
			if rl := byOID[oid]; rl != nil {
				rl.constraints = append(rl.constraints, x)
			}
			return err
		})
	query(`SELECT i.indrelid, c.relname, i.indisunique, am.amname, i.indnkeyatts,
		  array(SELECT coalesce(a.attname::text, '') FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
		    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o),
		  i.indoption::int2[],
		  array(SELECT op.opcname::text FROM unnest(i.indclass::oid[]) WITH ORDINALITY k(c, o) JOIN pg_opclass op ON op.oid = k.c ORDER BY k.o),
		  array(SELECT coalesce(co.collname::text, '') FROM unnest(i.indcollation::oid[]) WITH ORDINALITY k(c, o) LEFT JOIN pg_collation co ON co.oid = k.c ORDER BY k.o),
		  i.indpred IS NOT NULL, coalesce(obj_description(c.oid, 'pg_class'), '')
		FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
		WHERE NOT c.relispartition AND NOT EXISTS (SELECT FROM pg_constraint x WHERE x.conindid = c.oid AND x.contype IN ('p', 'u', 'x'))`, nil,
		func(r pgx.Rows) error {
			var oid uint32
			var name string
			var x idx
			err := r.Scan(&oid, &name, &x.unique, &x.method, &x.nKey, &x.keys, &x.options, &x.opclasses, &x.collations, &x.hasPred, &x.comment)
			if rl := byOID[oid]; rl != nil {
				rl.indexes[name] = x
			}
			return err
		})
	query(`SELECT p.polrelid, p.polname, p.polcmd::text, p.polpermissive,
		  array(SELECT CASE WHEN r = 0 THEN 'public' ELSE (SELECT rolname::text FROM pg_roles WHERE oid = r) END FROM unnest(p.polroles) r),
		  p.polqual IS NOT NULL, p.polwithcheck IS NOT NULL
		FROM pg_policy p`, nil,
		func(r pgx.Rows) error {
			var oid uint32
			var name string
			var x pol
			err := r.Scan(&oid, &name, &x.cmd, &x.permissive, &x.roles, &x.qual, &x.check)
			if rl := byOID[oid]; rl != nil {
				rl.policies[name] = x
			}
			return err
		})
	query(`SELECT t.tgrelid, t.tgname, coalesce(obj_description(t.oid, 'pg_trigger'), '') FROM pg_trigger t WHERE NOT t.tgisinternal`, nil,
		func(r pgx.Rows) error {
			var oid uint32
			var name, comment string
			err := r.Scan(&oid, &name, &comment)
			if rl := byOID[oid]; rl != nil {
				rl.triggers[name] = comment
			}
			return err
		})
	if len(rawTypes) > 0 {
		query(`SELECT r, coalesce(to_regtype(r)::oid, 0) FROM unnest($1::text[]) r`, []any{rawTypes},
			func(r pgx.Rows) error {
				var name string
				var oid uint32
				err := r.Scan(&name, &oid)
				c.regtypes[name] = oid
				return err
			})
	}
	return c
}

// rawTypes lists the raw type names a model uses, for to_regtype.
func rawTypes(m *metadata.MetaData) []string {
	var out []string
	for _, t := range m.Tables {
		for _, c := range t.Columns {
			if r, ok := c.Type.(metadata.Raw); ok && !slices.Contains(out, r.SQL) {
				out = append(out, r.SQL)
			}
		}
	}
	return out
}

// verify checks every object of m against the server's catalog. strict
// also requires expression defaults and partition bounds to be written as
// the server prints them.
func verify(ctx context.Context, t *testing.T, conn *pgx.Conn, m *metadata.MetaData, strict bool) {
	t.Helper()
	c := readCatalog(ctx, t, conn, rawTypes(m))
	errorf := func(format string, args ...any) {
		t.Helper()
		t.Errorf(format, args...)
	}
	for _, s := range m.Schemas {
		if comment, ok := c.schemas[s.Name]; !ok {
			errorf("schema %q missing", s.Name)
		} else if comment != s.Comment {
			errorf("schema %q: comment %q, want %q", s.Name, comment, s.Comment)
		}
	}
	for _, e := range m.Extensions {
		want := e.Schema
		if want == "" {
			want = "public"
		}
		if got, ok := c.extensions[e.Name]; !ok || got != want {
			errorf("extension %q: in schema %q (present %v), want %q", e.Name, got, ok, want)
		}
	}
	for _, e := range m.Enums {
		k := key(e.Schema, e.Name)
		if got := c.enums[k]; !slices.Equal(got, e.Values) {
			errorf("enum %s: labels %q, want %q", k, got, e.Values)
		}
		if c.enumNotes[k] != e.Comment {
			errorf("enum %s: comment %q, want %q", k, c.enumNotes[k], e.Comment)
		}
	}
	for _, d := range m.Domains {
		k := key(d.Schema, d.Name)
		got, ok := c.domains[k]
		if !ok {
			errorf("domain %s missing", k)
			continue
		}
		if want, _ := formatType(d.Type); got.base != want && c.regtypes[want] == 0 {
			errorf("domain %s: base type %s, want %s", k, got.base, want)
		}
		if got.notNull != d.NotNull || got.collation != d.Collation || got.comment != d.Comment || (got.def != "") != (d.Default != nil) {
			errorf("domain %s: not null %v collation %q comment %q default %q; want %v %q %q %v",
				k, got.notNull, got.collation, got.comment, got.def, d.NotNull, d.Collation, d.Comment, d.Default)
		}
		var want []string
		for _, ch := range d.Checks {
			name := ch.Name
			if name == "" {
				name = DefaultName(d.Name, nil, LabelCheck)
			}
			want = append(want, name)
		}
		slices.Sort(want)
		if !slices.Equal(got.checks, want) {
			errorf("domain %s: checks %q, want %q", k, got.checks, want)
		}
	}
	for _, s := range m.Sequences {
		k := key(s.Schema, s.Name)
		got, ok := c.sequences[k]
		if !ok {
			errorf("sequence %s missing", k)
			continue
		}
		checkNum := func(what string, want *int64, have int64) {
			if want != nil && *want != have {
				errorf("sequence %s: %s %d, want %d", k, what, have, *want)
			}
		}
		checkNum("start", s.Start, got.start)
		checkNum("increment", s.Increment, got.inc)
		checkNum("min", s.MinValue, got.min)
		checkNum("max", s.MaxValue, got.max)
		checkNum("cache", s.Cache, got.cache)
		if got.cycle != s.Cycle || got.comment != s.Comment {
			errorf("sequence %s: cycle %v comment %q, want %v %q", k, got.cycle, got.comment, s.Cycle, s.Comment)
		}
		if s.Type != nil {
			if want, _ := formatType(s.Type); got.typ != want {
				errorf("sequence %s: type %s, want %s", k, got.typ, want)
			}
		}
		if s.OwnedBy != "" {
			parts := strings.Split(s.OwnedBy, ".")
			if len(parts) == 2 {
				parts = append([]string{s.Schema}, parts...)
			}
			if parts[0] == "" {
				parts[0] = "public"
			}
			if got.ownerSchema != parts[0] || got.ownerTable != parts[1] || got.ownerCol != parts[2] {
				errorf("sequence %s: owned by %s.%s.%s, want %s", k, got.ownerSchema, got.ownerTable, got.ownerCol, s.OwnedBy)
			}
		}
	}
	for _, f := range m.Functions {
		kind := map[string]string{"": "f", "function": "f", "procedure": "p", "aggregate": "a"}[f.Kind]
		fk := key(f.Schema, f.Name) + "(" + f.Args + ") " + kind
		if comment, ok := c.functions[fk]; !ok {
			errorf("function %s missing; have %v", fk, keys(c.functions))
		} else if comment != f.Comment {
			errorf("function %s: comment %q, want %q", fk, comment, f.Comment)
		}
	}
	for i := range m.Tables {
		verifyTable(t, c, &m.Tables[i], strict)
	}
	for _, v := range m.Views {
		k := key(v.Schema, v.Name)
		r := c.rels[k]
		wantKind := "v"
		if v.Materialized {
			wantKind = "m"
		}
		if r == nil || r.kind != wantKind {
			errorf("view %s missing (or not of kind %s)", k, wantKind)
			continue
		}
		if r.comment != v.Comment {
			errorf("view %s: comment %q, want %q", k, r.comment, v.Comment)
		}
		if len(v.Columns) > 0 {
			var names []string
			for _, col := range r.columns {
				names = append(names, col.name)
			}
			if !slices.Equal(names, v.Columns) {
				errorf("view %s: columns %q, want %q", k, names, v.Columns)
			}
		}
		wantOpt := ""
		if v.CheckOption != "" {
			wantOpt = "check_option=" + v.CheckOption
		}
		gotOpt := ""
		for _, o := range r.options {
			if strings.HasPrefix(o, "check_option=") {
				gotOpt = o
			}
		}
		if gotOpt != wantOpt {
			errorf("view %s: %q, want %q", k, gotOpt, wantOpt)
		}
		verifyIndexes(t, k, r, v.Indexes)
	}
	for _, tr := range m.Triggers {
		k := key(tr.Schema, tr.Table)
		r := c.rels[k]
		if r == nil {
			errorf("trigger %q: table %s missing", tr.Name, k)
			continue
		}
		if comment, ok := r.triggers[tr.Name]; !ok {
			errorf("trigger %q on %s missing", tr.Name, k)
		} else if comment != tr.Comment {
			errorf("trigger %q on %s: comment %q, want %q", tr.Name, k, comment, tr.Comment)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func verifyTable(t *testing.T, c *catalog, tb *metadata.Table, strict bool) {
	t.Helper()
	k := key(tb.Schema, tb.Name)
	r := c.rels[k]
	if r == nil {
		t.Errorf("table %s missing", k)
		return
	}
	errorf := func(format string, args ...any) {
		t.Helper()
		t.Errorf("table %s: "+format, append([]any{k}, args...)...)
	}
	wantKind := "r"
	if tb.PartitionBy != "" {
		wantKind = "p"
	}
	if r.kind != wantKind {
		errorf("kind %s, want %s", r.kind, wantKind)
	}
	if tb.PartitionBy != "" && r.partKey != tb.PartitionBy {
		errorf("partition key %q, want %q", r.partKey, tb.PartitionBy)
	}
	if po := tb.PartitionOf; po != nil {
		if !r.isPartition || (strict && r.bound != po.Bound) || len(r.parents) != 1 || r.parents[0] != qualifiedRef(po.Parent) {
			errorf("partition of %q bound %q, want of %q bound %q", r.parents, r.bound, qualifiedRef(po.Parent), po.Bound)
		}
	} else {
		var want []string
		for _, p := range tb.Inherits {
			want = append(want, qualifiedRef(p))
		}
		if !slices.Equal(r.parents, want) || r.isPartition {
			errorf("parents %q, want %q", r.parents, want)
		}
	}
	if r.rls != tb.RowLevelSecurity || r.forceRLS != tb.ForceRowLevelSecurity {
		errorf("row level security %v force %v, want %v %v", r.rls, r.forceRLS, tb.RowLevelSecurity, tb.ForceRowLevelSecurity)
	}
	if r.comment != tb.Comment {
		errorf("comment %q, want %q", r.comment, tb.Comment)
	}

	// Columns: a plain table has exactly the declared ones, in order; an
	// inheriting table and a partition have them among others.
	byName := map[string]col{}
	var local []string
	for _, x := range r.columns {
		byName[x.name] = x
		if x.local {
			local = append(local, x.name)
		}
	}
	var declared []string
	for _, x := range tb.Columns {
		declared = append(declared, x.Name)
	}
	if tb.PartitionOf == nil && len(tb.Inherits) == 0 {
		var all []string
		for _, x := range r.columns {
			all = append(all, x.name)
		}
		if !slices.Equal(all, declared) {
			errorf("columns %q, want %q", all, declared)
		}
	}
	if len(tb.Inherits) > 0 && !slices.Equal(local, declared) {
		errorf("own columns %q, want %q", local, declared)
	}
	for _, want := range tb.Columns {
		got, ok := byName[want.Name]
		if !ok {
			errorf("column %q missing", want.Name)
			continue
		}
		cerr := func(format string, args ...any) {
			t.Helper()
			errorf("column %q: "+format, append([]any{want.Name}, args...)...)
		}
		if got.notNull != !want.Nullable {
			cerr("not null %v, want %v", got.notNull, !want.Nullable)
		}
		if tb.PartitionOf != nil {
			if want.Default != nil && !got.defaultPresent {
				cerr("no default, want %v", want.Default)
			}
			continue
		}
		switch typ := want.Type.(type) {
		case metadata.Raw:
			if oid := c.regtypes[typ.SQL]; oid != got.typOID {
				cerr("type %s (oid %d), want %s (oid %d)", got.typ, got.typOID, typ.SQL, oid)
			}
		default:
			if back := ReadType(got.typ); back != want.Type {
				cerr("type %s reads back as %v, want %v", got.typ, back, want.Type)
			}
		}
		if got.collation != want.Collation {
			cerr("collation %q, want %q", got.collation, want.Collation)
		}
		if got.comment != want.Comment {
			cerr("comment %q, want %q", got.comment, want.Comment)
		}
		// A column owning a sequence its default draws from looks the
		// same whether it was declared serial or with an explicit
		// sequence OWNED BY it.
		if want.Autoincrement && !got.serial {
			cerr("not serial")
		}
		if _, explicit := want.Default.(metadata.Expr); got.serial && !want.Autoincrement && !explicit {
			cerr("serial, want not")
		}
		wantIdentity := ""
		if id := want.Identity; id != nil {
			wantIdentity = map[bool]string{true: "a", false: "d"}[id.Always]
		}
		if got.identity != wantIdentity {
			cerr("identity %q, want %q", got.identity, wantIdentity)
		}
		if (got.gen == "s") != (want.Generated != nil) {
			cerr("generated %q, want %v", got.gen, want.Generated)
		}
		switch d := want.Default.(type) {
		case nil:
			if got.def != "" && !got.serial && want.Generated == nil {
				cerr("default %q, want none", got.def)
			}
		case metadata.Expr:
			if got.def == "" || (strict && got.def != d.SQL) {
				cerr("default %q, want %q", got.def, d.SQL)
			}
		default:
			if back := ReadDefault(got.def, got.typ); back != want.Default {
				cerr("default %q reads back as %#v, want %#v", got.def, back, want.Default)
			}
		}
	}

	// Constraints: those declared on this table (not inherited).
	type conKey struct{ kind, name string }
	cons := map[conKey]con{}
	for _, x := range r.constraints {
		if x.local && x.kind != "n" {
			cons[conKey{x.kind, x.name}] = x
		}
	}
	take := func(kind, name string) (con, bool) {
		x, ok := cons[conKey{kind, name}]
		delete(cons, conKey{kind, name})
		return x, ok
	}
	if pk := tb.PrimaryKey; pk != nil {
		name := pk.Name
		if name == "" {
			name = DefaultName(tb.Name, nil, LabelPrimaryKey)
		}
		if x, ok := take("p", name); !ok || !slices.Equal(x.columns, pk.Columns) {
			errorf("primary key %q on %q missing (have %q)", name, pk.Columns, x.columns)
		}
	}
	for _, u := range tb.Uniques {
		name := u.Name
		if name == "" {
			name = DefaultName(tb.Name, u.Columns, LabelUnique)
		}
		if x, ok := take("u", name); !ok || !slices.Equal(x.columns, u.Columns) || x.nullsNotDistinct != u.NullsNotDistinct {
			errorf("unique %q on %q (nulls not distinct %v) missing or different: %+v", name, u.Columns, u.NullsNotDistinct, x)
		}
	}
	for _, fk := range tb.ForeignKeys {
		name := fk.Name
		if name == "" {
			name = DefaultName(tb.Name, fk.Columns, LabelForeignKey)
		}
		x, ok := take("f", name)
		if !ok {
			errorf("foreign key %q missing", name)
			continue
		}
		action := map[metadata.ReferentialAction]string{"": "a", "restrict": "r", "cascade": "c", "set null": "n", "set default": "d"}
		match := map[string]string{"": "s", "simple": "s", "full": "f"}[fk.Match]
		wantCols := fk.References.Columns
		if x.refTable != qualifiedRef(fk.References.Ref()) || !slices.Equal(x.columns, fk.Columns) ||
			(len(wantCols) > 0 && !slices.Equal(x.refColumns, wantCols)) || x.match != match ||
			x.onDelete != action[fk.OnDelete] || x.onUpd != action[fk.OnUpdate] ||
			x.deferrable != fk.Deferrable || x.deferred != fk.InitiallyDeferred {
			errorf("foreign key %q is %+v, want %+v", name, x, fk)
		}
	}
	for _, ch := range tb.Checks {
		if ch.Name != "" {
			if _, ok := take("c", ch.Name); !ok {
				errorf("check %q missing", ch.Name)
			}
		}
	}
	for _, ch := range tb.Checks {
		if ch.Name != "" {
			continue
		}
		// An unnamed check has the server's default name: with the
		// table and its one column, or the table alone.
		found := false
		for ck, x := range cons {
			if ck.kind != "c" {
				continue
			}
			var cols []string
			if len(x.columns) == 1 {
				cols = x.columns
			}
			if ck.name == DefaultName(tb.Name, cols, LabelCheck) {
				delete(cons, ck)
				found = true
				break
			}
		}
		if !found {
			errorf("unnamed check %q: no constraint with the default name; have %v", ch.Expr, cons)
		}
	}
	for _, ex := range tb.Exclusions {
		name := ex.Name
		if name == "" {
			for ck, x := range cons {
				if ck.kind == "x" && ck.name == DefaultName(tb.Name, x.columns, LabelExclusion) {
					name = ck.name
				}
			}
		}
		if _, ok := take("x", name); !ok {
			errorf("exclusion %q (%s) missing", name, ex.Definition)
		}
	}
	for ck := range cons {
		errorf("undeclared constraint %s %q", ck.kind, ck.name)
	}

	verifyIndexes(t, k, r, tb.Indexes)

	for _, p := range tb.Policies {
		got, ok := r.policies[p.Name]
		if !ok {
			errorf("policy %q missing", p.Name)
			continue
		}
		cmd := map[string]string{"": "*", "all": "*", "select": "r", "insert": "a", "update": "w", "delete": "d"}[p.Command]
		roles := p.Roles
		if len(roles) == 0 {
			roles = []string{"public"}
		}
		if got.cmd != cmd || got.permissive == p.Restrictive || got.qual != (p.Using != "") || got.check != (p.WithCheck != "") ||
			len(got.roles) != len(roles) {
			errorf("policy %q is %+v, want %+v", p.Name, got, p)
		}
	}
	if len(r.policies) != len(tb.Policies) {
		errorf("%d policies, want %d", len(r.policies), len(tb.Policies))
	}
}

// verifyIndexes checks a relation's indexes (those not behind a
// constraint) against the declared ones.
func verifyIndexes(t *testing.T, k string, r *rel, want []metadata.Index) {
	t.Helper()
	for _, ix := range want {
		got, ok := r.indexes[ix.Name]
		if !ok {
			t.Errorf("%s: index %q missing; have %v", k, ix.Name, keys(r.indexes))
			continue
		}
		method := ix.Method
		if method == "" {
			method = "btree"
		}
		if got.unique != ix.Unique || got.method != method || got.nKey != len(ix.Parts) ||
			len(got.keys)-got.nKey != len(ix.Include) || got.hasPred != (ix.Where != "") || got.comment != ix.Comment {
			t.Errorf("%s: index %q is %+v, want %+v", k, ix.Name, got, ix)
			continue
		}
		for i, p := range ix.Parts {
			if got.keys[i] != p.Column {
				t.Errorf("%s: index %q key %d is column %q, want %q", k, ix.Name, i, got.keys[i], p.Column)
			}
			desc := got.options[i]&1 != 0
			nullsFirst := got.options[i]&2 != 0
			wantNullsFirst := p.Nulls == "first" || (p.Nulls == "" && p.Desc)
			if desc != p.Desc || nullsFirst != wantNullsFirst {
				t.Errorf("%s: index %q key %d: desc %v nulls first %v, want %v %v", k, ix.Name, i, desc, nullsFirst, p.Desc, wantNullsFirst)
			}
			if p.OpClass != "" && got.opclasses[i] != p.OpClass {
				t.Errorf("%s: index %q key %d: operator class %q, want %q", k, ix.Name, i, got.opclasses[i], p.OpClass)
			}
			if p.Collation != "" && got.collations[i] != p.Collation {
				t.Errorf("%s: index %q key %d: collation %q, want %q", k, ix.Name, i, got.collations[i], p.Collation)
			}
		}
		if inc := got.keys[got.nKey:]; !slices.Equal(inc, ix.Include) {
			t.Errorf("%s: index %q includes %q, want %q", k, ix.Name, inc, ix.Include)
		}
	}
	if len(r.indexes) != len(want) {
		t.Errorf("%s: %d indexes %v, want %d", k, len(r.indexes), keys(r.indexes), len(want))
	}
}
