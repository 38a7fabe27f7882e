package policy

import (
	"fmt"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// crossing is what became of the value a cookie identity held when a step
// began.
type crossing struct {
	held bool   // the identity held a value when the step began
	kept bool   // and still held that value when the step ended
	fp   string // the value's fingerprint
}

// across follows identity k over step st. For a session cookie it reads
// the analysis' lifecycle (the same signal as SESSION-FIXATION and the
// session table, so the policy and the report never disagree); for any
// other cookie it compares the jar after the step before with the jar
// after st.
func (c *checker) across(k recording.CookieKey, st *recording.Step) crossing {
	for _, s := range c.sessions {
		if s.Cookie != k.Name || s.Domain != k.Domain || s.Path != k.Path {
			continue
		}
		if id, kept := analysis.HeldAcross(s.IDs, st.Index); id != nil {
			return crossing{held: true, kept: kept, fp: id.Fingerprint}
		}
		return crossing{}
	}
	var prev *recording.Step
	for i := range c.rec.Steps {
		s := &c.rec.Steps[i]
		if s.Index < st.Index && s.Status != recording.StatusSkipped && (prev == nil || s.Index > prev.Index) {
			prev = s
		}
	}
	before, ok := jarValue(prev, k)
	if !ok {
		return crossing{}
	}
	after, ok := jarValue(st, k)
	return crossing{held: true, kept: ok && after.Same(before), fp: before.Fingerprint}
}

func jarValue(st *recording.Step, k recording.CookieKey) (recording.Value, bool) {
	if st == nil {
		return recording.Value{}, false
	}
	for _, c := range st.Jar {
		if c.Name == k.Name && c.Domain == k.Domain && c.Path == k.Path {
			return c.Value, true
		}
	}
	return recording.Value{}, false
}

// boundaries returns the steps marked as (login or logout) that ran.
func (c *checker) boundaries(as recording.Boundary) []*recording.Step {
	var out []*recording.Step
	for i := range c.rec.Steps {
		st := &c.rec.Steps[i]
		if st.As == as && st.Status != recording.StatusSkipped {
			out = append(out, st)
		}
	}
	return out
}

// carrier returns a request of step st that sent the value fp of k, so a
// violation points at the request that proves the value was in use.
func (c *checker) carrier(k recording.CookieKey, st *recording.Step, fp string) (req, url string) {
	for _, e := range c.rec.Events {
		if e.Step == st.Index && e.Kind == recording.EventSent && e.Name == k.Name && e.Value != nil && e.Value.Fingerprint == fp {
			return e.Request, e.URL
		}
	}
	return "", st.URL
}

// rotation: the value held before each login step must be gone after it.
func (c *checker) rotation(e *Entry, k recording.CookieKey) {
	for _, st := range c.boundaries(recording.BoundaryLogin) {
		x := c.across(k, st)
		if !x.held || !x.kept {
			continue
		}
		req, url := c.carrier(k, st, x.fp)
		c.add(violation{entry: e, clause: "rotateAtLogin", key: k, step: st.Index, req: req, url: url,
			want: "must get a new value at login",
			got:  fmt.Sprintf("it kept the value %s across the login %s", short(x.fp), stepText(st)),
			ev:   fmt.Sprintf("value %s held before and after %s", short(x.fp), stepText(st))})
	}
}

// logout: the value held before each logout step must be gone after it,
// and the server must no longer accept it (the logout replay probe).
func (c *checker) logout(e *Entry, k recording.CookieKey) {
	for _, st := range c.boundaries(recording.BoundaryLogout) {
		x := c.across(k, st)
		if !x.held {
			continue
		}
		if x.kept {
			req, url := c.carrier(k, st, x.fp)
			c.add(violation{entry: e, clause: "dieAtLogout", key: k, step: st.Index, req: req, url: url,
				want: "must end at logout",
				got:  fmt.Sprintf("it kept the value %s after the logout %s", short(x.fp), stepText(st)),
				ev:   fmt.Sprintf("value %s held before and after %s", short(x.fp), stepText(st))})
		}
		if p := c.rec.Probe; p != nil && p.LoggedIn && p.Error == "" {
			c.add(violation{entry: e, clause: "dieAtLogout", kind: "probe", key: k, step: st.Index, url: p.URL,
				want: "must end at logout",
				got:  fmt.Sprintf("after the logout %s the server still accepted it: replaying the pre-logout cookies on %s showed the logged-in page (status %d)", stepText(st), p.URL, p.Status),
				ev:   fmt.Sprintf("logout replay probe %s → %d, loggedIn selector matched; value %s was held before logout", p.URL, p.Status, short(x.fp))})
		}
	}
}
