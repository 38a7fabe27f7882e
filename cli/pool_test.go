package cli

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/internal/proctest"
	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
)

// A remoteChromium is a browser the test starts with a DevTools port, as a
// CI job's browser service or a pool member is.
type remoteChromium struct {
	cmd  *exec.Cmd
	port string
}

// startRemoteChromium starts Chromium listening on a free loopback port;
// it is killed when the test ends.
func startRemoteChromium(t *testing.T, args ...string) *remoteChromium {
	t.Helper()
	chrome, err := harness.FindChrome("")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	args = append([]string{"--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + filepath.Join(dir, "profile")}, args...)
	cmd := exec.CommandContext(ctx, chrome, append(args, "about:blank")...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// Its own files in $TMPDIR go in the test's directory: a browser ended
	// by SIGKILL leaves them behind.
	cmd.Env = append(os.Environ(), "TMPDIR="+dir)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		cancel()
	})
	wsRE := regexp.MustCompile(`DevTools listening on (ws://127\.0\.0\.1:(\d+)/\S+)`)
	rc := &remoteChromium{cmd: cmd}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := wsRE.FindStringSubmatch(sc.Text()); m != nil {
			rc.port = m[2]
			break
		}
	}
	if rc.port == "" {
		t.Fatal("the remote browser printed no DevTools address")
	}
	go func() {
		for sc.Scan() {
		}
	}()
	return rc
}

// kill ends the browser and its helpers at once, as a pod that dies.
func (rc *remoteChromium) kill() { syscall.Kill(-rc.cmd.Process.Pid, syscall.SIGKILL) }

// Four workers over two browsers, one killed while it runs scenarios: only
// those are lost, --retries runs them again on the live member, every
// scenario has its recordings.
func TestBrowserPoolSurvivesADeadMember(t *testing.T) {
	const members, workers, scenarios = 2, 4, 8
	var pool [members]*remoteChromium
	for i := range pool {
		pool[i] = startRemoteChromium(t, fmt.Sprintf("--user-agent=sessiontrace-test member%d", i))
	}
	before := proctest.Chromium()
	// Every scenario holds its first page until both members run one (so
	// each surely has a scenario in flight), then member 1 is killed.
	var (
		mu       sync.Mutex
		seen     = map[string]bool{}
		released = make(chan struct{})
		once     sync.Once
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua := r.UserAgent()
		if r.URL.Path == "/hold" {
			mu.Lock()
			seen[ua[strings.LastIndex(ua, " ")+1:]] = true
			all := len(seen) == members
			mu.Unlock()
			if all {
				once.Do(func() { pool[1].kill(); close(released) })
			}
			select {
			case <-released:
			case <-time.After(60 * time.Second):
				http.Error(w, "not every member got a scenario", http.StatusInternalServerError)
				return
			case <-r.Context().Done():
				return
			}
		}
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "0123456789abcdef0123", Path: "/", HttpOnly: true})
		fmt.Fprint(w, "<title>pool</title><p id=x>hello</p>")
	}))
	defer srv.Close()
	dir := t.TempDir()
	var files []string
	for i := range scenarios {
		files = append(files, writeScenario(t, dir, fmt.Sprintf("s%d.yaml", i),
			fmt.Sprintf("name: s%d\ntarget: %s\nsteps:\n  - goto: /hold\n  - goto: /\n  - expect: { text: { selector: \"#x\", equals: hello } }\n", i, srv.URL)))
	}
	out := filepath.Join(dir, "run")
	args := []string{"run", "-q", "-j", fmt.Sprint(workers), "--retries", "1", "--timeout", "90s", "-o", out}
	for _, rc := range pool {
		args = append(args, "--browser-url", "http://127.0.0.1:"+rc.port)
	}
	code, stdout, stderr := runCLI(t, append(args, files...)...)
	select {
	case <-released:
	default:
		t.Fatalf("the members never ran scenarios at once (seen %v)\n%s%s", seen, stdout, stderr)
	}
	ix := rectest.ReadIndex(t, out)
	if code != ExitOK || ix.Totals.Passed != scenarios || ix.Totals.Flaky < 1 {
		t.Fatalf("exit %d, totals %+v: want all %d passed, the killed member's scenario flaky\n%s%s", code, ix.Totals, scenarios, stdout, stderr)
	}
	var died int
	for _, e := range ix.Scenarios {
		for _, a := range e.Attempts {
			r := readRec(t, out, a)
			if r.Status == recording.StatusErrored && strings.Contains(strings.Join(r.Warnings, " "), "died during this scenario") {
				died++
			}
		}
	}
	if died == 0 {
		t.Fatal("no attempt recorded that its browser died")
	}
	for _, e := range ix.Scenarios {
		if e.Recording == "" || len(readRec(t, out, e.Recording).Steps) == 0 {
			t.Errorf("%s: no recording of its steps", e.Name)
		}
	}
	// No browser of the run's own is left (it started none), and the live
	// member still runs: the suite only detached from it.
	// The members are this test's own: their new helper processes (a
	// network service started for a new context) are not the run's.
	for _, pid := range proctest.Leftovers(before) {
		ours := false
		for _, rc := range pool {
			ours = ours || pid == rc.cmd.Process.Pid || proctest.Descends(pid, rc.cmd.Process.Pid)
		}
		if !ours {
			t.Errorf("Chromium process %d is left behind and is no member's", pid)
		}
	}
	if err := syscall.Kill(pool[0].cmd.Process.Pid, 0); err != nil {
		t.Fatal("the run closed member 0")
	}
}
