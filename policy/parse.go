package policy

import (
	"fmt"
	"os"
	"path"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sessiontrace/sessiontrace/analysis"
)

// The keys of a policy file, in the order the documentation lists them.
var (
	topKeys   = []string{"version", "severity", "unknownCookies", "unknownSeverity", "cookies"}
	entryKeys = []string{"name", "domain", "scenarios", "severity", "note", "required", "forbidden",
		"secure", "httpOnly", "sameSite", "session", "maxLifetime", "hostOnly", "prefix", "rotateAtLogin", "dieAtLogout"}
	prefixes   = []string{"__Host-", "__Secure-"}
	severities = []string{"critical", "high", "medium", "low", "info"}
)

// maxFileSize bounds what Load reads: a policy is a page of YAML, and a
// clear refusal beats reading a wrong, huge file.
const maxFileSize = 4 << 20

// Load reads and parses the policy file at path.
func Load(path string) (*Policy, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, ErrorList{{Pos: Pos{File: path}, Msg: unwrapPathError(err)}}
	}
	if info.IsDir() {
		return nil, ErrorList{{Pos: Pos{File: path}, Msg: "is a folder, not a policy file"}}
	}
	if info.Size() > maxFileSize {
		return nil, ErrorList{{Pos: Pos{File: path}, Msg: fmt.Sprintf("%d bytes is too large for a policy file", info.Size())}}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, ErrorList{{Pos: Pos{File: path}, Msg: unwrapPathError(err)}}
	}
	return Parse(path, data)
}

func unwrapPathError(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// Parse parses and validates a policy file; name names it in positions and
// in the violations the policy reports. On failure the error is an
// ErrorList holding every problem found, and the Policy is nil: a
// half-understood policy would pass what it should fail.
func Parse(name string, data []byte) (*Policy, error) {
	r := &reader{file: name}
	root := r.document(data)
	if root == nil {
		return nil, r.errs.Err()
	}
	p := r.policy(root)
	if err := r.errs.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

func (r *reader) policy(root *yaml.Node) *Policy {
	p := &Policy{File: r.file, Severity: analysis.High, UnknownCookies: UnknownAllow}
	o, ok := r.object(root, "", topKeys...)
	if !ok {
		return p
	}
	if !o.has("version") && !o.hinted["version"] {
		r.errorf(o.node, "", "", "missing \"version: %d\" (the format version this file is written for)", Version)
	}
	for _, e := range o.list {
		switch e.name {
		case "version":
			r.version(e.val, p)
		case "severity":
			if s, ok := r.severity(e.val, e.name); ok {
				p.Severity = s
			}
		case "unknownSeverity":
			if s, ok := r.severity(e.val, e.name); ok {
				p.UnknownSeverity = s
			}
		case "unknownCookies":
			if s, ok := r.enum(e.val, e.name, UnknownAllow, UnknownReport); ok {
				p.UnknownCookies = s
				p.unknownPos = r.pos(e.key)
			}
		case "cookies":
			items, ok := r.items(e.val, e.name)
			if !ok {
				continue
			}
			for _, item := range items {
				if en := r.entry(item); en != nil {
					p.Cookies = append(p.Cookies, en)
				}
			}
		}
	}
	return p
}

func (r *reader) version(n *yaml.Node, p *Policy) {
	s := deref(n)
	if s == nil || s.Kind != yaml.ScalarNode || s.ShortTag() != "!!int" {
		r.errorf(n, "version", "", "expected the number %d, got %s", Version, describe(n))
		return
	}
	if strings.TrimSpace(s.Value) != fmt.Sprint(Version) {
		r.errorf(n, "version", "", "this sessiontrace reads version %d files, not %s; a newer sessiontrace may read it", Version, quote(s.Value))
		return
	}
	p.Version = Version
}

func (r *reader) severity(n *yaml.Node, where string) (analysis.Severity, bool) {
	s, ok := r.enum(n, where, severities...)
	if !ok {
		return "", false
	}
	sev, err := analysis.ParseSeverity(s)
	return sev, err == nil
}

// entry reads one item of cookies; nil when it is not a mapping.
func (r *reader) entry(n *yaml.Node) *Entry {
	o, ok := r.object(n, "cookie", entryKeys...)
	if !ok {
		return nil
	}
	e := &Entry{Pos: r.pos(o.node), clauses: map[string]Pos{}}
	if !o.has("name") && !o.hinted["name"] {
		r.errorf(o.node, "cookie", "", "missing \"name\" (a cookie name or a glob such as \"_ga*\")")
	}
	for _, kv := range o.list {
		e.clauses[kv.name] = r.pos(kv.key)
		v := kv.val
		var flag *bool
		switch kv.name {
		case "name":
			e.Name = r.name(v)
		case "domain":
			e.Domain = r.domain(v)
		case "scenarios":
			e.Scenarios = r.globs(v, kv.name)
		case "severity":
			e.Severity, _ = r.severity(v, kv.name)
		case "note":
			e.Note, _ = r.str(v, kv.name)
		case "required":
			flag = &e.Required
		case "forbidden":
			flag = &e.Forbidden
		case "secure":
			flag = &e.Secure
		case "httpOnly":
			flag = &e.HTTPOnly
		case "session":
			flag = &e.Session
		case "hostOnly":
			flag = &e.HostOnly
		case "rotateAtLogin":
			flag = &e.RotateAtLogin
		case "dieAtLogout":
			flag = &e.DieAtLogout
		case "sameSite":
			if s, ok := r.enum(v, kv.name, sameSiteClauses...); ok {
				e.SameSite = parseSameSite(s)
			}
		case "maxLifetime":
			e.MaxLifetime = r.lifetime(v)
		case "prefix":
			e.Prefix, _ = r.enum(v, kv.name, prefixes...)
		}
		if flag != nil {
			*flag, _ = r.boolean(v, kv.name)
		}
	}
	if e.Forbidden && e.Required {
		r.add(e.clausePos("forbidden"), "forbidden: a cookie cannot be both forbidden and required", "")
	}
	return e
}

// name reads a cookie name or glob.
func (r *reader) name(n *yaml.Node) string {
	s, ok := r.str(n, "name")
	if !ok {
		return ""
	}
	switch {
	case s == "":
		r.errorf(n, "name", "", "empty cookie name")
	case strings.ContainsAny(s, " \t\r\n;=,\""):
		r.errorf(n, "name", "", "%s is not a cookie name: names hold no spaces, quotes, commas, semicolons or =", quote(s))
	case !validGlob(s):
		r.errorf(n, "name", "", "bad glob %s: check its [ ] and trailing \\ (a literal * is written \\*)", quote(s))
	default:
		return s
	}
	return ""
}

// domain reads a domain glob; a leading dot is dropped, since entries
// match domain and host-only cookies alike.
func (r *reader) domain(n *yaml.Node) string {
	s, ok := r.str(n, "domain")
	if !ok {
		return ""
	}
	d := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "."))
	switch {
	case d == "":
		r.errorf(n, "domain", "", "empty domain: leave the key out to match every domain")
	case strings.ContainsAny(d, "/: "):
		hint := ""
		if h := hostOf(s); h != "" {
			hint = h
		}
		r.errorf(n, "domain", hint, "%s is not a domain name: write the host, like example.com or *.example.com", quote(s))
	case !validGlob(d):
		r.errorf(n, "domain", "", "bad glob %s", quote(s))
	default:
		return d
	}
	return ""
}

