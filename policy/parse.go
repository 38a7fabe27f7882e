package policy

import (
	"fmt"
	"os"
	"path"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/yamlfile"
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
	r := &reader{&yamlfile.Reader{File: name}}
	return yamlfile.Read(r.Reader, data,
		"empty file: a policy needs at least \"version: 1\"",
		"a policy file holds one YAML document; remove this one or move it to a file of its own",
		r.policy)
}

// reader reads a policy; yamlfile.Reader reads the YAML under it.
type reader struct {
	*yamlfile.Reader
}

func (r *reader) policy(root *yaml.Node) *Policy {
	p := &Policy{File: r.File, Severity: analysis.High, UnknownCookies: UnknownAllow}
	o, ok := r.Object(root, "", topKeys...)
	if !ok {
		return p
	}
	if !o.Has("version") && !o.Mistyped("version") {
		r.Errorf(o.Node, "", "", "missing \"version: %d\" (the format version this file is written for)", Version)
	}
	for _, e := range o.List {
		switch e.Name {
		case "version":
			r.version(e.Val, p)
		case "severity":
			if s, ok := r.severity(e.Val, e.Name); ok {
				p.Severity = s
			}
		case "unknownSeverity":
			if s, ok := r.severity(e.Val, e.Name); ok {
				p.UnknownSeverity = s
			}
		case "unknownCookies":
			if s, ok := r.EnumFold(e.Val, e.Name, UnknownAllow, UnknownReport); ok {
				p.UnknownCookies = s
				p.unknownPos = r.Pos(e.Key)
			}
		case "cookies":
			items, ok := r.Items(e.Val, e.Name)
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
	s := yamlfile.Deref(n)
	if s == nil || s.Kind != yaml.ScalarNode || s.ShortTag() != "!!int" {
		r.Errorf(n, "version", "", "expected the number %d, got %s", Version, yamlfile.Describe(n))
		return
	}
	if strings.TrimSpace(s.Value) != fmt.Sprint(Version) {
		r.Errorf(n, "version", "", "this sessiontrace reads version %d files, not %s; a newer sessiontrace may read it", Version, yamlfile.Quote(s.Value))
		return
	}
	p.Version = Version
}

func (r *reader) severity(n *yaml.Node, where string) (analysis.Severity, bool) {
	s, ok := r.EnumFold(n, where, severities...)
	if !ok {
		return "", false
	}
	sev, err := analysis.ParseSeverity(s)
	return sev, err == nil
}

// entry reads one item of cookies; nil when it is not a mapping.
func (r *reader) entry(n *yaml.Node) *Entry {
	o, ok := r.Object(n, "cookie", entryKeys...)
	if !ok {
		return nil
	}
	e := &Entry{Pos: r.Pos(o.Node), clauses: map[string]Pos{}}
	// The clauses that are plain true or false.
	flags := map[string]*bool{"required": &e.Required, "forbidden": &e.Forbidden, "secure": &e.Secure, "httpOnly": &e.HTTPOnly,
		"session": &e.Session, "hostOnly": &e.HostOnly, "rotateAtLogin": &e.RotateAtLogin, "dieAtLogout": &e.DieAtLogout}
	if !o.Has("name") && !o.Mistyped("name") {
		r.Errorf(o.Node, "cookie", "", "missing \"name\" (a cookie name or a glob such as \"_ga*\")")
	}
	for _, kv := range o.List {
		e.clauses[kv.Name] = r.Pos(kv.Key)
		v := kv.Val
		if flag := flags[kv.Name]; flag != nil {
			*flag, _ = r.Bool(v, kv.Name)
			continue
		}
		switch kv.Name {
		case "name":
			e.Name = r.name(v)
		case "domain":
			e.Domain = r.domain(v)
		case "scenarios":
			e.Scenarios = r.globs(v, kv.Name)
		case "severity":
			e.Severity, _ = r.severity(v, kv.Name)
		case "note":
			e.Note, _ = r.Str(v, kv.Name)
		case "sameSite":
			if s, ok := r.EnumFold(v, kv.Name, sameSiteClauses...); ok {
				e.SameSite = parseSameSite(s)
			}
		case "maxLifetime":
			e.MaxLifetime = r.lifetime(v)
		case "prefix":
			e.Prefix, _ = r.EnumFold(v, kv.Name, prefixes...)
		}
	}
	if e.Forbidden && e.Required {
		r.Add(e.clausePos("forbidden"), "forbidden: a cookie cannot be both forbidden and required", "")
	}
	return e
}

// name reads a cookie name or glob.
func (r *reader) name(n *yaml.Node) string {
	s, ok := r.Str(n, "name")
	if !ok {
		return ""
	}
	switch {
	case s == "":
		r.Errorf(n, "name", "", "empty cookie name")
	case strings.ContainsAny(s, " \t\r\n;=,\""):
		r.Errorf(n, "name", "", "%s is not a cookie name: names hold no spaces, quotes, commas, semicolons or =", yamlfile.Quote(s))
	case !validGlob(s):
		r.Errorf(n, "name", "", "bad glob %s: check its [ ] and trailing \\ (a literal * is written \\*)", yamlfile.Quote(s))
	default:
		return s
	}
	return ""
}

// domain reads a domain glob; a leading dot is dropped, since entries
// match domain and host-only cookies alike.
func (r *reader) domain(n *yaml.Node) string {
	s, ok := r.Str(n, "domain")
	if !ok {
		return ""
	}
	d := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "."))
	switch {
	case d == "":
		r.Errorf(n, "domain", "", "empty domain: leave the key out to match every domain")
	case strings.ContainsAny(d, "/: "):
		hint := ""
		if h := hostOf(s); h != "" {
			hint = h
		}
		r.Errorf(n, "domain", hint, "%s is not a domain name: write the host, like example.com or *.example.com", yamlfile.Quote(s))
	case !validGlob(d):
		r.Errorf(n, "domain", "", "bad glob %s", yamlfile.Quote(s))
	default:
		return d
	}
	return ""
}

