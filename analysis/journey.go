package analysis

import (
	"fmt"
	"strings"

	"github.com/sessiontrace/sessiontrace/recording"
)

// fixation: the pre-login session promoted at login. A login probe proves
// it or refutes it; without one, the same ID before and after a login (or
// privilege) step is the inference from cookie values.
func (a *analyzer) fixation() {
	for _, st := range a.steps {
		if !a.expectsRotation(st.Index) || st.Status == recording.StatusSkipped {
			continue
		}
		if p := st.Probe; p != nil && p.Kind == recording.BoundaryLogin && p.Error == "" {
			a.probedFixation(st, p)
			continue
		}
		for _, t := range a.tracks {
			before, after := t.atStart[st.Index], t.atEnd[st.Index]
			if before == nil {
				continue
			}
			if before != after {
				if f := before.value.Format; recording.VolatileFormat(f) && before.out.Note == "" {
					before.out.Note = fmt.Sprintf("taken as rotated at step %d from the cookie values only: the value is a %s, which changes without a new session, so the change does not prove a new session (a login probe, session.probe, would tell)",
						st.Index, formatName(f))
				}
				continue
			}
			var sent []string
			for _, q := range a.reqs {
				if q.Step == st.Index && before.sentOn(q.ID) {
					sent = append(sent, q.Method+" "+q.URL)
				}
			}
			ev := fmt.Sprintf("ID %s held before and after step %d (%s)", short(before.value.Fingerprint), st.Index, stepAction(st))
			if len(sent) > 0 {
				ev += "; sent on " + strings.Join(sent, ", ")
			}
			ev += "; inferred from cookie values (no login probe: declare session.probe to test it)"
			a.findings.add(Finding{Rule: RuleSessionFixation, Severity: High, Step: st.Index, Cookie: t.key.name, Domain: t.key.domain, Path: t.key.path,
				URL: st.URL,
				Message: fmt.Sprintf("%s kept the same ID across the %s step %d (%s): whoever planted or learned the ID before is %s with the user (inferred from cookie values).",
					t.key.name, st.As, st.Index, stepAction(st), map[bool]string{true: "logged in", false: "privileged"}[st.As == recording.BoundaryLogin]),
				Evidence: ev}, "")
		}
	}
}

// probedFixation reads a login step's probe: the cookies held before the
// step, replayed after it, were logged in (fixation, observed) or not
// (refuted, whatever the values did).
func (a *analyzer) probedFixation(st *recording.Step, p *recording.ProbeResult) {
	var t *track
	host := hostOf(p.URL)
	for _, o := range a.tracks {
		if o.atStart[st.Index] != nil && (host == "" || domainMatches(o.key.domain, host)) {
			t = o
			break
		}
	}
	var before, after *idState
	if t != nil {
		before, after = t.atStart[st.Index], t.atEnd[st.Index]
	}
	values := "no session cookie was held before the step"
	if before != nil {
		values = fmt.Sprintf("%s was %s before the step and %s after it", t.key.name, short(before.value.Fingerprint), "gone")
		if after != nil {
			values = fmt.Sprintf("%s was %s before the step and %s after it", t.key.name, short(before.value.Fingerprint), short(after.value.Fingerprint))
		}
	}
	replay := fmt.Sprintf("login probe: %d cookie(s) held before step %d replayed on %s → %d", p.Cookies, st.Index, p.URL, p.Status)
	if !p.LoggedIn {
		if before != nil {
			before.out.Note = fmt.Sprintf("the login probe refuted fixation at step %d: the cookies held before the step, replayed on %s after it, were not logged in (status %d)",
				st.Index, p.URL, p.Status)
		}
		return
	}
	if before != nil && before != after {
		before.out.Note = fmt.Sprintf("a new value at step %d, but the login probe showed the cookies held before the step logged in after it: the same session, re-encoded", st.Index)
		if before.out.Ended == EndRotated {
			before.out.Ended = EndReissued
		}
	}
	f := Finding{Rule: RuleSessionFixation, Severity: High, Step: st.Index, URL: st.URL,
		Message: fmt.Sprintf("Replaying the cookies held before the %s step %d (%s) on %s after it showed the logged-in page: the server promoted the pre-login session to the logged-in one, so whoever planted or learned the pre-login cookies is logged in with the user (observed by the login probe, whatever the cookie values did).",
			st.As, st.Index, stepAction(st), p.URL),
		Evidence: replay + ", loggedIn selector matched; " + values}
	if t != nil {
		f.Cookie, f.Domain, f.Path = t.key.name, t.key.domain, t.key.path
	}
	a.findings.add(f, "")
}

// notInvalidated: the logout replay probe still found the logged-in page.
func (a *analyzer) notInvalidated() {
	p := a.r.Probe
	if p == nil || !p.LoggedIn {
		return
	}
	step, stepURL := a.lastStep, ""
	var logout *recording.Step
	for _, st := range a.steps {
		if st.As == recording.BoundaryLogout {
			step, stepURL, logout = st.Index, st.URL, st
			break
		}
	}
	f := Finding{Rule: RuleSessionNotInvalidated, Severity: High, Step: step, URL: p.URL,
		Message: fmt.Sprintf("After logout, replaying the cookies held before logout on %s still showed the logged-in page (status %d): the server did not end the session, so a copied ID outlives logout.",
			p.URL, p.Status),
		Evidence: fmt.Sprintf("probe %s → %d, loggedIn selector matched", p.URL, p.Status)}
	if t := a.loggedOutTrack(step, stepURL); t != nil {
		f.Cookie, f.Domain, f.Path = t.key.name, t.key.domain, t.key.path
		if t.clientSide != "" {
			f.Evidence += fmt.Sprintf("; %s holds the session itself (%s): see SESSION-CLIENT-SIDE", t.key.name, t.clientSide)
		}
	}
	if logout != nil && logout.Status == recording.StatusPassed {
		f.Evidence += a.leftoverEvidence(logout)
	}
	a.findings.add(f, "")
}

