package harness

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/internal/words"
	"github.com/sessiontrace/sessiontrace/recording"
)

// keptHeaders are the response headers stored with each request.
var keptHeaders = []string{"Cache-Control", "Pragma", "Content-Type", "Expires"}

// stepRun is what the runner knows about one step when the recording is
// built.
type stepRun struct {
	rec   recording.Step
	jar   []cdpCookie
	jarOK bool
	jarAt time.Time
	// jarAsked is when the jar read was sent: events before it are
	// reflected in the jar.
	jarAsked time.Time
	cleared  string // why the harness emptied (part of) the jar in this step: "clearCookies", "restart"
	harness  []recording.CookieEvent
	storage  *storageRead // the page's Web Storage after the step, when read (as: logout)
}

// builder turns what a collector gathered into the parts of a Recording.
type builder struct {
	c          *collector
	red        *recording.Redactor
	steps      []stepRun
	pages      []pageFacts
	nodeHeader string
	reqs       []recording.Request
	events     []recording.CookieEvent
	storage    []recording.StorageEvent
	unknown    map[string]bool
	missing    int
	// cut holds the recorded form of each URL longer than maxURLBytes: a
	// huge URL repeats in many events, and is scrubbed once.
	cut map[string]string
	// sets describes the set events built from a Set-Cookie line or a
	// script write, by index in events (see addLostSets).
	sets map[int]setInfo
	// load is, per step that read the jar, how many cookies each site had
	// (see siteLoad).
	load map[int]map[string]int
}

// url is a URL as recorded: scrubbed, and cut at maxURLBytes.
func (b *builder) url(raw string) string {
	if len(raw) <= maxURLBytes {
		return b.red.Scrub(raw)
	}
	if v, ok := b.cut[raw]; ok {
		return v
	}
	// Scrub a prefix only, so that a huge URL costs no more than a normal
	// one; the margin holds any cookie value (at most 4096 bytes), so a
	// value at the cut is scrubbed whole before the final cut.
	v := clipURL(b.red.Scrub(raw[:min(len(raw), 2*maxURLBytes)]), len(raw))
	if b.cut == nil {
		b.cut = map[string]string{}
	}
	b.cut[raw] = v
	return v
}

func (b *builder) stepFor(t time.Time) int {
	i := 0
	for j, s := range b.steps {
		if !s.rec.Start.IsZero() && !t.Before(s.rec.Start) {
			i = j
		}
	}
	return i
}

