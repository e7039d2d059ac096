package engine

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// URL is a parsed database URL. It follows SQLAlchemy's spelling, so a URL
// from a SQLAlchemy project works as it is:
//
//	sqlite:///relative/path.db     (three slashes: relative to the working directory)
//	sqlite:////abs/path.db         (four: absolute)
//	sqlite://  or  sqlite:///:memory:
//	sqlite+aiosqlite:///file.db    (the driver part is accepted and ignored)
//	app.db, app.sqlite, app.sqlite3 (a bare path is a SQLite file)
//	postgresql://user:pass@host:5432/db?sslmode=disable
//	postgres://..., postgresql+asyncpg://..., postgresql+psycopg2://...
type URL struct {
	// Dialect is "sqlite" or "postgres".
	Dialect string
	// Path is a SQLite database file, or ":memory:".
	Path string
	// DSN is a PostgreSQL connection URL with the driver part removed.
	DSN string
	raw string
}

// ParseURL reads a database URL. Its errors never contain the password.
func ParseURL(raw string) (*URL, error) {
	if raw == "" {
		return nil, fmt.Errorf("no database URL: pass --url or set DATABASE_URL")
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		lower := strings.ToLower(raw)
		for _, ext := range []string{".db", ".sqlite", ".sqlite3"} {
			if strings.HasSuffix(lower, ext) {
				return &URL{Dialect: "sqlite", Path: raw, raw: raw}, nil
			}
		}
		return nil, fmt.Errorf("database URL %q: not a URL (want sqlite:///file.db, postgresql://host/db, or a path ending in .db, .sqlite or .sqlite3)", Redact(raw))
	}
	base, _, _ := strings.Cut(strings.ToLower(scheme), "+")
	switch base {
	case "sqlite":
		u := &URL{Dialect: "sqlite", raw: raw}
		rest, _, _ = strings.Cut(rest, "?")
		switch {
		case rest == "" || rest == "/:memory:" || rest == "/":
			u.Path = ":memory:"
		case strings.HasPrefix(rest, "/"):
			// sqlite:///rel.db -> "rel.db"; sqlite:////abs.db -> "/abs.db".
			u.Path = rest[1:]
		default:
			return nil, fmt.Errorf("database URL %q: a SQLite URL has no host: use sqlite:///relative.db or sqlite:////absolute.db", Redact(raw))
		}
		if u.Path != ":memory:" {
			u.Path = filepath.FromSlash(u.Path)
		}
		return u, nil
	case "postgres", "postgresql":
		dsn := "postgres://" + rest
		if _, err := url.Parse(dsn); err != nil {
			return nil, fmt.Errorf("database URL %q: %s", Redact(raw), "malformed URL")
		}
		return &URL{Dialect: "postgres", DSN: dsn, raw: raw}, nil
	}
	return nil, fmt.Errorf("database URL %q: unsupported scheme %q (want sqlite or postgresql)", Redact(raw), scheme)
}

// String returns the URL with its password replaced by "xxxxx".
func (u *URL) String() string { return Redact(u.raw) }

// Redact replaces the password of a URL-shaped string, and of any
// password=... keyword in a DSN, with "xxxxx". Everything dbtool prints
// about a URL goes through it.
func Redact(s string) string {
	if scheme, rest, ok := strings.Cut(s, "://"); ok {
		// userinfo ends at the last '@' before the first '/' of the path.
		hostEnd := strings.IndexAny(rest, "/?")
		if hostEnd < 0 {
			hostEnd = len(rest)
		}
		if at := strings.LastIndex(rest[:hostEnd], "@"); at >= 0 {
			if user, _, hasPass := strings.Cut(rest[:at], ":"); hasPass {
				rest = user + ":xxxxx" + rest[at:]
			}
		}
		s = scheme + "://" + rest
	}
	return redactKeyword(s)
}

// redactKeyword hides password=... in query strings and keyword DSNs.
func redactKeyword(s string) string {
	lower := strings.ToLower(s)
	var b strings.Builder
	for {
		i := strings.Index(lower, "password=")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		i += len("password=")
		b.WriteString(s[:i])
		b.WriteString("xxxxx")
		end := strings.IndexAny(s[i:], "& ")
		if end < 0 {
			return b.String()
		}
		s, lower = s[i+end:], lower[i+end:]
	}
}
