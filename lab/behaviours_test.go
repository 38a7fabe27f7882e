package lab

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestCorrectRotatesAndDestroys(t *testing.T) {
	l, tc, base := siteClient(t, Config{}, "correct.test")

	r := tc.get(base + "/login")
	ck := r.setCookie("__Host-sid")
	if ck == nil {
		t.Fatalf("GET /login set no __Host-sid: %q", r.rawSetCookies())
	}
	if !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Domain != "" ||
		ck.MaxAge != 0 || !ck.Expires.IsZero() {
		t.Errorf("cookie attributes: %q", ck.Raw)
	}
	if !idPattern.MatchString(ck.Value) {
		t.Errorf("ID %q is not 128-bit base64url/hex", ck.Value)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q on a response setting the cookie", r.header.Get("Cache-Control"))
	}
	pre := ck.Value

	r = tc.post(base+"/login", url.Values{"user": {"alice"}, "password": {"pw"}})
	if r.status != http.StatusSeeOther || r.location() != "/account" {
		t.Fatalf("login: %d %q", r.status, r.location())
	}
	post := r.setCookie("__Host-sid")
	if post == nil || post.Value == pre {
		t.Fatalf("login did not rotate the ID (before %q, Set-Cookie %q)", pre, r.rawSetCookies())
	}
	mustContain(t, "account", tc.get(base+"/account").body, `Welcome, alice`)

	// The pre-login ID is dead.
	if r := tc.getWith(base+"/account", "__Host-sid="+pre); r.status != http.StatusSeeOther {
		t.Errorf("the pre-login ID still works: %d", r.status)
	}

	// No http links on the correct site; http is redirected to https.
	acc := tc.get(base + "/account")
	mustNotContain(t, "account", acc.body, "http://")
	if r := tc.get(l.HTTPURL("correct.test") + "/account?x=1"); r.status != http.StatusPermanentRedirect ||
		r.location() != base+"/account?x=1" || len(r.rawSetCookies()) != 0 {
		t.Errorf("http: %d %q %q", r.status, r.location(), r.rawSetCookies())
	}

	out := tc.get(base + "/logout")
	del := out.setCookie("__Host-sid")
	if del == nil || del.MaxAge != -1 || !del.Secure || del.Path != "/" {
		t.Fatalf("logout Set-Cookie: %q", out.rawSetCookies())
	}
	if !strings.Contains(del.Raw, "Max-Age=0") {
		t.Errorf("deletion %q lacks Max-Age=0", del.Raw)
	}
	if tc.jarValue(base, "__Host-sid") != "" {
		t.Error("cookie still in the jar after logout")
	}
	// Replaying the logged-in ID after logout: dead on the server.
	if r := tc.getWith(base+"/account", "__Host-sid="+post.Value); r.status != http.StatusSeeOther {
		t.Errorf("replayed ID after logout: %d, want a redirect to /login", r.status)
	}
	// Logout lands on a page that starts no session.
	home := tc.get(base + "/")
	if len(home.rawSetCookies()) != 0 {
		t.Errorf("home set cookies: %q", home.rawSetCookies())
	}
}

