//go:build js && wasm

package main

import (
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
	u.open("div").attr("id", "find-list").cls("find-list").close()
	u.close()
	mount(view, u)
	a.findingsList()
	if el := doc.Call("querySelector", ".finding.sel"); el.Truthy() {
		el.Call("scrollIntoView", map[string]any{"block": "nearest"})
	}
}

// findingsList renders the findings, grouped by severity and rule.
func (a *app) findingsList() {
	list := byID("find-list")
	if !list.Truthy() {
		return
	}
	r := a.run
	order := a.findingOrder()
	setText(byID("find-count"), plural(len(order), "finding", "findings"))
	u := &ui{}
	if len(order) == 0 {
		if len(r.report.Findings) == 0 {
			u.el("p", "empty", "No findings: every check of the rule catalogue passed.")
		} else {
			u.el("p", "empty", "No finding matches the filter.")
		}
	}
	var sev analysis.Severity
	rule := ""
	for _, fi := range order {
		f := &r.report.Findings[fi]
		if f.Severity != sev {
			if sev != "" {
				u.close().close().close() // the rule group, the list, the severity section
			}
			sev, rule = f.Severity, ""
			n := 0
			for _, fj := range order {
				if r.report.Findings[fj].Severity == sev {
					n++
				}
			}
			u.open("section").cls("sev-group").attr("data-severity", string(sev))
			u.open("h2").el("span", "sev sev-"+string(sev), string(sev)).text(" " + plural(n, "finding", "findings")).close()
			u.open("div")
		}
		if f.Rule != rule {
			if rule != "" {
				u.close()
			}
			rule = f.Rule
			u.open("div").cls("rule-group").attr("data-rule", rule)
			rd := analysis.RuleByID(rule)
			u.open("h3").el("code", "", rule)
			if rd != nil {
				u.text(" " + rd.Title)
			}
			u.close()
			if rd != nil {
				u.open("details").cls("rule-doc")
				u.el("summary", "", "What this rule checks and why")
				u.el("p", "", rd.Criterion)
				u.el("p", "", rd.Why)
				if rd.SeverityNote != "" {
					u.el("p", "muted", "Severity: "+rd.SeverityNote)
				}
				if len(rd.References) > 0 {
					u.el("p", "muted small", "References: "+strings.Join(rd.References, "; "))
				}
				u.close()
			}
		}
		a.findingCard(u, fi, false)
	}
	if sev != "" {
		u.close().close().close()
	}
	mount(list, u)
}

// findingCard writes one finding.
func (a *app) findingCard(u *ui, fi int, full bool) {
	r := a.run
	f := &r.report.Findings[fi]
	si := r.findingScen[fi]
	cls := "finding sev-b-" + string(f.Severity)
	if fi == a.finding {
		cls += " sel"
	}
	u.open("article").cls(cls).attrInt("data-finding", fi).attr("data-rule", f.Rule).attr("data-act", "sel:finding:"+itoa(fi))
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
	if si >= 0 && r.scens[si].rec != nil {
		s := r.scens[si]
		if s.m == nil {
			s.m = buildModel(s)
		}
		m := s.m
		ckey := ""
		if f.Cookie != "" {
			if id := m.lookupNoAdd(f.Cookie, f.Domain, f.Path); id != nil {
				ckey = id.key
			}
		}
		pos := m.stepOf(f.Step)
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
