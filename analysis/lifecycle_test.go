package analysis

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
)

// login builds the common start: a session at GET /login, rotated by the
// login POST, carried to /account.
func login(b *rectest.Builder, name string) {
	b.Step("goto", "", "goto /login")
	b.Get("https://app.test/login").Set(name, rectest.ID("pre"), rectest.SecureAttrs)
	b.Step("submit", "login", "submit #login-form")
	b.Post("https://app.test/login").Send(name, rectest.ID("pre")).Set(name, rectest.ID("auth"), rectest.SecureAttrs).
		Redirect("https://app.test/account").Send(name, rectest.ID("auth"))
}

func TestLifecycleRotationAtLoginIsNotAReset(t *testing.T) {
	b := rectest.New("rotation", "SID")
	login(b, "SID")
	rep := analyze(t, b.Rec())
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
	b := rectest.New("sliding", "laravel_session")
	attrs := "Path=/; Max-Age=600; Secure; HttpOnly; SameSite=Lax"
	b.Step("goto", "")
	b.Get("https://app.test/").Set("laravel_session", rectest.ID("x"), attrs)
	for i := 0; i < 3; i++ {
		b.Step("goto", "")
		b.Get("https://app.test/page").Send("laravel_session", rectest.ID("x")).Set("laravel_session", rectest.ID("x"), attrs)
	}
	rep := analyze(t, b.Rec())
	s := session(rep, "laravel_session")
	if len(s.IDs) != 1 || s.IDs[0].Ended != EndEndOfJourney || len(s.IDs[0].Sent) != 3 || s.IDs[0].LastStep != 3 {
		t.Fatalf("IDs = %+v", s.IDs)
	}
	if len(rep.Resets()) != 0 {
		t.Fatalf("resets: %v", causes(rep))
	}
}

func TestLifecycleFreshSessionAfterLogoutIsNotAReset(t *testing.T) {
	b := rectest.New("logout", "SID")
	login(b, "SID")
	b.Step("click", "logout", "click #logout")
	b.Get("https://app.test/logout").Send("SID", rectest.ID("auth")).Set("SID", "", "Path=/; Max-Age=0; Secure; HttpOnly")
	b.Step("goto", "")
	b.Get("https://app.test/login").Set("SID", rectest.ID("next"), rectest.SecureAttrs)
	rep := analyze(t, b.Rec())
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
	b := rectest.New("logout-no-delete", "SID")
	login(b, "SID")
	b.Step("click", "logout")
	b.Get("https://app.test/logout").Send("SID", rectest.ID("auth")).Status(303, "/")
	b.Step("goto", "")
	b.Get("https://app.test/account").Send("SID", rectest.ID("auth")).Set("SID", rectest.ID("anon"), rectest.SecureAttrs)
	rep := analyze(t, b.Rec())
	if got := endings(session(rep, "SID")); got != "rotated,logout,end-of-journey" {
		t.Fatalf("endings = %s", got)
	}
	if len(rep.Resets()) != 0 {
		t.Fatalf("resets: %v", causes(rep))
	}
}

func TestLifecycleFreshIDWhenNoneHeld(t *testing.T) {
	b := rectest.New("fresh", "SID")
	b.Step("goto", "")
	b.Get("https://app.test/").Status(200, "")
	b.Step("goto", "")
	b.Get("https://app.test/login").Set("SID", rectest.ID("a"), rectest.SecureAttrs)
	rep := analyze(t, b.Rec())
	s := session(rep, "SID")
	if len(s.IDs) != 1 || s.IDs[0].FirstStep != 1 || len(rep.Resets()) != 0 {
		t.Fatalf("session = %+v", s)
	}
}

func TestLifecycleWithheldListsReasons(t *testing.T) {
	b := rectest.New("withheld", "SID")
	login(b, "SID")
	b.Step("goto", "")
	b.Get("http://app.test/plain").Withhold("SID", rectest.ID("auth"), "SecureOnly")
	rep := analyze(t, b.Rec())
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
	b := rectest.New("no-events", "SID")
	login(b, "SID")
	b.Step("goto", "")
	b.Get("https://app.test/x").Send("SID", rectest.ID("auth")).Set("SID", rectest.ID("other"), rectest.SecureAttrs)
	r := b.Rec()
	r.Events = nil
	rep := analyze(t, r)
	if got := lifecycle(rep, "SID"); got != string(CauseServerDropped)+" | rotated,replaced,end-of-journey" {
		t.Fatalf("lifecycle = %s", got)
	}
}

// ---- causes: one positive and one negative case each ----

