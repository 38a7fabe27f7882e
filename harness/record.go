package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// Recording a journey by hand (sessiontrace record): the user clicks
// through a site in a tab of this browser while the harness records it as
// it records a scenario run (collector, builder), and writes down each
// user action as a scenario step, so that the journey can be replayed.
// This file holds the session and its event loop; record_steps.go turns
// actions into steps, record_yaml.go writes the scenario, record_script.go is
// the script that sees the user's actions in the page.

// RecordOptions controls a recording by hand.
type RecordOptions struct {
	// URL is the first page; empty leaves the tab blank for the user.
	URL string
	// Name is the scenario's name; empty names it after the first page's
	// host.
	Name string
	// Redactor fingerprints cookie values and keeps the typed secrets out
	// of everything written. Nil makes one.
	Redactor *recording.Redactor
	// Pause is how long the user must stay on a new page for the
	// scenario to check it (an expect step); default 3s.
	Pause time.Duration
	// Settle is how long the page must be quiet (no request, no cookie
	// event) before the jar is read for the current step; default 400ms.
	Settle time.Duration
	// Checkpoint, when set, gets the recording and scenario so far, at
	// most once a second, marked interrupted: what a killed recorder
	// leaves.
	Checkpoint func(*Recorded)
	// Progress, when set, is told of every step and of the counts of
	// requests and cookie events (from the event loop: it must not
	// block).
	Progress func(RecordProgress)
	// Ready, when set, is called once the tab records.
	Ready func(RecordReady)
}

// RecordReady describes the tab a recording runs in.
type RecordReady struct {
	TargetID string // the DevTools target of the tab
}

// RecordProgress is the live state of a recording.
type RecordProgress struct {
	Steps, Requests, Events int
	Last                    string // the last step, as the scenario names it
	// Settled is true when the page has been quiet since the last step
	// and the jar after it has been read.
	Settled bool
}

// Recorded is what a recording by hand produced.
type Recorded struct {
	Recording *recording.Recording
	// Scenario is the YAML of the scenario that replays the journey.
	Scenario []byte
	// Env names the environment variables the scenario reads: one per
	// secret the user typed (the values are written nowhere).
	Env []string
	// Ended says why the recording ended.
	Ended string
	// ScenarioErr is set when the scenario written does not parse (a
	// bug of the recorder): Scenario is kept, for the user to fix.
	ScenarioErr error
}

// ErrNoDisplay is the error of a headed browser where there is no display
// (Linux without DISPLAY or WAYLAND_DISPLAY).
var ErrNoDisplay = chromedp.ErrNoDisplay

// Why a recording ends.
const (
	EndStopped      = "stopped"
	EndWindowClosed = "the recording window was closed"
)

const (
	defaultPause  = 3 * time.Second
	defaultSettle = 400 * time.Millisecond
	// tick is how often the event loop looks at the page's activity.
	tick = 100 * time.Millisecond
)

