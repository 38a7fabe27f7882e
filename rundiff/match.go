package rundiff

import (
	"fmt"
	"strings"

	"github.com/sessiontrace/sessiontrace/recording"
)

// cookieIDs matches the cookies of the two runs of a scenario and gives
// each identity a canonical key, so that sessions and findings about the
// same cookie match even when its domain differs between environments.
type cookieIDs struct {
	a, b           []*profile
	pairOfA        map[*profile]*profile // a profile of A -> its match in B
	matchedB       map[*profile]bool
	canonA, canonB map[ident]string
	targetA        string
	targetB        string
}

// matchCookies pairs the profiles of A and B in three passes, each over
// what the previous left:
//
//  1. the same name, path, relative domain, host-only flag and partition;
//  2. the same name and path, when each run has one such cookie left (its
//     domain relation or partition changed);
//  3. the same name without its __Host-/__Secure- prefix, when each run has
//     one such cookie left (its path or prefix changed).
//
// What is left is gone (A) or added (B).
func matchCookies(a, b []*profile, targetA, targetB string) *cookieIDs {
	m := &cookieIDs{a: a, b: b, pairOfA: map[*profile]*profile{}, matchedB: map[*profile]bool{},
		canonA: map[ident]string{}, canonB: map[ident]string{}, targetA: targetA, targetB: targetB}
	exact := func(p *profile) string { return exactKey(p.Name, p.Path, p.Scope, p.HostOnly, p.partScope) }
	byPath := func(p *profile) string { return p.Name + "\x00" + p.Path }
	byName := func(p *profile) string { return strings.ToLower(p.Name[len(recording.CookiePrefix(p.Name)):]) }
	m.pass(exact, false)
	m.pass(byPath, true)
	m.pass(byName, true)
	n := 0
	for _, pa := range a {
		if pb := m.pairOfA[pa]; pb != nil {
			k := fmt.Sprint("#", n)
			n++
			m.setCanon(m.canonA, pa.ident(), k)
			m.setCanon(m.canonB, pb.ident(), k)
		}
	}
	for _, p := range a {
		m.setCanon(m.canonA, p.ident(), exact(p))
	}
	for _, p := range b {
		m.setCanon(m.canonB, p.ident(), exact(p))
	}
	return m
}

func exactKey(name, path, scope string, hostOnly bool, partScope string) string {
	return fmt.Sprint(name, "\x00", path, "\x00", scope, "\x00", hostOnly, "\x00", partScope)
}

// setCanon keeps the first key given to an identity (a partitioned and an
// unpartitioned cookie may share name, domain and path).
func (m *cookieIDs) setCanon(canon map[ident]string, id ident, k string) {
	if _, ok := canon[id]; !ok {
		canon[id] = k
	}
}

// pass pairs the unmatched profiles whose keys are equal; with unique, only
// keys that one unmatched profile of each run has.
func (m *cookieIDs) pass(key func(*profile) string, unique bool) {
	left := func(ps []*profile, used func(*profile) bool) map[string][]*profile {
		out := map[string][]*profile{}
		for _, p := range ps {
			if !used(p) {
				out[key(p)] = append(out[key(p)], p)
			}
		}
		return out
	}
	la := left(m.a, func(p *profile) bool { return m.pairOfA[p] != nil })
	lb := left(m.b, func(p *profile) bool { return m.matchedB[p] })
	for _, pa := range m.a {
		if m.pairOfA[pa] != nil {
			continue
		}
		k := key(pa)
		cands := lb[k]
		if len(cands) == 0 || unique && (len(cands) != 1 || len(la[k]) != 1) {
			continue
		}
		pb := cands[0]
		lb[k] = cands[1:]
		m.pairOfA[pa], m.matchedB[pb] = pb, true
	}
}

// canon returns the canonical key of a cookie that side A (or B) names:
// the same key for a matched pair, else its exact key.
func (m *cookieIDs) canon(inA bool, name, domain, path string) string {
	canon, target := m.canonB, m.targetB
	if inA {
		canon, target = m.canonA, m.targetA
	}
	if k, ok := canon[ident{name, domain, path}]; ok {
		return k
	}
	return exactKey(name, path, scopeOf(domain, target), !strings.HasPrefix(domain, "."), "")
}

// markSessionIDs flags the profiles of the cookies the analysis takes for
// session IDs in either run.
func (m *cookieIDs) markSessionIDs(a, b *side) {
	ids := map[string]bool{}
	for _, s := range a.sessions {
		ids[m.canon(true, s.Cookie, s.Domain, s.Path)] = true
	}
	for _, s := range b.sessions {
		ids[m.canon(false, s.Cookie, s.Domain, s.Path)] = true
	}
	for _, p := range m.a {
		p.sessionID = ids[m.canon(true, p.Name, p.Domain, p.Path)]
	}
	for _, p := range m.b {
		p.sessionID = ids[m.canon(false, p.Name, p.Domain, p.Path)]
	}
}

// changes lists the cookie rows: A's cookies in A's order (changed or
// gone), then the cookies only B has.
func (m *cookieIDs) changes() []CookieChange {
	out := []CookieChange{}
	for _, pa := range m.a {
		pb := m.pairOfA[pa]
		if pb == nil {
			out = append(out, CookieChange{Name: pa.Name, Change: Gone, SessionID: pa.sessionID, A: state(pa), Attributes: []AttrChange{}})
			continue
		}
		sid := pa.sessionID || pb.sessionID
		attrs := compareCookie(pa, pb, sid)
		if len(attrs) == 0 {
			continue
		}
		c := CookieChange{Name: pb.Name, Change: Changed, SessionID: sid, A: state(pa), B: state(pb), Attributes: attrs}
		for _, at := range attrs {
			c.Regression = c.Regression || at.Regression
			c.Improvement = c.Improvement || at.Improvement
		}
		out = append(out, c)
	}
	for _, pb := range m.b {
		if !m.matchedB[pb] {
			out = append(out, CookieChange{Name: pb.Name, Change: Added, SessionID: pb.sessionID, B: state(pb), Attributes: []AttrChange{}})
		}
	}
	return out
}

func state(p *profile) *CookieState {
	s := p.CookieState
	return &s
}