func TestCauseSecureOverHTTP(t *testing.T) {
	build := func(newSession bool) *Report {
		b := rectest.New("mixed", "JSESSIONID")
		login(b, "JSESSIONID")
		b.Last().Page(linkPage("https://app.test/account", "http://app.test/account", "#plain-link"))
		b.Step("click", "", "follow the http link (click #plain-link)")
		q := b.Get("http://app.test/account").Withhold("JSESSIONID", rectest.ID("auth"), "SecureOnly")
		if newSession {
			q.Set("JSESSIONID", rectest.ID("http1"), "Path=/; HttpOnly; SameSite=Lax", "OverwriteSecure").Status(303, "/login")
			q.Redirect("http://app.test/login").Withhold("JSESSIONID", rectest.ID("auth"), "SecureOnly").
				Set("JSESSIONID", rectest.ID("http2"), "Path=/; HttpOnly; SameSite=Lax", "OverwriteSecure")
		}
		return analyze(t, b.Rec())
	}
	rep := build(true)
	if got := causes(rep); !reflect.DeepEqual(got, []CauseID{CauseSecureOverHTTP}) {
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
	b := rectest.New("mixed", "JSESSIONID")
	login(b, "JSESSIONID")
	b.Step("click", "", "follow the http link (click #plain-link)")
	b.Get("http://app.test/account").Withhold("JSESSIONID", rectest.ID("auth"), "SecureOnly").Set("JSESSIONID", rectest.ID("h"), "Path=/", "OverwriteSecure")
	rep := analyze(t, b.Rec())
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
		b := rectest.New("sso", "_sso_session")
		b.Step("goto", "")
		b.Get("https://sso.test/").Set("_sso_session", rectest.ID("s1"), "Path=/; Secure; HttpOnly; SameSite=Strict")
		b.Step("submit", "login", "submit #idp-form")
		q := b.Post("https://sso.test/callback")
		if withheld {
			q.Withhold("_sso_session", rectest.ID("s1"), "SchemefulSameSiteStrict")
		} else {
			q.Send("_sso_session", rectest.ID("s1"))
		}
		q.Set("_sso_session", rectest.ID("s2"), "Path=/; Secure; HttpOnly; SameSite=Strict")
		return analyze(t, b.Rec())
	}
	rep := build(true)
	if got := lifecycle(rep, "_sso_session"); got != string(CauseSameSite)+" | replaced,end-of-journey" {
		t.Fatalf("withheld at a login step: lifecycle = %s", got)
	}
	rep = build(false)
	if len(rep.Resets()) != 0 || endings(session(rep, "_sso_session")) != "rotated,end-of-journey" {
		t.Errorf("sent at login is a rotation: %v %s", causes(rep), endings(session(rep, "_sso_session")))
	}
}

func TestCauseScopeMismatch(t *testing.T) {
	build := func(newSession bool) *Report {
		b := rectest.New("scope", "_scope_session", "app_session")
		login(b, "_scope_session")
		b.Step("click", "", "click #www-link")
		q := b.Get("https://www.app.test/account").Withhold("_scope_session", rectest.ID("auth"), "DomainMismatch")
		if newSession {
			q.Set("_scope_session", rectest.ID("www"), rectest.SecureAttrs)
		}
		b.Step("goto", "")
		b.Get("https://app.test/app/").Send("_scope_session", rectest.ID("auth")).Set("app_session", rectest.ID("app"), "Path=/app; Secure; HttpOnly; SameSite=Lax")
		b.Step("goto", "")
		b.Get("https://app.test/other").Send("_scope_session", rectest.ID("auth")).Withhold("app_session", rectest.ID("app"), "NotOnPath")
		return analyze(t, b.Rec())
	}
	rep := build(true)
	if got := causes(rep); !reflect.DeepEqual(got, []CauseID{CauseScopeMismatch}) {
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
		b := rectest.New("rejected", "SID")
		b.Step("goto", "")
		b.Get("https://app.test/").Set("SID", rectest.ID("a"), rectest.SecureAttrs)
		b.Step("goto", "")
		b.Get("https://app.test/refresh").Send("SID", rectest.ID("a")).Set("SID", value, "Path=/; Domain=evil.test; Secure", reason)
		b.Step("goto", "")
		b.Get("https://app.test/next").Send("SID", rectest.ID("a")).Set("SID", rectest.ID("c"), rectest.SecureAttrs)
		return analyze(t, b.Rec())
	}
	rep := build("InvalidDomain", rectest.ID("b"))
	if got := causes(rep); !reflect.DeepEqual(got, []CauseID{CauseSetRejected}) {
		t.Fatalf("causes = %v (the stale ID's replacement is not reported again)", got)
	}
	if len(findings(rep, RuleCookieRejected)) != 1 {
		t.Errorf("no COOKIE-REJECTED")
	}
	// Negative: the refused line carried the value already held.
	rep = build("InvalidDomain", rectest.ID("a"))
	if got := causes(rep); !reflect.DeepEqual(got, []CauseID{CauseServerDropped}) {
		t.Fatalf("negative: causes = %v", got)
	}
}

