package analysis

import (
	"sort"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// ckey is a cookie identity without the partition (events do not carry
// one; the jar's partition is kept on the track).
type ckey struct{ name, domain, path string }

func (k ckey) String() string { return k.name + " (" + k.domain + k.path + ")" }

// event is a cookie event with its identity resolved.
// event is a recording's cookie event (shared, never modified: copying
// 100k of them cost more than the rest of the pass) with its identity.
type event struct {
	*recording.CookieEvent
	key ckey
	nid int32 // the name's ID (analyzer.nameID)
	id  int32 // the identity's ID (analyzer.identID)
}

// analyzer holds the indexes of one recording and what was computed.
type analyzer struct {
	r        *recording.Recording
	scenario string
	reveal   bool

	steps     []*recording.Step // in index order
	stepByIdx map[int]*recording.Step
	lastStep  int // the index of the last step that ran

	reqs    []*recording.Request // in recording order
	reqInfo []urlInfo            // what each request's URL says, in recording order
	reqPos  map[string]int       // request ID -> index in reqs (the first with that ID)

	events []event

	// Cookie names and identities get small integer IDs, once per event:
	// the passes over 100k events then index slices instead of hashing
	// strings (in wasm, without AES hashing, map lookups by string were a
	// fifth of the analysis).
	nameIdx   map[string]int32
	nameCache [nameCacheSize]int32 // name ID + 1 of a recent name, by nameSlot; 0: none
	nameList  []string             // by name ID
	known     [][]ckey             // by name ID: identities the recording names fully
	identsOf  [][]int32            // by name ID: the IDs of the identities of that name
	identKeys []ckey               // by identity ID
	// For names with more identities than manyIdents (a cookie set without
	// Path from a thousand directories), a map instead of scans: a scan per
	// event would make the analysis quadratic.
	identMap  map[ckey]int32
	isKnown   []bool   // by identity ID: one of known[its name]
	sess      []bool   // by name ID: a session cookie name (after detect)
	trackByID []*track // by identity ID: its track (after makeTracks)

	names   map[string]string // session cookie name -> detection reason
	tracks  []*track
	byKey   map[ckey]*track
	gapMed  time.Duration // median gap between consecutive requests
	gapMax  time.Duration // longest such gap
	hasAuth bool          // the scenario has a login or privilege step
	now     time.Time     // the time of the event being walked

	auth []StepAuth // the logged-in state after each step, in a.steps order

	store *storageScan // the Web Storage rules' shared reading (webStorage), once made
	// tokens are the lifecycles of the session tokens in Web Storage
	// (tokenTracks), made once when tokensDone.
	tokens     []*tokenTrack
	tokensDone bool

	findings *collector
}

func newAnalyzer(r *recording.Recording) *analyzer {
	a := &analyzer{
		r:         r,
		scenario:  r.Scenario.Name,
		reveal:    r.Options.RevealValues,
		stepByIdx: map[int]*recording.Step{},
		reqPos:    make(map[string]int, len(r.Requests)),
		nameIdx:   map[string]int32{},
		names:     map[string]string{},
		byKey:     map[ckey]*track{},
		lastStep:  0,
	}
	a.findings = newCollector(a.scenario, r.Scenario.File)
	for i := range r.Steps {
		st := &r.Steps[i]
		a.steps = append(a.steps, st)
		if _, dup := a.stepByIdx[st.Index]; !dup {
			a.stepByIdx[st.Index] = st
		}
		if st.Status != recording.StatusSkipped && st.Index > a.lastStep {
			a.lastStep = st.Index
		}
		if st.As == recording.BoundaryLogin || st.As == recording.BoundaryPrivilege {
			a.hasAuth = true
		}
	}
	sort.SliceStable(a.steps, func(i, j int) bool { return a.steps[i].Index < a.steps[j].Index })
	a.reqs = make([]*recording.Request, len(r.Requests))
	a.reqInfo = make([]urlInfo, len(r.Requests))
	for i := range r.Requests {
		q := &r.Requests[i]
		a.reqs[i] = q
		a.reqInfo[i] = infoOf(q.URL)
		if _, dup := a.reqPos[q.ID]; !dup && q.ID != "" {
			a.reqPos[q.ID] = i
		}
	}
	a.computeGaps()
	a.buildEvents(a.collectIdentities())
	return a
}

// run computes everything: detection, lifecycles and resets, findings.
func (a *analyzer) run() {
	a.detect()
	a.makeTracks()
	a.authLane()
	a.walk()
	a.reconcile()
	// The catalogue's checks (Rule.check, Rule.lineCheck); SESSION-RESET
	// findings were reported with the resets.
	a.cookieRules()
	for _, check := range recordingChecks {
		check(a)
	}
}

func (a *analyzer) step(i int) *recording.Step { return a.stepByIdx[i] }

func (a *analyzer) req(id string) *recording.Request {
	if id == "" {
		return nil
	}
	if i, ok := a.reqPos[id]; ok {
		return a.reqs[i]
	}
	return nil
}

// expectsRotation reports whether step i is a privilege boundary where the
// session ID must be replaced (as: login or as: privilege).
func (a *analyzer) expectsRotation(i int) bool {
	st := a.step(i)
	return st != nil && (st.As == recording.BoundaryLogin || st.As == recording.BoundaryPrivilege)
}

func (a *analyzer) isLogout(i int) bool {
	st := a.step(i)
	return st != nil && st.As == recording.BoundaryLogout
}

func (a *analyzer) isSession(name string) bool { _, ok := a.names[name]; return ok }

func reqEnd(q *recording.Request) time.Time {
	if !q.End.IsZero() {
		return q.End
	}
	return q.Start
}

// computeGaps measures the idle gaps between consecutive requests.
func (a *analyzer) computeGaps() {
	var rs []*recording.Request
	for _, q := range a.reqs {
		if !q.Start.IsZero() {
			rs = append(rs, q)
		}
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Start.Before(rs[j].Start) })
	var gaps []time.Duration
	var last time.Time
	for i, q := range rs {
		if i > 0 {
			g := q.Start.Sub(last)
			if g < 0 {
				g = 0
			}
			gaps = append(gaps, g)
		}
		if e := reqEnd(q); e.After(last) {
			last = e
		}
	}
	if len(gaps) == 0 {
		return
	}
	sort.Slice(gaps, func(i, j int) bool { return gaps[i] < gaps[j] })
	a.gapMed = gaps[len(gaps)/2]
	a.gapMax = gaps[len(gaps)-1]
}

