package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/rundiff"
)

// End-to-end tests of the inspector's diff view (issue 6) in real headless
// Chromium: two runs opened together, compared in the page by package
// rundiff, must show what `sessiontrace diff` prints.

// labDiffRuns makes run folders in dir with the lab, as TestDiffLabRegressed
// does: a and a2 run scenarios/lab/correct.yaml against correct.test; b
// runs it against regressed.test (HttpOnly dropped, no rotation at login)
// and fails at its first expectation; bl is b without the two checks the
// regression breaks, so it reaches the login.
func labDiffRuns(t *testing.T, dir string) {
	t.Helper()
	src, err := os.ReadFile("../scenarios/lab/correct.yaml")
	if err != nil {
		t.Fatal(err)
	}
	replace := func(s, old, new string, n int) string {
		t.Helper()
		if got := strings.Count(s, old); got != n {
			t.Fatalf("correct.yaml has %d of %q, this test expects %d: update the test", got, old, n)
		}
		return strings.ReplaceAll(s, old, new)
	}
	regressed := replace(string(src), "${lab.correct}", "${lab.regressed}", 1)
	lenient := replace(replace(regressed, "httpOnly: true, ", "", 2), "      session: rotated\n", "", 1)
	for _, s := range []struct{ name, body string }{{"regressed.yaml", regressed}, {"regressed-lenient.yaml", lenient}} {
		if err := os.WriteFile(filepath.Join(dir, s.name), []byte(s.body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []struct {
		out, file string
		want      int
	}{
		{"a", "../scenarios/lab/correct.yaml", ExitOK},
		{"a2", "../scenarios/lab/correct.yaml", ExitOK},
		{"b", filepath.Join(dir, "regressed.yaml"), ExitFailed},
		{"bl", filepath.Join(dir, "regressed-lenient.yaml"), ExitOK},
	} {
		if code, stdout, stderr := runCLI(t, "run", "--lab", "-q", "-o", filepath.Join(dir, r.out), r.file); code != r.want {
			t.Fatalf("run %s: exit %d, want %d\n%s%s", r.out, code, r.want, stdout, stderr)
		}
	}
}

// runRecordings reads the recordings of a run folder, in its index's order.
func runRecordings(t *testing.T, dir string) []*recording.Recording {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := recording.DecodeIndex("index.json", data)
	if err != nil {
		t.Fatal(err)
	}
	var recs []*recording.Recording
	for _, e := range ix.Scenarios {
		data, err := os.ReadFile(filepath.Join(dir, e.Recording))
		if err != nil {
			t.Fatal(err)
		}
		r, err := recording.Decode(e.Recording, data)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	return recs
}

// A diffRow is a change row of the diff view, as its data attributes and
// its text say.
type diffRow struct {
	Kind, Subject, What, From, To, Mark, Class, Text string
}

func diffRows(t *testing.T, p *tab) []diffRow {
	t.Helper()
	return eval[[]diffRow](t, p, `[...document.querySelectorAll("#diff-list tr.dchg")].map(r => ({Kind: r.dataset.kind,
		Subject: r.dataset.subject, What: r.dataset.what, From: r.dataset.from, To: r.dataset.to, Mark: r.dataset.mark,
		Class: r.className, Text: r.innerText}))`)
}

// withoutHeader drops the "A: ..." and "B: ..." lines of the text output,
// which name each run as it was given (a path to the CLI, a URL to the page).
func withoutHeader(t *testing.T, text string) string {
	t.Helper()
	if !strings.HasPrefix(text, "A: ") {
		t.Fatalf("the diff text does not start with its A: line:\n%s", text)
	}
	_, rest, _ := strings.Cut(text, "\n\n")
	return rest
}

// openDiff opens ?open=run/A/index.json&compare=run/B/index.json and checks
// that the page shows the diff `sessiontrace diff` finds, in the text and
// in the rows: the page and the CLI agree. It returns the CLI's diff.
func openDiff(t *testing.T, p *tab, base, dir, a, b string) *rundiff.Diff {
	t.Helper()
	p.open(t, base+"?open=run/"+a+"/index.json&compare=run/"+b+"/index.json")
	waitFor(t, p, `document.getElementById("diff-summary") !== null`)
	if v := eval[string](t, p, `document.querySelector("#tabs button.on").dataset.view`); v != "diff" {
		t.Errorf("?compare= opens the %s view, want diff", v)
	}
	_, text, stderr := runCLI(t, "diff", filepath.Join(dir, a), filepath.Join(dir, b))
	if got := eval[string](t, p, `document.getElementById("st-diff").textContent`); withoutHeader(t, got) != withoutHeader(t, text) {
		t.Errorf("%s vs %s: the page's diff differs from sessiontrace diff's\npage:\n%s\ncli:\n%s%s", a, b, got, text, stderr)
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if got := eval[string](t, p, `document.getElementById("diff-summary").textContent`); got != lines[len(lines)-1] {
		t.Errorf("summary %q, sessiontrace diff says %q", got, lines[len(lines)-1])
	}
	_, jsonOut, _ := runCLI(t, "diff", "--format", "json", filepath.Join(dir, a), filepath.Join(dir, b))
	d := decodeDiff(t, jsonOut)
	rows := diffRows(t, p)
	want := d.Changes()
	if len(rows) != len(want) {
		t.Fatalf("%s vs %s: %d change rows, sessiontrace diff has %d changes: %+v", a, b, len(rows), len(want), rows)
	}
	for i, c := range want {
		r := rows[i]
		if r.Kind != c.Kind || r.Subject != c.Subject || r.What != c.What || r.From != c.From || r.To != c.To {
			t.Errorf("row %d is %+v, sessiontrace diff has %+v", i, r, c)
		}
		mark := ""
		switch {
		case c.Regression:
			mark = "REGRESSION"
		case c.Improvement:
			mark = "improvement"
		}
		// Marked in words, not by colour alone.
		if r.Mark != mark || (mark != "" && !strings.Contains(r.Text, mark)) {
			t.Errorf("row %d (%s %s %s): marked %q, text %q, want %q", i, c.Kind, c.Subject, c.What, r.Mark, r.Text, mark)
		}
	}
	viewFilled(t, p, "diff", 30, 100)
	return d
}

func findRow(rows []diffRow, kind, subject, what string) *diffRow {
	for i := range rows {
		if rows[i].Kind == kind && rows[i].Subject == subject && rows[i].What == what {
			return &rows[i]
		}
	}
	return nil
}

func TestInspectorDiffLab(t *testing.T) {
	dir := t.TempDir()
	labDiffRuns(t, dir)
	base := serveDir(t, dir)
	p := newPage(t, 1280, 960)

	t.Run("regressed: httpOnly, rotation at login, new findings", func(t *testing.T) {
		d := openDiff(t, p, base, dir, "a", "bl")
		if d.Totals.Regressions != 4 {
			t.Fatalf("sessiontrace diff finds %d regressions, this test expects 4: %+v", d.Totals.Regressions, d.Totals)
		}
		if got := eval[string](t, p, `document.getElementById("diff-summary").textContent`); got != "1 of 1 scenarios changed: 4 changes, 4 regressions, 0 improvements" {
			t.Errorf("summary %q", got)
		}
		rows := diffRows(t, p)
		for _, w := range []struct{ kind, subject, what, from, to string }{
			{"cookie", "__Host-sid", "httpOnly", "true", "false"},
			{"session", "__Host-sid", "rotation at login (step 4)", "yes", "no"},
			{"finding", analysis.RuleSessionFixation, "new", "", "high"},
			{"finding", "COOKIE-HTTPONLY-MISSING", "new", "", "medium"},
		} {
			r := findRow(rows, w.kind, w.subject, w.what)
			if r == nil {
				t.Errorf("no row for %s %s %s", w.kind, w.subject, w.what)
				continue
			}
			if r.From != w.from || r.To != w.to || !strings.Contains(r.Class, "reg") || !strings.Contains(r.Text, "⚠ REGRESSION") {
				t.Errorf("%s %s %s: %+v, want %s → %s marked ⚠ REGRESSION", w.kind, w.subject, w.what, r, w.from, w.to)
			}
		}
		// The cookie side by side, the changed attribute highlighted in both.
		hl := eval[[]string](t, p, `[...document.querySelectorAll("#diff-list tr.dcookie mark.chip.hl.reg")].map(m => m.textContent)`)
		if strings.Join(hl, "|") != "HttpOnly|no HttpOnly" {
			t.Errorf("highlighted attributes of __Host-sid: %q, want A's HttpOnly and B's no HttpOnly", hl)
		}
		if n := eval[int](t, p, `document.querySelectorAll("#diff-list .nreg").length`); n != 1 {
			t.Errorf("the scenario's heading does not count its regressions")
		}
		// Only regressions: all four are.
		p.click(t, "#diff-reg")
		waitFor(t, p, `document.getElementById("diff-reg").checked`)
		if n := len(diffRows(t, p)); n != 4 {
			t.Errorf("only regressions shows %d rows, want 4", n)
		}
		p.click(t, "#diff-reg")
		waitFor(t, p, `!document.getElementById("diff-reg").checked`)
	})

	t.Run("keyboard, detail and links into run B", func(t *testing.T) {
		p.do(t, chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`))
		p.do(t, chromedp.KeyEvent("1"))
		waitFor(t, p, `document.querySelector("#tabs button.on").dataset.view === "overview"`)
		if txt := eval[string](t, p, `document.getElementById("view").innerText`); !strings.Contains(txt, "Compared with run B: 1 of 1 scenarios changed") {
			t.Errorf("the overview does not say that the run is compared: %.300q", txt)
		}
		p.do(t, chromedp.KeyEvent("6"))
		waitFor(t, p, `document.querySelector("#tabs button.on").dataset.view === "diff" && document.getElementById("diff-summary") !== null`)
		p.do(t, chromedp.KeyEvent("j"))
		waitFor(t, p, `document.querySelector('#diff-list tr.dchg.sel[data-change="0"]') !== null`)
		p.do(t, chromedp.KeyEvent("j"))
		waitFor(t, p, `document.querySelector('#diff-list tr.dchg.sel[data-change="1"]') !== null`)
		if h := eval[string](t, p, `location.hash`); !strings.Contains(h, "v=diff") || !strings.Contains(h, "dc=1") {
			t.Errorf("hash %q does not hold the selected change", h)
		}
		det := eval[string](t, p, `document.getElementById("change-detail").innerText`)
		if !strings.Contains(det, "yes") || !strings.Contains(det, "no") || !strings.Contains(det, "REGRESSION") {
			t.Errorf("detail of the rotation row: %q", det)
		}
		p.do(t, chromedp.KeyEvent("k"))
		waitFor(t, p, `document.querySelector('#diff-list tr.dchg.sel[data-change="0"]') !== null`)
		p.do(t, chromedp.KeyEvent("\x1b"))
		waitFor(t, p, `document.querySelector("#diff-list tr.dchg.sel") === null && document.getElementById("detail").hidden`)

		// A deep link opens the same change.
		p.open(t, base+"?open=run/a/index.json&compare=run/bl/index.json#v=diff&dc=1")
		waitFor(t, p, `document.querySelector('#diff-list tr.dchg.sel[data-change="1"]') !== null && !document.getElementById("detail").hidden`)

		// From the rotation row to B's session table at the login step.
		p.click(t, "#change-links .side-B a.go-sessions")
		waitFor(t, p, `document.getElementById("side").value === "1" && document.querySelector(".rowhead.sel") !== null`)
		if c := eval[string](t, p, `document.querySelector(".rowhead.sel").dataset.cookie`); c != "__Host-sid" {
			t.Errorf("the link selects cookie %q", c)
		}
		if n := eval[int](t, p, `document.querySelectorAll('.colhead.sel[data-step="4"]').length`); n != 1 {
			t.Errorf("the link does not select the login step 4")
		}
		// The views show B now: its own analysis, as audit makes it.
		want, err := json.Marshal(analysis.AnalyzeAll(runRecordings(t, filepath.Join(dir, "bl"))))
		if err != nil {
			t.Fatal(err)
		}
		if got := eval[string](t, p, `stReport()`); got != string(want) {
			t.Errorf("showing run B: the page's analysis differs from analysis.AnalyzeAll of B")
		}
		// And back to A with the run menu.
		p.setField(t, "side", "0", "change")
		waitFor(t, p, `document.getElementById("side").value === "0" && !location.hash.includes("run=b")`)
	})

	t.Run("screenshots light and dark", func(t *testing.T) {
		shots := artifactDir(t)
		docs := os.Getenv("ST_DOCS_IMG") // go test -run TestInspectorDiffLab/screenshots ./cli/ with ST_DOCS_IMG=../docs/img
		for _, dark := range []bool{false, true} {
			p.setDark(t, dark)
			theme := map[bool]string{false: "light", true: "dark"}[dark]
			p.goHash(t, "v=diff&dc=0", "#diff-list tr.dchg.sel")
			waitFor(t, p, `document.fonts.status === "loaded"`)
			viewFilled(t, p, "diff", 30, 100)
			p.screenshot(t, shots, "diff-"+theme)
			if docs != "" && !dark {
				p.docShot(t, filepath.Join(docs, "inspector-diff.png"))
			}
		}
		p.setDark(t, false)
		t.Logf("screenshots in %s", shots)
	})

	t.Run("narrow screen", func(t *testing.T) {
		n := newPage(t, 420, 860)
		n.open(t, base+"?open=run/a/index.json&compare=run/bl/index.json#v=diff&dc=0")
		waitFor(t, n, `document.querySelector("#diff-list tr.dchg.sel") !== null`)
		viewFilled(t, n, "diff", 30, 100)
		if w := eval[float64](t, n, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); w > 1 {
			t.Errorf("the page is %.0f px wider than the window", w)
		}
		n.screenshot(t, artifactDir(t), "narrow-diff")
	})

	t.Run("failed at step 1: status and a note", func(t *testing.T) {
		openDiff(t, p, base, dir, "a", "b")
		rows := diffRows(t, p)
		if r := findRow(rows, "scenario", "", "status"); r == nil || r.From != "passed" || r.To != "failed" || !strings.Contains(r.Text, "REGRESSION") {
			t.Errorf("status row: %+v", r)
		}
		if txt := eval[string](t, p, `document.querySelector("#diff-list ul.dnotes").innerText`); !strings.Contains(txt, "steps 2-7 ran only in A (B failed at step 1)") {
			t.Errorf("notes: %q", txt)
		}
	})

	t.Run("two runs of the same site: no changes", func(t *testing.T) {
		openDiff(t, p, base, dir, "a", "a2")
		if got := eval[string](t, p, `document.getElementById("diff-summary").textContent`); got != "no changes in 1 scenario" {
			t.Errorf("summary %q", got)
		}
		if txt := eval[string](t, p, `document.querySelector("#diff-list tr.dnone").innerText`); !strings.Contains(txt, "no changes") {
			t.Errorf("the scenario does not say it has no changes: %q", txt)
		}
		p.screenshot(t, artifactDir(t), "diff-no-changes")
	})

	t.Run("compare with files picked or dropped", func(t *testing.T) {
		p.open(t, base+"?open=run/a/index.json")
		p.goHash(t, "v=diff", "#view .landing")
		if n := eval[int](t, p, `document.querySelectorAll('#view label[for="pick-cmp"]').length`); n != 1 {
			t.Errorf("the diff view without a second run offers no way to pick one")
		}
		files := []string{filepath.Join(dir, "bl", "index.json")}
		recs, _ := filepath.Glob(filepath.Join(dir, "bl", "recordings", "*.json"))
		files = append(files, recs...)
		p.do(t, chromedp.SetUploadFiles(chromedp.ID("pick-cmp"), files))
		want := "1 of 1 scenarios changed: 4 changes, 4 regressions, 0 improvements"
		waitFor(t, p, `document.getElementById("diff-summary") !== null && document.getElementById("diff-summary").textContent === `+strconv.Quote(want))
		if txt := eval[string](t, p, `document.getElementById("source").textContent`); !strings.Contains(txt, "Comparing A: run/a/index.json") {
			t.Errorf("the page does not say what it compares: %q", txt)
		}
		// Dropped on the right half: compared (as B) with the open run.
		data, err := os.ReadFile(recs[0])
		if err != nil {
			t.Fatal(err)
		}
		p.do(t, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const dt = new DataTransfer();
			dt.items.add(new File([%s], "b.json", {type: "application/json"}));
			document.getElementById("view").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true, clientX: innerWidth * 0.75, clientY: 300}));
			})()`, strconv.Quote(string(data)))))
		waitFor(t, p, `document.getElementById("source").textContent.includes("with B: b.json")`)
		if got := eval[string](t, p, `document.getElementById("diff-summary").textContent`); got != want {
			t.Errorf("after a drop: summary %q, want %q", got, want)
		}
	})

	if errs := p.errors(); len(errs) > 0 {
		t.Errorf("the page threw: %v", errs)
	}
}

// A hostile recording opened as run B: every string it brings renders as
// inert text in the diff view and its detail pane, with and without a CSP.
func TestInspectorDiffXSS(t *testing.T) {
	plain, err := os.ReadFile("../analysis/testdata/lab/mixed.json")
	if err != nil {
		t.Fatal(err)
	}
	hostileData, err := recording.Encode(hostile(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"static without CSP", "serve"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "a.json"), plain, 0o644)
			os.WriteFile(filepath.Join(dir, "xss.json"), hostileData, 0o644)
			url := ""
			if mode == "serve" {
				url = serveDir(t, dir) + "?open=run/a.json&compare=run/xss.json"
			} else {
				url = staticRun(t, dir, true) + "?open=a.json&compare=xss.json"
			}
			p := newPage(t, 1280, 800)
			if _, err := chromedp.Call(p.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
				Source: `window.__csp = []; document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`}); err != nil {
				t.Fatal(err)
			}
			p.open(t, url)
			waitFor(t, p, `document.getElementById("diff-summary") !== null`)
			check := func(where string) {
				t.Helper()
				type state struct {
					XSS      any
					Injected []string
					CSP      []string
				}
				st := eval[state](t, p, `({XSS: window.__xss === undefined ? null : window.__xss,
					Injected: [...document.querySelectorAll("img, iframe, object, embed, svg:not(#tl-svg):not(.lg svg):not(.legend svg), script:not([src]), [onerror], [onload], [onclick], a[href^='javascript:' i]")].map(e => e.outerHTML.slice(0, 80)),
					CSP: window.__csp})`)
				if st.XSS != nil || len(st.Injected) > 0 || len(st.CSP) > 0 {
					t.Fatalf("%s: script ran (%v), elements injected %q, CSP violations %q", where, st.XSS, st.Injected, st.CSP)
				}
			}
			check("diff")
			if !eval[bool](t, p, `document.getElementById("view").innerText.includes('<img src=x onerror="window.__xss')`) {
				t.Errorf("the payload is not shown as text in the diff")
			}
			n := eval[int](t, p, `document.querySelectorAll("#diff-list tr.dchg").length`)
			if n < 3 {
				t.Fatalf("the hostile run shows only %d changes", n)
			}
			for i := range n {
				p.goHash(t, "v=diff&dc="+strconv.Itoa(i), "#change-detail")
				check("change " + strconv.Itoa(i))
			}
			p.click(t, `button[data-act="export:diff"]`)
			if txt := eval[string](t, p, `window.stLastDownload.data`); !strings.Contains(txt, "<img src=x") {
				t.Errorf("the exported text lacks the hostile names")
			}
			// Run B in the other views.
			p.setField(t, "side", "1", "change")
			waitFor(t, p, `document.querySelector("#ov-scenarios") !== null && location.hash.includes("run=b")`)
			check("overview of B")
			p.goHash(t, "v=findings&run=b", ".finding")
			check("findings of B")
			if errs := p.errors(); len(errs) > 0 {
				t.Errorf("the page threw: %v", errs)
			}
		})
	}
}
