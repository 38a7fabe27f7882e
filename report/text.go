package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/words"
	"github.com/sessiontrace/sessiontrace/recording"
)

// Text prints the findings grouped by scenario, worst scenario first, then
// each scenario's session summary and logged-in state, and a line of
// totals; in colour when asked. Its errors of writing are not reported.
var Text Format = &format{"text", writeText}

func writeText(w io.Writer, in *Input) error {
	recs, rep, color, threshold := in.Recordings, in.Report, in.Color, in.Threshold
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	byScenario := map[string][]analysis.Finding{}
	worst := map[string]analysis.Severity{}
	var order []string
	for _, l := range recs {
		if _, ok := worst[l.Recording.Scenario.Name]; !ok {
			order = append(order, l.Recording.Scenario.Name)
			worst[l.Recording.Scenario.Name] = ""
		}
	}
	for _, f := range rep.Findings {
		byScenario[f.Scenario] = append(byScenario[f.Scenario], f)
		if f.Severity.AtLeast(worst[f.Scenario]) {
			worst[f.Scenario] = f.Severity
		}
	}
	sortScenarios(order, worst)
	sessions := map[string][]analysis.SessionReport{}
	for _, s := range rep.Sessions {
		sessions[s.Scenario] = append(sessions[s.Scenario], s)
	}
	tokens := map[string][]analysis.TokenReport{}
	for _, t := range rep.Tokens {
		tokens[t.Scenario] = append(tokens[t.Scenario], t)
	}
	failures := map[string]*failure{}
	for _, l := range recs {
		if f := failureOf(l); f != nil {
			failures[l.Recording.Scenario.Name] = f
		}
	}
	for _, name := range order {
		fmt.Fprintln(w, paint("1", TermText(name)))
		if f := failures[name]; f != nil {
			fmt.Fprintf(w, "  %s: %s\n", paint("31", strings.ToUpper(string(f.status))), TermText(f.msg))
			if len(f.evidence) > 0 {
				fmt.Fprintf(w, "    the page at that step: %s\n", TermText(strings.Join(f.evidence, ", ")))
			}
		}
		for _, f := range byScenario[name] {
			textFinding(w, f, paint)
		}
		for _, s := range sessions[name] {
			textSession(w, s.Cookie, s.Detection, s.IDs, s.Resets, paint)
			if s.ClientSide != "" {
				fmt.Fprintf(w, "    client-side session: %s\n", TermText(s.ClientSide))
			}
		}
		for _, t := range tokens[name] {
			textSession(w, t.Label(), t.Kind+" token in "+t.Scope(), t.IDs, t.Resets, paint)
		}
		if lane := authChanges(rep.Auth, name); lane != "" {
			fmt.Fprintf(w, "  logged in: %s\n", TermText(lane))
		}
		if len(byScenario[name]) == 0 && len(sessions[name])+len(tokens[name]) == 0 && failures[name] == nil {
			fmt.Fprintln(w, "  no findings, no session cookie")
		}
		fmt.Fprintln(w)
	}
	counts := map[analysis.Severity]int{}
	for _, f := range rep.Findings {
		counts[f.Severity]++
	}
	var parts []string
	for _, s := range analysis.Severities {
		parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
	}
	resets := len(rep.Resets())
	fmt.Fprintf(w, "findings in %s: %d (%s); %s\n", words.Count(len(order), "scenario", "scenarios"), len(rep.Findings), strings.Join(parts, ", "),
		words.Count(resets, "session reset", "session resets"))
	if threshold != "" {
		fmt.Fprintf(w, "%s at or above %s\n", words.Count(rep.CountAtLeast(threshold), "finding", "findings"), threshold)
	}
	return nil
}

// sevColor is the colour of each severity (SGR parameters).
var sevColor = map[analysis.Severity]string{analysis.Critical: "1;31", analysis.High: "31", analysis.Medium: "33", analysis.Low: "36", analysis.Info: "2"}

// textFinding prints one finding; paint colours text (or leaves it).
func textFinding(w io.Writer, f analysis.Finding, paint func(code, s string) string) {
	sev := fmt.Sprintf("%-8s", strings.ToUpper(string(f.Severity)))
	fmt.Fprintf(w, "  %s %s  step %d", paint(sevColor[f.Severity], sev), f.Rule, f.Step)
	if f.Cookie != "" {
		fmt.Fprintf(w, "  cookie %s", TermText(f.Cookie))
	}
	if f.StorageKey != "" {
		fmt.Fprintf(w, "  %s %s", f.StorageArea, TermText(f.StorageKey))
	}
	if f.Count > 1 {
		fmt.Fprintf(w, "  (x%d)", f.Count)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "           %s\n", TermText(f.Message))
	if f.Evidence != "" {
		fmt.Fprintf(w, "           %s\n", paint("2", "evidence: "+TermText(f.Evidence)))
	}
}

// textSession prints one session's summary and its resets: a cookie's,
// or a token's in Web Storage.
func textSession(w io.Writer, name, detection string, ids []analysis.ID, resets []analysis.Reset, paint func(code, s string) string) {
	fmt.Fprintf(w, "  session %s (%s): %s", TermText(name), TermText(detection), words.Count(len(ids), "ID", "IDs"))
	var ends []string
	for _, id := range ids {
		ends = append(ends, string(id.Ended))
	}
	if len(ends) > 0 {
		fmt.Fprintf(w, " ended %s", strings.Join(ends, ", "))
	}
	fmt.Fprintln(w)
	for _, r := range resets {
		fmt.Fprintf(w, "    %s step %d: %s (%s): %s\n", paint("33", "reset"), r.Step, TermText(string(r.Cause)), r.Basis, TermText(r.Summary))
		fmt.Fprintf(w, "      %s\n", paint("2", TermText(r.Detail)))
	}
}

// authChanges tells a scenario's logged-in state where it changed, from
// the steps where it was checked: "step 3 in, step 5 out, step 7 in".
func authChanges(lanes []analysis.AuthReport, scenario string) string {
	var parts []string
	for _, l := range lanes {
		if l.Scenario != scenario {
			continue
		}
		var last recording.LoginState
		for _, st := range l.Steps {
			if !st.Checked || st.State == last || st.State == recording.AuthUnknown {
				continue
			}
			part := fmt.Sprintf("step %d %s", st.Step, st.State)
			if st.Target != "" {
				part += " (in " + st.Target + ")"
			}
			parts = append(parts, part)
			last = st.State
		}
	}
	return strings.Join(parts, ", ")
}

// sortScenarios orders scenario names worst first, keeping the input order
// among equals.
func sortScenarios(order []string, worst map[string]analysis.Severity) {
	for i := 1; i < len(order); i++ {
		for j := i; j > 0; j-- {
			a, b := worst[order[j]], worst[order[j-1]]
			if a != b && a.AtLeast(b) {
				order[j], order[j-1] = order[j-1], order[j]
				continue
			}
			break
		}
	}
}
