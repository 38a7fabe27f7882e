package lab

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// spaCall sends a request to spa.test's API: a JSON body when body is not
// "", the bearer token when token is not "" (as the whole Authorization
// header when it has a space).
func spaCall(tc *tclient, method, u, body, token string) result {
	tc.t.Helper()
	var req *http.Request
	var err error
	if body != "" {
		req, err = http.NewRequest(method, u, strings.NewReader(body))
	} else {
		req, err = http.NewRequest(method, u, nil)
	}
	if err != nil {
		tc.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	switch {
	case strings.Contains(token, " "):
		req.Header.Set("Authorization", token)
	case token != "":
		req.Header.Set("Authorization", "Bearer "+token)
	}
	r := tc.do(req)
	if sc := r.rawSetCookies(); len(sc) > 0 {
		tc.t.Errorf("%s %s set cookies on spa.test: %q", method, u, sc)
	}
	return r
}

// spaLogin logs alice in and returns the decoded token response.
func spaLogin(t *testing.T, tc *tclient, base string) spaTokens {
	t.Helper()
	r := spaCall(tc, http.MethodPost, base+"/api/login", `{"user":"alice","password":"lab-password"}`, "")
	if r.status != http.StatusOK {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("login Content-Type %q", ct)
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("login Cache-Control %q", cc)
	}
	var tok spaTokens
	if err := json.Unmarshal([]byte(r.body), &tok); err != nil {
		t.Fatalf("login body %q: %v", r.body, err)
	}
	return tok
}

func TestSPALoginIssuesJWTAndRefreshToken(t *testing.T) {
	l, tc, base := siteClient(t, Config{}, "spa.test")
	before := time.Now().Unix()
	tok := spaLogin(t, tc, base)
	if tok.TokenType != "Bearer" || tok.ExpiresIn != 900 {
		t.Errorf("token_type %q, expires_in %d; want Bearer, 900", tok.TokenType, tok.ExpiresIn)
	}
	parts := strings.Split(tok.AccessToken, ".")
	if len(parts) != 3 {
		t.Fatalf("access token %q is not a JWT", tok.AccessToken)
	}
	var header struct{ Alg, Typ string }
	var claims map[string]any
	for i, v := range []any{&header, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatalf("JWT part %d: %v", i, err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("JWT part %d %q: %v", i, b, err)
		}
	}
	if header.Alg != "HS256" || header.Typ != "JWT" {
		t.Errorf("JWT header %+v", header)
	}
	iat, _ := claims["iat"].(float64)
	exp, _ := claims["exp"].(float64)
	if claims["sub"] != "alice" || int64(iat) < before || int64(iat) > time.Now().Unix() || exp-iat != 900 || len(claims) != 3 {
		t.Errorf("JWT claims %v: want sub alice, iat now, exp iat+900, nothing else", claims)
	}
	// Signed with the lab's own key.
	if want := l.sites["spa.test"].spa.jwt.sign(parts[0] + "." + parts[1]); parts[2] != want {
		t.Errorf("JWT signature %q, want %q", parts[2], want)
	}
	if rb, err := base64.RawURLEncoding.DecodeString(tok.RefreshToken); err != nil || len(rb) != 32 {
		t.Errorf("refresh token %q: %d bytes, %v; want 32 bytes of base64url", tok.RefreshToken, len(rb), err)
	}
	// A second login gets another refresh token; both tokens are issued values (leak checks).
	again := spaLogin(t, tc, base)
	if again.RefreshToken == tok.RefreshToken {
		t.Error("two logins got the same refresh token")
	}
	issued := l.IssuedSessionValues()
	for _, v := range []string{tok.AccessToken, tok.RefreshToken, again.RefreshToken} {
		if !slices.Contains(issued, v) {
			t.Errorf("%q is not in IssuedSessionValues", v)
		}
	}
}

func TestSPAWrongCredentialsRefused(t *testing.T) {
	_, tc, base := siteClient(t, Config{}, "spa.test")
	cases := []struct {
		body   string
		status int
	}{
		{`{"user":"alice","password":"wrong"}`, http.StatusUnauthorized},
		{`{"user":"bob","password":"lab-password"}`, http.StatusUnauthorized},
		{`{"user":"alice"}`, http.StatusUnauthorized},
		{`{"user":"alice","password":"lab-password "}`, http.StatusUnauthorized},
		{`user=alice&password=lab-password`, http.StatusBadRequest},
		{`[]`, http.StatusBadRequest},
	}
	for _, c := range cases {
		r := spaCall(tc, http.MethodPost, base+"/api/login", c.body, "")
		if r.status != c.status || strings.Contains(r.body, "access_token") || !strings.Contains(r.body, `"error"`) {
			t.Errorf("login %s: %d %s; want %d and a JSON error without a token", c.body, r.status, r.body, c.status)
		}
	}
	if r := spaCall(tc, http.MethodGet, base+"/api/login", "", ""); r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "POST" {
		t.Errorf("GET /api/login: %d, Allow %q", r.status, r.header.Get("Allow"))
	}
}

func TestSPABearerChecked(t *testing.T) {
	l, tc, base := siteClient(t, Config{}, "spa.test")
	tok := spaLogin(t, tc, base)

	me := spaCall(tc, http.MethodGet, base+"/api/me", "", tok.AccessToken)
	if me.status != http.StatusOK || strings.TrimSpace(me.body) != `{"user":"alice"}` {
		t.Fatalf("/api/me with the token: %d %s", me.status, me.body)
	}
	if cc := me.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("/api/me Cache-Control %q", cc)
	}
	// The scheme is case-insensitive (RFC 7235).
	if r := spaCall(tc, http.MethodGet, base+"/api/me", "", "bearer "+tok.AccessToken); r.status != http.StatusOK {
		t.Errorf("/api/me with scheme bearer: %d", r.status)
	}
	orders := spaCall(tc, http.MethodGet, base+"/api/orders", "", tok.AccessToken)
	var o struct{ Orders []spaOrder }
	if orders.status != http.StatusOK || json.Unmarshal([]byte(orders.body), &o) != nil || len(o.Orders) != 3 {
		t.Errorf("/api/orders with the token: %d %s", orders.status, orders.body)
	}

	// Without a token: 401, a WWW-Authenticate challenge without an error code.
	r := spaCall(tc, http.MethodGet, base+"/api/me", "", "")
	if r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") != `Bearer realm="spa.test"` ||
		r.header.Get("Content-Type") != "application/json" || strings.Contains(r.body, "alice") {
		t.Errorf("/api/me without a token: %d %q %s", r.status, r.header.Get("WWW-Authenticate"), r.body)
	}
	if r := spaCall(tc, http.MethodGet, base+"/api/orders", "", ""); r.status != http.StatusUnauthorized {
		t.Errorf("/api/orders without a token: %d", r.status)
	}

	// Bad tokens: invalid_token.
	parts := strings.Split(tok.AccessToken, ".")
	forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"mallory","iat":1,"exp":99999999999}`)) + "." + parts[2]
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."
	expired := l.sites["spa.test"].spa.token("alice", time.Now().Add(-spaTokenLifetime-time.Second))
	bad := map[string]string{
		"garbage":            "not-a-jwt",
		"a claim changed":    forged,
		"alg none":           none,
		"expired":            expired,
		"the refresh token":  tok.RefreshToken,
		"scheme Basic":       "Basic " + tok.AccessToken,
		"another lab's key":  (&spaApp{jwt: &jwtCodec{key: randomKey(32)}}).token("alice", time.Now()),
		"scheme with no key": "Bearer  ",
	}
	for what, v := range bad {
		for _, path := range []string{"/api/me", "/api/orders"} {
			r := spaCall(tc, http.MethodGet, base+path, "", v)
			if r.status != http.StatusUnauthorized || !strings.Contains(r.header.Get("WWW-Authenticate"), `error="invalid_token"`) ||
				strings.Contains(r.body, "alice") || strings.Contains(r.body, "orders") {
				t.Errorf("%s with %s: %d %q %s", path, what, r.status, r.header.Get("WWW-Authenticate"), r.body)
			}
		}
	}
	if r := spaCall(tc, http.MethodPost, base+"/api/me", "{}", tok.AccessToken); r.status != http.StatusMethodNotAllowed {
		t.Errorf("POST /api/me: %d", r.status)
	}
}

// The lab's bug: logout answers 204 and the token stays valid.
func TestSPALogoutDoesNotRevoke(t *testing.T) {
	_, tc, base := siteClient(t, Config{}, "spa.test")
	tok := spaLogin(t, tc, base)
	out := spaCall(tc, http.MethodPost, base+"/api/logout", "", tok.AccessToken)
	if out.status != http.StatusNoContent || out.body != "" {
		t.Fatalf("logout: %d %q, want 204 and no body", out.status, out.body)
	}
	for _, path := range []string{"/api/me", "/api/orders"} {
		if r := spaCall(tc, http.MethodGet, base+path, "", tok.AccessToken); r.status != http.StatusOK {
			t.Errorf("%s after logout: %d, want the token still accepted", path, r.status)
		}
	}
	if r := spaCall(tc, http.MethodGet, base+"/api/logout", "", tok.AccessToken); r.status != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/logout: %d", r.status)
	}
}

func TestSPAPagesServed(t *testing.T) {
	_, tc, base := siteClient(t, Config{}, "spa.test")
	for _, path := range []string{"/", "/account"} {
		r := spaCall(tc, http.MethodGet, base+path, "", "")
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s: %d %q", path, r.status, r.header.Get("Content-Type"))
		}
		mustContain(t, path, r.body, `<title>spa.test</title>`)
		mustContain(t, path, r.body, `<div id="app">`)
		mustContain(t, path, r.body, `<script src="/app.js"></script>`)
	}
	if r := spaCall(tc, http.MethodPost, base+"/", "{}", ""); r.status != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d", r.status)
	}
	js := spaCall(tc, http.MethodGet, base+"/app.js", "", "")
	if js.status != http.StatusOK || js.header.Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Fatalf("/app.js: %d %q", js.status, js.header.Get("Content-Type"))
	}
	// What the scenario and the analysis rely on: the ids it drives, the
	// writes it records, the bearer header.
	for _, want := range []string{`id="login-form"`, `id="user"`, `id="password"`, `id="welcome"`, `id="load-orders"`,
		`p.id = "orders"`, `id="logout"`, `"Bearer "`, `localStorage.setItem("access_token"`, `localStorage.setItem("refresh_token"`,
		`sessionStorage.setItem(USER_KEY`, `"` + spaUserKey + `"`, `localStorage.setItem("ui_theme", "dark")`,
		`sessionStorage.setItem("nav_state"`, `sessionStorage.removeItem(USER_KEY)`, `history.pushState(null, "", "/account")`,
		`history.pushState(null, "", "/")`} {
		mustContain(t, "app.js", js.body, want)
	}
	for _, want := range []string{`id="load-report"`, `id="open-tab" href="/account" target="_blank"`, `localStorage.clear()`, `sessionStorage.clear()`} {
		mustContain(t, "app.js", js.body, want)
	}
	// The bug is in the script: the logout never touches localStorage
	// (only the error handler of /api/report clears it), and no cookie.
	_, logout, _ := strings.Cut(js.body, "function logout(")
	logout, _, _ = strings.Cut(logout, "\n  }\n")
	mustContain(t, "app.js's logout", logout, "sessionStorage.removeItem(USER_KEY)")
	for _, bad := range []string{"localStorage.removeItem", "localStorage.clear"} {
		mustNotContain(t, "app.js's logout", logout, bad)
	}
	mustNotContain(t, "app.js", js.body, "document.cookie")
}

// /api/report is a service that is down: 503 to anyone, with or without a
// token (the app's error handler takes it for an ended session).
func TestSPAReportDown(t *testing.T) {
	_, tc, base := siteClient(t, Config{}, "spa.test")
	tok := spaLogin(t, tc, base)
	for _, bearer := range []string{tok.AccessToken, ""} {
		if r := spaCall(tc, http.MethodGet, base+"/api/report", "", bearer); r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, `"unavailable"`) {
			t.Errorf("/api/report (token %v): %d %s", bearer != "", r.status, r.body)
		}
	}
	if r := spaCall(tc, http.MethodGet, base+"/api/me", "", tok.AccessToken); r.status != http.StatusOK {
		t.Errorf("/api/me after the report: %d: the token must still be good", r.status)
	}
}
