package harness

import (
	"fmt"
	"net"
	"sort"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/recording"
	"golang.org/x/net/publicsuffix"
)

// Cookies the jar lost without a word from the browser.
//
// Chromium reports a Set-Cookie it refuses, but not a cookie it stores and
// then evicts (it keeps at most 180 per site and 3300 in all, and drops the
// least recently used), nor a script write it ignores (document.cookie with
// a control character). Such a cookie would vanish silently: a set event,
// then nothing. The jar read after each step is the ground truth, so every
// cookie stored during a step and missing from the jar after it gets an
// event that says it left, and why as far as can be told.

// Chromium's cookie limits (net/cookies/cookie_monster.h): per site
// (registrable domain) and per jar.
const (
	chromiumPerSite = 180
	chromiumPerJar  = 3300
)

// setInfo is what the pass needs to know about a set event built from a
// Set-Cookie line or a script write.
type setInfo struct {
	expires time.Time // zero for a session cookie
	ignored bool      // a script write whose event already says the browser ignores it
	control rune      // a control character in a script write, or -1
}

func (b *builder) noteSet(si setInfo) {
	if b.sets == nil {
		b.sets = map[int]setInfo{}
	}
	b.sets[len(b.events)] = si
}

func expiryOf(sc recording.SetCookie, at time.Time) time.Time {
	switch {
	case sc.MaxAge != nil:
		return at.Add(time.Duration(*sc.MaxAge) * time.Second)
	case sc.Expires != nil:
		return *sc.Expires
	}
	return time.Time{}
}

// controlChar returns the first control character of s (tab included:
// Chromium refuses it in cookies too), or -1.
func controlChar(s string) rune {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return r
		}
	}
	return -1
}

// looseKey identifies a cookie for matching events against the jar. The
// leading dot and the partition are left out: a mismatch in spelling must
// not pass for a lost cookie.
type looseKey struct{ name, domain, path string }

func keyLoose(name, domain, path string) looseKey {
	return looseKey{name, strings.TrimPrefix(strings.ToLower(domain), "."), path}
}

// siteOf is the registrable domain a cookie counts against in Chromium's
// per-site limit.
func siteOf(domain string) string {
	d := strings.TrimPrefix(strings.ToLower(domain), ".")
	if net.ParseIP(d) != nil {
		return d
	}
	if s, err := publicsuffix.EffectiveTLDPlusOne(d); err == nil {
		return s
	}
	return d
}

// A snapshot is one jar read, with the time window of the events it
// reflects: [from, to), to being when the read was asked for.
type snapshot struct {
	step     int
	from, to time.Time
	at       time.Time
	jar      map[looseKey]cdpCookie
}

func (b *builder) snapshots() []snapshot {
	var out []snapshot
	var from time.Time
	for i, s := range b.steps {
		if !s.jarOK {
			continue
		}
		to := s.jarAsked
		if to.IsZero() {
			to = s.jarAt
		}
		jar := make(map[looseKey]cdpCookie, len(s.jar))
		for _, c := range s.jar {
			jar[keyLoose(c.Name, c.Domain, c.Path)] = c
		}
		out = append(out, snapshot{step: i, from: from, to: to, at: s.jarAt, jar: jar})
		from = to
	}
	return out
}

// siteLoad counts, for each jar read, the cookies each site had in play
// during its window: those of the jar before and those set since. A count
// over Chromium's limit explains cookies that left without a deletion.
func (b *builder) siteLoad() {
	b.load = map[int]map[string]int{}
	var prev map[looseKey]cdpCookie
	for _, sn := range b.snapshots() {
		keys := map[looseKey]bool{}
		for k := range prev {
			keys[k] = true
		}
		for idx := range b.sets {
			e := b.events[idx]
			if !e.Time.Before(sn.from) && e.Time.Before(sn.to) {
				keys[keyLoose(e.Name, e.Domain, e.Path)] = true
			}
		}
		load := map[string]int{"": len(keys)}
		for k := range keys {
			load[siteOf(k.domain)]++
		}
		b.load[sn.step] = load
		prev = sn.jar
	}
}

