package harness

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// userAction is one action the action script saw (record_script.go).
type userAction struct {
	Kind     string  `json:"kind"` // click, fill, select, check, press, submit
	Sel      string  `json:"sel"`
	How      string  `json:"how"` // what the selector rests on: id, name, label, ..., position
	Fragile  bool    `json:"fragile"`
	Text     string  `json:"text"` // the element's label or text, for the step's name
	Value    string  `json:"value"`
	Secret   bool    `json:"secret"`
	Field    string  `json:"field"` // a fill's field name, for its variable
	Checked  bool    `json:"checked"`
	Key      string  `json:"key"`
	Waits    bool    `json:"waits"`    // a click the harness's replay waits on for a new page
	Submits  bool    `json:"submits"`  // a click on a form's submit button
	Password bool    `json:"password"` // the form submitted has a filled password field
	Href     string  `json:"href"`
	ID       string  `json:"id"`
	T        float64 `json:"t"` // when, in ms since the epoch (the page's clock, the machine's)
}

// recMeta is what the scenario says of one recorded step.
type recMeta struct {
	st      scenarios.Step // kind, name, as and arguments, raw (record_yaml.go escapes them)
	comment string         // a line above the step in the scenario
	act     *userAction    // the action (nil for goto and the steps the recorder adds)
	// secret is a fill's typed secret (held in memory only) and envRef
	// says that st.Value is the variable that stands for it.
	secret       string
	envRef       bool
	loader       string // a goto's navigation
	waits        bool   // the replay's step waits for a new page
	navDoc       bool   // a new document loaded in the main frame during the step
	navSame      bool   // the URL changed within the document during the step
	lastActivity time.Time
	urlRead      bool
	final        bool // the next step began: nothing changes this one any more
}

// logoutWords is how links and buttons that end a session are labelled.
var logoutWords = regexp.MustCompile(`(?i)(log|sign)[\s_-]*(out|off)\b|logout|signout|logoff`)

// onAction turns a user action into a step, after ending the step before.
func (rc *recorder) onAction(ctx context.Context, at time.Time, a *userAction) {
	if !validAction(a) {
		return
	}
	start := at
	if a.T > 0 {
		if t := time.UnixMilli(int64(a.T)); t.Before(at) && at.Sub(t) < time.Minute {
			start = t // when it happened, not when the report arrived
		}
	}
	n := len(rc.steps)
	if rc.target == "" || n == 0 {
		rc.rec.Warnings = appendOnce(rc.rec.Warnings, "actions before the first page was loaded were not recorded")
		return
	}
	last := &rc.meta[n-1]
	if a.Kind == "fill" && last.act != nil && last.act.Kind == "fill" && last.act.Sel == a.Sel && !last.final {
		// The same field again, nothing in between: still one fill.
		last.act.Value, last.act.Secret = a.Value, a.Secret || last.act.Secret
		rc.setFillValue(n - 1)
		rc.steps[n-1].rec.End = at
		rc.report()
		return
	}
	if prev := rc.steps[n-1].rec.Start; start.Before(prev) {
		if a.Kind == "fill" && rc.steps[n-1].rec.Kind == recording.StepKind(scenarios.KindGoto) {
			// Typed into the page the user then left by a URL: the text
			// went nowhere, and the field is not on the new page.
			rc.rec.Warnings = appendOnce(rc.rec.Warnings, "text typed into "+rc.red.Scrub(a.Sel)+" before leaving its page was not recorded")
			return
		}
		start = prev
	}
	rc.finalize(n-1, start)
	m := recMeta{act: a, st: scenarios.Step{Kind: scenarios.Kind(a.Kind), Selector: a.Sel}}
	label := clipText(rc.red.Scrub(a.Text))
	switch a.Kind {
	case "click":
		m.waits = a.Waits
		if a.Submits && a.Password {
			m.st.As = string(recording.BoundaryLogin)
		} else if logoutWords.MatchString(a.Text + " " + a.Href + " " + a.ID) {
			m.st.As = string(recording.BoundaryLogout)
		}
	case "submit":
		m.waits = true
		if a.Password {
			m.st.As = string(recording.BoundaryLogin)
		} else if logoutWords.MatchString(a.Text + " " + a.Sel) {
			m.st.As = string(recording.BoundaryLogout)
		}
	case "select":
		m.st.Value = a.Value
	case "check":
		m.st.Checked = a.Checked
	case "press":
		m.st.Key = a.Key
	}
	switch {
	case a.Kind == "press" && label != "":
		m.st.Name = fmt.Sprintf("press %s in %q", a.Key, label)
	case a.Kind == "press":
	case label != "":
		m.st.Name = fmt.Sprintf("%s %q", a.Kind, label)
	}
	if a.Fragile {
		m.comment = "fragile selector: the element has no id, name, label or other unique attribute, so it is named by its position"
	}
	rc.addStep(m, start)
	if a.Kind == "fill" {
		rc.setFillValue(len(rc.steps) - 1)
	}
}

