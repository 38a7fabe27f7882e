package analysis

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
)

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
	b := rectest.New("express", "connect.sid")
	b.Step("goto", "", "goto /login")
	b.Get("https://shop.test/login").Set("connect.sid", rectest.ID("pre"), rectest.SecureAttrs).Page(loginPage())
	if markers {
		b.Auth(recording.AuthOut, "#login-form matched")
	}
	b.Step("submit", "login", "submit #login-form")
	b.Post("https://shop.test/login").Send("connect.sid", rectest.ID("pre")).Set("connect.sid", rectest.ID("auth"), rectest.SecureAttrs).
		Redirect("https://shop.test/account").Send("connect.sid", rectest.ID("auth"))
	if markers {
		b.Auth(recording.AuthIn, "#welcome matched")
	}
	b.Step("click", "", "click #plain-link")
	b.Get("http://shop.test/account").Withhold("connect.sid", rectest.ID("auth"), "SecureOnly").
		Redirect("http://shop.test/login").Withhold("connect.sid", rectest.ID("auth"), "SecureOnly").Page(loginPage())
	b.R.Pages[len(b.R.Pages)-1].URL = "http://shop.test/login"
	b.R.Pages = append(b.R.Pages, recording.PageFacts{Request: b.R.Requests[2].ID, Step: 1, URL: "https://shop.test/account",
		Links: []recording.Link{{Href: "http://shop.test/account", Selector: "#plain-link"}}})
	return b.Rec()
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
	b := rectest.New("quiet", "SID")
	b.Step("goto", "")
	b.Get("https://shop.test/").Set("SID", rectest.ID("a"), rectest.SecureAttrs)
	b.Step("click", "")
	b.Get("http://shop.test/about").Withhold("SID", rectest.ID("a"), "SecureOnly")
	rep := analyze(t, b.Rec())
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
	b := rectest.New("flask")
	v := func(n uint32) string {
		return flaskValue(`{"user":"alice","visits":`+string(rune('0'+n))+`}`, 1765100000+n)
	}
	b.Step("goto", "", "goto /login")
	b.Get("https://app.test/login").Set("session", v(0), rectest.SecureAttrs).Page(loginPage())
	b.Step("submit", "login", "submit #login-form")
	b.Post("https://app.test/login").Send("session", v(0)).Set("session", v(1), rectest.SecureAttrs).
		Redirect("https://app.test/account").Send("session", v(1)).Set("session", v(2), rectest.SecureAttrs)
	if markers {
		b.Auth(recording.AuthIn, "#welcome matched")
	}
	for i := uint32(3); i <= 4; i++ {
		b.Step("goto", "", "goto /account")
		b.Get("https://app.test/account").Send("session", v(i-1)).Set("session", v(i), rectest.SecureAttrs)
		if markers {
			b.Auth(recording.AuthIn, "#welcome matched")
		}
	}
	b.Step("click", "logout", "click #logout")
	b.Get("https://app.test/logout").Send("session", v(4)).Set("session", "", "Path=/; Max-Age=0")
	b.Probe(true)
	return b.Rec()
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
	b := rectest.New("cookie-session")
	data := func(n string) string {
		return base64.StdEncoding.EncodeToString([]byte(`{"user":"alice","visits":` + n + `,"pad":"xxxxxxxx"}`))
	}
	b.Step("goto", "", "goto /login")
	b.Get("https://app.test/login").Page(loginPage())
	b.Step("submit", "login", "submit #login-form")
	b.Post("https://app.test/login").Set("session", data("0"), rectest.SecureAttrs).Set("session.sig", rectest.ID("sig0"), rectest.SecureAttrs).
		Redirect("https://app.test/account").Send("session", data("0")).Send("session.sig", rectest.ID("sig0")).
		Set("session", data("1"), rectest.SecureAttrs).Set("session.sig", rectest.ID("sig1"), rectest.SecureAttrs)
	b.Auth(recording.AuthIn, "#welcome matched")
	b.Step("goto", "", "goto /account")
	b.Get("https://app.test/account").Send("session", data("1")).Send("session.sig", rectest.ID("sig1")).
		Set("session", data("2"), rectest.SecureAttrs).Set("session.sig", rectest.ID("sig2"), rectest.SecureAttrs)
	b.Auth(recording.AuthIn, "#welcome matched")
	rep := analyze(t, b.Rec())
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

