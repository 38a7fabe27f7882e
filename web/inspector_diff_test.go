package web_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/labtest"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/rundiff"
)

// End-to-end tests of the inspector's diff view (issue 6) in real headless
// Chromium: two runs opened together, compared in the page by package
// rundiff, must show what `sessiontrace diff` prints.

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
	_, text, stderr := sessiontrace(t, "diff", filepath.Join(dir, a), filepath.Join(dir, b))
	if got := eval[string](t, p, `document.getElementById("st-diff").textContent`); withoutHeader(t, got) != withoutHeader(t, text) {
		t.Errorf("%s vs %s: the page's diff differs from sessiontrace diff's\npage:\n%s\ncli:\n%s%s", a, b, got, text, stderr)
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if got := eval[string](t, p, `document.getElementById("diff-summary").textContent`); got != lines[len(lines)-1] {
		t.Errorf("summary %q, sessiontrace diff says %q", got, lines[len(lines)-1])
	}
	_, jsonOut, _ := sessiontrace(t, "diff", "--format", "json", filepath.Join(dir, a), filepath.Join(dir, b))
	var d rundiff.Diff
	if err := json.Unmarshal([]byte(jsonOut), &d); err != nil || d.Schema != rundiff.Schema {
		t.Fatalf("diff JSON (schema %q): %v\n%s", d.Schema, err, jsonOut)
	}
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
	return &d
}

func findRow(rows []diffRow, kind, subject, what string) *diffRow {
	for i := range rows {
		if rows[i].Kind == kind && rows[i].Subject == subject && rows[i].What == what {
			return &rows[i]
		}
	}
	return nil
}

// The runs of labtest.DiffRuns: a and a2 against the lab's correct.test,
// b and bl against regressed.test.
func TestInspectorDiffLab(t *testing.T) {
	dir := t.TempDir()
	labtest.DiffRuns(t, dir, func(args ...string) (int, string, string) { return sessiontrace(t, args...) })
	base := labtest.Serve(t, dir)
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
		analysedAsAudit(t, p, "showing run B", runRecordings(t, filepath.Join(dir, "bl"))...)
		// And back to A with the run menu.
		p.setField(t, "side", "0", "change")
		waitFor(t, p, `document.getElementById("side").value === "0" && !location.hash.includes("run=b")`)
	})

	t.Run("screenshots light and dark", func(t *testing.T) {
		shots := artifactDir(t)
		docs := os.Getenv("ST_DOCS_IMG") // go test -run TestInspectorDiffLab/screenshots ./web/ with ST_DOCS_IMG=../docs/img
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
		notWider(t, n, "diff")
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
		p.drop(t, 0.75, recs[0])
		waitFor(t, p, `document.getElementById("source").textContent.includes(`+strconv.Quote("with B: "+filepath.Base(recs[0]))+`)`)
		if got := eval[string](t, p, `document.getElementById("diff-summary").textContent`); got != want {
			t.Errorf("after a drop: summary %q, want %q", got, want)
		}
	})

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
	for _, mode := range xssModes {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "a.json"), plain, 0o644)
			os.WriteFile(filepath.Join(dir, "xss.json"), hostileData, 0o644)
			base, run := hostileServer(t, mode, dir)
			p := newPage(t, 1280, 800)
			p.watchCSP(t)
			p.open(t, base+"?open="+run+"a.json&compare="+run+"xss.json")
			waitFor(t, p, `document.getElementById("diff-summary") !== null`)
			inert(t, p, "diff")
			if !eval[bool](t, p, `document.getElementById("view").innerText.includes('<img src=x onerror="window.__xss')`) {
				t.Errorf("the payload is not shown as text in the diff")
			}
			n := eval[int](t, p, `document.querySelectorAll("#diff-list tr.dchg").length`)
			if n < 3 {
				t.Fatalf("the hostile run shows only %d changes", n)
			}
			for i := range n {
				p.goHash(t, "v=diff&dc="+strconv.Itoa(i), "#change-detail")
				inert(t, p, "change "+strconv.Itoa(i))
			}
			p.click(t, `button[data-act="export:diff"]`)
			if txt := eval[string](t, p, `window.stLastDownload.data`); !strings.Contains(txt, "<img src=x") {
				t.Errorf("the exported text lacks the hostile names")
			}
			// Run B in the other views.
			p.setField(t, "side", "1", "change")
			waitFor(t, p, `document.querySelector("#ov-scenarios") !== null && location.hash.includes("run=b")`)
			inert(t, p, "overview of B")
			p.goHash(t, "v=findings&run=b", ".finding")
			inert(t, p, "findings of B")
		})
	}
}
