// Package recording defines the Recording: the versioned JSON record of one
// scenario run, which is the contract between the harness that writes it and
// the analysis (CLI and inspector) that reads it.
//
// The package imports no browser or network code so that it builds for
// GOOS=js GOARCH=wasm; the inspector decodes recordings in the page.
package recording

import "time"

// Schema is the value of the schema field of every recording this package
// writes. A reader refuses other major versions.
const Schema = "sessiontrace.recording/v1"

// Status says how a scenario run ended.
type Status string

const (
	StatusPassed      Status = "passed"      // every step and expectation held
	StatusFailed      Status = "failed"      // an expectation or a step failed
	StatusErrored     Status = "errored"     // the run could not go on: browser, site or input trouble
	StatusInterrupted Status = "interrupted" // stopped from outside (Ctrl-C, SIGTERM) before the end
	StatusRunning     Status = "running"     // only in a recording written while the run goes on
	StatusSkipped     Status = "skipped"     // a step not run because an earlier one failed
)

// A Recording is everything observed during one run of one scenario.
type Recording struct {
	Schema   string       `json:"schema"`
	Scenario ScenarioInfo `json:"scenario"`
	Browser  BrowserInfo  `json:"browser"`
	Options  Options      `json:"options"`
	Start    time.Time    `json:"start"`
	End      time.Time    `json:"end"`
	Status   Status       `json:"status"`
	// Error says why the run failed, errored or stopped; empty when it passed.
	Error    string        `json:"error,omitempty"`
	Steps    []Step        `json:"steps"`
	Requests []Request     `json:"requests"`
	Events   []CookieEvent `json:"events"`
	// Pages holds facts extracted from the HTML documents of the journey.
	Pages []PageFacts `json:"pages,omitempty"`
	// Probe is the result of the logout replay probe, when the scenario asked for one.
	Probe *ProbeResult `json:"probe,omitempty"`
	// TokenProbe is the logout probe's replay of an Authorization header,
	// when the journey sent one before its as: logout step.
	TokenProbe *TokenProbe `json:"tokenProbe,omitempty"`
	// Popups are the windows the journey's pages opened.
	Popups []Popup `json:"popups,omitempty"`
	// Downloads are the downloads the journey's pages started (all denied).
	Downloads []Download `json:"downloads,omitempty"`
	// Storage lists the journey's writes to Web Storage (localStorage and
	// sessionStorage), in order: where single-page apps keep their tokens.
	Storage []StorageEvent `json:"storage,omitempty"`
	// Protocol counts what the browser sent that could not be fully understood.
	Protocol ProtocolStats `json:"protocol"`
	// Warnings are things the reader should know about the recording itself.
	Warnings []string `json:"warnings,omitempty"`
}

// ScenarioInfo names the scenario that was run.
type ScenarioInfo struct {
	Name   string   `json:"name"`
	File   string   `json:"file,omitempty"`
	Target string   `json:"target"`
	Tags   []string `json:"tags,omitempty"`
	// SessionCookies are the session-ID cookie names the scenario declared.
	SessionCookies []string `json:"sessionCookies,omitempty"`
	NodeHeader     string   `json:"nodeHeader,omitempty"`
	// LoggedIn and LoggedOut are the scenario's logged-in markers
	// (session.probe.loggedIn and session.loggedOut selectors), when given.
	LoggedIn  string `json:"loggedIn,omitempty"`
	LoggedOut string `json:"loggedOut,omitempty"`
}

// BrowserInfo describes the browser the run used.
type BrowserInfo struct {
	Product   string `json:"product"`
	UserAgent string `json:"userAgent"`
	Protocol  string `json:"protocol,omitempty"`
	// Remote is true when the run attached to an existing browser (--browser-url).
	Remote bool `json:"remote,omitempty"`
	// ThirdPartyCookies is "blocked" or "allowed": Chromium blocks them by default.
	ThirdPartyCookies string `json:"thirdPartyCookies,omitempty"`
	// HostRules is the --host-resolver-rules value in force, if any.
	HostRules string `json:"hostRules,omitempty"`
}

