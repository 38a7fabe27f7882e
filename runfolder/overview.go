package runfolder

import (
	"slices"
	"strconv"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/recjson"
	"github.com/sessiontrace/sessiontrace/recording"
)

// What the inspector reads of a run folder to draw its overview without
// reading a single recording: summary.json's perScenario rows (below) and
// what findings.json says of the findings and the resets. The decoders
// are generated from these types (overview_decode_gen.go): they read only
// these fields, skipping the rest of the files (sessions' IDs, the
// logged-in lanes), and share strings with the file's bytes.
//
//go:generate go run github.com/sessiontrace/sessiontrace/internal/recjson/gen -out overview_decode_gen.go SummaryOverview ReportOverview

// A ScenarioStat is one scenario's row of summary.json's perScenario: what
// the overview shows of it and what its search looks in, beside what
// index.json says. Rows are in the index's order.
type ScenarioStat struct {
	// Recording is the index entry's recording, which the row belongs to.
	Recording string `json:"recording"`
	// Findings counts the scenario's findings by severity.
	Findings SeverityCounts `json:"findings"`
	// Rules are the rule ids of its findings, each once, sorted.
	Rules []string `json:"rules,omitempty"`
	// Resets are its session resets, in the analysis's order: what the
	// overview says of each.
	Resets []ResetStat `json:"resets,omitempty"`
	// Cookies are the names of the cookies its recording saw (in a jar or
	// an event), each once, sorted.
	Cookies []string `json:"cookies,omitempty"`
	// Warnings are the recording's warnings.
	Warnings []string `json:"warnings,omitempty"`
}

// A ResetStat is a session reset as the overview tells it: its cause, its
// basis, the step where the session broke and the sentence that says it
// (analysis.Reset's fields of those names).
type ResetStat struct {
	Cause   analysis.CauseID `json:"cause"`
	Basis   analysis.Basis   `json:"basis"`
	Step    int              `json:"step"`
	Summary string           `json:"summary"`
}

// SeverityCounts counts findings by severity.
type SeverityCounts struct {
	Critical int `json:"critical,omitempty"`
	High     int `json:"high,omitempty"`
	Medium   int `json:"medium,omitempty"`
	Low      int `json:"low,omitempty"`
	Info     int `json:"info,omitempty"`
}

// Add counts one finding of severity sev.
func (c *SeverityCounts) Add(sev analysis.Severity, n int) {
	switch sev {
	case analysis.Critical:
		c.Critical += n
	case analysis.High:
		c.High += n
	case analysis.Medium:
		c.Medium += n
	case analysis.Low:
		c.Low += n
	case analysis.Info:
		c.Info += n
	}
}

// Of is the count of severity sev.
func (c *SeverityCounts) Of(sev analysis.Severity) int {
	switch sev {
	case analysis.Critical:
		return c.Critical
	case analysis.High:
		return c.High
	case analysis.Medium:
		return c.Medium
	case analysis.Low:
		return c.Low
	case analysis.Info:
		return c.Info
	}
	return 0
}

// SummarySchema is the schema id of summary.json.
const SummarySchema = "sessiontrace.summary/v1"

// SummaryOverview is what the inspector reads of summary.json.
type SummaryOverview struct {
	Schema      string         `json:"schema"`
	PerScenario []ScenarioStat `json:"perScenario"`
}

// ReportOverview is what the inspector reads of findings.json: every
// finding, and of each session report its identity and its resets.
type ReportOverview struct {
	Findings []analysis.Finding `json:"findings"`
	Sessions []SessionResets    `json:"sessions"`
}

// SessionResets is a session report of findings.json without its IDs.
type SessionResets struct {
	Scenario  string           `json:"scenario"`
	Cookie    string           `json:"cookie"`
	Domain    string           `json:"domain,omitempty"`
	Path      string           `json:"path,omitempty"`
	Partition string           `json:"partition,omitempty"`
	Resets    []analysis.Reset `json:"resets"`
}

// DecodeSummaryOverview reads summary.json for the overview. Its strings
// share memory with data.
func DecodeSummaryOverview(name string, data []byte) (*SummaryOverview, error) {
	s := &SummaryOverview{}
	if err := unmarshalSummaryOverview(data, s); err != nil {
		return nil, overviewError(name, data, err)
	}
	if s.Schema != SummarySchema {
		return nil, &decodeErr{name + ": not a run summary (schema " + s.Schema + ", want " + SummarySchema + ")"}
	}
	return s, nil
}

// DecodeReportOverview reads findings.json for the overview. Its strings
// share memory with data.
func DecodeReportOverview(name string, data []byte) (*ReportOverview, error) {
	r := &ReportOverview{}
	if err := unmarshalReportOverview(data, r); err != nil {
		return nil, overviewError(name, data, err)
	}
	return r, nil
}

type decodeErr struct{ msg string }

func (e *decodeErr) Error() string { return e.msg }

// overviewError says where a report file could not be read.
func overviewError(name string, data []byte, err error) error {
	off := int64(-1)
	switch e := err.(type) {
	case *recjson.SyntaxError:
		off = e.Offset
	case *recjson.TypeError:
		off = e.Offset
	}
	if off < 0 {
		return &decodeErr{name + ": " + err.Error()}
	}
	l, c := recjson.LineCol(data, off)
	return &decodeErr{name + ":" + strconv.Itoa(l) + ":" + strconv.Itoa(c) + ": " + err.Error()}
}

// CookieNames are the names of the cookies a recording saw: in the jar
// after a step, or in an event (sent, withheld, set, rejected, ...), each
// once, sorted.
func CookieNames(r *recording.Recording) []string {
	var names []string
	for i := range r.Steps {
		for j := range r.Steps[i].Jar {
			names = append(names, r.Steps[i].Jar[j].Name)
		}
	}
	for i := range r.Events {
		names = append(names, r.Events[i].Name)
	}
	slices.Sort(names)
	return slices.Compact(names)
}
