package lab

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// cookieSpec is how a host spells its session cookie.
type cookieSpec struct {
	name     string
	path     string // default "/"
	httpOnly bool
	sameSite http.SameSite
	maxAge   time.Duration // 0: a session cookie
	secure   bool          // Secure even over http (a fixed setting such as Flask's SESSION_COOKIE_SECURE); else Secure over https only
	format   idFormat
	codec    cookieCodec // how the ID is carried in the cookie value
}

// cookieCodec is how a framework carries a server-side session ID in the cookie value.
type cookieCodec int

const (
	codecPlain        cookieCodec = iota // the ID as is
	codecExpress                         // express-session: "s:" + ID + "." + HMAC-SHA256, URL-encoded
	codecSpring                          // Spring Session: base64 of the ID
	codecSecurecookie                    // gorilla/securecookie: timestamped, encrypted, signed; a new value every time
)

// node is one application server with its own session store.
type node struct {
	name  string
	store *store
}

// site is one virtual host: the common application (/, /login, /account, /logout) plus
// the host's own routes, differing in one session behaviour set by its flags.
type site struct {
	lab  *Lab
	host Host

	app    bool // serves the common application
	cookie cookieSpec
	nodes  []*node // one, or two for the cluster (round robin)
	rr     atomic.Uint64

	rotate          bool   // a new ID at login
	destroyOnLogout bool   // the server entry dies at logout
	adopt           bool   // accepts a well-formed unknown ID from the client (PHP without strict mode)
	rolling         bool   // re-sends the cookie (and its Max-Age) on every response
	httpsOnly       bool   // plain-HTTP requests are redirected to HTTPS
	urlIDs          bool   // the ID also travels in URLs (;jsessionid= and ?sid=)
	secureOnly      bool   // express-session's cookie.secure: true: no Set-Cookie over http, where requests are anonymous
	renewEvery      bool   // a new ID on every response (the record moves to it)
	eager           bool   // the session is opened before routing (middleware), so every response may touch it
	csrf            bool   // the login form keeps a CSRF token in the session and the login POST checks it
	countVisits     bool   // /account counts visits in the session
	bindAuth        string // a second cookie set at login and bound to the session; both are needed

	client clientCodec   // non-nil: the session lives in the cookie itself (no store)
	slide  bool          // client: the cookie is re-issued on every response to a logged-in request
	sc     *securecookie // codecSecurecookie's keys
	spa    *spaApp       // spa.test's API (its token key, for tests)

	before       func(c *ctx) bool // runs before routing; false: it answered
	routes       map[string]func(c *ctx)
	loginPage    func(c *ctx) // replaces GET /login
	homeExtra    func(c *ctx) string
	accountExtra func(c *ctx) string
}

// ctx is one request to a site.
type ctx struct {
	s     *site
	w     http.ResponseWriter
	r     *http.Request
	node  *node
	https bool
	host  string // the request's host name
	path  string // URL path without ;jsessionid=
	urlID string // ID from ;jsessionid= in the path

	loaded    bool
	presented string // the ID the client presented (cookie or URL), "" when none
	id        string // the valid session's ID, "" when none
	fresh     bool   // the session's ID was issued by this response (a new session, or renewEvery)
	sess      session
	modified  bool // client: the session changed, so the response carries a new cookie

	cookies []*http.Cookie // Set-Cookie to send, one per name
	raw     []string       // raw Set-Cookie lines (rejects.test)
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := &ctx{s: s, w: w, r: r, https: r.TLS != nil, host: requestHost(r.Host), node: s.nodes[0]}
	if len(s.nodes) > 1 {
		n := s.rr.Add(1) - 1
		c.node = s.nodes[n%uint64(len(s.nodes))]
		w.Header().Set("X-Backend", c.node.name)
	}
	w.Header().Set("Cache-Control", "no-store")
	c.path, c.urlID = splitPathParam(r.URL.Path)
	if c.path == "" {
		c.path = "/"
	}
	if !c.https && s.httpsOnly {
		u := "https://" + c.host + ":" + itoa(s.lab.httpsPort) + r.URL.RequestURI()
		http.Redirect(w, r, u, http.StatusPermanentRedirect)
		return
	}
	if s.eager {
		c.load()
	}
	if s.before != nil && !s.before(c) {
		return
	}
	if h, ok := s.routes[c.path]; ok {
		h(c)
		return
	}
	if !s.app {
		c.notFound()
		return
	}
	switch c.path {
	case "/":
		c.home()
	case "/login":
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			if s.loginPage != nil {
				s.loginPage(c)
			} else {
				c.loginForm(http.StatusOK, "")
			}
		case http.MethodPost:
			c.loginPost()
		default:
			c.methodNotAllowed("GET, HEAD, POST")
		}
	case "/account":
		c.account()
	case "/logout":
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodPost:
			c.logout()
		default:
			c.methodNotAllowed("GET, HEAD, POST")
		}
	default:
		c.notFound()
	}
}

