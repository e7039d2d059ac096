package engine

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	cases := []struct {
		in, dialect, path, dsn string
	}{
		{"sqlite:///relative/path.db", "sqlite", filepath.FromSlash("relative/path.db"), ""},
		{"sqlite:////abs/path.db", "sqlite", filepath.FromSlash("/abs/path.db"), ""},
		{"sqlite://", "sqlite", ":memory:", ""},
		{"sqlite:///:memory:", "sqlite", ":memory:", ""},
		{"sqlite+aiosqlite:///file.db", "sqlite", "file.db", ""},
		{"sqlite+pysqlite:///file.db", "sqlite", "file.db", ""},
		{"SQLite:///file.db?mode=ro", "sqlite", "file.db", ""},
		{"app.db", "sqlite", "app.db", ""},
		{"dir/app.sqlite", "sqlite", "dir/app.sqlite", ""},
		{"/tmp/APP.SQLITE3", "sqlite", "/tmp/APP.SQLITE3", ""},
		{"postgresql://u:p@localhost:5432/db?sslmode=disable", "postgres", "", "postgres://u@localhost:5432/db?sslmode=disable"},
		{"postgres://localhost/db", "postgres", "", "postgres://localhost/db"},
		{"postgresql+asyncpg://u@h/db", "postgres", "", "postgres://u@h/db"},
		{"postgresql+psycopg2://u@h/db", "postgres", "", "postgres://u@h/db"},
		{"postgresql+psycopg://u@h/db?pool_max_conns=4", "postgres", "", "postgres://u@h/db?pool_max_conns=4"},
	}
	for _, c := range cases {
		u, err := ParseURL(c.in)
		if err != nil {
			t.Errorf("ParseURL(%q): %v", c.in, err)
			continue
		}
		if u.Dialect != c.dialect || u.Path != c.path || u.DSN != c.dsn {
			t.Errorf("ParseURL(%q) = %+v, want dialect %s path %q dsn %q", c.in, u, c.dialect, c.path, c.dsn)
		}
	}
	for _, bad := range []string{
		"", "mysql://u:s3cret@h/db", "notes.txt", "sqlite://host/file.db", "postgresql://u:s3cret@h:99999999/db%zz",
		"postgresql://u:s3cret@h:notaport/db", "postgresql://u:s3cret/h:5/db", "u:s3cret@h/db", ":s3cret://h/db",
		"sqlite:x.db", "sqlite:/x.db", "SQLite+pysqlite:x.db", "postgresql:s3cret@h/db",
	} {
		_, err := ParseURL(bad)
		if err == nil {
			t.Errorf("ParseURL(%q): no error", bad)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("ParseURL(%q) error shows the password: %v", bad, err)
		}
		if bad != "" && strings.Contains(err.Error(), bad) {
			t.Errorf("ParseURL(%q) error echoes a URL that did not parse: %v", bad, err)
		}
	}
}

// TestParseURLPassword: everything between "://" and the last '@' is the
// user and password, split at the first ':'; %XX escapes are decoded and
// any other '%' is itself. The password is never in the DSN.
func TestParseURLPassword(t *testing.T) {
	for _, c := range []struct{ in, dsn, password string }{
		{"postgresql://app:p@ss:w/rd#1@host/db", "postgres://app@host/db", "p@ss:w/rd#1"},
		{"postgresql://app:s3cret/x@127.0.0.1:54340/appdb", "postgres://app@127.0.0.1:54340/appdb", "s3cret/x"},
		{"postgresql://app:a b?c[d]e@[::1]:5432/db?sslmode=disable", "postgres://app@[::1]:5432/db?sslmode=disable", "a b?c[d]e"},
		{"postgresql://u:p%40ss%2Fw@h/db", "postgres://u@h/db", "p@ss/w"},
		{"postgresql://u:50%off%@h/db", "postgres://u@h/db", "50%off%"},
		{"postgresql://me@corp:pw@h/db", "postgres://me%40corp@h/db", "pw"},
		{"postgresql://u%3Ax:pw@h/db", "postgres://u%3Ax@h/db", "pw"},
		{"postgresql://:pw@h/db", "postgres://h/db", "pw"},
		{"postgresql://u@h/db?sslmode=disable&password=a%26b%40c&application_name=x", "postgres://u@h/db?sslmode=disable&application_name=x", "a&b@c"},
		{"postgresql://u:first@h/db?password=second", "postgres://u@h/db", "second"},
	} {
		u, err := ParseURL(c.in)
		if err != nil {
			t.Errorf("ParseURL(%q): %v", c.in, err)
			continue
		}
		pw, ok := u.Password()
		if u.DSN != c.dsn || !ok || pw != c.password {
			t.Errorf("ParseURL(%q): DSN %q password %q (%v), want %q and %q", c.in, u.DSN, pw, ok, c.dsn, c.password)
		}
		for _, shown := range []string{u.String(), fmt.Sprintf("%v %+v %#v %s", u, u, u, u)} {
			if strings.Contains(shown, c.password) {
				t.Errorf("ParseURL(%q) prints its password: %s", c.in, shown)
			}
		}
	}
	u, err := ParseURL("postgresql://u@h/db")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := u.Password(); ok {
		t.Error("a URL without a password has one")
	}
}