// Record opens a tab of the browser in a new browser context, goes to
// opts.URL, and records what the user does there until stop is closed or
// the tab closes (a normal end), or ctx ends, the browser goes away or
// the page crashes (the recording is then marked interrupted). It always
// returns what was recorded, unless the tab could not be opened (error).
func (b *Browser) Record(ctx context.Context, stop <-chan struct{}, opts RecordOptions) (*Recorded, error) {
	if opts.Redactor == nil {
		opts.Redactor = recording.NewRedactor(NewKey(), false)
	}
	if opts.Pause <= 0 {
		opts.Pause = defaultPause
	}
	if opts.Settle <= 0 {
		opts.Settle = defaultSettle
	}
	sc := &scenarios.Scenario{Name: opts.Name, File: RecordedScenarioFile}
	r := &runner{b: b, red: opts.Redactor, sc: sc, opts: Options{StepTimeout: defaultStepTimeout}}
	r.rec = r.newRecording(sc)
	r.rec.Scenario.Tags = []string{recordedTag}
	r.dropped0, _ = b.driverStats()
	r.col = newCollector("__st" + randomHex(8))
	r.col.manualDialogs = true // the user answers the page's dialogs
	rc := &recorder{runner: r, ro: opts, binding: "__sa" + randomHex(8), secrets: map[string]string{}, started: time.Now()}
	if err := r.openTab(ctx, nil); err != nil {
		r.closeTab()
		return nil, fmt.Errorf("opening the recording tab: %w", err)
	}
	defer r.closeTab()
	if err := rc.instrument(ctx); err != nil {
		return nil, fmt.Errorf("preparing the recording tab: %w", err)
	}
	if b.opts.Headed && b.opts.RemoteURL == "" {
		// The browser started for the recording opened a blank window of
		// its own: the user would not know which window records.
		first := chromedp.FromContext(b.ctx).Target.TargetID
		_ = r.withTimeout(ctx, jarTimeout, func(c context.Context) error {
			return chromedp.FromContext(r.tab).Browser.Call(c, "Target.closeTarget", map[string]any{"targetId": first}, nil)
		})
	}
	if opts.Ready != nil {
		opts.Ready(RecordReady{TargetID: string(chromedp.FromContext(r.tab).Target.TargetID)})
	}
	if opts.URL != "" {
		err := r.withTimeout(ctx, jarTimeout, func(c context.Context) error {
			return chromedp.FromContext(r.tab).Target.Call(c, "Page.navigate", map[string]any{"url": opts.URL}, nil)
		})
		if err != nil {
			r.rec.Warnings = append(r.rec.Warnings, "opening "+opts.URL+": "+err.Error())
		}
	}
	rc.loop(ctx, stop)
	return rc.finish(ctx), nil
}

// RecordedScenarioFile is the scenario's file name in the run folder, as
// the recording names it.
const RecordedScenarioFile = "scenario.yaml"

// recordedTag marks the scenario (and its recordings) as recorded by hand.
const recordedTag = "recorded"

// recorder is one recording by hand: the runner's recording machinery,
// and the steps the user's actions make.
type recorder struct {
	*runner
	ro      RecordOptions
	binding string
	started time.Time

	// events is what the page reported, in the order it arrived (see
	// listen); the loop takes them.
	mu      sync.Mutex
	events  []pageEvent
	wake    chan struct{}
	fromApp bool // a renderer-initiated navigation of the main frame was requested and has not started

	// meta is, per step of r.steps, what the scenario says of it.
	meta []recMeta
	// target is the scenario's base URL: the origin of the first page.
	target string
	// secrets maps each typed secret to its environment variable; env
	// lists the variables in order. Held in memory only.
	secrets map[string]string
	env     []string

	readActivity int64     // the activity counter at the last jar read
	seenActivity int64     // the counter at the last tick
	quietSince   time.Time // when the counter last moved
	lastBuild    time.Time
	dirty        bool
	status       recording.Status
	ended        string
	progress     RecordProgress
}

// pageEvent is one thing the page told the loop, in arrival order.
type pageEvent struct {
	at      time.Time
	action  *userAction // a user action (binding call)
	gotoURL string      // a navigation the browser started (typed URL, back, reload)
	loader  string      // its loader id
	nav     string      // a main-frame navigation committed to this URL
	sameDoc bool        // the navigation stayed in the document
	reqWall time.Time   // a navigation request's start, with its loader id
}

