//go:build js && wasm

package main

import (
	"sort"
	"syscall/js"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

func statusOf(s *scen) recording.Status {
	switch {
	case s.rec != nil:
		return s.rec.Status
	case s.entry != nil:
		return s.entry.Status
	}
	return recording.StatusErrored
}

func (a *app) renderOverview(view js.Value) {
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
	var start, end time.Time
	for _, s := range r.scens {
		t.Add(statusOf(s))
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
	for _, f := range a.run.report.Findings {
		counts[f.Severity]++
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
	total := 0
	for _, s := range a.run.report.Sessions {
		for _, rs := range s.Resets {
			causes[rs.Cause]++
			total++
		}
	}
	if total == 0 {
		u.el("p", "muted", "No session reset: every session ID lasted as the journey expected.")
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

// scenarioTable lists the scenarios of the run with their counts.
func (a *app) scenarioTable(u *ui) {
	u.open("div").cls("table-wrap")
	u.open("table").cls("scenarios").attr("id", "ov-scenarios")
	u.open("thead").open("tr")
	for _, h := range []string{"Scenario", "Status", "Duration", "Steps", "Requests", "Cookie events", "critical", "high", "medium", "low", "info", "Resets"} {
		u.el("th", "", h)
	}
	u.close().close()
	u.open("tbody")
	for i, s := range a.run.scens {
		a.scenarioRow(u, i, s)
	}
	u.close()
	u.close()
	u.close()
}

// scenarioRow is one scenario's row of the overview.
func (a *app) scenarioRow(u *ui, i int, s *scen) {
	sev := map[analysis.Severity]int{}
	for _, fi := range s.findings {
		sev[a.run.report.Findings[fi].Severity]++
	}
	resets := 0
	for _, sr := range s.sessions {
		resets += len(sr.Resets)
	}
	cls := "row"
	if i == a.sc {
		cls += " sel"
	}
	u.open("tr").cls(cls).attrInt("data-sc", i).attr("data-act", "sel:sc:"+itoa(i))
	u.open("td").cls("name")
	u.link("", a.hashFor(vSessions, i, -1, "", "", -1), s.name())
	if s.err != "" {
		u.el("div", "error small", s.err)
	} else if s.rec != nil && s.rec.Error != "" {
		u.el("div", "muted small", s.rec.Error)
	}
	if s.rec != nil && len(s.rec.Warnings) > 0 {
		for _, w := range s.rec.Warnings {
			u.el("div", "warn small", "warning: "+w)
		}
	}
	u.close()
	st := statusOf(s)
	u.open("td").el("span", "status st-"+string(st), string(st)).close()
	d := "—"
	var steps, reqs, evs int
	if s.rec != nil {
		d = dur(s.rec.Start, s.rec.End)
		steps, reqs, evs = len(s.rec.Steps), len(s.rec.Requests), len(s.rec.Events)
	} else if s.entry != nil {
		steps, reqs, evs = s.entry.Steps, s.entry.Requests, s.entry.Events
	}
	u.el("td", "num", d)
	u.el("td", "num c-steps", itoa(steps))
	u.el("td", "num c-requests", itoa(reqs))
	u.el("td", "num c-events", itoa(evs))
	for _, sv := range analysis.Severities {
		c := "num c-" + string(sv)
		if sev[sv] > 0 {
			c += " has sev-" + string(sv)
		}
		u.el("td", c, itoa(sev[sv]))
	}
	u.el("td", "num c-resets", itoa(resets))
	u.close()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

// resetSentences lists each reset of the run in one plain sentence (its
// Summary), with its basis and a link to it on the timeline, then all of
// them as plain text to paste into a bug report.
func (a *app) resetSentences(u *ui) {
	var text []byte
	n := 0
	for si, s := range a.run.scens {
		k := 0 // the reset's index in the scenario's model (buildModel's order)
		for _, sr := range s.sessions {
			for j := range sr.Resets {
				r := &sr.Resets[j]
				if n == 0 {
					u.open("div").cls("card why").attr("id", "ov-why")
					u.el("h2", "", "Why the session was lost")
					u.open("ul").cls("why-list")
				}
				if n < 100 {
					b := *a
					b.view, b.sc, b.step, b.req, b.finding, b.reset, b.event = vTimeline, si, -1, "", -1, k, -1
					b.cookie = "" // (a cookie would build the scenario's model now)
					if s.rec != nil {
						for p := range s.rec.Steps {
							if s.rec.Steps[p].Index == r.Step {
								b.step = p
								break
							}
						}
					}
					u.open("li").attr("data-sc", itoa(si)).attr("data-basis", string(r.Basis)).attr("data-cause", string(r.Cause))
					u.el("span", "basis b-"+string(r.Basis), string(r.Basis))
					u.el("span", "scn", s.name()+": ")
					u.el("span", "sum", r.Summary).text(" ")
					u.link("go-reset", b.hash(), "timeline, step "+itoa(r.Step))
					u.close()
				}
				text = append(text, s.name()+": "+r.Summary+" ("+string(r.Basis)+")\n"...)
				n++
				k++
			}
		}
	}
	if n == 0 {
		return
	}
	u.close()
	if n > 100 {
		u.el("p", "muted", itoa(n-100)+" more in the text below")
	}
	u.open("details").el("summary", "", "As plain text, for a bug report")
	u.open("p").cls("links")
	u.button("small", "copy-why", "Copy", "Copy these sentences, one per line, as plain text")
	u.open("span").cls("muted small").attr("id", "why-status").close()
	u.close()
	u.open("textarea").attr("id", "ov-why-text").attr("readonly", "").attr("rows", itoa(min(n, 6)+1)).attr("aria-label", "The resets as plain text").text(string(text)).close()
	u.close()
	u.close()
}