// nameID returns the ID of a cookie name, giving it one when new.
func (a *analyzer) nameID(name string) int32 {
	// A direct-mapped cache in front of the map: a recording has few
	// names, and comparing one costs less than hashing it.
	slot := &a.nameCache[nameSlot(name)]
	if *slot > 0 && a.nameList[*slot-1] == name {
		return *slot - 1
	}
	n, ok := a.nameIdx[name]
	if !ok {
		n = a.newName(name)
	}
	*slot = n + 1
	return n
}

const nameCacheSize = 256 // a power of two

// nameSlot picks a name's entry of analyzer.nameCache from its length
// and three of its bytes.
func nameSlot(s string) int {
	h := len(s)
	if len(s) > 0 {
		h = h*31 + int(s[0])*7 + int(s[len(s)/2])*3 + int(s[len(s)-1])
	}
	return h & (nameCacheSize - 1)
}

func (a *analyzer) newName(name string) int32 {
	n := int32(len(a.nameList))
	a.nameIdx[name] = n
	a.nameList = append(a.nameList, name)
	a.known = append(a.known, nil)
	a.identsOf = append(a.identsOf, nil)
	return n
}

// manyIdents is how many identities of one name are scanned before a map
// takes over (see identMap).
var manyIdents = 32 // a variable for TestManyIdentitiesOfOneName

// identID returns the ID of identity k, whose name has ID nid, giving it
// one when new. A name has few identities: a scan beats hashing k.
func (a *analyzer) identID(nid int32, k ckey) int32 {
	ids := a.identsOf[nid]
	if len(ids) <= manyIdents {
		for _, id := range ids {
			if o := a.identKeys[id]; o.domain == k.domain && o.path == k.path {
				return id
			}
		}
	} else if id, ok := a.identMap[k]; ok {
		return id
	}
	id := int32(len(a.identKeys))
	a.identKeys = append(a.identKeys, k)
	ids = append(ids, id)
	a.identsOf[nid] = ids
	if len(ids) > manyIdents {
		if a.identMap == nil {
			a.identMap = map[ckey]int32{}
		}
		if len(ids) == manyIdents+1 {
			for _, o := range ids {
				a.identMap[a.identKeys[o]] = o
			}
		}
		a.identMap[k] = id
	}
	return id
}