// instrument adds the action script and its binding to the tab, and
// starts listening to what the page reports.
func (rc *recorder) instrument(ctx context.Context) error {
	rc.wake = make(chan struct{}, 1)
	t := chromedp.FromContext(rc.tab).Target
	main := string(t.TargetID) // a page target's main frame has the target's id
	err := chromedp.Listen(rc.tab, func(ev any) { rc.listen(main, ev) })
	if err != nil {
		return err
	}
	// An isolated world: the page's scripts can neither see the listeners
	// nor call the binding.
	const world = "sessiontrace-recorder"
	for _, s := range []struct {
		method string
		params any
	}{
		{"Runtime.addBinding", map[string]any{"name": rc.binding, "executionContextName": world}},
		{"Page.addScriptToEvaluateOnNewDocument", map[string]any{"source": recordScript(rc.binding), "worldName": world}},
	} {
		if err := rc.withTimeout(ctx, jarTimeout, func(c context.Context) error { return t.Call(c, s.method, s.params, nil) }); err != nil {
			return fmt.Errorf("%s: %w", s.method, err)
		}
	}
	return nil
}

// listen runs in the driver's reader (it must not block): it sorts the
// page's events into the loop's queue. A navigation the page asked for
// (a link, a form, a script) is announced by frameRequestedNavigation
// before it starts; one that starts unannounced came from the browser:
// the user typed a URL, went back or reloaded, and that is a goto step.
func (rc *recorder) listen(main string, ev any) {
	now := time.Now()
	var pe *pageEvent
	rc.mu.Lock()
	switch e := ev.(type) {
	case *runtime.EventBindingCalled:
		if e.Name != rc.binding {
			break
		}
		var a userAction
		if err := json.Unmarshal([]byte(e.Payload), &a); err != nil {
			break
		}
		pe = &pageEvent{at: now, action: &a}
	case *page.EventFrameRequestedNavigation:
		if string(e.FrameID) == main {
			rc.fromApp = true
		}
	case *page.EventFrameStartedNavigating:
		if string(e.FrameID) != main {
			break
		}
		switch e.NavigationType {
		case "differentDocument", "historyDifferentDocument", "reload", "reloadBypassingCache", "restore", "restoreWithPost":
			if !rc.fromApp {
				pe = &pageEvent{at: now, gotoURL: e.URL, loader: string(e.LoaderID)}
			}
			rc.fromApp = false
		}
	case *page.EventFrameNavigated:
		if e.Frame != nil && e.Frame.ParentID == "" {
			pe = &pageEvent{at: now, nav: e.Frame.URL + e.Frame.URLFragment}
		}
	case *page.EventNavigatedWithinDocument:
		if string(e.FrameID) == main {
			pe = &pageEvent{at: now, nav: e.URL, sameDoc: true}
		}
	case *network.EventRequestWillBeSent:
		if string(e.FrameID) == main && e.Type == network.ResourceTypeDocument && string(e.RequestID) == string(e.LoaderID) && e.RedirectResponse == nil {
			pe = &pageEvent{at: now, loader: string(e.LoaderID), reqWall: fromSeconds(float64(e.WallTime))}
		}
	}
	if pe != nil {
		rc.events = append(rc.events, *pe)
	}
	rc.mu.Unlock()
	if pe != nil {
		select {
		case rc.wake <- struct{}{}:
		default:
		}
	}
}

// loop takes the page's events and watches the page until the recording
// ends, and says why in rc.status and rc.ended.
func (rc *recorder) loop(ctx context.Context, stop <-chan struct{}) {
	detached, err := chromedp.Detached(rc.tab)
	if err != nil {
		detached = make(chan struct{})
	}
	lost := chromedp.FromContext(rc.tab).Browser.LostConnection
	t := time.NewTicker(tick)
	defer t.Stop()
	rc.quietSince = time.Now()
	for {
		select {
		case <-stop:
			rc.flushTyping(ctx)
			rc.drain(ctx)
			rc.status, rc.ended = recording.StatusPassed, EndStopped
			return
		case <-ctx.Done():
			rc.status, rc.ended = recording.StatusInterrupted, ErrInterrupted.Error()
			return
		case <-detached:
			rc.drain(ctx)
			rc.status, rc.ended = recording.StatusPassed, EndWindowClosed
			return
		case <-lost:
			// Closing a browser's last window ends the browser too: the
			// tab's detach comes with the loss, or just before it.
			select {
			case <-detached:
				rc.status, rc.ended = recording.StatusPassed, EndWindowClosed
			case <-time.After(300 * time.Millisecond):
				rc.status, rc.ended = recording.StatusInterrupted, "the browser went away (it crashed, or its connection dropped)"
			}
			return
		case <-rc.wake:
			rc.drain(ctx)
		case <-t.C:
			if rc.col.crashedSince(rc.started) {
				rc.status, rc.ended = recording.StatusInterrupted, "the page crashed (its renderer process died)"
				return
			}
			rc.settle(ctx)
			rc.maybeCheckpoint()
		}
	}
}