// Options records the run options that change what a recording holds.
type Options struct {
	// RevealValues is true when raw cookie values were stored (--reveal-values).
	RevealValues bool `json:"revealValues"`
	// FingerprintKey identifies (without revealing) the key of the value
	// fingerprints: fingerprints compare only between recordings that share it.
	FingerprintKey string `json:"fingerprintKey"`
	// InsecureCerts is true when certificate errors were ignored.
	InsecureCerts bool `json:"insecureCerts,omitempty"`
}

// A StepKind is what a step did: the scenario's step kind (its YAML key,
// scenarios.Kind) or, in a recording imported from a HAR file, page or
// navigation. Open: the constants name the kinds readers look for; a
// recording may hold any other.
type StepKind string

const (
	StepGoto         StepKind = "goto"         // loaded a URL
	StepClick        StepKind = "click"        // clicked an element
	StepSubmit       StepKind = "submit"       // submitted a form
	StepPress        StepKind = "press"        // pressed a key
	StepWait         StepKind = "wait"         // waited (a duration, a selector or a URL)
	StepClearCookies StepKind = "clearCookies" // cleared the jar, or one cookie
	StepRestart      StepKind = "restart"      // restarted the browser
	StepPage         StepKind = "page"         // HAR import: a page of the archive
	StepNavigation   StepKind = "navigation"   // HAR import: a navigation within a page
)

// A Boundary marks a step as a privilege boundary ([Step.As]).
type Boundary string

const (
	BoundaryLogin     Boundary = "login"     // the step logs the user in
	BoundaryLogout    Boundary = "logout"    // the step logs the user out
	BoundaryPrivilege Boundary = "privilege" // the step raises the user's privilege (sudo mode, an admin area)
)

