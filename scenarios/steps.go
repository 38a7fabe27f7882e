package scenarios

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sessiontrace/sessiontrace/internal/yamlfile"
)

var (
	topKeys     = []string{"name", "target", "tags", "session", "vars", "steps"}
	commonKeys  = []string{"name", "as", "timeout", "in"}
	stepKeys    = append(kindNames(), commonKeys...)
	asValues    = []string{"login", "logout", "privilege"}
	sessionVals = []string{"rotated", "kept", "present", "gone"}
	sameSites   = []string{"Strict", "Lax", "None"}
	restarts    = []string{"browser"}
)

// The largest durations a scenario may give: a step's timeout and a wait
// (a journey is minutes; a day is a typo), and a setCookie's maxAge
// (browsers cap cookie lifetimes at 400 days).
const (
	MaxStepDuration = 24 * time.Hour
	MaxCookieAge    = 400 * 24 * time.Hour
)

func kindNames() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

// maxPopupIndex is the highest popup number a step can name (inValue).
const maxPopupIndex = 9999

// inValue is what the first part of a step's in accepts (see parseIn).
var inValue = regexp.MustCompile(`^(tab|popup|popup [1-9][0-9]{0,3}|popup (url|title)=\S.*|frame\s+\S.*)$`)

// inSep joins the parts of a step's in: "popup 1 > frame #login". It
// needs "frame" after the ">", so that a selector with a child
// combinator ("frame div > iframe") stays whole.
var inSep = regexp.MustCompile(`\s+>\s+frame\s+`)

// inWindowLater finds a window named after a frame in a step's in.
var inWindowLater = regexp.MustCompile(`\s>\s*(tab|popup)\b`)

// inWant says what a step's in accepts.
const inWant = "want tab, popup (the last window the journey opened), popup N (the Nth, from 1), popup url=TEXT or popup title=TEXT (the last one opened whose URL or title contains TEXT) or frame SELECTOR (a frame of the tab), then any frames inside it, each after a >: popup 1 > frame #login > frame #captcha"

// varName is what ${vars.NAME} accepts.
var varName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func (p *parser) scenario(root *yaml.Node) *Scenario {
	sc := &Scenario{File: p.File, Pos: p.Pos(root), pos: map[fieldKey]fieldInfo{}}
	p.sc, p.step = sc, -1
	if m := yamlfile.Deref(root); m == nil || m.Kind != yaml.MappingNode {
		p.Errorf(root, "", "", "expected a mapping with name, target and steps, got %s", yamlfile.Describe(root))
		return nil
	}
	o, _ := p.Object(root, "", topKeys...)

	// vars first: the checks of every other string need their names.
	if e, ok := o.ByKey["vars"]; ok {
		p.readVars(sc, e.Val)
	}
	if e, ok := o.ByKey["name"]; ok {
		if s, ok := p.Str(e.Val, "name"); ok {
			if strings.TrimSpace(s) == "" {
				p.Errorf(e.Val, "name", "", "must not be empty")
			}
			sc.Name = s
		}
	}
	if e, ok := o.ByKey["target"]; ok {
		p.text(e.Val, "target", "target", &sc.Target)
	}
	if e, ok := o.ByKey["tags"]; ok {
		sc.Tags = p.strings(e.Val, "tags")
	}
	if e, ok := o.ByKey["session"]; ok {
		p.session(sc, e.Val)
	}
	if e, ok := o.ByKey["steps"]; ok {
		if items, ok := p.Items(e.Val, "steps"); ok {
			if len(items) == 0 {
				p.Errorf(e.Val, "steps", "", "needs at least one step")
			}
			for i, item := range items {
				p.step = i
				sc.Steps = append(sc.Steps, p.readStep(i, item))
			}
			p.step = -1
		}
	}
	p.Require(o, "name", "target", "steps")
	p.checkTexts(sc)
	return sc
}

func (p *parser) readVars(sc *Scenario, n *yaml.Node) {
	o, ok := p.AnyObject(n, "vars")
	if !ok {
		return
	}
	sc.Vars = map[string]string{}
	for _, e := range o.List {
		where := "vars." + e.Name
		if !varName.MatchString(e.Name) {
			p.Errorf(e.Key, "vars", "", "bad variable name %s: use letters, digits, _ and -", yamlfile.Quote(e.Name))
			continue
		}
		p.vars[e.Name] = true
		var v string
		if p.text(e.Val, where, "vars."+e.Name, &v) {
			sc.Vars[e.Name] = v
		}
	}
}

