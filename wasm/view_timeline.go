//go:build js && wasm

package main

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"syscall/js"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// The timeline is one SVG the size of the scroll box, redrawn for the
// time window and the lanes in view: marks closer than a few pixels are
// merged into one (with a count), so the DOM stays small at any zoom.
const (
	laneH  = 36.0
	markDY = 24.0 // a lane's marks sit below the strip where reset labels go
	axisH  = 40.0
	nodeH  = 24.0
	authH  = 24.0 // the logged-in lane
	labelW = 210.0
	bucket = 4.0 // pixels merged into one mark
)

// tlState is the time window of a scenario's timeline.
type tlState struct {
	v0, v1 int64
}

func (a *app) tlFor(m *model) *tlState {
	st := a.tl[a.sc]
	if st == nil {
		st = &tlState{v0: m.t0, v1: m.t1}
		pad := (m.t1 - m.t0) / 50
		st.v0 -= pad
		st.v1 += pad
		a.tl[a.sc] = st
	}
	return st
}

func (a *app) renderTimeline(view js.Value, m *model) {
	u := &ui{}
	u.open("section").cls("timeline")
	u.open("div").cls("toolbar")
	u.button("", "zoom:out", "−", "Zoom out (-)").button("", "zoom:in", "+", "Zoom in (+)").button("", "zoom:fit", "Fit", "Show the whole journey (0)")
	u.el("span", "hint", "Drag to pan · Ctrl+wheel to zoom · ←/→ to move")
	u.open("span").cls("legend")
	for _, k := range []string{"set", "sent", "withheld", "rejected", "rotated", "changed", "deleted", "expired", "cleared"} {
		u.open("span").cls("lg")
		u.svg("svg").attr("width", "14").attr("height", "14").attr("viewBox", "-7 -7 14 14").cls("mk m-" + k)
		markShape(u, k, 0, 0)
		u.close()
		u.text(" " + k).close()
	}
	u.open("span").cls("lg").el("span", "reset-swatch", "").text(" reset").close()
	u.close()
	u.close()
	u.el("p", "hint", "One lane per cookie on the journey's time axis, with the steps. Session-ID lanes are coloured by ID. A reset is marked with its cause. On top, whether the user was logged in after each step (pale: not checked, carried over; ⚠ where a page showed the user logged out), and which node served each request; under them, the page's Web Storage writes and a lane per session token kept there, coloured by value. Click a mark for details.")
	u.open("div").attr("id", "tl-scroll").cls("tl-scroll").attr("tabindex", "0")
	u.open("div").attr("id", "tl-inner").cls("tl-inner")
	u.svg("svg").attr("id", "tl-svg").cls("tl-svg").attr("role", "group").attr("aria-label", "Timeline: one lane per cookie, its events and session resets, on the journey's time axis").close()
	u.close()
	u.close()
	u.close()
	mount(view, u)
	inner := byID("tl-inner")
	top := lanesY(m) + float64(len(m.idents))*laneH + 8
	inner.Get("style").Call("setProperty", "height", strconv.FormatFloat(top, 'f', 0, 64)+"px")
	// Bring the selected thing into view.
	st := a.tlFor(m)
	var at int64
	switch {
	case a.event >= 0 && a.event < len(m.rec.Events):
		at = nanos(m.rec.Events[a.event].Time)
	case a.reset >= 0 && a.reset < len(m.resets):
		at = m.resets[a.reset].at
	case a.step >= 0 && a.step < len(m.rec.Steps):
		at = m.stepTime(m.rec.Steps[a.step].Index)
	}
	if at != 0 && (at < st.v0 || at > st.v1) {
		w := st.v1 - st.v0
		st.v0, st.v1 = at-w/2, at+w/2
	}
	if id := a.curIdent(); id != nil {
		a.scrollIntoViewRow(id.row)
	} else if a.reset >= 0 && a.reset < len(m.resets) && m.resets[a.reset].id != nil {
		a.scrollIntoViewRow(m.resets[a.reset].id.row)
	}
	a.timelineWindow()
}

