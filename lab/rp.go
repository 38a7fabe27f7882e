package lab

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The relying parties of op.test: Go apps of the lab that sign their users
// in with OpenID Connect (authorization code flow with PKCE, state and
// nonce, the code exchanged server-side with a client secret) and keep
// their own session, rp_session (the common application's session
// machinery: rotated at login, destroyed at logout). Each host differs in
// where it keeps the login transaction (state, nonce, PKCE verifier):
//
//   - rp.test keeps it in a cookie of its own, rp_oidc_tx (the state), with
//     the rest on the server; SameSite=Lax, Path=/: the provider's redirect
//     back is a top-level GET, which carries it. It also logs in from a
//     popup and renews silently in a hidden iframe (prompt=none).
//   - rp-post.test keeps it in the session (as passport-openidconnect does
//     with express-session) and asks for response_mode=form_post: the
//     provider's cross-site POST back arrives without the SameSite=Lax
//     session cookie, so the state cannot be verified.
//   - rp-path.test sets rp_oidc_tx from /auth/login without a Path
//     attribute: its default path is /auth, and /callback never gets it.

// rpHosts are the relying parties, each a client of op.test.
var rpHosts = []string{"rp.test", "rp-post.test", "rp-path.test"}

const (
	rpTxCookie = "rp_oidc_tx"
	rpTxTTL    = 10 * time.Minute // the transaction cookie's and record's lifetime
	// rpStateError is passport's message for a state that cannot be checked.
	rpStateError = "Unable to verify authorization request state."
)

// rpApp is one relying party.
type rpApp struct {
	lab        *Lab
	host       string
	formPost   bool // response_mode=form_post
	inSession  bool // the transaction is kept in the session, not in rp_oidc_tx
	defaultTxP bool // rp_oidc_tx is set without Path (default path: the login URL's directory)

	mu  sync.Mutex
	txs map[string]rpTx // by state
}

// rpTx is a login in progress.
type rpTx struct {
	nonce, verifier, mode, returnTo string
	expires                         time.Time
}

// rpShared is what every relying party of a lab shares: the client secret
// (one per lab start), the provider's metadata (fetched once) and the
// server-side HTTP client that reaches op.test through the lab's own HTTPS
// listener, trusting its certificate.
type rpShared struct {
	secret string
	client *http.Client

	mu   sync.Mutex
	meta *opMetadata
}

type opMetadata struct {
	Issuer                string `json:"issuer"`
	AuthorizationEndpoint string `json:"authorization_endpoint"`
	TokenEndpoint         string `json:"token_endpoint"`
}

func (l *Lab) newRPShared() *rpShared {
	d := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		// Every .test name is the lab; dial its HTTPS listener, as the browser's
		// host rule does.
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, net.JoinHostPort(l.cfg.Addr, strconv.Itoa(l.httpsPort)))
		},
		TLSClientConfig:   &tls.Config{RootCAs: l.pool, MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2: true,
	}
	return &rpShared{
		secret: b64.EncodeToString(randomKey(32)),
		client: &http.Client{Transport: tr, Timeout: opStartTimeout + 10*time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
}

// rpClients is op.test's client registrations, one per relying party.
func (l *Lab) rpClients() []map[string]any {
	var cs []map[string]any
	for _, h := range rpHosts {
		cs = append(cs, map[string]any{
			"client_id":                  h,
			"client_secret":              l.rp.secret,
			"redirect_uris":              []string{l.URL(h) + "/callback"},
			"grant_types":                []string{"authorization_code"},
			"response_types":             []string{"code"},
			"token_endpoint_auth_method": "client_secret_basic",
		})
	}
	return cs
}

// metadata fetches the provider's discovery document once (again after a
// failure) and checks that its issuer is the one configured.
func (l *Lab) opMetadata(ctx context.Context) (*opMetadata, error) {
	sh := l.rp
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.meta != nil {
		return sh.meta, nil
	}
	issuer := l.URL(opHost)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, issuer+"/.well-known/openid-configuration", nil)
	if err != nil {
		return nil, err
	}
	resp, err := sh.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("discovery: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("discovery: %s: %s", resp.Status, firstLine(body))
	}
	var m opMetadata
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("discovery: %w", err)
	}
	if m.Issuer != issuer || m.AuthorizationEndpoint == "" || m.TokenEndpoint == "" {
		return nil, fmt.Errorf("discovery: issuer %q (want %q), endpoints %q %q", m.Issuer, issuer, m.AuthorizationEndpoint, m.TokenEndpoint)
	}
	sh.meta = &m
	return sh.meta, nil
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