// cookieNames reads a list of cookie names.
func (p *parser) cookieNames(n *yaml.Node, where string) []string {
	return p.list(n, where, checkCookieName)
}

// strings reads a list of non-empty strings.
func (p *parser) strings(n *yaml.Node, where string) []string {
	return p.list(n, where, func(s string) *problem {
		if strings.TrimSpace(s) == "" {
			return &problem{msg: "empty entry"}
		}
		return nil
	})
}

// list reads a list of strings, reporting and leaving out each one that
// check finds a problem with.
func (p *parser) list(n *yaml.Node, where string, check func(string) *problem) []string {
	items, ok := p.Items(n, where)
	if !ok {
		return nil
	}
	var out []string
	for _, item := range items {
		s, ok := p.Str(item, where)
		if !ok {
			continue
		}
		if pr := check(s); pr != nil {
			p.Errorf(item, where, pr.hint, "%s", pr.msg)
			continue
		}
		out = append(out, s)
	}
	return out
}

func (p *parser) session(sc *Scenario, n *yaml.Node) {
	o, ok := p.Object(n, "session", "cookies", "nodeHeader", "probe", "loggedIn", "loggedOut")
	if !ok {
		return
	}
	if e, ok := o.ByKey["cookies"]; ok {
		sc.Session.Cookies = p.cookieNames(e.Val, "session.cookies")
	}
	if e, ok := o.ByKey["nodeHeader"]; ok {
		if s, ok := p.Str(e.Val, "session.nodeHeader"); ok {
			if !isToken(s) {
				p.Errorf(e.Val, "session.nodeHeader", "", "invalid header name %s", yamlfile.Quote(s))
			}
			sc.Session.NodeHeader = s
		}
	}
	if e, ok := o.ByKey["probe"]; ok {
		po, ok := p.Object(e.Val, "session.probe", "path", "loggedIn")
		if !ok {
			return
		}
		probe := &Probe{}
		if e, ok := po.ByKey["path"]; ok {
			p.text(e.Val, "session.probe.path", "probe.path", &probe.Path)
		}
		if e, ok := po.ByKey["loggedIn"]; ok {
			if lo, ok := p.Object(e.Val, "session.probe.loggedIn", "selector"); ok {
				if e, ok := lo.ByKey["selector"]; ok {
					p.text(e.Val, "session.probe.loggedIn.selector", "probe.selector", &probe.LoggedInSelector)
				}
				p.Require(lo, "selector")
			}
		}
		p.Require(po, "path", "loggedIn")
		sc.Session.Probe = probe
	}
	p.marker(o, "loggedOut", &sc.Session.LoggedOutSelector)
	p.marker(o, "loggedIn", &sc.Session.LoggedInSelector)
}

// marker reads session.KEY: { selector: ... } into sel.
func (p *parser) marker(o *yamlfile.Object, key string, sel *string) {
	e, ok := o.ByKey[key]
	if !ok {
		return
	}
	if lo, ok := p.Object(e.Val, "session."+key, "selector"); ok {
		if e, ok := lo.ByKey["selector"]; ok {
			p.text(e.Val, "session."+key+".selector", key+".selector", sel)
		}
		p.Require(lo, "selector")
	}
}

