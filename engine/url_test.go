package engine

import (
	"context"
	"errors"
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
		{"postgresql://u:p@localhost:5432/db?sslmode=disable", "postgres", "", "postgres://u:p@localhost:5432/db?sslmode=disable"},
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
	for _, bad := range []string{"", "mysql://u:s3cret@h/db", "notes.txt", "sqlite://host/file.db", "postgresql://u:s3cret@h:99999999/db%zz"} {
		_, err := ParseURL(bad)
		if err == nil {
			t.Errorf("ParseURL(%q): no error", bad)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("ParseURL(%q) error shows the password: %v", bad, err)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgresql://u:s3cret@h:5432/db":              "postgresql://u:xxxxx@h:5432/db",
		"postgresql://u:p@ss@w0rd@h/db":                "postgresql://u:xxxxx@h/db",
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
