package rundiff

import (
	"fmt"
	"strings"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
)

var runs int // one fingerprint key and one set of IDs per recording

// newRun starts a recording as one run of the harness writes it: with a
// fingerprint key and IDs of its own.
func newRun(name, file, target string, sessionCookies ...string) *rectest.Builder {
	runs++
	b := rectest.New(name, sessionCookies...).Rekey(fmt.Sprint("run", runs))
	b.R.Scenario.File, b.R.Scenario.Target = file, target
	return b
}

// A site describes a login journey: goto /login (the session starts),
// submit the login form (as login), click logout (as logout).
type site struct {
	host   string // default app.test
	cookie string // default SID
	attrs  string // the session cookie's attributes; default rectest.SecureAttrs
	// keep: the pre-login ID is kept at login; stay: logout does not
	// delete the cookie.
	keep, stay bool
	probe      string // "", "refused" or "accepted"
	extra      func(b *rectest.Builder)
	// then adds steps after the logout.
	then func(b *rectest.Builder)
	// failAt fails the scenario at that step ("goto", "login" or
	// "logout"); the steps after it are skipped.
	failAt string
}

func journey(s site) *recording.Recording {
	if s.host == "" {
		s.host = "app.test"
	}
	if s.cookie == "" {
		s.cookie = "SID"
	}
	if s.attrs == "" {
		s.attrs = rectest.SecureAttrs
	}
	base := "https://" + s.host
	b := newRun("login journey", "login.yaml", base, s.cookie)
	steps := []string{"goto", "submit as login", "click as logout"}
	failed := func(i int) bool {
		if s.failAt != "" && strings.HasSuffix(steps[i], s.failAt) {
			b.Fail(steps[i+1:]...)
			return true
		}
		return false
	}
	b.Step("goto", "")
	b.Get(base+"/login").Set(s.cookie, b.ID("pre"), s.attrs)
	if s.extra != nil {
		s.extra(b)
	}
	if failed(0) {
		return b.Rec()
	}
	b.Step("submit", "login")
	q := b.Post(base + "/login").SendHeld(s.cookie)
	if !s.keep {
		q.Set(s.cookie, b.ID("auth"), s.attrs)
	}
	q.Redirect(base + "/account").SendHeld(s.cookie)
	if failed(1) {
		return b.Rec()
	}
	b.Step("click", "logout")
	q = b.Get(base + "/logout").SendHeld(s.cookie)
	if !s.stay {
		q.Set(s.cookie, "", s.attrs+"; Max-Age=0")
	}
	switch s.probe {
	case "refused":
		b.Probe(false)
	case "accepted":
		b.Probe(true)
	}
	if !failed(2) && s.then != nil {
		s.then(b)
	}
	return b.Rec()
}

func one(r *recording.Recording) []*recording.Recording { return []*recording.Recording{r} }

// lines renders the changes of a diff as "kind subject what: from -> to
// MARK" for comparison in tests.
func lines(d *Diff) []string {
	var out []string
	for _, c := range d.Changes() {
		s := c.Kind
		if c.Subject != "" {
			s += " " + c.Subject
		}
		switch c.Kind {
		case "cookie":
			if c.What == Added || c.What == Gone {
				s += " " + c.What
				break
			}
			s += " " + c.What + ": " + c.From + " -> " + c.To
		case "finding":
			s += " " + c.What
			if c.What == SeverityChanged {
				s += ": " + c.From + " -> " + c.To
			}
		default:
			s += " " + c.What + ": " + c.From + " -> " + c.To
		}
		if m := c.Delta.Mark(); m != "" {
			s += " " + m
		}
		out = append(out, s)
	}
	return out
}
