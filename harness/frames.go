package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// Where a step acts (its in): a target (the tab, a popup, a frame of
// another site, which runs in a process of its own) and, inside it, a
// document. The target's top document is what chromedp acts on; a frame
// of the target's own process has no target of its own, so the step's
// scripts run in the frame's main world (Runtime.evaluate with its
// context) and its clicks go to the target at the element's place in the
// page. DevTools is not bound by the same-origin policy: this works for a
// frame of another origin of the same site too.

// worlds tracks the main world of each frame of a target from the
// target's Runtime events (fed by chromedp.WithListener from the target's
// first message, so that the contexts reported when chromedp enables
// Runtime are seen too).
type worlds struct {
	mu      sync.Mutex
	main    map[string]string // frame id → unique id of its main world
	frames  map[string]string // unique context id → frame id
	gone    map[string]string // frame id → why it went
	changed chan struct{}     // closed and replaced on every change
}

func newWorlds() *worlds {
	return &worlds{main: map[string]string{}, frames: map[string]string{}, gone: map[string]string{}, changed: make(chan struct{})}
}

// listen is the target's listener: it must be quick and send nothing.
func (w *worlds) listen(ev any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch e := ev.(type) {
	case *runtime.EventExecutionContextCreated:
		var aux struct {
			FrameID   string `json:"frameId"`
			IsDefault bool   `json:"isDefault"`
		}
		if e.Context == nil || json.Unmarshal(e.Context.AuxData, &aux) != nil || aux.FrameID == "" || !aux.IsDefault {
			return
		}
		w.main[aux.FrameID] = e.Context.UniqueID
		w.frames[e.Context.UniqueID] = aux.FrameID
	case *runtime.EventExecutionContextDestroyed:
		f, ok := w.frames[e.ExecutionContextUniqueID]
		if !ok {
			return
		}
		delete(w.frames, e.ExecutionContextUniqueID)
		if w.main[f] == e.ExecutionContextUniqueID {
			delete(w.main, f)
		}
	case *runtime.EventExecutionContextsCleared:
		clear(w.main)
		clear(w.frames)
	case *page.EventFrameDetached:
		why := "the frame was removed from its page"
		if e.Reason == page.FrameDetachedReasonSwap {
			why = "the frame moved to a process of its own (it now shows a page of another site)"
		}
		w.gone[string(e.FrameID)] = why
	default:
		return
	}
	close(w.changed)
	w.changed = make(chan struct{})
}

// has reports whether the frame has a main world in this target.
func (w *worlds) has(frame string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	_, ok := w.main[frame]
	return ok
}

// context returns the unique id of the frame's main world, waiting while
// the frame is between two documents.
func (w *worlds) context(c context.Context, d *doc) (string, error) {
	return w.await(c, d, "", "the frame shows no document")
}

// await waits until the frame of d has a main world other than not, and
// returns its unique id; waiting says, on a timeout, what for.
func (w *worlds) await(c context.Context, d *doc, not, waiting string) (string, error) {
	for {
		w.mu.Lock()
		id, ok := w.main[d.frame]
		why, ch := w.gone[d.frame], w.changed
		w.mu.Unlock()
		switch {
		case ok && id != not:
			return id, nil
		case why != "":
			return "", fmt.Errorf("in %s: %s", d.in, why)
		}
		select {
		case <-c.Done():
			return "", fmt.Errorf("in %s: %s: %w", d.in, waiting, c.Err())
		case <-ch:
		}
	}
}

// A doc is a document of a target's process other than the target's
// top document: a frame's. A nil *doc is the target's top document.
type doc struct {
	in     string  // the step's in, for messages
	frame  string  // the frame's id
	worlds *worlds // the target's
	// owner is the frame's element, in its parent's world (for a
	// screenshot of the frame); it lives as long as the step.
	owner runtime.RemoteObjectID
}

