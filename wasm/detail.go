//go:build js && wasm

package main

import (
	"sort"
	"strings"
	"syscall/js"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/wasm/internal/csvw"
)

func (a *app) noRecording() *ui {
	u := &ui{}
	s := a.cur()
	msg := "This scenario has no recording."
	switch {
	case s != nil && s.err != "":
		msg = s.err
	case s != nil && a.run.lazy && s.rec == nil:
		u.el("p", "empty", "Reading "+s.path+" …")
		return u
	}
	u.el("p", "empty error", msg)
	return u
}

// renderDetail fills the detail pane for the current selection.
func (a *app) renderDetail() {
	pane := byID("detail")
	u := &ui{}
	shown := true
	var m *model
	if a.view != vOverview && a.view != vDiff {
		m = a.curModel()
	}
	u.button("close", "close", "×", "Close (Esc)")
	switch {
	case a.view == vDiff:
		shown = a.cmp != nil && a.change >= 0
		if shown {
			a.changeDetail(u, a.change)
		}
	case m == nil:
		shown = false
	case a.view == vTimeline && a.event >= 0 && a.event < len(m.rec.Events):
		a.eventDetail(u, m, a.event)
	case a.view == vTimeline && a.reset >= 0 && a.reset < len(m.resets):
		a.resetDetail(u, m, &m.resets[a.reset])
	case a.view == vRequests && a.req != "":
		p, ok := m.reqPos[a.req]
		if !ok {
			shown = false
			break
		}
		a.requestDetail(u, m, &m.rec.Requests[p])
	case a.view == vFindings && a.finding >= 0:
		a.findingCard(u, a.finding, true, "")
		if rd := analysis.RuleByID(a.run.report.Findings[a.finding].Rule); rd != nil {
			u.el("h3", "", "Why it matters").el("p", "", rd.Why)
			u.el("h3", "", "When the rule fires").el("p", "", rd.Criterion)
			if rd.SeverityNote != "" {
				u.el("p", "muted", "Severity: "+rd.SeverityNote)
			}
			if len(rd.References) > 0 {
				u.el("h3", "", "References")
				u.open("ul")
				for _, ref := range rd.References {
					u.el("li", "", ref)
				}
				u.close()
			}
		}
		if a.mdText != "" {
			u.el("h3", "", "As Markdown")
			u.open("p").cls("muted small").attr("id", "md-status").close()
			u.open("textarea").attr("id", "md-text").attr("readonly", "").attr("rows", "14").attr("aria-label", "The finding as Markdown").text(a.mdText).close()
		}
	case a.view == vSessions && a.cmpA >= 0 && a.cmpB >= 0:
		a.compare(u, m)
	case (a.view == vSessions || a.view == vTimeline) && a.curIdent() != nil:
		a.cookieDetail(u, m, a.curIdent())
	case (a.view == vSessions || a.view == vTimeline) && a.step >= 0 && a.step < len(m.rec.Steps):
		a.stepDetail(u, m, a.step)
	default:
		shown = false
	}
	pane.Set("hidden", !shown)
	doc.Get("body").Get("classList").Call("toggle", "with-detail", shown)
	if shown {
		mount(pane, u)
		pane.Set("scrollTop", 0)
	}
}

func (a *app) stepDetail(u *ui, m *model, p int) {
	st := &m.rec.Steps[p]
	u.el("h2", "", "Step "+itoa(st.Index)+": "+stepLabel(st))
	u.open("dl").cls("kv")
	kv := func(k, v string) {
		if v != "" {
			u.el("dt", "", k).el("dd", "", v)
		}
	}
	kv("Name", st.Name)
	kv("Detail", st.Detail)
	kv("Status", string(st.Status))
	if st.Line > 0 && m.rec.Scenario.File != "" {
		kv("In the scenario", m.rec.Scenario.File+":"+itoa(st.Line)+":"+itoa(st.Column))
	}
	kv("Page after", st.URL)
	kv("Started", rel(nanos(st.Start), m.t0))
	kv("Took", dur(st.Start, st.End))
	kv("Cookies in the jar", itoa(len(st.Jar)))
	u.close()
	a.failureEvidence(u, m, st)
	if m.auth != nil && m.auth[p] != nil {
		e := m.auth[p]
		u.open("p").cls("auth-state a-"+string(e.State)).attr("id", "auth-detail")
		u.el("b", "", authWord(e.State))
		if !e.Checked {
			u.text(" (not checked: carried over)")
		}
		u.close()
		u.open("p").attr("id", "auth-evidence").text(e.Evidence)
		if e.Source != "" {
			u.text(" · source: " + string(e.Source))
		}
		u.close()
	}
	for _, i := range m.resetsAt(nil, p) {
		a.resetNote(u, m, i)
	}
	for i := range m.resets {
		if m.resets[i].pos == p && m.resets[i].obs != p {
			a.resetNote(u, m, i)
		}
	}
	b := *a
	b.view, b.req, b.event, b.reset = vRequests, "", -1, -1
	u.open("p").link("", b.hash(), "Requests of this step").close()
	a.relatedFindings(u, func(fi int) bool { return a.run.report.Findings[fi].Step == st.Index })
}

