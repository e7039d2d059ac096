package engine

import (
	"errors"
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
//
// In a PostgreSQL URL everything between "://" and the last '@' is the
// user name and password, split at the first ':', so a password may hold
// '@', ':', '/', '#', '?' and spaces as typed; %XX escapes in either are
// decoded, and a '%' that starts no escape stands for itself (SQLAlchemy's
// make_url reads them the same way).
type URL struct {
	// Dialect is "sqlite" or "postgres".
	Dialect string
	// Path is a SQLite database file, or ":memory:".
	Path string
	// DSN is a PostgreSQL connection URL for pgx: the driver part removed,
	// the user name escaped, and no password (see Password), so that it can
	// be printed.
	DSN string

	password    string // percent-decoded
	hasPassword bool
	redacted    string // the URL as typed, password hidden
}

// ParseURL reads a database URL. Its errors never contain the password:
// they say what is wrong and which forms are accepted, and never echo a
// URL that did not parse.
func ParseURL(raw string) (*URL, error) {
	if raw == "" {
		return nil, errors.New("no database URL: pass --url or set DATABASE_URL")
	}
	scheme, rest, hasSlashes := strings.Cut(raw, "://")
	if !hasSlashes {
		// sqlite:x.db and sqlite:/x.db name a SQLite database but are not
		// URLs: refuse them rather than take them for a file name.
		if s, _, ok := strings.Cut(raw, ":"); ok && validScheme(s) && knownBase(s) {
			return nil, malformed(s)
		}
		lower := strings.ToLower(raw)
		for _, ext := range []string{".db", ".sqlite", ".sqlite3"} {
			if strings.HasSuffix(lower, ext) {
				return &URL{Dialect: "sqlite", Path: raw, redacted: raw}, nil
			}
		}
		return nil, errors.New("database URL is not a URL: want sqlite:///file.db, postgresql://user@host/db, or a path ending in .db, .sqlite or .sqlite3")
	}
	if !validScheme(scheme) {
		return nil, errors.New("database URL is not a URL: it does not start with a scheme such as sqlite:// or postgresql://")
	}
	switch baseScheme(scheme) {
	case "sqlite":
		return parseSQLite(rest, raw)
	case "postgres", "postgresql":
		return parsePostgres(rest, raw)
	}
	return nil, fmt.Errorf("database URL: unsupported scheme %q (want sqlite or postgresql)", scheme)
}

// sqliteForms lists the SQLite URLs ParseURL accepts, for its errors.
const sqliteForms = "sqlite:///relative/path.db (three slashes), sqlite:////absolute/path.db (four), " +
	"sqlite:// or sqlite:///:memory: (in memory), or a bare path ending in .db, .sqlite or .sqlite3"

// postgresForm is the shape of a PostgreSQL URL, for ParseURL's errors.
const postgresForm = "postgresql://[user[:password]@]host[:port][/database][?param=value&...]"

// malformed is the error for a URL of a known scheme that does not parse.
func malformed(scheme string) error {
	if baseScheme(scheme) == "sqlite" {
		return errors.New("database URL is a malformed SQLite URL: want " + sqliteForms)
	}
	return errors.New("database URL is a malformed PostgreSQL URL: want " + postgresForm)
}

func parseSQLite(rest, raw string) (*URL, error) {
	u := &URL{Dialect: "sqlite", redacted: Redact(raw)}
	rest, _, _ = strings.Cut(rest, "?")
	switch {
	case rest == "" || rest == "/:memory:" || rest == "/":
		u.Path = ":memory:"
	case strings.HasPrefix(rest, "/"):
		// sqlite:///rel.db -> "rel.db"; sqlite:////abs.db -> "/abs.db".
		u.Path = filepath.FromSlash(rest[1:])
	default:
		return nil, errors.New("database URL: a SQLite URL has no host: want " + sqliteForms)
	}
	return u, nil
}

func parsePostgres(rest, raw string) (*URL, error) {
	u := &URL{Dialect: "postgres", redacted: Redact(raw)}
	hostPart := rest
	var user string
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		var pw string
		user, pw, u.hasPassword = strings.Cut(rest[:at], ":")
		user, u.password = unquote(user), unquote(pw)
		hostPart = rest[at+1:]
	}
	// The host part's own complaint is not shown: when the '@' between
	// password and host is missing, the host part may hold the password.
	parsed, err := url.Parse("postgres://" + hostPart)
	if err != nil {
		if strings.Contains(rest, "@") {
			return nil, errors.New("database URL is a malformed PostgreSQL URL: what follows the last '@' is not host[:port][/database][?param=value&...] (want " + postgresForm + ")")
		}
		return nil, malformed("postgresql")
	}
	// A password=... parameter is taken out of the DSN too; it wins over
	// the user part's, as it does for pgx and libpq.
	if parsed.RawQuery != "" {
		front, query, _ := strings.Cut(hostPart, "?")
		query, frag, hasFrag := strings.Cut(query, "#")
		var keep []string
		for _, kv := range strings.Split(query, "&") {
			k, v, _ := strings.Cut(kv, "=")
			if key, err := url.QueryUnescape(k); err != nil || key != "password" {
				keep = append(keep, kv)
				continue
			}
			if u.password, err = url.QueryUnescape(v); err != nil {
				return nil, errors.New("database URL is a malformed PostgreSQL URL: the password parameter has a bad %-escape")
			}
			u.hasPassword = true
		}
		hostPart = front
		if len(keep) > 0 {
			hostPart += "?" + strings.Join(keep, "&")
		}
		if hasFrag {
			hostPart += "#" + frag
		}
	}
	u.DSN = "postgres://"
	if user != "" {
		u.DSN += url.User(user).String() + "@"
	}
	u.DSN += hostPart
	return u, nil
}

// Password returns the password the URL gives (percent-decoded), and
// whether it gives one.
func (u *URL) Password() (string, bool) { return u.password, u.hasPassword }

// String returns the URL as typed with its password replaced by "xxxxx".
func (u *URL) String() string { return u.redacted }

// GoString keeps the password out of %#v too.
func (u *URL) GoString() string { return fmt.Sprintf("engine.URL(%q)", u.redacted) }

// validScheme reports whether s is a URL scheme: a letter, then letters,
// digits, '+', '-' or '.'. A password never is one (its user part would
// end in ':' first), so a scheme can be shown.
func validScheme(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return true
}

// baseScheme is a scheme without its driver part, in lower case:
// "postgresql+asyncpg" -> "postgresql".
func baseScheme(scheme string) string {
	base, _, _ := strings.Cut(strings.ToLower(scheme), "+")
	return base
}

// knownBase reports whether scheme names a database dbtool reads.
func knownBase(scheme string) bool {
	switch baseScheme(scheme) {
	case "sqlite", "postgres", "postgresql":
		return true
	}
	return false
}

// unquote decodes %XX escapes and leaves any other '%' as it is, as
// Python's urllib.parse.unquote (and so SQLAlchemy) does.
func unquote(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// Redact hides the password of a URL-shaped string, and of any
// password=... keyword in a query string or keyword DSN, behind "xxxxx".
// It goes by position alone, so it needs nothing to parse: everything
// between "://" and the last '@' is the user name and password, split at
// the first ':'. Everything dbtool prints about a URL goes through it.
func Redact(s string) string {
	if scheme, rest, ok := strings.Cut(s, "://"); ok {
		if at := strings.LastIndex(rest, "@"); at >= 0 {
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
