//go:build js && wasm

package main

import (
	"sort"
	"strconv"
	"syscall/js"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

func statusOf(s *scen) recording.Status {
	switch {
	case s.rec != nil && imported[s.rec]:
		return statusImported
	case s.rec != nil:
		return s.rec.Status
	case s.entry != nil:
		return s.entry.Status
	}
	return recording.StatusErrored
}

func (a *app) renderOverview(view js.Value) {
	// The list keeps its place when the overview is drawn again (a
	// selection, findings.json read): a.ovTop, kept by the scroll events,
	// as reading the old list's place would make the browser lay the page
	// out once more.
	top := a.ovTop
	if a.ovRun != a.run {
		top, a.ovTop, a.ovRun = 0, 0, a.run
	}
	u := &ui{}
	u.open("section").cls("overview")
	a.overviewRun(u)
	u.open("div").cls("cards")
	a.severityCard(u)
	a.resetsCard(u)
	u.close()
	a.resetSentences(u)
	a.scenarioTable(u)
	u.close()
	mount(view, u)
	if top > 0 {
		byID("ov-scroll").Set("scrollTop", top)
	}
	a.overviewWindow(true)
	if a.followRow {
		a.followRow = false
		for i, sc := range a.scenarioRows() {
			if sc == a.sc {
				a.scrollIntoViewRow(i)
			}
		}
		a.overviewWindow(false)
	}
}

// overviewRun writes the run's head: which run, its totals and times.
func (a *app) overviewRun(u *ui) {
	r := a.run
	u.open("div").cls("run-head")
	title := "Recording"
	if r.index != nil {
		title = "Run"
	}
	if a.cmp != nil {
		// Which of the two runs this is, and what changed between them.
		if a.showB {
			title += " B"
		} else {
			title += " A (baseline)"
		}
	}
	u.el("h1", "", title)
	if a.cmp != nil {
		u.open("p").cls("meta").text("Compared with run " + map[bool]string{true: "A", false: "B"}[a.showB] + ": " + lastLine(a.cmp.text) + ". ")
		u.link("", a.hashFor(vDiff, a.sc, -1, "", "", -1), "See the diff").close()
	}
	u.open("p").attr("id", "ov-totals").cls("totals")
	t := recording.Totals{}
	nImported := 0
	var start, end time.Time
	for _, s := range r.scens {
		if st := statusOf(s); st == statusImported {
			nImported++
		} else {
			t.Add(st)
		}
		if s.rec != nil {
			if start.IsZero() || s.rec.Start.Before(start) && !s.rec.Start.IsZero() {
				start = s.rec.Start
			}
			if s.rec.End.After(end) {
				end = s.rec.End
			}
		}
	}
	if r.index != nil {
		start, end = r.index.Start, r.index.End
	}
	u.text(plural(len(r.scens), "scenario", "scenarios") + ": ")
	for i, c := range []struct {
		n    int
		what string
	}{{t.Passed, "passed"}, {t.Failed, "failed"}, {t.Errored, "errored"}, {t.Interrupted, "interrupted"}} {
		if i > 0 {
			u.text(", ")
		}
		cls := ""
		if c.n > 0 {
			cls = "st-" + c.what
		}
		u.el("span", cls, itoa(c.n)+" "+c.what)
	}
	if nImported > 0 {
		// A HAR did not run: nothing passed or failed.
		u.text(", ").el("span", "st-imported", itoa(nImported)+" imported")
	}
	u.close()
	u.open("p").cls("meta")
	if r.index != nil && r.index.Tool != "" {
		u.text(r.index.Tool + " · ")
	}
	if !start.IsZero() {
		u.text(start.UTC().Format("2006-01-02 15:04:05 UTC") + " · " + dur(start, end))
	}
	u.close()
	u.close()
}

// severityCard counts the findings by severity.
func (a *app) severityCard(u *ui) {
	u.open("div").cls("card").attr("id", "ov-severity")
	u.el("h2", "", "Findings by severity")
	counts := map[analysis.Severity]int{}
	if a.run.lazy {
		for _, s := range a.run.scens {
			for _, sev := range analysis.Severities {
				counts[sev] += s.stat.Findings.Of(sev)
			}
		}
	} else {
		for _, f := range a.run.report.Findings {
			counts[f.Severity]++
		}
	}
	u.open("ul").cls("sev-list")
	for _, sev := range analysis.Severities {
		u.open("li")
		u.open("a").cls("sev sev-"+string(sev)).attr("id", "ov-sev-"+string(sev)).attr("href", "#"+a.hashFor(vFindings, a.sc, -1, "", "", -1))
		u.el("span", "n", itoa(counts[sev])).el("span", "l", string(sev))
		u.close().close()
	}
	u.close()
	u.close()
}

// resetsCard counts the session resets by cause.
func (a *app) resetsCard(u *ui) {
	u.open("div").cls("card").attr("id", "ov-resets")
	u.el("h2", "", "Session resets by cause")
	causes := map[analysis.CauseID]int{}
	total, unread := 0, 0
	for _, s := range a.run.scens {
		if s.err != "" {
			unread++
		}
		for _, rs := range resetLines(s) {
			causes[rs.Cause]++
			total++
		}
	}
	if unread > 0 {
		// Nothing is known of what could not be read: no "no reset".
		u.el("p", "error", plural(unread, "recording", "recordings")+" could not be read: their resets are unknown.")
	}
	if total == 0 && unread == 0 {
		u.el("p", "muted", "No session reset: every session ID lasted as the journey expected.")
	} else if total == 0 {
		u.el("p", "muted", "No session reset in the "+plural(len(a.run.scens)-unread, "recording", "recordings")+" read.")
	} else {
		keys := make([]analysis.CauseID, 0, len(causes))
		for k := range causes {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if causes[keys[i]] != causes[keys[j]] {
				return causes[keys[i]] > causes[keys[j]]
			}
			return keys[i] < keys[j]
		})
		u.open("ul").cls("causes")
		for _, k := range keys {
			u.open("li").attr("data-cause", string(k))
			u.el("span", "n", itoa(causes[k])).el("code", "cause", string(k))
			if c := analysis.CauseByID(k); c != nil {
				u.open("span").cls("expl").attr("title", c.Explanation).text(c.Explanation).close()
			}
			u.close()
		}
		u.close()
	}
	u.close()
}

