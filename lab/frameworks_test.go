package lab

import (
	"bytes"
	"crypto/aes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// secureLax fails unless a session cookie is host-only, Path=/, Secure, HttpOnly,
// SameSite=Lax and without an expiry.
func secureLax(t *testing.T, what string, c *http.Cookie) {
	t.Helper()
	if c == nil {
		t.Fatalf("%s: no cookie", what)
	}
	if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" ||
		c.MaxAge != 0 || !c.Expires.IsZero() {
		t.Errorf("%s: attributes %q, want Path=/; Secure; HttpOnly; SameSite=Lax, host-only, no expiry", what, c.Raw)
	}
}

// deleted fails unless c deletes the cookie (Max-Age=0 and an expiry in 1970, Path=/).
func deleted(t *testing.T, what string, c *http.Cookie) {
	t.Helper()
	if c == nil {
		t.Fatalf("%s: no deleting Set-Cookie", what)
	}
	if c.Value != "" || c.MaxAge != -1 || !strings.Contains(c.Raw, "Max-Age=0") ||
		!strings.Contains(c.Raw, "Expires=Thu, 01 Jan 1970 00:00:00 GMT") || c.Path != "/" {
		t.Errorf("%s: %q does not delete the cookie", what, c.Raw)
	}
}

func loggedIn(t *testing.T, what string, r result, user string) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("%s: status %d (Location %q), want the account page", what, r.status, r.location())
	}
	mustContain(t, what, r.body, `<p id="welcome">Welcome, `+user+`</p>`)
}

func anonymous(t *testing.T, what string, r result) {
	t.Helper()
	if r.status != http.StatusSeeOther || r.location() != "/login" {
		t.Fatalf("%s: %d %q, want a redirect to /login (not logged in)", what, r.status, r.location())
	}
}

// --- plainhttp.test ---

func TestPlainHTTPNeverSetsTheCookieOverHTTP(t *testing.T) {
	l := startLab(t, Config{})
	tc := newClient(t, l)
	base, plain := l.URL("plainhttp.test"), l.HTTPURL("plainhttp.test")

	r := tc.get(base + "/login")
	pre := r.setCookie("connect.sid")
	secureLax(t, "GET /login", pre)
	u, err := url.QueryUnescape(pre.Value)
	if err != nil || !regexp.MustCompile(`^s:[A-Za-z0-9_-]{22}\.[A-Za-z0-9+/]{43}$`).MatchString(u) {
		t.Fatalf("connect.sid %q is not express-session's signed form", pre.Value)
	}
	r = tc.post(base+"/login", url.Values{"user": {"paul"}, "password": {"pw"}})
	post := r.setCookie("connect.sid")
	if r.status != http.StatusSeeOther || post == nil || post.Value == pre.Value {
		t.Fatalf("login over https: %d, Set-Cookie %q: want a new ID", r.status, r.rawSetCookies())
	}
	secureLax(t, "login", post)
	acc := tc.get(base + "/account")
	loggedIn(t, "https account", acc, "paul")
	mustContain(t, "account", acc.body, `<a id="plain-link" href="`+plain+`/account">`)

	// The link: the jar withholds the Secure cookie over http; the server sees no session
	// and, unlike mixed.test, sets no cookie at all.
	for _, p := range []string{"/account", "/login", "/", "/logout", "/no/such/page"} {
		r := tc.get(plain + p)
		if len(r.rawSetCookies()) != 0 {
			t.Errorf("http %s set cookies: %q", p, r.rawSetCookies())
		}
		switch p {
		case "/account":
			anonymous(t, "http /account", r)
		case "/login":
			if r.status != http.StatusOK || !strings.Contains(r.body, `id="login-form"`) {
				t.Errorf("http /login: %d, want the login form", r.status)
			}
		}
	}
	// Even a login over http sets nothing: the session it authenticates never reaches the
	// browser, which stays anonymous there.
	r = tc.post(plain+"/login", url.Values{"user": {"paul"}, "password": {"pw"}})
	if r.status != http.StatusSeeOther || len(r.rawSetCookies()) != 0 {
		t.Errorf("http login: %d %q, want a redirect without Set-Cookie", r.status, r.rawSetCookies())
	}
	anonymous(t, "http /account after an http login", tc.get(plain+"/account"))
	// A client that sends the cookie over http anyway is logged in, and still gets no cookie.
	if r := tc.getWith(plain+"/account", "connect.sid="+post.Value); r.status != http.StatusOK || len(r.rawSetCookies()) != 0 {
		t.Errorf("http /account with the cookie: %d %q", r.status, r.rawSetCookies())
	}
	// The https session is untouched.
	loggedIn(t, "back on https", tc.get(base+"/account"), "paul")
	if tc.jarValue(base, "connect.sid") != post.Value {
		t.Error("the https cookie changed")
	}
	deleted(t, "logout", tc.get(base+"/logout").setCookie("connect.sid"))
	anonymous(t, "replay after logout", tc.getWith(base+"/account", "connect.sid="+post.Value))
}

