// Package synth generates large, realistic recordings for benchmarks: a
// long journey on a cluster that rotates, resets and withholds session
// cookies, with many subresources and cookies. It is deterministic for a
// given size.
package synth

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// Recording returns a recording with about requests requests and events
// cookie events, spread over steps of about 50 requests each.
func Recording(requests, events int) *recording.Recording {
	rng := rand.New(rand.NewPCG(1, 2))
	red := recording.NewRedactor([]byte("synth"), false)
	start := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	r := &recording.Recording{
		Schema:   recording.Schema,
		Scenario: recording.ScenarioInfo{Name: fmt.Sprintf("synthetic journey (%d requests)", requests), File: "synthetic.yaml", Target: "https://shop.test"},
		Browser:  recording.BrowserInfo{Product: "Chrome/156.0.0.0", UserAgent: "synthetic"},
		Options:  recording.Options{FingerprintKey: red.KeyID()},
		Start:    start,
		Status:   recording.StatusPassed,
		Steps:    []recording.Step{},
		Requests: []recording.Request{},
		Events:   []recording.CookieEvent{},
	}
	perStep := 50
	steps := max(1, requests/perStep)
	eventsPerReq := max(1, events/max(1, requests))
	sid := red.Value(fmt.Sprintf("%032x", rng.Uint64()))
	node := "node-a"
	t := start
	jar := []recording.Cookie{}
	for s := 0; s < steps; s++ {
		st := recording.Step{Index: s, Kind: recording.StepClick, Detail: fmt.Sprintf("click #link-%d", s), Start: t, Status: recording.StatusPassed}
		if s == 1 {
			st.As = recording.BoundaryLogin
		}
		// Every 7th step the session is replaced on another node.
		if s%7 == 3 {
			sid = red.Value(fmt.Sprintf("%032x", rng.Uint64()))
			if node == "node-a" {
				node = "node-b"
			} else {
				node = "node-a"
			}
		}
		for q := 0; q < perStep && len(r.Requests) < requests; q++ {
			t = t.Add(time.Duration(2+rng.IntN(20)) * time.Millisecond)
			id := fmt.Sprintf("R%06d", len(r.Requests))
			typ := "Image"
			if q == 0 {
				typ = "Document"
			}
			req := recording.Request{ID: id, Step: s, Method: "GET", URL: fmt.Sprintf("https://shop.test/p/%d/%d", s, q),
				ResourceType: typ, Start: t, End: t.Add(3 * time.Millisecond), Status: 200, Protocol: "h2",
				Node: node, NodeHeader: "X-Backend", RequestExtraInfo: true, ResponseExtraInfo: true,
				Headers: map[string]string{"Content-Type": "text/html"}}
			// As the harness records: every cookie sent is in the request's
			// cookiesSent and has a "sent" event, the session ID first.
			sidSent := sid
			req.CookiesSent = []recording.SentCookie{{Name: "SID", Domain: "shop.test", Path: "/", Value: sid}}
			r.Events = append(r.Events, recording.CookieEvent{Time: t, Step: s, Kind: recording.EventSent, Source: recording.SourceHTTP,
				Name: "SID", Domain: "shop.test", Path: "/", Value: &sidSent, Request: id, URL: req.URL})
			otherCookies(r, &req, red, s, eventsPerReq, t)
			if q == 0 && s%7 == 3 {
				req.SetCookies = append(req.SetCookies, recording.SetCookie{Name: "SID", Value: sid, Attributes: "Path=/; Secure; HttpOnly; SameSite=Lax",
					Path: "/", Secure: true, HTTPOnly: true, SameSite: "Lax", Size: 3 + sid.Len})
				v := sid
				r.Events = append(r.Events, recording.CookieEvent{Time: t, Step: s, Kind: recording.EventSet, Source: recording.SourceHTTP,
					Name: "SID", Domain: "shop.test", Path: "/", Value: &v, Request: id, URL: req.URL})
			}
			r.Requests = append(r.Requests, req)
		}
		jar = jar[:0]
		jar = append(jar, recording.Cookie{Name: "SID", Domain: "shop.test", Path: "/", Value: sid, Size: 3 + sid.Len, HTTPOnly: true, Secure: true, SameSite: "Lax", Session: true})
		for c := 0; c < 40; c++ {
			jar = append(jar, recording.Cookie{Name: fmt.Sprintf("c%d", c), Domain: "shop.test", Path: "/", Value: red.Value(fmt.Sprintf("v%d", c)), Size: 8, Secure: true, Session: true})
		}
		st.Jar = append([]recording.Cookie(nil), jar...)
		st.End = t
		st.URL = fmt.Sprintf("https://shop.test/p/%d/0", s)
		r.Steps = append(r.Steps, st)
	}
	r.End = t
	return r
}

// otherCookies gives request req of step s its cookies other than the
// session ID, n-1 of them, each with its event at t: most sent, a tenth
// withheld, a tenth set.
func otherCookies(r *recording.Recording, req *recording.Request, red *recording.Redactor, s, n int, t time.Time) {
	for e := 1; e < n; e++ {
		name := fmt.Sprintf("c%d", e%40)
		v := red.Value(fmt.Sprintf("v%d-%d", e, s))
		ev := recording.CookieEvent{Time: t, Step: s, Kind: recording.EventSent, Source: recording.SourceHTTP,
			Name: name, Domain: "shop.test", Path: "/", Value: &v, Request: req.ID, URL: req.URL}
		switch e % 10 {
		case 9:
			ev.Kind, ev.Reasons = recording.EventWithheld, []string{"SameSiteLax"}
			req.CookiesWithheld = append(req.CookiesWithheld, recording.SentCookie{Name: name, Value: v, Reasons: ev.Reasons})
		case 1:
			ev.Kind = recording.EventSet
			req.SetCookies = append(req.SetCookies, recording.SetCookie{Name: name, Value: v, Attributes: "Path=/; Secure", Path: "/", Secure: true, Size: len(name) + v.Len})
		default:
			req.CookiesSent = append(req.CookiesSent, recording.SentCookie{Name: name, Domain: "shop.test", Path: "/", Value: v})
		}
		r.Events = append(r.Events, ev)
	}
}