// --- sessions ---

// load finds the session the client presented, if the serving node knows it.
func (c *ctx) load() {
	if c.loaded || c.s.cookie.name == "" {
		return
	}
	c.loaded = true
	if c.s.client != nil {
		c.loadClient()
		return
	}
	if ck, err := c.r.Cookie(c.s.cookie.name); err == nil {
		c.presented = c.s.decode(ck.Value)
	}
	if c.presented == "" && c.s.urlIDs {
		c.presented = c.urlID
		if c.presented == "" {
			c.presented = c.r.URL.Query().Get("sid")
		}
	}
	if len(c.presented) > 256 {
		c.presented = ""
	}
	if c.presented == "" {
		return
	}
	st := c.node.store
	if s, ok := st.get(c.presented); ok {
		c.id, c.sess = c.presented, s
	} else if c.s.adopt && wellFormedID(c.presented) {
		// PHP with session.use_strict_mode=0: an unknown ID from the client is taken as is.
		st.put(c.presented, "", nil)
		c.id = c.presented
		c.sess = session{data: map[string]string{}}
	}
	if c.id != "" && c.s.bindAuth != "" && c.sess.loggedIn() {
		// Authenticated only together with the cookie the login bound to the session.
		if ck, err := c.r.Cookie(c.s.bindAuth); err != nil || c.sess.data[c.s.bindAuth] == "" ||
			subtle.ConstantTimeCompare([]byte(ck.Value), []byte(c.sess.data[c.s.bindAuth])) != 1 {
			c.sess.user = ""
		}
	}
	if c.id != "" && c.s.renewEvery {
		id := newID(c.s.cookie.format)
		if st.rename(c.id, id) {
			c.s.lab.recordIssued(id)
			c.id, c.fresh = id, true
			c.setSessionCookie(id, c.sess.loggedIn())
		} else { // a concurrent request renewed it first
			c.id, c.sess = "", session{}
		}
	}
	if c.id != "" && c.s.rolling {
		c.setSessionCookie(c.id, c.sess.loggedIn())
	}
}

// loadClient reads a client-side session (signed.test, jwt.test): a value that does not
// verify is ignored, as an empty session.
func (c *ctx) loadClient() {
	if ck, err := c.r.Cookie(c.s.cookie.name); err == nil && ck.Value != "" {
		c.presented = ck.Value
		if s, ok := c.s.client.decode(ck.Value, time.Now()); ok {
			c.id, c.sess = ck.Value, s
		}
	}
}

// saveClient writes a client-side session back, as Flask does: a changed session is
// re-signed (and a sliding token re-issued on every logged-in response), an emptied one
// deletes the cookie.
func (c *ctx) saveClient() {
	empty := c.sess.user == "" && len(c.sess.data) == 0
	switch {
	case empty && c.modified:
		if c.presented != "" {
			c.deleteSessionCookie()
		}
	case !empty && (c.modified || c.s.slide && c.sess.loggedIn()):
		v := c.s.client.encode(c.sess, time.Now())
		c.s.lab.recordIssued(v)
		c.sessionCookie(v, c.sess.loggedIn())
	}
	c.modified = false
}

// ensure starts a session when the request has none (as PHP's session_start or Tomcat's
// getSession(true) do): an unknown or missing ID gets a new one.
func (c *ctx) ensure() {
	c.load()
	switch {
	case c.s.client != nil:
		// Flask's session is an empty dict until something is stored in it.
		if c.sess.data == nil {
			c.sess.data = map[string]string{}
		}
	case c.s.secureOnly && !c.https:
		// express-session with cookie.secure: true never sets its cookie over http, so a
		// session started here could never come back: the request stays anonymous.
	case c.id == "" && c.s.cookie.name != "":
		c.newSession("", nil)
	}
}

// newSession stores a new session with a fresh 128-bit ID and sets its cookie.
func (c *ctx) newSession(user string, data map[string]string) string {
	id := newID(c.s.cookie.format)
	c.node.store.put(id, user, data)
	c.s.lab.recordIssued(id)
	c.setSessionCookie(id, user != "")
	c.id, c.fresh = id, true
	c.sess = session{user: user, data: map[string]string{}}
	for k, v := range data {
		c.sess.data[k] = v
	}
	return id
}

