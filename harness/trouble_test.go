package harness_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// A site that cannot be reached is trouble (errored), not the site's
// verdict, and the error says what to do about it; a step that waited for
// its selector in vain says what it found.
func TestTroubleIsExplained(t *testing.T) {
	needChrome(t)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<title>t</title><p id=shown>here</p><p id=gone style="display:none">hidden</p><div style="display:none"><span class=v>a</span><span class=v>b</span></div>`)
	}))
	defer page.Close()
	tlsPage := httptest.NewTLSServer(page.Config.Handler)
	defer tlsPage.Close()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := closed.Addr().(*net.TCPAddr).Port
	closed.Close()
	port := func(s *httptest.Server) string { return s.URL[strings.LastIndexByte(s.URL, ':')+1:] }

	b, err := harness.StartBrowser(context.Background(), harness.BrowserOptions{
		HostRules: "MAP nowhere.test ~NOTFOUND, MAP *.test 127.0.0.1, EXCLUDE localhost"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, c := range []struct {
		name, target, steps string
		status              recording.Status
		want                []string
		line                int // of the failing step
	}{
		{"unresolved", "http://nowhere.test:8080", "  - goto: /\n", recording.StatusErrored,
			[]string{"net::ERR_NAME_NOT_RESOLVED", "--host-map 'nowhere.test=127.0.0.1'"}, 4},
		{"refused", fmt.Sprintf("http://down.test:%d", closedPort), "  - goto: /\n", recording.StatusErrored,
			[]string{"net::ERR_CONNECTION_REFUSED", fmt.Sprintf("nothing accepts connections at down.test:%d: is the site running on that port?", closedPort)}, 4},
		{"untrusted", "https://self.test:" + port(tlsPage), "  - goto: /\n", recording.StatusErrored,
			[]string{"net::ERR_CERT_AUTHORITY_INVALID", "--insecure-certs"}, 4},
		{"no match", "http://site.test:" + port(page), "  - goto: /\n  - wait: { selector: \"#welcome\" }\n    timeout: 1s\n", recording.StatusFailed,
			[]string{"hang.yaml:5:5: step 1 (wait #welcome): #welcome: no element matched after 1s"}, 5},
		{"hidden", "http://site.test:" + port(page), "  - goto: /\n  - wait: { selector: \"#gone\" }\n    timeout: 1s\n", recording.StatusFailed,
			[]string{"#gone matched 1 element but is hidden (display: none) after 1s"}, 5},
		{"hidden field", "http://site.test:" + port(page), "  - goto: /\n  - fill: { selector: \"#gone\", value: x }\n    timeout: 1s\n", recording.StatusFailed,
			[]string{"hang.yaml:5:5: step 1 (fill #gone", "#gone matched 1 element but is hidden (display: none) after 1s"}, 5},
		{"hidden by parent", "http://site.test:" + port(page), "  - goto: /\n  - click: .v\n    timeout: 1s\n", recording.StatusFailed,
			[]string{".v matched 2 elements but is hidden (inside an element with display: none) after 1s"}, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, err := scenarios.Parse("hang.yaml", []byte("name: "+c.name+"\ntarget: "+c.target+"\nsteps:\n"+c.steps))
			if err != nil {
				t.Fatal(err)
			}
			r := b.Run(context.Background(), sc, harness.Options{Dir: t.TempDir()})
			if r.Status != c.status {
				t.Errorf("status %s, want %s (error %q)", r.Status, c.status, r.Error)
			}
			for _, w := range c.want {
				if !strings.Contains(r.Error, w) {
					t.Errorf("error %q\nwant it to say %q", r.Error, w)
				}
			}
			last := r.Steps[len(r.Steps)-1]
			if last.Line != c.line || last.Column != 5 {
				t.Errorf("the failing step is at %d:%d in the recording", last.Line, last.Column)
			}
		})
	}
}

// The page of a failing step stays in the run folder, as a screenshot and
// as HTML that shows no cookie value and no secret, and runs no script.
func TestFailureKeepsThePage(t *testing.T) {
	needChrome(t)
	const sid = "0123456789abcdef0123456789"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: sid, Path: "/"})
		fmt.Fprint(w, `<title>f</title><p id=sid>`+sid+`</p><input id=pw type=password><p id=out></p><script>window.ran = 1</script>`)
	}))
	defer srv.Close()
	b, err := harness.StartBrowser(context.Background(), harness.BrowserOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sc, err := scenarios.Parse("f.yaml", []byte(`name: keeps the page
target: `+srv.URL+`
steps:
  - goto: /
  - fill: { selector: "#pw", value: "${env.PW}", secret: true }
  - eval: "document.querySelector('#out').textContent = 'typed ' + document.querySelector('#pw').value"
  - expect: { text: { selector: "#out", equals: nothing } }
`))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	const pw = "hunter2-very-secret"
	r := b.Run(context.Background(), sc, harness.Options{Dir: dir,
		Resolver: scenarios.Resolver{Env: func(k string) (string, bool) { return pw, k == "PW" }}})
	if r.Status != recording.StatusFailed {
		t.Fatalf("status %s (%s), want failed", r.Status, r.Error)
	}
	last := r.Steps[3]
	if last.Screenshot != "failures/keeps-the-page-step-03.png" || last.Snapshot != "failures/keeps-the-page-step-03.html" {
		t.Fatalf("failing step: screenshot %q, snapshot %q", last.Screenshot, last.Snapshot)
	}
	png, err := os.ReadFile(filepath.Join(dir, last.Screenshot))
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("screenshot: %v, %d bytes", err, len(png))
	}
	html, err := os.ReadFile(filepath.Join(dir, last.Snapshot))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{sid, pw} {
		if bytes.Contains(html, []byte(bad)) {
			t.Errorf("the snapshot shows %q", bad)
		}
	}
	for _, want := range []string{"Content-Security-Policy", "default-src 'none'", "typed [secret]", "[value:"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("the snapshot lacks %q:\n%s", want, html)
		}
	}
	if r.Steps[1].Snapshot != "" || r.Steps[1].Screenshot != "" {
		t.Errorf("a passing step kept a failure snapshot")
	}
}
