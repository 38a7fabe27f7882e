package analysis

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// login builds the common start: a session at GET /login, rotated by the
// login POST, carried to /account.
func login(b *builder, name string) {
	b.step("goto", "", "goto /login")
	b.get("https://app.test/login").set(name, id("pre"), secureAttrs)
	b.step("submit", "login", "submit #login-form")
	b.post("https://app.test/login").send(name, id("pre")).set(name, id("auth"), secureAttrs).
		redirect("https://app.test/account").send(name, id("auth"))
}

func TestLifecycleRotationAtLoginIsNotAReset(t *testing.T) {
	b := newRec("rotation", "SID")
	login(b, "SID")
	rep := analyze(t, b.rec())
	s := session(rep, "SID")
	if got := endings(s); got != "rotated,end-of-journey" {
		t.Fatalf("endings = %s", got)
	}
	if len(rep.Resets()) != 0 {
		t.Fatalf("resets: %v", causes(rep))
	}
	first := s.IDs[0]
	if first.IssuedRequest != "R1" || first.FirstStep != 0 || first.LastStep != 1 || !reflect.DeepEqual(first.Sent, []string{"R2"}) {
		t.Errorf("first ID = %+v", first)
	}
	if s.IDs[1].IssuedRequest != "R2" || !reflect.DeepEqual(s.IDs[1].Sent, []string{"R2.1"}) {
		t.Errorf("second ID = %+v", s.IDs[1])
	}
	if s.Detection != detectDeclared {
		t.Errorf("detection = %q", s.Detection)
	}
	if len(findings(rep, RuleSessionFixation)) != 0 {
		t.Error("rotation reported as fixation")
	}
}

func TestLifecycleSlidingExpiryIsNotARotation(t *testing.T) {
	b := newRec("sliding", "laravel_session")
	attrs := "Path=/; Max-Age=600; Secure; HttpOnly; SameSite=Lax"
	b.step("goto", "")
	b.get("https://app.test/").set("laravel_session", id("x"), attrs)
	for i := 0; i < 3; i++ {
		b.step("goto", "")
		b.get("https://app.test/page").send("laravel_session", id("x")).set("laravel_session", id("x"), attrs)
	}
	rep := analyze(t, b.rec())
	s := session(rep, "laravel_session")
	if len(s.IDs) != 1 || s.IDs[0].Ended != EndEndOfJourney || len(s.IDs[0].Sent) != 3 || s.IDs[0].LastStep != 3 {
		t.Fatalf("IDs = %+v", s.IDs)
	}
	if len(rep.Resets()) != 0 {
		t.Fatalf("resets: %v", causes(rep))
	}
}

func TestLifecycleFreshSessionAfterLogoutIsNotAReset(t *testing.T) {
	b := newRec("logout", "SID")
	login(b, "SID")
	b.step("click", "logout", "click #logout")
	b.get("https://app.test/logout").send("SID", id("auth")).set("SID", "", "Path=/; Max-Age=0; Secure; HttpOnly")
	b.step("goto", "")
	b.get("https://app.test/login").set("SID", id("next"), secureAttrs)
	rep := analyze(t, b.rec())
	if got := endings(session(rep, "SID")); got != "rotated,logout,end-of-journey" {
		t.Fatalf("endings = %s", got)
	}
	if len(rep.Resets()) != 0 {
		t.Fatalf("resets: %v", causes(rep))
	}
	if n := len(findings(rep, RuleCookieSecureMissing)) + len(findings(rep, RuleCookieSameSiteMissing)); n != 0 {
		t.Errorf("the deletion line was flagged for missing attributes (%d findings)", n)
	}
}

func TestLifecycleLogoutWithoutDeletionThenNewIDIsNotAReset(t *testing.T) {
	b := newRec("logout-no-delete", "SID")
	login(b, "SID")
	b.step("click", "logout")
	b.get("https://app.test/logout").send("SID", id("auth")).status(303, "/")
	b.step("goto", "")
	b.get("https://app.test/account").send("SID", id("auth")).set("SID", id("anon"), secureAttrs)
	rep := analyze(t, b.rec())
	if got := endings(session(rep, "SID")); got != "rotated,logout,end-of-journey" {
		t.Fatalf("endings = %s", got)
	}
	if len(rep.Resets()) != 0 {
		t.Fatalf("resets: %v", causes(rep))
	}
}

