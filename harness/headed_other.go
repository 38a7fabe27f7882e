//go:build !unix

package harness

import "github.com/chromedp/chromedp"

// ownProcessGroup changes nothing where there are no process groups to
// keep the terminal's Ctrl-C from the browser.
func ownProcessGroup() chromedp.ExecAllocatorOption { return func(*chromedp.ExecAllocator) {} }