// stepObjects is the object group of the remote objects a step in a
// frame holds (owner, an element it clicks): released when it ends.
const stepObjects = "sessiontrace-step"

// errDocChanged is a frame whose document changed (it navigated) while
// a script ran in it.
var errDocChanged = errors.New("the frame's document changed during the step (it navigated)")

// evalIn evaluates expr in d as chromedp.Evaluate does in the top
// document.
func evalIn[T any](c context.Context, d *doc, expr string, opts ...chromedp.EvaluateOption) (T, error) {
	if d == nil {
		return chromedp.Run(c, chromedp.Evaluate[T](expr, opts...))
	}
	var zero T
	id, err := d.worlds.context(c, d)
	if err != nil {
		return zero, err
	}
	opts = append(opts[:len(opts):len(opts)], func(p *runtime.EvaluateParams) { p.UniqueContextID, p.ObjectGroup = id, stepObjects })
	v, err := chromedp.Run(c, chromedp.Evaluate[T](expr, opts...))
	if err != nil && contextLost(err) {
		// Removed, or navigated: say which, if the events told already.
		if _, gerr := d.worlds.context(c, d); gerr != nil && c.Err() == nil {
			return zero, gerr
		}
		return zero, fmt.Errorf("in %s: %w", d.in, errDocChanged)
	}
	return v, err
}

// contextLost reports whether an evaluation failed because its context
// went away (its document was replaced or removed).
func contextLost(err error) bool {
	s := err.Error()
	return strings.Contains(s, "Cannot find context with specified id") || strings.Contains(s, "Execution context was destroyed")
}

// docURL is the URL of the document: in a frame, the frame's.
func docURL(c context.Context, d *doc) (string, error) {
	if d == nil {
		return chromedp.Run(c, chromedp.Location())
	}
	return evalIn[string](c, d, "location.href")
}

// where moves r.tab to the target a step acts on and returns the
// document in it (nil: the target's top document), attaching to a popup
// or a frame of another site on first use. restore puts r.tab back.
func (r *runner) where(ctx context.Context, s *stepCall) (d *doc, restore func(), err error) {
	tab := r.tab
	var used []context.Context // the targets whose objects the step holds
	restore = func() {
		for _, t := range used {
			r.tab = t
			_ = r.withTimeout(ctx, time.Second, func(c context.Context) error {
				return chromedp.FromContext(c).Target.Call(c, "Runtime.releaseObjectGroup", map[string]any{"objectGroup": stepObjects}, nil)
			})
		}
		r.tab = tab
	}
	ws := r.tabWorlds
	window := s.st.InWindow()
	if window != "" {
		p, err := r.popupNamed("in "+window, window, s.timeout)
		if err != nil {
			return nil, restore, err
		}
		r.stepPopup = p // (by URL or title, it may not match once the step navigated it)
		if r.tab, ws, err = r.attachWindow(ctx, window, p.id, "popup"); err != nil {
			return nil, restore, err
		}
	}
	for k, sel := range s.st.Frames {
		in := scenarios.JoinIn(window, s.st.Frames[:k+1])
		used = append(used, r.tab)
		var f frameFound
		err := r.withTimeout(ctx, s.timeout, func(c context.Context) error {
			var err error
			f, err = findFrame(c, d, ws, in, sel)
			return err
		})
		switch {
		case err != nil:
			return d, restore, err
		case f.target:
			// A frame of another site: its own target, whose top
			// document the step acts in.
			if r.tab, ws, err = r.attachWindow(ctx, in, f.id, "frame"); err != nil {
				return nil, restore, err
			}
			d = nil
		default:
			d = &doc{in: s.st.In, frame: f.id, worlds: ws, owner: f.owner}
		}
	}
	if d == nil && len(used) > 0 && used[len(used)-1] != r.tab {
		used = append(used, r.tab)
	}
	return d, restore, nil
}

// frameFound is a frame a step's in names.
type frameFound struct {
	id     string
	target bool                   // the frame has a target of its own
	owner  runtime.RemoteObjectID // its element
}

