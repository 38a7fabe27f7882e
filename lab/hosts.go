package lab

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const indexHost = "lab.test"

// defaultIdle is the server idle timeout of every host but idle.test.
const defaultIdle = 30 * time.Minute

type hostDef struct {
	name, behaviour, scenario, cookie string
}

// hostTable lists the lab's hosts in the order the index shows them.
var hostTable = []hostDef{
	{indexHost, "Index: every host, its behaviour and its scenario.", "", ""},
	{"correct.test", "Correct: __Host- cookie, Secure, HttpOnly, SameSite=Lax; new ID at login; server session destroyed and cookie deleted at logout.", "scenarios/lab/correct.yaml", "__Host-sid"},
	{"regressed.test", "A regressed build of correct.test: the same __Host- cookie, but without HttpOnly and with no new ID at login (for sessiontrace diff and policy baselines).", "", "__Host-sid"},
	{"fixation.test", "Session fixation: the pre-login ID is kept at login (and unknown IDs are adopted); the cookie lacks HttpOnly.", "scenarios/lab/fixation.yaml", "PHPSESSID"},
	{"logout-keep.test", "Logout only deletes the cookie: the server session stays valid, so a replayed ID is still logged in.", "scenarios/lab/logout-keep.yaml", "connect.sid"},
	{"mixed.test", "Mixed content: a plain http:// link on the HTTPS site; the Secure cookie is withheld there and the server issues a new session.", "scenarios/lab/mixed.yaml", "JSESSIONID"},
	{"cluster.test", "Bad replication: two nodes with separate session stores, round robin; a node that does not know the ID issues a new one.", "scenarios/lab/cluster.yaml", "JSESSIONID"},
	{"idle.test", "Server idle timeout: a session unused for longer than the timeout is dropped; the old ID gets a new one and the login page.", "scenarios/lab/idle.yaml", "sessionid"},
	{"expiry.test", "Cookie expiry: the session cookie has a short Max-Age and expires in the browser.", "scenarios/lab/expiry.yaml", "laravel_session"},
	{"sso.test", "SameSite=Strict session cookie: the IdP's cross-site POST to /callback arrives without it, so the pre-login state is lost.", "scenarios/lab/sso.yaml", "_sso_session"},
	{"idp.test", "Identity provider for sso.test: a form that POSTs cross-site to sso.test/callback.", "scenarios/lab/sso.yaml", ""},
	{"scope.test", "Cookie scope: a host-only cookie not sent to www.scope.test, and a Path=/app cookie not sent to /other.", "scenarios/lab/scope.yaml", "_scope_session"},
	{"www.scope.test", "Cookie scope: the same application as scope.test under another name; scope.test's host-only cookie is not sent here.", "scenarios/lab/scope.yaml", "_scope_session"},
	{"rejects.test", "Cookies the browser rejects: SameSite=None without Secure, a foreign Domain, a broken __Host- prefix, an oversized cookie, a non-Secure overwrite of a Secure cookie; plus quirks.", "scenarios/lab/rejects.yaml", "SESSION"},
	{"script.test", "Script cookies: document.cookie writes and deletes, a CookieStore write; the session cookie is readable by script.", "scenarios/lab/script.yaml", "sid"},
	{"urlsession.test", "Session ID in URLs: ;jsessionid= path parameters, ?sid= and a redirect whose Location carries the ID.", "scenarios/lab/urlsession.yaml", "JSESSIONID"},
	{"resetcode.test", "Reset in code: an error handler (/error) that clears the session without a logout.", "scenarios/lab/resetcode.yaml", "ci_session"},
	{"faults.test", "Faults: /hang never answers, /500, /loop redirects forever, /slow?ms=N, /drop closes the connection.", "scenarios/lab/faults-500.yaml", "ASP.NET_SessionId"},
	{"plainhttp.test", "express-session with cookie.secure: true: over plain http no cookie is ever set, so an http link from the HTTPS site lands anonymous, with no new cookie to show for it.", "scenarios/lab/plainhttp.yaml", "connect.sid"},
	{"signed.test", "Flask's client-side session: the session is the signed cookie (itsdangerous), re-signed whenever it changes; logout deletes the cookie but every earlier value stays valid.", "scenarios/lab/signed.yaml", "session"},
	{"jwt.test", "A JWT (HS256) in a cookie, re-issued on every logged-in response; logout deletes the cookie but a copied token stays valid until it expires.", "scenarios/lab/jwt.yaml", "access_token"},
	{"rotating.test", "A new session ID on every response, on purpose: the record moves to the new ID and the old one dies; the user stays logged in.", "scenarios/lab/rotating.yaml", "SESSIONID"},
	{"stamped.test", "gorilla/sessions with securecookie: the ID travels encrypted in a value re-written on every response, but the login keeps the pre-login session (fixation the values hide).", "scenarios/lab/stamped.yaml", "gsession"},
	{"bound.test", "Spring Session's SESSION cookie is kept at login, but the login also sets an auth cookie bound to the session: the pre-login cookie alone is not logged in.", "scenarios/lab/bound.yaml", "SESSION"},
	{"targets.test", "Other targets: a cross-site frame (widget.test), a popup, a dedicated worker and a service worker, each making requests that set and send cookies.", "scenarios/lab/targets.yaml", "targets_session"},
	{"widget.test", "A third-party widget framed by targets.test: Partitioned cookies set by its document and its script, and an unpartitioned SameSite=None one that blocked third-party cookies refuse.", "scenarios/lab/targets.yaml", ""},
	{"spa.test", "A single-page app: its tokens in localStorage and sessionStorage, sent as Authorization: Bearer, and no cookie; logout removes only the sessionStorage copy and the server revokes nothing, so the access token works until it expires.", "scenarios/lab/spa.yaml", ""},
	{"op.test", "A real OpenID Connect provider (panva's oidc-provider, run by node): authorization code with PKCE, its own session cookies (_session SameSite=None, _interaction); user alice, password lab-password.", "scenarios/lab/oidc-login.yaml", ""},
	{"rp.test", "An OpenID Connect client of op.test done right: state in a SameSite=Lax cookie, code + PKCE exchanged server-side; full-page and popup login; silent renewal in a hidden cross-site iframe, which blocked third-party cookies break.", "scenarios/lab/oidc-login.yaml", "rp_session"},
	{"rp-post.test", "An OpenID Connect client that keeps the login state in its SameSite=Lax session and asks for response_mode=form_post: the provider's cross-site POST back arrives without the session, so the state cannot be verified.", "scenarios/lab/oidc-formpost.yaml", "rp_session"},
	{"rp-path.test", "An OpenID Connect client whose state cookie is set from /auth/login without a Path: it is scoped to /auth and never reaches /callback.", "scenarios/lab/oidc-path.yaml", "rp_session"},
	{"hostile.test", "Hostile pages: a huge page, a cookie flood past the per-domain limit, control characters in cookies, a very long URL, endless scripts and navigations, dialogs, popups, a download.", "", "_hostile_session"},
}

