package postgres

import "strings"

// The catalog queries. Each reads one kind of object for every selected
// relation or namespace at once, so their number does not depend on the
// number of tables. They read pg_catalog directly (information_schema's
// views are much slower) and never run a subquery per row that scans a
// catalog: arrays such as a constraint's column numbers are resolved in
// Go.
//
// An inspection runs in two steps. qSelection applies the filters once and
// returns the oids of the selected relations; every query about what
// hangs off relations (columns, constraints, indexes, triggers...) then
// takes those oids as a bound array, $1, and finds its rows through the
// catalog's index on the relation (pg_attribute's on attrelid, and so on).
// Its cost is that of the selected relations, not of the database: ten
// tables of ten thousand cost what ten cost.
//
// The filters are bound parameters of qSelection and of the queries of
// namespace-wide objects:
//
//	$1 text[]  namespaces to keep (empty: all)
//	$2 text[]  regular expressions a relation must match, by name or by
//	           "schema.name" (empty: all)
//	$3 text[]  regular expressions of relations to leave out
//
// System namespaces (pg_catalog, pg_toast, pg_temp_*, information_schema)
// and objects that belong to an extension are always left out.

// schemaFilter keeps the user namespaces $1 selects; n is pg_namespace.
const schemaFilter = `n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))`

// notExtension leaves out what an extension owns; {class} is the catalog
// of the object and {oid} its oid. It looks the members up from the
// extensions' side (pg_depend's index on the referenced object), which
// costs what the extensions' members cost, not what every object does.
const notExtension = `{oid} NOT IN (SELECT x.objid FROM pg_catalog.pg_depend x
  WHERE x.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
    AND x.classid = '{class}'::pg_catalog.regclass AND x.deptype = 'e')`

// relFilter keeps the relations $1, $2 and $3 select; c is pg_class, n
// its namespace.
var relFilter = schemaFilter + `
  AND (pg_catalog.cardinality($2::text[]) = 0 OR c.relname ~ ANY ($2::text[]) OR (n.nspname || '.' || c.relname) ~ ANY ($2::text[]))
  AND NOT (c.relname ~ ANY ($3::text[]) OR (n.nspname || '.' || c.relname) ~ ANY ($3::text[]))
  AND ` + ext("pg_class", "c.oid")

// ext returns notExtension for one catalog.
func ext(class, oid string) string {
	return strings.NewReplacer("{class}", "pg_catalog."+class, "{oid}", oid).Replace(notExtension)
}

// comment joins pg_description for an object of a catalog; alias d.
func comment(class, oid, subid string) string {
	return `LEFT JOIN pg_catalog.pg_description d ON d.objoid = ` + oid +
		` AND d.classoid = 'pg_catalog.` + class + `'::pg_catalog.regclass AND d.objsubid = ` + subid
}

// qSession starts the snapshot every other query shares and reads what
// the rest depends on.
const qSession = `SELECT pg_catalog.current_schema(), pg_catalog.current_setting('server_version_num')::int`

// qSelection returns the oids of the selected relations: all of them
// (tables, partitioned tables, views, materialized views, foreign tables),
// and those with columns and indexes of their own (tables, partitioned
// tables, materialized views).
var qSelection = `SELECT coalesce(array_agg(c.oid), '{}'),
  coalesce(array_agg(c.oid) FILTER (WHERE c.relkind IN ('r', 'p', 'm')), '{}')
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ` + relFilter

// qNamespaces lists the user namespaces.
var qNamespaces = `SELECT n.nspname, d.description
FROM pg_catalog.pg_namespace n
` + comment("pg_namespace", "n.oid", "0") + `
WHERE ` + schemaFilter + ` AND ` + ext("pg_namespace", "n.oid")

