package web_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/synth"
	"github.com/sessiontrace/sessiontrace/internal/synth/runs"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// Suites of thousands: a run folder with its reports opens overview first,
// from index.json, summary.json and findings.json, and reads a recording
// only when its scenario is opened. The folders are made by runs.RunFolder
// from the lab's recordings.

// bigRun writes a run folder of n scenarios and returns it with its index.
func bigRun(t testing.TB, n int) (string, *recording.Index) {
	t.Helper()
	dir := t.TempDir()
	src, err := runs.Sources("../analysis/testdata/lab")
	if err != nil || len(src) == 0 {
		t.Fatalf("lab recordings: %v", err)
	}
	ix, err := runs.RunFolder(dir, src, n)
	if err != nil {
		t.Fatal(err)
	}
	return dir, ix
}

// A countingServer serves a run folder as a static server does (a CI
// artifact viewer) and records the recordings it was asked for, in order.
type countingServer struct {
	url  string
	mu   sync.Mutex
	recs []string
}

func newCountingServer(t testing.TB, dir string) *countingServer {
	t.Helper()
	c := &countingServer{}
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := strings.CutPrefix(r.URL.Path, "/"+runfolder.RecordingsDir+"/"); ok {
			c.mu.Lock()
			c.recs = append(c.recs, runfolder.RecordingsDir+"/"+p)
			c.mu.Unlock()
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c.url = srv.URL + "/"
	return c
}

// fetched lists the recordings asked for so far.
func (c *countingServer) fetched() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.recs)
}

// readReport reads findings.json of a run folder as encoding/json does.
func readReport(t testing.TB, dir string) *analysis.Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, runfolder.FindingsFile))
	if err != nil {
		t.Fatal(err)
	}
	var rep analysis.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	return &rep
}

