//go:build js && wasm

package main

import (
	"slices"
	"strconv"
	"strings"
	"syscall/js"

	"github.com/sessiontrace/sessiontrace/recording"
)

const reqRowH = 30.0

// reqFilter is the requests view's filter.
type reqFilter struct {
	cookie   string // a cookie name
	step     int    // a step index, -1 for any
	withheld bool   // only requests a cookie was withheld from
	target   string // a target (requests[].target), "tab" for the tab's own
	q        string // free text
}

func init() { a.reqF.step = -1 }

func reqText(q *recording.Request) string {
	var b strings.Builder
	b.WriteString(q.ID + " " + q.Method + " " + q.URL + " " + itoa(q.Status) + " " + q.StatusText + " " + q.Node + " " + q.ResourceType + " " + q.Failed + " " + targetOf(q))
	for _, c := range q.CookiesSent {
		b.WriteString(" " + c.Name)
	}
	for _, c := range q.CookiesWithheld {
		b.WriteString(" " + c.Name + " " + strings.Join(c.Reasons, " "))
	}
	for _, c := range q.SetCookies {
		b.WriteString(" " + c.Name + " " + strings.Join(c.Reasons, " "))
	}
	return strings.ToLower(b.String())
}

func hasCookie(q *recording.Request, name string) bool {
	for _, c := range q.CookiesSent {
		if c.Name == name {
			return true
		}
	}
	for _, c := range q.CookiesWithheld {
		if c.Name == name {
			return true
		}
	}
	for _, c := range q.SetCookies {
		if c.Name == name {
			return true
		}
	}
	return false
}

// targetOf names the target that made a request: the tab, or the popup,
// frame or worker the recording says (requests[].target).
func targetOf(q *recording.Request) string {
	if q.Target == "" {
		return "tab"
	}
	return q.Target
}

// requestRows lists the requests (indexes) that pass the filter.
func (a *app) requestRows() []int {
	m := a.curModel()
	if m == nil {
		return nil
	}
	f := a.reqF
	key := itoa(a.sc) + "\x00" + f.cookie + "\x00" + itoa(f.step) + "\x00" + strconv.FormatBool(f.withheld) + "\x00" + f.target + "\x00" + f.q
	if key == a.reqRowsKey {
		return a.reqRows
	}
	q := strings.ToLower(strings.TrimSpace(f.q))
	rows := make([]int, 0, len(m.rec.Requests))
	for i := range m.rec.Requests {
		r := &m.rec.Requests[i]
		if f.step >= 0 && r.Step != f.step {
			continue
		}
		if f.withheld && len(r.CookiesWithheld) == 0 {
			continue
		}
		if f.cookie != "" && !hasCookie(r, f.cookie) {
			continue
		}
		if f.target != "" && targetOf(r) != f.target {
			continue
		}
		if q != "" && !strings.Contains(reqText(r), q) {
			continue
		}
		rows = append(rows, i)
	}
	a.reqRows, a.reqRowsKey = rows, key
	return rows
}

