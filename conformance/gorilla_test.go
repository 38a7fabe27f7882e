//go:build conformance

package conformance

import (
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

const gorillaCookie = "shop_session"

// gorillaApp is a login app on gorilla/sessions with a FilesystemStore:
// the session lives in a file, the cookie holds its ID encoded by
// securecookie (hash key: HMAC; block key: AES, so a fresh IV and
// timestamp give a new cookie value on every save). It saves the session
// on every request (a last-seen time) and, at login, marks the existing
// session authenticated instead of starting a new one: session fixation
// behind a cookie whose value changes anyway.
func gorillaApp(dir string) http.Handler {
	store := sessions.NewFilesystemStore(dir, securecookie.GenerateRandomKey(32), securecookie.GenerateRandomKey(32))
	store.Options.HttpOnly = true
	store.Options.SameSite = http.SameSiteLaxMode
	page := func(w http.ResponseWriter, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html>", body)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, _ := store.Get(r, gorillaCookie) // a decode error gives a new session, as apps do
		s.Values["seen"] = time.Now().UnixNano()
		save := func() bool {
			if err := s.Save(r, w); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return false
			}
			return true
		}
		switch {
		case r.URL.Path == "/login" && r.Method == http.MethodGet:
			if save() {
				page(w, `<title>Sign in</title><form id="login-form" method="post" action="/login">`+
					`<input id="user" name="user"> <input id="password" name="password" type="password">`+
					`<button type="submit">Sign in</button></form>`)
			}
		case r.URL.Path == "/login" && r.Method == http.MethodPost:
			s.Values["user"] = r.PostFormValue("user") // same session, now logged in
			if save() {
				http.Redirect(w, r, "/account", http.StatusSeeOther)
			}
		case r.URL.Path == "/account":
			user, _ := s.Values["user"].(string)
			if !save() {
				return
			}
			if user == "" {
				http.Redirect(w, r, "/login", http.StatusFound)
				return
			}
			page(w, `<title>Account</title><p id="welcome">Welcome, `+html.EscapeString(user)+`</p>`)
		default:
			http.NotFound(w, r)
		}
	})
}

// startGorilla serves gorillaApp in the test process on 127.0.0.1 (a free
// port), closed when the test ends.
func startGorilla(t *testing.T) int {
	t.Helper()
	srv := httptest.NewServer(gorillaApp(t.TempDir()))
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().(*net.TCPAddr).Port
}