// validAction checks a report of the action script: a page cannot call
// the binding (it lives in an isolated world), but a report that does not
// make a step is dropped rather than trusted.
func validAction(a *userAction) bool {
	switch a.Kind {
	case "click", "fill", "select", "check", "submit":
		return a.Sel != "" && len(a.Sel) <= 1000
	case "press":
		return a.Key == "Enter" || a.Key == "Escape"
	}
	return false
}

// setFillValue writes a fill's value into its step: as typed, or, for a
// secret, as the environment variable that will hold it.
func (rc *recorder) setFillValue(i int) {
	m := &rc.meta[i]
	v := m.act.Value
	if _, known := rc.secrets[v]; v != "" && (m.act.Secret || known) {
		m.secret, m.envRef = v, true
		m.st.Value, m.st.Secret = "${env."+rc.envFor(v, m.act.Field, false)+"}", true
		return
	}
	m.secret, m.envRef = "", false
	m.st.Value, m.st.Secret = v, false
}

// envFor names the environment variable of a typed secret: the one it
// already has, else one made from the field's name. Only register makes
// the name final (and the value a secret of the recording): a field's
// value while the user types is not the secret yet.
func (rc *recorder) envFor(secret, field string, register bool) string {
	if name, ok := rc.secrets[secret]; ok {
		return name
	}
	base := envBase(field)
	name := base
	for k := 2; contains(rc.env, name); k++ {
		name = fmt.Sprintf("%s_%d", base, k)
	}
	if register {
		rc.secrets[secret] = name
		rc.env = append(rc.env, name)
		rc.red.AddSecret(secret)
	}
	return name
}

// commonEnv are variables a shell or a CI job sets already: a field named
// pwd or user must not read the current directory or the login name.
var commonEnv = map[string]bool{"PWD": true, "OLDPWD": true, "PATH": true, "HOME": true, "USER": true, "LOGNAME": true,
	"SHELL": true, "TERM": true, "LANG": true, "TMPDIR": true, "DISPLAY": true, "HOSTNAME": true, "CI": true}

