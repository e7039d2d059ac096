package postgres

import (
	"fmt"
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// triggers adds the user triggers of the selected relations.
func (b *builder) triggers() {
	for _, tg := range b.c.triggers {
		r := b.rels[tg.rel]
		if r == nil || (r.table == nil && r.view == nil) {
			continue
		}
		b.m.Triggers = append(b.m.Triggers, metadata.Trigger{
			Schema:     b.schema(r.row.schema),
			Name:       tg.name,
			Table:      r.row.name,
			Definition: tg.def,
			Comment:    str(tg.comment),
		})
	}
}

// policyCommands maps pg_policy.polcmd.
var policyCommands = map[string]string{"*": "", "r": "select", "a": "insert", "w": "update", "d": "delete"}

// policies adds the row-level security policies of each table.
func (b *builder) policies() {
	for _, p := range b.c.policies {
		r := b.rels[p.rel]
		if r == nil || r.table == nil {
			continue
		}
		r.table.Policies = append(r.table.Policies, metadata.Policy{
			Name:        p.name,
			Command:     policyCommands[p.cmd],
			Restrictive: !p.permissive,
			Roles:       p.roles,
			Using:       stripParens(str(p.using)),
			WithCheck:   stripParens(str(p.withCheck)),
		})
		if len(p.roles) == 0 {
			r.table.Policies[len(r.table.Policies)-1].Roles = nil
		}
	}
}

// sequences adds the standalone sequences: not those of identity columns
// nor those behind serial columns, which the columns say.
func (b *builder) sequences() {
	for i := range b.c.sequences {
		s := &b.c.sequences[i]
		if b.serial[s.oid] || str(s.depType) == "i" {
			continue
		}
		out := metadata.Sequence{Schema: b.schema(s.schema), Name: s.name, Cycle: s.cycle, Comment: str(s.comment)}
		switch s.typ {
		case "smallint":
			out.Type = metadata.Integer{Bytes: 2}
		case "integer":
			out.Type = metadata.Integer{Bytes: 4}
		}
		tmax := typeMax(s.typ)
		minDefault, maxDefault := int64(1), tmax
		if s.increment < 0 {
			minDefault, maxDefault = -tmax-1, -1
		}
		if s.min != minDefault {
			out.MinValue = ptr(s.min)
		}
		if s.max != maxDefault {
			out.MaxValue = ptr(s.max)
		}
		if s.start != defaultStart(s) {
			out.Start = ptr(s.start)
		}
		if s.increment != 1 {
			out.Increment = ptr(s.increment)
		}
		if s.cache != 1 {
			out.Cache = ptr(s.cache)
		}
		if s.owner != nil {
			out.OwnedBy = *s.ownerTable + "." + *s.owner
			if str(s.ownerSchema) != s.schema {
				out.OwnedBy = str(s.ownerSchema) + "." + out.OwnedBy
			}
		}
		b.m.Sequences = append(b.m.Sequences, out)
	}
}

// types adds the enums, composite types and domains.
func (b *builder) types() {
	for _, e := range b.c.enums {
		b.m.Enums = append(b.m.Enums, metadata.Enum{
			Schema: b.schema(e.schema), Name: e.name, Values: e.values, Comment: str(e.comment),
		})
	}
	checks := map[uint32][]domainCheckRow{}
	for _, c := range b.c.domainCheck {
		checks[c.domain] = append(checks[c.domain], c)
	}
	for _, ct := range b.c.composites {
		out := metadata.CompositeType{Schema: b.schema(ct.schema), Name: ct.name, Comment: str(ct.comment)}
		for i, name := range ct.attNames {
			a := metadata.Attribute{Name: name, Type: b.columnType(arrayDims(ct.attTypes[i], int16(ct.attDims[i])))}
			if ct.attColls[i] != 0 {
				a.Collation = b.collation(ct.attColls[i])
			}
			out.Attributes = append(out.Attributes, a)
		}
		b.m.CompositeTypes = append(b.m.CompositeTypes, out)
	}
	for _, d := range b.c.domains {
		out := metadata.Domain{
			Schema:  b.schema(d.schema),
			Name:    d.name,
			Type:    b.columnType(d.base),
			NotNull: d.notNull,
			Comment: str(d.comment),
		}
		if d.def != nil {
			out.Default = columnDefault(*d.def, d.base, d.baseCategory)
		}
		if d.collation != nil {
			out.Collation = *d.collation
			if s := str(d.collSchema); s != "pg_catalog" && s != b.c.currentSchema {
				out.Collation = s + "." + out.Collation
			}
		}
		namer := defaultNamer{taken: map[string]bool{}}
		for _, c := range checks[d.oid] {
			namer.taken[c.name] = true
		}
		for _, c := range checks[d.oid] {
			ch := metadata.Check{Name: c.name, Expr: checkExpr(c.def), NotValid: !c.validated}
			if namer.is(c.name, d.name, "", "check") {
				ch.Name = ""
			}
			out.Checks = append(out.Checks, ch)
		}
		b.m.Domains = append(b.m.Domains, out)
	}
}

// functions adds the functions, procedures and aggregates.
func (b *builder) functions() {
	for i := range b.c.functions {
		f := &b.c.functions[i]
		out := metadata.Function{
			Schema:     b.schema(f.schema),
			Name:       f.name,
			Args:       f.identityArgs,
			Definition: strings.TrimRight(str(f.def), " \n"),
			Comment:    str(f.comment),
		}
		switch f.kind {
		case "p":
			out.Kind = "procedure"
		case "a":
			out.Kind = "aggregate"
			def, ok := aggregateDefinition(f)
			if !ok {
				b.warn("ordered-set aggregate %s(%s)", qualified(f.schema, f.name), f.identityArgs)
				continue
			}
			out.Definition = def
		}
		b.m.Functions = append(b.m.Functions, out)
	}
}

// aggregateDefinition rebuilds an aggregate's CREATE AGGREGATE from its
// pg_aggregate entry, as pg_dump does: the server has no function that
// prints it. Ordered-set and hypothetical-set aggregates are not rebuilt.
func aggregateDefinition(f *functionRow) (string, bool) {
	a := &f.agg
	if str(a.kind) != "n" || a.transFn == nil {
		return "", false
	}
	var opts []string
	add := func(format string, args ...any) { opts = append(opts, fmt.Sprintf(format, args...)) }
	add("SFUNC = %s", *a.transFn)
	add("STYPE = %s", str(a.transType))
	if a.transSpace != nil && *a.transSpace != 0 {
		add("SSPACE = %d", *a.transSpace)
	}
	if a.finalFn != nil {
		add("FINALFUNC = %s", *a.finalFn)
		if a.finalExtra != nil && *a.finalExtra {
			add("FINALFUNC_EXTRA")
		}
		if m := modify(str(a.finalModify)); m != "" && m != "READ_ONLY" {
			add("FINALFUNC_MODIFY = %s", m)
		}
	}
	if a.combineFn != nil {
		add("COMBINEFUNC = %s", *a.combineFn)
	}
	if a.serialFn != nil {
		add("SERIALFUNC = %s", *a.serialFn)
	}
	if a.deserial != nil {
		add("DESERIALFUNC = %s", *a.deserial)
	}
	if a.initVal != nil {
		add("INITCOND = %s", quoteLiteral(*a.initVal))
	}
	if a.mTransFn != nil {
		add("MSFUNC = %s", *a.mTransFn)
		if a.mInvFn != nil {
			add("MINVFUNC = %s", *a.mInvFn)
		}
		add("MSTYPE = %s", str(a.mTransType))
		if a.mTransSpace != nil && *a.mTransSpace != 0 {
			add("MSSPACE = %d", *a.mTransSpace)
		}
		if a.mFinalFn != nil {
			add("MFINALFUNC = %s", *a.mFinalFn)
			if a.mFinalExtra != nil && *a.mFinalExtra {
				add("MFINALFUNC_EXTRA")
			}
			if m := modify(str(a.mFinalModify)); m != "" && m != "READ_ONLY" {
				add("MFINALFUNC_MODIFY = %s", m)
			}
		}
		if a.mInitVal != nil {
			add("MINITCOND = %s", quoteLiteral(*a.mInitVal))
		}
	}
	if a.sortOp != nil {
		// regoperator prints "<(integer,integer)"; SORTOP takes the name.
		op, _, _ := strings.Cut(*a.sortOp, "(")
		add("SORTOP = %s", op)
	}
	switch f.parallel {
	case "s":
		add("PARALLEL = SAFE")
	case "r":
		add("PARALLEL = RESTRICTED")
	}
	return "CREATE AGGREGATE " + f.qualified + "(" + f.args + ") (\n    " + strings.Join(opts, ",\n    ") + "\n)", true
}

// modify maps pg_aggregate.aggfinalmodify.
func modify(c string) string {
	switch c {
	case "r":
		return "READ_ONLY"
	case "s":
		return "SHAREABLE"
	case "w":
		return "READ_WRITE"
	}
	return ""
}

// quoteLiteral quotes a string constant, doubling its quotes.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// namespaces adds the user namespaces but the session's current one, and
// the extensions.
func (b *builder) namespaces() {
	for _, n := range b.c.namespaces {
		if n.name == b.c.currentSchema {
			// The default namespace is no object of the model: its
			// comment, unless the stock one, cannot be kept.
			if c := str(n.comment); c != "" && c != "standard public schema" {
				b.warn("comment on the default schema %s", n.name)
			}
			continue
		}
		b.m.Schemas = append(b.m.Schemas, metadata.Schema{Name: n.name, Comment: str(n.comment)})
	}
	for _, e := range b.c.extensions {
		b.m.Extensions = append(b.m.Extensions, metadata.Extension{Name: e.name, Schema: b.schema(e.schema)})
	}
}

// unmanaged reports the objects dbtool does not manage.
func (b *builder) unmanaged() {
	for _, r := range b.c.rules {
		if rel := b.rels[r.rel]; rel != nil {
			b.warn("rule %s on %s", qualified(rel.row.schema, r.name), rel.row.name)
		}
	}
	for _, g := range b.c.grants {
		rel := b.rels[g.rel]
		if rel == nil {
			continue
		}
		name := qualified(rel.row.schema, rel.row.name)
		switch g.kind {
		case "column grants":
			b.warn("grants on column %s.%s (%s)", name, g.column, g.detail)
		case "owner":
			b.warn("owner of %s (%s)", name, g.detail)
		default:
			b.warn("grants on %s (%s)", name, g.detail)
		}
	}
	for _, s := range b.c.statistics {
		if rel := b.rels[s.rel]; rel != nil {
			b.warn("statistics %s on %s", qualified(rel.row.schema, s.name), rel.row.name)
		}
	}
	for _, u := range b.c.unmanaged {
		b.warn("%s %s", u.kind, qualified(u.schema, u.name))
	}
}
