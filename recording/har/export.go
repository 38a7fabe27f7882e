//go:build !js

package har

// The writer, on encoding/json, which the inspector (GOOS=js) does not
// link: it writes no HAR.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// Export writes a recording as a HAR 1.2 file that other HAR tools open
// (it is valid against the HAR 1.2 JSON Schema). Each step is a page, each
// request an entry, with its cookies in the Cookie and Set-Cookie headers
// and the cookies arrays. Cookie values are written as "[value:FP]"
// (FP the value's fingerprint) unless the recording kept the raw value
// (--reveal-values). sessiontrace's own knowledge is in "_" fields:
// "_blockedReasons" (the cookies the browser withheld, with its reasons),
// "_rejectedCookies" (the Set-Cookie lines it refused), "_sessionId" (the
// session ID the request sent), "_step"; and the log's "_sessiontrace"
// object, with which Import restores the recording's requests,
// fingerprints and steps.
func Export(r *recording.Recording) ([]byte, error) {
	if r == nil {
		return nil, fmt.Errorf("Export: no recording")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(toHAR(r)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type fileOut struct {
	Log logOut `json:"log"`
}

type logOut struct {
	Version string       `json:"version"`
	Creator nameVersion  `json:"creator"`
	Browser *nameVersion `json:"browser,omitempty"`
	Pages   []pageOut    `json:"pages"`
	Entries []entryOut   `json:"entries"`
	Comment string       `json:"comment,omitempty"`
	Meta    *metaObject  `json:"_sessiontrace"`
}

type pageOut struct {
	StartedDateTime string      `json:"startedDateTime"`
	ID              string      `json:"id"`
	Title           string      `json:"title"`
	PageTimings     pageTimings `json:"pageTimings"`
	Step            pageStep    `json:"_step"`
}

type pageTimings struct {
	OnContentLoad float64 `json:"onContentLoad"`
	OnLoad        float64 `json:"onLoad"`
}

type entryOut struct {
	Pageref         string        `json:"pageref,omitempty"`
	StartedDateTime string        `json:"startedDateTime"`
	Time            float64       `json:"time"`
	Request         requestOut    `json:"request"`
	Response        responseOut   `json:"response"`
	Cache           struct{}      `json:"cache"`
	Timings         timings       `json:"timings"`
	ResourceType    string        `json:"_resourceType,omitempty"`
	Initiator       *initiatorOut `json:"_initiator,omitempty"`
	RequestID       string        `json:"_requestId"`
	Step            int           `json:"_step"`
	RedirectedFrom  string        `json:"_redirectedFrom,omitempty"`
	Target          string        `json:"_target,omitempty"`
	SessionID       *sessionID    `json:"_sessionId,omitempty"`
	BlockedReasons  []blocked     `json:"_blockedReasons,omitempty"`
	RejectedCookies []rejected    `json:"_rejectedCookies,omitempty"`
	RequestExtra    bool          `json:"_requestExtraInfo"`
	ResponseExtra   bool          `json:"_responseExtraInfo"`
}

type initiatorOut struct {
	Type string `json:"type"`
	URL  string `json:"url,omitempty"`
}

type requestOut struct {
	Method      string      `json:"method"`
	URL         string      `json:"url"`
	HTTPVersion string      `json:"httpVersion"`
	Cookies     []cookieOut `json:"cookies"`
	Headers     []header    `json:"headers"`
	QueryString []header    `json:"queryString"`
	HeadersSize int         `json:"headersSize"`
	BodySize    int         `json:"bodySize"`
}

type responseOut struct {
	Status      int         `json:"status"`
	StatusText  string      `json:"statusText"`
	HTTPVersion string      `json:"httpVersion"`
	Cookies     []cookieOut `json:"cookies"`
	Headers     []header    `json:"headers"`
	Content     content     `json:"content"`
	RedirectURL string      `json:"redirectURL"`
	HeadersSize int         `json:"headersSize"`
	BodySize    int         `json:"bodySize"`
	Error       string      `json:"_error,omitempty"`
}

type content struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Comment  string `json:"comment,omitempty"`
}

type timings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	Connect float64 `json:"connect"`
	SSL     float64 `json:"ssl"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

type cookieOut struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	Path       string  `json:"path,omitempty"`
	Domain     string  `json:"domain,omitempty"`
	Expires    *string `json:"expires,omitempty"`
	HTTPOnly   *bool   `json:"httpOnly,omitempty"`
	Secure     *bool   `json:"secure,omitempty"`
	SameSite   string  `json:"sameSite,omitempty"`
	Exemption  string  `json:"_exemption,omitempty"`
	ParseError string  `json:"_parseError,omitempty"`
}

// harTime writes a time as HAR wants it (ISO 8601 with fractional seconds).
func harTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func harResourceType(t string) string {
	for k, v := range chromeResourceTypes {
		if v == t {
			return k
		}
	}
	return t
}

// toHAR builds the HAR that Export writes.
func toHAR(r *recording.Recording) fileOut {
	ex := &exporter{r: r, values: map[string]recording.Value{}}
	out := fileOut{Log: logOut{
		Version: "1.2",
		Creator: nameVersion{Name: "sessiontrace", Version: recording.Schema},
		Pages:   []pageOut{},
		Entries: []entryOut{},
		Comment: "Exported by sessiontrace from the recording of \"" + r.Scenario.Name + "\". " +
			"Cookie values are \"[value:FP]\" placeholders (FP is the value's fingerprint in the recording) unless the run revealed values; " +
			"sessiontrace's own data is in the fields whose names start with \"_\".",
	}}
	if name, version, ok := strings.Cut(r.Browser.Product, "/"); ok && name != "" {
		out.Log.Browser = &nameVersion{Name: name, Version: version}
	} else if r.Browser.Product != "" {
		out.Log.Browser = &nameVersion{Name: r.Browser.Product, Version: ""}
	}
	pageOf := map[int]string{}
	auths := recording.InferAuth(r)
	for i, st := range r.Steps {
		id := "step_" + strconv.Itoa(st.Index)
		if _, dup := pageOf[st.Index]; dup {
			continue
		}
		pageOf[st.Index] = id
		title := st.Detail
		if title == "" {
			title = strings.TrimSpace(string(st.Kind) + " " + st.Name)
		}
		out.Log.Pages = append(out.Log.Pages, pageOut{
			StartedDateTime: harTime(st.Start), ID: id, Title: title,
			PageTimings: pageTimings{OnContentLoad: -1, OnLoad: -1},
			Step: pageStep{Index: st.Index, Kind: st.Kind, Name: st.Name, As: st.As, Detail: st.Detail, Start: st.Start, End: st.End,
				Status: st.Status, Error: st.Error, URL: st.URL, Target: st.Target, Screenshot: st.Screenshot, Auth: auths[i], Probe: st.Probe, Storage: st.Storage},
		})
	}
	for i := range r.Requests {
		e := ex.entry(&r.Requests[i])
		e.Pageref = pageOf[r.Requests[i].Step]
		out.Log.Entries = append(out.Log.Entries, e)
	}
	meta := &metaObject{Schema: MetaSchema, Scenario: r.Scenario, Browser: r.Browser, Options: r.Options,
		Start: r.Start, End: r.End, Status: r.Status, Error: r.Error, Probe: r.Probe, TokenProbe: r.TokenProbe, Storage: r.Storage,
		Warnings: r.Warnings, Values: []recording.Value{}}
	fps := make([]string, 0, len(ex.values))
	for fp := range ex.values {
		fps = append(fps, fp)
	}
	sort.Strings(fps)
	for _, fp := range fps {
		meta.Values = append(meta.Values, ex.values[fp])
	}
	out.Log.Meta = meta
	return out
}

type exporter struct {
	r      *recording.Recording
	values map[string]recording.Value
}

// text is a cookie value as written in the HAR: the raw value when the
// recording kept it, else a placeholder naming its fingerprint.
func (ex *exporter) text(v recording.Value) string {
	if _, ok := ex.values[v.Fingerprint]; !ok {
		ex.values[v.Fingerprint] = v
	}
	if v.Raw != nil {
		return *v.Raw
	}
	if v.Len == 0 && !v.Secret {
		return "" // the empty value: nothing to hide, and clearer to HAR tools
	}
	return recording.ValuePlaceholder(v.Fingerprint)
}

func (ex *exporter) entry(q *recording.Request) entryOut {
	e := entryOut{
		StartedDateTime: harTime(q.Start),
		ResourceType:    harResourceType(q.ResourceType),
		RequestID:       q.ID,
		Step:            q.Step,
		RedirectedFrom:  q.RedirectedFrom,
		Target:          q.Target,
		RequestExtra:    q.RequestExtraInfo,
		ResponseExtra:   q.ResponseExtraInfo,
	}
	if !q.End.IsZero() && !q.End.Before(q.Start) {
		e.Time = float64(q.End.Sub(q.Start)) / float64(time.Millisecond)
	}
	e.Timings = timings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1, Wait: e.Time}
	if q.Initiator != "" || q.InitiatorURL != "" {
		e.Initiator = &initiatorOut{Type: q.Initiator, URL: q.InitiatorURL}
	}
	e.Request = ex.request(q, &e)
	e.Response = ex.response(q, &e)
	return e
}

// request is the HAR request of q, with the cookies it sent in the
// Cookie header; it notes in e the session ID sent and the cookies
// withheld.
func (ex *exporter) request(q *recording.Request, e *entryOut) requestOut {
	req := requestOut{Method: q.Method, URL: uriEscape(q.URL), HTTPVersion: q.Protocol,
		Cookies: []cookieOut{}, Headers: []header{}, QueryString: queryString(q.URL), HeadersSize: -1, BodySize: -1}
	var pairs []string
	for _, c := range q.CookiesSent {
		t := ex.text(c.Value)
		pairs = append(pairs, c.Name+"="+t)
		req.Cookies = append(req.Cookies, cookieOut{Name: c.Name, Value: t, Path: c.Path, Domain: c.Domain, Exemption: c.Exemption})
		if e.SessionID == nil && recording.IsSessionCookie(c.Name, ex.r.Scenario.SessionCookies) {
			e.SessionID = &sessionID{Name: c.Name, Fingerprint: c.Value.Fingerprint}
		}
	}
	if len(pairs) > 0 {
		req.Headers = append(req.Headers, header{Name: "Cookie", Value: strings.Join(pairs, "; ")})
	}
	if q.Referrer != "" {
		req.Headers = append(req.Headers, header{Name: "Referer", Value: q.Referrer})
	}
	if c := q.Authorization; c != nil {
		// Its credentials as the cookie values are: a placeholder (or
		// the raw value, revealed), which import maps back.
		req.Headers = append(req.Headers, header{Name: "Authorization", Value: strings.TrimSpace(c.Scheme + " " + ex.text(c.Value))})
	}
	for _, c := range q.CookiesWithheld {
		e.BlockedReasons = append(e.BlockedReasons, blocked{Name: c.Name, Value: ex.text(c.Value), Domain: c.Domain, Path: c.Path,
			Reasons: append([]string{}, c.Reasons...), Exemption: c.Exemption})
	}
	return req
}

// response is the HAR response of q, with its Set-Cookie lines; it notes
// in e the lines the browser refused.
func (ex *exporter) response(q *recording.Request, e *entryOut) responseOut {
	resp := responseOut{Status: q.Status, StatusText: q.StatusText, HTTPVersion: q.Protocol, Cookies: []cookieOut{},
		Headers: []header{}, RedirectURL: q.Location, HeadersSize: -1, BodySize: -1, Error: q.Failed}
	keys := make([]string, 0, len(q.Headers))
	for k := range q.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		resp.Headers = append(resp.Headers, header{Name: k, Value: q.Headers[k]})
	}
	if q.Location != "" {
		resp.Headers = append(resp.Headers, header{Name: "Location", Value: q.Location})
	}
	if q.Node != "" && q.NodeHeader != "" {
		resp.Headers = append(resp.Headers, header{Name: q.NodeHeader, Value: q.Node})
	}
	at := q.End
	if at.IsZero() {
		at = q.Start
	}
	for i := range q.SetCookies {
		sc := &q.SetCookies[i]
		t := ex.text(sc.Value)
		line := t
		if sc.Name != "" || strings.Contains(t, "=") {
			line = sc.Name + "=" + t
		}
		if sc.Attributes != "" {
			line += "; " + sc.Attributes
		}
		resp.Headers = append(resp.Headers, header{Name: "Set-Cookie", Value: line})
		c := cookieOut{Name: sc.Name, Value: t, Path: sc.Path, Domain: sc.Domain, SameSite: sc.SameSite,
			HTTPOnly: &sc.HTTPOnly, Secure: &sc.Secure, ParseError: sc.ParseError}
		switch {
		case sc.MaxAge != nil:
			s := harTime(at.Add(time.Duration(*sc.MaxAge) * time.Second))
			c.Expires = &s
		case sc.Expires != nil:
			s := harTime(*sc.Expires)
			c.Expires = &s
		}
		resp.Cookies = append(resp.Cookies, c)
		if sc.Rejected {
			e.RejectedCookies = append(e.RejectedCookies, rejected{Name: sc.Name, Index: i, Reasons: append([]string{}, sc.Reasons...)})
		}
	}
	resp.Content = content{MimeType: q.Headers["Content-Type"], Comment: "not recorded by sessiontrace"}
	if resp.Content.MimeType == "" {
		resp.Content.MimeType = "x-unknown"
	}
	return resp
}

// queryString lists a URL's query parameters in order, decoded.
func queryString(raw string) []header {
	out := []header{}
	_, q, ok := strings.Cut(raw, "?")
	if !ok {
		return out
	}
	q, _, _ = strings.Cut(q, "#")
	for _, p := range strings.Split(q, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		out = append(out, header{Name: k, Value: v})
	}
	return out
}

// uriEscape percent-encodes what a URI may not hold after its authority
// (the "[value:...]" and "[secret]" markers of scrubbed URLs among them),
// so that the HAR's request URLs are valid URIs.
func uriEscape(raw string) string {
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + 3
		if j := strings.IndexAny(raw[start:], "/?#"); j >= 0 {
			start += j
		} else {
			return raw
		}
	} else if i := strings.Index(raw, ":"); i >= 0 {
		start = i + 1
	}
	var b strings.Builder
	b.WriteString(raw[:start])
	for i := start; i < len(raw); i++ {
		c := raw[i]
		if uriByte(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func uriByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~:/?#@!$&'()*+,;=%", c) >= 0
}