// envBase turns a field's name into an environment variable's: upper
// case, letters, digits and _.
func envBase(field string) string {
	var b strings.Builder
	under := false
	for _, r := range field {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(unicode.ToUpper(r))
			under = false
		} else if !under && b.Len() > 0 {
			b.WriteByte('_')
			under = true
		}
	}
	s := strings.TrimRight(b.String(), "_")
	switch {
	case s == "":
		return "SECRET"
	case s[0] >= '0' && s[0] <= '9':
		return "SECRET_" + s
	case commonEnv[s]:
		return "FORM_" + s
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// onGoto records a navigation the browser started: the user typed a URL,
// went back or forward, or reloaded (or record opened its first page).
func (rc *recorder) onGoto(ctx context.Context, e pageEvent) {
	u, err := url.Parse(e.gotoURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		if e.gotoURL != "about:blank" {
			rc.rec.Warnings = appendOnce(rc.rec.Warnings, "a page that is not http(s) was not recorded as a step: "+rc.red.Scrub(e.gotoURL))
		}
		return
	}
	if rc.target == "" {
		rc.target = u.Scheme + "://" + u.Host
		rc.rec.Scenario.Target = rc.target
	}
	if n := len(rc.steps); n > 0 {
		rc.finalize(n-1, e.at)
	}
	rc.addStep(recMeta{st: scenarios.Step{Kind: scenarios.KindGoto, URL: rc.relative(e.gotoURL)}, loader: e.loader, waits: true}, e.at)
}

// onNavRequest moves a goto step's start back to its navigation request's:
// the browser's clock says when the request left, the loop only when it
// heard of the navigation, and the step must own its request.
func (rc *recorder) onNavRequest(e pageEvent) {
	for i := len(rc.steps) - 1; i >= 0; i-- {
		if rc.meta[i].loader != e.loader {
			continue
		}
		t := e.reqWall.Add(-time.Millisecond)
		if i > 0 && t.Before(rc.steps[i-1].rec.Start) {
			t = rc.steps[i-1].rec.Start
		}
		if t.Before(rc.steps[i].rec.Start) {
			rc.steps[i].rec.Start = t
		}
		return
	}
}

// onNavigated notes that the main frame committed a navigation during
// the step running at the time.
func (rc *recorder) onNavigated(e pageEvent) {
	for i := len(rc.steps) - 1; i >= 0; i-- {
		if !rc.steps[i].rec.Start.After(e.at) {
			if e.sameDoc {
				rc.meta[i].navSame = true
			} else {
				rc.meta[i].navDoc = true
			}
			return
		}
	}
}

// addStep appends a step that starts at start.
func (rc *recorder) addStep(m recMeta, start time.Time) {
	sr := stepRun{rec: recording.Step{Index: len(rc.steps), Kind: recording.StepKind(m.st.Kind), Name: m.st.Name,
		As: recording.Boundary(m.st.As), Detail: m.st.String(), Start: start, End: start, Status: recording.StatusPassed}}
	m.lastActivity = start
	rc.steps = append(rc.steps, sr)
	rc.meta = append(rc.meta, m)
	rc.stepStart = start
	rc.dirty = true
	rc.report()
}

// finalize ends step i (the last one) as the next step begins at next: its
// jar is the last one read; a step that ended the session is a logout;
// a click the replay would wait on for a page that never came is made a
// click by script, and one that loaded a page the replay would not wait
// for gets a wait; and a checkpoint (an expect step) follows where the
// session changed or the user paused on a new page.
func (rc *recorder) finalize(i int, next time.Time) {
	m, sr := &rc.meta[i], &rc.steps[i]
	if m.final {
		return
	}
	m.final = true
	var before []cdpCookie
	if i > 0 {
		before = rc.steps[i-1].jar
		if !sr.jarOK {
			sr.jar, sr.jarOK, sr.jarAt = before, rc.steps[i-1].jarOK, rc.steps[i-1].jarAt
		}
	}
	if sr.rec.URL == "" && i > 0 {
		sr.rec.URL = rc.steps[i-1].rec.URL
	}
	sr.rec.End = maxTime(sr.rec.Start, minTime(next, maxTime(m.lastActivity, sr.jarAt)))
	if m.act != nil && m.act.Kind == "fill" && m.secret != "" {
		m.st.Value = "${env." + rc.envFor(m.secret, m.act.Field, true) + "}"
	}
	ended := sessionEnded(before, sr.jar, sr.jarAt)
	if m.st.As == "" && ended {
		m.st.As = string(recording.BoundaryLogout)
	}
	sr.rec.As = recording.Boundary(m.st.As)
	navigated := m.navDoc || m.navSame
	switch {
	case m.waits && !navigated && m.st.Kind == scenarios.KindClick:
		m.st.Kind, m.st.Script = scenarios.KindEval, jsQuery(m.st.Selector)+".click()"
		m.comment = joinNote(m.comment, "the page loaded nothing after this click: the replay clicks by script, so that it does not wait for a new page")
	case m.waits && !navigated && m.st.Kind == scenarios.KindSubmit:
		m.st.Kind, m.st.Script = scenarios.KindEval, submitJS(m.st.Selector)
		m.comment = joinNote(m.comment, "the page loaded nothing after this submit: the replay submits by script, so that it does not wait for a new page")
	}
	sr.rec.Kind, sr.rec.Detail = recording.StepKind(m.st.Kind), m.st.String()
	if m.navDoc && !m.waits {
		rc.addSynthetic(i, scenarios.Step{Kind: scenarios.KindWait, URL: rc.waitURL(sr.rec.URL)},
			"the page loaded another page after this step by itself: the replay waits for it", next)
	}
	want := sessionWant(before, sr.jar, m.st.As == string(recording.BoundaryLogin))
	paused := next.Sub(maxTime(sr.rec.Start, m.lastActivity)) >= rc.ro.Pause
	var why string
	switch {
	case m.st.As == string(recording.BoundaryLogin):
		why = "checkpoint after the login"
	case m.st.As == string(recording.BoundaryLogout):
		why = "checkpoint after the logout"
	case want != "":
		why = "checkpoint: the session changed here"
	case (navigated || m.st.Kind == scenarios.KindGoto) && paused:
		why = "checkpoint: the user paused on this page"
	default:
		return
	}
	e := &scenarios.Expect{Session: want}
	if navigated || m.st.Kind == scenarios.KindGoto {
		e.URL = rc.urlMatch(sr.rec.URL)
	}
	if e.URL == nil && e.Session == "" {
		return
	}
	rc.addSynthetic(len(rc.steps)-1, scenarios.Step{Kind: scenarios.KindExpect, Expect: e}, why, next)
}

// addSynthetic appends a step the recorder adds after step i (a wait or
// an expect): it sends nothing and changes nothing, so its jar and URL
// are the step's, and it takes no time.
func (rc *recorder) addSynthetic(i int, st scenarios.Step, comment string, next time.Time) {
	src := rc.steps[i]
	at := maxTime(src.rec.End, minTime(next, time.Now()).Add(-time.Millisecond))
	sr := stepRun{rec: recording.Step{Index: len(rc.steps), Kind: recording.StepKind(st.Kind), Detail: st.String(),
		Start: at, End: at, Status: recording.StatusPassed, URL: src.rec.URL},
		jar: src.jar, jarOK: src.jarOK, jarAt: src.jarAt, jarAsked: src.jarAsked}
	rc.steps = append(rc.steps, sr)
	rc.meta = append(rc.meta, recMeta{st: st, comment: comment, final: true, urlRead: true, lastActivity: at})
}

// sessionEnded reports whether a session ID the browser held before the
// step left the jar during it, not by expiring: the site deleted it.
func sessionEnded(before, after []cdpCookie, at time.Time) bool {
	b, a := sessionIDsIn(before, nil), sessionIDsIn(after, nil)
	if len(b) == 0 || len(a) > 0 {
		return false
	}
	for _, c := range before {
		if ok, _ := recording.IsSessionName(c.Name); ok && (c.Session || c.Expires <= 0 || fromSeconds(c.Expires).After(at)) {
			return true
		}
	}
	return false
}

// sessionWant is the session check the scenario makes after a step, from
// the jars before and after it, as the harness will check it: rotated,
// gone or present when the session changed, kept at a login that kept it
// (session fixation), nothing otherwise. Like a scenario with no
// session.cookies, it goes by the cookies' names.
func sessionWant(before, after []cdpCookie, login bool) string {
	b, a := sessionIDsIn(before, nil), sessionIDsIn(after, nil)
	rotated, kept := compareSessions(b, a)
	switch {
	case rotated:
		return "rotated"
	case kept && login:
		return "kept"
	case len(a) == 0 && len(b) > 0:
		return "gone"
	case len(a) > 0 && len(b) == 0:
		return "present"
	}
	return ""
}

// relative writes a URL of the scenario's origin as a path, so that the
// scenario reads as the site's; another origin's stays absolute.
func (rc *recorder) relative(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || rc.target == "" || u.Scheme+"://"+u.Host != rc.target {
		return raw
	}
	s := u.EscapedPath()
	if s == "" {
		s = "/"
	}
	if u.RawQuery != "" {
		s += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		s += "#" + u.EscapedFragment()
	}
	return s
}

// urlMatch is the expect url that the page at raw passes: its path on the
// scenario's origin (the check ignores the query), the whole URL on
// another, or the URL up to its path when it has a query.
func (rc *recorder) urlMatch(raw string) *scenarios.Match {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil
	}
	if u.Scheme+"://"+u.Host == rc.target {
		p := u.Path
		if p == "" {
			p = "/"
		}
		return &scenarios.Match{Equals: p}
	}
	if u.RawQuery == "" && u.Fragment == "" {
		return &scenarios.Match{Equals: raw}
	}
	return &scenarios.Match{Contains: u.Scheme + "://" + u.Host + u.EscapedPath()}
}

// waitURL is what a wait step looks for: the page's path on the
// scenario's origin, else its URL up to the path.
func (rc *recorder) waitURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	if u.Scheme+"://"+u.Host == rc.target {
		return u.EscapedPath()
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath()
}

// name is the scenario's name.
func (rc *recorder) name() string {
	if rc.ro.Name != "" {
		return rc.ro.Name
	}
	if u, err := url.Parse(rc.target); err == nil && u.Hostname() != "" {
		return "Recorded journey on " + u.Hostname()
	}
	return "Recorded journey"
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