// buildSites makes the lab's sites from hostTable. It is long because its
// switch is the one place that says how each host differs from the
// default site: a short case per host, read best side by side.
func (l *Lab) buildSites() {
	l.sites = make(map[string]*site, len(hostTable))
	l.hosts = l.hosts[:0]
	for _, d := range hostTable {
		h := Host{Name: d.name, Behaviour: d.behaviour, Scenario: d.scenario, Cookie: d.cookie}
		l.hosts = append(l.hosts, h)
		s := &site{
			lab:             l,
			host:            h,
			app:             true,
			cookie:          cookieSpec{name: d.cookie, path: "/", httpOnly: true, sameSite: http.SameSiteLaxMode},
			nodes:           []*node{{name: "node-a", store: newStore(defaultIdle)}},
			rotate:          true,
			destroyOnLogout: true,
			routes:          map[string]func(*ctx){},
		}
		l.sites[d.name] = s
		switch d.name {
		case indexHost:
			s.app = false
			s.routes["/"] = func(c *ctx) { l.index(c) }
		case "correct.test":
			s.httpsOnly = true
		case "regressed.test":
			s.httpsOnly = true
			s.rotate = false
			s.cookie.httpOnly = false
		case "fixation.test":
			s.rotate = false
			s.adopt = true
			s.cookie.httpOnly = false
			s.cookie.format = idHexLower
		case "logout-keep.test":
			s.destroyOnLogout = false
			s.cookie.codec = codecExpress
		case "mixed.test":
			s.cookie.format = idHexUpper
			s.accountExtra = func(c *ctx) string {
				return `<p><a id="plain-link" href="` + esc(l.HTTPURL("mixed.test")) + `/account">Your account (printable version)</a></p>`
			}
		case "cluster.test":
			s.cookie.format = idHexUpper
			s.nodes = append(s.nodes, &node{name: "node-b", store: newStore(defaultIdle)})
		case "idle.test":
			s.cookie.format = idHexLower
			s.nodes[0].store.idle = l.cfg.IdleTimeout
		case "expiry.test":
			s.cookie.maxAge = l.cfg.CookieMaxAge
			s.rolling = true
		case "sso.test":
			l.setupSSO(s)
		case "idp.test":
			s.app = false
			s.routes["/"] = func(c *ctx) { l.idpHome(c) }
			s.routes["/authorize"] = func(c *ctx) { l.idpAuthorize(c) }
		case "scope.test":
			l.setupScope(s)
		case "www.scope.test":
			apex := l.sites["scope.test"]
			s.nodes = apex.nodes // one application under two names
			l.setupScope(s)
		case "rejects.test":
			l.setupRejects(s)
		case "script.test":
			s.cookie.httpOnly = false
			s.routes["/script"] = func(c *ctx) { scriptPage(c) }
			link := func(c *ctx) string {
				return `<p><a id="script-link" href="/script">Display preferences (script)</a></p>`
			}
			s.homeExtra, s.accountExtra = link, link
		case "urlsession.test":
			s.cookie.format = idHexUpper
			s.urlIDs = true
			s.accountExtra = func(c *ctx) string {
				return `<p><a id="account-link" href="` + esc(c.rewrite("/account")) + `">Reload your account</a></p>`
			}
		case "resetcode.test":
			s.cookie.format = idHexLower
			s.routes["/error"] = func(c *ctx) { resetError(c) }
			s.accountExtra = func(c *ctx) string {
				return `<p><a id="trigger-error" href="/error">Export your data (fails)</a></p>`
			}
		case "faults.test":
			s.cookie.format = idHexLower
			l.setupFaults(s)
		case "plainhttp.test":
			// express-session with cookie: { secure: true }: over http it never sets the cookie.
			s.cookie.codec = codecExpress
			s.cookie.secure = true
			s.secureOnly = true
			s.accountExtra = func(c *ctx) string {
				return `<p><a id="plain-link" href="` + esc(l.HTTPURL("plainhttp.test")) + `/account">Your account (printable version)</a></p>`
			}
		case "signed.test":
			// Flask's default session with SESSION_COOKIE_SECURE, a CSRF token (Flask-WTF
			// style) and a visits counter on /account.
			s.cookie.secure = true
			s.client = newFlaskCodec(randomKey(32))
			s.eager = true
			s.csrf = true
			s.countVisits = true
		case "jwt.test":
			// An HS256 JWT in a cookie, set with secure=True, re-issued on every logged-in response.
			s.cookie.secure = true
			s.client = &jwtCodec{key: randomKey(32)}
			s.eager = true
			s.slide = true
		case "rotating.test":
			// A server store whose ID is renewed on every response.
			s.cookie.format = idHexLower
			s.eager = true
			s.renewEvery = true
		case "stamped.test":
			// gorilla/sessions (a server-side store such as FilesystemStore) with
			// securecookie hash and block keys, Options{Path: "/", Secure: true, HttpOnly:
			// true, SameSite: Lax} and no MaxAge (a session cookie); the app calls Save on
			// every request and never renews the session at login.
			s.cookie.secure = true
			s.cookie.format = idBase32
			s.cookie.codec = codecSecurecookie
			s.sc = newSecurecookie()
			s.eager = true
			s.rolling = true // a new IV and timestamp on every response
			s.rotate = false // the login keeps the pre-login session
		case "bound.test":
			// Spring Session's SESSION cookie (base64 of a UUID), kept at login, plus a
			// login-bound auth cookie whose value the session record holds.
			s.cookie.format = idUUID
			s.cookie.codec = codecSpring
			s.rotate = false
			s.bindAuth = "auth"
		case "targets.test":
			l.setupTargets(s)
		case "widget.test":
			l.setupWidget(s)
		case "spa.test":
			l.setupSPA(s)
		case "hostile.test":
			l.setupHostile(s)
		case opHost:
			s.app = false // served by the provider process, through opServe
		case "rp.test", "rp-post.test", "rp-path.test":
			l.setupRP(s)
		}
	}
}