func (a *app) renderRequests(view js.Value, m *model) {
	// A deep link to a request shows it even when the filter hides it.
	if p, ok := m.reqPos[a.req]; ok && a.req != "" {
		found := false
		for _, r := range a.requestRows() {
			if r == p {
				found = true
			}
		}
		if !found {
			a.reqF = reqFilter{step: -1}
		}
	}
	u := &ui{}
	u.open("section").cls("requests")
	u.open("div").cls("toolbar")
	u.open("input").attr("id", "req-q").attr("type", "search").attr("placeholder", "Search URL, method, status, node, cookie, reason  (/)").attr("aria-label", "Search requests").attr("value", a.reqF.q).close()
	u.open("label").text("Cookie ")
	u.open("select").attr("id", "req-cookie").attr("aria-label", "Only requests with this cookie")
	u.open("option").attr("value", "").text("any").close()
	seen := map[string]bool{}
	for _, id := range m.idents {
		if seen[id.name] {
			continue
		}
		seen[id.name] = true
		u.open("option").attr("value", id.name)
		if id.name == a.reqF.cookie {
			u.attr("selected", "")
		}
		u.text(id.name).close()
	}
	u.close().close()
	u.open("label").text("Step ")
	u.open("select").attr("id", "req-step").attr("aria-label", "Only requests of this step")
	u.open("option").attr("value", "-1").text("any").close()
	for p := range m.rec.Steps {
		st := &m.rec.Steps[p]
		u.open("option").attr("value", itoa(st.Index))
		if st.Index == a.reqF.step {
			u.attr("selected", "")
		}
		u.text(itoa(st.Index) + " " + stepLabel(st)).close()
	}
	u.close().close()
	// Which target made the request: only when something but the tab did.
	var targets []string
	for i := range m.rec.Requests {
		if t := targetOf(&m.rec.Requests[i]); !slices.Contains(targets, t) {
			targets = append(targets, t)
		}
	}
	if len(targets) > 1 {
		u.open("label").text("Target ")
		u.open("select").attr("id", "req-target").attr("aria-label", "Only requests of this target (the tab, a popup, a frame, a worker)")
		u.open("option").attr("value", "").text("any").close()
		for _, t := range targets {
			u.open("option").attr("value", t)
			if t == a.reqF.target {
				u.attr("selected", "")
			}
			u.text(t).close()
		}
		u.close().close()
	}
	u.open("label").cls("check")
	u.open("input").attr("id", "req-withheld").attr("type", "checkbox")
	if a.reqF.withheld {
		u.attr("checked", "")
	}
	u.close().text(" has withheld").close()
	u.open("span").cls("count").attr("id", "req-count").close()
	u.close()
	u.open("div").attr("id", "req-scroll").cls("req-scroll").attr("tabindex", "0")
	u.open("div").cls("req-row req-head")
	for _, h := range []string{"#", "Step", "Method", "URL", "Status", "Node", "Sent", "Withheld", "Set", "Rejected"} {
		u.el("span", "", h)
	}
	u.close()
	u.open("div").attr("id", "req-body").cls("req-body").close()
	u.close()
	u.close()
	mount(view, u)
	a.requestsWindow(true)
	if p, ok := m.reqPos[a.req]; ok && a.req != "" {
		for i, r := range a.requestRows() {
			if r == p {
				a.scrollIntoViewRow(i)
			}
		}
		a.requestsWindow(false)
	}
}

func names(cs []recording.SentCookie) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Name)
	}
	return b.String()
}

// requestsWindow renders the rows in view; with reset, the filter changed.
func (a *app) requestsWindow(reset bool) {
	m := a.curModel()
	box, body := byID("req-scroll"), byID("req-body")
	if m == nil || !box.Truthy() {
		return
	}
	rows := a.requestRows()
	if reset {
		body.Get("style").Call("setProperty", "height", strconv.FormatFloat(float64(len(rows))*reqRowH, 'f', 0, 64)+"px")
		setText(byID("req-count"), itoa(len(rows))+" of "+itoa(len(m.rec.Requests))+" requests")
	}
	top := box.Get("scrollTop").Float() - reqRowH
	h := box.Get("clientHeight").Float()
	if h == 0 {
		h = 700
	}
	r0 := clampInt(int(top/reqRowH)-3, 0, len(rows))
	r1 := clampInt(int((top+h)/reqRowH)+3, 0, len(rows))
	if printing {
		r0, r1 = 0, len(rows)
	}
	u := &ui{}
	if len(rows) == 0 {
		u.el("div", "empty", "No request matches the filter.")
	}
	for i := r0; i < r1; i++ {
		q := &m.rec.Requests[rows[i]]
		cls := "req-row"
		if q.ID == a.req {
			cls += " sel"
		}
		if len(q.CookiesWithheld) > 0 {
			cls += " has-withheld"
		}
		if q.Failed != "" || q.Status >= 400 {
			cls += " bad"
		}
		u.open("div").cls(cls).style("top", strconv.FormatFloat(float64(i)*reqRowH, 'f', 0, 64)+"px").attr("data-act", "sel:req:"+q.ID).attr("data-req", q.ID)
		u.el("span", "num", itoa(rows[i]+1))
		u.el("span", "num", itoa(q.Step))
		u.el("span", "method", q.Method)
		u.open("span").cls("url").attr("title", q.URL)
		if q.Target != "" {
			u.el("span", "target", q.Target).text(" ")
		}
		u.text(q.URL).close()
		st := itoa(q.Status)
		if q.Failed != "" {
			st = "failed"
		} else if q.Status == 0 {
			st = "—"
		}
		u.el("span", "num status", st)
		u.open("span").cls("node")
		if q.Node != "" {
			u.style("--h", itoa(hueOf(q.Node))).text(q.Node)
		}
		u.close()
		u.open("span").cls("sent").attr("title", names(q.CookiesSent)).text(names(q.CookiesSent)).close()
		wt := ""
		for _, c := range q.CookiesWithheld {
			wt += c.Name + ": " + strings.Join(c.Reasons, ", ") + "\n"
		}
		u.open("span").cls("withheld").attr("title", wt).text(names(q.CookiesWithheld)).close()
		var set, rej []string
		for _, c := range q.SetCookies {
			if c.Rejected {
				rej = append(rej, c.Name)
			} else {
				set = append(set, c.Name)
			}
		}
		u.open("span").cls("set").attr("title", strings.Join(set, ", ")).text(strings.Join(set, ", ")).close()
		u.open("span").cls("rejected").attr("title", strings.Join(rej, ", ")).text(strings.Join(rej, ", ")).close()
		u.close()
	}
	mount(body, u)
}

