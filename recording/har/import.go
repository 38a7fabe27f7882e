package har

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/internal/recjson"
	"github.com/sessiontrace/sessiontrace/recording"
)

// Import reads a HAR 1.2 file (from Chrome or Edge DevTools, Firefox,
// Playwright's recordHar, or Export) and turns it into a Recording: each
// entry a Request, in the order the browser started them; the cookies sent
// from each request's Cookie header (and its cookies array); the
// Set-Cookie lines of each response, parsed as browsers do; the pages and
// navigations as steps. Cookie values go through r: fingerprints, and the
// raw values only when r reveals them. file names the HAR in errors.
//
// A HAR does not say which cookies the browser withheld or refused, which
// cookies page script wrote, nor what the jar held: those are unknown in
// the recording (requestExtraInfo and responseExtraInfo are false, the
// steps' jars empty), and a line of Warnings says so. A HAR written by
// Export carries them in "_" fields, which are restored.
//
// Malformed input is an error that names the file, line and column and
// what was expected. A HAR with requests but no cookie at all is not an
// error: the Report is marked Sanitized and says how to export a HAR
// with its cookies. Strings of the recording may share memory with data:
// do not modify data afterwards.
func Import(file string, data []byte, r *recording.Redactor) (*recording.Recording, *Report, error) {
	if r == nil {
		return nil, nil, &recording.DecodeError{File: file, Msg: "har.Import: no Redactor"}
	}
	var hf fileIn
	if err := unmarshalFileIn(data, &hf); err != nil {
		return nil, nil, decodeError(file, data, err)
	}
	if hf.Log == nil {
		var s string
		if recjson.UnmarshalString(hf.Schema, &s) == nil && strings.HasPrefix(s, "sessiontrace.") {
			return nil, nil, &recording.DecodeError{File: file, Msg: fmt.Sprintf("this is a sessiontrace file (schema %q), not a HAR", s)}
		}
		return nil, nil, harErrorAt(file, data, "not a HAR file: no \"log\" object (expected {\"log\": {\"version\": \"1.2\", \"creator\": {...}, \"entries\": [...]}})")
	}
	if hf.Log.Entries == nil {
		return nil, nil, harErrorAt(file, data, "log: no \"entries\" array (a HAR 1.2 log lists its requests in \"entries\")", "log")
	}
	im := &importer{file: file, data: data, red: r, log: hf.Log, rep: &Report{}}
	return im.run()
}

type importer struct {
	file string
	data []byte
	red  *recording.Redactor
	log  *logIn
	rep  *Report

	meta       *metaObject
	metaValues map[string]recording.Value // by fingerprint
	rawValues  map[string]recording.Value // by raw value (runs that revealed values)
	foreign    int                        // values a sessiontrace HAR did not list

	entries []*hEntry // in start order
}

func (im *importer) run() (*recording.Recording, *Report, error) {
	lg := im.log
	if lg.Creator != nil {
		im.rep.Creator = strings.TrimSpace(lg.Creator.Name + " " + lg.Creator.Version)
	}
	if lg.Browser != nil {
		im.rep.Browser = strings.TrimSpace(lg.Browser.Name + " " + lg.Browser.Version)
	}
	im.readMeta()
	if err := im.readEntries(); err != nil {
		return nil, nil, err
	}
	im.noteValues()
	im.linkRedirects()
	rec := &recording.Recording{
		Schema:   recording.Schema,
		Status:   recording.StatusPassed,
		Steps:    []recording.Step{},
		Requests: []recording.Request{},
		Events:   []recording.CookieEvent{},
		Options:  recording.Options{RevealValues: im.red.Reveal(), FingerprintKey: im.red.KeyID()},
	}
	if im.meta != nil {
		im.restoreMeta(rec)
		rec.Steps = im.metaSteps()
	} else {
		rec.Steps = im.harSteps()
	}
	for _, he := range im.entries {
		rec.Requests = append(rec.Requests, im.request(he))
	}
	if len(rec.Events) == 0 {
		// What the requests show, so that every reader (the inspector's
		// timeline, the analysis, a diff) sees the same events.
		rec.Events = recording.DeriveEvents(rec.Requests)
	}
	if im.meta == nil {
		im.describe(rec)
	}
	if im.foreign > 0 {
		im.note(fmt.Sprintf("%d cookie values are not in the values the HAR's _sessiontrace object lists: they were fingerprinted with another key than the rest and compare with nothing", im.foreign))
	}
	im.rep.Entries = len(im.entries)
	im.rep.Pages = len(lg.Pages)
	im.rep.Steps = len(rec.Steps)
	if im.rep.Sanitized {
		rec.Warnings = append([]string{im.rep.Message}, rec.Warnings...)
	}
	rec.Warnings = append(rec.Warnings, im.rep.Notes...)
	return rec, im.rep, nil
}

