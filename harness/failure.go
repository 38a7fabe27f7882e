package harness

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// maxSnapshot bounds the HTML snapshot of a failing page.
const maxSnapshot = 4 << 20

// snapshotCSP opens every HTML snapshot: the page's own scripts must not
// run when a user (or the inspector, on its own origin) opens the file.
const snapshotCSP = `<!-- sessiontrace: the page at a failing step; cookie values and secrets are replaced by placeholders, scripts do not run -->` +
	`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` + "\n"

// captureFailure keeps the page of the failing step i in the run folder:
// a screenshot and an HTML snapshot, scrubbed as the recording is (cookie
// values become [value:FP] placeholders, secrets [secret]). Best effort,
// within a few seconds: a page that does not answer leaves a warning.
func (r *runner) captureFailure(i int) {
	if r.opts.Dir == "" || r.opts.Bare || r.tab == nil || i >= len(r.steps) {
		return
	}
	// The jar of the step holds values the page may show: scrub them too.
	for _, c := range r.steps[i].jar {
		r.red.Note(c.Value)
	}
	c, cancel := context.WithTimeout(r.tab, 5*time.Second)
	defer cancel()
	shot, shotErr := chromedp.Run(c, chromedp.CaptureScreenshot())
	html, htmlErr := chromedp.Run(c, chromedp.Evaluate[string](`document.documentElement ? document.documentElement.outerHTML : ""`))
	dir := runfolder.Dir(r.opts.Dir)
	png, _ := runfolder.FailureNames(r.sc.Name, i)
	sr := &r.steps[i].rec
	if shotErr == nil {
		if name, err := dir.WriteNew(png, shot); err == nil {
			sr.Screenshot = name
			png = name
		}
	}
	if htmlErr == nil && html != "" {
		if len(html) > maxSnapshot {
			html = html[:maxSnapshot] + "\n<!-- sessiontrace: cut at 4 MiB -->"
		}
		name := strings.TrimSuffix(png, ".png") + ".html"
		if _, err := dir.WriteScreenshot(name, []byte(snapshotCSP+r.red.Scrub(html))); err == nil {
			sr.Snapshot = name
		}
	}
	if shotErr != nil || htmlErr != nil {
		r.rec.Warnings = append(r.rec.Warnings, fmt.Sprintf("step %d: the page at the failure could not be kept (it did not answer)", i))
	}
}
