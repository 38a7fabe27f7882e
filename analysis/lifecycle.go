package analysis

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
)

// idState is an ID being followed through the journey.
type idState struct {
	out   ID
	value recording.Value
	node  string // the node that issued it

	lastUse     time.Time // end of the last request that issued or carried it
	lastUseStep int
	prevUse     map[string]useMark // request id -> last use before that request
	sentSet     map[string]bool
	withheldIdx map[string]int // request id -> index in out.Withheld

	withheldEpisode bool // a withheld reset was reported; cleared when it is sent again
	rejectedAfter   bool // a refused Set-Cookie left it stale (set-rejected reported)
	consequenceStep int  // a reset at this step already explains its replacement
	afterLogout     bool // it survived a logout step
	ended           bool

	expires  *time.Time
	secure   bool
	httpOnly *bool

	born, died time.Time // when it was issued and when it ended (zero: still held)
}

// cand is a candidate reset: an ID lost by what the cookies show.
type cand struct {
	r  Reset
	id *idState           // the ID lost, if any
	q  *recording.Request // the request involved, if any
}

type useMark struct {
	t    time.Time
	step int
}

// track follows one session cookie identity.
type track struct {
	key       ckey
	partition string
	detection string
	secure    bool // the cookie was Secure at some point

	ids    []*idState
	cur    *idState
	cands  []*cand // what the cookies say was lost, before reconcile
	resets []Reset

	atStart map[int]*idState // the ID held when step i began
	atEnd   map[int]*idState // the ID held when step i ended
	rotated map[int]bool     // the expected rotation of step i happened
	done    map[string]bool  // resets reported, by fingerprint|request

	rejectEpisode bool      // a set-rejected reset with no ID held was reported
	rejectedAt    time.Time // when a Set-Cookie that would have created it was first refused
	clientSide    string    // why the session is taken to live in the cookie (see clientSide)
}

func newTrack(k ckey, detection string) *track {
	return &track{key: k, detection: detection, atStart: map[int]*idState{}, atEnd: map[int]*idState{},
		rotated: map[int]bool{}, done: map[string]bool{}}
}

func (id *idState) touch(step int) {
	if step > id.out.LastStep {
		id.out.LastStep = step
	}
}

func (id *idState) sentOn(req string) bool { return id.sentSet[req] }

func (id *idState) withheldFrom(req string) ([]string, bool) {
	if i, ok := id.withheldIdx[req]; ok {
		return id.out.Withheld[i].Reasons, true
	}
	return nil, false
}

// find returns the ID of the track with value v, newest first.
func (t *track) find(v recording.Value) *idState {
	for i := len(t.ids) - 1; i >= 0; i-- {
		if t.ids[i].value.Same(v) {
			return t.ids[i]
		}
	}
	return nil
}

// walk follows every session identity through the events, step by step.
func (a *analyzer) walk() {
	if len(a.tracks) == 0 {
		return
	}
	// The events of each step in recording order: a stable sort of their
	// indexes by step (events come sorted, so usually no sort at all).
	byStep := make([]int32, len(a.events))
	for i := range byStep {
		byStep[i] = int32(i)
	}
	stepOf := func(i int32) int { return a.events[i].Step }
	for i := 1; i < len(byStep); i++ {
		if stepOf(byStep[i]) < stepOf(byStep[i-1]) {
			// sort, not slices: a generic sort of int32 costs the page
			// code for a case that is rare (docs/benchmarks.md).
			sort.SliceStable(byStep, func(i, j int) bool { return stepOf(byStep[i]) < stepOf(byStep[j]) })
			break
		}
	}
	order := make([]int, 0, len(a.steps))
	for _, st := range a.steps {
		order = append(order, st.Index)
	}
	for _, i := range byStep {
		if s := stepOf(i); len(order) == 0 || order[len(order)-1] != s {
			order = append(order, s)
		}
	}
	slices.Sort(order)
	order = slices.Compact(order)
	next := 0 // the first entry of byStep not yet walked
	for _, s := range order {
		for _, t := range a.tracks {
			t.atStart[s] = t.cur
		}
		for ; next < len(byStep) && stepOf(byStep[next]) == s; next++ {
			e := &a.events[byStep[next]]
			a.now = e.Time
			if t := a.trackOf(e); t != nil {
				a.apply(t, e, s)
			}
		}
		if st := a.step(s); st != nil && st.Status != recording.StatusSkipped {
			for _, t := range a.tracks {
				a.observeJar(t, st)
			}
		}
		for _, t := range a.tracks {
			t.atEnd[s] = t.cur
			if a.isLogout(s) && t.cur != nil {
				t.cur.afterLogout = true
			}
		}
	}
	for _, t := range a.tracks {
		if t.cur != nil {
			if a.lastStep > t.cur.out.LastStep {
				t.cur.out.LastStep = a.lastStep
			}
			a.end(t, EndEndOfJourney, t.cur.out.LastStep, "")
		}
	}
}

