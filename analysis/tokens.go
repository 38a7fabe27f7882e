package analysis

import (
	"strconv"

	"github.com/sessiontrace/sessiontrace/recording"
)

// The lifecycle of a session token kept in Web Storage, told as a session
// cookie's is: each value the item held (written by the page's script,
// sent as Authorization, refreshed, removed) is an ID, and a logout the
// cookies do not explain is looked for among the tokens: removed by the
// app, left behind in another tab's sessionStorage, dropped by a restart,
// or refused by the server.

// A tokenTrack is the lifecycle of the token in one field of one Web
// Storage slot (sessionStorage: per tab).
type tokenTrack struct {
	slot
	field  string
	kind   int
	ids    []*tokenID
	cur    *tokenID
	resets []Reset
}

// label names the token for messages: "an access token".
func (t *tokenTrack) label() string { return tokenLabels[t.kind] }

type tokenID struct {
	out     ID
	value   *recording.Value
	endStep int // the step it ended at; -1 while held
	ender   *recording.StorageEvent
}

// tokenTracks follows every item the Web Storage rules took for a session
// token (refresh tokens are not the session: they are left out) through
// the pages' writes, once per recording.
func (a *analyzer) tokenTracks() []*tokenTrack {
	if a.tokensDone {
		return a.tokens
	}
	a.tokensDone = true
	s := a.webStorage()
	if len(s.stored) == 0 {
		return nil
	}
	restarts := a.restartSteps()
	cur := -1
	// advance ends, at each restart step up to step to, what every track
	// held: a restart is a fresh browser context.
	advance := func(to int) {
		for _, r := range restarts {
			if r > cur && r <= to {
				for _, t := range a.tokens {
					t.end(r, EndRestart, "dropped by the restart step "+strconv.Itoa(r), nil)
				}
			}
		}
		cur = max(cur, to)
	}
	for i := range a.r.Storage {
		e := &a.r.Storage[i]
		advance(e.Step)
		k := slotOf(e)
		switch e.Kind {
		case recording.StorageSet:
			a.tokenSet(s, k, e)
		case recording.StorageRemoved, recording.StorageCleared:
			for _, t := range a.tokens {
				if t.area == k.area && t.origin == k.origin && t.target == k.target && (e.Kind == recording.StorageCleared || t.key == k.key) {
					a.tokenGone(t, e)
				}
			}
		}
	}
	advance(len(a.steps))
	a.tokenSends()
	for _, t := range a.tokens {
		if t.cur != nil {
			t.cur.out.Ended = EndEndOfJourney
		}
	}
	return a.tokens
}

// tokenSet follows a setItem of slot k: a new token value, the same one
// again, or the item written without its token.
func (a *analyzer) tokenSet(s *storageScan, k slot, e *recording.StorageEvent) {
	var st *storedToken
	for _, o := range s.stored {
		if !o.refresh && o.area == k.area && o.origin == k.origin && o.key == k.key {
			st = o
		}
	}
	if st == nil {
		return
	}
	var t *tokenTrack
	for _, o := range a.tokens {
		if o.slot == k {
			t = o
		}
	}
	var v *recording.Value
	for _, h := range s.hits(e.Key, e.Value, e.Fields) {
		if h.field == st.best.field && h.kind != kindRefresh {
			v = h.value
		}
	}
	switch {
	case v == nil && t != nil:
		a.tokenGone(t, e)
		return
	case v == nil:
		return
	case t == nil:
		t = &tokenTrack{slot: k, field: st.best.field, kind: st.best.kind}
		a.tokens = append(a.tokens, t)
	case t.cur != nil && t.cur.value.Same(*v):
		t.cur.out.LastStep = max(t.cur.out.LastStep, e.Step)
		return
	case t.cur != nil && a.expectsRotation(e.Step):
		t.end(e.Step, EndRotated, "", e)
	case t.cur != nil:
		t.end(e.Step, EndReissued, "refreshed: the page wrote a new value at step "+strconv.Itoa(e.Step), e)
	}
	id := &tokenID{value: v, endStep: -1, out: ID{Fingerprint: v.Fingerprint, Len: v.Len, Bits: v.Bits,
		FirstStep: e.Step, LastStep: e.Step, IssuedBy: recording.SourceScript, Sent: []string{}, Withheld: []WithheldRef{}}}
	t.ids = append(t.ids, id)
	t.cur = id
}

// tokenGone ends what t held, removed by e: at a logout step, as the
// logout; elsewhere, cleared by the page.
func (a *analyzer) tokenGone(t *tokenTrack, e *recording.StorageEvent) {
	if a.isLogout(e.Step) {
		t.end(e.Step, EndLogout, "", e)
		return
	}
	t.end(e.Step, EndCleared, "removed by the page's script: "+goneBy(e), e)
}

