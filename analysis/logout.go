package analysis

import (
	"fmt"

	"github.com/sessiontrace/sessiontrace/recording"
)

// HeldAcross follows one session cookie's IDs (SessionReport.IDs) over
// step s: the ID held when the step began (nil: none) and whether the
// browser still held it when the step ended. It is the one reading of
// "the ID survived the step" that SESSION-LOGOUT-INCOMPLETE (kept across
// a logout step), diff's "rotation at login" and "invalidated at logout"
// and the policy clauses rotateAtLogin and dieAtLogout share.
func HeldAcross(ids []ID, s int) (held *ID, kept bool) {
	i, kept := heldAcross(ids, s)
	if i < 0 {
		return nil, false
	}
	return &ids[i], kept
}

// heldAcross is HeldAcross by index (-1: none held).
func heldAcross(ids []ID, s int) (int, bool) {
	held := -1
	for i := range ids {
		if ids[i].FirstStep < s && ids[i].LastStep >= s {
			held = i
		}
	}
	if held < 0 {
		return -1, false
	}
	// An ID that ended at step s has LastStep s (its end touched it); one
	// still held at the end of the journey may have LastStep s too.
	return held, ids[held].LastStep > s || ids[held].Ended == EndEndOfJourney
}

// leftover is a session ID that a logout step left with the browser.
type leftover struct {
	t    *track
	id   *idState
	kept bool               // still held when the step ended
	next *recording.Request // the first request of a later step that still carried it
}

// leftovers returns the session IDs that the logout step st left with the
// browser: held when it began and still held when it ended (the analysis'
// reading of the cookie events and the jar), or still sent by a later
// request (what the browser did, even where the events say the ID ended:
// a HAR whose deletion missed the cookie). Only identities that apply to
// a host the step reached (its requests, its page) count: logging out of
// an application does not log out of its identity provider.
func (a *analyzer) leftovers(st *recording.Step) []leftover {
	hosts := a.reached(st)
	applies := func(t *track) bool {
		if len(hosts) == 0 {
			return true
		}
		for h := range hosts {
			if h != "" && domainMatches(t.key.domain, h) {
				return true
			}
		}
		return false
	}
	var out []leftover
	for _, t := range a.tracks {
		ids := make([]ID, len(t.ids))
		for i, id := range t.ids {
			ids[i] = id.out
		}
		i, kept := heldAcross(ids, st.Index)
		if i < 0 || !applies(t) {
			continue
		}
		l := leftover{t: t, id: t.ids[i], kept: kept, next: a.sentAfter(t, t.ids[i].value, st.Index)}
		if l.kept || l.next != nil {
			out = append(out, l)
		}
	}
	return out
}

// reached returns the hosts the step st reached: its requests' and its
// page's. Logging out of an application does not log out of its
// identity provider: what the logout leaves is judged on these hosts.
func (a *analyzer) reached(st *recording.Step) map[string]bool {
	hosts := map[string]bool{}
	for _, q := range a.reqs {
		if q.Step == st.Index {
			hosts[hostOf(q.URL)] = true
		}
	}
	if h := hostOf(st.URL); h != "" {
		hosts[h] = true
	}
	return hosts
}

// sentAfter returns the first request of a step after s that sent the
// track's cookie with the value v.
func (a *analyzer) sentAfter(t *track, v recording.Value, s int) *recording.Request {
	for _, q := range a.reqs {
		if q.Step <= s {
			continue
		}
		if sends(q, t, v) {
			return q
		}
	}
	return nil
}

// sends reports whether q sent the track's cookie with the value v.
func sends(q *recording.Request, t *track, v recording.Value) bool {
	for _, c := range q.CookiesSent {
		if c.Name == t.key.name && c.Value.Same(v) && (c.Domain == "" || c.Domain == t.key.domain) && (c.Path == "" || c.Path == t.key.path) {
			return true
		}
	}
	return false
}

// endedBy returns a response to a request that carried the leftover ID
// after the logout and replaced or deleted it: the server no longer
// knew the session.
func (a *analyzer) endedBy(l leftover, s int) *recording.Request {
	for _, q := range a.reqs {
		if q.Step <= s || !sends(q, l.t, l.id.value) {
			continue
		}
		for _, sc := range q.SetCookies {
			if sc.Name == l.t.key.name && !sc.Rejected && (sc.Deletion || !sc.Value.Same(l.id.value)) {
				return q
			}
		}
	}
	return nil
}

// loggedInOn returns the logged-in state of step s when the scenario's
// own markers (or an expect step that checked one) showed the user logged
// in after it.
func (a *analyzer) loggedInOn(s int) (StepAuth, bool) {
	for _, e := range a.auth {
		if e.Step == s && e.Checked && e.State == recording.AuthIn && (e.Source == recording.AuthByMarker || e.Source == recording.AuthByExpect) {
			return e, true
		}
	}
	return StepAuth{}, false
}

