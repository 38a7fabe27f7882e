//go:build conformance

package conformance

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// python is Debian's interpreter, where python3-flask installs Flask (a
// python3 earlier on PATH, e.g. pyenv's, may have another Flask or none).
func python(t *testing.T) string {
	t.Helper()
	py := os.Getenv("CONFORMANCE_PYTHON")
	if py == "" {
		py = "/usr/bin/python3"
	}
	if out, err := exec.Command(py, "-c", "import flask").CombinedOutput(); err != nil {
		t.Fatalf("Flask is not importable by %s (%v: %s): %s (Debian: apt-get install python3-flask)", py, err, out, install)
	}
	return py
}

// TestFlask: Flask's default session lives in the cookie "session",
// signed by itsdangerous. Every write re-signs it (new value, same
// session), and session.clear() at logout only deletes the cookie in the
// browser: the pre-logout cookie still logs in.
func TestFlask(t *testing.T) {
	py := python(t)
	dir := stackDir(t, "flask")
	r, base := runHTTP(t, "flask.yaml", "flask.test", serveHTTP(t, "Flask app", dir, py, filepath.Join(dir, "app.py")))
	clientSideJourney(t, r, base, "session", recording.FormatItsdangerous)
}

// TestCookieSession: cookie-session keeps the session (base64 JSON) in
// "session" and its keygrip signature in "session.sig"; both get new
// values on every write, and logout (req.session = null) expires both in
// the browser only.
func TestCookieSession(t *testing.T) {
	r, base := runNode(t, "cookie-session", "express", "cookie-session")
	clientSideJourney(t, r, base, "session", recording.FormatBase64JSON)
	signaturePair(t, r, base, "session", "session.sig")
}

// TestKoaSession: koa-session's default store is the cookie itself,
// "koa.sess" (base64 JSON with its own _expire and _maxAge) signed in
// "koa.sess.sig"; logout (ctx.session = null) expires both in the browser
// only.
func TestKoaSession(t *testing.T) {
	r, base := runNode(t, "koa-session", "koa", "koa-session")
	clientSideJourney(t, r, base, "koa.sess", recording.FormatBase64JSON)
	signaturePair(t, r, base, "koa.sess", "koa.sess.sig")
	t.Run("recording/lifetime", func(t *testing.T) {
		// koa-session's first write (login) sets session cookies; later
		// writes restore the default maxAge (one day) from the _maxAge the
		// data carries, so the same session becomes persistent.
		post := documents(requests(r, "POST", base+"login"))
		acct := documents(requests(r, "GET", base+"account"))
		if len(post) != 1 || len(acct) == 0 {
			t.Fatal("no login POST or account page")
		}
		for _, name := range []string{"koa.sess", "koa.sess.sig"} {
			if life, ok := setCookie(t, post[0], name).Lifetime(post[0].Start); ok {
				t.Errorf("login's %s line has a lifetime (%v), want a session cookie", name, life)
			}
			for _, q := range acct {
				if life, ok := setCookie(t, q, name).Lifetime(q.Start); !ok || life < 23*time.Hour || life > 25*time.Hour {
					t.Errorf("%s: %s lifetime %v (persistent %v), want one day", q.URL, name, life, ok)
				}
			}
		}
	})
}

// runNode serves node/<stack>-app.js with the npm packages pkgs and runs
// scenarios/<stack>.yaml against it on <stack>.test: the recording and
// the base URL.
func runNode(t *testing.T, stack string, pkgs ...string) (*recording.Recording, string) {
	t.Helper()
	dir := nodeModules(t, pkgs...)
	return runHTTP(t, stack+".yaml", stack+".test", serveHTTP(t, stack+" app", dir, "node", filepath.Join(dir, stack+"-app.js")))
}

// signaturePair checks a keygrip-signed pair: the signature cookie sig
// is set with the data cookie name on every write and expired with it.
func signaturePair(t *testing.T, r *recording.Recording, base, name, sig string) {
	t.Helper()
	t.Run("recording/signature", func(t *testing.T) {
		for _, q := range documents(append(requests(r, "GET", base+"account"), requests(r, "POST", base+"login")...)) {
			if n, m := len(setCookies(q, name)), len(setCookies(q, sig)); n != 1 || m != 1 {
				t.Errorf("%s %s: %d %s lines and %d %s lines, want one of each", q.Method, q.URL, n, name, m, sig)
			}
			if c, ok := sentCookie(q, sig); q.Method == "GET" && !ok {
				t.Errorf("%s: %s not sent along with %s", q.URL, sig, name)
			} else if ok && c.Value.Len != 27 {
				t.Errorf("%s: %s is %d bytes, want 27 (keygrip's base64url SHA-1 HMAC)", q.URL, sig, c.Value.Len)
			}
		}
		post := documents(requests(r, "POST", base+"logout"))
		if len(post) != 1 || len(setCookies(post[0], sig)) != 1 || !setCookies(post[0], sig)[0].Deletion {
			t.Errorf("logout did not expire %s", sig)
		}
	})
}

