//go:build js && wasm

package main

import (
	"strconv"
	"strings"
	"syscall/js"

	"github.com/sessiontrace/sessiontrace/analysis"
)

// findingOrder lists the findings shown, in display order: by severity,
// then rule, then the report's order.
func (a *app) findingOrder() []int {
	r := a.run
	q := strings.ToLower(strings.TrimSpace(a.findQ))
	var out []int
	for _, sev := range analysis.Severities {
		var rules []string
		byRule := map[string][]int{}
		for i := range r.report.Findings {
			f := &r.report.Findings[i]
			if f.Severity != sev {
				continue
			}
			if !a.findAll && r.findingScen[i] != a.sc {
				continue
			}
			if q != "" && !strings.Contains(strings.ToLower(f.Rule+" "+f.Scenario+" "+f.Cookie+" "+f.Message+" "+f.Evidence+" "+f.URL), q) {
				continue
			}
			if byRule[f.Rule] == nil {
				rules = append(rules, f.Rule)
			}
			byRule[f.Rule] = append(byRule[f.Rule], i)
		}
		for _, rule := range rules {
			out = append(out, byRule[rule]...)
		}
	}
	return out
}

func (a *app) renderFindings(view js.Value) {
	r := a.run
	if r.lazy && r.findings != fLoaded {
		u := &ui{}
		u.open("section").cls("findings")
		findingsPending(u, r, "The run's findings are", "empty")
		u.close()
		mount(view, u)
		return
	}
	// The list keeps its place when drawn again (a finding selected).
	top := 0.0
	if box := byID("find-list"); box.Truthy() {
		top = box.Get("scrollTop").Float()
	}
	u := &ui{}
	u.open("section").cls("findings")
	u.open("div").cls("toolbar")
	u.open("input").attr("id", "find-q").attr("type", "search").attr("placeholder", "Filter findings  (/)").attr("aria-label", "Filter findings").attr("value", a.findQ).close()
	if len(a.run.scens) > 1 {
		u.open("label").cls("check")
		u.open("input").attr("id", "find-all").attr("type", "checkbox")
		if a.findAll {
			u.attr("checked", "")
		}
		u.close().text(" all scenarios").close()
	}
	u.button("", "export:findings", "Export CSV", "The findings as CSV")
	u.open("span").cls("count").attr("id", "find-count").close()
	u.close()
	u.open("div").attr("id", "find-list").cls("find-list").attr("tabindex", "0")
	u.open("div").attr("id", "find-body").cls("find-body").close()
	u.close()
	u.close()
	mount(view, u)
	a.findDrawn = ""
	if top > 0 {
		byID("find-list").Set("scrollTop", top)
	}
	a.findingsList()
	a.scrollToFinding()
}

// The findings list is virtualised: rows of fixed heights by kind (a
// severity's heading, a rule's heading, a finding), of which only those
// in view are drawn. Sizes in CSS pixels (style.css agrees).
const (
	findSevH  = 40.0
	findRuleH = 32.0
	findCardH = 132.0 // a card of 124 px and the gap under it
	// findAll: a list of up to this many rows is drawn whole.
	findAll = 150
)

// A findRow is a row of the findings list: a severity's heading (fi -1,
// rule ""), a rule's heading (fi -1) or a finding.
type findRow struct {
	sev  analysis.Severity
	rule string
	fi   int
	n    int     // a heading's count of findings
	top  float64 // its place in the list
}

// findingRows lays the findings shown out as rows, once per filter.
func (a *app) findingRows() []findRow {
	key := a.findQ + "\x00" + strconv.FormatBool(a.findAll) + "\x00" + itoa(a.sc)
	if a.findKey == key && a.findRun == a.run {
		return a.findRows
	}
	r := a.run
	var rows []findRow
	top := 0.0
	add := func(fr findRow, h float64) {
		fr.top = top
		rows = append(rows, fr)
		top += h
	}
	var sevAt, ruleAt int
	for _, fi := range a.findingOrder() {
		f := &r.report.Findings[fi]
		if len(rows) == 0 || f.Severity != rows[sevAt].sev {
			sevAt = len(rows)
			add(findRow{sev: f.Severity, fi: -1}, findSevH)
			ruleAt = -1
		}
		if ruleAt < 0 || rows[ruleAt].rule != f.Rule {
			ruleAt = len(rows)
			add(findRow{sev: f.Severity, rule: f.Rule, fi: -1}, findRuleH)
		}
		rows[sevAt].n++
		rows[ruleAt].n++
		add(findRow{sev: f.Severity, rule: f.Rule, fi: fi}, findCardH)
	}
	rows = append(rows, findRow{fi: -1, top: top}) // the end
	a.findRows, a.findKey, a.findRun = rows, key, a.run
	return rows
}

