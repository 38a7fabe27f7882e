package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/labtest"
	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
	"github.com/sessiontrace/sessiontrace/web"
)

// The inspector tells the whole truth: every finding of the run (the
// policy's included), what could not be read, what was imported rather
// than run, the evidence of a failed step; and a layout that shows it
// (nothing clipped or overlapping, no 404, a print stylesheet, labels and
// keys for every control).

// policyRun is the lab run folder with the findings.json that `audit
// --policy` writes for it (a policy that reports every cookie), and the
// CLI's report.
func policyRun(t *testing.T) (string, *analysis.Report, []*recording.Recording) {
	t.Helper()
	dir, recs := labtest.RunFolder(t)
	pol := filepath.Join(t.TempDir(), "sessiontrace.policy.yaml")
	os.WriteFile(pol, []byte("version: 1\nunknownCookies: report\nunknownSeverity: low\n"), 0o644)
	code, stdout, stderr := sessiontrace(t, "audit", "--policy", pol, "--format", "json", dir)
	if code != 0 && code != 1 {
		t.Fatalf("audit --policy: exit %d: %s", code, stderr)
	}
	var rep analysis.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if err := runfolder.Dir(dir).WriteFindings(&rep); err != nil {
		t.Fatal(err)
	}
	return dir, &rep, recs
}

func countBy(fs []analysis.Finding, key func(analysis.Finding) string) map[string]int {
	out := map[string]int{}
	for _, f := range fs {
		out[key(f)]++
	}
	return out
}

// Every finding of findings.json is in the findings view, POLICY-VIOLATION
// included, whether the page analyses the recordings itself (no
// summary.json) or opens the run overview first; the counts are the CLI's.
func TestInspectorPolicyFindings(t *testing.T) {
	dir, rep, recs := policyRun(t)
	cliRules := countBy(rep.Findings, func(f analysis.Finding) string { return f.Rule })
	if cliRules[analysis.RulePolicyViolation] == 0 {
		t.Fatalf("the policy found nothing: %v", cliRules)
	}
	cliSev := countBy(rep.Findings, func(f analysis.Finding) string { return string(f.Severity) })
	base := labtest.Serve(t, dir)
	p := newPage(t, 1280, 800)
	check := func(mode string) {
		for _, sev := range analysis.Severities {
			if got := eval[string](t, p, `document.querySelector("#ov-sev-`+string(sev)+` .n").textContent`); got != strconv.Itoa(cliSev[string(sev)]) {
				t.Errorf("%s: %s findings in the overview: %s, the CLI %d", mode, sev, got, cliSev[string(sev)])
			}
		}
		var page analysis.Report
		if err := json.Unmarshal([]byte(eval[string](t, p, `stReport()`)), &page); err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		if got := countBy(page.Findings, func(f analysis.Finding) string { return f.Rule }); fmt.Sprint(got) != fmt.Sprint(cliRules) {
			t.Errorf("%s: the page's findings by rule %v, the CLI's %v", mode, got, cliRules)
		}
		// The view, drawn whole (as for printing): its rule headings count.
		p.goHash(t, "v=findings", ".rule-head")
		p.do(t, chromedp.Evaluate[chromedp.Void](`dispatchEvent(new Event("beforeprint"))`))
		waitFor(t, p, `document.querySelectorAll(".find-body .finding").length === `+strconv.Itoa(len(rep.Findings)))
		shown := eval[map[string]int](t, p, `(() => { const n = {}; for (const h of document.querySelectorAll(".rule-head")) {
			const m = h.textContent.match(/(\d+) findings?$/); n[h.dataset.rule] = (n[h.dataset.rule] || 0) + (m ? +m[1] : 0); } return n; })()`)
		if fmt.Sprint(shown) != fmt.Sprint(cliRules) {
			t.Errorf("%s: the findings view counts %v, the CLI %v", mode, shown, cliRules)
		}
		p.do(t, chromedp.Evaluate[chromedp.Void](`dispatchEvent(new Event("afterprint"))`))
	}
	p.open(t, base)
	check("analysed in the page")
	// Overview first: with the summary.json that run writes.
	ix := rectest.ReadIndex(t, dir)
	if err := runfolder.Dir(dir).WriteSummary(runfolder.NewSummary(ix, rep, recs, 1, "")); err != nil {
		t.Fatal(err)
	}
	p.open(t, base)
	waitFor(t, p, `document.body.dataset.stFindings === "loaded"`)
	check("overview first")
}