func TestCauseSetRejectedCreate(t *testing.T) {
	b := rectest.New("never-stored", "SID")
	for i := 0; i < 3; i++ {
		b.Step("goto", "")
		b.Get("https://app.test/").Set("SID", rectest.ID("n"+string(rune('a'+i))), "Path=/; SameSite=None", "SameSiteNoneInsecure")
	}
	rep := analyze(t, b.Rec())
	if got := causes(rep); !reflect.DeepEqual(got, []CauseID{CauseSetRejected}) {
		t.Fatalf("causes = %v (one per episode)", got)
	}
	if f := findings(rep, RuleCookieSameSiteNoneInsec); len(f) != 1 || f[0].Severity != Medium || f[0].Count != 3 {
		t.Errorf("COOKIE-SAMESITE-NONE-INSECURE: %+v", f)
	}
}

func TestCauseNodeSwitch(t *testing.T) {
	build := func(second string) *Report {
		b := rectest.New("cluster", "JSESSIONID")
		b.Step("goto", "")
		b.Get("https://app.test/login").Node("node-a").Set("JSESSIONID", rectest.ID("a"), rectest.SecureAttrs)
		b.Step("goto", "")
		b.Get("https://app.test/login").Node(second).Send("JSESSIONID", rectest.ID("a")).Set("JSESSIONID", rectest.ID("b"), rectest.SecureAttrs)
		return analyze(t, b.Rec())
	}
	rep := build("node-b")
	if got := causes(rep); !reflect.DeepEqual(got, []CauseID{CauseNodeSwitch}) {
		t.Fatalf("causes = %v", got)
	}
	r := rep.Resets()[0]
	if r.Evidence["issuedBy"] != "node-a" || r.Evidence["servedBy"] != "node-b" {
		t.Errorf("evidence = %v", r.Evidence)
	}
	if s := session(rep, "JSESSIONID"); s.IDs[0].Node != "node-a" || s.IDs[1].Node != "node-b" {
		t.Errorf("nodes: %+v", s.IDs)
	}
	if got := causes(build("node-a")); !reflect.DeepEqual(got, []CauseID{CauseServerDropped}) {
		t.Errorf("same node: causes = %v", got)
	}
}

func TestCauseNodeSwitchInsideALoginStep(t *testing.T) {
	// The expected rotation happens once; a replacement of the new ID in
	// the same login step is a reset.
	b := rectest.New("cluster-login", "JSESSIONID")
	b.Step("goto", "")
	b.Get("https://app.test/login").Node("node-b").Set("JSESSIONID", rectest.ID("a"), rectest.SecureAttrs)
	b.Step("submit", "login")
	q := b.Post("https://app.test/login").Node("node-a").Send("JSESSIONID", rectest.ID("a")).Set("JSESSIONID", rectest.ID("b"), rectest.SecureAttrs)
	q.Redirect("https://app.test/account").Node("node-b").Send("JSESSIONID", rectest.ID("b")).Set("JSESSIONID", rectest.ID("c"), rectest.SecureAttrs)
	rep := analyze(t, b.Rec())
	if got := lifecycle(rep, "JSESSIONID"); got != string(CauseNodeSwitch)+" | rotated,replaced,end-of-journey" {
		t.Fatalf("lifecycle = %s", got)
	}
}

func idleJourney(t *testing.T, waitStep bool, newID bool) *Report {
	b := rectest.New("idle", "sessionid")
	login(b, "sessionid")
	b.Step("goto", "")
	b.Get("https://app.test/a").Send("sessionid", rectest.ID("auth"))
	b.Step("goto", "")
	b.Get("https://app.test/b").Send("sessionid", rectest.ID("auth"))
	if waitStep {
		b.Step("wait", "", "wait 4s").Wait(4 * time.Second)
	}
	b.Step("goto", "")
	q := b.Get("https://app.test/account").Send("sessionid", rectest.ID("auth"))
	if newID {
		q.Set("sessionid", rectest.ID("new"), rectest.SecureAttrs).Status(303, "/login")
	} else {
		q.Status(303, "/login?next=/account")
	}
	return analyze(t, b.Rec())
}