func (p *parser) readStep(i int, n *yaml.Node) Step {
	st := Step{Index: i, Pos: p.Pos(n)}
	if d := yamlfile.Deref(n); d != nil && d.Kind == yaml.ScalarNode {
		// "- goto /login": the colon was forgotten.
		word, rest, _ := strings.Cut(strings.TrimSpace(d.Value), " ")
		hint := ""
		if slices.Contains(stepKeys, word) {
			switch {
			case rest != "":
				hint = word + ": " + strings.TrimSpace(rest)
			case word == string(KindRestart):
				hint = "restart: browser"
			case word == string(KindClearCookies):
				hint = "clearCookies: true"
			}
		}
		p.Errorf(n, "step", hint, "expected a mapping such as \"goto: /path\", got %s", yamlfile.Describe(n))
		return st
	}
	o, ok := p.Object(n, "step", stepKeys...)
	if !ok {
		return st
	}
	var kindEntries []yamlfile.Entry
	for _, e := range o.List {
		if !slices.Contains(commonKeys, e.Name) {
			kindEntries = append(kindEntries, e)
		}
	}
	if e, ok := o.ByKey["name"]; ok {
		st.Name, _ = p.Str(e.Val, "step.name")
	}
	if e, ok := o.ByKey["as"]; ok {
		st.As, _ = p.Enum(e.Val, "as", asValues...)
	}
	if e, ok := o.ByKey["timeout"]; ok {
		st.Timeout, _ = p.Duration(e.Val, "timeout", MaxStepDuration)
	}
	var inNode *yaml.Node
	if e, ok := o.ByKey["in"]; ok {
		inNode = e.Val
		if v, ok := p.Str(e.Val, "in"); ok {
			p.in(&st, e.Val, v)
		}
	}
	defer func() {
		switch st.Kind {
		case KindRestart, KindSetCookie, KindClearCookies, KindClose:
			if st.In != "" {
				p.Errorf(inNode, "in", "", "%s acts on the browser context, not on a window: it takes no in", st.Kind)
			}
		}
	}()
	switch len(kindEntries) {
	case 0:
		if !o.Mistyped(kindNames()...) {
			p.Errorf(n, "step", "", "missing an action: want one of %s", yamlfile.OneOf(kindNames()))
		}
		return st
	case 1:
	default:
		p.Errorf(kindEntries[1].Key, "step", "", "has two actions, %s and %s: give each its own step",
			kindEntries[0].Name, kindEntries[1].Name)
	}
	e := kindEntries[0]
	st.Kind = Kind(e.Name)
	p.action(&st, e.Val)
	return st
}

// in reads a step's in: a window (the tab, a popup), then the frames
// inside it, outermost first. A selector's position is the in's: a
// selector of a flow or quoted scalar does not start at a column of its
// own.
func (p *parser) in(st *Step, n *yaml.Node, v string) {
	parts := splitIn(strings.TrimSpace(v))
	first := parts[0]
	if !inValue.MatchString(first) {
		p.Errorf(n, "in", "", "%s, got %q", inWant, v)
		return
	}
	if len(parts) > 1 || strings.HasPrefix(first, "frame ") {
		if m := inWindowLater.FindString(v); m != "" {
			p.Errorf(n, "in", "", "a window comes first, frames after it (popup 1 > frame #login), got %q", v)
			return
		}
	}
	if strings.HasPrefix(first, "popup ") && strings.Contains(first, "${") {
		p.Errorf(n, "in", "", "a window's url= or title= is matched as written, with no ${...} in it (a part of the URL or title that does not change will do), got %q", v)
		return
	}
	var window string
	var frames []string
	if f, ok := strings.CutPrefix(first, "frame"); ok {
		frames = append(frames, strings.TrimSpace(f))
	} else if first != "tab" {
		window = first
	}
	for _, part := range parts[1:] {
		frames = append(frames, strings.TrimSpace(strings.TrimPrefix(part, "frame ")))
	}
	st.Frames = frames
	st.In = JoinIn(window, frames)
	for k := range frames {
		p.sc.pos[fieldKey{p.step, frameKey(k)}] = fieldInfo{pos: p.Pos(yamlfile.Deref(n)), where: "in.frame"}
	}
}

// splitIn cuts a step's in into its parts: the first as written, each
// later one "frame SELECTOR".
func splitIn(v string) []string {
	var parts []string
	for {
		loc := inSep.FindStringIndex(v)
		if loc == nil {
			return append(parts, v)
		}
		parts = append(parts, v[:loc[0]])
		v = "frame " + v[loc[1]:]
	}
}

// JoinIn writes a step's in from its window ("" for the tab, "popup",
// "popup N") and its frames' selectors, outermost first.
func JoinIn(window string, frames []string) string {
	parts := make([]string, 0, len(frames)+1)
	if window != "" {
		parts = append(parts, window)
	}
	for _, f := range frames {
		parts = append(parts, "frame "+f)
	}
	return strings.Join(parts, " > ")
}

// frameKey names the kth frame selector of a step's in, for positions
// and checks.
func frameKey(k int) string {
	if k == 0 {
		return "in.frame"
	}
	return "in.frame." + strconv.Itoa(k+1)
}