// markShape draws the glyph of an event kind centred on (x, y).
func markShape(u *ui, kind string, x, y float64) {
	switch kind {
	case "sent":
		u.svg("rect").attrF("x", x-1).attrF("y", y-6).attr("width", "2").attr("height", "12").close()
	case "set", "changed":
		u.svg("circle").attrF("cx", x).attrF("cy", y).attr("r", "4.5").close()
	case "rotated":
		u.svg("path").attr("d", "M"+f1(x)+" "+f1(y-6)+"l6 6l-6 6l-6-6z").close()
	case "withheld":
		u.svg("path").attr("d", "M"+f1(x)+" "+f1(y+6)+"l-6-11h12z").close()
	case "rejected":
		u.svg("path").attr("d", "M"+f1(x-5)+" "+f1(y-5)+"l10 10m0-10l-10 10").close()
	case "deleted", "expired", "cleared":
		u.svg("rect").attrF("x", x-4.5).attrF("y", y-4.5).attr("width", "9").attr("height", "9").close()
	default:
		u.svg("circle").attrF("cx", x).attrF("cy", y).attr("r", "3").close()
	}
}

func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// eventTitle is the hover text of an event mark.
func eventTitle(m *model, e *recording.CookieEvent) string {
	var b strings.Builder
	b.WriteString(string(e.Kind) + " " + e.Name + " (" + string(e.Source) + ") at " + rel(nanos(e.Time), m.t0) + ", step " + itoa(e.Step))
	for _, r := range e.Reasons {
		b.WriteString("\n" + r + ": " + recording.ReasonText(r))
	}
	if e.Value != nil {
		b.WriteString("\nvalue " + shown(*e.Value, true))
	}
	if e.URL != "" {
		b.WriteString("\n" + e.URL)
	}
	if e.Location != "" {
		b.WriteString("\nscript " + e.Location)
	}
	if e.Detail != "" {
		b.WriteString("\n" + e.Detail)
	}
	return b.String()
}

// markKind is the mark drawn for an event: "rotated" for a set that
// replaced another value.
func markKind(m *model, id *ident, k int) string {
	e := &m.rec.Events[id.events[k]]
	if e.Kind != recording.EventSet && e.Kind != recording.EventChanged || e.Value == nil {
		return string(e.Kind)
	}
	for j := k - 1; j >= 0; j-- {
		p := &m.rec.Events[id.events[j]]
		switch p.Kind {
		case recording.EventSet, recording.EventChanged:
			if p.Value != nil && !p.Value.Same(*e.Value) {
				return "rotated"
			}
			return string(e.Kind)
		case recording.EventDeleted, recording.EventExpired, recording.EventCleared:
			return string(e.Kind)
		}
	}
	return string(e.Kind)
}

// timelineWindow draws the SVG for the window and the lanes in view.
func (a *app) timelineWindow() {
	m := a.curModel()
	box, svg := byID("tl-scroll"), byID("tl-svg")
	if m == nil || !box.Truthy() || !svg.Truthy() {
		return
	}
	st := a.tlFor(m)
	W := box.Get("clientWidth").Float()
	H := box.Get("clientHeight").Float()
	if W < 300 {
		W = 300
	}
	if H < 200 {
		H = 200
	}
	scrollTop := box.Get("scrollTop").Float()
	svg.Call("setAttribute", "width", f1(W))
	svg.Call("setAttribute", "height", f1(H))
	svg.Call("setAttribute", "viewBox", "0 0 "+f1(W)+" "+f1(H))
	f := &tlFrame{m: m, st: st, W: W, H: H, plotW: W - labelW - 14, span: float64(st.v1 - st.v0), scrollTop: scrollTop,
		lanesTop: lanesY(m), rows: a.sessionRows(m)}
	f.first = clampInt(int(scrollTop/laneH)-1, 0, len(f.rows))
	f.last = clampInt(int((scrollTop+H-f.lanesTop)/laneH)+2, 0, len(f.rows))

	u := &ui{}
	u.svg("defs").svg("clipPath").attr("id", "tl-clip").svg("rect").attrF("x", labelW).attr("y", "0").attrF("width", f.plotW+8).attrF("height", H).close().close().close()
	a.tlLanes(u, f)
	a.tlResets(u, f)
	a.tlMarks(u, f)
	a.tlAxis(u, f)
	mount(svg, u)
}