// flushTyping has the page report the typing it holds back (a fill is
// reported when the field loses focus, or after a pause): the text typed
// just before the user stopped the recording is part of the journey. The
// report arrives before the call's reply, so a drain then sees it.
func (rc *recorder) flushTyping(ctx context.Context) {
	js := "document.dispatchEvent(new Event(" + jsString(rc.binding+"-flush") + "))"
	_ = rc.withTimeout(ctx, time.Second, func(c context.Context) error {
		return chromedp.FromContext(rc.tab).Target.Call(c, "Runtime.evaluate", map[string]any{"expression": js}, nil)
	})
}

// drain handles the queued page events in order.
func (rc *recorder) drain(ctx context.Context) {
	rc.mu.Lock()
	evs := rc.events
	rc.events = nil
	rc.mu.Unlock()
	for _, e := range evs {
		switch {
		case e.action != nil:
			rc.onAction(ctx, e.at, e.action)
		case e.gotoURL != "":
			rc.onGoto(ctx, e)
		case e.nav != "":
			rc.onNavigated(e)
		case !e.reqWall.IsZero():
			rc.onNavRequest(e)
		}
	}
}

// settle reads the jar after the current step once the page has been
// quiet for the Settle time: the state the next action starts from.
func (rc *recorder) settle(ctx context.Context) {
	a := rc.activity()
	if a != rc.seenActivity {
		rc.seenActivity, rc.quietSince = a, time.Now()
		if n := len(rc.steps); n > 0 {
			rc.meta[n-1].lastActivity = rc.quietSince
		}
		rc.dirty = true
	}
	if len(rc.steps) == 0 || time.Since(rc.quietSince) < rc.ro.Settle {
		return
	}
	if last := &rc.steps[len(rc.steps)-1]; !last.jarOK || a != rc.readActivity {
		rc.read(ctx)
		rc.report()
	} else if !rc.progress.Settled {
		rc.report() // quiet since the last read: say so
	}
}

// read reads the jar and the URL after the last step, and the pages that
// loaded during it.
func (rc *recorder) read(ctx context.Context) {
	i := len(rc.steps) - 1
	sr := &rc.steps[i]
	act := rc.activity()
	if sr.jarOK && act == rc.readActivity && rc.meta[i].urlRead {
		return
	}
	if u, err := rc.location(ctx, true); err == nil { // the user drove the page
		sr.rec.URL = u
		rc.meta[i].urlRead = true
	}
	if sr.jarOK && act == rc.readActivity {
		return // nothing that can change a cookie happened since the last read
	}
	sr.jarAsked = time.Now()
	jar, _, err := rc.readJar(ctx)
	if err != nil {
		if !sr.jarOK && i > 0 {
			// Keep what is known: the jar the step started from.
			prev := rc.steps[i-1]
			sr.jar, sr.jarOK, sr.jarAt = prev.jar, prev.jarOK, prev.jarAt
		}
		return
	}
	rc.readActivity = act
	sr.jar, sr.jarOK, sr.jarAt = jar, true, time.Now()
	rc.collectPages(ctx, i, jar)
	rc.dirty = true
}