// requestDetail writes a request's details.
func (a *app) requestDetail(u *ui, m *model, q *recording.Request) {
	u.open("h2").el("span", "method", q.Method+" ").text(q.URL).close()
	a.requestFacts(u, m, q)
	if !q.RequestExtraInfo || !q.ResponseExtraInfo {
		u.el("p", "warn", "The browser sent no cookie details for this request's "+map[bool]string{true: "response", false: "request"}[q.RequestExtraInfo]+": its cookies are unknown, not absent.")
	}
	for _, p := range m.rec.Pages {
		if p.Request == q.ID && p.Title != "" {
			u.open("p").text("Page title: ").el("q", "", p.Title).close()
		}
	}
	a.requestCookies(u, m, q)
	if evs := m.reqEvs[q.ID]; len(evs) > 0 {
		u.el("h3", "", "Cookie events")
		u.open("ul").cls("events")
		for _, ev := range evs {
			e := &m.rec.Events[ev]
			b := *a
			b.view, b.cookie, b.req, b.finding, b.reset, b.event = vTimeline, m.idents[m.evID[ev]].key, "", -1, -1, int(ev)
			u.open("li").link("", b.hash(), string(e.Kind)+" "+e.Name).text(" " + strings.Join(e.Reasons, ", ")).close()
		}
		u.close()
	}
	a.relatedFindings(u, func(fi int) bool { return a.run.report.Findings[fi].Request == q.ID })
	for i, rr := range m.resets {
		if rr.reset.Request == q.ID {
			b := *a
			b.view, b.reset, b.event = vTimeline, i, -1
			if rr.id != nil {
				b.cookie = rr.id.key
			}
			u.open("p").cls("reset-note").text("Session reset here: ").link("", b.hash(), string(rr.reset.Cause)).text(" — " + rr.reset.Detail).close()
		}
	}
}

// requestFacts writes what the request was: status, step, timing, node,
// headers.
func (a *app) requestFacts(u *ui, m *model, q *recording.Request) {
	u.open("dl").cls("kv")
	kv := func(k, v string) {
		if v != "" {
			u.el("dt", "", k).el("dd", "", v)
		}
	}
	st := itoa(q.Status)
	if q.Status == 0 {
		st = ""
	}
	kv("Status", strings.TrimSpace(st+" "+q.StatusText))
	kv("Failed", q.Failed)
	u.el("dt", "", "Step").open("dd").link("", a.hashFor(vSessions, a.sc, m.stepOf(q.Step), "", "", -1), itoa(q.Step)).close()
	kv("Started", rel(nanos(q.Start), m.t0)+"  ("+q.Start.UTC().Format("15:04:05.000")+" UTC)")
	if !q.End.IsZero() {
		kv("Took", dur(q.Start, q.End))
	}
	if q.Node != "" {
		kv("Node", q.Node+" (header "+q.NodeHeader+")")
	}
	kv("Type", q.ResourceType)
	kv("Target", targetOf(q))
	kv("Protocol", q.Protocol)
	kv("Initiator", strings.TrimSpace(q.Initiator+" "+q.InitiatorURL))
	kv("Referrer", q.Referrer)
	if len(q.RedirectChain) > 0 {
		kv("Redirected from", strings.Join(q.RedirectChain, " → "))
	}
	kv("Location", q.Location)
	if c := q.Authorization; c != nil {
		// The scheme and a fingerprint: the header itself is never recorded.
		kv("Authorization", strings.TrimSpace(c.Scheme+" "+shown(c.Value, true)))
	}
	for k, v := range q.Headers {
		kv(k, v)
	}
	kv("Request id", q.ID)
	u.close()
}

