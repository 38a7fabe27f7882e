package cli

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/web"
)

// rawGet sends a request line as written (no client-side cleaning of the
// path) and returns the status code and body.
func rawGet(t *testing.T, base, target string, header ...string) (int, http.Header, []byte) {
	t.Helper()
	host := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/")
	c, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	req := "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
	for _, h := range header {
		if strings.HasPrefix(h, "Host:") {
			req = strings.Replace(req, "Host: "+host+"\r\n", "", 1)
		}
		req += h + "\r\n"
	}
	if _, err := io.WriteString(c, req+"\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, body
}

func TestServeRefusesPathsOutsideDir(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "run")
	os.MkdirAll(filepath.Join(dir, "recordings"), 0o755)
	os.WriteFile(filepath.Join(dir, "index.json"), []byte(`{"schema":"sessiontrace.run/v1"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "recordings", "a.json"), []byte(`{}`), 0o644)
	os.WriteFile(filepath.Join(dir, ".hidden"), []byte(`secret`), 0o644)
	os.WriteFile(filepath.Join(root, "outside.txt"), []byte("SECRET-OUTSIDE"), 0o644)
	if err := os.Symlink(filepath.Join(root, "outside.txt"), filepath.Join(dir, "escape.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(root, filepath.Join(dir, "up")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("recordings/a.json", filepath.Join(dir, "inside.json")); err != nil {
		t.Fatal(err)
	}
	base := serveDir(t, dir)
	for _, target := range []string{
		"/run/../outside.txt",
		"/run/%2e%2e/outside.txt",
		"/run/%2E%2E%2Foutside.txt",
		"/run/recordings/../../outside.txt",
		"/run/recordings/..%2f..%2foutside.txt",
		"/run//etc/passwd",
		"/run/%2fetc%2fpasswd",
		"/run/..\\outside.txt",
		"/run/escape.json",
		"/run/up/outside.txt",
		"/run/.hidden",
		"/run/recordings/%00a.json",
		"/../outside.txt",
		"/run/C:/Windows/win.ini",
	} {
		code, _, body := rawGet(t, base, target)
		if code == http.StatusOK || bytes.Contains(body, []byte("SECRET")) {
			t.Errorf("GET %s: %d %q", target, code, body)
		}
	}
	for target, want := range map[string]string{"/run/index.json": "sessiontrace.run/v1", "/run/inside.json": "{}", "/run/recordings/a.json": "{}"} {
		code, h, body := rawGet(t, base, target)
		if code != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d %q", target, code, body)
		}
		if h.Get("Content-Type") != "application/json" {
			t.Errorf("GET %s: Content-Type %q", target, h.Get("Content-Type"))
		}
	}
}

func TestServeHeadersMIMEAndGzip(t *testing.T) {
	dir, _ := labRun(t)
	base := serveDir(t, dir)
	wasm, err := fs.ReadFile(web.FS(), "inspector.wasm")
	if err != nil {
		t.Fatal(err)
	}
	for _, gz := range []bool{false, true} {
		var hdr []string
		if gz {
			hdr = []string{"Accept-Encoding: gzip, deflate"}
		}
		code, h, body := rawGet(t, base, "/inspector.wasm", hdr...)
		if code != 200 || h.Get("Content-Type") != "application/wasm" {
			t.Fatalf("inspector.wasm: %d %q", code, h.Get("Content-Type"))
		}
		if gz {
			if h.Get("Content-Encoding") != "gzip" {
				t.Fatal("no gzip for a client that accepts it")
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(zr)
		} else if h.Get("Content-Encoding") != "" {
			t.Fatalf("gzip for a client that did not ask: %q", h.Get("Content-Encoding"))
		}
		if !bytes.Equal(body, wasm) {
			t.Errorf("gzip=%v: the served wasm differs from the embedded one", gz)
		}
	}
	// A recording, compressed on the fly.
	want, _ := os.ReadFile(filepath.Join(dir, "recordings", "mixed.json"))
	code, h, body := rawGet(t, base, "/run/recordings/mixed.json", "Accept-Encoding: gzip")
	if code != 200 || h.Get("Content-Encoding") != "gzip" {
		t.Fatalf("recording: %d, encoding %q", code, h.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, want) {
		t.Errorf("the gzipped recording differs from the file")
	}
	for _, target := range []string{"/", "/run/index.json", "/boot.js", "/nope"} {
		_, h, _ := rawGet(t, base, target)
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self' 'wasm-unsafe-eval'") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: CSP %q", target, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", target)
		}
	}
	for target, ctype := range map[string]string{"/": "text/html; charset=utf-8", "/style.css": "text/css; charset=utf-8", "/boot.js": "text/javascript; charset=utf-8", "/wasm_exec.js": "text/javascript; charset=utf-8"} {
		if code, h, _ := rawGet(t, base, target); code != 200 || h.Get("Content-Type") != ctype {
			t.Errorf("%s: %d %q", target, code, h.Get("Content-Type"))
		}
	}
	// DNS rebinding: another host name is refused on loopback.
	if code, _, _ := rawGet(t, base, "/run/index.json", "Host: evil.example:80"); code != http.StatusMisdirectedRequest {
		t.Errorf("a foreign Host header got %d", code)
	}
	if code, _, _ := rawGet(t, base, "/run/index.json", "Host: localhost"); code != 200 {
		t.Errorf("Host: localhost got %d", code)
	}
}

// syncBuffer is a bytes.Buffer safe for a command writing while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runServe runs serve with args until stop is called. Its standard output
// arrives line by line on lines.
func runServe(t *testing.T, args ...string) (lines chan string, errOut *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	old := serveContext
	serveContext = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	pr, pw := io.Pipe()
	lines = make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	errOut = &syncBuffer{}
	e := &env{stdout: pw, stderr: errOut, getenv: os.Getenv, lookupEnv: os.LookupEnv}
	done := make(chan int, 1)
	go func() {
		code := serveCmd(e, args)
		pw.Close()
		done <- code
	}()
	stopped := false
	code := 0
	stop = func() int {
		if !stopped {
			cancel()
			code = <-done
			serveContext = old
			stopped = true
		}
		return code
	}
	t.Cleanup(func() { stop() })
	return lines, errOut, stop
}

// readUntil reads lines until one contains want.
func readUntil(t *testing.T, lines chan string, want string) []string {
	t.Helper()
	var got []string
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("output ended without %q: %q", want, got)
			}
			got = append(got, l)
			if strings.Contains(l, want) {
				return got
			}
		case <-timeout:
			t.Fatalf("no %q in the output: %q", want, got)
		}
	}
}

func TestServeCommand(t *testing.T) {
	dir, _ := labRun(t)
	lines, errOut, stop := runServe(t, "--port", "0", dir)
	got := readUntil(t, lines, "Ctrl-C to stop")
	url := strings.TrimPrefix(got[0], "inspector: ")
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/") {
		t.Fatalf("URL line %q", got[0])
	}
	resp, err := http.Get(url + "run/index.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET run/index.json: %d", resp.StatusCode)
	}
	if code := stop(); code != ExitOK || errOut.String() != "" {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}

	// Another address warns; --open says when there is no browser opener.
	t.Setenv("PATH", t.TempDir())
	lines, errOut, stop = runServe(t, "--addr", "0.0.0.0", "--port", "0", "--open", dir)
	got = readUntil(t, lines, "yourself")
	if !strings.HasPrefix(got[0], "inspector: http://127.0.0.1:") {
		t.Errorf("URL for a wildcard bind: %q", got[0])
	}
	if !strings.Contains(errOut.String(), "warning: serving on 0.0.0.0") {
		t.Errorf("no warning for a non-loopback address: %q", errOut.String())
	}
	stop()

	// A port in use is an error that says what to do.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strings.TrimPrefix(ln.Addr().String(), "127.0.0.1:")
	var out, eb bytes.Buffer
	if code := serveCmd(&env{stdout: &out, stderr: &eb, getenv: os.Getenv, lookupEnv: os.LookupEnv}, []string{"--port", port, dir}); code != ExitUsage || !strings.Contains(eb.String(), "--port 0") {
		t.Errorf("port in use: exit %d, %q", code, eb.String())
	}
}

func TestServeUsageErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f.json")
	os.WriteFile(file, []byte("{}"), 0o644)
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := serveCmd(&env{stdout: &out, stderr: &errb, getenv: os.Getenv, lookupEnv: os.LookupEnv}, args)
		return code, out.String(), errb.String()
	}
	for _, args := range [][]string{
		{"/no/such/dir"},
		{file},
		{t.TempDir(), t.TempDir()},
		{"--port", "70000", t.TempDir()},
		{"--nope"},
	} {
		if code, _, stderr := run(args...); code != ExitUsage || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	if code, out, _ := run("--help"); code != ExitOK || !strings.Contains(out, "--port") || !strings.Contains(out, "8300") {
		t.Errorf("serve --help: %d %q", code, out)
	}
}

// A busy port is a usage error (exit 2) that names a free port to use
// instead.
func TestServeBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	code, _, stderr := runCLI(t, "serve", "--port", strconv.Itoa(port), t.TempDir())
	m := regexp.MustCompile(`^sessiontrace serve: 127\.0\.0\.1:(\d+) is in use \(another serve\?\): try --port (\d+), free now, or --port 0 for any free port\n$`).FindStringSubmatch(stderr)
	if code != ExitUsage || m == nil || m[1] != strconv.Itoa(port) {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if p, _ := strconv.Atoi(m[2]); p <= port {
		t.Errorf("suggested port %d, want one above %d", p, port)
	}
}

// Ctrl-C stops serve within a second, even while a large file is being
// sent to a client that does not read it.
func TestServeStopsWithinASecond(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), make([]byte, 64<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	lines, _, stop := runServe(t, "--port", "0", dir)
	got := readUntil(t, lines, "Ctrl-C to stop")
	addr := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(got[0], "inspector: "), "http://"), "/")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /run/big.bin HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	status := make([]byte, 12)
	if _, err := io.ReadFull(conn, status); err != nil || string(status) != "HTTP/1.1 200" {
		t.Fatalf("response %q, %v", status, err)
	}
	// The handler is now writing 64 MiB that nobody reads.
	start := time.Now()
	code := stop()
	if d := time.Since(start); code != ExitOK || d > time.Second {
		t.Errorf("serve stopped after %v with exit %d; want 0 within 1s", d.Round(time.Millisecond), code)
	}
}