// A Step is one step of the scenario as it ran.
type Step struct {
	Index int      `json:"index"`
	Kind  StepKind `json:"kind"`
	Name  string   `json:"name,omitempty"`
	// As marks a privilege boundary: login, logout or privilege.
	As Boundary `json:"as,omitempty"`
	// Detail is a short human description, e.g. "goto /login".
	Detail string `json:"detail,omitempty"`
	// Line and Column are where the step is written in the scenario file
	// (Scenario.File), 1-based; zero when unknown (a HAR import).
	Line   int       `json:"line,omitempty"`
	Column int       `json:"column,omitempty"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	Status Status    `json:"status"`
	Error  string    `json:"error,omitempty"`
	// URL is the page URL after the step.
	URL string `json:"url,omitempty"`
	// Target is the popup the step acted in (in: popup N), named as in
	// [Request.Target]; empty for the tab (a frame of the tab's page is
	// the tab's). URL, Auth and Storage were read there.
	Target string `json:"target,omitempty"`
	// Jar is the browser's whole cookie jar after the step.
	Jar []Cookie `json:"jar"`
	// Screenshot is the file name of a screenshot taken by the step, or
	// of the page when the step failed.
	Screenshot string `json:"screenshot,omitempty"`
	// Snapshot is the file name of the page's HTML when the step failed,
	// scrubbed as the recording is and unable to run scripts.
	Snapshot string `json:"snapshot,omitempty"`
	// Auth is whether the user was logged in after the step, and why we
	// think so. Nil when the step was not checked (it loaded no page and
	// sent no request): the state is the one before it.
	Auth *AuthState `json:"auth,omitempty"`
	// Probe is the login replay probe of an as: login step (Kind "login"):
	// the cookies held before the step, replayed after it.
	Probe *ProbeResult `json:"probe,omitempty"`
	// Storage is what the tab's page held in Web Storage after an as:
	// logout step (both areas, the page's origin), read by the harness:
	// what was not cleared, whichever way it was written. Nil when not
	// read.
	Storage []StorageItem `json:"storage,omitzero"`
}

// A LoginState says whether the user was logged in ([AuthState.State]).
type LoginState string

const (
	AuthIn      LoginState = "in"      // logged in
	AuthOut     LoginState = "out"     // logged out
	AuthUnknown LoginState = "unknown" // nothing showed it either way
)

// An AuthSource is the kind of evidence a logged-in state rests on
// ([AuthState.Source]). Open: new sources may appear.
type AuthSource string

// The sources, strongest first. Every source but marker and expect is a
// heuristic.
const (
	AuthByMarker        AuthSource = "marker"         // the scenario's loggedIn / loggedOut selector, evaluated in the page
	AuthByExpect        AuthSource = "expect"         // an expect step that checked a marker passed
	AuthByStatus        AuthSource = "status"         // the page's response was 401, 403 or 440
	AuthByLoginRedirect AuthSource = "login-redirect" // the page was redirected to a page that held a login form
	AuthByPasswordForm  AuthSource = "password-form"  // the page shows a password field
	AuthByStep          AuthSource = "step"           // the scenario marks the step as: login or as: logout
)

// AuthState is the logged-in state after a step.
type AuthState struct {
	// State is in, out or unknown.
	State LoginState `json:"state"`
	// Evidence says what the state rests on, in words.
	Evidence string `json:"evidence"`
	// Source is the kind of evidence (marker, expect, status,
	// login-redirect, password-form, step); open: new sources may appear.
	Source AuthSource `json:"source,omitempty"`
}

// A Cookie is a cookie as the browser holds it in its jar.
type Cookie struct {
	Name   string `json:"name"`
	Domain string `json:"domain"`
	Path   string `json:"path"`
	Value  Value  `json:"value"`
	// Expires is when a persistent cookie expires; nil for a session cookie.
	Expires  *time.Time `json:"expires,omitempty"`
	Size     int        `json:"size"`
	HTTPOnly bool       `json:"httpOnly"`
	Secure   bool       `json:"secure"`
	// SameSite is Strict, Lax or None, or empty when the cookie set none
	// (Chromium then treats it as Lax).
	SameSite     string `json:"sameSite,omitempty"`
	Session      bool   `json:"session"`
	Priority     string `json:"priority,omitempty"`
	SourceScheme string `json:"sourceScheme,omitempty"`
	SourcePort   int    `json:"sourcePort,omitempty"`
	// Partition is the partition key's top-level site for a partitioned (CHIPS) cookie.
	Partition string `json:"partition,omitempty"`
}

// Key identifies a cookie in the jar: two cookies with the same key cannot
// both be held.
func (c Cookie) Key() CookieKey {
	return CookieKey{Name: c.Name, Domain: c.Domain, Path: c.Path, Partition: c.Partition}
}

// HostOnly reports whether the cookie is sent to its exact host only (it was
// set without a Domain attribute). Chromium marks domain cookies with a
// leading dot.
func (c Cookie) HostOnly() bool { return len(c.Domain) > 0 && c.Domain[0] != '.' }

// A CookieKey is a cookie's identity: name, domain, path and partition.
type CookieKey struct {
	Name      string `json:"name"`
	Domain    string `json:"domain"`
	Path      string `json:"path"`
	Partition string `json:"partition,omitempty"`
}

func (k CookieKey) String() string {
	s := k.Name + " (" + k.Domain + k.Path
	if k.Partition != "" {
		s += " in " + k.Partition
	}
	return s + ")"
}

// A Request is one HTTP request of the journey; each hop of a redirect chain
// is a Request of its own.
type Request struct {
	// ID is unique in the recording: the browser's request id, with a
	// suffix for each redirect hop after the first, and for a request of
	// another target than the tab a prefix naming that target ("t2:").
	ID string `json:"id"`
	// Step is the index of the step during which the request started.
	Step int `json:"step"`
	// Target says which target of the journey made the request when it
	// was not the scenario's tab: "popup 1", "frame https://idp.test",
	// "worker", "service worker", nested ones joined by " > " (see
	// docs/recording.md). Empty for the tab.
	Target       string    `json:"target,omitempty"`
	Method       string    `json:"method"`
	URL          string    `json:"url"`
	ResourceType string    `json:"resourceType,omitempty"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end,omitzero"`
	Status       int       `json:"status,omitempty"`
	StatusText   string    `json:"statusText,omitempty"`
	// Protocol is the HTTP version, e.g. "http/1.1" or "h2".
	Protocol string `json:"protocol,omitempty"`
	// Initiator says what caused the request: "parser", "script", "other", ...
	Initiator    string `json:"initiator,omitempty"`
	InitiatorURL string `json:"initiatorUrl,omitempty"`
	Referrer     string `json:"referrer,omitempty"`
	// RedirectedFrom is the ID of the hop that redirected to this one.
	RedirectedFrom string `json:"redirectedFrom,omitempty"`
	// RedirectChain lists the URLs of the earlier hops, oldest first.
	RedirectChain []string `json:"redirectChain,omitempty"`
	// Location is the redirect target the response named.
	Location string `json:"location,omitempty"`
	// Node is the serving node when a response header names one.
	Node       string `json:"node,omitempty"`
	NodeHeader string `json:"nodeHeader,omitempty"`
	// Headers holds a few response headers that matter for sessions
	// (Cache-Control, Content-Type, Pragma); never Cookie or Set-Cookie.
	Headers         map[string]string `json:"headers,omitempty"`
	CookiesSent     []SentCookie      `json:"cookiesSent,omitempty"`
	CookiesWithheld []SentCookie      `json:"cookiesWithheld,omitempty"`
	SetCookies      []SetCookie       `json:"setCookies,omitempty"`
	// Failed holds the browser's error text when the request failed.
	Failed string `json:"failed,omitempty"`
	// RequestExtraInfo and ResponseExtraInfo say whether the browser sent
	// the events that carry the cookie details: without them the cookies
	// of this request are unknown, not absent.
	RequestExtraInfo  bool `json:"requestExtraInfo"`
	ResponseExtraInfo bool `json:"responseExtraInfo"`
	// Authorization is the request's Authorization header: its scheme and
	// a fingerprint of its credentials, never the header itself.
	Authorization *Credential `json:"authorization,omitempty"`
}