// observeJar reads what the jar after step st says about the track's
// cookie. The jar is not used to infer events (the harness already turns
// unexplained jar differences into events of source "jar"), only to
// complete what is known of the ID held.
func (a *analyzer) observeJar(t *track, st *recording.Step) {
	for i := range st.Jar {
		c := &st.Jar[i]
		if c.Name != t.key.name || c.Domain != t.key.domain || c.Path != t.key.path {
			continue
		}
		t.partition = c.Partition
		if c.Secure {
			t.secure = true
		}
		if t.cur != nil && t.cur.value.Same(c.Value) {
			t.cur.touch(st.Index)
			t.cur.expires = c.Expires
			t.cur.secure = c.Secure
			h := c.HTTPOnly
			t.cur.httpOnly = &h
		}
	}
}

func (a *analyzer) apply(t *track, e *event, s int) {
	switch e.Kind {
	case recording.EventSent:
		a.onSent(t, e, s)
	case recording.EventWithheld:
		a.onWithheld(t, e, s)
	case recording.EventSet:
		a.onSet(t, e, s, false)
	case recording.EventChanged:
		a.onSet(t, e, s, true)
	case recording.EventDeleted:
		a.onDeleted(t, e, s)
	case recording.EventExpired, recording.EventCleared:
		a.onGone(t, e, s)
	case recording.EventRejected:
		a.onRejected(t, e, s)
	}
}

// issue starts a new ID on the track.
func (a *analyzer) issue(t *track, v recording.Value, s int, e *event) *idState {
	id := &idState{value: v, prevUse: map[string]useMark{}, consequenceStep: -1, sentSet: map[string]bool{}, withheldIdx: map[string]int{}}
	id.out = ID{Fingerprint: v.Fingerprint, Len: v.Len, Bits: v.Bits, FirstStep: s, LastStep: s,
		IssuedBy: e.Source, Sent: []string{}, Withheld: []WithheldRef{}}
	id.lastUse, id.lastUseStep = e.Time, s
	id.born = e.Time
	if q := a.req(e.Request); q != nil && e.Source == recording.SourceHTTP {
		id.out.IssuedRequest = q.ID
		id.out.Node = q.Node
		id.node = q.Node
		id.lastUse = reqEnd(q)
		for i := range q.SetCookies {
			sc := &q.SetCookies[i]
			if sc.Name == t.key.name && sc.Value.Same(v) && !sc.Rejected {
				if sc.Secure {
					id.secure, t.secure = true, true
				}
				h := sc.HTTPOnly
				id.httpOnly = &h
			}
		}
	}
	t.ids = append(t.ids, id)
	t.cur = id
	t.rejectEpisode = false
	return id
}

// end ends the current ID of the track.
func (a *analyzer) end(t *track, how Ending, s int, req string) {
	id := t.cur
	if id == nil {
		return
	}
	id.out.Ended = how
	id.out.EndedRequest = req
	id.touch(s)
	id.ended = true
	if how != EndEndOfJourney {
		id.died = a.now
	}
	t.cur = nil
}