func (l *Lab) setupRP(s *site) {
	a := &rpApp{lab: l, host: s.host.Name, txs: map[string]rpTx{}}
	switch a.host {
	case "rp-post.test":
		a.formPost, a.inSession = true, true
	case "rp-path.test":
		a.defaultTxP = true
	}
	s.loginPage = a.loginPage
	s.routes["/auth/login"] = a.start
	s.routes["/callback"] = a.callback
	if a.host == "rp.test" {
		s.accountExtra = func(c *ctx) string { return rpRenewWidget }
	}
}

func (a *rpApp) loginPage(c *ctx) {
	c.load()
	if c.sess.loggedIn() {
		c.redirect("/account")
		return
	}
	var b strings.Builder
	b.WriteString(`<h1>Log in</h1><p>This site signs you in with op.test (OpenID Connect).</p>`)
	b.WriteString(`<p><a id="oidc-login" href="/auth/login">Sign in with op.test</a></p>`)
	if a.host == "rp.test" {
		b.WriteString(`<p><button id="popup-login" type="button">Sign in with op.test in a popup</button></p>` + rpPopupScript)
	}
	c.page(http.StatusOK, "Log in - "+a.host, b.String())
}

// rpPopupScript opens the login in a popup; the callback, in the popup,
// posts "oidc-login" to this window, which closes the popup and goes to
// the account page (as oidc-client-ts's signinPopup does).
const rpPopupScript = `<script>
var popup = null;
document.getElementById("popup-login").addEventListener("click", function () {
  popup = window.open("/auth/login?mode=popup", "oidc_login", "popup,width=480,height=640");
});
window.addEventListener("message", function (e) {
  if (e.origin !== location.origin || !e.data || e.data.type !== "oidc-login") return;
  if (popup) popup.close();
  location.assign(e.data.ok ? "/account" : "/login?error=" + encodeURIComponent(e.data.error));
});
</script>`

// rpRenewWidget renews the session silently: a hidden iframe runs the
// authorization request with prompt=none, and the callback, in the frame,
// posts the outcome to this page.
const rpRenewWidget = `<p><button id="renew" type="button">Renew the session silently</button></p><p id="renew-status"></p>
<script>
document.getElementById("renew").addEventListener("click", function () {
  var f = document.createElement("iframe");
  f.id = "renew-frame";
  f.hidden = true;
  f.src = "/auth/login?mode=silent";
  // A frame whose last page posts nothing (the callback could not tell which
  // login it was) would leave the renewal pending: give up after a while.
  f.addEventListener("load", function () {
    setTimeout(function () { result(false, "no answer from the renewal frame"); }, 3000);
  });
  document.body.appendChild(f);
});
function result(ok, error) {
  if (document.getElementById("renew-ok") || document.getElementById("renew-failed")) return;
  var p = document.createElement("p");
  p.id = ok ? "renew-ok" : "renew-failed";
  p.textContent = ok ? "Session renewed." : "Silent renewal failed: " + error;
  document.getElementById("renew-status").appendChild(p);
}
window.addEventListener("message", function (e) {
  if (e.origin !== location.origin || !e.data || e.data.type !== "oidc-renew") return;
  result(e.data.ok, e.data.error);
});
</script>`

// start begins a login: a new state, nonce and PKCE verifier, kept where
// the host keeps them, and a redirect to the provider.
func (a *rpApp) start(c *ctx) {
	mode := c.r.URL.Query().Get("mode")
	if mode != "popup" && mode != "silent" {
		mode = "page"
	}
	meta, err := a.lab.opMetadata(c.r.Context())
	if err != nil {
		a.fail(c, mode, http.StatusBadGateway, "provider_unavailable", err.Error())
		return
	}
	state, nonce, verifier := b64.EncodeToString(randomKey(16)), b64.EncodeToString(randomKey(16)), b64.EncodeToString(randomKey(32))
	c.load()
	tx := rpTx{nonce: nonce, verifier: verifier, mode: mode, returnTo: c.sess.data["return_to"], expires: time.Now().Add(rpTxTTL)}
	if a.inSession {
		c.ensure()
		c.node.store.update(c.id, func(s *session) {
			s.data["oidc_state"], s.data["oidc_nonce"], s.data["oidc_verifier"], s.data["oidc_mode"] = state, nonce, verifier, mode
		})
	} else {
		a.put(state, tx)
		ck := &http.Cookie{Name: rpTxCookie, Value: state, Path: "/", MaxAge: int(rpTxTTL / time.Second),
			Secure: c.https, HttpOnly: true, SameSite: http.SameSiteLaxMode}
		if a.defaultTxP {
			// No Path attribute, as many cookie helpers do by default: the browser scopes
			// the cookie to the directory of the URL that set it (/auth).
			c.raw = append(c.raw, strings.Replace(ck.String(), "; Path=/", "", 1))
		} else {
			c.setCookie(ck)
		}
	}
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {a.host},
		"redirect_uri":          {a.lab.URL(a.host) + "/callback"},
		"scope":                 {"openid profile"},
		"state":                 {state},
		"nonce":                 {nonce},
		"code_challenge":        {b64.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"},
	}
	if a.formPost {
		q.Set("response_mode", "form_post")
	}
	if mode == "silent" {
		q.Set("prompt", "none")
	}
	c.redirect(meta.AuthorizationEndpoint + "?" + q.Encode())
}

