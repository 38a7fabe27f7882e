//go:build conformance

// Package conformance checks the diagnosis against real session libraries:
// each test starts a real server (express-session, Flask, cookie-session,
// PHP, gorilla/sessions, scs, an OpenID Connect provider with a relying
// party and single-page apps), runs a scenario in real Chromium through the
// harness, and asserts what the recording shows and what the analysis
// concludes. Nothing is mocked. `make conformance` installs the stacks and
// runs these tests; see docs/conformance.md.
package conformance

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/internal/proctest"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// hostRules maps every .test name to loopback: Chromium treats localhost
// as a secure origin, so Secure-cookie behaviour only shows on real names.
const hostRules = "MAP *.test 127.0.0.1, EXCLUDE localhost"

// install is the remedy every missing-dependency failure names.
const install = "make conformance installs it"

// password is what the scenarios type as ${env.PASSWORD}.
const password = "conformance-password"

var (
	browserOnce sync.Once
	browser     *harness.Browser
	browserErr  error
)

func TestMain(m *testing.M) {
	before := proctest.Chromium()
	code := m.Run()
	if browser != nil {
		browser.Close()
	}
	// No browser may outlive the run; the servers are checked per test.
	if err := proctest.WaitGone(before, 10*time.Second); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// sharedBrowser is one Chromium for all the tests (each run gets its own
// browser context, so no cookie crosses tests). Started on first use.
func sharedBrowser(t *testing.T) *harness.Browser {
	t.Helper()
	browserOnce.Do(func() {
		if _, err := harness.FindChrome(""); err != nil {
			browserErr = fmt.Errorf("%w (%s)", err, install)
			return
		}
		browser, browserErr = harness.StartBrowser(context.Background(),
			harness.BrowserOptions{HostRules: hostRules, InsecureCerts: true})
	})
	if browserErr != nil {
		t.Fatal(browserErr)
	}
	return browser
}

// selfSigned writes a fresh self-signed certificate for the .test names
// and its key as PEM files in a temporary folder of the test.
func selfSigned(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "shop.test"},
		DNSNames:     []string{"shop.test", "localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// A server is a stack's process, started by the test and stopped (with
// everything it started) when the test ends, failed or not.
type server struct {
	name string
	cmd  *exec.Cmd
	out  *output
	done chan struct{} // closed when the process has exited and been reaped
	err  error         // Wait's result, once done is closed
}

// output collects a process's standard output and error, and hands over
// the first line of standard output (the ports a server reports).
type output struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	first chan string
	line  []byte
	sent  bool
}

type stream struct {
	o      *output
	stdout bool
}

func (s stream) Write(p []byte) (int, error) {
	o := s.o
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	if s.stdout && !o.sent {
		o.line = append(o.line, p...)
		if i := bytes.IndexByte(o.line, '\n'); i >= 0 {
			o.first <- strings.TrimSpace(string(o.line[:i]))
			o.sent = true
		}
	}
	return len(p), nil
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// start runs a server process in its own process group, so that stopping
// it also stops whatever it started. The cleanup stops and reaps it and
// fails the test if any process of the group is left.
func start(t *testing.T, name string, env []string, dir string, argv ...string) *server {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 5 * time.Second
	s := &server{name: name, cmd: cmd, out: &output{first: make(chan string, 1)}, done: make(chan struct{})}
	cmd.Stdout = stream{s.out, true}
	cmd.Stderr = stream{s.out, false}
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	go func() {
		s.err = cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() { s.stop(t) })
	return s
}

func (s *server) stop(t *testing.T) {
	pgid := s.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-s.done
	}
	// The group leader is reaped; kill any member still around and say so.
	if err := syscall.Kill(-pgid, 0); !errors.Is(err, syscall.ESRCH) {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		t.Errorf("%s: a process of its group was still running after the server stopped", s.name)
	}
	if t.Failed() {
		t.Logf("%s output:\n%s", s.name, s.out.String())
	}
}

// ports waits for the JSON line in which a server reports its ports.
func (s *server) ports(t *testing.T) map[string]any {
	t.Helper()
	select {
	case line := <-s.out.first:
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("%s: first line %q is not the JSON of its ports: %v\n%s", s.name, line, err, s.out.String())
		}
		return m
	case <-s.done:
		t.Fatalf("%s exited before it listened (%v):\n%s", s.name, s.err, s.out.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not report its ports within 30s:\n%s", s.name, s.out.String())
	}
	return nil
}

// port is one of the ports a server reported.
func port(t *testing.T, m map[string]any, key string) int {
	t.Helper()
	f, ok := m[key].(float64)
	if !ok || f <= 0 || f > 65535 {
		t.Fatalf("no %s port in %v", key, m)
	}
	return int(f)
}

// waitAccept waits until 127.0.0.1:port accepts connections, while the
// server is still running, up to a deadline.
func (s *server) waitAccept(t *testing.T, port int) {
	t.Helper()
	if err := s.accepting(port); err != nil {
		t.Fatal(err)
	}
}

func (s *server) accepting(port int) error {
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-s.done:
			return fmt.Errorf("%s exited (%v) before %s accepted connections:\n%s", s.name, s.err, addr, s.out.String())
		default:
		}
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: %s did not accept connections within 30s: %v\n%s", s.name, addr, err, s.out.String())
		}
		time.Sleep(50 * time.Millisecond) // poll interval, bounded by the deadline above
	}
}

