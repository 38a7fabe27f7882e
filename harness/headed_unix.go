//go:build unix && !linux

package harness

import (
	"os/exec"
	"syscall"

	"github.com/chromedp/chromedp"
)

// ownProcessGroup starts the browser in a process group of its own (see
// headed_linux.go).
func ownProcessGroup() chromedp.ExecAllocatorOption {
	return chromedp.ModifyCmdFunc(func(cmd *exec.Cmd) {
		if cmd.SysProcAttr == nil {
			cmd.SysProcAttr = new(syscall.SysProcAttr)
		}
		cmd.SysProcAttr.Setpgid = true
	})
}