func TestLifecycleFreshIDWhenNoneHeld(t *testing.T) {
	b := newRec("fresh", "SID")
	b.step("goto", "")
	b.get("https://app.test/").status(200, "")
	b.step("goto", "")
	b.get("https://app.test/login").set("SID", id("a"), secureAttrs)
	rep := analyze(t, b.rec())
	s := session(rep, "SID")
	if len(s.IDs) != 1 || s.IDs[0].FirstStep != 1 || len(rep.Resets()) != 0 {
		t.Fatalf("session = %+v", s)
	}
}

func TestLifecycleWithheldListsReasons(t *testing.T) {
	b := newRec("withheld", "SID")
	login(b, "SID")
	b.step("goto", "")
	b.get("http://app.test/plain").withhold("SID", id("auth"), "SecureOnly")
	rep := analyze(t, b.rec())
	s := session(rep, "SID")
	w := s.IDs[1].Withheld
	if len(w) != 1 || w[0].Request != "R4" || !reflect.DeepEqual(w[0].Reasons, []string{"SecureOnly"}) {
		t.Fatalf("withheld = %+v", w)
	}
	if len(rep.Resets()) != 0 {
		t.Fatalf("withheld without a new session is not a reset: %v", causes(rep))
	}
}

func TestLifecycleEventsDerivedFromRequests(t *testing.T) {
	// A recording without events (e.g. made from a HAR) still yields the
	// lifecycle, from the requests' cookies.
	b := newRec("no-events", "SID")
	login(b, "SID")
	b.step("goto", "")
	b.get("https://app.test/x").send("SID", id("auth")).set("SID", id("other"), secureAttrs)
	r := b.rec()
	r.Events = nil
	rep := analyze(t, r)
	if got := endings(session(rep, "SID")); got != "rotated,replaced,end-of-journey" {
		t.Fatalf("endings = %s", got)
	}
	if got := causes(rep); !reflect.DeepEqual(got, []string{string(CauseServerDropped)}) {
		t.Fatalf("causes = %v", got)
	}
}

// ---- causes: one positive and one negative case each ----

func TestCauseSecureOverHTTP(t *testing.T) {
	build := func(newSession bool) *Report {
		b := newRec("mixed", "JSESSIONID")
		login(b, "JSESSIONID")
		b.last.page(linkPage("https://app.test/account", "http://app.test/account", "#plain-link"))
		b.step("click", "", "follow the http link (click #plain-link)")
		q := b.get("http://app.test/account").withhold("JSESSIONID", id("auth"), "SecureOnly")
		if newSession {
			q.set("JSESSIONID", id("http1"), "Path=/; HttpOnly; SameSite=Lax", "OverwriteSecure").status(303, "/login")
			q.redirect("http://app.test/login").withhold("JSESSIONID", id("auth"), "SecureOnly").
				set("JSESSIONID", id("http2"), "Path=/; HttpOnly; SameSite=Lax", "OverwriteSecure")
		}
		return analyze(t, b.rec())
	}
	rep := build(true)
	if got := causes(rep); !reflect.DeepEqual(got, []string{string(CauseSecureOverHTTP)}) {
		t.Fatalf("causes = %v", got)
	}
	r := rep.Resets()[0]
	if r.Step != 2 || r.Request != "R4" || r.Evidence["link"] != "link #plain-link on https://app.test/account" ||
		r.Evidence["newCookieRejected"] != "OverwriteSecure" || !strings.Contains(r.Detail, "plain-http") {
		t.Errorf("reset = %+v", r)
	}
	// The browser kept the old ID: its lifecycle goes on.
	if got := endings(session(rep, "JSESSIONID")); got != "rotated,end-of-journey" {
		t.Errorf("endings = %s", got)
	}
	if len(findings(rep, RuleCookieOverwriteSecure)) != 1 || len(findings(rep, RuleSessionReset)) != 1 {
		t.Errorf("findings: %+v", rep.Findings)
	}
	if rep := build(false); len(rep.Resets()) != 0 {
		t.Errorf("negative: %v", causes(rep))
	}
}

func TestCauseSecureOverHTTPNamesTheStepWithoutPageFacts(t *testing.T) {
	b := newRec("mixed", "JSESSIONID")
	login(b, "JSESSIONID")
	b.step("click", "", "follow the http link (click #plain-link)")
	b.get("http://app.test/account").withhold("JSESSIONID", id("auth"), "SecureOnly").set("JSESSIONID", id("h"), "Path=/", "OverwriteSecure")
	rep := analyze(t, b.rec())
	if got := rep.Resets()[0].Evidence["link"]; got != "click #plain-link on https://app.test/account" {
		t.Fatalf("link = %q", got)
	}
	// The navigation itself shows the mixed-scheme link.
	if len(findings(rep, RuleMixedSchemeLink)) != 1 {
		t.Errorf("no MIXED-SCHEME-LINK from the navigation")
	}
}