// goneBy says how e took a token away: "removeItem at step 3 by
// https://app.test/app.js:10:5".
func goneBy(e *recording.StorageEvent) string {
	s := "removeItem"
	switch e.Kind {
	case recording.StorageCleared:
		s = "clear"
	case recording.StorageSet:
		s = "a setItem without it"
	}
	s += " at step " + strconv.Itoa(e.Step)
	if e.Script != "" {
		s += " by " + e.Script
	}
	return s
}

func (t *tokenTrack) end(step int, how Ending, note string, e *recording.StorageEvent) {
	id := t.cur
	if id == nil {
		return
	}
	t.cur = nil
	id.out.Ended, id.out.Note, id.endStep, id.ender = how, note, step, e
	id.out.LastStep = max(id.out.LastStep, step)
}

// tokenSends lists, for each token value, the requests that sent it as
// their Authorization credentials.
func (a *analyzer) tokenSends() {
	for _, q := range a.reqs {
		c := q.Authorization
		if c == nil || c.Value.Len == 0 {
			continue
		}
		for _, t := range a.tokens {
			for _, id := range t.ids {
				if id.value.Same(c.Value) {
					id.out.Sent = append(id.out.Sent, q.ID)
					id.out.LastStep = max(id.out.LastStep, q.Step)
				}
			}
		}
	}
}

// heldAfter returns the value t held at the end of step s, or nil.
func (t *tokenTrack) heldAfter(s int) *tokenID {
	for _, id := range t.ids {
		if id.out.FirstStep <= s && (id.endStep < 0 || id.endStep > s) {
			return id
		}
	}
	return nil
}

// tokenLost finds why the user, logged in after step from, was logged out
// at step to.Step when no session cookie explains it: the token the pages
// held after from was removed by the app, stayed behind in the
// sessionStorage of another tab, went with a restart, or was refused by
// the server. Tokens sent as Authorization are looked at first. It
// reports whether it found one.
func (a *analyzer) tokenLost(from int, to *StepAuth) bool {
	st := a.step(to.Step)
	if st == nil {
		return false
	}
	tracks := a.tokenTracks()
	for pass := 0; pass < 2; pass++ {
		for _, t := range tracks {
			id := t.heldAfter(from)
			if id == nil || (len(id.out.Sent) > 0) != (pass == 0) {
				continue
			}
			if r, ok := a.tokenLoss(t, id, from, st); ok {
				o := to.Step
				r.ObservedStep, r.Basis = &o, BasisObserved
				a.reportToken(t, r)
				return true
			}
		}
	}
	return false
}

// tokenLoss is the reset of id, held by t after step from, that the page
// of step st showed as a logout; ok is false when nothing says it was
// this token that was lost.
func (a *analyzer) tokenLoss(t *tokenTrack, id *tokenID, from int, st *recording.Step) (Reset, bool) {
	r := Reset{Step: st.Index, URL: st.URL, Fingerprint: id.out.Fingerprint,
		Evidence: map[string]string{"storage": string(t.area) + " " + t.origin + " " + strconv.Quote(t.key)}}
	in := where(t.area, t.origin, t.key, []string{t.field})
	if e := id.ender; e != nil && id.endStep <= st.Index && id.out.Ended == EndCleared {
		r.Step, r.URL = id.endStep, e.URL
		r.Cause = CauseStorageCleared
		r.Evidence["script"], r.Evidence["page"] = e.Script, e.URL
		after := ""
		if q := a.failedBefore(e); q != nil {
			r.Request, r.Evidence["after"] = q.ID, q.Method+" "+q.URL+" answered "+strconv.Itoa(q.Status)
			after = ", right after " + r.Evidence["after"] + " (an error handler that takes a failed call for the end of the session?)"
		}
		r.Detail = "The page's script removed " + t.label() + " from " + in + " (" + goneBy(e) + ")" + after + ", outside a logout step; the app then showed the user logged out."
		r.Summary = "the page's own script removed " + t.label() + " from " + string(t.area) + " (" + goneBy(e) + ")"
		if q := r.Evidence["after"]; q != "" {
			r.Summary += " right after " + q
		}
		return r, true
	}
	if id.out.Ended == EndRestart && id.endStep <= st.Index {
		r.Step, r.Cause = id.endStep, CauseBrowserRestart
		r.Detail = "The restart step " + strconv.Itoa(id.endStep) + " started a fresh browser context, without the " + string(t.area) + " that held " + t.label() + " (" + in + ")."
		r.Summary = "the restart step " + strconv.Itoa(id.endStep) + " dropped the " + string(t.area) + " that held " + t.label()
		return r, true
	}
	if t.area == recording.SessionStorage && st.Target != t.target && originOf(st.URL) == t.origin && a.noTokenIn(t, st) {
		r.Cause = CauseStorageTab
		r.Evidence["heldIn"], r.Evidence["stepIn"] = windowName(t.target), windowName(st.Target)
		r.Detail = "The token was in the sessionStorage of " + windowName(t.target) + " (" + in + "), which each tab and window keeps to itself: step " +
			strconv.Itoa(st.Index) + " ran in " + windowName(st.Target) + ", which never held it (a link with target=_blank or a window opened with noopener starts with an empty sessionStorage), and its page showed the user logged out."
		r.Summary = t.label() + " was in the sessionStorage of " + windowName(t.target) + ", and " + windowName(st.Target) + " has a sessionStorage of its own, without it"
		return r, true
	}
	for _, q := range a.reqs {
		if q.Step <= from || q.Step > st.Index || q.Authorization == nil || !q.Authorization.Value.Same(*id.value) ||
			q.Status != 401 && q.Status != 403 && q.Status != 440 {
			continue
		}
		r.Step, r.Request, r.URL, r.Cause = q.Step, q.ID, q.URL, CauseServerDropped
		r.Evidence["request"], r.Evidence["status"], r.Evidence["sent"] = q.Method+" "+q.URL, strconv.Itoa(q.Status), short(id.out.Fingerprint)
		r.Detail = "The app sent " + t.label() + " (" + in + ") as " + authHeader(q.Authorization.Scheme) + " on " + q.Method + " " + q.URL +
			" and the server refused it (" + strconv.Itoa(q.Status) + "): it no longer accepted a token it had issued (expired, revoked, or its signing key or store changed)."
		r.Summary = "the server refused " + t.label() + " it had issued (" + q.Method + " " + q.URL + " answered " + strconv.Itoa(q.Status) + ")"
		return r, true
	}
	return r, false
}

