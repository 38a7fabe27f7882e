//go:build js && wasm

// Command wasm is the sessiontrace inspector: a web page whose logic is
// this program, compiled with GOOS=js GOARCH=wasm into web/inspector.wasm.
// It opens run folders and recordings, runs the analysis package on them
// (the same code as `sessiontrace audit`), and renders the run overview,
// session table, timeline, requests and findings; with a second run, what
// changed between the two (package rundiff, as `sessiontrace diff`).
//
// Every string in a recording is attacker-controlled. The page renders
// them through web/boot.js's stBuild, which only creates text nodes and
// sets attributes; no string is ever parsed as HTML.
package main

import (
	"net/url"
	"strconv"
	"strings"
	"syscall/js"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/recjson"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// Views.
const (
	vOverview = "overview"
	vSessions = "sessions"
	vTimeline = "timeline"
	vRequests = "requests"
	vFindings = "findings"
	vDiff     = "diff"
)

var views = []string{vOverview, vSessions, vTimeline, vRequests, vFindings, vDiff}

// app is the page's state. Everything runs on the JS event loop, so no
// locking: callbacks and the loader goroutine hand over through js calls.
type app struct {
	run *run // the run the views show: the only one, or A or B of cmp
	cmp *comparison

	// The deep link: the URL hash holds these.
	view    string
	sc      int    // scenario index
	step    int    // step position, -1 for none
	cookie  string // ident key, "" for none
	req     string // request id
	finding int    // finding index, -1 for none
	reset   int    // reset index in the scenario's model, -1 for none
	event   int    // event index, -1 for none
	showB   bool   // the views show run B of cmp
	change  int    // the selected change of the diff (rundiff.Diff.Changes order), -1 for none

	// View state.
	cmpA, cmpB   int // compared step positions, -1 for none
	reqF         reqFilter
	reqRows      []int // requests passing the filter
	reqRowsKey   string
	sessQ        string // session table filter
	findQ        string // findings filter
	findAll      bool   // findings of every scenario
	diffRegOnly  bool   // the diff shows only regressions
	tl           map[int]*tlState
	help         bool
	mdText       string // last finding copied as Markdown
	pendingFocus string
	selRun       *run // the run whose scenarios the scenario menu lists
	selFrom      int  // the scenarios it lists, [selFrom, selTo)
	selTo        int
	scQ          string // the overview's search
	scRows       []int  // the scenarios it passes
	scRowsKey    string
	scRowsRun    *run
	findKey      string // the findings list below was made for this
	findRun      *run
	findRows     []findRow
	followRow    bool    // the overview brings the selected scenario into view
	ovTop        float64 // where the overview's list is scrolled to
	ovRun        *run    // (of this run)
	ovDrawn      string  // the overview's rows in place (overviewWindow)
	findDrawn    string  // the findings' rows in place (findingsList)
	tick         int     // counts scenario openings (least recently used)
}

// selMax is the most scenarios the header's menu lists.
const selMax = 200

var a = &app{view: vOverview, step: -1, finding: -1, reset: -1, event: -1, change: -1, cmpA: -1, cmpB: -1, findAll: true, tl: map[int]*tlState{}}

// printing is true while the page is printed: the lists are drawn whole.
var printing bool

// keep holds the js.Funcs the page uses for its whole life.
var keep []js.Func

func listen(target js.Value, event string, capture bool, f func(ev js.Value)) {
	fn := js.FuncOf(func(this js.Value, args []js.Value) any {
		f(args[0])
		return nil
	})
	keep = append(keep, fn)
	target.Call("addEventListener", event, fn, map[string]any{"capture": capture, "passive": false})
}

func main() {
	win := js.Global()
	listen(doc, "click", false, a.onClick)
	listen(doc, "input", false, a.onInput)
	listen(doc, "change", false, a.onChange)
	listen(doc, "keydown", false, a.onKey)
	listen(doc, "scroll", true, a.onScroll)
	listen(doc, "toggle", true, a.onToggle) // (toggle does not bubble: capture)
	listen(doc, "wheel", false, a.onWheel)
	listen(doc, "pointerdown", false, a.onPointerDown)
	listen(doc, "pointermove", false, a.onPointerMove)
	listen(doc, "pointerup", false, a.onPointerUp)
	listen(doc, "dragover", false, a.onDragOver)
	listen(doc, "dragleave", false, a.onDragLeave)
	listen(doc, "drop", false, a.onDrop)
	listen(win, "hashchange", false, func(js.Value) { a.fromHash(); a.render() })
	// Printing draws the virtualised lists whole (style.css's print rules
	// drop the pickers and the scroll boxes).
	listen(win, "beforeprint", false, func(js.Value) { printing = true; a.renderWindow() })
	listen(win, "afterprint", false, func(js.Value) { printing = false; a.renderWindow() })
	// stReport() returns the shown run's analysis.Report as `audit --format
	// json` encodes it (compact, without the file's "schema" line), for
	// tools and tests that compare the page with the CLI. On demand: encoding a big report took part of the
	// first render.
	win.Set("stReport", js.FuncOf(func(js.Value, []js.Value) any {
		if a.run == nil || a.run.report == nil {
			return ""
		}
		if a.run.lazy {
			// The report the page shows is findings.json ("" until read);
			// stScenarioReport is the page's own analysis of a scenario.
			return string(a.run.findingsRaw)
		}
		b, err := recjson.AppendReport(nil, a.run.report)
		if err != nil {
			return ""
		}
		return string(b)
	}))
	// stScenarioReport() is the page's analysis of the current scenario
	// alone (what opening it in a lazy run computes), as stReport.
	win.Set("stScenarioReport", js.FuncOf(func(js.Value, []js.Value) any {
		s := a.cur()
		if s == nil || s.rec == nil {
			return ""
		}
		b, err := recjson.AppendReport(nil, analysis.Analyze(s.rec))
		if err != nil {
			return ""
		}
		return string(b)
	}))
	// Virtualised views redraw when their box changes size (the window,
	// the detail pane opening or closing).
	var lastW, lastH float64
	ro := js.FuncOf(func(js.Value, []js.Value) any {
		v := byID("view")
		w, h := v.Get("clientWidth").Float(), v.Get("clientHeight").Float()
		if w != lastW || h != lastH {
			lastW, lastH = w, h
			a.renderWindow()
		}
		return nil
	})
	keep = append(keep, ro)
	win.Get("ResizeObserver").New(ro).Call("observe", byID("view"))
	a.fromHash()
	go a.start()
	select {}
}

// start opens what the URL names: ?open=URL, else an index.json next to
// the page (a run folder with the inspector written into it), else the
// run that `sessiontrace serve` offers under run/. With ?compare=URL, it
// compares that run (B) with the one opened (A, the baseline), and shows
// the diff unless the address names another view.
func (a *app) start() {
	q := js.Global().Get("URLSearchParams").New(js.Global().Get("location").Get("search"))
	open, compare := q.Call("get", "open"), q.Call("get", "compare")
	var r *run
	if open.Truthy() {
		if r, _ = a.fetchRun(open.String(), false, compare.Truthy()); r == nil {
			return
		}
	} else {
		// Where the run is: beside the page (a run folder with the
		// inspector written into it), or where `serve` says (its meta
		// st-run: run/). One request, no probe that fails.
		where := ""
		if m := doc.Call("querySelector", `meta[name="st-run"]`); m.Truthy() {
			where = m.Call("getAttribute", "content").String()
		}
		if where != "" && where != "run/" {
			where = ""
		}
		r, _ = a.fetchRun(where+runfolder.IndexFile, true, false)
		if r == nil {
			if byID("status").Get("classList").Call("contains", "error").Bool() {
				return
			}
			a.setState("empty")
			setStatus("")
			a.render()
			return
		}
	}
	var b *run
	if compare.Truthy() {
		if b, _ = a.fetchRun(compare.String(), false, true); b == nil {
			return
		}
		if !strings.Contains(js.Global().Get("location").Get("hash").String(), "v=") {
			js.Global().Get("history").Call("replaceState", nil, "", "#v="+vDiff)
		}
	}
	a.setRun(r, b)
}

func setStatus(s string) {
	st := byID("status")
	setText(st, s)
	st.Set("hidden", s == "")
}

func (a *app) setState(s string) {
	doc.Get("body").Get("dataset").Set("stState", s)
}

// hash is the deep link of the current state.
func (a *app) hash() string {
	v := url.Values{}
	v.Set("v", a.view)
	if a.showB {
		v.Set("run", "b")
	}
	if a.run != nil && len(a.run.scens) > 1 {
		v.Set("s", itoa(a.sc))
	}
	if a.step >= 0 {
		v.Set("step", itoa(a.step))
	}
	if id := a.curIdent(); id != nil {
		v.Set("c", id.name)
		v.Set("cd", id.domain)
		v.Set("cp", id.path)
	} else if a.cookie != "" {
		parts := strings.Split(a.cookie, "\x00")
		if len(parts) == 4 {
			v.Set("c", parts[0])
			v.Set("cd", parts[1])
			v.Set("cp", parts[2])
		}
	}
	if a.req != "" {
		v.Set("r", a.req)
	}
	if a.finding >= 0 {
		v.Set("f", itoa(a.finding))
	}
	if a.reset >= 0 {
		v.Set("reset", itoa(a.reset))
	}
	if a.event >= 0 {
		v.Set("e", itoa(a.event))
	}
	if a.change >= 0 {
		v.Set("dc", itoa(a.change))
	}
	return v.Encode()
}

func atoi(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}

// fromHash reads the state from the URL hash.
func (a *app) fromHash() {
	h := js.Global().Get("location").Get("hash").String()
	v, _ := url.ParseQuery(strings.TrimPrefix(h, "#"))
	a.view = vOverview
	for _, x := range views {
		if v.Get("v") == x {
			a.view = x
		}
	}
	a.showB = a.cmp != nil && v.Get("run") == "b"
	if a.cmp != nil {
		side := 0
		if a.showB {
			side = 1
		}
		if r := a.cmp.runs[side]; r != a.run {
			a.showRun(r)
			a.sc = -1 // another run: its own scenarios
		}
	}
	old := a.sc
	a.sc = atoi(v.Get("s"), 0)
	if a.sc != old {
		a.cmpA, a.cmpB = -1, -1
	}
	a.step = atoi(v.Get("step"), -1)
	a.cookie = ""
	if v.Has("c") {
		a.cookie = identKey(v.Get("c"), v.Get("cd"), v.Get("cp"), "")
	}
	a.req = v.Get("r")
	a.finding = atoi(v.Get("f"), -1)
	a.reset = atoi(v.Get("reset"), -1)
	a.event = atoi(v.Get("e"), -1)
	a.change = atoi(v.Get("dc"), -1)
	a.clamp()
}

func (a *app) clamp() {
	if a.run == nil {
		return
	}
	if a.sc < 0 || a.sc >= len(a.run.scens) {
		a.sc = 0
	}
	if a.finding >= len(a.run.report.Findings) {
		a.finding = -1
	}
	if a.cmp == nil || a.change >= len(a.cmp.rows) {
		a.change = -1
	}
}

// hashFor is the deep link for a place.
func (a *app) hashFor(view string, sc, step int, cookie, req string, finding int) string {
	b := *a
	b.view, b.sc, b.step, b.cookie, b.req, b.finding, b.reset, b.event = view, sc, step, cookie, req, finding, -1, -1
	return b.hash()
}

// goTo navigates to a hash (pushing history) and renders.
func (a *app) goTo(h string) {
	loc := js.Global().Get("location")
	if strings.TrimPrefix(loc.Get("hash").String(), "#") == h {
		a.fromHash()
		a.render()
		return
	}
	loc.Set("hash", h) // hashchange renders
}

// replace updates the hash without a history entry, and renders.
func (a *app) replace() {
	js.Global().Get("history").Call("replaceState", nil, "", "#"+a.hash())
	a.render()
}

func (a *app) cur() *scen {
	if a.run == nil || len(a.run.scens) == 0 {
		return nil
	}
	return a.run.scens[a.sc]
}

// curModel is the current scenario's model, built on first use.
func (a *app) curModel() *model {
	s := a.cur()
	if s == nil || s.rec == nil {
		return nil
	}
	if s.m == nil {
		s.m = buildModel(s)
	}
	return s.m
}

func (a *app) curIdent() *ident {
	// No cookie, no model: links of the overview would otherwise build
	// the model (a tenth of the first render of a big recording).
	if a.cookie == "" {
		return nil
	}
	m := a.curModel()
	if m == nil {
		return nil
	}
	if id := m.byKey[a.cookie]; id != nil {
		return id
	}
	parts := strings.Split(a.cookie, "\x00")
	if len(parts) == 4 {
		return m.byNDP[identKey(parts[0], parts[1], parts[2], "")]
	}
	return nil
}

// render draws the header, the current view and the detail pane.
func (a *app) render() {
	a.clamp()
	a.renderHeader()
	doc.Get("body").Get("classList").Call("toggle", "has-run", a.run != nil)
	view := byID("view")
	view.Set("className", "view-"+a.view)
	if a.run == nil {
		mount(view, landing())
		byID("detail").Set("hidden", true)
		return
	}
	// The detail pane first: the view's width depends on it.
	a.renderDetail()
	switch a.view {
	case vOverview:
		a.renderOverview(view)
	case vSessions:
		a.withModel(view, a.renderSessions)
	case vTimeline:
		a.withModel(view, a.renderTimeline)
	case vRequests:
		a.withModel(view, a.renderRequests)
	case vFindings:
		a.renderFindings(view)
	case vDiff:
		a.renderDiff(view)
	}
	if a.help {
		a.renderHelp()
	}
	if a.pendingFocus != "" {
		if el := byID(a.pendingFocus); el.Truthy() {
			el.Call("focus")
		}
		a.pendingFocus = ""
	}
}

// withModel renders a view of the current scenario's recording, or says
// why there is none.
func (a *app) withModel(view js.Value, render func(js.Value, *model)) {
	m := a.curModel()
	if m == nil {
		a.need(a.sc)
		mount(view, a.noRecording())
		return
	}
	a.need(a.sc) // (marks it as used)
	render(view, m)
}

// renderWindow redraws only the virtualised part of the current view
// (after a scroll or a resize).
func (a *app) renderWindow() {
	if a.run == nil {
		return
	}
	switch a.view {
	case vSessions:
		a.sessionsWindow(false)
	case vTimeline:
		a.timelineWindow()
	case vRequests:
		a.requestsWindow(false)
	case vOverview:
		a.overviewWindow(false)
	case vFindings:
		a.findingsList()
	}
}

func (a *app) renderHeader() {
	tabs := byID("tabs").Call("querySelectorAll", "button")
	for i := 0; i < tabs.Length(); i++ {
		t := tabs.Index(i)
		on := t.Get("dataset").Get("view").String() == a.view
		t.Get("classList").Call("toggle", "on", on)
		t.Call("setAttribute", "aria-current", strconv.FormatBool(on))
		t.Set("disabled", a.run == nil)
	}
	a.renderSide()
	sel := byID("scenario")
	if a.run == nil || len(a.run.scens) < 2 {
		sel.Set("hidden", true)
		return
	}
	sel.Set("hidden", false)
	// A long run lists the scenarios around the current one: thousands of
	// options would cost more than the overview's whole list.
	from, to := 0, len(a.run.scens)
	if to > selMax {
		from = clampInt(a.sc-selMax/2, 0, to-selMax)
		to = from + selMax
	}
	if a.selRun != a.run || a.selFrom != from || a.selTo != to {
		a.selRun, a.selFrom, a.selTo = a.run, from, to
		u := &ui{}
		for i := from; i < to; i++ {
			u.open("option").attr("value", itoa(i)).text(a.run.scens[i].name()).close()
		}
		mount(sel, u)
	}
	sel.Set("value", itoa(a.sc))
}

func landing() *ui {
	u := &ui{}
	u.open("section").cls("landing")
	u.el("h1", "", "Open a sessiontrace run")
	u.el("p", "", "Drop a run folder, an index.json with its recordings, a recording (.json) or a HAR file (.har, from Chrome, Firefox or Playwright) anywhere on this page, or use Open files… / Open folder… above.")
	u.el("p", "", "A link can open a file next to this page: add ?open=recordings/name.json (or ?open=index.json) to the address; add &compare=other/index.json to see what changed from that run to another.")
	u.open("p").cls("privacy-big").text("Nothing is uploaded: the files are read and analysed in this page, in your browser. The analysis is the same Go code as ").el("code", "", "sessiontrace audit").text(".").close()
	u.close()
	return u
}