// qRelations lists the selected relations ($1: all of them), one row per
// parent for a table with several; a view comes with its output columns'
// names, types and collations (inspector.Result.ViewShapes), and a view or
// materialized view with the relations its query reads, as its rewrite
// rule depends on them, each with the column it reads (” for the whole
// row), in two arrays of one length (inspector.Result.ViewReads).
var qRelations = `SELECT c.oid, n.nspname, c.relname, c.relkind::text, c.relpersistence::text,
  c.relrowsecurity, c.relforcerowsecurity, c.relispartition,
  CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
  CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, 0) END,
  CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) END,
  vs.shape, vr.rels, vr.cols, c.reloptions, pn.nspname, p.relname, d.description
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid AND i.inhrelid = ANY ($1::oid[])
LEFT JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
LEFT JOIN (
  SELECT a.attrelid, array_agg(pg_catalog.quote_ident(a.attname) || ' ' ||
    pg_catalog.format_type(a.atttypid, a.atttypmod) ||
    CASE WHEN a.attcollation <> t.typcollation THEN ' COLLATE ' ||
      pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) ELSE '' END
    ORDER BY a.attnum) AS shape
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class vc ON vc.oid = a.attrelid AND vc.relkind = 'v'
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
  WHERE a.attrelid = ANY ($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
  GROUP BY a.attrelid
) vs ON vs.attrelid = c.oid
LEFT JOIN (
  SELECT r.ev_class, array_agg(dc.relname::text) AS rels, array_agg(coalesce(da.attname::text, '')) AS cols
  FROM pg_catalog.pg_rewrite r
  JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND dep.objid = r.oid
    AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.refobjid <> r.ev_class
  JOIN pg_catalog.pg_class dc ON dc.oid = dep.refobjid
  LEFT JOIN pg_catalog.pg_attribute da ON dep.refobjsubid > 0 AND da.attrelid = dep.refobjid AND da.attnum = dep.refobjsubid
  WHERE r.ev_class = ANY ($1::oid[])
  GROUP BY r.ev_class
) vr ON vr.ev_class = c.oid
` + comment("pg_class", "c.oid", "0") + ` AND d.objoid = ANY ($1::oid[])
WHERE c.oid = ANY ($1::oid[])
ORDER BY c.oid, i.inhseqno`

// qColumns lists the columns of the selected tables and materialized
// views ($1), whose indexes name them. A default holds no column reference,
// so it is deparsed without its table (relid 0): given a table,
// pg_get_expr opens it, which costs more than the rest of the row. A
// generated column's expression does name columns and needs its table.
var qColumns = `SELECT a.attrelid, a.attnum, a.attname,
  pg_catalog.format_type(a.atttypid, a.atttypmod), t.typcategory::text,
  a.attndims, a.attnotnull, a.attidentity::text, a.attgenerated::text, a.attislocal, a.attinhcount,
  CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, 0, true)
    ELSE pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) END,
  a.attcollation, t.typcollation, d.description
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum AND ad.adrelid = ANY ($1::oid[])
` + comment("pg_class", "a.attrelid", "a.attnum") + ` AND d.objoid = ANY ($1::oid[])
WHERE a.attrelid = ANY ($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped`

// qConstraints lists the constraints of the selected relations ($1). Column
// numbers come back as arrays, named in Go from the columns read by
// qColumns; only a foreign key to a table outside the selection has its
// referenced columns named here.
var qConstraints = `SELECT con.conrelid, con.conname, con.contype::text, con.conkey,
  con.condeferrable, con.condeferred, con.convalidated, con.conislocal, con.connoinherit, con.conparentid <> 0,
  con.confrelid, fn.nspname, f.relname, con.confkey,
  con.confupdtype::text, con.confdeltype::text, con.confmatchtype::text,
  CASE WHEN con.contype IN ('c', 'x') THEN pg_catalog.pg_get_constraintdef(con.oid, true) END,
  CASE WHEN con.contype = 'f' AND NOT con.confrelid = ANY ($1::oid[]) THEN
    ARRAY(SELECT a.attname FROM pg_catalog.unnest(con.confkey) WITH ORDINALITY k(num, ord)
      JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord)
  END,
  ix.indkey::int2[], {ix.nullsnotdistinct}
FROM pg_catalog.pg_constraint con
LEFT JOIN pg_catalog.pg_class f ON f.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace
LEFT JOIN pg_catalog.pg_index ix ON ix.indexrelid = con.conindid AND con.contype IN ('p', 'u', 'x')
  AND ix.indrelid = ANY ($1::oid[])
WHERE con.conrelid = ANY ($1::oid[]) AND con.contype IN ('p', 'f', 'u', 'c', 'x')`