// --- lab.test ---

func (l *Lab) index(c *ctx) {
	var b strings.Builder
	b.WriteString(`<h1>sessiontrace lab</h1>`)
	b.WriteString(`<p>Each host reproduces one session behaviour. HTTPS port <code id="https-port">` + itoa(l.httpsPort) +
		`</code>, HTTP port <code id="http-port">` + itoa(l.httpPort) + `</code>, certificate SPKI hash <code id="spki">` + esc(l.spki) + `</code>.</p>`)
	b.WriteString(`<table id="hosts"><thead><tr><th>Host</th><th>Behaviour</th><th>Session cookie</th><th>Scenario</th></tr></thead><tbody>`)
	for _, h := range l.hosts {
		if h.Name == indexHost {
			continue
		}
		b.WriteString(`<tr id="host-` + esc(h.Name) + `"><td><a href="` + esc(l.URL(h.Name)) + `/">` + esc(h.Name) + `</a></td><td>` +
			esc(h.Behaviour) + `</td><td><code>` + esc(h.Cookie) + `</code></td><td><code>` + esc(h.Scenario) + `</code></td></tr>`)
	}
	b.WriteString(`</tbody></table>`)
	b.WriteString(`<p>Run the bundled scenarios: <code>sessiontrace run --lab scenarios/lab</code>.</p>`)
	c.page(http.StatusOK, "sessiontrace lab", b.String())
}