// build fills rec's Steps, Requests, Events and Protocol. It holds the
// collector's lock, so it can run while events still arrive.
func (b *builder) build(rec *recording.Recording) {
	c := b.c
	c.mu.Lock()
	defer c.mu.Unlock()
	b.unknown = map[string]bool{}
	b.storage = nil
	b.noteValues()
	for _, h := range c.order {
		// The browser's own error page (chrome-error://) loads its icons
		// as data: requests: the site made none of them.
		if strings.HasPrefix(h.req.Initiator, "chrome-error:") || strings.HasPrefix(h.req.DocumentURL, "chrome-error:") {
			continue
		}
		b.addRequest(h)
	}
	b.addScriptWrites()
	b.addIssues()
	rec.Steps = b.buildSteps()
	rec.Pages = b.buildPages()
	b.siteLoad()
	b.addJarDiffs()
	b.addLostSets()
	sort.SliceStable(b.events, func(i, j int) bool { return b.events[i].Time.Before(b.events[j].Time) })
	rec.Requests = b.reqs
	rec.Events = b.events
	rec.Storage = b.storage
	if rec.Requests == nil {
		rec.Requests = []recording.Request{}
	}
	if rec.Events == nil {
		rec.Events = []recording.CookieEvent{}
	}
	total, issues := c.log.snapshot()
	rec.Protocol.Events = c.events
	rec.Protocol.DecodeErrors = total
	rec.Protocol.DecodeIssues = nil
	for _, is := range issues {
		rec.Protocol.DecodeIssues = append(rec.Protocol.DecodeIssues, recording.DecodeIssue{Method: is.method, Field: is.field, Error: is.err, Count: is.count})
	}
	rec.Protocol.MissingExtraInfo = b.missing
	for _, d := range c.dialogs {
		rec.Warnings = appendOnce(rec.Warnings, fmt.Sprintf("step %d: the page opened a JavaScript dialog (%s); the harness accepted it", b.stepFor(d.at), b.red.Scrub(d.v)))
	}
	if more := c.dialogsAll - len(c.dialogs); more > 0 {
		rec.Warnings = appendOnce(rec.Warnings, fmt.Sprintf("the pages opened %d more JavaScript dialogs, all accepted and not noted one by one", more))
	}
	for _, at := range c.crashes {
		rec.Warnings = appendOnce(rec.Warnings, fmt.Sprintf("step %d: the page crashed (its renderer process died)", b.stepFor(at)))
	}
	b.addWindows(rec)
	for _, tg := range c.targets {
		if !b.missed(tg) {
			continue
		}
		what := "requests started"
		if u := b.firstPageMissed(tg); u != "" {
			what += " (its first page, " + b.url(u) + ", among them)"
		}
		rec.Warnings = appendOnce(rec.Warnings, fmt.Sprintf("%s: %s before the recording was on in it (another DevTools client of the browser let it run first, as a browser pool's own client can): not recorded; the cookies they set show as jar changes", b.targetLabel(tg), what))
	}
	for _, te := range c.targetErrs {
		rec.Warnings = appendOnce(rec.Warnings, fmt.Sprintf("%s: its recording could not be set up (%s); some of its requests may be missing", b.targetLabel(te.tg), b.red.Scrub(te.err)))
	}
	if n := len(b.cut); n > 0 {
		rec.Warnings = appendOnce(rec.Warnings, fmt.Sprintf("%s longer than %d bytes: cut there in this recording (marked \"...[URL cut: N bytes]\")", words.Count(n, "URL", "URLs"), maxURLBytes))
	}
	rec.Protocol.UnknownReasons = nil
	for r := range b.unknown {
		rec.Protocol.UnknownReasons = append(rec.Protocol.UnknownReasons, r)
	}
	sort.Strings(rec.Protocol.UnknownReasons)
}

// noteValues tells the redactor every raw cookie value first, so that URLs
// built afterwards are scrubbed of all of them.
func (b *builder) noteValues() {
	c := b.c
	for _, xs := range c.reqExtra {
		for _, x := range xs {
			for _, ac := range x.Cookies {
				b.red.Note(ac.Cookie.Value)
			}
		}
	}
	for _, xs := range c.respExtra {
		for _, x := range xs {
			for _, l := range recording.SplitSetCookie(headerValue(x.Headers, "set-cookie")) {
				_, v, _ := recording.SetCookieParts(l)
				b.red.Note(v)
			}
		}
	}
	for _, s := range b.steps {
		for _, ck := range s.jar {
			b.red.Note(ck.Value)
		}
	}
	for _, w := range c.scripts {
		b.red.Note(w.v.Value)
		_, v, _ := recording.SetCookieParts(w.v.Cookie)
		b.red.Note(v)
	}
	for _, h := range c.order {
		b.noteCredential(h.req.Authorization)
	}
	for _, xs := range c.reqExtra {
		for _, x := range xs {
			b.noteCredential(headerValue(x.Headers, "authorization"))
		}
	}
	b.noteStorage()
}

func (b *builder) checkReasons(rs []string) {
	for _, r := range rs {
		if _, ok := recording.Reasons[r]; !ok {
			b.unknown[r] = true
		}
	}
}

// targetOf is the target a hop belongs to: the one whose session
// reported it, or, for the navigation of a frame in its own process, which
// the tab's session reports (before the frame's target exists), the frame
// (an out-of-process frame's target id is its frame id).
func (b *builder) targetOf(h *hop) *targetRec {
	if h.tg != nil || h.req.FrameID == "" {
		return h.tg
	}
	for _, tg := range b.c.targets {
		if tg.kind == "iframe" && tg.id == h.req.FrameID {
			return tg
		}
	}
	return nil
}

