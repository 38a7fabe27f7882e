//go:build conformance

package conformance

import (
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// An oidcSites is the OpenID Connect stack of conformance/oidc as the
// scenarios see it: the ports and the base URL (no trailing slash) of
// each site.
type oidcSites struct {
	env         map[string]string
	op, rp, spa string
}

// oidcStack starts conformance/oidc/server.mjs: oidc-provider on op.test,
// the openid-client relying party on rp.test and the oidc-client-ts apps
// on spa.test, all over https with the test's certificate.
func oidcStack(t *testing.T) oidcSites {
	t.Helper()
	dir := npmFolder(t, "oidc", "oidc-provider", "openid-client", "oidc-client-ts", "express", "express-session")
	cert, key := selfSigned(t)
	srv := start(t, "oidc stack", nil, dir, "node", filepath.Join(dir, "server.mjs"), cert, key)
	ports := srv.ports(t)
	s := oidcSites{env: map[string]string{}}
	for _, site := range []struct {
		name, env string
		base      *string
	}{{"op", "OP_PORT", &s.op}, {"rp", "RP_PORT", &s.rp}, {"spa", "SPA_PORT", &s.spa}} {
		p := port(t, ports, site.name)
		srv.waitAccept(t, p)
		s.env[site.env] = strconv.Itoa(p)
		*site.base = fmt.Sprintf("https://%s.test:%d", site.name, p)
	}
	return s
}

// atOP returns the documents (or, with fetch, the fetches) requested with
// method at path of the provider.
func (s oidcSites) atOP(r *recording.Recording, method, path string, fetch bool) []*recording.Request {
	return all(requests(r, method, ""), func(q *recording.Request) bool {
		rest, ok := strings.CutPrefix(q.URL, s.op)
		kind := "Document"
		if fetch {
			kind = "Fetch"
		}
		return ok && strings.HasPrefix(rest, path) && q.ResourceType == kind
	})
}

// one returns the only element of qs, failing t when there is not one.
func one(t *testing.T, qs []*recording.Request, what string) *recording.Request {
	t.Helper()
	if len(qs) != 1 {
		t.Fatalf("%d %s requests, want 1", len(qs), what)
	}
	return qs[0]
}

// query returns the query parameters of a recorded URL (a scrubbed value
// in it is a placeholder that url.Parse may refuse).
func query(t *testing.T, u string) url.Values {
	t.Helper()
	_, raw, _ := strings.Cut(u, "?")
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatalf("the query of %s: %v", u, err)
	}
	return v
}

// stepAfter returns the index of the first step of kind after step i.
func stepAfter(t *testing.T, r *recording.Recording, kind recording.StepKind, i int) int {
	t.Helper()
	for _, s := range r.Steps[i+1:] {
		if s.Kind == kind {
			return s.Index
		}
	}
	t.Fatalf("no %s step after step %d", kind, i)
	return -1
}