// A recording that could not be read is an error, with no counts and no
// "No session reset" beside it; a HAR is imported, not passed.
func TestInspectorUnreadableAndImported(t *testing.T) {
	dir, recs := labtest.RunFolder(t)
	broken := 0
	for _, r := range recs {
		if !strings.HasSuffix(r.Scenario.File, "/correct.yaml") {
			name := strings.TrimSuffix(filepath.Base(r.Scenario.File), ".yaml") + ".json"
			if err := os.WriteFile(filepath.Join(dir, runfolder.RecordingsDir, name), []byte(`{"schema": "sessiontrace.recording/v1", "steps": [1,]}`), 0o644); err == nil {
				broken++
			}
		}
	}
	if broken == 0 {
		t.Fatal("no recording broken")
	}
	har, _ := os.ReadFile("../recording/har/testdata/har/playwright-fixation.har")
	os.WriteFile(filepath.Join(dir, "session.har"), har, 0o644)
	base := labtest.Serve(t, dir)
	p := newPage(t, 1280, 800)
	p.open(t, base)
	resets := eval[string](t, p, `document.getElementById("ov-resets").textContent`)
	if strings.Contains(resets, "No session reset:") || !strings.Contains(resets, "could not be read") {
		t.Errorf("the resets card with %d unreadable recordings says %q", broken, resets)
	}
	type row struct{ Status, Resets, Error string }
	rows := eval[[]row](t, p, `[...document.querySelectorAll("#ov-scenarios tbody tr")].map(r => ({Status: r.querySelector(".status").textContent,
		Resets: r.querySelector(".c-resets").textContent, Error: (r.querySelector("td.name .error") || {}).textContent || ""}))`)
	unreadable := 0
	for _, r := range rows {
		if r.Error != "" {
			unreadable++
			if r.Status != "unreadable" || r.Resets != "—" {
				t.Errorf("an unreadable recording's row says %q with %q resets", r.Status, r.Resets)
			}
		}
	}
	if unreadable != broken {
		t.Errorf("%d rows say their recording could not be read, want %d", unreadable, broken)
	}
	p.open(t, base+"?open=run/session.har")
	st := eval[string](t, p, `document.querySelector("#ov-scenarios tbody tr .status").textContent`)
	totals := eval[string](t, p, `document.getElementById("ov-totals").textContent`)
	if st != "imported" || !strings.Contains(totals, "0 passed") || !strings.Contains(totals, "1 imported") {
		t.Errorf("a HAR shows status %q, totals %q; want imported", st, totals)
	}
}

// failedRun is a run folder whose one recording failed at a step, with
// the screenshot and the HTML snapshot the harness keeps, at the paths
// given (hostile ones included).
func failedRun(t *testing.T, shot, snap, msg string) (dir string, step int) {
	t.Helper()
	dir = t.TempDir()
	rec := labRecording(t, "correct")
	step = len(rec.Steps) - 1
	st := &rec.Steps[step]
	st.Status, st.Error, st.Line, st.Column = recording.StatusFailed, msg, 12, 5
	st.Screenshot, st.Snapshot = shot, snap
	rec.Status, rec.Error = recording.StatusFailed, msg
	data, err := recording.Encode(rec)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "recordings"), 0o755)
	os.MkdirAll(filepath.Join(dir, "failures"), 0o755)
	os.WriteFile(filepath.Join(dir, "recordings", "failed.json"), data, 0o644)
	png, _ := os.ReadFile("../docs/img/inspector-overview.png")
	os.WriteFile(filepath.Join(dir, "failures", "correct-step-09.png"), png, 0o644)
	os.WriteFile(filepath.Join(dir, "failures", "correct-step-09.html"), []byte(`<!doctype html><meta http-equiv="Content-Security-Policy" content="script-src 'none'"><p id="snapshot-marker">SNAPSHOT-BODY</p><script>top.__xss = "snapshot"</script>`), 0o644)
	return dir, step
}