// extraID is the id under which a hop's ExtraInfo events are filed. The
// browser reports those of a worker's request on the session of the page
// that started the worker, under the worker's request id: for a target's
// request without ExtraInfo of its own, the ExtraInfo of the same id on an
// enclosing session, when no request of that session claims them.
func (b *builder) extraID(h *hop) string {
	c, id := b.c, h.req.ID
	has := func(k string) bool { return len(c.reqExtra[k]) > 0 || len(c.respExtra[k]) > 0 }
	if h.tg == nil || has(id) {
		return id
	}
	raw := strings.TrimPrefix(id, h.tg.prefix)
	for p := h.tg.parent; ; p = p.parent {
		k := raw
		if p != nil {
			k = p.prefix + raw
		}
		if len(c.hops[k]) == 0 && has(k) {
			return k
		}
		if p == nil {
			return id
		}
	}
}

// missed reports whether requests of tg are missing from the recording
// because they started before the recording was on in it.
func (b *builder) missed(tg *targetRec) bool {
	return b.unseen(tg) > 0 || b.firstPageMissed(tg) != ""
}

// firstPageMissed returns the first URL a popup showed when no document
// request of the popup has it: the page loaded whole before the recording
// was on in the popup, so not even its end was reported.
func (b *builder) firstPageMissed(tg *targetRec) string {
	if tg.kind != "page" {
		return ""
	}
	for _, p := range b.c.popups {
		if p.id != tg.id || !isHTTP(p.first) {
			continue
		}
		first, _, _ := strings.Cut(p.first, "#")
		for _, h := range b.c.order {
			if u, _, _ := strings.Cut(h.req.URL, "#"); h.tg == tg && h.req.Type == "Document" && u == first {
				return ""
			}
		}
		return p.first
	}
	return ""
}

// unseen counts the requests of tg that answered with no start seen
// (noteUnseen), leaving out those whose start an enclosing session
// reported: the browser reports a worker's script fetch, and the
// navigation of a frame in its own process, on the session of the page
// that made them, under the same request id.
func (b *builder) unseen(tg *targetRec) int {
	n := 0
	for id := range tg.unseen {
		raw := strings.TrimPrefix(id, tg.prefix)
		seen := false
		for p := tg.parent; !seen; p = p.parent {
			k := raw
			if p != nil {
				k = p.prefix + raw
			}
			seen = len(b.c.hops[k]) > 0
			if p == nil {
				break
			}
		}
		if !seen {
			n++
		}
	}
	return n
}

// targetLabel is the short, stable name of a target in the recording (see
// docs/recording.md): its kind, the popup's number, the frame's site,
// after its parent's label when it is not the tab's own.
func (b *builder) targetLabel(tg *targetRec) string {
	if tg == nil {
		return ""
	}
	var own string
	switch tg.kind {
	case "page":
		own = "popup"
		for i, p := range b.c.popups {
			if p.id == tg.id {
				own = "popup " + strconv.Itoa(i+1)
			}
		}
	case "iframe":
		own = "frame"
		u := tg.doc
		for _, h := range b.c.order {
			if u == "" && h.tg == nil && h.req.FrameID == tg.id && h.req.Type == "Document" {
				u = h.req.URL
			}
		}
		if u == "" {
			u = tg.url
		}
		// Scheme and host without the port: the same frame gets the
		// same label from run to run (the lab's ports change).
		if pu, err := url.Parse(u); err == nil && pu.Scheme != "" && pu.Hostname() != "" {
			own += " " + pu.Scheme + "://" + pu.Hostname()
		}
	case "worker":
		own = "worker"
	default:
		own = strings.ReplaceAll(tg.kind, "_", " ")
	}
	if tg.parent != nil {
		return b.targetLabel(tg.parent) + " > " + own
	}
	return own
}

func hopID(h *hop) string {
	if h.n == 0 {
		return h.req.ID
	}
	return h.req.ID + "." + strconv.Itoa(h.n)
}