// wantProviderCookies checks what oidc-provider sets on its own site in the
// login step: the interaction cookies, each scoped to the path of its own
// endpoint (so the browser withholds each from the other's requests, with
// NotOnPath), then the session cookie at the resumed authorization. Every
// cookie has its keygrip signature companion (NAME.sig). It returns the
// resumed authorization request, which set _session.
func (s oidcSites) wantProviderCookies(t *testing.T, r *recording.Recording, login int) *recording.Request {
	t.Helper()
	authz := one(t, s.atOP(r, "GET", "/auth?", false), "authorization")
	for _, c := range []struct{ name, path string }{{"_interaction", "/interaction/"}, {"_interaction_resume", "/auth/"}} {
		for _, name := range []string{c.name, c.name + ".sig"} {
			sc := setCookie(t, authz, name)
			if !strings.HasPrefix(sc.Path, c.path) || !sc.Secure || !sc.HTTPOnly || !strings.EqualFold(sc.SameSite, "lax") {
				t.Errorf("the authorization request set %s with path %q secure=%v httpOnly=%v sameSite %q, want path %sUID, Secure, HttpOnly, Lax",
					name, sc.Path, sc.Secure, sc.HTTPOnly, sc.SameSite, c.path)
			}
		}
	}
	form := one(t, s.atOP(r, "POST", "/interaction/", false), "login form POST")
	if _, ok := sentCookie(form, "_interaction"); !ok || form.Step != login {
		t.Errorf("the login form POST (step %d, want %d) did not send _interaction", form.Step, login)
	}
	if c, ok := withheldCookie(form, "_interaction_resume"); !ok || !slices.Contains(c.Reasons, "NotOnPath") {
		t.Errorf("the login form POST: _interaction_resume not withheld with NotOnPath (withheld %v)", form.CookiesWithheld)
	}
	resume := one(t, s.atOP(r, "GET", "/auth/", false), "resumed authorization")
	if _, ok := sentCookie(resume, "_interaction_resume"); !ok {
		t.Error("the resumed authorization did not send _interaction_resume")
	}
	if sc := setCookie(t, resume, "_interaction_resume"); !sc.Deletion {
		t.Errorf("the resumed authorization did not expire _interaction_resume: %s", sc.Attributes)
	}
	sess := setCookie(t, resume, "_session")
	if sess.Deletion || sess.Path != "/" || !sess.Secure || !sess.HTTPOnly || sess.Value.Format != "" {
		t.Errorf("_session: deletion=%v path %q secure=%v httpOnly=%v format %q, want an opaque Secure HttpOnly cookie on /",
			sess.Deletion, sess.Path, sess.Secure, sess.HTTPOnly, sess.Value.Format)
	}
	if life, ok := sess.Lifetime(resume.Start); !ok || life < 13*24*time.Hour || life > 15*24*time.Hour {
		t.Errorf("_session lifetime %v (persistent %v), want oidc-provider's default session TTL, 14 days", life, ok)
	}
	setCookie(t, resume, "_session.sig")
	// The provider's cookies stay on its site, the others' on theirs.
	for _, q := range r.Requests {
		onOP := strings.HasPrefix(q.URL, s.op)
		for _, c := range append(q.CookiesSent, q.CookiesWithheld...) {
			if strings.HasPrefix(c.Name, "_") != onOP {
				t.Errorf("%s %s: the browser considered the cookie %s (domain %s)", q.Method, q.URL, c.Name, c.Domain)
			}
		}
	}
	return resume
}

// wantNoProviderClientSide asserts that oidc-provider's _session is not
// taken for a session held in the cookie: its value is an opaque ID (the
// session lives in the provider's adapter, and the provider's logout
// destroys it there); _session.sig is koa's keygrip signature of the
// cookie, which signs the ID, not session data.
func wantNoProviderClientSide(t *testing.T, rep *analysis.Report) {
	t.Helper()
	for _, f := range findings(rep, analysis.RuleSessionClientSide) {
		if f.Cookie == "_session" {
			t.Errorf("expected no %s for oidc-provider's _session (an opaque 43-character ID into the provider's store, signed by koa in _session.sig); got: %s",
				analysis.RuleSessionClientSide, f.Message)
		}
	}
	if s := sessionReport(rep, "_session"); s != nil && s.ClientSide != "" {
		t.Errorf("expected the _session report to be server-side; clientSide says %q", s.ClientSide)
	}
}

// wantProviderSessionPersistent asserts the one finding the provider's
// defaults earn: its session cookie lives as long as its session TTL (14
// days), so it survives browser restarts.
func wantProviderSessionPersistent(t *testing.T, rep *analysis.Report) {
	t.Helper()
	for _, f := range wantFinding(t, rep, analysis.RuleCookieSessionPersistent, analysis.High, "oidc-provider's _session lives 14 days") {
		if f.Cookie != "_session" {
			t.Errorf("expected %s only for _session; got it for %s", analysis.RuleCookieSessionPersistent, f.Cookie)
		}
	}
}