// cookieDetail describes a cookie identity, and its cell at the selected step.
func (a *app) cookieDetail(u *ui, m *model, id *ident) {
	u.el("h2", "", id.name)
	u.el("p", "muted", id.label())
	if id.session != nil {
		u.open("p").cls("sessid").text("Session ID: " + id.session.Detection).close()
		if id.session.ClientSide != "" {
			u.el("p", "client-side", "Client-side session: "+id.session.ClientSide)
		}
	}
	if a.step >= 0 && a.step < len(m.rec.Steps) {
		st := &m.rec.Steps[a.step]
		u.el("h3", "", "After step "+itoa(st.Index)+" ("+stepLabel(st)+")")
		if c := id.jar[a.step]; c != nil {
			u.open("p").cls("value").style("--h", itoa(hue(c.Value))).el("span", "fp", shown(c.Value, true)).close()
			u.el("p", "", valueText(c.Value))
			u.el("p", "", flagsOf(c))
		} else {
			u.el("p", "muted", "Not in the jar.")
		}
		if ch, how := m.cellChange(id, a.step); ch != "" {
			what := map[string]string{chNew: "appeared in the jar", chRotated: "got a new value", chFlags: "kept its value with other attributes", chGone: "left the jar (" + how + ")"}[ch]
			u.el("p", "chg", "At this step it "+what+".")
		}
		if evs := id.stepEvs[a.step]; len(evs) > 0 {
			u.el("h3", "", "Events at this step")
			a.eventList(u, m, evs, 50)
		}
	}
	if id.session != nil {
		u.el("h3", "", "IDs")
		u.open("ol").cls("ids")
		for _, x := range id.session.IDs {
			u.open("li").attr("data-ended", string(x.Ended)).style("--h", itoa(hue(recording.Value{Fingerprint: x.Fingerprint, Len: x.Len})))
			u.el("span", "fp", x.Fingerprint)
			txt := " steps " + itoa(x.FirstStep) + "–" + itoa(x.LastStep) + ", ended " + string(x.Ended)
			if x.Node != "" {
				txt += ", issued by node " + x.Node
			}
			u.text(txt + ", sent " + itoa(len(x.Sent)) + "×")
			if len(x.Withheld) > 0 {
				u.text(", withheld " + itoa(len(x.Withheld)) + "×")
			}
			if x.Note != "" {
				u.el("div", "muted small id-note", x.Note)
			}
			u.close()
		}
		u.close()
		for i := range m.resets {
			if m.resets[i].id == id {
				a.resetNote(u, m, i)
			}
		}
	}
	u.open("p").cls("links")
	b := *a
	b.view, b.event, b.reset = vTimeline, -1, -1
	u.link("", b.hash(), "Lane in the timeline")
	b.view = vSessions
	u.link("", b.hash(), "Row in the session table")
	u.close()
	a.relatedFindings(u, func(fi int) bool {
		f := &a.run.report.Findings[fi]
		return f.Cookie == id.name && (f.Domain == "" || f.Domain == id.domain)
	})
	if a.step < 0 {
		u.el("h3", "", plural(len(id.events), "event", "events"))
		a.eventList(u, m, id.events, 100)
	}
}

