package report

import (
	"net/url"
	"sort"
	"strings"

	"github.com/sessiontrace/sessiontrace/recording"
)

// An unrevealer takes the raw cookie values that recordings hold (runs
// with --reveal-values) back out of text, each replaced by the
// placeholder the recorder writes when values are not revealed
// ("[value:FP]"): for what is shared beyond the people who ran the suite
// (the html format). Values shorter than the recorder scrubs (8 bytes)
// are left: "1" or "dark" would mangle every URL. It lives here, not in
// package recording, so that the inspector's WebAssembly does not carry
// it.
type unrevealer struct {
	r *strings.Replacer // nil when there is nothing to take out
}

// newUnrevealer collects the raw values of rs: in the jars, the cookies
// sent, withheld and set, and the cookie events.
func newUnrevealer(rs ...*recording.Recording) *unrevealer {
	with := map[string]string{}
	add := func(v *recording.Value) {
		if v == nil || v.Raw == nil || len(*v.Raw) < recording.MinScrubbedLen {
			return
		}
		p := recording.ValuePlaceholder(v.Short())
		for _, form := range []string{*v.Raw, url.QueryEscape(*v.Raw), url.PathEscape(*v.Raw)} {
			if _, ok := with[form]; !ok {
				with[form] = p
			}
		}
	}
	for _, r := range rs {
		if r == nil {
			continue
		}
		for i := range r.Steps {
			for j := range r.Steps[i].Jar {
				add(&r.Steps[i].Jar[j].Value)
			}
		}
		for i := range r.Requests {
			q := &r.Requests[i]
			for _, cs := range [][]recording.SentCookie{q.CookiesSent, q.CookiesWithheld} {
				for j := range cs {
					add(&cs[j].Value)
				}
			}
			for j := range q.SetCookies {
				add(&q.SetCookies[j].Value)
			}
		}
		for i := range r.Events {
			add(r.Events[i].Value)
		}
	}
	if len(with) == 0 {
		return &unrevealer{}
	}
	forms := make([]string, 0, len(with))
	for f := range with {
		forms = append(forms, f)
	}
	// A Replacer tries its pairs in order at each position: longest first,
	// so a value that contains another is replaced whole.
	sort.Slice(forms, func(i, j int) bool {
		if len(forms[i]) != len(forms[j]) {
			return len(forms[i]) > len(forms[j])
		}
		return forms[i] < forms[j]
	})
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, with[f])
	}
	return &unrevealer{r: strings.NewReplacer(pairs...)}
}

// Scrub returns s with every collected value replaced by its placeholder.
func (u *unrevealer) Scrub(s string) string {
	if u == nil || u.r == nil {
		return s
	}
	return u.r.Replace(s)
}
