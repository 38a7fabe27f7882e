package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/sessiontrace/sessiontrace/internal/yamlfile"
)

// problem is a finding about a string, before it is given a position.
type problem struct {
	msg  string
	hint string
	bare string // a reference without namespace ("${user}"), which may name a var
}

// textField is one string of a scenario that may hold ${...} references,
// with the check its final value must pass. Listing them once keeps
// Parse (literal strings) and Resolve (substituted ones) in step.
type textField struct {
	key    fieldKey
	s      *string
	check  func(string) *problem // nil: any text
	secret bool                  // never quote it in a message
}

func (sc *Scenario) texts() []textField {
	top := func(key string, s *string, check func(string) *problem) textField {
		return textField{key: fieldKey{-1, key}, s: s, check: check}
	}
	fields := []textField{top("target", &sc.Target, checkTarget)}
	if p := sc.Session.Probe; p != nil {
		fields = append(fields,
			top("probe.path", &p.Path, checkNavURL),
			top("probe.selector", &p.LoggedInSelector, checkSelector))
	}
	if sc.Session.LoggedOutSelector != "" {
		fields = append(fields, top("loggedOut.selector", &sc.Session.LoggedOutSelector, checkSelector))
	}
	if sc.Session.LoggedInSelector != "" {
		fields = append(fields, top("loggedIn.selector", &sc.Session.LoggedInSelector, checkSelector))
	}
	for i := range sc.Steps {
		st := &sc.Steps[i]
		add := func(key string, s *string, check func(string) *problem, secret bool) {
			fields = append(fields, textField{fieldKey{i, key}, s, check, secret})
		}
		add("url", &st.URL, checkNavURL, false)
		add("selector", &st.Selector, checkSelector, false)
		for k := range st.Frames {
			add(frameKey(k), &st.Frames[k], checkFrameSelector, false)
		}
		add("value", &st.Value, nil, st.Secret)
		add("key", &st.Key, nonEmpty("key"), false)
		add("script", &st.Script, nonEmpty("script"), false)
		add("name", &st.ClearName, checkCookieName, false)
		add("path", &st.Path, checkLocalPath, false)
		if c := st.Cookie; c != nil {
			add("cookie.name", &c.Name, checkCookieName, false)
			add("cookie.value", &c.Value, nil, c.Secret)
			add("cookie.url", &c.URL, checkTarget, false)
			add("cookie.domain", &c.Domain, nil, false)
			add("cookie.path", &c.Path, checkCookiePath, false)
		}
		if x := st.Expect; x != nil {
			if m := x.URL; m != nil {
				add("expect.url.equals", &m.Equals, checkNavURL, false)
				add("expect.url.contains", &m.Contains, nil, false)
				add("expect.url.matches", &m.Matches, checkRegexp, false)
			}
			if t := x.Text; t != nil {
				add("expect.text.selector", &t.Selector, checkSelector, false)
				add("expect.text.contains", &t.Contains, nil, false)
				add("expect.text.equals", &t.Equals, nil, false)
			}
			if c := x.Cookie; c != nil {
				add("expect.cookie.name", &c.Name, checkCookieName, false)
				add("expect.cookie.domain", &c.Domain, nil, false)
				add("expect.cookie.path", &c.Path, checkCookiePath, false)
			}
		}
	}
	return fields
}

// checkTexts checks the ${...} references of every string written in
// the file, and the value of those without references. Strings with
// references are checked again by Resolve, once their value is known.
func (p *parser) checkTexts(sc *Scenario) {
	report := func(info fieldInfo, pr *problem) {
		p.Add(info.pos, yamlfile.Prefix(info.where, pr.msg), pr.hint)
	}
	for _, name := range sortedKeys(sc.Vars) {
		info := sc.pos[fieldKey{-1, "vars." + name}]
		segs, pr := parseTemplate(sc.Vars[name])
		if pr != nil {
			report(info, p.refHint(pr))
			continue
		}
		for _, s := range segs {
			if s.ns == "vars" {
				report(info, &problem{msg: fmt.Sprintf("a var cannot use another var (%s): only ${env.NAME} and ${lab}", s.ref())})
				break
			}
		}
	}
	for _, f := range sc.texts() {
		info, ok := sc.pos[f.key]
		if !ok {
			continue // not in the file
		}
		segs, pr := parseTemplate(*f.s)
		if pr != nil {
			if f.secret {
				pr = secretProblem
			}
			report(info, p.refHint(pr))
			continue
		}
		refs := false
		for _, s := range segs {
			if s.ns == "" {
				continue
			}
			refs = true
			if s.ns == "vars" && !p.vars[s.key] {
				report(info, &problem{
					msg:  fmt.Sprintf("unknown variable %s: declare it under vars", s.ref()),
					hint: prefixHint("${vars.", yamlfile.Suggest(s.key, sortedKeys(p.vars)...), "}"),
				})
			}
		}
		if !refs && f.check != nil {
			if pr := f.check(literal(segs)); pr != nil {
				report(info, pr)
			}
		}
	}
}

// secretProblem replaces a message that would quote part of a secret.
var secretProblem = &problem{msg: "bad ${...} reference in a secret value (write $${ for a literal ${)"}

// refHint adds a hint for a bare var name used without its namespace:
// "${user}" means "${vars.user}".
func (p *parser) refHint(pr *problem) *problem {
	if pr.hint == "" && pr.bare != "" && p.vars[pr.bare] {
		return &problem{msg: pr.msg, hint: "${vars." + pr.bare + "}"}
	}
	return pr
}

func prefixHint(before, word, after string) string {
	if word == "" {
		return ""
	}
	return before + word + after
}