func TestCauseSameSite(t *testing.T) {
	build := func(withheld bool) *Report {
		b := newRec("sso", "_sso_session")
		b.step("goto", "")
		b.get("https://sso.test/").set("_sso_session", id("s1"), "Path=/; Secure; HttpOnly; SameSite=Strict")
		b.step("submit", "login", "submit #idp-form")
		q := b.post("https://sso.test/callback")
		if withheld {
			q.withhold("_sso_session", id("s1"), "SchemefulSameSiteStrict")
		} else {
			q.send("_sso_session", id("s1"))
		}
		q.set("_sso_session", id("s2"), "Path=/; Secure; HttpOnly; SameSite=Strict")
		return analyze(t, b.rec())
	}
	rep := build(true)
	if got := causes(rep); !reflect.DeepEqual(got, []string{string(CauseSameSite)}) {
		t.Fatalf("withheld at a login step: causes = %v", got)
	}
	if got := endings(session(rep, "_sso_session")); got != "replaced,end-of-journey" {
		t.Errorf("endings = %s", got)
	}
	rep = build(false)
	if len(rep.Resets()) != 0 || endings(session(rep, "_sso_session")) != "rotated,end-of-journey" {
		t.Errorf("sent at login is a rotation: %v %s", causes(rep), endings(session(rep, "_sso_session")))
	}
}

func TestCauseScopeMismatch(t *testing.T) {
	build := func(newSession bool) *Report {
		b := newRec("scope", "_scope_session", "app_session")
		login(b, "_scope_session")
		b.step("click", "", "click #www-link")
		q := b.get("https://www.app.test/account").withhold("_scope_session", id("auth"), "DomainMismatch")
		if newSession {
			q.set("_scope_session", id("www"), secureAttrs)
		}
		b.step("goto", "")
		b.get("https://app.test/app/").send("_scope_session", id("auth")).set("app_session", id("app"), "Path=/app; Secure; HttpOnly; SameSite=Lax")
		b.step("goto", "")
		b.get("https://app.test/other").send("_scope_session", id("auth")).withhold("app_session", id("app"), "NotOnPath")
		return analyze(t, b.rec())
	}
	rep := build(true)
	if got := causes(rep); !reflect.DeepEqual(got, []string{string(CauseScopeMismatch)}) {
		t.Fatalf("causes = %v", got)
	}
	if len(rep.Sessions) != 3 {
		t.Errorf("sessions: %d (want scope.test, www, app)", len(rep.Sessions))
	}
	if rep := build(false); len(rep.Resets()) != 0 {
		t.Errorf("negative (NotOnPath and DomainMismatch without a new session): %v", causes(rep))
	}
}

func TestCauseSetRejected(t *testing.T) {
	build := func(reason string, value string) *Report {
		b := newRec("rejected", "SID")
		b.step("goto", "")
		b.get("https://app.test/").set("SID", id("a"), secureAttrs)
		b.step("goto", "")
		b.get("https://app.test/refresh").send("SID", id("a")).set("SID", value, "Path=/; Domain=evil.test; Secure", reason)
		b.step("goto", "")
		b.get("https://app.test/next").send("SID", id("a")).set("SID", id("c"), secureAttrs)
		return analyze(t, b.rec())
	}
	rep := build("InvalidDomain", id("b"))
	if got := causes(rep); !reflect.DeepEqual(got, []string{string(CauseSetRejected)}) {
		t.Fatalf("causes = %v (the stale ID's replacement is not reported again)", got)
	}
	if len(findings(rep, RuleCookieRejected)) != 1 {
		t.Errorf("no COOKIE-REJECTED")
	}
	// Negative: the refused line carried the value already held.
	rep = build("InvalidDomain", id("a"))
	if got := causes(rep); !reflect.DeepEqual(got, []string{string(CauseServerDropped)}) {
		t.Fatalf("negative: causes = %v", got)
	}
}

