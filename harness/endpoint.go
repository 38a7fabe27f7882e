package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// An Endpoint is a DevTools address given with --browser-url: a browser's
// own (ws://host:port/devtools/browser/ID, or http://host:port whose
// /json/version names it) or a pool's (browserless, a Selenium Grid or
// Kubernetes gateway), which often carries credentials in its query
// (?token=...). The whole URL is kept, path and query, for discovery and
// for the WebSocket; its String never shows the query's values.
type Endpoint struct {
	u *url.URL
}

// ParseEndpoint checks a --browser-url value. Its errors never repeat the
// query (it may hold a token).
func ParseEndpoint(s string) (Endpoint, error) {
	if !strings.Contains(s, "://") {
		return Endpoint{}, fmt.Errorf("--browser-url: no scheme: want ws://host:port/... or http://host:port, e.g. http://127.0.0.1:9222")
	}
	u, err := url.Parse(s)
	if err != nil {
		return Endpoint{}, fmt.Errorf("--browser-url: not a URL (want ws://host:port/... or http://host:port)")
	}
	switch u.Scheme {
	case "ws", "wss", "http", "https":
	default:
		return Endpoint{}, fmt.Errorf("--browser-url: scheme %q: want ws, wss, http or https", u.Scheme)
	}
	if u.Host == "" {
		return Endpoint{}, fmt.Errorf("--browser-url: no host (want %s://host:port...)", u.Scheme)
	}
	return Endpoint{u: u}, nil
}

// String is the URL with every query value and any password replaced by
// "…", e.g. ws://127.0.0.1:3000?token=…: safe for logs, errors and files.
func (e Endpoint) String() string {
	if e.u == nil {
		return ""
	}
	return redactURL(e.u)
}

func redactURL(u *url.URL) string {
	c := *u
	if c.User != nil {
		if _, ok := c.User.Password(); ok {
			c.User = url.UserPassword(c.User.Username(), "…")
		}
	}
	c.RawQuery = ""
	s := c.String()
	if u.RawQuery == "" {
		return s
	}
	var keys []string
	for _, kv := range strings.Split(u.RawQuery, "&") {
		k, _, _ := strings.Cut(kv, "=")
		keys = append(keys, k+"=…")
	}
	return s + "?" + strings.Join(keys, "&")
}

// secrets are the strings an error must not repeat: the query's values
// (raw and decoded) and the password.
func (e Endpoint) secrets() []string {
	var out []string
	add := func(s string) {
		if len(s) >= 3 { // shorter values are not secrets and would mangle the text
			out = append(out, s)
		}
	}
	for _, kv := range strings.Split(e.u.RawQuery, "&") {
		_, v, _ := strings.Cut(kv, "=")
		add(v)
		if d, err := url.QueryUnescape(v); err == nil && d != v {
			add(d)
		}
	}
	if p, ok := e.u.User.Password(); ok {
		add(p)
	}
	return out
}

// redact rewrites a message so that it holds none of the endpoint's
// secrets: chromedp's dial errors quote the whole WebSocket URL.
func (e Endpoint) redact(msg string) string {
	for _, s := range e.secrets() {
		msg = strings.ReplaceAll(msg, s, "…")
	}
	return msg
}

// Endpoint errors a caller may want to tell apart.
var (
	// ErrRefused: the endpoint answered 401 or 403.
	ErrRefused = errors.New("the endpoint refused the credentials in --browser-url")
	// ErrBusy: the endpoint answered 429 or 503 (a pool with no free
	// browser); worth trying again a little later.
	ErrBusy = errors.New("the browser pool is busy")
)

// statusError turns a pool's HTTP answer into an error that says what to do.
func statusError(code int, status string) error {
	switch code {
	case http.StatusUnauthorized, http.StatusForbidden:
		return fmt.Errorf("%w (%s)", ErrRefused, status)
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return fmt.Errorf("%w (%s)", ErrBusy, status)
	}
	return nil
}

// target is where to dial, found by resolve.
type target struct {
	ws string
	// perConn is true when the endpoint hands out a fresh browser for each
	// connection: a gateway, not a browser's own address.
	perConn bool
}