// loggedOutTrack picks the session identity the logout was about: the one
// whose ID ended at the logout step, else the first applying to the page.
func (a *analyzer) loggedOutTrack(step int, u string) *track {
	for _, t := range a.tracks {
		for _, id := range t.ids {
			if id.out.Ended == EndLogout && id.out.LastStep == step {
				return t
			}
		}
	}
	h := hostOf(u)
	for _, t := range a.tracks {
		if h == "" || domainMatches(t.key.domain, h) {
			return t
		}
	}
	return nil
}

// secureTrackFor returns a session identity with the Secure flag that
// applies to host, or nil.
func (a *analyzer) secureTrackFor(host string) *track {
	for _, t := range a.tracks {
		if t.secure && domainMatches(t.key.domain, host) {
			return t
		}
	}
	return nil
}

// mixedScheme: links, forms, meta refreshes and redirects from https to
// http on a host where a Secure session cookie applies.
func (a *analyzer) mixedScheme() {
	report := func(step int, from, to, what, req string) {
		if schemeOf(from) != "https" || schemeOf(to) != "http" {
			return
		}
		host := hostOf(to)
		if isLoopback(host) {
			return // Chromium sends Secure cookies to http://localhost
		}
		t := a.secureTrackFor(host)
		if t == nil {
			return
		}
		a.findings.add(Finding{Rule: RuleMixedSchemeLink, Severity: Medium, Step: step, Cookie: t.key.name, Domain: t.key.domain, Path: t.key.path,
			URL: from, Request: req,
			Message: fmt.Sprintf("The https page %s leads to %s over plain http (%s), where the browser does not send the Secure session cookie %s: following it logs the user out and exposes the page in cleartext.",
				from, to, what, t.key.name),
			Evidence: what + ": " + from + " → " + to}, "")
	}
	for _, p := range a.r.Pages {
		for _, l := range p.Links {
			report(p.Step, p.URL, resolveURL(p.URL, l.Href), "link "+orText(l.Selector, l.Text, l.Href), p.Request)
		}
		for _, f := range p.Forms {
			report(p.Step, p.URL, resolveURL(p.URL, f.Action), "form "+orText(f.Selector, "", f.Action), p.Request)
		}
		if p.MetaRefresh != "" {
			report(p.Step, p.URL, resolveURL(p.URL, p.MetaRefresh), "meta refresh", p.Request)
		}
	}
	for _, q := range a.reqs {
		if q.Location != "" {
			report(q.Step, q.URL, resolveURL(q.URL, q.Location), fmt.Sprintf("redirect (%d)", q.Status), q.ID)
		} else if prev := a.req(q.RedirectedFrom); prev != nil {
			report(q.Step, prev.URL, q.URL, "redirect", prev.ID)
		}
		// A navigation the user made from an https page (observed even
		// when page facts are missing).
		if q.RedirectedFrom == "" && strings.EqualFold(q.ResourceType, "Document") {
			if st := a.step(q.Step); st != nil && (st.Kind == recording.StepClick || st.Kind == recording.StepSubmit || st.Kind == recording.StepPress) {
				if from := a.prevPageURL(q.Step); from != "" {
					report(q.Step, from, q.URL, stepAction(st), q.ID)
				}
			}
		}
	}
}

// authCleartext: password forms shown on or posted to http.
func (a *analyzer) authCleartext() {
	for _, p := range a.r.Pages {
		for _, f := range p.Forms {
			if !f.HasPassword {
				continue
			}
			action := resolveURL(p.URL, f.Action)
			if f.Action == "" {
				action = p.URL
			}
			form := "form " + orText(f.Selector, "", f.Action)
			switch {
			case schemeOf(action) == "http" && !isLoopback(hostOf(action)):
				a.findings.add(Finding{Rule: RuleAuthCleartext, Severity: Critical, Step: p.Step, URL: p.URL, Request: p.Request,
					Message:  fmt.Sprintf("The password %s on %s posts to %s over plain http: the password crosses the network in cleartext.", form, p.URL, action),
					Evidence: fmt.Sprintf("%s method=%s action=%s on %s", form, f.Method, action, p.URL)}, "")
			case schemeOf(p.URL) == "http" && !isLoopback(hostOf(p.URL)):
				a.findings.add(Finding{Rule: RuleAuthCleartext, Severity: High, Step: p.Step, URL: p.URL, Request: p.Request,
					Message:  fmt.Sprintf("The password %s is shown on %s over plain http: anyone on the path can change the page to steal the password.", form, p.URL),
					Evidence: fmt.Sprintf("%s method=%s action=%s on %s", form, f.Method, action, p.URL)}, "")
			}
		}
	}
	for _, q := range a.reqs {
		if q.Method == "POST" && a.expectsRotation(q.Step) && a.step(q.Step).As == recording.BoundaryLogin &&
			schemeOf(q.URL) == "http" && !isLoopback(hostOf(q.URL)) && q.RedirectedFrom == "" {
			a.findings.add(Finding{Rule: RuleAuthCleartext, Severity: Critical, Step: q.Step, URL: q.URL, Request: q.ID,
				Message:  fmt.Sprintf("The login step posted to %s over plain http: the credentials crossed the network in cleartext.", q.URL),
				Evidence: fmt.Sprintf("POST %s at the login step %d", q.URL, q.Step)}, "")
		}
	}
}