func (b *builder) addRequest(h *hop) {
	c := b.c
	start := c.wallTime(h.req.Timestamp, h.arrival)
	r := recording.Request{
		ID: hopID(h), Step: b.stepFor(start), Target: b.targetLabel(b.targetOf(h)), Method: h.req.Method, URL: b.url(h.req.URL),
		ResourceType: h.req.Type, Start: start, Initiator: h.req.InitiatorType,
		InitiatorURL: b.url(h.req.Initiator), Referrer: b.url(h.req.Referrer),
		Authorization: b.credential(h.req.Authorization),
	}
	chain := c.hops[h.req.ID]
	if h.n > 0 {
		r.RedirectedFrom = hopID(chain[h.n-1])
		for _, p := range chain[:h.n] {
			r.RedirectChain = append(r.RedirectChain, b.url(p.req.URL))
		}
	}
	last := h.n == len(chain)-1
	resp, respTS, hasXtra := h.resp, h.respTS, h.hasXtra
	if last {
		if ev, ok := c.responses[h.req.ID]; ok {
			resp, respTS, hasXtra = ev.Response, ev.Timestamp, ev.HasExtraInfo
		}
		if l, ok := c.loading[h.req.ID]; ok {
			r.End = c.wallTime(l.Timestamp, time.Time{})
			if l.Failed {
				r.Failed = l.ErrorText
				if l.BlockedReason != "" {
					r.Failed += " (" + l.BlockedReason + ")"
				}
			}
		}
	} else {
		r.End = c.wallTime(respTS, time.Time{})
	}
	respTime := c.wallTime(respTS, start)
	var rx *evResponseExtra
	xid := b.extraID(h)
	if xs := c.respExtra[xid]; h.n < len(xs) {
		rx = &xs[h.n]
	}
	b.addResponse(&r, resp, rx)
	if xs := c.reqExtra[xid]; h.n < len(xs) {
		r.RequestExtraInfo = true
		b.addSent(&r, xs[h.n].Cookies, start)
		if r.Authorization == nil {
			// Added by the network stack (HTTP authentication): only in
			// the raw headers.
			r.Authorization = b.credential(headerValue(xs[h.n].Headers, "authorization"))
		}
	}
	var setHeader string
	if rx != nil {
		r.ResponseExtraInfo = true
		setHeader = headerValue(rx.Headers, "set-cookie")
	} else if resp != nil {
		setHeader = headerValue(resp.Headers, "set-cookie")
	}
	if isHTTP(h.req.URL) && (hasXtra && rx == nil) {
		b.missing++
	}
	b.addSetCookies(&r, h.req.URL, setHeader, rx, respTime)
	b.reqs = append(b.reqs, r)
}

// addResponse records the response of a hop: status, redirect target,
// serving node and the headers kept. rx, the raw headers, may be nil.
func (b *builder) addResponse(r *recording.Request, resp *response, rx *evResponseExtra) {
	if resp == nil {
		if rx != nil {
			r.Status = rx.Status
		}
		return
	}
	r.Status, r.StatusText, r.Protocol = resp.Status, resp.StatusText, resp.Protocol
	headers := resp.Headers
	if rx != nil && len(rx.Headers) > 0 {
		// The raw headers are complete (Set-Cookie included); the
		// response's own fill any gap.
		headers = mergeHeaders(rx.Headers, resp.Headers)
	}
	r.Location = b.url(headerValue(headers, "location"))
	r.Node, r.NodeHeader = b.node(headers)
	for _, k := range keptHeaders {
		if v := headerValue(headers, k); v != "" {
			if r.Headers == nil {
				r.Headers = map[string]string{}
			}
			r.Headers[k] = b.red.Scrub(v)
		}
	}
}