// clientSideJourney checks the journey login, /account three times
// (after the login redirect, then twice), logout, against a stack whose
// session is the cookie name itself, in the value format format.
func clientSideJourney(t *testing.T, r *recording.Recording, base, name string, format recording.Format) {
	t.Helper()
	login := stepOf(t, r, "submit", "login")
	logout := stepOf(t, r, "click", "logout")

	t.Run("recording", func(t *testing.T) {
		// No session before login: the login page does not touch it.
		if c, ok := jarCookie(r, 0, name); ok {
			t.Errorf("a %s cookie (%d bytes) exists before login", name, c.Value.Len)
		}
		post := wantDocuments(t, r, "POST", base+"login", 1)
		prev := setCookie(t, post[0], name).Value
		if prev.Format != format {
			t.Errorf("the %s value's format is %q, want %q", name, prev.Format, format)
		}
		// Every /account response re-signs the session: a new value each
		// time, and the next request sends the value just set.
		acct := wantDocuments(t, r, "GET", base+"account", 3)
		for i, q := range acct {
			sent, ok := sentCookie(q, name)
			if !ok || !sent.Value.Same(prev) {
				t.Errorf("/account #%d did not send the %s value set by the response before it", i+1, name)
			}
			sc := setCookie(t, q, name)
			if sc.Value.Same(prev) || sc.Deletion {
				t.Errorf("/account #%d: the response did not set a new %s value", i+1, name)
			}
			if sc.Value.Format != format {
				t.Errorf("/account #%d: format %q, want %q", i+1, sc.Value.Format, format)
			}
			prev = sc.Value
		}
		if acct[0].Step != login {
			t.Errorf("the first /account is in step %d, want the login step %d", acct[0].Step, login)
		}
		// Logout deletes the cookie in the browser.
		out := wantDocuments(t, r, "POST", base+"logout", 1)
		if sc := setCookie(t, out[0], name); !sc.Deletion {
			t.Errorf("logout's %s line is not a deletion: %s", name, sc.Attributes)
		}
		if _, ok := jarCookie(r, logout, name); ok {
			t.Errorf("the jar still holds %s after logout", name)
		}
		// The logout probe: the pre-logout cookies still log in.
		if r.Probe == nil || r.Probe.Error != "" || r.Probe.Status != 200 || !r.Probe.LoggedIn {
			t.Errorf("the logout probe = %+v, want status 200 and loggedIn (nothing on the server ends a client-side session)", r.Probe)
		}
	})

	authSubtest(t, r, login, logout)

	rep := analysis.Analyze(r)
	t.Run("analysis", func(t *testing.T) {
		wantNoResets(t, rep, fmt.Sprintf("every new %s value is the same session re-signed, the user stays logged in until logout", name))
		if fs := wantFinding(t, rep, "SESSION-CLIENT-SIDE", analysis.Info, fmt.Sprintf("%s holds the session data itself (%s)", name, format)); len(fs) > 1 {
			t.Errorf("expected one SESSION-CLIENT-SIDE finding (one session: %s and its signature, if any); got %d", name, len(fs))
		}
		if s := sessionReport(rep, name); s == nil {
			t.Errorf("no session report for %s; sessions: %v", name, sessionNames(rep))
		} else {
			if s.ClientSide == "" {
				t.Errorf("expected the %s session report to say why it is client-side; clientSide is empty", name)
			}
			// The values set by the account pages between login and
			// logout were replaced by the next write of the same session.
			for _, id := range s.IDs {
				if id.FirstStep > login && id.LastStep < logout && id.Ended != analysis.EndReissued {
					t.Errorf("expected the %s value of steps %d-%d to end %q (re-signed by the next write, the user still logged in); got %q",
						name, id.FirstStep, id.LastStep, analysis.EndReissued, id.Ended)
				}
			}
		}
		wantFinding(t, rep, analysis.RuleSessionNotInvalidated, analysis.High, "the probe replayed the pre-logout cookie and was logged in")
		wantNoFinding(t, rep, analysis.RuleSessionLogoutIncomplete, "logout deletes the cookie in the browser")
	})
}
