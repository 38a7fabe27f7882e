//go:build js && wasm

package main

import (
	"math"
	"strconv"
	"strings"
	"syscall/js"

	"github.com/sessiontrace/sessiontrace/recording"
)

// The session table is a CSS grid in a scroll box; only the cells in view
// are in the DOM (rows and columns are both virtualised). The header row
// and the name column stick with position: sticky. Its columns and rows
// are sized to the table's content (gridSize).
const headH = 62.0

// A gridSize is the session table's geometry: the name column, the step
// columns and the rows, wide and high enough for what the table holds
// (the longest cookie name, value and attributes, one line per badge).
type gridSize struct{ nameW, cellW, rowH float64 }

// Estimated widths of a character, in CSS pixels, of the table's fonts
// (style.css: .rowhead .cn, .cd, .cell .fp, .flags, .badges, .colhead).
const (
	chName  = 8.2
	chSmall = 6.6
	chMono  = 7.6
	chFlag  = 6.4
	chBadge = 6.6
)

func (m *model) grid() *gridSize {
	if m.gs != nil {
		return m.gs
	}
	nameW, cellW, lines := 160.0, 110.0, 0
	runes := func(s string) float64 { return float64(len([]rune(s))) }
	for _, id := range m.idents {
		nameW = max(nameW, runes(id.name)*chName+24, runes(id.domain+id.path)*chSmall+24)
		if id.session != nil {
			nameW = max(nameW, runes("client-side session · "+id.session.Detection)*chSmall+24)
		}
		for p := range m.rec.Steps {
			if c := id.jar[p]; c != nil {
				cellW = max(cellW, runes(shown(c.Value, false))*chMono+34, runes(shortFlags(c))*chFlag+16)
			}
			n := 0
			if id.session != nil {
				for _, i := range m.resetsAt(id, p) {
					cellW = max(cellW, runes("⚠ "+string(m.resets[i].reset.Cause))*chBadge+24)
					n++
				}
			}
			counts := m.eventCounts(id, p)
			for _, k := range []recording.EventKind{recording.EventWithheld, recording.EventRejected} {
				if counts[k] > 0 {
					n++
				}
			}
			lines = max(lines, n)
		}
	}
	for p := range m.rec.Steps {
		cellW = max(cellW, runes(stepLabel(&m.rec.Steps[p]))*chSmall+16)
	}
	// A row: the value and the attributes, then a line per badge; its
	// header: the name, the domain and path, the session ID's reason.
	m.gs = &gridSize{nameW: math.Min(nameW, 380), cellW: math.Min(math.Ceil(cellW), 260), rowH: max(62, 40+14*float64(lines))}
	return m.gs
}

func stepLabel(st *recording.Step) string {
	s := string(st.Kind)
	if st.As != "" {
		s += " (" + string(st.As) + ")"
	}
	return s
}

func stepTitle(st *recording.Step) string {
	s := "Step " + itoa(st.Index) + ": " + string(st.Kind)
	if st.Name != "" {
		s += " " + st.Name
	}
	if st.Detail != "" {
		s += " — " + st.Detail
	}
	if st.As != "" {
		s += " [as: " + string(st.As) + "]"
	}
	s += " · " + string(st.Status)
	if st.Error != "" {
		s += ": " + st.Error
	}
	if st.URL != "" {
		s += "\n" + st.URL
	}
	return s
}

// sessionRows lists the rows (ident indexes) that pass the filter.
func (a *app) sessionRows(m *model) []int {
	q := strings.ToLower(strings.TrimSpace(a.sessQ))
	rows := make([]int, 0, len(m.idents))
	for i, id := range m.idents {
		if q == "" || strings.Contains(strings.ToLower(id.label()), q) {
			rows = append(rows, i)
		}
	}
	return rows
}