// jsonSegment decodes seg, base64url JSON, into v, refusing a field v
// lacks: the payload must be exactly what the framework writes. It
// returns the JSON.
func jsonSegment(t *testing.T, seg string, v any) []byte {
	t.Helper()
	j, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("payload %s: %v", j, err)
	}
	return j
}

// --- signed.test ---

// flaskSession splits a Flask session cookie and checks its itsdangerous format: the JSON
// payload, a 4-byte big-endian timestamp and a 20-byte HMAC-SHA1 that verifies with the
// key derived from secret as itsdangerous does (HMAC-SHA1(secret, "cookie-session")).
func flaskSession(t *testing.T, v string, secret []byte) (flaskPayload, time.Time) {
	t.Helper()
	m := regexp.MustCompile(`^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{6})\.([A-Za-z0-9_-]{27})$`).FindStringSubmatch(v)
	if m == nil {
		t.Fatalf("session %q is not payload.timestamp.signature in unpadded base64url", v)
	}
	dk := hmac.New(sha1.New, secret)
	dk.Write([]byte("cookie-session"))
	sig := hmac.New(sha1.New, dk.Sum(nil))
	sig.Write([]byte(m[1] + "." + m[2]))
	if got, _ := base64.RawURLEncoding.DecodeString(m[3]); !hmac.Equal(got, sig.Sum(nil)) {
		t.Fatalf("session %q: the signature is not HMAC-SHA1 with itsdangerous's derived key", v)
	}
	ts, err := base64.RawURLEncoding.DecodeString(m[2])
	if err != nil || len(ts) != 4 {
		t.Fatalf("session %q: timestamp %q is not 4 bytes", v, m[2])
	}
	var p flaskPayload
	jsonSegment(t, m[1], &p)
	return p, time.Unix(int64(binary.BigEndian.Uint32(ts)), 0)
}