// addSent records the cookies the browser attached to a hop or withheld
// from it (with its reasons), each as a cookie of the request and an
// event at start.
func (b *builder) addSent(r *recording.Request, cookies []associatedCookie, start time.Time) {
	for _, ac := range cookies {
		b.checkReasons(ac.Reasons)
		sc := recording.SentCookie{
			Name: ac.Cookie.Name, Domain: ac.Cookie.Domain, Path: ac.Cookie.Path,
			Value: b.red.Value(ac.Cookie.Value), Reasons: ac.Reasons, Exemption: ac.Exemption,
		}
		if sc.Exemption == "None" {
			sc.Exemption = ""
		}
		ev := recording.CookieEvent{Time: start, Step: r.Step, Kind: recording.EventSent, Source: recording.SourceHTTP,
			Name: sc.Name, Domain: sc.Domain, Path: sc.Path, Value: &sc.Value, Request: r.ID, URL: r.URL}
		if len(ac.Reasons) > 0 {
			r.CookiesWithheld = append(r.CookiesWithheld, sc)
			ev.Kind, ev.Reasons = recording.EventWithheld, ac.Reasons
		} else {
			r.CookiesSent = append(r.CookiesSent, sc)
		}
		b.events = append(b.events, ev)
	}
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func mergeHeaders(primary, secondary map[string]string) map[string]string {
	out := make(map[string]string, len(primary)+len(secondary))
	for k, v := range secondary {
		out[strings.ToLower(k)] = v
	}
	for k, v := range primary {
		out[strings.ToLower(k)] = v
	}
	return out
}

func (b *builder) node(headers map[string]string) (node, header string) {
	for _, n := range recording.NodeHeaderNames(b.nodeHeader) {
		if v := headerValue(headers, n); v != "" {
			return v, n
		}
	}
	return "", ""
}

// addSetCookies parses the response's Set-Cookie lines, marks the ones the
// browser blocked, and adds their events.
func (b *builder) addSetCookies(r *recording.Request, rawURL, header string, rx *evResponseExtra, at time.Time) {
	lines := recording.SplitSetCookie(header)
	blocked := map[string][]string{}
	if rx != nil {
		for _, bc := range rx.Blocked {
			b.checkReasons(bc.Reasons)
			for _, line := range recording.SplitSetCookie(bc.Line) { // one line, trimmed as those of the header
				blocked[line] = append(blocked[line], bc.Reasons...)
				if !containsLine(lines, line) {
					// A blocked line missing from the raw headers (the browser
					// reports it anyway): keep it.
					lines = append(lines, line)
				}
			}
		}
	}
	for _, line := range lines {
		sc := recording.ParseSetCookie(line, at, b.red)
		sc.Attributes = b.red.Scrub(sc.Attributes)
		if rs, ok := blocked[line]; ok && len(rs) > 0 {
			sc.Rejected, sc.Reasons = true, rs
		}
		r.SetCookies = append(r.SetCookies, sc)
		domain, path := sc.Identity(rawURL)
		ev := recording.CookieEvent{Time: at, Step: r.Step, Source: recording.SourceHTTP, Name: sc.Name,
			Domain: domain, Path: path, Value: &sc.Value, Request: r.ID, URL: r.URL}
		switch {
		case sc.Rejected:
			ev.Kind, ev.Reasons = recording.EventRejected, sc.Reasons
		case sc.Deletion:
			ev.Kind = recording.EventDeleted
		default:
			ev.Kind = recording.EventSet
			b.noteSet(setInfo{expires: expiryOf(sc, at)})
		}
		b.events = append(b.events, ev)
	}
}

func containsLine(lines []string, l string) bool {
	for _, x := range lines {
		if x == l {
			return true
		}
	}
	return false
}

// addScriptWrites turns the instrumentation's reports into events.
func (b *builder) addScriptWrites() {
	for _, tw := range b.c.scripts {
		w := tw.v
		if strings.HasPrefix(w.Op, "storage.") {
			b.addStorageWrite(tw)
			continue
		}
		step := b.stepFor(tw.at)
		var sc recording.SetCookie
		switch w.Op {
		case "cookieStore.set", "cookieStore.delete":
			line := w.Name + "=" + w.Value
			if w.Domain != "" {
				line += "; Domain=" + w.Domain
			}
			if w.Path != "" {
				line += "; Path=" + w.Path
			}
			if w.Op == "cookieStore.delete" {
				line += "; Max-Age=0"
			} else if ms, ok := w.Expires.(float64); ok && ms > 0 {
				line += "; Expires=" + time.UnixMilli(int64(ms)).UTC().Format(timeFormatCookie)
			}
			if w.SameSite != "" {
				line += "; SameSite=" + w.SameSite
			}
			sc = recording.ParseSetCookie(line, tw.at, b.red)
		default:
			sc = recording.ParseSetCookie(w.Cookie, tw.at, b.red)
		}
		domain, path := sc.Identity(w.URL)
		if sc.Path == "" && w.Op != "document.cookie" {
			path = "/" // the CookieStore API defaults to "/"
		}
		ev := recording.CookieEvent{Time: tw.at, Step: step, Kind: recording.EventSet, Source: recording.SourceScript,
			Name: sc.Name, Domain: domain, Path: path, Value: &sc.Value, URL: b.url(w.URL),
			Location: b.url(w.Loc), Detail: w.Op}
		if sc.Deletion {
			ev.Kind = recording.EventDeleted
		}
		if sc.HTTPOnly {
			ev.Detail += ": HttpOnly is not allowed from script; the browser ignores this write"
		}
		if ev.Kind == recording.EventSet {
			b.noteSet(setInfo{expires: expiryOf(sc, tw.at), ignored: sc.HTTPOnly, control: controlChar(w.Cookie + w.Name + w.Value)})
		}
		b.events = append(b.events, ev)
	}
}

const timeFormatCookie = "Mon, 02 Jan 2006 15:04:05 GMT"

// addIssues adds the browser's reports of cookies it excluded when set from
// script: no request carries them, so this is their only trace.
func (b *builder) addIssues() {
	for _, ti := range b.c.issues {
		is := ti.v
		if is.RequestID != "" || is.Operation != "SetCookie" || len(is.Exclusions) == 0 {
			continue
		}
		b.checkReasons(is.Exclusions)
		ev := recording.CookieEvent{Time: ti.at, Step: b.stepFor(ti.at), Kind: recording.EventRejected,
			Source: recording.SourceScript, Name: is.Name, Domain: is.Domain, Path: is.Path,
			URL: b.url(is.URL), Reasons: is.Exclusions, Detail: "excluded when set from script"}
		b.events = append(b.events, ev)
	}
}

func (b *builder) buildPages() []recording.PageFacts {
	var out []recording.PageFacts
	s, u := b.red.Scrub, b.url
	for _, p := range b.pages {
		pf := recording.PageFacts{Request: p.request, Step: p.step, URL: u(p.url), Title: s(p.title),
			MetaRefresh: u(p.metaRefresh), Truncated: p.truncated, Truncation: p.truncation, Size: p.size}
		for _, l := range p.links {
			pf.Links = append(pf.Links, recording.Link{Href: u(l.href), Text: s(l.text), Selector: u(l.selector)})
		}
		for _, f := range p.forms {
			pf.Forms = append(pf.Forms, recording.Form{Action: u(f.action), Method: f.method, Selector: u(f.selector), HasPassword: f.password})
		}
		for _, c := range p.valuesIn {
			pf.CookieValuesInPage = append(pf.CookieValuesInPage, keyOf(c))
		}
		out = append(out, pf)
	}
	return out
}

func (b *builder) buildSteps() []recording.Step {
	out := make([]recording.Step, len(b.steps))
	for i, s := range b.steps {
		st := s.rec
		st.URL = b.url(st.URL)
		st.Error = b.red.Scrub(st.Error)
		st.Detail = b.red.Scrub(st.Detail)
		if st.Auth != nil {
			// The marker's evidence names the page's URL, which may carry a
			// session ID (;jsessionid=): scrubbed like the step's url. A copy:
			// checkpoints build the same steps again.
			a := *st.Auth
			a.Evidence = b.red.Scrub(a.Evidence)
			st.Auth = &a
		}
		st.Jar = b.jar(s.jar)
		if s.storage != nil {
			st.Storage = b.storageItems(s.storage)
		}
		out[i] = st
		b.events = append(b.events, s.harness...)
	}
	return out
}

func (b *builder) jar(cs []cdpCookie) []recording.Cookie {
	out := make([]recording.Cookie, 0, len(cs))
	for _, c := range cs {
		out = append(out, b.cookie(c))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Domain != out[j].Domain {
			return out[i].Domain < out[j].Domain
		}
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Path < out[j].Path
	})
	return out
}

