// Package lab is a demo target site that reproduces each session failure on purpose.
//
// The lab serves one virtual host per behaviour (chosen by the Host header) over HTTPS and
// plain HTTP on 127.0.0.1. All host names end in .test; a browser reaches them with a host
// resolver rule such as Chromium's --host-resolver-rules="MAP *.test 127.0.0.1", and trusts
// the lab's self-signed certificate with --ignore-certificate-errors-spki-list=SPKIHash().
//
// Every host runs the same small application (/, /login, /account, /logout) and differs in
// one session behaviour: see Hosts and docs/lab.md. The lab uses the standard library only
// and never special-cases the product that inspects it: cookie names, formats and flows
// follow real frameworks.
package lab

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults for Config's zero values.
const (
	DefaultAddr         = "127.0.0.1"
	DefaultIdleTimeout  = 3 * time.Second
	DefaultCookieMaxAge = 2 * time.Second
	DefaultSlowDelay    = 2 * time.Second
)

// Config configures a Lab. The zero value is ready to use.
type Config struct {
	// Addr is the IP address or host name both listeners bind to (default "127.0.0.1").
	Addr string
	// HTTPSPort and HTTPPort are the listening ports; 0 picks a free port.
	HTTPSPort, HTTPPort int
	// IdleTimeout is idle.test's server-side idle timeout (default 3s).
	IdleTimeout time.Duration
	// CookieMaxAge is the Max-Age of expiry.test's session cookie (default 2s; rounded up to
	// whole seconds, at least 1s).
	CookieMaxAge time.Duration
	// Latency is added before every response (to simulate a real staging server).
	Latency time.Duration
	// SlowDelay is how long faults.test/slow waits when no ?ms= is given (default 2s).
	SlowDelay time.Duration
	// DisableHTTP2 makes the HTTPS listener speak HTTP/1.1 only (HTTP/2 is on by default,
	// as on most real sites).
	DisableHTTP2 bool
	// Logf, when set, receives one line per request and the servers' error messages.
	// Session IDs carried in URLs are redacted.
	Logf func(format string, args ...any)
	// OIDCDir is the folder of op.test's provider (server.js and its
	// node_modules); empty: lab/oidc, found from the working directory up.
	OIDCDir string
}

// Host describes one virtual host of the lab.
type Host struct {
	Name      string // "correct.test"
	Behaviour string // one line: what the host does
	Scenario  string // "scenarios/lab/correct.yaml"; empty when none
	Cookie    string // the session-ID cookie name; empty when the host keeps no session
}

// Lab is a running lab site. Create it with Start; stop it with Close.
type Lab struct {
	cfg Config

	cert   tls.Certificate
	leaf   *x509.Certificate
	pool   *x509.CertPool
	spki   string
	secret []byte // signs connect.sid values

	httpsLn, httpLn   net.Listener
	httpsSrv, httpSrv *http.Server
	httpsPort         int
	httpPort          int

	sites map[string]*site // by host name
	hosts []Host

	mu       sync.Mutex
	closed   bool
	inflight sync.WaitGroup // handlers; Add only while !closed (under mu)
	serving  sync.WaitGroup // Serve goroutines
	closing  chan struct{}
	closeErr error
	once     sync.Once

	issuedMu sync.Mutex
	issued   []string

	op *opProcess // op.test's node process, started by its first request
	rp *rpShared  // what the relying parties of op.test share
}

// Start creates the certificate, binds both listeners and starts serving.
func Start(cfg Config) (*Lab, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	l := &Lab{cfg: cfg, closing: make(chan struct{})}
	l.secret = make([]byte, 32)
	if _, err := rand.Read(l.secret); err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	if err := l.makeCert(); err != nil {
		return nil, fmt.Errorf("lab: certificate: %w", err)
	}

	l.httpsLn, err = net.Listen("tcp", net.JoinHostPort(cfg.Addr, strconv.Itoa(cfg.HTTPSPort)))
	if err != nil {
		return nil, fmt.Errorf("lab: https listener: %w", err)
	}
	l.httpLn, err = net.Listen("tcp", net.JoinHostPort(cfg.Addr, strconv.Itoa(cfg.HTTPPort)))
	if err != nil {
		l.httpsLn.Close()
		return nil, fmt.Errorf("lab: http listener: %w", err)
	}
	l.httpsPort = l.httpsLn.Addr().(*net.TCPAddr).Port
	l.httpPort = l.httpLn.Addr().(*net.TCPAddr).Port

	l.op = &opProcess{lab: l}
	l.rp = l.newRPShared()
	l.buildSites()

	l.serve()
	return l, nil
}