// addKnown notes k, whose name has ID nid. Known identities get their
// IDs here, so identID's lookup also tells whether k is known already.
func (a *analyzer) addKnown(nid int32, k ckey) {
	if k.name == "" && k.domain == "" {
		return
	}
	id := a.identID(nid, k)
	for int(id) >= len(a.isKnown) {
		a.isKnown = append(a.isKnown, false)
	}
	if !a.isKnown[id] {
		a.isKnown[id] = true
		a.known[nid] = append(a.known[nid], k)
	}
}

// collectIdentities notes every cookie identity the recording names
// fully: jar entries, events with domain and path, Set-Cookie lines. It
// returns the name IDs of the recording's events.
func (a *analyzer) collectIdentities() []int32 {
	for _, st := range a.steps {
		for _, c := range st.Jar {
			a.addKnown(a.nameID(c.Name), ckey{c.Name, c.Domain, c.Path})
		}
	}
	nids := make([]int32, len(a.r.Events))
	for i := range a.r.Events {
		e := &a.r.Events[i]
		nids[i] = a.nameID(e.Name)
		if e.Domain != "" && e.Path != "" {
			a.addKnown(nids[i], ckey{e.Name, e.Domain, e.Path})
		}
	}
	for qi, q := range a.reqs {
		for i := range q.SetCookies {
			if sc := &q.SetCookies[i]; !sc.Rejected {
				a.addKnown(a.nameID(sc.Name), setCookieKeyAt(a.reqInfo[qi], sc))
			}
		}
	}
	return nids
}

// keyFor resolves the identity of a cookie named by an event or a request
// that may leave out the domain or the path; nid is the name's ID.
func (a *analyzer) keyFor(nid int32, name, domain, path, u string) ckey {
	if domain != "" && path != "" {
		return ckey{name, domain, path}
	}
	var cands []ckey
	for _, k := range a.known[nid] {
		if (domain == "" || k.domain == domain) && (path == "" || k.path == path) {
			cands = append(cands, k)
		}
	}
	if len(cands) == 1 {
		return cands[0]
	}
	host := hostOf(u)
	for _, k := range cands {
		if domainMatches(k.domain, host) {
			return k
		}
	}
	if len(cands) > 0 {
		return cands[0]
	}
	if domain == "" {
		domain = host
	}
	if path == "" {
		path = "/"
	}
	return ckey{name, domain, path}
}

// buildEvents resolves the identities of the recording's events, or, for
// a recording without events (e.g. made from a HAR), derives them from
// the requests. nids are the name IDs of the recording's events.
func (a *analyzer) buildEvents(nids []int32) {
	evs := a.r.Events
	if len(evs) == 0 {
		// A recording without events (written by hand, or by an older HAR
		// import): the ones its requests show.
		evs = recording.DeriveEvents(a.r.Requests)
	}
	// Sized once: a large recording has 100k events, and growing the
	// slice by appends was half of the analysis's allocations.
	a.events = make([]event, 0, len(evs))
	for i := range evs {
		e := &evs[i]
		ev := event{CookieEvent: e}
		u := e.URL
		if u == "" {
			if q := a.req(e.Request); q != nil {
				u = q.URL
			}
		}
		if len(nids) > 0 {
			ev.nid = nids[i]
		} else {
			ev.nid = a.nameID(e.Name)
		}
		ev.key = a.keyFor(ev.nid, e.Name, e.Domain, e.Path, u)
		ev.id = a.identID(ev.nid, ev.key)
		a.events = append(a.events, ev)
	}
}

// sentOn reports whether a cookie called name was attached to request q,
// and whether the request's cookies are known at all.
func sentOn(q *recording.Request, name string) (sent, known bool) {
	for _, c := range q.CookiesSent {
		if c.Name == name {
			return true, true
		}
	}
	return false, q.RequestExtraInfo || len(q.CookiesSent) > 0 || len(q.CookiesWithheld) > 0
}

func withheldOn(q *recording.Request, name string) bool {
	for _, c := range q.CookiesWithheld {
		if c.Name == name {
			return true
		}
	}
	return false
}

