package pgtest

import "syscall"

// procAttr runs a server program as cred (nil: as ourselves). The server
// gets SIGQUIT (immediate shutdown) if the test binary dies, so a crashed
// run leaves no server behind.
func procAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT}
}
