package analysis

import (
	"fmt"
	"math"
	"strings"

	"github.com/sessiontrace/sessiontrace/recording"
)

// Thresholds of session-ID detection and of SESSID-LOW-ENTROPY.
const (
	// MinSessionBits is the entropy OWASP requires of a session ID.
	MinSessionBits = 64
	// lowValueBits and lowValueLen: a value below both is "low entropy"
	// for detection ("1", "en", "dark", "true").
	lowValueBits = 32
	lowValueLen  = 8
)

const detectDeclared = "declared in the scenario (session.cookies)"

// nameStats is what the recording shows about the cookies of one name.
type nameStats struct {
	values         []recording.Value // distinct non-empty values (by valueKey), each as last seen
	index          map[valueKey]int  // position in values
	last           valueKey          // the key added last, at values[lastAt]
	lastAt         int
	serverIssued   bool // a response set a (non-deletion) value
	sentBack       bool // the browser sent it
	changedAtLogin bool // the server replaced the value the browser sent at a login step
}

// add notes a value of the name (an empty one says nothing).
func (s *nameStats) add(v recording.Value) {
	if v.Len <= 0 {
		return
	}
	k := valueKey{v.Fingerprint, v.Len}
	// A cookie carries the same value over many requests in a row: that
	// is a comparison, not a hash of the fingerprint.
	if len(s.values) > 0 && k == s.last {
		s.values[s.lastAt] = v
		return
	}
	i, ok := s.index[k]
	if ok {
		s.values[i] = v
	} else {
		if s.index == nil {
			s.index = map[valueKey]int{}
		}
		i = len(s.values)
		s.index[k] = i
		s.values = append(s.values, v)
	}
	s.last, s.lastAt = k, i
}

// valueKey tells values apart: a fingerprint and a length.
type valueKey struct {
	fingerprint string
	len         int
}

// detect decides which cookie names are session IDs, and why.
func (a *analyzer) detect() {
	defer a.markSessionNames()
	if len(a.r.Scenario.SessionCookies) > 0 {
		for _, n := range a.r.Scenario.SessionCookies {
			a.names[n] = detectDeclared
		}
		return
	}
	for nid, s := range a.nameStats() {
		name := a.nameList[nid]
		if name == "" || s == nil || a.sigOf(name) {
			continue // a pair's signature cookie is half of the session, not an ID of its own
		}
		if why := detectByName(name, s); why != "" {
			a.names[name] = why
		} else if why := a.detectByBehaviour(name, s); why != "" {
			a.names[name] = why
		} else if why := detectByFormat(s); why != "" {
			a.names[name] = why
		}
	}
}

// markSessionNames fills a.sess from a.names.
func (a *analyzer) markSessionNames() {
	a.sess = make([]bool, len(a.nameList))
	for nid, name := range a.nameList {
		a.sess[nid] = a.isSession(name)
	}
}

// nameStats returns the stats of each name seen in a jar, a request or a
// Set-Cookie line, by name ID (nil for a name seen nowhere else, such as
// one only an event names).
func (a *analyzer) nameStats() []*nameStats {
	stats := make([]*nameStats, len(a.nameList))
	get := func(nid int32) *nameStats {
		for int(nid) >= len(stats) {
			stats = append(stats, nil)
		}
		s := stats[nid]
		if s == nil {
			s = &nameStats{}
			stats[nid] = s
		}
		return s
	}
	for _, st := range a.steps {
		for _, c := range st.Jar {
			get(a.nameID(c.Name)).add(c.Value)
		}
	}
	for _, q := range a.reqs {
		for _, c := range q.CookiesSent {
			s := get(a.nameID(c.Name))
			s.sentBack = true
			s.add(c.Value)
		}
		for _, sc := range q.SetCookies {
			s := get(a.nameID(sc.Name))
			if sc.Deletion {
				continue
			}
			s.add(sc.Value)
			if !sc.Rejected {
				s.serverIssued = true
			}
			if !sc.Rejected && a.expectsRotation(q.Step) {
				if old, ok := lastSent(q, sc.Name); ok && !old.Same(sc.Value) {
					s.changedAtLogin = true
				}
			}
		}
	}
	for i := range a.events {
		e := &a.events[i]
		s := get(e.nid)
		if e.Value != nil && e.Kind != recording.EventDeleted && e.Kind != recording.EventRejected {
			s.add(*e.Value)
		}
		switch {
		case e.Kind == recording.EventSent:
			s.sentBack = true
		case e.Kind == recording.EventSet && e.Source == recording.SourceHTTP:
			s.serverIssued = true
		}
	}
	return stats
}