// The step detail of a failed step shows the error with its place in the
// scenario file, the screenshot and a link to the HTML snapshot (a new
// tab, never this page's DOM), for paths inside the run folder only.
func TestInspectorFailureEvidence(t *testing.T) {
	msg := "scenarios/lab/correct.yaml:12:5: step 9 (click #go): element not found"
	dir, step := failedRun(t, "failures/correct-step-09.png", "failures/correct-step-09.html", msg)
	p := newPage(t, 1280, 800)
	for _, mode := range xssModes {
		base, run := hostileServer(t, mode, dir)
		p.open(t, base+"?open="+run+"recordings/failed.json")
		p.goHash(t, fmt.Sprintf("v=sessions&s=0&step=%d", step), "#step-evidence")
		type ev struct {
			Text, Error, Shot, Snap, Target, Rel string
		}
		got := eval[ev](t, p, `(() => { const d = document.getElementById("detail"), img = d.querySelector("img.shot"), a = d.querySelector(".ev-snapshot a");
			return {Text: d.textContent, Error: d.querySelector(".step-error").textContent, Shot: img ? img.src : "", Snap: a ? a.href : "",
			Target: a ? a.target : "", Rel: a ? a.rel : ""}; })()`)
		if got.Error != msg || !strings.Contains(got.Text, "correct.yaml:12:5") {
			t.Errorf("%s: the step detail says %q", mode, got.Text)
		}
		if !strings.HasSuffix(got.Shot, "/"+run+"failures/correct-step-09.png") || !strings.HasSuffix(got.Snap, "/"+run+"failures/correct-step-09.html") {
			t.Errorf("%s: screenshot %q, snapshot %q", mode, got.Shot, got.Snap)
		}
		if got.Target != "_blank" || !strings.Contains(got.Rel, "noopener") {
			t.Errorf("%s: the snapshot opens with target %q rel %q", mode, got.Target, got.Rel)
		}
		waitFor(t, p, `document.querySelector("#detail img.shot").complete && document.querySelector("#detail img.shot").naturalWidth > 100`)
		if eval[bool](t, p, `document.documentElement.innerHTML.includes("SNAPSHOT-BODY") || document.querySelector("iframe") !== null`) {
			t.Errorf("%s: the snapshot is in the page", mode)
		}
		p.screenshot(t, artifactDir(t), "failure-evidence-"+strings.ReplaceAll(mode, " ", "-"))
	}
}

// Hostile paths and errors: nothing is fetched from elsewhere or outside
// the run folder, nothing runs, nothing is injected.
func TestInspectorFailureEvidenceXSS(t *testing.T) {
	for _, c := range []struct{ shot, snap string }{
		{"../../secret.png", "javascript:top.__xss=1"},
		{"/failures/correct-step-09.png", "https://elsewhere.example/x.html"},
		{"failures/%2e%2e/%2e%2e/x.png", "data:text/html,<script>top.__xss=1</script>"},
		{`failures\..\..\x.png`, "//elsewhere.example/x.html"},
	} {
		msg := `x.yaml:1:1: step 9 (<img src=x onerror="window.__xss=1">): </script><script>window.__xss=2</script>`
		dir, step := failedRun(t, c.shot, c.snap, msg)
		p := newPage(t, 1280, 800)
		p.watchCSP(t)
		for _, mode := range xssModes {
			base, run := hostileServer(t, mode, dir)
			p.open(t, base+"?open="+run+"recordings/failed.json")
			p.goHash(t, fmt.Sprintf("v=sessions&s=0&step=%d", step), "#step-evidence")
			inert(t, p, mode+" "+c.shot)
			if n := eval[int](t, p, `document.querySelectorAll("#detail a[href]:not([href^='#']), #detail img").length`); n != 0 {
				t.Errorf("%s: %q / %q made %d links or images", mode, c.shot, c.snap, n)
			}
			if txt := eval[string](t, p, `document.getElementById("step-evidence").textContent`); !strings.Contains(txt, "not shown") || !strings.Contains(txt, "onerror") {
				t.Errorf("%s: the evidence says %q", mode, txt)
			}
		}
	}
}

// statusRecorder serves the inspector and a run folder as serve does and
// keeps the paths answered with an error.
type statusRecorder struct {
	mu     sync.Mutex
	failed []string
}

func (s *statusRecorder) serve(t *testing.T, dir string) string {
	h, err := web.NewHandler(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &codeWriter{ResponseWriter: w, code: 200}
		h.ServeHTTP(rw, r)
		if rw.code >= 400 {
			s.mu.Lock()
			s.failed = append(s.failed, fmt.Sprintf("%d %s", rw.code, r.URL.Path))
			s.mu.Unlock()
		}
	}))
	t.Cleanup(func() { srv.Close(); h.Close() })
	return srv.URL + "/"
}

