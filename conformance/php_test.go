//go:build conformance

package conformance

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// startPHP runs router.php under PHP's built-in server on a free port and
// returns the port. php -S cannot report the port it bound, so the test
// picks one; if another process takes it first, php exits and the test
// tries another.
func startPHP(t *testing.T, env ...string) int {
	t.Helper()
	php, err := exec.LookPath("php")
	if err != nil {
		t.Fatalf("php is missing: %s (Debian: apt-get install php-cli)", install)
	}
	if out, err := exec.Command(php, "--version").Output(); err == nil {
		t.Logf("%s", strings.SplitN(string(out), "\n", 2)[0])
	}
	dir := stackDir(t, "php")
	var last error
	for range 3 {
		p := freePort(t)
		// Sessions are stored in the test's folder, not the system's.
		srv := start(t, "php -S", env, dir, php, "-d", "session.save_path="+t.TempDir(), "-d", "display_errors=stderr",
			"-S", fmt.Sprintf("127.0.0.1:%d", p), filepath.Join(dir, "router.php"))
		if last = srv.accepting(p); last == nil {
			return p
		}
	}
	t.Fatal(last)
	return 0
}

// TestPHPSessions: native sessions done right. session_regenerate_id(true)
// replaces PHPSESSID at login; logout deletes the cookie and destroys the
// session, so the replayed pre-logout ID no longer logs in.
func TestPHPSessions(t *testing.T) {
	p := startPHP(t)
	r, base := runHTTP(t, "php.yaml", "php.test", p)
	login := stepOf(t, r, "submit", "login")
	logout := stepOf(t, r, "click", "logout")

	t.Run("recording", func(t *testing.T) {
		gets := wantDocuments(t, r, "GET", base+"login", 2) // before login, after logout
		anon := setCookie(t, gets[0], "PHPSESSID").Value
		post := wantDocuments(t, r, "POST", base+"login", 1)
		if c, ok := sentCookie(post[0], "PHPSESSID"); !ok || !c.Value.Same(anon) {
			t.Error("the login POST did not carry the anonymous PHPSESSID")
		}
		authed := setCookie(t, post[0], "PHPSESSID").Value
		if authed.Same(anon) || authed.Format != "" {
			t.Errorf("regenerate: new value %v (format %q), want a new opaque ID", !authed.Same(anon), authed.Format)
		}
		for _, q := range documents(requests(r, "GET", base+"account")) {
			if c, ok := sentCookie(q, "PHPSESSID"); !ok || !c.Value.Same(authed) {
				t.Errorf("%s (step %d) did not send the logged-in PHPSESSID", q.URL, q.Step)
			}
			if len(setCookies(q, "PHPSESSID")) != 0 {
				t.Errorf("%s: PHP re-sent PHPSESSID on an ordinary request", q.URL)
			}
		}
		out := documents(requests(r, "POST", base+"logout"))
		if len(out) != 1 || !setCookie(t, out[0], "PHPSESSID").Deletion || out[0].Step != logout {
			t.Fatal("logout did not delete PHPSESSID in the logout step")
		}
		// After logout the login page starts a fresh anonymous session.
		fresh := setCookie(t, gets[1], "PHPSESSID").Value
		if fresh.Same(authed) || fresh.Same(anon) || gets[1].Step != logout {
			t.Error("the login page after logout did not start a fresh session in the logout step")
		}
		if r.Probe == nil || r.Probe.Error != "" || r.Probe.LoggedIn || r.Probe.Status != 302 {
			t.Errorf("the logout probe = %+v, want a 302 to /login, not logged in (session_destroy ended it)", r.Probe)
		}
		if r.Steps[login].Status != recording.StatusPassed {
			t.Error("the login step did not pass")
		}
	})

	rep := analysis.Analyze(r)
	t.Run("analysis", func(t *testing.T) {
		wantServerSideDoneRight(t, rep, "session_regenerate_id gives a new PHPSESSID at login",
			"session_destroy ends the session on the server",
			"PHPSESSID is an ID into the server's files store",
			"the only ID changes are the rotation at login and the end at logout")
	})
}

// TestPHPSessionFixation: the same app without session_regenerate_id at
// login keeps the anonymous visitor's PHPSESSID for the logged-in session.
func TestPHPSessionFixation(t *testing.T) {
	p := startPHP(t, "CONFORMANCE_NO_REGENERATE=1")
	r, base := runHTTP(t, "php-fixation.yaml", "php.test", p)
	login := stepOf(t, r, "submit", "login")

	t.Run("recording", func(t *testing.T) {
		gets := wantDocuments(t, r, "GET", base+"login", 1)
		anon := setCookie(t, gets[0], "PHPSESSID").Value
		post := wantDocuments(t, r, "POST", base+"login", 1)
		if n := len(setCookies(post[0], "PHPSESSID")); n != 0 {
			t.Errorf("the login response set PHPSESSID %d times, want none (no regenerate)", n)
		}
		if c, ok := jarCookie(r, login, "PHPSESSID"); !ok || !c.Value.Same(anon) {
			t.Error("after login the jar does not hold the anonymous PHPSESSID")
		}
	})

	rep := analysis.Analyze(r)
	t.Run("analysis", func(t *testing.T) {
		fs := wantFinding(t, rep, analysis.RuleSessionFixation, analysis.High, "PHPSESSID is the same before and after the login step")
		if len(fs) > 0 && (fs[0].Cookie != "PHPSESSID" || fs[0].Step != login) {
			t.Errorf("SESSION-FIXATION on %s at step %d, want PHPSESSID at step %d", fs[0].Cookie, fs[0].Step, login)
		}
		wantNoResets(t, rep, "nothing replaced or ended the ID")
	})
}