func TestCauseIdleTimeout(t *testing.T) {
	rep := idleJourney(t, true, true)
	if got := causes(rep); !reflect.DeepEqual(got, []CauseID{CauseIdleTimeout}) {
		t.Fatalf("causes = %v", got)
	}
	if r := rep.Resets()[0]; !strings.HasPrefix(r.Evidence["idle"], "4.") || r.Evidence["wait"] != "step 4: wait 4s" {
		t.Errorf("evidence = %v", r.Evidence)
	}
	// A logged-out page without a new ID after the idle gap.
	rep = idleJourney(t, true, false)
	if got := lifecycle(rep, "sessionid"); got != string(CauseIdleTimeout)+" | rotated,end-of-journey" {
		t.Fatalf("logged-out page: lifecycle = %s", got)
	}
	// Negative: no idle gap.
	if got := causes(idleJourney(t, false, true)); !reflect.DeepEqual(got, []CauseID{CauseServerDropped}) {
		t.Errorf("no gap: causes = %v", got)
	}
	if got := causes(idleJourney(t, false, false)); len(got) != 0 {
		t.Errorf("no gap, no new ID: causes = %v", got)
	}
}

// A server that drops or ends the session, or a client that clears it,
// at an ordinary step is a reset; the same at the step that asks for it
// (a privilege step, a logout) is none.
func TestCausesAtOrdinaryAndExpectedSteps(t *testing.T) {
	cases := []struct {
		cookie   string
		cause    CauseID
		journey  func(b *rectest.Builder, as recording.Boundary) // as: the resetting step's
		expected recording.Boundary                              // the as that expects it; "" if none does
		detail   []string                                        // in the reset's detail
		endings  string                                          // of the session, if not ""
	}{
		{"SID", CauseServerDropped, func(b *rectest.Builder, as recording.Boundary) {
			b.Step("goto", "")
			b.Get("https://app.test/").Set("SID", rectest.ID("a"), rectest.SecureAttrs)
			b.Step("goto", as)
			b.Get("https://app.test/x").Send("SID", rectest.ID("a")).Set("SID", rectest.ID("b"), rectest.SecureAttrs)
		}, "privilege", nil, ""},
		{"ci_session", CauseServerEnded, func(b *rectest.Builder, as recording.Boundary) {
			login(b, "ci_session")
			b.Step("click", as, "click #trigger-error")
			b.Get("https://app.test/error").Send("ci_session", rectest.ID("auth")).Set("ci_session", "", "Path=/; Max-Age=0; Secure; HttpOnly")
		}, "logout", []string{"Max-Age=0", "click #trigger-error"}, "rotated,deleted"},
		{"SID", CauseClientCleared, func(b *rectest.Builder, as recording.Boundary) {
			login(b, "SID")
			b.Step("clearCookies", as)
			b.Gone("SID", "cleared", "harness", "removed by the clearCookies step")
		}, "logout", []string{"clearCookies"}, ""},
		{"SID", CauseClientCleared, func(b *rectest.Builder, as recording.Boundary) {
			login(b, "SID")
			b.Step("click", as)
			b.Script("SID", "", "", "https://app.test/account")
		}, "", []string{"script"}, ""},
	}
	for _, c := range cases {
		build := func(as recording.Boundary) *Report {
			b := rectest.New(string(c.cause), c.cookie)
			c.journey(b, as)
			return analyze(t, b.Rec())
		}
		rep := build("")
		if got := causes(rep); !reflect.DeepEqual(got, []CauseID{c.cause}) {
			t.Errorf("%s: causes = %v", c.cause, got)
			continue
		}
		for _, d := range c.detail {
			if r := rep.Resets()[0]; !strings.Contains(r.Detail, d) {
				t.Errorf("%s: detail %q lacks %q", c.cause, r.Detail, d)
			}
		}
		if got := endings(session(rep, c.cookie)); c.endings != "" && got != c.endings {
			t.Errorf("%s: endings = %s", c.cause, got)
		}
		if got := causes(build(c.expected)); c.expected != "" && len(got) != 0 {
			t.Errorf("%s at a %s step: causes = %v", c.cause, c.expected, got)
		}
	}
}