type codeWriter struct {
	http.ResponseWriter
	code int
}

func (c *codeWriter) WriteHeader(code int) { c.code = code; c.ResponseWriter.WriteHeader(code) }

// layoutChecks fails on clipped row headers and cells, badges sharing a
// line, a header on two lines, step or reset labels that overlap, and
// Markdown backticks in the view.
const layoutChecks = `(() => {
	const bad = [];
	const clipped = e => e.scrollWidth > e.clientWidth + 1;
	const top = document.getElementById("top"), first = top.querySelector(".brand").getBoundingClientRect();
	for (const c of top.children) {
		const r = c.getBoundingClientRect();
		if (r.width > 0 && (r.top > first.bottom || r.bottom < first.top)) bad.push("header wraps: " + (c.id || c.className));
	}
	for (const e of document.querySelectorAll(".rowhead > div, .cell .fp, .cell .flags, .cell .badges > span, .colhead .sk")) {
		const box = e.closest(".rowhead, .cell, .colhead").getBoundingClientRect(), r = e.getBoundingClientRect();
		if (clipped(e) || r.bottom > box.bottom + 1) bad.push("clipped: " + e.className + " " + e.textContent);
	}
	for (const b of document.querySelectorAll(".cell .badges")) {
		const tops = [...b.children].map(s => Math.round(s.getBoundingClientRect().top));
		if (new Set(tops).size !== tops.length) bad.push("badges share a line: " + b.textContent);
	}
	const overlap = (list, what) => {
		const rs = [...list].map(e => [e.textContent, e.getBoundingClientRect()]);
		for (let i = 0; i < rs.length; i++) for (let j = i + 1; j < rs.length; j++) {
			const a = rs[i][1], b = rs[j][1];
			if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) bad.push(what + " overlap: " + rs[i][0] + " / " + rs[j][0]);
		}
	};
	overlap(document.querySelectorAll("#tl-svg .step text"), "step labels");
	overlap(document.querySelectorAll("#tl-svg .reset text"), "reset labels");
	if (document.getElementById("view").innerText.includes("` + "`" + `")) bad.push("a backtick in the view");
	return bad;
})()`

// Layout at 1280 and 1920 px: every lab scenario's session table and
// timeline, the overview, the findings, the empty states; screenshots of
// each; no request answered with an error (favicon, index probe).
func TestInspectorLayout(t *testing.T) {
	dir, recs := labtest.RunFolder(t)
	// The reports that run writes beside the recordings.
	rep := analysis.AnalyzeAll(recs)
	ix := rectest.ReadIndex(t, dir)
	if runfolder.Dir(dir).WriteFindings(rep) != nil || runfolder.Dir(dir).WriteSummary(runfolder.NewSummary(ix, rep, recs, 1, "")) != nil {
		t.Fatal("cannot write the reports")
	}
	srv := &statusRecorder{}
	base := srv.serve(t, dir)
	for _, w := range []int{1280, 1920} {
		p := newPage(t, w, 900)
		shots := artifactDir(t)
		check := func(where string) {
			t.Helper()
			if bad := eval[[]string](t, p, layoutChecks); len(bad) > 0 {
				t.Errorf("%d px, %s: %q", w, where, bad)
			}
		}
		p.open(t, base)
		check("overview")
		p.screenshot(t, shots, fmt.Sprintf("overview-%d", w))
		for i, r := range recs {
			name := strings.TrimSuffix(filepath.Base(r.Scenario.File), ".yaml")
			p.goHash(t, fmt.Sprintf("v=sessions&s=%d", i), ".cell")
			check(name + " sessions")
			p.screenshot(t, shots, fmt.Sprintf("sessions-%s-%d", name, w))
			p.goHash(t, fmt.Sprintf("v=timeline&s=%d", i), "#tl-svg .step")
			check(name + " timeline")
			p.screenshot(t, shots, fmt.Sprintf("timeline-%s-%d", name, w))
		}
		p.goHash(t, "v=findings", ".rule-head")
		check("findings")
		p.goHash(t, "v=diff", ".diff-empty, #view p")
		check("diff, no run B")
		notWider(t, p, "layout")
	}
	// The landing page of an empty folder.
	p := newPage(t, 1280, 800)
	p.load(t, staticRun(t, t.TempDir(), false), "empty")
	if txt := eval[string](t, p, `document.getElementById("view").innerText`); strings.Contains(txt, "`") {
		t.Errorf("the landing page shows backticks: %q", txt)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.failed) > 0 {
		t.Errorf("requests answered with an error: %q", srv.failed)
	}
}