func (im *importer) note(s string) { im.rep.Notes = append(im.rep.Notes, s) }

// readEntries checks the entries and orders them by start time.
func (im *importer) readEntries() error {
	es := *im.log.Entries
	for i := range es {
		e := &es[i]
		if e.Request.URL == "" {
			return harErrorAt(im.file, im.data, fmt.Sprintf("log.entries[%d].request.url: expected the request's URL (a non-empty string)", i), "log", "entries", i, "request")
		}
		if e.Request.Method == "" {
			return harErrorAt(im.file, im.data, fmt.Sprintf("log.entries[%d].request.method: expected the request's method (a non-empty string)", i), "log", "entries", i, "request")
		}
		he := &hEntry{idx: i, e: e, url: e.Request.URL}
		he.root = he
		if e.StartedDateTime != "" {
			t, ok := parseHARTime(e.StartedDateTime)
			if !ok {
				return harErrorAt(im.file, im.data, fmt.Sprintf("log.entries[%d].startedDateTime: expected an ISO 8601 date and time such as 2026-11-22T00:35:58.337Z, got %q", i, e.StartedDateTime), "log", "entries", i, "startedDateTime")
			}
			he.start = t
			if e.Time > 0 && e.Time < 1e12 {
				he.end = t.Add(time.Duration(math.Round(e.Time * float64(time.Millisecond))))
			}
		}
		im.entries = append(im.entries, he)
	}
	missing := 0
	for _, he := range im.entries {
		if he.start.IsZero() {
			missing++
		}
	}
	if missing > 0 {
		im.note(fmt.Sprintf("%d entries have no startedDateTime: they keep their place in the file and have no time", missing))
	} else {
		sort.SliceStable(im.entries, func(i, j int) bool { return im.entries[i].start.Before(im.entries[j].start) })
	}
	for i, p := range im.log.Pages {
		if p.StartedDateTime != "" {
			if _, ok := parseHARTime(p.StartedDateTime); !ok {
				return harErrorAt(im.file, im.data, fmt.Sprintf("log.pages[%d].startedDateTime: expected an ISO 8601 date and time such as 2026-11-22T00:35:58.337Z, got %q", i, p.StartedDateTime), "log", "pages", i, "startedDateTime")
			}
		}
	}
	return nil
}

// parseHARTime parses an ISO 8601 date-time as HAR writers spell it
// (RFC 3339, with or without the colon in the zone offset).
func parseHARTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// headers returns every value of the header called name (any case).
func headerValues(hs []header, name string) []string {
	var out []string
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			out = append(out, h.Value)
		}
	}
	return out
}

