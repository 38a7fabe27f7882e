package policy

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// expiresGrace is how much longer than maxLifetime a lifetime given by
// Expires may be: it is measured from the response's arrival on the
// harness's clock, and the server's clock may be ahead.
const expiresGrace = time.Minute

// Check returns the violations of the policy in one recording, as findings
// of rule POLICY-VIOLATION, one per entry, clause and cookie identity (later
// occurrences are counted, as analysis counts its findings). rep is the
// analysis of rec, or of a run that holds it (only the sessions of rec's
// scenario are used); nil analyses rec.
func (p *Policy) Check(rec *recording.Recording, rep *analysis.Report) []analysis.Finding {
	if p == nil || rec == nil {
		return nil
	}
	if rep == nil {
		rep = analysis.Analyze(rec)
	}
	c := &checker{p: p, rec: rec, found: map[string]*analysis.Finding{}, others: map[string][]int{}}
	for _, s := range rep.Sessions {
		if s.Scenario == rec.Scenario.Name {
			c.sessions = append(c.sessions, s)
		}
	}
	c.run()
	return c.list()
}

// Apply checks each recording and adds the violations to rep, which must
// be their analysis, keeping rep's order: worst first, then scenario,
// step, rule and cookie.
func (p *Policy) Apply(rep *analysis.Report, recs []*recording.Recording) {
	if p == nil || rep == nil {
		return
	}
	for _, r := range recs {
		rep.Findings = append(rep.Findings, p.Check(r, rep)...)
	}
	SortFindings(rep.Findings)
}

// SortFindings orders findings as analysis does: worst first, then by
// scenario, step, rule and cookie.
func SortFindings(fs []analysis.Finding) {
	rank := func(s analysis.Severity) int {
		if i := slices.Index(analysis.Severities, s); i >= 0 {
			return i
		}
		return len(analysis.Severities)
	}
	slices.SortStableFunc(fs, func(a, b analysis.Finding) int {
		return cmp.Or(cmp.Compare(rank(a.Severity), rank(b.Severity)), cmp.Compare(a.Scenario, b.Scenario),
			cmp.Compare(a.Step, b.Step), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Cookie, b.Cookie))
	})
}

type checker struct {
	p        *Policy
	rec      *recording.Recording
	sessions []analysis.SessionReport

	found  map[string]*analysis.Finding
	others map[string][]int // steps of the later occurrences
	order  []string
}

// A violation is one occurrence of a broken clause, before de-duplication.
type violation struct {
	entry  *Entry // nil for an unknown cookie
	clause string // the key broken, as the file spells it
	kind   string // tells apart two ways of breaking one clause (dieAtLogout)
	key    recording.CookieKey
	step   int
	req    string
	url    string
	want   string // what the clause requires: "must be HttpOnly"
	got    string // what happened: "it was set without HttpOnly at step 2"
	ev     string
}

func (c *checker) run() {
	var entries []*Entry
	for _, e := range c.p.Cookies {
		if e.appliesTo(c.rec.Scenario.Name) {
			entries = append(entries, e)
		}
	}
	sightings := observe(c.rec)
	for i := range sightings {
		s := &sightings[i]
		named := false
		for _, e := range entries {
			if e.matches(s.key.Name, s.key.Domain) {
				named = true
				c.attributes(e, s)
			}
		}
		if !named && c.p.UnknownCookies == UnknownReport {
			c.add(violation{clause: "unknownCookies", key: s.key, step: s.step, req: s.request, url: s.url,
				want: "is not named by the policy", got: "it was set at step " + strconv.Itoa(s.step), ev: s.how})
		}
	}
	ids := identities(c.rec, sightings)
	for _, e := range entries {
		var mine []recording.CookieKey
		for _, k := range ids {
			if e.matches(k.Name, k.Domain) {
				mine = append(mine, k)
			}
		}
		if e.Required && len(mine) == 0 {
			c.add(violation{entry: e, clause: "required", key: recording.CookieKey{Name: e.Name}, step: c.lastStep(),
				want: "must be set in this scenario", got: "the recording never shows it",
				ev: fmt.Sprintf("no Set-Cookie line, script write or jar entry named %s in %d steps and %d requests",
					e.Name, len(c.rec.Steps), len(c.rec.Requests))})
		}
		for _, k := range mine {
			if e.RotateAtLogin {
				c.rotation(e, k)
			}
			if e.DieAtLogout {
				c.logout(e, k)
			}
		}
	}
}