func (a *app) renderSessions(view js.Value, m *model) {
	u := &ui{}
	u.open("section").cls("sessions")
	u.open("div").cls("toolbar")
	u.open("input").attr("id", "sess-q").attr("type", "search").attr("placeholder", "Filter cookies  (/)").attr("aria-label", "Filter cookies").attr("value", a.sessQ).close()
	u.open("label").text("Compare step ")
	a.stepSelect(u, "cmp-a", a.cmpA, m)
	u.text(" with ")
	a.stepSelect(u, "cmp-b", a.cmpB, m)
	u.close()
	if a.cmpA >= 0 || a.cmpB >= 0 {
		u.button("small", "cmp-clear", "Clear", "Stop comparing")
	}
	u.button("", "export:sessions", "Export CSV", "The session table as CSV")
	u.open("span").cls("legend")
	u.el("span", "lg chg-set", "+ set").el("span", "lg chg-rotated", "↻ new value").el("span", "lg chg-gone", "✕ gone").el("span", "lg chg-flags", "≠ attributes").el("span", "lg sessid", "session ID")
	u.close()
	u.close()
	u.el("p", "hint", "One row per cookie, one column per step: the value after the step (same value, same colour), its attributes, and what changed at that step. Session-ID cookies come first, under the logged-in state after each step (pale: carried over). ⚠ marks a session reset. Click a cell for its events or evidence.")
	u.open("div").attr("id", "sess-scroll").cls("grid-scroll").attr("tabindex", "0")
	u.open("div").attr("id", "sess-grid").cls("grid").close()
	u.close()
	a.storageSection(u, m)
	u.close()
	mount(view, u)
	a.sessionsWindow(true)
	if id := a.curIdent(); id != nil {
		rows := a.sessionRows(m)
		for i, r := range rows {
			if r == id.row {
				a.scrollIntoViewRow(i)
			}
		}
	}
	if a.step >= 0 {
		g := m.grid()
		nameW, cellW := g.nameW, g.cellW
		box := byID("sess-scroll")
		x := float64(a.step) * cellW
		sl := box.Get("scrollLeft").Float()
		w := box.Get("clientWidth").Float() - nameW - cellW
		if x < sl || x > sl+w {
			box.Set("scrollLeft", math.Max(0, x-cellW))
		}
	}
}

func (a *app) stepSelect(u *ui, id string, sel int, m *model) {
	u.open("select").attr("id", id).attr("aria-label", "Step to compare")
	u.open("option").attr("value", "-1").text("—").close()
	for p := range m.rec.Steps {
		st := &m.rec.Steps[p]
		u.open("option").attr("value", itoa(p))
		if p == sel {
			u.attr("selected", "")
		}
		u.text(itoa(st.Index) + " " + stepLabel(st)).close()
	}
	u.close()
}

// sessionsWindow renders the cells in view. With reset, the grid is
// rebuilt (new filter or scenario).
func (a *app) sessionsWindow(reset bool) {
	m := a.curModel()
	box := byID("sess-scroll")
	grid := byID("sess-grid")
	if m == nil || !box.Truthy() {
		return
	}
	rows := a.sessionRows(m)
	// The session tokens of Web Storage come first, next to the session
	// cookies: rows 0..nTok-1 of the grid's cookie area.
	toks := m.tokens
	nTok := len(toks)
	nSteps := len(m.rec.Steps)
	g := m.grid()
	nameW, cellW, cellH := g.nameW, g.cellW, g.rowH
	// The logged-in row sits under the header, and stays there.
	authRow, first := 0.0, 2 // the grid row of the first cookie
	if m.auth != nil {
		authRow, first = cellH, 3
	}
	if reset {
		sizeGrid(grid, g, nSteps, nTok+len(rows), authRow)
	}
	sl, stp := box.Get("scrollLeft").Float(), box.Get("scrollTop").Float()
	w, h := box.Get("clientWidth").Float(), box.Get("clientHeight").Float()
	if w == 0 {
		w, h = 1200, 700
	}
	c0 := clampInt(int((sl)/cellW)-1, 0, nSteps)
	c1 := clampInt(int((sl+w-nameW)/cellW)+2, 0, nSteps)
	r0 := clampInt(int(stp/cellH)-2, 0, nTok+len(rows))
	r1 := clampInt(int((stp+h-headH-authRow)/cellH)+3, 0, nTok+len(rows))
	if printing {
		c0, c1, r0, r1 = 0, nSteps, 0, nTok+len(rows)
	}
	cur := a.curIdent()

	u := &ui{}
	// Corner and column headers.
	corner := plural(len(rows), "cookie", "cookies")
	if nTok > 0 {
		corner += " + " + plural(nTok, "token", "tokens")
	}
	u.open("div").cls("corner").style("grid-area", "1 / 1").text(corner + " × " + plural(nSteps, "step", "steps")).close()
	for p := c0; p < c1; p++ {
		a.colHead(u, &m.rec.Steps[p], p)
	}
	for ri := r0; ri < r1; ri++ {
		gr := itoa(ri + first)
		if ri < nTok {
			a.tokenRow(u, m, toks[ri], gr, c0, c1)
			continue
		}
		id := m.idents[rows[ri-nTok]]
		a.rowHead(u, id, gr, cur)
		for p := c0; p < c1; p++ {
			a.cell(u, m, id, p, gr)
		}
	}
	if m.auth != nil {
		// In the second grid row, under the step headers (sticky), after
		// the cookie cells in the document.
		u.open("div").cls("rowhead arow").style("grid-area", "2 / 1").attr("title", "Whether the user was logged in after each step, and why we think so")
		u.el("div", "cn", "logged in").el("div", "cd", "after each step")
		u.close()
		for p := c0; p < c1; p++ {
			a.authCell(u, m, p)
		}
	}
	mount(grid, u)
}

