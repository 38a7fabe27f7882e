package analysis

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/recording"
)

// auth gives the current step the logged-in state the harness would have
// recorded from the scenario's marker.
func (b *builder) auth(state recording.LoginState, evidence string) *builder {
	b.stepIndex()
	b.cur.Auth = &recording.AuthState{State: state, Evidence: evidence, Source: recording.AuthByMarker}
	return b
}

// loginPage is page facts of a login form.
func loginPage() recording.PageFacts {
	return recording.PageFacts{Forms: []recording.Form{{Action: "/login", Method: "post", Selector: "#login-form", HasPassword: true}}}
}

// flaskValue is a Flask (itsdangerous) session cookie value.
func flaskValue(payload string, ts uint32) string {
	b := make([]byte, 4)
	binary.BigEndian.PutUint32(b, ts)
	body := base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(b)
	m := hmac.New(sha1.New, []byte("key"))
	m.Write([]byte(body))
	return body + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// The classic case: express-session with a Secure cookie sends no
// Set-Cookie over http; the user, logged in over https, follows an http
// link and lands on the login page. No new ID ever appears.
func expressSecureOverHTTP(markers bool) *recording.Recording {
	b := newRec("express", "connect.sid")
	b.step("goto", "", "goto /login")
	b.get("https://shop.test/login").set("connect.sid", id("pre"), secureAttrs).page(loginPage())
	if markers {
		b.auth(recording.AuthOut, "#login-form matched")
	}
	b.step("submit", "login", "submit #login-form")
	b.post("https://shop.test/login").send("connect.sid", id("pre")).set("connect.sid", id("auth"), secureAttrs).
		redirect("https://shop.test/account").send("connect.sid", id("auth"))
	if markers {
		b.auth(recording.AuthIn, "#welcome matched")
	}
	b.step("click", "", "click #plain-link")
	b.get("http://shop.test/account").withhold("connect.sid", id("auth"), "SecureOnly").
		redirect("http://shop.test/login").withhold("connect.sid", id("auth"), "SecureOnly").page(loginPage())
	b.r.Pages[len(b.r.Pages)-1].URL = "http://shop.test/login"
	b.r.Pages = append(b.r.Pages, recording.PageFacts{Request: b.r.Requests[2].ID, Step: 1, URL: "https://shop.test/account",
		Links: []recording.Link{{Href: "http://shop.test/account", Selector: "#plain-link"}}})
	return b.rec()
}

func TestResetWithoutANewID(t *testing.T) {
	for _, markers := range []bool{true, false} {
		rep := analyze(t, expressSecureOverHTTP(markers))
		rs := rep.Resets()
		if len(rs) != 1 {
			t.Fatalf("markers %v: resets = %+v", markers, rs)
		}
		r := rs[0]
		if r.Cause != CauseSecureOverHTTP || r.Step != 2 || r.Basis != BasisObserved || r.ObservedStep == nil || *r.ObservedStep != 2 {
			t.Errorf("markers %v: reset = %+v", markers, r)
		}
		if !strings.HasPrefix(r.Summary, "At step 2 the user was logged out: the browser did not send connect.sid to http://shop.test/account because the cookie is Secure") {
			t.Errorf("summary = %q", r.Summary)
		}
		if r.Evidence["newCookie"] != "none" || r.Evidence["withheld"] != "SecureOnly" {
			t.Errorf("evidence = %v", r.Evidence)
		}
		if len(findings(rep, RuleSessionReset)) != 1 || len(findings(rep, RuleMixedSchemeLink)) != 1 {
			t.Errorf("findings = %+v", rep.Findings)
		}
		s := session(rep, "connect.sid")
		if len(s.Continuity) != 2 || s.Continuity[0].Reason != GapWithheld || s.Continuity[0].Reasons[0] != "SecureOnly" {
			t.Errorf("continuity = %+v", s.Continuity)
		}
	}
}

// Without any sign of the logged-in state, the same journey (no login
// form page, no marker, no login step) reports no reset: a withheld ID
// with no new session is not enough.
func TestNoAuthEvidenceKeepsCookieRules(t *testing.T) {
	b := newRec("quiet", "SID")
	b.step("goto", "")
	b.get("https://shop.test/").set("SID", id("a"), secureAttrs)
	b.step("click", "")
	b.get("http://shop.test/about").withhold("SID", id("a"), "SecureOnly")
	rep := analyze(t, b.rec())
	if rs := rep.Resets(); len(rs) != 0 {
		t.Errorf("resets = %+v", rs)
	}
	if s := session(rep, "SID"); len(s.Continuity) != 1 {
		t.Errorf("continuity = %+v", s.Continuity)
	}
}

// Flask: a client-side session re-signed on every response. The user
// stays logged in: new values are reissued, not resets; the logout probe
// shows an old value still works.
func flaskJourney(markers bool) *recording.Recording {
	b := newRec("flask")
	v := func(n uint32) string {
		return flaskValue(`{"user":"alice","visits":`+string(rune('0'+n))+`}`, 1765100000+n)
	}
	b.step("goto", "", "goto /login")
	b.get("https://app.test/login").set("session", v(0), secureAttrs).page(loginPage())
	b.step("submit", "login", "submit #login-form")
	b.post("https://app.test/login").send("session", v(0)).set("session", v(1), secureAttrs).
		redirect("https://app.test/account").send("session", v(1)).set("session", v(2), secureAttrs)
	if markers {
		b.auth(recording.AuthIn, "#welcome matched")
	}
	for i := uint32(3); i <= 4; i++ {
		b.step("goto", "", "goto /account")
		b.get("https://app.test/account").send("session", v(i-1)).set("session", v(i), secureAttrs)
		if markers {
			b.auth(recording.AuthIn, "#welcome matched")
		}
	}
	b.step("click", "logout", "click #logout")
	b.get("https://app.test/logout").send("session", v(4)).set("session", "", "Path=/; Max-Age=0")
	b.probe(true)
	return b.rec()
}

func TestClientSideSessionIsReissuedNotReset(t *testing.T) {
	for _, markers := range []bool{true, false} {
		rep := analyze(t, flaskJourney(markers))
		if rs := rep.Resets(); len(rs) != 0 {
			t.Fatalf("markers %v: resets = %+v", markers, rs)
		}
		s := session(rep, "session")
		if !strings.Contains(s.ClientSide, "itsdangerous") {
			t.Errorf("client side %q", s.ClientSide)
		}
		if got := endings(s); got != "rotated,reissued,reissued,reissued,logout" {
			t.Errorf("markers %v: endings = %s", markers, got)
		}
		cs := findings(rep, RuleSessionClientSide)
		if len(cs) != 1 || cs[0].Severity != Info || !strings.Contains(cs[0].Evidence, "SESSION-NOT-INVALIDATED") {
			t.Errorf("client-side findings = %+v", cs)
		}
		ni := findings(rep, RuleSessionNotInvalidated)
		if len(ni) != 1 || !strings.Contains(ni[0].Evidence, "SESSION-CLIENT-SIDE") {
			t.Errorf("not-invalidated findings = %+v", ni)
		}
	}
}

// cookie-session: the data cookie and its signature are one session; the
// signature cookie is not a second session ID.
func TestSignaturePairIsOneSession(t *testing.T) {
	b := newRec("cookie-session")
	data := func(n string) string {
		return base64.StdEncoding.EncodeToString([]byte(`{"user":"alice","visits":` + n + `,"pad":"xxxxxxxx"}`))
	}
	b.step("goto", "", "goto /login")
	b.get("https://app.test/login").page(loginPage())
	b.step("submit", "login", "submit #login-form")
	b.post("https://app.test/login").set("session", data("0"), secureAttrs).set("session.sig", id("sig0"), secureAttrs).
		redirect("https://app.test/account").send("session", data("0")).send("session.sig", id("sig0")).
		set("session", data("1"), secureAttrs).set("session.sig", id("sig1"), secureAttrs)
	b.auth(recording.AuthIn, "#welcome matched")
	b.step("goto", "", "goto /account")
	b.get("https://app.test/account").send("session", data("1")).send("session.sig", id("sig1")).
		set("session", data("2"), secureAttrs).set("session.sig", id("sig2"), secureAttrs)
	b.auth(recording.AuthIn, "#welcome matched")
	rep := analyze(t, b.rec())
	if len(rep.Sessions) != 1 || rep.Sessions[0].Cookie != "session" {
		t.Fatalf("sessions = %+v", rep.Sessions)
	}
	if !strings.Contains(rep.Sessions[0].ClientSide, "session.sig") {
		t.Errorf("client side = %q", rep.Sessions[0].ClientSide)
	}
	if rs := rep.Resets(); len(rs) != 0 {
		t.Errorf("resets = %+v", rs)
	}
}

// A server that rotates the ID on every response on purpose: while the
// pages show the user logged in, every new ID is reissued, including one
// on a page that shows nothing either way.
func TestRotationOnEveryResponseWhileLoggedIn(t *testing.T) {
	b := newRec("rotating", "SID")
	login(b, "SID")
	b.auth(recording.AuthIn, "#welcome matched")
	prev := id("auth")
	for i, u := range []string{"https://app.test/account", "https://app.test/", "https://app.test/account"} {
		next := id("r" + string(rune('a'+i)))
		b.step("goto", "", "goto "+u)
		b.get(u).send("SID", prev).set("SID", next, secureAttrs)
		if u != "https://app.test/" {
			b.auth(recording.AuthIn, "#welcome matched")
		}
		prev = next
	}
	rep := analyze(t, b.rec())
	if rs := rep.Resets(); len(rs) != 0 {
		t.Errorf("resets = %+v", rs)
	}
	if got := endings(session(rep, "SID")); got != "rotated,reissued,reissued,reissued,end-of-journey" {
		t.Errorf("endings = %s", got)
	}
}

// The same new IDs with the user logged out after them are resets, seen
// by the user.
func TestReplacementThenLoggedOutIsObserved(t *testing.T) {
	b := newRec("dropped", "SID")
	login(b, "SID")
	b.auth(recording.AuthIn, "#welcome matched")
	b.step("goto", "", "goto /account")
	b.get("https://app.test/account").send("SID", id("auth")).set("SID", id("new"), secureAttrs).
		redirect("https://app.test/login").send("SID", id("new")).page(loginPage())
	b.auth(recording.AuthOut, "#login-form matched")
	rep := analyze(t, b.rec())
	rs := rep.Resets()
	if len(rs) != 1 || rs[0].Cause != CauseServerDropped || rs[0].Basis != BasisObserved {
		t.Fatalf("resets = %+v", rs)
	}
}

// The user sent the ID and the server answered as to an anonymous user,
// with no new ID (PHP without strict mode, a node that ignores it).
func TestSentButIgnored(t *testing.T) {
	b := newRec("ignored", "SID")
	login(b, "SID")
	b.auth(recording.AuthIn, "#welcome matched")
	b.step("goto", "", "goto /account")
	b.get("https://app.test/account").node("node-b").send("SID", id("auth")).
		redirect("https://app.test/login").send("SID", id("auth")).page(loginPage())
	b.auth(recording.AuthOut, "#login-form matched")
	rep := analyze(t, b.rec())
	rs := rep.Resets()
	if len(rs) != 1 || rs[0].Cause != CauseServerDropped || rs[0].Basis != BasisObserved || rs[0].Step != 2 {
		t.Fatalf("resets = %+v", rs)
	}
	if !strings.Contains(rs[0].Detail, "anonymous") {
		t.Errorf("detail = %q", rs[0].Detail)
	}
}

// Logged out at a logout step is no reset, whatever the cookies did.
func TestLogoutIsNoReset(t *testing.T) {
	b := newRec("logout", "SID")
	login(b, "SID")
	b.auth(recording.AuthIn, "#welcome matched")
	b.step("click", "logout", "click #logout")
	b.get("https://app.test/logout").send("SID", id("auth")).redirect("https://app.test/login").send("SID", id("auth")).page(loginPage())
	b.auth(recording.AuthOut, "#login-form matched")
	if rs := analyze(t, b.rec()).Resets(); len(rs) != 0 {
		t.Errorf("resets = %+v", rs)
	}
}

func TestAuthLane(t *testing.T) {
	rep := analyze(t, expressSecureOverHTTP(true))
	if len(rep.Auth) != 1 {
		t.Fatalf("auth = %+v", rep.Auth)
	}
	var got []string
	for _, s := range rep.Auth[0].Steps {
		got = append(got, string(s.State))
	}
	if strings.Join(got, ",") != "out,in,out" {
		t.Errorf("lane = %v", got)
	}
	if e := rep.Auth[0].Steps[2]; !e.Checked || e.Source != recording.AuthByLoginRedirect {
		t.Errorf("step 2: %+v", e)
	}
}

// Fixation: the login probe decides; without one, the value comparison is
// stated as an inference, and a signed, timestamped value gets a note.
func TestFixationFromTheLoginProbe(t *testing.T) {
	kept := func(probe *recording.ProbeResult, sameValue bool) *Report {
		b := newRec("fixation", "SID")
		b.step("goto", "", "goto /login")
		b.get("https://app.test/login").set("SID", id("pre"), secureAttrs)
		b.step("submit", "login", "submit #login-form")
		after := id("post")
		if sameValue {
			after = id("pre")
		}
		b.post("https://app.test/login").send("SID", id("pre")).set("SID", after, secureAttrs)
		b.cur.Probe = probe
		return analyze(t, b.rec())
	}
	promoted := &recording.ProbeResult{Kind: "login", URL: "https://app.test/account", Status: 200, LoggedIn: true, Cookies: 1}
	refuted := &recording.ProbeResult{Kind: "login", URL: "https://app.test/account", Status: 303, Cookies: 1}

	f := findings(kept(promoted, false), RuleSessionFixation)
	if len(f) != 1 || !strings.Contains(f[0].Message, "observed by the login probe") {
		t.Errorf("probe logged in, value changed: %+v", f)
	}
	rep := kept(refuted, true)
	if f := findings(rep, RuleSessionFixation); len(f) != 0 {
		t.Errorf("probe not logged in, value kept: %+v", f)
	}
	if n := session(rep, "SID").IDs[0].Note; !strings.Contains(n, "refuted") {
		t.Errorf("note = %q", n)
	}
	f = findings(kept(nil, true), RuleSessionFixation)
	if len(f) != 1 || !strings.Contains(f[0].Message, "inferred from cookie values") {
		t.Errorf("no probe, value kept: %+v", f)
	}
	if f := findings(kept(nil, false), RuleSessionFixation); len(f) != 0 {
		t.Errorf("no probe, value changed: %+v", f)
	}
}

func TestRotationOfASignedValueIsOnlyInferred(t *testing.T) {
	b := newRec("stamped", "gsession")
	b.step("goto", "", "goto /login")
	b.get("https://app.test/login").set("gsession", flaskValue(`{"id":"a"}`, 1765100000), secureAttrs)
	b.step("submit", "login", "submit #login-form")
	b.post("https://app.test/login").send("gsession", flaskValue(`{"id":"a"}`, 1765100000)).
		set("gsession", flaskValue(`{"id":"a"}`, 1765100001), secureAttrs)
	rep := analyze(t, b.rec())
	id0 := session(rep, "gsession").IDs[0]
	if id0.Ended != EndRotated || !strings.Contains(id0.Note, "does not prove a new session") {
		t.Errorf("id = %+v", id0)
	}
}

// Revealed JWTs share their header and carry a timestamp: no pattern.
func TestRevealedJWTsAreNoPattern(t *testing.T) {
	b := newRec("jwt", "access_token")
	b.red = recording.NewRedactor([]byte("test key"), true)
	b.r.Options.RevealValues = true
	jwt := func(n string) string {
		h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
		c := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"alice","iat":1765100000,"jti":"` + n + `"}`))
		return h + "." + c + "." + id("sig"+n) + id("sig2" + n)[:21]
	}
	b.step("goto", "")
	b.get("https://app.test/account").set("access_token", jwt("a"), secureAttrs)
	for _, n := range []string{"a", "b", "c"} {
		b.step("goto", "")
		b.get("https://app.test/account").send("access_token", jwt(n)).set("access_token", jwt(n+"x"), secureAttrs)
	}
	if f := findings(analyze(t, b.rec()), RuleSessIDLowEntropy); len(f) != 0 {
		t.Errorf("findings = %+v", f)
	}
}

// A session in an opaque cookie (an encrypted auth ticket: no known
// format) is told client-side by behaviour: the value held after login,
// which the server re-issued since, still opens the logged-in page after
// logout. A server that rotates and revokes does not pass.
func TestClientSideByBehaviour(t *testing.T) {
	journey := func(olderLoggedIn bool) *Report {
		b := newRec("ticket", "AuthTicket")
		b.step("goto", "", "goto /login")
		b.get("https://app.test/login").page(loginPage())
		b.step("submit", "login", "submit #login-form")
		b.post("https://app.test/login").set("AuthTicket", id("t1"), secureAttrs).
			redirect("https://app.test/account").send("AuthTicket", id("t1"))
		b.auth(recording.AuthIn, "#welcome matched")
		b.step("goto", "", "goto /account")
		b.get("https://app.test/account").send("AuthTicket", id("t1")).set("AuthTicket", id("t2"), secureAttrs)
		b.auth(recording.AuthIn, "#welcome matched")
		b.step("click", "logout", "click #logout")
		b.get("https://app.test/logout").send("AuthTicket", id("t2")).set("AuthTicket", "", "Path=/; Max-Age=0")
		b.probe(true)
		b.r.Probe.Older = &recording.OlderProbe{Step: 1, URL: "https://app.test/account", Status: 200, LoggedIn: olderLoggedIn, Cookies: 1}
		return analyze(t, b.rec())
	}
	rep := journey(true)
	if s := session(rep, "AuthTicket"); !strings.Contains(s.ClientSide, "by behaviour") {
		t.Errorf("client side = %q", s.ClientSide)
	}
	if len(findings(rep, RuleSessionClientSide)) != 1 {
		t.Errorf("findings = %+v", rep.Findings)
	}
	rep = journey(false)
	if s := session(rep, "AuthTicket"); s.ClientSide != "" || len(findings(rep, RuleSessionClientSide)) != 0 {
		t.Errorf("revoked older value: client side %q", s.ClientSide)
	}
}