// freePort finds a free loopback port for servers that cannot report the
// one they bound (php -S needs it on its command line).
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// stackDir returns the absolute path of the stack folder name (node, php,
// flask, browserless): its app runs there, with the folder's files.
func stackDir(t *testing.T, name string) string {
	t.Helper()
	dir, err := filepath.Abs(name)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// nodeModules fails the test when the npm packages of conformance/node
// are not installed.
func nodeModules(t *testing.T, pkgs ...string) string {
	t.Helper()
	return npmFolder(t, "node", pkgs...)
}

// npmFolder fails the test when node or the npm packages pkgs of the
// stack folder name are not installed, and returns the folder.
func npmFolder(t *testing.T, name string, pkgs ...string) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is missing: %s (Debian: apt-get install nodejs npm)", install)
	}
	dir := stackDir(t, name)
	for _, p := range pkgs {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", p, "package.json")); err != nil {
			t.Fatalf("npm package %s is not installed in conformance/%s: %s (npm ci in conformance/%s)", p, name, install, name)
		}
	}
	return dir
}

// serveHTTP starts the app argv in dir, which reports its ports, and
// returns its http port once it accepts there.
func serveHTTP(t *testing.T, name, dir string, argv ...string) int {
	t.Helper()
	srv := start(t, name, nil, dir, argv...)
	p := port(t, srv.ports(t), "http")
	srv.waitAccept(t, p)
	return p
}

// runHTTP runs the scenario file against the stack on port p over plain
// http: the recording, and the base URL of host there.
func runHTTP(t *testing.T, file, host string, p int) (*recording.Recording, string) {
	t.Helper()
	return run(t, file, map[string]string{"HTTP_PORT": fmt.Sprint(p)}), fmt.Sprintf("http://%s:%d/", host, p)
}

