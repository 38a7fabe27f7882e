//go:build conformance

package conformance

import (
	"fmt"
	"html"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// scsApp is a login app on scs with its default settings (cookie
// "session", persistent, 24 h, in-memory store): RenewToken at login,
// Destroy at logout, and a write on every account visit.
func scsApp() http.Handler {
	sm := scs.New()
	page := func(w http.ResponseWriter, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html>", body)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		sm.Put(r.Context(), "visitor", true) // an anonymous session before login
		page(w, `<title>Sign in</title><form id="login-form" method="post" action="/login">`+
			`<input id="user" name="user"> <input id="password" name="password" type="password">`+
			`<button type="submit">Sign in</button></form>`)
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		if err := sm.RenewToken(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		sm.Put(r.Context(), "user", r.PostFormValue("user"))
		http.Redirect(w, r, "/account", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /account", func(w http.ResponseWriter, r *http.Request) {
		user := sm.GetString(r.Context(), "user")
		if user == "" {
			http.Redirect(w, r, "/login", http.StatusFound)
			return
		}
		visits := sm.GetInt(r.Context(), "visits") + 1
		sm.Put(r.Context(), "visits", visits)
		page(w, fmt.Sprintf(`<title>Account</title><p id="welcome">Welcome, %s (visit %d)</p>`+
			`<form id="logout-form" method="post" action="/logout"><button id="logout" type="submit">Sign out</button></form>`,
			html.EscapeString(user), visits))
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		if err := sm.Destroy(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	})
	return sm.LoadAndSave(mux)
}

// TestSCS: a server-side store done right, on a stack whose cookie is
// named "session" like Flask's: an opaque token, renewed at login,
// re-sent unchanged (with a new expiry) on writes, destroyed at logout.
func TestSCS(t *testing.T) {
	srv := httptest.NewServer(scsApp())
	t.Cleanup(srv.Close)
	p := srv.Listener.Addr().(*net.TCPAddr).Port
	r, base := runHTTP(t, "scs.yaml", "scs.test", p)
	logout := stepOf(t, r, "click", "logout")

	t.Run("recording", func(t *testing.T) {
		gets := wantDocuments(t, r, "GET", base+"login", 2) // before login, after logout
		anon := setCookie(t, gets[0], "session")
		life, persistent := anon.Lifetime(gets[0].Start)
		if !persistent || life < 23*time.Hour || anon.Value.Len != 43 || recording.ClientSideFormat(anon.Value.Format) {
			t.Errorf("the anonymous token: lifetime %v (persistent %v), %d bytes, format %q; want a 24 h persistent 43-byte opaque token",
				life, persistent, anon.Value.Len, anon.Value.Format)
		}
		post := wantDocuments(t, r, "POST", base+"login", 1)
		token := setCookie(t, post[0], "session").Value
		if token.Same(anon.Value) {
			t.Error("RenewToken did not give a new token at login")
		}
		// Every account visit writes the session: scs re-sends the same
		// token with a new expiry.
		acct := wantDocuments(t, r, "GET", base+"account", 2)
		for _, q := range acct {
			if c, ok := sentCookie(q, "session"); !ok || !c.Value.Same(token) {
				t.Errorf("%s (step %d) did not send the logged-in token", q.URL, q.Step)
			}
			if sc := setCookie(t, q, "session"); !sc.Value.Same(token) || sc.Deletion {
				t.Errorf("%s (step %d): the write did not re-send the same token", q.URL, q.Step)
			}
		}
		out := documents(requests(r, "POST", base+"logout"))
		if len(out) != 1 || !setCookie(t, out[0], "session").Deletion || out[0].Step != logout {
			t.Fatal("Destroy did not delete the session cookie in the logout step")
		}
		if r.Probe == nil || r.Probe.Error != "" || r.Probe.LoggedIn || r.Probe.Status != http.StatusFound {
			t.Errorf("the logout probe = %+v, want a 302 to /login, not logged in (Destroy ended it)", r.Probe)
		}
	})

	rep := analysis.Analyze(r)
	t.Run("analysis", func(t *testing.T) {
		wantServerSideDoneRight(t, rep, "RenewToken gives a new token at login",
			"Destroy deletes the server's data",
			"the cookie named session is an opaque token into the server's store, not data",
			"the token changes only at login (rotation) and ends at logout; the writes re-send it unchanged")
	})
}
