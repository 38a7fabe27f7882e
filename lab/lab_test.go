package lab

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestBindsLoopbackByDefault(t *testing.T) {
	l := startLab(t, Config{})
	for _, ln := range []net.Listener{l.httpsLn, l.httpLn} {
		a := ln.Addr().(*net.TCPAddr)
		if !a.IP.Equal(net.IPv4(127, 0, 0, 1)) {
			t.Errorf("listener bound to %v, want 127.0.0.1", a.IP)
		}
	}
	if l.HTTPSPort() == 0 || l.HTTPPort() == 0 || l.HTTPSPort() == l.HTTPPort() {
		t.Fatalf("ports: https %d, http %d", l.HTTPSPort(), l.HTTPPort())
	}
	tc := newClient(t, l)
	if r := tc.get(l.URL("")); r.status != 200 || !strings.Contains(r.body, "<title>") {
		t.Errorf("https index: %d", r.status)
	}
	if r := tc.get(l.HTTPURL("")); r.status != 200 {
		t.Errorf("http index: %d", r.status)
	}
}

func TestFixedPortsAndErrors(t *testing.T) {
	// Find two free ports, then ask for them.
	free := func() int {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().(*net.TCPAddr).Port
	}
	hp, p := free(), free()
	l := startLab(t, Config{HTTPSPort: hp, HTTPPort: p})
	if l.HTTPSPort() != hp || l.HTTPPort() != p {
		t.Fatalf("ports %d/%d, want %d/%d", l.HTTPSPort(), l.HTTPPort(), hp, p)
	}
	// The same ports again: in use.
	if l2, err := Start(Config{HTTPSPort: hp}); err == nil {
		l2.Close()
		t.Fatal("Start on a port in use succeeded")
	}
	if _, err := Start(Config{HTTPSPort: 7000, HTTPPort: 7000}); err == nil {
		t.Fatal("Start with equal ports succeeded")
	}
	if _, err := Start(Config{HTTPPort: 70000}); err == nil {
		t.Fatal("Start with port 70000 succeeded")
	}
}

func TestURLsAndVar(t *testing.T) {
	l := startLab(t, Config{})
	hp, p := itoa(l.HTTPSPort()), itoa(l.HTTPPort())
	if got, want := l.URL("correct.test"), "https://correct.test:"+hp; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
	if got, want := l.URL(""), "https://lab.test:"+hp; got != want {
		t.Errorf("URL(\"\") = %q, want %q", got, want)
	}
	if got, want := l.HTTPURL("mixed.test"), "http://mixed.test:"+p; got != want {
		t.Errorf("HTTPURL = %q, want %q", got, want)
	}
	cases := []struct {
		key, want string
		ok        bool
	}{
		{"", "https://lab.test:" + hp, true},
		{"correct", "https://correct.test:" + hp, true},
		{"correct.test", "https://correct.test:" + hp, true},
		{"http.correct", "http://correct.test:" + p, true},
		{"http.mixed", "http://mixed.test:" + p, true},
		{"www.scope", "https://www.scope.test:" + hp, true},
		{"http.www.scope", "http://www.scope.test:" + p, true},
		{"logout-keep", "https://logout-keep.test:" + hp, true},
		{"idp", "https://idp.test:" + hp, true},
		{"spa", "https://spa.test:" + hp, true},
		{"http", "http://lab.test:" + p, true},
		{"nope", "", false},
		{"http.nope", "", false},
		{"scope.www", "", false},
	}
	for _, c := range cases {
		got, ok := l.Var(c.key)
		if got != c.want || ok != c.ok {
			t.Errorf("Var(%q) = %q, %v; want %q, %v", c.key, got, ok, c.want, c.ok)
		}
	}
	// VarAt gives the same for a lab known by its ports only (run
	// --lab-ports, against a lab started by hand).
	for _, c := range cases {
		got, ok := VarAt(c.key, l.HTTPSPort(), l.HTTPPort())
		if got != c.want || ok != c.ok {
			t.Errorf("VarAt(%q) = %q, %v; want %q, %v", c.key, got, ok, c.want, c.ok)
		}
	}
	if got, _ := VarAt("http.mixed", 8443, 8080); got != "http://mixed.test:8080" {
		t.Errorf("VarAt with the default ports: %q", got)
	}
	// Every listed host resolves through Var.
	for _, h := range l.Hosts() {
		if _, ok := l.Var(strings.TrimSuffix(h.Name, ".test")); !ok {
			t.Errorf("Var(%q) unknown", h.Name)
		}
	}
}