// run plays a scenario file of scenarios/ in the shared browser with env
// as its ${env.X} values, and returns the recording as it reads back from
// its JSON (what `sessiontrace audit` would analyse). The scenario must
// pass: a failed one means the stack did not behave as the test assumes.
func run(t *testing.T, file string, env map[string]string) *recording.Recording {
	t.Helper()
	b := sharedBrowser(t)
	sc, err := scenarios.ParseFile(filepath.Join("scenarios", file))
	if err != nil {
		t.Fatal(err)
	}
	env["PASSWORD"] = password
	opts := harness.Options{
		Timeout:  90 * time.Second,
		Dir:      t.TempDir(),
		Redactor: recording.NewRedactor(harness.NewKey(), false),
		Resolver: scenarios.Resolver{Env: func(k string) (string, bool) { v, ok := env[k]; return v, ok }},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rec := b.Run(ctx, sc, opts)
	data, err := recording.Encode(rec)
	if err != nil {
		t.Fatal(err)
	}
	// CONFORMANCE_OUT keeps the recordings, to read or audit by hand.
	if dir := os.Getenv("CONFORMANCE_OUT"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err == nil {
			_ = os.WriteFile(filepath.Join(dir, strings.TrimSuffix(file, ".yaml")+".json"), data, 0o644)
		}
	}
	back, err := recording.Decode(file, data)
	if err != nil {
		t.Fatal(err)
	}
	if back.Status != recording.StatusPassed {
		t.Fatalf("scenario %s: %s: %s", file, back.Status, back.Error)
	}
	if back.Protocol.DecodeErrors != 0 || back.Protocol.MissingExtraInfo != 0 {
		t.Errorf("scenario %s: the recording is incomplete: %+v", file, back.Protocol)
	}
	return back
}

// Recording helpers.

// all returns the elements of xs that keep keeps, in order.
func all[T any](xs []T, keep func(T) bool) []T {
	var out []T
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// first returns the first element of xs that keep keeps.
func first[T any](xs []T, keep func(T) bool) (T, bool) {
	if i := slices.IndexFunc(xs, keep); i >= 0 {
		return xs[i], true
	}
	var zero T
	return zero, false
}

// requests returns the requests whose method is method and whose URL
// starts with prefix.
func requests(r *recording.Recording, method, prefix string) []*recording.Request {
	var out []*recording.Request
	for i := range r.Requests {
		out = append(out, &r.Requests[i])
	}
	return all(out, func(q *recording.Request) bool { return q.Method == method && strings.HasPrefix(q.URL, prefix) })
}

// documents keeps the page loads of qs (not the favicon and other
// subresources, whose responses the browser may not report).
func documents(qs []*recording.Request) []*recording.Request {
	return all(qs, func(q *recording.Request) bool { return q.ResourceType == "Document" })
}

// wantDocuments returns the n documents requested with method at url (a
// prefix), failing t when there are not n.
func wantDocuments(t *testing.T, r *recording.Recording, method, url string, n int) []*recording.Request {
	t.Helper()
	qs := documents(requests(r, method, url))
	if len(qs) != n {
		t.Fatalf("%d %s %s documents, want %d", len(qs), method, url, n)
	}
	return qs
}

func sentCookie(q *recording.Request, name string) (recording.SentCookie, bool) {
	return first(q.CookiesSent, func(c recording.SentCookie) bool { return c.Name == name })
}

func withheldCookie(q *recording.Request, name string) (recording.SentCookie, bool) {
	return first(q.CookiesWithheld, func(c recording.SentCookie) bool { return c.Name == name })
}

// setCookies returns the Set-Cookie lines of q for name.
func setCookies(q *recording.Request, name string) []recording.SetCookie {
	return all(q.SetCookies, func(sc recording.SetCookie) bool { return sc.Name == name })
}

// setCookie returns the one Set-Cookie line of q for name, failing the test
// when there is not exactly one.
func setCookie(t *testing.T, q *recording.Request, name string) recording.SetCookie {
	t.Helper()
	scs := setCookies(q, name)
	if len(scs) != 1 {
		t.Fatalf("%s %s: %d Set-Cookie lines for %s, want 1 (%v)", q.Method, q.URL, len(scs), name, q.SetCookies)
	}
	return scs[0]
}

// jarCookie returns the cookie name in the jar after step i.
func jarCookie(r *recording.Recording, i int, name string) (recording.Cookie, bool) {
	return first(r.Steps[i].Jar, func(c recording.Cookie) bool { return c.Name == name })
}

// stepOf returns the index of the first step of kind with the given as
// marker ("" for any), failing the test when there is none.
func stepOf(t *testing.T, r *recording.Recording, kind recording.StepKind, as recording.Boundary) int {
	t.Helper()
	for _, s := range r.Steps {
		if s.Kind == kind && (as == "" || s.As == as) {
			return s.Index
		}
	}
	t.Fatalf("no %s step (as %q) in the recording", kind, as)
	return -1
}

// wantAuth asserts the logged-in state the harness recorded after step i
// (steps[i].auth), which the scenarios' markers make checkable: the
// loggedIn selector on account pages, the loggedOut one on login pages.
func wantAuth(t *testing.T, r *recording.Recording, i int, state recording.LoginState) {
	t.Helper()
	wantAuthBy(t, r, i, state, recording.AuthByMarker)
}

// authSubtest runs the harness/auth subtest of a journey whose markers
// show the user logged in after step in and logged out after step out.
func authSubtest(t *testing.T, r *recording.Recording, in, out int) {
	t.Helper()
	t.Run("harness/auth", func(t *testing.T) {
		wantAuth(t, r, in, recording.AuthIn)
		wantAuth(t, r, out, recording.AuthOut)
	})
}

// wantAuthBy asserts the logged-in state after step i, resting on one of
// sources (a page that renders its markers by script after the step's
// load may leave the step's own state to a heuristic).
func wantAuthBy(t *testing.T, r *recording.Recording, i int, state recording.LoginState, sources ...recording.AuthSource) {
	t.Helper()
	a := r.Steps[i].Auth
	if a == nil || a.State != state || !slices.Contains(sources, a.Source) {
		t.Errorf("expected steps[%d].auth = {state: %s, source: one of %v} (the scenario's logged-in markers on %s); got %+v", i, state, sources, r.Steps[i].URL, a)
	}
}

// Analysis helpers. The expected diagnosis is written down even where the
// analysis does not give it yet: the messages say what was expected and
// what came, so a failure reads as a to-do.

func findings(rep *analysis.Report, rule string) []analysis.Finding {
	return all(rep.Findings, func(f analysis.Finding) bool { return f.Rule == rule })
}

// resets are the report's resets, the session cookies' and the Web
// Storage tokens'.
func resets(rep *analysis.Report) []analysis.Reset { return rep.Resets() }

func rules(rep *analysis.Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, fmt.Sprintf("%s(%s, step %d)", f.Rule, f.Severity, f.Step))
	}
	return out
}

