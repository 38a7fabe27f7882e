package analysis

import (
	"fmt"
	"strings"

	"github.com/sessiontrace/sessiontrace/recording"
)

// The logged-in state decides what a lost cookie means. A reset is what
// the user lives through: logged in, then logged out without a logout
// step, whether or not a cookie changed. The cookie trail says why.

// authLane computes the logged-in state after each step: the state the
// recording holds (steps[].auth), else what its responses and pages show
// (recording.InferAuth), carried over the steps that were not checked.
func (a *analyzer) authLane() {
	states := recording.InferAuth(a.r)
	byIdx := make(map[int]*recording.AuthState, len(states))
	for i, s := range states {
		if _, dup := byIdx[a.r.Steps[i].Index]; s != nil && !dup {
			byIdx[a.r.Steps[i].Index] = s
		}
	}
	prev := StepAuth{State: recording.AuthUnknown}
	last := -1
	for _, st := range a.steps { // sorted by index: a repeated index is the one before
		if n := len(a.auth); n > 0 && a.auth[n-1].Step == st.Index {
			continue
		}
		e := StepAuth{Step: st.Index, State: prev.State}
		if s := byIdx[st.Index]; s != nil {
			e.State, e.Evidence, e.Source, e.Checked, e.Target = s.State, s.Evidence, s.Source, true, st.Target
		} else if last >= 0 {
			e.Evidence = fmt.Sprintf("not checked: as after step %d", last)
		} else {
			e.Evidence = "not checked"
		}
		if e.Checked {
			last = st.Index
		}
		a.auth = append(a.auth, e)
		prev = e
	}
}

// knownBefore returns the last checked state, in or out, of a step before
// step s.
func (a *analyzer) knownBefore(s int) (StepAuth, bool) {
	for i := len(a.auth) - 1; i >= 0; i-- {
		e := a.auth[i]
		if e.Step < s && e.Checked && e.State != recording.AuthUnknown {
			return e, true
		}
	}
	return StepAuth{}, false
}

// knownFrom returns the first checked state, in or out, of step s or a
// later one.
func (a *analyzer) knownFrom(s int) (StepAuth, bool) {
	for _, e := range a.auth {
		if e.Step >= s && e.Checked && e.State != recording.AuthUnknown {
			return e, true
		}
	}
	return StepAuth{}, false
}

// stepMarked reports whether a step in from..to (inclusive) is marked
// as: mark.
func (a *analyzer) stepMarked(from, to int, mark recording.Boundary) bool {
	for _, st := range a.steps {
		if st.Index >= from && st.Index <= to && st.As == mark {
			return true
		}
	}
	return false
}

// serverCause reports whether a cause means the server answered an ID it
// received with a new one.
func serverCause(c CauseID) bool {
	return c == CauseNodeSwitch || c == CauseIdleTimeout || c == CauseServerDropped
}

// reconcile decides, for each candidate reset the cookies show, whether the
// user lost anything, and reports the resets that stand; then it reports
// the losses the user saw that no cookie event explains.
func (a *analyzer) reconcile() {
	for _, t := range a.tracks {
		t.clientSide = a.clientSide(t)
	}
	explained := map[int]bool{} // steps where a reported reset explains the logged-out page
	for _, t := range a.tracks {
		for _, c := range t.cands {
			a.judge(t, c, explained)
		}
		t.cands = nil
	}
	a.unexplainedLosses(explained)
}

// judge reports a candidate reset, or lets it go when the user kept the
// session: logged in before and after it, or a new value at a login step
// that logged the user in, or a new value of a cookie whose format changes
// without a new session (signed, timestamped, encrypted) when no page
// showed the user logged out after it.
func (a *analyzer) judge(t *track, c *cand, explained map[int]bool) {
	s := c.r.Step
	prev, hasPrev := a.knownBefore(s)
	next, hasNext := a.knownFrom(s)
	inBefore := hasPrev && prev.State == recording.AuthIn
	replaced := c.id != nil && c.id.out.Ended == EndReplaced && serverCause(c.r.Cause)
	switch {
	case inBefore && hasNext && next.State == recording.AuthIn && next.Source != recording.AuthByStep && !a.stepMarked(s+1, next.Step, recording.BoundaryLogin):
		a.reissue(t, c, fmt.Sprintf("the user stayed logged in (step %d: %s; step %d: %s)", prev.Step, prev.Evidence, next.Step, next.Evidence))
		return
	case replaced && a.expectsRotation(s) && hasNext && next.Step == s && next.State == recording.AuthIn && next.Source != recording.AuthByStep:
		a.reissue(t, c, fmt.Sprintf("the login step ended logged in (%s)", next.Evidence))
		return
	case replaced && recording.VolatileFormat(c.id.value.Format) &&
		!(hasNext && next.State == recording.AuthOut && !a.stepMarked(s, next.Step, recording.BoundaryLogout)):
		a.reissue(t, c, fmt.Sprintf("its value is a %s, which changes without a new session, and no page showed the user logged out after it (inferred)", formatName(c.id.value.Format)))
		return
	}
	r := c.r
	r.Basis = BasisInferred
	if inBefore && hasNext && next.State == recording.AuthOut && !a.stepMarked(prev.Step+1, next.Step, recording.BoundaryLogout) {
		r.Basis = BasisObserved
		o := next.Step
		r.ObservedStep = &o
		explained[o] = true
	}
	a.report(t, r)
}