func (a *rpApp) put(state string, tx rpTx) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := time.Now()
	for k, v := range a.txs {
		if now.After(v.expires) {
			delete(a.txs, k)
		}
	}
	if len(a.txs) < 10000 {
		a.txs[state] = tx
	}
}

// take removes and returns the transaction of state.
func (a *rpApp) take(state string) (rpTx, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	tx, ok := a.txs[state]
	delete(a.txs, state)
	return tx, ok && time.Now().Before(tx.expires)
}

// callback is the redirect URI: it checks the state against the
// transaction, exchanges the code and checks the ID token, then logs the
// user in.
func (a *rpApp) callback(c *ctx) {
	c.r.Body = http.MaxBytesReader(c.w, c.r.Body, 64<<10)
	if err := c.r.ParseForm(); err != nil {
		a.fail(c, "page", http.StatusBadRequest, "invalid_request", "The callback could not be read.")
		return
	}
	if a.formPost != (c.r.Method == http.MethodPost) {
		want := http.MethodGet
		if a.formPost {
			want = http.MethodPost
		}
		c.methodNotAllowed(want)
		return
	}
	p := c.r.Form
	state := p.Get("state")
	c.load()
	var tx rpTx
	if a.inSession {
		d := c.sess.data
		if state == "" || d["oidc_state"] == "" || subtle.ConstantTimeCompare([]byte(state), []byte(d["oidc_state"])) != 1 {
			// The session did not come back (or holds another login): nothing to
			// check the state against.
			c.ensure()
			a.fail(c, "page", http.StatusForbidden, "state_unverified", rpStateError)
			return
		}
		tx = rpTx{nonce: d["oidc_nonce"], verifier: d["oidc_verifier"], mode: d["oidc_mode"], returnTo: d["return_to"]}
		c.node.store.update(c.id, func(s *session) {
			for _, k := range []string{"oidc_state", "oidc_nonce", "oidc_verifier", "oidc_mode"} {
				delete(s.data, k)
			}
		})
	} else {
		ck, err := c.r.Cookie(rpTxCookie)
		if err != nil {
			a.fail(c, "page", http.StatusForbidden, "state_cookie_missing", "The login state cookie ("+rpTxCookie+") did not come back with the provider's answer: "+rpStateError)
			return
		}
		// The transaction is over either way: delete its cookie (with the Path it was set with).
		c.raw = append(c.raw, rpTxCookie+"=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"+secureAttr(c))
		var ok bool
		if state == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(state)) != 1 {
			a.fail(c, "page", http.StatusForbidden, "state_mismatch", "The state in the answer is not the one this browser started: "+rpStateError)
			return
		}
		if tx, ok = a.take(state); !ok {
			a.fail(c, "page", http.StatusForbidden, "state_unknown", "The login expired or was already used: "+rpStateError)
			return
		}
	}
	if e := p.Get("error"); e != "" {
		a.fail(c, tx.mode, http.StatusOK, e, p.Get("error_description"))
		return
	}
	sub, err := a.exchange(c.r.Context(), p.Get("code"), tx)
	if err != nil {
		a.fail(c, tx.mode, http.StatusBadGateway, "token_exchange_failed", err.Error())
		return
	}
	if tx.mode == "silent" && c.sess.loggedIn() && c.sess.user == sub {
		// A renewal of the session the user has: nothing to rotate.
		a.done(c, tx.mode, "")
		return
	}
	c.login(sub)
	dest := "/account"
	if safeLocalPath(tx.returnTo) {
		dest = tx.returnTo
	}
	a.done(c, tx.mode, dest)
}