func (a *app) eventList(u *ui, m *model, evs []int32, limit int) {
	u.open("ul").cls("events")
	for k, ev := range evs {
		if k == limit {
			u.el("li", "muted", itoa(len(evs)-limit)+" more in the timeline")
			break
		}
		e := &m.rec.Events[ev]
		b := *a
		b.view, b.event, b.reset, b.cookie = vTimeline, int(ev), -1, m.idents[m.evID[ev]].key
		u.open("li").cls("k-"+string(e.Kind)).link("", b.hash(), string(e.Kind)).text(" " + rel(nanos(e.Time), m.t0) + " step " + itoa(e.Step))
		if len(e.Reasons) > 0 {
			u.text(" " + strings.Join(e.Reasons, ", "))
		}
		u.close()
	}
	u.close()
}

func (a *app) eventDetail(u *ui, m *model, ev int) {
	e := &m.rec.Events[ev]
	id := m.idents[m.evID[ev]]
	u.open("h2").cls("k-"+string(e.Kind)).text(string(e.Kind)+" ").el("span", "", e.Name).close()
	u.open("dl").cls("kv").attr("id", "event-detail")
	kv := func(k, v string) {
		if v != "" {
			u.el("dt", "", k).el("dd", "", v)
		}
	}
	kv("Cookie", id.label())
	kv("Source", string(e.Source))
	kv("Time", rel(nanos(e.Time), m.t0)+"  ("+e.Time.UTC().Format("15:04:05.000")+" UTC)")
	u.el("dt", "", "Step").open("dd").link("", a.hashFor(vSessions, a.sc, m.stepOf(e.Step), id.key, "", -1), itoa(e.Step)).close()
	if e.Value != nil {
		kv("Value", shown(*e.Value, true))
		kv("", valueText(*e.Value))
	}
	kv("URL", e.URL)
	kv("Script", e.Location)
	kv("Detail", e.Detail)
	u.close()
	if len(e.Reasons) > 0 {
		u.el("h3", "", "Why")
		u.open("ul").cls("reasons").attr("id", "event-reasons")
		for _, r := range e.Reasons {
			u.open("li").el("code", "", r).text(" " + recording.ReasonText(r)).close()
		}
		u.close()
	}
	if e.Request != "" {
		if p, ok := m.reqPos[e.Request]; ok {
			q := &m.rec.Requests[p]
			u.open("p").text("Request: ").link("", a.hashFor(vRequests, a.sc, -1, "", q.ID, -1), q.Method+" "+q.URL).close()
			if q.Node != "" {
				u.el("p", "", "Served by node "+q.Node)
			}
		}
	}
}

func (a *app) resetDetail(u *ui, m *model, rr *resetRef) {
	r := rr.reset
	u.open("h2").text("Session reset: ").el("code", "", string(r.Cause)).close()
	u.open("p").attr("id", "reset-summary").cls("summary").text(r.Summary).close()
	u.open("p").attr("id", "reset-detail").text(r.Detail).close()
	if c := analysis.CauseByID(r.Cause); c != nil {
		u.el("p", "muted", c.Explanation)
	}
	u.open("dl").cls("kv")
	u.el("dt", "", "Basis").el("dd", "basis", basisText(r))
	if rr.id != nil {
		u.el("dt", "", "Cookie").el("dd", "", rr.id.label())
	}
	u.el("dt", "", "Step").open("dd").link("", a.hashFor(vSessions, a.sc, m.stepOf(r.Step), "", "", -1), itoa(r.Step)).close()
	if r.ObservedStep != nil {
		u.el("dt", "", "Seen logged out").open("dd").link("", a.hashFor(vTimeline, a.sc, rr.obs, "", "", -1), "step "+itoa(*r.ObservedStep)).close()
		if rr.obs >= 0 && rr.obs < len(m.auth) && m.auth[rr.obs] != nil {
			// What the page showed there: the evidence the basis rests on.
			u.el("dt", "", "What the page showed").open("dd").attr("id", "auth-evidence").text(m.auth[rr.obs].Evidence).close()
		}
	}
	if r.Fingerprint != "" {
		u.el("dt", "", "Lost ID").el("dd", "", r.Fingerprint)
	}
	if r.URL != "" {
		u.el("dt", "", "URL").el("dd", "", r.URL)
	}
	keys := make([]string, 0, len(r.Evidence))
	for k := range r.Evidence {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		u.el("dt", "", k).el("dd", "", r.Evidence[k])
	}
	u.close()
	if r.Request != "" {
		u.open("p").link("", a.hashFor(vRequests, a.sc, -1, "", r.Request, -1), "The request").close()
	}
}

