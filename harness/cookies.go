package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// Steps that change the jar from outside the page: setCookie,
// clearCookies and restart. What they change is recorded with the source
// harness, so that it is not taken for the site's doing.

// doSetCookie sets the step's cookie and records that the harness set it.
func (r *runner) doSetCookie(c context.Context, s *stepCall) error {
	cs := s.st.Cookie
	u := cs.URL
	if u == "" && cs.Domain == "" {
		// Placed nowhere: at the current page, as a page would, or at the
		// target when the page is not a web page (about:blank).
		cur, err := chromedp.Run(c, chromedp.Location())
		if err != nil || !isHTTP(cur) {
			cur = r.sc.Target
		}
		u = cur
	}
	var full string // "" when the cookie is set by its domain alone
	if u != "" {
		var err error
		if full, err = r.sc.URL(u); err != nil {
			return err
		}
	}
	p := setCookieParams(cs, full, time.Now())
	if cs.Secret {
		r.red.AddSecret(cs.Value)
	}
	var res struct {
		Success *bool `json:"success"`
	}
	var raw json.RawMessage
	if err := chromedp.FromContext(c).Target.Call(c, "Network.setCookie", p, &raw); err != nil {
		return err
	}
	_ = json.Unmarshal(raw, &res)
	if res.Success != nil && !*res.Success {
		return fmt.Errorf("the browser refused cookie %s", cs.Name)
	}
	v := r.red.Value(cs.Value)
	domain, path := setCookieKey(cs, full)
	s.sr.harness = append(s.sr.harness, recording.CookieEvent{Time: time.Now(), Step: s.i, Kind: recording.EventSet,
		Source: recording.SourceHarness, Name: cs.Name, Domain: domain, Path: path, Value: &v, Detail: "setCookie step"})
	return nil
}

// setCookieParams are the parameters of Network.setCookie for the step's
// cookie, set at u (or by its domain alone, u empty); only what the step
// gives is sent, so that the browser's defaults apply to the rest.
func setCookieParams(cs *scenarios.CookieSpec, u string, now time.Time) map[string]any {
	p := map[string]any{"name": cs.Name, "value": cs.Value, "secure": cs.Secure, "httpOnly": cs.HTTPOnly}
	if u != "" {
		p["url"] = u
	}
	if cs.Domain != "" {
		p["domain"] = cs.Domain
	}
	if cs.Path != "" {
		p["path"] = cs.Path
	}
	if cs.SameSite != "" {
		p["sameSite"] = cs.SameSite
	}
	if cs.MaxAge > 0 {
		p["expires"] = float64(now.Add(cs.MaxAge).Unix())
	}
	return p
}

// setCookieKey spells the identity of a cookie set at u (empty when it is
// set by its domain alone) as the jar does: Network.setCookie keeps the
// domain given (with a leading dot it is a domain cookie), else takes the
// URL's host, either as recording.CanonicalHost spells it; the path
// defaults to /.
func setCookieKey(cs *scenarios.CookieSpec, u string) (domain, path string) {
	domain, path = cs.Domain, cs.Path
	if d, ok := strings.CutPrefix(domain, "."); ok {
		domain = "." + recording.CanonicalHost(d)
	} else if domain != "" {
		domain = recording.CanonicalHost(domain)
	} else if pu, err := url.Parse(u); err == nil {
		domain = recording.CanonicalHost(pu.Hostname())
	}
	if path == "" {
		path = "/"
	}
	return domain, path
}

func (r *runner) doClearCookies(c context.Context, s *stepCall) error {
	s.sr.cleared = "clearCookies"
	br := chromedp.FromContext(c).Browser
	if s.st.ClearName == "" {
		return br.Call(c, "Storage.clearCookies", map[string]any{"browserContextId": r.bctxID}, nil)
	}
	jar, _, err := r.readJar(c)
	if err != nil {
		return err
	}
	t := chromedp.FromContext(c).Target
	for _, ck := range jar {
		if ck.Name != s.st.ClearName {
			continue
		}
		p := map[string]any{"name": ck.Name, "domain": ck.Domain, "path": ck.Path}
		if err := t.Call(c, "Network.deleteCookies", p, nil); err != nil {
			return err
		}
	}
	return nil
}

// doRestart closes the scenario's browser state and opens a new one that
// keeps only the persistent, unexpired cookies, as a browser restart does
// (session cookies go; so do the open page and its memory).
func (r *runner) doRestart(ctx context.Context, s *stepCall) error {
	s.sr.cleared = "restart"
	jar, raws, err := r.readJar(ctx)
	if err != nil {
		return fmt.Errorf("reading the jar before the restart: %w", err)
	}
	now := float64(time.Now().Unix())
	var keep []json.RawMessage
	for i, c := range jar {
		if c.Session || c.Expires <= now {
			continue
		}
		keep = append(keep, cookieParam(raws[i], c))
	}
	r.closeTab()
	return r.openTab(ctx, keep)
}

// cookieParam turns a jar cookie back into a Storage.setCookies parameter.
// A host-only cookie is set through a URL: a domain would widen it.
func cookieParam(raw json.RawMessage, c cdpCookie) json.RawMessage {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		m = map[string]any{"name": c.Name, "value": c.Value, "path": c.Path}
	}
	for _, k := range []string{"size", "session", "sameParty"} {
		delete(m, k)
	}
	if !strings.HasPrefix(c.Domain, ".") {
		scheme := "https"
		if c.SourceScheme == "NonSecure" && !c.Secure {
			scheme = "http"
		}
		delete(m, "domain")
		m["url"] = scheme + "://" + c.Domain + c.Path
	}
	out, _ := json.Marshal(m)
	return out
}