// --- sso.test and idp.test ---

func (l *Lab) setupSSO(s *site) {
	s.cookie.sameSite = http.SameSiteStrictMode
	// The session starts on the first visit (it carries the pre-login state, return_to).
	s.before = func(c *ctx) bool {
		c.ensure()
		if _, err := c.r.Cookie("sso_locale"); err != nil {
			c.setCookie(&http.Cookie{Name: "sso_locale", Value: "en", Path: "/", Secure: c.https,
				SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600})
		}
		return true
	}
	s.loginPage = func(c *ctx) {
		c.load()
		if c.sess.loggedIn() {
			c.redirect("/account")
			return
		}
		authorize := l.URL("idp.test") + "/authorize?" + url.Values{"return": {l.URL("sso.test") + "/callback"}}.Encode()
		c.page(http.StatusOK, "Log in - sso.test", `<h1>Log in</h1><p>This site signs you in with its identity provider.</p>`+
			`<p><a id="sso-login" href="`+esc(authorize)+`">Sign in with idp.test</a></p>`)
	}
	s.routes["/callback"] = func(c *ctx) {
		if c.r.Method != http.MethodPost {
			c.methodNotAllowed("POST")
			return
		}
		user, _, ok := c.credentials()
		if !ok {
			return
		}
		if user == "" {
			c.errorPage(http.StatusBadRequest, "Bad request", "The identity provider sent no user.")
			return
		}
		if !c.fresh {
			// The session came back: rotate it and resume where the user was going.
			returnTo := c.sess.data["return_to"]
			c.login(user)
			if !safeLocalPath(returnTo) {
				returnTo = "/account"
			}
			c.redirect(returnTo)
			return
		}
		// No session on the cross-site POST: the one started by before() is new and knows
		// nothing about where the user was going.
		c.login(user)
		c.page(http.StatusOK, "Signed in - sso.test", `<h1>Signed in</h1><p id="welcome">Welcome, `+esc(user)+`</p>`+
			`<p id="state-lost">Your sign-in worked, but the sign-in state was lost: the session cookie did not come back on the `+
			`cross-site POST from idp.test, so a new session was started and the page you were going to (return_to) is unknown.</p>`+
			`<p><a id="account-link" href="/account">Go to your account</a></p>`)
	}
}