// action reads the value of a step's kind key.
func (p *parser) action(st *Step, v *yaml.Node) {
	kind := string(st.Kind)
	isScalar := false
	if d := yamlfile.Deref(v); d != nil && d.Kind == yaml.ScalarNode {
		isScalar = true
	}
	switch st.Kind {
	case KindGoto:
		p.text(v, kind, "url", &st.URL)
	case KindClick, KindSubmit:
		p.text(v, kind, "selector", &st.Selector)
	case KindFill:
		if o, ok := p.Object(v, kind, "selector", "value", "secret"); ok {
			p.textKey(o, "selector", &st.Selector)
			p.textKey(o, "value", &st.Value)
			if e, ok := o.ByKey["secret"]; ok {
				st.Secret, _ = p.Bool(e.Val, "fill.secret")
			}
			p.Require(o, "selector", "value")
		}
	case KindSelect:
		p.textForms(st, v, "", []string{"selector", "value"}, "selector", "value")
	case KindCheck:
		st.Checked = true
		if isScalar {
			p.text(v, kind, "selector", &st.Selector)
		} else if o, ok := p.Object(v, kind, "selector", "checked"); ok {
			p.textKey(o, "selector", &st.Selector)
			if e, ok := o.ByKey["checked"]; ok {
				if b, ok := p.Bool(e.Val, "check.checked"); ok {
					st.Checked = b
				}
			}
			p.Require(o, "selector")
		}
	case KindPress:
		p.textForms(st, v, "key", []string{"selector", "key"}, "key")
	case KindWait:
		if isScalar {
			if d, ok := p.Duration(v, kind, MaxStepDuration); ok {
				if d == 0 {
					p.Errorf(v, kind, "", "a wait needs a duration above zero")
				}
				st.Duration = d
			}
		} else if o, ok := p.Object(v, kind, "selector", "url", "popup"); ok {
			p.textKey(o, "selector", &st.Selector)
			p.textKey(o, "url", &st.URL)
			if e, ok := o.ByKey["popup"]; ok {
				if n, ok := p.Int(e.Val, "wait.popup"); ok {
					if n < 1 || n > maxPopupIndex {
						p.Errorf(e.Val, "wait.popup", "", "want the popup's number, from 1 to %d, got %d", maxPopupIndex, n)
					}
					st.Popup = n
				}
			}
			p.OneKey(o, "selector", "url", "popup")
		}
	case KindClose:
		if w, ok := p.Str(v, kind); ok {
			switch {
			case w == "tab":
				p.Errorf(v, kind, "", "the scenario's tab cannot be closed (a restart step ends the browser): want popup or popup N")
			case !inValue.MatchString(w) || strings.HasPrefix(w, "frame"):
				p.Errorf(v, kind, "", "want popup (the last window the journey opened) or popup N (the Nth, from 1), got %q", w)
			default:
				st.Window = w
			}
		}
	case KindEval:
		p.text(v, kind, "script", &st.Script)
	case KindSetCookie:
		p.setCookie(st, v)
	case KindClearCookies:
		p.clearCookies(st, v)
	case KindRestart:
		st.Restart, _ = p.Enum(v, kind, restarts...)
	case KindScreenshot:
		p.textForms(st, v, "path", []string{"path", "selector"}, "path")
	case KindExpect:
		st.Expect = p.expect(v)
	}
}

// textForms reads a step whose value is one text, standing for the key
// short (none: the step has no short form), or a mapping of the text
// keys, of which required must be given.
func (p *parser) textForms(st *Step, v *yaml.Node, short string, keys []string, required ...string) {
	kind := string(st.Kind)
	if d := yamlfile.Deref(v); short != "" && d != nil && d.Kind == yaml.ScalarNode {
		p.text(v, kind, short, st.textField(short))
		return
	}
	if o, ok := p.Object(v, kind, keys...); ok {
		for _, k := range keys {
			p.textKey(o, k, st.textField(k))
		}
		p.Require(o, required...)
	}
}

// textField is the field of the step's text key.
func (st *Step) textField(key string) *string {
	switch key {
	case "selector":
		return &st.Selector
	case "value":
		return &st.Value
	case "key":
		return &st.Key
	case "path":
		return &st.Path
	}
	panic("scenarios: no text key " + key)
}