// A tlFrame is the geometry of one drawing of the timeline: the SVG's
// size, the window of time shown and the lanes in view.
type tlFrame struct {
	m           *model
	st          *tlState
	W, H        float64 // the SVG's size
	plotW, span float64 // the plot's width, and the nanoseconds it shows
	scrollTop   float64
	lanesTop    float64 // where the cookie lanes start
	rows        []int   // the lanes shown (model rows), in order
	first, last int     // the lanes in view: rows[first:last]
}

// x is where time t is drawn.
func (f *tlFrame) x(t int64) float64 { return labelW + float64(t-f.st.v0)/f.span*f.plotW }

// laneY is the top of lane ri (an index of rows), shifted by the scroll.
func (f *tlFrame) laneY(ri int) float64 { return f.lanesTop + float64(ri)*laneH - f.scrollTop }

// tlLanes draws the lanes in view: background, label and a band for
// each value held.
func (a *app) tlLanes(u *ui, f *tlFrame) {
	m, st, W, xOf := f.m, f.st, f.W, f.x
	cur := a.curIdent()
	u.svg("g").cls("lanes")
	for ri := f.first; ri < f.last; ri++ {
		id := m.idents[f.rows[ri]]
		y := f.laneY(ri)
		mid := y + markDY
		cls := "lane"
		if id.session != nil {
			cls += " sessid"
		}
		if id == cur {
			cls += " sel"
		}
		u.svg("g").cls(cls).attrInt("data-row", id.row).attr("data-cookie", id.name).attr("role", "group").attr("aria-label", "Cookie lane "+id.label())
		u.svg("rect").cls("lane-bg").attr("x", "0").attrF("y", y).attrF("width", W).attrF("height", laneH).attr("data-act", "sel:lane:"+itoa(id.row)).close()
		u.svg("text").cls("lane-label").attr("x", "8").attrF("y", mid+4).attr("data-act", "sel:lane:"+itoa(id.row)).text(trunc(id.name, 26))
		u.svg("title").text(id.label()).close()
		u.close()
		u.svg("g").attr("clip-path", "url(#tl-clip)")
		// The value held after each step: a band coloured by value.
		for p := 0; p < len(m.rec.Steps); p++ {
			c := id.jar[p]
			if c == nil {
				continue
			}
			// One band for a run of steps with the same value.
			q := p
			for q+1 < len(m.rec.Steps) && id.jar[q+1] != nil && id.jar[q+1].Value.Same(c.Value) {
				q++
			}
			t0, t1 := m.spanStart[p], m.spanEnd[q]
			p = q
			if t1 < st.v0 || t0 > st.v1 {
				continue
			}
			x0, x1 := math.Max(xOf(t0), labelW), math.Min(xOf(t1), W)
			u.svg("rect").cls("band").attrF("x", x0).attrF("y", y+markDY-7).attrF("width", math.Max(1, x1-x0)).attrF("height", 14).style("--h", itoa(hue(c.Value))).close()
		}
		u.close()
		u.close()
	}
	u.close()
}

