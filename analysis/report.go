package analysis

import (
	"sort"

	"github.com/sessiontrace/sessiontrace/recording"
)

// A Finding is one result of a rule of [Rules] for one scenario.
type Finding struct {
	// Rule is the rule's id, e.g. COOKIE-SECURE-MISSING.
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Scenario string   `json:"scenario"`
	// Step is the index of the step where the finding was first seen.
	Step int `json:"step"`
	// Cookie names the cookie the finding is about, if any.
	Cookie string `json:"cookie,omitempty"`
	// Domain and Path complete the cookie's identity.
	Domain string `json:"domain,omitempty"`
	Path   string `json:"path,omitempty"`
	// StorageArea, StorageOrigin and StorageKey name the Web Storage item
	// the finding is about (the SESSION-TOKEN-* rules), as Cookie, Domain
	// and Path name a cookie; StorageField is the field of its JSON value
	// that held the token, if it was one.
	StorageArea   recording.StorageArea `json:"storageArea,omitempty"`
	StorageOrigin string                `json:"storageOrigin,omitempty"`
	StorageKey    string                `json:"storageKey,omitempty"`
	StorageField  string                `json:"storageField,omitempty"`
	// URL is where it was seen: the request or page URL.
	URL string `json:"url,omitempty"`
	// Request is the id of the request involved, if any.
	Request     string `json:"request,omitempty"`
	Message     string `json:"message"`
	Evidence    string `json:"evidence,omitempty"`
	Remediation string `json:"remediation,omitempty"`
	// Count is how many occurrences this finding stands for (1 or more):
	// findings are de-duplicated per rule, scenario and cookie identity.
	Count int `json:"count,omitempty"`
	// File is the recording's scenario file, when known.
	File string `json:"file,omitempty"`
}

// A SessionReport is the lifecycle of one session cookie identity in one
// recording.
type SessionReport struct {
	Scenario  string `json:"scenario"`
	Cookie    string `json:"cookie"`
	Domain    string `json:"domain,omitempty"`
	Path      string `json:"path,omitempty"`
	Partition string `json:"partition,omitempty"`
	// Detection says why the cookie is taken for a session ID.
	Detection string `json:"detection"`
	// ClientSide, when set, says why the session is taken to live in the
	// cookie itself (signed or encrypted) rather than in a server store.
	ClientSide string  `json:"clientSide,omitempty"`
	IDs        []ID    `json:"ids"`
	Resets     []Reset `json:"resets"`
	// Continuity lists the requests that the jar held an ID for but that
	// did not present it, and why. Every other request the session applies
	// to carried it (see [ID.Sent]).
	Continuity []Gap `json:"continuity,omitempty"`
}

// A TokenReport is the lifecycle of one session token a page kept in Web
// Storage, as a [SessionReport] is a cookie's: each value the item held,
// written by the page's script, sent as Authorization, refreshed and
// removed, and the resets it caused. Refresh tokens are not the session
// and have none.
type TokenReport struct {
	Scenario string                `json:"scenario"`
	Area     recording.StorageArea `json:"area"`
	Origin   string                `json:"origin"`
	Key      string                `json:"key"`
	// Field is the field of the item's JSON value that held the token;
	// empty when the value itself was the token.
	Field string `json:"field,omitempty"`
	// Target is the window whose sessionStorage held it (each tab has
	// its own), as in recording.Request.Target; empty for the tab and for
	// localStorage.
	Target string `json:"target,omitempty"`
	// Kind is what its name says it is: session, access, id or bearer
	// (only sent as an Authorization header said it).
	Kind string `json:"kind"`
	// IDs are its values in order. Ended is rotated (at a login step),
	// logout, reissued (refreshed while the user stayed logged in),
	// cleared (removed by the page outside a logout), restart or
	// end-of-journey; IssuedBy is script; Sent lists the requests that
	// carried it as Authorization; Withheld is always empty.
	IDs    []ID    `json:"ids"`
	Resets []Reset `json:"resets"`
}

// Label names the token for a list of sessions: its key, and the JSON
// field that held it.
func (t *TokenReport) Label() string {
	if t.Field == "" {
		return t.Key
	}
	return t.Key + " › " + t.Field
}

// Scope says where the token was kept: "sessionStorage of
// https://app.test (popup 1)".
func (t *TokenReport) Scope() string {
	s := string(t.Area) + " of " + t.Origin
	if t.Target != "" {
		s += " (" + t.Target + ")"
	}
	return s
}