// qIndexes lists the indexes of the selected tables and materialized
// views ($1), except those behind a primary key, unique or exclusion
// constraint. Only expression keys are deparsed one by one; an index with
// one also comes with its whole definition, the only place that says
// whether an expression key's collation was written or inherited.
var qIndexes = `SELECT i.indrelid, ic.relname, am.amname, i.indisunique, i.indnkeyatts,
  i.indkey::int2[], i.indoption::int2[], i.indclass::oid[], i.indcollation::oid[],
  CASE WHEN i.indexprs IS NOT NULL THEN
    ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, true)
      FROM pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY k(num, ord) WHERE k.num = 0 ORDER BY k.ord)
  END,
  pg_catalog.pg_get_expr(i.indpred, i.indrelid, true), {i.nullsnotdistinct}, ic.relispartition, i.indisvalid,
  d.description,
  CASE WHEN i.indexprs IS NOT NULL THEN pg_catalog.pg_get_indexdef(i.indexrelid) END
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
` + comment("pg_class", "i.indexrelid", "0") + `
WHERE i.indrelid = ANY ($1::oid[]) AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint con
  WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
    AND con.conrelid = ANY ($1::oid[]))`

// qOperatorClasses lists the operator classes that are not their type's
// default, the only ones an index definition names.
const qOperatorClasses = `SELECT c.oid, n.nspname, c.opcname
FROM pg_catalog.pg_opclass c JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace
WHERE NOT c.opcdefault`

// qCollations lists the collations, to name those of index keys.
const qCollations = `SELECT c.oid, n.nspname, c.collname
FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace`

// qSequences lists the sequences of the namespaces $1 selects: those
// owned by a column of a selected table ($2; serial and identity sequences
// among them) and, when $3 is true, those owned by none.
var qSequences = `SELECT c.oid, n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL),
  s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
  dep.refobjid, dep.refobjsubid, dep.deptype::text, o.relname, onsp.nspname, a.attname, d.description
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.objid = c.oid
  AND dep.objsubid = 0 AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.deptype IN ('a', 'i')
LEFT JOIN pg_catalog.pg_class o ON o.oid = dep.refobjid
LEFT JOIN pg_catalog.pg_namespace onsp ON onsp.oid = o.relnamespace
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
` + comment("pg_class", "c.oid", "0") + `
WHERE c.relkind = 'S' AND ` + schemaFilter + ` AND ` + ext("pg_class", "c.oid") + `
  AND CASE WHEN dep.refobjid IS NULL THEN $3::bool ELSE dep.refobjid = ANY ($2::oid[]) END`

// qEnums lists the enumerated types with their labels in order.
var qEnums = `SELECT t.oid, n.nspname, t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder), d.description
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
` + comment("pg_type", "t.oid", "0") + `
WHERE t.typtype = 'e' AND ` + schemaFilter + ` AND ` + ext("pg_type", "t.oid") + `
GROUP BY t.oid, n.nspname, t.typname, d.description`

// qDomains lists the domains.
var qDomains = `SELECT t.oid, n.nspname, t.typname, pg_catalog.format_type(t.typbasetype, t.typtypmod), b.typcategory::text,
  t.typnotnull, t.typdefault, co.collname, cn.nspname, d.description
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation AND t.typcollation <> b.typcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
` + comment("pg_type", "t.oid", "0") + `
WHERE t.typtype = 'd' AND ` + schemaFilter + ` AND ` + ext("pg_type", "t.oid")

// qCompositeTypes lists the composite types made by CREATE TYPE ... AS
// (...), not the row types of tables, with their attributes in order: the
// name, the type, its declared array dimensions, and a collation other
// than the type's own (0 for none).
var qCompositeTypes = `SELECT t.oid, n.nspname, t.typname,
  coalesce(array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attnum IS NOT NULL), '{}'),
  coalesce(array_agg(pg_catalog.format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum) FILTER (WHERE a.attnum IS NOT NULL), '{}'),
  coalesce(array_agg(a.attndims::int ORDER BY a.attnum) FILTER (WHERE a.attnum IS NOT NULL), '{}'),
  coalesce(array_agg(CASE WHEN a.attcollation <> at.typcollation THEN a.attcollation ELSE 0 END ORDER BY a.attnum)
    FILTER (WHERE a.attnum IS NOT NULL), '{}'),
  d.description
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_class r ON r.oid = t.typrelid AND r.relkind = 'c'
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
` + comment("pg_type", "t.oid", "0") + `
WHERE t.typtype = 'c' AND ` + schemaFilter + ` AND ` + ext("pg_type", "t.oid") + `
GROUP BY t.oid, n.nspname, t.typname, d.description`

