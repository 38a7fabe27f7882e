package scenarios

import (
	"strconv"
	"strings"
	"time"
)

// A Scenario is one scripted journey through a site: a parsed scenario
// file. Strings may hold ${...} references until Resolve replaces them.
type Scenario struct {
	Name   string
	File   string // as given to Parse; positions refer to it
	Target string // base URL the steps' paths resolve against
	Tags   []string

	Session Session
	Vars    map[string]string
	Steps   []Step
	Pos     Pos // the scenario's top-level mapping

	// pos remembers where each substitutable string was written, so that
	// Resolve can point at it; the exported fields stay plain values.
	pos      map[fieldKey]fieldInfo
	resolved bool
}

// fieldInfo locates a string and names it for messages ("fill.selector").
type fieldInfo struct {
	pos   Pos
	where string
}

// fieldKey names one string of a scenario: step is -1 for top-level
// fields, key is e.g. "selector" or "cookie.value".
type fieldKey struct {
	step int
	key  string
}

// Session tells the harness how to recognise the session.
type Session struct {
	Cookies    []string // session-ID cookie names; empty means auto-detect
	NodeHeader string   // response header naming the serving node
	Probe      *Probe   // nil: no logged-in probe
	// LoggedOutSelector matches only on pages shown to a logged-out user
	// (a login form, a "Sign in" link): the other half of the logged-in
	// marker; empty when not given.
	LoggedOutSelector string
	// LoggedInSelector matches only on pages shown to a logged-in user,
	// checked in the live page after each step (a single-page app renders
	// it by script, which the probe's plain HTTP client cannot see);
	// empty when not given: the probe's loggedIn selector then serves.
	LoggedInSelector string
}

// Probe is a page whose content tells whether the browser is logged in.
type Probe struct {
	Path             string
	LoggedInSelector string // present on Path only when authenticated
}

// Kind is a step's action, the one key that is not name, as or timeout.
type Kind string

// The step kinds. Their values are the YAML keys.
const (
	KindGoto         Kind = "goto"
	KindClick        Kind = "click"
	KindFill         Kind = "fill"
	KindSelect       Kind = "select"
	KindCheck        Kind = "check"
	KindPress        Kind = "press"
	KindSubmit       Kind = "submit"
	KindWait         Kind = "wait"
	KindEval         Kind = "eval"
	KindSetCookie    Kind = "setCookie"
	KindClearCookies Kind = "clearCookies"
	KindRestart      Kind = "restart"
	KindScreenshot   Kind = "screenshot"
	KindExpect       Kind = "expect"
	KindClose        Kind = "close"
)

var kinds = []Kind{
	KindGoto, KindClick, KindFill, KindSelect, KindCheck, KindPress, KindSubmit,
	KindWait, KindEval, KindSetCookie, KindClearCookies, KindRestart, KindScreenshot,
	KindExpect, KindClose,
}

// Step is one action or check. Only the fields of its Kind are set;
// the comments name the kinds that use each field.
type Step struct {
	Index   int // 0-based position in Scenario.Steps, as in recordings
	Kind    Kind
	Name    string        // optional label
	As      string        // "", "login", "logout" or "privilege": a privilege boundary
	Timeout time.Duration // 0: the runner's default
	// In is where the step acts: "" for the scenario's tab, "popup" for
	// the last popup the journey opened, "popup N" for the Nth; then the
	// frames inside, each "frame SELECTOR", joined by " > " ("frame
	// #login", "popup 1 > frame #pay > frame #card").
	In string
	// Frames are the selectors of In's frames, outermost first: each
	// matches an iframe of the document of the one before (or of the
	// window's page).
	Frames []string
	Pos    Pos

	URL       string        // goto (a path or absolute URL); wait (URL to wait for)
	Selector  string        // click, fill, select, check, submit, press, wait, screenshot
	Value     string        // fill, select
	Secret    bool          // fill: Value must never be shown
	Key       string        // press
	Checked   bool          // check: the wanted state
	Duration  time.Duration // wait
	Popup     int           // wait: until the journey has opened this many popups
	Window    string        // close: the popup to close, "popup" or "popup N"
	Script    string        // eval
	Cookie    *CookieSpec   // setCookie
	ClearName string        // clearCookies: only this cookie; "" clears all
	Restart   string        // restart: what to restart ("browser")
	Path      string        // screenshot: file name, relative to the run folder
	Expect    *Expect       // expect
}

// InWindow is the window of In: "" for the scenario's tab, "popup",
// "popup N", "popup url=TEXT" or "popup title=TEXT".
func (s Step) InWindow() string {
	if w, _, _ := strings.Cut(s.In, " > "); strings.HasPrefix(w, "popup") {
		return w
	}
	return ""
}

// String describes the step for logs. It never includes a filled value
// or a cookie value, which may be secret.
func (s Step) String() string {
	arg := ""
	switch s.Kind {
	case KindGoto:
		arg = s.URL
	case KindClick, KindFill, KindSelect, KindCheck, KindSubmit:
		arg = s.Selector
	case KindPress:
		arg = strings.TrimSpace(s.Key + " " + s.Selector)
	case KindWait:
		switch {
		case s.Selector != "":
			arg = s.Selector
		case s.URL != "":
			arg = s.URL
		case s.Popup > 0:
			arg = "popup " + strconv.Itoa(s.Popup)
		default:
			arg = s.Duration.String()
		}
	case KindClose:
		arg = s.Window
	case KindSetCookie:
		if s.Cookie != nil {
			arg = s.Cookie.Name
		}
	case KindClearCookies:
		arg = s.ClearName
	case KindRestart:
		arg = s.Restart
	case KindScreenshot:
		arg = s.Path
	}
	out := string(s.Kind)
	if arg != "" {
		out += " " + arg
	}
	if s.In != "" {
		out += " in " + s.In
	}
	if s.Name != "" {
		out = s.Name + " (" + out + ")"
	}
	return out
}

// CookieSpec is a cookie for setCookie to store in the browser.
type CookieSpec struct {
	Name     string
	Value    string
	URL      string // the cookie is set as if by this URL; default the target
	Domain   string
	Path     string
	SameSite string // "", "Strict", "Lax" or "None"
	Secure   bool
	HTTPOnly bool
	Secret   bool          // Value must never be shown
	MaxAge   time.Duration // 0: a session cookie
}

// Expect is a set of checks on the state after the previous step. Nil
// or empty fields are not checked.
type Expect struct {
	URL     *Match
	Text    *TextExpect
	Session string // "", "rotated", "kept", "present" or "gone"
	Cookie  *CookieExpect
}

// Match is a check on a URL; exactly one field is set.
type Match struct {
	Equals   string // the path, or the whole URL if it has a scheme
	Contains string
	Matches  string // a regular expression (RE2), checked at parse time
}

// TextExpect checks the text of the element Selector names; exactly one
// of Contains and Equals is set.
type TextExpect struct {
	Selector string
	Contains string
	Equals   string
}

// CookieExpect checks a cookie in the browser's jar. Nil pointers and
// empty strings are not checked.
type CookieExpect struct {
	Name     string
	Present  *bool
	Secure   *bool
	HTTPOnly *bool
	Session  *bool // true: no expiry (dropped when the browser closes)
	SameSite string
	Domain   string
	Path     string
}