// failedBefore returns the last request of e's step or the one before
// (a step can end before the answer its script waits for), ended before
// e, that failed or answered an error status: what a script that clears
// storage on an error reacted to. Nil when there is none.
func (a *analyzer) failedBefore(e *recording.StorageEvent) *recording.Request {
	var last *recording.Request
	for _, q := range a.reqs {
		if (q.Step == e.Step || q.Step == e.Step-1) && (q.Failed != "" || q.Status >= 400) && !reqEnd(q).After(e.Time) {
			last = q
		}
	}
	return last
}

// noTokenIn reports whether the window of step st held no value of t's
// item in its own sessionStorage when the step ended.
func (a *analyzer) noTokenIn(t *tokenTrack, st *recording.Step) bool {
	for _, o := range a.tokens {
		if o.area == t.area && o.origin == t.origin && o.key == t.key && o.target == st.Target && o.heldAfter(st.Index) != nil {
			return false
		}
	}
	return true
}

// windowName names a target for messages: "the tab" or "popup 1".
func windowName(target string) string {
	if target == "" {
		return "the tab"
	}
	return target
}

// reportToken adds a token's reset, with its SESSION-RESET finding.
func (a *analyzer) reportToken(t *tokenTrack, r Reset) {
	for k, v := range r.Evidence {
		if v == "" {
			delete(r.Evidence, k)
		}
	}
	r.Summary = "At step " + strconv.Itoa(*r.ObservedStep) + " the user was logged out: " + r.Summary + "."
	t.resets = append(t.resets, r)
	msg := "Session reset (" + string(r.Cause) + ") at step " + strconv.Itoa(r.Step) + ": " + r.Detail
	if *r.ObservedStep != r.Step {
		msg += " The user saw it at step " + strconv.Itoa(*r.ObservedStep) + "."
	}
	a.findings.add(Finding{Rule: RuleSessionReset, Severity: Medium, Step: r.Step, URL: r.URL, Request: r.Request,
		StorageArea: t.area, StorageOrigin: t.origin, StorageKey: t.key, StorageField: t.field,
		Message: msg, Evidence: evidenceString(r.Evidence)}, "storage|"+string(t.area)+"|"+t.origin+"|"+t.key)
}

// tokenReports returns the lifecycles of the session tokens in Web
// Storage.
func (a *analyzer) tokenReports() []TokenReport {
	var out []TokenReport
	for _, t := range a.tokenTracks() {
		tr := TokenReport{Scenario: a.scenario, Area: t.area, Origin: t.origin, Key: t.key, Field: t.field, Target: t.target,
			Kind: tokenKinds[t.kind], IDs: make([]ID, 0, len(t.ids)), Resets: []Reset{}}
		for _, id := range t.ids {
			tr.IDs = append(tr.IDs, id.out)
		}
		tr.Resets = append(tr.Resets, t.resets...)
		out = append(out, tr)
	}
	return out
}

// tokenKinds names the kinds in [TokenReport.Kind].
var tokenKinds = [...]string{"", "session", "access", "id", "refresh", "bearer"}