// globs reads a list of globs, or a single one.
func (r *reader) globs(n *yaml.Node, where string) []string {
	var nodes []*yaml.Node
	if d := deref(n); d != nil && d.Kind == yaml.SequenceNode {
		nodes, _ = r.items(n, where)
	} else {
		nodes = []*yaml.Node{n}
	}
	var out []string
	for _, item := range nodes {
		s, ok := r.str(item, where)
		switch {
		case !ok:
		case !validGlob(s):
			r.errorf(item, where, "", "bad glob %s: check its [ ] and trailing \\", quote(s))
		default:
			out = append(out, s)
		}
	}
	return out
}

func (r *reader) lifetime(n *yaml.Node) time.Duration {
	s := deref(n)
	if s == nil || s.Kind != yaml.ScalarNode || s.ShortTag() == "!!null" {
		r.errorf(n, "maxLifetime", "", "expected a duration like 30d, 12h or 15m, got %s", describe(n))
		return 0
	}
	d, err := parseLifetime(s.Value)
	if err != nil {
		hint := ""
		if s.ShortTag() == "!!int" {
			hint = strings.TrimSpace(s.Value) + "s"
		}
		r.errorf(n, "maxLifetime", hint, "expected a duration like 30d, 12h or 15m, got %s (%v)", quote(s.Value), err)
		return 0
	}
	if d < time.Second {
		r.errorf(n, "maxLifetime", "", "cookie lifetimes count in seconds: want at least 1s; for a cookie that must not persist, write \"session: true\"")
		return 0
	}
	return d
}

// validGlob reports whether path.Match accepts the pattern.
func validGlob(s string) bool {
	_, err := path.Match(s, "")
	return err == nil
}