func nonEmpty(what string) func(string) *problem {
	return func(s string) *problem {
		if strings.TrimSpace(s) == "" {
			return &problem{msg: "empty " + what}
		}
		return nil
	}
}

// checkTarget accepts an absolute http or https URL with a host.
func checkTarget(s string) *problem {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || !validPort(u.Port()) {
		return &problem{msg: fmt.Sprintf("expected an absolute http or https URL, got %s", yamlfile.Quote(s))}
	}
	return nil
}

// validPort accepts "" (the scheme's default) or 1-65535; url.Parse
// only checks that a port is digits.
func validPort(port string) bool {
	if port == "" {
		return true
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535
}

// checkNavURL accepts what a step may navigate to or compare with: a
// path (resolved against the target) or an absolute http(s) URL.
func checkNavURL(s string) *problem {
	if strings.TrimSpace(s) == "" {
		return &problem{msg: "empty URL"}
	}
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return &problem{msg: fmt.Sprintf("bad URL %s: %v", yamlfile.Quote(s), err)}
	}
	switch {
	case u.Scheme == "":
	case u.Scheme == "http" || u.Scheme == "https":
		if u.Hostname() == "" || !validPort(u.Port()) {
			return &problem{msg: fmt.Sprintf("URL %s needs a host (and a port from 1 to 65535)", yamlfile.Quote(s))}
		}
	case s == "about:blank":
	default:
		return &problem{msg: fmt.Sprintf("unsupported URL scheme %s: want a path, or an http or https URL", yamlfile.Quote(u.Scheme))}
	}
	return nil
}

// checkSelector is a conservative syntax check of a CSS selector: it
// catches typos (unbalanced brackets or quotes, a dangling combinator)
// and lets the browser judge everything else.
// checkFrameSelector checks the selector of a frame of a step's in: one
// holding " > frame ..." would read as two frames when the step's in is
// written out again.
func checkFrameSelector(s string) *problem {
	if inSep.MatchString(s) {
		return &problem{msg: fmt.Sprintf("the frame selector %q holds \" > frame \", which separates frames in in", s)}
	}
	return checkSelector(s)
}

func checkSelector(s string) *problem {
	t := strings.TrimSpace(s)
	if t == "" {
		return &problem{msg: "empty selector"}
	}
	var stack []rune
	var quoteChar rune
	escaped := false
	parts := []string{}
	start := 0
	for i, r := range t {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case quoteChar != 0:
			if r == quoteChar {
				quoteChar = 0
			}
		case r == '"' || r == '\'':
			quoteChar = r
		case r == '[' || r == '(':
			stack = append(stack, r)
		case r == ']' || r == ')':
			open := map[rune]rune{']': '[', ')': '('}[r]
			if len(stack) == 0 || stack[len(stack)-1] != open {
				return &problem{msg: fmt.Sprintf("unbalanced %q in selector %s", r, yamlfile.Quote(s))}
			}
			stack = stack[:len(stack)-1]
		case r == ',' && len(stack) == 0:
			parts = append(parts, t[start:i])
			start = i + 1
		}
	}
	switch {
	case quoteChar != 0:
		return &problem{msg: fmt.Sprintf("unterminated quote %c in selector %s", quoteChar, yamlfile.Quote(s))}
	case len(stack) > 0:
		return &problem{msg: fmt.Sprintf("unclosed %q in selector %s", stack[len(stack)-1], yamlfile.Quote(s))}
	}
	parts = append(parts, t[start:])
	for _, part := range parts {
		part = strings.TrimSpace(part)
		switch {
		case part == "":
			return &problem{msg: fmt.Sprintf("empty selector in the list %s", yamlfile.Quote(s))}
		case strings.ContainsAny(part[:1], ">+~"):
			return &problem{msg: fmt.Sprintf("selector %s starts with the combinator %q", yamlfile.Quote(s), part[:1])}
		case strings.ContainsAny(part[len(part)-1:], ">+~") && !strings.HasSuffix(part, `\`+part[len(part)-1:]):
			return &problem{msg: fmt.Sprintf("selector %s ends with the combinator %q", yamlfile.Quote(s), part[len(part)-1:])}
		}
	}
	return nil
}

// checkCookieName accepts an RFC 6265 cookie name (an HTTP token).
func checkCookieName(s string) *problem {
	if s == "" {
		return &problem{msg: "empty cookie name"}
	}
	if !isToken(s) {
		hint := strings.TrimSpace(s)
		if !isToken(hint) {
			hint = ""
		}
		return &problem{msg: fmt.Sprintf("invalid cookie name %s", yamlfile.Quote(s)), hint: hint}
	}
	return nil
}

// isToken reports whether s is an RFC 7230 token, the syntax of cookie
// and header names.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}

func checkCookiePath(s string) *problem {
	if !strings.HasPrefix(s, "/") {
		return &problem{msg: fmt.Sprintf("a cookie path starts with /, got %s", yamlfile.Quote(s))}
	}
	return nil
}

// checkLocalPath keeps screenshots inside the run folder: a scenario
// from a shared suite must not write elsewhere on the machine.
func checkLocalPath(s string) *problem {
	if s == "" || strings.ContainsRune(s, '\\') || !fs.ValidPath(path.Clean(s)) || path.Clean(s) == "." {
		return &problem{msg: fmt.Sprintf("expected a relative file name inside the run folder, got %s", yamlfile.Quote(s))}
	}
	return nil
}

func checkRegexp(s string) *problem {
	if _, err := regexp.Compile(s); err != nil {
		return &problem{msg: "bad regular expression: " + strings.TrimPrefix(err.Error(), "error parsing regexp: ")}
	}
	return nil
}
