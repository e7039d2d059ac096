//go:build unix

package pgtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// dirPrefix starts the name of every cluster directory, so a later run can
// find and remove those a crashed run left behind.
const dirPrefix = "dbtool-pgtest-"

// ownerFile, in a cluster directory, holds the pid of the test binary that
// made it.
const ownerFile = "owner.pid"

// cluster is a PostgreSQL server this package started, running as a child
// process of the test binary.
type cluster struct {
	dir    string // temporary directory: data/, the socket, the log
	binDir string
	port   int
	proc   *os.Process
	exited chan error // receives the server's exit once
	// settings are more server settings, "name=value", after the
	// defaults (a later -c wins).
	settings []string
}

// url returns the URL of database db on the cluster.
func (c *cluster) url(db string) *url.URL {
	return &url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/" + db,
		RawQuery: "sslmode=disable",
	}
}

// startCluster creates a cluster in a temporary directory and starts it on
// a free port, with settings ("name=value") added to the defaults.
func startCluster(ctx context.Context, settings ...string) (*cluster, error) {
	binDir, err := findBinDir()
	if err != nil {
		return nil, err
	}
	cred, err := serverCredential()
	if err != nil {
		return nil, err
	}
	base := baseDir(cred)
	removeStale(base)
	dir, err := os.MkdirTemp(base, dirPrefix)
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir, binDir: binDir, settings: settings}
	if err := c.init(ctx, cred); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	// Another process may take the free port between our look and the
	// server's bind: try a few.
	for attempt := 0; ; attempt++ {
		err = c.start(ctx, cred)
		if err == nil || !errors.Is(err, errPortTaken) || attempt == 4 {
			break
		}
	}
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return c, nil
}

// init makes the cluster's data directory: a copy of a template made by
// initdb once per machine and PostgreSQL installation (copying is several
// times faster than initdb), or a fresh initdb when no template can be
// had.
func (c *cluster) init(ctx context.Context, cred *syscall.Credential) error {
	if err := os.WriteFile(filepath.Join(c.dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return err
	}
	if cred != nil {
		if err := os.Chown(c.dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return fmt.Errorf("giving %s to the postgres user: %w", c.dir, err)
		}
	}
	data := filepath.Join(c.dir, "data")
	if tmpl, err := template(ctx, filepath.Dir(c.dir), c.binDir, cred); err == nil {
		if err := copyTree(tmpl, data, cred); err == nil {
			return requirePasswords(data)
		}
		_ = os.RemoveAll(data)
	}
	if err := initdb(ctx, c.binDir, data, cred); err != nil {
		return err
	}
	return requirePasswords(data)
}

// requirePasswords makes the members of PasswordGroup authenticate with a
// password over TCP (everyone else stays trusted), so that tests can see
// a wrong password refused and a right one accepted. pg_hba.conf is read
// top down: the rule goes first.
func requirePasswords(data string) error {
	hba := filepath.Join(data, "pg_hba.conf")
	old, err := os.ReadFile(hba)
	if err != nil {
		return err
	}
	rule := "host all +" + PasswordGroup + " 127.0.0.1/32 scram-sha-256\n" +
		"host all +" + PasswordGroup + " ::1/128 scram-sha-256\n"
	// Writing in place keeps the file's owner (the postgres user when the
	// tests run as root).
	return os.WriteFile(hba, append([]byte(rule), old...), 0o600)
}

// initdb creates a data directory: trust authentication, UTF8, locale C,
// no fsync.
func initdb(ctx context.Context, binDir, data string, cred *syscall.Credential) error {
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "initdb"),
		"-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C")
	cmd.Dir = filepath.Dir(data)
	cmd.SysProcAttr = procAttr(cred)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out)
	}
	return nil
}

// templatePrefix starts the name of a template data directory's parent.
const templatePrefix = "dbtool-pgtemplate-"

// template returns a data directory made by initdb for this installation
// and server user, making it the first time. It lives in the temporary
// directory under a name derived from the programs' identity, so an
// upgrade of PostgreSQL gets a new one; it is made under a temporary name
// and renamed into place, so parallel test binaries never see half of
// one. A template owned by anyone but the server user, or writable by
// others, is not used.
func template(ctx context.Context, base, binDir string, cred *syscall.Credential) (string, error) {
	uid := os.Geteuid()
	if cred != nil {
		uid = int(cred.Uid)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00", binDir, uid)
	for _, prog := range []string{"initdb", "postgres"} {
		st, err := os.Stat(filepath.Join(binDir, prog))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d %d\x00", prog, st.Size(), st.ModTime().UnixNano())
	}
	dir := filepath.Join(base, templatePrefix+hex.EncodeToString(h.Sum(nil))[:16])
	data := filepath.Join(dir, "data")
	if err := trusted(dir, data, uid); err == nil {
		return data, nil
	}
	tmp, err := os.MkdirTemp(base, filepath.Base(dir)+".tmp-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	if cred != nil {
		if err := os.Chown(tmp, int(cred.Uid), int(cred.Gid)); err != nil {
			return "", err
		}
	}
	if err := initdb(ctx, binDir, filepath.Join(tmp, "data"), cred); err != nil {
		return "", err
	}
	// Another binary may have won the race: either way the template is
	// now in place.
	_ = os.Rename(tmp, dir)
	if err := trusted(dir, data, uid); err != nil {
		return "", err
	}
	return data, nil
}

// trusted checks that a template is complete and belongs to uid alone.
func trusted(dir, data string, uid int) error {
	for _, p := range []string{dir, data} {
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		sys, ok := st.Sys().(*syscall.Stat_t)
		if !ok || int(sys.Uid) != uid || st.Mode().Perm()&0o022 != 0 {
			return fmt.Errorf("template %s is not owned by uid %d alone", p, uid)
		}
	}
	_, err := os.Stat(filepath.Join(data, "PG_VERSION"))
	return err
}

// copyTree copies a data directory, keeping modes and giving the copy to
// cred (when set).
func copyTree(from, to string, cred *syscall.Credential) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		target := filepath.Join(to, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			if err := os.Mkdir(target, info.Mode().Perm()); err != nil {
				return err
			}
		case info.Mode().IsRegular():
			if err := copyFile(path, target, info.Mode().Perm()); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: not a regular file", path)
		}
		if cred != nil {
			return os.Lchown(target, int(cred.Uid), int(cred.Gid))
		}
		return nil
	})
}

func copyFile(from, to string, perm fs.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// errPortTaken means the server could not bind its port.
var errPortTaken = errors.New("port already in use")

// start starts the server on a free port and waits until it accepts
// connections.
func (c *cluster) start(ctx context.Context, cred *syscall.Credential) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	c.port = port
	logPath := filepath.Join(c.dir, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	args := []string{
		"-D", filepath.Join(c.dir, "data"),
		"-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories=" + c.dir,
		"-c", "fsync=off",
		"-c", "full_page_writes=off",
		"-c", "synchronous_commit=off",
		"-c", "max_connections=200",
		"-c", "logging_collector=off",
		"-c", "wal_level=minimal", "-c", "max_wal_senders=0",
	}
	for _, set := range c.settings {
		args = append(args, "-c", set)
	}
	cmd := exec.Command(filepath.Join(c.binDir, "postgres"), args...)
	cmd.Dir = c.dir
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = procAttr(cred)

	// The parent-death signal is tied to the thread that forked the
	// server, not to the process: keep that thread alive as long as the
	// server runs.
	startErr := make(chan error, 1)
	c.exited = make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			startErr <- err
			runtime.UnlockOSThread()
			return
		}
		startErr <- nil
		c.exited <- cmd.Wait()
	}()
	if err := <-startErr; err != nil {
		return fmt.Errorf("starting postgres: %w", err)
	}
	c.proc = cmd.Process

	connURL := c.url("postgres").String()
	for {
		select {
		case err := <-c.exited:
			log, _ := os.ReadFile(logPath)
			if bytes.Contains(log, []byte("could not bind")) || bytes.Contains(log, []byte("could not create any TCP/IP sockets")) {
				return fmt.Errorf("postgres on port %d: %w", port, errPortTaken)
			}
			return fmt.Errorf("postgres exited while starting (%v):\n%s", err, log)
		case <-ctx.Done():
			_ = c.stop()
			return fmt.Errorf("waiting for postgres to accept connections: %w", ctx.Err())
		default:
		}
		attemptCtx, cancel := context.WithTimeout(ctx, time.Second)
		conn, err := pgconn.Connect(attemptCtx, connURL)
		cancel()
		if err == nil {
			_ = conn.Close(ctx)
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop shuts the server down (fast shutdown, then a kill if it lingers)
// and removes its directory.
func (c *cluster) stop() error {
	var errs []error
	if c.proc != nil {
		_ = c.proc.Signal(syscall.SIGINT)
		select {
		case <-c.exited:
		case <-time.After(30 * time.Second):
			_ = c.proc.Kill()
			<-c.exited
			errs = append(errs, errors.New("postgres did not stop within 30s; killed"))
		}
		c.proc = nil
	}
	if err := os.RemoveAll(c.dir); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// baseDir returns the directory to make clusters in: the temporary
// directory, unless the server's socket path would be too long for a Unix
// socket there (macOS's per-user TMPDIR can come close), or, as root, the
// postgres user could not reach it (a TMPDIR private to root); then /tmp.
func baseDir(cred *syscall.Credential) string {
	base := os.TempDir()
	if len(base) > 60 {
		return "/tmp"
	}
	if cred != nil {
		for d := base; ; d = filepath.Dir(d) {
			st, err := os.Stat(d)
			if err != nil || st.Mode().Perm()&0o001 == 0 {
				return "/tmp"
			}
			if d == filepath.Dir(d) {
				break
			}
		}
	}
	return base
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// serverCredential returns who the server must run as: nil (ourselves)
// for a normal user; as root, the postgres OS user, since PostgreSQL
// refuses to run as root.
// ServerCredential returns whom a PostgreSQL server must run as: nil for
// the current user, the postgres OS user when the current user is root
// (the server refuses to run as root).
func ServerCredential() (*syscall.Credential, error) { return serverCredential() }

func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, the server must run as the \"postgres\" OS user, "+
			"which does not exist (%v); Debian's postgresql package creates it, "+
			"or run the tests as a normal user", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("user postgres: unexpected uid %q / gid %q", u.Uid, u.Gid)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
}

// removeStale removes cluster directories whose test binary is gone (it
// crashed or was killed; its server died with it).
func removeStale(base string) {
	dirs, _ := filepath.Glob(filepath.Join(base, dirPrefix+"*"))
	for _, dir := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
		if err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		if serverAlive(dir) {
			continue
		}
		_ = os.RemoveAll(dir)
	}
}

// serverAlive reports whether the postmaster recorded in a cluster
// directory still runs.
func serverAlive(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid"))
	if err != nil {
		return false
	}
	first, _, _ := strings.Cut(string(data), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	return err == nil && pid > 0 && processAlive(pid)
}
