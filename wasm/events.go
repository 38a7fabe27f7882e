//go:build js && wasm

package main

import (
	"strings"
	"syscall/js"
)

// closest is the element with attribute attr at or above the event target.
func closest(ev js.Value, sel string) js.Value {
	t := ev.Get("target")
	if !t.Truthy() || t.Get("closest").Type() != js.TypeFunction {
		return js.Null()
	}
	return t.Call("closest", sel)
}

func (a *app) onClick(ev js.Value) {
	if drag.suppress {
		drag.suppress = false
		return
	}
	if t := closest(ev, "[data-view]"); t.Truthy() {
		a.switchView(t.Get("dataset").Get("view").String())
		return
	}
	t := closest(ev, "[data-act]")
	if !t.Truthy() {
		return
	}
	act := t.Get("dataset").Get("act").String()
	kind, arg, _ := strings.Cut(act, ":")
	switch kind {
	case "go":
		ev.Call("preventDefault")
		a.goTo(arg)
	case "sel":
		a.selectThing(arg)
	case "close":
		a.clearSelection()
	case "export":
		a.export(arg)
	case "copy":
		a.copyFinding(atoi(arg, -1))
	case "copy-why":
		if a.run != nil && a.run.why != nil {
			copyText(a.run.why.text, byID("why-status"))
		}
	case "zoom":
		a.zoom(arg, -1)
	case "help":
		a.help = !a.help
		a.render()
	case "cmp-clear":
		a.cmpA, a.cmpB = -1, -1
		a.render()
	case "load-findings":
		if a.run != nil {
			a.loadFindings(a.run)
		}
	}
}

func (a *app) switchView(v string) {
	if a.run == nil {
		return
	}
	b := *a
	b.view = v
	b.finding, b.event, b.reset = -1, -1, -1
	if v != vRequests {
		b.req = ""
	}
	a.goTo(b.hash())
}

// selectThing selects without a history entry: "req:ID", "cell:ROW:POS",
// "ev:N", "reset:N", "finding:N", "lane:ROW", "sc:N", "step:POS",
// "auth:POS".
func (a *app) selectThing(arg string) {
	kind, v, _ := strings.Cut(arg, ":")
	m := a.curModel()
	switch kind {
	case "req":
		a.req = v
		a.event, a.reset = -1, -1
	case "cell":
		row, pos, _ := strings.Cut(v, ":")
		if m != nil {
			if r := atoi(row, -1); r >= 0 && r < len(m.idents) {
				a.cookie = m.idents[r].key
			}
		}
		a.step = atoi(pos, -1)
	case "lane":
		if r := atoi(v, -1); m != nil && r >= 0 && r < len(m.idents) {
			a.cookie = m.idents[r].key
		}
		a.event, a.reset = -1, -1
	case "ev":
		a.event = atoi(v, -1)
		a.reset = -1
		if m != nil && a.event >= 0 && a.event < len(m.evID) {
			a.cookie = m.idents[m.evID[a.event]].key
		}
	case "reset":
		a.reset = atoi(v, -1)
		a.event = -1
		if m != nil && a.reset >= 0 && a.reset < len(m.resets) && m.resets[a.reset].id != nil {
			a.cookie = m.resets[a.reset].id.key
		}
	case "finding":
		a.finding = atoi(v, -1)
	case "dchg":
		a.change = atoi(v, -1)
	case "sc":
		a.sc = atoi(v, 0)
		a.resetScenarioSelection()
	case "step":
		a.step = atoi(v, -1)
	case "auth": // a step of the logged-in lane or row: its state and evidence
		a.step, a.cookie, a.event, a.reset = atoi(v, -1), "", -1, -1
	}
	a.replace()
}

func (a *app) resetScenarioSelection() {
	a.step, a.cookie, a.req, a.event, a.reset, a.cmpA, a.cmpB = -1, "", "", -1, -1, -1, -1
	a.reqRowsKey = ""
}

// clearSelection is Esc: it closes the help, else clears the view's
// selection.
func (a *app) clearSelection() {
	switch {
	case a.help:
		a.help = false
	case a.view == vTimeline && (a.event >= 0 || a.reset >= 0):
		a.event, a.reset = -1, -1
	case a.view == vTimeline:
		a.cookie, a.step = "", -1
	case a.view == vSessions && (a.cmpA >= 0 || a.cmpB >= 0):
		a.cmpA, a.cmpB = -1, -1
	case a.view == vSessions:
		a.cookie, a.step = "", -1
	case a.view == vRequests:
		a.req = ""
	case a.view == vFindings:
		a.finding = -1
		a.mdText = ""
	case a.view == vDiff:
		a.change = -1
	}
	a.replace()
}