func (a *analyzer) onSent(t *track, e *event, s int) {
	if e.Value == nil {
		return
	}
	if t.cur == nil || !t.cur.value.Same(*e.Value) {
		// The browser sent a value no event explained: follow the browser.
		a.onSet(t, &event{CookieEvent: &recording.CookieEvent{Time: e.Time, Step: s, Kind: recording.EventChanged,
			Source: recording.SourceJar, Name: e.Name, Value: e.Value}, key: e.key, nid: e.nid, id: e.id}, s, true)
	}
	id := t.cur
	if id == nil {
		return
	}
	prev := useMark{id.lastUse, id.lastUseStep}
	if e.Request != "" {
		id.prevUse[e.Request] = prev
		if !id.sentOn(e.Request) {
			id.sentSet[e.Request] = true
			id.out.Sent = append(id.out.Sent, e.Request)
		}
	}
	id.withheldEpisode = false
	id.touch(s)
	q := a.req(e.Request)
	if q == nil {
		id.lastUse, id.lastUseStep = e.Time, s
		return
	}
	id.lastUse, id.lastUseStep = reqEnd(q), q.Step
	// The server answered a request that carried the ID with a logged-out
	// page (and no new ID) after a long idle gap: a server idle timeout.
	if a.expectsRotation(s) || a.isLogout(s) || id.afterLogout || responseSetsName(q, t.key.name) || !loggedOutResponse(q) {
		return
	}
	if idle, wait, ok := a.idleGap(prev, q); ok {
		ev := map[string]string{"idle": fmtDuration(idle), "status": fmt.Sprint(q.Status)}
		if wait != "" {
			ev["wait"] = wait
		}
		if q.Location != "" {
			ev["location"] = q.Location
		}
		if q.Node != "" {
			ev["node"] = q.Node
		}
		detail := fmt.Sprintf("The browser sent %s after %s of inactivity and the server answered with a logged-out page (%d%s): its server-side session had idled out.",
			t.key.name, fmtDuration(idle), q.Status, locSuffix(q))
		a.addReset(t, id, s, q, CauseIdleTimeout, detail, ev)
		id.consequenceStep = s
	}
}

func locSuffix(q *recording.Request) string {
	if q.Location != "" {
		return " to " + q.Location
	}
	return ""
}

func (a *analyzer) onWithheld(t *track, e *event, s int) {
	if e.Value == nil {
		return
	}
	id := t.find(*e.Value)
	if id == nil {
		if t.cur != nil {
			return
		}
		id = a.issue(t, *e.Value, s, &event{CookieEvent: &recording.CookieEvent{Time: e.Time, Source: recording.SourceJar}})
	}
	if e.Request != "" {
		if _, dup := id.withheldFrom(e.Request); !dup {
			id.withheldIdx[e.Request] = len(id.out.Withheld)
			id.out.Withheld = append(id.out.Withheld, WithheldRef{Request: e.Request, Reasons: append([]string{}, e.Reasons...)})
		}
	}
	if id != t.cur || id.withheldEpisode || a.isLogout(s) || id.afterLogout {
		return
	}
	q := a.req(e.Request)
	if q == nil {
		return
	}
	if sent, _ := sentOn(q, t.key.name); sent {
		// Another cookie of that name reached the server: any new value
		// answers that one.
		return
	}
	news := newSessionOn(q, t.key.name, id.value)
	if len(news) == 0 {
		return
	}
	a.withheldReset(t, id, s, q, e.Reasons, news)
	id.withheldEpisode = true
}

// withheldReset reports the reset of an ID that the browser did not send
// on q, whose response then started a new session.
func (a *analyzer) withheldReset(t *track, id *idState, s int, q *recording.Request, reasons []string, news []*recording.SetCookie) {
	k := id.value.Fingerprint + "|" + q.ID
	if t.done[k] {
		return
	}
	t.done[k] = true
	cause := causeOfReasons(reasons)
	ev := map[string]string{"withheld": strings.Join(reasons, ","), "request": q.Method + " " + q.URL}
	via := a.howReached(q)
	if via != "" {
		ev["link"] = via
	}
	refused := ""
	for _, sc := range news {
		if sc.Rejected {
			refused = strings.Join(sc.Reasons, ",")
			ev["newCookieRejected"] = refused
		}
	}
	detail := withheldDetail(t, q, cause, reasons, via, "started a new one")
	if cause == CauseSecureOverHTTP && refused != "" {
		detail += fmt.Sprintf(" (the browser refused the new non-Secure cookie, %s, and kept the old ID: the user is logged out on http only)", refused)
	}
	a.addReset(t, id, s, q, cause, detail+".", ev)
}