func TestSignedFlaskSession(t *testing.T) {
	l, tc, base := siteClient(t, Config{}, "signed.test")
	site := l.sites["signed.test"]
	secret := site.client.(*flaskCodec).secret

	// No cookie until something is stored in the session.
	if r := tc.get(base + "/"); len(r.rawSetCookies()) != 0 {
		t.Errorf("home set %q", r.rawSetCookies())
	}
	anon := tc.get(base + "/account")
	anonymous(t, "anonymous /account", anon)
	if len(anon.rawSetCookies()) != 0 {
		t.Errorf("anonymous /account set %q", anon.rawSetCookies())
	}
	// The login form stores a CSRF token in the session.
	form := tc.get(base + "/login")
	ck := form.setCookie("session")
	secureLax(t, "GET /login", ck)
	p, ts := flaskSession(t, ck.Value, secret)
	if p.User != "" || !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(p.CSRF) || p.Visits != 0 {
		t.Fatalf("pre-login payload %+v", p)
	}
	if d := time.Since(ts); d < -2*time.Second || d > 5*time.Second {
		t.Errorf("timestamp %v is not now", ts)
	}
	mustContain(t, "login form", form.body, `<input type="hidden" name="csrf_token" value="`+p.CSRF+`">`)
	if r := tc.get(base + "/login"); len(r.rawSetCookies()) != 0 {
		t.Errorf("a second GET /login changed the session: %q", r.rawSetCookies())
	}
	// SESSION_COOKIE_SECURE: Secure even on a response over http.
	if c := newClient(t, l).get(l.HTTPURL("signed.test") + "/login").setCookie("session"); c == nil || !c.Secure {
		t.Errorf("over http: %v, want a Secure session cookie", c)
	}
	// The login POST needs the token.
	if r := tc.post(base+"/login", url.Values{"user": {"rose"}, "password": {"pw"}}); r.status != http.StatusBadRequest ||
		!strings.Contains(r.body, "The CSRF tokens do not match.") {
		t.Errorf("login without the CSRF token: %d", r.status)
	}
	if r := tc.postWith(base+"/login", url.Values{"user": {"rose"}, "password": {"pw"}, "csrf_token": {p.CSRF}}, ""); r.status != http.StatusBadRequest ||
		!strings.Contains(r.body, "The CSRF session token is missing.") {
		t.Errorf("login without a session: %d", r.status)
	}
	r := tc.post(base+"/login", url.Values{"user": {"rose"}, "password": {"pw"}, "csrf_token": {p.CSRF}})
	if r.status != http.StatusSeeOther || r.location() != "/account" {
		t.Fatalf("login: %d %q", r.status, r.location())
	}
	post := r.setCookie("session")
	secureLax(t, "login", post)
	if pp, _ := flaskSession(t, post.Value, secret); pp.User != "rose" || pp.CSRF != p.CSRF {
		t.Fatalf("post-login payload %+v", pp)
	}

	// Every /account response re-signs the session (visits counts up); the user stays in.
	seen := map[string]bool{ck.Value: true, post.Value: true}
	var values []string
	for i := 1; i <= 3; i++ {
		acc := tc.get(base + "/account")
		loggedIn(t, "account", acc, "rose")
		c := acc.setCookie("session")
		if c == nil || seen[c.Value] {
			t.Fatalf("account %d: no new session value (%q)", i, acc.rawSetCookies())
		}
		seen[c.Value] = true
		values = append(values, c.Value)
		if pp, _ := flaskSession(t, c.Value, secret); pp.User != "rose" || pp.Visits != i {
			t.Errorf("account %d: payload %+v, want visits %d", i, pp, i)
		}
	}
	// A page that does not change the session sends no cookie.
	home := tc.get(base + "/")
	mustContain(t, "home", home.body, "Signed in as rose.")
	if len(home.rawSetCookies()) != 0 {
		t.Errorf("home set %q", home.rawSetCookies())
	}

	out := tc.get(base + "/logout")
	deleted(t, "logout", out.setCookie("session"))
	if tc.jarValue(base, "session") != "" {
		t.Fatal("session cookie still in the jar")
	}
	anonymous(t, "after logout", tc.get(base+"/account"))
	// Nothing to revoke: every earlier signed value still works.
	for _, v := range append([]string{post.Value}, values...) {
		loggedIn(t, "replayed value after logout", tc.getWith(base+"/account", "session="+v), "rose")
	}
	// A bad signature or an old timestamp does not.
	last := values[len(values)-1]
	anonymous(t, "tampered", tc.getWith(base+"/account", "session="+last[:len(last)-2]+"AA"))
	old := site.client.encode(session{user: "rose", data: map[string]string{}}, time.Now().Add(-32*24*time.Hour))
	anonymous(t, "32 days old", tc.getWith(base+"/account", "session="+old))
	fresh := site.client.encode(session{user: "rose", data: map[string]string{}}, time.Now().Add(-30*24*time.Hour))
	loggedIn(t, "30 days old", tc.getWith(base+"/account", "session="+fresh), "rose")
}