// tlResets draws the session resets of the lanes in view.
func (a *app) tlResets(u *ui, f *tlFrame) {
	m, st := f.m, f.st
	u.svg("g").cls("resets").attr("clip-path", "url(#tl-clip)")
	tagEnd := map[*ident]float64{}
	for i, rr := range m.resets {
		if rr.id == nil || rr.at < st.v0 || rr.at > st.v1 {
			continue
		}
		ri := -1
		for k := f.first; k < f.last; k++ {
			if f.rows[k] == rr.id.row {
				ri = k
			}
		}
		if ri < 0 {
			continue
		}
		x := f.x(rr.at)
		y := f.laneY(ri)
		cls := "reset"
		if i == a.reset {
			cls += " sel"
		}
		u.svg("g").cls(cls).attr("data-act", "sel:reset:"+itoa(i)).attr("data-cause", string(rr.reset.Cause))
		u.svg("line").attrF("x1", x).attrF("x2", x).attrF("y1", y-2).attrF("y2", y+laneH+2).close()
		// The tag: the cause when it ends before the lane's next reset,
		// else only ⚠, or none when the previous tag leaves no room (the
		// line and its hover text stay).
		next := math.Inf(1)
		for _, o := range m.resets {
			if o.id == rr.id && o.at > rr.at && o.at <= st.v1 {
				next = math.Min(next, f.x(o.at))
			}
		}
		label := "⚠ " + string(rr.reset.Cause)
		w := tagW(label)
		if x+3+w+2 > next {
			label, w = "⚠", tagW("⚠")
		}
		if end, ok := tagEnd[rr.id]; !ok || x+3 >= end {
			u.svg("rect").cls("reset-tag").attrF("x", x+3).attrF("y", y+2).attrF("width", w).attr("height", "14").attr("rx", "3").close()
			u.svg("text").attrF("x", x+7).attrF("y", y+13).text(label).close()
			tagEnd[rr.id] = x + 3 + w + 2
		}
		u.attr("role", "img").attr("aria-label", "Session reset of "+rr.id.name+": "+string(rr.reset.Cause)+". "+rr.reset.Summary)
		u.svg("title").text("Session reset: " + string(rr.reset.Cause) + "\n" + rr.reset.Detail).close()
		u.close()
	}
	u.close()
}

// tlMarks draws the marks of the lanes in view, on top of the resets.
func (a *app) tlMarks(u *ui, f *tlFrame) {
	u.svg("g").cls("marks").attr("clip-path", "url(#tl-clip)")
	for ri := f.first; ri < f.last; ri++ {
		id := f.m.idents[f.rows[ri]]
		mid := f.laneY(ri) + markDY
		u.svg("g").cls("lane-marks").attrInt("data-row", id.row).attr("data-cookie", id.name).attr("role", "group").attr("aria-label", "Events of "+id.label())
		a.laneMarks(u, f.m, id, f.st, f.x, mid, f.W)
		u.close()
	}
	u.close()
}

// tlAxis draws what stays put on top: the time axis, the step
// boundaries, the logged-in lane and the node lane.
func (a *app) tlAxis(u *ui, f *tlFrame) {
	m, st, W, H, xOf := f.m, f.st, f.W, f.H, f.x
	u.svg("g").cls("axis")
	u.svg("rect").cls("axis-bg").attr("x", "0").attr("y", "0").attrF("width", W).attrF("height", f.lanesTop).close()
	tick := niceTick(f.span / 8)
	for t := (st.v0 - m.t0) / tick * tick; t <= st.v1-m.t0; t += tick {
		x := xOf(m.t0 + t)
		if x < labelW {
			continue
		}
		u.svg("line").cls("tick").attrF("x1", x).attrF("x2", x).attr("y1", "0").attrF("y2", H).close()
		u.svg("text").cls("tick-label").attrF("x", x+3).attr("y", "12").text(tickLabel(t, tick)).close()
	}
	// Steps.
	var vis []int
	for p := range m.rec.Steps {
		s := &m.rec.Steps[p]
		t := nanos(s.Start)
		if t == 0 || t < st.v0 || t > st.v1 {
			continue
		}
		vis = append(vis, p)
	}
	labels := a.stepLabels(m, vis, xOf)
	for _, p := range vis {
		s := &m.rec.Steps[p]
		x := xOf(nanos(s.Start))
		cls := "step"
		if s.As != "" {
			cls += " as-" + string(s.As)
		}
		if p == a.step {
			cls += " sel"
		}
		u.svg("g").cls(cls).attr("data-act", "sel:step:"+itoa(p)).attrInt("data-step", p)
		u.svg("line").attrF("x1", x).attrF("x2", x).attr("y1", "16").attrF("y2", H).close()
		if label, ok := labels[p]; ok {
			u.svg("text").cls("step-label").attrF("x", x+3).attr("y", "30").text(label).close()
		}
		u.attr("role", "img").attr("aria-label", stepTitle(s))
		u.svg("title").text(stepTitle(s)).close()
		u.close()
	}
	y := axisH
	if m.auth != nil {
		a.authLane(u, m, st, xOf, y, W)
		y += authH
	}
	if len(m.nodes) > 0 {
		u.svg("text").cls("lane-label").attr("x", "8").attrF("y", y+16).text("serving node").close()
		a.nodeMarks(u, m, st, xOf, y+nodeH/2)
		y += nodeH
	}
	if len(m.rec.Storage) > 0 {
		u.svg("text").cls("lane-label").attr("x", "8").attrF("y", y+16).text("web storage").close()
		a.storageMarks(u, m, st, xOf, y+nodeH/2)
		y += nodeH
	}
	for _, t := range m.tokens {
		a.tokenLane(u, m, t, xOf, y+nodeH/2)
		y += nodeH
	}
	u.close()
}

