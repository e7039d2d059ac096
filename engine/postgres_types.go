package engine

import (
	"context"
	"fmt"
	"strings"

	pgddl "github.com/dbtool/dbtool/ddl/postgres"
	"github.com/dbtool/dbtool/metadata"
)

// serverTypes asks the server how it stores each type, creating nothing:
// SELECT NULL::t1, NULL::t2, ... is prepared, not run, and the type and
// modifier the server gives each result column are printed by
// format_type() and read as the inspector reads a column's (pgddl.ReadType).
// Two round trips, where a scratch table costs the server a CREATE.
func (d *postgresDriver) serverTypes(ctx context.Context, types []metadata.Type) ([]metadata.Type, error) {
	if len(types) == 0 {
		return nil, nil
	}
	dialect := d.Dialect()
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, t := range types {
		s, err := dialect.FormatType(t)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("NULL::" + s)
	}
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	desc, err := conn.Conn().PgConn().Prepare(ctx, "", b.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("reading the server's form of column types: %w", err)
	}
	if len(desc.Fields) != len(types) {
		return nil, fmt.Errorf("reading the server's form of column types: %d columns for %d types", len(desc.Fields), len(types))
	}
	oids := make([]uint32, len(types))
	mods := make([]int32, len(types))
	for i, f := range desc.Fields {
		oids[i], mods[i] = f.DataTypeOID, f.TypeModifier
	}
	rows, err := conn.Query(ctx, `SELECT pg_catalog.format_type(o, m)
		FROM unnest($1::oid[], $2::int4[]) WITH ORDINALITY AS x(o, m, n) ORDER BY n`, oids, mods)
	if err != nil {
		return nil, fmt.Errorf("reading the server's form of column types: %w", err)
	}
	defer rows.Close()
	out := make([]metadata.Type, 0, len(types))
	for rows.Next() {
		var printed string
		if err := rows.Scan(&printed); err != nil {
			return nil, err
		}
		out = append(out, pgddl.ReadType(printed))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the server's form of column types: %w", err)
	}
	return out, nil
}