// qDomainChecks lists the check constraints of the domains.
var qDomainChecks = `SELECT con.contypid, con.conname, pg_catalog.pg_get_constraintdef(con.oid, true), con.convalidated
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_type t ON t.oid = con.contypid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE con.contype = 'c' AND t.typtype = 'd' AND ` + schemaFilter + ` AND ` + ext("pg_type", "t.oid")

// usedTypes is the oids of the types the columns of the relations $1 use:
// directly, as the elements of an array, and as the base type of a
// domain so used. It reads pg_attribute by its index on attrelid, so it
// costs what the relations cost.
const usedTypes = `WITH RECURSIVE used(oid) AS (
    SELECT a.atttypid FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = ANY ($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
  UNION
    SELECT CASE WHEN ty.typelem <> 0 AND ty.typcategory = 'A' THEN ty.typelem ELSE ty.typbasetype END
    FROM used JOIN pg_catalog.pg_type ty ON ty.oid = used.oid
    WHERE (ty.typelem <> 0 AND ty.typcategory = 'A') OR ty.typtype = 'd'
) SELECT oid FROM used`

// The enum and domain queries for a filtered inspection: the types the
// selected relations ($1, oids) use, in whatever namespace.
var (
	qEnumsUsed        = onlyUsedTypes(qEnums)
	qDomainsUsed      = onlyUsedTypes(qDomains)
	qDomainChecksUsed = onlyUsedTypes(qDomainChecks)
	qCompositesUsed   = onlyUsedTypes(qCompositeTypes)
)

// onlyUsedTypes turns a type query filtered by namespace into one filtered
// by use (usedTypes).
func onlyUsedTypes(q string) string {
	if !strings.Contains(q, schemaFilter) {
		panic("inspector/postgres: type query without the namespace filter")
	}
	return strings.Replace(q, schemaFilter, "t.oid IN ("+usedTypes+")", 1)
}

// qFunctions lists functions, procedures and aggregates: the whole
// definition of the first two, an aggregate's parts to rebuild its
// CREATE AGGREGATE.
var qFunctions = `SELECT p.oid, n.nspname, p.proname, p.prokind::text,
  pg_catalog.pg_get_function_identity_arguments(p.oid),
  CASE WHEN p.prokind <> 'a' THEN pg_catalog.pg_get_functiondef(p.oid) END,
  pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname),
  pg_catalog.pg_get_function_arguments(p.oid), p.proparallel::text,
  a.aggkind::text, a.aggtransfn::pg_catalog.regproc::text, pg_catalog.format_type(a.aggtranstype, NULL), a.aggtransspace,
  CASE WHEN a.aggfinalfn <> 0 THEN a.aggfinalfn::pg_catalog.regproc::text END, a.aggfinalextra, a.aggfinalmodify::text,
  CASE WHEN a.aggcombinefn <> 0 THEN a.aggcombinefn::pg_catalog.regproc::text END,
  CASE WHEN a.aggserialfn <> 0 THEN a.aggserialfn::pg_catalog.regproc::text END,
  CASE WHEN a.aggdeserialfn <> 0 THEN a.aggdeserialfn::pg_catalog.regproc::text END,
  a.agginitval,
  CASE WHEN a.aggmtransfn <> 0 THEN a.aggmtransfn::pg_catalog.regproc::text END,
  CASE WHEN a.aggminvtransfn <> 0 THEN a.aggminvtransfn::pg_catalog.regproc::text END,
  CASE WHEN a.aggmtranstype <> 0 THEN pg_catalog.format_type(a.aggmtranstype, NULL) END, a.aggmtransspace,
  CASE WHEN a.aggmfinalfn <> 0 THEN a.aggmfinalfn::pg_catalog.regproc::text END, a.aggmfinalextra, a.aggmfinalmodify::text,
  a.aggminitval,
  CASE WHEN a.aggsortop <> 0 THEN a.aggsortop::pg_catalog.regoperator::text END,
  d.description
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid
` + comment("pg_proc", "p.oid", "0") + `
WHERE ` + schemaFilter + ` AND ` + ext("pg_proc", "p.oid")

