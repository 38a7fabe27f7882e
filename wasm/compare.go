//go:build js && wasm

package main

import (
	"net/url"
	"strings"

	"github.com/sessiontrace/sessiontrace/rundiff"
)

// A comparison is two runs of a suite, A (the baseline: the run opened
// first) and B, and what package rundiff finds changed from A to B: the
// same code, so the same result, as `sessiontrace diff A B`.
type comparison struct {
	runs [2]*run
	diff *rundiff.Diff
	// text is the diff as `sessiontrace diff` prints it.
	text string
	// rows are the changes, in the order of diff.Changes() and of the
	// text output: the index of a row is its deep link (dc=N).
	rows []diffRow
	// scen maps each scenario of the diff to its scenario in run A and in
	// run B (an index into run.scens, -1 where absent), for links.
	scen [][2]int
}

// A diffRow is one change and where it comes from in the diff.
type diffRow struct {
	rundiff.Change
	sd int // index into diff.Scenarios
	// ref indexes the change's entry in the scenario's list of its kind
	// (Outcome, Cookies, Sessions or Findings); -1 when unknown.
	ref int
}

// compareRuns compares run b with run a (the baseline).
func (a *app) compareRuns(ra, rb *run) *comparison {
	setStatus("Comparing " + rb.source + " with " + ra.source + " …")
	nextFrame()
	c := &comparison{runs: [2]*run{ra, rb}}
	c.diff = rundiff.Runs(ra.recordings(), rb.recordings())
	c.diff.A.Source, c.diff.B.Source = ra.source, rb.source
	for i := range c.diff.Scenarios {
		sd := &c.diff.Scenarios[i]
		chs := sd.Changes()
		refs := changeRefs(sd)
		for j, ch := range chs {
			ref := -1
			if len(refs) == len(chs) {
				ref = refs[j]
			}
			c.rows = append(c.rows, diffRow{Change: ch, sd: i, ref: ref})
		}
	}
	var b strings.Builder
	c.diff.WriteText(&b)
	c.text = b.String()
	c.scen = matchScens(c.diff, ra, rb)
	// The diff as the CLI prints it, for people who want the text and for
	// tests that compare the page with `sessiontrace diff`.
	byID("st-diff").Set("textContent", c.text)
	mark("st-compared")
	return c
}

// changeRefs lists, in the order of sd.Changes(), the index of each
// change's entry in the list of its kind: a changed cookie gives one
// change per attribute.
func changeRefs(sd *rundiff.ScenarioDiff) []int {
	var refs []int
	for j := range sd.Outcome {
		refs = append(refs, j)
	}
	for j, c := range sd.Cookies {
		n := len(c.Attributes)
		if c.Change != rundiff.Changed {
			n = 1
		}
		for range n {
			refs = append(refs, j)
		}
	}
	for j := range sd.Sessions {
		refs = append(refs, j)
	}
	for j := range sd.Findings {
		refs = append(refs, j)
	}
	return refs
}

// matchScens finds each scenario of the diff in the two runs. rundiff
// lists A's readable recordings in A's order, then B's unmatched ones; it
// names B's side by B's scenario name and file, which are matched here in
// order, as rundiff pairs them.
func matchScens(d *rundiff.Diff, ra, rb *run) [][2]int {
	out := make([][2]int, len(d.Scenarios))
	nextA := 0
	usedB := make([]bool, len(rb.scens))
	for i := range d.Scenarios {
		sd := &d.Scenarios[i]
		out[i] = [2]int{-1, -1}
		if sd.A != nil {
			for nextA < len(ra.scens) && ra.scens[nextA].rec == nil {
				nextA++
			}
			if nextA < len(ra.scens) {
				out[i][0] = nextA
				nextA++
			}
		}
		if sd.B == nil {
			continue
		}
		for j, s := range rb.scens {
			if !usedB[j] && s.rec != nil && s.rec.Scenario.Name == sd.Scenario && s.rec.Scenario.File == sd.B.File {
				out[i][1], usedB[j] = j, true
				break
			}
		}
	}
	return out
}

// compareFiles compares the run the user picked or dropped (B) with the
// open run (A, the baseline) and shows the diff. With no run open, it
// opens the files instead.
func (a *app) compareFiles(files []fileIn) {
	if a.run == nil {
		a.openFiles(files)
		return
	}
	rb := a.runFromFiles(files)
	if rb == nil {
		return
	}
	ra := a.run
	if a.cmp != nil {
		ra = a.cmp.runs[0]
	}
	a.loadAll(ra) // a lazy run's recordings: the diff compares them all
	a.cmp = a.compareRuns(ra, rb)
	a.showRun(ra)
	a.showB, a.view, a.change, a.sc = false, vDiff, -1, 0
	a.resetScenarioSelection()
	setStatus("")
	byID("status").Get("classList").Call("remove", "error")
	a.setState("ready")
	a.showSource()
	a.replace()
	a.afterPaint(gcResume)
}

// hashIn is the deep link to a place in run A (side 0) or B (side 1) of
// the comparison: the keys of app.hash. cookie is an identKey or "".
func hashIn(side int, view string, sc, step int, cookie string) string {
	v := url.Values{}
	v.Set("v", view)
	if side == 1 {
		v.Set("run", "b")
	}
	v.Set("s", itoa(sc))
	if step >= 0 {
		v.Set("step", itoa(step))
	}
	if parts := strings.Split(cookie, "\x00"); len(parts) == 4 {
		v.Set("c", parts[0])
		v.Set("cd", parts[1])
		v.Set("cp", parts[2])
	}
	return v.Encode()
}

// renderSide shows, while comparing, which run the other views show.
func (a *app) renderSide() {
	sel := byID("side")
	if a.cmp == nil {
		sel.Set("hidden", true)
		return
	}
	sel.Set("hidden", false)
	u := &ui{}
	for i, label := range []string{"Run A (baseline): ", "Run B: "} {
		u.open("option").attr("value", itoa(i)).text(label + a.cmp.runs[i].source).close()
	}
	mount(sel, u)
	if a.showB {
		sel.Set("value", "1")
	} else {
		sel.Set("value", "0")
	}
}

// showSide makes the views show run A or B of the comparison.
func (a *app) showSide(side int) {
	if a.cmp == nil {
		return
	}
	b := *a
	b.showB = side == 1
	b.run = a.cmp.runs[side]
	if b.view == vDiff {
		b.view = vOverview // the diff shows both runs: show the chosen one
	}
	b.sc = 0
	b.resetScenarioSelection()
	b.finding, b.change = -1, -1
	a.goTo(b.hash())
}
