package scenarios

import (
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

var (
	topKeys     = []string{"name", "target", "tags", "session", "vars", "steps"}
	commonKeys  = []string{"name", "as", "timeout"}
	stepKeys    = append(kindNames(), commonKeys...)
	asValues    = []string{"login", "logout", "privilege"}
	sessionVals = []string{"rotated", "kept", "present", "gone"}
	sameSites   = []string{"Strict", "Lax", "None"}
	restarts    = []string{"browser"}
)

func kindNames() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

// varName is what ${vars.NAME} accepts.
var varName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func (p *parser) scenario(root *yaml.Node) *Scenario {
	sc := &Scenario{File: p.file, Pos: p.pos(root), pos: map[fieldKey]fieldInfo{}}
	p.sc, p.step = sc, -1
	if m := deref(root); m == nil || m.Kind != yaml.MappingNode {
		p.errorf(root, "", "", "expected a mapping with name, target and steps, got %s", describe(root))
		return nil
	}
	o, _ := p.object(root, "", topKeys...)

	// vars first: the checks of every other string need their names.
	if e, ok := o.byKey["vars"]; ok {
		p.readVars(sc, e.val)
	}
	if e, ok := o.byKey["name"]; ok {
		if s, ok := p.str(e.val, "name"); ok {
			if strings.TrimSpace(s) == "" {
				p.errorf(e.val, "name", "", "must not be empty")
			}
			sc.Name = s
		}
	}
	if e, ok := o.byKey["target"]; ok {
		p.text(e.val, "target", "target", &sc.Target)
	}
	if e, ok := o.byKey["tags"]; ok {
		sc.Tags = p.strings(e.val, "tags")
	}
	if e, ok := o.byKey["session"]; ok {
		p.session(sc, e.val)
	}
	if e, ok := o.byKey["steps"]; ok {
		if items, ok := p.items(e.val, "steps"); ok {
			if len(items) == 0 {
				p.errorf(e.val, "steps", "", "needs at least one step")
			}
			for i, item := range items {
				p.step = i
				sc.Steps = append(sc.Steps, p.readStep(i, item))
			}
			p.step = -1
		}
	}
	p.require(o, "name", "target", "steps")
	p.checkTexts(sc)
	return sc
}

func (p *parser) readVars(sc *Scenario, n *yaml.Node) {
	o, ok := p.readObject(n, "vars", nil, true)
	if !ok {
		return
	}
	sc.Vars = map[string]string{}
	for _, e := range o.list {
		where := "vars." + e.name
		if !varName.MatchString(e.name) {
			p.errorf(e.key, "vars", "", "bad variable name %s: use letters, digits, _ and -", quote(e.name))
			continue
		}
		p.vars[e.name] = true
		var v string
		if p.text(e.val, where, "vars."+e.name, &v) {
			sc.Vars[e.name] = v
		}
	}
}

// cookieNames reads a list of cookie names.
func (p *parser) cookieNames(n *yaml.Node, where string) []string {
	items, ok := p.items(n, where)
	if !ok {
		return nil
	}
	var out []string
	for _, item := range items {
		s, ok := p.str(item, where)
		if !ok {
			continue
		}
		if pr := checkCookieName(s); pr != nil {
			p.errorf(item, where, pr.hint, "%s", pr.msg)
			continue
		}
		out = append(out, s)
	}
	return out
}

// strings reads a list of non-empty strings.
func (p *parser) strings(n *yaml.Node, where string) []string {
	items, ok := p.items(n, where)
	if !ok {
		return nil
	}
	var out []string
	for _, item := range items {
		s, ok := p.str(item, where)
		if !ok {
			continue
		}
		if strings.TrimSpace(s) == "" {
			p.errorf(item, where, "", "empty entry")
			continue
		}
		out = append(out, s)
	}
	return out
}

func (p *parser) session(sc *Scenario, n *yaml.Node) {
	o, ok := p.object(n, "session", "cookies", "nodeHeader", "probe", "loggedOut")
	if !ok {
		return
	}
	if e, ok := o.byKey["cookies"]; ok {
		sc.Session.Cookies = p.cookieNames(e.val, "session.cookies")
	}
	if e, ok := o.byKey["nodeHeader"]; ok {
		if s, ok := p.str(e.val, "session.nodeHeader"); ok {
			if !isToken(s) {
				p.errorf(e.val, "session.nodeHeader", "", "invalid header name %s", quote(s))
			}
			sc.Session.NodeHeader = s
		}
	}
	if e, ok := o.byKey["probe"]; ok {
		po, ok := p.object(e.val, "session.probe", "path", "loggedIn")
		if !ok {
			return
		}
		probe := &Probe{}
		if e, ok := po.byKey["path"]; ok {
			p.text(e.val, "session.probe.path", "probe.path", &probe.Path)
		}
		if e, ok := po.byKey["loggedIn"]; ok {
			if lo, ok := p.object(e.val, "session.probe.loggedIn", "selector"); ok {
				if e, ok := lo.byKey["selector"]; ok {
					p.text(e.val, "session.probe.loggedIn.selector", "probe.selector", &probe.LoggedInSelector)
				}
				p.require(lo, "selector")
			}
		}
		p.require(po, "path", "loggedIn")
		sc.Session.Probe = probe
	}
	if e, ok := o.byKey["loggedOut"]; ok {
		if lo, ok := p.object(e.val, "session.loggedOut", "selector"); ok {
			if e, ok := lo.byKey["selector"]; ok {
				p.text(e.val, "session.loggedOut.selector", "loggedOut.selector", &sc.Session.LoggedOutSelector)
			}
			p.require(lo, "selector")
		}
	}
}

func (p *parser) readStep(i int, n *yaml.Node) Step {
	st := Step{Index: i, Pos: p.pos(n)}
	if d := deref(n); d != nil && d.Kind == yaml.ScalarNode {
		// "- goto /login": the colon was forgotten.
		word, rest, _ := strings.Cut(strings.TrimSpace(d.Value), " ")
		hint := ""
		if contains(stepKeys, word) {
			switch {
			case rest != "":
				hint = word + ": " + strings.TrimSpace(rest)
			case word == string(KindRestart):
				hint = "restart: browser"
			case word == string(KindClearCookies):
				hint = "clearCookies: true"
			}
		}
		p.errorf(n, "step", hint, "expected a mapping such as \"goto: /path\", got %s", describe(n))
		return st
	}
	o, ok := p.object(n, "step", stepKeys...)
	if !ok {
		return st
	}
	var kindEntries []entry
	for _, e := range o.list {
		if !contains(commonKeys, e.name) {
			kindEntries = append(kindEntries, e)
		}
	}
	if e, ok := o.byKey["name"]; ok {
		st.Name, _ = p.str(e.val, "step.name")
	}
	if e, ok := o.byKey["as"]; ok {
		st.As, _ = p.enum(e.val, "as", asValues...)
	}
	if e, ok := o.byKey["timeout"]; ok {
		st.Timeout, _ = p.duration(e.val, "timeout")
	}
	switch len(kindEntries) {
	case 0:
		if !o.mistyped(kindNames()...) {
			p.errorf(n, "step", "", "missing an action: want one of %s", oneOf(kindNames()))
		}
		return st
	case 1:
	default:
		p.errorf(kindEntries[1].key, "step", "", "has two actions, %s and %s: give each its own step",
			kindEntries[0].name, kindEntries[1].name)
	}
	e := kindEntries[0]
	st.Kind = Kind(e.name)
	p.action(&st, e.val)
	return st
}

// action reads the value of a step's kind key.
func (p *parser) action(st *Step, v *yaml.Node) {
	kind := string(st.Kind)
	isScalar := false
	if d := deref(v); d != nil && d.Kind == yaml.ScalarNode {
		isScalar = true
	}
	switch st.Kind {
	case KindGoto:
		p.text(v, kind, "url", &st.URL)
	case KindClick, KindSubmit:
		p.text(v, kind, "selector", &st.Selector)
	case KindFill:
		if o, ok := p.object(v, kind, "selector", "value", "secret"); ok {
			p.textKey(o, "selector", &st.Selector)
			p.textKey(o, "value", &st.Value)
			if e, ok := o.byKey["secret"]; ok {
				st.Secret, _ = p.boolean(e.val, "fill.secret")
			}
			p.require(o, "selector", "value")
		}
	case KindSelect:
		if o, ok := p.object(v, kind, "selector", "value"); ok {
			p.textKey(o, "selector", &st.Selector)
			p.textKey(o, "value", &st.Value)
			p.require(o, "selector", "value")
		}
	case KindCheck:
		st.Checked = true
		if isScalar {
			p.text(v, kind, "selector", &st.Selector)
		} else if o, ok := p.object(v, kind, "selector", "checked"); ok {
			p.textKey(o, "selector", &st.Selector)
			if e, ok := o.byKey["checked"]; ok {
				if b, ok := p.boolean(e.val, "check.checked"); ok {
					st.Checked = b
				}
			}
			p.require(o, "selector")
		}
	case KindPress:
		if isScalar {
			p.text(v, kind, "key", &st.Key)
		} else if o, ok := p.object(v, kind, "selector", "key"); ok {
			p.textKey(o, "selector", &st.Selector)
			p.textKey(o, "key", &st.Key)
			p.require(o, "key")
		}
	case KindWait:
		if isScalar {
			if d, ok := p.duration(v, kind); ok {
				if d == 0 {
					p.errorf(v, kind, "", "a wait needs a duration above zero")
				}
				st.Duration = d
			}
		} else if o, ok := p.object(v, kind, "selector", "url"); ok {
			p.textKey(o, "selector", &st.Selector)
			p.textKey(o, "url", &st.URL)
			p.oneKey(o, "selector", "url")
		}
	case KindEval:
		p.text(v, kind, "script", &st.Script)
	case KindSetCookie:
		p.setCookie(st, v)
	case KindClearCookies:
		d := deref(v)
		switch {
		case d != nil && d.Kind == yaml.ScalarNode && d.ShortTag() == "!!null":
			// "clearCookies:" with nothing reads naturally as "all".
		case d != nil && d.Kind == yaml.ScalarNode && d.ShortTag() == "!!bool":
			if b, _ := p.boolean(v, kind); !b {
				p.errorf(v, kind, "", "false clears nothing: remove the step, or write true to clear all cookies")
			}
		case d != nil && d.Kind == yaml.MappingNode:
			if o, ok := p.object(v, kind, "name"); ok {
				p.textKey(o, "name", &st.ClearName)
			}
		default:
			p.errorf(v, kind, "", "expected {}, true or { name: COOKIE }, got %s", describe(v))
		}
	case KindRestart:
		st.Restart, _ = p.enum(v, kind, restarts...)
	case KindScreenshot:
		if isScalar {
			p.text(v, kind, "path", &st.Path)
		} else if o, ok := p.object(v, kind, "path", "selector"); ok {
			p.textKey(o, "path", &st.Path)
			p.textKey(o, "selector", &st.Selector)
			p.require(o, "path")
		}
	case KindExpect:
		st.Expect = p.expect(v)
	}
}

// textKey reads o's key as a substitutable string stored under the
// field key of the same name.
func (p *parser) textKey(o *object, key string, dst *string) {
	p.textKeyAs(o, key, key, dst)
}

func (p *parser) textKeyAs(o *object, key, field string, dst *string) {
	if e, ok := o.byKey[key]; ok {
		p.text(e.val, o.where+"."+key, field, dst)
	}
}

func (p *parser) setCookie(st *Step, v *yaml.Node) {
	o, ok := p.object(v, "setCookie", "name", "value", "url", "domain", "path",
		"secure", "httpOnly", "sameSite", "maxAge", "secret")
	if !ok {
		return
	}
	c := &CookieSpec{}
	p.textKeyAs(o, "name", "cookie.name", &c.Name)
	p.textKeyAs(o, "value", "cookie.value", &c.Value)
	p.textKeyAs(o, "url", "cookie.url", &c.URL)
	p.textKeyAs(o, "domain", "cookie.domain", &c.Domain)
	p.textKeyAs(o, "path", "cookie.path", &c.Path)
	if e, ok := o.byKey["secure"]; ok {
		c.Secure, _ = p.boolean(e.val, "setCookie.secure")
	}
	if e, ok := o.byKey["httpOnly"]; ok {
		c.HTTPOnly, _ = p.boolean(e.val, "setCookie.httpOnly")
	}
	if e, ok := o.byKey["secret"]; ok {
		c.Secret, _ = p.boolean(e.val, "setCookie.secret")
	}
	if e, ok := o.byKey["sameSite"]; ok {
		c.SameSite, _ = p.enum(e.val, "setCookie.sameSite", sameSites...)
	}
	if e, ok := o.byKey["maxAge"]; ok {
		c.MaxAge, _ = p.duration(e.val, "setCookie.maxAge")
	}
	p.require(o, "name")
	st.Cookie = c
}

func (p *parser) expect(v *yaml.Node) *Expect {
	o, ok := p.object(v, "expect", "url", "text", "session", "cookie")
	if !ok {
		return nil
	}
	x := &Expect{}
	if len(o.list) == 0 && len(o.hinted) == 0 {
		p.errorf(o.node, "expect", "", "needs at least one of url, text, session or cookie")
	}
	if e, ok := o.byKey["url"]; ok {
		m := &Match{}
		if d := deref(e.val); d != nil && d.Kind == yaml.ScalarNode {
			p.text(e.val, "expect.url", "expect.url.equals", &m.Equals)
		} else if uo, ok := p.object(e.val, "expect.url", "equals", "contains", "matches"); ok {
			p.textKeyAs(uo, "equals", "expect.url.equals", &m.Equals)
			p.textKeyAs(uo, "contains", "expect.url.contains", &m.Contains)
			p.textKeyAs(uo, "matches", "expect.url.matches", &m.Matches)
			p.oneKey(uo, "equals", "contains", "matches")
		}
		x.URL = m
	}
	if e, ok := o.byKey["text"]; ok {
		if to, ok := p.object(e.val, "expect.text", "selector", "contains", "equals"); ok {
			t := &TextExpect{}
			p.textKeyAs(to, "selector", "expect.text.selector", &t.Selector)
			p.textKeyAs(to, "contains", "expect.text.contains", &t.Contains)
			p.textKeyAs(to, "equals", "expect.text.equals", &t.Equals)
			p.require(to, "selector")
			p.oneKey(to, "contains", "equals")
			x.Text = t
		}
	}
	if e, ok := o.byKey["session"]; ok {
		x.Session, _ = p.enum(e.val, "expect.session", sessionVals...)
	}
	if e, ok := o.byKey["cookie"]; ok {
		co, ok := p.object(e.val, "expect.cookie", "name", "present", "secure", "httpOnly",
			"session", "sameSite", "domain", "path")
		if ok {
			c := &CookieExpect{}
			p.textKeyAs(co, "name", "expect.cookie.name", &c.Name)
			p.textKeyAs(co, "domain", "expect.cookie.domain", &c.Domain)
			p.textKeyAs(co, "path", "expect.cookie.path", &c.Path)
			for _, f := range []struct {
				key string
				dst **bool
			}{{"present", &c.Present}, {"secure", &c.Secure}, {"httpOnly", &c.HTTPOnly}, {"session", &c.Session}} {
				if e, ok := co.byKey[f.key]; ok {
					*f.dst = p.boolPtr(e.val, "expect.cookie."+f.key)
				}
			}
			if e, ok := co.byKey["sameSite"]; ok {
				c.SameSite, _ = p.enum(e.val, "expect.cookie.sameSite", sameSites...)
			}
			p.require(co, "name")
			x.Cookie = c
		}
	}
	return x
}

// sortedKeys returns m's keys in order, so that errors and results do
// not depend on map iteration.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