// reissue records that a candidate was no loss: an ID the server replaced
// while the user kept the session ended reissued, not replaced.
func (a *analyzer) reissue(t *track, c *cand, why string) {
	if c.id != nil && c.id.out.Ended == EndReplaced {
		c.id.out.Ended = EndReissued
		c.id.out.Note = "replaced by a new value, but not a new session: " + why
	}
}

// unexplainedLosses reports a reset for every step where the page showed
// the user logged out after having been logged in, with no logout step in
// between and no reported reset to explain it: the session ID was withheld,
// or sent and ignored, and no cookie changed.
func (a *analyzer) unexplainedLosses(explained map[int]bool) {
	var last *StepAuth
	for i := range a.auth {
		e := &a.auth[i]
		if !e.Checked || e.State == recording.AuthUnknown {
			continue
		}
		if e.State == recording.AuthOut && last != nil && last.State == recording.AuthIn &&
			!explained[e.Step] && !a.stepMarked(last.Step+1, e.Step, recording.BoundaryLogout) {
			a.lostAt(last.Step, e)
		}
		last = e
	}
}

// lostAt finds why the user, logged in after step from, was logged out at
// step to.Step: the first request of those steps that did not present the
// session ID, else a session token in Web Storage that was lost (see
// tokenLost), else the first request that presented the ID and got a
// logged-out answer.
func (a *analyzer) lostAt(from int, to *StepAuth) {
	t, id := a.trackHeldAt(from, to.Step)
	if t == nil {
		a.tokenLost(from, to) // no session cookie was held
		return
	}
	o := to.Step
	var sentDoc *recording.Request
	for i, q := range a.reqs {
		if q.Step <= from || q.Step > o || !continuityRequest(q) || !domainMatches(t.key.domain, a.reqInfo[i].host) {
			continue
		}
		if reasons, ok := id.withheldFrom(q.ID); ok {
			if sent, _ := sentOn(q, t.key.name); sent {
				continue
			}
			r := a.withheldLoss(t, id, q, reasons)
			r.ObservedStep = &o
			a.report(t, r)
			return
		}
		if sentDoc == nil && id.sentOn(q.ID) && strings.EqualFold(q.ResourceType, "Document") && (loggedOutResponse(q) || q.Step == o) {
			sentDoc = q
		}
	}
	if a.tokenLost(from, to) || sentDoc == nil {
		return
	}
	r := a.ignoredLoss(t, id, sentDoc)
	r.ObservedStep = &o
	a.report(t, r)
}

// trackHeldAt returns the session identity that held an ID after step
// from and that applies to the page of step to, with that ID.
func (a *analyzer) trackHeldAt(from, to int) (*track, *idState) {
	host := ""
	if st := a.step(to); st != nil {
		host = hostOf(st.URL)
	}
	var fallback *track
	for _, t := range a.tracks {
		id := t.atEnd[from]
		if id == nil {
			continue
		}
		if host == "" || domainMatches(t.key.domain, host) {
			return t, id
		}
		if fallback == nil {
			fallback = t
		}
	}
	if fallback != nil {
		return fallback, fallback.atEnd[from]
	}
	return nil, nil
}

// withheldLoss is the reset of an ID the browser did not send on q, after
// which the user was logged out with no new ID.
func (a *analyzer) withheldLoss(t *track, id *idState, q *recording.Request, reasons []string) Reset {
	cause := causeOfReasons(reasons)
	ev := map[string]string{"withheld": strings.Join(reasons, ","), "request": q.Method + " " + q.URL, "newCookie": "none"}
	via := a.howReached(q)
	if via != "" {
		ev["link"] = via
	}
	then := "answered as to an anonymous user"
	if cause == CauseSecureOverHTTP {
		then += " (it set no new cookie)"
	}
	detail := withheldDetail(t, q, cause, reasons, via, then)
	return Reset{Step: q.Step, Request: q.ID, URL: q.URL, Cause: cause, Detail: detail + ".", Fingerprint: id.value.Fingerprint,
		Evidence: ev, Basis: BasisObserved}
}