// The codec against values made by itsdangerous 2.2.0 (URLSafeTimedSerializer, salt
// "cookie-session", key_derivation "hmac", sha1, JSON with sorted keys: Flask's session
// serializer) with the secret "lab-test-secret-key" at 1767225600.
func TestFlaskCodecMatchesItsdangerous(t *testing.T) {
	f := newFlaskCodec([]byte("lab-test-secret-key"))
	at := time.Unix(1767225600, 0)
	const plain = "eyJjc3JmIjoiMzk1M2Y5ZGRmOTc1YWI1MDk3ZWU0NjhkOTk1NTVjNWI0NDExNjliZiIsInVzZXIiOiJhbGljZSIsInZpc2l0cyI6Mn0.aVW5AA.XBYmYIlew2rIuKpXwFQpl618aNk"
	s := session{user: "alice", data: map[string]string{"csrf": "3953f9ddf975ab5097ee468d99555c5b441169bf", "visits": "2"}}
	if got := f.encode(s, at); got != plain {
		t.Errorf("encode:\n got %s\nwant %s", got, plain)
	}
	if got, ok := f.decode(plain, at); !ok || got.user != "alice" || got.data["visits"] != "2" || got.data["csrf"] != s.data["csrf"] {
		t.Errorf("decode: %+v %v", got, ok)
	}
	// A compressible payload: itsdangerous zlib-compresses it and marks it with a leading ".".
	const zipped = ".eJyly8ERgCAMBMBe8vYhAwee3RCSFADjy7F37cH97y1jzZBTMpGDZsGGrtjZ3Es9jAQwoKWkVKkhm1zL5zf6T_K8ZT8pEA.aVW5AA.e97YULay7pVvnnsshonGvDA_3sQ"
	if got, ok := f.decode(zipped, at); !ok || got.user != strings.Repeat("a", 64) {
		t.Errorf("decode compressed: %+v %v", got, ok)
	}
	long := session{user: strings.Repeat("a", 64), data: map[string]string{}}
	v := f.encode(long, at)
	if !strings.HasPrefix(v, ".") {
		t.Errorf("a compressible payload was not compressed: %s", v)
	}
	if got, ok := f.decode(v, at); !ok || got.user != long.user {
		t.Errorf("round trip compressed: %+v %v", got, ok)
	}
	if _, ok := f.decode(plain, at.Add(flaskMaxAge+time.Second)); ok {
		t.Error("a value older than 31 days was accepted")
	}
	if _, ok := newFlaskCodec([]byte("another key")).decode(plain, at); ok {
		t.Error("a value signed with another key was accepted")
	}
}

// --- jwt.test ---

// jwtParts checks an HS256 JWT: the exact header, claims sub/iat/exp/jti, and an
// HMAC-SHA256 signature with key.
func jwtParts(t *testing.T, tok string, key []byte) jwtClaims {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 || len(parts[2]) != 43 {
		t.Fatalf("%q is not a JWT with a 32-byte signature", tok)
	}
	h, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || string(h) != `{"alg":"HS256","typ":"JWT"}` {
		t.Fatalf("JWT header %q %v", h, err)
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(parts[0] + "." + parts[1]))
	if sig, _ := base64.RawURLEncoding.DecodeString(parts[2]); !hmac.Equal(sig, m.Sum(nil)) {
		t.Fatalf("JWT %q: the signature is not HMAC-SHA256 of header.claims", tok)
	}
	var c jwtClaims
	cj := jsonSegment(t, parts[1], &c)
	if c.Exp != c.Iat+3600 || c.Jti == "" || time.Since(time.Unix(c.Iat, 0)) > 5*time.Second {
		t.Errorf("claims %s: want iat now, exp = iat + 3600 and a jti", cj)
	}
	return c
}

