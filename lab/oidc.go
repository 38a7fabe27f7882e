package lab

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// op.test is a real OpenID Connect provider: panva's oidc-provider (an npm
// package, pinned by lab/oidc/package-lock.json) run by node as a child
// process of the lab. The process listens on 127.0.0.1 on a free port with
// plain HTTP, and the lab reverse-proxies https://op.test:PORT to it: that
// keeps the lab's one certificate, its one HTTPS port (which ${lab.op} and
// --lab-ports already name) and its request log, and the browser needs no
// rule beyond the lab's MAP *.test.
//
// The process starts with the first request to op.test, not with the lab:
// every other host (and every test of them) would otherwise pay for a node
// start, and need the npm install, for nothing. Close stops it.

const opHost = "op.test"

// opStartTimeout bounds how long the first op.test request waits for node.
const opStartTimeout = 30 * time.Second

// opInstall is the step that installs the provider, for error messages.
const opInstall = "make lab-oidc (or npm ci in lab/oidc)"

type opProcess struct {
	lab *Lab

	mu      sync.Mutex
	cmd     *exec.Cmd
	stdin   io.WriteCloser // closing it tells node to exit
	exited  chan struct{}
	proxy   *httputil.ReverseProxy
	stopped bool
	stderr  *tailBuffer
}

// opDir finds lab/oidc: Config.OIDCDir, else in the working directory or
// one of its parents (the repository, from any package's tests or from make
// demo), else next to this source file (go run, go test elsewhere).
func (l *Lab) opDir() (string, error) {
	if l.cfg.OIDCDir != "" {
		return l.cfg.OIDCDir, nil
	}
	var tried []string
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			for _, c := range []string{filepath.Join(d, "lab", "oidc"), filepath.Join(d, "oidc")} {
				if _, err := os.Stat(filepath.Join(c, "server.js")); err == nil {
					return c, nil
				}
			}
			if filepath.Dir(d) == d {
				break
			}
		}
		tried = append(tried, wd+" and its parents")
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		c := filepath.Join(filepath.Dir(file), "oidc")
		if _, err := os.Stat(filepath.Join(c, "server.js")); err == nil {
			return c, nil
		}
		tried = append(tried, c)
	}
	return "", fmt.Errorf("op.test: lab/oidc (the provider's server.js) not found in %s; set Config.OIDCDir", strings.Join(tried, ", "))
}

// ensure starts the provider unless it runs; it returns the proxy to it.
func (op *opProcess) ensure(ctx context.Context) (*httputil.ReverseProxy, error) {
	op.mu.Lock()
	defer op.mu.Unlock()
	if op.stopped {
		return nil, errors.New("op.test: the lab is closing")
	}
	if op.cmd != nil {
		select {
		case <-op.exited:
			// It died (killed from outside?): start a new one; the old sessions are gone,
			// as after any restart of a provider with an in-memory store.
			op.lab.logf("op.test: the provider exited (%v); starting it again", op.cmd.ProcessState)
			op.cmd = nil
		default:
			return op.proxy, nil
		}
	}
	return op.startLocked(ctx)
}

func (op *opProcess) startLocked(ctx context.Context) (*httputil.ReverseProxy, error) {
	l := op.lab
	dir, err := l.opDir()
	if err != nil {
		return nil, err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("op.test: node is not installed (Node.js 20 or later, with npm; then %s)", opInstall)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "oidc-provider", "package.json")); err != nil {
		return nil, fmt.Errorf("op.test: the npm package oidc-provider is not installed in %s: run %s", filepath.Join(dir, "node_modules"), opInstall)
	}
	clients, err := json.Marshal(l.rpClients())
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(node, "server.js")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "OP_ISSUER="+l.URL(opHost), "OP_CLIENTS="+string(clients), "NODE_ENV=development")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	op.stderr = &tailBuffer{max: 8 << 10}
	cmd.Stderr = op.stderr
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("op.test: %w", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	stop := func() {
		_ = stdin.Close()
		_ = cmd.Process.Kill()
		<-exited
	}

	// The first line of the form {"port": N} says where it listens; node may print
	// warnings before it.
	portc := make(chan int, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			var m struct{ Port int }
			if !sent && json.Unmarshal(sc.Bytes(), &m) == nil && m.Port > 0 {
				portc <- m.Port
				sent = true
				continue
			}
			l.logf("op.test: %s", sc.Text())
		}
	}()
	var port int
	t := time.NewTimer(opStartTimeout)
	defer t.Stop()
	select {
	case port = <-portc:
	case <-exited:
		return nil, fmt.Errorf("op.test: the provider exited before it listened (%v): %s", cmd.ProcessState, op.stderr.String())
	case <-t.C:
		stop()
		return nil, fmt.Errorf("op.test: the provider did not listen within %s: %s", opStartTimeout, op.stderr.String())
	case <-ctx.Done():
		stop()
		return nil, ctx.Err()
	case <-l.closing:
		stop()
		return nil, errors.New("op.test: the lab is closing")
	}

	target := &url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", port)}
	op.proxy = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host // the provider builds its URLs from the name the browser used
			pr.SetXForwarded()
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			l.logf("op.test: proxy: %v", err)
			opUnavailable(w, "The identity provider did not answer: "+err.Error())
		},
	}
	op.cmd, op.stdin, op.exited = cmd, stdin, exited
	return op.proxy, nil
}

// stop ends the provider: its standard input closes (node exits by itself),
// then it is killed if it is still there after a moment. Later requests get
// no new process.
func (op *opProcess) stop() {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.stopped = true
	if op.cmd == nil {
		return
	}
	_ = op.stdin.Close()
	select {
	case <-op.exited:
	case <-time.After(2 * time.Second):
		_ = op.cmd.Process.Kill()
		<-op.exited
	}
}

// pid is the running provider's process ID, 0 when none (for tests).
func (op *opProcess) pid() int {
	op.mu.Lock()
	defer op.mu.Unlock()
	if op.cmd == nil {
		return 0
	}
	return op.cmd.Process.Pid
}

func (l *Lab) opServe(w http.ResponseWriter, r *http.Request) {
	// Go's HTTP client refuses to forward a header with control characters (Go's
	// server lets some through): answer 400 as a server that checks them would,
	// not the proxy's 503.
	for _, vs := range r.Header {
		for _, v := range vs {
			if strings.ContainsFunc(v, func(c rune) bool { return c < 0x20 && c != '\t' || c == 0x7f }) {
				w.Header().Set("Cache-Control", "no-store")
				writePage(w, http.StatusBadRequest, "Bad request - op.test", opHost, "", `<h1 id="error">400 Bad request</h1>`)
				return
			}
		}
	}
	proxy, err := l.op.ensure(r.Context())
	if err != nil {
		l.logf("%v", err)
		opUnavailable(w, err.Error())
		return
	}
	proxy.ServeHTTP(w, r)
}

func opUnavailable(w http.ResponseWriter, msg string) {
	w.Header().Set("Cache-Control", "no-store")
	writePage(w, http.StatusServiceUnavailable, "Unavailable - op.test", opHost, "",
		`<h1 id="op-unavailable">The identity provider is not running</h1><p id="op-unavailable-reason">`+esc(msg)+`</p>`)
}

// tailBuffer keeps the last max bytes written to it (node's stderr, for
// error messages).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.b))
}