// A Gap is a request made while the session applied to it (its page or
// a same-site fetch) that did not present the session ID.
type Gap struct {
	Step    int    `json:"step"`
	Request string `json:"request"`
	URL     string `json:"url"`
	// Reason is one of the Gap* constants.
	Reason GapReason `json:"reason"`
	// Reasons are the browser's blocked reasons of a withheld cookie.
	Reasons []string `json:"reasons,omitempty"`
	// Detail says it in words.
	Detail string `json:"detail"`
}

// A GapReason is why a request did not present the session ID ([Gap.Reason]).
type GapReason string

const (
	GapWithheld GapReason = "withheld" // the browser held it and did not send it (Reasons say why)
	GapExpired  GapReason = "expired"  // its expiry had passed
	GapDeleted  GapReason = "deleted"  // the server deleted it
	GapCleared  GapReason = "cleared"  // script, a clearCookies or restart step, or eviction removed it
	GapRejected GapReason = "rejected" // the browser refused the Set-Cookie, so it never held the ID
)

// An Ending is how a session ID ended ([ID.Ended]).
type Ending string

const (
	EndRotated      Ending = "rotated"        // replaced at a login or privilege step, as expected
	EndLogout       Ending = "logout"         // ended at (or after) a logout step
	EndDeleted      Ending = "deleted"        // deleted by a Set-Cookie or a script
	EndExpired      Ending = "expired"        // its expiry passed in the browser
	EndReplaced     Ending = "replaced"       // replaced by a new ID outside a login step
	EndReissued     Ending = "reissued"       // replaced by a new value while the user stayed logged in (the same session)
	EndCleared      Ending = "cleared"        // left the jar otherwise (clearCookies, unexplained)
	EndRestart      Ending = "restart"        // dropped by a browser restart
	EndEndOfJourney Ending = "end-of-journey" // still held when the recording ends
)

// An ID is one value a session cookie held.
type ID struct {
	// Fingerprint is the value's fingerprint (see recording.Value).
	Fingerprint string  `json:"fingerprint"`
	Len         int     `json:"len"`
	Bits        float64 `json:"bits"`
	FirstStep   int     `json:"firstStep"`
	LastStep    int     `json:"lastStep"`
	// Ended is how it ended: rotated, logout, deleted, expired, replaced,
	// reissued, cleared, restart or end-of-journey.
	Ended Ending `json:"ended"`
	// Note says what the end rests on when it is not plain (a rotation
	// inferred from a signed value, a probe's verdict).
	Note string `json:"note,omitempty"`
	// EndedRequest is the request whose response ended it, if any.
	EndedRequest string `json:"endedRequest,omitempty"`
	// IssuedRequest is the request whose response set it; empty when it
	// was set by script, by the scenario or is known only from the jar.
	IssuedRequest string `json:"issuedRequest,omitempty"`
	// IssuedBy is http, script, harness or jar.
	IssuedBy recording.EventSource `json:"issuedBy,omitempty"`
	// Node is the serving node that issued it, when the response named one.
	Node string `json:"node,omitempty"`
	// Sent lists the requests that carried it.
	Sent []string `json:"sent"`
	// Withheld lists the requests it was not attached to, with the reasons.
	Withheld []WithheldRef `json:"withheld"`
}

// A WithheldRef is a request a cookie was withheld from.
type WithheldRef struct {
	Request string   `json:"request"`
	Reasons []string `json:"reasons"`
}

// A Reset is an ID that ended or was replaced where the journey did not
// expect it.
type Reset struct {
	Step    int    `json:"step"`
	Request string `json:"request,omitempty"`
	// Cause is one of the ids of [Causes].
	Cause CauseID `json:"cause"`
	// Detail is a one-sentence explanation of this reset.
	Detail string `json:"detail"`
	// Fingerprint is the ID that was lost.
	Fingerprint string `json:"fingerprint,omitempty"`
	URL         string `json:"url,omitempty"`
	// Evidence holds the facts the cause rests on: reasons, nodes, idle
	// time, the link that led to the request, ...
	Evidence map[string]string `json:"evidence,omitempty"`
	// Basis is observed (the page showed the user logged out) or inferred
	// (from the cookies alone).
	Basis Basis `json:"basis"`
	// ObservedStep is the step whose page showed the user logged out, for
	// an observed reset; it may come after Step, where the session broke.
	ObservedStep *int `json:"observedStep,omitempty"`
	// Summary says it in one plain sentence, for a bug report.
	Summary string `json:"summary"`
}

