package postgres

import (
	"github.com/dbtool/dbtool/inspector"
	"github.com/jackc/pgx/v5"
)

// catalog is what the catalog queries return, row by row, before it is
// turned into a model. Each query fills its own field, so that queries
// running concurrently never write to the same place.
type catalog struct {
	currentSchema string
	version       int
	// rels are the selected relations; tables those of them with columns
	// and indexes of their own (not views nor foreign tables).
	rels, tables []uint32

	namespaces []namespaceRow
	relations  []relationRow
	// columnParts are the columns, read in parts (see columnJobs).
	columnParts [][]columnRow
	constraints []constraintRow
	indexes     []indexRow
	opclasses   map[uint32]string
	collations  map[uint32]qualifiedName
	sequences   []sequenceRow
	enums       []enumRow
	domains     []domainRow
	domainCheck []domainCheckRow
	composites  []compositeRow
	functions   []functionRow
	triggers    []triggerRow
	policies    []policyRow
	extensions  []extensionRow
	rules       []relObjectRow
	grants      []grantRow
	viewGrants  []viewGrantRow
	statistics  []relObjectRow
	unmanaged   []unmanagedRow
}

// qualifiedName is a catalog object's namespace and name.
type qualifiedName struct{ schema, name string }

type namespaceRow struct {
	name    string
	comment *string
}

type relationRow struct {
	oid                   uint32
	schema, name          string
	kind, persistence     string
	rls, forceRLS, isPart bool
	partKey, partBound    *string
	viewDef               *string
	viewShape             []string
	// viewReadRels and viewReadCols are, pairwise, the relations a
	// view's rule depends on and the column of each ("": the whole row).
	viewReadRels         []string
	viewReadCols         []string
	options              []string
	parentSchema, parent *string
	comment              *string
}

type columnRow struct {
	rel                uint32
	num                int16
	name               string
	typ, cat           string
	dims               int16
	notNull            bool
	identity, generate string
	isLocal            bool
	inhCount           int32
	def                *string
	// collOID is the column's collation, typColl its type's.
	collOID, typColl uint32
	comment          *string
}

type constraintRow struct {
	rel                           uint32
	name, kind                    string
	keys                          []int16
	deferrable, deferred          bool
	validated, isLocal, noInherit bool
	cloned                        bool
	refRel                        uint32
	refSchema, refTable           *string
	refKeys                       []int16
	onUpdate, onDelete, match     *string
	def                           *string
	refNames                      []string
	indexKeys                     []int16
	nullsNotDistinct              bool
}

type indexRow struct {
	rel              uint32
	name, method     string
	unique           bool
	keyCount         int16
	keys, options    []int16
	classes, colls   []uint32
	exprs            []string
	where            *string
	nullsNotDistinct bool
	attached, valid  bool
	comment          *string
	// def is the whole CREATE INDEX, for an index with expression keys.
	def *string
}

type sequenceRow struct {
	oid                            uint32
	schema, name, typ              string
	start, increment, min, max     int64
	cache                          int64
	cycle                          bool
	ownerRel                       *uint32
	ownerCol                       *int32
	depType                        *string
	ownerTable, ownerSchema, owner *string
	comment                        *string
}

type enumRow struct {
	oid          uint32
	schema, name string
	values       []string
	comment      *string
}

type domainRow struct {
	oid                uint32
	schema, name, base string
	baseCategory       string
	notNull            bool
	def                *string
	collation          *string
	collSchema         *string
	comment            *string
}

type compositeRow struct {
	oid          uint32
	schema, name string
	// The attributes, in order: names, types as format_type prints them,
	// declared array dimensions, and collations other than their type's.
	attNames, attTypes []string
	attDims            []int32
	attColls           []uint32
	comment            *string
}

// grantRow is something about a relation that dbtool does not carry over
// (see qGrants).
type grantRow struct {
	rel                  uint32
	kind, column, detail string
}

// viewGrantRow is one privilege granted on a view (see qViewGrants).
type viewGrantRow struct {
	rel   uint32
	grant inspector.Grant
}

type domainCheckRow struct {
	domain    uint32
	name, def string
	validated bool
}

type functionRow struct {
	oid                uint32
	schema, name, kind string
	identityArgs       string
	def                *string
	qualified, args    string
	parallel           string
	agg                aggregateRow
	comment            *string
}