func (a *app) onInput(ev js.Value) {
	t := ev.Get("target")
	id := t.Get("id").String()
	val := t.Get("value").String()
	switch id {
	case "req-q":
		a.reqF.q = val
		a.requestsWindow(true)
	case "sess-q":
		a.sessQ = val
		a.sessionsWindow(true)
	case "find-q":
		a.findQ = val
		a.findingsList()
	case "ov-q":
		a.scQ = val
		if box := byID("ov-scroll"); box.Truthy() {
			box.Set("scrollTop", 0)
		}
		a.ovTop = 0
		a.overviewWindow(true)
	}
}

func (a *app) onChange(ev js.Value) {
	t := ev.Get("target")
	id := t.Get("id").String()
	switch id {
	case "pick", "pick-dir":
		files := t.Get("files")
		go func() {
			a.openFiles(readFiles(files))
			t.Set("value", "")
		}()
	case "pick-cmp", "pick-cmp-dir":
		files := t.Get("files")
		go func() {
			a.compareFiles(readFiles(files))
			t.Set("value", "")
		}()
	case "side":
		a.showSide(atoi(t.Get("value").String(), 0))
	case "diff-reg":
		a.diffRegOnly = t.Get("checked").Bool()
		if a.change >= 0 && !a.visible(a.change) {
			a.change = -1
		}
		a.replace()
	case "scenario":
		b := *a
		b.sc = atoi(t.Get("value").String(), 0)
		b.resetScenarioSelection()
		a.reqRowsKey = ""
		a.goTo(b.hash())
	case "req-cookie":
		a.reqF.cookie = t.Get("value").String()
		a.requestsWindow(true)
	case "req-step":
		a.reqF.step = atoi(t.Get("value").String(), -1)
		a.requestsWindow(true)
	case "req-target":
		a.reqF.target = t.Get("value").String()
		a.requestsWindow(true)
	case "req-withheld":
		a.reqF.withheld = t.Get("checked").Bool()
		a.requestsWindow(true)
	case "cmp-a", "cmp-b":
		n := atoi(t.Get("value").String(), -1)
		if id == "cmp-a" {
			a.cmpA = n
		} else {
			a.cmpB = n
		}
		a.render()
	case "find-all":
		a.findAll = t.Get("checked").Bool()
		a.findingsList()
	}
}

func isField(t js.Value) bool {
	if !t.Truthy() {
		return false
	}
	switch t.Get("tagName").String() {
	case "INPUT", "SELECT", "TEXTAREA":
		return true
	}
	return false
}

func (a *app) onKey(ev js.Value) {
	key := ev.Get("key").String()
	if ev.Get("ctrlKey").Bool() || ev.Get("metaKey").Bool() || ev.Get("altKey").Bool() {
		return
	}
	t := ev.Get("target")
	if isField(t) {
		if key == "Escape" {
			t.Call("blur")
		}
		return
	}
	if a.run == nil {
		return
	}
	handled := true
	switch key {
	case "/":
		a.focusSearch()
	case "j", "ArrowDown":
		if key == "ArrowDown" && a.view == vTimeline {
			handled = false
			break
		}
		a.move(1)
	case "k", "ArrowUp":
		if key == "ArrowUp" && a.view == vTimeline {
			handled = false
			break
		}
		a.move(-1)
	case "Escape":
		a.clearSelection()
	case "?":
		a.help = !a.help
		a.render()
	case "1", "2", "3", "4", "5", "6":
		a.switchView(views[key[0]-'1'])
	case "[":
		a.stepScenario(-1)
	case "]":
		a.stepScenario(1)
	case "+", "=":
		a.zoomKey("in")
	case "-":
		a.zoomKey("out")
	case "0":
		a.zoomKey("fit")
	case "ArrowLeft":
		a.zoomKey("left")
	case "ArrowRight":
		a.zoomKey("right")
	default:
		handled = false
	}
	if handled {
		ev.Call("preventDefault")
	}
}

