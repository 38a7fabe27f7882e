//go:build js && wasm

package main

import (
	"strconv"
	"strings"
	"syscall/js"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// A run folder with its reports opens overview first: the overview is
// drawn from index.json and summary.json (its perScenario rows), the
// findings and the resets' sentences come from findings.json, and a
// scenario's recording is fetched, decoded and analysed when it is opened
// (and the next few in the list when the page is idle). A suite of
// thousands of scenarios so opens in about the time its index takes to
// read, not its recordings.

// findingsAuto is the largest findings.json read without being asked: a
// bigger one (a suite of tens of thousands of scenarios) waits for a
// click, so that the overview does not cost its size in memory.
const findingsAuto = 32 << 20

// maxLoaded bounds the recordings a lazy run keeps decoded: the least
// recently opened go first.
const maxLoaded = 48

// prefetchAhead is how many of the next scenarios in the list are read
// while the page is idle.
const prefetchAhead = 3

// Where findings.json stands in a lazy run.
const (
	fNone     = ""         // not asked for yet
	fLoading  = "loading"  // being read
	fLoaded   = "loaded"   // read: run.report holds it
	fDeferred = "deferred" // too big to read unasked (run.findingsSize)
	fFailed   = "failed"   // could not be read (run.findingsErr)
)

// lazyRun makes r, an index read from URL u, a lazy run when the run
// folder has a summary.json (on its way in summary) whose perScenario rows
// match the index; else it returns false and the recordings are read as
// before.
func (a *app) lazyRun(r *run, u string, summary chan fetched) bool {
	f := <-summary
	if f.err != nil {
		return false
	}
	sum, err := runfolder.DecodeSummaryOverview(runfolder.SummaryFile, f.data)
	if err != nil || len(sum.PerScenario) != len(r.scens) {
		return false
	}
	for i, s := range r.scens {
		if sum.PerScenario[i].Recording != s.entry.Recording {
			return false
		}
	}
	for i, s := range r.scens {
		s.stat = &sum.PerScenario[i]
	}
	r.lazy, r.base = true, u
	r.report = &analysis.Report{Findings: []analysis.Finding{}, Sessions: []analysis.SessionReport{}, Auth: []analysis.AuthReport{}}
	// findings.json is on its way while the overview is drawn.
	r.findingsData = make(chan fetched, 1)
	go func() {
		b, size, err := fetchUpTo(resolve(runfolder.FindingsFile, u), findingsAuto)
		r.findingsData <- fetched{b, size, err}
	}()
	return true
}

// A fetched is a file read, or its size when it was too big, or why not.
type fetched struct {
	data []byte
	size float64
	err  error
}

// fetchUpTo reads a URL unless its Content-Length says it is over limit
// bytes: then it returns nil data and the size.
func fetchUpTo(u string, limit float64) ([]byte, float64, error) {
	resp, err := await(js.Global().Call("fetch", u))
	if err != nil {
		return nil, 0, err
	}
	if !resp.Get("ok").Bool() {
		return nil, 0, httpError(resp)
	}
	if n := resp.Get("headers").Call("get", "Content-Length"); n.Truthy() {
		if size, err := strconv.ParseFloat(n.String(), 64); err == nil && size > limit {
			if b := resp.Get("body"); b.Truthy() {
				b.Call("cancel")
			}
			return nil, size, nil
		}
	}
	buf, err := await(resp.Call("arrayBuffer"))
	if err != nil {
		return nil, 0, err
	}
	if msg := tooBig(u, buf.Get("byteLength").Float()); msg != "" {
		return nil, 0, errString(msg)
	}
	return bytesOf(buf), buf.Get("byteLength").Float(), nil
}

type errString string

func (e errString) Error() string { return string(e) }

// afterOverview reads findings.json once the overview is on screen (or
// notes that it waits for a click), then draws what it adds.
func (a *app) afterOverview(r *run) {
	if !r.lazy || r.findingsData == nil {
		return
	}
	r.findings = fLoading
	a.setFindingsState(r)
	f := <-r.findingsData
	r.findingsData = nil
	switch {
	case f.err != nil:
		r.findings, r.findingsErr = fFailed, f.err.Error()
	case f.data == nil:
		r.findings, r.findingsSize = fDeferred, f.size
	default:
		a.useFindings(r, f.data)
	}
	a.setFindingsState(r)
	if a.run == r {
		a.render()
	}
	a.afterPaint(func() {
		mark("st-findings")
		gcResume()
	})
}

// loadFindings reads findings.json when the user asks for it.
func (a *app) loadFindings(r *run) {
	if !r.lazy || r.findings == fLoading || r.findings == fLoaded {
		return
	}
	r.findings = fLoading
	a.setFindingsState(r)
	a.render()
	go func() {
		nextFrame()
		data, _, err := fetchUpTo(resolve(runfolder.FindingsFile, r.base), float64(maxFileMiB)*(1<<20))
		if err != nil || data == nil {
			r.findings, r.findingsErr = fFailed, "could not read findings.json"
			if err != nil {
				r.findingsErr += ": " + err.Error()
			}
		} else {
			a.useFindings(r, data)
		}
		a.setFindingsState(r)
		if a.run == r {
			a.render()
		}
		a.afterPaint(gcResume)
	}()
}

// useFindings makes findings.json's findings and resets r's report.
func (a *app) useFindings(r *run, data []byte) {
	gcPause()
	ro, err := runfolder.DecodeReportOverview(runfolder.FindingsFile, data)
	if err != nil {
		r.findings, r.findingsErr = fFailed, err.Error()
		return
	}
	rep := &analysis.Report{Findings: ro.Findings, Sessions: make([]analysis.SessionReport, len(ro.Sessions)), Auth: []analysis.AuthReport{}}
	for i, s := range ro.Sessions {
		rep.Sessions[i] = analysis.SessionReport{Scenario: s.Scenario, Cookie: s.Cookie, Domain: s.Domain, Path: s.Path, Partition: s.Partition, Resets: s.Resets}
	}
	r.report, r.findingsRaw, r.findings = rep, data, fLoaded
	for _, s := range r.scens {
		s.findings = nil
		if s.rec == nil {
			s.sessions = nil
		}
	}
	r.distribute(false)
	r.why = nil
	a.findKey = ""
}

// setFindingsState tells tests and the page's style where findings.json
// stands (body data-st-findings).
func (a *app) setFindingsState(r *run) {
	if a.run == r || a.run == nil {
		doc.Get("body").Get("dataset").Set("stFindings", r.findings)
	}
}

// need starts reading scenario i of the shown run when it is lazy and
// not read yet; the views say it is loading, and are drawn again when it
// is there.
func (a *app) need(i int) {
	r := a.run
	if r == nil || !r.lazy || i < 0 || i >= len(r.scens) {
		return
	}
	s := r.scens[i]
	a.tick++
	s.used = a.tick
	if s.rec != nil || s.loading || s.err != "" {
		return
	}
	go a.loadScen(r, i, true)
}

// loadScen fetches, decodes and analyses scenario i of r. When show is
// true (the user opened it) the page is drawn again afterwards and the
// next scenarios of the list are read when the page is idle.
func (a *app) loadScen(r *run, i int, show bool) {
	s := r.scens[i]
	if s.rec != nil || s.loading || s.err != "" {
		return
	}
	s.loading = true
	mark("st-open-" + itoa(i))
	data, err := fetchBytes(resolve(s.path, r.base))
	if err == nil {
		s.rec, err = decode(s.path, data, runfolder.Sniff(s.path, data))
	}
	s.loading = false
	if err != nil {
		s.rec, s.err = nil, err.Error()
	} else {
		// The scenario's own analysis: its sessions with their IDs and its
		// logged-in lane (findings.json's findings stay the run's).
		rep := analysis.Analyze(s.rec)
		s.sessions, s.tokens = s.sessions[:0], nil
		for k := range rep.Sessions {
			s.sessions = append(s.sessions, &rep.Sessions[k])
		}
		for k := range rep.Tokens {
			s.tokens = append(s.tokens, &rep.Tokens[k])
		}
		if len(rep.Auth) > 0 {
			s.auth = &rep.Auth[0]
		}
		s.m = nil
		a.evict(r)
	}
	// The scenario shown (opened while it was being prefetched, too) is
	// drawn again now that it is there.
	if a.run == r && a.sc == i {
		a.render()
	}
	if !show {
		return
	}
	a.afterPaint(func() {
		mark("st-opened-" + itoa(i))
		gcResume()
		a.prefetch(r, i)
	})
}

// prefetch reads the next scenarios after i in the list shown (the
// overview's filtered order) while the page is idle, one per idle time;
// body data-st-prefetch says "done" when they are read.
func (a *app) prefetch(r *run, i int) {
	rows := a.scenarioRows()
	at := -1
	for k, j := range rows {
		if j == i {
			at = k
			break
		}
	}
	var next []int
	for k := at + 1; k < len(rows) && len(next) < prefetchAhead; k++ {
		if s := r.scens[rows[k]]; s.rec == nil && !s.loading && s.err == "" {
			next = append(next, rows[k])
		}
	}
	a.prefetchNext(r, next)
}

// prefetchNext reads the scenarios of list, one per idle time.
func (a *app) prefetchNext(r *run, list []int) {
	body := doc.Get("body").Get("dataset")
	if len(list) == 0 {
		body.Set("stPrefetch", "done")
		return
	}
	body.Set("stPrefetch", "reading")
	var fn js.Func
	fn = js.FuncOf(func(js.Value, []js.Value) any {
		fn.Release()
		go func() {
			a.loadScen(r, list[0], false)
			gcResume()
			a.prefetchNext(r, list[1:])
		}()
		return nil
	})
	if ric := js.Global().Get("requestIdleCallback"); ric.Type() == js.TypeFunction {
		ric.Invoke(fn, map[string]any{"timeout": 2000})
	} else {
		js.Global().Call("setTimeout", fn, 50)
	}
}

// evict drops the least recently opened recordings of r beyond maxLoaded
// (never the one shown), with what was built from them.
func (a *app) evict(r *run) {
	if r.pinned {
		return
	}
	n := 0
	for _, s := range r.scens {
		if s.rec != nil {
			n++
		}
	}
	for ; n > maxLoaded; n-- {
		old := -1
		for j, s := range r.scens {
			if s.rec != nil && (a.run != r || j != a.sc) && (old < 0 || s.used < r.scens[old].used) {
				old = j
			}
		}
		if old < 0 {
			return
		}
		s := r.scens[old]
		s.rec, s.m, s.auth, s.sessions, s.tokens = nil, nil, nil, nil, nil
		if r.findings == fLoaded {
			s.sessions = r.sessionsOf(old)
		}
		if a.run == r {
			delete(a.tl, old)
		}
	}
}

// loadAll reads every recording of a lazy run that is not read yet (a
// diff needs them all), and keeps them.
func (a *app) loadAll(r *run) {
	if !r.lazy {
		return
	}
	r.pinned = true
	for i, s := range r.scens {
		if s.rec == nil && s.err == "" {
			setStatus("Reading recording " + itoa(i+1) + " of " + itoa(len(r.scens)) + ": " + s.path)
			for s.loading {
				nextFrame()
			}
			a.loadScen(r, i, false)
		}
	}
}

// findingsPending says, in a paragraph of class cls, that what (e.g. "The
// run's findings are") waits for findings.json of lazy run r: being read,
// too big to read unasked (with a button to read it), or unreadable.
func findingsPending(u *ui, r *run, what, cls string) {
	switch r.findings {
	case fDeferred:
		u.open("p").cls(cls).text(what + " in findings.json (" + itoa(int(r.findingsSize/(1<<20))) + " MB), not read yet to keep the page light. ")
		u.button("", "load-findings", "Read findings.json", "Read the run's findings and the resets' sentences").close()
	case fFailed:
		u.el("p", strings.TrimSpace(cls+" error"), r.findingsErr)
	default:
		u.el("p", strings.TrimSpace(cls+" muted"), "Reading findings.json …")
	}
}