// findFrame finds the frame sel names in the document d of the target
// of c (whose main worlds ws tracks), waiting until the element is there
// and the frame shows its document, in this process or in a target of its
// own. in names the frame for messages.
func findFrame(c context.Context, d *doc, ws *worlds, in, sel string) (frameFound, error) {
	last := "none"
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		f, state, err := lookFrame(c, d, ws, in, sel)
		if (err != nil && c.Err() == nil) || (err == nil && state == "") {
			return f, err
		}
		if err == nil {
			last = state
		}
		select {
		case <-c.Done():
			msg := "the frame shows no document"
			switch last {
			case "none":
				msg = "no element matches " + sel
			case "loading":
				msg = "the frame has not loaded its document"
			}
			return f, &quietError{"in " + in + ": " + msg, c.Err()}
		case <-tick.C:
		}
	}
}

// A quietError says what a step waited for in vain; it wraps why it
// stopped (its context's end) without repeating it.
type quietError struct {
	msg string
	err error
}

func (e *quietError) Error() string { return e.msg }
func (e *quietError) Unwrap() error { return e.err }

// lookFrame looks once for the frame sel names: found, or what it is
// waiting for ("none": no element; "blank": a frame without a
// document yet; "loading": one still on its first, blank document).
func lookFrame(c context.Context, d *doc, ws *worlds, in, sel string) (frameFound, string, error) {
	var f frameFound
	el, err := evalIn[*runtime.RemoteObject](c, d, jsQuery(sel), chromedp.EvalObjectGroup(stepObjects))
	if err != nil {
		return f, "", fmt.Errorf("in %s: finding %s: %w", in, sel, err)
	}
	if el.ObjectID == "" {
		return f, "none", nil
	}
	f.owner = el.ObjectID
	var node struct {
		Node struct {
			NodeName   string   `json:"nodeName"`
			FrameID    string   `json:"frameId"`
			Attributes []string `json:"attributes"`
		} `json:"node"`
	}
	t := chromedp.FromContext(c).Target
	if err := t.Call(c, "DOM.describeNode", map[string]any{"objectId": el.ObjectID}, &node); err != nil {
		return f, "", fmt.Errorf("in %s: %w", in, err)
	}
	n := node.Node
	if n.NodeName != "IFRAME" && n.NodeName != "FRAME" {
		return f, "", fmt.Errorf("in %s: %s is a %s, not a frame", in, sel, strings.ToLower(n.NodeName))
	}
	if f.id = n.FrameID; f.id == "" {
		return f, "blank", nil
	}
	if ws.has(f.id) {
		// An element with a src shows about:blank only until its
		// document commits: the step waits for that document.
		src := ""
		for i := 0; i+1 < len(n.Attributes); i += 2 {
			if n.Attributes[i] == "src" {
				src = strings.TrimSpace(n.Attributes[i+1])
			}
		}
		if src != "" && !strings.HasPrefix(src, "about:") {
			u, err := evalIn[string](c, &doc{in: in, frame: f.id, worlds: ws}, "location.href")
			if err != nil || u == "about:blank" {
				return f, "loading", nil
			}
		}
		return f, "", nil
	}
	var info struct {
		TargetInfo struct {
			Type string `json:"type"`
		} `json:"targetInfo"`
	}
	if chromedp.FromContext(c).Browser.Call(c, "Target.getTargetInfo", map[string]any{"targetId": f.id}, &info) == nil && info.TargetInfo.Type == "iframe" {
		f.target = true
		return f, "", nil
	}
	return f, "blank", nil
}

// element returns the first element matching sel in d, as a remote
// object (of the step's object group in a frame), or an error when none
// matches.
func element(c context.Context, d *doc, sel string) (runtime.RemoteObjectID, error) {
	el, err := evalIn[*runtime.RemoteObject](c, d, jsQuery(sel), chromedp.EvalObjectGroup(stepObjects))
	if err != nil {
		return "", err
	}
	if el.ObjectID == "" {
		return "", fmt.Errorf("no element matches %s", sel)
	}
	return el.ObjectID, nil
}

