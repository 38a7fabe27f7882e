//go:build unix

package harness

import (
	"os/exec"
	"syscall"

	"github.com/chromedp/chromedp"
)

// ownProcessGroup starts the browser in a process group of its own: the
// terminal's Ctrl-C goes to sessiontrace's group, and record ends the
// recording, reads the page a last time and closes the window itself,
// instead of the browser quitting under it. It replaces chromedp's
// default, so it also does what that does: kill the browser when this
// process dies, where the system can (killWithParent).
func ownProcessGroup() chromedp.ExecAllocatorOption {
	return chromedp.ModifyCmdFunc(func(cmd *exec.Cmd) {
		if cmd.SysProcAttr == nil {
			cmd.SysProcAttr = new(syscall.SysProcAttr)
		}
		cmd.SysProcAttr.Setpgid = true
		killWithParent(cmd.SysProcAttr)
	})
}