func (b *builder) cookie(c cdpCookie) recording.Cookie {
	rc := recording.Cookie{
		Name: c.Name, Domain: c.Domain, Path: c.Path, Value: b.red.Value(c.Value), Size: c.Size,
		HTTPOnly: c.HTTPOnly, Secure: c.Secure, SameSite: c.SameSite, Session: c.Session,
		Priority: c.Priority, SourceScheme: c.SourceScheme, SourcePort: c.SourcePort, Partition: c.Partition,
	}
	if !c.Session && c.Expires > 0 {
		t := fromSeconds(c.Expires).UTC()
		rc.Expires = &t
	}
	return rc
}

func keyOf(c cdpCookie) recording.CookieKey {
	return recording.CookieKey{Name: c.Name, Domain: c.Domain, Path: c.Path, Partition: c.Partition}
}

// addJarDiffs compares consecutive jar snapshots. What changed with no
// event to explain it becomes an event of its own: the jar is the ground
// truth, the events are the explanation.
func (b *builder) addJarDiffs() {
	var prev map[recording.CookieKey]cdpCookie
	explained := b.explainedBy()
	for i, s := range b.steps {
		if !s.jarOK {
			continue
		}
		cur := map[recording.CookieKey]cdpCookie{}
		for _, c := range s.jar {
			cur[keyOf(c)] = c
		}
		at := s.jarAt
		for k, c := range cur {
			old, had := prev[k]
			if had && old.Value == c.Value {
				continue
			}
			fp := b.red.Value(c.Value)
			if explained[i][unpartitioned(k)][string(recording.EventSet)+fp.Fingerprint] {
				continue
			}
			v := fp
			ev := recording.CookieEvent{Time: at, Step: i, Source: recording.SourceJar, Name: k.Name,
				Domain: k.Domain, Path: k.Path, Value: &v}
			if had {
				ev.Kind, ev.Detail = recording.EventChanged, "the value in the jar changed with no Set-Cookie or script write seen"
			} else {
				ev.Kind, ev.Detail = recording.EventSet, "appeared in the jar with no Set-Cookie or script write seen"
			}
			if b.popupBefore(at) && !b.c.popupsRecorded {
				ev.Detail += " (a popup of the page was open: its requests are not recorded)"
			}
			b.events = append(b.events, ev)
		}
		for k, old := range prev {
			if _, ok := cur[k]; ok {
				continue
			}
			if explained[i][unpartitioned(k)][string(recording.EventDeleted)] {
				continue
			}
			v := b.red.Value(old.Value)
			ev := recording.CookieEvent{Time: at, Step: i, Source: recording.SourceJar, Name: k.Name,
				Domain: k.Domain, Path: k.Path, Value: &v}
			switch {
			case !old.Session && old.Expires > 0 && !fromSeconds(old.Expires).After(at):
				ev.Kind, ev.Detail = recording.EventExpired, "its expiry passed"
			case s.cleared != "":
				ev.Kind, ev.Source, ev.Detail = recording.EventCleared, recording.SourceHarness, "removed by the "+s.cleared+" step"
			default:
				ev.Kind, ev.Detail = recording.EventCleared, "left the jar with no Set-Cookie, script write or expiry seen"
				if note := b.evictionNote(i, k.Domain); note != "" {
					ev.Detail = "left the jar with no deletion or expiry seen: " + note
				}
			}
			b.events = append(b.events, ev)
		}
		prev = cur
	}
}