func (l *Lab) idpHome(c *ctx) {
	c.page(http.StatusOK, "idp.test", `<h1>idp.test</h1><p>The identity provider of <a id="sso-link" href="`+
		esc(l.URL("sso.test"))+`/">sso.test</a>. Start from sso.test's login page.</p>`)
}

func (l *Lab) idpAuthorize(c *ctx) {
	ret := c.r.URL.Query().Get("return")
	u, err := url.Parse(ret)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil || !strings.HasSuffix(strings.ToLower(u.Hostname()), ".test") {
		c.errorPage(http.StatusBadRequest, "Bad request", "The return URL must be an http(s) URL of a .test host.")
		return
	}
	var b strings.Builder
	b.WriteString(`<h1>Sign in to idp.test</h1><p>You are signing in to <code id="idp-client">` + esc(u.Host) + `</code>.</p>`)
	b.WriteString(`<form id="idp-form" method="post" action="` + esc(u.String()) + `">`)
	b.WriteString(`<p><label for="idp-user">User</label> <input id="idp-user" name="user" autocomplete="username"></p>`)
	b.WriteString(`<p><label for="idp-password">Password</label> <input id="idp-password" name="password" type="password" autocomplete="current-password"></p>`)
	b.WriteString(`<p><button id="idp-login" type="submit">Sign in</button></p></form>`)
	c.page(http.StatusOK, "Sign in - idp.test", b.String())
}

// --- scope.test and www.scope.test ---

func (l *Lab) setupScope(s *site) {
	s.routes["/app"] = func(c *ctx) { c.redirect("/app/") }
	s.routes["/app/"] = func(c *ctx) { scopeApp(c) }
	s.routes["/other"] = func(c *ctx) { scopeOther(c) }
	s.homeExtra = func(c *ctx) string {
		return `<ul><li><a id="app-link" href="/app/">The app area (/app/)</a></li>` +
			`<li><a id="other-link" href="/other">Another page (/other)</a></li>` +
			`<li><a id="www-link" href="` + esc(l.URL(otherScopeHost(c.host))) + `/account">Your account on ` + esc(otherScopeHost(c.host)) + `</a></li></ul>`
	}
	s.accountExtra = func(c *ctx) string {
		return `<p><a id="www-link" href="` + esc(l.URL(otherScopeHost(c.host))) + `/account">Your account on ` + esc(otherScopeHost(c.host)) + `</a></p>`
	}
}

func otherScopeHost(h string) string {
	if h == "www.scope.test" {
		return "scope.test"
	}
	return "www.scope.test"
}

const appCookie = "app_session"