func TestCauseSetRejectedCreate(t *testing.T) {
	b := newRec("never-stored", "SID")
	for i := 0; i < 3; i++ {
		b.step("goto", "")
		b.get("https://app.test/").set("SID", id("n"+string(rune('a'+i))), "Path=/; SameSite=None", "SameSiteNoneInsecure")
	}
	rep := analyze(t, b.rec())
	if got := causes(rep); !reflect.DeepEqual(got, []string{string(CauseSetRejected)}) {
		t.Fatalf("causes = %v (one per episode)", got)
	}
	if f := findings(rep, RuleCookieSameSiteNoneInsec); len(f) != 1 || f[0].Severity != Medium || f[0].Count != 3 {
		t.Errorf("COOKIE-SAMESITE-NONE-INSECURE: %+v", f)
	}
}

func TestCauseNodeSwitch(t *testing.T) {
	build := func(second string) *Report {
		b := newRec("cluster", "JSESSIONID")
		b.step("goto", "")
		b.get("https://app.test/login").node("node-a").set("JSESSIONID", id("a"), secureAttrs)
		b.step("goto", "")
		b.get("https://app.test/login").node(second).send("JSESSIONID", id("a")).set("JSESSIONID", id("b"), secureAttrs)
		return analyze(t, b.rec())
	}
	rep := build("node-b")
	if got := causes(rep); !reflect.DeepEqual(got, []string{string(CauseNodeSwitch)}) {
		t.Fatalf("causes = %v", got)
	}
	r := rep.Resets()[0]
	if r.Evidence["issuedBy"] != "node-a" || r.Evidence["servedBy"] != "node-b" {
		t.Errorf("evidence = %v", r.Evidence)
	}
	if s := session(rep, "JSESSIONID"); s.IDs[0].Node != "node-a" || s.IDs[1].Node != "node-b" {
		t.Errorf("nodes: %+v", s.IDs)
	}
	if got := causes(build("node-a")); !reflect.DeepEqual(got, []string{string(CauseServerDropped)}) {
		t.Errorf("same node: causes = %v", got)
	}
}

func TestCauseNodeSwitchInsideALoginStep(t *testing.T) {
	// The expected rotation happens once; a replacement of the new ID in
	// the same login step is a reset.
	b := newRec("cluster-login", "JSESSIONID")
	b.step("goto", "")
	b.get("https://app.test/login").node("node-b").set("JSESSIONID", id("a"), secureAttrs)
	b.step("submit", "login")
	q := b.post("https://app.test/login").node("node-a").send("JSESSIONID", id("a")).set("JSESSIONID", id("b"), secureAttrs)
	q.redirect("https://app.test/account").node("node-b").send("JSESSIONID", id("b")).set("JSESSIONID", id("c"), secureAttrs)
	rep := analyze(t, b.rec())
	if got := causes(rep); !reflect.DeepEqual(got, []string{string(CauseNodeSwitch)}) {
		t.Fatalf("causes = %v", got)
	}
	if got := endings(session(rep, "JSESSIONID")); got != "rotated,replaced,end-of-journey" {
		t.Errorf("endings = %s", got)
	}
}

func idleJourney(t *testing.T, waitStep bool, newID bool) *Report {
	b := newRec("idle", "sessionid")
	login(b, "sessionid")
	b.step("goto", "")
	b.get("https://app.test/a").send("sessionid", id("auth"))
	b.step("goto", "")
	b.get("https://app.test/b").send("sessionid", id("auth"))
	if waitStep {
		b.step("wait", "", "wait 4s").wait(4 * time.Second)
	}
	b.step("goto", "")
	q := b.get("https://app.test/account").send("sessionid", id("auth"))
	if newID {
		q.set("sessionid", id("new"), secureAttrs).status(303, "/login")
	} else {
		q.status(303, "/login?next=/account")
	}
	return analyze(t, b.rec())
}

func TestCauseIdleTimeout(t *testing.T) {
	rep := idleJourney(t, true, true)
	if got := causes(rep); !reflect.DeepEqual(got, []string{string(CauseIdleTimeout)}) {
		t.Fatalf("causes = %v", got)
	}
	if r := rep.Resets()[0]; !strings.HasPrefix(r.Evidence["idle"], "4.") || r.Evidence["wait"] != "step 4: wait 4s" {
		t.Errorf("evidence = %v", r.Evidence)
	}
	// A logged-out page without a new ID after the idle gap.
	rep = idleJourney(t, true, false)
	if got := causes(rep); !reflect.DeepEqual(got, []string{string(CauseIdleTimeout)}) {
		t.Fatalf("logged-out page: causes = %v", got)
	}
	if got := endings(session(rep, "sessionid")); got != "rotated,end-of-journey" {
		t.Errorf("endings = %s", got)
	}
	// Negative: no idle gap.
	if got := causes(idleJourney(t, false, true)); !reflect.DeepEqual(got, []string{string(CauseServerDropped)}) {
		t.Errorf("no gap: causes = %v", got)
	}
	if got := causes(idleJourney(t, false, false)); len(got) != 0 {
		t.Errorf("no gap, no new ID: causes = %v", got)
	}
}