// tokenLane draws a session token the analysis followed through Web
// Storage as a session cookie's lane: a bar per value, coloured by it,
// from the step that wrote it to the one that ended it, a tick per
// request that sent it, and its resets.
func (a *app) tokenLane(u *ui, m *model, t *analysis.TokenReport, xOf func(int64) float64, mid float64) {
	u.svg("g").cls("token-lane").attr("role", "group").attr("aria-label", "session token "+t.Label())
	u.svg("text").cls("lane-label").attr("x", "8").attrF("y", mid+4).text(t.Label()).close()
	for i := range t.IDs {
		id := &t.IDs[i]
		v := recording.Value{Fingerprint: id.Fingerprint, Len: id.Len}
		end := m.t1
		if p := m.stepOf(id.LastStep); p >= 0 && id.Ended != analysis.EndEndOfJourney {
			end = m.spanEnd[p]
		}
		x0, x1 := xOf(m.stepTime(id.FirstStep)), xOf(end)
		title := t.Kind + " token " + v.Short() + ": steps " + itoa(id.FirstStep) + "–" + itoa(id.LastStep) + ", sent " + plural(len(id.Sent), "time", "times") + ", ended " + string(id.Ended)
		u.svg("g").cls("tvalue").style("--h", itoa(hue(v))).attr("data-act", "go:"+a.hashFor(vSessions, a.sc, m.stepOf(id.FirstStep), "", "", -1))
		u.svg("rect").attrF("x", x0).attrF("y", mid-4).attrF("width", math.Max(2, x1-x0)).attr("height", "8").close()
		for _, q := range id.Sent {
			if p, ok := m.reqPos[q]; ok {
				markShape(u, "sent", xOf(nanos(m.rec.Requests[p].Start)), mid)
			}
		}
		u.attr("role", "img").attr("aria-label", title)
		u.svg("title").text(title).close()
		u.close()
	}
	for i := range t.Resets {
		r := &t.Resets[i]
		x, label := xOf(m.stepTime(r.Step)), "⚠ "+string(r.Cause)
		u.svg("g").cls("reset")
		u.svg("line").attrF("x1", x).attrF("x2", x).attrF("y1", mid-8).attrF("y2", mid+8).close()
		u.svg("rect").cls("reset-tag").attrF("x", x+3).attrF("y", mid-7).attrF("width", tagW(label)).attr("height", "14").attr("rx", "3").close()
		u.svg("text").attrF("x", x+7).attrF("y", mid+4).text(label).close()
		u.attr("role", "img").attr("aria-label", "Session reset of "+t.Label()+": "+string(r.Cause)+". "+r.Summary)
		u.svg("title").text("Session reset: " + string(r.Cause) + "\n" + r.Detail).close()
		u.close()
	}
	u.close()
}

