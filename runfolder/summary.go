//go:build !js

package runfolder

import (
	"encoding/json"
	"os"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// SummarySchema is the schema id of summary.json.
const SummarySchema = "sessiontrace.summary/v1"

// A Summary is the machine-readable outcome of a run (summary.json beside
// index.json): what a CI step needs without parsing text.
type Summary struct {
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
	Failed    []SummaryEntry            `json:"failed,omitempty"`
	Findings  map[analysis.Severity]int `json:"findings"`
	Resets    map[analysis.CauseID]int  `json:"resets"`
	Worst     analysis.Severity         `json:"worstFinding,omitempty"`
	Scenarios int                       `json:"scenarios"`
}

// A SummaryEntry is a scenario that did not pass.
type SummaryEntry struct {
	Name      string           `json:"name"`
	Status    recording.Status `json:"status"`
	Error     string           `json:"error,omitempty"`
	Recording string           `json:"recording"`
}

// NewSummary sums up a run: its index, its findings, the exit code of the
// command and the shard (K/N) it ran, if any.
func NewSummary(ix *recording.Index, rep *analysis.Report, code int, shard string) *Summary {
	s := &Summary{Schema: SummarySchema, Tool: ix.Tool, Status: ix.Status, ExitCode: code, Start: ix.Start, End: ix.End,
		Seconds: ix.End.Sub(ix.Start).Seconds(), Shard: shard, Totals: ix.Totals, Scenarios: len(ix.Scenarios),
		Findings: map[analysis.Severity]int{}, Resets: map[analysis.CauseID]int{}, Worst: rep.Worst()}
	for _, e := range ix.Scenarios {
		if e.Flaky {
			s.Flaky = append(s.Flaky, e.Name)
		}
		if e.Status != recording.StatusPassed {
			s.Failed = append(s.Failed, SummaryEntry{Name: e.Name, Status: e.Status, Error: e.Error, Recording: e.Recording})
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

// shardOf reads the shard a run folder was made for from its summary.
func (d Dir) shardOf() string {
	data, err := os.ReadFile(d.Path(SummaryFile))
	if err != nil {
		return ""
	}
	var s struct {
		Shard string `json:"shard"`
	}
	_ = json.Unmarshal(data, &s)
	return s.Shard
}