// withDefaults fills the zero fields of cfg and checks the ports.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.CookieMaxAge <= 0 {
		cfg.CookieMaxAge = DefaultCookieMaxAge
	}
	if cfg.SlowDelay <= 0 {
		cfg.SlowDelay = DefaultSlowDelay
	}
	if cfg.Latency < 0 {
		cfg.Latency = 0
	}
	if cfg.HTTPSPort < 0 || cfg.HTTPSPort > 65535 || cfg.HTTPPort < 0 || cfg.HTTPPort > 65535 {
		return cfg, fmt.Errorf("lab: port out of range (https %d, http %d)", cfg.HTTPSPort, cfg.HTTPPort)
	}
	if cfg.HTTPSPort != 0 && cfg.HTTPSPort == cfg.HTTPPort {
		return cfg, fmt.Errorf("lab: the HTTPS and HTTP ports must differ (both %d)", cfg.HTTPSPort)
	}
	return cfg, nil
}

// serve starts the HTTPS and HTTP servers on the lab's listeners.
func (l *Lab) serve() {
	cfg := l.cfg
	errLog := log.New(io.Discard, "", 0)
	if cfg.Logf != nil {
		errLog = log.New(logWriter(cfg.Logf), "", 0)
	}
	tlsProtos := new(http.Protocols)
	tlsProtos.SetHTTP1(true)
	tlsProtos.SetHTTP2(!cfg.DisableHTTP2)
	plainProtos := new(http.Protocols)
	plainProtos.SetHTTP1(true)

	l.httpsSrv = &http.Server{
		Handler:           l.Handler(),
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{l.cert}, MinVersion: tls.VersionTLS12},
		Protocols:         tlsProtos,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          errLog,
	}
	l.httpSrv = &http.Server{
		Handler:           l.Handler(),
		Protocols:         plainProtos,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          errLog,
	}
	l.serving.Add(2)
	go func() {
		defer l.serving.Done()
		l.serveErr(l.httpsSrv.ServeTLS(l.httpsLn, "", ""))
	}()
	go func() {
		defer l.serving.Done()
		l.serveErr(l.httpSrv.Serve(l.httpLn))
	}()
}

func (l *Lab) serveErr(err error) {
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		l.logf("lab: serve: %v", err)
	}
}

// Close closes both listeners and every connection, ends handlers that are waiting (such
// as faults.test/hang) and waits for the lab's goroutines. It is safe to call more than once.
func (l *Lab) Close() error {
	l.once.Do(func() {
		l.mu.Lock()
		l.closed = true
		l.mu.Unlock()
		// Connections first, so that waiting handlers released below cannot answer.
		var errs []error
		if l.httpsSrv != nil {
			errs = append(errs, l.httpsSrv.Close())
		}
		if l.httpSrv != nil {
			errs = append(errs, l.httpSrv.Close())
		}
		close(l.closing)
		l.serving.Wait()
		l.inflight.Wait()
		l.op.stop()
		l.closeErr = errors.Join(errs...)
	})
	return l.closeErr
}

// HTTPSPort is the port of the HTTPS listener.
func (l *Lab) HTTPSPort() int { return l.httpsPort }

// HTTPPort is the port of the plain HTTP listener.
func (l *Lab) HTTPPort() int { return l.httpPort }

// Addr is the address both listeners are bound to.
func (l *Lab) Addr() string { return l.cfg.Addr }

// URL is the HTTPS base URL of a host, such as "https://correct.test:8443" (no trailing
// slash). The empty host means the index, lab.test.
func (l *Lab) URL(host string) string { return urlAt("https", host, l.httpsPort) }

// HTTPURL is the plain-HTTP base URL of a host, such as "http://mixed.test:8080".
func (l *Lab) HTTPURL(host string) string { return urlAt("http", host, l.httpPort) }

func urlAt(scheme, host string, port int) string {
	return scheme + "://" + hostOrIndex(host) + ":" + strconv.Itoa(port)
}

func hostOrIndex(host string) string {
	host = strings.ToLower(strings.TrimSpace(host))
	if host == "" {
		return indexHost
	}
	return host
}

// Var resolves a scenario variable below ${lab}: "" is URL(""), "correct" (or
// "correct.test", "https.correct") is URL("correct.test"), "www.scope" is URL("www.scope.test"),
// "http.mixed" is HTTPURL("mixed.test") and "http" is HTTPURL(""). Unknown hosts give false.
func (l *Lab) Var(key string) (string, bool) { return VarAt(key, l.httpsPort, l.httpPort) }

// VarAt is Var for a lab that listens on httpsPort and httpPort: one
// started by hand (sessiontrace lab), for run --lab-ports.
func VarAt(key string, httpsPort, httpPort int) (string, bool) {
	key = strings.ToLower(strings.TrimSpace(key))
	plain := false
	switch {
	case key == "":
		return urlAt("https", "", httpsPort), true
	case key == "http":
		return urlAt("http", "", httpPort), true
	case key == "https":
		return urlAt("https", "", httpsPort), true
	case strings.HasPrefix(key, "http."):
		plain = true
		key = key[len("http."):]
	case strings.HasPrefix(key, "https."):
		key = key[len("https."):]
	}
	name := key
	if !strings.HasSuffix(name, ".test") {
		name += ".test"
	}
	if !slices.ContainsFunc(hostTable, func(d hostDef) bool { return d.name == name }) {
		return "", false
	}
	if plain {
		return urlAt("http", name, httpPort), true
	}
	return urlAt("https", name, httpsPort), true
}