// ignoredLoss is the reset of an ID the browser sent on q that the server
// answered as if it did not know it, with no new ID.
func (a *analyzer) ignoredLoss(t *track, id *idState, q *recording.Request) Reset {
	name := t.key.name
	ev := map[string]string{"request": q.Method + " " + q.URL, "sent": short(id.value.Fingerprint), "status": fmt.Sprint(q.Status)}
	if q.Location != "" {
		ev["location"] = q.Location
	}
	r := Reset{Step: q.Step, Request: q.ID, URL: q.URL, Fingerprint: id.value.Fingerprint, Evidence: ev, Basis: BasisObserved}
	mark, ok := id.prevUse[q.ID]
	if !ok {
		mark = useMark{id.lastUse, id.lastUseStep}
	}
	switch idle, wait, isIdle := a.idleGap(mark, q); {
	case id.node != "" && q.Node != "" && id.node != q.Node:
		ev["issuedBy"], ev["servedBy"] = id.node, q.Node
		r.Cause = CauseNodeSwitch
		r.Detail = fmt.Sprintf("%s was issued by node %s but %s %s was served by node %s, which did not know it and answered as to an anonymous user: sessions are not shared between the nodes.",
			name, id.node, q.Method, q.URL, q.Node)
	case isIdle:
		ev["idle"] = fmtDuration(idle)
		if wait != "" {
			ev["wait"] = wait
		}
		r.Cause = CauseIdleTimeout
		r.Detail = fmt.Sprintf("The browser sent %s after %s of inactivity%s and the server answered as to an anonymous user: its server-side session had idled out.",
			name, fmtDuration(idle), paren(wait))
	default:
		r.Cause = CauseServerDropped
		r.Detail = fmt.Sprintf("The browser sent %s on %s %s and the server answered as to an anonymous user (%d%s), without a new ID: it no longer knew the session (lost, restarted or discarded it).",
			name, q.Method, q.URL, q.Status, locSuffix(q))
	}
	return r
}

// summary says a reset in one plain sentence for a bug report: when the
// user was logged out (or, inferred, when the cookie was lost) and why.
func (a *analyzer) summary(t *track, r *Reset) string {
	name := t.key.name
	var lead string
	if r.Basis == BasisObserved && r.ObservedStep != nil {
		lead = fmt.Sprintf("At step %d the user was logged out: ", *r.ObservedStep)
	} else {
		lead = fmt.Sprintf("At step %d the session cookie %s was lost (inferred from the cookies): ", r.Step, name)
	}
	ev := r.Evidence
	var why string
	switch r.Cause {
	case CauseSecureOverHTTP:
		why = fmt.Sprintf("the browser did not send %s to %s because the cookie is Secure and the request was plain http", name, r.URL)
		if l := ev["link"]; l != "" {
			why += " (" + l + ")"
		}
	case CauseSameSite:
		why = fmt.Sprintf("the browser did not send %s to %s because of its SameSite setting (%s): the request came from another site", name, r.URL, ev["withheld"])
	case CauseScopeMismatch:
		why = fmt.Sprintf("%s (%s%s) does not apply to %s, so the browser did not send it", name, t.key.domain, t.key.path, r.URL)
	case CauseSetRejected:
		why = fmt.Sprintf("the browser refused the Set-Cookie for %s (%s)", name, ev["rejected"])
	case CauseNodeSwitch:
		why = fmt.Sprintf("%s was served by another node (%s) that did not know the session issued by %s", r.URL, ev["servedBy"], ev["issuedBy"])
	case CauseIdleTimeout:
		why = fmt.Sprintf("the server had forgotten the session after %s of inactivity", ev["idle"])
	case CauseServerDropped:
		why = fmt.Sprintf("the browser sent %s to %s, but the server no longer knew the session", name, r.URL)
	case CauseServerEnded:
		why = fmt.Sprintf("the server deleted %s at step %d, though the user did not log out", name, r.Step)
	case CauseExpired:
		why = fmt.Sprintf("%s expired in the browser", name)
		if m := ev["maxAge"]; m != "" {
			why += " (Max-Age=" + m + ")"
		}
	case CauseBrowserRestart:
		why = fmt.Sprintf("the browser restart at step %d dropped the session cookie %s", r.Step, name)
	default:
		why = fmt.Sprintf("%s was removed on the client at step %d", name, r.Step)
	}
	return lead + why + "."
}

// authReport is the scenario's logged-in lane.
func (a *analyzer) authReport() AuthReport {
	ar := AuthReport{Scenario: a.scenario, Steps: make([]StepAuth, len(a.auth))}
	copy(ar.Steps, a.auth)
	return ar
}
