// Package policy is the cookie policy baseline of sessiontrace: a YAML file
// (conventionally sessiontrace.policy.yaml) that lists the cookies a site
// is expected to set and the rules each must keep, and the check of
// recordings against it.
//
//	version: 1
//	severity: high
//	unknownCookies: report
//	cookies:
//	  - name: __Host-sid
//	    secure: true
//	    httpOnly: true
//	    sameSite: at-least-lax
//	    session: true
//	    rotateAtLogin: true
//	    dieAtLogout: true
//	  - name: "_ga*"
//	    maxLifetime: 400d
//
// [Parse] reports every problem of a file at once, each with its
// file:line:col. [Policy.Check] turns what a recording shows that breaks a
// clause into findings of the rule POLICY-VIOLATION, each citing the file
// and line of the clause. [Init] writes a baseline from a good run for the
// user to edit. The format is specified in docs/policy.md.
//
// The package uses only the standard library, a YAML parser,
// internal/yamlfile (the positioned reader it shares with scenarios),
// recording and analysis, so it could also run in the WebAssembly inspector.
package policy

import (
	"path"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// Version is the version of the file format this package reads and writes.
const Version = 1

// FileName is the conventional name of a policy file.
const FileName = "sessiontrace.policy.yaml"

// RuleID is the rule of every finding a policy produces.
const RuleID = "POLICY-VIOLATION"

// Unknown-cookie handling ([Policy.UnknownCookies]).
const (
	UnknownAllow  = "allow"  // cookies no entry names are fine
	UnknownReport = "report" // each is a violation
)

// A Policy is a parsed policy file.
type Policy struct {
	// File is the name the file was parsed under; violations cite it.
	File    string
	Version int
	// Severity is the severity of a violation when its entry sets none
	// (default high).
	Severity analysis.Severity
	// UnknownCookies says what a cookie that no entry names is: allow
	// (default) or report.
	UnknownCookies string
	// UnknownSeverity is the severity of an unknown cookie (default:
	// Severity).
	UnknownSeverity analysis.Severity
	Cookies         []*Entry

	unknownPos Pos // where unknownCookies was written
}

// An Entry is the rules for the cookies its Name (and Domain) match. Every
// entry that matches a cookie applies to it. A false or absent clause
// requires nothing.
type Entry struct {
	// Pos is where the entry starts in the file.
	Pos Pos
	// Name is a cookie name, or a glob in path.Match syntax ("_ga*",
	// "sess[0-9]"; "\*" for a literal star).
	Name string
	// Domain, when set, is a glob the cookie's domain (without the leading
	// dot of a domain cookie) must match, in any case.
	Domain string
	// Scenarios, when set, are globs of scenario names: the entry applies
	// only to recordings of those scenarios.
	Scenarios []string
	// Severity overrides the policy's severity for this entry's violations.
	Severity analysis.Severity
	// Note is free text for people, repeated in every violation's evidence.
	Note string

	Required  bool // the cookie must be seen in every recording the entry applies to
	Forbidden bool // the cookie must never be stored

	Secure   bool
	HTTPOnly bool
	SameSite SameSite
	// Session requires a session cookie (no Expires or Max-Age).
	Session bool
	// MaxLifetime is the longest lifetime a persistent cookie may be given;
	// zero sets no limit.
	MaxLifetime time.Duration
	HostOnly    bool
	// Prefix is "__Host-" or "__Secure-": the cookie's name must start
	// with it (in any case, as browsers compare).
	Prefix string

	RotateAtLogin bool // the value held before an as: login step is gone after it
	DieAtLogout   bool // the value held before an as: logout step is gone after it, and the server ended it

	clauses map[string]Pos // clause key -> where it was written
}

// clausePos returns where the clause key was written.
func (e *Entry) clausePos(key string) Pos {
	if p, ok := e.clauses[key]; ok {
		return p
	}
	return e.Pos
}

// matches reports whether the entry names the cookie name of domain (a
// leading dot for a domain cookie).
func (e *Entry) matches(name, domain string) bool {
	if ok, _ := path.Match(e.Name, name); !ok {
		return false
	}
	if e.Domain == "" {
		return true
	}
	ok, _ := path.Match(strings.ToLower(e.Domain), strings.ToLower(strings.TrimPrefix(domain, ".")))
	return ok
}

// appliesTo reports whether the entry applies to recordings of scenario.
func (e *Entry) appliesTo(scenario string) bool {
	if len(e.Scenarios) == 0 {
		return true
	}
	for _, g := range e.Scenarios {
		if ok, _ := path.Match(g, scenario); ok {
			return true
		}
	}
	return false
}

// severity returns the severity of the entry's violations.
func (p *Policy) severity(e *Entry) analysis.Severity {
	switch {
	case e != nil && e.Severity != "":
		return e.Severity
	case e == nil && p.UnknownSeverity != "":
		return p.UnknownSeverity
	case p.Severity != "":
		return p.Severity
	}
	return analysis.High
}

// A SameSite is a sameSite clause: an exact value, or a minimum in the
// order None < Lax < Strict. A cookie set without SameSite (or with a value
// browsers do not know) ranks below None, because browsers disagree on
// what it means.
type SameSite struct {
	// Value is "Strict", "Lax" or "None"; "" when the entry has no
	// sameSite clause.
	Value   string
	AtLeast bool
}

// The spellings of a sameSite clause.
var sameSiteClauses = []string{"at-least-lax", "at-least-strict", "at-least-none", "strict", "lax", "none"}

func parseSameSite(s string) SameSite {
	v, atLeast := strings.CutPrefix(s, "at-least-")
	return SameSite{Value: recording.SameSiteMode(v), AtLeast: atLeast}
}

// String is the clause as a policy file spells it.
func (s SameSite) String() string {
	v := strings.ToLower(s.Value)
	if s.AtLeast {
		return "at-least-" + v
	}
	return v
}

// allows reports whether a cookie set with this SameSite attribute (as
// sent) keeps the clause.
func (s SameSite) allows(observed string) bool {
	if s.Value == "" {
		return true
	}
	got := recording.SameSiteMode(observed)
	if s.AtLeast {
		return sameSiteRank(got) >= sameSiteRank(s.Value)
	}
	return got == s.Value
}

// describe says what the clause requires: "SameSite at least Lax".
func (s SameSite) describe() string {
	if s.AtLeast && s.Value == "None" {
		return "an explicit SameSite attribute"
	}
	if s.AtLeast {
		return "SameSite at least " + s.Value
	}
	return "SameSite=" + s.Value
}

func sameSiteRank(v string) int {
	switch v {
	case "None":
		return 1
	case "Lax":
		return 2
	case "Strict":
		return 3
	}
	return 0
}
