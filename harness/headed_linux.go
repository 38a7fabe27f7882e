package harness

import "syscall"

// killWithParent has Linux kill the browser when this process dies.
func killWithParent(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