// qTriggers lists the user triggers of the selected relations ($1); triggers
// cloned onto partitions from their parent's are the parent's.
var qTriggers = `SELECT tg.tgrelid, tg.tgname, pg_catalog.pg_get_triggerdef(tg.oid, false), d.description
FROM pg_catalog.pg_trigger tg
` + comment("pg_trigger", "tg.oid", "0") + `
WHERE tg.tgrelid = ANY ($1::oid[]) AND NOT tg.tgisinternal {notcloned}`

// qPolicies lists the row-level security policies of the selected tables
// ($1).
var qPolicies = `SELECT p.polrelid, p.polname, p.polcmd::text, p.polpermissive,
  ARRAY(SELECT pg_catalog.pg_get_userbyid(r) FROM pg_catalog.unnest(p.polroles) WITH ORDINALITY u(r, ord) WHERE r <> 0 ORDER BY ord),
  pg_catalog.pg_get_expr(p.polqual, p.polrelid, true), pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid, true)
FROM pg_catalog.pg_policy p
WHERE p.polrelid = ANY ($1::oid[])`

// qExtensions lists the installed extensions but plpgsql, which every
// database has.
const qExtensions = `SELECT e.extname, n.nspname
FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql' AND (pg_catalog.cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))`

// qRules lists the rewrite rules on the selected relations ($1) other than
// the ones that make a view a view: dbtool does not manage them.
var qRules = `SELECT r.ev_class, r.rulename
FROM pg_catalog.pg_rewrite r
WHERE r.ev_class = ANY ($1::oid[]) AND r.rulename <> '_RETURN'`

// qGrants lists what dbtool does not carry over about the selected
// relations ($1), one row each: kind, column (or ""), and detail. Kinds:
// "grants", the privileges granted on the relation beyond its owner's
// defaults (relacl is null until a GRANT or REVOKE); "column grants",
// those on one of its columns (attacl); "owner", its owner where it is not
// the role inspecting, which is the role create-all would create it as.
var qGrants = `SELECT c.oid, 'grants', '', pg_catalog.array_to_string(c.relacl, ', ')
FROM pg_catalog.pg_class c
WHERE c.oid = ANY ($1::oid[]) AND c.relacl IS NOT NULL
UNION ALL
SELECT a.attrelid, 'column grants', a.attname::text, pg_catalog.array_to_string(a.attacl, ', ')
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = ANY ($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
UNION ALL
SELECT c.oid, 'owner', '', pg_catalog.pg_get_userbyid(c.relowner)::text
FROM pg_catalog.pg_class c
WHERE c.oid = ANY ($1::oid[]) AND pg_catalog.pg_get_userbyid(c.relowner) <> CURRENT_USER`

// qViewGrants lists the privileges granted on the selected views and
// materialized views ($1), and on the columns of the selected relations
// (the builder keeps the views'), to roles other than their owner: a plan
// that recreates a view grants them again (inspector.Result.ViewGrants).
// A grantee of 0 is PUBLIC. The columns are found by the oid array alone,
// as in qGrants: joined to pg_class, with nested loops off, the query read
// the whole of pg_attribute, a quarter of an inspection's time on a small
// schema.
var qViewGrants = `SELECT c.oid, '', CASE WHEN g.grantee = 0 THEN '' ELSE pg_catalog.pg_get_userbyid(g.grantee)::text END,
  g.privilege_type, g.is_grantable
FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) g
WHERE c.oid = ANY ($1::oid[]) AND c.relkind IN ('v', 'm') AND c.relacl IS NOT NULL AND g.grantee <> c.relowner
UNION ALL
SELECT a.attrelid, a.attname::text, CASE WHEN g.grantee = 0 THEN '' ELSE pg_catalog.pg_get_userbyid(g.grantee)::text END,
  g.privilege_type, g.is_grantable
FROM pg_catalog.pg_attribute a, pg_catalog.aclexplode(a.attacl) g
WHERE a.attrelid = ANY ($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
  AND g.grantee <> (SELECT r.relowner FROM pg_catalog.pg_class r WHERE r.oid = a.attrelid)
ORDER BY 1, 2, 3, 4`