// sizeGrid lays out the grid of nSteps columns and nRows cookie rows
// (under the header and, when authRow > 0, the logged-in row) at its
// whole size, so that the scroll range covers the cells not drawn.
func sizeGrid(grid js.Value, g *gridSize, nSteps, nRows int, authRow float64) {
	nameW, cellW, cellH := g.nameW, g.cellW, g.rowH
	st := grid.Get("style")
	st.Call("setProperty", "grid-template-columns", strconv.FormatFloat(nameW, 'f', 0, 64)+"px repeat("+itoa(max(nSteps, 1))+", "+strconv.FormatFloat(cellW, 'f', 0, 64)+"px)")
	tpl := strconv.FormatFloat(headH, 'f', 0, 64) + "px "
	if authRow > 0 {
		tpl += strconv.FormatFloat(authRow, 'f', 0, 64) + "px "
	}
	st.Call("setProperty", "grid-template-rows", tpl+"repeat("+itoa(max(nRows, 1))+", "+strconv.FormatFloat(cellH, 'f', 0, 64)+"px)")
	st.Call("setProperty", "width", strconv.FormatFloat(nameW+float64(nSteps)*cellW, 'f', 0, 64)+"px")
	st.Call("setProperty", "height", strconv.FormatFloat(headH+authRow+float64(nRows)*cellH, 'f', 0, 64)+"px")
}

// colHead is the column header of step position p.
func (a *app) colHead(u *ui, st *recording.Step, p int) {
	cls := "colhead"
	if st.Status != recording.StatusPassed {
		cls += " st-" + string(st.Status)
	}
	if st.As != "" {
		cls += " as-" + string(st.As)
	}
	if p == a.step {
		cls += " sel"
	}
	if p == a.cmpA || p == a.cmpB {
		cls += " cmp"
	}
	u.open("div").cls(cls).style("grid-area", "1 / "+itoa(p+2)).attr("title", stepTitle(st)).attr("data-act", "sel:step:"+itoa(p)).attrInt("data-step", p)
	u.el("div", "sn", "Step "+itoa(st.Index))
	u.el("div", "sk", stepLabel(st))
	d := st.Detail
	if d == "" {
		d = st.Name
	}
	u.el("div", "sd", d)
	u.close()
}