func (a *app) zoomKey(how string) {
	if a.view == vTimeline {
		a.zoom(how, -1)
	}
}

func (a *app) stepScenario(d int) {
	if a.view == vDiff {
		a.diffScenarioStep(d)
		return
	}
	if a.run == nil || len(a.run.scens) < 2 {
		return
	}
	b := *a
	b.sc = (a.sc + d + len(a.run.scens)) % len(a.run.scens)
	b.resetScenarioSelection()
	a.reqRowsKey = ""
	a.goTo(b.hash())
}

func (a *app) focusSearch() {
	id := map[string]string{vRequests: "req-q", vSessions: "sess-q", vFindings: "find-q", vOverview: "ov-q"}[a.view]
	if id == "" {
		a.pendingFocus = "req-q"
		a.switchView(vRequests)
		return
	}
	if el := byID(id); el.Truthy() {
		el.Call("focus")
		el.Call("select")
	}
}

// move selects the next (d=1) or previous (d=-1) item of the view.
func (a *app) move(d int) {
	m := a.curModel()
	switch a.view {
	case vOverview:
		// Through the scenarios the search passes.
		rows := a.scenarioRows()
		if len(rows) == 0 {
			return
		}
		a.sc = rows[stepIn(rows, a.sc, d)]
		a.resetScenarioSelection()
		a.followRow = true
	case vSessions, vTimeline:
		if m == nil || len(m.idents) == 0 {
			return
		}
		rows := a.sessionRows(m)
		if len(rows) == 0 {
			return
		}
		at := -1
		if id := a.curIdent(); id != nil {
			at = id.row
		}
		next := stepIn(rows, at, d)
		a.cookie = m.idents[rows[next]].key
		a.event, a.reset = -1, -1
		a.scrollIntoViewRow(next)
	case vRequests:
		rows := a.requestRows()
		if len(rows) == 0 {
			return
		}
		at := -1
		if m != nil {
			if p, ok := m.reqPos[a.req]; ok {
				at = p
			}
		}
		next := stepIn(rows, at, d)
		a.req = m.rec.Requests[rows[next]].ID
		a.scrollIntoViewRow(next)
	case vFindings:
		list := a.findingOrder()
		if len(list) == 0 {
			return
		}
		a.finding = list[stepIn(list, a.finding, d)]
	case vDiff:
		if a.cmp == nil {
			return
		}
		// The next or previous change row shown.
		next := -1
		for i := range a.cmp.rows {
			j := i
			if d < 0 {
				j = len(a.cmp.rows) - 1 - i
			}
			if a.visible(j) && (a.change < 0 || (j-a.change)*d > 0) {
				next = j
				break
			}
		}
		if next < 0 {
			return
		}
		a.change = next
	}
	a.replace()
}

