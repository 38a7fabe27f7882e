//go:build js && wasm

package main

import (
	"strings"
	"syscall/js"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/rundiff"
)

// The diff view: per scenario, run A (the baseline) and run B side by
// side, and each change rundiff found. A change row is one line of
// `sessiontrace diff`'s text output, in the same order; it carries the
// change in data attributes, for tests that compare the page with the CLI.
// A regression says so in words and with ⚠, not by colour alone.

func (a *app) renderDiff(view js.Value) {
	u := &ui{}
	u.open("section").cls("diff")
	c := a.cmp
	if c == nil {
		diffPrompt(u)
		u.close()
		mount(view, u)
		return
	}
	a.diffHead(u)
	u.open("div").cls("diff-list").attr("id", "diff-list")
	k := 0
	for i := range c.diff.Scenarios {
		k = a.diffScenario(u, i, k)
	}
	if a.diffRegOnly && c.diff.Totals.Regressions == 0 {
		u.el("p", "empty", "No regressions.")
	}
	u.close()
	u.close()
	mount(view, u)
	if el := doc.Call("querySelector", ".dchg.sel"); el.Truthy() {
		el.Call("scrollIntoView", map[string]any{"block": "nearest"})
	}
}

// diffHead writes the toolbar, the summary line and the two runs.
func (a *app) diffHead(u *ui) {
	c := a.cmp
	t := c.diff.Totals
	cls, icon := "diff-summary", "✓"
	switch {
	case t.Regressions > 0:
		cls, icon = cls+" has-reg", "⚠"
	case t.Changes > 0:
		cls, icon = cls+" has-chg", "≠"
	}
	u.open("div").cls("toolbar")
	u.open("label").cls("check").open("input").attr("id", "diff-reg").attr("type", "checkbox")
	if a.diffRegOnly {
		u.attr("checked", "")
	}
	u.close().text(" only regressions").close()
	u.button("", "export:diff", "Export text", "The diff as sessiontrace diff prints it")
	u.open("label").cls("button").attr("for", "pick-cmp").attr("title", "Compare run A with other recordings or run files (B)").text("Compare with other files…").close()
	u.close()
	// The summary's own element holds exactly the CLI's last line.
	u.open("p").cls(cls).el("span", "icon", icon).text(" ")
	u.open("span").attr("id", "diff-summary").text(lastLine(c.text)).close()
	u.close()
	u.open("div").cls("diff-runs")
	for i, label := range []string{"A (baseline)", "B"} {
		r, info := c.runs[i], c.diff.A
		if i == 1 {
			info = c.diff.B
		}
		u.open("div").cls("run-card").attr("id", "diff-run-"+string(rune('a'+i)))
		u.el("b", "", label+" ").el("code", "", r.source)
		u.open("span").cls("muted").text(" · " + plural(info.Scenarios, "scenario", "scenarios") + " compared · ")
		u.el("span", "status st-"+string(info.Status), string(info.Status)).close()
		var unread []string
		for _, s := range r.scens {
			if s.rec == nil {
				unread = append(unread, s.name())
			}
		}
		if len(unread) > 0 {
			u.el("div", "warn small", "Not compared ("+plural(len(unread), "recording", "recordings")+" not read): "+strings.Join(unread, ", "))
		}
		u.close()
	}
	u.close()
}

// diffPrompt is the diff view before a second run is open.
func diffPrompt(u *ui) {
	u.open("div").cls("landing")
	u.el("h1", "", "Compare with another run")
	u.open("p").text("See what changed from this run (A, the baseline) to another run of the same suite (B): cookies added or gone and their attributes, session behaviour (rotation at login, invalidation at logout, resets by cause), findings new or fixed, and each scenario's status. It is the comparison of ").el("code", "", "sessiontrace diff A B").text(", made in this page.").close()
	u.open("p").cls("open")
	u.open("label").cls("button").attr("for", "pick-cmp").text("Compare with files…").close()
	u.open("label").cls("button").attr("for", "pick-cmp-dir").text("Compare with a folder…").close()
	u.close()
	u.el("p", "", "Or drop run B (a run folder, an index.json with its recordings, recordings or HAR files) on the right half of the page, or add &compare=PATH to the address, next to ?open=.")
	u.el("p", "privacy-big", "Nothing is uploaded: both runs are read and compared in this page, in your browser.")
	u.close()
}