// TestParseURLMalformedSQLite: sqlite:x.db and sqlite:/x.db are not taken
// for file names; the error lists the accepted forms.
func TestParseURLMalformedSQLite(t *testing.T) {
	for _, in := range []string{"sqlite:x.db", "sqlite:/x.db", "sqlite+aiosqlite:x.db", "SQLITE:/tmp/x.sqlite3"} {
		_, err := ParseURL(in)
		if err == nil {
			t.Errorf("ParseURL(%q): no error", in)
			continue
		}
		for _, want := range []string{"malformed SQLite URL", "sqlite:///relative/path.db", "sqlite:////absolute/path.db", "sqlite:///:memory:"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("ParseURL(%q) = %v, want it to say %q", in, err, want)
			}
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgresql://u:s3cret@h:5432/db":              "postgresql://u:xxxxx@h:5432/db",
		"postgresql://u:p@ss@w0rd@h/db":                "postgresql://u:xxxxx@h/db",
		"postgresql://app:p@ss:w/rd#1@host/db":         "postgresql://app:xxxxx@host/db",
		"postgresql://app:s3cret/x@127.0.0.1:1/appdb":  "postgresql://app:xxxxx@127.0.0.1:1/appdb",
		"postgresql://u:a?b=c@h/db":                    "postgresql://u:xxxxx@h/db",
		"connecting to postgres://u:pw@h/db failed":    "connecting to postgres://u:xxxxx@h/db failed",
		"postgresql://u@h/db":                          "postgresql://u@h/db",
		"postgresql://h/db?user=u&password=s3cret&x=1": "postgresql://h/db?user=u&password=xxxxx&x=1",
		"host=h user=u password=s3cret dbname=d":       "host=h user=u password=xxxxx dbname=d",
		"sqlite:///file.db":                            "sqlite:///file.db",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOpenPostgresErrorKeepsCauseHidesPassword(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Open(ctx, "postgresql://u:s3cret@127.0.0.1:1/db?connect_timeout=1", Options{})
	if err == nil {
		t.Fatal("connected to port 1")
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error shows the password: %v", err)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("errors.Is(err, context.Canceled) is false for %v", err)
	}
}

// TestRedactError: the password found by position, as typed and decoded,
// is replaced whole; a password too short to tell from text is left alone
// rather than mangling the message; the chain survives.
func TestRedactError(t *testing.T) {
	cause := errors.New("root cause")
	for _, tc := range []struct{ url, msg, want string }{
		{"postgresql://u:s3cret@h/db", "dial u:s3cret@h: refused", "dial u:xxxxx@h: refused"},
		{"postgresql://u:p%40ssw@h/db", "password p@ssw rejected", "password xxxxx rejected"},
		{"postgresql://u:p%40ssw@h/db", "url p%40ssw rejected", "url xxxxx rejected"},
		{"postgresql://app:p@ss:w/rd#1@h/db", "got p@ss:w/rd#1 and ss:w", "got xxxxx and ss:w"},
		{"postgresql://app:p@h/db", "postgresql appdb", "postgresql appdb"},
		{"postgresql://u@h/db", "no password here", "no password here"},
		{"app.db", "no URL here", "no URL here"},
	} {
		err := RedactError(errors.Join(errors.New(tc.msg), cause), tc.url)
		if got := strings.SplitN(err.Error(), "\n", 2)[0]; got != tc.want {
			t.Errorf("RedactError(%q, %q) = %q, want %q", tc.msg, tc.url, got, tc.want)
		}
		if !errors.Is(err, cause) {
			t.Errorf("RedactError(%q) lost the error chain", tc.msg)
		}
	}
	if RedactError(nil, "postgresql://u:pass@h/db") != nil {
		t.Error("RedactError(nil) is not nil")
	}
}