// aggregateRow is an aggregate's pg_aggregate entry, NULL for others.
type aggregateRow struct {
	kind                          *string
	transFn, transType            *string
	transSpace                    *int32
	finalFn                       *string
	finalExtra                    *bool
	finalModify                   *string
	combineFn, serialFn, deserial *string
	initVal                       *string
	mTransFn, mInvFn, mTransType  *string
	mTransSpace                   *int32
	mFinalFn                      *string
	mFinalExtra                   *bool
	mFinalModify                  *string
	mInitVal                      *string
	sortOp                        *string
}

type triggerRow struct {
	rel       uint32
	name, def string
	comment   *string
}

type policyRow struct {
	rel              uint32
	name, cmd        string
	permissive       bool
	roles            []string
	using, withCheck *string
}

type extensionRow struct{ name, schema string }

type relObjectRow struct {
	rel  uint32
	name string
}

type unmanagedRow struct{ kind, schema, name string }

// job is one catalog query: its SQL, its arguments and what reads its
// rows into the catalog.
type job struct {
	name string
	sql  string
	args []any
	// cost is a rough weight, to spread jobs evenly over connections.
	cost int
	scan func(rows pgx.Rows) error
}

// scanAll runs read over every row.
func scanAll(rows pgx.Rows, read func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := read(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// jobs returns the catalog queries for the filter f, each writing to its
// own field of c.
func (c *catalog) jobs(f filter) []job {
	v := func(sql string) string { return versioned(sql, c.version) }
	rels, tables := []any{c.rels}, []any{c.tables}
	schemas := []any{f.schemas}
	js := []job{
		{name: "relations", sql: qRelations, args: rels, cost: 3, scan: func(rows pgx.Rows) error {
			var r relationRow
			return scanAll(rows, func() error {
				r = relationRow{}
				if err := rows.Scan(&r.oid, &r.schema, &r.name, &r.kind, &r.persistence, &r.rls, &r.forceRLS, &r.isPart,
					&r.partKey, &r.partBound, &r.viewDef, &r.viewShape, &r.viewReadRels, &r.viewReadCols, &r.options, &r.parentSchema, &r.parent, &r.comment); err != nil {
					return err
				}
				c.relations = append(c.relations, r)
				return nil
			})
		}},
		{name: "constraints", sql: v(qConstraints), args: rels, cost: 6, scan: func(rows pgx.Rows) error {
			var r constraintRow
			return scanAll(rows, func() error {
				r = constraintRow{}
				if err := rows.Scan(&r.rel, &r.name, &r.kind, &r.keys, &r.deferrable, &r.deferred, &r.validated, &r.isLocal,
					&r.noInherit, &r.cloned, &r.refRel, &r.refSchema, &r.refTable, &r.refKeys, &r.onUpdate, &r.onDelete,
					&r.match, &r.def, &r.refNames, &r.indexKeys, &r.nullsNotDistinct); err != nil {
					return err
				}
				c.constraints = append(c.constraints, r)
				return nil
			})
		}},
		{name: "indexes", sql: v(qIndexes), args: tables, cost: 5, scan: func(rows pgx.Rows) error {
			var r indexRow
			return scanAll(rows, func() error {
				r = indexRow{}
				if err := rows.Scan(&r.rel, &r.name, &r.method, &r.unique, &r.keyCount, &r.keys, &r.options, &r.classes,
					&r.colls, &r.exprs, &r.where, &r.nullsNotDistinct, &r.attached, &r.valid, &r.comment, &r.def); err != nil {
					return err
				}
				c.indexes = append(c.indexes, r)
				return nil
			})
		}},
		{name: "operator classes", sql: qOperatorClasses, cost: 1, scan: func(rows pgx.Rows) error {
			c.opclasses = map[uint32]string{}
			var oid uint32
			var schema, name string
			return scanAll(rows, func() error {
				if err := rows.Scan(&oid, &schema, &name); err != nil {
					return err
				}
				if schema != "pg_catalog" {
					name = schema + "." + name
				}
				c.opclasses[oid] = name
				return nil
			})
		}},
		{name: "collations", sql: qCollations, cost: 1, scan: func(rows pgx.Rows) error {
			c.collations = map[uint32]qualifiedName{}
			var oid uint32
			var q qualifiedName
			return scanAll(rows, func() error {
				if err := rows.Scan(&oid, &q.schema, &q.name); err != nil {
					return err
				}
				c.collations[oid] = q
				return nil
			})
		}},
		{name: "sequences", sql: qSequences, args: []any{f.schemas, c.tables, !f.byName}, cost: 3, scan: func(rows pgx.Rows) error {
			var r sequenceRow
			return scanAll(rows, func() error {
				r = sequenceRow{}
				if err := rows.Scan(&r.oid, &r.schema, &r.name, &r.typ, &r.start, &r.increment, &r.min, &r.max, &r.cache,
					&r.cycle, &r.ownerRel, &r.ownerCol, &r.depType, &r.ownerTable, &r.ownerSchema, &r.owner, &r.comment); err != nil {
					return err
				}
				c.sequences = append(c.sequences, r)
				return nil
			})
		}},
		{name: "triggers", sql: v(qTriggers), args: rels, cost: 2, scan: func(rows pgx.Rows) error {
			var r triggerRow
			return scanAll(rows, func() error {
				r = triggerRow{}
				if err := rows.Scan(&r.rel, &r.name, &r.def, &r.comment); err != nil {
					return err
				}
				c.triggers = append(c.triggers, r)
				return nil
			})
		}},
		{name: "policies", sql: qPolicies, args: tables, cost: 1, scan: func(rows pgx.Rows) error {
			var r policyRow
			return scanAll(rows, func() error {
				r = policyRow{}
				if err := rows.Scan(&r.rel, &r.name, &r.cmd, &r.permissive, &r.roles, &r.using, &r.withCheck); err != nil {
					return err
				}
				c.policies = append(c.policies, r)
				return nil
			})
		}},
		{name: "rules", sql: qRules, args: rels, cost: 1, scan: relObjects(&c.rules)},
		{name: "grants", sql: qGrants, args: rels, cost: 1, scan: func(rows pgx.Rows) error {
			var r grantRow
			return scanAll(rows, func() error {
				if err := rows.Scan(&r.rel, &r.kind, &r.column, &r.detail); err != nil {
					return err
				}
				c.grants = append(c.grants, r)
				return nil
			})
		}},
		{name: "view grants", sql: qViewGrants, args: rels, cost: 1, scan: func(rows pgx.Rows) error {
			var r viewGrantRow
			return scanAll(rows, func() error {
				if err := rows.Scan(&r.rel, &r.grant.Column, &r.grant.Grantee, &r.grant.Privilege, &r.grant.Grantable); err != nil {
					return err
				}
				c.viewGrants = append(c.viewGrants, r)
				return nil
			})
		}},
		{name: "statistics", sql: qStatistics, args: tables, cost: 1, scan: relObjects(&c.statistics)},
	}
	js = append(js, c.columnJobs()...)
	if f.byName {
		// Tables picked by name: the namespace-wide objects are left out,
		// but for the enums and domains their columns use, without which
		// the tables could not be created from the result.
		return append(js, c.typeJobs(qEnumsUsed, qDomainsUsed, qDomainChecksUsed, qCompositesUsed, rels)...)
	}
	js = append(js, c.typeJobs(qEnums, qDomains, qDomainChecks, qCompositeTypes, schemas)...)
	return append(js,
		job{name: "namespaces", sql: qNamespaces, args: schemas, cost: 1, scan: func(rows pgx.Rows) error {
			var r namespaceRow
			return scanAll(rows, func() error {
				r = namespaceRow{}
				if err := rows.Scan(&r.name, &r.comment); err != nil {
					return err
				}
				c.namespaces = append(c.namespaces, r)
				return nil
			})
		}},
		job{name: "functions", sql: qFunctions, args: schemas, cost: 2, scan: func(rows pgx.Rows) error {
			var r functionRow
			return scanAll(rows, func() error {
				r = functionRow{}
				a := &r.agg
				if err := rows.Scan(&r.oid, &r.schema, &r.name, &r.kind, &r.identityArgs, &r.def, &r.qualified, &r.args,
					&r.parallel, &a.kind, &a.transFn, &a.transType, &a.transSpace, &a.finalFn, &a.finalExtra,
					&a.finalModify, &a.combineFn, &a.serialFn, &a.deserial, &a.initVal, &a.mTransFn, &a.mInvFn,
					&a.mTransType, &a.mTransSpace, &a.mFinalFn, &a.mFinalExtra, &a.mFinalModify, &a.mInitVal,
					&a.sortOp, &r.comment); err != nil {
					return err
				}
				c.functions = append(c.functions, r)
				return nil
			})
		}},
		job{name: "extensions", sql: qExtensions, args: schemas, cost: 1, scan: func(rows pgx.Rows) error {
			var r extensionRow
			return scanAll(rows, func() error {
				if err := rows.Scan(&r.name, &r.schema); err != nil {
					return err
				}
				c.extensions = append(c.extensions, r)
				return nil
			})
		}},
		job{name: "unmanaged objects", sql: qUnmanaged, args: schemas, cost: 1, scan: func(rows pgx.Rows) error {
			var r unmanagedRow
			return scanAll(rows, func() error {
				if err := rows.Scan(&r.kind, &r.schema, &r.name); err != nil {
					return err
				}
				c.unmanaged = append(c.unmanaged, r)
				return nil
			})
		}},
	)
}

// typeJobs returns the queries of the enums, the domains, the domains'
// checks and the composite types: those of the selected namespaces, or
// those a filtered set of relations uses (the *Used queries, whose $1 is
// the relations' oids).
func (c *catalog) typeJobs(enums, domains, checks, composites string, args []any) []job {
	return []job{
		{name: "composite types", sql: composites, args: args, cost: 1, scan: func(rows pgx.Rows) error {
			var r compositeRow
			return scanAll(rows, func() error {
				r = compositeRow{}
				if err := rows.Scan(&r.oid, &r.schema, &r.name, &r.attNames, &r.attTypes, &r.attDims, &r.attColls, &r.comment); err != nil {
					return err
				}
				c.composites = append(c.composites, r)
				return nil
			})
		}},
		{name: "enums", sql: enums, args: args, cost: 1, scan: func(rows pgx.Rows) error {
			var r enumRow
			return scanAll(rows, func() error {
				r = enumRow{}
				if err := rows.Scan(&r.oid, &r.schema, &r.name, &r.values, &r.comment); err != nil {
					return err
				}
				c.enums = append(c.enums, r)
				return nil
			})
		}},
		{name: "domains", sql: domains, args: args, cost: 1, scan: func(rows pgx.Rows) error {
			var r domainRow
			return scanAll(rows, func() error {
				r = domainRow{}
				if err := rows.Scan(&r.oid, &r.schema, &r.name, &r.base, &r.baseCategory, &r.notNull, &r.def, &r.collation, &r.collSchema,
					&r.comment); err != nil {
					return err
				}
				c.domains = append(c.domains, r)
				return nil
			})
		}},
		{name: "domain checks", sql: checks, args: args, cost: 1, scan: func(rows pgx.Rows) error {
			var r domainCheckRow
			return scanAll(rows, func() error {
				r = domainCheckRow{}
				if err := rows.Scan(&r.domain, &r.name, &r.def, &r.validated); err != nil {
					return err
				}
				c.domainCheck = append(c.domainCheck, r)
				return nil
			})
		}},
	}
}

// columnParts is how many queries read the columns of many tables: the
// biggest query by far, it is split by table so that it does not alone
// set how long an inspection takes.
const (
	columnParts     = 2
	columnPartTable = 400 // fewest tables worth a query of their own
)

// columnJobs returns the queries of the columns, one per part of the
// selected tables, each reading into its own part of c.columnParts.
func (c *catalog) columnJobs() []job {
	parts := max(1, min(columnParts, len(c.tables)/columnPartTable))
	c.columnParts = make([][]columnRow, parts)
	var js []job
	for k := range parts {
		lo, hi := k*len(c.tables)/parts, (k+1)*len(c.tables)/parts
		js = append(js, job{name: "columns", sql: qColumns, args: []any{c.tables[lo:hi]}, cost: 10 / parts, scan: func(rows pgx.Rows) error {
			var r columnRow
			return scanAll(rows, func() error {
				r = columnRow{}
				if err := rows.Scan(&r.rel, &r.num, &r.name, &r.typ, &r.cat, &r.dims, &r.notNull, &r.identity, &r.generate,
					&r.isLocal, &r.inhCount, &r.def, &r.collOID, &r.typColl, &r.comment); err != nil {
					return err
				}
				c.columnParts[k] = append(c.columnParts[k], r)
				return nil
			})
		}})
	}
	return js
}

// relObjects reads (relation, name) rows into dst.
func relObjects(dst *[]relObjectRow) func(pgx.Rows) error {
	return func(rows pgx.Rows) error {
		var r relObjectRow
		return scanAll(rows, func() error {
			if err := rows.Scan(&r.rel, &r.name); err != nil {
				return err
			}
			*dst = append(*dst, r)
			return nil
		})
	}
}
