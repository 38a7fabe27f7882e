package analysis

import (
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/recording"
)

// check validates what every report must satisfy: known rules, causes
// and severities.
func check(t testing.TB, rep *Report) {
	t.Helper()
	for _, f := range rep.Findings {
		if RuleByID(f.Rule) == nil {
			t.Errorf("finding with unknown rule %q", f.Rule)
		}
		if f.Severity.rank() == 0 {
			t.Errorf("%s: bad severity %q", f.Rule, f.Severity)
		}
		if f.Message == "" {
			t.Errorf("%s: empty message", f.Rule)
		}
	}
	for _, s := range rep.Sessions {
		for _, r := range s.Resets {
			if CauseByID(r.Cause) == nil {
				t.Errorf("reset with unknown cause %q", r.Cause)
			}
			if r.Detail == "" {
				t.Errorf("reset %s without detail", r.Cause)
			}
		}
		for _, id := range s.IDs {
			if id.Ended == "" {
				t.Errorf("%s: ID %s has no end", s.Cookie, id.Fingerprint)
			}
		}
	}
}

func analyze(t testing.TB, r *recording.Recording) *Report {
	t.Helper()
	rep := Analyze(r)
	check(t, rep)
	return rep
}

func causes(rep *Report) []CauseID {
	var out []CauseID
	for _, r := range rep.Resets() {
		out = append(out, r.Cause)
	}
	return out
}

func findings(rep *Report, rule string) []Finding {
	var out []Finding
	for _, f := range rep.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

func session(rep *Report, cookie string) *SessionReport {
	for i := range rep.Sessions {
		if rep.Sessions[i].Cookie == cookie {
			return &rep.Sessions[i]
		}
	}
	return nil
}

func endings(s *SessionReport) string {
	if s == nil {
		return "<no session>"
	}
	var e []string
	for _, id := range s.IDs {
		e = append(e, string(id.Ended))
	}
	return strings.Join(e, ",")
}

// lifecycle is the story of cookie's session in rep: the reset causes,
// then how each of its IDs ended ("idle-timeout | rotated,end-of-journey").
func lifecycle(rep *Report, cookie string) string {
	var cs []string
	for _, c := range causes(rep) {
		cs = append(cs, string(c))
	}
	return strings.Join(cs, ",") + " | " + endings(session(rep, cookie))
}

// linkPage is page facts with one link.
func linkPage(u, href, sel string) recording.PageFacts {
	return recording.PageFacts{URL: u, Links: []recording.Link{{Href: href, Selector: sel}}}
}
