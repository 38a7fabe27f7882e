package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// Options controls one scenario run.
type Options struct {
	// Timeout bounds the whole scenario (default 2 minutes).
	Timeout time.Duration
	// StepTimeout bounds a step that sets no timeout of its own (default 30 s).
	StepTimeout time.Duration
	// Redactor fingerprints cookie values; share one per suite run so that
	// fingerprints compare across its recordings. Nil makes one.
	Redactor *recording.Redactor
	// Resolver supplies ${env.X} and ${lab...}.
	Resolver scenarios.Resolver
	// Dir is where screenshots go (created when needed).
	Dir string
	// Checkpoint, when set, is called with the recording so far after each
	// step, so that a killed process still leaves what it saw.
	Checkpoint func(*recording.Recording)
	// Bare runs the steps without recording anything: no protocol
	// listeners, no script instrumentation, no jar reads. It exists as the
	// baseline of the recording-overhead benchmark; expectations on the
	// session or cookies cannot be checked in this mode.
	Bare bool
}

const (
	defaultTimeout     = 2 * time.Minute
	defaultStepTimeout = 30 * time.Second
	// jarTimeout bounds the jar read after a step: a hung page must not
	// keep the recorder from reading the browser's state.
	jarTimeout = 10 * time.Second
)

// ErrInterrupted is the cause of a run stopped from outside.
var ErrInterrupted = errors.New("interrupted")

// Run runs one scenario in a fresh browser context and returns its
// recording. It always returns a recording, whatever happened: a failed
// expectation, a site that does not answer, a browser that died, or ctx
// cancelled (status interrupted). Errors are in the recording.
func (b *Browser) Run(ctx context.Context, sc *scenarios.Scenario, opts Options) *recording.Recording {
	if opts.Timeout <= 0 {
		opts.Timeout = defaultTimeout
	}
	if opts.StepTimeout <= 0 {
		opts.StepTimeout = defaultStepTimeout
	}
	if opts.Redactor == nil {
		opts.Redactor = recording.NewRedactor(NewKey(), false)
	}
	r := &runner{b: b, opts: opts, red: opts.Redactor}
	return r.run(ctx, sc)
}

type runner struct {
	b     *Browser
	opts  Options
	red   *recording.Redactor
	sc    *scenarios.Scenario
	rec   *recording.Recording
	col   *collector
	steps []stepRun
	// tab is the context of the scenario's page; restart replaces it.
	tab       context.Context
	tabCancel context.CancelFunc
	bctxID    string
	// tabSession is the tab's DevTools session, while the tap records
	// the tab's other targets.
	tabSession string
	// windows are the popups and frames of other sites steps acted in,
	// by target id (see attachWindow).
	windows map[string]attached
	// stepPopup is the popup the current step acts in, as its in found
	// it (see where).
	stepPopup *popup
	// win is the window the step being read acted in (a popup), whose
	// URL, markers and storage readState reads; nil: the tab.
	win context.Context
	// tabWorlds tracks the main worlds of the tab's frames (see where).
	tabWorlds *worlds
	dropped0  int
	// lastCheckpoint is when the recording so far was last written.
	lastCheckpoint time.Time
	pages          []pageFacts
	probe          *recording.ProbeResult
	tokenProbed    *recording.TokenProbe
	// lastActivity is the activity counter when the jar was last read.
	lastActivity int64
	// page says how the page answered during the current step
	// (pageAnswering, pageStopped, pageStuck; see stopScript).
	page atomic.Int32
	// stepStart is when the current step began.
	stepStart time.Time
}