// lastLine is the summary line of the text output.
func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// visible reports whether change row i passes the filter.
func (a *app) visible(i int) bool {
	return !a.diffRegOnly || a.cmp.rows[i].Regression
}

// diffScenario writes scenario i of the diff, whose change rows start at
// k, and returns where the next scenario's start.
func (a *app) diffScenario(u *ui, i, k int) int {
	c := a.cmp
	sd := &c.diff.Scenarios[i]
	end, regs, shown := k, 0, 0
	for end < len(c.rows) && c.rows[end].sd == i {
		if c.rows[end].Regression {
			regs++
		}
		if a.visible(end) {
			shown++
		}
		end++
	}
	if a.diffRegOnly && shown == 0 {
		return end
	}
	u.open("section").cls("dsc ch-"+sd.Change).attrInt("data-sd", i).attr("data-change", sd.Change)
	u.open("h2")
	badge := sd.Change
	switch sd.Change {
	case rundiff.Gone:
		badge = "gone: only in A"
	case rundiff.New:
		badge = "new: only in B"
	}
	u.el("span", "badge b-"+sd.Change, badge)
	u.text(" " + sd.Scenario)
	if regs > 0 {
		u.el("span", "nreg", "⚠ "+plural(regs, "regression", "regressions"))
	}
	u.close()
	u.open("table").cls("dtab")
	u.open("thead").open("tr").el("th", "", "").el("th", "", "A (baseline)").el("th", "", "B").el("th", "", "").close().close()
	u.open("tbody")
	diffRunRow(u, sd, c.scen[i])
	if k == end && len(sd.Notes) == 0 {
		u.open("tr").cls("dnone").el("th", "", "").open("td").attr("colspan", "3").text("✓ no changes").close().close()
	}
	kind := ""
	for j := k; j < end; j++ {
		if !a.visible(j) {
			continue
		}
		row := &c.rows[j]
		if row.Kind != kind {
			kind = row.Kind
			u.open("tr").cls("dsub").open("th").attr("colspan", "4").text(kindTitle(kind)).close().close()
		}
		a.changeRow(u, sd, j)
	}
	u.close().close()
	if len(sd.Notes) > 0 {
		u.open("ul").cls("dnotes")
		for _, n := range sd.Notes {
			u.open("li").el("b", "", "note: ").text(n).close()
		}
		u.close()
	}
	u.close()
	return end
}

// kindTitle heads the rows of a kind of change.
func kindTitle(kind string) string {
	switch kind {
	case "scenario":
		return "Outcome"
	case "cookie":
		return "Cookies"
	case "session":
		return "Session behaviour"
	}
	return "Findings"
}

