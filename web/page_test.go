package web_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/internal/labtest"
	"github.com/sessiontrace/sessiontrace/internal/repotest"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// What the end-to-end tests of the inspector (inspector_test.go,
// inspector_diff_test.go) drive it with: real headless Chromium, and the
// sessiontrace command. They fail, not skip, without a browser: `make
// test` installs one.

// A tab is a browser tab and what it reported.
type tab struct {
	ctx        context.Context
	mu         sync.Mutex
	exceptions []string
	console    []string
}

func (p *tab) errors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.exceptions...)
}

func (p *tab) logs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.console...)
}

// newPage starts Chromium (one per page) with a window of the size given.
// The test fails if the page throws.
func newPage(t testing.TB, width, height int) *tab {
	t.Helper()
	path, err := harness.FindChrome("")
	if err != nil {
		t.Fatalf("%v (make test installs Chromium)", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"),
		chromedp.WindowSize(width, height),
	)
	// As harness.StartBrowser does: Chromium's own files in $TMPDIR go in a
	// directory removed after it exits (a signal leaves them behind).
	tmp, err := os.MkdirTemp("", "st-")
	if err != nil {
		t.Fatal(err)
	}
	opts = append(opts, chromedp.Env("TMPDIR="+tmp))
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, tcancel := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { tcancel(); cancel(); acancel(); os.RemoveAll(tmp) })
	p := &tab{ctx: ctx}
	t.Cleanup(func() {
		if errs := p.errors(); len(errs) > 0 {
			t.Errorf("the page threw: %v", errs)
		}
	})
	exc := chromedp.Events(ctx, cdpruntime.ExceptionThrown)
	cons := chromedp.Events(ctx, cdpruntime.ConsoleAPICalled)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	go func() {
		for ev, err := range exc {
			if err != nil {
				return
			}
			p.mu.Lock()
			msg := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
			p.exceptions = append(p.exceptions, msg)
			p.mu.Unlock()
		}
	}()
	go func() {
		for ev, err := range cons {
			if err != nil {
				return
			}
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			p.mu.Lock()
			p.console = append(p.console, string(ev.Type)+": "+strings.Join(parts, " "))
			p.mu.Unlock()
		}
	}()
	return p
}

func (p *tab) do(t testing.TB, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		t.Fatalf("%v\nexceptions: %v\nconsole: %v", err, p.errors(), p.logs())
	}
}

func eval[T any](t testing.TB, p *tab, js string) T {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it is true.
func waitFor(t testing.TB, p *tab, cond string) { waitForT(t, p, cond, 60*time.Second) }

func waitForT(t testing.TB, p *tab, cond string, timeout time.Duration) {
	t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(timeout))); err != nil {
		st, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.getElementById("status").textContent`))
		t.Fatalf("waiting for %s: %v\nstatus: %q\nexceptions: %v\nconsole: %v", cond, err, st, p.errors(), p.logs())
	}
}

// load loads url and waits until the page is in state (its
// data-st-state: empty, ready or error).
func (p *tab) load(t testing.TB, url, state string) {
	t.Helper()
	p.do(t, chromedp.Navigate(url))
	waitFor(t, p, `document.body.dataset.stState === `+strconv.Quote(state))
}

// open loads the page and waits until the run is shown.
func (p *tab) open(t testing.TB, url string) {
	t.Helper()
	p.load(t, url, "ready")
}

// status is the page's status line (what it says of a file it cannot open).
func (p *tab) status(t testing.TB) string {
	t.Helper()
	return eval[string](t, p, `document.getElementById("status").textContent`)
}

// goHash navigates within the page and waits for the view.
func (p *tab) goHash(t testing.TB, hash, readySelector string) {
	t.Helper()
	p.do(t, chromedp.Evaluate[chromedp.Void]("location.hash = "+strconv.Quote(hash)))
	waitFor(t, p, "document.querySelector("+strconv.Quote(readySelector)+") !== null")
}

// setField sets a form field's value and fires its event (input or change).
func (p *tab) setField(t testing.TB, id, value, event string) {
	t.Helper()
	p.do(t, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const el = document.getElementById(%q); el.value = %q;
		el.dispatchEvent(new Event(%q, {bubbles: true})); })()`, id, value, event)))
}

