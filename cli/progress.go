package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/internal/words"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/report"
)

// progress reports finished scenarios. On a terminal (and not in CI) it
// keeps a live status line under the results; elsewhere it prints one line
// per scenario. Workers call done concurrently; a mutex keeps lines whole.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	live    bool
	quiet   bool
	verbose bool
	total   int
	workers int
	start   time.Time
	n       int
	counts  map[recording.Status]int
}

func newProgress(e *env, total, workers int, quiet, verbose bool) *progress {
	_, ci := e.lookupEnv("CI")
	return &progress{w: e.stdout, live: !quiet && !ci && isTerminal(e.stdout), quiet: quiet, verbose: verbose,
		total: total, workers: workers, start: time.Now(), counts: map[recording.Status]int{}}
}

func (p *progress) done(res harness.Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	p.counts[res.Recording.Status]++
	if p.quiet {
		return
	}
	if p.live {
		fmt.Fprint(p.w, "\r\x1b[K") // clear the status line, print above it
	}
	fmt.Fprintln(p.w, resultLine(p.n, p.total, res))
	if p.verbose {
		for _, st := range res.Recording.Steps {
			line := fmt.Sprintf("        step %d %-7s %-8s %s", st.Index, st.Status, st.End.Sub(st.Start).Round(time.Millisecond), report.TermText(st.Detail))
			if st.As != "" {
				line += "  (as " + string(st.As) + ")"
			}
			fmt.Fprintln(p.w, line)
		}
	}
	if p.live {
		fmt.Fprint(p.w, p.status())
	}
}

// status is the live line: done/total, by status, and an ETA from the mean
// time per scenario so far.
func (p *progress) status() string {
	elapsed := time.Since(p.start)
	eta := "?"
	if p.n > 0 {
		left := time.Duration(float64(elapsed) / float64(p.n) * float64(p.total-p.n))
		eta = left.Round(time.Second).String()
	}
	return fmt.Sprintf("[%d/%d] %d passed, %d failed, %d errored  elapsed %s  ETA %s",
		p.n, p.total, p.counts[recording.StatusPassed], p.counts[recording.StatusFailed],
		p.counts[recording.StatusErrored], elapsed.Round(time.Second), eta)
}

// finish ends the live line.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live && p.n > 0 {
		fmt.Fprintln(p.w)
	}
}

// statusLabel is a scenario's status as the progress lines show it.
var statusLabel = map[recording.Status]string{
	recording.StatusPassed: "PASS", recording.StatusFailed: "FAIL",
	recording.StatusErrored: "ERROR", recording.StatusInterrupted: "STOP",
}

func resultLine(n, total int, res harness.Result) string {
	r := res.Recording
	label := statusLabel[r.Status]
	if label == "" {
		label = string(r.Status)
	}
	line := fmt.Sprintf("[%d/%d] %-5s %s  (%s, %s, %s, %s)  %s",
		n, total, label, report.TermText(r.Scenario.Name), words.Count(len(r.Steps), "step", "steps"),
		words.Count(len(r.Requests), "request", "requests"), words.Count(len(r.Events), "cookie event", "cookie events"),
		r.End.Sub(r.Start).Round(time.Millisecond), res.Path)
	if r.Error != "" {
		line += "\n        " + report.TermText(r.Error)
	}
	for _, w := range r.Warnings {
		line += "\n        warning: " + report.TermText(w)
	}
	return line
}