// basisText says what a reset rests on.
func basisText(r *analysis.Reset) string {
	if r.Basis == analysis.BasisObserved {
		return "observed: a page showed the user logged out"
	}
	return "inferred from the cookies (no page showed the user logged out)"
}

// resetNote is a reset in the detail pane: its sentence, linked to it on
// the timeline.
func (a *app) resetNote(u *ui, m *model, i int) {
	r := m.resets[i].reset
	u.open("p").cls("reset-note").attr("data-reset", itoa(i))
	u.el("code", "", string(r.Cause)).text(" (" + string(r.Basis) + ") " + r.Summary + " ")
	b := *a
	b.view, b.reset, b.event = vTimeline, i, -1
	u.link("", b.hash(), "On the timeline").close()
}

func (a *app) renderHelp() {
	pane := byID("detail")
	u := &ui{}
	u.button("close", "help", "×", "Close")
	u.el("h2", "", "Keyboard")
	u.open("dl").cls("kv keys")
	for _, k := range [][2]string{
		{"j / k", "next / previous row, cookie, request, finding or change"},
		{"/", "search (requests, cookies, findings)"},
		{"Esc", "close the details, clear the selection"},
		{"1 – 6", "overview, sessions, timeline, requests, findings, diff"},
		{"[ / ]", "previous / next scenario (diff: its first change)"},
		{"+ / - / 0", "timeline: zoom in, out, fit"},
		{"← / →", "timeline: move"},
		{"?", "this help"},
	} {
		u.el("dt", "", k[0]).el("dd", "", k[1])
	}
	u.close()
	u.el("p", "muted", "The address holds the view, scenario, step and cookie: copy it to share the place.")
	pane.Set("hidden", false)
	mount(pane, u)
}

// csvSafe keeps a cell from being read as a formula by spreadsheets.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func csvBytes(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		for i := range r {
			r[i] = csvSafe(r[i])
		}
		csvw.Append(&b, r)
	}
	return b.String()
}

func (a *app) export(what string) {
	if a.run == nil {
		return
	}
	var name, data string
	switch what {
	case "sessions":
		m := a.curModel()
		if m == nil {
			return
		}
		name, data = "sessions-"+slug(a.cur().name())+".csv", csvBytes(sessionsCSV(m))
	case "findings":
		rows := [][]string{{"severity", "rule", "scenario", "step", "cookie", "domain", "path", "url", "request", "message", "evidence", "remediation", "count", "file"}}
		for _, fi := range a.findingOrder() {
			f := &a.run.report.Findings[fi]
			rows = append(rows, []string{string(f.Severity), f.Rule, f.Scenario, itoa(f.Step), f.Cookie, f.Domain, f.Path, f.URL, f.Request, f.Message, f.Evidence, f.Remediation, itoa(f.Count), f.File})
		}
		name, data = "findings.csv", csvBytes(rows)
	case "diff":
		if a.cmp == nil {
			return
		}
		download("diff.txt", "text/plain;charset=utf-8", a.cmp.text)
		return
	default:
		return
	}
	download(name, "text/csv;charset=utf-8", data)
}

// download offers data as a file. The last one is also kept in
// window.stLastDownload for tests.
func download(name, mime, data string) {
	g := js.Global()
	g.Set("stLastDownload", map[string]any{"name": name, "data": data})
	blob := g.Get("Blob").New([]any{data}, map[string]any{"type": mime})
	u := g.Get("URL").Call("createObjectURL", blob)
	link := doc.Call("createElement", "a")
	link.Set("href", u)
	link.Set("download", name)
	doc.Get("body").Call("appendChild", link)
	link.Call("click")
	link.Call("remove")
	var fn js.Func
	fn = js.FuncOf(func(js.Value, []js.Value) any {
		g.Get("URL").Call("revokeObjectURL", u)
		fn.Release()
		return nil
	})
	g.Call("setTimeout", fn, 10000)
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
