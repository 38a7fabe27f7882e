package lab

import (
	"encoding/json"
	"errors"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests run op.test's real provider: they need node and the npm
// install of lab/oidc (make lab-oidc), and fail with that message without.

// TestOIDCProviderStartsAndStops: op.test's first request starts node,
// the discovery document names op.test as the issuer, and Close leaves no
// process behind.
func TestOIDCProviderStartsAndStops(t *testing.T) {
	l, err := Start(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if pid := l.op.pid(); pid != 0 {
		t.Fatalf("the provider runs before any op.test request (pid %d)", pid)
	}
	tc := newClient(t, l)
	r := tc.get(l.URL(opHost) + "/.well-known/openid-configuration")
	if r.status != http.StatusOK {
		t.Fatalf("discovery: %d\n%s", r.status, truncate(r.body, 2000))
	}
	var meta struct {
		Issuer                string   `json:"issuer"`
		AuthorizationEndpoint string   `json:"authorization_endpoint"`
		TokenEndpoint         string   `json:"token_endpoint"`
		CodeChallengeMethods  []string `json:"code_challenge_methods_supported"`
		ResponseModes         []string `json:"response_modes_supported"`
	}
	if err := json.Unmarshal([]byte(r.body), &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Issuer != l.URL(opHost) || !strings.HasPrefix(meta.AuthorizationEndpoint, l.URL(opHost)+"/") ||
		!strings.HasPrefix(meta.TokenEndpoint, l.URL(opHost)+"/") {
		t.Errorf("discovery: issuer %q, endpoints %q %q; want them on %s", meta.Issuer, meta.AuthorizationEndpoint, meta.TokenEndpoint, l.URL(opHost))
	}
	if !strings.Contains(strings.Join(meta.CodeChallengeMethods, " "), "S256") || !strings.Contains(strings.Join(meta.ResponseModes, " "), "form_post") {
		t.Errorf("discovery: PKCE methods %v, response modes %v", meta.CodeChallengeMethods, meta.ResponseModes)
	}
	pid := l.op.pid()
	if pid == 0 {
		t.Fatal("no provider process after an op.test request")
	}
	if err := syscall.Kill(pid, 0); err != nil {
		t.Fatalf("provider process %d: %v", pid, err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	// Close reaps the process (cmd.Wait returned), so its PID is free: signal 0 finds nothing.
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("provider process %d still exists after Close (kill 0: %v)", pid, err)
	}
}

// TestOIDCProviderNotInstalled: without node_modules, op.test answers 503
// with the install step, and starts nothing.
func TestOIDCProviderNotInstalled(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("oidc/server.js")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "server.js"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	l := startLab(t, Config{OIDCDir: dir})
	r := newClient(t, l).get(l.URL(opHost) + "/.well-known/openid-configuration")
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", r.status)
	}
	mustContain(t, "op.test without node_modules", html.UnescapeString(r.body), "make lab-oidc")
	if pid := l.op.pid(); pid != 0 {
		t.Errorf("a provider process (%d) without node_modules", pid)
	}
}

var opFormAction = regexp.MustCompile(`<form id="op-form" method="post" action="([^"]+)">`)

// browse GETs u and follows redirects across hosts, as a browser would, up
// to a page; it returns the last result.
func (tc *tclient) browse(u string) result {
	tc.t.Helper()
	old := tc.follow
	tc.follow = true
	defer func() { tc.follow = old }()
	return tc.get(u)
}

// opLogin signs in on the provider's login page r (the user alice) and
// returns the provider's answer (a redirect, or the form_post page),
// without following it.
func (tc *tclient) opLogin(r result, password string) result {
	tc.t.Helper()
	m := opFormAction.FindStringSubmatch(r.body)
	if m == nil {
		tc.t.Fatalf("no #op-form at %s (%d):\n%s", r.url, r.status, truncate(r.body, 2000))
	}
	action, err := r.url.Parse(html.UnescapeString(m[1]))
	if err != nil {
		tc.t.Fatal(err)
	}
	res := tc.post(action.String(), url.Values{"user": {"alice"}, "password": {password}})
	// The provider answers the login with a redirect to its authorization
	// endpoint (resume), which answers the client.
	for i := 0; i < 5 && res.status >= 300 && res.status < 400; i++ {
		loc, err := res.url.Parse(res.location())
		if err != nil {
			tc.t.Fatal(err)
		}
		if loc.Host != action.Host {
			return res
		}
		res = tc.get(loc.String())
	}
	return res
}

// TestOIDCLoginFlow: rp.test's full-page login, from the account page to
// the provider and back, with PKCE and the state cookie; then a replayed
// callback is refused.
func TestOIDCLoginFlow(t *testing.T) {
	l, tc, base := siteClient(t, Config{}, "rp.test")
	r := tc.get(base + "/account")
	if r.status != http.StatusSeeOther || r.location() != "/login" {
		t.Fatalf("/account: %d to %q", r.status, r.location())
	}
	pre := tc.jarValue(base, "rp_session")
	r = tc.get(base + "/auth/login")
	loc, err := url.Parse(r.location())
	if r.status != http.StatusSeeOther || err != nil || loc.Host != strings.TrimPrefix(l.URL(opHost), "https://") {
		t.Fatalf("/auth/login: %d to %q", r.status, r.location())
	}
	q := loc.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("response_mode") != "" {
		t.Errorf("authorization request %v", q)
	}
	tx := r.setCookie(rpTxCookie)
	if tx == nil || tx.Value != q.Get("state") || tx.Path != "/" || tx.SameSite != http.SameSiteLaxMode || !tx.HttpOnly || !tx.Secure {
		t.Fatalf("state cookie %+v, state %q", tx, q.Get("state"))
	}
	page := tc.browse(loc.String())
	if page.status != http.StatusOK || page.url.Host != loc.Host {
		t.Fatalf("provider's login page: %d at %s", page.status, page.url)
	}
	if tc.jarValue(page.url.String(), "_interaction") == "" {
		t.Error("the provider set no _interaction cookie")
	}
	wrong := tc.opLogin(page, "wrong")
	mustContain(t, "wrong password", wrong.body, `id="op-login-error"`)
	back := tc.opLogin(tc.browse(loc.String()), "lab-password")
	cb, err := back.url.Parse(back.location())
	if err != nil || cb.Host != strings.TrimPrefix(base, "https://") || cb.Path != "/callback" || cb.Query().Get("code") == "" {
		t.Fatalf("provider's answer: %d to %q\n%s", back.status, back.location(), truncate(back.body, 1000))
	}
	if c := back.setCookie("_session"); c == nil || c.SameSite != http.SameSiteNoneMode || !c.Secure {
		t.Errorf("provider's session cookie %+v", c)
	}
	r = tc.get(cb.String())
	if r.status != http.StatusSeeOther || r.location() != "/account" {
		t.Fatalf("callback: %d to %q\n%s", r.status, r.location(), truncate(r.body, 2000))
	}
	if post := tc.jarValue(base, "rp_session"); post == "" || post == pre {
		t.Errorf("rp_session %q before, %q after the login: want a new one", pre, post)
	}
	if tc.jarValue(base+"/callback", rpTxCookie) != "" {
		t.Error("the state cookie outlived the callback")
	}
	mustContain(t, "account", tc.get(base+"/account").body, `<p id="welcome">Welcome, alice</p>`)

	// The same answer again: its state was used.
	r = tc.getWith(cb.String(), rpTxCookie+"="+cb.Query().Get("state"))
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "state_unknown") {
		t.Errorf("replayed callback: %d\n%s", r.status, truncate(r.body, 1000))
	}
}

// TestOIDCCallbackChecksState: rp.test's callback refuses an answer
// without its state cookie or with another state, before any exchange.
func TestOIDCCallbackChecksState(t *testing.T) {
	l, tc, base := siteClient(t, Config{}, "rp.test")
	r := tc.get(base + "/auth/login")
	loc, _ := url.Parse(r.location())
	state := loc.Query().Get("state")
	if state == "" {
		t.Fatalf("no state in %q", r.location())
	}
	for _, c := range []struct{ cookie, query, code string }{
		{"", "state=" + state + "&code=x", "state_cookie_missing"},
		{rpTxCookie + "=" + state, "state=other&code=x", "state_mismatch"},
		{rpTxCookie + "=other", "state=other&code=x", "state_unknown"},
	} {
		r := tc.getWith(base+"/callback?"+c.query, c.cookie)
		if r.status != http.StatusForbidden || !strings.Contains(r.body, `<code id="oidc-error-code">`+c.code+`</code>`) {
			t.Errorf("cookie %q, %s: %d\n%s", c.cookie, c.query, r.status, truncate(r.body, 1000))
		}
	}
	if pid := l.op.pid(); pid == 0 {
		t.Error("the RP did not reach the provider (discovery) at /auth/login")
	}
}

// TestOIDCPathCookie: rp-path.test's state cookie has no Path, so the
// browser keeps it for /auth only and the callback does not get it.
func TestOIDCPathCookie(t *testing.T) {
	_, tc, base := siteClient(t, Config{}, "rp-path.test")
	r := tc.get(base + "/auth/login")
	var line string
	for _, v := range r.rawSetCookies() {
		if strings.HasPrefix(v, rpTxCookie+"=") {
			line = v
		}
	}
	if line == "" || strings.Contains(line, "Path=") {
		t.Fatalf("state cookie %q: want one without Path", line)
	}
	loc, _ := url.Parse(r.location())
	back := tc.opLogin(tc.browse(loc.String()), "lab-password")
	cb, err := back.url.Parse(back.location())
	if err != nil || cb.Path != "/callback" {
		t.Fatalf("provider's answer: %d to %q", back.status, back.location())
	}
	if tc.jarValue(base+"/auth/login", rpTxCookie) == "" {
		t.Fatal("the jar has no state cookie for /auth")
	}
	r = tc.get(cb.String())
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "state_cookie_missing") {
		t.Errorf("callback: %d\n%s", r.status, truncate(r.body, 1000))
	}
}

var formPostField = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)