// rowHead is the row header of a cookie identity, in grid row gr.
func (a *app) rowHead(u *ui, id *ident, gr string, cur *ident) {
	cls := "rowhead"
	if id.session != nil {
		cls += " sessid"
	}
	if cur == id {
		cls += " sel"
	}
	title := id.label()
	if id.session != nil && id.session.ClientSide != "" {
		title += "\nClient-side session: " + id.session.ClientSide
	}
	u.open("div").cls(cls).style("grid-area", gr+" / 1").attr("data-act", "sel:lane:"+itoa(id.row)).attr("data-cookie", id.name).attr("title", title)
	u.el("div", "cn", id.name)
	u.el("div", "cd", id.domain+id.path)
	if id.session != nil {
		tag := "session ID · "
		if id.session.ClientSide != "" {
			tag = "client-side session · "
		}
		u.el("div", "tag", tag+id.session.Detection)
	}
	u.close()
}

// authCell is the logged-in state after step position p: in, out or
// unknown (pale when carried over), with the evidence as its title, and a
// mark where an observed reset says a page showed the user logged out.
func (a *app) authCell(u *ui, m *model, p int) {
	e := m.auth[p]
	cls := "cell acell"
	if e != nil {
		cls += " a-" + string(e.State)
		if !e.Checked {
			cls += " carried"
		}
	}
	if a.cookie == "" && a.step == p {
		cls += " sel"
	}
	rs := m.resetsAt(nil, p)
	if len(rs) > 0 {
		cls += " reset"
	}
	u.open("div").cls(cls).style("grid-area", "2 / "+itoa(p+2)).attr("data-act", "sel:auth:"+itoa(p)).attrInt("data-step", p)
	if e == nil {
		u.el("span", "none", "—").close()
		return
	}
	u.attr("data-state", string(e.State)).attr("title", m.authTitle(p))
	u.open("div").cls("v").text(authWord(e.State))
	resetBadges(u, m, rs, "⚠ reset")
	u.close()
	if !e.Checked {
		u.el("div", "flags", "carried over")
	} else {
		u.el("div", "flags", string(e.Source))
	}
	u.close()
}

// resetBadges marks the resets rs in a cell, each with its sentence.
func resetBadges(u *ui, m *model, rs []int, label string) {
	for _, i := range rs {
		r := m.resets[i].reset
		l := label
		if l == "" {
			l = "⚠ " + string(r.Cause)
		}
		u.open("span").cls("b-reset").attr("data-reset", itoa(i)).attr("data-cause", string(r.Cause)).attr("title", r.Summary).text(l).close()
	}
}

func (a *app) cell(u *ui, m *model, id *ident, p int, gr string) {
	c := id.jar[p]
	ch, how := m.cellChange(id, p)
	cls := "cell"
	if ch != "" {
		cls += " chg-" + ch
	}
	if m.rec.Steps[p].Status == recording.StatusSkipped {
		cls += " skipped"
	}
	if a.curIdent() == id && a.step == p {
		cls += " sel"
	}
	if p == a.cmpA || p == a.cmpB {
		cls += " cmp"
	}
	if c == nil {
		cls += " none"
	}
	var rs []int
	if id.session != nil {
		if rs = m.resetsAt(id, p); len(rs) > 0 {
			cls += " reset"
		}
	}
	u.open("div").cls(cls).style("grid-area", gr+" / "+itoa(p+2)).attr("data-act", "sel:cell:"+itoa(id.row)+":"+itoa(p)).attrInt("data-step", p).attr("data-cookie", id.name)
	counts := m.eventCounts(id, p)
	if c != nil {
		u.style("--h", itoa(hue(c.Value))).attr("data-fp", c.Value.Fingerprint)
		title := id.name + " after step " + itoa(m.rec.Steps[p].Index) + "\n" + valueText(c.Value) + "\n" + flagsOf(c)
		u.attr("title", title)
		u.open("div").cls("v")
		u.el("span", "fp", shown(c.Value, false))
		switch ch {
		case chNew:
			u.el("span", "mk", "+")
		case chRotated:
			u.el("span", "mk", "↻")
		case chFlags:
			u.el("span", "mk", "≠")
		}
		u.close()
		u.el("div", "flags", shortFlags(c))
	} else {
		u.open("div").cls("v")
		if ch == chGone {
			u.el("span", "mk", "✕").el("span", "how", how)
		} else if m.rec.Steps[p].Status == recording.StatusSkipped {
			u.el("span", "how", "skipped")
		} else {
			u.el("span", "none", "—")
		}
		u.close()
	}
	if len(rs) > 0 || counts[recording.EventRejected] > 0 || counts[recording.EventWithheld] > 0 {
		u.open("div").cls("badges")
		resetBadges(u, m, rs, "")
		if n := counts[recording.EventWithheld]; n > 0 {
			u.el("span", "b-withheld", "withheld ×"+itoa(n))
		}
		if n := counts[recording.EventRejected]; n > 0 {
			u.el("span", "b-rejected", "rejected ×"+itoa(n))
		}
		u.close()
	}
	u.close()
}

