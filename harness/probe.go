package harness

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/sessiontrace/sessiontrace/recording"
)

// runProbe replays cookies the browser held earlier to the scenario's
// probe page with a plain HTTP client, a fresh client that holds nothing
// else, and reports whether the page shows the logged-in marker. After
// logout it replays the pre-logout cookies (OWASP WSTG-SESS-06: logged in
// means logout did not end the session on the server); after a login step,
// the pre-login cookies (WSTG-SESS-03: logged in means the pre-login
// session was promoted, session fixation).
func (r *runner) runProbe(ctx context.Context, held []cdpCookie) (res *recording.ProbeResult) {
	p := r.sc.Session.Probe
	res = &recording.ProbeResult{}
	u, err := r.sc.URL(p.Path)
	if err != nil {
		res.Error = err.Error()
		return
	}
	res.URL = r.red.Scrub(u)
	target, err := url.Parse(u)
	if err != nil {
		res.Error = err.Error()
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		res.Error = err.Error()
		return
	}
	var pairs []string
	for _, c := range held {
		if cookieApplies(c, target) {
			pairs = append(pairs, c.Name+"="+c.Value)
		}
	}
	res.Cookies = len(pairs)
	if len(pairs) == 0 {
		res.Error = "no cookie held then applies to " + res.URL
		return
	}
	req.Header.Set("Cookie", strings.Join(pairs, "; "))
	req.Header.Set("User-Agent", r.b.userAgent)
	client := r.b.probeClient()
	resp, err := client.Do(req)
	if err != nil {
		res.Error = r.red.Scrub(err.Error())
		return
	}
	defer resp.Body.Close()
	res.Status = resp.StatusCode
	doc, err := goquery.NewDocumentFromReader(io.LimitReader(resp.Body, maxPageBytes))
	if err != nil {
		res.Error = err.Error()
		return
	}
	res.LoggedIn = doc.Find(p.LoggedInSelector).Length() > 0
	return
}

// olderProbe replays, after logout, the cookies held right after the last
// login step, when a cookie has had another value since (the server
// re-signed or rotated it while the user was logged in): a replaced value
// that still opens the logged-in page means the server keeps nothing to
// revoke it by, which is how a session held in the cookie behaves
// (recording.ProbeResult.Older). Nil when nothing changed or there was no
// login step.
func (r *runner) olderProbe(ctx context.Context, pre []cdpCookie) *recording.OlderProbe {
	login := -1
	for i := range r.steps[:len(r.steps)-1] {
		if r.steps[i].rec.As == recording.BoundaryLogin && r.steps[i].jarOK {
			login = i
		}
	}
	if login < 0 || !jarChanged(r.steps[login].jar, pre) {
		return nil
	}
	p := r.runProbe(ctx, r.steps[login].jar)
	return &recording.OlderProbe{Step: r.steps[login].rec.Index, URL: p.URL, Status: p.Status, LoggedIn: p.LoggedIn,
		Cookies: p.Cookies, Error: p.Error}
}

// jarChanged reports whether a cookie of a has another value in b.
func jarChanged(a, b []cdpCookie) bool {
	now := map[string]string{}
	for _, c := range b {
		now[c.Name+"\x00"+c.Domain+"\x00"+c.Path] = c.Value
	}
	for _, c := range a {
		if v, ok := now[c.Name+"\x00"+c.Domain+"\x00"+c.Path]; ok && v != c.Value {
			return true
		}
	}
	return false
}

// cookieApplies reports whether the browser would send c to u (domain,
// path and Secure; SameSite does not apply to a direct request).
func cookieApplies(c cdpCookie, u *url.URL) bool {
	host := strings.ToLower(u.Hostname())
	if strings.HasPrefix(c.Domain, ".") {
		if !domainMatch(host, c.Domain) {
			return false
		}
	} else if host != strings.ToLower(c.Domain) {
		return false
	}
	p := u.Path
	if p == "" {
		p = "/"
	}
	if !(p == c.Path || strings.HasPrefix(p, strings.TrimSuffix(c.Path, "/")+"/")) {
		return false
	}
	secureOrigin := u.Scheme == "https" || host == "localhost" || host == "127.0.0.1"
	return !c.Secure || secureOrigin
}

// probeClient is an HTTP client that resolves names and trusts
// certificates as the browser was told to, and follows no redirect: the
// probe reports what the server answered to the replayed cookies. It holds
// no cookie jar (the probes set the Cookie header themselves), so one
// client serves every probe of the browser.
func (b *Browser) probeClient() *http.Client {
	b.probesOnce.Do(func() { b.probes = b.newProbeClient() })
	return b.probes
}

func (b *Browser) newProbeClient() *http.Client {
	rules := parseHostRules(b.opts.HostRules)
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err == nil {
				if ip, ok := rules.resolve(host); ok {
					addr = net.JoinHostPort(ip, port)
				}
			}
			return dialer.DialContext(ctx, network, addr)
		},
		TLSClientConfig:   &tls.Config{},
		ForceAttemptHTTP2: true,
	}
	switch {
	case b.opts.InsecureCerts:
		tr.TLSClientConfig.InsecureSkipVerify = true
	case len(b.opts.TrustSPKI) > 0:
		// Accept a valid chain, or a certificate whose key was trusted
		// explicitly, as Chromium's --ignore-certificate-errors-spki-list.
		trusted := map[string]bool{}
		for _, h := range b.opts.TrustSPKI {
			trusted[h] = true
		}
		tr.TLSClientConfig.InsecureSkipVerify = true
		tr.TLSClientConfig.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("no certificate")
			}
			leaf := cs.PeerCertificates[0]
			sum := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
			if trusted[base64.StdEncoding.EncodeToString(sum[:])] {
				return nil
			}
			inter := x509.NewCertPool()
			for _, c := range cs.PeerCertificates[1:] {
				inter.AddCert(c)
			}
			_, err := leaf.Verify(x509.VerifyOptions{DNSName: cs.ServerName, Intermediates: inter})
			return err
		}
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// hostRules is the part of Chromium's --host-resolver-rules the probe
// needs: "MAP pattern address" and "EXCLUDE pattern".
type hostRules []hostRule

type hostRule struct {
	exclude       bool
	pattern, addr string
}

func parseHostRules(s string) hostRules {
	var rules hostRules
	for _, part := range strings.Split(s, ",") {
		f := strings.Fields(part)
		switch {
		case len(f) == 3 && strings.EqualFold(f[0], "MAP"):
			rules = append(rules, hostRule{pattern: strings.ToLower(f[1]), addr: f[2]})
		case len(f) == 2 && strings.EqualFold(f[0], "EXCLUDE"):
			rules = append(rules, hostRule{exclude: true, pattern: strings.ToLower(f[1])})
		}
	}
	return rules
}

// resolve returns the address a MAP rule gives host. EXCLUDE rules win
// over MAP rules, as in Chromium.
func (rs hostRules) resolve(host string) (string, bool) {
	host = strings.ToLower(host)
	for _, r := range rs {
		if r.exclude && globMatch(r.pattern, host) {
			return "", false
		}
	}
	for _, r := range rs {
		if !r.exclude && globMatch(r.pattern, host) {
			if r.addr == "~NOTFOUND" {
				return "", false
			}
			return r.addr, true
		}
	}
	return "", false
}

func globMatch(pattern, host string) bool {
	if pattern == "*" {
		return true
	}
	if suffix, ok := strings.CutPrefix(pattern, "*"); ok {
		return strings.HasSuffix(host, suffix)
	}
	return pattern == host
}