func (r *runner) run(parent context.Context, sc *scenarios.Scenario) (rec *recording.Recording) {
	r.rec = r.newRecording(sc)
	r.dropped0, _ = r.b.driverStats()
	resolved, err := sc.Resolve(r.opts.Resolver)
	if err != nil {
		r.rec.Status, r.rec.Error, r.rec.End = recording.StatusErrored, err.Error(), time.Now()
		return r.rec
	}
	r.sc = resolved
	r.rec.Scenario.Target = resolved.Target
	r.rec.Scenario.LoggedIn, r.rec.Scenario.LoggedOut = r.markers()
	for _, s := range resolved.Secrets() {
		r.red.AddSecret(s)
	}
	r.col = newCollector("__st" + randomHex(8))

	ctx, cancel := context.WithTimeout(parent, r.opts.Timeout)
	defer cancel()
	defer func() {
		// Whatever happened, close the page and build what was seen.
		if p := recover(); p != nil {
			r.fail(recording.StatusErrored, fmt.Errorf("internal error: %v", p))
		}
		r.closeTab()
		r.finish(parent, ctx)
		rec = r.rec
	}()

	if err := r.openTab(ctx, nil); err != nil {
		if parent.Err() != nil {
			r.fail(recording.StatusInterrupted, ErrInterrupted)
		} else {
			r.fail(recording.StatusErrored, fmt.Errorf("opening a page: %w", err))
		}
		return
	}
	for i, st := range r.sc.Steps {
		if err := r.step(ctx, i, st); err != nil {
			r.stepFailed(parent, ctx, i, st, err)
			return
		}
		r.storageAfter(ctx, recording.Boundary(st.As))
		r.probeAfter(ctx, st)
		r.checkpoint()
	}
	r.rec.Status = recording.StatusPassed
	return
}

// newRecording is the recording of sc before its first step.
func (r *runner) newRecording(sc *scenarios.Scenario) *recording.Recording {
	rec := &recording.Recording{
		Schema: recording.Schema,
		Scenario: recording.ScenarioInfo{
			Name: sc.Name, File: sc.File, Target: sc.Target, Tags: sc.Tags,
			SessionCookies: sc.Session.Cookies, NodeHeader: sc.Session.NodeHeader,
		},
		Browser: recording.BrowserInfo{
			Product: r.b.product, UserAgent: r.b.userAgent, Protocol: r.b.protocol,
			Remote: r.b.opts.RemoteURL != "", ThirdPartyCookies: "blocked", HostRules: r.b.opts.HostRules,
		},
		Options: recording.Options{RevealValues: r.red.Reveal(), FingerprintKey: r.red.KeyID(),
			InsecureCerts: r.b.opts.InsecureCerts},
		Start:  time.Now(),
		Status: recording.StatusRunning,
		Steps:  []recording.Step{},
	}
	if rec.Browser.Remote {
		// A browser we did not start has settings we do not know.
		rec.Browser.ThirdPartyCookies = "unknown"
	}
	return rec
}

// stepFailed records why step i ended the scenario, with the status the
// cause deserves (a failed expectation is the site's verdict; a timeout,
// a crash or a dead browser is trouble; the user's Ctrl-C an
// interruption), and the steps not run as skipped.
func (r *runner) stepFailed(parent, ctx context.Context, i int, st scenarios.Step, err error) {
	status := recording.StatusFailed
	var ee *expectError
	switch {
	case parent.Err() != nil:
		// Whatever the step saw last, the user stopped the run.
		status, err = recording.StatusInterrupted, ErrInterrupted
	case errors.As(err, &ee):
	case ctx.Err() != nil:
		status = recording.StatusErrored
		err = fmt.Errorf("scenario timeout (%s) reached in step %d: %w", r.opts.Timeout, i, err)
	case errors.As(err, new(*siteError)):
		status = recording.StatusErrored // the site could not be reached: trouble, not a verdict
	case errors.Is(err, errPageCrashed):
		status = recording.StatusErrored // the browser's trouble, not the site's verdict
	case !r.b.alive():
		// Not the site's fault: the browser is gone.
		status = recording.StatusErrored
		err = fmt.Errorf("the browser died: %w", err)
	}
	// Where the step is in the YAML, as compilers say it: the first
	// thing a user needs to fix a scenario.
	where := ""
	if st.Pos.Line > 0 {
		where = st.Pos.String() + ": "
	}
	r.fail(status, fmt.Errorf("%sstep %d (%s): %w", where, i, st.String(), err))
	if status != recording.StatusInterrupted {
		r.captureFailure(len(r.steps) - 1)
	}
	for j := i + 1; j < len(r.sc.Steps); j++ {
		sk := r.sc.Steps[j]
		r.steps = append(r.steps, stepRun{rec: recording.Step{Index: j, Kind: recording.StepKind(sk.Kind), Name: sk.Name, As: recording.Boundary(sk.As),
			Detail: sk.String(), Line: sk.Pos.Line, Column: sk.Pos.Col, Status: recording.StatusSkipped}})
	}
}