// A Credential is what an Authorization header carried: the scheme as
// sent ("Bearer", "Basic") and the credentials as a [Value].
type Credential struct {
	Scheme string `json:"scheme"`
	Value  Value  `json:"value"`
}

// A SentCookie is a cookie the browser attached to a request, or withheld
// from it with the browser's reasons.
type SentCookie struct {
	Name   string `json:"name"`
	Domain string `json:"domain,omitempty"`
	Path   string `json:"path,omitempty"`
	Value  Value  `json:"value"`
	// Reasons are the browser's blocked reasons (e.g. SecureOnly,
	// SameSiteLax); empty for a cookie that was sent. Unknown values are
	// kept as the browser spelled them.
	Reasons []string `json:"reasons,omitempty"`
	// Exemption is the browser's exemption reason, when one applied.
	Exemption string `json:"exemption,omitempty"`
}

// A SetCookie is one Set-Cookie line of a response (or one cookie written
// by page script), parsed.
type SetCookie struct {
	Name  string `json:"name"`
	Value Value  `json:"value"`
	// Attributes is the raw text after the name=value pair, as sent.
	Attributes string     `json:"attributes,omitempty"`
	Domain     string     `json:"domain,omitempty"`
	Path       string     `json:"path,omitempty"`
	Expires    *time.Time `json:"expires,omitempty"`
	// MaxAge is the Max-Age attribute in seconds; nil when absent.
	MaxAge      *int   `json:"maxAge,omitempty"`
	Secure      bool   `json:"secure,omitempty"`
	HTTPOnly    bool   `json:"httpOnly,omitempty"`
	SameSite    string `json:"sameSite,omitempty"`
	Partitioned bool   `json:"partitioned,omitempty"`
	// Unparsed lists the attributes the parser did not model, raw.
	Unparsed []string `json:"unparsed,omitempty"`
	// ParseError is set when the line is not valid Set-Cookie syntax.
	ParseError string `json:"parseError,omitempty"`
	// Deletion is true when the line deletes the cookie (Max-Age<=0 or a
	// past Expires).
	Deletion bool `json:"deletion,omitempty"`
	// Rejected is true when the browser refused to store it; Reasons says why.
	Rejected bool     `json:"rejected,omitempty"`
	Reasons  []string `json:"reasons,omitempty"`
	// Size is len(name)+len(value), the figure browsers limit to 4096.
	Size int `json:"size"`
}

