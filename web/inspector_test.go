package web_test

import (
	"bytes"
	"compress/gzip"
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
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/cli"
	"github.com/sessiontrace/sessiontrace/internal/labtest"
	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/internal/synth"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/recording/har"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// End-to-end tests of the inspector (this package's page, built from
// wasm/) in real headless Chromium; the helpers are in page_test.go.

func scenarioIndex(t testing.TB, recs []*recording.Recording, file string) int {
	for i, r := range recs {
		if strings.HasSuffix(r.Scenario.File, "/"+file+".yaml") {
			return i
		}
	}
	t.Fatalf("no scenario %s", file)
	return -1
}

func TestInspectorLabRun(t *testing.T) {
	dir, recs := labtest.RunFolder(t)
	base := labtest.Serve(t, dir)
	p := newPage(t, 1280, 800)
	p.open(t, base)
	rep := analysis.AnalyzeAll(recs)

	t.Run("page analysis equals audit", func(t *testing.T) {
		analysedAsAudit(t, p, "the lab run", recs...)
	})

	t.Run("overview", func(t *testing.T) {
		rows := eval[int](t, p, `document.querySelectorAll("#ov-scenarios tbody tr").length`)
		if rows != len(recs) {
			t.Fatalf("%d scenario rows, want %d", rows, len(recs))
		}
		totals := eval[string](t, p, `document.getElementById("ov-totals").textContent`)
		if want := fmt.Sprintf("%d scenarios: %d passed", len(recs), len(recs)); !strings.HasPrefix(totals, want) {
			t.Errorf("totals %q, want %q...", totals, want)
		}
		counts := map[analysis.Severity]int{}
		for _, f := range rep.Findings {
			counts[f.Severity]++
		}
		for _, sev := range analysis.Severities {
			got := eval[string](t, p, `document.querySelector("#ov-sev-`+string(sev)+` .n").textContent`)
			if got != strconv.Itoa(counts[sev]) {
				t.Errorf("%s findings: page %s, audit %d", sev, got, counts[sev])
			}
		}
		for i, r := range recs {
			cell := func(c string) string {
				return eval[string](t, p, fmt.Sprintf(`document.querySelector('#ov-scenarios tr[data-sc="%d"] .%s').textContent`, i, c))
			}
			if cell("c-steps") != strconv.Itoa(len(r.Steps)) || cell("c-requests") != strconv.Itoa(len(r.Requests)) || cell("c-events") != strconv.Itoa(len(r.Events)) {
				t.Errorf("%s: counts %s/%s/%s", r.Scenario.Name, cell("c-steps"), cell("c-requests"), cell("c-events"))
			}
			resets := 0
			for _, s := range rep.Sessions {
				if s.Scenario == r.Scenario.Name {
					resets += len(s.Resets)
				}
			}
			if cell("c-resets") != strconv.Itoa(resets) {
				t.Errorf("%s: %s resets, want %d", r.Scenario.Name, cell("c-resets"), resets)
			}
		}
		viewFilled(t, p, "overview", 100, 500)
	})

	t.Run("session table shows rotation at login", func(t *testing.T) {
		sc := scenarioIndex(t, recs, "correct")
		r := recs[sc]
		login := -1
		for i, s := range r.Steps {
			if s.As == "login" {
				login = i
				break
			}
		}
		if login < 1 {
			t.Fatal("the correct scenario has no login step")
		}
		p.goHash(t, fmt.Sprintf("v=sessions&s=%d", sc), `.rowhead.sessid`)
		cookie := eval[string](t, p, `document.querySelector(".rowhead.sessid").dataset.cookie`)
		if cookie != "__Host-sid" {
			t.Fatalf("first session row is %q", cookie)
		}
		type cell struct {
			FP, BG string
		}
		get := func(step int) cell {
			return eval[cell](t, p, fmt.Sprintf(`(() => { const c = document.querySelector('.cell[data-cookie="__Host-sid"][data-step="%d"]');
				return c ? {FP: c.dataset.fp || "", BG: getComputedStyle(c).backgroundColor} : {FP: "", BG: ""}; })()`, step))
		}
		before, after := get(login-1), get(login)
		if before.FP == "" || after.FP == "" {
			t.Fatalf("no session cookie in the cells around the login: %+v %+v", before, after)
		}
		if before.FP == after.FP || before.BG == after.BG {
			t.Errorf("rotation at login not visible: before %+v, after %+v", before, after)
		}
		jar := r.Steps[login].Jar
		if i := slices.IndexFunc(jar, func(c recording.Cookie) bool { return c.Name == "__Host-sid" }); i < 0 || after.FP != jar[i].Value.Fingerprint {
			t.Errorf("cell after login shows %s, the jar has %+v", after.FP, jar)
		}
		if eval[string](t, p, fmt.Sprintf(`document.querySelector('.cell[data-cookie="__Host-sid"][data-step="%d"]').className`, login)) == "" ||
			!strings.Contains(eval[string](t, p, fmt.Sprintf(`document.querySelector('.cell[data-cookie="__Host-sid"][data-step="%d"]').className`, login)), "chg-rotated") {
			t.Errorf("the login cell is not marked as a new value")
		}
		viewFilled(t, p, "sessions", 50, 100)
		// Compare two columns.
		p.setField(t, "cmp-a", strconv.Itoa(login-1), "change")
		p.setField(t, "cmp-b", strconv.Itoa(login), "change")
		waitFor(t, p, `document.querySelector("#cmp-list li.changed") !== null`)
		if txt := eval[string](t, p, `document.getElementById("cmp-list").textContent`); !strings.Contains(txt, "__Host-sid") {
			t.Errorf("compare does not list the rotated cookie: %q", txt)
		}
	})

	t.Run("timeline withheld SecureOnly and reset cause", func(t *testing.T) {
		sc := scenarioIndex(t, recs, "mixed")
		p.goHash(t, fmt.Sprintf("v=timeline&s=%d", sc), `#tl-svg .lane`)
		sel := `#tl-svg .lane-marks[data-cookie="JSESSIONID"] .mk.m-withheld[data-reasons~="SecureOnly"]`
		waitFor(t, p, `document.querySelector('`+sel+`') !== null`)
		title := eval[string](t, p, `document.querySelector('`+sel+` title').textContent`)
		if !strings.Contains(title, "SecureOnly") || !strings.Contains(title, recording.ReasonText("SecureOnly")) {
			t.Errorf("withheld mark's hover text: %q", title)
		}
		p.click(t, sel)
		waitFor(t, p, `document.getElementById("event-reasons") !== null`)
		if txt := eval[string](t, p, `document.getElementById("event-reasons").textContent`); !strings.Contains(txt, "SecureOnly") {
			t.Errorf("detail pane reasons: %q", txt)
		}
		var reset *analysis.Reset
		for _, s := range rep.Sessions {
			if s.Scenario == recs[sc].Scenario.Name && len(s.Resets) > 0 {
				reset = &s.Resets[0]
			}
		}
		if reset == nil || reset.Cause != analysis.CauseSecureOverHTTP {
			t.Fatalf("the analysis finds no secure-over-http reset in mixed: %+v", reset)
		}
		rsel := `#tl-svg .reset[data-cause="` + string(reset.Cause) + `"]`
		waitFor(t, p, `document.querySelector('`+rsel+`') !== null`)
		if txt := eval[string](t, p, `document.querySelector('`+rsel+` text').textContent`); !strings.Contains(txt, string(reset.Cause)) {
			t.Errorf("reset label %q", txt)
		}
		p.click(t, rsel+" text")
		waitFor(t, p, `document.getElementById("reset-detail") !== null`)
		if txt := eval[string](t, p, `document.getElementById("reset-detail").textContent`); txt != reset.Detail {
			t.Errorf("reset detail %q, want %q", txt, reset.Detail)
		}
		viewFilled(t, p, "timeline", 60, 40)
	})

	t.Run("logged-in lane and row", func(t *testing.T) {
		sc := scenarioIndex(t, recs, "mixed")
		lane := authOf(t, rep, recs[sc].Scenario.Name)
		for _, view := range []struct{ hash, sel string }{
			{fmt.Sprintf("v=timeline&s=%d", sc), `#tl-svg .auth`},
			{fmt.Sprintf("v=sessions&s=%d", sc), `.cell.acell`}, // the columns in view
		} {
			p.goHash(t, view.hash, view.sel)
			type mark struct {
				Step                int
				State, Class, Title string
			}
			marks := eval[[]mark](t, p, `[...document.querySelectorAll('`+view.sel+`')].map(el => { const t = el.querySelector("title");
				return {Step: +el.dataset.step, State: el.dataset.state, Class: el.getAttribute("class"), Title: t ? t.textContent : el.title}; })`)
			if len(marks) < 6 {
				t.Fatalf("%s: %d logged-in marks", view.hash, len(marks))
			}
			for _, m := range marks {
				e := lane.Steps[m.Step]
				if m.State != string(e.State) || strings.Contains(m.Class, "carried") == e.Checked || !strings.Contains(m.Title, e.Evidence) {
					t.Errorf("%s step %d: %+v, want %s (checked %v, %q)", view.hash, e.Step, m, e.State, e.Checked, e.Evidence)
				}
			}
		}
		// The states a user sees on mixed: logged in after the login, out on the http page.
		if st := lane.Steps[3].State + " " + lane.Steps[5].State; st != "in out" {
			t.Fatalf("mixed's lane at steps 3 and 5: %s", st)
		}
		// A click shows the evidence, on the row and on the lane.
		p.click(t, `.cell.acell[data-step="5"]`)
		waitFor(t, p, `document.getElementById("auth-evidence") !== null`)
		if txt := eval[string](t, p, `document.getElementById("auth-evidence").textContent`); !strings.Contains(txt, lane.Steps[5].Evidence) {
			t.Errorf("evidence in the detail pane: %q", txt)
		}
		reset := firstReset(rep, recs[sc].Scenario.Name)
		if reset == nil || reset.Basis != analysis.BasisObserved || reset.ObservedStep == nil {
			t.Fatalf("mixed's reset is not observed: %+v", reset)
		}
		// The table is drawn again around the opened detail (in a frame of
		// its own): its cells are waited for.
		waitFor(t, p, `document.querySelector('.cell.acell[data-step="5"] .b-reset') !== null && document.querySelector('.cell[data-cookie="JSESSIONID"][data-step="5"] .b-reset') !== null`)
		if txt := eval[string](t, p, `document.querySelector('.cell.acell[data-step="5"] .b-reset').title`); txt != reset.Summary {
			t.Errorf("the logged-out mark in the row says %q, want %q", txt, reset.Summary)
		}
		if txt := eval[string](t, p, `document.querySelector('.cell[data-cookie="JSESSIONID"][data-step="5"] .b-reset').textContent`); !strings.Contains(txt, string(reset.Cause)) {
			t.Errorf("the reset mark in JSESSIONID's row says %q", txt)
		}
		p.goHash(t, fmt.Sprintf("v=timeline&s=%d", sc), `#tl-svg .auth`)
		p.click(t, `#tl-svg .auth[data-step="3"] rect`)
		waitFor(t, p, `document.getElementById("auth-evidence") !== null && document.getElementById("auth-evidence").textContent.includes(`+strconv.Quote(lane.Steps[3].Evidence)+`)`)
		if n := eval[int](t, p, `document.querySelectorAll('#tl-svg .auth.sel[data-step="3"]').length`); n != 1 {
			t.Errorf("the clicked band is not selected")
		}
		sel := fmt.Sprintf(`#tl-svg .auth-reset[data-step="%d"]`, *reset.ObservedStep)
		if txt := eval[string](t, p, `document.querySelector('`+sel+` title').textContent`); txt != reset.Summary {
			t.Errorf("the lane's logged-out mark says %q", txt)
		}
		p.click(t, sel+" text")
		waitFor(t, p, `document.getElementById("reset-summary") !== null`)
		if txt := eval[string](t, p, `document.getElementById("reset-summary").textContent`); txt != reset.Summary {
			t.Errorf("reset summary %q, want %q", txt, reset.Summary)
		}
	})

	t.Run("overview explains each reset in a sentence", func(t *testing.T) {
		p.goHash(t, "v=overview", "#ov-scenarios")
		type item struct{ Sc, Basis, Sum, Text, Href string }
		items := eval[[]item](t, p, `[...document.querySelectorAll("#ov-why li")].map(li => ({Sc: li.dataset.sc, Basis: li.querySelector(".basis").textContent,
			Sum: li.querySelector(".sum").textContent, Text: li.textContent, Href: li.querySelector("a.go-reset").getAttribute("href")}))`)
		var want []analysis.Reset
		for _, r := range recs {
			for _, s := range rep.Sessions {
				if s.Scenario == r.Scenario.Name {
					want = append(want, s.Resets...)
				}
			}
		}
		if len(items) != len(want) || len(want) == 0 {
			t.Fatalf("%d sentences, %d resets", len(items), len(want))
		}
		text := eval[string](t, p, `document.getElementById("ov-why-text").value`)
		for i, r := range want {
			if items[i].Sum != r.Summary || items[i].Basis != string(r.Basis) || !strings.Contains(items[i].Href, "v=timeline") || !strings.Contains(items[i].Href, "reset=") {
				t.Errorf("sentence %d: %+v, want %q (%s)", i, items[i], r.Summary, r.Basis)
			}
			if !strings.Contains(text, r.Summary+" ("+string(r.Basis)+")\n") {
				t.Errorf("the plain text lacks %q", r.Summary)
			}
		}
		if strings.ContainsAny(text, "<>") {
			t.Errorf("the plain text has markup: %q", text)
		}
		p.click(t, "#ov-why summary")
		p.click(t, `#ov-why button[data-act="copy-why"]`)
		waitFor(t, p, `document.getElementById("why-status").textContent !== ""`)
		// The link opens the reset on the timeline, at its step.
		sc := scenarioIndex(t, recs, "mixed")
		reset := firstReset(rep, recs[sc].Scenario.Name)
		p.click(t, fmt.Sprintf(`#ov-why li[data-sc="%d"] a.go-reset`, sc))
		waitFor(t, p, `document.getElementById("reset-summary") !== null`)
		if txt := eval[string](t, p, `document.getElementById("reset-summary").textContent`); txt != reset.Summary {
			t.Errorf("the link opens %q", txt)
		}
		// The timeline is drawn after the details: wait for it.
		waitFor(t, p, fmt.Sprintf(`document.querySelectorAll('#tl-svg .step.sel[data-step="%d"], #tl-svg .reset.sel').length === 2`, reset.Step))
	})

	t.Run("timeline serving nodes and zoom", func(t *testing.T) {
		sc := scenarioIndex(t, recs, "cluster")
		p.goHash(t, fmt.Sprintf("v=timeline&s=%d", sc), `#tl-svg .lane`)
		nodes := eval[[]string](t, p, `[...new Set([...document.querySelectorAll("#tl-svg .node")].map(n => n.dataset.node))]`)
		if len(nodes) < 2 {
			t.Errorf("serving nodes shown: %v", nodes)
		}
		if n := eval[int](t, p, `document.querySelectorAll('#tl-svg .reset[data-cause="node-switch"]').length`); n == 0 {
			t.Errorf("no node-switch reset mark")
		}
		before := eval[int](t, p, `document.querySelectorAll("#tl-svg .step").length`)
		for i := 0; i < 4; i++ {
			p.click(t, `button[data-act="zoom:in"]`)
		}
		after := eval[int](t, p, `document.querySelectorAll("#tl-svg .step").length`)
		if after >= before {
			t.Errorf("zooming in still shows %d of %d step lines", after, before)
		}
		p.click(t, `button[data-act="zoom:fit"]`)
		if n := eval[int](t, p, `document.querySelectorAll("#tl-svg .step").length`); n != before {
			t.Errorf("fit shows %d step lines, want %d", n, before)
		}
	})

	t.Run("requests filter", func(t *testing.T) {
		sc := scenarioIndex(t, recs, "mixed")
		r := recs[sc]
		p.goHash(t, fmt.Sprintf("v=requests&s=%d", sc), `#req-body .req-row`)
		count := func() string { return eval[string](t, p, `document.getElementById("req-count").textContent`) }
		if want := fmt.Sprintf("%d of %d requests", len(r.Requests), len(r.Requests)); count() != want {
			t.Errorf("count %q, want %q", count(), want)
		}
		withheld := 0
		for _, q := range r.Requests {
			if len(q.CookiesWithheld) > 0 {
				withheld++
			}
		}
		if withheld == 0 {
			t.Fatal("mixed has no request with a withheld cookie")
		}
		p.click(t, "#req-withheld")
		waitFor(t, p, fmt.Sprintf(`document.getElementById("req-count").textContent === "%d of %d requests"`, withheld, len(r.Requests)))
		if n := eval[int](t, p, `document.querySelectorAll("#req-body .req-row:not(.has-withheld)").length`); n != 0 {
			t.Errorf("%d rows without a withheld cookie pass the has-withheld filter", n)
		}
		p.click(t, "#req-withheld")
		p.do(t, chromedp.SendKeys(chromedp.ID("req-q"), "http://"))
		// Of what the search looks in, only a URL carries a scheme.
		plain := 0
		for _, q := range r.Requests {
			if strings.Contains(strings.ToLower(q.URL), "http://") {
				plain++
			}
		}
		if plain == 0 || plain == len(r.Requests) {
			t.Fatalf("%d of mixed's %d requests are over plain http: the search would not be seen to filter", plain, len(r.Requests))
		}
		waitFor(t, p, fmt.Sprintf(`document.getElementById("req-count").textContent === "%d of %d requests"`, plain, len(r.Requests)))
		viewFilled(t, p, "requests", 20, 50)
		p.setField(t, "req-q", "", "input")
		// By step.
		step := r.Steps[len(r.Steps)/2].Index
		inStep := 0
		for _, q := range r.Requests {
			if q.Step == step {
				inStep++
			}
		}
		p.setField(t, "req-step", strconv.Itoa(step), "change")
		waitFor(t, p, fmt.Sprintf(`document.getElementById("req-count").textContent === "%d of %d requests"`, inStep, len(r.Requests)))
	})

	t.Run("a finding links to its request", func(t *testing.T) {
		sc := scenarioIndex(t, recs, "mixed")
		fi := -1
		for i, f := range rep.Findings {
			if f.Scenario == recs[sc].Scenario.Name && f.Request != "" && f.Rule == analysis.RuleSessionReset {
				fi = i
			}
		}
		if fi < 0 {
			t.Fatal("no finding with a request in mixed")
		}
		f := rep.Findings[fi]
		p.goHash(t, "v=findings", `.finding`)
		card := fmt.Sprintf(`.finding[data-finding="%d"]`, fi)
		if txt := eval[string](t, p, `document.querySelector('`+card+` .msg').textContent`); txt != f.Message {
			t.Errorf("finding text %q, want %q", txt, f.Message)
		}
		p.click(t, card+" a.go-request")
		waitFor(t, p, `document.querySelector("#req-body .req-row.sel") !== null && document.getElementById("detail").hidden === false`)
		if id := eval[string](t, p, `document.querySelector("#req-body .req-row.sel").dataset.req`); id != f.Request {
			t.Errorf("selected request %s, want %s", id, f.Request)
		}
		if h := eval[string](t, p, `document.querySelector("#detail h2").textContent`); !strings.Contains(h, f.URL) {
			t.Errorf("detail %q does not show %s", h, f.URL)
		}
		// A cookie of the request leads to its lane.
		p.click(t, "#detail a.cookie")
		waitFor(t, p, `document.querySelector("#tl-svg .lane.sel") !== null`)
		if c := eval[string](t, p, `document.querySelector("#tl-svg .lane.sel").dataset.cookie`); c != f.Cookie {
			t.Errorf("cookie link selects lane %q, want %q", c, f.Cookie)
		}
		p.do(t, chromedp.NavigateBack())
		waitFor(t, p, `document.querySelector("#req-body .req-row.sel") !== null`)
		// And to its step.
		p.do(t, chromedp.NavigateBack())
		waitFor(t, p, `document.querySelector('`+card+`') !== null`)
		p.click(t, card+" a.go-step")
		waitFor(t, p, fmt.Sprintf(`document.querySelector('.colhead.sel[data-step="%d"]') !== null`, f.Step))
	})

	t.Run("copy as markdown and CSV", func(t *testing.T) {
		p.goHash(t, "v=findings", `.finding`)
		p.click(t, `.finding[data-finding="0"] button.copy`)
		waitFor(t, p, `document.getElementById("md-text") !== null`)
		md := eval[string](t, p, `document.getElementById("md-text").value`)
		if f := rep.Findings[0]; !strings.HasPrefix(md, "### ["+strings.ToUpper(string(f.Severity))+"] "+f.Rule) || !strings.Contains(md, f.Remediation) {
			t.Errorf("markdown:\n%s", md)
		}
		p.click(t, `button[data-act="export:findings"]`)
		csvText := eval[string](t, p, `window.stLastDownload.data`)
		if lines := strings.Count(csvText, "\n"); lines < len(rep.Findings)+1 || !strings.HasPrefix(csvText, "severity,rule,scenario,step") {
			t.Errorf("findings CSV has %d lines for %d findings:\n%.300s", lines, len(rep.Findings), csvText)
		}
		sc := scenarioIndex(t, recs, "correct")
		p.goHash(t, fmt.Sprintf("v=sessions&s=%d", sc), `.rowhead`)
		p.click(t, `button[data-act="export:sessions"]`)
		csvText = eval[string](t, p, `window.stLastDownload.data`)
		if !strings.HasPrefix(csvText, "cookie,domain,path,partition,session id,step 0") || !strings.Contains(csvText, "\n__Host-sid,") {
			t.Errorf("session CSV:\n%.400s", csvText)
		}
	})

	t.Run("keyboard and deep links", func(t *testing.T) {
		sc := scenarioIndex(t, recs, "mixed")
		r := recs[sc]
		p.goHash(t, fmt.Sprintf("v=requests&s=%d", sc), `#req-body .req-row`)
		p.do(t, chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`))
		p.do(t, chromedp.KeyEvent("j"))
		waitFor(t, p, `document.querySelector("#req-body .req-row.sel") !== null`)
		p.do(t, chromedp.KeyEvent("j"))
		waitFor(t, p, `document.querySelector("#req-body .req-row.sel").dataset.req === `+strconv.Quote(r.Requests[1].ID))
		p.do(t, chromedp.KeyEvent("k"))
		waitFor(t, p, `document.querySelector("#req-body .req-row.sel").dataset.req === `+strconv.Quote(r.Requests[0].ID))
		if h := eval[string](t, p, `location.hash`); !strings.Contains(h, "r="+r.Requests[0].ID) || !strings.Contains(h, "v=requests") {
			t.Errorf("hash %q does not hold the selection", h)
		}
		p.do(t, chromedp.KeyEvent("/"))
		waitFor(t, p, `document.activeElement && document.activeElement.id === "req-q"`)
		p.do(t, chromedp.KeyEvent("\x1b")) // Esc leaves the search box
		waitFor(t, p, `document.activeElement === document.body || document.activeElement.id !== "req-q"`)
		p.do(t, chromedp.KeyEvent("\x1b")) // Esc clears the selection
		waitFor(t, p, `document.querySelector("#req-body .req-row.sel") === null`)
		p.do(t, chromedp.KeyEvent("5"))
		waitFor(t, p, `document.querySelector("#tabs button.on").dataset.view === "findings"`)
		// A deep link opens the same place in a fresh page.
		hash := fmt.Sprintf("#v=sessions&s=%d&step=3&c=JSESSIONID&cd=mixed.test&cp=%%2F", sc)
		p.open(t, base+hash)
		waitFor(t, p, `document.querySelector('.rowhead.sel[data-cookie="JSESSIONID"]') !== null && document.querySelector('.colhead.sel[data-step="3"]') !== null`)
		if sel := eval[string](t, p, `document.getElementById("scenario").value`); sel != strconv.Itoa(sc) {
			t.Errorf("scenario select shows %s, want %d", sel, sc)
		}
	})

	t.Run("screenshots light and dark", func(t *testing.T) {
		dir := artifactDir(t)
		docs := os.Getenv("ST_DOCS_IMG") // go test -run TestInspectorLabRun/screenshots ./web/ with ST_DOCS_IMG=../docs/img
		mixed := scenarioIndex(t, recs, "mixed")
		sso := scenarioIndex(t, recs, "sso")
		cluster := scenarioIndex(t, recs, "cluster")
		ssoCookie := "_sso_session"
		shots := []struct{ name, hash, sel string }{
			{"overview", "v=overview", "#ov-scenarios"},
			{"sessions", fmt.Sprintf("v=sessions&s=%d&step=8&c=%s&cd=sso.test&cp=%%2F", sso, ssoCookie), ".cell"},
			{"timeline", fmt.Sprintf("v=timeline&s=%d&c=JSESSIONID&cd=cluster.test&cp=%%2F", cluster), "#tl-svg .mk"},
			{"requests", fmt.Sprintf("v=requests&s=%d&r=%s", mixed, firstWithheld(recs[mixed])), "#req-body .req-row.sel"},
			{"findings", "v=findings&f=0", ".finding.sel"},
		}
		for _, dark := range []bool{false, true} {
			p.setDark(t, dark)
			theme := "light"
			if dark {
				theme = "dark"
			}
			for _, s := range shots {
				p.goHash(t, s.hash, s.sel)
				waitFor(t, p, `document.fonts.status === "loaded"`)
				viewFilled(t, p, s.name, 20, 40)
				p.screenshot(t, dir, s.name+"-"+theme)
				if docs != "" && (!dark || s.name == "timeline" || s.name == "overview") {
					p.docShot(t, filepath.Join(docs, "inspector-"+s.name+map[bool]string{true: "-dark", false: ""}[dark]+".png"))
				}
			}
		}
		bg := eval[string](t, p, `getComputedStyle(document.body).backgroundColor`)
		if bg == "rgb(255, 255, 255)" {
			t.Errorf("dark scheme still has a white background")
		}
		p.setDark(t, false)
		t.Logf("screenshots in %s", dir)
	})

}

// authOf is the logged-in lane of a scenario in rep.
func authOf(t testing.TB, rep *analysis.Report, scenario string) analysis.AuthReport {
	t.Helper()
	for _, a := range rep.Auth {
		if a.Scenario == scenario {
			return a
		}
	}
	t.Fatalf("no logged-in lane for %s", scenario)
	return analysis.AuthReport{}
}

// firstReset is the first reset of a scenario in rep, or nil.
func firstReset(rep *analysis.Report, scenario string) *analysis.Reset {
	for _, s := range rep.Sessions {
		if s.Scenario == scenario && len(s.Resets) > 0 {
			return &s.Resets[0]
		}
	}
	return nil
}

func firstWithheld(r *recording.Recording) string {
	for _, q := range r.Requests {
		if len(q.CookiesWithheld) > 0 {
			return q.ID
		}
	}
	return r.Requests[0].ID
}

// BenchmarkInspectorRender opens a generated recording with 10k requests
// and 100k cookie events in the inspector (headless Chromium) and times
// the first complete render (decoded, analysed, overview painted) against
// JSON.parse of the same bytes in the same page. The ratio goes to
// docs/benchmarks.md:
//
//	go test -run '^$' -bench InspectorRender -benchtime 3x ./web/
func BenchmarkInspectorRender(b *testing.B) {
	dir := b.TempDir()
	if err := runfolder.Dir(dir).WriteInspector(); err != nil {
		b.Fatal(err)
	}
	data, err := recording.Encode(synth.Recording(10_000, 100_000))
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "big.json"), data, 0o644); err != nil {
		b.Fatal(err)
	}
	wasm, _ := os.ReadFile(filepath.Join(dir, "inspector.wasm"))
	b.Logf("recording: %.1f MB; inspector.wasm %.2f MB raw, %.2f MB gzipped", float64(len(data))/1e6, float64(len(wasm))/1e6, float64(gzipLen(wasm))/1e6)
	if err := os.WriteFile(filepath.Join(dir, "blank.html"), []byte("<!doctype html><title>baseline</title>"), 0o644); err != nil {
		b.Fatal(err)
	}
	// A plain static server: no compression to time.
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	p := newPage(b, 1280, 800)
	type timing struct {
		Fetched, Decoded, Analysed, Rendered, Parse float64
	}
	var runs []timing
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		// The baseline, in a fresh page of the same browser: JSON.parse of
		// the same bytes, as text (the median of three).
		p.do(b, chromedp.Navigate(srv.URL+"/blank.html"))
		parse, err := chromedp.Run(p.ctx, chromedp.Evaluate[float64](`fetch("big.json").then(r => r.text()).then(s => {
			const t = []; for (let i = 0; i < 3; i++) { const t0 = performance.now(); JSON.parse(s); t.push(performance.now() - t0); }
			t.sort((a, b) => a - b); return t[1]; })`, chromedp.EvalAwaitPromise))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		p.do(b, chromedp.Navigate(srv.URL+"/?open=big.json"))
		waitForT(b, p, `document.body.dataset.stState === "ready"`, 3*time.Minute)
		tm := eval[timing](b, p, `(() => { const m = n => performance.getEntriesByName(n)[0].startTime;
			return {Fetched: m("st-fetched"), Decoded: m("st-decoded"), Analysed: m("st-analysed"), Rendered: m("st-rendered")}; })()`)
		tm.Parse = parse
		runs = append(runs, tm)
	}
	b.StopTimer()
	// Then each view of the big recording (the first builds the model).
	views, err := chromedp.Run(p.ctx, chromedp.Evaluate[map[string]float64](`(async () => {
		const out = {};
		for (const [name, h, sel] of [["sessions", "v=sessions", ".cell"], ["timeline", "v=timeline", "#tl-svg .mk"],
				["requests", "v=requests", "#req-body .req-row"], ["findings", "v=findings", ".finding"]]) {
			const t0 = performance.now();
			location.hash = h;
			while (!document.querySelector(sel)) await new Promise(r => requestAnimationFrame(r));
			await new Promise(r => requestAnimationFrame(() => setTimeout(r)));
			out[name] = performance.now() - t0;
		}
		return out; })()`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.Fatal(err)
	}
	for name, ms := range views {
		b.ReportMetric(ms, "ms/view-"+name)
	}
	med := func(f func(timing) float64) float64 { return median(runs, f) }
	render := med(func(r timing) float64 { return r.Rendered - r.Fetched })
	parse := med(func(r timing) float64 { return r.Parse })
	b.ReportMetric(parse, "ms/JSON.parse")
	b.ReportMetric(render, "ms/render")
	b.ReportMetric(med(func(r timing) float64 { return r.Decoded - r.Fetched }), "ms/decode")
	b.ReportMetric(med(func(r timing) float64 { return r.Analysed - r.Decoded }), "ms/analyse")
	b.ReportMetric(med(func(r timing) float64 { return r.Rendered - r.Analysed }), "ms/paint")
	b.ReportMetric(med(func(r timing) float64 { return r.Rendered }), "ms/from-navigation")
	b.ReportMetric(render/parse, "ratio")
	// The worst iteration, each against its own baseline: one figure that
	// a noisy run cannot flatter.
	worst := 0.0
	for i, r := range runs {
		worst = max(worst, (r.Rendered-r.Fetched)/r.Parse)
		b.Logf("run %d: JSON.parse %.0f ms; render %.0f ms (decode %.0f, analysis %.0f, paint %.0f): %.2fx", i+1, r.Parse,
			r.Rendered-r.Fetched, r.Decoded-r.Fetched, r.Analysed-r.Decoded, r.Rendered-r.Analysed, (r.Rendered-r.Fetched)/r.Parse)
	}
	b.ReportMetric(worst, "ratio-worst")
	// The target holds in every iteration, not only the median; a missed
	// one is said, not failed (make bench runs more benchmarks after it).
	if worst > 3 {
		b.Logf("TARGET MISSED: an iteration took %.2fx JSON.parse (target: at most 3x in every iteration)", worst)
	}
}

func gzipLen(data []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(data)
	w.Close()
	return buf.Len()
}

// The page finds index.json next to it on any static server (what run
// writes), and opens a single recording with ?open=.
func TestInspectorStaticFolder(t *testing.T) {
	dir, recs := labtest.RunFolder(t)
	base := staticRun(t, dir, false)
	p := newPage(t, 1280, 800)
	p.open(t, base)
	if n := eval[int](t, p, `document.querySelectorAll("#ov-scenarios tbody tr").length`); n != len(recs) {
		t.Fatalf("%d scenarios shown, want %d", n, len(recs))
	}
	if txt := eval[string](t, p, `document.getElementById("privacy").textContent`); !strings.Contains(txt, "Nothing is uploaded") {
		t.Errorf("the page does not say that nothing is uploaded: %q", txt)
	}
	p.open(t, base+"?open=recordings/mixed.json")
	if n := eval[int](t, p, `document.querySelectorAll("#ov-scenarios tbody tr").length`); n != 1 {
		t.Fatalf("?open= of one recording shows %d scenarios", n)
	}
	analysedAsAudit(t, p, "single recording", recs[scenarioIndex(t, recs, "mixed")])
	// Another site's URL is refused, not fetched.
	p.load(t, base+"?open=https://elsewhere.example/x.json", "error")
	if txt := p.status(t); !strings.Contains(txt, "never fetched from other sites") {
		t.Errorf("status %q", txt)
	}
	// A bad recording names the file and the place.
	os.WriteFile(filepath.Join(dir, "broken.json"), []byte("{\"schema\": \"sessiontrace.recording/v1\",\n \"steps\": [1,]}"), 0o644)
	p.load(t, base+"?open=broken.json", "error")
	if txt := p.status(t); !strings.Contains(txt, "broken.json:2:") {
		t.Errorf("the error does not say where: %q", txt)
	}
}

// Files given with the file picker, or dropped: an index with its
// recordings, or recordings alone.
func TestInspectorOpenFiles(t *testing.T) {
	dir, recs := labtest.RunFolder(t)
	base := staticRun(t, t.TempDir(), false) // an empty folder: the page starts empty
	p := newPage(t, 1280, 800)
	p.load(t, base, "empty")
	if txt := eval[string](t, p, `document.getElementById("view").textContent`); !strings.Contains(txt, "Nothing is uploaded") {
		t.Errorf("the landing page does not say that nothing is uploaded")
	}
	var files []string
	for _, f := range []string{"index.json", "recordings/correct.json", "recordings/mixed.json"} {
		files = append(files, filepath.Join(dir, f))
	}
	p.do(t, chromedp.SetUploadFiles(chromedp.ID("pick"), files))
	waitFor(t, p, `document.body.dataset.stState === "ready" && document.querySelectorAll("#ov-scenarios tbody tr").length === `+strconv.Itoa(len(recs)))
	// Recordings the index names but the user did not give are listed as such.
	if n := eval[int](t, p, `document.querySelectorAll("#ov-scenarios td.name .error").length`); n != len(recs)-2 {
		t.Errorf("%d scenarios marked as missing, want %d", n, len(recs)-2)
	}
	// Drop two recordings.
	p.drop(t, 0, filepath.Join(dir, "recordings/correct.json"), filepath.Join(dir, "recordings/restart.json"))
	waitFor(t, p, `document.body.dataset.stState === "ready" && document.querySelectorAll("#ov-scenarios tbody tr").length === 2`)
	analysedAsAudit(t, p, "dropped recordings", recs[scenarioIndex(t, recs, "correct")], recs[scenarioIndex(t, recs, "restart")])
}

// HAR files open in the page too, and agree with audit on their findings;
// a HAR exported without its cookies says so.
func TestInspectorOpensHAR(t *testing.T) {
	base := staticRun(t, t.TempDir(), false)
	p := newPage(t, 1280, 800)
	p.load(t, base, "empty")
	harFile, _ := filepath.Abs("../recording/har/testdata/har/playwright-fixation.har")
	sanitized, _ := filepath.Abs("../recording/har/testdata/har/chrome-fixation-sanitized.har")
	p.do(t, chromedp.SetUploadFiles(chromedp.ID("pick"), []string{harFile, sanitized}))
	waitFor(t, p, `document.body.dataset.stState === "ready" && document.querySelectorAll("#ov-scenarios tbody tr").length === 2`)
	report := eval[string](t, p, `stReport()`)
	if !strings.Contains(report, `"rule":"SESSION-FIXATION"`) {
		t.Errorf("the page found no SESSION-FIXATION in the fixation HAR: %.300s", report)
	}
	if txt := eval[string](t, p, `document.getElementById("view").textContent`); !strings.Contains(txt, "sensitive data") {
		t.Errorf("the sanitized HAR's warning is not shown")
	}
	// The timeline shows what the requests sent and set.
	p.goHash(t, "v=timeline&s=0", "#tl-svg .mk")
	if n := eval[int](t, p, `document.querySelectorAll("#tl-svg .mk.m-sent").length`); n == 0 {
		t.Errorf("no sent marks on the HAR's timeline")
	}
}

// Issue 13: a small HAR that export --har wrote, saved as .json, is a HAR
// to the page as it is to the CLI (both ask runfolder.Sniff): opened with
// ?open= and picked, it shows the scenario with the analysis audit gives.
// The page once took it for a broken recording ("schema" of its
// "_sessiontrace" object stands in its first 4 kB).
func TestInspectorOpensSmallHARSavedAsJSON(t *testing.T) {
	dir := t.TempDir()
	har := filepath.Join(dir, "small-har.json")
	data, err := os.ReadFile("../runfolder/testdata/small-export.har.json")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(har, data, 0o644)
	code, stdout, stderr := sessiontrace(t, "audit", "--format", "json", har)
	if code != cli.ExitOK {
		t.Fatalf("audit: exit %d: %s", code, stderr)
	}
	var audit analysis.Report
	if err := json.Unmarshal([]byte(stdout), &audit); err != nil || len(audit.Sessions) == 0 {
		t.Fatalf("audit read no session from the HAR: %v\n%s", err, stdout)
	}
	base := staticRun(t, dir, false)
	p := newPage(t, 1280, 800)
	opened := func(how string) {
		t.Helper()
		waitFor(t, p, `["ready", "error"].includes(document.body.dataset.stState)`)
		if st := eval[string](t, p, `document.body.dataset.stState`); st != "ready" {
			t.Fatalf("%s: the page did not open the HAR: %s", how, p.status(t))
		}
		var page analysis.Report
		if err := json.Unmarshal([]byte(eval[string](t, p, `stReport()`)), &page); err != nil {
			t.Fatal(err)
		}
		// Fingerprints differ (each reader draws its own key for HARs).
		if len(page.Sessions) != len(audit.Sessions) || page.Sessions[0].Cookie != audit.Sessions[0].Cookie || len(page.Findings) != len(audit.Findings) {
			t.Errorf("%s: the page's analysis differs from audit's:\n%+v\n%+v", how, page.Sessions, audit.Sessions)
		}
		if n := eval[int](t, p, `document.querySelectorAll("#ov-scenarios tbody tr").length`); n != 1 {
			t.Errorf("%s: %d scenarios shown", how, n)
		}
	}
	p.do(t, chromedp.Navigate(base+"?open=small-har.json"))
	opened("?open=")
	p.load(t, base, "empty")
	p.do(t, chromedp.SetUploadFiles(chromedp.ID("pick"), []string{har}))
	opened("picked")
}

// noNewCookie is the lab's mixed recording as express-session over http
// would make it: the Secure ID withheld from the plain-http request and no
// new Set-Cookie, so the jar does not change at that step; the scenario's
// marker says logged in after the login, out on the http page, in again.
func noNewCookie(t testing.TB) *recording.Recording {
	t.Helper()
	r := labRecording(t, "mixed")
	for i := range r.Requests {
		if r.Requests[i].Step == 5 {
			r.Requests[i].SetCookies = nil
		}
	}
	r.Events = slices.DeleteFunc(r.Events, func(e recording.CookieEvent) bool { return e.Step == 5 && e.Kind == recording.EventRejected })
	for i, st := range []recording.LoginState{3: recording.AuthIn, 5: recording.AuthOut, 7: recording.AuthIn} {
		if st != "" {
			r.Steps[i].Auth = &recording.AuthState{State: st, Evidence: "#welcome: " + string(st), Source: recording.AuthByMarker}
		}
	}
	return r
}

// A reset where no cookie changed (the ID withheld, no new one) is marked
// where the user lost the session: on the cookie's lane and row, and where
// the page showed the user logged out, on the logged-in lane and row.
func TestInspectorResetWithoutCookieChange(t *testing.T) {
	r := noNewCookie(t)
	rep := analysis.Analyze(r)
	reset := firstReset(rep, r.Scenario.Name)
	if reset == nil || reset.Step != 5 || reset.Evidence["newCookie"] != "none" || reset.Basis != analysis.BasisObserved || reset.ObservedStep == nil {
		t.Fatalf("the analysis does not find the withheld ID's reset: %+v", reset)
	}
	p := openRecording(t, r, "nonew.json")
	// The session table: no change at step 5, but a reset mark.
	p.goHash(t, "v=sessions", `.cell[data-cookie="JSESSIONID"]`)
	cell := `.cell[data-cookie="JSESSIONID"][data-step="5"]`
	if cls := eval[string](t, p, `document.querySelector('`+cell+`').className`); strings.Contains(cls, "chg-") || !strings.Contains(cls, "reset") {
		t.Errorf("JSESSIONID at step 5: class %q, want a reset and no change", cls)
	}
	type mark struct{ Cause, Title string }
	m := eval[*mark](t, p, `(() => { const b = document.querySelector('`+cell+` .b-reset'); return b && {Cause: b.dataset.cause, Title: b.title}; })()`)
	if m == nil || m.Cause != string(reset.Cause) || m.Title != reset.Summary {
		t.Errorf("JSESSIONID's reset mark at step 5: %+v", m)
	}
	if n := eval[int](t, p, `document.querySelectorAll('.cell.acell[data-step="5"] .b-reset').length`); n != 1 {
		t.Errorf("the logged-in row marks %d resets at step 5", n)
	}
	// The timeline: on the cookie's lane and on the logged-in lane.
	p.goHash(t, "v=timeline", "#tl-svg .auth")
	waitFor(t, p, `document.querySelector('#tl-svg .reset[data-cause="`+string(reset.Cause)+`"]') !== null`)
	if st := eval[string](t, p, `[3, 5, 7].map(s => document.querySelector('#tl-svg .auth[data-step="' + s + '"]').dataset.state).join(" ")`); st != "in out in" {
		t.Errorf("the logged-in lane at steps 3, 5, 7: %s", st)
	}
	obs := fmt.Sprintf(`#tl-svg .auth-reset[data-step="%d"]`, *reset.ObservedStep)
	p.click(t, obs+" text")
	waitFor(t, p, `document.getElementById("reset-summary") !== null`)
	if txt := eval[string](t, p, `document.getElementById("reset-summary").textContent`); txt != reset.Summary {
		t.Errorf("reset summary %q, want %q", txt, reset.Summary)
	}
	// The overview says it in a sentence, observed.
	p.goHash(t, "v=overview", "#ov-why li")
	if txt := eval[string](t, p, `document.querySelector('#ov-why li[data-basis="observed"] .sum').textContent`); txt != reset.Summary {
		t.Errorf("overview sentence %q", txt)
	}
}

// hostile is a lab recording whose every string a site or a page can
// choose carries script: cookie names and values, URLs, titles, the
// scenario's name, step texts, reasons, headers, node names.
func hostile(t testing.TB) *recording.Recording {
	t.Helper()
	r := labRecording(t, "mixed")
	const img = `<img src=x onerror="window.__xss=(window.__xss||0)+1">`
	const scr = `</script><script>window.__xss=(window.__xss||0)+10</script>`
	const jsURL = `javascript:window.__xss=100//`
	name := func(n string) string { return img + n }
	val := func(v *recording.Value) {
		raw := scr + `"'><svg onload=window.__xss=1000>`
		v.Raw = &raw
	}
	r.Options.RevealValues = true
	r.Scenario.Name = "XSS " + img + scr
	r.Scenario.File = jsURL + "x.yaml"
	for i := range r.Scenario.SessionCookies {
		r.Scenario.SessionCookies[i] = name(r.Scenario.SessionCookies[i])
	}
	r.Error = img
	r.Warnings = []string{scr}
	for i := range r.Steps {
		s := &r.Steps[i]
		s.Detail, s.Name = img+s.Detail, scr
		if st := map[int]recording.LoginState{3: recording.AuthIn, 5: recording.AuthOut}[s.Index]; st != "" {
			s.Auth = &recording.AuthState{State: st, Evidence: img + scr, Source: recording.AuthSource(scr)}
		}
		s.URL = jsURL + s.URL
		for j := range s.Jar {
			s.Jar[j].Name = name(s.Jar[j].Name)
			val(&s.Jar[j].Value)
			s.Jar[j].SameSite = img
		}
	}
	for i := range r.Requests {
		q := &r.Requests[i]
		if i%2 == 1 {
			q.URL = jsURL + q.URL
		}
		q.Node, q.NodeHeader = img, scr
		q.Headers = map[string]string{"Content-Type": img, scr: jsURL}
		q.StatusText = scr
		for j := range q.CookiesSent {
			q.CookiesSent[j].Name = name(q.CookiesSent[j].Name)
			val(&q.CookiesSent[j].Value)
		}
		for j := range q.CookiesWithheld {
			q.CookiesWithheld[j].Name = name(q.CookiesWithheld[j].Name)
			q.CookiesWithheld[j].Reasons = append(q.CookiesWithheld[j].Reasons, img)
		}
		for j := range q.SetCookies {
			q.SetCookies[j].Name = name(q.SetCookies[j].Name)
			q.SetCookies[j].Attributes = scr
			val(&q.SetCookies[j].Value)
		}
	}
	for i := range r.Events {
		e := &r.Events[i]
		e.Name = name(e.Name)
		e.Detail, e.Location = scr, jsURL
		if e.Value != nil {
			val(e.Value)
		}
		if e.Kind == recording.EventWithheld {
			e.Reasons = append(e.Reasons, img)
		}
	}
	// Web Storage: keys, origins, scripts and values a page chooses, and
	// the Authorization header's scheme.
	at := r.Steps[len(r.Steps)-1]
	sv := recording.Value{Fingerprint: "stfp0123456789ab", Len: 40}
	val(&sv)
	r.Storage = append(r.Storage, recording.StorageEvent{Time: at.Start, Step: at.Index, Target: img, Kind: recording.StorageSet,
		Area: recording.LocalStorage, Origin: jsURL, Key: img, Value: &sv, Fields: []recording.StorageField{{Name: scr, Value: sv}},
		URL: jsURL, Script: scr})
	r.Steps[len(r.Steps)-1].Storage = []recording.StorageItem{{Area: recording.SessionStorage, Origin: img, Key: scr, Value: sv}}
	r.Requests[0].Authorization = &recording.Credential{Scheme: img, Value: sv}
	for i := range r.Pages {
		r.Pages[i].Title = scr + img
		for j := range r.Pages[i].Links {
			r.Pages[i].Links[j].Href = jsURL
			r.Pages[i].Links[j].Text = img
		}
	}
	return r
}

// Hostile strings render as inert text: no script runs, no element is
// injected, in every view and detail pane. Once without any CSP (the
// rendering alone), once under serve's CSP (which must report nothing).
func TestInspectorXSS(t *testing.T) {
	r := hostile(t)
	for _, mode := range xssModes {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			run := runfolder.Dir(dir)
			ix := &recording.Index{Schema: recording.IndexSchema, Tool: `<b>tool</b>`, Status: r.Status,
				Scenarios: []recording.IndexEntry{{Name: r.Scenario.Name, Recording: "recordings/xss.json", Status: r.Status, Steps: len(r.Steps)}}}
			if err := errors.Join(run.Create(), run.WriteRecording("recordings/xss.json", r), run.WriteIndex(ix)); err != nil {
				t.Fatal(err)
			}
			base, _ := hostileServer(t, mode, dir)
			p := newPage(t, 1280, 800)
			p.watchCSP(t)
			p.open(t, base)
			inert(t, p, "overview")
			shownAsText(t, p, "overview")
			if n := eval[int](t, p, `document.querySelectorAll("#ov-why li").length`); n == 0 {
				t.Errorf("no reset sentence in the overview")
			}
			if !eval[bool](t, p, `document.getElementById("ov-why-text").value.includes('<img src=x onerror="window.__xss')`) {
				t.Errorf("the plain text of the resets does not carry the payload as text")
			}
			for i := range r.Requests {
				p.goHash(t, "v=requests&r="+r.Requests[i].ID, "#detail h2")
				inert(t, p, "request "+strconv.Itoa(i))
			}
			shownAsText(t, p, "requests")
			// Each detail pane, opened by a click in its view (hash: the view,
			// or "" to stay), and the findings' Markdown.
			for _, s := range []struct{ where, hash, ready, click, opened string }{
				{"logged-in lane", "v=timeline", "#tl-svg .auth", `#tl-svg .auth[data-step="5"] rect`, `document.getElementById("auth-evidence") !== null`},
				{"reset", "", "", "#tl-svg .auth-reset text", `document.getElementById("reset-summary") !== null`},
				{"logged-in row", "v=sessions", ".cell.acell", `.cell.acell[data-step="3"]`, `document.getElementById("auth-evidence") !== null`},
				{"sessions", "v=sessions&step=5", `.colhead.sel[data-step="5"]`, `.cell[data-step="5"]`, `document.getElementById("detail").hidden === false`},
				{"timeline", "v=timeline", "#tl-svg .mk", "#tl-svg .mk.m-withheld", `document.getElementById("event-reasons") !== null`},
				{"findings", "v=findings", ".finding", ".finding button.copy", `document.getElementById("md-text") !== null`},
			} {
				if s.hash != "" {
					p.goHash(t, s.hash, s.ready)
				}
				p.click(t, s.click)
				waitFor(t, p, s.opened)
				inert(t, p, s.where)
				shownAsText(t, p, s.where)
			}
			p.click(t, `button[data-act="export:findings"]`)
			if csv := eval[string](t, p, `window.stLastDownload.data`); strings.Contains(csv, "\n=") {
				t.Errorf("a CSV cell starts with = (a spreadsheet formula)")
			}
		})
	}
}

// A HAR from a stranger carries the same payloads (cookie names and values
// in the raw Cookie and Set-Cookie headers, URLs, page titles, headers):
// opened with ?open=, it renders as inert text too.
func TestInspectorXSSFromHAR(t *testing.T) {
	data, err := har.Export(hostile(t))
	if err != nil {
		t.Fatal(err)
	}
	// Without sessiontrace's own metadata the import reads the raw headers,
	// as for any browser's HAR.
	data = bytes.Replace(data, []byte(`"_sessiontrace"`), []byte(`"_other"`), 1)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "xss.har"), data, 0o644)
	base := staticRun(t, dir, true)
	p := newPage(t, 1280, 800)
	p.open(t, base+"?open=xss.har")
	inert(t, p, "overview")
	p.goHash(t, "v=requests", "#req-body .req-row")
	for i := 1; i <= 6; i++ {
		p.click(t, "#req-body .req-row:nth-child("+strconv.Itoa(i)+")")
		waitFor(t, p, `document.querySelector("#detail h2") !== null`)
		inert(t, p, "request "+strconv.Itoa(i))
	}
	for _, payload := range []string{"javascript:window.__xss", "<img src"} {
		if !eval[bool](t, p, `document.body.innerText.includes(`+strconv.Quote(payload)+`)`) {
			t.Errorf("the payload %q is not shown as text", payload)
		}
	}
	p.goHash(t, "v=findings", ".finding")
	inert(t, p, "findings")
}

