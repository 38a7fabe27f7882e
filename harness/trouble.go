package harness

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/sessiontrace/sessiontrace/internal/words"
)

// A siteError is a step that could not reach or load the site: a network
// error of the browser (net::ERR_...). It is trouble, not the site's
// verdict on the journey, so the scenario is errored, not failed; its
// message says what a user can do about it.
type siteError struct {
	code string // e.g. net::ERR_NAME_NOT_RESOLVED
	url  string // the document that failed, when known
	hint string
	err  error
}

func (e *siteError) Error() string {
	msg := e.code
	if e.url != "" {
		msg += " loading " + e.url
	}
	if e.hint != "" {
		msg += " (" + e.hint + ")"
	}
	return msg
}

func (e *siteError) Unwrap() error { return e.err }

// asSiteError turns the browser's load error into a siteError with a
// hint; other errors are returned as they are. docURL is the document
// whose load failed, if the recorder saw it.
func asSiteError(err error, docURL string) error {
	var le *chromedp.LoadError
	if !errors.As(err, &le) || strings.Contains(le.ErrorText, "ERR_ABORTED") {
		return err
	}
	return &siteError{code: le.ErrorText, url: docURL, hint: networkHint(le.ErrorText, docURL), err: err}
}

// networkHint says what usually causes a network error and what to do.
func networkHint(code, rawURL string) string {
	host, port := "", ""
	if u, err := url.Parse(rawURL); err == nil {
		host, port = u.Hostname(), u.Port()
		if port == "" {
			port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
		}
	}
	switch {
	case strings.Contains(code, "ERR_NAME_NOT_RESOLVED"):
		if reservedName(host) {
			return fmt.Sprintf("%s is a reserved test name that no DNS resolves: map it with --host-map '%s=127.0.0.1' or '*.%s=ADDRESS'", host, host, topLevel(host))
		}
		if host != "" {
			return fmt.Sprintf("no DNS answer for %s: check the target's spelling, or map the name with --host-map '%s=ADDRESS'", host, host)
		}
		return "the host name does not resolve: check the target, or map it with --host-map"
	case strings.Contains(code, "ERR_CERT_"):
		return "the site's certificate is not trusted by the browser: for test sites, run with --insecure-certs"
	case strings.Contains(code, "ERR_CONNECTION_REFUSED"):
		if host != "" {
			return fmt.Sprintf("nothing accepts connections at %s: is the site running on that port?", net.JoinHostPort(host, port))
		}
		return "the connection was refused: is the site running on that port?"
	case strings.Contains(code, "ERR_CONNECTION_TIMED_OUT"), strings.Contains(code, "ERR_ADDRESS_UNREACHABLE"), strings.Contains(code, "ERR_TIMED_OUT"):
		return "the host does not answer: is it reachable from this machine (a firewall, a VPN, the wrong address)?"
	case strings.Contains(code, "ERR_SSL_PROTOCOL_ERROR"), strings.Contains(code, "ERR_SSL_"):
		return "the TLS handshake failed: is the port an https port (or http, for an http:// target)?"
	case strings.Contains(code, "ERR_EMPTY_RESPONSE"), strings.Contains(code, "ERR_CONNECTION_RESET"), strings.Contains(code, "ERR_CONNECTION_CLOSED"):
		return "the server closed the connection without an answer: did it crash, or is it an https port reached over http?"
	}
	return ""
}

// reservedName reports whether host is under a top-level name reserved
// for testing and documentation (RFC 2606, RFC 6761): no public DNS
// answers for it, so it needs a host mapping.
func reservedName(host string) bool {
	switch topLevel(host) {
	case "test", "example", "invalid", "internal":
		return true
	}
	return false
}

func topLevel(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	return host[strings.LastIndexByte(host, '.')+1:]
}

// failedDocument is the URL of the last document request that failed,
// for the message of a load error (chromedp's does not say which).
func (c *collector) failedDocument() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.order) - 1; i >= 0; i-- {
		h := c.order[i]
		if l, ok := c.loading[h.req.ID]; ok && l.Failed && h.req.Type == "Document" {
			return h.req.URL
		}
	}
	return ""
}

// explainTimeout says what a step that timed out waiting for its
// selector found in the page: nothing, or elements that are hidden, so
// that the user knows whether to fix the selector or the page.
func (r *runner) explainTimeout(ctx context.Context, s *stepCall, err error) error {
	var found string
	if r.withTimeout(ctx, time.Second, func(c context.Context) error {
		var e error
		found, e = evalIn[string](c, s.doc, selectorStateJS(s.st.Selector))
		return e
	}) != nil {
		return err // the page does not answer: the error says enough
	}
	return &timeoutError{selector: s.st.Selector, after: s.timeout, found: found, err: err}
}

// A timeoutError is a step that waited for its selector in vain.
type timeoutError struct {
	selector string
	after    time.Duration
	found    string // what selectorStateJS answered
	err      error
}

func (e *timeoutError) Error() string {
	switch {
	case e.found == "none":
		return fmt.Sprintf("%s: no element matched after %s", e.selector, e.after)
	case strings.HasPrefix(e.found, "hidden:"):
		n, why, _ := strings.Cut(strings.TrimPrefix(e.found, "hidden:"), ":")
		count, _ := strconv.Atoi(n)
		return fmt.Sprintf("%s matched %s but is hidden (%s) after %s", e.selector, words.Count(count, "element", "elements"), why, e.after)
	case strings.HasPrefix(e.found, "invalid:"):
		return fmt.Sprintf("%s is not a valid CSS selector: %s", e.selector, strings.TrimPrefix(e.found, "invalid:"))
	}
	return fmt.Sprintf("%s matched and is visible, but the step did not finish within %s: %v", e.selector, e.after, e.err)
}

func (e *timeoutError) Unwrap() error { return e.err }

// selectorStateJS answers "none", "hidden:N:why", "visible" or
// "invalid:message" for a CSS selector: the first match is the one the
// step acts on; hidden is what chromedp's visibility wait checks: the
// element has a box (visibility: hidden keeps one, and passes).
func selectorStateJS(sel string) string {
	return `(() => { let all; try { all = document.querySelectorAll(` + jsString(sel) + `); } catch (e) { return "invalid:" + e.message; }
  if (!all.length) return "none";
  const el = all[0];
  let why = "";
  for (let p = el; p && p.nodeType === 1; p = p.parentElement) { if (getComputedStyle(p).display === "none") { why = p === el ? "display: none" : "inside an element with display: none"; break; } }
  if (!why && !el.getClientRects().length) why = "it has no box";
  if (!why && el.offsetWidth === 0 && el.offsetHeight === 0) why = "zero size";
  return why ? "hidden:" + all.length + ":" + why : "visible"; })()`
}