// An EventKind is what happened to a cookie ([CookieEvent.Kind]).
type EventKind string

const (
	EventSet      EventKind = "set"      // stored (by a response, a script or the harness)
	EventSent     EventKind = "sent"     // attached to a request
	EventWithheld EventKind = "withheld" // not attached, with the browser's reasons
	EventRejected EventKind = "rejected" // a Set-Cookie the browser refused
	EventChanged  EventKind = "changed"  // the jar's value changed with no Set-Cookie seen
	EventDeleted  EventKind = "deleted"  // removed by a deletion Set-Cookie or a script
	EventExpired  EventKind = "expired"  // left the jar because its expiry passed
	EventCleared  EventKind = "cleared"  // left the jar otherwise (clearCookies, restart, unexplained)
)

// An EventSource is what made a cookie event happen ([CookieEvent.Source]).
type EventSource string

const (
	SourceHTTP    EventSource = "http"    // a request or a response
	SourceScript  EventSource = "script"  // document.cookie or the CookieStore API
	SourceHarness EventSource = "harness" // a scenario step (setCookie, clearCookies, restart)
	SourceJar     EventSource = "jar"     // seen only by comparing jar snapshots
)

// A CookieEvent is one thing that happened to one cookie. Events are in
// time order.
type CookieEvent struct {
	Time   time.Time   `json:"time"`
	Step   int         `json:"step"`
	Kind   EventKind   `json:"kind"`
	Source EventSource `json:"source"`
	Name   string      `json:"name"`
	Domain string      `json:"domain,omitempty"`
	Path   string      `json:"path,omitempty"`
	Value  *Value      `json:"value,omitempty"`
	// Request is the ID of the request involved, if any.
	Request string `json:"request,omitempty"`
	// URL is the request URL, or the page URL for script events.
	URL     string   `json:"url,omitempty"`
	Reasons []string `json:"reasons,omitempty"`
	// Location is the script location (url:line:column) of a script write.
	Location string `json:"location,omitempty"`
	Detail   string `json:"detail,omitempty"`
}

// PageFacts are facts about one HTML document of the journey.
type PageFacts struct {
	Request string `json:"request"`
	Step    int    `json:"step"`
	URL     string `json:"url"`
	Title   string `json:"title,omitempty"`
	Links   []Link `json:"links,omitempty"`
	Forms   []Form `json:"forms,omitempty"`
	// MetaRefresh is the target of a meta refresh, if any.
	MetaRefresh string `json:"metaRefresh,omitempty"`
	// CookieValuesInPage lists cookies whose value occurs in the HTML.
	CookieValuesInPage []CookieKey `json:"cookieValuesInPage,omitempty"`
	// Truncated is true when the facts are partial: the body was too large
	// to scan whole, or had more links or forms than are kept.
	Truncated bool `json:"truncated,omitempty"`
	// Truncation says which limit made the facts partial.
	Truncation string `json:"truncation,omitempty"`
	// Size is the document's size in bytes as received, when it was too
	// large to scan whole.
	Size int `json:"size,omitempty"`
}

