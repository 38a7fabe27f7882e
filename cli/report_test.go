package cli

import (
	"context"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/sessiontrace/sessiontrace/harness"
	"github.com/sessiontrace/sessiontrace/internal/labtest"
	"github.com/sessiontrace/sessiontrace/internal/proctest"
	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// reportRun is the lab's run folder with two more scenarios: Hostile
// (markup in every string a site chooses, a failed step) and Revealed (a
// run with --reveal-values whose ID travels in a URL). It returns the
// folder and the names of its scenarios.
func reportRun(t *testing.T) (string, []string) {
	t.Helper()
	dir, _ := labtest.RunFolder(t)
	run := runfolder.Dir(dir)
	ix := rectest.ReadIndex(t, dir)
	for _, r := range []*recording.Recording{rectest.Hostile(t), rectest.Revealed()} {
		rel := runfolder.RecordingsDir + "/" + strings.ToLower(strings.Fields(r.Scenario.Name)[0]) + ".json"
		if err := run.WriteRecording(rel, r); err != nil {
			t.Fatal(err)
		}
		ix.Scenarios = append(ix.Scenarios, recording.IndexEntry{Name: r.Scenario.Name, Recording: rel, Status: r.Status, Steps: len(r.Steps)})
	}
	if err := run.WriteIndex(ix); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ix.Scenarios {
		names = append(names, e.Name)
	}
	return dir, names
}

// What every form of the report must show of reportRun, as text: the
// scenarios, a reset's sentence, findings, the hostile markup as written.
var reportMust = []string{
	"Session report", "Overview", "17 scenarios", "Why the user was logged out",
	"At step 5 the user was logged out: the browser did not send JSESSIONID to",
	"AUTH-CLEARTEXT", "The password form #login-form on", "SESSION-FIXATION", "SESSID-IN-URL",
	"Hostile " + rectest.XSSImg + rectest.XSSScript,
	"no element matched " + rectest.XSSImg,
}

// chromiumTab starts Chromium for one test and returns its tab.
func chromiumTab(t *testing.T) context.Context {
	t.Helper()
	path, err := harness.FindChrome("")
	if err != nil {
		t.Fatalf("%v (make test installs Chromium)", err)
	}
	// As harness.StartBrowser does: the browser's own files go in a
	// directory removed after it exits.
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path),
		chromedp.Flag("disable-gpu", true), chromedp.Env("TMPDIR="+t.TempDir()))
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, tcancel := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { tcancel(); cancel(); acancel() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	return ctx
}

func evalIn[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// The HTML opened from file:// in Chromium shows the run, requests
// nothing but itself, and turns no hostile string into markup: with the
// page's CSP bypassed, so that the escaping alone must hold.
func TestReportHTMLInChromium(t *testing.T) {
	dir, names := reportRun(t)
	out := filepath.Join(t.TempDir(), "report.html")
	code, stdout, stderr := runCLI(t, "report", dir, "-o", out)
	if code != ExitOK || !strings.Contains(stdout, "report written to "+out+" (html): 17 scenarios") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), rectest.RevealedID) {
		t.Errorf("the report holds the revealed ID %s", rectest.RevealedID)
	}

	ctx := chromiumTab(t)
	var mu sync.Mutex
	var requests []string
	events := chromedp.Events(ctx, network.RequestWillBeSent)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			mu.Lock()
			requests = append(requests, ev.Request.URL)
			mu.Unlock()
		}
	}()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	fileURL := (&url.URL{Scheme: "file", Path: filepath.ToSlash(out)}).String()
	if err := chromedp.Do(ctx, chromedp.Navigate(fileURL)); err != nil {
		t.Fatal(err)
	}

	text := strings.Join(strings.Fields(evalIn[string](t, ctx, `document.body.innerText`)), " ")
	for _, w := range append(reportMust, names...) {
		if !strings.Contains(text, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("the page does not show %q", w)
		}
	}
	if strings.Contains(text, rectest.RevealedID) {
		t.Errorf("the page shows the revealed ID")
	}
	type state struct {
		XSS      any
		Scripts  int
		Injected []string
	}
	st := evalIn[state](t, ctx, `({XSS: window.__xss === undefined ? null : window.__xss, Scripts: document.scripts.length,
		Injected: [...document.querySelectorAll("img, svg, iframe, object, embed, script, link, [onerror], [onload], [src], [style]")].map(e => e.outerHTML.slice(0, 80))})`)
	if st.XSS != nil || st.Scripts != 0 || len(st.Injected) > 0 {
		t.Errorf("script ran (%v), %d scripts, elements injected %q", st.XSS, st.Scripts, st.Injected)
	}
	// Printed: one scenario per page, no screen-only links.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if got := evalIn[string](t, ctx, `getComputedStyle(document.querySelector("section.scenario")).breakBefore + " " + getComputedStyle(document.querySelector(".back")).display`); got != "page none" {
		t.Errorf("printed, a scenario breaks %q, want \"page none\"", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(requests) == 0 || requests[0] != fileURL {
		t.Errorf("requests %q: the document's own was not seen first", requests)
	}
	for _, r := range requests[min(1, len(requests)):] {
		t.Errorf("the page requested %s", r)
	}
}