// findingsList draws the rows of the findings list in view.
func (a *app) findingsList() {
	box, body := byID("find-list"), byID("find-body")
	if !box.Truthy() || !body.Truthy() {
		return
	}
	r := a.run
	rows := a.findingRows()
	shown := 0
	for _, fr := range rows {
		if fr.fi >= 0 {
			shown++
		}
	}
	setText(byID("find-count"), plural(shown, "finding", "findings"))
	end := rows[len(rows)-1].top
	body.Get("style").Call("setProperty", "height", strconv.FormatFloat(end, 'f', 0, 64)+"px")
	u := &ui{}
	if shown == 0 {
		if len(r.report.Findings) == 0 {
			u.el("p", "empty", "No findings: every check of the rule catalogue passed.")
		} else {
			u.el("p", "empty", "No finding matches the filter.")
		}
	}
	top := box.Get("scrollTop").Float()
	h := box.Get("clientHeight").Float()
	if h == 0 {
		h = 700
	}
	// The first row in view, less a few, by binary search on the tops.
	lo, hi := 0, len(rows)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if rows[mid+1].top <= top {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	from, bottom := max(0, lo-3), top+h+2*findCardH
	if len(rows) <= findAll || printing {
		from, bottom = 0, end+1 // a short list is drawn whole
	}
	to := from
	for to < len(rows)-1 && rows[to].top < bottom {
		to++
	}
	// The rows in place stay when they are the same: elements replaced
	// under the pointer between a press and a release lose the click.
	drawn := a.findKey + "\x00" + strconv.FormatBool(printing) + itoa(from) + "\x00" + itoa(to) + "\x00" + itoa(a.finding)
	if drawn == a.findDrawn {
		return
	}
	a.findDrawn = drawn
	for k := from; k < to; k++ {
		fr := rows[k]
		pos := strconv.FormatFloat(fr.top, 'f', 0, 64) + "px"
		switch {
		case fr.fi >= 0:
			a.findingCard(u, fr.fi, false, pos)
		case fr.rule == "":
			u.open("h2").cls("sev-head").attr("data-severity", string(fr.sev)).style("top", pos)
			u.el("span", "sev sev-"+string(fr.sev), string(fr.sev)).text(" " + plural(fr.n, "finding", "findings")).close()
		default:
			u.open("h3").cls("rule-head").attr("data-rule", fr.rule).style("top", pos).el("code", "", fr.rule)
			if rd := analysis.RuleByID(fr.rule); rd != nil {
				u.attr("title", rd.Criterion).text(" " + rd.Title)
			}
			u.text(" · " + plural(fr.n, "finding", "findings")).close()
		}
	}
	mount(body, u)
}

// scrollToFinding brings the selected finding into the list's view.
func (a *app) scrollToFinding() {
	box := byID("find-list")
	if a.finding < 0 || !box.Truthy() {
		return
	}
	for _, fr := range a.findingRows() {
		if fr.fi != a.finding {
			continue
		}
		st := box.Get("scrollTop").Float()
		vh := box.Get("clientHeight").Float()
		if fr.top < st {
			box.Set("scrollTop", fr.top)
		} else if fr.top+findCardH > st+vh {
			box.Set("scrollTop", fr.top+findCardH-vh)
		}
		a.findingsList()
		return
	}
}

// findingCard writes one finding; pos places it in the findings list ("":
// in the detail pane).
func (a *app) findingCard(u *ui, fi int, full bool, pos string) {
	r := a.run
	f := &r.report.Findings[fi]
	si := r.findingScen[fi]
	cls := "finding sev-b-" + string(f.Severity)
	if fi == a.finding {
		cls += " sel"
	}
	u.open("article").cls(cls).attrInt("data-finding", fi).attr("data-rule", f.Rule).attr("data-act", "sel:finding:"+itoa(fi))
	if pos != "" {
		u.style("top", pos)
	}
	u.open("div").cls("where")
	if full {
		u.el("span", "sev sev-"+string(f.Severity), string(f.Severity)).text(" ").el("code", "", f.Rule).text(" · ")
	}
	u.el("span", "scn", f.Scenario).text(" · step " + itoa(f.Step))
	if f.Cookie != "" {
		u.text(" · cookie ").el("code", "", f.Cookie)
	}
	if f.Count > 1 {
		u.text(" · ×" + itoa(f.Count))
	}
	u.close()
	u.el("p", "msg", f.Message)
	if f.Evidence != "" {
		u.open("p").cls("evidence").el("b", "", "Evidence: ").text(f.Evidence).close()
	}
	if f.Remediation != "" {
		u.open("p").cls("remedy").el("b", "", "Fix: ").text(f.Remediation).close()
	}
	if f.URL != "" && full {
		u.el("p", "url small", f.URL)
	}
	u.open("div").cls("links")
	if si >= 0 {
		// The links need no model: a step's position is its index unless a
		// model built already says otherwise, and a cookie's lane is found
		// by name, domain and path (as a deep link names it).
		pos, ckey := f.Step, ""
		if f.Cookie != "" {
			ckey = identKey(f.Cookie, f.Domain, f.Path, "")
		}
		if m := r.scens[si].m; m != nil {
			if p := m.stepOf(f.Step); p >= 0 {
				pos = p
			}
			ckey = ""
			if id := m.lookupNoAdd(f.Cookie, f.Domain, f.Path); f.Cookie != "" && id != nil {
				ckey = id.key
			}
		}
		u.link("go-step", a.hashFor(vSessions, si, pos, ckey, "", fi), "Step "+itoa(f.Step)+" in the session table")
		if f.Request != "" {
			u.link("go-request", a.hashFor(vRequests, si, pos, ckey, f.Request, fi), "Request")
		}
		if ckey != "" {
			u.link("go-timeline", a.hashFor(vTimeline, si, pos, ckey, "", fi), "Cookie timeline")
		}
	}
	u.button("small copy", "copy:"+itoa(fi), "Copy as Markdown", "Copy this finding as Markdown, for a bug report")
	u.close()
	u.close()
}

// findingMarkdown is a finding as Markdown for a bug report. Strings from
// the recording go in code spans, so they cannot become links or markup.
func (a *app) findingMarkdown(fi int) string {
	r := a.run
	f := &r.report.Findings[fi]
	code := func(s string) string {
		s = strings.ReplaceAll(s, "\n", " ")
		if strings.Contains(s, "`") {
			return "`` " + s + " ``"
		}
		return "`" + s + "`"
	}
	var b strings.Builder
	title := f.Rule
	if rd := analysis.RuleByID(f.Rule); rd != nil {
		title += ": " + rd.Title
	}
	b.WriteString("### [" + strings.ToUpper(string(f.Severity)) + "] " + title + "\n\n")
	b.WriteString("- **Scenario:** " + code(f.Scenario))
	if f.File != "" {
		b.WriteString(" (" + code(f.File) + ")")
	}
	b.WriteString("\n- **Step:** " + itoa(f.Step) + "\n")
	if f.Cookie != "" {
		b.WriteString("- **Cookie:** " + code(f.Cookie+" ("+f.Domain+f.Path+")") + "\n")
	}
	if f.URL != "" {
		b.WriteString("- **URL:** " + code(f.URL) + "\n")
	}
	if f.Count > 1 {
		b.WriteString("- **Occurrences:** " + itoa(f.Count) + "\n")
	}
	b.WriteString("\n" + code(f.Message) + "\n\n")
	if f.Evidence != "" {
		b.WriteString("**Evidence:** " + code(f.Evidence) + "\n\n")
	}
	if f.Remediation != "" {
		b.WriteString("**Remediation:** " + f.Remediation + "\n\n")
	}
	if rd := analysis.RuleByID(f.Rule); rd != nil && len(rd.References) > 0 {
		b.WriteString("**References:** " + strings.Join(rd.References, "; ") + "\n\n")
	}
	b.WriteString("_Found by sessiontrace (rule " + f.Rule + ")._\n")
	return b.String()
}

func (a *app) copyFinding(fi int) {
	if a.run == nil || fi < 0 || fi >= len(a.run.report.Findings) {
		return
	}
	a.mdText = a.findingMarkdown(fi)
	a.finding = fi
	if a.view != vFindings {
		a.view = vFindings
	}
	a.replace()
	copyText(a.mdText, byID("md-status"))
}

// copyText puts text on the clipboard and says in status how it went.
func copyText(text string, status js.Value) {
	clip := js.Global().Get("navigator").Get("clipboard")
	if !clip.Truthy() {
		setText(status, "Select the text below and copy it (this page has no clipboard access here).")
		return
	}
	go func() {
		if _, err := await(clip.Call("writeText", text)); err != nil {
			setText(status, "Select the text below and copy it (the browser refused clipboard access).")
			return
		}
		setText(status, "Copied to the clipboard.")
	}()
}