// A Link is an anchor of a page.
type Link struct {
	Href     string `json:"href"`
	Text     string `json:"text,omitempty"`
	Selector string `json:"selector,omitempty"`
}

// A Form is a form of a page.
type Form struct {
	Action   string `json:"action"`
	Method   string `json:"method"`
	Selector string `json:"selector,omitempty"`
	// HasPassword is true when the form has a password field.
	HasPassword bool `json:"hasPassword,omitempty"`
}

// A Popup is a window a page of the journey opened (window.open, a link
// with a target). Its requests are recorded with target "popup N" (N
// counting popups from 1), and steps can act in it (in: popup).
type Popup struct {
	Time time.Time `json:"time"`
	Step int       `json:"step"`
	// URL is the last URL the popup showed; empty when it stayed blank.
	URL string `json:"url"`
	// Closed is true when the harness closed the popup at once, because the
	// journey had already opened too many.
	Closed bool `json:"closed,omitempty"`
}

// A StorageKind says what a [StorageEvent] did.
type StorageKind string

const (
	StorageSet     StorageKind = "set"     // setItem: the key now holds the value
	StorageRemoved StorageKind = "removed" // removeItem: the key is gone
	StorageCleared StorageKind = "cleared" // clear: every key of the area and origin is gone
)

// A StorageArea is localStorage (kept across browser restarts) or
// sessionStorage (one tab's, gone with it).
type StorageArea string

const (
	LocalStorage   StorageArea = "localStorage"
	SessionStorage StorageArea = "sessionStorage"
)

// A StorageEvent is a page's write to Web Storage, reported by the
// instrumentation script (Storage's setItem, removeItem and clear; a
// write by property assignment is not seen).
type StorageEvent struct {
	Time time.Time `json:"time"`
	Step int       `json:"step"`
	// Target is the target whose page wrote it, as in [Request.Target];
	// empty for the tab.
	Target string      `json:"target,omitempty"`
	Kind   StorageKind `json:"kind"`
	Area   StorageArea `json:"area"`
	// Origin is the storage's origin (scheme://host[:port]).
	Origin string `json:"origin"`
	// Key is the item's key; empty for clear.
	Key string `json:"key,omitempty"`
	// Value is the value set (kind set only), fingerprinted like cookie
	// values.
	Value *Value `json:"value,omitempty"`
	// Fields are the long string fields of a value that is a JSON object
	// (one level deep, and one more under an object field), by name: a
	// token kept inside a JSON blob (oidc-client's "oidc.user:…") is
	// found by its field's name and fingerprint. A value that is a JSON
	// string has one, "value": the string inside the quotes.
	Fields []StorageField `json:"fields,omitempty"`
	// URL is the page's URL; Script is where the writing script was
	// (URL:line:column), when known.
	URL    string `json:"url,omitempty"`
	Script string `json:"script,omitempty"`
}

// A StorageField is a string field of a JSON value in Web Storage.
type StorageField struct {
	Name  string `json:"name"`
	Value Value  `json:"value"`
}

// A StorageItem is an item held in Web Storage when the harness read it
// ([Step.Storage]).
type StorageItem struct {
	Area   StorageArea    `json:"area"`
	Origin string         `json:"origin"`
	Key    string         `json:"key"`
	Value  Value          `json:"value"`
	Fields []StorageField `json:"fields,omitempty"`
}

// A Download is a download a page of the journey started. The harness
// denies every download: no file is written.
type Download struct {
	Time time.Time `json:"time"`
	Step int       `json:"step"`
	URL  string    `json:"url"`
	// Filename is the file name the site suggested.
	Filename string `json:"filename,omitempty"`
}