// stepLabels are the labels of the steps vis (positions, in time order)
// that fit on the axis without overlapping: the selected step's and the
// privilege boundaries' first, then the others where there is room.
func (a *app) stepLabels(m *model, vis []int, xOf func(int64) float64) map[int]string {
	type span struct{ x0, x1 float64 }
	var taken []span
	out := map[int]string{}
	place := func(p int) {
		s := &m.rec.Steps[p]
		label := itoa(s.Index)
		if s.As != "" {
			label += " " + string(s.As)
		}
		x0 := xOf(nanos(s.Start)) + 3
		sp := span{x0 - 3, x0 + float64(len([]rune(label)))*stepCharW + 4}
		for _, t := range taken {
			if sp.x0 < t.x1 && t.x0 < sp.x1 {
				return
			}
		}
		taken = append(taken, sp)
		out[p] = label
	}
	for _, p := range vis {
		if p == a.step {
			place(p)
		}
	}
	for _, p := range vis {
		if m.rec.Steps[p].As != "" {
			place(p)
		}
	}
	for _, p := range vis {
		place(p)
	}
	return out
}

// tagW is the width of a reset's tag that says label (11 px bold text).
func tagW(label string) float64 { return float64(len([]rune(label))+1)*7.2 + 8 } // (⚠ is wider)

// stepCharW is the most a character of a step label takes (11.5 px text,
// style.css's .tl-svg text; bold for privilege boundaries).
const stepCharW = 7.4

// lanesY is where the cookie lanes start: under the axis, the
// logged-in lane and the node lane.
func lanesY(m *model) float64 {
	y := axisH
	if m.auth != nil {
		y += authH
	}
	if len(m.nodes) > 0 {
		y += nodeH
	}
	if len(m.rec.Storage) > 0 {
		y += nodeH // the Web Storage lane
	}
	return y + float64(len(m.tokens))*nodeH
}

// authLane draws the logged-in state after each step (a band per step,
// pale when carried over from an earlier step) and, where an observed
// reset says the page showed the user logged out, a mark.
func (a *app) authLane(u *ui, m *model, st *tlState, xOf func(int64) float64, y, W float64) {
	u.svg("g").cls("auth-lane").attr("role", "group").attr("aria-label", "Logged in after each step")
	u.svg("text").cls("lane-label").attr("x", "8").attrF("y", y+16).text("logged in").close()
	for p, e := range m.auth {
		if e == nil || m.spanEnd[p] < st.v0 || m.spanStart[p] > st.v1 {
			continue
		}
		x0, x1 := math.Max(xOf(m.spanStart[p]), labelW), math.Min(xOf(m.spanEnd[p]), W)
		cls := "auth a-" + string(e.State)
		if !e.Checked {
			cls += " carried"
		}
		if p == a.step && a.cookie == "" {
			cls += " sel"
		}
		u.svg("g").cls(cls).attr("data-act", "sel:auth:"+itoa(p)).attrInt("data-step", p).attr("data-state", string(e.State))
		u.svg("rect").attrF("x", x0).attrF("y", y+4).attrF("width", math.Max(1, x1-x0-1)).attr("height", "16").close()
		if word := authWord(e.State); x1-x0 > 84 {
			if e.Target != "" && x1-x0 > 150 {
				word += " · " + e.Target // the user's state in another window
			}
			u.svg("text").attrF("x", x0+16).attrF("y", y+16).text(word).close()
		}
		u.attr("role", "img").attr("aria-label", m.authTitle(p))
		u.svg("title").text(m.authTitle(p)).close()
		u.close()
	}
	for i, rr := range m.resets {
		if rr.obs < 0 {
			continue
		}
		x := xOf(m.spanStart[rr.obs])
		if x < labelW || x > W {
			continue
		}
		u.svg("g").cls("auth-reset").attr("data-act", "sel:reset:"+itoa(i)).attrInt("data-step", rr.obs).attr("data-cause", string(rr.reset.Cause))
		u.svg("line").attrF("x1", x).attrF("x2", x).attrF("y1", y).attrF("y2", y+authH).close()
		u.svg("text").attrF("x", x+2).attrF("y", y+16).text("⚠").close()
		u.attr("role", "img").attr("aria-label", "Logged out here: "+rr.reset.Summary)
		u.svg("title").text(rr.reset.Summary).close()
		u.close()
	}
	u.close()
}