// TestOIDCRelyingParty: a server-side relying party on openid-client
// (authorization code flow with PKCE, state and nonce in express-session)
// signs in at oidc-provider; the callback regenerates the session, logout
// destroys it.
func TestOIDCRelyingParty(t *testing.T) {
	s := oidcStack(t)
	r := run(t, "oidc-rp.yaml", s.env)
	login := stepOf(t, r, "submit", "login")
	logout := stepOf(t, r, "click", "logout")

	t.Run("recording", func(t *testing.T) {
		// /login starts the transaction session and sends the browser to the
		// provider with the challenge, state and nonce; the verifier stays.
		start := wantDocuments(t, r, "GET", s.rp+"/login", 1)[0]
		tx := setCookie(t, start, "connect.sid")
		if !tx.Secure || !tx.HTTPOnly || tx.SameSite != "Lax" || tx.Value.Format != recording.FormatExpressSigned {
			t.Errorf("the transaction's connect.sid: secure=%v httpOnly=%v sameSite %q format %q, want Secure, HttpOnly, Lax, %s",
				tx.Secure, tx.HTTPOnly, tx.SameSite, tx.Value.Format, recording.FormatExpressSigned)
		}
		authz := one(t, s.atOP(r, "GET", "/auth?", false), "authorization")
		if start.Status != 302 || start.Location != authz.URL {
			t.Errorf("/login answered %d -> %q, want 302 to the authorization request %s", start.Status, start.Location, authz.URL)
		}
		aq := query(t, authz.URL)
		for k, want := range map[string]string{"client_id": "rp", "response_type": "code", "code_challenge_method": "S256", "redirect_uri": s.rp + "/callback"} {
			if aq.Get(k) != want {
				t.Errorf("the authorization request's %s is %q, want %q", k, aq.Get(k), want)
			}
		}
		for _, k := range []string{"state", "nonce", "code_challenge"} {
			if len(aq.Get(k)) < 43 {
				t.Errorf("the authorization request's %s is %q, want 32 random bytes in base64url", k, aq.Get(k))
			}
		}
		if aq.Has("code_verifier") {
			t.Error("the PKCE verifier left the relying party")
		}
		s.wantProviderCookies(t, r, login)

		// The provider's cross-site redirect back is a top-level GET: the Lax
		// transaction cookie goes with it, the same state comes back, and
		// the callback regenerates the session.
		cb := wantDocuments(t, r, "GET", s.rp+"/callback?", 1)[0]
		cq := query(t, cb.URL)
		if cq.Get("state") != aq.Get("state") || cq.Get("code") == "" || cq.Get("iss") != s.op {
			t.Errorf("the callback's state %q code %q iss %q, want the state sent (%q), a code and the issuer %s",
				cq.Get("state"), cq.Get("code"), cq.Get("iss"), aq.Get("state"), s.op)
		}
		if c, ok := sentCookie(cb, "connect.sid"); !ok || !c.Value.Same(tx.Value) {
			t.Error("the callback did not carry the transaction's connect.sid across the provider's redirect")
		}
		rotated := setCookie(t, cb, "connect.sid")
		if rotated.Value.Same(tx.Value) || rotated.Deletion {
			t.Error("the callback did not give connect.sid a new value (regenerate)")
		}
		if cb.Step != login || cb.Status != 303 || !strings.HasSuffix(cb.Location, "/account") {
			t.Errorf("the callback: step %d status %d -> %q, want step %d, 303 -> /account", cb.Step, cb.Status, cb.Location, login)
		}
		// Neither redirect that sets connect.sid carries caching information
		// (what the SESSID-CACHEABLE expectation of the analysis rests on).
		for _, q := range []*recording.Request{start, cb} {
			if q.Headers["Cache-Control"] != "" || q.Headers["Expires"] != "" || !q.ResponseExtraInfo {
				t.Errorf("%s: Cache-Control %q, Expires %q (headers known %v), want neither, known", q.URL, q.Headers["Cache-Control"], q.Headers["Expires"], q.ResponseExtraInfo)
			}
		}
		for _, q := range wantDocuments(t, r, "GET", s.rp+"/account", 2) {
			if c, ok := sentCookie(q, "connect.sid"); !ok || !c.Value.Same(rotated.Value) {
				t.Errorf("%s (step %d) did not send the logged-in connect.sid", q.URL, q.Step)
			}
		}

		// Logout deletes connect.sid; the provider's session is another
		// site's and outlives it (single sign-on).
		out := wantDocuments(t, r, "POST", s.rp+"/logout", 1)[0]
		if sc := setCookie(t, out, "connect.sid"); !sc.Deletion {
			t.Errorf("logout's connect.sid line is not a deletion: %s", sc.Attributes)
		}
		if _, ok := jarCookie(r, logout, "connect.sid"); ok {
			t.Error("the jar still holds connect.sid after logout")
		}
		if _, ok := jarCookie(r, logout, "_session"); !ok {
			t.Error("the provider's _session left the jar at the relying party's logout")
		}

		// The probes: neither the transaction session (login) nor the
		// destroyed one (logout) opens the account.
		if p := r.Steps[login].Probe; p == nil || p.Error != "" || p.Status != 302 || p.LoggedIn {
			t.Errorf("the login probe = %+v, want 302 and not logged in (regenerate replaced the transaction session)", p)
		}
		if r.Probe == nil || r.Probe.Error != "" || r.Probe.Status != 302 || r.Probe.LoggedIn {
			t.Errorf("the logout probe = %+v, want 302 and not logged in (destroy)", r.Probe)
		}
	})

	authSubtest(t, r, login, logout)

	rep := analysis.Analyze(r)
	t.Run("analysis", func(t *testing.T) {
		wantNoResets(t, rep, "the new connect.sid at the callback is the login's rotation")
		wantNoFinding(t, rep, analysis.RuleSessionFixation, "regenerate at the callback; the login probe was not logged in")
		wantNoFinding(t, rep, analysis.RuleSessionNotInvalidated, "destroy at logout; the logout probe was not logged in")
		wantNoFinding(t, rep, analysis.RuleSessionLogoutIncomplete, "logout deletes connect.sid; the provider's session is not the relying party's")
		wantNoFinding(t, rep, analysis.RuleLoginCookieWithheld, "the login succeeded")
		wantNoFinding(t, rep, analysis.RuleSessionTokenInStorage, "the tokens stay on the server")
		if c := sessionReport(rep, "connect.sid"); c == nil {
			t.Errorf("no session report for connect.sid; sessions: %v", sessionNames(rep))
		} else if n := len(c.IDs); n != 2 || c.IDs[0].Ended != analysis.EndRotated || c.IDs[0].LastStep != login || c.IDs[1].Ended != analysis.EndLogout {
			t.Errorf("expected connect.sid's two IDs to end %s at step %d (the transaction session) and %s; got %+v", analysis.EndRotated, login, analysis.EndLogout, c.IDs)
		}
		wantProviderSessionPersistent(t, rep)
		wantNoProviderClientSide(t, rep)
		// express answers /login (302) and /callback (303) without
		// Cache-Control; a cache may not store either (RFC 9111 §3: no
		// explicit freshness, and 302 and 303 are not heuristically
		// cacheable), so no cache can hand out the connect.sid they set.
		wantNoFinding(t, rep, analysis.RuleSessIDCacheable, "the responses that set connect.sid are a 302 and a 303 without freshness information, which caches do not store")
	})
}