// changeRow writes change row j (of scenario sd): what changed, its value
// in A and in B, and whether it is a regression.
func (a *app) changeRow(u *ui, sd *rundiff.ScenarioDiff, j int) {
	row := &a.cmp.rows[j]
	var cookie *rundiff.CookieChange
	if row.Kind == "cookie" && row.ref >= 0 {
		cookie = &sd.Cookies[row.ref]
		// A changed cookie: the cookie in both runs, side by side, above
		// its first attribute row.
		if cookie.Change == rundiff.Changed && (j == 0 || a.cmp.rows[j-1].sd != row.sd || a.cmp.rows[j-1].ref != row.ref || a.cmp.rows[j-1].Kind != "cookie" || !a.visible(j-1)) {
			cookiePairRow(u, cookie)
		}
	}
	verdict := verdictClass(row.Delta)
	sel := ""
	if j == a.change {
		sel = " sel"
	}
	var finding *rundiff.FindingChange
	if row.Kind == "finding" && row.ref >= 0 {
		finding = &sd.Findings[row.ref]
	}
	cls := "dchg " + verdict + sel
	if finding != nil {
		cls += " has-msg"
	}
	if cookie != nil && cookie.Change == rundiff.Changed {
		cls += " dattr"
	}
	u.open("tr").cls(cls).attrInt("data-change", j).attr("data-act", "sel:dchg:"+itoa(j)).
		attr("data-kind", row.Kind).attr("data-subject", row.Subject).attr("data-what", row.What).
		attr("data-from", row.From).attr("data-to", row.To).attr("data-mark", row.Delta.Mark())
	changeWhat(u, row, cookie, finding)
	switch {
	case cookie != nil && cookie.Change != rundiff.Changed:
		for _, cs := range []*rundiff.CookieState{cookie.A, cookie.B} {
			u.open("td")
			if cs == nil {
				u.el("span", "muted", "—")
			} else {
				cookieChips(u, cs, nil)
			}
			u.close()
		}
	default:
		valueCell(u, row.Kind, row.What, row.From, false)
		valueCell(u, row.Kind, row.What, row.To, true)
	}
	u.open("td").cls("mark")
	if row.Kind == "finding" || cookie != nil && cookie.Change != rundiff.Changed {
		u.el("span", "word", row.What)
	}
	markText(u, row.Delta)
	u.close()
	u.close()
	if finding != nil {
		// The message under the row, as wide as the two runs.
		u.open("tr").cls("dmsg "+verdict+sel).attr("data-act", "sel:dchg:"+itoa(j)).el("th", "", "")
		u.open("td").attr("colspan", "3").text("step " + itoa(finding.Step) + ": " + finding.Message).close()
		u.close()
	}
}

// diffRunRow is the row of a scenario's diff that says how it ran in
// each run; sc are its scenario indexes in A and B (-1: not there).
func diffRunRow(u *ui, sd *rundiff.ScenarioDiff, sc [2]int) {
	u.open("tr").cls("dmeta").el("th", "", "run")
	for side, r := range []*rundiff.ScenarioRun{sd.A, sd.B} {
		u.open("td")
		if r == nil {
			u.el("span", "muted", "—  not in "+string(rune('A'+side)))
		} else {
			u.el("span", "status st-"+string(r.Status), string(r.Status)).text(" · " + plural(r.Steps, "step", "steps") + " ran")
			if r.File != "" {
				u.el("div", "small mono", r.File)
			}
			u.el("div", "small mono muted", r.Target)
			if r.Error != "" {
				u.el("div", "small error", r.Error)
			}
			if sc[side] >= 0 {
				u.open("div").cls("small").link("", hashIn(side, vSessions, sc[side], -1, ""), "session table").text(" · ").
					link("", hashIn(side, vTimeline, sc[side], -1, ""), "timeline").close()
			}
		}
		u.close()
	}
	u.el("td", "", "")
	u.close()
}

// cookiePairRow shows a changed cookie in both runs, side by side, its
// changed attributes highlighted.
func cookiePairRow(u *ui, cookie *rundiff.CookieChange) {
	hl := map[string]string{}
	for _, at := range cookie.Attributes {
		hl[at.Attribute] = verdictClass(at.Delta)
	}
	u.open("tr").cls("dcookie")
	cookieName(u, cookie)
	u.open("td")
	cookieChips(u, cookie.A, hl)
	u.close().open("td")
	cookieChips(u, cookie.B, hl)
	u.close().el("td", "", "").close()
}

// changeWhat is the cell that names what a change row is about.
func changeWhat(u *ui, row *diffRow, cookie *rundiff.CookieChange, finding *rundiff.FindingChange) {
	u.open("th").cls("what")
	switch {
	case cookie != nil && cookie.Change == rundiff.Changed:
		u.text(row.What)
	case cookie != nil:
		cookieNameText(u, cookie)
		u.text(" " + row.What)
	case row.Kind == "session":
		u.el("code", "", row.Subject).text(" " + row.What)
	case finding != nil:
		findingName(u, finding)
	default:
		u.text(row.What)
	}
	u.close()
}