// TestOIDCFormPost: rp-post.test keeps the state in its session and gets
// the answer as a form_post. With the session cookie the login works; a
// POST without it (a browser withholding the SameSite=Lax cookie on a
// cross-site POST) cannot be verified and starts a new session.
func TestOIDCFormPost(t *testing.T) {
	for _, withSession := range []bool{true, false} {
		l, tc, base := siteClient(t, Config{}, "rp-post.test")
		tc.get(base + "/account") // the pre-login session, with return_to
		sid := tc.jarValue(base, "rp_session")
		r := tc.get(base + "/auth/login")
		loc, _ := url.Parse(r.location())
		if loc.Query().Get("response_mode") != "form_post" {
			t.Fatalf("authorization request %q", r.location())
		}
		if r.setCookie(rpTxCookie) != nil {
			t.Error("rp-post.test set a state cookie; it keeps the state in the session")
		}
		page := tc.opLogin(tc.browse(loc.String()), "lab-password")
		if page.status != http.StatusOK || !strings.Contains(page.body, `action="`+base+`/callback"`) {
			t.Fatalf("form_post page: %d\n%s", page.status, truncate(page.body, 2000))
		}
		form := url.Values{}
		for _, m := range formPostField.FindAllStringSubmatch(page.body, -1) {
			form.Set(m[1], html.UnescapeString(m[2]))
		}
		if form.Get("code") == "" || form.Get("state") == "" {
			t.Fatalf("form_post fields %v", form)
		}
		cookie := ""
		if withSession {
			cookie = "rp_session=" + sid
		}
		r = tc.postWith(base+"/callback", form, cookie)
		if withSession {
			if r.status != http.StatusSeeOther || r.location() != "/account" {
				t.Errorf("callback with the session: %d to %q\n%s", r.status, r.location(), truncate(r.body, 1000))
			}
		} else {
			if r.status != http.StatusForbidden || !strings.Contains(r.body, rpStateError) || r.setCookie("rp_session") == nil {
				t.Errorf("callback without the session: %d, rp_session %v\n%s", r.status, r.setCookie("rp_session"), truncate(r.body, 1000))
			}
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOIDCIDTokenChecks: the claims the RP checks, each refused when wrong.
func TestOIDCIDTokenChecks(t *testing.T) {
	a := &rpApp{host: "rp.test"}
	now := time.Unix(1_000_000, 0)
	tok := func(claims string) string {
		return b64.EncodeToString([]byte(`{"alg":"RS256"}`)) + "." + b64.EncodeToString([]byte(claims)) + ".sig"
	}
	good := `{"iss":"https://op.test:1","sub":"alice","aud":"rp.test","exp":1000100,"nonce":"n"}`
	if sub, err := a.checkIDToken(tok(good), "https://op.test:1", "n", now); err != nil || sub != "alice" {
		t.Fatalf("good token: %q, %v", sub, err)
	}
	for name, c := range map[string]string{
		"issuer":  strings.Replace(good, "op.test:1", "op.test:2", 1),
		"aud":     strings.Replace(good, `"aud":"rp.test"`, `"aud":["other"]`, 1),
		"expired": strings.Replace(good, "1000100", "999999", 1),
		"nonce":   strings.Replace(good, `"nonce":"n"`, `"nonce":"m"`, 1),
	} {
		if _, err := a.checkIDToken(tok(c), "https://op.test:1", "n", now); err == nil {
			t.Errorf("%s: accepted %s", name, c)
		}
	}
}