// drop drops files on the view at x, a fraction of the window's width
// (the left half opens, the right half compares): a synthetic drop event
// with real File objects.
func (p *tab) drop(t testing.TB, x float64, files ...string) {
	t.Helper()
	var add strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&add, "dt.items.add(new File([%s], %q, {type: \"application/json\"}));\n", strconv.Quote(string(data)), filepath.Base(f))
	}
	p.do(t, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const dt = new DataTransfer(); %s
		document.getElementById("view").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true, clientX: innerWidth * %g, clientY: 300}));
		})()`, add.String(), x)))
}

// click clicks the middle of the first element sel matches, as a user
// would (mouse events at its position), after scrolling it into view.
func (p *tab) click(t testing.TB, sel string) {
	t.Helper()
	type pt struct{ X, Y float64 }
	// The middle of the element, or, when something drawn over it (a
	// reset mark on a narrow band) covers the middle, the first point of
	// it that a user's click reaches; once its place held for an animation
	// frame (a view that redraws after its first drawing moves it, as a
	// user's eye would wait for).
	at, err := chromedp.Run(p.ctx, chromedp.Evaluate[*pt](`(async () => { const q = () => document.querySelector(`+strconv.Quote(sel)+`);
		if (!q()) return null;
		q().scrollIntoView({block: "nearest", inline: "nearest"});
		let last = "";
		for (let i = 0; i < 30; i++) {
			await new Promise(r => requestAnimationFrame(() => r()));
			const e = q(); if (!e) continue;
			const b = e.getBoundingClientRect(), k = b.left + "," + b.top + "," + b.width + "," + b.height;
			if (k === last) break;
			last = k;
		}
		const el = q(); if (!el) return null;
		const r = el.getBoundingClientRect(), y = r.top + r.height / 2;
		const hits = x => { const h = document.elementFromPoint(x, y); return h !== null && (h === el || el.contains(h)); };
		if (hits(r.left + r.width / 2)) return {X: r.left + r.width / 2, Y: y};
		for (let x = r.left + 1; x < r.right; x++) if (hits(x)) return {X: x, Y: y};
		return {X: r.left + r.width / 2, Y: y}; })()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("clicking %s: %v", sel, err)
	}
	if at == nil {
		t.Fatalf("nothing matches %s", sel)
	}
	p.do(t, chromedp.MouseClickXY(at.X, at.Y))
}

func (p *tab) setDark(t testing.TB, dark bool) {
	t.Helper()
	v := "light"
	if dark {
		v = "dark"
	}
	if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v}}}); err != nil {
		t.Fatal(err)
	}
}

// artifactDir is where screenshots go: $ST_ARTIFACTS/<test> or a
// temporary folder.
func artifactDir(t testing.TB) string {
	if d := os.Getenv("ST_ARTIFACTS"); d != "" {
		dir := filepath.Join(d, strings.ReplaceAll(t.Name(), "/", "_"))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// screenshot saves the page as PNG and fails when it is blank (a view that
// rendered nothing).
func (p *tab) screenshot(t testing.TB, dir, name string) {
	t.Helper()
	buf, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		t.Fatal(err)
	}
	if n := colours(img); n < 12 {
		t.Errorf("screenshot %s has %d colours: the view rendered (almost) nothing", name, n)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// docShot saves a smaller screenshot for the documentation.
func (p *tab) docShot(t testing.TB, file string) {
	t.Helper()
	type size struct{ W, H float64 }
	sz := eval[size](t, p, `({W: innerWidth, H: innerHeight})`)
	res, err := chromedp.Call(p.ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatPng,
		Clip: &page.Viewport{X: 0, Y: 0, Width: sz.W, Height: sz.H, Scale: 0.8}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, res.Data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func colours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r >> 10, g >> 10, bl >> 10, a}] = true
			if len(seen) > 200 {
				return len(seen)
			}
		}
	}
	return len(seen)
}

// viewFilled fails when the current view holds too little.
func viewFilled(t testing.TB, p *tab, view string, minElems, minText int) {
	t.Helper()
	n := eval[int](t, p, `document.querySelectorAll("#view *").length`)
	text := eval[int](t, p, `document.getElementById("view").innerText.trim().length`)
	if n < minElems || text < minText {
		t.Errorf("view %s renders almost nothing: %d elements, %d characters of text", view, n, text)
	}
}

// notWider fails when the page is wider than its window (a narrow screen
// scrolls the tables, not the page).
func notWider(t testing.TB, p *tab, view string) {
	t.Helper()
	if w := eval[float64](t, p, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); w > 1 {
		t.Errorf("%s: the page is %.0f px wider than the window", view, w)
	}
}