// requestCookies writes the cookies the request sent and the browser
// withheld, and the Set-Cookie lines of its response.
func (a *app) requestCookies(u *ui, m *model, q *recording.Request) {
	if len(q.CookiesSent) > 0 {
		u.el("h3", "", "Cookies sent")
		u.open("ul").cls("cookies")
		for _, c := range q.CookiesSent {
			u.open("li").style("--h", itoa(hue(c.Value)))
			a.cookieLink(u, m, c.Name, c.Domain, c.Path)
			u.el("span", "fp", shown(c.Value, true))
			u.close()
		}
		u.close()
	}
	if len(q.CookiesWithheld) > 0 {
		u.el("h3", "", "Cookies withheld")
		u.open("ul").cls("cookies withheld")
		for _, c := range q.CookiesWithheld {
			u.open("li")
			a.cookieLink(u, m, c.Name, c.Domain, c.Path)
			reasonLines(u, c.Reasons)
			if c.Exemption != "" {
				u.el("div", "muted", "exemption: "+c.Exemption)
			}
			u.close()
		}
		u.close()
	}
	if len(q.SetCookies) > 0 {
		u.el("h3", "", "Set-Cookie")
		u.open("ul").cls("cookies")
		for _, c := range q.SetCookies {
			cls := ""
			if c.Rejected {
				cls = "rejected"
			}
			u.open("li").cls(cls).style("--h", itoa(hue(c.Value)))
			a.cookieLink(u, m, c.Name, c.Domain, c.Path)
			u.el("span", "fp", shown(c.Value, true))
			u.el("div", "attrs", c.Attributes)
			if c.Deletion {
				u.el("div", "muted", "deletes the cookie")
			}
			if c.Rejected {
				u.el("div", "bad", "rejected by the browser")
			}
			reasonLines(u, c.Reasons)
			if c.ParseError != "" {
				u.el("div", "bad", "parse error: "+c.ParseError)
			}
			u.close()
		}
		u.close()
	}
}

// reasonLines writes the browser's reasons, each with what it means.
func reasonLines(u *ui, reasons []string) {
	for _, r := range reasons {
		u.open("div").cls("reason").el("code", "", r).text(" " + recording.ReasonText(r)).close()
	}
}

// cookieLink links a cookie name to its lane in the timeline.
func (a *app) cookieLink(u *ui, m *model, name, domain, path string) {
	id := m.lookupNoAdd(name, domain, path)
	if id == nil {
		u.el("b", "", name+" ")
		return
	}
	u.open("a").cls("cookie").attr("href", "#"+a.hashFor(vTimeline, a.sc, -1, id.key, "", -1)).attr("title", "This cookie's lane in the timeline").text(name).close()
	u.text(" ")
}

// lookupNoAdd is lookup without creating an identity.
func (m *model) lookupNoAdd(name, domain, path string) *ident {
	if id := m.byNDP[identKey(name, domain, path, "")]; id != nil {
		return id
	}
	if ids := m.byName[name]; len(ids) > 0 {
		return ids[0]
	}
	return nil
}

// relatedFindings lists the current scenario's findings that match.
func (a *app) relatedFindings(u *ui, match func(int) bool) {
	s := a.cur()
	var list []int
	for _, fi := range s.findings {
		if match(fi) {
			list = append(list, fi)
		}
	}
	if len(list) == 0 {
		return
	}
	u.el("h3", "", "Findings")
	u.open("ul").cls("findings-mini")
	for _, fi := range list {
		f := &a.run.report.Findings[fi]
		u.open("li").el("span", "sev sev-"+string(f.Severity), string(f.Severity)).text(" ")
		u.link("", a.hashFor(vFindings, a.sc, -1, "", "", fi), f.Rule)
		u.text(" " + f.Message).close()
	}
	u.close()
}