// A file over the page's size limit is refused with a message that says
// what to do, not read into memory (?maxSize=MiB sets the limit).
func TestInspectorRefusesOversizedFiles(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("../analysis/testdata/lab/mixed.json")
	if err != nil {
		t.Fatal(err)
	}
	// The recording padded with 3 MiB of whitespace before its last brace.
	data = bytes.TrimSpace(data)
	big := append(append(append([]byte{}, data[:len(data)-1]...), bytes.Repeat([]byte(" "), 3<<20)...), '}')
	os.WriteFile(filepath.Join(dir, "big.json"), big, 0o644)
	base := staticRun(t, dir, false)
	p := newPage(t, 1280, 800)
	p.load(t, base+"?open=big.json&maxSize=1", "error")
	if msg := p.status(t); !strings.Contains(msg, "over the page's limit of 1 MiB") || !strings.Contains(msg, "sessiontrace audit") {
		t.Errorf("status %q", msg)
	}
	// The same file picked from disk.
	p.load(t, base+"?maxSize=1", "empty")
	p.do(t, chromedp.SetUploadFiles(chromedp.ID("pick"), []string{filepath.Join(dir, "big.json")}))
	waitFor(t, p, `document.body.dataset.stState === "error"`)
	if msg := p.status(t); !strings.Contains(msg, "big.json is 3 MiB, over the page's limit of 1 MiB") {
		t.Errorf("status %q", msg)
	}
	// Under the default limit it opens.
	p.open(t, base+"?open=big.json")
}