func unpartitioned(k recording.CookieKey) recording.CookieKey {
	k.Partition = ""
	return k
}

// explainedBy indexes, per step and cookie, the set and delete events that
// explain a jar change: under the step the event belongs to (its
// request's start), the step during which it happened, and the step after
// each. They differ for a response that arrives after its step's jar was
// read (a worker's request, say, started as one step ended), and the
// browser stores a response's cookies a moment after it reports the
// response, so even a jar read after the event may not have them yet.
func (b *builder) explainedBy() []map[recording.CookieKey]map[string]bool {
	out := make([]map[recording.CookieKey]map[string]bool, len(b.steps))
	for i := range out {
		out[i] = map[recording.CookieKey]map[string]bool{}
	}
	for _, e := range b.events {
		if e.Value == nil {
			continue
		}
		var what string
		switch {
		case e.Kind == recording.EventSet:
			what = string(recording.EventSet) + e.Value.Fingerprint
		case e.Kind == recording.EventDeleted, e.Kind == recording.EventCleared && e.Source == recording.SourceHarness:
			what = string(recording.EventDeleted)
		default:
			continue
		}
		k := recording.CookieKey{Name: e.Name, Domain: e.Domain, Path: e.Path}
		at := b.stepFor(e.Time)
		for _, st := range [4]int{e.Step, e.Step + 1, at, at + 1} {
			if st < 0 || st >= len(out) {
				continue
			}
			m := out[st][k]
			if m == nil {
				m = map[string]bool{}
				out[st][k] = m
			}
			m[what] = true
		}
	}
	return out
}