// probeAfter runs the replay probes a step calls for: after the logout
// step, the cookies held before it (and right after login) and the last
// accepted Authorization header (tokenProbe); after a login step, the
// cookies held before it (session fixation, proven by behaviour).
func (r *runner) probeAfter(ctx context.Context, st scenarios.Step) {
	if r.opts.Bare {
		return
	}
	if recording.Boundary(st.As) == recording.BoundaryLogout && r.tokenProbed == nil {
		// Needs no probe page: the journey's own request is replayed.
		r.tokenProbed = r.tokenProbe(ctx)
	}
	if r.sc.Session.Probe == nil {
		return
	}
	if recording.Boundary(st.As) == recording.BoundaryLogout && r.probe == nil && len(r.steps) >= 2 {
		pre := r.steps[len(r.steps)-2].jar
		r.probe = r.runProbe(ctx, pre)
		r.probe.Older = r.olderProbe(ctx, pre)
	}
	if recording.Boundary(st.As) == recording.BoundaryLogin {
		var before []cdpCookie
		if len(r.steps) >= 2 {
			before = r.steps[len(r.steps)-2].jar
		}
		p := r.runProbe(ctx, before)
		p.Kind = recording.BoundaryLogin
		r.steps[len(r.steps)-1].rec.Probe = p
	}
}

func (r *runner) fail(s recording.Status, err error) {
	if r.rec.Status == recording.StatusRunning || recording.Worse(s, r.rec.Status) {
		r.rec.Status = s
		r.rec.Error = err.Error()
	}
}

// finish builds the recording from what the collector saw.
func (r *runner) finish(parent, ctx context.Context) {
	if r.rec.Status == recording.StatusRunning {
		switch {
		case parent.Err() != nil:
			r.rec.Status, r.rec.Error = recording.StatusInterrupted, ErrInterrupted.Error()
		default:
			r.rec.Status = recording.StatusErrored
		}
	}
	done := make(chan struct{})
	go func() { r.col.wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		r.rec.Warnings = append(r.rec.Warnings, "the browser's event queues did not close in 5s: the last events may be missing")
	}
	r.build()
	r.rec.End = time.Now()
	dropped, msgs := r.b.driverStats()
	r.rec.Protocol.DriverDropped = dropped - r.dropped0
	if r.rec.Protocol.DriverDropped > 0 {
		r.rec.Protocol.DriverErrors = msgs
		r.rec.Warnings = append(r.rec.Warnings, fmt.Sprintf("the CDP driver could not decode %d browser events; this recorder decoded them itself (see protocol)", r.rec.Protocol.DriverDropped))
	}
	if r.rec.Protocol.DecodeErrors > 0 {
		r.rec.Warnings = append(r.rec.Warnings, fmt.Sprintf("%d protocol fields could not be decoded (see protocol.decodeIssues); the rest of those events was kept", r.rec.Protocol.DecodeErrors))
	}
	if r.rec.Protocol.MissingExtraInfo > 0 {
		r.rec.Warnings = append(r.rec.Warnings, fmt.Sprintf("%d requests had no cookie details from the browser (ExtraInfo events missing)", r.rec.Protocol.MissingExtraInfo))
	}
}

func (r *runner) build() {
	bl := &builder{c: r.col, red: r.red, steps: r.steps, pages: r.pages, nodeHeader: r.sc.Session.NodeHeader}
	bl.build(r.rec)
	fillAuth(r.rec)
	r.rec.Probe = r.probe
	r.rec.TokenProbe = r.tokenProbed
	r.rec.Error = r.red.Scrub(r.rec.Error)
}

// checkpointEvery bounds how often the recording so far is written: often
// enough that a killed process loses at most a second, rarely enough that
// a long journey does not spend its time re-encoding itself.
const checkpointEvery = time.Second

func (r *runner) checkpoint() {
	if r.opts.Checkpoint == nil || time.Since(r.lastCheckpoint) < checkpointEvery {
		return
	}
	r.lastCheckpoint = time.Now()
	snap := *r.rec
	snap.Warnings = slices.Clone(r.rec.Warnings) // build appends to them
	snap.Status = recording.StatusRunning
	bl := &builder{c: r.col, red: r.red, steps: r.steps, pages: r.pages, nodeHeader: r.sc.Session.NodeHeader}
	bl.build(&snap)
	fillAuth(&snap)
	snap.End = time.Now()
	r.opts.Checkpoint(&snap)
}