func TestCertificate(t *testing.T) {
	l := startLab(t, Config{})
	for _, h := range l.Hosts() {
		conn, err := tls.Dial("tcp", net.JoinHostPort("127.0.0.1", itoa(l.HTTPSPort())),
			&tls.Config{ServerName: h.Name, RootCAs: l.CertPool()})
		if err != nil {
			t.Fatalf("TLS to %s: %v", h.Name, err)
		}
		leaf := conn.ConnectionState().PeerCertificates[0]
		conn.Close()
		sum := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
		if got := base64.StdEncoding.EncodeToString(sum[:]); got != l.SPKIHash() {
			t.Fatalf("SPKIHash %q, served certificate has %q", l.SPKIHash(), got)
		}
		pub, ok := leaf.PublicKey.(*ecdsa.PublicKey)
		if !ok || pub.Curve != elliptic.P256() {
			t.Fatalf("certificate key is %T, want ECDSA P-256", leaf.PublicKey)
		}
	}
	// *.test covers a name that is not a lab host (it gets the "unknown host" page).
	if err := l.leaf.VerifyHostname("anything.test"); err != nil {
		t.Errorf("*.test: %v", err)
	}
	if err := l.leaf.VerifyHostname("www.scope.test"); err != nil {
		t.Errorf("www.scope.test: %v", err)
	}
	if err := l.leaf.VerifyHostname("example.com"); err == nil {
		t.Error("certificate valid for example.com")
	}
}

func TestIndexListsHostsAndScenarioFilesExist(t *testing.T) {
	l := startLab(t, Config{})
	r := newClient(t, l).get(l.URL("") + "/")
	mustContain(t, "index", r.body, `<title>sessiontrace lab</title>`)
	seen := map[string]bool{}
	for _, h := range l.Hosts() {
		if seen[h.Name] {
			t.Errorf("host %s listed twice", h.Name)
		}
		seen[h.Name] = true
		if !strings.HasSuffix(h.Name, ".test") || h.Behaviour == "" {
			t.Errorf("host %+v", h)
		}
		if h.Name == indexHost {
			continue
		}
		mustContain(t, "index", r.body, `id="host-`+h.Name+`"`)
		mustContain(t, "index", r.body, h.Scenario)
		if _, err := os.Stat(filepath.Join("..", h.Scenario)); err != nil {
			t.Errorf("%s: scenario file: %v", h.Name, err)
		}
	}
	for _, want := range []string{"correct.test", "fixation.test", "logout-keep.test", "mixed.test", "cluster.test",
		"idle.test", "expiry.test", "sso.test", "idp.test", "scope.test", "www.scope.test", "rejects.test",
		"script.test", "urlsession.test", "resetcode.test", "faults.test", "plainhttp.test", "signed.test", "jwt.test",
		"rotating.test", "stamped.test", "bound.test", "targets.test", "widget.test", "spa.test"} {
		if !seen[want] {
			t.Errorf("host %s missing", want)
		}
	}
	// 127.0.0.1 gets the index too; an unknown .test name gets a 404 page.
	tc := newClient(t, l)
	if r := tc.get("https://127.0.0.1:" + itoa(l.HTTPSPort()) + "/"); r.status != 200 || !strings.Contains(r.body, `id="hosts"`) {
		t.Errorf("index by IP: %d", r.status)
	}
	if r := tc.get("https://nope.test:" + itoa(l.HTTPSPort()) + "/"); r.status != 404 || !strings.Contains(r.body, `id="unknown-host"`) {
		t.Errorf("unknown host: %d", r.status)
	}
}