// An spaVariant is one of the oidc-client-ts apps of spa.test.
type spaVariant struct {
	file, client, path string
	area               recording.StorageArea
	refresh            analysis.Severity // REFRESH-TOKEN-IN-STORAGE's severity in that area
	// revoked: the sign-out ends the provider's session (signoutRedirect
	// and its confirmation), which revokes the grant's tokens.
	revoked bool
}

// TestOIDCSPASessionStorage: oidc-client-ts with its default user store,
// sessionStorage; sign-out with signoutRedirect and the provider's
// confirmation, which revokes the tokens.
func TestOIDCSPASessionStorage(t *testing.T) {
	spaJourney(t, spaVariant{file: "oidc-spa.yaml", client: "spa", path: "/", area: recording.SessionStorage, refresh: analysis.Medium, revoked: true})
}

// TestOIDCSPALocalStorage: oidc-client-ts with the user in localStorage
// (WebStorageStateStore); sign-out with removeUser() alone, which leaves
// the access token valid at the provider.
func TestOIDCSPALocalStorage(t *testing.T) {
	spaJourney(t, spaVariant{file: "oidc-spa-local.yaml", client: "spa-local", path: "/local/", area: recording.LocalStorage, refresh: analysis.High})
}

// storageEvents returns the storage events of kind for key (a prefix when
// it ends in "*").
func storageEvents(r *recording.Recording, kind recording.StorageKind, key string) []recording.StorageEvent {
	prefix, wild := strings.CutSuffix(key, "*")
	return all(r.Storage, func(e recording.StorageEvent) bool {
		return e.Kind == kind && (e.Key == key || wild && strings.HasPrefix(e.Key, prefix))
	})
}

