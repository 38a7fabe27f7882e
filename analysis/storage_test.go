package analysis

import (
	"slices"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
)

const (
	appOrigin = "https://app.test"
	local     = recording.LocalStorage
	sessionSt = recording.SessionStorage
)

// spaLogin is a single-page app's login: its page, then a login step
// after which the page keeps tok in area under key and calls its API
// with it as a bearer token.
func spaLogin(b *rectest.Builder, area recording.StorageArea, key, tok string) {
	b.Step("goto", "")
	b.Get(appOrigin + "/")
	b.Step("submit", "login")
	b.Post(appOrigin + "/login")
	b.StorageSet(area, appOrigin, key, tok)
	b.Fetch(appOrigin+"/api/me", 200).Authorization("Bearer", tok)
}

// spaLogout adds the logout step: a click that loads the app's /logout.
func spaLogout(b *rectest.Builder) {
	b.Step("click", "logout", "click #logout")
	b.Get(appOrigin + "/logout")
}

// A value under a neutral name that the journey sends as its bearer
// token is a session token: the fingerprint match is the evidence.
func TestStorageTokenByBearer(t *testing.T) {
	b := rectest.New("spa")
	tok := rectest.ID("opaque")
	spaLogin(b, local, "app.cache.v1", tok)
	b.Fetch(appOrigin+"/api/orders", 200).Authorization("Bearer", tok)
	// Renewed: the new token is written and sent too.
	b.Step("wait", "")
	b.StorageSet(local, appOrigin, "app.cache.v1", rectest.ID("renewed"))
	b.Fetch(appOrigin+"/api/orders", 200).Authorization("Bearer", rectest.ID("renewed"))
	rep := analyze(t, b.Rec())
	fs := findings(rep, RuleSessionTokenInStorage)
	if len(fs) != 1 {
		t.Fatalf("SESSION-TOKEN-IN-STORAGE: %+v", fs)
	}
	f := fs[0]
	if f.StorageArea != local || f.StorageOrigin != appOrigin || f.StorageKey != "app.cache.v1" || f.StorageField != "" ||
		f.Step != 1 || f.Severity != Medium || f.URL != appOrigin+"/app" || f.Cookie != "" {
		t.Errorf("finding = %+v", f)
	}
	for _, want := range []string{"Authorization: Bearer credentials in 2 requests", "strongest evidence", "setItem at step 1 by https://app.test/app.js:10:5",
		"2 writes held one", "sent as Authorization credentials in 3 requests in all"} {
		if !strings.Contains(f.Evidence, want) {
			t.Errorf("evidence %q lacks %q", f.Evidence, want)
		}
	}
	if !strings.Contains(f.Message, `localStorage of https://app.test under the key "app.cache.v1"`) || !strings.Contains(f.Message, "a bearer credential") {
		t.Errorf("message = %q", f.Message)
	}
	if fs := findings(rep, RuleRefreshTokenInStorage); len(fs) != 0 {
		t.Errorf("REFRESH-TOKEN-IN-STORAGE: %+v", fs)
	}
}

