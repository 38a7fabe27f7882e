package scenarios

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/sessiontrace/sessiontrace/internal/yamlfile"
)

// Resolver supplies the values of ${env.X} and ${lab...} references. A
// nil func means that source is unavailable: every reference to it is
// an error.
type Resolver struct {
	Env func(name string) (string, bool)
	// Lab gets "" for ${lab}, "correct" for ${lab.correct} and
	// "http.correct" for ${lab.http.correct}.
	Lab func(key string) (string, bool)
}

// Resolve returns a deep copy of s with every ${...} reference replaced
// and "$${" turned into a literal "${". vars may use env and lab, not
// other vars. The strings that held references are checked again (a
// target must still be an absolute URL), and each problem is reported at
// the string that holds it. Resolving a resolved scenario returns a copy
// unchanged, so a literal "${" that came from "$${" stays literal.
func (s *Scenario) Resolve(r Resolver) (*Scenario, error) {
	c := s.clone()
	if s.resolved {
		return c, nil
	}
	var errs ErrorList
	report := func(info fieldInfo, pr *problem) {
		errs = append(errs, &Error{Pos: info.pos, Msg: yamlfile.Prefix(info.where, pr.msg), Hint: pr.hint})
	}
	vars := map[string]string{}
	for _, name := range sortedKeys(c.Vars) {
		// A var that fails is still defined (as ""), so that its users
		// do not report it again as unknown.
		vars[name] = ""
		segs, pr := parseTemplate(c.Vars[name])
		if pr == nil {
			vars[name], pr = r.expand(segs, nil)
		}
		if pr != nil {
			report(c.info(fieldKey{-1, "vars." + name}), pr)
		}
	}
	if c.Vars != nil {
		c.Vars = vars
	}
	for _, f := range c.texts() {
		segs, pr := parseTemplate(*f.s)
		if pr != nil {
			if f.secret {
				pr = secretProblem
			}
			report(c.info(f.key), pr)
			continue
		}
		if !hasRefs(segs) {
			*f.s = literal(segs)
			continue
		}
		out, pr := r.expand(segs, vars)
		if pr != nil {
			report(c.info(f.key), pr)
			continue
		}
		*f.s = out
		if f.check != nil {
			if pr := f.check(out); pr != nil {
				report(c.info(f.key), pr)
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	for i := range c.Steps {
		if st := &c.Steps[i]; len(st.Frames) > 0 {
			st.In = JoinIn(st.InWindow(), st.Frames) // with the frames' resolved selectors
		}
	}
	c.resolved = true
	return c, nil
}

// NeedsLab reports, at the first ${lab...} reference of s (in a var or
// a string), that it needs the lab's URLs; nil when s uses none. Such a
// scenario runs only where they are known: run --lab, or the ports of a
// lab started by hand. A command checks it before it runs anything.
func (s *Scenario) NeedsLab() error {
	find := func(text string) string {
		segs, pr := parseTemplate(text)
		if pr != nil {
			return ""
		}
		for _, seg := range segs {
			if seg.ns == "lab" {
				return seg.ref()
			}
		}
		return ""
	}
	at := func(info fieldInfo, ref string) error {
		return ErrorList{{Pos: info.pos, Msg: yamlfile.Prefix(info.where, labMissing(ref))}}
	}
	for _, name := range sortedKeys(s.Vars) {
		if r := find(s.Vars[name]); r != "" {
			return at(s.info(fieldKey{-1, "vars." + name}), r)
		}
	}
	for _, f := range s.texts() {
		if r := find(*f.s); r != "" {
			return at(s.info(f.key), r)
		}
	}
	return nil
}

// labMissing says that the reference ref to the lab has no value here,
// and how to give it one.
func labMissing(ref string) string {
	return ref + " needs the lab's URLs: run with --lab (which starts the lab for the run), or, against a lab started by hand (sessiontrace lab), with --lab-ports HTTPS,HTTP (8443,8080 by default)"
}

// info locates a field for a message. Scenarios built in Go rather than
// parsed have no positions; the step's position is the best we have.
func (s *Scenario) info(k fieldKey) fieldInfo {
	if info, ok := s.pos[k]; ok {
		return info
	}
	info := fieldInfo{pos: s.Pos, where: k.key}
	if k.step >= 0 && k.step < len(s.Steps) {
		info.pos = s.Steps[k.step].Pos
		info.where = string(s.Steps[k.step].Kind) + "." + k.key
	}
	return info
}

// expand joins segs, looking references up. vars nil means the string is
// itself a var, which may not use other vars.
func (r Resolver) expand(segs []segment, vars map[string]string) (string, *problem) {
	var b strings.Builder
	for _, s := range segs {
		var v string
		var ok bool
		switch s.ns {
		case "":
			v, ok = s.lit, true
		case "env":
			if r.Env != nil {
				v, ok = r.Env(s.key)
			}
			if !ok {
				return "", &problem{msg: fmt.Sprintf("environment variable %s is not set", s.key)}
			}
		case "vars":
			if vars == nil {
				return "", &problem{msg: fmt.Sprintf("a var cannot use another var (%s): only ${env.NAME} and ${lab}", s.ref())}
			}
			if v, ok = vars[s.key]; !ok {
				return "", &problem{
					msg:  fmt.Sprintf("unknown variable %s: declare it under vars", s.ref()),
					hint: prefixHint("${vars.", yamlfile.Suggest(s.key, sortedKeys(vars)...), "}"),
				}
			}
		case "lab":
			if r.Lab != nil {
				v, ok = r.Lab(s.key)
			}
			if !ok {
				if s.key == "" || r.Lab == nil {
					return "", &problem{msg: labMissing(s.ref())}
				}
				return "", &problem{msg: fmt.Sprintf("unknown lab value %s", s.ref())}
			}
		}
		b.WriteString(v)
	}
	return b.String(), nil
}

// segment is a literal run of text (ns == "") or a reference.
type segment struct {
	lit string
	ns  string // "env", "vars" or "lab"
	key string
}

func (s segment) ref() string {
	if s.key == "" {
		return "${" + s.ns + "}"
	}
	return "${" + s.ns + "." + s.key + "}"
}

var (
	envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	labKey  = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`)
)

// parseTemplate splits s into literals and ${...} references; "$${" is
// a literal "${". A "$" not followed by "{" is an ordinary character.
func parseTemplate(s string) ([]segment, *problem) {
	var segs []segment
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			segs = append(segs, segment{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			lit.WriteString("${")
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				return nil, &problem{msg: `unterminated "${": add the closing "}" (or write "$${" for a literal "${")`}
			}
			seg, pr := parseRef(s[i+2 : i+2+end])
			if pr != nil {
				return nil, pr
			}
			flush()
			segs = append(segs, seg)
			i += 2 + end + 1
		default:
			lit.WriteByte(s[i])
			i++
		}
	}
	flush()
	return segs, nil
}

// parseRef parses the name inside "${...}". On failure the problem
// hints at a likely fix, and keeps a bare name for the caller to match
// against the vars.
func parseRef(name string) (segment, *problem) {
	if name == "" {
		return segment{}, &problem{msg: `empty variable name in "${}"`}
	}
	if name == "lab" {
		return segment{ns: "lab"}, nil
	}
	ns, key, dotted := strings.Cut(name, ".")
	var valid *regexp.Regexp
	switch ns {
	case "env":
		valid = envName
	case "vars":
		valid = varName
	case "lab":
		valid = labKey
	}
	if valid != nil && dotted && valid.MatchString(key) {
		return segment{ns: ns, key: key}, nil
	}
	pr := &problem{bare: name}
	if valid != nil {
		pr.msg = fmt.Sprintf("bad variable name %s", yamlfile.Quote("${"+name+"}"))
	} else {
		pr.msg = fmt.Sprintf("unknown variable %s: want ${env.NAME}, ${vars.NAME} or ${lab}", yamlfile.Quote("${"+name+"}"))
	}
	if t := strings.TrimSpace(name); t != name {
		if seg, err := parseRef(t); err == nil {
			pr.hint = seg.ref()
		}
	} else if valid == nil && dotted {
		if s := yamlfile.Suggest(ns, "env", "vars", "lab"); s != "" {
			if seg, err := parseRef(s + "." + key); err == nil {
				pr.hint = seg.ref()
			}
		}
	} else if valid == nil && strings.EqualFold(name, "lab") {
		pr.hint = "${lab}"
	}
	if dotted || pr.hint != "" {
		pr.bare = ""
	}
	return segment{}, pr
}

func hasRefs(segs []segment) bool {
	for _, s := range segs {
		if s.ns != "" {
			return true
		}
	}
	return false
}

func literal(segs []segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.lit)
	}
	return b.String()
}

// Secrets returns the values of the fields marked secret: true, for
// callers to redact from recordings, logs and errors. Call it on the
// resolved scenario: before Resolve it returns the templates. Empty
// values are left out, since redacting "" would mangle every string.
func (s *Scenario) Secrets() []string {
	var out []string
	add := func(v string) {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, st := range s.Steps {
		if st.Secret {
			add(st.Value)
		}
		if st.Cookie != nil && st.Cookie.Secret {
			add(st.Cookie.Value)
		}
	}
	return out
}

// URL resolves ref (a step's path, such as "/login") against the
// scenario's target, as a browser resolves a link (RFC 3986): "/login"
// replaces the target's path, "login" is relative to it. Absolute URLs
// are returned unchanged. Call it on the resolved scenario.
func (s *Scenario) URL(ref string) (string, error) {
	base, err := url.Parse(s.Target)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return "", fmt.Errorf("scenario %q: target %q is not an absolute http or https URL (resolve its variables first)", s.Name, s.Target)
	}
	u, err := url.Parse(ref)
	if err != nil {
		return "", fmt.Errorf("scenario %q: bad URL %q: %w", s.Name, ref, err)
	}
	if u.IsAbs() {
		return ref, nil
	}
	return base.ResolveReference(u).String(), nil
}

// clone returns a deep copy of s, sharing nothing a caller could change.
func (s *Scenario) clone() *Scenario {
	c := *s
	c.Tags = slices.Clone(s.Tags)
	c.Session.Cookies = slices.Clone(s.Session.Cookies)
	if s.Session.Probe != nil {
		p := *s.Session.Probe
		c.Session.Probe = &p
	}
	c.Vars = maps.Clone(s.Vars)
	c.Steps = slices.Clone(s.Steps)
	for i := range c.Steps {
		st := &c.Steps[i]
		if st.Cookie != nil {
			ck := *st.Cookie
			st.Cookie = &ck
		}
		if st.Expect != nil {
			st.Expect = st.Expect.clone()
		}
		st.Frames = slices.Clone(st.Frames)
	}
	return &c
}

func (x *Expect) clone() *Expect {
	c := *x
	if x.URL != nil {
		m := *x.URL
		c.URL = &m
	}
	if x.Text != nil {
		t := *x.Text
		c.Text = &t
	}
	if x.Cookie != nil {
		ck := *x.Cookie
		for _, p := range []**bool{&ck.Present, &ck.Secure, &ck.HTTPOnly, &ck.Session} {
			if *p != nil {
				b := **p
				*p = &b
			}
		}
		c.Cookie = &ck
	}
	return &c
}
