package harness

import (
	"context"
	"net/http"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// A bearer token is a session the server may keep accepting after the
// app "logged out" by forgetting it: the cookie probe (runProbe) cannot
// see that. So after the logout step, the token probe sends the last
// Authorization header the server accepted before it, alone, to the same
// URL (OWASP WSTG-SESS-06, for tokens).

// tokenReplay is what the token probe replays: a request the journey made.
type tokenReplay struct {
	id, url, auth string
}

// lastAccepted returns the last GET or HEAD with an Authorization header
// that started before t and was answered 2xx: the only kind of request
// safe to send again.
func (c *collector) lastAccepted(t time.Time) (tokenReplay, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.order) - 1; i >= 0; i-- {
		h := c.order[i]
		if h.req.Authorization == "" || (h.req.Method != http.MethodGet && h.req.Method != http.MethodHead) ||
			!c.wallTime(h.req.Timestamp, h.arrival).Before(t) || !isHTTP(h.req.URL) {
			continue
		}
		chain := c.hops[h.req.ID]
		status := 0
		if h.n == len(chain)-1 {
			if ev, ok := c.responses[h.req.ID]; ok && ev.Response != nil {
				status = ev.Response.Status
			}
		} else if h.resp != nil {
			status = h.resp.Status
		}
		if status >= 200 && status < 300 {
			return tokenReplay{id: hopID(h), url: h.req.URL, auth: h.req.Authorization}, true
		}
	}
	return tokenReplay{}, false
}

// tokenProbe replays the Authorization header of the last accepted GET
// before the logout step (the last step run).
func (r *runner) tokenProbe(ctx context.Context) *recording.TokenProbe {
	if len(r.steps) == 0 {
		return nil
	}
	tr, ok := r.col.lastAccepted(r.steps[len(r.steps)-1].rec.Start)
	if !ok {
		return nil
	}
	scheme, cred := recording.SplitAuthorization(tr.auth)
	r.red.Note(cred)
	p := &recording.TokenProbe{Step: r.steps[len(r.steps)-1].rec.Index, Request: tr.id, URL: r.red.Scrub(tr.url), Scheme: scheme, Value: r.red.Value(cred)}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, tr.url, nil)
	if err != nil {
		p.Error = r.red.Scrub(err.Error())
		return p
	}
	req.Header.Set("Authorization", tr.auth)
	req.Header.Set("User-Agent", r.b.userAgent)
	resp, err := r.b.probeClient().Do(req)
	if err != nil {
		p.Error = r.red.Scrub(err.Error())
		return p
	}
	resp.Body.Close()
	p.Status = resp.StatusCode
	p.Accepted = resp.StatusCode >= 200 && resp.StatusCode < 300
	return p
}