// setSessionCookie sets the session cookie. A short Max-Age (expiry.test)
// applies to an authenticated session only, as with apps whose login
// session is short-lived: the anonymous one before login cannot expire
// while the scenario is still filling in the login form.
func (c *ctx) setSessionCookie(id string, loggedIn bool) {
	v := c.s.encode(id)
	if v != id {
		c.s.lab.recordIssued(v)
	}
	c.sessionCookie(v, loggedIn)
}

// sessionCookie sets the session cookie to a value as the browser will hold it. On a
// secureOnly host it is never sent over http.
func (c *ctx) sessionCookie(value string, loggedIn bool) {
	if c.s.secureOnly && !c.https {
		return
	}
	cs := c.s.cookie
	ck := &http.Cookie{
		Name:     cs.name,
		Value:    value,
		Path:     cs.path,
		Secure:   c.https || cs.secure,
		HttpOnly: cs.httpOnly,
		SameSite: cs.sameSite,
	}
	if cs.maxAge > 0 && loggedIn {
		secs := int((cs.maxAge + time.Second - 1) / time.Second)
		ck.MaxAge = secs
		ck.Expires = time.Now().Add(time.Duration(secs) * time.Second)
	}
	c.setCookie(ck)
}

func (c *ctx) deleteSessionCookie() {
	if c.s.secureOnly && !c.https {
		return
	}
	cs := c.s.cookie
	c.setCookie(&http.Cookie{
		Name:     cs.name,
		Value:    "",
		Path:     cs.path,
		Secure:   c.https || cs.secure,
		HttpOnly: cs.httpOnly,
		SameSite: cs.sameSite,
		MaxAge:   -1,
		Expires:  time.Unix(0, 0),
	})
}

// setCookie queues a Set-Cookie, replacing an earlier one of the same name.
func (c *ctx) setCookie(ck *http.Cookie) {
	if ck.Path == "" {
		ck.Path = "/"
	}
	for i, old := range c.cookies {
		if old.Name == ck.Name && old.Path == ck.Path {
			c.cookies[i] = ck
			return
		}
	}
	c.cookies = append(c.cookies, ck)
}

func (c *ctx) flushCookies() {
	if c.s.client != nil && c.loaded {
		c.saveClient()
	}
	for _, ck := range c.cookies {
		if v := ck.String(); v != "" {
			c.w.Header().Add("Set-Cookie", v)
		}
	}
	for _, v := range c.raw {
		c.w.Header().Add("Set-Cookie", v)
	}
	c.cookies, c.raw = nil, nil
}

func (s *site) encode(id string) string {
	switch s.cookie.codec {
	case codecExpress:
		return url.QueryEscape("s:" + id + "." + s.sign(id))
	case codecSpring:
		return springEncode(id)
	case codecSecurecookie:
		return s.sc.encode(s.cookie.name, id, time.Now())
	}
	return id
}

// decode returns the ID a cookie value carries, "" when it carries none (a bad signature).
func (s *site) decode(v string) string {
	switch s.cookie.codec {
	case codecExpress:
		return s.expressDecode(v)
	case codecSpring:
		return springDecode(v)
	case codecSecurecookie:
		id, err := s.sc.decode(s.cookie.name, v, time.Now())
		if err != nil {
			return ""
		}
		return id
	}
	return v
}

func (s *site) expressDecode(v string) string {
	u, err := url.QueryUnescape(v)
	if err != nil || !strings.HasPrefix(u, "s:") {
		return ""
	}
	id, sig, ok := strings.Cut(u[2:], ".")
	if !ok || subtle.ConstantTimeCompare([]byte(sig), []byte(s.sign(id))) != 1 {
		return ""
	}
	return id
}

func (s *site) sign(id string) string {
	m := hmac.New(sha256.New, s.lab.secret)
	m.Write([]byte(id))
	return base64.RawStdEncoding.EncodeToString(m.Sum(nil))
}

// rewrite adds the session ID to a local URL on hosts that carry it in URLs (Java's
// URL rewriting: /account;jsessionid=ID?query).
func (c *ctx) rewrite(u string) string {
	if !c.s.urlIDs || c.id == "" {
		return u
	}
	p, q, hasQ := strings.Cut(u, "?")
	p += ";jsessionid=" + c.id
	if hasQ {
		p += "?" + q
	}
	return p
}

// --- the common application ---