func firstHeader(hs []header, name string) string {
	if v := headerValues(hs, name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// setCookieLines returns the Set-Cookie lines of a response: one header
// entry per line, or several lines joined with "\n" as some tools write.
func setCookieLines(hs []header) []string {
	var out []string
	for _, v := range headerValues(hs, "set-cookie") {
		out = append(out, recording.SplitSetCookie(v)...)
	}
	return out
}

func cookieHeader(hs []header) string {
	return strings.Join(headerValues(hs, "cookie"), "; ")
}

// noteValues tells the redactor every raw cookie value of the HAR first,
// so that every URL and header is scrubbed of all of them.
func (im *importer) noteValues() {
	note := func(v string) {
		if !im.isPlaceholder(v) {
			im.red.Note(v)
		}
	}
	for _, he := range im.entries {
		e := he.e
		for _, c := range e.Request.Cookies {
			note(c.Value)
		}
		for _, p := range recording.ParseCookieHeader(cookieHeader(e.Request.Headers)) {
			note(p[1])
		}
		for _, c := range e.Response.Cookies {
			note(c.Value)
		}
		for _, l := range setCookieLines(e.Response.Headers) {
			_, v, _ := recording.SetCookieParts(l)
			note(v)
		}
		if _, cred := recording.SplitAuthorization(firstHeader(e.Request.Headers, "authorization")); cred != "" {
			note(cred)
		}
		var bl []blocked
		if im.meta != nil && lenient(e.BlockedReasons, &bl, unmarshalBlockedList) {
			for _, b := range bl {
				note(b.Value)
			}
		}
	}
}

// scrub removes cookie values and secrets from text; in a HAR written by
// Export it also restores the markers that were percent-encoded to keep
// URLs valid.
func (im *importer) scrub(s string) string {
	if im.meta != nil {
		s = recording.UnescapePlaceholders(s)
	}
	return im.red.Scrub(s)
}

// location is the redirect target a response named: its Location header,
// else the HAR's redirectURL.
func location(e *entryIn) string {
	if l := firstHeader(e.Response.Headers, "location"); l != "" {
		return l
	}
	return e.Response.RedirectURL
}

// chromeResourceTypes maps Chrome's HAR spelling of resource types (the
// DevTools frontend's names) to the DevTools protocol's, which recordings
// use.
var chromeResourceTypes = map[string]string{
	"document": "Document", "stylesheet": "Stylesheet", "image": "Image", "media": "Media", "font": "Font",
	"script": "Script", "texttrack": "TextTrack", "xhr": "XHR", "fetch": "Fetch", "prefetch": "Prefetch",
	"eventsource": "EventSource", "websocket": "WebSocket", "manifest": "Manifest", "signed-exchange": "SignedExchange",
	"ping": "Ping", "csp-violation-report": "CSPViolationReport", "preflight": "Preflight", "fedcm": "FedCM", "other": "Other",
}

func protocolResourceType(t string) string {
	if p, ok := chromeResourceTypes[strings.ToLower(t)]; ok {
		return p
	}
	return t
}

// httpVersion spells a HAR's httpVersion as the DevTools protocol does
// (http/1.1, h2, h3).
func httpVersion(v string) string {
	l := strings.ToLower(strings.TrimSpace(v))
	switch l {
	case "h2", "http/2", "http/2.0":
		return "h2"
	case "h3", "http/3", "http/3.0":
		return "h3"
	}
	return l
}

// initiator reads Chrome's _initiator: {type, url, stack: {callFrames}}.
func initiator(raw rawJSON) (typ, u string) {
	var in initiatorIn
	if lenient(raw, &in, unmarshalInitiatorIn) {
		u = in.URL
		if u == "" && in.Stack != nil && len(in.Stack.CallFrames) > 0 {
			u = in.Stack.CallFrames[0].URL
		}
		return in.Type, u
	}
	return lenientString(raw), ""
}

func boolOf(raw rawJSON) bool {
	var b bool
	lenient(raw, &b, recjson.UnmarshalBool)
	return b
}

func lenientString(raw rawJSON) string {
	var s string
	lenient(raw, &s, recjson.UnmarshalString)
	return s
}

// request turns one entry into a Request.
func (im *importer) request(he *hEntry) recording.Request {
	e := he.e
	q := recording.Request{
		ID: he.id, Step: he.step, Method: e.Request.Method, URL: im.scrub(he.url),
		ResourceType: protocolResourceType(lenientString(e.ResourceType)),
		Start:        he.start, End: he.end,
		StatusText: e.Response.StatusText,
		Protocol:   httpVersion(e.Response.HTTPVersion),
		Referrer:   im.scrub(firstHeader(e.Request.Headers, "referer")),
	}
	if st := int(e.Response.Status); st > 0 {
		q.Status = st
	}
	if a := firstHeader(e.Request.Headers, "authorization"); a != "" {
		scheme, cred := recording.SplitAuthorization(a)
		q.Authorization = &recording.Credential{Scheme: scheme, Value: im.value(cred)}
	}
	if q.Protocol == "" {
		q.Protocol = httpVersion(e.Request.HTTPVersion)
	}
	typ, iu := initiator(e.Initiator)
	q.Initiator, q.InitiatorURL = typ, im.scrub(iu)
	if im.meta != nil {
		// Which target made it: sessiontrace's own, as its HARs say.
		q.Target = im.scrub(lenientString(e.Target))
	}
	if he.parent != nil {
		q.RedirectedFrom = he.parent.id
		var chain []string
		for p := he.parent; p != nil; p = p.parent {
			chain = append([]string{im.scrub(p.url)}, chain...)
		}
		q.RedirectChain = chain
	}
	if st := int(e.Response.Status); st >= 300 && st <= 399 || firstHeader(e.Response.Headers, "location") != "" {
		q.Location = im.scrub(location(e))
	}
	custom := ""
	if im.meta != nil {
		custom = im.meta.Scenario.NodeHeader
	}
	for _, n := range recording.NodeHeaderNames(custom) {
		if v := firstHeader(e.Response.Headers, n); v != "" {
			q.Node, q.NodeHeader = im.scrub(v), n
			break
		}
	}
	for _, k := range keptHeaders {
		if vs := headerValues(e.Response.Headers, k); len(vs) > 0 {
			if q.Headers == nil {
				q.Headers = map[string]string{}
			}
			q.Headers[k] = im.scrub(strings.Join(vs, "\n"))
		}
	}
	if f := lenientString(e.Response.Error); f != "" {
		q.Failed = im.scrub(f)
	} else if f := lenientString(e.Response.FailureText); f != "" {
		q.Failed = im.scrub(f)
	}
	q.CookiesSent = im.sentCookies(he)
	q.SetCookies = im.setCookies(he)
	if im.meta != nil {
		im.restoreExtra(&q, e)
	}
	return q
}

// restoreExtra reads what only sessiontrace's HARs hold of a request:
// whether the browser sent the cookie details, the cookies it withheld
// and the Set-Cookie lines it refused.
func (im *importer) restoreExtra(q *recording.Request, e *entryIn) {
	q.RequestExtraInfo = boolOf(e.RequestExtra)
	q.ResponseExtraInfo = boolOf(e.ResponseExtra)
	var bl []blocked
	if lenient(e.BlockedReasons, &bl, unmarshalBlockedList) {
		for _, b := range bl {
			q.CookiesWithheld = append(q.CookiesWithheld, recording.SentCookie{Name: b.Name, Domain: b.Domain, Path: b.Path,
				Value: im.value(b.Value), Reasons: b.Reasons, Exemption: b.Exemption})
		}
	}
	var rj []rejected
	if lenient(e.RejectedCookies, &rj, unmarshalRejectedList) {
		for _, x := range rj {
			i := x.Index
			if i < 0 || i >= len(q.SetCookies) || q.SetCookies[i].Name != x.Name {
				i = -1
				for j := range q.SetCookies {
					if q.SetCookies[j].Name == x.Name && !q.SetCookies[j].Rejected {
						i = j
						break
					}
				}
			}
			if i >= 0 {
				q.SetCookies[i].Rejected, q.SetCookies[i].Reasons = true, x.Reasons
			}
		}
	}
}

// sentCookies reads the cookies a request sent: its Cookie header, which
// is complete, with each cookie's domain and path from the cookies array
// when it has them; the cookies array alone when the header is missing.
func (im *importer) sentCookies(he *hEntry) []recording.SentCookie {
	e := he.e
	arr := e.Request.Cookies
	used := make([]bool, len(arr))
	match := func(name, value string) *cookieIn {
		for i := range arr {
			if !used[i] && arr[i].Name == name && arr[i].Value == value {
				used[i] = true
				return &arr[i]
			}
		}
		return nil
	}
	var out []recording.SentCookie
	pairs := recording.ParseCookieHeader(cookieHeader(e.Request.Headers))
	if len(pairs) > 0 {
		for _, p := range pairs {
			sc := recording.SentCookie{Name: p[0], Value: im.value(p[1])}
			if c := match(p[0], p[1]); c != nil {
				sc.Domain, sc.Path = deref(c.Domain), deref(c.Path)
				sc.Exemption = lenientString(c.Exemption)
			}
			out = append(out, sc)
		}
		return out
	}
	for _, c := range arr {
		out = append(out, recording.SentCookie{Name: c.Name, Domain: deref(c.Domain), Path: deref(c.Path), Value: im.value(c.Value),
			Exemption: lenientString(c.Exemption)})
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// setCookies reads the Set-Cookie lines of a response; when the HAR has
// none, the response's cookies array, for the cookies whose attributes it
// gives.
func (im *importer) setCookies(he *hEntry) []recording.SetCookie {
	e := he.e
	at := he.end
	if at.IsZero() {
		at = he.start
	}
	scratch := recording.NewRedactor(nil, false) // values are made below, by im.value
	var out []recording.SetCookie
	if lines := setCookieLines(e.Response.Headers); len(lines) > 0 {
		for i, l := range lines {
			sc := recording.ParseSetCookie(l, at, scratch)
			_, raw, _ := recording.SetCookieParts(l)
			sc.Value = im.value(raw)
			sc.Size = len(sc.Name) + sc.Value.Len
			sc.Attributes = im.scrub(sc.Attributes)
			if im.meta != nil && len(e.Response.Cookies) == len(lines) {
				if pe := lenientString(e.Response.Cookies[i].ParseError); pe != "" {
					sc.ParseError = pe
				}
			}
			out = append(out, sc)
		}
		return out
	}
	skipped := 0
	for _, c := range e.Response.Cookies {
		if c.Path == nil && c.Domain == nil && c.HTTPOnly == nil && c.Secure == nil && len(c.SameSite) == 0 && len(c.Expires) == 0 {
			skipped++
			continue
		}
		v := im.value(c.Value)
		sc := recording.SetCookie{Name: c.Name, Value: v, Size: len(c.Name) + v.Len, Domain: deref(c.Domain), Path: deref(c.Path),
			SameSite: lenientString(c.SameSite)}
		if c.HTTPOnly != nil {
			sc.HTTPOnly = *c.HTTPOnly
		}
		if c.Secure != nil {
			sc.Secure = *c.Secure
		}
		if t, ok := cookieExpires(c.Expires); ok {
			sc.Expires = &t
		}
		sc.Deletion = recording.IsDeletion(nil, sc.Expires, at) || c.Value == "" && sc.Expires != nil && !sc.Expires.After(at.Add(time.Second))
		out = append(out, sc)
	}
	if len(out) > 0 {
		im.note(fmt.Sprintf("%s %s: no Set-Cookie header, so its cookies were read from the response's cookies array (the raw attributes, Max-Age among them, are unknown)", e.Request.Method, im.scrub(he.url)))
	}
	if skipped > 0 {
		im.note(fmt.Sprintf("%s %s: %d response cookies are known by name and value only (no Set-Cookie header): left out, as their attributes are unknown", e.Request.Method, im.scrub(he.url), skipped))
	}
	return out
}

// cookieExpires reads a cookies array's expires: an ISO 8601 string (as
// HAR says), an HTTP date, or seconds since the epoch.
func cookieExpires(raw rawJSON) (time.Time, bool) {
	var s string
	if lenient(raw, &s, recjson.UnmarshalString) {
		if t, ok := parseHARTime(s); ok {
			return t, true
		}
		if t, err := recording.ParseHTTPTime(s); err == nil {
			return t.UTC(), true
		}
		return time.Time{}, false
	}
	var f float64
	if lenient(raw, &f, recjson.UnmarshalFloat) && f > 0 && f < 1e11 {
		return time.Unix(int64(f), 0).UTC(), true
	}
	return time.Time{}, false
}