// openTab opens a new page in a new browser context and starts recording
// it. restore holds cookies to put into the new context's jar first.
func (r *runner) openTab(ctx context.Context, restore []json.RawMessage) error {
	// Detached only when it ends: closeTab disposes of the whole browser
	// context instead (see there).
	r.tabWorlds = newWorlds()
	tab, cancel := chromedp.NewContext(r.b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithDetachOnCancel(), chromedp.WithListener(r.tabWorlds.listen))
	// The tab must end when the scenario does, though it hangs off the
	// browser's context.
	stop := context.AfterFunc(ctx, cancel)
	r.tab, r.tabCancel = tab, func() { stop(); cancel() }
	// The first action binds the page's life to its context, so it runs on
	// the tab context itself, not on a shorter-lived one.
	err := chromedp.Do(tab)
	c := chromedp.FromContext(tab)
	r.bctxID = string(c.BrowserContextID) // (closeTab disposes of it, even after a failed start)
	if err != nil {
		return err
	}
	if r.opts.Bare {
		// Nothing recorded, but the steps still find the windows the
		// page opens (wait: { popup }, in: popup).
		r.col.watchWindows(tab, c)
		return nil
	}
	if err := r.col.attach(tab); err != nil {
		return err
	}
	// The page's set-up calls go out together and are waited for
	// together: one round trip to a browser that is busy with other
	// scenarios' tabs instead of five in a row. (The browser takes a
	// session's commands in the order they arrive; none of these needs
	// another's answer, and all are done before the first step.)
	t := c.Target
	setup := []struct {
		method string
		params any
	}{
		{"Audits.enable", nil},
		// Again (chromedp enabled it), to bound the bodies the browser
		// keeps for getResponseBody: a bigger one is never read here.
		{"Network.enable", map[string]any{"maxResourceBufferSize": maxBodyBytes}},
		{"Runtime.addBinding", map[string]any{"name": r.col.binding}},
		{"Page.addScriptToEvaluateOnNewDocument", map[string]any{"source": instrumentation(r.col.binding)}},
	}
	errs := make([]error, len(setup)+1)
	var wg sync.WaitGroup
	for i, s := range setup {
		wg.Go(func() {
			if err := r.withTimeout(ctx, jarTimeout, func(c context.Context) error { return t.Call(c, s.method, s.params, nil) }); err != nil {
				errs[i] = fmt.Errorf("%s: %w", s.method, err)
			}
		})
	}
	// A download would write a file and turn a navigation into nothing:
	// deny them all, and have the browser report each one (see
	// watchWindows). A browser that refuses is noted, not fatal.
	wg.Go(func() {
		errs[len(setup)] = r.withTimeout(ctx, jarTimeout, func(c context.Context) error {
			return chromedp.FromContext(tab).Browser.Call(c, "Browser.setDownloadBehavior",
				map[string]any{"behavior": "deny", "browserContextId": r.bctxID, "eventsEnabled": true}, nil)
		})
	})
	r.recordTargets(ctx, t) // (its own round trip, while those are out)
	wg.Wait()
	if err := errors.Join(errs[:len(setup)]...); err != nil {
		return err
	}
	if err := errs[len(setup)]; err != nil {
		r.rec.Warnings = appendOnce(r.rec.Warnings, "downloads could not be denied in this browser: "+err.Error())
	}
	if len(restore) > 0 {
		err := r.withTimeout(ctx, jarTimeout, func(c context.Context) error {
			return chromedp.FromContext(tab).Browser.Call(c, "Storage.setCookies",
				map[string]any{"cookies": restore, "browserContextId": r.bctxID}, nil)
		})
		if err != nil {
			return fmt.Errorf("restoring persistent cookies: %w", err)
		}
	}
	return nil
}