// clearCookies reads the value of a clearCookies step: nothing or true
// (all cookies), or the name of one cookie.
func (p *parser) clearCookies(st *Step, v *yaml.Node) {
	kind := string(st.Kind)
	d := yamlfile.Deref(v)
	switch {
	case d != nil && d.Kind == yaml.ScalarNode && d.ShortTag() == "!!null":
		// "clearCookies:" with nothing reads naturally as "all".
	case d != nil && d.Kind == yaml.ScalarNode && d.ShortTag() == "!!bool":
		if b, _ := p.Bool(v, kind); !b {
			p.Errorf(v, kind, "", "false clears nothing: remove the step, or write true to clear all cookies")
		}
	case d != nil && d.Kind == yaml.MappingNode:
		if o, ok := p.Object(v, kind, "name"); ok {
			p.textKey(o, "name", &st.ClearName)
		}
	default:
		p.Errorf(v, kind, "", "expected {}, true or { name: COOKIE }, got %s", yamlfile.Describe(v))
	}
}

// textKey reads o's key as a substitutable string stored under the
// field key of the same name.
func (p *parser) textKey(o *yamlfile.Object, key string, dst *string) {
	p.textKeyAs(o, key, key, dst)
}

func (p *parser) textKeyAs(o *yamlfile.Object, key, field string, dst *string) {
	if e, ok := o.ByKey[key]; ok {
		p.text(e.Val, o.Where+"."+key, field, dst)
	}
}

func (p *parser) setCookie(st *Step, v *yaml.Node) {
	o, ok := p.Object(v, "setCookie", "name", "value", "url", "domain", "path",
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
	if e, ok := o.ByKey["secure"]; ok {
		c.Secure, _ = p.Bool(e.Val, "setCookie.secure")
	}
	if e, ok := o.ByKey["httpOnly"]; ok {
		c.HTTPOnly, _ = p.Bool(e.Val, "setCookie.httpOnly")
	}
	if e, ok := o.ByKey["secret"]; ok {
		c.Secret, _ = p.Bool(e.Val, "setCookie.secret")
	}
	if e, ok := o.ByKey["sameSite"]; ok {
		c.SameSite, _ = p.Enum(e.Val, "setCookie.sameSite", sameSites...)
	}
	if e, ok := o.ByKey["maxAge"]; ok {
		c.MaxAge, _ = p.Duration(e.Val, "setCookie.maxAge", MaxCookieAge)
	}
	p.Require(o, "name")
	st.Cookie = c
}

func (p *parser) expect(v *yaml.Node) *Expect {
	o, ok := p.Object(v, "expect", "url", "text", "session", "cookie")
	if !ok {
		return nil
	}
	x := &Expect{}
	if len(o.List) == 0 && o.Unknown == 0 {
		p.Errorf(o.Node, "expect", "", "needs at least one of url, text, session or cookie")
	}
	if e, ok := o.ByKey["url"]; ok {
		m := &Match{}
		if d := yamlfile.Deref(e.Val); d != nil && d.Kind == yaml.ScalarNode {
			p.text(e.Val, "expect.url", "expect.url.equals", &m.Equals)
		} else if uo, ok := p.Object(e.Val, "expect.url", "equals", "contains", "matches"); ok {
			p.textKeyAs(uo, "equals", "expect.url.equals", &m.Equals)
			p.textKeyAs(uo, "contains", "expect.url.contains", &m.Contains)
			p.textKeyAs(uo, "matches", "expect.url.matches", &m.Matches)
			p.OneKey(uo, "equals", "contains", "matches")
		}
		x.URL = m
	}
	if e, ok := o.ByKey["text"]; ok {
		if to, ok := p.Object(e.Val, "expect.text", "selector", "contains", "equals"); ok {
			t := &TextExpect{}
			p.textKeyAs(to, "selector", "expect.text.selector", &t.Selector)
			p.textKeyAs(to, "contains", "expect.text.contains", &t.Contains)
			p.textKeyAs(to, "equals", "expect.text.equals", &t.Equals)
			p.Require(to, "selector")
			p.OneKey(to, "contains", "equals")
			x.Text = t
		}
	}
	if e, ok := o.ByKey["session"]; ok {
		x.Session, _ = p.Enum(e.Val, "expect.session", sessionVals...)
	}
	if e, ok := o.ByKey["cookie"]; ok {
		co, ok := p.Object(e.Val, "expect.cookie", "name", "present", "secure", "httpOnly",
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
				if e, ok := co.ByKey[f.key]; ok {
					*f.dst = p.BoolPtr(e.Val, "expect.cookie."+f.key)
				}
			}
			if e, ok := co.ByKey["sameSite"]; ok {
				c.SameSite, _ = p.Enum(e.Val, "expect.cookie.sameSite", sameSites...)
			}
			p.Require(co, "name")
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