// resolve finds the WebSocket to dial. A browser's own address
// (/devtools/browser/ID) is dialled as given. Otherwise the endpoint's
// /json/version (with the same query: pools authenticate it too) names
// the WebSocket; its query gains the parameters of the given URL it lacks
// (browserless answers with its bare address). A ws:// endpoint with no
// /json/version is dialled as given.
func (e Endpoint) resolve(ctx context.Context, client *http.Client) (target, error) {
	if (e.u.Scheme == "ws" || e.u.Scheme == "wss") && strings.Contains(e.u.Path, "/devtools/browser/") {
		return target{ws: e.u.String()}, nil
	}
	disc := *e.u
	disc.Scheme = map[string]string{"ws": "http", "wss": "https"}[e.u.Scheme]
	if disc.Scheme == "" {
		disc.Scheme = e.u.Scheme
	}
	disc.Path = strings.TrimSuffix(e.u.Path, "/") + "/json/version"
	disc.RawPath = ""
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, disc.String(), nil)
	if err != nil {
		return target{}, errors.New(e.redact(err.Error()))
	}
	resp, err := client.Do(req)
	if err != nil {
		return target{}, e.dialError(err)
	}
	defer resp.Body.Close()
	if err := statusError(resp.StatusCode, resp.Status); err != nil {
		return target{}, err
	}
	var v struct {
		WS string `json:"webSocketDebuggerUrl"`
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &v) != nil || v.WS == "" {
		if e.u.Scheme == "ws" || e.u.Scheme == "wss" {
			// A gateway that only speaks WebSocket at this address.
			return target{ws: e.u.String(), perConn: true}, nil
		}
		return target{}, fmt.Errorf("%s is not a DevTools endpoint: %s/json/version answered %s without a webSocketDebuggerUrl", e, strings.TrimSuffix(e.u.Path, "/"), resp.Status)
	}
	ws, err := url.Parse(v.WS)
	if err != nil || (ws.Scheme != "ws" && ws.Scheme != "wss") {
		return target{}, fmt.Errorf("%s named %q as its WebSocket: not a ws:// URL", e, e.redact(v.WS))
	}
	q := ws.Query()
	for k, vals := range e.u.Query() {
		if !q.Has(k) {
			q[k] = vals
		}
	}
	ws.RawQuery = q.Encode()
	return target{ws: ws.String(), perConn: !strings.Contains(ws.Path, "/devtools/browser/")}, nil
}

// dialError explains a failure to reach or dial the endpoint.
func (e Endpoint) dialError(err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(msg, "connection refused"):
		host := e.u.Host
		if _, _, splitErr := net.SplitHostPort(host); splitErr != nil {
			host += " (no port given)"
		}
		return fmt.Errorf("nothing answers at %s: is the browser (or pool) running and listening on that port?", host)
	case handshakeStatus(msg, 401, 403):
		return fmt.Errorf("%w (%s)", ErrRefused, e.redact(msg))
	case handshakeStatus(msg, 429, 503):
		return fmt.Errorf("%w (%s)", ErrBusy, e.redact(msg))
	}
	return errors.New(e.redact(msg))
}

// handshakeStatus reports whether a dial error is the WebSocket handshake
// answered with one of codes (`unexpected status "401 Unauthorized"`): a
// bare "401" could be part of the endpoint's port.
func handshakeStatus(msg string, codes ...int) bool {
	for _, c := range codes {
		if strings.Contains(msg, `status "`+strconv.Itoa(c)+" ") {
			return true
		}
	}
	return false
}

// withLaunchArgs returns ws with the browser flags added in browserless's
// `launch` query parameter ({"args": [...]}, merged with one the user
// gave): a pool that starts a browser per connection takes its command
// line from there, and other endpoints ignore the parameter.
func withLaunchArgs(ws string, args []string) string {
	if len(args) == 0 {
		return ws
	}
	u, err := url.Parse(ws)
	if err != nil {
		return ws
	}
	q := u.Query()
	launch := map[string]any{}
	if s := q.Get("launch"); s != "" && json.Unmarshal([]byte(s), &launch) != nil {
		return ws // not JSON (base64?): the user's own, left alone
	}
	var all []any
	if prev, ok := launch["args"].([]any); ok {
		all = prev
	}
	for _, a := range args {
		all = append(all, a)
	}
	launch["args"] = all
	b, _ := json.Marshal(launch)
	q.Set("launch", string(b))
	u.RawQuery = q.Encode()
	return u.String()
}