// shortFlags is a cookie's attributes in a few characters.
func shortFlags(c *recording.Cookie) string {
	var b strings.Builder
	if c.Secure {
		b.WriteString("S ")
	}
	if c.HTTPOnly {
		b.WriteString("H ")
	}
	if c.SameSite != "" {
		b.WriteString(c.SameSite + " ")
	}
	if c.HostOnly() {
		b.WriteString("host ")
	} else {
		b.WriteString("dom ")
	}
	if c.Session || c.Expires == nil {
		b.WriteString("sess")
	} else {
		b.WriteString("exp " + c.Expires.UTC().Format("01-02 15:04"))
	}
	return b.String()
}

// compare writes the difference between two columns into u.
func (a *app) compare(u *ui, m *model) {
	pa, pb := a.cmpA, a.cmpB
	sa, sb := &m.rec.Steps[pa], &m.rec.Steps[pb]
	u.el("h2", "", "Step "+itoa(sa.Index)+" → step "+itoa(sb.Index))
	u.el("p", "muted", stepTitle(sa)+"\n→ "+stepTitle(sb))
	n := 0
	u.open("ul").cls("diff").attr("id", "cmp-list")
	for _, id := range m.idents {
		ca, cb := id.jar[pa], id.jar[pb]
		var what, cls string
		switch {
		case ca == nil && cb == nil:
			continue
		case ca == nil:
			what, cls = "added: "+shown(cb.Value, true)+" ("+flagsOf(cb)+")", "added"
		case cb == nil:
			what, cls = "removed (was "+shown(ca.Value, true)+")", "removed"
		case !ca.Value.Same(cb.Value):
			what, cls = "value "+shown(ca.Value, true)+" → "+shown(cb.Value, true), "changed"
		case flagsOf(ca) != flagsOf(cb):
			what, cls = "attributes "+flagsOf(ca)+" → "+flagsOf(cb), "changed"
		default:
			continue
		}
		n++
		u.open("li").cls(cls).attr("data-act", "sel:lane:"+itoa(id.row))
		u.el("b", "", id.label()).text(": " + what)
		u.close()
	}
	u.close()
	if n == 0 {
		u.el("p", "", "The jar is the same after both steps.")
	}
}

// sessionsCSV is the session table as CSV rows.
func sessionsCSV(m *model) [][]string {
	head := []string{"cookie", "domain", "path", "partition", "session id"}
	for p := range m.rec.Steps {
		st := &m.rec.Steps[p]
		head = append(head, "step "+itoa(st.Index)+" "+stepLabel(st))
	}
	out := [][]string{head}
	for _, id := range m.idents {
		row := []string{id.name, id.domain, id.path, id.partition, ""}
		if id.session != nil {
			row[4] = id.session.Detection
		}
		for p := range m.rec.Steps {
			c := id.jar[p]
			ch, how := m.cellChange(id, p)
			cell := ""
			if c != nil {
				cell = shown(c.Value, true) + " [" + flagsOf(c) + "]"
			}
			switch ch {
			case chNew:
				cell += " set"
			case chRotated:
				cell += " new value"
			case chFlags:
				cell += " attributes changed"
			case chGone:
				cell = how
			}
			row = append(row, strings.TrimSpace(cell))
		}
		out = append(out, row)
	}
	return out
}