func field(fs []recording.StorageField, name string) (recording.StorageField, bool) {
	return first(fs, func(f recording.StorageField) bool { return f.Name == name })
}

func spaJourney(t *testing.T, v spaVariant) {
	s := oidcStack(t)
	r := run(t, v.file, s.env)
	origin := s.spa
	userKey := "oidc.user:" + s.op + ":" + v.client
	signin := stepOf(t, r, "click", "")
	login := stepOf(t, r, "submit", "login")
	logout := stepOf(t, r, "click", "logout")
	welcome := stepAfter(t, r, "expect", login)
	signedOut := stepAfter(t, r, "expect", logout)

	t.Run("recording", func(t *testing.T) {
		// The app keeps no cookie: its session is the stored user.
		for _, q := range r.Requests {
			if strings.HasPrefix(q.URL, origin) && (len(q.CookiesSent)+len(q.SetCookies) != 0) {
				t.Errorf("%s %s: cookies sent %v, set %v; the app uses none", q.Method, q.URL, q.CookiesSent, q.SetCookies)
			}
		}

		// signinRedirect keeps the transaction (PKCE verifier, state id) in
		// localStorage, the library's default state store, under
		// oidc.<state id>; the same state goes to the provider and comes
		// back; signinCallback removes the item.
		states := storageEvents(r, recording.StorageSet, "oidc.*")
		states = all(states, func(e recording.StorageEvent) bool { return !strings.HasPrefix(e.Key, "oidc.user:") })
		if len(states) != 1 {
			t.Fatalf("%d signin state items written, want 1: %+v", len(states), states)
		}
		st := states[0]
		if st.Area != recording.LocalStorage || st.Origin != origin || st.Step > signin+1 || !strings.Contains(st.Script, "/oidc-client-ts.min.js:") {
			t.Errorf("the state item: %s of %s at step %d by %s, want localStorage of %s at the signinRedirect (step %d or the wait after it) by oidc-client-ts.min.js",
				st.Area, st.Origin, st.Step, st.Script, origin, signin)
		}
		stateID := strings.TrimPrefix(st.Key, "oidc.")
		id, okID := field(st.Fields, "id")
		if _, ok := field(st.Fields, "code_verifier"); !ok || !okID || id.Value.Len != len(stateID) || len(stateID) != 32 {
			t.Errorf("the state item %s: fields %+v, want code_verifier and id (32 characters, the key's suffix)", st.Key, st.Fields)
		}
		sameState := func(got string) bool { return got == stateID || got == "[value:"+id.Value.Short()+"]" }
		authz := one(t, s.atOP(r, "GET", "/auth?", false), "authorization")
		aq := query(t, authz.URL)
		if !sameState(aq.Get("state")) || aq.Get("client_id") != v.client || aq.Get("code_challenge_method") != "S256" || len(aq.Get("code_challenge")) != 43 || aq.Has("code_verifier") {
			t.Errorf("the authorization request: state %q client_id %q challenge %q (%s), verifier sent %v; want the state item's id %s, %s, an S256 challenge and no verifier",
				aq.Get("state"), aq.Get("client_id"), aq.Get("code_challenge"), aq.Get("code_challenge_method"), aq.Has("code_verifier"), stateID, v.client)
		}
		s.wantProviderCookies(t, r, login)
		cb := one(t, all(documents(requests(r, "GET", "")), func(q *recording.Request) bool { return strings.Contains(q.URL, "?code=") }), "callback")
		if cq := query(t, cb.URL); !sameState(cq.Get("state")) || cb.Step != login {
			t.Errorf("the callback (step %d, want %d) came back with state %q, want the state item's id %s", cb.Step, login, cq.Get("state"), stateID)
		}
		if rm := storageEvents(r, recording.StorageRemoved, st.Key); len(rm) != 1 || rm[0].Step < login || rm[0].Step > welcome {
			t.Errorf("the state item was removed %d times (%+v), want once between the callback (step %d) and the welcome (step %d)", len(rm), rm, login, welcome)
		}

		// The code exchange is the browser's: a fetch without cookies.
		tok := one(t, s.atOP(r, "POST", "/token", true), "token")
		if tok.Status != 200 || len(tok.CookiesSent) != 0 {
			t.Errorf("the token request: status %d, cookies sent %v; want 200 and none (fetch credentials same-origin)", tok.Status, tok.CookiesSent)
		}

		// The user: oidc.user:<authority>:<client_id> in the variant's store,
		// a JSON object with the three tokens.
		users := storageEvents(r, recording.StorageSet, userKey)
		if len(users) != 1 {
			t.Fatalf("%d writes of %s, want 1 (keys written: %v)", len(users), userKey, storageKeys(r))
		}
		u := users[0]
		if u.Area != v.area || u.Origin != origin || u.Step < login || u.Step > welcome {
			t.Errorf("%s written to %s of %s at step %d, want %s of %s between steps %d and %d", userKey, u.Area, u.Origin, u.Step, v.area, origin, login, welcome)
		}
		access, okA := field(u.Fields, "access_token")
		idt, okI := field(u.Fields, "id_token")
		rt, okR := field(u.Fields, "refresh_token")
		if !okA || !okI || !okR || access.Value.Len != 43 || idt.Value.Format != recording.FormatJWT || rt.Value.Len != 43 {
			t.Errorf("the user's fields %+v, want access_token (43 characters, opaque), id_token (a JWT) and refresh_token (43 characters)", u.Fields)
		}

		// The API call: Authorization: Bearer with the stored access token.
		api := all(requests(r, "GET", origin+"/api/me"), func(q *recording.Request) bool { return q.Authorization != nil })
		if len(api) != 1 || api[0].Authorization.Scheme != "Bearer" || !api[0].Authorization.Value.Same(access.Value) || api[0].Status != 200 {
			t.Errorf("the API requests with Authorization: %+v, want one GET /api/me, Bearer, the stored access_token, 200", api)
		}

		// Sign-out: the library removes the user (signoutRedirect does
		// before it leaves for the provider, removeUser at once), and the
		// harness finds nothing of it in the store after the logout step.
		if rm := storageEvents(r, recording.StorageRemoved, userKey); len(rm) != 1 || rm[0].Step < welcome || rm[0].Step > logout || rm[0].Area != v.area {
			t.Errorf("%s removed %+v, want once in %s between the welcome (step %d) and the logout (step %d)", userKey, rm, v.area, welcome, logout)
		}
		if held := r.Steps[logout].Storage; held == nil || slices.ContainsFunc(held, func(i recording.StorageItem) bool { return i.Key == userKey }) {
			t.Errorf("the storage read after the logout step = %+v, want a read without %s", held, userKey)
		}

		// The token probe replays the API call after the logout step.
		tp := r.TokenProbe
		if tp == nil || tp.Error != "" || !tp.Value.Same(access.Value) || tp.Step != logout {
			t.Fatalf("the token probe = %+v, want the access token replayed after step %d", tp, logout)
		}
		end := s.atOP(r, "POST", "/session/end/confirm", false)
		if v.revoked {
			if tp.Status != 401 || tp.Accepted {
				t.Errorf("the token probe got %d (accepted %v), want 401: the provider's logout revoked the grant's tokens", tp.Status, tp.Accepted)
			}
			if sc := setCookie(t, one(t, end, "logout confirmation"), "_session"); !sc.Deletion || end[0].Step != logout {
				t.Errorf("the logout confirmation (step %d) did not expire _session: %s", end[0].Step, sc.Attributes)
			}
		} else {
			if tp.Status != 200 || !tp.Accepted {
				t.Errorf("the token probe got %d (accepted %v), want 200: removeUser() tells the provider nothing", tp.Status, tp.Accepted)
			}
			if _, ok := jarCookie(r, logout, "_session"); !ok || len(end) != 0 {
				t.Error("the provider's session did not outlive removeUser()")
			}
		}
	})

	// The provider's origin is the issuer and the authority; the recording
	// spells it out in the URLs of the provider's requests.
	t.Run("recording/provider-urls", func(t *testing.T) {
		for _, q := range r.Requests {
			if strings.HasPrefix(q.URL, "[value:") {
				t.Errorf("%s %s: the URL of a request to %s is recorded with the origin replaced by a value placeholder (the storage fields authority, redirect_uri and profile.iss hold it and are scrubbed from all text as if they were tokens)", q.Method, q.URL, s.op)
				return
			}
		}
	})

	t.Run("harness/auth", func(t *testing.T) {
		// The callback page renders the logged-in view after its token
		// exchange and API call, often after the harness read the step's
		// markers; the step's own state may then be the login heuristic.
		wantAuthBy(t, r, login, recording.AuthIn, recording.AuthByMarker, recording.AuthByStep)
		wantAuthBy(t, r, welcome, recording.AuthIn, recording.AuthByExpect)
		wantAuthBy(t, r, signedOut, recording.AuthOut, recording.AuthByExpect)
	})

	rep := analysis.Analyze(r)
	t.Run("analysis", func(t *testing.T) {
		wantNoResets(t, rep, "the user stays logged in from the callback to the sign-out")
		for _, f := range wantFinding(t, rep, analysis.RuleSessionTokenInStorage, analysis.Medium, "oidc-client-ts keeps the access token it sends as Bearer in "+string(v.area)) {
			if f.StorageKey != userKey || f.StorageArea != v.area || f.StorageOrigin != origin {
				t.Errorf("expected %s on %s %s of %s only; got %s %s of %s", analysis.RuleSessionTokenInStorage, v.area, userKey, origin, f.StorageArea, f.StorageKey, f.StorageOrigin)
			}
		}
		for _, f := range wantFinding(t, rep, analysis.RuleRefreshTokenInStorage, v.refresh, "the user's refresh_token, in "+string(v.area)) {
			if f.StorageKey != userKey || f.StorageField != "refresh_token" {
				t.Errorf("expected %s on %s (refresh_token); got %s (%s)", analysis.RuleRefreshTokenInStorage, userKey, f.StorageKey, f.StorageField)
			}
		}
		wantNoFinding(t, rep, analysis.RuleSessionTokenNotCleared, "the library removed the user at sign-out")
		if v.revoked {
			wantNoFinding(t, rep, analysis.RuleSessionTokenNotRevoked, "the token probe got 401 after the provider's logout")
		} else {
			wantFinding(t, rep, analysis.RuleSessionTokenNotRevoked, analysis.High, "the token probe got 200 after removeUser()")
		}
		wantNoFinding(t, rep, analysis.RuleLoginCookieWithheld, "the login succeeded")
		wantNoFinding(t, rep, analysis.RuleSessionFixation, "the provider's session starts at login")
		wantNoFinding(t, rep, analysis.RuleSessionLogoutIncomplete, "the app has no session cookie; the provider's is ended by its own logout or not the app's to end")
		wantProviderSessionPersistent(t, rep)
		wantNoProviderClientSide(t, rep)
	})
}

// storageKeys lists the keys the journey wrote, for failure messages.
func storageKeys(r *recording.Recording) []string {
	var out []string
	for _, e := range r.Storage {
		out = append(out, string(e.Area)+" "+e.Key)
	}
	return out
}
