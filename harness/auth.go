package harness

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// markers returns the scenario's logged-in and logged-out selectors.
func (r *runner) markers() (in, out string) {
	in = r.sc.Session.LoggedInSelector
	if p := r.sc.Session.Probe; p != nil && in == "" {
		in = p.LoggedInSelector
	}
	return in, r.sc.Session.LoggedOutSelector
}

// markerHits is what the scenario's logged-in markers matched in the page.
type markerHits struct{ in, out, ok bool }

// readMarkers evaluates the scenario's logged-in markers in the page after
// a step that may have loaded a page: one DOM query, read while the jar is
// read (see readState). ok is false when the scenario declares no marker
// or the page did not answer; the step is then left for
// recording.InferAuth, which reads the responses and pages.
func (r *runner) readMarkers(ctx context.Context) markerHits {
	in, out := r.markers()
	if in == "" && out == "" {
		return markerHits{}
	}
	js := `(() => { const q = s => { if (!s) return false; try { return !!document.querySelector(s) } catch (e) { return false } };
  return [q(` + jsString(in) + `), q(` + jsString(out) + `)] })()`
	var got []bool
	err := r.withTimeoutIn(r.winCtx(), ctx, 2*time.Second, func(c context.Context) error {
		var err error
		got, err = chromedp.Run(c, chromedp.Evaluate[[]bool](js))
		return err
	})
	if err != nil || len(got) != 2 {
		return markerHits{}
	}
	return markerHits{in: got[0], out: got[1], ok: true}
}

// markerState turns what the markers matched into a state: in when only
// the logged-in marker matched, out when only the logged-out one did, or
// when the probe page itself lacks the logged-in marker (the probe decides
// the same way). Nil when they say nothing.
func markerState(in, out string, inHit, outHit, probePage bool, page string) *recording.AuthState {
	where := ""
	if page != "" {
		where = " on " + page
	}
	switch {
	case inHit && outHit:
		return &recording.AuthState{State: recording.AuthUnknown, Source: recording.AuthByMarker,
			Evidence: fmt.Sprintf("both markers matched%s (%s and %s)", where, in, out)}
	case inHit:
		return &recording.AuthState{State: recording.AuthIn, Source: recording.AuthByMarker,
			Evidence: fmt.Sprintf("%s matched%s", in, where)}
	case outHit:
		return &recording.AuthState{State: recording.AuthOut, Source: recording.AuthByMarker,
			Evidence: fmt.Sprintf("%s matched%s", out, where)}
	case probePage && in != "":
		return &recording.AuthState{State: recording.AuthOut, Source: recording.AuthByMarker,
			Evidence: fmt.Sprintf("%s did not match on the probe page%s", in, where)}
	}
	return nil
}

// onProbePage reports whether page is the scenario's probe page (same
// host and path).
func (r *runner) onProbePage(page string) bool {
	p := r.sc.Session.Probe
	if p == nil || page == "" {
		return false
	}
	want, err := r.sc.URL(p.Path)
	if err != nil {
		return false
	}
	a, err1 := url.Parse(page)
	b, err2 := url.Parse(want)
	return err1 == nil && err2 == nil && a.Scheme == b.Scheme && a.Host == b.Host && a.Path == b.Path
}

// expectAuth is the state an expect step that passed tells: it checked
// the text of a marker.
func (r *runner) expectAuth(st scenarios.Step) *recording.AuthState {
	e := st.Expect
	if e == nil || e.Text == nil {
		return nil
	}
	in, out := r.markers()
	switch e.Text.Selector {
	case "":
	case in:
		return &recording.AuthState{State: recording.AuthIn, Source: recording.AuthByExpect,
			Evidence: fmt.Sprintf("the expect step checked the logged-in marker %s and passed", in)}
	case out:
		return &recording.AuthState{State: recording.AuthOut, Source: recording.AuthByExpect,
			Evidence: fmt.Sprintf("the expect step checked the logged-out marker %s and passed", out)}
	}
	return nil
}

// fillAuth gives every step the recording's own facts can judge a
// logged-in state (see recording.InferAuth); states the harness observed
// are kept.
func fillAuth(rec *recording.Recording) {
	// A marker read after a step that sent no request looked at the page
	// an earlier step loaded: when it reads as before, it says nothing new
	// (a cookie that expired during a wait leaves the page as it was). One
	// that reads otherwise saw the page change by script (a single-page
	// app that cleared its tokens and rendered its login form): kept.
	sent := map[int]bool{}
	for i := range rec.Requests {
		sent[rec.Requests[i].Step] = true
	}
	var last recording.LoginState
	for i := range rec.Steps {
		a := rec.Steps[i].Auth
		if a == nil || a.Source != recording.AuthByMarker {
			continue
		}
		if !sent[rec.Steps[i].Index] && a.State == last {
			rec.Steps[i].Auth = nil
		}
		last = a.State
	}
	for i, a := range recording.InferAuth(rec) {
		if rec.Steps[i].Auth == nil {
			rec.Steps[i].Auth = a
		}
	}
}