// Printing: no pickers or buttons, the lists drawn whole.
func TestInspectorPrint(t *testing.T) {
	dir, ix := bigRun(t, 300)
	base := staticRun(t, dir, false)
	p := newPage(t, 1280, 800)
	p.open(t, base)
	before := eval[int](t, p, `document.querySelectorAll("#ov-scenarios tbody tr").length`)
	if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	p.do(t, chromedp.Evaluate[chromedp.Void](`dispatchEvent(new Event("beforeprint"))`))
	waitFor(t, p, `document.querySelectorAll("#ov-scenarios tbody tr").length === `+strconv.Itoa(len(ix.Scenarios)))
	if before >= len(ix.Scenarios) {
		t.Errorf("the list was whole before printing (%d rows): the test shows nothing", before)
	}
	shown := eval[[]string](t, p, `[...document.querySelectorAll("#top select, #privacy, #help-btn, #ov-q, button, #status")].filter(e => getComputedStyle(e).display !== "none").map(e => e.id || e.textContent)`)
	if len(shown) > 0 {
		t.Errorf("printed: %q", shown)
	}
	if ov := eval[string](t, p, `getComputedStyle(document.getElementById("ov-scroll")).overflowY`); ov != "visible" {
		t.Errorf("the list prints in a scroll box (overflow %s)", ov)
	}
	if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		t.Fatal(err)
	}
	p.do(t, chromedp.Evaluate[chromedp.Void](`dispatchEvent(new Event("afterprint"))`))
	waitFor(t, p, `document.querySelectorAll("#ov-scenarios tbody tr").length < `+strconv.Itoa(len(ix.Scenarios)))
}

// The timeline's lanes and marks have ARIA labels; every control of the
// page is reached with Tab.
func TestInspectorKeyboardAndLabels(t *testing.T) {
	dir, recs := labtest.RunFolder(t)
	base := labtest.Serve(t, dir)
	p := newPage(t, 1280, 800)
	p.open(t, base)
	p.goHash(t, fmt.Sprintf("v=timeline&s=%d", scenarioIndex(t, recs, "cluster")), "#tl-svg .mk")
	unlabelled := eval[[]string](t, p, `[...document.querySelectorAll("#tl-svg .lane, #tl-svg .lane-marks, #tl-svg .mk:not(.dense), #tl-svg .reset, #tl-svg .step, #tl-svg .auth, #tl-svg .node")]
		.filter(e => !(e.getAttribute("aria-label") || "").trim()).map(e => e.getAttribute("class"))`)
	if len(unlabelled) > 0 || eval[int](t, p, `document.querySelectorAll("#tl-svg .reset[aria-label]").length`) == 0 {
		t.Errorf("timeline elements without an ARIA label: %q", unlabelled)
	}
	for _, view := range []string{"overview", "sessions&s=0", "requests&s=0", "findings"} {
		p.goHash(t, "v="+view, "#view *")
		p.do(t, chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur(); window.__reached = new Set();
			document.addEventListener("focusin", e => window.__reached.add(e.target), {capture: true});`))
		controls := eval[int](t, p, `(window.__controls = [...document.querySelectorAll("button, a[href], input, select, textarea, [tabindex='0']")]
			.filter(e => !e.disabled && !e.closest("details:not([open]) > :not(summary)") && (e.getClientRects().length > 0 || (e.type === "file" && e.parentElement.getClientRects().length > 0)))).length`)
		for i := 0; i < controls+20; i++ {
			p.do(t, chromedp.KeyEvent("\t"))
			if eval[bool](t, p, `window.__controls.every(e => window.__reached.has(e))`) {
				break
			}
		}
		missed := eval[[]string](t, p, `window.__controls.filter(e => !window.__reached.has(e)).map(e => e.outerHTML.slice(0, 100))`)
		if len(missed) > 0 {
			t.Errorf("%s: Tab does not reach %d of %d controls: %q", view, len(missed), controls, missed)
		}
	}
}