// lastSent returns the value of the last cookie called name that q
// carried.
func lastSent(q *recording.Request, name string) (recording.Value, bool) {
	for i := len(q.CookiesSent) - 1; i >= 0; i-- {
		if q.CookiesSent[i].Name == name {
			return q.CookiesSent[i].Value, true
		}
	}
	return recording.Value{}, false
}

// lowConstant reports whether a name only ever held one short, low-entropy
// value: such a cookie is a flag or a preference, not an ID.
func (s *nameStats) lowConstant() bool {
	if len(s.values) != 1 {
		return false
	}
	v := s.values[0]
	return v.Len < lowValueLen || v.Bits < lowValueBits
}

func (s *nameStats) minBits() float64 {
	m := math.Inf(1)
	for _, v := range s.values {
		m = math.Min(m, v.Bits)
	}
	return m
}

func csrfName(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "csrf") || strings.Contains(n, "xsrf")
}

func detectByName(name string, s *nameStats) string {
	if csrfName(name) {
		return ""
	}
	ok, why := recording.IsSessionName(name)
	if !ok || s.lowConstant() {
		return ""
	}
	return "by name: " + why
}

func (a *analyzer) detectByBehaviour(name string, s *nameStats) string {
	if csrfName(name) || len(s.values) == 0 || !s.serverIssued || !s.sentBack {
		return ""
	}
	bits := s.minBits()
	if bits < MinSessionBits {
		return ""
	}
	switch {
	case s.changedAtLogin:
		return fmt.Sprintf("by behaviour: a random value (%.0f bits or more) that the server issues, the browser returns, and the server replaces at login", bits)
	case !a.hasAuth && len(s.values) >= 2:
		return fmt.Sprintf("by behaviour: random values (%.0f bits or more, %d distinct) that the server issues and the browser returns", bits, len(s.values))
	}
	return ""
}

// detectByFormat takes a cookie for a (client-side) session when the
// server issues it, the browser returns it, and its values are signed
// session data by their structure (a JWT, an itsdangerous or Django signed
// payload, the Rails cookie store).
func detectByFormat(s *nameStats) string {
	if !s.serverIssued || !s.sentBack {
		return ""
	}
	for _, v := range s.values {
		if v.Format != recording.FormatBase64JSON && recording.ClientSideFormat(v.Format) {
			return "by structure: the server issues and the browser returns a " + formatName(v.Format) + ", a session held in the cookie"
		}
	}
	return ""
}

// makeTracks creates one track per identity of a session cookie name, in
// the order the identities first appear.
func (a *analyzer) makeTracks() {
	add := func(k ckey) {
		if !a.isSession(k.name) {
			return
		}
		if _, ok := a.byKey[k]; ok {
			return
		}
		t := newTrack(k, a.names[k.name])
		a.byKey[k] = t
		a.tracks = append(a.tracks, t)
	}
	seen := make([]bool, len(a.identKeys)) // by identity ID: already added
	for i := range a.events {
		if e := &a.events[i]; e.Kind != recording.EventRejected && !seen[e.id] {
			seen[e.id] = true
			if a.sess[e.nid] {
				add(e.key)
			}
		}
	}
	for _, st := range a.steps {
		for _, c := range st.Jar {
			add(ckey{c.Name, c.Domain, c.Path})
		}
	}
	// A refused line has no identity in the jar: it gets a track of its
	// own only when no cookie of that name was ever stored.
	named := map[string]bool{}
	for _, t := range a.tracks {
		named[t.key.name] = true
	}
	for _, e := range a.events {
		if e.Kind == recording.EventRejected && !named[e.key.name] {
			add(e.key)
		}
	}
	a.trackByID = make([]*track, len(a.identKeys))
	for id, k := range a.identKeys {
		a.trackByID[id] = a.byKey[k]
	}
}

// trackOf returns the track an event belongs to. A refused Set-Cookie goes
// to the held cookie of its name that applies to the request's host: the
// cookie the server meant to replace.
func (a *analyzer) trackOf(e *event) *track {
	t := a.trackByID[e.id]
	if e.Kind != recording.EventRejected || t != nil && t.cur != nil {
		return t
	}
	host := hostOf(e.URL)
	if q := a.req(e.Request); q != nil {
		host = hostOf(q.URL)
	}
	for _, o := range a.tracks {
		if o.key.name == e.key.name && o.cur != nil && domainMatches(o.key.domain, host) {
			return o
		}
	}
	return t
}