// --format pdf prints the same document through Chromium: pdftoppm
// renders its pages, pdftotext reads the same text, and no browser is
// left running.
func TestReportPDF(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: make test installs Debian's poppler-utils (scripts/ensure-poppler.sh)", tool)
		}
	}
	dir, names := reportRun(t)
	tmp := t.TempDir()
	out := filepath.Join(tmp, "report.pdf")
	before := proctest.Chromium()
	// The format follows from the name.
	code, stdout, stderr := runCLI(t, "report", "--paper", "letter", "-o", out, dir)
	if err := proctest.WaitGone(before, 10*time.Second); err != nil {
		t.Error(err)
	}
	if code != ExitOK || !strings.Contains(stdout, "(pdf)") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(data), "%PDF-") {
		t.Fatalf("not a PDF (%v): %.20q", err, data)
	}

	txt, err := exec.Command("pdftotext", "-enc", "UTF-8", out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	// Compared without white space: lines break long strings anywhere.
	text := strings.Join(strings.Fields(string(txt)), "")
	for _, w := range append(reportMust, names...) {
		if !strings.Contains(text, strings.Join(strings.Fields(w), "")) {
			t.Errorf("the PDF's text lacks %q", w)
		}
	}
	if strings.Contains(text, rectest.RevealedID) {
		t.Errorf("the PDF holds the revealed ID")
	}
	pages := regexp.MustCompile(`page\d+of(\d+)`).FindStringSubmatch(text)
	if pages == nil {
		t.Fatalf("no page footer in the PDF's text")
	}

	if out, err := exec.Command("pdftoppm", "-r", "30", "-png", out, filepath.Join(tmp, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(tmp, "page-*.png"))
	if want := pages[1]; len(pngs) == 0 || want != strconv.Itoa(len(pngs)) {
		t.Errorf("pdftoppm rendered %d pages, the footer says %s", len(pngs), want)
	}
	// Overview first, then a page (or more) per scenario.
	if len(pngs) < 1+len(names) {
		t.Errorf("%d pages for %d scenarios: not one scenario per page", len(pngs), len(names))
	}
	for _, p := range pngs {
		if n := inkColours(t, p); n < 2 {
			t.Errorf("%s: a blank page (%d colours)", filepath.Base(p), n)
		}
	}
}

// inkColours counts the colours of a PNG, up to 3.
func inkColours(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y && len(seen) < 3; y++ {
		for x := b.Min.X; x < b.Max.X && len(seen) < 3; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}

// Usage and input errors say what is wrong, with exit 2, before any
// browser starts; HTML goes to standard output by default.
func TestReportUsage(t *testing.T) {
	rec := labRecordings(t, "restart")[0]
	noRun := t.TempDir()
	noChrome := filepath.Join(t.TempDir(), "chromium")
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "want one RUN"},
		{[]string{rec, rec}, "want one RUN"},
		{[]string{"--format", "docx", rec}, `--format "docx": use html or pdf`},
		{[]string{"--paper", "a3", rec}, `--paper "a3": use a4 or letter`},
		{[]string{noRun}, "is not a run folder: it has no index.json"},
		{[]string{"--max-size", "0", rec}, `"--max-size" flag: want a positive number of MiB`},
		{[]string{"-o", rec, rec}, "-o " + rec + " would overwrite " + rec},
		{[]string{"--chrome", noChrome, "--format", "pdf", "-o", "x", rec}, "--format pdf prints through Chromium: chrome " + noChrome},
		{[]string{"--chrome", noChrome, "-o", filepath.Join(noRun, "r.PDF"), rec}, "prints through Chromium"},
	} {
		code, _, stderr := runCLI(t, append([]string{"report"}, c.args...)...)
		if code != ExitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("report %q: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	// No Chromium anywhere: the error says how to get one.
	t.Setenv("PATH", t.TempDir())
	t.Setenv("CHROME_PATH", "")
	code, _, stderr := runCLI(t, "report", "--format", "pdf", "-o", filepath.Join(noRun, "r.pdf"), rec)
	if code != ExitUsage || !strings.Contains(stderr, "no Chromium found: install it (Debian/Ubuntu: apt-get install chromium)") {
		t.Errorf("without Chromium: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(noRun, "r.pdf")); !os.IsNotExist(err) {
		t.Errorf("a failed report left a file: %v", err)
	}
	code, stdout, stderr := runCLI(t, "report", rec)
	if code != ExitOK || !strings.HasPrefix(stdout, "<!DOCTYPE html>") || !strings.Contains(stdout, "Lab: browser restart drops the session cookie") ||
		strings.Contains(stdout, "POLICY-VIOLATION") {
		t.Errorf("report to standard output: exit %d, %.60q, %s", code, stdout, stderr)
	}
	// --policy adds the policy's findings, as for audit.
	pol := filepath.Join(noRun, "policy.yaml")
	if err := os.WriteFile(pol, []byte("version: 1\ncookies:\n  - name: __Host-sid\n    forbidden: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCLI(t, "report", "--policy", pol, rec)
	if code != ExitOK || !strings.Contains(stdout, "POLICY-VIOLATION") {
		t.Errorf("report --policy: exit %d, no POLICY-VIOLATION in the report; %s", code, stderr)
	}
}

// Every command is in --help and in the README.
func TestCommandsDocumented(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, help, _ := runCLI(t, "--help")
	for _, c := range commands() {
		if !strings.Contains(help, "sessiontrace "+c.name+" ") {
			t.Errorf("--help does not list %s", c.name)
		}
		if c.name != "version" && !strings.Contains(string(readme), "sessiontrace "+c.name+" ") {
			t.Errorf("README.md does not show sessiontrace %s", c.name)
		}
	}
}