// Usable on a narrow screen: the views render and nothing is wider than
// the window but the tables, which scroll.
func TestInspectorNarrow(t *testing.T) {
	dir, recs := labtest.RunFolder(t)
	base := labtest.Serve(t, dir)
	p := newPage(t, 420, 860)
	p.open(t, base)
	shots := artifactDir(t)
	mixed := scenarioIndex(t, recs, "mixed")
	for _, v := range []struct{ name, hash, sel string }{
		{"overview", "v=overview", "#ov-scenarios"},
		{"sessions", fmt.Sprintf("v=sessions&s=%d", mixed), ".cell"},
		{"timeline", fmt.Sprintf("v=timeline&s=%d", mixed), "#tl-svg .mk"},
		{"requests", fmt.Sprintf("v=requests&s=%d", mixed), "#req-body .req-row"},
		{"findings", "v=findings", ".finding"},
	} {
		p.goHash(t, v.hash, v.sel)
		viewFilled(t, p, v.name, 20, 40)
		notWider(t, p, v.name)
		p.screenshot(t, shots, "narrow-"+v.name)
	}
}

// The whole path a user takes: `run --lab` writes a run folder, `serve`
// serves it, the page shows it and agrees with findings.json.
func TestInspectorServesALabRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "report")
	code, stdout, stderr := sessiontrace(t, "run", "--lab", "-q", "-o", dir, "../scenarios/lab/mixed.yaml", "../scenarios/lab/restart.yaml", "../scenarios/lab/cluster.yaml")
	if code != cli.ExitOK {
		t.Fatalf("run: exit %d\n%s%s", code, stdout, stderr)
	}
	loaded, _, err := runfolder.LoadRun(dir, runfolder.DefaultMaxSize)
	if err != nil {
		t.Fatal(err)
	}
	// The scenario of the recording file name (in the index's order).
	scenario := func(file string) int {
		for i, l := range loaded {
			if filepath.Base(l.Path) == file {
				return i
			}
		}
		t.Fatalf("the run has no %s", file)
		return -1
	}
	p := newPage(t, 1280, 800)
	p.open(t, serveCommand(t, dir))
	for i, l := range loaded {
		r := l.Recording
		row := fmt.Sprintf(`document.querySelector('#ov-scenarios tr[data-sc="%d"]')`, i)
		if name := eval[string](t, p, row+`.querySelector("td.name a").textContent`); name != r.Scenario.Name {
			t.Errorf("row %d: %q, want %q", i, name, r.Scenario.Name)
		}
		for cls, n := range map[string]int{"c-steps": len(r.Steps), "c-requests": len(r.Requests), "c-events": len(r.Events)} {
			if got := eval[string](t, p, row+`.querySelector(".`+cls+`").textContent`); got != strconv.Itoa(n) {
				t.Errorf("%s %s: %s, the recording has %d", r.Scenario.Name, cls, got, n)
			}
		}
	}
	// findings.json (what run wrote) and the page's analysis agree.
	fdata, err := os.ReadFile(filepath.Join(dir, "findings.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want, got analysis.Report
	if err := json.Unmarshal(fdata, &want); err != nil {
		t.Fatal(err)
	}
	// The run folder has its reports: the page shows findings.json, and
	// analyses a scenario's recording when it is opened; that analysis is
	// findings.json's part for the scenario.
	waitFor(t, p, `document.body.dataset.stFindings === "loaded"`)
	if err := json.Unmarshal([]byte(eval[string](t, p, `stReport()`)), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("the page's findings and resets differ from findings.json (%d/%d findings, %d/%d sessions)",
			len(got.Findings), len(want.Findings), len(got.Sessions), len(want.Sessions))
	}
	for i, l := range loaded {
		p.goHash(t, fmt.Sprintf("v=sessions&s=%d", i), ".rowhead")
		var page analysis.Report
		if err := json.Unmarshal([]byte(eval[string](t, p, `stScenarioReport()`)), &page); err != nil {
			t.Fatal(err)
		}
		checkScenarioReport(t, &want, &page, l.Recording.Scenario.Name)
	}
	// The restart scenario's reset, with its cause, on the timeline.
	p.goHash(t, fmt.Sprintf("v=timeline&s=%d", scenario("restart.json")), "#tl-svg .lane")
	waitFor(t, p, `document.querySelector('#tl-svg .reset[data-cause="browser-restart"]') !== null`)

	// The logged-in lane of mixed, recorded from the scenario's marker: in
	// after the login, out on the http page, in again back on https; the
	// same in the session table's row.
	mixed := scenario("mixed.json")
	lane := authOf(t, &got, loaded[mixed].Recording.Scenario.Name)
	if len(lane.Steps) < 8 || !lane.Steps[3].Checked || !lane.Steps[5].Checked || !lane.Steps[7].Checked ||
		lane.Steps[3].State+" "+lane.Steps[5].State+" "+lane.Steps[7].State != "in out in" {
		t.Fatalf("mixed's logged-in lane: %+v", lane.Steps)
	}
	for _, v := range []struct{ hash, sel string }{
		{fmt.Sprintf("v=timeline&s=%d", mixed), "#tl-svg .auth"},
		{fmt.Sprintf("v=sessions&s=%d", mixed), ".cell.acell"},
	} {
		p.goHash(t, v.hash, v.sel)
		for _, step := range []int{3, 5, 7} {
			e := lane.Steps[step]
			sel := fmt.Sprintf(`%s[data-step="%d"]`, v.sel, step)
			// The session table draws only the columns in view: select the
			// step, which brings its column into view, then unselect it (the
			// details close), so that the click below is what opens them.
			p.goHash(t, fmt.Sprintf("%s&step=%d", v.hash, step), sel)
			p.goHash(t, v.hash, sel)
			waitFor(t, p, `document.getElementById("detail").hidden`)
			if st := eval[string](t, p, `document.querySelector('`+sel+`').dataset.state`); st != string(e.State) {
				t.Errorf("%s: step %d shows %s, want %s", v.hash, step, st, e.State)
			}
			// A click event on the element itself: the grid re-renders its
			// columns as it scrolls, so a click at coordinates computed
			// before can land on the next cell (seen under load).
			p.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector('`+sel+`').dispatchEvent(new MouseEvent("click", {bubbles: true}))`))
			waitFor(t, p, `!document.getElementById("detail").hidden && document.getElementById("auth-evidence") !== null && document.getElementById("auth-evidence").textContent.includes(`+strconv.Quote(e.Evidence)+`)`)
		}
	}
	p.goHash(t, fmt.Sprintf("v=sessions&s=%d&step=5", mixed), `.cell.acell[data-step="5"]`)
	if n := eval[int](t, p, `document.querySelectorAll('.cell.acell[data-step="5"] .b-reset').length`); n != 1 {
		t.Errorf("the http step's logged-in cell has %d reset marks, want 1", n)
	}
}

// analysedAsAudit fails when the page's analysis (stReport: its findings
// and resets) is not what audit's, analysis.AnalyzeAll, makes of recs.
func analysedAsAudit(t testing.TB, p *tab, what string, recs ...*recording.Recording) {
	t.Helper()
	rep := analysis.AnalyzeAll(recs)
	want, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, p, `stReport()`); got != string(want) {
		var g analysis.Report
		json.Unmarshal([]byte(got), &g)
		t.Errorf("%s: the page's findings and resets differ from analysis.AnalyzeAll (%d vs %d findings, equal decoded: %v)",
			what, len(g.Findings), len(rep.Findings), reflect.DeepEqual(&g, rep))
	}
}

// A recording with requests from other targets than the tab (a popup, a
// cross-site frame): the requests view tags each such request with its
// target, filters by target, and the detail names it.
func TestInspectorRequestTargets(t *testing.T) {
	r := rectest.Lab(t)["correct"]
	if r == nil || len(r.Requests) < 3 {
		t.Fatal("no lab recording correct.json with 3 requests")
	}
	r.Requests[1].Target = "popup 1"
	r.Requests[2].Target = "frame https://widget.test"
	p := openRecording(t, r, "targets.json")
	p.goHash(t, "v=requests", `#req-body .req-row`)
	opts := eval[[]string](t, p, `[...document.querySelectorAll("#req-target option")].map(o => o.value)`)
	if want := []string{"", "tab", "popup 1", "frame https://widget.test"}; !slices.Equal(opts, want) {
		t.Fatalf("target filter options %q, want %q", opts, want)
	}
	if tags := eval[[]string](t, p, `[...document.querySelectorAll("#req-body .req-row .target")].map(e => e.textContent)`); !slices.Contains(tags, "popup 1") {
		t.Errorf("no row tagged popup 1: %q", tags)
	}
	p.setField(t, "req-target", "popup 1", "change")
	waitFor(t, p, `document.querySelectorAll("#req-body .req-row").length === 1`)
	if id := eval[string](t, p, `document.querySelector("#req-body .req-row").dataset.req`); id != r.Requests[1].ID {
		t.Errorf("the popup's filter shows %s, want %s", id, r.Requests[1].ID)
	}
	p.click(t, "#req-body .req-row")
	waitFor(t, p, `document.querySelector("#detail dl.kv") !== null`)
	if !eval[bool](t, p, `[...document.querySelectorAll("#detail dt")].some(dt => dt.textContent === "Target" && dt.nextElementSibling.textContent === "popup 1")`) {
		t.Errorf("the request's detail does not name its target")
	}
}

// The sessions view lists the Web Storage writes by key, marks a value
// the journey sent as an Authorization header, and shows what the page
// held after the logout step; a request's detail shows its
// Authorization as a scheme and a fingerprint.
func TestInspectorStorage(t *testing.T) {
	r := rectest.Lab(t)["correct"]
	if r == nil || len(r.Requests) < 2 || len(r.Steps) < 3 {
		t.Fatal("no lab recording correct.json with 2 requests and 3 steps")
	}
	// The logged-in lane follows the user into a popup: a step whose
	// state was read there says so.
	inPopup := len(r.Steps) - 1
	r.Steps[inPopup].Target = "popup 1"
	r.Steps[inPopup].Auth = &recording.AuthState{State: recording.AuthIn, Source: recording.AuthByMarker, Evidence: "#welcome matched (in popup 1)"}
	tok := recording.Value{Fingerprint: "tokfp0123456789a", Len: 120, Format: recording.FormatJWT}
	theme := recording.Value{Fingerprint: "themefp012345678", Len: 4}
	last := r.Steps[len(r.Steps)-1]
	r.Storage = []recording.StorageEvent{
		{Time: r.Steps[1].Start, Step: r.Steps[1].Index, Kind: recording.StorageSet, Area: recording.LocalStorage, Origin: "https://spa.test",
			Key: "access_token", Value: &tok, Script: "https://spa.test/app.js:9:3"},
		{Time: r.Steps[1].Start, Step: r.Steps[1].Index, Kind: recording.StorageSet, Area: recording.LocalStorage, Origin: "https://spa.test",
			Key: "ui_theme", Value: &theme},
		{Time: last.Start, Step: last.Index, Kind: recording.StorageRemoved, Area: recording.LocalStorage, Origin: "https://spa.test", Key: "ui_theme"},
	}
	r.Steps[len(r.Steps)-1].Storage = []recording.StorageItem{{Area: recording.LocalStorage, Origin: "https://spa.test", Key: "access_token", Value: tok}}
	r.Requests[1].Authorization = &recording.Credential{Scheme: "Bearer", Value: tok}
	p := openRecording(t, r, "storage.json")
	p.goHash(t, "v=sessions", `.storage table`)
	rows := eval[[]string](t, p, `[...document.querySelectorAll(".storage tbody tr")].map(tr => tr.cells[2].textContent + ": " + tr.cells[3].innerText.replace(/\s+/g, " ").trim())`)
	if len(rows) != 2 || !strings.HasPrefix(rows[0], "access_token: step "+strconv.Itoa(r.Steps[1].Index)+" set") ||
		!strings.Contains(rows[0], "sent as Authorization (1 request)") || !strings.Contains(rows[0], "by https://spa.test/app.js:9:3") ||
		!strings.Contains(rows[1], "ui_theme: step") || !strings.Contains(rows[1], "removed") || strings.Contains(rows[1], "Authorization") {
		t.Errorf("storage rows %q", rows)
	}
	if held := eval[string](t, p, `document.querySelector(".storage ul.cookies").innerText`); !strings.Contains(held, "localStorage access_token") {
		t.Errorf("held after logout: %q", held)
	}
	// A row of the session table, next to the cookies': the token's value
	// after each step from the one that wrote it, "+" where it was written.
	row := eval[[]string](t, p, `[...document.querySelectorAll("#sess-grid .tcell")].filter(c => c.style.gridArea.startsWith(document.querySelector("#sess-grid .rowhead.token").style.gridArea.split("/")[0].trim())).map(c => c.dataset.step + ":" + c.querySelector(".v").textContent)`)
	if head := eval[string](t, p, `(document.querySelector("#sess-grid .rowhead.token .cn") || {textContent: ""}).textContent`); head != "access_token" {
		t.Errorf("the token's row is named %q, want access_token", head)
	}
	want1 := strconv.Itoa(1) + ":tokfp012+"
	if !slices.Contains(row, "0:—") || !slices.Contains(row, want1) || !slices.Contains(row, strconv.Itoa(len(r.Steps)-1)+":tokfp012") {
		t.Errorf("the token's row reads %q, want 0:— then %s and the value to the last step", row, want1)
	}
	// The token's lifecycle, as the analysis followed it: one value, sent
	// once, still held at the end.
	toks := eval[string](t, p, `(document.querySelector(".storage ul.tokens") || {innerText: ""}).innerText.replace(/\s+/g, " ")`)
	if !strings.Contains(toks, "access_token access token, localStorage of https://spa.test") || !strings.Contains(toks, "tokfp012") ||
		!strings.Contains(toks, "sent 1 time, ended end-of-journey") || strings.Contains(toks, "ui_theme") {
		t.Errorf("session tokens: %q", toks)
	}
	// The timeline's Web Storage lane: one mark per write, the token's
	// marked as sent.
	p.goHash(t, "v=timeline", "#tl-svg .swrite")
	marks := eval[[]string](t, p, `[...document.querySelectorAll("#tl-svg .swrite")].map(g => g.getAttribute("class") + "|" + g.querySelector("title").textContent)`)
	if len(marks) != 3 || !strings.Contains(marks[0], "bearer") || !strings.Contains(marks[0], "localStorage access_token set tokfp0123456789a (sent as Authorization)") ||
		!strings.Contains(marks[2], "s-removed") || strings.Contains(marks[1], "bearer") {
		t.Errorf("storage marks %q", marks)
	}
	if title := eval[string](t, p, `(document.querySelector('#tl-svg .auth[data-step="`+strconv.Itoa(inPopup)+`"] title') || {textContent: ""}).textContent`); !strings.Contains(title, " in popup 1") {
		t.Errorf("the logged-in lane at step %d reads %q, want it to name popup 1", r.Steps[inPopup].Index, title)
	}
	// A lane for the session token, as for a session cookie: one bar for
	// its value, a tick for the request that sent it.
	lanes := eval[[]string](t, p, `[...document.querySelectorAll("#tl-svg .token-lane")].map(g => g.querySelector(".lane-label").textContent + "|" + g.querySelectorAll(".tvalue").length + "|" + g.querySelectorAll(".tvalue rect + rect").length + "|" + g.querySelector(".tvalue title").textContent)`)
	if len(lanes) != 1 || !strings.HasPrefix(lanes[0], "access_token|1|1|access token tokfp012: steps ") || !strings.HasSuffix(lanes[0], "sent 1 time, ended end-of-journey") {
		t.Errorf("token lanes %q", lanes)
	}
	p.goHash(t, "v=requests&r="+r.Requests[1].ID, "#detail dl.kv")
	auth := eval[string](t, p, `(() => { const dt = [...document.querySelectorAll("#detail dt")].find(dt => dt.textContent === "Authorization"); return dt ? dt.nextElementSibling.textContent : ""; })()`)
	if !strings.HasPrefix(auth, "Bearer ") || !strings.Contains(auth, "tokfp012") {
		t.Errorf("the request's Authorization reads %q, want Bearer and the token's fingerprint", auth)
	}
}

// openRecording writes r as name in a static run folder and opens it in
// a new 1280×800 page with ?open=.
func openRecording(t *testing.T, r *recording.Recording, name string) *tab {
	t.Helper()
	dir := t.TempDir()
	data, err := recording.Encode(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	base := staticRun(t, dir, false)
	p := newPage(t, 1280, 800)
	p.open(t, base+"?open="+name)
	return p
}