func scopeApp(c *ctx) {
	status := "App session cookie received."
	if ck, err := c.r.Cookie(appCookie); err != nil || !c.validAppSession(ck.Value) {
		id := newID(idBase64URL)
		c.node.store.put(id, "", map[string]string{"area": "app"})
		c.s.lab.recordIssued(id)
		c.setCookie(&http.Cookie{Name: appCookie, Value: id, Path: "/app", Secure: c.https, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		status = "A new app session was started (cookie " + appCookie + ", Path=/app)."
	}
	c.page(http.StatusOK, "App - "+c.s.host.Name, `<h1>App area</h1><p id="app-session-status">`+esc(status)+`</p>`+
		`<p><a id="other-link" href="/other">Another page (/other)</a></p>`)
}

func scopeOther(c *ctx) {
	status := "No app session here: the " + appCookie + " cookie's Path=/app does not cover /other."
	if ck, err := c.r.Cookie(appCookie); err == nil && c.validAppSession(ck.Value) {
		status = "App session cookie received on /other."
	}
	c.page(http.StatusOK, "Other - "+c.s.host.Name, `<h1>Another page</h1><p id="app-session-status">`+esc(status)+`</p>`+
		`<p><a id="app-link" href="/app/">Back to the app area</a></p>`)
}

func (c *ctx) validAppSession(id string) bool {
	s, ok := c.node.store.get(id)
	return ok && s.data["area"] == "app"
}

// --- rejects.test ---

func (l *Lab) setupRejects(s *site) {
	s.homeExtra = func(c *ctx) string {
		return `<ul><li><a id="rejects-link" href="/rejects">Cookies the browser rejects</a></li>` +
			`<li><a id="quirks-link" href="/quirks">Cookies with quirks</a></li>` +
			`<li><a id="secure-set-link" href="/secure-set">A Secure cookie, then a non-Secure overwrite over http</a></li></ul>`
	}
	s.routes["/rejects"] = func(c *ctx) {
		sec := secureAttr(c)
		c.raw = append(c.raw,
			"none_insecure=1; Path=/; SameSite=None",
			"foreign=1; Path=/; Domain=other.test"+sec,
			"__Host-broken=1; Path=/; Domain=rejects.test; Secure",
			"big="+strings.Repeat("x", 4100)+"; Path=/"+sec,
			"good=1; Path=/; HttpOnly; SameSite=Lax"+sec,
			"part_insecure=1; Path=/; HttpOnly; SameSite=Lax; Partitioned",
		)
		c.page(http.StatusOK, "Rejected cookies - rejects.test", `<h1>Rejected cookies</h1><p>This response sets six cookies; the browser should store only <code>good</code>:</p><ul id="rejects">`+
			`<li><code>none_insecure</code>: SameSite=None without Secure</li>`+
			`<li><code>foreign</code>: Domain=other.test, not this site</li>`+
			`<li><code>__Host-broken</code>: a __Host- cookie with a Domain attribute</li>`+
			`<li><code>big</code>: name and value over 4096 bytes</li>`+
			`<li><code>part_insecure</code>: Partitioned without Secure (Chromium drops it without a reason)</li>`+
			`<li><code>good</code>: a valid cookie</li></ul><p><a id="quirks-link" href="/quirks">Cookies with quirks</a></p>`)
	}
	s.routes["/quirks"] = func(c *ctx) {
		sec := secureAttr(c)
		c.raw = append(c.raw,
			"dup=first; Path=/; SameSite=Lax"+sec,
			"dup=second; Path=/; SameSite=Lax"+sec,
			"sloppy=1; Path=/; SameSite=Sloppy"+sec,
			"forever=1; Path=/; SameSite=Lax; Max-Age=63072000"+sec,
		)
		c.page(http.StatusOK, "Cookie quirks - rejects.test", `<h1>Cookie quirks</h1><p>Accepted, with warnings:</p><ul id="quirks">`+
			`<li><code>dup</code> set twice in one response (the second wins)</li>`+
			`<li><code>sloppy</code>: SameSite=Sloppy, an invalid value (treated as unspecified, so Lax)</li>`+
			`<li><code>forever</code>: Max-Age of 730 days (capped at 400)</li></ul>`+
			`<p><a id="secure-set-link" href="/secure-set">A Secure cookie</a></p>`)
	}
	s.routes["/secure-set"] = func(c *ctx) {
		c.raw = append(c.raw, "pref=a; Path=/; SameSite=Lax"+secureAttr(c))
		c.page(http.StatusOK, "Secure cookie - rejects.test", `<h1>A Secure cookie</h1><p>This response set <code>pref=a; Secure</code>.</p>`+
			`<p><a id="overwrite-link" href="`+esc(l.HTTPURL("rejects.test"))+`/overwrite">Overwrite it over plain http</a></p>`)
	}
	s.routes["/overwrite"] = func(c *ctx) {
		got := "No pref cookie was received."
		if ck, err := c.r.Cookie("pref"); err == nil {
			got = "pref received: " + ck.Value
		}
		c.raw = append(c.raw, "pref=b; Path=/; SameSite=Lax")
		c.page(http.StatusOK, "Overwrite - rejects.test", `<h1>Overwrite</h1><p>This response sets <code>pref=b</code> without Secure. Over http the browser must refuse it (a Secure pref exists).</p>`+
			`<p id="pref-received">`+esc(got)+`</p>`)
	}
}

func secureAttr(c *ctx) string {
	if c.https {
		return "; Secure"
	}
	return ""
}

// --- script.test ---

const scriptJS = `(async function () {
  var secure = location.protocol === "https:" ? "; Secure" : "";
  var log = [];
  document.cookie = "js_pref=dark; Path=/; Max-Age=86400; SameSite=Lax" + secure;
  log.push("document.cookie wrote js_pref");
  document.cookie = "banner_seen=; Path=/; Max-Age=0; SameSite=Lax" + secure;
  log.push("document.cookie deleted banner_seen");
  if (window.cookieStore) {
    try {
      await cookieStore.set({ name: "cs_layout", value: "compact", path: "/", sameSite: "lax", expires: Date.now() + 86400000 });
      log.push("cookieStore wrote cs_layout");
    } catch (e) {
      log.push("cookieStore.set failed: " + e.name);
    }
  } else {
    log.push("no CookieStore API");
  }
  var sidVisible = document.cookie.split("; ").some(function (c) { return c.indexOf("sid=") === 0; });
  document.getElementById("sid-visible").textContent = sidVisible ? "yes" : "no";
  document.getElementById("script-status").textContent = log.join("; ");
  var done = document.createElement("p");
  done.id = "script-done";
  done.textContent = "Preferences applied.";
  document.querySelector("main").appendChild(done);
})();`

func scriptPage(c *ctx) {
	c.load()
	c.setCookie(&http.Cookie{Name: "banner_seen", Value: "1", Path: "/", Secure: c.https, SameSite: http.SameSiteLaxMode})
	c.page(http.StatusOK, "Preferences - script.test", `<h1>Display preferences</h1>`+
		`<p>This page's script writes <code>js_pref</code> with document.cookie, deletes <code>banner_seen</code>, writes <code>cs_layout</code> with the CookieStore API and reads the session cookie.</p>`+
		`<p>Session cookie visible to script: <span id="sid-visible">unknown</span></p>`+
		`<p id="script-status">Running.</p><p><a id="account-link" href="/account">Your account</a></p>`+
		`<script>`+scriptJS+`</script>`)
}

// --- resetcode.test ---

// resetError is an over-eager error handler: it clears the session as if logging out.
func resetError(c *ctx) {
	c.load()
	if c.id != "" {
		c.node.store.delete(c.id)
	}
	if c.id != "" || c.presented != "" {
		c.deleteSessionCookie()
	}
	c.page(http.StatusOK, "Error - resetcode.test", `<h1>Something went wrong</h1>`+
		`<p id="error-message">The export failed. Your session was reset.</p><p><a id="account-link" href="/account">Back to your account</a></p>`)
}

// --- faults.test ---

func (l *Lab) setupFaults(s *site) {
	s.homeExtra = func(c *ctx) string {
		return `<ul id="faults"><li><a id="hang-link" href="/hang">/hang</a>: never answers</li>` +
			`<li><a id="error-link" href="/500">/500</a>: an internal server error</li>` +
			`<li><a id="loop-link" href="/loop">/loop</a>: a redirect loop</li>` +
			`<li><a id="slow-link" href="/slow">/slow?ms=N</a>: answers after N ms</li>` +
			`<li><a id="drop-link" href="/drop">/drop</a>: closes the connection without a response</li></ul>`
	}
	s.routes["/hang"] = func(c *ctx) {
		select {
		case <-c.r.Context().Done():
		case <-l.closing:
		}
	}
	s.routes["/500"] = func(c *ctx) {
		c.errorPage(http.StatusInternalServerError, "Internal Server Error", "The server failed on purpose.")
	}
	s.routes["/loop"] = func(c *ctx) { http.Redirect(c.w, c.r, "/loop-back", http.StatusFound) }
	s.routes["/loop-back"] = func(c *ctx) { http.Redirect(c.w, c.r, "/loop", http.StatusFound) }
	s.routes["/slow"] = func(c *ctx) {
		d := l.cfg.SlowDelay
		if ms, err := strconv.Atoi(c.r.URL.Query().Get("ms")); err == nil && ms >= 0 {
			d = time.Duration(min(ms, 600_000)) * time.Millisecond
		}
		if !l.sleep(c.r.Context(), d) {
			return
		}
		c.page(http.StatusOK, "Slow - faults.test", `<h1>Slow</h1><p id="slow">Answered after `+esc(d.String())+`.</p>`)
	}
	s.routes["/drop"] = func(c *ctx) {
		conn, _, err := http.NewResponseController(c.w).Hijack()
		if err != nil {
			// HTTP/2 cannot hand over the connection: abort the stream instead (the
			// server recovers this sentinel silently and resets the stream).
			panic(http.ErrAbortHandler)
		}
		_ = conn.Close()
	}
}
