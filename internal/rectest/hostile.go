package rectest

import (
	"testing"

	"github.com/sessiontrace/sessiontrace/recording"
)

// The markup Hostile plants: each one, would it become markup, runs
// script that counts in window.__xss or adds an element.
const (
	XSSImg    = `<img src=x onerror="window.__xss=(window.__xss||0)+1">`
	XSSScript = `</script><script>window.__xss=(window.__xss||0)+10</script>`
	XSSBreak  = `</style></title>--><svg onload=window.__xss=100>`
)

// Hostile is the lab's "mixed" recording (a Secure session cookie lost
// on a plain-http link: findings and an observed reset) with markup in
// every string a site or a scenario author chooses: the scenario's name
// and file, the session cookie's name, URLs, step texts, the logged-in
// evidence, warnings, and the error of a failed step at hostile.yaml:7:3.
func Hostile(t testing.TB) *recording.Recording {
	t.Helper()
	r := Lab(t)["mixed"]
	name := func(n string) string {
		if n == "JSESSIONID" {
			return XSSImg + n
		}
		return n
	}
	u := func(s string) string {
		if s == "" {
			return s
		}
		return s + "#" + XSSBreak
	}
	r.Scenario.Name = "Hostile " + XSSImg + XSSScript
	r.Scenario.File = "scenarios/" + XSSBreak + "hostile.yaml"
	for i := range r.Scenario.SessionCookies {
		r.Scenario.SessionCookies[i] = name(r.Scenario.SessionCookies[i])
	}
	r.Warnings = append(r.Warnings, XSSScript)
	for i := range r.Steps {
		s := &r.Steps[i]
		s.Detail += " " + XSSImg
		s.URL = u(s.URL)
		if s.Auth != nil {
			s.Auth.Evidence += " " + XSSScript
		}
		for j := range s.Jar {
			s.Jar[j].Name = name(s.Jar[j].Name)
		}
	}
	last := &r.Steps[len(r.Steps)-1]
	last.Status, last.Error, last.Line, last.Column = recording.StatusFailed, "no element matched "+XSSImg, 7, 3
	r.Status, r.Error = recording.StatusFailed, r.Scenario.File+":7:3: step "+XSSScript+" failed"
	for i := range r.Requests {
		q := &r.Requests[i]
		q.URL = u(q.URL)
		q.StatusText = XSSScript
		for j := range q.CookiesSent {
			q.CookiesSent[j].Name = name(q.CookiesSent[j].Name)
		}
		for j := range q.CookiesWithheld {
			q.CookiesWithheld[j].Name = name(q.CookiesWithheld[j].Name)
		}
		for j := range q.SetCookies {
			q.SetCookies[j].Name = name(q.SetCookies[j].Name)
		}
	}
	for i := range r.Events {
		r.Events[i].Name = name(r.Events[i].Name)
		r.Events[i].URL = u(r.Events[i].URL)
	}
	return r
}

// RevealedID is the session ID that Revealed records in clear.
var RevealedID = ID("revealed")

// Revealed is a run with --reveal-values: its session ID (RevealedID) is
// stored raw in the jar, the cookies sent and set, and the events, and
// it travels in a URL (;jsessionid=), so the analysis quotes it in the
// findings' URLs and evidence.
func Revealed() *recording.Recording {
	b := New("Revealed values", "JSESSIONID").Reveal()
	b.Step("goto", "")
	b.Get("https://app.test/login").Set("JSESSIONID", RevealedID, SecureAttrs)
	b.Step("click", "", "click the account link")
	b.Get("https://app.test/account;jsessionid="+RevealedID).Send("JSESSIONID", RevealedID)
	return b.Rec()
}