func TestCauseExpired(t *testing.T) {
	build := func(expire bool) *Report {
		b := rectest.New("expiry", "laravel_session")
		b.Step("goto", "")
		b.Get("https://app.test/login").Set("laravel_session", rectest.ID("a"), "Path=/; Max-Age=2; Secure; HttpOnly; SameSite=Lax")
		b.Step("wait", "", "wait 4s").Wait(4 * time.Second)
		if expire {
			b.Gone("laravel_session", "expired", "jar", "its expiry passed")
		}
		b.Step("goto", "")
		b.Get("https://app.test/account").Set("laravel_session", rectest.ID("b"), "Path=/; Max-Age=2; Secure; HttpOnly; SameSite=Lax")
		return analyze(t, b.Rec())
	}
	rep := build(true)
	if got := causes(rep); !reflect.DeepEqual(got, []CauseID{CauseExpired}) {
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
	if got := causes(build(false)); len(got) != 1 || got[0] == CauseExpired {
		t.Errorf("negative: causes = %v", got)
	}
}

func TestCauseBrowserRestart(t *testing.T) {
	build := func(persistent bool) *Report {
		b := rectest.New("restart", "__Host-sid")
		attrs := rectest.SecureAttrs
		if persistent {
			attrs += "; Max-Age=3000"
		}
		b.Step("goto", "")
		b.Get("https://app.test/login").Set("__Host-sid", rectest.ID("a"), attrs)
		b.Step("restart", "", "restart browser")
		if !persistent {
			b.Gone("__Host-sid", "cleared", "harness", "removed by the restart step")
		}
		return analyze(t, b.Rec())
	}
	rep := build(false)
	if got := lifecycle(rep, "__Host-sid"); got != string(CauseBrowserRestart)+" | restart" {
		t.Fatalf("lifecycle = %s", got)
	}
	if got := causes(build(true)); len(got) != 0 {
		t.Errorf("persistent cookie kept: causes = %v", got)
	}
}

func TestLifecycleUnexplainedChange(t *testing.T) {
	build := func(missingExtraInfo bool) *Report {
		b := rectest.New("changed", "SID")
		b.Step("goto", "")
		b.Get("https://app.test/").Set("SID", rectest.ID("a"), rectest.SecureAttrs)
		b.Step("goto", "")
		q := b.Get("https://app.test/cached").Send("SID", rectest.ID("a"))
		if missingExtraInfo {
			q.Request().ResponseExtraInfo = false
		}
		// The jar holds another value with no Set-Cookie to explain it.
		v := b.Value(rectest.ID("b"))
		b.R.Events = append(b.R.Events, recording.CookieEvent{Time: rectest.T0.Add(time.Hour), Step: b.Current().Index,
			Kind: recording.EventChanged, Source: recording.SourceJar, Name: "SID", Domain: "app.test", Path: "/", Value: &v})
		return analyze(t, b.Rec())
	}
	if got := causes(build(true)); !reflect.DeepEqual(got, []CauseID{CauseServerDropped}) {
		t.Errorf("unseen Set-Cookie: causes = %v", got)
	}
	if got := causes(build(false)); !reflect.DeepEqual(got, []CauseID{CauseClientCleared}) {
		t.Errorf("unexplained change: causes = %v", got)
	}
}

func TestLifecycleDeletionAtLoginIsPartOfTheRotation(t *testing.T) {
	b := rectest.New("delete-then-set", "SID")
	b.Step("goto", "")
	b.Get("https://app.test/login").Set("SID", rectest.ID("a"), rectest.SecureAttrs)
	b.Step("submit", "login")
	b.Post("https://app.test/login").Send("SID", rectest.ID("a")).Set("SID", "", "Path=/; Max-Age=0").Set("SID", rectest.ID("b"), rectest.SecureAttrs)
	rep := analyze(t, b.Rec())
	if got := endings(session(rep, "SID")); got != "rotated,end-of-journey" || len(rep.Resets()) != 0 {
		t.Fatalf("endings %s, causes %v", got, causes(rep))
	}
}

func TestLifecyclePlantedIDIsNotAReset(t *testing.T) {
	// A fixation test plants an ID with setCookie: no reset, and the
	// server adopting it at login is fixation.
	b := rectest.New("plant", "PHPSESSID")
	b.Step("goto", "")
	b.Get("https://app.test/login").Set("PHPSESSID", rectest.ID("server"), rectest.SecureAttrs)
	b.Step("setCookie", "")
	b.Plant("PHPSESSID", rectest.ID("planted"))
	b.Step("submit", "login")
	b.Post("https://app.test/login").Send("PHPSESSID", rectest.ID("planted"))
	rep := analyze(t, b.Rec())
	if len(rep.Resets()) != 0 || len(findings(rep, RuleSessionFixation)) != 1 {
		t.Fatalf("causes %v, findings %+v", causes(rep), rep.Findings)
	}
	if got := endings(session(rep, "PHPSESSID")); got != "replaced,end-of-journey" {
		t.Errorf("endings = %s", got)
	}
}