// diffScenarioStep selects the first change shown of the next (d=1) or
// previous (d=-1) scenario: [ and ] in the diff view.
func (a *app) diffScenarioStep(d int) {
	c := a.cmp
	if c == nil {
		return
	}
	var firsts []int
	for j := range c.rows {
		if a.visible(j) && (len(firsts) == 0 || c.rows[firsts[len(firsts)-1]].sd != c.rows[j].sd) {
			firsts = append(firsts, j)
		}
	}
	if len(firsts) == 0 {
		return
	}
	cur := -1
	for i, f := range firsts {
		if a.change >= 0 && c.rows[f].sd == c.rows[a.change].sd {
			cur = i
		}
	}
	next := 0
	switch {
	case cur < 0 && d < 0:
		next = len(firsts) - 1
	case cur >= 0:
		next = (cur + d + len(firsts)) % len(firsts)
	}
	a.change = firsts[next]
	a.replace()
}

// verdictClass is a change's class: reg, imp or neu (neither).
func verdictClass(d rundiff.Delta) string {
	switch {
	case d.Regression:
		return "reg"
	case d.Improvement:
		return "imp"
	}
	return "neu"
}

func markText(u *ui, d rundiff.Delta) {
	switch {
	case d.Regression:
		u.el("span", "m-reg", "⚠ REGRESSION")
	case d.Improvement:
		u.el("span", "m-imp", "✓ improvement")
	}
}

// valueCell writes one side of a change; to marks B's side.
func valueCell(u *ui, kind, what, v string, to bool) {
	u.open("td").cls("val")
	if to {
		u.el("span", "arrow", "→ ")
	}
	switch {
	case v == "":
		u.el("span", "muted", "—")
	case kind == "finding":
		u.el("span", "sev sev-"+v, v)
	case kind == "scenario" && what == "status":
		u.el("span", "status st-"+v, v)
	default:
		u.el("code", "", v)
	}
	u.close()
}

// cookieName writes the first cell of a cookie's row.
func cookieName(u *ui, c *rundiff.CookieChange) {
	u.open("th").cls("what")
	cookieNameText(u, c)
	u.close()
}

func cookieNameText(u *ui, c *rundiff.CookieChange) {
	u.el("code", "", c.Name)
	if c.SessionID {
		u.el("span", "tag", " session ID")
	}
}

// findingName writes the rule, the cookie and the rule's title.
func findingName(u *ui, f *rundiff.FindingChange) {
	u.el("code", "", f.Rule)
	if f.Cookie != "" {
		u.text(" · ").el("code", "", f.Cookie)
	}
	if rd := analysis.RuleByID(f.Rule); rd != nil {
		u.el("div", "small muted", rd.Title)
	}
}

// cookieChips writes a cookie's attributes; hl holds the attributes that
// changed (attribute -> verdict class), which are highlighted with <mark>.
func cookieChips(u *ui, cs *rundiff.CookieState, hl map[string]string) {
	chip := func(attr, text string) {
		if v, ok := hl[attr]; ok {
			u.open("mark").cls("chip hl "+v).attr("title", attr+" changed").text(text).close()
			return
		}
		u.el("span", "chip", text)
	}
	either := func(on bool, yes, no string) string {
		if on {
			return yes
		}
		return no
	}
	u.open("span").cls("chips")
	chip("prefix", cs.Name)
	dom := cs.Domain
	if cs.Scope != strings.TrimPrefix(cs.Domain, ".") {
		dom += " (" + cs.Scope + ")"
	}
	chip("domain", dom)
	chip("hostOnly", either(cs.HostOnly, "host-only", "Domain attribute"))
	chip("path", "path "+cs.Path)
	chip("secure", either(cs.Secure, "Secure", "no Secure"))
	chip("httpOnly", either(cs.HTTPOnly, "HttpOnly", "no HttpOnly"))
	chip("sameSite", either(cs.SameSite != "", "SameSite="+cs.SameSite, "SameSite unset"))
	if _, ok := hl["partitioned"]; ok || cs.Partition != "" {
		chip("partitioned", either(cs.Partition != "", "partitioned", "not partitioned"))
	}
	chip("lifetime", either(cs.Session, "session", "lifetime "+rundiff.FormatLifetime(time.Duration(cs.Lifetime)*time.Second)))
	chip("size", itoa(cs.Size)+" B")
	u.close()
}

// stepPos is the position of the step with index i in r, or -1.
func stepPos(r *recording.Recording, i int) int {
	for p := range r.Steps {
		if r.Steps[p].Index == i {
			return p
		}
	}
	return -1
}