// listedScenarios scrolls through the overview's list from top to bottom
// and returns the scenarios (data-sc) of the rows drawn, in order. After
// each scroll it waits until a row covers the new top of the view: only
// rows in view are drawn.
func listedScenarios(t testing.TB, p *tab) []int {
	t.Helper()
	got, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]int](`(async () => {
		const box = document.getElementById("ov-scroll"), out = [], seen = new Set();
		const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r)));
		const collect = () => { for (const tr of document.querySelectorAll("#ov-body tr.row")) if (!seen.has(tr.dataset.sc)) { seen.add(tr.dataset.sc); out.push(+tr.dataset.sc); } };
		for (let top = 0; ; top += Math.max(34, box.clientHeight - 68)) {
			box.scrollTop = top;
			const at = box.scrollTop;
			// The rows drawn must cover the view, from under the header to the
			// bottom (or the list's end): rows drawn for the last position
			// may still cover part of it.
			for (let i = 0; ; i++) {
				const rows = [...document.querySelectorAll("#ov-body tr.row")], b = box.getBoundingClientRect();
				const head = document.querySelector("#ov-scenarios thead").getBoundingClientRect().bottom;
				const body = document.getElementById("ov-body").getBoundingClientRect();
				if (rows.length === 0) break;
				const first = rows[0].getBoundingClientRect(), last = rows[rows.length - 1].getBoundingClientRect();
				if (first.top <= head + 1 && (last.bottom >= b.bottom - 1 || last.bottom >= body.bottom - 1)) break;
				if (i > 100) throw new Error("the rows drawn do not cover the view at " + at + JSON.stringify({n: rows.length, f: first.top, l: last.bottom, head, b: [b.top, b.bottom], body: [body.top, body.bottom], s0: rows[0].dataset.sc, st: rows[0].style.top}));
				await frame();
			}
			collect();
			if (at + box.clientHeight >= box.scrollHeight - 1) break;
		}
		box.scrollTop = 0;
		return out; })()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("scrolling through the list: %v", err)
	}
	return got
}

// The overview of 2,000 scenarios appears with no recording fetched and
// says what the files say; opening a scenario fetches that recording (and,
// when the page is idle, the next few of the list), and the page's analysis
// of it is findings.json's; the search finds scenarios by name, tag,
// status, cookie, rule and reset cause without reading a recording.
func TestInspectorScaleOverview(t *testing.T) {
	const n = 2000
	dir, ix := bigRun(t, n)
	rep := readReport(t, dir)
	srv := newCountingServer(t, dir)
	p := newPage(t, 1280, 900)
	p.open(t, srv.url)
	if got := srv.fetched(); len(got) != 0 {
		t.Fatalf("the overview fetched %d recordings: %v", len(got), got[:min(len(got), 5)])
	}
	waitFor(t, p, `document.body.dataset.stFindings === "loaded"`)
	if got := srv.fetched(); len(got) != 0 {
		t.Fatalf("reading findings.json fetched %d recordings", len(got))
	}

	shots := artifactDir(t)
	p.screenshot(t, shots, "overview-2000")
	// What the overview says is what the files say.
	t.Run("overview", func(t *testing.T) {
		totals := eval[string](t, p, `document.getElementById("ov-totals").textContent`)
		if want := fmt.Sprintf("%d scenarios: %d passed, %d failed", n, ix.Totals.Passed, ix.Totals.Failed); !strings.HasPrefix(totals, want) || ix.Totals.Failed == 0 {
			t.Errorf("totals %q, want %q...", totals, want)
		}
		bySev := map[analysis.Severity]int{}
		for _, f := range rep.Findings {
			bySev[f.Severity]++
		}
		for _, sev := range analysis.Severities {
			if got := eval[string](t, p, `document.querySelector("#ov-sev-`+string(sev)+` .n").textContent`); got != strconv.Itoa(bySev[sev]) {
				t.Errorf("%s: %s findings shown, findings.json has %d", sev, got, bySev[sev])
			}
		}
		resets := 0
		for _, s := range rep.Sessions {
			resets += len(s.Resets)
		}
		// A long plain text is there once its details are opened.
		p.click(t, "#ov-why summary")
		waitFor(t, p, `document.getElementById("ov-why-text").value !== ""`)
		if lines := strings.Count(eval[string](t, p, `document.getElementById("ov-why-text").value`), "\n"); lines != resets || resets < 100 {
			t.Errorf("%d reset sentences, findings.json has %d resets", lines, resets)
		}
		if li := eval[int](t, p, `document.querySelectorAll("#ov-why li").length`); li != 25 {
			t.Errorf("%d sentences listed, want the first 25", li)
		}
		type row struct {
			Sc                             int
			Name, Steps, Events, Resets, H string
		}
		rows := eval[[]row](t, p, `[...document.querySelectorAll("#ov-body tr.row")].map(tr => ({Sc: +tr.dataset.sc,
			Name: tr.querySelector("td.name a").textContent, Steps: tr.querySelector(".c-steps").textContent,
			Events: tr.querySelector(".c-events").textContent, Resets: tr.querySelector(".c-resets").textContent, H: tr.querySelector(".c-high").textContent}))`)
		if len(rows) < 10 || len(rows) > 60 {
			t.Fatalf("%d rows drawn for %d scenarios in a window of 900 px", len(rows), n)
		}
		for _, r := range rows {
			e := ix.Scenarios[r.Sc]
			resets, high := 0, 0
			for _, s := range rep.Sessions {
				if s.Scenario == e.Name {
					resets += len(s.Resets)
				}
			}
			for _, f := range rep.Findings {
				if f.Scenario == e.Name && f.Severity == analysis.High {
					high++
				}
			}
			if r.Name != e.Name || r.Steps != strconv.Itoa(e.Steps) || r.Events != strconv.Itoa(e.Events) || r.Resets != strconv.Itoa(resets) || r.H != strconv.Itoa(high) {
				t.Errorf("row %d: %+v, want %s with %d steps, %d events, %d resets, %d high", r.Sc, r, e.Name, e.Steps, e.Events, resets, high)
			}
		}
	})

	t.Run("search", func(t *testing.T) {
		// The expected sets, from the files: index.json, findings.json and
		// the recordings themselves (for the cookies).
		cookies := make([][]string, n)
		for i, e := range ix.Scenarios {
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(e.Recording)))
			if err != nil {
				t.Fatal(err)
			}
			var r recording.Recording
			if err := json.Unmarshal(data, &r); err != nil {
				t.Fatal(err)
			}
			for _, st := range r.Steps {
				for _, c := range st.Jar {
					cookies[i] = append(cookies[i], c.Name)
				}
			}
			for _, ev := range r.Events {
				cookies[i] = append(cookies[i], ev.Name)
			}
		}
		has := func(list []string, v string) bool {
			return slices.ContainsFunc(list, func(x string) bool { return strings.Contains(strings.ToLower(x), strings.ToLower(v)) })
		}
		want := func(match func(i int, e recording.IndexEntry) bool) []int {
			var out []int
			for i, e := range ix.Scenarios {
				if match(i, e) {
					out = append(out, i)
				}
			}
			return out
		}
		ruleOf, causeOf := map[string][]string{}, map[string][]string{}
		for _, f := range rep.Findings {
			ruleOf[f.Scenario] = append(ruleOf[f.Scenario], f.Rule)
		}
		for _, s := range rep.Sessions {
			for _, r := range s.Resets {
				causeOf[s.Scenario] = append(causeOf[s.Scenario], string(r.Cause))
			}
		}
		for _, c := range []struct {
			query string
			match func(i int, e recording.IndexEntry) bool
		}{
			{`name:"session handling #1"`, func(_ int, e recording.IndexEntry) bool { return strings.Contains(e.Name, "session handling #1") }},
			{"tag:batch-3", func(_ int, e recording.IndexEntry) bool { return has(e.Tags, "batch-3") }},
			{"status:failed", func(_ int, e recording.IndexEntry) bool { return e.Status == recording.StatusFailed }},
			{"cookie:_sso", func(i int, _ recording.IndexEntry) bool { return has(cookies[i], "_sso") }},
			{"rule:SESSION-FIXATION", func(_ int, e recording.IndexEntry) bool { return has(ruleOf[e.Name], "SESSION-FIXATION") }},
			{"cause:node-switch", func(_ int, e recording.IndexEntry) bool { return has(causeOf[e.Name], "node-switch") }},
			{"tag:batch-2 status:failed", func(_ int, e recording.IndexEntry) bool {
				return has(e.Tags, "batch-2") && e.Status == recording.StatusFailed
			}},
			{"expiry", func(i int, e recording.IndexEntry) bool { // any field
				return strings.Contains(strings.ToLower(e.Name), "expiry") || has(e.Tags, "expiry") || has(cookies[i], "expiry") ||
					has(ruleOf[e.Name], "expiry") || has(causeOf[e.Name], "expiry")
			}},
		} {
			exp := want(c.match)
			if len(exp) == 0 || len(exp) == n {
				t.Fatalf("%s: %d of %d scenarios match: the search would not be seen to filter", c.query, len(exp), n)
			}
			p.setField(t, "ov-q", c.query, "input")
			waitFor(t, p, `document.getElementById("ov-count").textContent === `+strconv.Quote(fmt.Sprintf("%d of %d scenarios", len(exp), n)))
			if got := listedScenarios(t, p); !slices.Equal(got, exp) {
				t.Errorf("%s: the list shows %d scenarios, want %d (first %v, want %v)", c.query, len(got), len(exp), got[:min(5, len(got))], exp[:min(5, len(exp))])
			}
		}
		p.setField(t, "ov-q", "", "input")
		waitFor(t, p, `document.getElementById("ov-count").textContent === "2000 scenarios"`)
		if got := srv.fetched(); len(got) != 0 {
			t.Errorf("the search fetched %d recordings", len(got))
		}
	})

	t.Run("open a scenario", func(t *testing.T) {
		k := 1234
		e := ix.Scenarios[k]
		p.goHash(t, fmt.Sprintf("v=sessions&s=%d", k), ".rowhead")
		got := srv.fetched()
		if len(got) == 0 || got[0] != e.Recording {
			t.Fatalf("opening scenario %d fetched %v first, want %s", k, got, e.Recording)
		}
		// Then, when the page is idle, the next three of the list, and no other.
		waitFor(t, p, `document.body.dataset.stPrefetch === "done"`)
		got = srv.fetched()
		want := []string{e.Recording, ix.Scenarios[k+1].Recording, ix.Scenarios[k+2].Recording, ix.Scenarios[k+3].Recording}
		if !slices.Equal(got, want) {
			t.Errorf("fetched %v, want %v", got, want)
		}
		// The page's analysis of it is findings.json's part for it.
		var page analysis.Report
		if err := json.Unmarshal([]byte(eval[string](t, p, `stScenarioReport()`)), &page); err != nil {
			t.Fatal(err)
		}
		checkScenarioReport(t, rep, &page, e.Name)
		// Its timeline and requests come from the recording read.
		p.goHash(t, fmt.Sprintf("v=requests&s=%d", k), "#req-body .req-row")
		if txt := eval[string](t, p, `document.getElementById("req-count").textContent`); txt != fmt.Sprintf("%d of %d requests", e.Requests, e.Requests) {
			t.Errorf("requests view: %q, the index says %d", txt, e.Requests)
		}
		// A prefetched one opens without another fetch.
		p.goHash(t, fmt.Sprintf("v=sessions&s=%d", k+1), ".rowhead")
		if got := srv.fetched(); len(got) < 4 || !slices.Equal(got[:4], want) || slices.Contains(got[4:], ix.Scenarios[k+1].Recording) {
			t.Errorf("opening a prefetched scenario fetched it again: %v", got)
		}
	})

	t.Run("findings across scenarios", func(t *testing.T) {
		p.goHash(t, "v=findings", ".finding")
		p.screenshot(t, shots, "findings-2000")
		if got := eval[string](t, p, `document.getElementById("find-count").textContent`); got != fmt.Sprintf("%d findings", len(rep.Findings)) {
			t.Errorf("find-count %q, findings.json has %d", got, len(rep.Findings))
		}
		drawn := eval[int](t, p, `document.querySelectorAll("#find-body .finding").length`)
		if drawn == 0 || drawn > 40 {
			t.Errorf("%d finding cards drawn of %d", drawn, len(rep.Findings))
		}
		// The last finding of the list, after a scroll to the end.
		p.do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("find-list").scrollTop = 1e9`))
		// Drawn for the new place: the last card drawn ends the list (a
		// card is 8 px shorter than its row).
		waitFor(t, p, `(() => { const c = document.querySelector("#find-body .finding:last-child");
			return c !== null && c.getBoundingClientRect().bottom >= document.getElementById("find-body").getBoundingClientRect().bottom - 9; })()`)
		last := eval[int](t, p, `+document.querySelector("#find-body .finding:last-child").dataset.finding`)
		// Findings are listed by severity, then rule: the last is of the
		// lowest severity there is.
		lowest := rep.Findings[len(rep.Findings)-1].Severity
		if last < 0 || rep.Findings[last].Severity != lowest {
			t.Errorf("the last card drawn is finding %d, want one of severity %s", last, lowest)
		}
		if drawn := eval[int](t, p, `document.querySelectorAll("#find-body .finding").length`); drawn > 40 {
			t.Errorf("%d finding cards drawn after scrolling", drawn)
		}
		// A finding of an unopened scenario links to its request there.
		fi := slices.IndexFunc(rep.Findings, func(f analysis.Finding) bool { return f.Request != "" && strings.HasSuffix(f.Scenario, "#1999") })
		if fi < 0 {
			t.Fatal("no finding with a request in scenario 1999")
		}
		p.goHash(t, fmt.Sprintf("v=findings&f=%d", fi), fmt.Sprintf(`.finding.sel[data-finding="%d"]`, fi))
		p.click(t, fmt.Sprintf(`.finding[data-finding="%d"] a.go-request`, fi))
		waitFor(t, p, `document.querySelector("#req-body .req-row.sel") !== null`)
		if id := eval[string](t, p, `document.querySelector("#req-body .req-row.sel").dataset.req`); id != rep.Findings[fi].Request {
			t.Errorf("selected request %s, want %s", id, rep.Findings[fi].Request)
		}
	})
}