// Sizes of the overview's list, in CSS pixels (style.css agrees).
const (
	ovRowH = 34.0
	// ovAll: a list of up to this many scenarios is drawn whole.
	ovAll = 120
)

// scenarioTable writes the overview's list of scenarios: a search box and
// a table whose rows are drawn by overviewWindow, only those in view.
func (a *app) scenarioTable(u *ui) {
	u.open("div").cls("toolbar ov-tools")
	u.open("input").attr("id", "ov-q").attr("type", "search").attr("placeholder", "Search scenarios: name, tag:, status:, cookie:, rule:, cause:  (/)").
		attr("aria-label", "Search scenarios by name, tag, status, cookie name, rule id or reset cause").attr("value", a.scQ).close()
	u.open("span").cls("count").attr("id", "ov-count").close()
	u.close()
	u.open("div").cls("table-wrap").attr("id", "ov-scroll").attr("tabindex", "0")
	u.open("table").cls("scenarios").attr("id", "ov-scenarios")
	u.open("thead").open("tr")
	for _, h := range []string{"Scenario", "Status", "Duration", "Steps", "Requests", "Cookie events", "critical", "high", "medium", "low", "info", "Resets"} {
		u.el("th", "", h)
	}
	u.close().close()
	u.open("tbody").attr("id", "ov-body").close()
	u.close()
	u.close()
}

