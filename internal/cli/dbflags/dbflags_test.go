package dbflags

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/internal/iostreams"
	"github.com/spf13/cobra"
)

func testFactory(env map[string]string) (*factory.Factory, *iostreams.IOStreams) {
	ios, _, _, _ := iostreams.Test()
	return &factory.Factory{
		IOStreams:  ios,
		Getenv:     func(k string) string { return env[k] },
		OpenEngine: engine.Open,
	}, ios
}

func parse(t *testing.T, args ...string) *Flags {
	t.Helper()
	cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
	fl := Add(cmd)
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	return fl
}

func TestResolveURL(t *testing.T) {
	f, _ := testFactory(map[string]string{"DATABASE_URL": "sqlite:///env.db"})
	fl := parse(t)
	if err := fl.Resolve(f); err != nil {
		t.Fatal(err)
	}
	if fl.URL != "sqlite:///env.db" {
		t.Errorf("URL = %q, want $DATABASE_URL", fl.URL)
	}

	fl = parse(t, "--url", "flag.db")
	if err := fl.Resolve(f); err != nil {
		t.Fatal(err)
	}
	if fl.URL != "flag.db" {
		t.Errorf("URL = %q, want --url to win over $DATABASE_URL", fl.URL)
	}

	f, _ = testFactory(nil)
	fl = parse(t)
	if err := fl.Resolve(f); err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Errorf("Resolve without a URL: %v, want an error naming DATABASE_URL", err)
	}
}

func TestResolveNoColor(t *testing.T) {
	f, ios := testFactory(map[string]string{"DATABASE_URL": "x.db"})
	ios.SetStdoutTTY(true)
	fl := parse(t, "--no-color")
	if err := fl.Resolve(f); err != nil {
		t.Fatal(err)
	}
	if ios.ColorEnabled() {
		t.Error("--no-color left colour on")
	}
}

func TestFlags(t *testing.T) {
	fl := parse(t, "--schema", "a", "--schema", "b", "--table", "t*", "--exclude", "x", "--timeout", "3s", "--echo")
	got := fl.Filter()
	if strings.Join(got.Schemas, ",") != "a,b" || strings.Join(got.Tables, ",") != "t*" || strings.Join(got.Exclude, ",") != "x" {
		t.Errorf("Filter() = %+v", got)
	}
	if fl.Timeout != 3*time.Second || !fl.Echo {
		t.Errorf("timeout %v echo %v", fl.Timeout, fl.Echo)
	}
	if parse(t).Timeout != DefaultTimeout {
		t.Error("--timeout default is not 30s")
	}
}

func TestRedact(t *testing.T) {
	cause := errors.New("root cause")
	for _, tc := range []struct{ url, msg, want string }{
		{"postgresql://u:s3cret@h/db", "dial u:s3cret@h: refused", "dial u:xxxxx@h: refused"},
		{"postgresql://u:p%40ss@h/db", "password p@ss rejected", "password xxxxx rejected"},
		{"postgresql://u:p%40ss@h/db", "url p%40ss rejected", "url xxxxx rejected"},
		{"postgresql://u:s3cret/x@h/db", "password s3cret/x rejected", "password xxxxx rejected"},
		{"postgresql://u@h/db", "no password here", "no password here"},
		{"app.db", "no URL here", "no URL here"},
	} {
		err := Redact(errors.Join(errors.New(tc.msg), cause), tc.url)
		if got := strings.SplitN(err.Error(), "\n", 2)[0]; got != tc.want {
			t.Errorf("Redact(%q, %q) = %q, want %q", tc.msg, tc.url, got, tc.want)
		}
		if !errors.Is(err, cause) {
			t.Errorf("Redact(%q) lost the error chain", tc.msg)
		}
	}
	if Redact(nil, "postgresql://u:p@h/db") != nil {
		t.Error("Redact(nil) is not nil")
	}
}

// TestOpenUnreachable connects to a PostgreSQL port that refuses
// connections: the error names host, port and database, and never the
// password. No server is needed.
func TestOpenUnreachable(t *testing.T) {
	f, _ := testFactory(nil)
	fl := parse(t, "--url", "postgresql://u:s3cret@127.0.0.1:1/db", "--timeout", "5s")
	if err := fl.Resolve(f); err != nil {
		t.Fatal(err)
	}
	eng, err := fl.Open(context.Background(), f, engine.Options{})
	if err == nil {
		eng.Close()
		t.Fatal("connected to port 1")
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error shows the password: %v", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1") || !strings.Contains(err.Error(), "port 1") {
		t.Errorf("error does not name host and port: %v", err)
	}
}