// attributes checks the clauses on flags, lifetime and name of one sighting.
func (c *checker) attributes(e *Entry, s *sighting) {
	at := " at step " + strconv.Itoa(s.step)
	add := func(clause, want, got string) {
		c.add(violation{entry: e, clause: clause, key: s.key, step: s.step, req: s.request, url: s.url,
			want: want, got: got + at, ev: s.how})
	}
	if e.Forbidden {
		add("forbidden", "must never be set", "it was set")
	}
	if e.Secure && !s.secure {
		add("secure", "must be Secure", "it was set without Secure")
	}
	if e.HTTPOnly && !s.httpOnly {
		add("httpOnly", "must be HttpOnly", "it was set without HttpOnly")
	}
	if !e.SameSite.allows(s.sameSite) {
		got := "it was set without SameSite"
		switch v := recording.SameSiteMode(s.sameSite); {
		case v != "":
			got = "it was set with SameSite=" + v
		case strings.TrimSpace(s.sameSite) != "":
			got = fmt.Sprintf("it was set with SameSite=%s, which browsers ignore", s.sameSite)
		}
		add("sameSite", "must have "+e.SameSite.describe(), got)
	}
	if e.Session && s.persistent {
		add("session", "must be a session cookie", "it was set with a lifetime of "+lifetimeText(s))
	}
	grace := time.Duration(0)
	if !s.exact {
		grace = expiresGrace
	}
	if e.MaxLifetime > 0 && s.persistent && s.lifetime > e.MaxLifetime+grace {
		add("maxLifetime", "must live at most "+formatLifetime(e.MaxLifetime), "it was set with a lifetime of "+lifetimeText(s))
	}
	if e.HostOnly && !s.hostOnly {
		add("hostOnly", "must be host-only (no Domain attribute)", "it was set for the domain "+s.key.Domain)
	}
	if e.Prefix != "" && recording.CookiePrefix(s.key.Name) != e.Prefix {
		add("prefix", "must be named with the "+e.Prefix+" prefix", "it was set")
	}
}

func lifetimeText(s *sighting) string {
	d := s.lifetime.Round(time.Second)
	t := formatLifetime(d)
	if d <= 0 {
		t = "0s"
	}
	if s.lifetimeText != "" {
		t += " (" + s.lifetimeText + ")"
	}
	return t
}

// lastStep is the last step that ran, where "never seen" is reported.
func (c *checker) lastStep() int {
	last := 0
	for _, st := range c.rec.Steps {
		if st.Status != recording.StatusSkipped && st.Index > last {
			last = st.Index
		}
	}
	return last
}

// clauseText is the clause as written in the file: "sameSite: at-least-lax".
func clauseText(p *Policy, e *Entry, clause string) string {
	v := "true"
	switch {
	case e == nil:
		v = p.UnknownCookies
	case clause == "sameSite":
		v = e.SameSite.String()
	case clause == "maxLifetime":
		v = formatLifetime(e.MaxLifetime)
	case clause == "prefix":
		v = e.Prefix
	}
	return clause + ": " + v
}

// remedies say what to do about a broken clause.
var remedies = map[string]string{
	"forbidden":      "Stop setting the cookie, or remove forbidden from the policy if it is now allowed.",
	"secure":         "Add Secure to the cookie.",
	"httpOnly":       "Add HttpOnly to the cookie (scripts then cannot read it).",
	"sameSite":       "Set the SameSite attribute the policy asks for.",
	"session":        "Drop Expires and Max-Age so the cookie ends with the browser session.",
	"maxLifetime":    "Shorten the cookie's Max-Age or Expires.",
	"hostOnly":       "Leave out the Domain attribute so the cookie stays on its host.",
	"prefix":         "Rename the cookie with the prefix (and give it the attributes the prefix demands).",
	"required":       "Check that the site still sets the cookie (or that the scenario still reaches the page that does).",
	"rotateAtLogin":  "Issue a new session ID at login and invalidate the old one on the server.",
	"dieAtLogout":    "At logout, invalidate the session on the server and delete the cookie.",
	"unknownCookies": "Add an entry for the cookie to the policy if it is expected, or stop setting it.",
}

// add records one occurrence; the first of each entry, clause and cookie
// identity becomes the finding, later ones are counted.
func (c *checker) add(v violation) {
	entryID := "unknown"
	if v.entry != nil {
		entryID = v.entry.Pos.String()
	}
	id := strings.Join([]string{entryID, v.clause, v.kind, v.key.Name, v.key.Domain, v.key.Path}, "\x00")
	if f := c.found[id]; f != nil {
		f.Count++
		c.others[id] = append(c.others[id], v.step)
		return
	}
	pos := c.p.unknownPos
	if v.entry != nil {
		pos = v.entry.clausePos(v.clause)
	}
	ev := v.ev
	if v.entry != nil && v.entry.Note != "" {
		ev += "; policy note: " + v.entry.Note
	}
	c.found[id] = &analysis.Finding{Rule: RuleID, Severity: c.p.severity(v.entry), Scenario: c.rec.Scenario.Name,
		Step: v.step, Cookie: v.key.Name, Domain: v.key.Domain, Path: v.key.Path, URL: v.url, Request: v.req,
		Message:     fmt.Sprintf("%s: %s %s (%s); %s", fileLine(pos), v.key.Name, v.want, clauseText(c.p, v.entry, v.clause), v.got),
		Evidence:    ev,
		Remediation: remedies[v.clause] + " If the change is intended, update the policy file.",
		Count:       1, File: c.rec.Scenario.File}
	c.order = append(c.order, id)
}

func (c *checker) list() []analysis.Finding {
	out := make([]analysis.Finding, 0, len(c.order))
	for _, id := range c.order {
		f := *c.found[id]
		if f.Count > 1 {
			steps := slices.Compact(slices.Sorted(slices.Values(c.others[id])))
			strs := make([]string, len(steps))
			for i, s := range steps {
				strs[i] = strconv.Itoa(s)
			}
			word := "step"
			if len(steps) > 1 {
				word = "steps"
			}
			f.Evidence += fmt.Sprintf(" (%d occurrences; the others at %s %s)", f.Count, word, strings.Join(strs, ", "))
		}
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(a, b analysis.Finding) int { return cmp.Compare(a.Step, b.Step) })
	return out
}
