package rundiff

import (
	"github.com/sessiontrace/sessiontrace/analysis"
)

// A FindingChange is a finding new in B, fixed (only in A), or one whose
// severity changed. Findings are matched by rule and cookie identity,
// never by message: messages name hosts, ports and IDs of their run. A
// finding on a Web Storage item is matched by its area and key.
type FindingChange struct {
	Rule   string `json:"rule"`
	Cookie string `json:"cookie,omitempty"`
	// Change is new, fixed or severity.
	Change string `json:"change"`
	// Step is where the finding was first seen: in A for a fixed finding,
	// else in B.
	Step int `json:"step"`
	// Message is the finding's message from the run that has it (B's when
	// both do).
	Message string `json:"message"`
	// From and To are the severities in A and B; "" where absent.
	Delta
}

// RegressionSeverity is the least severity at which a new finding is a
// regression (and a fixed one an improvement); new info findings are
// changes only.
const RegressionSeverity = analysis.Low

// compareFindings matches the findings of the two runs over the steps both
// ran. SESSION-RESET findings are left out: each is a reset, which the
// session changes report with its cause.
func compareFindings(fa, fb []analysis.Finding, ids *cookieIDs, compared func(int) bool) []FindingChange {
	type group struct{ a, b []analysis.Finding }
	groups := map[string]*group{}
	var order []string
	add := func(inA bool, f analysis.Finding) {
		if f.Rule == analysis.RuleSessionReset || !compared(f.Step) {
			return
		}
		k := f.Rule + "\x00"
		if f.Cookie != "" {
			k += ids.canon(inA, f.Cookie, f.Domain, f.Path)
		}
		// A Web Storage item by area and key: its origin names the
		// run's host and port.
		if f.StorageKey != "" {
			k += "\x00" + string(f.StorageArea) + "\x00" + f.StorageKey
		}
		g := groups[k]
		if g == nil {
			g = &group{}
			groups[k] = g
			order = append(order, k)
		}
		if inA {
			g.a = append(g.a, f)
		} else {
			g.b = append(g.b, f)
		}
	}
	for _, f := range fa {
		add(true, f)
	}
	for _, f := range fb {
		add(false, f)
	}
	out := []FindingChange{}
	for _, k := range order {
		g := groups[k]
		if len(g.a) > 0 && len(g.b) > 0 {
			wa, wb := worst(g.a), worst(g.b)
			if sa, sb := wa.Severity, wb.Severity; sa != sb {
				up := !sa.AtLeast(sb)
				out = append(out, FindingChange{Rule: wb.Rule, Cookie: wb.Cookie, Change: SeverityChanged, Step: wb.Step, Message: wb.Message,
					Delta: Delta{From: string(sa), To: string(sb), Regression: up && sb.AtLeast(RegressionSeverity), Improvement: !up && sa.AtLeast(RegressionSeverity)}})
			}
		}
		// The rule and cookie repeat only for rules that report several
		// places (links, URLs): count them.
		for _, f := range g.b[min(len(g.a), len(g.b)):] {
			out = append(out, FindingChange{Rule: f.Rule, Cookie: f.Cookie, Change: New, Step: f.Step, Message: f.Message,
				Delta: Delta{To: string(f.Severity), Regression: f.Severity.AtLeast(RegressionSeverity)}})
		}
		for _, f := range g.a[min(len(g.a), len(g.b)):] {
			out = append(out, FindingChange{Rule: f.Rule, Cookie: f.Cookie, Change: Fixed, Step: f.Step, Message: f.Message,
				Delta: Delta{From: string(f.Severity), Improvement: f.Severity.AtLeast(RegressionSeverity)}})
		}
	}
	return out
}

func worst(fs []analysis.Finding) analysis.Finding {
	w := fs[0]
	for _, f := range fs[1:] {
		if !w.Severity.AtLeast(f.Severity) {
			w = f
		}
	}
	return w
}
