//go:build js && wasm

package main

import (
	"math"
	"syscall/js"
	"time"
)

// Moving about the timeline: zoom, wheel, pan and drag. The drawing is in
// view_timeline.go; these change the window it draws and ask for a redraw.

// zoom changes the window: in, out, fit, left, right; around x (pixels in
// the SVG) or the middle.
func (a *app) zoom(how string, x float64) {
	m := a.curModel()
	if m == nil {
		return
	}
	st := a.tlFor(m)
	span := st.v1 - st.v0
	box := byID("tl-scroll")
	W := 1000.0
	if box.Truthy() {
		W = box.Get("clientWidth").Float()
	}
	plotW := W - labelW - 14
	frac := 0.5
	if x >= labelW {
		frac = math.Min(1, (x-labelW)/plotW)
	}
	c := st.v0 + int64(float64(span)*frac)
	switch how {
	case "in":
		span = max(span/2, int64(100*time.Microsecond))
	case "out":
		span = min(span*2, (m.t1-m.t0)*4+int64(time.Second))
	case "fit":
		delete(a.tl, a.sc)
		a.timelineWindow()
		return
	case "left":
		c -= span / 4
	case "right":
		c += span / 4
	}
	st.v0 = c - int64(float64(span)*frac)
	st.v1 = st.v0 + span
	a.timelineWindow()
}

func (a *app) onWheel(ev js.Value) {
	if a.view != vTimeline {
		return
	}
	if t := closest(ev, "#tl-svg"); !t.Truthy() {
		return
	}
	m := a.curModel()
	if m == nil {
		return
	}
	dx, dy := ev.Get("deltaX").Float(), ev.Get("deltaY").Float()
	if ev.Get("ctrlKey").Bool() || ev.Get("metaKey").Bool() {
		ev.Call("preventDefault")
		x := ev.Get("offsetX").Float()
		if dy < 0 {
			a.zoom("in", x)
		} else if dy > 0 {
			a.zoom("out", x)
		}
		return
	}
	if ev.Get("shiftKey").Bool() && dx == 0 {
		dx = dy
	}
	if dx != 0 {
		ev.Call("preventDefault")
		a.pan(dx)
	}
}

// pan moves the window by dx pixels.
func (a *app) pan(dx float64) {
	m := a.curModel()
	st := a.tlFor(m)
	box := byID("tl-scroll")
	plotW := box.Get("clientWidth").Float() - labelW - 14
	if plotW <= 0 {
		return
	}
	d := int64(dx / plotW * float64(st.v1-st.v0))
	st.v0 += d
	st.v1 += d
	a.timelineWindow()
}

var drag struct {
	on, moved, suppress bool
	x                   float64
}

func (a *app) onPointerDown(ev js.Value) {
	if a.view != vTimeline || ev.Get("button").Int() != 0 {
		return
	}
	if t := closest(ev, "#tl-svg"); !t.Truthy() {
		return
	}
	drag.on, drag.x, drag.moved, drag.suppress = true, ev.Get("clientX").Float(), false, false
}

func (a *app) onPointerMove(ev js.Value) {
	if !drag.on {
		return
	}
	x := ev.Get("clientX").Float()
	if math.Abs(x-drag.x) < 3 && !drag.moved {
		return
	}
	drag.moved = true
	a.pan(drag.x - x)
	drag.x = x
}

func (a *app) onPointerUp(ev js.Value) {
	// The click that ends a drag is not a selection.
	drag.suppress = drag.on && drag.moved
	drag.on = false
}