// Without a bearer match, a token is told by its name and its shape;
// neither alone is enough.
func TestStorageTokenByNameAndShape(t *testing.T) {
	jwt, random := rectest.JWT("a"), rectest.ID("r")
	for _, c := range []struct {
		key, raw string
		rule     string // "" : neither storage rule fires
		label    string
	}{
		{"accessToken", jwt, RuleSessionTokenInStorage, "an access token"},
		{"auth.token", random, RuleSessionTokenInStorage, "a session token"},
		{"id_token", jwt, RuleSessionTokenInStorage, "an ID token"},
		{"jwt", jwt, RuleSessionTokenInStorage, "a session token"},
		{"sessionId", rectest.ID("s1") + rectest.ID("s2"), RuleSessionTokenInStorage, "a session token"},
		{"AUTH_TOKEN", random, RuleSessionTokenInStorage, "a session token"},
		{"refreshToken", random, RuleRefreshTokenInStorage, "a refresh token"},
		{"refresh_token", jwt, RuleRefreshTokenInStorage, "a refresh token"},
		// Negative controls.
		{"nav_state", random, "", ""},     // random, but not named like a token
		{"ui_theme", "dark", "", ""},      // neither
		{"cache", jwt, "", ""},            // a JWT under a neutral name, never sent: signed data is not always a credential
		{"token", "abc123", "", ""},       // too short
		{"token_type", "Bearer", "", ""},  // an attribute of a token
		{"session_state", random, "", ""}, // OIDC's session state, not a credential
		{"csrfToken", random, "", ""},     // CSRF tokens are not session tokens
		{"authority", random, "", ""},     // auth is a whole word
		{"auth", `{"user":"alice","since":"2026-11-22T10:00:00Z","roles":["admin"]}`, "", ""}, // a JSON document, not a token
		{"refreshInterval", "300000", "", ""},                                                 // not shaped like a token
	} {
		t.Run(c.key, func(t *testing.T) {
			b := rectest.New("shape")
			b.Step("goto", "")
			b.Get(appOrigin + "/")
			b.StorageSet(local, appOrigin, c.key, c.raw)
			rep := analyze(t, b.Rec())
			var got []Finding
			for _, r := range []string{RuleSessionTokenInStorage, RuleRefreshTokenInStorage} {
				got = append(got, findings(rep, r)...)
			}
			if c.rule == "" {
				if len(got) != 0 {
					t.Fatalf("fired: %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Rule != c.rule || got[0].StorageKey != c.key {
				t.Fatalf("findings = %+v, want one %s", got, c.rule)
			}
			if !strings.Contains(got[0].Message, c.label) || !strings.Contains(got[0].Evidence, "told by the name "+`"`+c.key+`"`) ||
				!strings.Contains(got[0].Evidence, "no request sent it") {
				t.Errorf("message %q, evidence %q: want %q told by its name", got[0].Message, got[0].Evidence, c.label)
			}
		})
	}
}

// Tokens inside JSON values, as the libraries of single-page apps keep
// them: the finding names the field; a refresh token beside an access
// token is reported by its own rule.
func TestStorageTokenInJSONFields(t *testing.T) {
	type want struct{ rule, field, label string }
	cases := []struct {
		name   string
		key    string
		reveal bool
		fields func(b *rectest.Builder) []recording.StorageField
		want   []want
	}{
		{"oidc-client-ts", "oidc.user:https://idp.test:spa", false, func(b *rectest.Builder) []recording.StorageField {
			return b.Fields("id_token", rectest.JWT("id"), "session_state", rectest.ID("ss"), "access_token", rectest.JWT("at"),
				"refresh_token", rectest.ID("rt"), "token_type", "Bearer", "scope", "openid profile offline_access")
		}, []want{{RuleSessionTokenInStorage, "access_token", "an access token"}, {RuleRefreshTokenInStorage, "refresh_token", "a refresh token"}}},
		{"auth0-spa-js", "@@auth0spajs@@::client1::https://api.test::openid profile offline_access", false, func(b *rectest.Builder) []recording.StorageField {
			return b.Fields("body.access_token", rectest.ID("at"), "body.id_token", rectest.JWT("id"), "body.refresh_token", rectest.ID("rt"))
		}, []want{{RuleSessionTokenInStorage, "body.access_token", "an access token"}, {RuleRefreshTokenInStorage, "body.refresh_token", "a refresh token"}}},
		{"MSAL access token", "uid.utid-login.windows.net-accesstoken-client1-tenant1-user.read", false, func(b *rectest.Builder) []recording.StorageField {
			return b.Fields("homeAccountId", "uid.utid"+rectest.ID("h"), "credentialType", "AccessToken", "secret", rectest.JWT("at"))
		}, []want{{RuleSessionTokenInStorage, "secret", "an access token"}}},
		{"MSAL refresh token", "uid.utid-login.windows.net-refreshtoken-client1--", false, func(b *rectest.Builder) []recording.StorageField {
			return b.Fields("credentialType", "RefreshToken", "secret", rectest.ID("rt"))
		}, []want{{RuleRefreshTokenInStorage, "secret", "a refresh token"}}},
		{"MSAL, credentialType revealed", "msal.entry.7", true, func(b *rectest.Builder) []recording.StorageField {
			return b.Fields("credentialType", "RefreshToken", "secret", rectest.ID("rt"))
		}, []want{{RuleRefreshTokenInStorage, "secret", "a refresh token"}}},
		{"a secret under a neutral key", "msal.entry.7", false, func(b *rectest.Builder) []recording.StorageField {
			return b.Fields("credentialType", "RefreshToken", "secret", rectest.ID("rt"))
		}, nil},
		{"random fields with neutral names", "prefs", false, func(b *rectest.Builder) []recording.StorageField {
			return b.Fields("nav_state", rectest.ID("n"), "theme", "dark")
		}, nil},
		// A string stored as JSON (the harness unwraps it as the field
		// "value"): the token is judged by the key.
		{"a JSON string", "persist:token", false, func(b *rectest.Builder) []recording.StorageField {
			return b.Fields("value", rectest.JWT("at"))
		}, []want{{RuleSessionTokenInStorage, "value", "a session token"}}},
		// A JSON object is judged by its fields, even under a token's name.
		{"a token-named key holding JSON", "auth", false, func(b *rectest.Builder) []recording.StorageField {
			return b.Fields("user", "alice", "theme", "dark")
		}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := rectest.New("json")
			if c.reveal {
				b.Reveal()
			}
			b.Step("goto", "")
			b.Get(appOrigin + "/")
			b.StorageSet(sessionSt, appOrigin, c.key, `{"json":"object"}`, c.fields(b)...)
			rep := analyze(t, b.Rec())
			var got []want
			for _, r := range []string{RuleSessionTokenInStorage, RuleRefreshTokenInStorage} {
				for _, f := range findings(rep, r) {
					if f.StorageKey != c.key || f.StorageArea != sessionSt {
						t.Errorf("finding on %s %q", f.StorageArea, f.StorageKey)
					}
					label := ""
					for _, w := range c.want {
						if w.rule == r && strings.Contains(f.Message, w.label) && strings.Contains(f.Message, w.field) {
							label = w.label
						}
					}
					got = append(got, want{r, f.StorageField, label})
				}
			}
			if len(got) != len(c.want) {
				t.Fatalf("findings = %+v, want %+v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("finding %d = %+v, want %+v", i, got[i], c.want[i])
				}
			}
		})
	}
}

// The oidc-client-ts entry lists every field that held a token, and the
// MSAL entry says what told the kind of its secret.
func TestStorageTokenEvidence(t *testing.T) {
	b := rectest.New("json")
	b.Step("goto", "")
	b.Get(appOrigin + "/")
	b.StorageSet(local, appOrigin, "oidc.user:https://idp.test:spa", "{}",
		b.Fields("id_token", rectest.JWT("id"), "access_token", rectest.JWT("at"))...)
	b.StorageSet(local, appOrigin, "uid.utid-login.windows.net-idtoken-client1-tenant1-", "{}",
		b.Fields("credentialType", "IdToken", "secret", rectest.JWT("id2"))...)
	fs := findings(analyze(t, b.Rec()), RuleSessionTokenInStorage)
	if len(fs) != 2 {
		t.Fatalf("findings = %+v", fs)
	}
	if !strings.Contains(fs[0].Message, "(JSON fields id_token, access_token)") || fs[0].StorageField != "access_token" {
		t.Errorf("oidc: %+v", fs[0])
	}
	if !strings.Contains(fs[1].Message, "an ID token") || !strings.Contains(fs[1].Evidence, `told by the key "uid.utid-login.windows.net-idtoken-client1-tenant1-"`) {
		t.Errorf("MSAL: %+v", fs[1])
	}
}

// A refresh token in localStorage is high (it stays on disk), in
// sessionStorage medium; one finding per area, origin and key however
// often it was written.
func TestRefreshTokenSeverityByArea(t *testing.T) {
	b := rectest.New("refresh")
	b.Step("goto", "")
	b.Get(appOrigin + "/")
	b.StorageSet(local, appOrigin, "refresh_token", rectest.ID("r1"))
	b.StorageSet(sessionSt, appOrigin, "refresh_token", rectest.ID("r1"))
	b.Step("click", "")
	b.StorageSet(local, appOrigin, "refresh_token", rectest.ID("r2"))
	fs := findings(analyze(t, b.Rec()), RuleRefreshTokenInStorage)
	got := map[recording.StorageArea]Finding{}
	for _, f := range fs {
		got[f.StorageArea] = f
	}
	if len(fs) != 2 || got[local].Severity != High || got[sessionSt].Severity != Medium {
		t.Fatalf("REFRESH-TOKEN-IN-STORAGE: %+v, want localStorage high, sessionStorage medium", fs)
	}
	if !strings.Contains(got[local].Evidence, "2 writes held one") || !strings.Contains(got[local].Message, "on disk") {
		t.Errorf("localStorage: %+v", got[local])
	}
	if !strings.Contains(got[sessionSt].Message, "drops it with the tab") {
		t.Errorf("sessionStorage: %q", got[sessionSt].Message)
	}
}

// After the logout step the harness's read of the page's storage is the
// truth: a token it still holds is reported, an empty read clears the
// page of it whatever the writes say.
func TestTokenNotClearedFromStepStorage(t *testing.T) {
	tok := rectest.JWT("at")
	mk := func(held ...recording.StorageItem) *recording.Recording {
		b := rectest.New("spa logout")
		spaLogin(b, local, "access_token", tok)
		spaLogout(b)
		b.StorageHeld(held...)
		return b.Rec()
	}
	b := rectest.New("items")
	fs := findings(analyze(t, mk(b.Item(local, appOrigin, "access_token", tok))), RuleSessionTokenNotCleared)
	if len(fs) != 1 {
		t.Fatalf("SESSION-TOKEN-NOT-CLEARED: %+v", fs)
	}
	f := fs[0]
	if f.Step != 2 || f.Severity != Medium || f.StorageKey != "access_token" || f.StorageArea != local || f.URL != appOrigin+"/logout" {
		t.Errorf("finding = %+v", f)
	}
	for _, want := range []string{"read by the harness after step 2", "the value it held before the logout", "Authorization: Bearer credentials in 1 request"} {
		if !strings.Contains(f.Evidence, want) {
			t.Errorf("evidence %q lacks %q", f.Evidence, want)
		}
	}
	if !strings.Contains(f.Message, "After the logout step 2 (click #logout)") || strings.Contains(f.Evidence, "reconstructed") {
		t.Errorf("message %q, evidence %q", f.Message, f.Evidence)
	}
	// Read, and empty: the page removed it in a way the writes do not show.
	if fs := findings(analyze(t, mk()), RuleSessionTokenNotCleared); len(fs) != 0 {
		t.Errorf("an empty read: %+v", fs)
	}
	// Held, but a new value the logout step wrote itself: an anonymous token.
	b2 := rectest.New("anonymous token")
	spaLogin(b2, local, "access_token", tok)
	spaLogout(b2)
	b2.StorageSet(local, appOrigin, "access_token", rectest.JWT("anonymous"))
	b2.StorageHeld(b2.Item(local, appOrigin, "access_token", rectest.JWT("anonymous")))
	if fs := findings(analyze(t, b2.Rec()), RuleSessionTokenNotCleared); len(fs) != 0 {
		t.Errorf("an anonymous token the logout wrote: %+v", fs)
	}
	// Held, but not a token: a theme.
	if fs := findings(analyze(t, mk(b.Item(local, appOrigin, "ui_theme", "dark"))), RuleSessionTokenNotCleared); len(fs) != 0 {
		t.Errorf("a theme: %+v", fs)
	}
}

// A token written by property assignment (localStorage.token = …) is
// not among the writes; the harness's read after the logout finds it.
func TestTokenOnlyReadAfterLogout(t *testing.T) {
	b := rectest.New("property write")
	b.Step("goto", "")
	b.Get(appOrigin + "/")
	b.Step("submit", "login")
	b.Post(appOrigin + "/login")
	spaLogout(b)
	b.StorageHeld(b.Item(local, appOrigin, "token", rectest.ID("t")))
	rep := analyze(t, b.Rec())
	in, nc := findings(rep, RuleSessionTokenInStorage), findings(rep, RuleSessionTokenNotCleared)
	if len(in) != 1 || in[0].Step != 2 || !strings.Contains(in[0].Evidence, "read by the harness after the logout step 2") ||
		!strings.Contains(in[0].Evidence, "no setItem of it was recorded") {
		t.Errorf("SESSION-TOKEN-IN-STORAGE: %+v", in)
	}
	if len(nc) != 1 || !strings.Contains(nc[0].Evidence, "no setItem of it was recorded") {
		t.Errorf("SESSION-TOKEN-NOT-CLEARED: %+v", nc)
	}
}

// Without the harness's read, the storage at the end of the logout step
// is replayed from the page's writes: set, removed, cleared, a restart.
func TestTokenNotClearedReconstructed(t *testing.T) {
	tok := rectest.JWT("at")
	cases := []struct {
		name   string
		area   recording.StorageArea
		logout func(b *rectest.Builder)
		want   bool
	}{
		{"kept", local, func(b *rectest.Builder) { spaLogout(b) }, true},
		{"kept in sessionStorage", sessionSt, func(b *rectest.Builder) { spaLogout(b) }, true},
		{"removed", local, func(b *rectest.Builder) {
			spaLogout(b)
			b.StorageRemove(local, appOrigin, "access_token")
		}, false},
		{"cleared", local, func(b *rectest.Builder) {
			spaLogout(b)
			b.StorageClear(local, appOrigin)
		}, false},
		{"the other area cleared", local, func(b *rectest.Builder) {
			spaLogout(b)
			b.StorageClear(sessionSt, appOrigin)
		}, true},
		{"another origin's storage cleared", local, func(b *rectest.Builder) {
			spaLogout(b)
			b.StorageClear(local, "https://idp.test")
		}, true},
		{"removed, then set again before the logout", local, func(b *rectest.Builder) {
			b.StorageRemove(local, appOrigin, "access_token")
			b.StorageSet(local, appOrigin, "access_token", tok)
			spaLogout(b)
		}, true},
		{"replaced by the logout with an anonymous token", local, func(b *rectest.Builder) {
			spaLogout(b)
			b.StorageSet(local, appOrigin, "access_token", rectest.JWT("anonymous"))
		}, false},
		{"rewritten by the logout with the same token", local, func(b *rectest.Builder) {
			spaLogout(b)
			b.StorageSet(local, appOrigin, "access_token", tok)
		}, true},
		{"set again after a restart", local, func(b *rectest.Builder) {
			b.Step("restart", "")
			b.Step("goto", "")
			b.Get(appOrigin + "/")
			b.StorageSet(local, appOrigin, "access_token", tok)
			b.Step("goto", "")
			b.Get(appOrigin + "/account")
			spaLogout(b)
		}, true},
		{"a restart before the logout", local, func(b *rectest.Builder) {
			b.Step("restart", "")
			b.Step("goto", "")
			b.Get(appOrigin + "/")
			spaLogout(b)
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := rectest.New("spa logout")
			spaLogin(b, c.area, "access_token", tok)
			c.logout(b)
			fs := findings(analyze(t, b.Rec()), RuleSessionTokenNotCleared)
			if !c.want {
				if len(fs) != 0 {
					t.Fatalf("fired: %+v", fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].StorageArea != c.area || fs[0].StorageKey != "access_token" {
				t.Fatalf("SESSION-TOKEN-NOT-CLEARED: %+v", fs)
			}
			for _, want := range []string{"reconstructed from the writes the page made with setItem, removeItem and clear",
				"the recording has no read of the storage after step", "no removeItem or clear of it followed"} {
				if !strings.Contains(fs[0].Evidence, want) {
					t.Errorf("evidence %q lacks %q", fs[0].Evidence, want)
				}
			}
		})
	}
}

// The harness reads the tab's page's origin only: another origin the
// logout reached, and a popup's sessionStorage, are replayed; an origin
// the logout did not reach (the identity provider's) is not judged.
func TestTokenNotClearedBeyondTheRead(t *testing.T) {
	b := rectest.New("spa logout")
	spaLogin(b, local, "access_token", rectest.JWT("at"))
	b.StorageSet(local, "https://api.app.test", "auth_token", rectest.ID("api"))
	b.StorageSet(local, "https://idp.test", "session", rectest.ID("idp"))
	b.StorageSet(sessionSt, appOrigin, "id_token", rectest.JWT("id"))
	b.R.Storage[len(b.R.Storage)-1].Target = "popup 1"
	spaLogout(b)
	b.Fetch("https://api.app.test/logout", 204)
	b.StorageHeld() // the tab's page: empty
	fs := findings(analyze(t, b.Rec()), RuleSessionTokenNotCleared)
	var keys []string
	for _, f := range fs {
		keys = append(keys, f.StorageOrigin+" "+f.StorageKey)
		if !strings.Contains(f.Evidence, "the harness read only the tab's page's storage after step 2") {
			t.Errorf("%s: evidence %q", f.StorageKey, f.Evidence)
		}
	}
	if want := []string{"https://api.app.test auth_token", "https://app.test id_token"}; !slices.Equal(keys, want) {
		t.Errorf("SESSION-TOKEN-NOT-CLEARED on %v, want %v", keys, want)
	}
}

// No logout step, no SESSION-TOKEN-NOT-CLEARED; nor after a logout step
// that failed.
func TestTokenNotClearedNeedsALogout(t *testing.T) {
	for _, name := range []string{"no logout step", "failed logout"} {
		b := rectest.New(name)
		spaLogin(b, local, "access_token", rectest.JWT("at"))
		if name == "failed logout" {
			spaLogout(b)
			b.Fail()
		} else {
			b.Step("click", "", "click #logout")
			b.Get(appOrigin + "/logout")
		}
		rep := analyze(t, b.Rec())
		if fs := findings(rep, RuleSessionTokenNotCleared); len(fs) != 0 {
			t.Errorf("%s: %+v", name, fs)
		}
		if fs := findings(rep, RuleSessionTokenInStorage); len(fs) != 1 {
			t.Errorf("%s: SESSION-TOKEN-IN-STORAGE %+v", name, fs)
		}
	}
}

// bearerLogin is a journey that sends an API key from the start, then
// logs in, keeps tok in localStorage and sends it to /api/me (returned).
func bearerLogin(b *rectest.Builder, apiKey, tok string) *rectest.Req {
	b.Step("goto", "")
	b.Get(appOrigin + "/")
	b.Fetch("https://maps.test/tiles", 200).Authorization("Bearer", apiKey)
	b.Step("submit", "login")
	b.Post(appOrigin + "/login")
	b.StorageSet(local, appOrigin, "access_token", tok)
	return b.Fetch(appOrigin+"/api/me", 200).Authorization("Bearer", tok)
}

// The journey's own request after the logout with the pre-logout bearer
// token: answered 2xx, the token was not revoked; 401, it was.
func TestTokenNotRevoked(t *testing.T) {
	tok, apiKey := rectest.JWT("at"), rectest.ID("api key")
	mk := func(status int, opts ...string) *recording.Recording {
		b := rectest.New("spa revoke")
		bearerLogin(b, apiKey, tok)
		spaLogout(b)
		b.Fetch(appOrigin+"/api/logout", 204).Authorization("Bearer", tok)
		if slices.Contains(opts, "login again") {
			b.Step("submit", "login")
			b.Post(appOrigin + "/login")
		}
		b.Step("goto", "")
		b.Fetch("https://maps.test/tiles", 200).Authorization("Bearer", apiKey)
		b.Fetch(appOrigin+"/api/orders", status).Authorization("Bearer", tok)
		b.Fetch(appOrigin+"/api/me", 401).Authorization("Bearer", tok)
		return b.Rec()
	}
	fs := findings(analyze(t, mk(200)), RuleSessionTokenNotRevoked)
	if len(fs) != 1 {
		t.Fatalf("SESSION-TOKEN-NOT-REVOKED: %+v", fs)
	}
	f := fs[0]
	if f.Severity != High || f.Step != 2 || f.URL != appOrigin+"/api/orders" || f.Request == "" || f.StorageKey != "access_token" {
		t.Errorf("finding = %+v", f)
	}
	for _, want := range []string{"Authorization: Bearer credential", "up to the logout step 2 (click #logout)", "GET https://app.test/api/orders at step 3",
		"answered 200", `an access token kept in localStorage of https://app.test under the key "access_token"`} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message %q lacks %q", f.Message, want)
		}
	}
	if !strings.Contains(f.Evidence, "sent in 2 requests up to step 2; after the logout 2 requests carried it: 1 answered 2xx, 1 answered 401 or 403") {
		t.Errorf("evidence = %q", f.Evidence)
	}
	// Refused: revoked. The API key sent from before the login is no
	// session's, and a token sent after logging in again proves nothing.
	for _, rec := range []*recording.Recording{mk(401), mk(200, "login again")} {
		if fs := findings(analyze(t, rec), RuleSessionTokenNotRevoked); len(fs) != 0 {
			t.Errorf("%s: %+v", rec.Scenario.Name, fs)
		}
	}
}

// The harness's token probe, accepted after the logout, is evidence on
// its own: the journey made no request after the logout. Refused, or for
// an API key sent from before the login, it is none.
func TestTokenNotRevokedByProbe(t *testing.T) {
	tok, apiKey := rectest.JWT("at"), rectest.ID("api key")
	mk := func(cred string, status int) *recording.Recording {
		b := rectest.New("spa probe")
		me := bearerLogin(b, apiKey, tok)
		spaLogout(b)
		r := b.Rec()
		r.TokenProbe = &recording.TokenProbe{Step: 2, Request: me.Request().ID, URL: appOrigin + "/api/me", Scheme: "Bearer",
			Value: b.Value(cred), Status: status, Accepted: status == 200}
		return r
	}
	fs := findings(analyze(t, mk(tok, 200)), RuleSessionTokenNotRevoked)
	if len(fs) != 1 {
		t.Fatalf("SESSION-TOKEN-NOT-REVOKED: %+v", fs)
	}
	f := fs[0]
	if f.Severity != High || f.Step != 2 || f.URL != appOrigin+"/api/me" || f.StorageKey != "access_token" ||
		!strings.Contains(f.Message, "the harness sent the Authorization: Bearer credential of GET https://app.test/api/me again, alone, and the server answered 200") ||
		!strings.Contains(f.Evidence, "token probe (tokenProbe)") {
		t.Errorf("finding = %+v", f)
	}
	for name, rec := range map[string]*recording.Recording{"refused": mk(tok, 401), "api key": mk(apiKey, 200)} {
		if fs := findings(analyze(t, rec), RuleSessionTokenNotRevoked); len(fs) != 0 {
			t.Errorf("%s: %+v", name, fs)
		}
	}
}

func TestNameWords(t *testing.T) {
	for name, want := range map[string]string{
		"access_token":     "access token",
		"accessToken":      "access token",
		"IDToken":          "id token",
		"auth.token":       "auth token",
		"oidc.user:a:b":    "oidc user a b",
		"auth0Client":      "auth0 client",
		"x-refreshtoken-y": "x refreshtoken y",
		"JWT":              "jwt",
		"":                 "",
	} {
		if got := strings.Join(nameWords(name), " "); got != want {
			t.Errorf("nameWords(%q) = %q, want %q", name, got, want)
		}
	}
}

// A recording without Web Storage and Authorization headers costs the
// rules one allocation (their shared reading), however many requests.
func TestWebStorageCostsNothingWithout(t *testing.T) {
	a := newAnalyzer(largeRecording(2000))
	n := testing.AllocsPerRun(5, func() {
		a.store = nil
		a.webStorage()
	})
	if n > 1 {
		t.Errorf("webStorage allocates %.0f times for a recording without storage", n)
	}
}

// A read that found nothing stays one through the file (an empty list,
// not a missing one): the harness's read is the truth, and the token the
// app wrote is not reported as left behind. Without a read, the writes
// are replayed and the evidence says so.
func TestEmptyReadSurvivesTheFile(t *testing.T) {
	mk := func(read bool) *recording.Recording {
		b := rectest.New("round trip")
		spaLogin(b, local, "access_token", rectest.JWT("at"))
		spaLogout(b)
		if read {
			b.StorageHeld()
		}
		data, err := recording.Encode(b.Rec())
		if err != nil {
			t.Fatal(err)
		}
		r, err := recording.Decode("rt.json", data)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if fs := findings(analyze(t, mk(true)), RuleSessionTokenNotCleared); len(fs) != 0 {
		t.Errorf("an empty read, after a round trip: %+v", fs)
	}
	fs := findings(analyze(t, mk(false)), RuleSessionTokenNotCleared)
	if len(fs) != 1 || !strings.Contains(fs[0].Evidence, "the recording has no read of the storage after step 2 (steps[].storage is left out when it was not read)") {
		t.Errorf("no read: %+v", fs)
	}
}
