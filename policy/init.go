package policy

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// Init writes a baseline policy from the recordings of a good run: one
// entry per cookie name the site set, session IDs first, each with the
// clauses the run shows it keeps (flags, SameSite as a minimum, a lifetime
// rounded up, the prefix, rotation at login and death at logout), and
// comments saying what was observed, for the user to edit. rep is the
// analysis of recs (nil analyses them); source names the run in the
// header. Check of the same recordings against the result reports
// nothing.
func Init(recs []*recording.Recording, rep *analysis.Report, source string) ([]byte, error) {
	recs = slices.DeleteFunc(slices.Clone(recs), func(r *recording.Recording) bool { return r == nil })
	if len(recs) == 0 {
		return nil, errors.New("no recordings to make a baseline from")
	}
	if rep == nil {
		rep = analysis.AnalyzeAll(recs)
	}
	obs := map[string]*observed{}
	var names []string
	get := func(name string) *observed {
		o := obs[name]
		if o == nil {
			o = &observed{name: name, secure: true, httpOnly: true, hostOnly: true, sameSite: 3, domains: map[string]bool{}}
			obs[name] = o
			names = append(names, name)
		}
		return o
	}
	var scenarios []string
	for _, rec := range recs {
		scenarios = append(scenarios, rec.Scenario.Name)
		c := &checker{rec: rec}
		for _, s := range rep.Sessions {
			if s.Scenario == rec.Scenario.Name {
				c.sessions = append(c.sessions, s)
				get(s.Cookie).detection = s.Detection
			}
		}
		sightings := observe(rec)
		for i := range sightings {
			get(sightings[i].key.Name).add(&sightings[i])
		}
		inRec := map[string]bool{}
		for _, k := range identities(rec, sightings) {
			o := obs[k.Name]
			if o == nil {
				continue // only planted by the scenario: not the site's
			}
			if !inRec[k.Name] {
				inRec[k.Name] = true
				o.recordings++
			}
			o.countBoundaries(c, k)
		}
	}
	var list []*observed
	for _, n := range names {
		if o := obs[n]; o.sightings > 0 {
			list = append(list, o)
		}
	}
	// Session IDs first, then by name.
	slices.SortStableFunc(list, func(a, b *observed) int {
		if (a.detection != "") != (b.detection != "") {
			if a.detection != "" {
				return -1
			}
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
	var b bytes.Buffer
	writeHeader(&b, source, scenarios)
	if len(list) == 0 {
		b.WriteString("cookies: []   # the run set no cookies\n")
	} else {
		b.WriteString("cookies:\n")
	}
	for _, o := range list {
		o.write(&b, len(recs))
	}
	return b.Bytes(), nil
}

// countBoundaries counts, at each login and logout step of c's
// recording where cookie k was held, whether the value was kept (and at a
// logout, what the replay probe found).
func (o *observed) countBoundaries(c *checker, k recording.CookieKey) {
	for _, st := range c.boundaries("login") {
		if x := c.across(k, st); x.held {
			o.logins.count(!x.kept)
		}
	}
	for _, st := range c.boundaries("logout") {
		if x := c.across(k, st); x.held {
			o.logouts.count(!x.kept)
			if p := c.rec.Probe; p != nil && p.Error == "" {
				o.probes.count(!p.LoggedIn)
			}
		}
	}
}

// tally counts how often a run showed a behaviour, and how often not.
type tally struct{ yes, no int }

func (t *tally) count(ok bool) {
	if ok {
		t.yes++
	} else {
		t.no++
	}
}

// observed is what a run showed of one cookie name.
type observed struct {
	name       string
	detection  string // why the analysis takes it for a session ID; "" if it does not
	recordings int    // how many recordings hold it
	sightings  int
	domains    map[string]bool

	secure, httpOnly, hostOnly bool // on every sighting
	sameSite                   int  // the lowest rank seen (0: unset)
	sameSiteSeen               []string
	persistent                 bool // some sighting had a lifetime
	longest                    time.Duration

	logins, logouts, probes tally
}

func (o *observed) add(s *sighting) {
	o.sightings++
	o.domains[strings.TrimPrefix(s.key.Domain, ".")] = true
	o.secure = o.secure && s.secure
	o.httpOnly = o.httpOnly && s.httpOnly
	o.hostOnly = o.hostOnly && s.hostOnly
	v := recording.SameSiteMode(s.sameSite)
	o.sameSite = min(o.sameSite, sameSiteRank(v))
	if v == "" {
		v = "unset"
	}
	if !slices.Contains(o.sameSiteSeen, v) {
		o.sameSiteSeen = append(o.sameSiteSeen, v)
	}
	if s.persistent {
		o.persistent = true
		o.longest = max(o.longest, s.lifetime)
	}
}

func writeHeader(b *bytes.Buffer, source string, scenarios []string) {
	fmt.Fprintf(b, "# sessiontrace cookie policy (docs/policy.md describes every key).\n")
	from := fmt.Sprintf("%d recording", len(scenarios))
	if len(scenarios) != 1 {
		from += "s"
	}
	if source != "" {
		from = source + ", " + from
	}
	shown := scenarios
	if len(shown) > 4 {
		shown = append(slices.Clone(shown[:4]), fmt.Sprintf("and %d more", len(scenarios)-4))
	}
	fmt.Fprintf(b, "# Baseline written by \"sessiontrace policy init\" from %s:\n", from)
	for _, s := range shown {
		fmt.Fprintf(b, "#   %s\n", oneLine(s))
	}
	b.WriteString(`# Every clause is what that run showed. Tighten what is weaker than you want,
# delete what may change, then check runs with
#   sessiontrace run --policy FILE ...   or   sessiontrace audit --policy FILE RUN
`)
	writeFields(b, "", []field{
		{"version", fmt.Sprint(Version), ""},
		{"severity", "high", "of every violation, unless an entry sets its own"},
		{"unknownCookies", UnknownReport, "a cookie no entry names is a violation (allow: ignore them)"},
	})
}

// field is one line of the output: key, value and a comment.
type field struct{ key, value, comment string }

// writeFields writes key: value lines with their comments aligned.
func writeFields(b *bytes.Buffer, indent string, fs []field) {
	width := 0
	for _, f := range fs {
		width = max(width, len(f.key)+2+len(f.value))
	}
	for _, f := range fs {
		line := indent + f.key + ": " + f.value
		if f.comment != "" {
			line += strings.Repeat(" ", width-len(f.key)-2-len(f.value)) + "  # " + f.comment
		}
		b.WriteString(line + "\n")
	}
}

func (o *observed) write(b *bytes.Buffer, recordings int) {
	var domains []string
	for d := range o.domains {
		domains = append(domains, d)
	}
	slices.Sort(domains)
	if len(domains) > 3 {
		domains = append(domains[:3], "...")
	}
	fmt.Fprintf(b, "\n  # %s: set %s on %s", oneLine(o.name), times(o.sightings), strings.Join(domains, ", "))
	if o.detection != "" {
		fmt.Fprintf(b, "; a session ID: %s", oneLine(o.detection))
	}
	b.WriteString("\n")
	fs := []field{{"name", yamlString(escapeGlob(o.name)), ""}}
	if o.recordings == recordings {
		fs = append(fs, field{"required", "true", "seen in every recording of the baseline"})
	}
	flag := func(key string, ok bool, why string) {
		if ok {
			fs = append(fs, field{key, "true", ""})
		} else {
			fs = append(fs, field{key, "false", why})
		}
	}
	flag("secure", o.secure, "set without Secure; true would require it")
	flag("httpOnly", o.httpOnly, "set without HttpOnly; true would require it")
	seen := "observed: " + strings.Join(o.sameSiteSeen, ", ")
	if o.sameSite > 0 { // an unset SameSite ranks below every clause: a comment says so below
		fs = append(fs, field{"sameSite", "at-least-" + strings.ToLower([]string{"", "None", "Lax", "Strict"}[o.sameSite]), seen})
	}
	if o.persistent {
		fs = append(fs, field{"maxLifetime", formatLifetime(roundUpLifetime(o.longest)),
			"longest seen: " + formatLifetime(max(o.longest.Round(time.Second), 0))})
	} else {
		fs = append(fs, field{"session", "true", "never given Expires or Max-Age"})
	}
	flag("hostOnly", o.hostOnly, "set with a Domain attribute; true would forbid it")
	if p := recording.CookiePrefix(o.name); p != "" {
		fs = append(fs, field{"prefix", p, ""})
	}
	if o.detection != "" {
		fs = append(fs, o.boundary("rotateAtLogin", o.logins, tally{}, "login"))
		fs = append(fs, o.boundary("dieAtLogout", o.logouts, o.probes, "logout"))
	}
	fs = slices.DeleteFunc(fs, func(f field) bool { return f.key == "" })
	// The list item's dash goes on the first line.
	var item bytes.Buffer
	writeFields(&item, "    ", fs)
	text := item.String()
	b.WriteString("  - " + strings.TrimPrefix(text, "    "))
	if o.sameSite == 0 {
		fmt.Fprintf(b, "    # sameSite: set without SameSite (or with an unknown value), which browsers read differently; add a clause once it is set\n")
	}
}

// boundary writes rotateAtLogin or dieAtLogout when the run shows the
// behaviour at every step concerned (and, for logout, the replay probe
// agrees), a commented-out clause when it shows the opposite, and
// nothing when the run has no such step.
func (o *observed) boundary(key string, steps, probes tally, as string) field {
	switch {
	case steps.yes+steps.no == 0:
		return field{}
	case steps.no == 0 && probes.no == 0:
		did := map[string]string{"login": "a new value at", "logout": "gone after"}[as]
		c := fmt.Sprintf("%s the %s step", did, as)
		if steps.yes > 1 {
			c = fmt.Sprintf("%s each of %d %s steps", did, steps.yes, as)
		}
		if probes.yes > 0 {
			c += "; the logout replay probe found the session ended"
		}
		return field{key, "true", c}
	case steps.no > 0 && as == "login":
		return field{key, "false", fmt.Sprintf("the value was kept across %d of %d login steps; true would require a new one", steps.no, steps.yes+steps.no)}
	case steps.no > 0:
		return field{key, "false", fmt.Sprintf("the value was still held after %d of %d logout steps; true would require it gone", steps.no, steps.yes+steps.no)}
	}
	return field{key, "false", "the logout replay probe found the session still valid; true would require it ended"}
}

func times(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

// oneLine keeps a name from breaking out of a comment line.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 {
			return ' '
		}
		return r
	}, s)
}

// escapeGlob makes a cookie name match only itself.
func escapeGlob(name string) string {
	var b strings.Builder
	for _, r := range name {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

var plainScalar = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.\-]*$`)

// yamlString writes s as a YAML scalar: plain when that reads back as the
// same string, double-quoted otherwise (strconv's escapes are YAML's).
func yamlString(s string) string {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~":
	default:
		if plainScalar.MatchString(s) {
			return s
		}
	}
	return fmt.Sprintf("%q", s)
}