// Every page is a real HTML page with a title, and every app host runs the common flow.
func TestCommonAppOnEveryHost(t *testing.T) {
	l := startLab(t, Config{})
	for _, h := range l.Hosts() {
		switch h.Name {
		case indexHost, "idp.test", "widget.test", "cluster.test", "sso.test", "spa.test",
			opHost, "rp.test", "rp-post.test", "rp-path.test":
			continue // no app, or a login that differs (tested on their own)
		}
		t.Run(h.Name, func(t *testing.T) {
			tc := newClient(t, l)
			base := l.URL(h.Name)
			home := tc.get(base + "/")
			mustContain(t, "home", home.body, "<title>")
			mustContain(t, "home", home.body, `href="/login"`)
			if r := tc.get(base + "/account"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/login") {
				t.Fatalf("anonymous /account: %d %q", r.status, r.location())
			}
			r := tc.login(base, "carol")
			if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/account") {
				t.Fatalf("POST /login: %d %q", r.status, r.location())
			}
			acc := tc.get(base + r.location())
			mustContain(t, "account", acc.body, `<p id="welcome">Welcome, carol</p>`)
			mustContain(t, "account", acc.body, `id="logout"`)
			// The session ID never appears in a page, except where it is the behaviour.
			if id := tc.jarValue(base, h.Cookie); h.Name != "urlsession.test" && (id == "" || strings.Contains(acc.body, id) ||
				strings.Contains(tc.get(base+"/").body, id)) {
				t.Errorf("session ID %q missing from the jar or shown in a page", id)
			}
			if got := acc.header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control %q", got)
			}
			out := tc.get(base + "/logout")
			if out.status != http.StatusSeeOther || out.location() != "/" {
				t.Fatalf("logout: %d %q", out.status, out.location())
			}
			if r := tc.get(base + "/account"); r.status != http.StatusSeeOther {
				t.Fatalf("/account after logout: %d", r.status)
			}
			// Bad input: empty password, wrong method, unknown page.
			if r := tc.post(base+"/login", map[string][]string{"user": {"x"}}); r.status != http.StatusBadRequest ||
				!strings.Contains(r.body, `id="login-error"`) {
				t.Errorf("empty password: %d", r.status)
			}
			req, _ := http.NewRequest(http.MethodDelete, base+"/login", nil)
			if r := tc.do(req); r.status != http.StatusMethodNotAllowed {
				t.Errorf("DELETE /login: %d", r.status)
			}
			if r := tc.get(base + "/no/such/page"); r.status != 404 || !strings.Contains(r.body, "<title>") {
				t.Errorf("404 page: %d", r.status)
			}
		})
	}
}

func TestHTMLIsEscaped(t *testing.T) {
	l := startLab(t, Config{})
	tc := newClient(t, l)
	base := l.URL("fixation.test")
	r := tc.login(base, `<script>alert(1)</script>`)
	acc := tc.get(base + r.location())
	mustNotContain(t, "account", acc.body, `<script>alert(1)</script>`)
	mustContain(t, "account", acc.body, `&lt;script&gt;`)
	nf := tc.get(base + "/%3Cb%3E")
	mustNotContain(t, "404", nf.body, "<b>")
}

func TestLatency(t *testing.T) {
	l := startLab(t, Config{Latency: 150 * time.Millisecond})
	tc := newClient(t, l)
	start := time.Now()
	tc.get(l.URL("correct.test") + "/")
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("response after %v, want at least the 150ms latency", d)
	}
}

