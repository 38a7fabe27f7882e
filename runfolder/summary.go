//go:build !js

package runfolder

import (
	"encoding/json"
	"os"
	"slices"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

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
	// PerScenario has a row per scenario of the index, in its order: what
	// the inspector's overview and search need without the recordings.
	PerScenario []ScenarioStat `json:"perScenario"`
}

// A SummaryEntry is a scenario that did not pass.
type SummaryEntry struct {
	Name      string           `json:"name"`
	Status    recording.Status `json:"status"`
	Error     string           `json:"error,omitempty"`
	Recording string           `json:"recording"`
}

// NewSummary sums up a run: its index, its findings, its recordings (in
// the index's order; nil where one could not be read), the exit code of
// the command and the shard (K/N) it ran, if any.
func NewSummary(ix *recording.Index, rep *analysis.Report, recs []*recording.Recording, code int, shard string) *Summary {
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
	for _, r := range rep.Resets() {
		s.Resets[r.Cause]++
	}
	s.PerScenario = perScenario(ix, rep, recs)
	return s
}

// perScenario makes summary.json's rows. Findings and sessions name their
// scenario: each goes to the first entry of that name, as the inspector
// matches them.
func perScenario(ix *recording.Index, rep *analysis.Report, recs []*recording.Recording) []ScenarioStat {
	rows := make([]ScenarioStat, len(ix.Scenarios))
	byName := map[string]int{}
	for i := len(ix.Scenarios) - 1; i >= 0; i-- {
		byName[ix.Scenarios[i].Name] = i
		rows[i].Recording = ix.Scenarios[i].Recording
	}
	for _, f := range rep.Findings {
		if i, ok := byName[f.Scenario]; ok {
			rows[i].Findings.Add(f.Severity, 1)
			rows[i].Rules = append(rows[i].Rules, f.Rule)
		}
	}
	resets := func(scenario string, rs []analysis.Reset) {
		if i, ok := byName[scenario]; ok {
			for _, r := range rs {
				rows[i].Resets = append(rows[i].Resets, ResetStat{Cause: r.Cause, Basis: r.Basis, Step: r.Step, Summary: r.Summary})
			}
		}
	}
	for _, ss := range rep.Sessions {
		resets(ss.Scenario, ss.Resets)
	}
	for _, t := range rep.Tokens {
		resets(t.Scenario, t.Resets)
	}
	for i := range rows {
		slices.Sort(rows[i].Rules)
		rows[i].Rules = slices.Compact(rows[i].Rules)
		if i < len(recs) && recs[i] != nil {
			rows[i].Cookies = CookieNames(recs[i])
			rows[i].Warnings = recs[i].Warnings
		}
	}
	return rows
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