// TestGorillaSessions: gorilla/sessions keeps the session at login but the
// cookie value changes on every save. Only replaying the pre-login cookie
// (the login probe) tells this fixation from a rotation; without the probe
// the analysis must not claim either as a fact.
func TestGorillaSessions(t *testing.T) {
	p := startGorilla(t)
	base := fmt.Sprintf("http://gorilla.test:%d/", p)

	// The stack itself, without a browser: the pre-login cookie still
	// opens the account after login, though login set a new value.
	t.Run("stack", func(t *testing.T) {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		origin := fmt.Sprintf("http://127.0.0.1:%d", p)
		resp, err := c.Get(origin + "/login")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		pre := cookieOf(resp, gorillaCookie)
		resp, err = c.PostForm(origin+"/login", url.Values{"user": {"alice"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		post := cookieOf(resp, gorillaCookie)
		if pre == "" || post == "" || pre == post {
			t.Fatalf("login did not set a new %s value (before %d bytes, after %d bytes)", gorillaCookie, len(pre), len(post))
		}
		req, _ := http.NewRequest(http.MethodGet, origin+"/account", nil)
		req.AddCookie(&http.Cookie{Name: gorillaCookie, Value: pre})
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), `id="welcome"`) {
			t.Fatalf("the pre-login cookie does not open the account (status %d): the app is not fixating as the test assumes", resp.StatusCode)
		}
	})

	withProbe, _ := runHTTP(t, "gorilla.yaml", "gorilla.test", p)
	noProbe, _ := runHTTP(t, "gorilla-noprobe.yaml", "gorilla.test", p)
	login := stepOf(t, withProbe, "submit", "login")
	gorillaRecording(t, withProbe, base, "recording/probe")
	preNo := gorillaRecording(t, noProbe, base, "recording/no-probe")

	t.Run("harness/login-probe", func(t *testing.T) {
		pr := withProbe.Steps[login].Probe
		if pr == nil || pr.Kind != "login" || !pr.LoggedIn || pr.Error != "" {
			t.Errorf("expected steps[%d].probe = {kind: login, loggedIn: true} (the harness replays the pre-login cookie to /account after the login step); got %+v", login, pr)
		}
	})

	t.Run("analysis/probe", func(t *testing.T) {
		rep := analysis.Analyze(withProbe)
		fs := wantFinding(t, rep, analysis.RuleSessionFixation, analysis.High,
			"the login probe logged in with the pre-login cookie, although the cookie value changed at login")
		if len(fs) > 0 && fs[0].Step != login {
			t.Errorf("SESSION-FIXATION at step %d, want the login step %d", fs[0].Step, login)
		}
		wantNoResets(t, rep, "the same session throughout, saved under a new envelope on every response")
	})

	t.Run("analysis/no-probe", func(t *testing.T) {
		rep := analysis.Analyze(noProbe)
		wantNoFinding(t, rep, analysis.RuleSessionFixation, "without the probe nothing shows the old value still logs in")
		wantNoResets(t, rep, "the same session throughout, saved under a new envelope on every response")
		s := sessionReport(rep, gorillaCookie)
		if s == nil {
			t.Fatalf("no session report for %s; sessions: %v", gorillaCookie, sessionNames(rep))
		}
		i := slices.IndexFunc(s.IDs, func(id analysis.ID) bool { return id.Fingerprint == preNo.Fingerprint })
		if i < 0 {
			t.Fatalf("no ID in the %s report for the pre-login value", gorillaCookie)
		}
		if id := s.IDs[i]; id.Ended != analysis.EndRotated || id.Note == "" {
			t.Errorf("expected the pre-login ID to end %q with a note that the rotation is only inferred from a signed, timestamped value (securecookie); got ended %q, note %q",
				analysis.EndRotated, id.Ended, id.Note)
		}
	})
}

func cookieOf(resp *http.Response, name string) string {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// gorillaRecording checks what every gorilla journey records: a new
// securecookie value on every response, each sent by the next request. It
// returns the pre-login value.
func gorillaRecording(t *testing.T, r *recording.Recording, base, name string) recording.Value {
	t.Helper()
	var pre recording.Value
	t.Run(name, func(t *testing.T) {
		docs := documents(append(requests(r, http.MethodGet, base), requests(r, http.MethodPost, base)...))
		slices.SortFunc(docs, func(a, b *recording.Request) int { return a.Start.Compare(b.Start) })
		want := []string{"GET /login", "POST /login", "GET /account", "GET /account"}
		var got []string
		for _, q := range docs {
			got = append(got, q.Method+" "+strings.TrimPrefix(q.URL, strings.TrimSuffix(base, "/")))
		}
		if !slices.Equal(got, want) {
			t.Fatalf("documents %v, want %v", got, want)
		}
		var prev *recording.Value
		for _, q := range docs {
			sc := setCookie(t, q, gorillaCookie)
			if sc.Value.Format != recording.FormatSecurecookie {
				t.Errorf("%s %s: format %q, want %s", q.Method, q.URL, sc.Value.Format, recording.FormatSecurecookie)
			}
			if prev != nil {
				if sent, ok := sentCookie(q, gorillaCookie); !ok || !sent.Value.Same(*prev) {
					t.Errorf("%s %s did not send the value the previous response set", q.Method, q.URL)
				}
				if sc.Value.Same(*prev) {
					t.Errorf("%s %s: the save gave the same cookie value again", q.Method, q.URL)
				}
			}
			v := sc.Value
			prev = &v
		}
		pre = docs[0].SetCookies[0].Value
	})
	return pre
}