func TestLogRedactsURLSessionIDs(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	l := startLab(t, Config{Logf: func(f string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf(f, a...))
	}})
	tc := newClient(t, l)
	base := l.URL("urlsession.test")
	r := tc.login(base, "dora")
	tc.get(base + r.location())
	id := tc.jarValue(base, "JSESSIONID")
	tc.get(base + "/?sid=" + id)
	tc.get(base + "/account;jsessionid=" + id)
	mu.Lock()
	defer mu.Unlock()
	all := strings.Join(lines, "\n")
	if len(lines) < 5 {
		t.Fatalf("log has %d lines:\n%s", len(lines), all)
	}
	mustContain(t, "log", all, "urlsession.test/account;jsessionid=REDACTED")
	mustContain(t, "log", all, "sid=REDACTED")
	for _, v := range l.IssuedSessionValues() {
		mustNotContain(t, "log", all, v)
	}
}

// Handlers must survive odd requests: no panics, no 5xx.
func TestOddRequests(t *testing.T) {
	l := startLab(t, Config{SlowDelay: time.Millisecond})
	h := l.Handler()
	hosts := []string{"", "127.0.0.1", "[::1]:1", "CORRECT.TEST.", "correct.test:99999", "x", strings.Repeat("a", 300) + ".test"}
	for _, hh := range l.Hosts() {
		hosts = append(hosts, hh.Name)
	}
	paths := []string{"/", "/login", "/account", "/logout", "/account;jsessionid=", "/account;jsessionid=;x=y", "/;",
		"/callback", "/authorize?return=javascript:alert(1)", "/authorize?return=%zz", "/authorize?return=https://evil.example/",
		"/app", "/app/", "/other", "/rejects", "/quirks", "/secure-set", "/overwrite", "/script", "/error",
		"/500", "/slow?ms=-5", "/slow?ms=x0", "/?sid=" + strings.Repeat("A", 5000)}
	cookies := []string{"", "PHPSESSID=" + strings.Repeat("a", 100), "connect.sid=s%3Abad.sig", "connect.sid=%zz",
		"JSESSIONID=;;;", "__Host-sid=" + strings.Repeat("x", 8000), "app_session=nope", "_sso_session=\x01"}
	methods := []string{"GET", "POST", "HEAD", "PUT", "OPTIONS"}
	for _, host := range hosts {
		for _, p := range paths {
			for i, m := range methods {
				ck := cookies[(len(p)+i)%len(cookies)]
				req := httptest.NewRequest(m, "https://lab.test"+p, strings.NewReader("user=%zz&password="))
				req.Host = host
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if ck != "" {
					req.Header.Set("Cookie", ck)
				}
				rec := httptest.NewRecorder()
				func() {
					defer func() {
						if v := recover(); v != nil {
							t.Fatalf("%s %s%s panicked: %v", m, host, p, v)
						}
					}()
					h.ServeHTTP(rec, req)
				}()
				if rec.Code >= 500 && !(p == "/500") {
					t.Errorf("%s %s%s (Cookie %.30q): %d", m, host, p, ck, rec.Code)
				}
			}
		}
	}
}