// box scrolls the element into view and returns its box in the
// viewport of the target's page (DOM.getContentQuads gives a frame's
// elements in those coordinates, where the target takes mouse events).
func box(c context.Context, obj runtime.RemoteObjectID) (x0, y0, x1, y1 float64, err error) {
	t := chromedp.FromContext(c).Target
	if err := t.Call(c, "DOM.scrollIntoViewIfNeeded", map[string]any{"objectId": obj}, nil); err != nil {
		return 0, 0, 0, 0, err
	}
	var res struct {
		Quads [][]float64 `json:"quads"`
	}
	if err := t.Call(c, "DOM.getContentQuads", map[string]any{"objectId": obj}, &res); err != nil {
		return 0, 0, 0, 0, err
	}
	if len(res.Quads) == 0 || len(res.Quads[0]) != 8 {
		return 0, 0, 0, 0, errors.New("the element has no box")
	}
	q := res.Quads[0]
	x0, y0, x1, y1 = q[0], q[1], q[0], q[1]
	for i := 2; i < 8; i += 2 {
		x0, x1 = min(x0, q[i]), max(x1, q[i])
		y0, y1 = min(y0, q[i+1]), max(y1, q[i+1])
	}
	return x0, y0, x1, y1, nil
}

// clickAt clicks the first element matching sel in d as a user's mouse
// does: at the centre of its box, scrolled into view.
func clickAt(d *doc, sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(c context.Context, t *chromedp.Target) error {
		obj, err := element(c, d, sel)
		if err != nil {
			return err
		}
		// Released after the click (the page may have navigated: then
		// it is gone anyway).
		defer func() { _ = t.Call(c, "Runtime.releaseObject", map[string]any{"objectId": obj}, nil) }()
		x0, y0, x1, y1, err := box(c, obj)
		if err != nil {
			return fmt.Errorf("clicking %s: %w", sel, err)
		}
		_, err = chromedp.MouseClickXY((x0+x1)/2, (y0+y1)/2)(c, t)
		return err
	})
}

// loads runs a (a click, a form's submit) and, when it is expected to
// load a document (nav), waits for it: the tab's or popup's response
// as chromedp has it, or a frame's next document.
func loads(c context.Context, d *doc, nav bool, a chromedp.Action[chromedp.Void]) error {
	switch {
	case !nav:
		return chromedp.Do(c, a)
	case d == nil:
		_, err := chromedp.RunResponse(c, a)
		return err
	}
	before, err := d.worlds.context(c, d)
	if err != nil {
		return err
	}
	if err := chromedp.Do(c, a); err != nil {
		return err
	}
	_, err = d.worlds.await(c, d, before, "the frame loaded no new document")
	return err
}

// screenshotClip is the clip of a screenshot of the first element
// matching sel in d, or, with no selector, of d's frame: its box in the
// coordinates of the target's page (the capture's).
func screenshotClip(c context.Context, d *doc, sel string) (*page.Viewport, error) {
	obj := d.owner
	if sel != "" {
		var err error
		if obj, err = element(c, d, sel); err != nil {
			return nil, err
		}
	}
	x0, y0, x1, y1, err := box(c, obj)
	if err != nil {
		return nil, err
	}
	// The box is in the viewport; the capture is of the page.
	origin, err := evalIn[[]float64](c, nil, "(r => [r.left, r.top])(document.documentElement.getBoundingClientRect())")
	if err != nil || len(origin) != 2 {
		return nil, fmt.Errorf("reading the page's scroll: %v", err)
	}
	x, y := x0-origin[0], y0-origin[1]
	return &page.Viewport{X: x, Y: y, Width: x1 - x0, Height: y1 - y0, Scale: 1}, nil
}
