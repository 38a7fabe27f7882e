//go:build js && wasm

package main

import (
	"hash/fnv"
	"sort"
	"strconv"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// A scen is one loaded scenario run: its recording and what the analysis
// of the whole run says about it.
type scen struct {
	rec      *recording.Recording
	entry    *recording.IndexEntry // nil when opened without an index
	path     string                // where it was read from
	folder   string                // the URL of its run folder ("" for files opened by hand)
	err      string                // why it could not be read
	findings []int                 // indexes into run.report.Findings
	sessions []*analysis.SessionReport
	tokens   []*analysis.TokenReport // the session tokens kept in Web Storage
	auth     *analysis.AuthReport    // the logged-in state after each step
	m        *model                  // built on first use

	// A lazy run's scenario: its row of summary.json, whether its
	// recording is being read, and when it was last opened (a tick).
	stat    *runfolder.ScenarioStat
	loading bool
	used    int
	keys    *searchKeys // what the overview's search looks in, made on first use
}

func (s *scen) name() string {
	if s.rec != nil && s.rec.Scenario.Name != "" {
		return s.rec.Scenario.Name
	}
	if s.entry != nil && s.entry.Name != "" {
		return s.entry.Name
	}
	return s.path
}

// A run is everything the page has open.
type run struct {
	index  *recording.Index
	source string
	scens  []*scen
	report *analysis.Report
	// findingScen maps a finding (index) to its scenario (index, or -1).
	findingScen []int

	// A lazy run (see lazy.go) reads recordings when they are opened: base
	// is the index's URL; report holds findings.json once read.
	lazy         bool
	base         string
	pinned       bool // every recording read and kept (a diff needs them)
	findings     string
	findingsSize float64
	findingsErr  string
	findingsRaw  []byte
	findingsData chan fetched
	why          *whyText // the overview's reset sentences, made once
	// policy holds the POLICY-VIOLATION findings of the run folder's
	// findings.json: the page does not read the policy file, so a run it
	// analyses itself shows the policy results the run wrote.
	policy []analysis.Finding
}

// recordings are the recordings of the run that could be read.
func (r *run) recordings() []*recording.Recording {
	var recs []*recording.Recording
	for _, s := range r.scens {
		if s.rec != nil {
			recs = append(recs, s.rec)
		}
	}
	return recs
}

// An ident is one cookie identity (name, domain, path, partition) of a
// scenario: a row of the session table and a lane of the timeline.
type ident struct {
	key                           string
	name, domain, path, partition string
	session                       *analysis.SessionReport
	jar                           []*recording.Cookie // per step position; nil when absent
	events                        []int32             // indexes into rec.Events, in time order
	stepEvs                       [][]int32           // the same, by step position
	row                           int
}

func (id *ident) label() string {
	s := id.name
	if id.domain != "" || id.path != "" {
		s += " (" + id.domain + id.path + ")"
	}
	if id.partition != "" {
		s += " in " + id.partition
	}
	return s
}

func identKey(name, domain, path, partition string) string {
	return name + "\x00" + domain + "\x00" + path + "\x00" + partition
}

// A resetRef places a reset of the analysis on the timeline.
type resetRef struct {
	sess  *analysis.SessionReport
	reset *analysis.Reset
	id    *ident
	at    int64 // unix nanoseconds
	pos   int   // the step position of reset.Step (-1: unknown)
	obs   int   // the step position of reset.ObservedStep (-1: none)
}

// model holds what the views derive from a recording, built once.
type model struct {
	rec     *recording.Recording
	idents  []*ident
	byKey   map[string]*ident
	byNDP   map[string]*ident // name, domain, path (any partition)
	byName  map[string][]*ident
	evID    []int32                 // per event: its ident's row
	reqPos  map[string]int          // request id -> index in rec.Requests
	stepPos map[int]int             // Step.Index -> position in rec.Steps
	t0, t1  int64                   // the time range, unix nanoseconds
	tokens  []*analysis.TokenReport // the session tokens in Web Storage: a timeline lane each
	resets  []resetRef              //
	auth    []*analysis.StepAuth    // per step position: the logged-in state after it (nil: none)
	nodes   map[string]int          // serving node -> colour index
	reqEvs  map[string][]int32
	// The span of each step position: from its start to the next step's.
	spanStart, spanEnd []int64
	gs                 *gridSize // the session table's geometry, made on first use
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func buildModel(s *scen) *model {
	r := s.rec
	m := &model{rec: r, byKey: map[string]*ident{}, byNDP: map[string]*ident{}, byName: map[string][]*ident{},
		reqPos: make(map[string]int, len(r.Requests)), stepPos: map[int]int{}, nodes: map[string]int{},
		reqEvs: map[string][]int32{}}
	for i := range r.Steps {
		if _, ok := m.stepPos[r.Steps[i].Index]; !ok {
			m.stepPos[r.Steps[i].Index] = i
		}
	}
	for i := range r.Requests {
		q := &r.Requests[i]
		m.reqPos[q.ID] = i
		if q.Node != "" {
			if _, ok := m.nodes[q.Node]; !ok {
				m.nodes[q.Node] = len(m.nodes)
			}
		}
	}
	m.addIdents(s)
	m.timeRange()
	m.addResets(s)
	m.tokens = s.tokens
	if s.auth != nil {
		m.auth = make([]*analysis.StepAuth, len(r.Steps))
		for k := range s.auth.Steps {
			if p := m.stepOf(s.auth.Steps[k].Step); p >= 0 {
				m.auth[p] = &s.auth.Steps[k]
			}
		}
	}
	return m
}

// addIdents makes the cookie identities of the recording, session cookies
// first (in the analysis's order) and then the others by name, domain and
// path, with their events and the value held after each step.
func (m *model) addIdents(s *scen) {
	r := m.rec
	// Session cookies first.
	for _, sr := range s.sessions {
		id := m.add(sr.Cookie, sr.Domain, sr.Path, sr.Partition)
		id.session = sr
	}
	nSess := len(m.idents)
	for i := range r.Steps {
		for j := range r.Steps[i].Jar {
			c := &r.Steps[i].Jar[j]
			m.add(c.Name, c.Domain, c.Path, c.Partition)
		}
	}
	m.evID = make([]int32, len(r.Events))
	for i := range r.Events {
		e := &r.Events[i]
		id := m.lookup(e.Name, e.Domain, e.Path)
		id.events = append(id.events, int32(i))
		if e.Request != "" {
			m.reqEvs[e.Request] = append(m.reqEvs[e.Request], int32(i))
		}
	}
	// Others by name, domain, path.
	rest := m.idents[nSess:]
	sort.SliceStable(rest, func(i, j int) bool {
		a, b := rest[i], rest[j]
		if a.name != b.name {
			return a.name < b.name
		}
		if a.domain != b.domain {
			return a.domain < b.domain
		}
		return a.path < b.path
	})
	for i, id := range m.idents {
		id.row = i
		id.jar = make([]*recording.Cookie, len(r.Steps))
		if !sort.SliceIsSorted(id.events, func(a, b int) bool {
			return r.Events[id.events[a]].Time.Before(r.Events[id.events[b]].Time)
		}) {
			sort.SliceStable(id.events, func(a, b int) bool {
				return r.Events[id.events[a]].Time.Before(r.Events[id.events[b]].Time)
			})
		}
		id.stepEvs = make([][]int32, len(r.Steps))
		for _, ev := range id.events {
			m.evID[ev] = int32(i)
			if p := m.stepOf(r.Events[ev].Step); p >= 0 {
				id.stepEvs[p] = append(id.stepEvs[p], ev)
			}
		}
	}
	for i := range r.Steps {
		for j := range r.Steps[i].Jar {
			c := &r.Steps[i].Jar[j]
			m.byKey[identKey(c.Name, c.Domain, c.Path, c.Partition)].jar[i] = c
		}
	}
}

// timeRange sets the time range the journey covers and each step's span.
func (m *model) timeRange() {
	r := m.rec
	// Time range: what the journey did (the recording's start also counts
	// the browser's start-up).
	widen := func(t int64) {
		if t == 0 {
			return
		}
		if m.t0 == 0 || t < m.t0 {
			m.t0 = t
		}
		if t > m.t1 {
			m.t1 = t
		}
	}
	for i := range r.Steps {
		widen(nanos(r.Steps[i].Start))
		widen(nanos(r.Steps[i].End))
	}
	if n := len(r.Events); n > 0 {
		widen(nanos(r.Events[0].Time))
		widen(nanos(r.Events[n-1].Time))
	}
	if n := len(r.Requests); n > 0 {
		widen(nanos(r.Requests[0].Start))
		widen(nanos(r.Requests[n-1].Start))
	}
	if m.t0 == 0 {
		m.t0, m.t1 = nanos(r.Start), nanos(r.End)
	}
	if m.t1 <= m.t0 {
		m.t1 = m.t0 + int64(time.Second)
	}
	m.spanStart = make([]int64, len(r.Steps))
	m.spanEnd = make([]int64, len(r.Steps))
	next := m.t1
	for p := len(r.Steps) - 1; p >= 0; p-- {
		m.spanStart[p] = m.stepTime(r.Steps[p].Index)
		m.spanEnd[p] = next
		if t := nanos(r.Steps[p].Start); t != 0 {
			next = t
		}
	}
}

// addResets places the sessions' resets on the timeline.
func (m *model) addResets(s *scen) {
	r := m.rec
	for _, sr := range s.sessions {
		id := m.byKey[identKey(sr.Cookie, sr.Domain, sr.Path, sr.Partition)]
		for k := range sr.Resets {
			rs := &sr.Resets[k]
			at := int64(0)
			if p, ok := m.reqPos[rs.Request]; ok && rs.Request != "" {
				at = nanos(r.Requests[p].Start)
			}
			if at == 0 {
				at = m.stepTime(rs.Step)
			}
			obs := -1
			if rs.ObservedStep != nil {
				obs = m.stepOf(*rs.ObservedStep)
			}
			m.resets = append(m.resets, resetRef{sess: sr, reset: rs, id: id, at: at, pos: m.stepOf(rs.Step), obs: obs})
		}
	}
}

// authWord is a logged-in state in a word.
func authWord(state recording.LoginState) string {
	switch state {
	case recording.AuthIn:
		return "logged in"
	case recording.AuthOut:
		return "logged out"
	}
	return "unknown"
}

// authTitle says the logged-in state after step position p and why.
func (m *model) authTitle(p int) string {
	e := m.auth[p]
	s := "After step " + itoa(m.rec.Steps[p].Index) + ": " + authWord(e.State)
	if e.Target != "" {
		s += " in " + e.Target
	}
	if !e.Checked {
		s += " (carried over)"
	}
	if e.Evidence != "" {
		s += "\n" + e.Evidence
	}
	if e.Source != "" {
		s += "\nsource: " + string(e.Source)
	}
	return s
}

// resetsAt lists the resets (indexes into m.resets) of identity id at
// step position p; with id nil, the observed resets seen at p.
func (m *model) resetsAt(id *ident, p int) []int {
	var out []int
	for i := range m.resets {
		rr := &m.resets[i]
		if id != nil && rr.id == id && rr.pos == p || id == nil && rr.obs == p {
			out = append(out, i)
		}
	}
	return out
}

func (m *model) add(name, domain, path, partition string) *ident {
	k := identKey(name, domain, path, partition)
	if id := m.byKey[k]; id != nil {
		return id
	}
	id := &ident{key: k, name: name, domain: domain, path: path, partition: partition}
	m.byKey[k] = id
	ndp := identKey(name, domain, path, "")
	if m.byNDP[ndp] == nil {
		m.byNDP[ndp] = id
	}
	m.byName[name] = append(m.byName[name], id)
	m.idents = append(m.idents, id)
	return id
}

// lookup finds the identity an event (which names no partition, and
// sometimes no domain) is about.
func (m *model) lookup(name, domain, path string) *ident {
	if id := m.byNDP[identKey(name, domain, path, "")]; id != nil {
		return id
	}
	if ids := m.byName[name]; len(ids) == 1 && (domain == "" || path == "") {
		return ids[0]
	}
	if domain == "" {
		if ids := m.byName[name]; len(ids) > 0 {
			return ids[0]
		}
	}
	return m.add(name, domain, path, "")
}

// stepTime is when step index i started (or the nearest known time).
func (m *model) stepTime(i int) int64 {
	p, ok := m.stepPos[i]
	if !ok {
		return m.t0
	}
	for ; p >= 0; p-- {
		st := &m.rec.Steps[p]
		if t := nanos(st.Start); t != 0 {
			return t
		}
		if t := nanos(st.End); t != 0 {
			return t
		}
	}
	return m.t0
}

// stepOfEvent is the step position of an event.
func (m *model) stepOf(index int) int {
	if p, ok := m.stepPos[index]; ok {
		return p
	}
	return -1
}

// Changes of a cell: what happened to an identity at a step.
const (
	chNew     = "set"     // appeared in the jar
	chRotated = "rotated" // a new value
	chGone    = "gone"    // left the jar (deleted, expired or cleared)
	chFlags   = "flags"   // the same value with other attributes
)

// cellChange says what changed for id at step position p, and how it
// left the jar when it did ("deleted", "expired", "cleared").
func (m *model) cellChange(id *ident, p int) (change, how string) {
	if m.rec.Steps[p].Status == recording.StatusSkipped {
		return "", ""
	}
	var prev *recording.Cookie
	for q := p - 1; q >= 0; q-- {
		if m.rec.Steps[q].Status != recording.StatusSkipped {
			prev = id.jar[q]
			break
		}
	}
	cur := id.jar[p]
	switch {
	case cur != nil && prev == nil:
		return chNew, ""
	case cur != nil && !cur.Value.Same(prev.Value):
		return chRotated, ""
	case cur == nil && prev != nil:
		how = "gone"
		for _, ev := range id.stepEvs[p] {
			e := &m.rec.Events[ev]
			switch e.Kind {
			case recording.EventDeleted, recording.EventExpired, recording.EventCleared:
				how = string(e.Kind)
			}
		}
		return chGone, how
	case cur != nil && flagsOf(cur) != flagsOf(prev):
		return chFlags, ""
	}
	return "", ""
}

// eventCounts counts the events of id at step position p by kind.
func (m *model) eventCounts(id *ident, p int) map[recording.EventKind]int {
	var out map[recording.EventKind]int
	for _, ev := range id.stepEvs[p] {
		if out == nil {
			out = map[recording.EventKind]int{}
		}
		out[m.rec.Events[ev].Kind]++
	}
	return out
}

// flagsOf is a cookie's attributes in short form.
func flagsOf(c *recording.Cookie) string {
	s := ""
	if c.Secure {
		s += "Secure "
	}
	if c.HTTPOnly {
		s += "HttpOnly "
	}
	if c.SameSite != "" {
		s += c.SameSite + " "
	} else {
		s += "SameSite? "
	}
	if c.HostOnly() {
		s += "host-only "
	} else {
		s += "domain "
	}
	if c.Session || c.Expires == nil {
		s += "session"
	} else {
		s += "expires " + c.Expires.UTC().Format("2006-01-02 15:04")
	}
	if c.Partition != "" {
		s += " partitioned"
	}
	return s
}

// hue is a stable colour (0-359) for a value: same fingerprint, same
// colour.
func hue(v recording.Value) int {
	h := fnv.New32a()
	h.Write([]byte(v.Fingerprint))
	h.Write([]byte{byte(v.Len), byte(v.Len >> 8)})
	return int(h.Sum32() % 360)
}

// hueOf is hue for a string (a node name).
func hueOf(s string) int {
	h := fnv.New32a()
	h.Write([]byte(s))
	return int(h.Sum32() % 360)
}

// shown is how a value is displayed: its short fingerprint, or the value
// when the recording revealed it.
func shown(v recording.Value, full bool) string {
	if v.Secret {
		return recording.SecretPlaceholder
	}
	if v.Raw != nil {
		s := *v.Raw
		if !full && len(s) > 14 {
			s = s[:12] + "…"
		}
		return s
	}
	if v.Fingerprint == "" {
		return "∅"
	}
	if full {
		return v.Fingerprint
	}
	return v.Short()
}

// valueText describes a value in full for the detail pane.
func valueText(v recording.Value) string {
	s := "fingerprint " + v.Fingerprint + ", " + itoa(v.Len) + " bytes"
	if len(v.Classes) > 0 {
		s += ", "
		for i, c := range v.Classes {
			if i > 0 {
				s += "+"
			}
			s += c
		}
	}
	s += ", ≤" + strconv.FormatFloat(v.Bits, 'f', 1, 64) + " bits"
	if v.Secret {
		s += ", secret"
	}
	return s
}

// rel formats a time as an offset from t0.
func rel(t, t0 int64) string {
	if t == 0 {
		return "—"
	}
	d := time.Duration(t - t0)
	return "+" + strconv.FormatFloat(d.Seconds(), 'f', 3, 64) + " s"
}

func dur(a, b time.Time) string {
	if a.IsZero() || b.IsZero() {
		return "—"
	}
	d := b.Sub(a)
	if d < time.Second {
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s"
}