// overviewWindow draws the rows of the list in view; with reset, the
// search changed (or the list was built).
func (a *app) overviewWindow(reset bool) {
	box, body := byID("ov-scroll"), byID("ov-body")
	if a.run == nil || !box.Truthy() {
		return
	}
	rows := a.scenarioRows()
	n := len(rows)
	if reset {
		body.Get("style").Call("setProperty", "height", strconv.FormatFloat(float64(max(n, 1))*ovRowH, 'f', 0, 64)+"px")
		txt := plural(len(a.run.scens), "scenario", "scenarios")
		if a.scQ != "" {
			txt = itoa(n) + " of " + txt
		}
		setText(byID("ov-count"), txt)
	}
	r0, r1 := 0, n
	if n > ovAll && !printing {
		// Drawn with the page (reset): the place kept and the window's
		// height, which need no layout; on a scroll, the list's own.
		top, h := a.ovTop, js.Global().Get("innerHeight").Float()
		if !reset {
			top, h = box.Get("scrollTop").Float(), box.Get("clientHeight").Float()
			a.ovTop = top
		}
		if h == 0 {
			h = 700
		}
		r0 = clampInt(int(top/ovRowH)-4, 0, n)
		r1 = clampInt(int((top+h)/ovRowH)+4, 0, n)
	}
	// The rows in place stay when they are the same (see findingsList).
	drawn := itoa(r0) + "\x00" + itoa(r1) + "\x00" + itoa(a.sc)
	if !reset && drawn == a.ovDrawn {
		return
	}
	a.ovDrawn = drawn
	u := &ui{}
	if n == 0 {
		u.open("tr").cls("none").el("td", "empty", "No scenario matches the search.").close()
	}
	for k := r0; k < r1; k++ {
		a.scenarioRow(u, k, rows[k], a.run.scens[rows[k]])
	}
	mount(body, u)
}

// scenarioRow is one scenario's row of the overview, at position k of
// the list.
func (a *app) scenarioRow(u *ui, k, i int, s *scen) {
	sev := a.sevCounts(s)
	cls := "row"
	if i == a.sc {
		cls += " sel"
	}
	u.open("tr").cls(cls).attrInt("data-sc", i).attr("data-act", "sel:sc:"+itoa(i)).style("top", strconv.FormatFloat(float64(k)*ovRowH, 'f', 0, 64)+"px")
	u.open("td").cls("name").attr("title", s.name())
	u.link("", a.hashFor(vSessions, i, -1, "", "", -1), s.name())
	errText := s.err
	if errText == "" && s.rec != nil {
		errText = s.rec.Error
	} else if errText == "" && s.entry != nil {
		errText = s.entry.Error
	}
	if s.err != "" {
		u.text(" ").open("span").cls("error small").attr("title", s.err).text(s.err).close()
	} else if errText != "" {
		u.text(" ").open("span").cls("muted small").attr("title", errText).text(errText).close()
	}
	warnings := []string(nil)
	if s.rec != nil {
		warnings = s.rec.Warnings
	} else if s.stat != nil {
		warnings = s.stat.Warnings
	}
	for _, w := range warnings {
		u.text(" ").open("span").cls("warn small").attr("title", w).text("warning: " + w).close()
	}
	u.close()
	st := statusOf(s)
	if s.err != "" {
		// A recording that could not be read: its status is an error of
		// the page, and its counts are unknown, not zero.
		u.open("td").el("span", "status st-errored", "unreadable").close()
		u.el("td", "num", "—")
		for _, c := range []string{"c-steps", "c-requests", "c-events", "c-critical", "c-high", "c-medium", "c-low", "c-info", "c-resets"} {
			u.el("td", "num unknown "+c, "—")
		}
		u.close()
		return
	}
	u.open("td").el("span", "status st-"+string(st), string(st)).close()
	d := "—"
	var steps, reqs, evs int
	if s.rec != nil {
		d = dur(s.rec.Start, s.rec.End)
		steps, reqs, evs = len(s.rec.Steps), len(s.rec.Requests), len(s.rec.Events)
	} else if s.entry != nil {
		if s.stat != nil {
			d = dur(s.entry.Start, s.entry.End)
		}
		steps, reqs, evs = s.entry.Steps, s.entry.Requests, s.entry.Events
	}
	u.el("td", "num", d)
	u.el("td", "num c-steps", itoa(steps))
	u.el("td", "num c-requests", itoa(reqs))
	u.el("td", "num c-events", itoa(evs))
	for j, sv := range analysis.Severities {
		c := "num c-" + string(sv)
		if sev[j] > 0 {
			c += " has sev-" + string(sv)
		}
		u.el("td", c, itoa(sev[j]))
	}
	u.el("td", "num c-resets", itoa(len(resetLines(s))))
	u.close()
}

