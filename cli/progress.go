package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/recording"
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
			line := fmt.Sprintf("        step %d %-7s %-8s %s", st.Index, st.Status, st.End.Sub(st.Start).Round(time.Millisecond), termText(st.Detail))
			if st.As != "" {
				line += "  (as " + st.As + ")"
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

// A summary is the machine-readable outcome of a run (summary.json beside
// index.json): what a CI step needs without parsing text.
type summary struct {
	Schema    string                    `json:"schema"`
	Tool      string                    `json:"tool"`
	Status    recording.Status          `json:"status"`
	ExitCode  int                       `json:"exitCode"`
	Start     time.Time                 `json:"start"`
	End       time.Time                 `json:"end"`
	Seconds   float64                   `json:"seconds"`
	Shard     string                    `json:"shard,omitempty"`
	Totals    recording.Totals          `json:"totals"`
	Flaky     []string                  `json:"flaky,omitempty"`
	Failed    []summaryEntry            `json:"failed,omitempty"`
	Findings  map[analysis.Severity]int `json:"findings"`
	Resets    map[string]int            `json:"resets"`
	Worst     analysis.Severity         `json:"worstFinding,omitempty"`
	Scenarios int                       `json:"scenarios"`
}

type summaryEntry struct {
	Name      string           `json:"name"`
	Status    recording.Status `json:"status"`
	Error     string           `json:"error,omitempty"`
	Recording string           `json:"recording"`
}

const summarySchema = "sessiontrace.summary/v1"

func newSummary(ix *recording.Index, rep *analysis.Report, code int, shard string) *summary {
	s := &summary{Schema: summarySchema, Tool: ix.Tool, Status: ix.Status, ExitCode: code, Start: ix.Start, End: ix.End,
		Seconds: ix.End.Sub(ix.Start).Seconds(), Shard: shard, Totals: ix.Totals, Scenarios: len(ix.Scenarios),
		Findings: map[analysis.Severity]int{}, Resets: map[string]int{}, Worst: rep.Worst()}
	for _, e := range ix.Scenarios {
		if e.Flaky {
			s.Flaky = append(s.Flaky, e.Name)
		}
		if e.Status != recording.StatusPassed {
			s.Failed = append(s.Failed, summaryEntry{Name: e.Name, Status: e.Status, Error: e.Error, Recording: e.Recording})
		}
	}
	for _, sev := range analysis.Severities {
		s.Findings[sev] = 0
	}
	for _, f := range rep.Findings {
		s.Findings[f.Severity]++
	}
	for _, ss := range rep.Sessions {
		for _, r := range ss.Resets {
			s.Resets[r.Cause]++
		}
	}
	return s
}
