package rundiff

import (
	"fmt"
	"sort"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// A SessionChange is a change in how a session cookie behaved.
type SessionChange struct {
	Cookie string `json:"cookie"`
	// Behaviour is one of the Behaviour constants.
	Behaviour string `json:"behaviour"`
	// Step is the login, privilege or logout step; absent for resets and
	// session ID.
	Step *int `json:"step,omitempty"`
	// Cause is the reset cause (analysis.Causes) for resets.
	Cause analysis.CauseID `json:"cause,omitempty"`
	Delta
}

// Session behaviours and their values.
const (
	// RotationAtLogin (and RotationAtPrivilege) is whether the ID held
	// before the step was replaced: yes, no, or no ID before.
	RotationAtLogin     = "rotation at login"
	RotationAtPrivilege = "rotation at privilege step"
	// InvalidatedAtLogout is whether the ID held before the logout step
	// ended: yes; browser only (it left the browser, but the logout probe
	// was still logged in with it; only when both runs probed); no; or no
	// ID before.
	InvalidatedAtLogout = "invalidated at logout"
	// Resets is the number of unexpected resets of one cause.
	Resets = "resets"
	// SessionID is whether the analysis takes the cookie for a session ID
	// (yes or no), when the cookie is in both runs.
	SessionID = "session ID"

	Yes         = "yes"
	No          = "no"
	NoIDBefore  = "no ID before"
	BrowserOnly = "browser only"
)

func (s SessionChange) what() string {
	switch {
	case s.Cause != "":
		return s.Behaviour + " (" + string(s.Cause) + ")"
	case s.Step != nil:
		return fmt.Sprintf("%s (step %d)", s.Behaviour, *s.Step)
	}
	return s.Behaviour
}

// compareSessions compares the behaviour of each session cookie the two
// runs share, over the steps both ran. It returns notes on what could not
// be compared.
func compareSessions(a, b *side, ids *cookieIDs, steps stepRange) ([]SessionChange, []string) {
	out := []SessionChange{}
	var notes []string
	probeA, probeB := probeState(a.rec), probeState(b.rec)
	useProbe := probeA != "" && probeB != ""
	if firstLogout := firstStepAs(a.rec, recording.BoundaryLogout); firstLogout >= 0 && steps.both(firstLogout) && (probeA == "") != (probeB == "") {
		in := "A"
		if probeB != "" {
			in = "B"
		}
		notes = append(notes, "the logout probe ran (with a result) only in "+in+": whether the server ended the session at logout is not compared")
	}
	inB := map[string]*analysis.SessionReport{}
	for i := range b.sessions {
		s := &b.sessions[i]
		inB[ids.canon(false, s.Cookie, s.Domain, s.Path)] = s
	}
	profileKeys := func(inA bool, ps []*profile) map[string]bool {
		keys := map[string]bool{}
		for _, p := range ps {
			keys[ids.canon(inA, p.Name, p.Domain, p.Path)] = true
		}
		return keys
	}
	cookiesA, cookiesB := profileKeys(true, ids.a), profileKeys(false, ids.b)
	seen := map[string]bool{}
	for i := range a.sessions {
		sa := &a.sessions[i]
		k := ids.canon(true, sa.Cookie, sa.Domain, sa.Path)
		seen[k] = true
		sb := inB[k]
		if sb == nil {
			if cookiesB[k] {
				out = append(out, SessionChange{Cookie: sa.Cookie, Behaviour: SessionID, Delta: Delta{From: Yes, To: No}})
			}
			continue
		}
		out = append(out, compareSession(a.rec, b.rec, sa, sb, steps, useProbe, probeA, probeB)...)
	}
	for i := range b.sessions {
		sb := &b.sessions[i]
		if k := ids.canon(false, sb.Cookie, sb.Domain, sb.Path); !seen[k] && cookiesA[k] {
			out = append(out, SessionChange{Cookie: sb.Cookie, Behaviour: SessionID, Delta: Delta{From: No, To: Yes}})
		}
	}
	return out, notes
}

func compareSession(ra, rb *recording.Recording, sa, sb *analysis.SessionReport, steps stepRange, useProbe bool, probeA, probeB string) []SessionChange {
	var out []SessionChange
	add := func(behaviour string, step int, from, to string, rank func(string) int) {
		if from == to {
			return
		}
		s := step
		out = append(out, SessionChange{Cookie: sb.Cookie, Behaviour: behaviour, Step: &s,
			Delta: Delta{From: from, To: to, Regression: rank(to) < rank(from), Improvement: rank(to) > rank(from)}})
	}
	firstLogout := firstStepAs(ra, recording.BoundaryLogout)
	// The steps of A decide which are boundaries; they ran in B too.
	for _, st := range ra.Steps {
		if !steps.both(st.Index) {
			continue
		}
		switch st.As {
		case recording.BoundaryLogin, recording.BoundaryPrivilege:
			b := RotationAtLogin
			if st.As == recording.BoundaryPrivilege {
				b = RotationAtPrivilege
			}
			add(b, st.Index, rotation(sa.IDs, st.Index), rotation(sb.IDs, st.Index), rotationRank)
		case recording.BoundaryLogout:
			pa, pb := "", ""
			if useProbe && st.Index == firstLogout {
				pa, pb = probeA, probeB
			}
			add(InvalidatedAtLogout, st.Index, logout(sa.IDs, st.Index, pa), logout(sb.IDs, st.Index, pb), logoutRank)
		}
	}
	ca, cb := resetCauses(sa, steps), resetCauses(sb, steps)
	var causes []analysis.CauseID
	for c := range ca {
		causes = append(causes, c)
	}
	for c := range cb {
		if _, ok := ca[c]; !ok {
			causes = append(causes, c)
		}
	}
	sort.Slice(causes, func(i, j int) bool { return causes[i] < causes[j] })
	for _, c := range causes {
		if x, y := ca[c], cb[c]; x != y {
			out = append(out, SessionChange{Cookie: sb.Cookie, Behaviour: Resets, Cause: c,
				Delta: Delta{From: itoa(x), To: itoa(y), Regression: y > x, Improvement: y < x}})
		}
	}
	return out
}

// rotation says whether the ID held before step s ended at it.
func rotation(ids []analysis.ID, s int) string {
	switch h, kept := analysis.HeldAcross(ids, s); {
	case h == nil:
		return NoIDBefore
	case !kept:
		return Yes
	}
	return No
}

func rotationRank(v string) int {
	if v == No {
		return 0
	}
	return 1
}

// logout says whether the ID held before logout step s ended; probe is
// the replay probe's verdict when both runs have one.
func logout(ids []analysis.ID, s int, probe string) string {
	switch h, kept := analysis.HeldAcross(ids, s); {
	case h == nil:
		return NoIDBefore
	case kept:
		return No
	case probe == "accepted":
		return BrowserOnly
	}
	return Yes
}

func logoutRank(v string) int {
	switch v {
	case No:
		return 0
	case BrowserOnly:
		return 1
	}
	return 2
}

// probeState is the logout replay probe's verdict: "accepted" (still
// logged in with the old cookies), "refused", or "" (no probe, or it
// failed).
func probeState(r *recording.Recording) string {
	switch p := r.Probe; {
	case p == nil || p.Error != "":
		return ""
	case p.LoggedIn:
		return "accepted"
	}
	return "refused"
}

func firstStepAs(r *recording.Recording, as recording.Boundary) int {
	for _, st := range r.Steps {
		if st.As == as {
			return st.Index
		}
	}
	return -1
}

func resetCauses(s *analysis.SessionReport, steps stepRange) map[analysis.CauseID]int {
	m := map[analysis.CauseID]int{}
	for _, r := range s.Resets {
		if steps.both(r.Step) {
			m[r.Cause]++
		}
	}
	return m
}