// sevCounts counts a scenario's findings by severity (analysis.Severities
// order): from summary.json in a lazy run, else from the analysis.
func (a *app) sevCounts(s *scen) []int {
	out := make([]int, len(analysis.Severities))
	for j, sev := range analysis.Severities {
		if s.stat != nil {
			out[j] = s.stat.Findings.Of(sev)
			continue
		}
		for _, fi := range s.findings {
			if a.run.report.Findings[fi].Severity == sev {
				out[j]++
			}
		}
	}
	return out
}

// resetLines are a scenario's resets as the overview tells them: from
// summary.json in a lazy run (no findings.json needed), else from the
// analysis.
func resetLines(s *scen) []runfolder.ResetStat {
	if s.stat != nil {
		return s.stat.Resets
	}
	var out []runfolder.ResetStat
	add := func(rs []analysis.Reset) {
		for _, r := range rs {
			out = append(out, runfolder.ResetStat{Cause: r.Cause, Basis: r.Basis, Step: r.Step, Summary: r.Summary})
		}
	}
	for _, sr := range s.sessions {
		add(sr.Resets)
	}
	for _, tr := range s.tokens {
		add(tr.Resets)
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

// whyShown is the most reset sentences listed in the overview (a box
// that shows about six at a time); the rest are in the plain text below.
const whyShown = 25

// whyInline is the most reset sentences put in the overview's plain text
// as it is drawn.
const whyInline = 300

// A whyText is the plain text of a run's reset sentences, made once.
type whyText struct {
	n    int
	text string
}

// resetSentences lists each reset of the run in one plain sentence (its
// Summary), with its basis and a link to it on the timeline, then all of
// them as plain text to paste into a bug report.
func (a *app) resetSentences(u *ui) {
	r := a.run
	if r.why == nil {
		var text []byte
		n := 0
		for _, s := range r.scens {
			for _, rs := range resetLines(s) {
				text = append(text, s.name()+": "+rs.Summary+" ("+string(rs.Basis)+")\n"...)
				n++
			}
		}
		r.why = &whyText{n: n, text: string(text)}
	}
	n := r.why.n
	if n == 0 {
		return
	}
	u.open("div").cls("card why").attr("id", "ov-why")
	u.el("h2", "", "Why the session was lost")
	u.open("ul").cls("why-list")
	shown := 0
	for si, s := range r.scens {
		// k: the reset's index in the scenario's model (buildModel's order)
		for k, rs := range resetLines(s) {
			if shown == whyShown {
				break
			}
			b := *a
			b.view, b.sc, b.step, b.req, b.finding, b.reset, b.event = vTimeline, si, rs.Step, "", -1, k, -1
			b.cookie = "" // (a cookie would build the scenario's model now)
			if s.rec != nil {
				for p := range s.rec.Steps {
					if s.rec.Steps[p].Index == rs.Step {
						b.step = p
						break
					}
				}
			}
			u.open("li").attr("data-sc", itoa(si)).attr("data-basis", string(rs.Basis)).attr("data-cause", string(rs.Cause))
			u.el("span", "basis b-"+string(rs.Basis), string(rs.Basis))
			u.el("span", "scn", s.name()+": ")
			u.el("span", "sum", rs.Summary).text(" ")
			u.link("go-reset", b.hash(), "timeline, step "+itoa(rs.Step))
			u.close()
			shown++
		}
	}
	u.close()
	if n > whyShown {
		u.el("p", "muted", itoa(n-whyShown)+" more in the text below")
	}
	u.open("details").attr("id", "ov-why-details").el("summary", "", "As plain text, for a bug report")
	u.open("p").cls("links")
	u.button("small", "copy-why", "Copy", "Copy these sentences, one per line, as plain text")
	u.open("span").cls("muted small").attr("id", "why-status").close()
	u.close()
	// Thousands of lines in a textarea cost the browser more than the rest
	// of the overview: a long text is put in when the details are opened.
	text := r.why.text
	if n > whyInline {
		text = ""
	}
	u.open("textarea").attr("id", "ov-why-text").attr("readonly", "").attr("rows", itoa(min(n, 6)+1)).attr("aria-label", "The resets as plain text").text(text).close()
	u.close()
	u.close()
}