// checkScenarioReport fails when the page's analysis of one scenario is not
// what findings.json says of it.
func checkScenarioReport(t testing.TB, run, page *analysis.Report, scenario string) {
	t.Helper()
	var want analysis.Report
	for _, f := range run.Findings {
		if f.Scenario == scenario {
			want.Findings = append(want.Findings, f)
		}
	}
	for _, s := range run.Sessions {
		if s.Scenario == scenario {
			want.Sessions = append(want.Sessions, s)
		}
	}
	for _, a := range run.Auth {
		if a.Scenario == scenario {
			want.Auth = append(want.Auth, a)
		}
	}
	if len(want.Sessions) == 0 || len(want.Auth) != 1 {
		t.Fatalf("findings.json has %d sessions and %d lanes of %s", len(want.Sessions), len(want.Auth), scenario)
	}
	if !reflect.DeepEqual(want.Sessions, page.Sessions) || !reflect.DeepEqual(want.Auth, page.Auth) || !reflect.DeepEqual(want.Findings, page.Findings) {
		t.Errorf("%s: the page's analysis differs from findings.json (%d/%d findings, %d/%d sessions)", scenario,
			len(page.Findings), len(want.Findings), len(page.Sessions), len(want.Sessions))
	}
}

// 20,000 scenarios: the overview draws a bounded number of rows, scrolling
// draws later ones, and findings.json (too big to read unasked) waits; the
// overview is whole without it.
func TestInspectorScale20k(t *testing.T) {
	const n = 20_000
	dir, ix := bigRun(t, n)
	srv := newCountingServer(t, dir)
	p := newPage(t, 1280, 900)
	p.open(t, srv.url)
	waitFor(t, p, `document.body.dataset.stFindings === "deferred"`)
	if got := srv.fetched(); len(got) != 0 {
		t.Fatalf("the overview fetched %d recordings", len(got))
	}
	rows := func() int { return eval[int](t, p, `document.querySelectorAll("#ov-body tr.row").length`) }
	if r := rows(); r < 10 || r > 60 {
		t.Fatalf("%d rows drawn of %d", r, n)
	}
	for _, at := range []int{n / 2, n - 1} {
		p.do(t, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById("ov-scroll").scrollTop = %d * 34`, at)))
		waitFor(t, p, fmt.Sprintf(`document.querySelector('#ov-body tr.row[data-sc="%d"]') !== null`, at))
		if name := eval[string](t, p, fmt.Sprintf(`document.querySelector('#ov-body tr.row[data-sc="%d"] td.name a').textContent`, at)); name != ix.Scenarios[at].Name {
			t.Errorf("row %d shows %q, want %q", at, name, ix.Scenarios[at].Name)
		}
		if r := rows(); r > 60 {
			t.Errorf("%d rows drawn after scrolling to %d", r, at)
		}
	}
	// The keyboard walks the list and keeps the selection in view.
	p.do(t, chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`))
	p.do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("ov-scroll").scrollTop = 0`))
	waitFor(t, p, `document.querySelector('#ov-body tr.row[data-sc="0"]') !== null`)
	for range 40 {
		p.do(t, chromedp.KeyEvent("j"))
	}
	waitFor(t, p, `document.querySelector('#ov-body tr.row.sel[data-sc="40"]') !== null`)
	if r := eval[bool](t, p, `(() => { const box = document.getElementById("ov-scroll").getBoundingClientRect(), r = document.querySelector('#ov-body tr.row.sel').getBoundingClientRect();
		return r.top >= box.top && r.bottom <= box.bottom; })()`); !r {
		t.Errorf("the selected row is out of view")
	}
	// The resets' sentences come from summary.json; the findings view
	// says that findings.json waits for a click.
	if li := eval[int](t, p, `document.querySelectorAll("#ov-why li").length`); li != 25 {
		t.Errorf("%d reset sentences listed without findings.json, want 25", li)
	}
	p.goHash(t, "v=findings", `button[data-act="load-findings"]`)
	if txt := eval[string](t, p, `document.getElementById("view").textContent`); !strings.Contains(txt, "not read yet") {
		t.Errorf("the findings view does not say findings.json waits: %q", txt)
	}
	if got := srv.fetched(); len(got) != 0 {
		t.Errorf("%d recordings fetched", len(got))
	}
}

// A run folder's index.json, summary.json and findings.json carry what the
// site and the scenario files chose: hostile scenario names, tags, cookie
// names, errors and warnings render as inert text in the overview, its
// search, the findings and the scenario opened from there.
func TestInspectorScaleXSS(t *testing.T) {
	const img = `<img src=x onerror="window.__xss=(window.__xss||0)+1">`
	r := hostile(t)
	r.Scenario.Tags = []string{img, "tag-" + img}
	clean := labRecording(t, "correct")
	recs := []*recording.Recording{r, clean}
	for _, mode := range xssModes {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			d := runfolder.Dir(dir)
			ix := &recording.Index{Schema: recording.IndexSchema, Tool: img, Status: recording.StatusFailed}
			if err := d.Create(); err != nil {
				t.Fatal(err)
			}
			for i, rec := range recs {
				name := fmt.Sprintf("recordings/r%d.json", i)
				if err := d.WriteRecording(name, rec); err != nil {
					t.Fatal(err)
				}
				ix.Scenarios = append(ix.Scenarios, recording.IndexEntry{Name: rec.Scenario.Name, File: rec.Scenario.File, Recording: name,
					Status: rec.Status, Error: rec.Error, Start: rec.Start, End: rec.End, Steps: len(rec.Steps), Requests: len(rec.Requests),
					Events: len(rec.Events), Tags: rec.Scenario.Tags})
				ix.Totals.Add(rec.Status)
			}
			rep := analysis.AnalyzeAll(recs)
			if err := errors.Join(d.WriteIndex(ix), d.WriteFindings(rep), d.WriteSummary(runfolder.NewSummary(ix, rep, recs, 1, ""))); err != nil {
				t.Fatal(err)
			}
			base, _ := hostileServer(t, mode, dir)
			p := newPage(t, 1280, 800)
			p.watchCSP(t)
			p.open(t, base)
			waitFor(t, p, `document.body.dataset.stFindings === "loaded"`)
			inert(t, p, "overview")
			shownAsText(t, p, "overview")
			if n := eval[int](t, p, `document.querySelectorAll("#ov-why li").length`); n == 0 {
				t.Errorf("no reset sentence in the overview")
			}
			// The search finds the hostile scenario by its cookie names and tags.
			for _, q := range []string{"cookie:<img", "tag:tag-<img", "name:<img"} {
				p.setField(t, "ov-q", q, "input")
				waitFor(t, p, `document.getElementById("ov-count").textContent === "1 of 2 scenarios"`)
				if sc := eval[string](t, p, `document.querySelector("#ov-body tr.row").dataset.sc`); sc != "0" {
					t.Errorf("%s finds scenario %s", q, sc)
				}
				inert(t, p, "search "+q)
				shownAsText(t, p, "search "+q)
			}
			p.setField(t, "ov-q", "cookie:__Host-sid", "input")
			waitFor(t, p, `document.getElementById("ov-count").textContent === "1 of 2 scenarios"`)
			if sc := eval[string](t, p, `document.querySelector("#ov-body tr.row").dataset.sc`); sc != "1" {
				t.Errorf("cookie:__Host-sid finds scenario %s", sc)
			}
			p.setField(t, "ov-q", "", "input")
			p.goHash(t, "v=findings", ".finding")
			inert(t, p, "findings")
			shownAsText(t, p, "findings")
			// The scenario, opened from the overview's link: its recording read now.
			p.goHash(t, "v=overview", `#ov-body tr.row[data-sc="0"] td.name a`)
			p.click(t, `#ov-body tr.row[data-sc="0"] td.name a`)
			waitFor(t, p, `document.querySelector(".rowhead") !== null`)
			inert(t, p, "sessions")
			shownAsText(t, p, "sessions")
			p.goHash(t, "v=timeline&s=0", "#tl-svg .mk")
			inert(t, p, "timeline")
		})
	}
}

// The requests view of a journey of 20,000 requests draws a bounded number
// of rows, and scrolling draws the later ones.
func TestInspectorScaleRequests(t *testing.T) {
	dir := t.TempDir()
	data, err := recording.Encode(synth.Recording(20_000, 40_000))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "big.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	base := staticRun(t, dir, false)
	p := newPage(t, 1280, 900)
	p.open(t, base+"?open=big.json")
	p.goHash(t, "v=requests", "#req-body .req-row")
	if txt := eval[string](t, p, `document.getElementById("req-count").textContent`); txt != "20000 of 20000 requests" {
		t.Fatalf("req-count %q", txt)
	}
	rows := func() int { return eval[int](t, p, `document.querySelectorAll("#req-body .req-row").length`) }
	if n := rows(); n < 10 || n > 60 {
		t.Errorf("%d request rows drawn of 20,000", n)
	}
	p.do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("req-scroll").scrollTop = 1e9`))
	waitFor(t, p, `[...document.querySelectorAll("#req-body .req-row")].some(r => r.firstElementChild.textContent === "20000")`)
	if n := rows(); n > 60 {
		t.Errorf("%d request rows drawn after scrolling", n)
	}
}