// koa signs every cookie: oidc-provider's _session and _session.sig are a
// signed pair whose value is an opaque key into the provider's store. A
// signature is no client-side session.
func TestOpaqueSignedPairIsNotClientSide(t *testing.T) {
	b := rectest.New("oidc-provider")
	b.Step("goto", "", "goto /auth")
	b.Get("https://op.test/auth").Set("_session", rectest.ID("key"), rectest.SecureAttrs).Set("_session.sig", rectest.ID("sig"), rectest.SecureAttrs)
	rep := analyze(t, b.Rec())
	if len(rep.Sessions) != 1 || rep.Sessions[0].Cookie != "_session" || rep.Sessions[0].ClientSide != "" {
		t.Errorf("sessions = %+v, want _session, not client-side", rep.Sessions)
	}
	if fs := findings(rep, RuleSessionClientSide); len(fs) != 0 {
		t.Errorf("SESSION-CLIENT-SIDE: %+v", fs)
	}
}

// A server that rotates the ID on every response on purpose: while the
// pages show the user logged in, every new ID is reissued, including one
// on a page that shows nothing either way.
func TestRotationOnEveryResponseWhileLoggedIn(t *testing.T) {
	b := rectest.New("rotating", "SID")
	login(b, "SID")
	b.Auth(recording.AuthIn, "#welcome matched")
	prev := rectest.ID("auth")
	for i, u := range []string{"https://app.test/account", "https://app.test/", "https://app.test/account"} {
		next := rectest.ID("r" + string(rune('a'+i)))
		b.Step("goto", "", "goto "+u)
		b.Get(u).Send("SID", prev).Set("SID", next, rectest.SecureAttrs)
		if u != "https://app.test/" {
			b.Auth(recording.AuthIn, "#welcome matched")
		}
		prev = next
	}
	rep := analyze(t, b.Rec())
	if rs := rep.Resets(); len(rs) != 0 {
		t.Errorf("resets = %+v", rs)
	}
	if got := endings(session(rep, "SID")); got != "rotated,reissued,reissued,reissued,end-of-journey" {
		t.Errorf("endings = %s", got)
	}
}

// Logged in, then sent to the login form at step 2: a reset the user saw
// when the server replaced the ID, or ignored the one sent and answered
// as to an anonymous user with no new ID (PHP without strict mode, a node
// that ignores it); at a logout step, none, whatever the cookies did.
func TestLoggedOutAfterLogin(t *testing.T) {
	cases := []struct {
		name   string
		step   []string // kind, as, detail
		url    string
		node   string
		newID  bool   // the server sets one on url
		reset  bool   // a server-dropped reset is observed
		detail string // in its detail
	}{
		{"replaced", []string{"goto", "", "goto /account"}, "https://app.test/account", "", true, true, ""},
		{"ignored", []string{"goto", "", "goto /account"}, "https://app.test/account", "node-b", false, true, "anonymous"},
		{"logout", []string{"click", "logout", "click #logout"}, "https://app.test/logout", "", false, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := rectest.New(c.name, "SID")
			login(b, "SID")
			b.Auth(recording.AuthIn, "#welcome matched")
			b.Step(recording.StepKind(c.step[0]), recording.Boundary(c.step[1]), c.step[2])
			sent := rectest.ID("auth")
			q := b.Get(c.url).Send("SID", sent)
			if c.node != "" {
				q.Node(c.node)
			}
			if c.newID {
				sent = rectest.ID("new")
				q.Set("SID", sent, rectest.SecureAttrs)
			}
			q.Redirect("https://app.test/login").Send("SID", sent).Page(loginPage())
			b.Auth(recording.AuthOut, "#login-form matched")
			rs := analyze(t, b.Rec()).Resets()
			if !c.reset {
				if len(rs) != 0 {
					t.Errorf("resets = %+v", rs)
				}
				return
			}
			if len(rs) != 1 || rs[0].Cause != CauseServerDropped || rs[0].Basis != BasisObserved || rs[0].Step != 2 {
				t.Fatalf("resets = %+v", rs)
			}
			if !strings.Contains(rs[0].Detail, c.detail) {
				t.Errorf("detail = %q", rs[0].Detail)
			}
		})
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
		b := rectest.New("fixation", "SID")
		b.Step("goto", "", "goto /login")
		b.Get("https://app.test/login").Set("SID", rectest.ID("pre"), rectest.SecureAttrs)
		b.Step("submit", "login", "submit #login-form")
		after := rectest.ID("post")
		if sameValue {
			after = rectest.ID("pre")
		}
		b.Post("https://app.test/login").Send("SID", rectest.ID("pre")).Set("SID", after, rectest.SecureAttrs)
		b.Current().Probe = probe
		return analyze(t, b.Rec())
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
	b := rectest.New("stamped", "gsession")
	b.Step("goto", "", "goto /login")
	b.Get("https://app.test/login").Set("gsession", flaskValue(`{"id":"a"}`, 1765100000), rectest.SecureAttrs)
	b.Step("submit", "login", "submit #login-form")
	b.Post("https://app.test/login").Send("gsession", flaskValue(`{"id":"a"}`, 1765100000)).
		Set("gsession", flaskValue(`{"id":"a"}`, 1765100001), rectest.SecureAttrs)
	rep := analyze(t, b.Rec())
	id0 := session(rep, "gsession").IDs[0]
	if id0.Ended != EndRotated || !strings.Contains(id0.Note, "does not prove a new session") {
		t.Errorf("id = %+v", id0)
	}
}