func trunc(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// laneMarks draws the events of one lane in the window, merging marks of
// the same kind that fall in the same few pixels.
func (a *app) laneMarks(u *ui, m *model, id *ident, st *tlState, xOf func(int64) float64, mid, W float64) {
	evs := id.events
	lo := sort.Search(len(evs), func(i int) bool { return nanos(m.rec.Events[evs[i]].Time) >= st.v0 })
	hi := sort.Search(len(evs), func(i int) bool { return nanos(m.rec.Events[evs[i]].Time) > st.v1 })
	var groups []*markGroup
	open := map[string]*markGroup{}
	// In a dense window, the sent marks (most of them) are one path with
	// no hover text: zoom in to tell them apart.
	dense := hi-lo > 400
	var sentPath []byte
	lastSentX := -100.0
	for k := lo; k < hi; k++ {
		ev := evs[k]
		e := &m.rec.Events[ev]
		x := xOf(nanos(e.Time))
		if dense && e.Kind == recording.EventSent {
			if x-lastSentX >= 2 {
				sentPath = append(sentPath, 'M')
				sentPath = strconv.AppendFloat(sentPath, x-1, 'f', 1, 64)
				sentPath = append(sentPath, ' ')
				sentPath = strconv.AppendFloat(sentPath, mid-6, 'f', 1, 64)
				sentPath = append(sentPath, "h2v12h-2z"...)
				lastSentX = x
			}
			continue
		}
		kind := markKind(m, id, k)
		if g := open[kind]; g != nil && x-g.x < bucket {
			g.n++
			g.note(e.Reasons)
			if int(ev) == a.event {
				g.first = ev
			}
			continue
		}
		g := &markGroup{kind: kind, x: x, first: ev, n: 1}
		g.note(e.Reasons)
		open[kind] = g
		groups = append(groups, g)
	}
	if len(sentPath) > 0 {
		u.svg("g").cls("mk m-sent dense").svg("path").attr("d", string(sentPath)).close().close()
	}
	// Dense kinds first so that rare ones are drawn on top.
	order := map[string]int{"sent": 0, "set": 1, "changed": 2, "rotated": 3, "cleared": 4, "expired": 4, "deleted": 4, "withheld": 5, "rejected": 6}
	sort.SliceStable(groups, func(i, j int) bool { return order[groups[i].kind] < order[groups[j].kind] })
	for _, g := range groups {
		a.drawMark(u, m, g, mid)
	}
}

// A markGroup is the events of one kind that one mark of a lane stands
// for.
type markGroup struct {
	kind  string
	x     float64
	first int32 // the event the mark selects
	n     int
	why   map[string]int // the browser's reasons, counted
}

func (g *markGroup) note(reasons []string) {
	for _, r := range reasons {
		if g.why == nil {
			g.why = map[string]int{}
		}
		g.why[r]++
	}
}

// drawMark draws a group's mark, with its events in its title.
func (a *app) drawMark(u *ui, m *model, g *markGroup, mid float64) {
	e := &m.rec.Events[g.first]
	cls := "mk m-" + g.kind
	if int(g.first) == a.event {
		cls += " sel"
	}
	u.svg("g").cls(cls).attr("data-act", "sel:ev:"+itoa(int(g.first))).attr("data-kind", g.kind)
	if len(e.Reasons) > 0 {
		u.attr("data-reasons", strings.Join(e.Reasons, " "))
	}
	if e.Value != nil && (g.kind == "set" || g.kind == "rotated" || g.kind == "changed") {
		u.style("--h", itoa(hue(*e.Value)))
	}
	markShape(u, g.kind, g.x, mid)
	title := eventTitle(m, e)
	if g.n > 1 {
		title = itoa(g.n) + " " + g.kind + " events here; the first:\n" + title
		for r, n := range g.why {
			title += "\n" + itoa(n) + "× " + r
		}
	}
	u.attr("role", "img").attr("aria-label", title)
	u.svg("title").text(title).close()
	u.close()
}

// nodeMarks draws which node served the requests in the window.
func (a *app) nodeMarks(u *ui, m *model, st *tlState, xOf func(int64) float64, mid float64) {
	reqs := m.rec.Requests
	lastX, labelEnd := -100.0, -100.0
	lastNode := ""
	for i := range reqs {
		q := &reqs[i]
		t := nanos(q.Start)
		if q.Node == "" || t < st.v0 || t > st.v1 {
			continue
		}
		x := xOf(t)
		if x-lastX < bucket && q.Node == lastNode {
			continue
		}
		u.svg("g").cls("node").attr("data-act", "go:"+a.hashFor(vRequests, a.sc, -1, "", q.ID, -1)).attr("data-node", q.Node).style("--h", itoa(hueOf(q.Node)))
		u.svg("rect").attrF("x", x-2).attrF("y", mid-7).attr("width", "4").attr("height", "14").close()
		if q.Node != lastNode && x+4 > labelEnd {
			u.svg("text").attrF("x", x+4).attrF("y", mid+4).text(q.Node).close()
			labelEnd = x + 4 + float64(len([]rune(q.Node)))*6.8 + 4
		}
		title := q.Node + " (" + q.NodeHeader + "): " + q.Method + " " + q.URL
		u.attr("role", "img").attr("aria-label", "Served by "+title)
		u.svg("title").text(title).close()
		u.close()
		lastX, lastNode = x, q.Node
	}
}

// storageMarks draws the journey's Web Storage writes on one lane: where
// a single-page app's tokens come and go, next to the cookies'. A value
// the journey sent as an Authorization header is marked as such.
func (a *app) storageMarks(u *ui, m *model, st *tlState, xOf func(int64) float64, mid float64) {
	sent := map[string]bool{}
	for i := range m.rec.Requests {
		if c := m.rec.Requests[i].Authorization; c != nil {
			sent[c.Value.Fingerprint] = true
		}
	}
	for i := range m.rec.Storage {
		e := &m.rec.Storage[i]
		t := nanos(e.Time)
		if t < st.v0 || t > st.v1 {
			continue
		}
		x := xOf(t)
		title := "step " + itoa(e.Step) + ": " + string(e.Area) + " " + e.Key + " " + string(e.Kind)
		cls := "swrite s-" + string(e.Kind)
		if e.Value != nil {
			title += " " + shown(*e.Value, true)
			if sent[e.Value.Fingerprint] {
				cls += " bearer"
				title += " (sent as Authorization)"
			}
			u.svg("g").cls(cls).style("--h", itoa(hue(*e.Value)))
		} else {
			u.svg("g").cls(cls)
		}
		u.attr("data-key", e.Key).attr("data-act", "go:"+a.hashFor(vSessions, a.sc, m.stepOf(e.Step), "", "", -1))
		markShape(u, storageShape(e.Kind), x, mid)
		u.attr("role", "img").attr("aria-label", title)
		u.svg("title").text(title).close()
		u.close()
	}
}

// storageShape maps a write to the mark of the cookie event it is like.
func storageShape(k recording.StorageKind) string {
	switch k {
	case recording.StorageSet:
		return string(recording.EventSet)
	case recording.StorageRemoved:
		return string(recording.EventDeleted)
	}
	return string(recording.EventCleared)
}

func niceTick(target float64) int64 {
	if target < 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(target)))
	for _, f := range []float64{1, 2, 5, 10} {
		if f*p >= target {
			return int64(f * p)
		}
	}
	return int64(10 * p)
}

func tickLabel(t, tick int64) string {
	d := time.Duration(t)
	switch {
	case tick >= int64(time.Second):
		return "+" + strconv.FormatFloat(d.Seconds(), 'f', 0, 64) + " s"
	case tick >= int64(100*time.Millisecond):
		return "+" + strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s"
	case tick >= int64(10*time.Millisecond):
		return "+" + strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + " s"
	case tick >= int64(time.Millisecond):
		return "+" + strconv.FormatFloat(d.Seconds(), 'f', 3, 64) + " s"
	}
	return "+" + strconv.FormatInt(d.Microseconds(), 10) + " µs"
}