func describeResets(rs []analysis.Reset) string {
	if len(rs) == 0 {
		return "none"
	}
	var b strings.Builder
	for i, r := range rs {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s at step %d (basis %q): %s", r.Cause, r.Step, r.Basis, r.Detail)
	}
	return b.String()
}

// wantNoResets asserts the journey has no session reset.
func wantNoResets(t *testing.T, rep *analysis.Report, why string) {
	t.Helper()
	if rs := resets(rep); len(rs) != 0 {
		t.Errorf("expected no session reset (%s); got %d: %s", why, len(rs), describeResets(rs))
	}
}

// wantFinding asserts that rule was found (at severity sev when sev is
// not empty) and returns the findings.
func wantFinding(t *testing.T, rep *analysis.Report, rule string, sev analysis.Severity, why string) []analysis.Finding {
	t.Helper()
	fs := findings(rep, rule)
	if len(fs) == 0 {
		t.Errorf("expected a %s finding (%s); got findings %v", rule, why, rules(rep))
		return nil
	}
	if sev != "" && !slices.ContainsFunc(fs, func(f analysis.Finding) bool { return f.Severity == sev }) {
		t.Errorf("expected %s at severity %s (%s); got %v", rule, sev, why, rules(rep))
	}
	return fs
}

// wantNoFinding asserts that rule was not found.
func wantNoFinding(t *testing.T, rep *analysis.Report, rule, why string) {
	t.Helper()
	if fs := findings(rep, rule); len(fs) != 0 {
		t.Errorf("expected no %s finding (%s); got %d: %s", rule, why, len(fs), fs[0].Message)
	}
}

// wantServerSideDoneRight asserts the diagnosis of a server-side store
// done right, each with why the stack deserves it: no fixation (rotated),
// invalidated on the server and deleted in the browser at logout
// (destroyed), not client-side
// (opaque), and no reset (resets).
func wantServerSideDoneRight(t *testing.T, rep *analysis.Report, rotated, destroyed, opaque, noResets string) {
	t.Helper()
	wantNoFinding(t, rep, analysis.RuleSessionFixation, rotated)
	wantNoFinding(t, rep, analysis.RuleSessionNotInvalidated, destroyed)
	wantNoFinding(t, rep, analysis.RuleSessionLogoutIncomplete, destroyed)
	wantNoFinding(t, rep, "SESSION-CLIENT-SIDE", opaque)
	wantNoResets(t, rep, noResets)
}

// sessionReport returns the report of the session cookie name.
func sessionReport(rep *analysis.Report, name string) *analysis.SessionReport {
	if i := slices.IndexFunc(rep.Sessions, func(s analysis.SessionReport) bool { return s.Cookie == name }); i >= 0 {
		return &rep.Sessions[i]
	}
	return nil
}

func sessionNames(rep *analysis.Report) []string {
	var out []string
	for _, s := range rep.Sessions {
		out = append(out, s.Cookie)
	}
	return out
}