// globs reads a list of globs, or a single one.
func (r *reader) globs(n *yaml.Node, where string) []string {
	var nodes []*yaml.Node
	if d := yamlfile.Deref(n); d != nil && d.Kind == yaml.SequenceNode {
		nodes, _ = r.Items(n, where)
	} else {
		nodes = []*yaml.Node{n}
	}
	var out []string
	for _, item := range nodes {
		s, ok := r.Str(item, where)
		switch {
		case !ok:
		case !validGlob(s):
			r.Errorf(item, where, "", "bad glob %s: check its [ ] and trailing \\", yamlfile.Quote(s))
		default:
			out = append(out, s)
		}
	}
	return out
}

func (r *reader) lifetime(n *yaml.Node) time.Duration {
	s := yamlfile.Deref(n)
	if s == nil || s.Kind != yaml.ScalarNode || s.ShortTag() == "!!null" {
		r.Errorf(n, "maxLifetime", "", "expected a duration like 30d, 12h or 15m, got %s", yamlfile.Describe(n))
		return 0
	}
	d, err := parseLifetime(s.Value)
	if err != nil {
		hint := ""
		if s.ShortTag() == "!!int" {
			hint = strings.TrimSpace(s.Value) + "s"
		}
		r.Errorf(n, "maxLifetime", hint, "expected a duration like 30d, 12h or 15m, got %s (%v)", yamlfile.Quote(s.Value), err)
		return 0
	}
	if d < time.Second {
		r.Errorf(n, "maxLifetime", "", "cookie lifetimes count in seconds: want at least 1s; for a cookie that must not persist, write \"session: true\"")
		return 0
	}
	return d
}

// validGlob reports whether path.Match accepts the pattern.
func validGlob(s string) bool {
	_, err := path.Match(s, "")
	return err == nil
}