// stepIn returns the position in rows of the row d away from row at,
// stopping at the ends; from the first or last row when at is not in rows.
func stepIn(rows []int, at, d int) int {
	cur := -1
	for i, r := range rows {
		if r == at {
			cur = i
		}
	}
	return clampInt(cur+d, 0, len(rows)-1)
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// scrollIntoViewRow scrolls the view's virtual list so row i is visible.
func (a *app) scrollIntoViewRow(i int) {
	var box js.Value
	var h float64
	switch a.view {
	case vRequests:
		box, h = byID("req-scroll"), reqRowH
	case vSessions:
		m := a.curModel()
		if m == nil {
			return
		}
		box, h = byID("sess-scroll"), m.grid().rowH
		i += len(m.tokens) // the session tokens' rows come first
	case vTimeline:
		box, h = byID("tl-scroll"), laneH
	case vOverview:
		box, h = byID("ov-scroll"), ovRowH
	default:
		return
	}
	if !box.Truthy() {
		return
	}
	top := float64(i) * h
	st := box.Get("scrollTop").Float()
	vh := box.Get("clientHeight").Float() - h*2
	if top < st {
		box.Set("scrollTop", top)
	} else if top > st+vh {
		box.Set("scrollTop", top-vh)
	}
}

func (a *app) onScroll(ev js.Value) {
	t := ev.Get("target")
	if !t.Truthy() || t.Get("id").Type() != js.TypeString {
		return
	}
	switch t.Get("id").String() {
	case "req-scroll":
		a.requestsWindow(false)
	case "sess-scroll":
		a.sessionsWindow(false)
	case "tl-scroll":
		a.timelineWindow()
	case "ov-scroll":
		a.overviewWindow(false)
	case "find-list":
		a.findingsList()
	}
}

// Drag and drop of files and folders.

// With a run open, the drop overlay has two halves: the left opens what
// is dropped instead, the right compares it (as run B) with the open run.
func (a *app) onDragOver(ev js.Value) {
	ev.Call("preventDefault")
	d := byID("drop")
	d.Set("hidden", false)
	d.Get("classList").Call("toggle", "two", a.run != nil)
	d.Get("dataset").Set("zone", a.dropZone(ev))
}

func (a *app) dropZone(ev js.Value) string {
	if a.run != nil && ev.Get("clientX").Float() > js.Global().Get("innerWidth").Float()/2 {
		return "compare"
	}
	return "open"
}

func (a *app) onDragLeave(ev js.Value) {
	if !ev.Get("relatedTarget").Truthy() {
		byID("drop").Set("hidden", true)
	}
}

func (a *app) onDrop(ev js.Value) {
	ev.Call("preventDefault")
	byID("drop").Set("hidden", true)
	open := a.openFiles
	if a.dropZone(ev) == "compare" {
		open = a.compareFiles
	}
	dt := ev.Get("dataTransfer")
	if !dt.Truthy() {
		return
	}
	// Entries must be taken now: the DataTransfer empties after the event.
	var entries []js.Value
	items := dt.Get("items")
	for i := 0; items.Truthy() && i < items.Length(); i++ {
		it := items.Index(i)
		if it.Get("webkitGetAsEntry").Type() == js.TypeFunction {
			if e := it.Call("webkitGetAsEntry"); e.Truthy() {
				entries = append(entries, e)
			}
		}
	}
	files := dt.Get("files")
	go func() {
		setStatus("Reading the dropped files …")
		if len(entries) > 0 {
			var list []js.Value
			for _, e := range entries {
				list = append(list, walkEntry(e, "")...)
			}
			arr := js.Global().Get("Array").New()
			for _, f := range list {
				arr.Call("push", f)
			}
			open(readFiles(arr))
			return
		}
		open(readFiles(files))
	}()
}

// walkEntry lists the files under a dropped FileSystemEntry, each with
// its relative path in the property stPath.
func walkEntry(e js.Value, prefix string) []js.Value {
	name := e.Get("name").String()
	if e.Get("isFile").Bool() {
		f, err := callbackValue(func(ok, bad js.Func) { e.Call("file", ok, bad) })
		if err != nil {
			return nil
		}
		f.Set("stPath", prefix+name)
		return []js.Value{f}
	}
	if !e.Get("isDirectory").Bool() {
		return nil
	}
	var out []js.Value
	r := e.Call("createReader")
	for {
		batch, err := callbackValue(func(ok, bad js.Func) { r.Call("readEntries", ok, bad) })
		if err != nil || batch.Length() == 0 {
			break
		}
		for i := 0; i < batch.Length(); i++ {
			out = append(out, walkEntry(batch.Index(i), prefix+name+"/")...)
		}
	}
	return out
}

// callbackValue calls an API with success and error callbacks and waits.
func callbackValue(call func(ok, bad js.Func)) (js.Value, error) {
	p := js.Global().Get("Promise").New(js.FuncOf(func(this js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		var ok, bad js.Func
		ok = js.FuncOf(func(this js.Value, a []js.Value) any {
			resolve.Invoke(a[0])
			ok.Release()
			bad.Release()
			return nil
		})
		bad = js.FuncOf(func(this js.Value, a []js.Value) any {
			reject.Invoke(a[0])
			ok.Release()
			bad.Release()
			return nil
		})
		call(ok, bad)
		return nil
	}))
	return await(p)
}

// onToggle fills the overview's plain text of the resets when its details
// are opened (a long one is left out as the overview is drawn).
func (a *app) onToggle(ev js.Value) {
	t := ev.Get("target")
	if !t.Truthy() || t.Get("id").String() != "ov-why-details" || !t.Get("open").Bool() || a.run == nil || a.run.why == nil {
		return
	}
	if el := byID("ov-why-text"); el.Truthy() && el.Get("value").String() == "" {
		el.Set("value", a.run.why.text)
	}
}