// exchange trades the code for tokens at the token endpoint and checks the
// ID token's claims. Its signature is not checked: it came straight from
// the token endpoint over TLS, which OpenID Connect Core (3.1.3.7, step 6)
// accepts in place of the signature.
func (a *rpApp) exchange(ctx context.Context, code string, tx rpTx) (string, error) {
	if code == "" {
		return "", errors.New("no code in the answer")
	}
	meta, err := a.lab.opMetadata(ctx)
	if err != nil {
		return "", err
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {a.lab.URL(a.host) + "/callback"}, "code_verifier": {tx.verifier}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, meta.TokenEndpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(a.host), url.QueryEscape(a.lab.rp.secret))
	resp, err := a.lab.rp.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("token endpoint: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var tok struct {
		IDToken string `json:"id_token"`
		Error   string `json:"error"`
		Desc    string `json:"error_description"`
	}
	if err := json.Unmarshal(body, &tok); err != nil {
		return "", fmt.Errorf("token endpoint: %s: %s", resp.Status, firstLine(body))
	}
	if resp.StatusCode != http.StatusOK || tok.IDToken == "" {
		return "", fmt.Errorf("token endpoint: %s: %s %s", resp.Status, tok.Error, tok.Desc)
	}
	return a.checkIDToken(tok.IDToken, meta.Issuer, tx.nonce, time.Now())
}

// checkIDToken checks iss, aud, exp and nonce; it returns sub.
func (a *rpApp) checkIDToken(tok, issuer, nonce string, now time.Time) (string, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return "", errors.New("id_token: not a JWS")
	}
	raw, err := b64.DecodeString(parts[1])
	if err != nil {
		return "", fmt.Errorf("id_token: %w", err)
	}
	var cl struct {
		Iss   string          `json:"iss"`
		Sub   string          `json:"sub"`
		Aud   json.RawMessage `json:"aud"`
		Exp   int64           `json:"exp"`
		Nonce string          `json:"nonce"`
	}
	if err := json.Unmarshal(raw, &cl); err != nil {
		return "", fmt.Errorf("id_token: %w", err)
	}
	var aud []string
	if json.Unmarshal(cl.Aud, &aud) != nil {
		var one string
		if json.Unmarshal(cl.Aud, &one) == nil {
			aud = []string{one}
		}
	}
	switch {
	case cl.Iss != issuer:
		return "", fmt.Errorf("id_token: iss %q, want %q", cl.Iss, issuer)
	case !slices.Contains(aud, a.host):
		return "", fmt.Errorf("id_token: aud %v does not name %s", aud, a.host)
	case now.Unix() >= cl.Exp:
		return "", errors.New("id_token: expired")
	case nonce == "" || subtle.ConstantTimeCompare([]byte(cl.Nonce), []byte(nonce)) != 1:
		return "", errors.New("id_token: the nonce is not this login's")
	case cl.Sub == "":
		return "", errors.New("id_token: no sub")
	}
	return cl.Sub, nil
}

// done ends a successful login: a redirect for a full-page login, a page
// that tells the opener (popup) or the parent (silent renewal) otherwise.
func (a *rpApp) done(c *ctx, mode, dest string) {
	switch mode {
	case "popup":
		c.page(http.StatusOK, "Signed in - "+a.host, `<p id="popup-done">Signed in. This window closes.</p>`+
			`<script>if (window.opener) window.opener.postMessage({type: "oidc-login", ok: true}, location.origin);</script>`)
	case "silent":
		c.page(http.StatusOK, "Renewed - "+a.host, `<p id="renew-done">Renewed.</p>`+
			`<script>parent.postMessage({type: "oidc-renew", ok: true}, location.origin);</script>`)
	default:
		c.redirect(dest)
	}
}

// fail shows a failed login: a page with #oidc-error (code and message),
// told to the opener or the parent for a popup or a silent renewal.
func (a *rpApp) fail(c *ctx, mode string, status int, code, msg string) {
	a.lab.logf("%s: login failed: %s: %s", a.host, code, msg)
	js, _ := json.Marshal(code)
	script := ""
	switch mode {
	case "popup":
		script = `<script>if (window.opener) window.opener.postMessage({type: "oidc-login", ok: false, error: ` + string(js) + `}, location.origin);</script>`
	case "silent":
		script = `<script>parent.postMessage({type: "oidc-renew", ok: false, error: ` + string(js) + `}, location.origin);</script>`
	}
	c.page(status, "Sign-in failed - "+a.host, `<h1>Sign-in failed</h1><p id="oidc-error"><code id="oidc-error-code">`+esc(code)+`</code>: `+esc(msg)+`</p>`+
		`<p><a id="login-link" href="/login">Try again</a></p>`+script)
}
