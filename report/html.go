package report

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// HTML is the report to share (`sessiontrace report`): one
// self-contained HTML document, readable from file:// with no network
// and no other file, and printable (one scenario per page). It shows the
// overview (status totals, findings by severity, resets by cause), then
// per scenario its status and error, why the user was logged out, the
// logged-in state step by step, every finding with its evidence, and the
// session table. Every string from a recording is escaped by html/template,
// no cookie value is shown (revealed ones are replaced by their
// placeholders: unrevealer), and a Content-Security-Policy lets the page load nothing
// and run no script.
var HTML Format = &format{"html", writeHTML}

//go:embed html.tmpl html.css
var htmlFiles embed.FS

var (
	htmlTemplate = template.Must(template.New("html.tmpl").Funcs(template.FuncMap{"sevClass": sevClass}).ParseFS(htmlFiles, "html.tmpl"))
	htmlCSS      = mustRead(htmlFiles, "html.css")
	// htmlCSP allows the page its own style sheet, by hash, and nothing
	// else: no script, no image, no font, no request, whatever a hostile
	// recording might have slipped through.
	htmlCSP = "default-src 'none'; style-src 'sha256-" + sha256Base64(htmlCSS) + "'; base-uri 'none'; form-action 'none'"
)

func mustRead(fs embed.FS, name string) string {
	b, err := fs.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func sha256Base64(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// The document's parts. Every string field is scrubbed of revealed cookie
// values (scrubStrings) before the template sees it.
type (
	htmlDoc struct {
		Span, Browser, Version string
		Count                  string // "3 scenarios"
		Revealed               bool
		Statuses, Severities   []htmlCount
		Causes                 []htmlCause
		Findings, Resets       int
		Threshold              string
		AtThreshold            int
		Scenarios              []*htmlScenario
		Other                  []htmlFinding // findings of no scenario shown
	}
	htmlCount struct {
		Label, Class string
		N            int
	}
	htmlCause struct {
		Cause, Explanation string
		N                  int
	}
	htmlScenario struct {
		Anchor, Name, File, Target string
		Status, StatusClass        string
		Error                      string
		Where                      string // the failing step's file:line:col, when Error does not say it
		Page                       []string
		Warnings                   []string
		Worst                      string
		Why                        []htmlWhy
		Lane                       string
		Steps                      []htmlStep
		Findings                   []htmlFinding
		Sessions                   []htmlSession
	}
	htmlWhy  struct{ Summary, Basis, Cause string }
	htmlStep struct {
		Index                           int
		What, Where, Status, Error, URL string
		Auth, AuthClass, Evidence       string
		Checked                         bool
	}
	htmlFinding struct {
		Severity, Rule, Title, Scenario, Cookie string
		Step, Count                             int
		Message, Evidence, URL, Remediation     string
	}
	htmlSession struct {
		Cookie, Scope, Detection, ClientSide string
		IDs                                  []htmlID
		Resets                               []htmlReset
		Gaps                                 []htmlGap
	}
	htmlID struct {
		FP, Bits, Steps, Issued, Ended, Note string
		Len, Sent, Withheld                  int
	}
	htmlReset struct {
		Step                                    int
		Cause, Basis, Summary, Detail, Evidence string
	}
	htmlGap struct {
		Step                int
		Reason, URL, Detail string
	}
)

func writeHTML(w io.Writer, in *Input) error {
	doc := htmlDocument(in)
	var recs []*recording.Recording
	for _, l := range in.Recordings {
		recs = append(recs, l.Recording)
	}
	scrub := newUnrevealer(recs...).Scrub
	scrubStrings(reflect.ValueOf(doc), scrub)
	return htmlTemplate.Execute(w, struct {
		Doc *htmlDoc
		CSS template.CSS
		CSP string
	}{doc, template.CSS(htmlCSS), htmlCSP})
}

// htmlDocument lays the report out: scenarios worst first, as text does.
func htmlDocument(in *Input) *htmlDoc {
	rep := in.Report
	if rep == nil {
		rep = &analysis.Report{}
	}
	doc := &htmlDoc{Version: in.Version, Findings: len(rep.Findings), Threshold: string(in.Threshold)}
	last := map[string]int{} // scenario name: its last recording
	worst := map[string]analysis.Severity{}
	var order []string
	var start, end time.Time
	var browsers []string
	for i, l := range in.Recordings {
		r := l.Recording
		if _, ok := last[r.Scenario.Name]; !ok {
			order = append(order, r.Scenario.Name)
			worst[r.Scenario.Name] = ""
		}
		last[r.Scenario.Name] = i
		if !r.Start.IsZero() && (start.IsZero() || r.Start.Before(start)) {
			start = r.Start
		}
		if r.End.After(end) {
			end = r.End
		}
		if p := r.Browser.Product; p != "" && !slices.Contains(browsers, p) {
			browsers = append(browsers, p)
		}
		doc.Revealed = doc.Revealed || r.Options.RevealValues
	}
	doc.Span, doc.Browser = span(start, end), strings.Join(browsers, ", ")
	byScenario := map[string][]htmlFinding{}
	sevs := map[analysis.Severity]int{}
	for _, f := range rep.Findings {
		sevs[f.Severity]++
		hf := htmlFindingOf(f)
		if _, ok := last[f.Scenario]; !ok {
			hf.Scenario = f.Scenario
			doc.Other = append(doc.Other, hf)
			continue
		}
		byScenario[f.Scenario] = append(byScenario[f.Scenario], hf)
		if f.Severity.AtLeast(worst[f.Scenario]) {
			worst[f.Scenario] = f.Severity
		}
	}
	for _, s := range analysis.Severities {
		doc.Severities = append(doc.Severities, htmlCount{Label: string(s), Class: sevClass(string(s)), N: sevs[s]})
	}
	if in.Threshold != "" {
		doc.AtThreshold = rep.CountAtLeast(in.Threshold)
	}
	sortScenarios(order, worst)
	sessions := map[string][]analysis.SessionReport{}
	causes := map[analysis.CauseID]int{}
	for _, s := range rep.Sessions {
		sessions[s.Scenario] = append(sessions[s.Scenario], s)
	}
	tokens := map[string][]analysis.TokenReport{}
	for _, t := range rep.Tokens {
		tokens[t.Scenario] = append(tokens[t.Scenario], t)
	}
	for _, r := range rep.Resets() {
		causes[r.Cause]++
		doc.Resets++
	}
	doc.Causes = causeCounts(causes)
	statuses := map[recording.Status]int{}
	for i, name := range order {
		l := in.Recordings[last[name]]
		r := l.Recording
		statuses[r.Status]++
		sc := &htmlScenario{Anchor: fmt.Sprintf("s%d", i+1), Name: name, File: r.Scenario.File, Target: r.Scenario.Target,
			Status: string(r.Status), StatusClass: statusClass(r.Status), Worst: string(worst[name]),
			Warnings: slices.Clone(r.Warnings), Findings: byScenario[name], Lane: authChanges(rep.Auth, name)}
		if f := failureOf(l); f != nil {
			sc.Error = f.msg
			if f.step != nil {
				if p := stepPlace(r.Scenario.File, f.step); !strings.Contains(f.msg, p) {
					sc.Where = p
				}
				for _, p := range []string{f.step.Screenshot, f.step.Snapshot} {
					if p != "" {
						sc.Page = append(sc.Page, p)
					}
				}
			}
		}
		sc.Steps = htmlSteps(r, authOf(rep.Auth, name))
		var resets []analysis.Reset
		for _, s := range sessions[name] {
			sc.Sessions = append(sc.Sessions, htmlSessionOf(s))
			resets = append(resets, s.Resets...)
		}
		for _, t := range tokens[name] {
			sc.Sessions = append(sc.Sessions, htmlTokenOf(t))
			resets = append(resets, t.Resets...)
		}
		for _, rs := range resets {
			sc.Why = append(sc.Why, htmlWhy{Summary: rs.Summary, Basis: basisText(rs), Cause: string(rs.Cause)})
		}
		doc.Scenarios = append(doc.Scenarios, sc)
	}
	doc.Statuses = statusCounts(statuses)
	doc.Count = fmt.Sprintf("%d scenario", len(order))
	if len(order) != 1 {
		doc.Count += "s"
	}
	return doc
}

// span is when a run ran, in UTC: "2026-11-22 10:00–10:04 UTC".
func span(start, end time.Time) string {
	if start.IsZero() {
		return ""
	}
	start, end = start.UTC(), end.UTC()
	s := start.Format("2006-01-02 15:04")
	switch {
	case end.Before(start), end.Format("2006-01-02 15:04") == s:
	case end.Format("2006-01-02") == start.Format("2006-01-02"):
		s += "–" + end.Format("15:04")
	default:
		s += " – " + end.Format("2006-01-02 15:04")
	}
	return s + " UTC"
}

// statusCounts counts scenarios by status: the four a run ends with,
// always, then any other.
func statusCounts(n map[recording.Status]int) []htmlCount {
	main := []recording.Status{recording.StatusPassed, recording.StatusFailed, recording.StatusErrored, recording.StatusInterrupted}
	var out []htmlCount
	for _, s := range main {
		out = append(out, htmlCount{Label: string(s), Class: statusClass(s), N: n[s]})
	}
	var rest []string
	for s := range n {
		if !slices.Contains(main, s) {
			rest = append(rest, string(s))
		}
	}
	sort.Strings(rest)
	for _, s := range rest {
		out = append(out, htmlCount{Label: s, Class: statusClass(recording.Status(s)), N: n[recording.Status(s)]})
	}
	return out
}

// causeCounts lists the reset causes seen, most frequent first, with what
// each means.
func causeCounts(n map[analysis.CauseID]int) []htmlCause {
	var out []htmlCause
	for id, k := range n {
		c := htmlCause{Cause: string(id), N: k}
		if cause := analysis.CauseByID(id); cause != nil {
			c.Explanation = cause.Explanation
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Cause < out[j].Cause
	})
	return out
}

func htmlFindingOf(f analysis.Finding) htmlFinding {
	hf := htmlFinding{Severity: string(f.Severity), Rule: f.Rule, Cookie: f.Cookie, Step: f.Step, Count: f.Count,
		Message: f.Message, Evidence: f.Evidence, URL: f.URL, Remediation: f.Remediation}
	if r := analysis.RuleByID(f.Rule); r != nil {
		hf.Title = r.Title
	}
	return hf
}

// stepPlace is where a step is written: "file:line:col", or "" when the
// recording does not say (a HAR import).
func stepPlace(file string, s *recording.Step) string {
	if s.Line == 0 {
		return ""
	}
	p := fmt.Sprintf("%s:%d", file, s.Line)
	if file == "" {
		p = fmt.Sprintf("line %d", s.Line)
	}
	if s.Column > 0 {
		p += fmt.Sprintf(":%d", s.Column)
	}
	return p
}

// authOf is the logged-in lane of a scenario, by step.
func authOf(lanes []analysis.AuthReport, scenario string) map[int]analysis.StepAuth {
	out := map[int]analysis.StepAuth{}
	for _, l := range lanes {
		if l.Scenario == scenario {
			for _, st := range l.Steps {
				out[st.Step] = st
			}
		}
	}
	return out
}

func htmlSteps(r *recording.Recording, auth map[int]analysis.StepAuth) []htmlStep {
	var out []htmlStep
	for i := range r.Steps {
		s := &r.Steps[i]
		what := s.Detail
		if what == "" {
			what = string(s.Kind)
		}
		if s.Name != "" && !strings.Contains(what, s.Name) {
			what = s.Name + ": " + what
		}
		if s.As != "" {
			what += " (as " + string(s.As) + ")"
		}
		hs := htmlStep{Index: s.Index, What: what, Status: string(s.Status), Error: s.Error, URL: s.URL}
		if s.Status == recording.StatusFailed {
			hs.Where = stepPlace(r.Scenario.File, s)
		}
		if a, ok := auth[s.Index]; ok {
			hs.Auth, hs.Evidence, hs.Checked = string(a.State), a.Evidence, a.Checked
			hs.AuthClass = authClass(a.State)
		}
		out = append(out, hs)
	}
	return out
}

func htmlSessionOf(s analysis.SessionReport) htmlSession {
	hs := htmlSession{Cookie: s.Cookie, Scope: s.Domain + s.Path, Detection: s.Detection, ClientSide: s.ClientSide}
	if s.Partition != "" {
		hs.Scope += " (partitioned: " + s.Partition + ")"
	}
	hs.lifecycle(s.IDs, s.Resets)
	for _, g := range s.Continuity {
		hs.Gaps = append(hs.Gaps, htmlGap{Step: g.Step, Reason: string(g.Reason), URL: g.URL, Detail: g.Detail})
	}
	return hs
}

// htmlTokenOf shows a session token kept in Web Storage as a session:
// its key names it, its storage is its scope.
func htmlTokenOf(t analysis.TokenReport) htmlSession {
	hs := htmlSession{Cookie: t.Label(), Scope: t.Scope(), Detection: t.Kind + " token in Web Storage"}
	hs.lifecycle(t.IDs, t.Resets)
	return hs
}

// lifecycle adds the IDs and the resets of a session or a token.
func (hs *htmlSession) lifecycle(ids []analysis.ID, resets []analysis.Reset) {
	for _, id := range ids {
		steps := fmt.Sprint(id.FirstStep)
		if id.LastStep != id.FirstStep {
			steps += "–" + fmt.Sprint(id.LastStep)
		}
		issued := string(id.IssuedBy)
		if id.Node != "" {
			issued += ", node " + id.Node
		}
		hs.IDs = append(hs.IDs, htmlID{FP: (recording.Value{Fingerprint: id.Fingerprint}).Short(), Len: id.Len, Bits: fmt.Sprintf("%.0f", id.Bits),
			Steps: steps, Issued: issued, Sent: len(id.Sent), Withheld: len(id.Withheld), Ended: string(id.Ended), Note: id.Note})
	}
	for _, r := range resets {
		hs.Resets = append(hs.Resets, htmlReset{Step: r.Step, Cause: string(r.Cause), Basis: basisText(r), Summary: r.Summary,
			Detail: r.Detail, Evidence: evidenceText(r.Evidence)})
	}
}

// basisText says what a reset rests on.
func basisText(r analysis.Reset) string {
	if r.Basis == analysis.BasisObserved {
		if r.ObservedStep != nil && *r.ObservedStep != r.Step {
			return fmt.Sprintf("observed: the page of step %d showed the user logged out", *r.ObservedStep)
		}
		return "observed: a page showed the user logged out"
	}
	return "inferred from the cookies"
}

// evidenceText is a reset's evidence as "key=value; ...", keys sorted.
func evidenceText(ev map[string]string) string {
	keys := make([]string, 0, len(ev))
	for k := range ev {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + ev[k]
	}
	return strings.Join(parts, "; ")
}

// The classes of badges: fixed names, whatever a value says.
func sevClass(s string) string {
	switch analysis.Severity(s) {
	case analysis.Critical, analysis.High, analysis.Medium, analysis.Low:
		return "sev-" + s
	}
	return "sev-info"
}

func statusClass(s recording.Status) string {
	switch s {
	case recording.StatusPassed, recording.StatusFailed, recording.StatusErrored, recording.StatusInterrupted:
		return "st-" + string(s)
	}
	return "st-other"
}

func authClass(s recording.LoginState) string {
	switch s {
	case recording.AuthIn, recording.AuthOut:
		return "auth-" + string(s)
	}
	return "auth-unknown"
}

// scrubStrings passes every string reachable from v (through pointers,
// structs and slices) through scrub: no field of the document can miss
// it.
func scrubStrings(v reflect.Value, scrub func(string) string) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			scrubStrings(v.Elem(), scrub)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			scrubStrings(v.Field(i), scrub)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			scrubStrings(v.Index(i), scrub)
		}
	case reflect.String:
		v.SetString(scrub(v.String()))
	}
}