// withheldDetail says why the browser did not send the track's cookie on
// q (the cause, the reasons, the link that led there) and what the server
// then did.
func withheldDetail(t *track, q *recording.Request, cause CauseID, reasons []string, via, then string) string {
	name := t.key.name
	switch cause {
	case CauseSecureOverHTTP:
		return fmt.Sprintf("%s is Secure, so the browser did not send it on the plain-http request %s %s%s; the server saw no session and %s",
			name, q.Method, q.URL, paren(via), then)
	case CauseSameSite:
		return fmt.Sprintf("The browser withheld %s from the cross-site %s %s (%s)%s, so the server saw no session and %s",
			name, q.Method, q.URL, reasonsText(reasons), paren(via), then)
	}
	return fmt.Sprintf("%s (%s%s) does not apply to %s %s (%s)%s, so the server there saw no session and %s",
		name, t.key.domain, t.key.path, q.Method, q.URL, reasonsText(reasons), paren(via), then)
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// causeOfReasons maps the browser's withheld reasons to a cause.
func causeOfReasons(reasons []string) CauseID {
	has := func(f func(string) bool) bool {
		for _, r := range reasons {
			if f(r) {
				return true
			}
		}
		return false
	}
	switch {
	case has(func(r string) bool { return r == "SecureOnly" }):
		return CauseSecureOverHTTP
	case has(func(r string) bool {
		return strings.Contains(r, "SameSite") || thirdPartyReason(r)
	}):
		return CauseSameSite
	}
	return CauseScopeMismatch
}

// onSet handles a new value in the jar: set by a response, a script or the
// scenario (changed=false), or seen changed with no explanation (changed).
func (a *analyzer) onSet(t *track, e *event, s int, changed bool) {
	if e.Value == nil || e.Value.Len == 0 {
		return
	}
	v := *e.Value
	if t.cur != nil && t.cur.value.Same(v) {
		// The same value again (sliding expiry): not a rotation.
		t.cur.touch(s)
		return
	}
	if t.cur == nil {
		a.issue(t, v, s, e)
		return
	}
	old := t.cur
	q := a.req(e.Request)
	reqID := e.Request
	switch {
	case old.afterLogout || a.isLogout(s):
		a.end(t, EndLogout, s, reqID)
	case e.Source == recording.SourceHarness:
		// The scenario itself set the cookie (setCookie step).
		a.end(t, EndReplaced, s, reqID)
	case q != nil && wasWithheld(old, q, t.key.name):
		reasons, _ := old.withheldFrom(q.ID)
		a.end(t, EndReplaced, s, reqID)
		a.withheldReset(t, old, s, q, reasons, newSessionOn(q, t.key.name, old.value))
	case a.expectsRotation(s) && t.atStart[s] == old && !t.rotated[s]:
		t.rotated[s] = true
		a.end(t, EndRotated, s, reqID)
	case old.consequenceStep == s || old.rejectedAfter:
		a.end(t, EndReplaced, s, reqID)
	case e.Source == recording.SourceScript:
		a.end(t, EndReplaced, s, reqID)
		a.addReset(t, old, s, nil, CauseClientCleared,
			fmt.Sprintf("Page script overwrote %s (%s%s), so the server's session was lost.", t.key.name, e.Detail, atLocation(e.Location)),
			map[string]string{"script": e.Detail, "location": e.Location, "page": e.URL})
	case changed && q == nil:
		a.end(t, EndReplaced, s, reqID)
		if a.missingExtraInfo(old.lastUseStep, s) {
			a.addReset(t, old, s, nil, CauseServerDropped,
				fmt.Sprintf("%s changed by step %d with no Set-Cookie recorded (the browser did not report the cookie headers of every response since it was last used): most likely the server replaced it.", t.key.name, s),
				map[string]string{"source": string(e.Source)})
		} else {
			a.addReset(t, old, s, nil, CauseClientCleared,
				fmt.Sprintf("%s changed in the jar during step %d with no Set-Cookie or script write seen: something on the client replaced it.", t.key.name, s),
				map[string]string{"source": string(e.Source)})
		}
	default:
		a.end(t, EndReplaced, s, reqID)
		a.serverReplaced(t, old, q, s)
	}
	a.issue(t, v, s, e)
}

// wasWithheld reports whether the ID was withheld from q and no cookie of
// its name reached the server on q.
func wasWithheld(id *idState, q *recording.Request, name string) bool {
	if _, ok := id.withheldFrom(q.ID); !ok {
		return false
	}
	sent, _ := sentOn(q, name)
	return !sent && !id.sentOn(q.ID)
}

func atLocation(loc string) string {
	if loc == "" {
		return ""
	}
	return " at " + loc
}

// missingExtraInfo reports whether a response of steps from..to came
// without its cookie headers (so a Set-Cookie may have gone unseen).
func (a *analyzer) missingExtraInfo(from, to int) bool {
	for _, q := range a.reqs {
		if q.Step >= from && q.Step <= to && !q.ResponseExtraInfo && strings.HasPrefix(schemeOf(q.URL), "http") {
			return true
		}
	}
	return false
}

// serverReplaced diagnoses an ID that the server replaced with a new one:
// node-switch, idle-timeout or server-dropped.
func (a *analyzer) serverReplaced(t *track, old *idState, q *recording.Request, s int) {
	name := t.key.name
	ev := map[string]string{}
	if q == nil {
		a.addReset(t, old, s, nil, CauseServerDropped,
			fmt.Sprintf("The server replaced %s with a new ID outside a login step: it no longer knew the old one.", name), ev)
		return
	}
	ev["request"] = q.Method + " " + q.URL
	sent, known := sentOn(q, name)
	if !known {
		ev["cookiesSent"] = "unknown (the browser did not report the request's cookies)"
	} else if sent {
		ev["sent"] = short(old.value.Fingerprint)
	}
	mark, hasMark := old.prevUse[q.ID]
	if !hasMark {
		mark = useMark{old.lastUse, old.lastUseStep}
	}
	if old.node != "" && q.Node != "" && old.node != q.Node {
		ev["issuedBy"] = old.node
		ev["servedBy"] = q.Node
		if q.NodeHeader != "" {
			ev["nodeHeader"] = q.NodeHeader
		}
		a.addReset(t, old, s, q, CauseNodeSwitch,
			fmt.Sprintf("%s was issued by node %s but this request was served by node %s, which did not know it and issued a new one: sessions are not shared between the nodes.",
				name, old.node, q.Node), ev)
		return
	}
	if idle, wait, ok := a.idleGap(mark, q); ok {
		ev["idle"] = fmtDuration(idle)
		if wait != "" {
			ev["wait"] = wait
		}
		if q.Node != "" {
			ev["node"] = q.Node
		}
		a.addReset(t, old, s, q, CauseIdleTimeout,
			fmt.Sprintf("The browser sent %s after %s of inactivity%s and the server answered with a new ID: its server-side session had idled out.",
				name, fmtDuration(idle), paren(wait)), ev)
		return
	}
	if q.Node != "" {
		ev["node"] = q.Node
	}
	a.addReset(t, old, s, q, CauseServerDropped,
		fmt.Sprintf("The browser sent %s on %s %s and the server answered with a new ID outside a login step: the server no longer knew the old one (lost, restarted or discarded it).",
			name, q.Method, q.URL), ev)
}

// idleGap reports whether the time since the ID's previous use before q
// is the journey's long idle gap: at least 1 s, after a wait step or at
// least 5 times the median gap between requests, and at least half the
// longest gap of the journey.
func (a *analyzer) idleGap(prev useMark, q *recording.Request) (time.Duration, string, bool) {
	if prev.t.IsZero() || q.Start.IsZero() {
		return 0, "", false
	}
	idle := q.Start.Sub(prev.t)
	if idle < time.Second {
		return idle, "", false
	}
	wait := ""
	for _, st := range a.steps {
		if st.Kind == recording.StepWait && st.Index > prev.step && st.Index <= q.Step {
			wait = fmt.Sprintf("step %d: %s", st.Index, stepAction(st))
			break
		}
	}
	big := a.gapMed > 0 && idle >= 5*a.gapMed
	if wait == "" && !big {
		return idle, "", false
	}
	if a.gapMax > 0 && 2*idle < a.gapMax {
		return idle, "", false
	}
	return idle, wait, true
}

func (a *analyzer) onDeleted(t *track, e *event, s int) {
	old := t.cur
	if old == nil {
		return
	}
	switch {
	case old.afterLogout || a.isLogout(s):
		a.end(t, EndLogout, s, e.Request)
	case e.Source == recording.SourceScript:
		a.end(t, EndDeleted, s, "")
		a.addReset(t, old, s, nil, CauseClientCleared,
			fmt.Sprintf("Page script deleted %s (%s%s), so the user's session was lost on the client.", t.key.name, e.Detail, atLocation(e.Location)),
			map[string]string{"script": e.Detail, "location": e.Location, "page": e.URL})
	case e.Source == recording.SourceHTTP && a.expectsRotation(s) && t.atStart[s] == old && !t.rotated[s]:
		// Deleting the pre-login ID at login is part of the rotation.
		t.rotated[s] = true
		a.end(t, EndRotated, s, e.Request)
	case e.Source == recording.SourceHTTP:
		q := a.req(e.Request)
		a.end(t, EndDeleted, s, e.Request)
		ev := map[string]string{}
		how := "a deletion"
		if q != nil {
			ev["request"] = q.Method + " " + q.URL
			for _, sc := range q.SetCookies {
				if sc.Name == t.key.name && sc.Deletion {
					ev["setCookie"] = sc.Name + "=; " + sc.Attributes
					how = deletionHow(sc)
					break
				}
			}
		}
		st := a.step(s)
		where := fmt.Sprintf("step %d", s)
		if st != nil {
			where = fmt.Sprintf("step %d (%s)", s, stepAction(st))
		}
		url := ""
		if q != nil {
			url = " in its response to " + q.Method + " " + q.URL
		}
		a.addReset(t, old, s, q, CauseServerEnded,
			fmt.Sprintf("The server deleted %s (%s)%s at %s, which is not a logout step: the application reset the session in code.",
				t.key.name, how, url, where), ev)
	default:
		a.end(t, EndDeleted, s, "")
		a.addReset(t, old, s, nil, CauseClientCleared,
			fmt.Sprintf("%s was deleted on the client (%s) with no Set-Cookie from the server.", t.key.name, e.Source), map[string]string{"source": string(e.Source)})
	}
}

func deletionHow(sc recording.SetCookie) string {
	if sc.MaxAge != nil {
		return fmt.Sprintf("Max-Age=%d", *sc.MaxAge)
	}
	if sc.Expires != nil {
		return "Expires in the past"
	}
	return "a deletion"
}

// onGone handles an ID that left the jar by expiry or otherwise.
func (a *analyzer) onGone(t *track, e *event, s int) {
	old := t.cur
	if old == nil {
		return
	}
	st := a.step(s)
	restart := st != nil && st.Kind == recording.StepRestart || strings.Contains(strings.ToLower(e.Detail), "restart")
	how, cause := EndCleared, CauseClientCleared
	switch {
	case e.Kind == recording.EventExpired:
		how, cause = EndExpired, CauseExpired
	case restart:
		how, cause = EndRestart, CauseBrowserRestart
	}
	expected := old.afterLogout || a.isLogout(s)
	a.end(t, how, s, "")
	if expected {
		return
	}
	ev := map[string]string{"event": string(e.Kind) + " (" + string(e.Source) + ")"}
	if e.Detail != "" {
		ev["detail"] = e.Detail
	}
	var detail string
	switch cause {
	case CauseExpired:
		life := ""
		if old.expires != nil {
			ev["expires"] = old.expires.UTC().Format(time.RFC3339)
		}
		if q := a.req(old.out.IssuedRequest); q != nil {
			for _, sc := range q.SetCookies {
				if sc.Name == t.key.name && sc.Value.Same(old.value) && sc.MaxAge != nil {
					life = fmt.Sprintf(" (Max-Age=%d)", *sc.MaxAge)
					ev["maxAge"] = fmt.Sprint(*sc.MaxAge)
				}
			}
		}
		detail = fmt.Sprintf("%s's own expiry%s passed and the browser dropped it, so the next request reached the server without a session.", t.key.name, life)
	case CauseBrowserRestart:
		detail = fmt.Sprintf("%s is a session cookie (no Expires or Max-Age), so the browser restart at step %d dropped it.", t.key.name, s)
	default:
		what := "something on the client (page script, storage clearing or the user)"
		if st != nil && st.Kind == recording.StepClearCookies {
			what = "the clearCookies step"
		}
		detail = fmt.Sprintf("%s left the jar with no Set-Cookie and before its expiry: %s removed it.", t.key.name, what)
	}
	a.addReset(t, old, s, nil, cause, detail, ev)
}

// onRejected handles a Set-Cookie for the identity that the browser
// refused.
func (a *analyzer) onRejected(t *track, e *event, s int) {
	if e.Value == nil {
		return
	}
	q := a.req(e.Request)
	if q != nil {
		for _, sc := range q.SetCookies {
			if sc.Name == t.key.name && sc.Value.Same(*e.Value) && sc.Deletion {
				return
			}
		}
		if withheldOn(q, t.key.name) {
			if sent, _ := sentOn(q, t.key.name); !sent {
				return // the new session answers the withheld ID: reported as such
			}
		}
	}
	if e.Value.Len == 0 || a.isLogout(s) {
		return
	}
	old := t.cur
	if old != nil && (old.value.Same(*e.Value) || old.afterLogout || old.rejectedAfter) {
		return
	}
	if old == nil && t.rejectEpisode {
		return
	}
	ev := map[string]string{"rejected": strings.Join(e.Reasons, ",")}
	if q != nil {
		ev["request"] = q.Method + " " + q.URL
	}
	var detail string
	if old != nil {
		detail = fmt.Sprintf("The browser refused the Set-Cookie that replaced %s (%s), so it kept sending an ID the server had given up.", t.key.name, reasonsText(e.Reasons))
		old.rejectedAfter = true
		a.addReset(t, old, s, q, CauseSetRejected, detail, ev)
		return
	}
	t.rejectEpisode = true
	if t.rejectedAt.IsZero() {
		t.rejectedAt = e.Time
	}
	detail = fmt.Sprintf("The browser refused the Set-Cookie that would have created %s (%s), so the session the server started never reached the browser.", t.key.name, reasonsText(e.Reasons))
	a.addReset(t, nil, s, q, CauseSetRejected, detail, ev)
}

// addReset records a candidate reset on the track: what the cookies say
// was lost. Whether it is reported, and on what basis, is decided once the
// logged-in state of every step is known (see reconcile).
func (a *analyzer) addReset(t *track, id *idState, s int, q *recording.Request, cause CauseID, detail string, ev map[string]string) {
	for k, v := range ev {
		if v == "" {
			delete(ev, k)
		}
	}
	r := Reset{Step: s, Cause: cause, Detail: detail, Evidence: ev}
	if id != nil {
		r.Fingerprint = id.value.Fingerprint
	}
	if q != nil {
		r.Request = q.ID
		r.URL = q.URL
	}
	if len(r.Evidence) == 0 {
		r.Evidence = nil
	}
	t.cands = append(t.cands, &cand{r: r, id: id, q: q})
}

// report adds a reset that stands to its track, with its SESSION-RESET
// finding.
func (a *analyzer) report(t *track, r Reset) {
	r.Summary = a.summary(t, &r)
	t.resets = append(t.resets, r)
	msg := fmt.Sprintf("Session reset (%s) at step %d: %s", r.Cause, r.Step, r.Detail)
	if r.Basis == BasisObserved && r.ObservedStep != nil && *r.ObservedStep != r.Step {
		msg += fmt.Sprintf(" The user saw it at step %d.", *r.ObservedStep)
	}
	if r.Basis == BasisInferred {
		msg += " (Inferred from the cookies: the pages did not show the user logged in before and logged out after.)"
	}
	a.findings.add(Finding{
		Rule: RuleSessionReset, Severity: Medium, Step: r.Step, Cookie: t.key.name, Domain: t.key.domain, Path: t.key.path,
		URL: r.URL, Request: r.Request,
		Message:  msg,
		Evidence: evidenceString(r.Evidence),
	}, "")
}

// sessionReports returns the lifecycles of the session identities.
func (a *analyzer) sessionReports() []SessionReport {
	out := []SessionReport{}
	for _, t := range a.tracks {
		sr := SessionReport{Scenario: a.scenario, Cookie: t.key.name, Domain: t.key.domain, Path: t.key.path,
			Partition: t.partition, Detection: t.detection, ClientSide: t.clientSide, IDs: []ID{}, Resets: []Reset{},
			Continuity: a.continuity(t)}
		for _, id := range t.ids {
			sr.IDs = append(sr.IDs, id.out)
		}
		sr.Resets = append(sr.Resets, t.resets...)
		out = append(out, sr)
	}
	return out
}