// A Basis is what a reset rests on ([Reset.Basis]).
type Basis string

const (
	BasisObserved Basis = "observed" // a page showed the user logged out
	BasisInferred Basis = "inferred" // the cookies alone
)

// An AuthReport is the logged-in state of one scenario over its steps.
type AuthReport struct {
	Scenario string     `json:"scenario"`
	Steps    []StepAuth `json:"steps"`
}

// StepAuth is the logged-in state after one step.
type StepAuth struct {
	Step int `json:"step"`
	// State is in, out or unknown (recording.AuthIn, ...).
	State    recording.LoginState `json:"state"`
	Evidence string               `json:"evidence"`
	Source   recording.AuthSource `json:"source,omitempty"`
	// Checked is true when the state was checked after this step; false
	// when it is carried over from an earlier step.
	Checked bool `json:"checked"`
	// Target is the window whose page was checked, when it was not the
	// tab: the popup the step acted in ("popup 1"). The lane follows the
	// user across windows.
	Target string `json:"target,omitempty"`
}

// A Report is the analysis of one or more recordings.
type Report struct {
	Findings []Finding       `json:"findings"`
	Sessions []SessionReport `json:"sessions"`
	// Auth is the logged-in state of each scenario, step by step.
	Auth []AuthReport `json:"auth"`
	// Tokens are the lifecycles of the session tokens kept in Web
	// Storage, when a scenario had any.
	Tokens []TokenReport `json:"tokens,omitempty"`
}

// Analyze analyses one recording. A nil recording gives an empty report.
func Analyze(r *recording.Recording) *Report {
	rep := &Report{Findings: []Finding{}, Sessions: []SessionReport{}, Auth: []AuthReport{}}
	if r == nil {
		return rep
	}
	a := newAnalyzer(r)
	a.run()
	rep.Findings = a.findings.list()
	rep.Sessions = a.sessionReports()
	rep.Tokens = a.tokenReports()
	rep.Auth = append(rep.Auth, a.authReport())
	sortFindings(rep.Findings)
	return rep
}

// AnalyzeAll analyses the recordings of a run. Findings are sorted worst
// first, then by scenario and step. Checks that need several recordings
// (the same ID issued to two separate browser sessions, shared prefixes or
// counters across the IDs of a run) run across recordings that share a
// fingerprint key.
func AnalyzeAll(rs []*recording.Recording) *Report {
	rep := &Report{Findings: []Finding{}, Sessions: []SessionReport{}, Auth: []AuthReport{}}
	var all []*analyzer
	for _, r := range rs {
		if r == nil {
			continue
		}
		a := newAnalyzer(r)
		a.run()
		all = append(all, a)
		rep.Findings = append(rep.Findings, a.findings.list()...)
		rep.Sessions = append(rep.Sessions, a.sessionReports()...)
		rep.Tokens = append(rep.Tokens, a.tokenReports()...)
		rep.Auth = append(rep.Auth, a.authReport())
	}
	rep.Findings = append(rep.Findings, crossRecordingFindings(all, rep.Findings)...)
	sortFindings(rep.Findings)
	return rep
}

// Worst returns the worst severity of the findings, or "" when there are
// none.
func (r *Report) Worst() Severity {
	var w Severity
	if r == nil {
		return w
	}
	for _, f := range r.Findings {
		w = worse(w, f.Severity)
	}
	return w
}

// CountAtLeast counts the findings of severity s or worse.
func (r *Report) CountAtLeast(s Severity) int {
	n := 0
	if r == nil {
		return 0
	}
	for _, f := range r.Findings {
		if f.Severity.AtLeast(s) {
			n++
		}
	}
	return n
}

// Resets returns every reset of the report, in session order.
func (r *Report) Resets() []Reset {
	var out []Reset
	if r == nil {
		return nil
	}
	for _, s := range r.Sessions {
		out = append(out, s.Resets...)
	}
	for _, t := range r.Tokens {
		out = append(out, t.Resets...)
	}
	return out
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity.rank() != b.Severity.rank() {
			return a.Severity.rank() > b.Severity.rank()
		}
		if a.Scenario != b.Scenario {
			return a.Scenario < b.Scenario
		}
		if a.Step != b.Step {
			return a.Step < b.Step
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Cookie < b.Cookie
	})
}