// newSessionOn returns the Set-Cookie lines of q's response that start a
// new value for the cookie called name (not a deletion, not old).
func newSessionOn(q *recording.Request, name string, old recording.Value) []*recording.SetCookie {
	var out []*recording.SetCookie
	for i := range q.SetCookies {
		sc := &q.SetCookies[i]
		if sc.Name == name && !sc.Deletion && sc.Value.Len > 0 && !sc.Value.Same(old) {
			out = append(out, sc)
		}
	}
	return out
}

// responseSetsName reports whether q's response has a Set-Cookie for name.
func responseSetsName(q *recording.Request, name string) bool {
	for _, sc := range q.SetCookies {
		if sc.Name == name {
			return true
		}
	}
	return false
}

// loggedOutResponse reports whether q's response looks like "please log
// in": 401 or 440, or a redirect to a login page.
func loggedOutResponse(q *recording.Request) bool {
	if q.Status == 401 || q.Status == 440 {
		return true
	}
	if q.Status >= 300 && q.Status < 400 && q.Location != "" {
		l := strings.ToLower(q.Location)
		for _, w := range []string{"login", "signin", "sign-in", "sign_in", "logon"} {
			if strings.Contains(l, w) {
				return true
			}
		}
	}
	return false
}

// rootOf follows a redirect chain back to its first hop.
func (a *analyzer) rootOf(q *recording.Request) *recording.Request {
	seen := map[string]bool{}
	for q != nil && q.RedirectedFrom != "" && !seen[q.ID] {
		seen[q.ID] = true
		p := a.req(q.RedirectedFrom)
		if p == nil {
			break
		}
		q = p
	}
	return q
}

// prevPageURL is the page URL after the last step that ran before step i.
func (a *analyzer) prevPageURL(i int) string {
	u := ""
	for _, st := range a.steps {
		if st.Index >= i {
			break
		}
		if st.Status != recording.StatusSkipped && st.URL != "" {
			u = st.URL
		}
	}
	return u
}

// howReached names the link, form, redirect or step that led to request q:
// "link #plain-link on https://...", "redirect from https://...",
// "click #plain-link on https://...", or "" when unknown.
func (a *analyzer) howReached(q *recording.Request) string {
	seen := map[string]bool{}
	for hop := q; hop != nil && hop.RedirectedFrom != "" && !seen[hop.ID]; {
		seen[hop.ID] = true
		prev := a.req(hop.RedirectedFrom)
		if prev == nil {
			break
		}
		if schemeOf(prev.URL) != schemeOf(hop.URL) {
			return "redirect from " + prev.URL
		}
		hop = prev
	}
	root := a.rootOf(q)
	if root == nil {
		return ""
	}
	if via := a.pageLinkTo(root); via != "" {
		return via
	}
	st := a.step(root.Step)
	if st != nil {
		switch st.Kind {
		case recording.StepClick, recording.StepSubmit, recording.StepPress:
			if prev := a.prevPageURL(root.Step); prev != "" {
				return stepAction(st) + " on " + prev
			}
			return stepAction(st)
		case recording.StepGoto:
			return "the scenario's " + stepAction(st)
		}
	}
	return ""
}

// pageLinkTo finds, on the last page before request root, the link, form
// or meta refresh whose target is root's URL.
func (a *analyzer) pageLinkTo(root *recording.Request) string {
	rootPos, okPos := a.reqPos[root.ID]
	for i := len(a.r.Pages) - 1; i >= 0; i-- {
		p := &a.r.Pages[i]
		if p.Step > root.Step {
			continue
		}
		if pos, ok := a.reqPos[p.Request]; ok && okPos && pos >= rootPos {
			continue
		}
		for _, l := range p.Links {
			if sameDocURL(resolveURL(p.URL, l.Href), root.URL) {
				return "link " + orText(l.Selector, l.Text, l.Href) + " on " + p.URL
			}
		}
		for _, f := range p.Forms {
			if sameDocURL(resolveURL(p.URL, f.Action), root.URL) {
				return "form " + orText(f.Selector, "", f.Action) + " on " + p.URL
			}
		}
		if p.MetaRefresh != "" && sameDocURL(resolveURL(p.URL, p.MetaRefresh), root.URL) {
			return "meta refresh on " + p.URL
		}
	}
	return ""
}

func orText(sel, text, fallback string) string {
	switch {
	case sel != "":
		return sel
	case text != "":
		return "\"" + text + "\""
	}
	return fallback
}
