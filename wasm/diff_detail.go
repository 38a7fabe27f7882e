//go:build js && wasm

package main

import (
	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/rundiff"
)

// changeDetail writes the detail pane of change row i: the change, what it
// means (the rules of docs/diff.md), and links to its place in A and B.
func (a *app) changeDetail(u *ui, i int) {
	c := a.cmp
	row := &c.rows[i]
	sd := &c.diff.Scenarios[row.sd]
	title := row.Kind
	if row.Subject != "" {
		title += " " + row.Subject
	}
	u.el("h2", "", title+": "+row.What)
	u.el("p", "muted", sd.Scenario)
	u.open("dl").cls("kv").attr("id", "change-detail")
	u.el("dt", "", "A (baseline)").el("dd", "", orDash(row.From))
	u.el("dt", "", "B").el("dd", "", orDash(row.To))
	u.el("dt", "", "Verdict").open("dd")
	if m := row.Delta.Mark(); m != "" {
		markText(u, row.Delta)
	} else {
		u.text("a change, neither better nor worse")
	}
	u.close()
	u.close()
	u.el("p", "", explain(row, sd))

	// Where to look: the step and the cookie the change is about, in each run.
	step, cookie := -1, ""
	if row.ref >= 0 {
		switch row.Kind {
		case "cookie":
			cookie = sd.Cookies[row.ref].Name
		case "session":
			s := &sd.Sessions[row.ref]
			cookie = s.Cookie
			if s.Step != nil {
				step = *s.Step
			}
		case "finding":
			f := &sd.Findings[row.ref]
			cookie, step = f.Cookie, f.Step
			u.el("p", "msg", f.Message)
			if rd := analysis.RuleByID(f.Rule); rd != nil {
				u.el("h3", "", rd.Title).el("p", "", rd.Why)
			}
		}
	}
	u.el("h3", "", "See it in the runs")
	u.open("ul").cls("links").attr("id", "change-links")
	for side, r := range c.runs {
		si := c.scen[row.sd][side]
		if si < 0 {
			continue
		}
		rec := r.scens[si].rec
		name := string(rune('A' + side))
		pos, key := -1, ""
		if step >= 0 {
			pos = stepPos(rec, step)
		}
		if cookie != "" {
			key = cookieKey(rec, cookie, side, sd)
		}
		u.open("li").cls("side-" + name)
		u.el("b", "", name+": ")
		where := "session table"
		if pos >= 0 {
			where += " at step " + itoa(step)
		}
		u.link("go-sessions", hashIn(side, vSessions, si, pos, key), where)
		if key != "" {
			u.text(" · ").link("go-timeline", hashIn(side, vTimeline, si, pos, key), cookie+" on the timeline")
		}
		u.close()
	}
	u.close()
}

// cookieKey is the identKey of the cookie named name in a recording's jar:
// the one the diff compared when the diff names it, else the first.
func cookieKey(rec *recording.Recording, name string, side int, sd *rundiff.ScenarioDiff) string {
	for _, cc := range sd.Cookies {
		cs := cc.A
		if side == 1 {
			cs = cc.B
		}
		if cc.Name == name && cs != nil {
			return identKey(cs.Name, cs.Domain, cs.Path, cs.Partition)
		}
	}
	for _, st := range rec.Steps {
		for _, c := range st.Jar {
			if c.Name == name {
				return identKey(c.Name, c.Domain, c.Path, c.Partition)
			}
		}
	}
	return ""
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// explain says what a change means and when it counts as a regression
// (docs/diff.md, "What is compared").
func explain(row *diffRow, sd *rundiff.ScenarioDiff) string {
	switch row.Kind {
	case "scenario":
		switch row.What {
		case "status":
			return "How the scenario's run ended: passed, failed, errored, interrupted, from best to worst. Worse is a regression."
		case "failed step":
			return "Both runs failed, at other steps. Error texts are not compared: they name hosts, ports and values of their run."
		}
		return "A scenario only in A (gone: the suite lost coverage, a regression) or only in B (new)."
	case "session":
		behaviour := ""
		if row.ref >= 0 {
			behaviour = sd.Sessions[row.ref].Behaviour
		}
		switch behaviour {
		case rundiff.RotationAtLogin, rundiff.RotationAtPrivilege:
			return "Whether the ID held before the step was replaced at it. An ID kept across a login or privilege step (no) lets whoever planted or learned it before share the user's session: session fixation. No is a regression."
		case rundiff.InvalidatedAtLogout:
			return "Whether the ID held before the logout step ended there: yes; browser only (the browser dropped it but the server still accepted it, by the logout probe); no. Worse is a regression."
		case rundiff.Resets:
			return "Unexpected session resets with this cause, over the steps both runs ran. More is a regression."
		}
		return "Whether the analysis takes the cookie for a session ID. Reported, never a regression."
	case "finding":
		return "Findings are matched by rule and cookie, never by message. A new finding of severity low or worse is a regression, a fixed one an improvement; a worse severity is a regression."
	}
	switch row.What {
	case rundiff.Added, rundiff.Gone:
		return "A cookie only in B (added) or only in A (gone). Not a regression in itself: what it means shows in the findings and the session rows."
	case "secure":
		return "Secure keeps the cookie off plain-http requests, where anyone on the network reads it. Losing it is a regression."
	case "httpOnly":
		return "HttpOnly hides the cookie from scripts (document.cookie): injected script cannot read it. Losing it is a regression."
	case "sameSite":
		return "SameSite limits the cross-site requests that carry the cookie: Strict, Lax, unset (Lax in Chromium, None elsewhere), None, from strongest to weakest. Weaker is a regression."
	case "hostOnly":
		return "A host-only cookie goes only to the host that set it; a Domain attribute sends it to every subdomain too. Losing host-only is a regression."
	case "domain":
		return "The cookie's domain relative to the scenario's target: {target} is its host, {target-1} its parent. Wider is a regression."
	case "prefix":
		return "__Host- and __Secure- make the browser enforce Secure (and, for __Host-, host-only and path /). A weaker prefix is a regression."
	case "lifetime":
		return "From when the value was set to its expiry, or session (until the browser closes). For a session ID, persistent or longer is a regression: it outlives the browser."
	case "size":
		return "Bytes of name and value, reported when they change by at least 16 bytes and 25%. Never a regression."
	}
	return "Reported, never a regression."
}
