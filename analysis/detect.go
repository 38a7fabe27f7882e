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
	values         map[valueKey]recording.Value // non-empty values only
	serverIssued   bool                         // a response set a (non-deletion) value
	sentBack       bool                         // the browser sent it
	changedAtLogin bool                         // the server replaced the value the browser sent at a login step
}

// valueKey tells values apart: a fingerprint and a length.
type valueKey struct {
	fingerprint string
	len         int
}

// detect decides which cookie names are session IDs, and why.
func (a *analyzer) detect() {
	if len(a.r.Scenario.SessionCookies) > 0 {
		for _, n := range a.r.Scenario.SessionCookies {
			a.names[n] = detectDeclared
		}
		return
	}
	stats := a.nameStats()
	for name, s := range stats {
		if name == "" {
			continue
		}
		if why := detectByName(name, s); why != "" {
			a.names[name] = why
		} else if why := a.detectByBehaviour(name, s); why != "" {
			a.names[name] = why
		}
	}
}

func (a *analyzer) nameStats() map[string]*nameStats {
	stats := map[string]*nameStats{}
	get := func(n string) *nameStats {
		s := stats[n]
		if s == nil {
			s = &nameStats{values: map[valueKey]recording.Value{}}
			stats[n] = s
		}
		return s
	}
	addVal := func(s *nameStats, v recording.Value) {
		if v.Len > 0 {
			s.values[valueKey{v.Fingerprint, v.Len}] = v
		}
	}
	for _, st := range a.steps {
		for _, c := range st.Jar {
			addVal(get(c.Name), c.Value)
		}
	}
	sentAt := map[string]recording.Value{}
	for _, q := range a.reqs {
		clear(sentAt)
		for _, c := range q.CookiesSent {
			s := get(c.Name)
			s.sentBack = true
			addVal(s, c.Value)
			sentAt[c.Name] = c.Value
		}
		for _, sc := range q.SetCookies {
			s := get(sc.Name)
			if sc.Deletion {
				continue
			}
			addVal(s, sc.Value)
			if !sc.Rejected {
				s.serverIssued = true
			}
			if old, ok := sentAt[sc.Name]; ok && a.expectsRotation(q.Step) && !old.Same(sc.Value) && !sc.Rejected {
				s.changedAtLogin = true
			}
		}
	}
	for _, e := range a.events {
		s := get(e.Name)
		if e.Value != nil && e.Kind != recording.EventDeleted && e.Kind != recording.EventRejected {
			addVal(s, *e.Value)
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

// lowConstant reports whether a name only ever held one short, low-entropy
// value: such a cookie is a flag or a preference, not an ID.
func (s *nameStats) lowConstant() bool {
	if len(s.values) != 1 {
		return false
	}
	for _, v := range s.values {
		return v.Len < lowValueLen || v.Bits < lowValueBits
	}
	return false
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
	for _, e := range a.events {
		if e.Kind != recording.EventRejected {
			add(e.key)
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
}

// trackOf returns the track an event belongs to. A refused Set-Cookie goes
// to the held cookie of its name that applies to the request's host: the
// cookie the server meant to replace.
func (a *analyzer) trackOf(e *event) *track {
	t := a.byKey[e.key]
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
