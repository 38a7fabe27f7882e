//go:build unix && !linux

package harness

import "syscall"

// killWithParent: only Linux has a parent-death signal.
func killWithParent(*syscall.SysProcAttr) {}