// logoutProbe returns the logout replay probe's verdict on the logout
// step s (the probe follows the first one): accepted (the pre-logout
// cookies still logged in), refused, or neither when it did not run or
// failed.
func (a *analyzer) logoutProbe(s int) (p *recording.ProbeResult, accepted, refused bool) {
	p = a.r.Probe
	if p == nil || p.Error != "" {
		return nil, false, false
	}
	for _, st := range a.steps {
		if st.As == recording.BoundaryLogout {
			if st.Index != s {
				return nil, false, false
			}
			break
		}
	}
	return p, p.LoggedIn, !p.LoggedIn
}

// logoutIncomplete: after a logout step the browser still holds, or still
// sends, the session ID it held when the step began. When the logout
// probe proved more (the server still accepted the pre-logout cookies),
// SESSION-NOT-INVALIDATED reports it and says the browser kept the ID too.
func (a *analyzer) logoutIncomplete() {
	for _, st := range a.steps {
		if st.As != "logout" || st.Status != recording.StatusPassed {
			continue
		}
		p, accepted, refused := a.logoutProbe(st.Index)
		if accepted {
			continue // SESSION-NOT-INVALIDATED, with the leftover in its evidence
		}
		for _, l := range a.leftovers(st) {
			a.findings.add(a.leftoverFinding(st, l, p, refused), "")
		}
	}
}

func (a *analyzer) leftoverFinding(st *recording.Step, l leftover, p *recording.ProbeResult, refused bool) Finding {
	name, fp := l.t.key.name, short(l.id.value.Fingerprint)
	held := fmt.Sprintf("%s still held its pre-logout ID %s after the logout step %d (%s)", name, fp, st.Index, stepAction(st))
	ev := fmt.Sprintf("ID %s held before and after step %d", fp, st.Index)
	if !l.kept {
		held = fmt.Sprintf("The browser still sent %s's pre-logout ID %s after the logout step %d (%s)", name, fp, st.Index, stepAction(st))
		ev = fmt.Sprintf("ID %s held before step %d", fp, st.Index)
	}
	f := Finding{Rule: RuleSessionLogoutIncomplete, Severity: Medium, Step: st.Index, Cookie: name, Domain: l.t.key.domain, Path: l.t.key.path, URL: st.URL}
	if l.next != nil {
		ev += fmt.Sprintf("; still sent on %s %s (step %d)", l.next.Method, l.next.URL, l.next.Step)
		f.Request, f.URL = l.next.ID, l.next.URL
	} else {
		ev += "; no later request carried it"
	}
	if l.next != nil {
		if in, ok := a.loggedInOn(l.next.Step); ok {
			f.Severity = High
			f.Message = fmt.Sprintf("%s, and the page of step %d, loaded with it, showed the user logged in: the logout did not end the session (observed).",
				held, l.next.Step)
			f.Evidence = ev + "; step " + fmt.Sprint(l.next.Step) + ": " + in.Evidence
			return f
		}
	}
	if refused {
		f.Severity = Low
		f.Message = fmt.Sprintf("%s: the server ended the session (the logout replay probe was not logged in), but the logout left the dead ID in the browser.", held)
		f.Evidence = ev + fmt.Sprintf("; logout probe %s → %d, not logged in", p.URL, p.Status)
		return f
	}
	if q := a.endedBy(l, st.Index); q != nil {
		f.Severity = Low
		f.Message = fmt.Sprintf("%s: the server ended the session (its response to %s %s replaced or deleted the ID), but the logout left the dead ID in the browser.",
			held, q.Method, q.URL)
		f.Evidence = ev + fmt.Sprintf("; replaced or deleted by the response to %s %s (step %d)", q.Method, q.URL, q.Step)
		return f
	}
	f.Message = fmt.Sprintf("%s: the logout did not delete the session cookie, so whether the server ended the session is not known (declare session.probe to test it), and anyone with access to this browser continues the session if it did not.",
		held)
	f.Evidence = ev
	return f
}

// leftoverEvidence says, for SESSION-NOT-INVALIDATED, which IDs the
// logout step st also left with the browser.
func (a *analyzer) leftoverEvidence(st *recording.Step) string {
	ev := ""
	for _, l := range a.leftovers(st) {
		ev += fmt.Sprintf("; the browser also still held %s (ID %s) after the logout step: the logout did not delete it either (SESSION-LOGOUT-INCOMPLETE, not reported separately)",
			l.t.key.name, short(l.id.value.Fingerprint))
	}
	return ev
}