// report tells the Progress callback the live state.
func (rc *recorder) report() {
	p := rc.progress
	p.Steps = len(rc.steps)
	if n := len(rc.steps); n > 0 {
		p.Last = rc.steps[n-1].rec.Detail
		if a := rc.steps[n-1].rec.As; a != "" {
			p.Last += " (as " + string(a) + ")"
		}
		p.Settled = rc.steps[n-1].jarOK && rc.activity() == rc.readActivity && time.Since(rc.quietSince) >= rc.ro.Settle
	}
	rc.progress = p
	if rc.ro.Progress != nil {
		rc.ro.Progress(p)
	}
}

// maybeCheckpoint hands the recording so far to the Checkpoint callback,
// at most once a second and only when something changed.
func (rc *recorder) maybeCheckpoint() {
	if !rc.dirty || time.Since(rc.lastBuild) < checkpointEvery || len(rc.steps) == 0 {
		return
	}
	rc.dirty = false
	rc.lastBuild = time.Now()
	snap := rc.snapshot(recording.StatusInterrupted,
		"the recording did not end normally: this is what the recorder had written when it was stopped or killed")
	rc.progress.Requests, rc.progress.Events = len(snap.Recording.Requests), len(snap.Recording.Events)
	rc.report()
	if rc.ro.Checkpoint != nil {
		rc.ro.Checkpoint(snap)
	}
}

// finish ends the last step and builds the recording and the scenario.
func (rc *recorder) finish(ctx context.Context) *Recorded {
	if len(rc.steps) > 0 {
		if rc.status == recording.StatusPassed {
			rc.read(ctx) // the tab may be gone: then the last read stands
		}
		rc.finalize(len(rc.steps)-1, time.Now())
	}
	msg := ""
	if rc.status != recording.StatusPassed {
		msg = rc.ended
	}
	// Wait (briefly) for the event queues to deliver what the browser sent.
	done := make(chan struct{})
	go func() { rc.col.wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	out := rc.snapshot(rc.status, msg)
	out.Ended = rc.ended
	rc.progress.Requests, rc.progress.Events = len(out.Recording.Requests), len(out.Recording.Events)
	rc.report()
	return out
}

// snapshot builds the recording and the scenario from the steps so far.
func (rc *recorder) snapshot(status recording.Status, msg string) *Recorded {
	out := &Recorded{Env: slices.Clone(rc.env)}
	yml, sc, err := rc.scenarioYAML()
	out.Scenario, out.ScenarioErr = yml, err
	rec := *rc.rec
	rec.Warnings = slices.Clone(rc.rec.Warnings)
	rec.Scenario.Name, rec.Scenario.Target = rc.name(), rc.target
	bl := &builder{c: rc.col, red: rc.red, steps: rc.stepsFor(sc), pages: rc.pages}
	bl.build(&rec)
	fillAuth(&rec)
	rec.Status, rec.Error, rec.End = status, rc.red.Scrub(msg), time.Now()
	dropped, msgs := rc.b.driverStats()
	if rec.Protocol.DriverDropped = dropped - rc.dropped0; rec.Protocol.DriverDropped > 0 {
		rec.Protocol.DriverErrors = msgs
	}
	out.Recording = &rec
	return out
}

// stepsFor is the steps as the recording shows them: their kinds, names
// and details as the scenario writes them, with their place in its file.
func (rc *recorder) stepsFor(sc *scenarios.Scenario) []stepRun {
	out := slices.Clone(rc.steps)
	for i := range out {
		st := rc.meta[i].st
		if sc != nil && i < len(sc.Steps) {
			st = sc.Steps[i]
		}
		r := &out[i].rec
		r.Index, r.Kind, r.Name, r.As = i, recording.StepKind(st.Kind), st.Name, recording.Boundary(st.As)
		r.Detail, r.Line, r.Column, r.Status = st.String(), st.Pos.Line, st.Pos.Col, recording.StatusPassed
	}
	return out
}
