package lab

import (
	"context"
	"crypto/tls"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func startLab(t *testing.T, cfg Config) *Lab {
	t.Helper()
	l, err := Start(cfg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l
}

// siteClient starts a lab with cfg and returns it, a client of it and the
// base URL of its site host.
func siteClient(t *testing.T, cfg Config, host string) (*Lab, *tclient, string) {
	t.Helper()
	l := startLab(t, cfg)
	return l, newClient(t, l), l.URL(host)
}

// tclient is a browser-like Go client: a cookie jar (which, like a browser, withholds
// Secure cookies over http and host-only cookies from other hosts), every *.test name
// dialled to the lab on 127.0.0.1, and the lab's certificate trusted.
type tclient struct {
	t      *testing.T
	l      *Lab
	jar    *cookiejar.Jar
	c      *http.Client
	tr     *http.Transport
	follow bool
}

func newClient(t *testing.T, l *Lab) *tclient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	d := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			return d.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
		},
		TLSClientConfig:   &tls.Config{RootCAs: l.CertPool()},
		ForceAttemptHTTP2: true,
	}
	t.Cleanup(tr.CloseIdleConnections)
	tc := &tclient{t: t, l: l, jar: jar, tr: tr}
	tc.c = &http.Client{
		Jar:       jar,
		Transport: tr,
		Timeout:   10 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if !tc.follow {
				return http.ErrUseLastResponse
			}
			if len(via) >= 10 {
				return errTooManyRedirects
			}
			return nil
		},
	}
	return tc
}

var errTooManyRedirects = &redirectErr{}

type redirectErr struct{}

func (*redirectErr) Error() string { return "too many redirects" }

type result struct {
	status int
	header http.Header
	body   string
	url    *url.URL
}

func (r result) location() string { return r.header.Get("Location") }

// setCookie returns the parsed Set-Cookie for name (the last one), or nil.
func (r result) setCookie(name string) *http.Cookie {
	var found *http.Cookie
	for _, line := range r.header.Values("Set-Cookie") {
		c, err := http.ParseSetCookie(line)
		if err == nil && c.Name == name {
			found = c
		}
	}
	return found
}

func (r result) rawSetCookies() []string { return r.header.Values("Set-Cookie") }

func (tc *tclient) do(req *http.Request) result {
	tc.t.Helper()
	resp, err := tc.c.Do(req)
	if err != nil {
		tc.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tc.t.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	return result{status: resp.StatusCode, header: resp.Header, body: string(b), url: resp.Request.URL}
}

func (tc *tclient) get(u string) result {
	tc.t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		tc.t.Fatal(err)
	}
	return tc.do(req)
}

// getWith sends a GET with an explicit Cookie header and no jar cookies.
func (tc *tclient) getWith(u, cookie string) result {
	tc.t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		tc.t.Fatal(err)
	}
	c := *tc.c
	c.Jar = nil
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	old := tc.c
	tc.c = &c
	defer func() { tc.c = old }()
	return tc.do(req)
}

func (tc *tclient) post(u string, form url.Values) result {
	tc.t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		tc.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return tc.do(req)
}

// postWith posts a form with an explicit Cookie header and no jar cookies (a browser
// withholding them, for example).
func (tc *tclient) postWith(u string, form url.Values, cookie string) result {
	tc.t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		tc.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	c := *tc.c
	c.Jar = nil
	old := tc.c
	tc.c = &c
	defer func() { tc.c = old }()
	return tc.do(req)
}

// jarValue is the value of the cookie the jar would send to u, "" when none.
func (tc *tclient) jarValue(u, name string) string {
	pu, err := url.Parse(u)
	if err != nil {
		tc.t.Fatal(err)
	}
	for _, c := range tc.jar.Cookies(pu) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// login runs GET /login then POST /login without following the redirect and returns
// the POST's result. Like a browser submitting the form, it posts the form's hidden
// fields (signed.test's csrf_token) too.
func (tc *tclient) login(base, user string) result {
	tc.t.Helper()
	r := tc.get(base + "/login")
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="login-form"`) {
		tc.t.Fatalf("GET %s/login: status %d, body without #login-form", base, r.status)
	}
	form := url.Values{"user": {user}, "password": {"pw"}}
	for _, m := range hiddenInput.FindAllStringSubmatch(r.body, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	return tc.post(base+"/login", form)
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

func mustContain(t *testing.T, what, s, sub string) {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Fatalf("%s: %q not found in:\n%s", what, sub, truncate(s, 2000))
	}
}

func mustNotContain(t *testing.T, what, s, sub string) {
	t.Helper()
	if strings.Contains(s, sub) {
		t.Fatalf("%s: unexpected %q in:\n%s", what, sub, truncate(s, 2000))
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