func (c *ctx) home() {
	c.load()
	var b strings.Builder
	b.WriteString(`<h1>` + esc(c.s.host.Name) + `</h1>`)
	b.WriteString(`<p id="behaviour">` + esc(c.s.host.Behaviour) + `</p>`)
	if c.sess.loggedIn() {
		b.WriteString(`<p id="signed-in">Signed in as ` + esc(c.sess.user) + `.</p>`)
	}
	b.WriteString(`<ul><li><a id="login-link" href="` + esc(c.rewrite("/login")) + `">Log in</a></li>`)
	b.WriteString(`<li><a id="account-link" href="` + esc(c.rewrite("/account")) + `">Your account</a></li></ul>`)
	if c.s.homeExtra != nil {
		b.WriteString(c.s.homeExtra(c))
	}
	c.page(http.StatusOK, c.s.host.Name, b.String())
}

func (c *ctx) loginForm(status int, problem string) {
	c.load()
	if c.sess.loggedIn() && problem == "" {
		c.redirect(c.rewrite("/account"))
		return
	}
	c.ensure()
	if c.s.csrf && c.sess.data["csrf"] == "" {
		// Like Flask-WTF's generate_csrf: a token kept in the session (40 hex digits).
		c.sess.data["csrf"] = hex.EncodeToString(randomKey(20))
		c.modified = true
	}
	var b strings.Builder
	b.WriteString(`<h1>Log in</h1>`)
	if problem != "" {
		b.WriteString(`<p id="login-error" role="alert">` + esc(problem) + `</p>`)
	}
	b.WriteString(`<form id="login-form" method="post" action="` + esc(c.rewrite("/login")) + `">`)
	if c.s.csrf {
		b.WriteString(`<input type="hidden" name="csrf_token" value="` + esc(c.sess.data["csrf"]) + `">`)
	}
	b.WriteString(`<p><label for="user">User</label> <input id="user" name="user" autocomplete="username"></p>`)
	b.WriteString(`<p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password"></p>`)
	b.WriteString(`<p><button id="login-button" type="submit">Log in</button></p></form>`)
	b.WriteString(`<p class="hint">Any non-empty user name and password work.</p>`)
	c.page(status, "Log in - "+c.s.host.Name, b.String())
}

func (c *ctx) loginPost() {
	user, password, ok := c.credentials()
	if !ok {
		return
	}
	c.load()
	if c.s.csrf {
		switch want := c.sess.data["csrf"]; {
		case want == "":
			c.loginForm(http.StatusBadRequest, "The CSRF session token is missing.")
			return
		case subtle.ConstantTimeCompare([]byte(c.r.PostForm.Get("csrf_token")), []byte(want)) != 1:
			c.loginForm(http.StatusBadRequest, "The CSRF tokens do not match.")
			return
		}
	}
	if user == "" || password == "" {
		c.loginForm(http.StatusBadRequest, "Enter a user name and a password.")
		return
	}
	returnTo := c.sess.data["return_to"]
	c.login(user)
	dest := "/account"
	if safeLocalPath(returnTo) {
		dest = returnTo
	}
	c.redirect(c.rewrite(dest))
}

// login authenticates the current session (rotating its ID when the host does).
func (c *ctx) login(user string) {
	if c.s.client != nil {
		c.ensure()
		c.sess.user = user
		delete(c.sess.data, "return_to")
		c.modified = true
		return
	}
	switch {
	case c.id == "":
		c.newSession(user, nil)
	case c.s.rotate && !c.fresh: // an ID issued by this very response needs no second one
		data := c.sess.data
		delete(data, "return_to")
		c.node.store.delete(c.id)
		c.newSession(user, data)
	default:
		c.node.store.update(c.id, func(s *session) {
			s.user = user
			delete(s.data, "return_to")
		})
		c.sess.user = user
	}
	if c.s.bindAuth != "" {
		// Bind the login to a second cookie: the session alone is not logged in.
		tok := newID(idBase64URL)
		c.node.store.update(c.id, func(s *session) { s.data[c.s.bindAuth] = tok })
		c.sess.data[c.s.bindAuth] = tok
		c.s.lab.recordIssued(tok)
		c.setCookie(&http.Cookie{Name: c.s.bindAuth, Value: tok, Path: "/", Secure: c.https, HttpOnly: true,
			SameSite: http.SameSiteLaxMode})
	}
}

// credentials reads user and password from a posted form; false when it answered.
func (c *ctx) credentials() (user, password string, ok bool) {
	c.r.Body = http.MaxBytesReader(c.w, c.r.Body, 64<<10)
	if err := c.r.ParseForm(); err != nil {
		c.errorPage(http.StatusBadRequest, "Bad request", "The form could not be read.")
		return "", "", false
	}
	return cleanUser(c.r.PostForm.Get("user")), c.r.PostForm.Get("password"), true
}

