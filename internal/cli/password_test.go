package cli

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/internal/pgtest"
)

// passwordSeeds are passwords that break a naive URL split: what the
// corpus starts from, and what `go test` runs without -fuzz.
var passwordSeeds = []string{
	"p@ss:w/rd#1",
	"s3cret/x",
	"a b?c[d]e",
	"@@::@@",
	"//host:5432/db?x=1#y",
	"%zz%41%",
	"[::1]:5432",
	"password=x&y z",
	"it's",
	"",
}

// FuzzPasswordNeverShown runs every command over every path a URL can take
// (malformed, unreachable, a real server with the right password and with
// a wrong one, a missing database, with and without --echo, from --url and
// from $DATABASE_URL) with a password made of the fuzzer's bytes, typed
// into the URL as it is, and fails if any part of it is in stdout or
// stderr. The password is the input between three markers, so a leak of
// its start, middle or end shows.
func FuzzPasswordNeverShown(f *testing.F) {
	for _, s := range passwordSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		pw := password(in)
		marks := []string{pw, "Kq7", "Jm4", "Zx9", url.PathEscape(pw), url.QueryEscape(pw)}
		dir := t.TempDir()
		schema := filepath.Join(dir, "t.yaml")
		if err := os.WriteFile(schema, []byte("tables:\n  - name: t\n    columns:\n      - {name: id, type: integer}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		// changed has a change for the plan to normalise in a scratch
		// database (a new default, which the server may write in its own
		// way): --dev-url is then opened.
		changed := filepath.Join(dir, "t2.yaml")
		if err := os.WriteFile(changed, []byte("tables:\n  - name: t\n    columns:\n      - {name: id, type: integer, default: 0}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		// run runs dbtool in process and checks its exit code and that
		// nothing it printed holds the password.
		run := func(env map[string]string, code int, args ...string) {
			t.Helper()
			f, out, errOut := testFactory(env)
			got := Run(context.Background(), f, append(args, "--timeout", "10s"))
			if got != code {
				t.Errorf("dbtool %q: exit code %d, want %d; stderr: %s", args, got, code, errOut)
			}
			for _, stream := range []string{out.String(), errOut.String()} {
				for _, m := range marks {
					if strings.Contains(stream, m) {
						t.Errorf("dbtool %q printed %q of password %q:\n%s", args, m, pw, stream)
					}
				}
			}
		}
		// Without a server: malformed and unreachable. (A URL missing the
		// '@' between password and host is not among them: by the last-'@'
		// rule what follows is the host, so it would be named in errors,
		// as any host is; nothing can tell it was meant as a password.)
		for _, u := range []string{
			"postgresql://u:" + pw + "@127.0.0.1:1/db",
			"postgresql+asyncpg://u:" + pw + "@127.0.0.1:notaport/db",
			"postgresql://u:" + pw + "@[::1/db",
			"postgresql:u:" + pw + "@127.0.0.1/db",
			"mysql://u:" + pw + "@h/db",
			"u:" + pw + "@h/db",
			"sqlite://u:" + pw + "@h/x.db",
		} {
			run(nil, ExitError, "inspect", "--url", u)
			run(nil, ExitError, "inspect", "--url", u, "--echo")
			run(nil, ExitError, "create-all", "--url", u, "-f", schema, "--echo")
			run(map[string]string{"DATABASE_URL": u}, ExitError, "create-all", "-f", schema, "--dry-run")
			run(nil, ExitError, "migrate", "plan", "--url", u, "-f", schema, "--echo")
			run(nil, ExitError, "migrate", "apply", "--url", u, "-f", schema, "--auto-approve")
			run(nil, ExitError, "migrate", "history", "--url", u)
			run(nil, ExitError, "diff", "--from", u, "--to", schema)
			run(nil, ExitError, "diff", "--from", schema, "--to", schema, "--dev-url", u)
		}

		// A real server: a role with this password.
		base := pgtest.PasswordURL(t, pw)
		// The password typed as it is, but for '%', which starts an
		// escape when two hex digits follow it.
		typed := func(password, db string) string {
			return "postgresql://" + base.User.Username() + ":" + strings.ReplaceAll(password, "%", "%25") + "@" + base.Host + db
		}
		right := typed(pw, base.Path)
		encoded := *base
		encoded.User = url.UserPassword(base.User.Username(), pw)
		for _, u := range []string{right, encoded.String()} {
			run(nil, ExitOK, "inspect", "--url", u, "--echo")
			run(nil, ExitOK, "create-all", "--url", u, "-f", schema, "--dry-run", "--echo")
		}
		run(map[string]string{"DATABASE_URL": right}, ExitOK, "create-all", "-f", schema, "--echo")
		run(nil, ExitOK, "inspect", "--url", right, "--format", "yaml")
		run(nil, ExitOK, "migrate", "plan", "--url", right, "-f", schema, "--echo")
		run(nil, ExitOK, "migrate", "apply", "--url", right, "-f", schema, "--auto-approve", "--echo")
		run(nil, ExitOK, "migrate", "history", "--url", right)
		run(nil, ExitOK, "diff", "--from", right, "--to", schema, "--echo")
		run(nil, ExitError, "migrate", "plan", "--url", right, "-f", changed, "--dev-url", typed(pw+"Wr0ng", base.Path), "--echo")
		for _, u := range []string{typed(pw+"Wr0ng", base.Path), typed(pw, base.Path+"_nonexistent")} {
			run(nil, ExitError, "inspect", "--url", u)
			run(nil, ExitError, "inspect", "--url", u, "--echo")
			run(nil, ExitError, "create-all", "--url", u, "-f", schema, "--echo")
			run(nil, ExitError, "migrate", "apply", "--url", u, "-f", schema, "--auto-approve", "--echo")
			run(nil, ExitError, "diff", "--from", u, "--to", schema)
		}
	})
}

// password makes a password of fuzz input: its printable ASCII characters
// (PostgreSQL takes no NUL, and a terminal shows no other bytes reliably),
// at most 40, split in two and put between three markers.
func password(in string) string {
	var b strings.Builder
	for _, r := range in {
		if r >= ' ' && r <= '~' && b.Len() < 40 {
			b.WriteRune(r)
		}
	}
	s := b.String()
	return "Kq7" + s[:len(s)/2] + "Jm4" + s[len(s)/2:] + "Zx9"
}