func TestHangEndsOnCloseWithoutLeaks(t *testing.T) {
	for _, http2 := range []bool{false, true} {
		name := "http1"
		if http2 {
			name = "http2"
		}
		t.Run(name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			l, err := Start(Config{DisableHTTP2: !http2, Latency: 0})
			if err != nil {
				t.Fatal(err)
			}
			tc := newClient(t, l)
			errc := make(chan error, 3)
			for _, u := range []string{l.URL("faults.test") + "/hang", l.HTTPURL("faults.test") + "/hang", l.URL("faults.test") + "/slow?ms=600000"} {
				go func() {
					req, _ := http.NewRequestWithContext(context.Background(), "GET", u, nil)
					resp, err := tc.c.Do(req)
					if err == nil {
						resp.Body.Close()
						err = errors.New("got a response: " + resp.Status)
					}
					errc <- err
				}()
			}
			// Wait until the three handlers are in flight.
			deadline := time.Now().Add(20 * time.Second) // generous: a loaded machine is slow
			for !inflight(3) {
				if time.Now().After(deadline) {
					t.Fatal("handlers never started")
				}
				time.Sleep(5 * time.Millisecond)
			}
			select {
			case err := <-errc:
				t.Fatalf("a hanging request finished before Close: %v", err)
			case <-time.After(100 * time.Millisecond):
			}
			start := time.Now()
			if err := l.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("Close took %v", d)
			}
			for range 3 {
				select {
				case err := <-errc:
					if err == nil || strings.Contains(err.Error(), "got a response") {
						t.Fatalf("hanging request: %v", err)
					}
				case <-time.After(3 * time.Second):
					t.Fatal("a hanging request did not end after Close")
				}
			}
			if err := l.Close(); err != nil {
				t.Fatalf("second Close: %v", err)
			}
			tc.tr.CloseIdleConnections()
			deadline = time.Now().Add(20 * time.Second)
			for {
				n := runtime.NumGoroutine()
				stacks := goroutineStacks()
				if n <= before && !strings.Contains(stacks, "sessiontrace/lab.(*") && !strings.Contains(stacks, "net/http.(*conn).serve") {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("goroutines: %d before Start, %d after Close:\n%s", before, n, stacks)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

func inflight(n int) bool {
	// The faults routes are the only handlers running; count them through the stacks.
	return strings.Count(goroutineStacks(), "lab.(*Lab).setupFaults.func") >= n
}

func goroutineStacks() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}

func TestRequestsAfterCloseFail(t *testing.T) {
	l, err := Start(Config{})
	if err != nil {
		t.Fatal(err)
	}
	u := l.URL("correct.test")
	tc := newClient(t, l)
	tc.get(u + "/")
	l.Close()
	tc.tr.CloseIdleConnections()
	if resp, err := tc.c.Get(u + "/"); err == nil {
		resp.Body.Close()
		t.Fatal("request after Close succeeded")
	}
	// The handler refuses politely instead of racing the shutdown.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/", nil)
	req.Host = "correct.test"
	l.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("handler after Close: %d", rec.Code)
	}
}

var idPattern = regexp.MustCompile(`^([A-Za-z0-9_-]{22}|[0-9a-f]{32}|[0-9A-F]{32})$`)

func TestIssuedSessionValues(t *testing.T) {
	l := startLab(t, Config{})
	seen := map[string]bool{}
	for _, host := range []string{"correct.test", "fixation.test", "logout-keep.test", "idle.test", "expiry.test",
		"rejects.test", "script.test", "urlsession.test", "resetcode.test", "faults.test", "mixed.test"} {
		tc := newClient(t, l)
		base := l.URL(host)
		r := tc.login(base, "erin")
		for _, line := range r.rawSetCookies() {
			if c, err := http.ParseSetCookie(line); err == nil && c.Value != "" {
				seen[c.Value] = true
			}
		}
		cookie := hostCookie(l, host)
		if v := tc.jarValue(base, cookie); v != "" {
			seen[v] = true
		}
	}
	issued := map[string]bool{}
	for _, v := range l.IssuedSessionValues() {
		issued[v] = true
	}
	if len(seen) < 11 {
		t.Fatalf("only %d session values seen", len(seen))
	}
	for v := range seen {
		if !issued[v] {
			t.Errorf("session value %q was set but is not in IssuedSessionValues", v)
		}
	}
	bare := 0
	for v := range issued {
		if idPattern.MatchString(v) {
			bare++
		} else if !strings.HasPrefix(v, "s%3A") {
			t.Errorf("issued value %q is neither a 128-bit ID nor a signed connect.sid", v)
		}
	}
	if bare < 11 {
		t.Errorf("%d bare IDs", bare)
	}
}

func hostCookie(l *Lab, name string) string {
	for _, h := range l.Hosts() {
		if h.Name == name {
			return h.Cookie
		}
	}
	return ""
}