// watchCSP makes the page list the CSP violations it reports, for inert.
func (p *tab) watchCSP(t testing.TB) {
	t.Helper()
	if _, err := chromedp.Call(p.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`}); err != nil {
		t.Fatal(err)
	}
}

// inert fails when the hostile strings of a recording (see hostile) ran
// script, injected an element or, under watchCSP, broke the CSP.
func inert(t testing.TB, p *tab, where string) {
	t.Helper()
	type state struct {
		XSS      any
		Injected []string
		CSP      []string
	}
	st := eval[state](t, p, `({XSS: window.__xss === undefined ? null : window.__xss,
		Injected: [...document.querySelectorAll("img, iframe, object, embed, svg:not(#tl-svg):not(.lg svg):not(.legend svg), script:not([src]), [onerror], [onload], [onclick], a[href^='javascript:' i]")].map(e => e.outerHTML.slice(0, 80)),
		CSP: window.__csp || []})`)
	if st.XSS != nil || len(st.Injected) > 0 || len(st.CSP) > 0 {
		t.Fatalf("%s: script ran (%v), elements injected %q, CSP violations %q", where, st.XSS, st.Injected, st.CSP)
	}
}

// shownAsText fails when the hostile payload (see hostile) is not on the
// page as text: a view that dropped it would pass inert.
func shownAsText(t testing.TB, p *tab, where string) {
	t.Helper()
	if !eval[bool](t, p, `document.body.innerText.includes('<img src=x onerror="window.__xss')`) {
		t.Errorf("%s: the payload is not shown as text", where)
	}
}

// hostileServer serves dir in mode, one of xssModes, and returns the
// page's URL and the path prefix of dir's files under it.
func hostileServer(t testing.TB, mode, dir string) (base, run string) {
	t.Helper()
	if mode == "serve" {
		return labtest.Serve(t, dir), "run/"
	}
	return staticRun(t, dir, true), ""
}

// xssModes are how hostile recordings are served: by a static server
// with the page's CSP removed (what the rendering alone does), and by
// serve with its CSP (which must report nothing).
var xssModes = []string{"static without CSP", "serve"}

// staticRun writes the inspector into a run folder, as `run` does, and
// serves it with a plain static file server: no serve, no CSP header.
// With noCSP the page's own CSP (a meta tag) is removed too, so that a
// test sees what the rendering alone does with hostile strings.
func staticRun(t testing.TB, dir string, noCSP bool) string {
	t.Helper()
	if err := runfolder.Dir(dir).WriteInspector(); err != nil {
		t.Fatal(err)
	}
	if noCSP {
		idx := filepath.Join(dir, "index.html")
		b, _ := os.ReadFile(idx)
		s := string(b)
		i := strings.Index(s, `<meta http-equiv="Content-Security-Policy"`)
		j := strings.Index(s[i:], ">")
		if i < 0 || j < 0 {
			t.Fatal("index.html has no CSP meta tag")
		}
		os.WriteFile(idx, []byte(s[:i]+s[i+j+1:]), 0o644)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// labRecording reads the lab recording analysis/testdata/lab/NAME.json.
func labRecording(t testing.TB, name string) *recording.Recording {
	t.Helper()
	return runRecordings(t, "../analysis/testdata/lab/"+name+".json")[0]
}

// runRecordings reads the recordings of a run folder (in its index's
// order) or of one file, as the commands do.
func runRecordings(t testing.TB, p string) []*recording.Recording {
	t.Helper()
	loaded, _, err := runfolder.LoadRun(p, runfolder.DefaultMaxSize)
	if err != nil {
		t.Fatal(err)
	}
	return runfolder.Recordings(loaded)
}

// tool is the sessiontrace command, built on first use by the tests that
// run it as a user does or compare the page with it.
var tool struct {
	once     sync.Once
	dir, bin string
	err      error
	out      []byte
}

func TestMain(m *testing.M) {
	code := m.Run()
	if tool.dir != "" {
		os.RemoveAll(tool.dir)
	}
	os.Exit(code)
}

func toolPath(t testing.TB) string {
	t.Helper()
	tool.once.Do(func() {
		if tool.dir, tool.err = os.MkdirTemp("", "st-cli-"); tool.err == nil {
			tool.bin, tool.out, tool.err = repotest.Build(tool.dir)
		}
	})
	if tool.err != nil {
		t.Fatalf("building sessiontrace: %v\n%s", tool.err, tool.out)
	}
	return tool.bin
}

// sessiontrace runs the command with args and returns its exit code and
// output.
func sessiontrace(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(toolPath(t), args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	var exit *exec.ExitError
	if err := cmd.Run(); err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

// serveCommand runs `sessiontrace serve` on dir until the test ends and
// returns the inspector's URL that it prints.
func serveCommand(t testing.TB, dir string) string {
	t.Helper()
	cmd := exec.Command(toolPath(t), "serve", "--port", "0", dir)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls, done := make(chan string, 1), make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "inspector: "); ok {
				select {
				case urls <- u:
				default:
				}
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		<-done
		cmd.Wait()
	})
	select {
	case u := <-urls:
		return u
	case <-done:
		cmd.Wait()
		t.Fatalf("serve ended without printing the inspector's URL: %s", errb.String())
	case <-time.After(30 * time.Second):
		t.Fatal("serve printed no URL in 30s")
	}
	return ""
}