func TestFixationKeepsTheID(t *testing.T) {
	l, tc, base := siteClient(t, Config{}, "fixation.test")
	r := tc.get(base + "/login")
	ck := r.setCookie("PHPSESSID")
	if ck == nil || ck.HttpOnly || !ck.Secure || ck.SameSite != http.SameSiteLaxMode {
		t.Fatalf("PHPSESSID: %q", r.rawSetCookies())
	}
	r = tc.post(base+"/login", url.Values{"user": {"bob"}, "password": {"pw"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("login: %d", r.status)
	}
	if c := r.setCookie("PHPSESSID"); c != nil && c.Value != ck.Value {
		t.Fatalf("fixation.test rotated the ID at login")
	}
	if got := tc.jarValue(base, "PHPSESSID"); got != ck.Value {
		t.Fatalf("ID after login %q, before %q", got, ck.Value)
	}
	// The pre-login ID is now authenticated.
	mustContain(t, "replay", tc.getWith(base+"/account", "PHPSESSID="+ck.Value).body, "Welcome, bob")

	// An attacker-planted ID is adopted and becomes authenticated (no strict mode).
	planted := "attackerchosen0123456789ab"
	victim := newClient(t, l)
	victim.getWith(base+"/login", "PHPSESSID="+planted)
	victim.postWith(base+"/login", url.Values{"user": {"victim"}, "password": {"pw"}}, "PHPSESSID="+planted)
	mustContain(t, "attacker", newClient(t, l).getWith(base+"/account", "PHPSESSID="+planted).body, "Welcome, victim")
	// A malformed ID is not adopted.
	if r := tc.getWith(base+"/account", "PHPSESSID=bad!"); r.status != http.StatusSeeOther || r.setCookie("PHPSESSID") == nil {
		t.Errorf("malformed ID: %d %q", r.status, r.rawSetCookies())
	}
}

func TestCorrectIgnoresUnknownIDs(t *testing.T) {
	l := startLab(t, Config{})
	tc := newClient(t, l)
	planted := "attackerchosen0123456789ab"
	r := tc.getWith(l.URL("correct.test")+"/login", "__Host-sid="+planted)
	if c := r.setCookie("__Host-sid"); c == nil || c.Value == planted {
		t.Fatalf("correct.test adopted a planted ID: %q", r.rawSetCookies())
	}
}

func TestLogoutKeepLeavesServerSession(t *testing.T) {
	l, tc, base := siteClient(t, Config{}, "logout-keep.test")
	tc.login(base, "frank")
	val := tc.jarValue(base, "connect.sid")
	if !strings.HasPrefix(val, "s%3A") || !strings.Contains(val, ".") {
		t.Fatalf("connect.sid %q is not an express-session signed value", val)
	}
	mustContain(t, "account", tc.get(base+"/account").body, "Welcome, frank")
	out := tc.get(base + "/logout")
	if del := out.setCookie("connect.sid"); del == nil || del.MaxAge != -1 {
		t.Fatalf("logout did not delete the cookie: %q", out.rawSetCookies())
	}
	if tc.jarValue(base, "connect.sid") != "" {
		t.Fatal("cookie still in the jar")
	}
	// The replayed ID is still logged in.
	mustContain(t, "replay", tc.getWith(base+"/account", "connect.sid="+val).body, `<p id="welcome">Welcome, frank</p>`)
	// A tampered signature is refused.
	bad := val[:len(val)-2] + "xx"
	if r := tc.getWith(base+"/account", "connect.sid="+bad); r.status != http.StatusSeeOther {
		t.Errorf("tampered connect.sid accepted: %d", r.status)
	}
	// The same flow on correct.test kills the replay (the contrast the harness must see).
	tc2 := newClient(t, l)
	cb := l.URL("correct.test")
	tc2.login(cb, "frank")
	v2 := tc2.jarValue(cb, "__Host-sid")
	tc2.get(cb + "/logout")
	if r := tc2.getWith(cb+"/account", "__Host-sid="+v2); r.status != http.StatusSeeOther {
		t.Errorf("correct.test: replay after logout: %d", r.status)
	}
}

func TestMixedPlainLinkResetsSession(t *testing.T) {
	l, tc, base := siteClient(t, Config{}, "mixed.test")
	tc.login(base, "gina")
	id := tc.jarValue(base, "JSESSIONID")
	if !idPattern.MatchString(id) || strings.ToUpper(id) != id {
		t.Fatalf("JSESSIONID %q", id)
	}
	acc := tc.get(base + "/account")
	link := `<a id="plain-link" href="` + l.HTTPURL("mixed.test") + `/account"`
	mustContain(t, "account", acc.body, link)

	// Following the link: the jar (like a browser) withholds the Secure cookie over http.
	r := tc.get(l.HTTPURL("mixed.test") + "/account")
	if r.status != http.StatusSeeOther || r.location() != "/login" {
		t.Fatalf("http /account: %d %q", r.status, r.location())
	}
	ck := r.setCookie("JSESSIONID")
	if ck == nil || ck.Secure || ck.Value == id {
		t.Fatalf("http /account should issue a new non-Secure JSESSIONID: %q", r.rawSetCookies())
	}
	// The https session is untouched.
	mustContain(t, "https account", tc.getWith(base+"/account", "JSESSIONID="+id).body, "Welcome, gina")
}

func TestClusterAlternatesAndResetsOnNodeSwitch(t *testing.T) {
	_, tc, base := siteClient(t, Config{}, "cluster.test")
	var nodes []string
	var ids []string
	for range 6 {
		r := tc.get(base + "/login")
		nodes = append(nodes, r.header.Get("X-Backend"))
		if c := r.setCookie("JSESSIONID"); c != nil {
			ids = append(ids, c.Value)
		} else {
			ids = append(ids, "")
		}
	}
	for i, n := range nodes {
		if n != "node-a" && n != "node-b" {
			t.Fatalf("X-Backend %q", n)
		}
		if i > 0 && n == nodes[i-1] {
			t.Fatalf("no alternation: %v", nodes)
		}
		// Every request lands on the other node, which does not know the ID: a new one.
		if ids[i] == "" || (i > 0 && ids[i] == ids[i-1]) {
			t.Fatalf("request %d (%s): no new ID (ids %v)", i, n, ids)
		}
	}
	// Same node twice (by sending the ID only to the node that issued it): kept.
	r1 := tc.getWith(base+"/login", "")
	issuer := r1.header.Get("X-Backend")
	id := r1.setCookie("JSESSIONID").Value
	tc.getWith(base+"/", "") // the other node
	r3 := tc.getWith(base+"/login", "JSESSIONID="+id)
	if r3.header.Get("X-Backend") != issuer {
		t.Fatalf("round robin broken: %s then %s", issuer, r3.header.Get("X-Backend"))
	}
	if r3.setCookie("JSESSIONID") != nil {
		t.Errorf("the issuing node replaced its own ID: %q", r3.rawSetCookies())
	}
	// Login can never stick: the redirect chain bounces between the nodes back to /login.
	tc.follow = true
	r := tc.login(base, "hank")
	if r.url.Path != "/login" {
		t.Errorf("cluster login ended on %s, want /login", r.url.Path)
	}
}

func TestIdleTimeout(t *testing.T) {
	l, tc, base := siteClient(t, Config{IdleTimeout: 200 * time.Millisecond}, "idle.test")
	tc.login(base, "ivy")
	id := tc.jarValue(base, "sessionid")
	mustContain(t, "account", tc.get(base+"/account").body, "Welcome, ivy")
	// Used within the timeout: still alive (get refreshes the idle clock).
	time.Sleep(100 * time.Millisecond)
	mustContain(t, "account", tc.get(base+"/account").body, "Welcome, ivy")
	time.Sleep(300 * time.Millisecond)
	r := tc.get(base + "/account")
	if r.status != http.StatusSeeOther || r.location() != "/login" {
		t.Fatalf("after idling: %d %q", r.status, r.location())
	}
	ck := r.setCookie("sessionid")
	if ck == nil || ck.Value == id {
		t.Fatalf("the old ID did not get a new one: %q", r.rawSetCookies())
	}
	// Other hosts keep the long default.
	tc2 := newClient(t, l)
	cb := l.URL("correct.test")
	tc2.login(cb, "ivy")
	time.Sleep(250 * time.Millisecond)
	mustContain(t, "correct", tc2.get(cb+"/account").body, "Welcome, ivy")
}

func TestExpiryCookieMaxAge(t *testing.T) {
	_, tc, base := siteClient(t, Config{CookieMaxAge: 1500 * time.Millisecond}, "expiry.test")
	r := tc.login(base, "jack")
	ck := r.setCookie("laravel_session")
	if ck == nil || ck.MaxAge != 2 || ck.Expires.IsZero() {
		t.Fatalf("laravel_session: %q (want Max-Age=2: 1.5s rounded up)", r.rawSetCookies())
	}
	// Rolling: every response re-sends it.
	acc := tc.get(base + "/account")
	mustContain(t, "account", acc.body, "Welcome, jack")
	if c := acc.setCookie("laravel_session"); c == nil || c.Value != ck.Value || c.MaxAge != 2 {
		t.Fatalf("account response did not refresh the cookie: %q", acc.rawSetCookies())
	}
	l2 := startLab(t, Config{})
	r = newClient(t, l2).login(l2.URL("expiry.test"), "jack")
	if c := r.setCookie("laravel_session"); c == nil || c.MaxAge != 2 {
		t.Fatalf("default Max-Age: %q", r.rawSetCookies())
	}
}

func TestSSOStateLostOnCrossSitePost(t *testing.T) {
	l, tc, base := siteClient(t, Config{}, "sso.test")
	home := tc.get(base + "/")
	ck := home.setCookie("_sso_session")
	if ck == nil || ck.SameSite != http.SameSiteStrictMode || !ck.Secure || !ck.HttpOnly {
		t.Fatalf("first visit: %q", home.rawSetCookies())
	}
	if c := home.setCookie("sso_locale"); c == nil || c.SameSite != http.SameSiteLaxMode {
		t.Fatalf("sso_locale: %q", home.rawSetCookies())
	}
	if r := tc.get(base + "/account"); r.status != http.StatusSeeOther || r.location() != "/login" {
		t.Fatalf("/account: %d %q", r.status, r.location())
	}
	login := tc.get(base + "/login")
	callback := base + "/callback"
	authorize := l.URL("idp.test") + "/authorize?return=" + url.QueryEscape(callback)
	mustContain(t, "login", login.body, `id="sso-login" href="`+strings.ReplaceAll(authorize, "&", "&amp;")+`"`)

	idp := tc.get(authorize)
	for _, want := range []string{`<form id="idp-form" method="post" action="` + callback + `"`, `id="idp-user"`, `id="idp-password"`, `id="idp-login"`} {
		mustContain(t, "idp", idp.body, want)
	}
	form := url.Values{"user": {"kate"}, "password": {"pw"}}

	// The browser withholds the Strict (and Lax) cookies on the cross-site POST.
	r := tc.postWith(callback, form, "")
	mustContain(t, "callback", r.body, `<p id="state-lost">`)
	mustContain(t, "callback", r.body, "Welcome, kate")
	nc := r.setCookie("_sso_session")
	if nc == nil || nc.Value == ck.Value {
		t.Fatalf("callback without a session should start a new one: %q", r.rawSetCookies())
	}
	mustContain(t, "account", tc.getWith(base+"/account", "_sso_session="+nc.Value).body, "Welcome, kate")

	// Had the cookie come back, the flow resumes at return_to with a rotated ID.
	tc2 := newClient(t, l)
	tc2.get(base + "/account") // stores return_to=/account
	old := tc2.jarValue(base, "_sso_session")
	r = tc2.post(callback, form)
	if r.status != http.StatusSeeOther || r.location() != "/account" {
		t.Fatalf("callback with the session: %d %q", r.status, r.location())
	}
	if c := r.setCookie("_sso_session"); c == nil || c.Value == old {
		t.Errorf("callback did not rotate: %q", r.rawSetCookies())
	}

	// The IdP only returns to .test hosts.
	if r := tc.get(l.URL("idp.test") + "/authorize?return=" + url.QueryEscape("https://evil.example/x")); r.status != http.StatusBadRequest {
		t.Errorf("open redirect: %d", r.status)
	}
	if r := tc.get(callback); r.status != http.StatusMethodNotAllowed {
		t.Errorf("GET /callback: %d", r.status)
	}
}

func TestScope(t *testing.T) {
	l, tc, base := siteClient(t, Config{}, "scope.test")

	app := tc.get(base + "/app/")
	ck := app.setCookie("app_session")
	if ck == nil || ck.Path != "/app" || ck.Domain != "" {
		t.Fatalf("/app/: %q", app.rawSetCookies())
	}
	mustContain(t, "app again", tc.get(base+"/app/").body, "App session cookie received.")
	other := tc.get(base + "/other")
	mustContain(t, "other", other.body, "No app session here")
	// Sent anyway (a client ignoring Path), the server would have accepted it.
	mustContain(t, "other with cookie", tc.getWith(base+"/other", "app_session="+ck.Value).body, "App session cookie received on /other.")

	r := tc.login(base, "liam")
	mustContain(t, "account", tc.get(base+r.location()).body, `id="www-link" href="`+l.URL("www.scope.test")+`/account"`)
	sid := tc.jarValue(base, "_scope_session")
	// The host-only cookie stays on scope.test.
	www := tc.get(l.URL("www.scope.test") + "/account")
	if www.status != http.StatusSeeOther || www.location() != "/login" {
		t.Fatalf("www /account: %d %q", www.status, www.location())
	}
	// Same application: the ID would have worked there.
	mustContain(t, "www with cookie", tc.getWith(l.URL("www.scope.test")+"/account", "_scope_session="+sid).body, "Welcome, liam")
}

func TestRejectsSetsBadCookies(t *testing.T) {
	l, tc, base := siteClient(t, Config{}, "rejects.test")
	r := tc.get(base + "/rejects")
	all := strings.Join(r.rawSetCookies(), "\n")
	for _, want := range []string{
		"none_insecure=1; Path=/; SameSite=None\n",
		"foreign=1; Path=/; Domain=other.test",
		"__Host-broken=1; Path=/; Domain=rejects.test; Secure",
		"good=1; Path=/; HttpOnly; SameSite=Lax; Secure",
		"part_insecure=1; Path=/; HttpOnly; SameSite=Lax; Partitioned\n",
	} {
		mustContain(t, "/rejects Set-Cookie", all+"\n", want)
	}
	big := false
	for _, line := range r.rawSetCookies() {
		if strings.HasPrefix(line, "big=") {
			name, rest, _ := strings.Cut(line, "=")
			val, _, _ := strings.Cut(rest, ";")
			big = len(name)+len(val) > 4096
		}
	}
	if !big {
		t.Error("no cookie over 4096 bytes")
	}

	q := tc.get(base + "/quirks")
	dups := 0
	for _, line := range q.rawSetCookies() {
		if strings.HasPrefix(line, "dup=") {
			dups++
		}
	}
	qa := strings.Join(q.rawSetCookies(), "\n")
	if dups != 2 {
		t.Errorf("dup set %d times", dups)
	}
	mustContain(t, "/quirks", qa, "SameSite=Sloppy")
	if c := q.setCookie("forever"); c == nil || c.MaxAge <= 400*24*3600 {
		t.Errorf("forever: %q", qa)
	}

	s := tc.get(base + "/secure-set")
	if c := s.setCookie("pref"); c == nil || !c.Secure || c.Value != "a" {
		t.Fatalf("/secure-set: %q", s.rawSetCookies())
	}
	mustContain(t, "/secure-set", s.body, `id="overwrite-link" href="`+l.HTTPURL("rejects.test")+`/overwrite"`)
	o := tc.get(l.HTTPURL("rejects.test") + "/overwrite")
	if c := o.setCookie("pref"); c == nil || c.Secure || c.Value != "b" {
		t.Fatalf("/overwrite: %q", o.rawSetCookies())
	}
	// The jar withholds the Secure pref over http, and the page says so.
	mustContain(t, "/overwrite", o.body, "No pref cookie was received.")
}

func TestScriptPage(t *testing.T) {
	_, tc, base := siteClient(t, Config{}, "script.test")
	r := tc.login(base, "mia")
	if c := r.setCookie("sid"); c == nil || c.HttpOnly || !c.Secure {
		t.Fatalf("sid: %q", r.rawSetCookies())
	}
	p := tc.get(base + "/script")
	if c := p.setCookie("banner_seen"); c == nil || c.HttpOnly {
		t.Fatalf("banner_seen: %q", p.rawSetCookies())
	}
	for _, want := range []string{`document.cookie = "js_pref=dark`, `document.cookie = "banner_seen=; Path=/; Max-Age=0`,
		`cookieStore.set({ name: "cs_layout"`, `indexOf("sid=")`, `done.id = "script-done"`} {
		mustContain(t, "/script", p.body, want)
	}
	mustNotContain(t, "/script", p.body, tc.jarValue(base, "sid"))
}

func TestURLSession(t *testing.T) {
	_, tc, base := siteClient(t, Config{}, "urlsession.test")
	r := tc.login(base, "noah")
	id := tc.jarValue(base, "JSESSIONID")
	if id == "" {
		t.Fatal("no JSESSIONID cookie")
	}
	if r.location() != "/account;jsessionid="+id {
		t.Fatalf("login Location %q does not carry the ID %q", r.location(), id)
	}
	acc := tc.getWith(base+r.location(), "") // no cookie: the URL alone carries the session
	mustContain(t, "account", acc.body, "Welcome, noah")
	mustContain(t, "account", acc.body, `href="/account;jsessionid=`+id+`"`)
	mustContain(t, "account", acc.body, `href="/?sid=`+id+`"`)
	mustContain(t, "account", acc.body, `id="logout" href="/logout;jsessionid=`+id+`"`)
	mustContain(t, "home", tc.getWith(base+"/?sid="+id, "").body, "Signed in as noah")
	// A redirect to /login also carries a new ID in its Location.
	anon := tc.getWith(base+"/account", "")
	if !strings.HasPrefix(anon.location(), "/login;jsessionid=") {
		t.Errorf("anonymous /account Location %q", anon.location())
	}
}

func TestResetCodeClearsSession(t *testing.T) {
	_, tc, base := siteClient(t, Config{}, "resetcode.test")
	tc.login(base, "olga")
	id := tc.jarValue(base, "ci_session")
	acc := tc.get(base + "/account")
	mustContain(t, "account", acc.body, `<a id="trigger-error" href="/error">`)
	e := tc.get(base + "/error")
	if c := e.setCookie("ci_session"); c == nil || c.MaxAge != -1 {
		t.Fatalf("/error: %q", e.rawSetCookies())
	}
	mustContain(t, "error", e.body, `id="error-message"`)
	if r := tc.getWith(base+"/account", "ci_session="+id); r.status != http.StatusSeeOther {
		t.Fatalf("the cleared ID still works: %d", r.status)
	}
}

func TestFaults(t *testing.T) {
	l, tc, base := siteClient(t, Config{SlowDelay: 50 * time.Millisecond}, "faults.test")
	if r := tc.get(base + "/500"); r.status != 500 || !strings.Contains(r.body, "<title>") {
		t.Errorf("/500: %d", r.status)
	}
	// /loop redirects forever.
	a := tc.get(base + "/loop")
	b := tc.get(base + a.location())
	if a.status != http.StatusFound || a.location() != "/loop-back" || b.location() != "/loop" {
		t.Errorf("loop: %d %q -> %q", a.status, a.location(), b.location())
	}
	tc.follow = true
	if _, err := tc.c.Get(base + "/loop"); !errors.Is(err, errTooManyRedirects) {
		t.Errorf("following /loop: %v", err)
	}
	tc.follow = false

	start := time.Now()
	tc.get(base + "/slow?ms=120")
	if d := time.Since(start); d < 120*time.Millisecond {
		t.Errorf("/slow?ms=120 answered after %v", d)
	}
	start = time.Now()
	mustContain(t, "slow default", tc.get(base+"/slow").body, "Answered after 50ms")
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("/slow answered after %v", d)
	}

	// /drop: no response, over HTTP/1.1 (https and http) and HTTP/2.
	for _, u := range []string{base + "/drop", l.HTTPURL("faults.test") + "/drop"} {
		resp, err := tc.c.Get(u)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			t.Errorf("%s answered %s (proto %s)", u, resp.Status, resp.Proto)
		}
	}
	l1 := startLab(t, Config{DisableHTTP2: true})
	c1 := newClient(t, l1)
	resp, err := c1.c.Get(l1.URL("faults.test") + "/drop")
	if err == nil {
		resp.Body.Close()
		t.Errorf("HTTP/1.1 /drop answered %s", resp.Status)
	}
	// The connection pool recovers: the next request works.
	if r := tc.get(base + "/"); r.status != 200 {
		t.Errorf("after /drop: %d", r.status)
	}
}

func TestHTTP2ByDefault(t *testing.T) {
	l := startLab(t, Config{})
	tc := newClient(t, l)
	resp, err := tc.c.Get(l.URL("correct.test") + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ProtoMajor != 2 {
		t.Errorf("proto %s, want HTTP/2", resp.Proto)
	}
	l1 := startLab(t, Config{DisableHTTP2: true})
	resp, err = newClient(t, l1).c.Get(l1.URL("correct.test") + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ProtoMajor != 1 {
		t.Errorf("DisableHTTP2: proto %s", resp.Proto)
	}
}