// Revealed JWTs share their header and carry a timestamp: no pattern.
func TestRevealedJWTsAreNoPattern(t *testing.T) {
	b := rectest.New("jwt", "access_token")
	b.Reveal()
	jwt := func(n string) string {
		h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
		c := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"alice","iat":1765100000,"jti":"` + n + `"}`))
		return h + "." + c + "." + rectest.ID("sig"+n) + rectest.ID("sig2" + n)[:21]
	}
	b.Step("goto", "")
	b.Get("https://app.test/account").Set("access_token", jwt("a"), rectest.SecureAttrs)
	for _, n := range []string{"a", "b", "c"} {
		b.Step("goto", "")
		b.Get("https://app.test/account").Send("access_token", jwt(n)).Set("access_token", jwt(n+"x"), rectest.SecureAttrs)
	}
	if f := findings(analyze(t, b.Rec()), RuleSessIDLowEntropy); len(f) != 0 {
		t.Errorf("findings = %+v", f)
	}
}

// A session in an opaque cookie (an encrypted auth ticket: no known
// format) is told client-side by behaviour: the value held after login,
// which the server re-issued since, still opens the logged-in page after
// logout. A server that rotates and revokes does not pass.
func TestClientSideByBehaviour(t *testing.T) {
	journey := func(olderLoggedIn bool) *Report {
		b := rectest.New("ticket", "AuthTicket")
		b.Step("goto", "", "goto /login")
		b.Get("https://app.test/login").Page(loginPage())
		b.Step("submit", "login", "submit #login-form")
		b.Post("https://app.test/login").Set("AuthTicket", rectest.ID("t1"), rectest.SecureAttrs).
			Redirect("https://app.test/account").Send("AuthTicket", rectest.ID("t1"))
		b.Auth(recording.AuthIn, "#welcome matched")
		b.Step("goto", "", "goto /account")
		b.Get("https://app.test/account").Send("AuthTicket", rectest.ID("t1")).Set("AuthTicket", rectest.ID("t2"), rectest.SecureAttrs)
		b.Auth(recording.AuthIn, "#welcome matched")
		b.Step("click", "logout", "click #logout")
		b.Get("https://app.test/logout").Send("AuthTicket", rectest.ID("t2")).Set("AuthTicket", "", "Path=/; Max-Age=0")
		b.Probe(true)
		b.R.Probe.Older = &recording.OlderProbe{Step: 1, URL: "https://app.test/account", Status: 200, LoggedIn: olderLoggedIn, Cookies: 1}
		return analyze(t, b.Rec())
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