func TestCauseServerDropped(t *testing.T) {
	build := func(as string) *Report {
		b := newRec("dropped", "SID")
		b.step("goto", "")
		b.get("https://app.test/").set("SID", id("a"), secureAttrs)
		b.step("goto", as)
		b.get("https://app.test/x").send("SID", id("a")).set("SID", id("b"), secureAttrs)
		return analyze(t, b.rec())
	}
	if got := causes(build("")); !reflect.DeepEqual(got, []string{string(CauseServerDropped)}) {
		t.Fatalf("causes = %v", got)
	}
	if got := causes(build("privilege")); len(got) != 0 {
		t.Errorf("at a privilege step: causes = %v", got)
	}
}

func TestCauseServerEnded(t *testing.T) {
	build := func(as string) *Report {
		b := newRec("resetcode", "ci_session")
		login(b, "ci_session")
		b.step("click", as, "click #trigger-error")
		b.get("https://app.test/error").send("ci_session", id("auth")).set("ci_session", "", "Path=/; Max-Age=0; Secure; HttpOnly")
		return analyze(t, b.rec())
	}
	rep := build("")
	if got := causes(rep); !reflect.DeepEqual(got, []string{string(CauseServerEnded)}) {
		t.Fatalf("causes = %v", got)
	}
	if r := rep.Resets()[0]; !strings.Contains(r.Detail, "Max-Age=0") || !strings.Contains(r.Detail, "click #trigger-error") {
		t.Errorf("detail = %s", r.Detail)
	}
	if got := endings(session(rep, "ci_session")); got != "rotated,deleted" {
		t.Errorf("endings = %s", got)
	}
	if got := causes(build("logout")); len(got) != 0 {
		t.Errorf("at logout: causes = %v", got)
	}
}

func TestCauseExpired(t *testing.T) {
	build := func(expire bool) *Report {
		b := newRec("expiry", "laravel_session")
		b.step("goto", "")
		b.get("https://app.test/login").set("laravel_session", id("a"), "Path=/; Max-Age=2; Secure; HttpOnly; SameSite=Lax")
		b.step("wait", "", "wait 4s").wait(4 * time.Second)
		if expire {
			b.gone("laravel_session", "expired", "jar", "its expiry passed")
		}
		b.step("goto", "")
		b.get("https://app.test/account").set("laravel_session", id("b"), "Path=/; Max-Age=2; Secure; HttpOnly; SameSite=Lax")
		return analyze(t, b.rec())
	}
	rep := build(true)
	if got := causes(rep); !reflect.DeepEqual(got, []string{string(CauseExpired)}) {
		t.Fatalf("causes = %v", got)
	}
	if r := rep.Resets()[0]; r.Evidence["maxAge"] != "2" || r.Step != 1 {
		t.Errorf("reset = %+v", r)
	}
	if got := endings(session(rep, "laravel_session")); got != "expired,end-of-journey" {
		t.Errorf("endings = %s", got)
	}
	if len(findings(rep, RuleCookieSessionPersistent)) != 0 {
		t.Errorf("a 2 s lifetime is not a persistent session")
	}
	// Negative: without the expiry the new ID replaces a held one, which
	// is another cause, not expiry.
	if got := causes(build(false)); len(got) != 1 || got[0] == string(CauseExpired) {
		t.Errorf("negative: causes = %v", got)
	}
}

