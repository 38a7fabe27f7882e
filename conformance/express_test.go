//go:build conformance

package conformance

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// TestExpressSession is the classic case: express-session with
// cookie.secure over https and plain http, no "trust proxy". Logged in
// over https, the user follows a plain-http link to their account; the
// browser withholds the Secure connect.sid, express-session (which sends
// no cookie over an insecure connection) answers with the login page.
func TestExpressSession(t *testing.T) {
	dir := nodeModules(t, "express", "express-session")
	cert, key := selfSigned(t)
	srv := start(t, "express-session app", nil, dir, "node", filepath.Join(dir, "express-session-app.js"), cert, key)
	ports := srv.ports(t)
	httpsPort, httpPort := port(t, ports, "https"), port(t, ports, "http")
	srv.waitAccept(t, httpsPort)
	srv.waitAccept(t, httpPort)

	r := run(t, "express-session.yaml", map[string]string{
		"HTTPS_PORT": strconv.Itoa(httpsPort), "HTTP_PORT": strconv.Itoa(httpPort),
	})
	httpBase := fmt.Sprintf("http://shop.test:%d/", httpPort)
	httpsBase := fmt.Sprintf("https://shop.test:%d/", httpsPort)
	click := stepOf(t, r, "click", "")
	login := stepOf(t, r, "submit", "login")

	// The recording: what express-session and Chromium really did.
	t.Run("recording", func(t *testing.T) {
		// An anonymous session at /login (saveUninitialized), rotated by
		// regenerate at login: two different s:ID.signature values.
		first := requests(r, "GET", httpsBase+"login")
		if len(first) == 0 {
			t.Fatal("no https GET /login")
		}
		anon := setCookie(t, first[0], "connect.sid")
		if !anon.Secure || !anon.HTTPOnly || anon.Value.Format != recording.FormatExpressSigned {
			t.Errorf("the anonymous connect.sid: secure=%v httpOnly=%v format %q, want Secure, HttpOnly, %s",
				anon.Secure, anon.HTTPOnly, anon.Value.Format, recording.FormatExpressSigned)
		}
		post := requests(r, "POST", httpsBase+"login")
		if len(post) != 1 {
			t.Fatalf("%d POST /login requests, want 1", len(post))
		}
		if c, ok := sentCookie(post[0], "connect.sid"); !ok || !c.Value.Same(anon.Value) {
			t.Error("the login POST did not carry the anonymous connect.sid")
		}
		rotated := setCookie(t, post[0], "connect.sid")
		if rotated.Value.Same(anon.Value) {
			t.Error("regenerate at login did not give connect.sid a new value")
		}
		if post[0].Step != login {
			t.Errorf("the login POST is recorded in step %d, want %d", post[0].Step, login)
		}

		// Over plain http: connect.sid withheld with SecureOnly on every
		// request, and no Set-Cookie at all from express-session.
		plain := documents(requests(r, "GET", httpBase))
		if len(plain) != 2 {
			t.Fatalf("want the http GET /account and its redirect to /login, got %d http documents", len(plain))
		}
		for _, q := range plain {
			c, ok := withheldCookie(q, "connect.sid")
			if !ok || !slices.Contains(c.Reasons, "SecureOnly") {
				t.Errorf("%s: connect.sid not withheld with SecureOnly (withheld %v, sent %v)", q.URL, q.CookiesWithheld, q.CookiesSent)
			} else if !c.Value.Same(rotated.Value) {
				t.Errorf("%s: the withheld connect.sid is not the logged-in one", q.URL)
			}
			if _, ok := sentCookie(q, "connect.sid"); ok {
				t.Errorf("%s: connect.sid was sent over http", q.URL)
			}
			if len(q.SetCookies) != 0 {
				t.Errorf("%s: express-session sent %d Set-Cookie lines over http, want none", q.URL, len(q.SetCookies))
			}
			if !q.ResponseExtraInfo {
				t.Errorf("%s: no response ExtraInfo: its Set-Cookie lines are unknown, not absent", q.URL)
			}
			if q.Step != click {
				t.Errorf("%s is recorded in step %d, want the click's step %d", q.URL, q.Step, click)
			}
		}
		if plain[0].URL != httpBase+"account" || plain[0].Status != 302 || !strings.HasSuffix(plain[0].Location, "/login") {
			t.Errorf("the first http request is %s %d -> %q, want %saccount 302 -> /login", plain[0].URL, plain[0].Status, plain[0].Location, httpBase)
		}
		// The browser still holds the logged-in ID: nothing ended it, it
		// just cannot be used over http.
		if c, ok := jarCookie(r, click, "connect.sid"); !ok || !c.Value.Same(rotated.Value) {
			t.Error("after the http click the jar no longer holds the logged-in connect.sid")
		}
	})

	// The logged-in state as the harness sees it: in after login, out on
	// the http login page. The observed reset rests on it.
	authSubtest(t, r, login, click)

	// The diagnosis.
	rep := analysis.Analyze(r)
	t.Run("analysis", func(t *testing.T) {
		rs := resets(rep)
		if len(rs) != 1 {
			t.Errorf("expected exactly one session reset (secure-over-http at step %d, the http click); got %d: %s", click, len(rs), describeResets(rs))
		} else if got := rs[0]; got.Cause != analysis.CauseSecureOverHTTP || got.Step != click || got.Basis != analysis.BasisObserved {
			t.Errorf("expected the reset as cause %s at step %d with basis %q (the login page was shown, express-session set no new cookie); got cause %s at step %d with basis %q",
				analysis.CauseSecureOverHTTP, click, analysis.BasisObserved, got.Cause, got.Step, got.Basis)
		}
		wantFinding(t, rep, analysis.RuleMixedSchemeLink, "", "the https account page links to http://shop.test where connect.sid is Secure")
		wantNoFinding(t, rep, analysis.RuleSessionFixation, "regenerate gives a new ID at login")
	})
}
