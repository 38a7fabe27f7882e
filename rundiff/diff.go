package rundiff

import (
	"path"
	"strings"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// Schema is the value of the schema field of a Diff in JSON. The JSON form
// is a contract (docs/diff.md): within v1 fields are only added.
const Schema = "sessiontrace.diff/v1"

// A Diff is what changed from run A (the baseline) to run B.
type Diff struct {
	Schema    string         `json:"schema"`
	A         RunInfo        `json:"a"`
	B         RunInfo        `json:"b"`
	Scenarios []ScenarioDiff `json:"scenarios"`
	Totals    Totals         `json:"totals"`
}

// RunInfo describes one of the two runs.
type RunInfo struct {
	// Source names the run for people (a folder, a file). Runs leaves it
	// empty: the caller knows where the recordings came from.
	Source    string `json:"source,omitempty"`
	Scenarios int    `json:"scenarios"`
	// Status is the worst status of the run's scenarios.
	Status recording.Status `json:"status"`
}

// Totals counts the scenarios and the changes of a Diff.
type Totals struct {
	// Scenarios counts the scenarios of either run, matched ones once.
	Scenarios    int `json:"scenarios"`
	Changed      int `json:"changed"`
	Changes      int `json:"changes"`
	Regressions  int `json:"regressions"`
	Improvements int `json:"improvements"`
}

// A Delta is one value that differs between run A and run B. A change is
// a regression (B is worse), an improvement (B is better) or neither.
type Delta struct {
	From        string `json:"from"`
	To          string `json:"to"`
	Regression  bool   `json:"regression"`
	Improvement bool   `json:"improvement"`
}

// What a ScenarioDiff, CookieChange or FindingChange says happened.
const (
	Unchanged = "unchanged"
	Changed   = "changed"
	Gone      = "gone"  // a scenario or cookie only in A
	New       = "new"   // a scenario or finding only in B
	Added     = "added" // a cookie only in B
	Fixed     = "fixed" // a finding only in A
	// SeverityChanged is a finding in both runs with another severity.
	SeverityChanged = "severity"
)

// A ScenarioDiff is what changed in one scenario.
type ScenarioDiff struct {
	Scenario string `json:"scenario"`
	// Change is unchanged, changed, gone (only in A) or new (only in B).
	Change string `json:"change"`
	// A and B are the scenario's runs; nil when it is not in that run.
	A *ScenarioRun `json:"a"`
	B *ScenarioRun `json:"b"`
	// Outcome holds the changes of the run itself: attribute "scenario"
	// (present/absent), "status" and "failed step".
	Outcome  []AttrChange    `json:"outcome"`
	Cookies  []CookieChange  `json:"cookies"`
	Sessions []SessionChange `json:"sessions"`
	Findings []FindingChange `json:"findings"`
	// Notes say what could not be compared and why; they are not changes.
	Notes []string `json:"notes"`
}

// A ScenarioRun is one run of a scenario.
type ScenarioRun struct {
	File   string           `json:"file,omitempty"`
	Target string           `json:"target"`
	Status recording.Status `json:"status"`
	Error  string           `json:"error,omitempty"`
	// Steps counts the steps that ran (not skipped).
	Steps int `json:"steps"`
}

// An AttrChange is one attribute (of a cookie or of the scenario's run)
// that changed.
type AttrChange struct {
	Attribute string `json:"attribute"`
	Delta
}

// Runs compares run b with run a, scenario by scenario. Scenarios are
// matched by name, and by file when a name repeats; when each run holds a
// single recording, the two are compared whatever their names. Nil
// recordings are ignored.
func Runs(a, b []*recording.Recording) *Diff {
	sa, sb := analyseRun(a), analyseRun(b)
	d := &Diff{Schema: Schema, A: runInfo(sa), B: runInfo(sb), Scenarios: []ScenarioDiff{}}
	for _, p := range pairScenarios(sa, sb) {
		sd := compareScenario(p.a, p.b)
		if p.note != "" {
			sd.Notes = append(sd.Notes, p.note)
		}
		d.Scenarios = append(d.Scenarios, sd)
	}
	d.count()
	return d
}

// A side is one recording with its analysis.
type side struct {
	rec      *recording.Recording
	sessions []analysis.SessionReport
	findings []analysis.Finding
}

// analyseRun analyses each recording. The findings that need the whole run
// (the same ID issued in two recordings, ID patterns across the run) come
// from analysis.AnalyzeAll; they are given to the recording whose scenario
// and file they name, so each scenario has the findings audit reports.
func analyseRun(rs []*recording.Recording) []*side {
	var out []*side
	var recs []*recording.Recording
	for _, r := range rs {
		if r == nil {
			continue
		}
		rep := analysis.Analyze(r)
		out = append(out, &side{rec: r, sessions: rep.Sessions, findings: rep.Findings})
		recs = append(recs, r)
	}
	if len(out) < 2 {
		return out
	}
	// AnalyzeAll's findings are each recording's own plus the cross-run
	// ones: skip the former (Finding is comparable) to keep the latter.
	// This analyses each recording twice: analysis has no call that gives
	// per-recording reports with the cross-run findings.
	own := map[analysis.Finding]int{}
	for _, s := range out {
		for _, f := range s.findings {
			own[f]++
		}
	}
	for _, f := range analysis.AnalyzeAll(recs).Findings {
		if own[f] > 0 {
			own[f]--
			continue
		}
		for _, s := range out {
			if s.rec.Scenario.Name == f.Scenario && s.rec.Scenario.File == f.File {
				s.findings = append(s.findings, f)
				break
			}
		}
	}
	return out
}

func runInfo(ss []*side) RunInfo {
	ri := RunInfo{Scenarios: len(ss), Status: recording.StatusPassed}
	if len(ss) == 0 {
		ri.Status = ""
	}
	for _, s := range ss {
		if recording.Worse(s.rec.Status, ri.Status) {
			ri.Status = s.rec.Status
		}
	}
	return ri
}

type scenarioPair struct {
	a, b *side
	note string
}

// pairScenarios matches the scenarios of the two runs: by name and exact
// file, then by name and file base name (a suite checked out elsewhere),
// then by name alone in order. The result lists A's scenarios in A's order
// (matched or gone), then those only in B.
func pairScenarios(a, b []*side) []scenarioPair {
	if len(a) == 1 && len(b) == 1 {
		p := scenarioPair{a: a[0], b: b[0]}
		if na, nb := a[0].rec.Scenario.Name, b[0].rec.Scenario.Name; na != nb {
			p.note = "the runs hold one scenario each, compared with each other although their names differ (A: " + na + ", B: " + nb + ")"
		}
		return []scenarioPair{p}
	}
	matchA := make([]int, len(a))
	usedB := make([]bool, len(b))
	for i := range matchA {
		matchA[i] = -1
	}
	passes := []func(x, y *recording.ScenarioInfo) bool{
		func(x, y *recording.ScenarioInfo) bool { return cleanFile(x.File) == cleanFile(y.File) },
		func(x, y *recording.ScenarioInfo) bool {
			return path.Base(cleanFile(x.File)) == path.Base(cleanFile(y.File))
		},
		func(x, y *recording.ScenarioInfo) bool { return true },
	}
	for _, same := range passes {
		for i, sa := range a {
			if matchA[i] >= 0 {
				continue
			}
			for j, sb := range b {
				if !usedB[j] && sa.rec.Scenario.Name == sb.rec.Scenario.Name && same(&sa.rec.Scenario, &sb.rec.Scenario) {
					matchA[i], usedB[j] = j, true
					break
				}
			}
		}
	}
	var out []scenarioPair
	for i, sa := range a {
		p := scenarioPair{a: sa}
		if matchA[i] >= 0 {
			p.b = b[matchA[i]]
		}
		out = append(out, p)
	}
	for j, sb := range b {
		if !usedB[j] {
			out = append(out, scenarioPair{b: sb})
		}
	}
	return out
}

func cleanFile(f string) string {
	if f == "" {
		return ""
	}
	return path.Clean(strings.ReplaceAll(f, "\\", "/"))
}

func scenarioRun(s *side) *ScenarioRun {
	if s == nil {
		return nil
	}
	r := s.rec
	sr := &ScenarioRun{File: r.Scenario.File, Target: r.Scenario.Target, Status: r.Status, Error: r.Error}
	for _, st := range r.Steps {
		if st.Status != recording.StatusSkipped {
			sr.Steps++
		}
	}
	return sr
}

// compareScenario compares one scenario's two runs (either may be nil).
func compareScenario(a, b *side) ScenarioDiff {
	sd := ScenarioDiff{A: scenarioRun(a), B: scenarioRun(b), Outcome: []AttrChange{}, Cookies: []CookieChange{},
		Sessions: []SessionChange{}, Findings: []FindingChange{}, Notes: []string{}}
	switch {
	case b == nil:
		sd.Scenario, sd.Change = a.rec.Scenario.Name, Gone
		sd.Outcome = append(sd.Outcome, AttrChange{"scenario", Delta{From: "present", To: "absent", Regression: true}})
		return sd
	case a == nil:
		sd.Scenario, sd.Change = b.rec.Scenario.Name, New
		sd.Outcome = append(sd.Outcome, AttrChange{"scenario", Delta{From: "absent", To: "present"}})
		return sd
	}
	sd.Scenario = b.rec.Scenario.Name
	steps := compareSteps(a.rec, b.rec)
	sd.Notes = append(sd.Notes, steps.notes()...)
	if ca, cb := hasCookieData(a.rec), hasCookieData(b.rec); ca != cb {
		in := "B"
		if !ca {
			in = "A"
		}
		sd.Notes = append(sd.Notes, in+" holds no cookie data at all (a HAR exported without cookies?): its cookies and findings may be unknown rather than gone")
	}
	sd.Outcome = append(sd.Outcome, outcome(a.rec, b.rec)...)

	pa, pb := profiles(a.rec, steps.both), profiles(b.rec, steps.both)
	ids := matchCookies(pa, pb, targetHost(a.rec.Scenario.Target), targetHost(b.rec.Scenario.Target))
	ids.markSessionIDs(a, b)
	sd.Cookies = ids.changes()
	var notes []string
	sd.Sessions, notes = compareSessions(a, b, ids, steps)
	sd.Notes = append(sd.Notes, notes...)
	sd.Findings = compareFindings(a.findings, b.findings, ids, steps.both)
	sd.Change = Unchanged
	if len(sd.Outcome)+len(sd.Cookies)+len(sd.Sessions)+len(sd.Findings) > 0 {
		sd.Change = Changed
	}
	return sd
}

// outcome compares how the two runs ended.
func outcome(a, b *recording.Recording) []AttrChange {
	var out []AttrChange
	if a.Status != b.Status {
		out = append(out, AttrChange{"status", Delta{From: string(a.Status), To: string(b.Status),
			Regression: recording.Worse(b.Status, a.Status), Improvement: recording.Worse(a.Status, b.Status)}})
		return out
	}
	// Both failed: failing at another step is a change. The error texts
	// are not compared: they name hosts, ports and values of their run.
	if fa, fb := failedStep(a), failedStep(b); a.Status != recording.StatusPassed && fa != fb {
		out = append(out, AttrChange{"failed step", Delta{From: fa, To: fb}})
	}
	return out
}

// hasCookieData reports whether the recording saw any cookie at all.
func hasCookieData(r *recording.Recording) bool {
	if len(r.Events) > 0 {
		return true
	}
	for _, st := range r.Steps {
		if len(st.Jar) > 0 {
			return true
		}
	}
	for _, q := range r.Requests {
		if len(q.SetCookies)+len(q.CookiesSent)+len(q.CookiesWithheld) > 0 {
			return true
		}
	}
	return false
}

func failedStep(r *recording.Recording) string {
	for _, st := range r.Steps {
		if st.Status == recording.StatusFailed {
			return itoa(st.Index)
		}
	}
	return "none"
}

// count fills the totals.
func (d *Diff) count() {
	d.Totals = Totals{Scenarios: len(d.Scenarios)}
	for _, sd := range d.Scenarios {
		if sd.Change != Unchanged {
			d.Totals.Changed++
		}
	}
	for _, c := range d.Changes() {
		d.Totals.Changes++
		if c.Regression {
			d.Totals.Regressions++
		}
		if c.Improvement {
			d.Totals.Improvements++
		}
	}
}

// A Change is one change of a Diff in flat form: one line of the text
// output.
type Change struct {
	Scenario string `json:"scenario"`
	// Kind is scenario, cookie, session or finding.
	Kind string `json:"kind"`
	// Subject is the cookie name or the rule id; empty for kind scenario.
	Subject string `json:"subject,omitempty"`
	// What is the attribute, the behaviour or, for a cookie or finding
	// that is added, gone, new or fixed, that word.
	What string `json:"what"`
	Delta
}

// Changes lists every change of the diff, scenario by scenario.
func (d *Diff) Changes() []Change {
	var out []Change
	for _, sd := range d.Scenarios {
		out = append(out, sd.Changes()...)
	}
	return out
}

// Regressions lists the changes that are regressions.
func (d *Diff) Regressions() []Change {
	var out []Change
	for _, c := range d.Changes() {
		if c.Regression {
			out = append(out, c)
		}
	}
	return out
}

// Changes lists the scenario's changes in the order of the text output:
// outcome, cookies, sessions, findings.
func (sd *ScenarioDiff) Changes() []Change {
	var out []Change
	for _, o := range sd.Outcome {
		out = append(out, Change{Scenario: sd.Scenario, Kind: "scenario", What: o.Attribute, Delta: o.Delta})
	}
	for _, c := range sd.Cookies {
		if c.Change != Changed {
			out = append(out, Change{Scenario: sd.Scenario, Kind: "cookie", Subject: c.Name, What: c.Change,
				Delta: Delta{From: c.A.summary(), To: c.B.summary()}})
			continue
		}
		for _, at := range c.Attributes {
			out = append(out, Change{Scenario: sd.Scenario, Kind: "cookie", Subject: c.Name, What: at.Attribute, Delta: at.Delta})
		}
	}
	for _, s := range sd.Sessions {
		out = append(out, Change{Scenario: sd.Scenario, Kind: "session", Subject: s.Cookie, What: s.what(), Delta: s.Delta})
	}
	for _, f := range sd.Findings {
		out = append(out, Change{Scenario: sd.Scenario, Kind: "finding", Subject: f.Rule, What: f.Change, Delta: f.Delta})
	}
	return out
}