func TestCauseClientCleared(t *testing.T) {
	b := newRec("cleared", "SID")
	login(b, "SID")
	b.step("clearCookies", "")
	b.gone("SID", "cleared", "harness", "removed by the clearCookies step")
	rep := analyze(t, b.rec())
	if got := causes(rep); !reflect.DeepEqual(got, []string{string(CauseClientCleared)}) {
		t.Fatalf("causes = %v", got)
	}
	if !strings.Contains(rep.Resets()[0].Detail, "clearCookies") {
		t.Errorf("detail = %s", rep.Resets()[0].Detail)
	}
	// Script deletion.
	b = newRec("script", "SID")
	login(b, "SID")
	b.step("click", "")
	b.script("SID", "", "https://app.test/account")
	rep = analyze(t, b.rec())
	if got := causes(rep); !reflect.DeepEqual(got, []string{string(CauseClientCleared)}) {
		t.Fatalf("script: causes = %v", got)
	}
	// Negative: cleared at a logout step is expected.
	b = newRec("cleared-at-logout", "SID")
	login(b, "SID")
	b.step("clearCookies", "logout")
	b.gone("SID", "cleared", "harness", "removed by the clearCookies step")
	if got := causes(analyze(t, b.rec())); len(got) != 0 {
		t.Errorf("at logout: causes = %v", got)
	}
}

func TestCauseBrowserRestart(t *testing.T) {
	build := func(persistent bool) *Report {
		b := newRec("restart", "__Host-sid")
		attrs := secureAttrs
		if persistent {
			attrs += "; Max-Age=3000"
		}
		b.step("goto", "")
		b.get("https://app.test/login").set("__Host-sid", id("a"), attrs)
		b.step("restart", "", "restart browser")
		if !persistent {
			b.gone("__Host-sid", "cleared", "harness", "removed by the restart step")
		}
		return analyze(t, b.rec())
	}
	rep := build(false)
	if got := causes(rep); !reflect.DeepEqual(got, []string{string(CauseBrowserRestart)}) {
		t.Fatalf("causes = %v", got)
	}
	if got := endings(session(rep, "__Host-sid")); got != "restart" {
		t.Errorf("endings = %s", got)
	}
	if got := causes(build(true)); len(got) != 0 {
		t.Errorf("persistent cookie kept: causes = %v", got)
	}
}

func TestLifecycleUnexplainedChange(t *testing.T) {
	build := func(missingExtraInfo bool) *Report {
		b := newRec("changed", "SID")
		b.step("goto", "")
		b.get("https://app.test/").set("SID", id("a"), secureAttrs)
		b.step("goto", "")
		q := b.get("https://app.test/cached").send("SID", id("a"))
		if missingExtraInfo {
			q.req().ResponseExtraInfo = false
		}
		v := b.val(id("b"))
		b.r.Events = append(b.r.Events, recordingEvent("changed", "jar", "SID", &v, b.stepIndex()))
		return analyze(t, b.rec())
	}
	if got := causes(build(true)); !reflect.DeepEqual(got, []string{string(CauseServerDropped)}) {
		t.Errorf("unseen Set-Cookie: causes = %v", got)
	}
	if got := causes(build(false)); !reflect.DeepEqual(got, []string{string(CauseClientCleared)}) {
		t.Errorf("unexplained change: causes = %v", got)
	}
}

func TestLifecycleDeletionAtLoginIsPartOfTheRotation(t *testing.T) {
	b := newRec("delete-then-set", "SID")
	b.step("goto", "")
	b.get("https://app.test/login").set("SID", id("a"), secureAttrs)
	b.step("submit", "login")
	b.post("https://app.test/login").send("SID", id("a")).set("SID", "", "Path=/; Max-Age=0").set("SID", id("b"), secureAttrs)
	rep := analyze(t, b.rec())
	if got := endings(session(rep, "SID")); got != "rotated,end-of-journey" || len(rep.Resets()) != 0 {
		t.Fatalf("endings %s, causes %v", got, causes(rep))
	}
}

func TestLifecyclePlantedIDIsNotAReset(t *testing.T) {
	// A fixation test plants an ID with setCookie: no reset, and the
	// server adopting it at login is fixation.
	b := newRec("plant", "PHPSESSID")
	b.step("goto", "")
	b.get("https://app.test/login").set("PHPSESSID", id("server"), secureAttrs)
	b.step("setCookie", "")
	v := b.val(id("planted"))
	e := recordingEvent("set", "harness", "PHPSESSID", &v, b.stepIndex())
	b.r.Events = append(b.r.Events, e)
	b.step("submit", "login")
	b.post("https://app.test/login").send("PHPSESSID", id("planted"))
	rep := analyze(t, b.rec())
	if len(rep.Resets()) != 0 || len(findings(rep, RuleSessionFixation)) != 1 {
		t.Fatalf("causes %v, findings %+v", causes(rep), rep.Findings)
	}
	if got := endings(session(rep, "PHPSESSID")); got != "replaced,end-of-journey" {
		t.Errorf("endings = %s", got)
	}
}