// evictionNote says why a cookie of domain that left the jar in step was
// most likely evicted, or "" when its site was within Chromium's limits.
func (b *builder) evictionNote(step int, domain string) string {
	load := b.load[step]
	site := siteOf(domain)
	switch {
	case load[site] > chromiumPerSite:
		return fmt.Sprintf("evicted, most likely: %s had %d cookies in play in this step, and Chromium keeps at most %d per site (the least recently used go first)",
			site, load[site], chromiumPerSite)
	case load[""] > chromiumPerJar:
		return fmt.Sprintf("evicted, most likely: the jar had %d cookies in play in this step, and Chromium keeps at most %d in all", load[""], chromiumPerJar)
	}
	return ""
}

// addLostSets adds an event for every cookie a response or a script stored
// in a step's window that the jar read after it does not hold, unless a
// later event for the same cookie (a deletion, a rejection, another set)
// explains it. It runs after every other event exists, before the sort.
func (b *builder) addLostSets() {
	snaps := b.snapshots()
	if len(snaps) == 0 || len(b.sets) == 0 {
		return
	}
	// The events that can explain a cookie's state, oldest first.
	var order []int
	for idx, e := range b.events {
		switch {
		case e.Source == recording.SourceJar, e.Kind == recording.EventSent, e.Kind == recording.EventWithheld:
			continue
		}
		order = append(order, idx)
	}
	sort.SliceStable(order, func(i, j int) bool { return b.events[order[i]].Time.Before(b.events[order[j]].Time) })
	n := 0
	for w, sn := range snaps {
		last := map[looseKey]int{}
		for ; n < len(order) && b.events[order[n]].Time.Before(sn.to); n++ {
			e := b.events[order[n]]
			if !e.Time.Before(sn.from) {
				last[keyLoose(e.Name, e.Domain, e.Path)] = order[n]
			}
		}
		var next map[looseKey]cdpCookie
		if w+1 < len(snaps) {
			next = snaps[w+1].jar
		}
		for k, idx := range last {
			si, isSet := b.sets[idx]
			if !isSet || si.ignored {
				continue
			}
			if _, ok := sn.jar[k]; ok {
				continue
			}
			e := b.events[idx]
			if c, ok := next[k]; ok && e.Value != nil && b.red.Value(c.Value).Fingerprint == e.Value.Fingerprint {
				continue // set just as the jar was read: the next read has it
			}
			b.events = append(b.events, b.lost(sn, e, si))
		}
	}
}

// lost is the event for a cookie set in sn's window and missing from its
// jar.
func (b *builder) lost(sn snapshot, set recording.CookieEvent, si setInfo) recording.CookieEvent {
	ev := recording.CookieEvent{Time: sn.at, Step: sn.step, Source: recording.SourceJar, Name: set.Name,
		Domain: set.Domain, Path: set.Path, Value: set.Value, Request: set.Request, URL: set.URL, Location: set.Location}
	switch note := b.evictionNote(sn.step, set.Domain); {
	case !si.expires.IsZero() && !si.expires.After(sn.at):
		ev.Kind, ev.Detail = recording.EventExpired, "set in this step and expired before the jar was read"
	case note != "":
		ev.Kind, ev.Detail = recording.EventCleared, "set in this step, not in the jar after it: "+note
	case set.Source == recording.SourceScript:
		ev.Kind, ev.Detail = recording.EventRejected, "written by script, not in the jar after the step: the browser ignored the write and gave no reason"
		if si.control >= 0 {
			ev.Detail += fmt.Sprintf(" (it holds the control character %U, which Chromium refuses in cookies)", si.control)
		}
	default:
		ev.Kind, ev.Detail = recording.EventCleared, "set in this step, not in the jar after it, with no deletion, rejection or expiry seen"
	}
	return ev
}