func TestJWTCookie(t *testing.T) {
	l, tc, base := siteClient(t, Config{}, "jwt.test")
	site := l.sites["jwt.test"]
	key := site.client.(*jwtCodec).key

	// No cookie before login.
	for _, p := range []string{"/", "/login", "/account"} {
		if r := tc.get(base + p); len(r.rawSetCookies()) != 0 {
			t.Errorf("anonymous %s set %q", p, r.rawSetCookies())
		}
	}
	r := tc.login(base, "sam")
	first := r.setCookie("access_token")
	secureLax(t, "login", first)
	if c := jwtParts(t, first.Value, key); c.Sub != "sam" {
		t.Fatalf("sub %q", c.Sub)
	}
	// Sliding: every logged-in response carries a new token (new jti).
	jtis := map[string]bool{}
	tokens := []string{first.Value}
	for _, p := range []string{"/account", "/account", "/", "/account", "/no/such/page"} {
		r := tc.get(base + p)
		c := r.setCookie("access_token")
		if c == nil || c.Value == tokens[len(tokens)-1] {
			t.Fatalf("%s: no new token (%q)", p, r.rawSetCookies())
		}
		secureLax(t, p, c)
		cl := jwtParts(t, c.Value, key)
		if cl.Sub != "sam" || jtis[cl.Jti] {
			t.Errorf("%s: claims %+v (a jti seen before?)", p, cl)
		}
		jtis[cl.Jti] = true
		tokens = append(tokens, c.Value)
		if p == "/account" {
			loggedIn(t, p, r, "sam")
		}
	}
	out := tc.get(base + "/logout")
	deleted(t, "logout", out.setCookie("access_token"))
	anonymous(t, "after logout", tc.get(base+"/account"))
	// No revocation: a copied token still works, the first one included.
	for _, v := range []string{first.Value, tokens[len(tokens)-1]} {
		loggedIn(t, "copied token after logout", tc.getWith(base+"/account", "access_token="+v), "sam")
	}
	// Forged, unsigned and expired tokens do not.
	claims := strings.Split(first.Value, ".")[1]
	forged := strings.Replace(first.Value, claims, base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"admin","iat":1,"exp":9999999999,"jti":"x"}`)), 1)
	anonymous(t, "forged claims", tc.getWith(base+"/account", "access_token="+forged))
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + claims + "."
	anonymous(t, "alg none", tc.getWith(base+"/account", "access_token="+none))
	expired := site.client.encode(session{user: "sam"}, time.Now().Add(-2*time.Hour))
	anonymous(t, "expired", tc.getWith(base+"/account", "access_token="+expired))
	loggedIn(t, "59 minutes old", tc.getWith(base+"/account", "access_token="+site.client.encode(session{user: "sam"}, time.Now().Add(-59*time.Minute))), "sam")
}

// --- rotating.test ---

func TestRotatingNewIDOnEveryResponse(t *testing.T) {
	_, tc, base := siteClient(t, Config{}, "rotating.test")
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)

	r := tc.get(base + "/login")
	c := r.setCookie("SESSIONID")
	secureLax(t, "GET /login", c)
	ids := []string{c.Value}
	next := func(what string, r result) string {
		t.Helper()
		c := r.setCookie("SESSIONID")
		if c == nil || !hex32.MatchString(c.Value) {
			t.Fatalf("%s: no new SESSIONID (%q)", what, r.rawSetCookies())
		}
		secureLax(t, what, c)
		for _, old := range ids {
			if c.Value == old {
				t.Fatalf("%s: ID %s issued before", what, c.Value)
			}
		}
		ids = append(ids, c.Value)
		return c.Value
	}
	next("login", tc.post(base+"/login", url.Values{"user": {"tess"}, "password": {"pw"}}))
	for _, p := range []string{"/account", "/account", "/", "/account", "/login", "/no/such/page", "/account"} {
		r := tc.get(base + p)
		next(p, r)
		switch p {
		case "/account":
			loggedIn(t, p, r, "tess")
		case "/":
			mustContain(t, p, r.body, "Signed in as tess.")
		case "/login":
			if r.status != http.StatusSeeOther || r.location() != "/account" {
				t.Errorf("/login while logged in: %d %q", r.status, r.location())
			}
		}
	}
	// The old IDs are dead: each was moved on by the response that replaced it.
	for _, old := range ids[:len(ids)-1] {
		r := tc.getWith(base+"/account", "SESSIONID="+old)
		anonymous(t, "an old ID", r)
		if c := r.setCookie("SESSIONID"); c == nil || c.Value == old {
			t.Errorf("an old ID was not replaced by a new session: %q", r.rawSetCookies())
		}
	}
	last := ids[len(ids)-1]
	if tc.jarValue(base, "SESSIONID") != last {
		t.Fatal("the jar does not hold the last ID")
	}
	out := tc.get(base + "/logout")
	deleted(t, "logout", out.setCookie("SESSIONID"))
	anonymous(t, "the last ID after logout", tc.getWith(base+"/account", "SESSIONID="+last))
}

// --- stamped.test ---

var stampedEnvelope = regexp.MustCompile(`^(\d{10})\|([A-Za-z0-9_-]+=*)\|`)

// stampedParts checks gorilla/securecookie's envelope and returns its time and the
// length of the encrypted part.
func stampedParts(t *testing.T, v string) (time.Time, int) {
	t.Helper()
	if len(v)%4 != 0 {
		t.Fatalf("gsession %q: not padded base64", v)
	}
	b, err := base64.URLEncoding.DecodeString(v)
	if err != nil {
		t.Fatalf("gsession %q: %v", v, err)
	}
	m := stampedEnvelope.FindSubmatch(b)
	if m == nil || len(b)-len(m[0]) != 32 {
		t.Fatalf("gsession %q: %q is not date|value|32-byte MAC", v, b)
	}
	enc, err := base64.URLEncoding.DecodeString(string(m[2]))
	if err != nil || len(enc) <= 16 {
		t.Fatalf("gsession: value %q is not base64 of IV + ciphertext", m[2])
	}
	sec, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return time.Unix(sec, 0), len(enc)
}

func TestStampedFixationBehindChangingValues(t *testing.T) {
	l, tc, base := siteClient(t, Config{}, "stamped.test")
	site := l.sites["stamped.test"]
	id := func(v string) string {
		t.Helper()
		s, err := site.sc.decode("gsession", v, time.Now())
		if err != nil {
			t.Fatalf("decode %q: %v", v, err)
		}
		return s
	}

	r := tc.get(base + "/login")
	pre := r.setCookie("gsession")
	secureLax(t, "GET /login", pre)
	if at, _ := stampedParts(t, pre.Value); time.Since(at) > 5*time.Second {
		t.Errorf("timestamp %v is not now", at)
	}
	sid := id(pre.Value)
	if !regexp.MustCompile(`^[A-Z2-7]{52}$`).MatchString(sid) {
		t.Errorf("session ID %q is not gorilla/sessions' base32", sid)
	}
	// Re-written on every response, even within one second: a new IV each time.
	values := map[string]bool{pre.Value: true}
	for range 3 {
		r := tc.get(base + "/login")
		c := r.setCookie("gsession")
		if c == nil || values[c.Value] {
			t.Fatalf("GET /login: no new gsession value (%q)", r.rawSetCookies())
		}
		values[c.Value] = true
		if id(c.Value) != sid {
			t.Fatal("the session ID changed before login")
		}
	}
	r = tc.post(base+"/login", url.Values{"user": {"uma"}, "password": {"pw"}})
	post := r.setCookie("gsession")
	if r.status != http.StatusSeeOther || post == nil || values[post.Value] {
		t.Fatalf("login: %d, Set-Cookie %q: want a new value", r.status, r.rawSetCookies())
	}
	secureLax(t, "login", post)
	// The value changed, the session did not.
	if id(post.Value) != sid {
		t.Fatal("the login created a new session ID (stamped.test keeps the pre-login one)")
	}
	acc := tc.get(base + "/account")
	loggedIn(t, "account", acc, "uma")
	if c := acc.setCookie("gsession"); c == nil || c.Value == post.Value || id(c.Value) != sid {
		t.Errorf("account: %q, want a new value for the same session", acc.rawSetCookies())
	}
	// Fixation: the cookie held before login, replayed after it, is logged in.
	loggedIn(t, "pre-login value replayed", tc.getWith(base+"/account", "gsession="+pre.Value), "uma")
	// Tampered values are refused (and a new session started).
	bad := []byte(pre.Value)
	bad[20] ^= 1
	if r := tc.getWith(base+"/account", "gsession="+string(bad)); r.status != http.StatusSeeOther || r.setCookie("gsession") == nil {
		t.Errorf("tampered value: %d %q", r.status, r.rawSetCookies())
	}
	old := site.sc.encode("gsession", sid, time.Now().Add(-31*24*time.Hour))
	anonymous(t, "31 days old", tc.getWith(base+"/account", "gsession="+old))

	out := tc.get(base + "/logout")
	deleted(t, "logout", out.setCookie("gsession"))
	for _, v := range []string{pre.Value, post.Value} {
		anonymous(t, "replay after logout", tc.getWith(base+"/account", "gsession="+v))
	}
}

// The codec against gorilla/securecookie v1.1.2: a value it encoded (securecookie.New
// with these keys, Encode("gsession", ID)) decodes here; and values encoded here were
// decoded by it when this test was written.
func TestSecurecookieMatchesGorilla(t *testing.T) {
	block, err := aes.NewCipher([]byte("fedcba9876543210fedcba9876543210"))
	if err != nil {
		t.Fatal(err)
	}
	sc := &securecookie{hashKey: []byte("0123456789abcdef0123456789abcdef"), block: block}
	const gorilla = "MTc5NjY1MTQ2NXxJbjhrWTBoRmR5blV4akdyZTIyWnZjQUN1dS0tai1jR2dqY3UyN05lSEFOWVVTZVl2aDRtcm9xaDJwS1VjOTNJWXptUkxUcE1aa3RObUlpZGdscTdnYUVqUy0zcDNoNFB8BYUpVDIyerzjhhZDt9J6iyomgdg62f69uToMglM1djk="
	at := time.Unix(1796651465, 0)
	if id, err := sc.decode("gsession", gorilla, at); err != nil || id != "MZXW6YTBOI2GCYLBMFQWCYLBMFQWCYLBMFQWCYLBMFQWCYLBMFQQ" {
		t.Errorf("decode gorilla's value: %q %v", id, err)
	}
	if _, err := sc.decode("other", gorilla, at); err == nil {
		t.Error("the MAC does not cover the cookie name")
	}
	if _, err := sc.decode("gsession", gorilla, at.Add(securecookieMaxAge+time.Second)); err == nil {
		t.Error("a value older than 30 days was accepted")
	}
	a, b := sc.encode("gsession", "X", at), sc.encode("gsession", "X", at)
	if a == b {
		t.Error("two encodings in the same second are equal (no random IV)")
	}
	if id, err := sc.decode("gsession", a, at); err != nil || id != "X" {
		t.Errorf("round trip: %q %v", id, err)
	}
}

// --- bound.test ---

func TestBoundKeepsSessionButBindsTheLogin(t *testing.T) {
	_, tc, base := siteClient(t, Config{}, "bound.test")

	r := tc.get(base + "/login")
	ck := r.setCookie("SESSION")
	secureLax(t, "GET /login", ck)
	raw, err := base64.StdEncoding.DecodeString(ck.Value)
	if err != nil || !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).Match(raw) {
		t.Fatalf("SESSION %q is not base64 of a random UUID (%q)", ck.Value, raw)
	}
	if r.setCookie("auth") != nil {
		t.Error("auth set before login")
	}
	r = tc.post(base+"/login", url.Values{"user": {"vera"}, "password": {"pw"}})
	if r.status != http.StatusSeeOther || r.location() != "/account" {
		t.Fatalf("login: %d %q", r.status, r.location())
	}
	if c := r.setCookie("SESSION"); c != nil && c.Value != ck.Value {
		t.Fatalf("the login changed SESSION (bound.test keeps it): %q", r.rawSetCookies())
	}
	if tc.jarValue(base, "SESSION") != ck.Value {
		t.Fatal("SESSION changed in the jar at login")
	}
	auth := r.setCookie("auth")
	secureLax(t, "auth", auth)
	if b, err := base64.RawURLEncoding.DecodeString(auth.Value); err != nil || len(b) != 16 {
		t.Errorf("auth %q is not 128 bits of base64url", auth.Value)
	}
	loggedIn(t, "account", tc.get(base+"/account"), "vera")

	// The pre-login cookies (SESSION alone) are not logged in after the login; nor is a
	// wrong auth, nor auth alone.
	anonymous(t, "SESSION alone", tc.getWith(base+"/account", "SESSION="+ck.Value))
	anonymous(t, "a wrong auth", tc.getWith(base+"/account", "SESSION="+ck.Value+"; auth="+newID(idBase64URL)))
	anonymous(t, "auth alone", tc.getWith(base+"/account", "auth="+auth.Value))
	both := "SESSION=" + ck.Value + "; auth=" + auth.Value
	loggedIn(t, "both", tc.getWith(base+"/account", both), "vera")

	out := tc.get(base + "/logout")
	deleted(t, "logout SESSION", out.setCookie("SESSION"))
	deleted(t, "logout auth", out.setCookie("auth"))
	if tc.jarValue(base, "SESSION") != "" || tc.jarValue(base, "auth") != "" {
		t.Error("cookies left in the jar after logout")
	}
	anonymous(t, "both after logout", tc.getWith(base+"/account", both))
}

// Every value the new hosts set for their session cookies (and bound.test's auth) is in
// IssuedSessionValues, so that leak checks look for them.
func TestIssuedSessionValuesOfFrameworkHosts(t *testing.T) {
	l := startLab(t, Config{})
	set := map[string]string{}
	for _, host := range []string{"plainhttp.test", "signed.test", "jwt.test", "rotating.test", "stamped.test", "bound.test"} {
		tc := newClient(t, l)
		base := l.URL(host)
		collect := func(r result) {
			for _, line := range r.rawSetCookies() {
				if c, err := http.ParseSetCookie(line); err == nil && c.Value != "" {
					set[c.Value] = host + " " + c.Name
				}
			}
		}
		collect(tc.get(base + "/login"))
		tc.follow = false
		collect(tc.login(base, "wes"))
		collect(tc.get(base + "/account"))
		collect(tc.get(base + "/account"))
		collect(tc.get(base + "/logout"))
	}
	issued := map[string]bool{}
	for _, v := range l.IssuedSessionValues() {
		issued[v] = true
	}
	if len(set) < 15 {
		t.Fatalf("only %d values set", len(set))
	}
	for v, where := range set {
		if !issued[v] {
			t.Errorf("%s: value %q is not in IssuedSessionValues", where, v)
		}
	}
}