// recordTargets has the tap record the tab's other targets: its frames
// and workers (attached to the tab's session, which chromedp already asked
// to auto-attach, without waiting: asked again, now waiting), and the
// popups and service workers of its browser context (attached to the
// browser's session). Without the tap, the recording says what it lacks.
func (r *runner) recordTargets(ctx context.Context, t *chromedp.Target) {
	tp := r.b.tap
	if tp == nil || r.b.tapErr != nil {
		r.rec.Warnings = appendOnce(r.rec.Warnings, "the requests of popups and service workers are not recorded with this browser (no target auto-attach: "+errText(r.b.tapErr)+")")
	}
	if tp == nil {
		return
	}
	r.col.popupsRecorded = r.b.tapErr == nil
	tp.own(r.col, r.bctxID, string(t.TargetID), string(t.SessionID), []tapCmd{{method: "Audits.enable", optional: true}})
	r.tabSession = string(t.SessionID)
	err := r.withTimeout(ctx, jarTimeout, func(c context.Context) error {
		return t.Call(c, "Target.setAutoAttach", map[string]any{"autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true}, nil)
	})
	if err != nil {
		r.rec.Warnings = appendOnce(r.rec.Warnings, "the requests of cross-site frames and workers are not recorded (Target.setAutoAttach: "+err.Error()+")")
	}
}

func errText(err error) string {
	if err == nil {
		return "no tap"
	}
	return err.Error()
}

// closeTab ends the scenario's browser state: disposing of its browser
// context closes the tab, any popup it opened, and their renderers, in one
// call. (chromedp's own close is three calls and a poll of the browser's
// target list, which a browser busy with other scenarios answers slowly.)
func (r *runner) closeTab() {
	r.windows = nil // children of the tab's context: they end with it
	if r.b.tap != nil && r.tabSession != "" {
		r.b.tap.disown(r.bctxID, r.tabSession)
		r.tabSession = ""
	}
	if r.tabCancel == nil {
		return
	}
	var br *chromedp.Browser
	if c := chromedp.FromContext(r.tab); c != nil {
		br = c.Browser
	}
	r.tabCancel()
	r.tabCancel = nil
	if br == nil || r.bctxID == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), jarTimeout)
	defer cancel()
	stop := context.AfterFunc(r.b.ctx, cancel) // a browser that is going away takes its contexts along
	defer stop()
	_ = br.Call(ctx, "Target.disposeBrowserContext", map[string]any{"browserContextId": r.bctxID}, nil)
}

// withTimeout runs f with a context bounded by d and by the tab's life. It
// derives from the tab context (chromedp needs it) and ends with ctx.
func (r *runner) withTimeout(ctx context.Context, d time.Duration, f func(context.Context) error) error {
	return r.withTimeoutIn(r.tab, ctx, d, f)
}

// winCtx is the context of the window whose page a step's state is read
// from: the popup the step acted in, else the tab.
func (r *runner) winCtx() context.Context {
	if r.win != nil {
		return r.win
	}
	return r.tab
}

// withTimeoutIn is withTimeout on the target of win (a popup's context)
// rather than the tab's.
func (r *runner) withTimeoutIn(win, ctx context.Context, d time.Duration, f func(context.Context) error) error {
	c, cancel := context.WithTimeout(win, d)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	err := f(c)
	if err != nil && ctx.Err() != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return ctx.Err() // the same news twice would read "context canceled (context canceled)"
		}
		return fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	if err != nil && errors.Is(c.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("timed out after %s: %w", d, err)
	}
	return err
}

// readJar returns the whole cookie jar of the scenario's browser context,
// decoded leniently, and the raw cookie objects.
func (r *runner) readJar(ctx context.Context) ([]cdpCookie, []json.RawMessage, error) {
	var raw json.RawMessage
	err := r.withTimeout(ctx, jarTimeout, func(c context.Context) error {
		return chromedp.FromContext(r.tab).Browser.Call(c, "Storage.getCookies", map[string]any{"browserContextId": r.bctxID}, &raw)
	})
	if err != nil {
		return nil, nil, err
	}
	o := parseObj(raw, &r.col.log, "Storage.getCookies", "")
	var raws []json.RawMessage
	o.decode("cookies", &raws, "an array")
	out := make([]cdpCookie, 0, len(raws))
	for i, cr := range raws {
		out = append(out, readCookie(parseObj(cr, &r.col.log, "Storage.getCookies", fmt.Sprintf("cookies[%d]", i))))
	}
	return out, raws, nil
}
