package engine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	pgddl "github.com/dbtool/dbtool/ddl/postgres"
	pginspect "github.com/dbtool/dbtool/inspector/postgres"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ScratchPrefix starts the name of every temporary database dbtool
// creates to normalise a declared schema. One is left behind only when the
// process is killed; any database of that name may be dropped.
const ScratchPrefix = "dbtool_scratch_"

// openScratch creates a temporary database on the target's server, with
// the target's encoding and collation (they decide how the server prints
// some expressions), and drops it when closed. With devURL it uses that
// database instead, after emptying it.
func (d *postgresDriver) openScratch(ctx context.Context, devURL string) (*scratchDB, error) {
	if devURL != "" {
		return openDevDatabase(ctx, devURL, d.cfg.ConnConfig.ConnectTimeout)
	}
	var enc, collate, ctype string
	err := d.pool.QueryRow(ctx, `SELECT pg_encoding_to_char(encoding), datcollate, datctype
		FROM pg_database WHERE datname = current_database()`).Scan(&enc, &collate, &ctype)
	if err != nil {
		return nil, fmt.Errorf("reading the database's encoding: %w", err)
	}
	create := func(ctx context.Context) (string, *postgresDriver, error) {
		var b [6]byte
		_, _ = rand.Read(b[:])
		name := ScratchPrefix + hex.EncodeToString(b[:])
		sql := fmt.Sprintf("CREATE DATABASE %s TEMPLATE template0 ENCODING %s LC_COLLATE %s LC_CTYPE %s",
			quotePGIdent(name), quotePGLiteral(enc), quotePGLiteral(collate), quotePGLiteral(ctype))
		if _, err := d.pool.Exec(ctx, sql); err != nil {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "42501" {
				return "", nil, fmt.Errorf("normalising the declared schema needs a scratch database, and this role may not create one (CREATEDB): "+
					"pass --dev-url with a database dbtool may empty: %w", err)
			}
			return "", nil, fmt.Errorf("creating a scratch database: %w", err)
		}
		cfg := d.cfg.Copy()
		cfg.ConnConfig.Database = name
		cfg.ConnConfig.Tracer = nil
		cfg.MaxConns = scratchConns
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			d.dropDatabase(context.WithoutCancel(ctx), name)
			return "", nil, fmt.Errorf("connecting to the scratch database: %w", err)
		}
		return name, &postgresDriver{Inspector: pginspect.New(pool), pool: pool, cfg: cfg}, nil
	}
	name, drv, err := create(ctx)
	if err != nil {
		return nil, err
	}
	s := &scratchDB{driver: drv}
	s.close = func(ctx context.Context) {
		s.driver.Close()
		d.dropDatabase(ctx, name)
	}
	s.reset = func(ctx context.Context) error {
		s.close(context.WithoutCancel(ctx))
		name, drv, err = create(ctx)
		if err != nil {
			return err
		}
		s.driver = drv
		return nil
	}
	return s, nil
}

// scratchConns is how many connections a scratch database's pool opens.
// A new database has no relation cache file, so each new backend builds
// its cache from the catalogs: inspecting the bench's 5000-table plan's
// scratch database (12 tables, 671 views) took 180-205 ms over the
// inspector's four connections and 96-114 ms over one or two.
const scratchConns = 2

func (d *postgresDriver) dropDatabase(ctx context.Context, name string) {
	sql := "DROP DATABASE IF EXISTS " + quotePGIdent(name) + " WITH (FORCE)"
	_, _ = d.pool.Exec(ctx, sql)
}

// openDevDatabase opens the database --dev-url names and empties it: every
// schema but PostgreSQL's own is dropped, and public created again.
func openDevDatabase(ctx context.Context, devURL string, timeout time.Duration) (*scratchDB, error) {
	u, err := ParseURL(devURL)
	if err != nil {
		return nil, fmt.Errorf("--dev-url: %w", err)
	}
	if u.Dialect != "postgres" {
		return nil, fmt.Errorf("--dev-url: want a PostgreSQL database, like the target")
	}
	drv, err := openPostgres(ctx, u, Options{ConnectTimeout: timeout})
	if err != nil {
		return nil, fmt.Errorf("--dev-url: %w", err)
	}
	pd := drv.(*postgresDriver)
	empty := func(ctx context.Context) error {
		rows, err := pd.pool.Query(ctx, `SELECT nspname FROM pg_namespace
			WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\_temp\_%' AND nspname NOT LIKE 'pg\_toast\_temp\_%'`)
		if err != nil {
			return fmt.Errorf("--dev-url: emptying the database: %w", err)
		}
		var names []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			names = append(names, n)
		}
		rows.Close()
		var b strings.Builder
		for _, n := range names {
			b.WriteString("DROP SCHEMA " + quotePGIdent(n) + " CASCADE;")
		}
		b.WriteString("CREATE SCHEMA public;")
		if _, err := pd.pool.Exec(ctx, b.String()); err != nil {
			return fmt.Errorf("--dev-url: emptying the database: %w", err)
		}
		return nil
	}
	if err := empty(ctx); err != nil {
		pd.Close()
		return nil, err
	}
	return &scratchDB{driver: pd, reset: empty, close: func(ctx context.Context) { _ = empty(ctx); pd.Close() }}, nil
}

// quotePGIdent quotes an identifier the one way the dialect does.
func quotePGIdent(s string) string { return pgddl.Dialect{}.QuoteIdent(s) }

func quotePGLiteral(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }
