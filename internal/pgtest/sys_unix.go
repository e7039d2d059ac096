//go:build unix && !linux

package pgtest

import "syscall"

// procAttr runs a server program as cred (nil: as ourselves). Without a
// parent-death signal on this system, a test binary killed before Run
// returns leaves its server running until the machine restarts or it is
// stopped by hand (pg_ctl stop -D /tmp/dbtool-pgtest-*/data).
func procAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred}
}
