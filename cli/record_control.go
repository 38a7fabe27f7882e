package cli

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// A recording is controlled through its run folder: while it runs, DIR
// holds .record.lock, a JSON file (mode 0600) with the recorder's pid and
// the address and token of a small HTTP endpoint on 127.0.0.1. The file
// stops a second recorder from writing into the same folder, and
// `record --stop -o DIR` posts to the endpoint to end the recording as
// Ctrl-C does, then waits until the files are written. A lock whose
// endpoint does not answer is left by a recorder that was killed: the
// next record or record --stop removes it.

// lockName is the control file's name in the run folder.
const lockName = ".record.lock"

// lockFile is the content of .record.lock.
type lockFile struct {
	PID     int       `json:"pid"`
	Addr    string    `json:"addr"`
	Token   string    `json:"token"`
	Started time.Time `json:"started"`
}

// recordStatus is what the endpoint's GET /status answers.
type recordStatus struct {
	Ready    bool   `json:"ready"`  // the browser tab records
	Target   string `json:"target"` // its DevTools target id
	Steps    int    `json:"steps"`
	Requests int    `json:"requests"`
	Events   int    `json:"events"`
	Settled  bool   `json:"settled"` // the page is quiet and the jar after the last step read
	Last     string `json:"last"`
}

// recordLock is a running recording's lock and endpoint.
type recordLock struct {
	path  string
	lf    lockFile
	srv   *http.Server
	stop  func() // ends the recording as the user meant to
	owned bool   // the file is this recorder's

	mu       sync.Mutex
	status   func() recordStatus
	summary  string
	finished chan struct{}
	once     sync.Once
}

// takeLock checks that no recorder writes into dir, removes a lock a
// killed one left, and starts the endpoint; write creates the file once
// the folder is ready.
func takeLock(dir string, stop func()) (*recordLock, error) {
	path := filepath.Join(dir, lockName)
	if lf, err := readLock(path); err == nil {
		if _, err := lf.get("/status"); err == nil {
			return nil, fmt.Errorf("a recording (pid %d) already writes into %s: stop it first (sessiontrace record --stop -o %s)", lf.PID, dir, dir)
		}
		_ = os.Remove(path) // its recorder is gone
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("starting the control endpoint: %w", err)
	}
	tok := make([]byte, 16)
	_, _ = rand.Read(tok)
	l := &recordLock{path: path, stop: stop, finished: make(chan struct{}),
		lf: lockFile{PID: os.Getpid(), Addr: ln.Addr().String(), Token: hex.EncodeToString(tok), Started: time.Now()}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /stop", l.auth(l.serveStop))
	mux.HandleFunc("GET /status", l.auth(func(w http.ResponseWriter, _ *http.Request) {
		l.mu.Lock()
		st := recordStatus{}
		if l.status != nil {
			st = l.status()
		}
		l.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(st)
	}))
	l.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = l.srv.Serve(ln) }()
	return l, nil
}

// setStatus gives the endpoint the recording's live state.
func (l *recordLock) setStatus(f func() recordStatus) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.status = f
}

// auth lets only the holder of the lock file's token in.
func (l *recordLock) auth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(got), []byte(l.lf.Token)) != 1 {
			http.Error(w, "wrong or missing token (it is in the run folder's "+lockName+")", http.StatusUnauthorized)
			return
		}
		h(w, r)
	}
}

// serveStop ends the recording and answers once its files are written.
func (l *recordLock) serveStop(w http.ResponseWriter, r *http.Request) {
	l.stop()
	select {
	case <-l.finished:
		l.mu.Lock()
		msg := l.summary
		l.mu.Unlock()
		fmt.Fprintln(w, msg)
	case <-r.Context().Done():
	case <-time.After(2 * time.Minute):
		http.Error(w, "the recorder did not finish writing in 2 minutes", http.StatusGatewayTimeout)
	}
}

// write creates the lock file.
func (l *recordLock) write() error {
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("another recording started writing into %s at the same time", filepath.Dir(l.path))
	}
	if err != nil {
		return err
	}
	l.owned = true
	if err := json.NewEncoder(f).Encode(l.lf); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// done says that the files are written: a waiting record --stop gets
// summary.
func (l *recordLock) done(summary string) {
	l.mu.Lock()
	l.summary = summary
	l.mu.Unlock()
	l.once.Do(func() { close(l.finished) })
}

// release removes the lock file and ends the endpoint, after answering a
// record --stop that waits.
func (l *recordLock) release() {
	l.done("the recording ended with an error (see the recorder's output)")
	if l.owned {
		_ = os.Remove(l.path)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = l.srv.Shutdown(ctx)
}

func readLock(path string) (lockFile, error) {
	var lf lockFile
	data, err := os.ReadFile(path)
	if err != nil {
		return lf, err
	}
	if err := json.Unmarshal(data, &lf); err != nil || lf.Addr == "" {
		return lf, fmt.Errorf("%s is not a recording's lock file", path)
	}
	return lf, nil
}

// lockClient talks to a recorder's endpoint; only on 127.0.0.1, and
// never through a proxy.
var lockClient = &http.Client{Transport: &http.Transport{Proxy: nil}}

// call sends a request to the endpoint of lf and returns the answer's
// body; an answer other than 200 is an error.
func (lf lockFile) call(method, path string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, "http://"+lf.Addr+path, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+lf.Token)
	resp, err := lockClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	return strings.TrimSpace(string(body)), nil
}

func (lf lockFile) get(path string) (string, error) {
	return lf.call(http.MethodGet, path, 2*time.Second)
}

// stopRecording is record --stop: it ends the recording that writes into
// dir and waits until its files are written.
func stopRecording(e *env, dir string) int {
	path := filepath.Join(dir, lockName)
	lf, err := readLock(path)
	if errors.Is(err, os.ErrNotExist) {
		sayf(e, "record", "--stop: no recording writes into %s (there is no %s): give the -o DIR of the recording", dir, path)
		return ExitFailed
	}
	if err != nil {
		sayf(e, "record", "--stop: %v", err)
		return ExitFailed
	}
	msg, err := lf.call(http.MethodPost, "/stop", 3*time.Minute)
	var op *net.OpError
	if errors.As(err, &op) {
		_ = os.Remove(path)
		sayf(e, "record", "--stop: the recorder (pid %d) that wrote %s is not running any more; what it had recorded is in %s, marked interrupted. Removed the lock.", lf.PID, path, dir)
		return ExitFailed
	}
	if err != nil {
		sayf(e, "record", "--stop: %v", err)
		return ExitFailed
	}
	fmt.Fprintln(e.stdout, msg)
	return ExitOK
}