func (c *ctx) account() {
	c.load()
	if !c.sess.loggedIn() {
		if c.s.client == nil {
			c.ensure()
			c.node.store.update(c.id, func(s *session) { s.data["return_to"] = "/account" })
		}
		c.redirect(c.rewrite("/login"))
		return
	}
	if c.s.countVisits {
		n, _ := strconv.Atoi(c.sess.data["visits"])
		c.sess.data["visits"] = itoa(n + 1)
		c.modified = true
	}
	var b strings.Builder
	b.WriteString(`<h1>Your account</h1>`)
	b.WriteString(`<p id="welcome">Welcome, ` + esc(c.sess.user) + `</p>`)
	if c.s.accountExtra != nil {
		b.WriteString(c.s.accountExtra(c))
	}
	b.WriteString(`<p><a id="home-link" href="` + esc(c.homeURL()) + `">Home</a> &middot; `)
	b.WriteString(`<a id="logout" href="` + esc(c.rewrite("/logout")) + `">Log out</a></p>`)
	c.page(http.StatusOK, "Account - "+c.s.host.Name, b.String())
}

func (c *ctx) homeURL() string {
	if c.s.urlIDs && c.id != "" {
		return "/?sid=" + url.QueryEscape(c.id)
	}
	return "/"
}

func (c *ctx) logout() {
	c.load()
	if c.s.client != nil {
		// session.clear(): the cookie is deleted, but nothing on the server knows the
		// values signed before, so each of them stays valid until it expires.
		c.sess = session{data: map[string]string{}}
		c.modified = true
		c.redirect("/")
		return
	}
	if c.s.bindAuth != "" {
		if _, err := c.r.Cookie(c.s.bindAuth); err == nil || c.id != "" {
			c.setCookie(&http.Cookie{Name: c.s.bindAuth, Value: "", Path: "/", Secure: c.https, HttpOnly: true,
				SameSite: http.SameSiteLaxMode, MaxAge: -1, Expires: time.Unix(0, 0)})
		}
	}
	if c.id != "" && c.s.destroyOnLogout {
		c.node.store.delete(c.id)
	}
	if c.id != "" || c.presented != "" {
		c.deleteSessionCookie()
	}
	c.redirect("/")
}

// --- responses ---

func (c *ctx) page(status int, title, body string) {
	c.flushCookies()
	writePage(c.w, status, title, c.s.host.Name, c.s.host.Behaviour, body)
}

// redirect answers 303 See Other (after a POST the browser GETs the target).
func (c *ctx) redirect(location string) {
	c.flushCookies()
	c.w.Header().Set("Location", location)
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.w.WriteHeader(http.StatusSeeOther)
	if c.r.Method != http.MethodHead {
		_, _ = c.w.Write([]byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>See Other</title></head><body><p>See <a href="` +
			esc(location) + `">` + esc(location) + `</a>.</p></body></html>`))
	}
}

func (c *ctx) notFound() {
	c.errorPage(http.StatusNotFound, "Not found", "There is no page "+c.path+" on "+c.s.host.Name+".")
}

func (c *ctx) methodNotAllowed(allow string) {
	c.w.Header().Set("Allow", allow)
	c.errorPage(http.StatusMethodNotAllowed, "Method not allowed", c.r.Method+" is not allowed on "+c.path+".")
}

func (c *ctx) errorPage(status int, title, msg string) {
	c.page(status, title, `<h1 id="error">`+esc(itoa(status)+" "+title)+`</h1><p id="error-message">`+esc(msg)+
		`</p><p><a id="home-link" href="/">Home</a></p>`)
}

// --- helpers ---

// splitPathParam splits "/account;jsessionid=ID" into "/account" and "ID".
func splitPathParam(p string) (path, id string) {
	path, params, ok := strings.Cut(p, ";")
	if !ok {
		return p, ""
	}
	for _, kv := range strings.Split(params, ";") {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.EqualFold(k, "jsessionid") {
			return path, v
		}
	}
	return path, ""
}

// safeLocalPath accepts "/x" but not "//host" or "/\host" (no open redirects).
func safeLocalPath(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "/\\") &&
		!strings.ContainsAny(p, "\r\n")
}

// cleanUser trims a user name and bounds it to 64 characters of valid UTF-8.
func cleanUser(u string) string {
	u = strings.TrimSpace(strings.ToValidUTF8(u, ""))
	if utf8.RuneCountInString(u) > 64 {
		u = string([]rune(u)[:64])
	}
	return u
}
