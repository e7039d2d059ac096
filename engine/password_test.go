package engine_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/internal/pgtest"
	"github.com/jackc/pgx/v5/pgconn"
)

// awkward is a password with every character that breaks a naive URL
// split: '@', ':', '/', '#', '?', '[', ']', a space and a '%' that starts
// no escape.
const awkward = "p@ss:w/rd#1 ?[x]%zz"

// rawURL spells a URL as a user would type it, the password unescaped,
// without sslmode (so pgx tries TLS first, as libpq's default "prefer").
func rawURL(u *url.URL, password string) string {
	return "postgresql://" + u.User.Username() + ":" + password + "@" + u.Host + u.Path
}

// TestOpenPostgresPasswordLastAt: a password holding '@', ':', '/', '#',
// '?', brackets and spaces, typed as it is, reaches the server whole (the
// last '@' ends it), and so does its percent-encoded spelling.
func TestOpenPostgresPasswordLastAt(t *testing.T) {
	u := pgtest.PasswordURL(t, awkward)
	encoded := *u
	encoded.User = url.UserPassword(u.User.Username(), awkward)
	for _, raw := range []string{rawURL(u, awkward), encoded.String()} {
		eng, err := engine.Open(context.Background(), raw, engine.Options{})
		if err != nil {
			t.Fatalf("Open with the right password: %v", err)
		}
		eng.Close()
	}
}

// TestOpenPostgresWrongPassword: against a server without TLS, the error
// says first what the server said (not "tls error: server refused TLS
// connection"), keeps *pgconn.PgError reachable, and holds no part of the
// password.
func TestOpenPostgresWrongPassword(t *testing.T) {
	u := pgtest.PasswordURL(t, awkward)
	wrong := "Wr0ng" + awkward
	_, err := engine.Open(context.Background(), rawURL(u, wrong), engine.Options{})
	if err == nil {
		t.Fatal("connected with a wrong password")
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "28P01" {
		t.Errorf("errors.As(*pgconn.PgError) = %v, want invalid_password (28P01); error: %v", pgErr, err)
	}
	wantPrefix := "connecting to host " + u.Hostname() + " port " + u.Port() + " database " + strings.TrimPrefix(u.Path, "/") +
		": FATAL: password authentication failed for user \"" + u.User.Username() + "\" (SQLSTATE 28P01)"
	if !strings.HasPrefix(err.Error(), wantPrefix) {
		t.Errorf("error %q\ndoes not start with %q", err, wantPrefix)
	}
	for _, part := range []string{wrong, "Wr0ng", awkward, "p@ss", "rd#1"} {
		if strings.Contains(err.Error(), part) {
			t.Errorf("error shows %q of the password: %v", part, err)
		}
	}
}

// TestOpenPostgresMissingDatabase: the server's "does not exist" comes
// first too.
func TestOpenPostgresMissingDatabase(t *testing.T) {
	u, err := url.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	u.Path += "_nonexistent"
	u.RawQuery = "" // sslmode=prefer: a TLS attempt first
	_, err = engine.Open(context.Background(), u.String(), engine.Options{})
	if err == nil {
		t.Fatal("connected to a missing database")
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "3D000" {
		t.Errorf("errors.As(*pgconn.PgError) = %v, want invalid_catalog_name (3D000); error: %v", pgErr, err)
	}
	wantPrefix := "connecting to host " + u.Hostname() + " port " + u.Port() + " database " + strings.TrimPrefix(u.Path, "/") +
		": FATAL: database \"" + strings.TrimPrefix(u.Path, "/") + "\" does not exist (SQLSTATE 3D000)"
	if !strings.HasPrefix(err.Error(), wantPrefix) {
		t.Errorf("error %q\ndoes not start with %q", err, wantPrefix)
	}
}