// Hosts lists every virtual host, index first.
func (l *Lab) Hosts() []Host {
	return append([]Host(nil), l.hosts...)
}

// SPKIHash is base64(sha256(SubjectPublicKeyInfo)) of the lab's certificate, the value
// for Chromium's --ignore-certificate-errors-spki-list.
func (l *Lab) SPKIHash() string { return l.spki }

// CertPool holds the lab's self-signed certificate, to trust the lab from Go clients.
func (l *Lab) CertPool() *x509.CertPool { return l.pool }

// Certificate is the lab's DER-encoded certificate.
func (l *Lab) Certificate() []byte { return append([]byte(nil), l.leaf.Raw...) }

// IssuedSessionValues returns every raw session ID the lab has issued, in order, and every
// session cookie value that differs from its ID, as the browser holds it: the signed
// connect.sid, Spring's base64 SESSION and each gsession envelope next to their bare IDs,
// each signed.test and jwt.test value, bound.test's auth values, and spa.test's access
// and refresh tokens (kept in Web Storage, not in cookies).
func (l *Lab) IssuedSessionValues() []string {
	l.issuedMu.Lock()
	defer l.issuedMu.Unlock()
	return append([]string(nil), l.issued...)
}

func (l *Lab) recordIssued(v ...string) {
	l.issuedMu.Lock()
	l.issued = append(l.issued, v...)
	l.issuedMu.Unlock()
}

// Handler is the virtual-host mux: it dispatches on the Host header (the port is ignored).
// Absolute links in pages use the lab's own ports.
func (l *Lab) Handler() http.Handler { return http.HandlerFunc(l.serveHTTP) }

func (l *Lab) serveHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		w.Header().Set("Connection", "close")
		http.Error(w, "lab is shutting down", http.StatusServiceUnavailable)
		return
	}
	l.inflight.Add(1)
	l.mu.Unlock()
	defer l.inflight.Done()

	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	host := requestHost(r.Host)
	if l.cfg.Logf != nil {
		defer func() {
			status := sw.status
			if status == 0 {
				status = 200
				if !sw.wrote {
					status = 0
				}
			}
			scheme := "http"
			if r.TLS != nil {
				scheme = "https"
			}
			node := sw.Header().Get("X-Backend")
			if node != "" {
				node = " " + node
			}
			l.cfg.Logf("%s %s %s://%s%s -> %d %s%s", r.Proto, r.Method, scheme, host,
				redactURL(r.URL.RequestURI()), status, time.Since(start).Round(time.Millisecond), node)
		}()
	}
	if !l.sleep(r.Context(), l.cfg.Latency) {
		return
	}
	if host == opHost {
		l.opServe(sw, r)
		return
	}
	if s, ok := l.sites[host]; ok {
		s.ServeHTTP(sw, r)
		return
	}
	switch host {
	case "", "127.0.0.1", "localhost", "::1":
		l.sites[indexHost].ServeHTTP(sw, r)
	default:
		sw.Header().Set("Cache-Control", "no-store")
		writePage(sw, http.StatusNotFound, "Unknown lab host", host, "",
			`<h1>Unknown host</h1><p id="unknown-host">`+esc(host)+` is not a lab host. See the <a id="index-link" href="`+
				esc(l.URL(""))+`/">lab index</a>.</p>`)
	}
}

// sleep waits for d; false when the client went away or the lab is closing.
func (l *Lab) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-l.closing:
		return false
	}
}

func (l *Lab) logf(format string, args ...any) {
	if l.cfg.Logf != nil {
		l.cfg.Logf(format, args...)
	}
}

// requestHost is the lower-cased host name of a Host header, without port or trailing dot.
func requestHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	} else if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		h = h[1 : len(h)-1]
	}
	return strings.TrimSuffix(h, ".")
}

// redactURL hides session IDs carried in a URL (urlsession.test) from the request log.
func redactURL(u string) string {
	if i := strings.Index(strings.ToLower(u), ";jsessionid="); i >= 0 {
		j := i + len(";jsessionid=")
		k := j
		for k < len(u) && u[k] != '?' && u[k] != '/' && u[k] != ';' && u[k] != '#' {
			k++
		}
		u = u[:j] + "REDACTED" + u[k:]
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		q := strings.Split(u[i+1:], "&")
		for n, kv := range q {
			if k, _, ok := strings.Cut(kv, "="); ok && strings.EqualFold(k, "sid") {
				q[n] = k + "=REDACTED"
			}
		}
		u = u[:i+1] + strings.Join(q, "&")
	}
	return u
}

type logWriter func(format string, args ...any)

func (f logWriter) Write(p []byte) (int, error) {
	f("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// statusWriter records the status for the request log. Unwrap keeps
// http.ResponseController (Hijack, Flush) working.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