// qStatistics lists extended statistics on the selected tables ($1).
var qStatistics = `SELECT s.stxrelid, s.stxname
FROM pg_catalog.pg_statistic_ext s
WHERE s.stxrelid = ANY ($1::oid[])`

// qUnmanaged lists the database-wide and per-namespace objects dbtool does
// not manage, one row each: kind, namespace (or ""), name.
var qUnmanaged = `SELECT 'publication', '', p.pubname::text FROM pg_catalog.pg_publication p
UNION ALL
SELECT 'event trigger', '', e.evtname::text FROM pg_catalog.pg_event_trigger e WHERE ` + ext("pg_event_trigger", "e.oid") + `
UNION ALL
SELECT 'cast', '', pg_catalog.format_type(c.castsource, NULL) || ' AS ' || pg_catalog.format_type(c.casttarget, NULL)
  FROM pg_catalog.pg_cast c WHERE c.oid >= 16384 AND ` + ext("pg_cast", "c.oid") + `
    -- not the casts a range type's multirange comes with
    AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend i
      WHERE i.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND i.objid = c.oid AND i.deptype = 'i')
UNION ALL
SELECT 'foreign server', '', s.srvname::text FROM pg_catalog.pg_foreign_server s WHERE ` + ext("pg_foreign_server", "s.oid") + `
UNION ALL
SELECT 'operator', n.nspname, o.oprname || '(' || pg_catalog.format_type(o.oprleft, NULL) || ', ' || pg_catalog.format_type(o.oprright, NULL) || ')'
  FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
  WHERE ` + schemaFilter + ` AND ` + ext("pg_operator", "o.oid") + `
UNION ALL
SELECT 'text search configuration', n.nspname, c.cfgname::text
  FROM pg_catalog.pg_ts_config c JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace
  WHERE ` + schemaFilter + ` AND ` + ext("pg_ts_config", "c.oid") + `
UNION ALL
SELECT 'text search dictionary', n.nspname, c.dictname::text
  FROM pg_catalog.pg_ts_dict c JOIN pg_catalog.pg_namespace n ON n.oid = c.dictnamespace
  WHERE ` + schemaFilter + ` AND ` + ext("pg_ts_dict", "c.oid") + `
UNION ALL
SELECT 'collation', n.nspname, c.collname::text
  FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
  WHERE ` + schemaFilter + ` AND ` + ext("pg_collation", "c.oid") + `
UNION ALL
SELECT CASE t.typtype WHEN 'r' THEN 'range type' WHEN 'b' THEN 'base type' ELSE 'type' END,
  n.nspname, t.typname::text
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE ` + schemaFilter + ` AND ` + ext("pg_type", "t.oid") + `
    AND (t.typtype = 'r' OR (t.typtype = 'b' AND t.typcategory <> 'A'))
UNION ALL
-- Privileges on a namespace other than those it had when created: its
-- owner's (acldefault), or for those initdb made, such as public, the
-- ones initdb gave it (pg_init_privs), as pg_dump compares them.
SELECT 'grants on schema', '', n.nspname || ' (' || pg_catalog.array_to_string(n.nspacl, ', ') || ')'
  FROM pg_catalog.pg_namespace n
  LEFT JOIN pg_catalog.pg_init_privs ip ON ip.objoid = n.oid
    AND ip.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND ip.objsubid = 0
  WHERE ` + schemaFilter + ` AND ` + ext("pg_namespace", "n.oid") + ` AND n.nspacl IS NOT NULL
    AND n.nspacl::text[] IS DISTINCT FROM coalesce(ip.initprivs, pg_catalog.acldefault('n', n.nspowner))::text[]
UNION ALL
-- Privileges on the other namespace-wide objects beyond their owner's.
SELECT 'grants on sequence', n.nspname, c.relname || ' (' || pg_catalog.array_to_string(c.relacl, ', ') || ')'
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'S' AND c.relacl IS NOT NULL AND ` + schemaFilter + ` AND ` + ext("pg_class", "c.oid") + `
UNION ALL
SELECT 'grants on type', n.nspname, t.typname || ' (' || pg_catalog.array_to_string(t.typacl, ', ') || ')'
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typacl IS NOT NULL AND t.typcategory <> 'A' AND ` + schemaFilter + ` AND ` + ext("pg_type", "t.oid") + `
UNION ALL
SELECT 'grants on function', n.nspname, p.proname || ' (' || pg_catalog.array_to_string(p.proacl, ', ') || ')'
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE p.proacl IS NOT NULL AND ` + schemaFilter + ` AND ` + ext("pg_proc", "p.oid") + `
UNION ALL
-- Default privileges (ALTER DEFAULT PRIVILEGES), database-wide or in a
-- selected namespace.
SELECT 'default privileges', coalesce(n.nspname, ''),
  'of role ' || pg_catalog.pg_get_userbyid(da.defaclrole) || ' on ' ||
  CASE da.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions'
    WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' ELSE da.defaclobjtype::text END ||
  ' (' || pg_catalog.array_to_string(da.defaclacl, ', ') || ')'
  FROM pg_catalog.pg_default_acl da LEFT JOIN pg_catalog.pg_namespace n ON n.oid = da.defaclnamespace
  WHERE da.defaclnamespace = 0 OR (` + schemaFilter + `)
UNION ALL
-- Owners other than the role inspecting, which create-all would create
-- the object as. A namespace owned by pg_database_owner (public, as
-- initdb makes it since PostgreSQL 15) is the database owner's anyway.
SELECT 'owner of schema', '', n.nspname || ' (' || pg_catalog.pg_get_userbyid(n.nspowner) || ')'
  FROM pg_catalog.pg_namespace n
  WHERE ` + schemaFilter + ` AND ` + ext("pg_namespace", "n.oid") + `
    AND pg_catalog.pg_get_userbyid(n.nspowner) NOT IN (CURRENT_USER, 'pg_database_owner')
    AND n.nspname <> pg_catalog.current_schema()
UNION ALL
SELECT 'owner of sequence', n.nspname, c.relname || ' (' || pg_catalog.pg_get_userbyid(c.relowner) || ')'
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'S' AND pg_catalog.pg_get_userbyid(c.relowner) <> CURRENT_USER
    AND ` + schemaFilter + ` AND ` + ext("pg_class", "c.oid") + `
UNION ALL
SELECT 'owner of type', n.nspname, t.typname || ' (' || pg_catalog.pg_get_userbyid(t.typowner) || ')'
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_catalog.pg_class r ON r.oid = t.typrelid
  WHERE t.typtype IN ('e', 'd', 'c', 'r') AND (t.typtype <> 'c' OR r.relkind = 'c')
    AND pg_catalog.pg_get_userbyid(t.typowner) <> CURRENT_USER
    AND ` + schemaFilter + ` AND ` + ext("pg_type", "t.oid") + `
UNION ALL
SELECT 'owner of function', n.nspname, p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'
  || ' (' || pg_catalog.pg_get_userbyid(p.proowner) || ')'
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE pg_catalog.pg_get_userbyid(p.proowner) <> CURRENT_USER AND ` + schemaFilter + ` AND ` + ext("pg_proc", "p.oid")

// versioned fills in the parts of the queries that depend on the server's
// version (server_version_num).
func versioned(sql string, version int) string {
	ixNND, iNND, notCloned := "false", "false", ""
	if version >= 150000 {
		ixNND, iNND = "coalesce(ix.indnullsnotdistinct, false)", "i.indnullsnotdistinct"
	}
	if version >= 130000 {
		notCloned = "AND tg.tgparentid = 0"
	}
	return strings.NewReplacer("{ix.nullsnotdistinct}", ixNND, "{i.nullsnotdistinct}", iNND,
		"{notcloned}", notCloned).Replace(sql)
}