// ProbeResult is the outcome of a replay probe: the recording's probe
// replays the cookies held before logout after logout (OWASP WSTG-SESS-06);
// a login step's probe replays the cookies held before login after it
// (WSTG-SESS-03, session fixation).
type ProbeResult struct {
	// Kind is login (the step's boundary) for a login step's probe; empty
	// for the logout probe.
	Kind   Boundary `json:"kind,omitempty"`
	URL    string   `json:"url"`
	Status int      `json:"status"`
	// LoggedIn is true when the probe's loggedIn selector matched: the
	// server still accepted the old session.
	LoggedIn bool `json:"loggedIn"`
	// Cookies counts the replayed cookies.
	Cookies int    `json:"cookies,omitempty"`
	Error   string `json:"error,omitempty"`
	// Older is, on the logout probe, the replay of the cookies held right
	// after the last login step, made when a cookie has had another value
	// since: whether a value the server had replaced still opens the
	// logged-in page after logout.
	Older *OlderProbe `json:"older,omitempty"`
}

// A TokenProbe replays, after the as: logout step, the Authorization
// header of the last GET the journey sent before that step and the server
// accepted (2xx), alone (no cookie), to the same URL: whether logging out
// revoked the token on the server.
type TokenProbe struct {
	// Step is the index of the as: logout step after which it ran.
	Step int `json:"step"`
	// Request is the id of the request whose header was replayed.
	Request string `json:"request"`
	URL     string `json:"url"`
	// Scheme and Value are the replayed credential's, as in [Credential].
	Scheme string `json:"scheme"`
	Value  Value  `json:"value"`
	Status int    `json:"status"`
	// Accepted is true when the server answered 2xx: the token still
	// works after logout.
	Accepted bool   `json:"accepted"`
	Error    string `json:"error,omitempty"`
}

// OlderProbe is the logout probe's replay of the cookies held right after
// the last login step (Step): older values of cookies the server has since
// re-signed or rotated.
type OlderProbe struct {
	Step     int    `json:"step"`
	URL      string `json:"url"`
	Status   int    `json:"status"`
	LoggedIn bool   `json:"loggedIn"`
	Cookies  int    `json:"cookies,omitempty"`
	Error    string `json:"error,omitempty"`
}

// ProtocolStats counts protocol events that could not be fully decoded, so
// that drift between the browser and this tool is never silent.
type ProtocolStats struct {
	// Events is the number of protocol events the recorder handled.
	Events int `json:"events"`
	// DecodeErrors counts fields (or whole events) this recorder could not
	// decode; the rest of each event was still used.
	DecodeErrors int           `json:"decodeErrors"`
	DecodeIssues []DecodeIssue `json:"decodeIssues,omitempty"`
	// DriverDropped counts events the CDP driver itself reported as
	// undecodable ("could not unmarshal event").
	DriverDropped int      `json:"driverDropped"`
	DriverErrors  []string `json:"driverErrors,omitempty"`
	// UnknownReasons lists blocked or exclusion reasons this tool has no
	// explanation for; they are kept as strings in the events.
	UnknownReasons []string `json:"unknownReasons,omitempty"`
	// MissingExtraInfo counts requests for which the browser sent no
	// ExtraInfo event (cookie details unknown).
	MissingExtraInfo int `json:"missingExtraInfo"`
}

// A DecodeIssue is one kind of decode failure, with how often it happened.
type DecodeIssue struct {
	Method string `json:"method"`
	Field  string `json:"field,omitempty"`
	Error  string `json:"error"`
	Count  int    `json:"count"`
}

// NodeHeaders are the response headers that commonly name the serving node
// behind a load balancer, in the order they are tried.
var NodeHeaders = []string{"X-Backend", "X-Served-By", "X-Server", "X-Upstream", "X-Node", "X-Instance", "Via"}

// NodeHeaderNames returns the headers to look for the serving node in: the
// scenario's own header first (when it names one), then NodeHeaders.
func NodeHeaderNames(custom string) []string {
	if custom == "" {
		return NodeHeaders
	}
	return append([]string{custom}, NodeHeaders...)
}
