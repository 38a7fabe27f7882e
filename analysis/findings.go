package analysis

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// collector gathers the findings of one recording, de-duplicated per rule
// and cookie identity (SESSION-RESET: one per reset). A duplicate counts
// towards the kept finding; a worse one takes its place.
type collector struct {
	scenario, file string
	kept           []keptFinding // in the order their keys were first seen
	byKey          map[string]int
	n              int
	buf            []byte // a key being looked up
}

type keptFinding struct {
	f      Finding
	others []int // steps of the other occurrences
}

func newCollector(scenario, file string) *collector {
	return &collector{scenario: scenario, file: file, byKey: map[string]int{}}
}

// add records f. identity names what the finding is de-duplicated on
// besides the rule; "" means the cookie identity of f (or nothing).
func (c *collector) add(f Finding, identity string) {
	if identity == "" && f.Cookie != "" {
		identity = f.Cookie + "|" + f.Domain + "|" + f.Path
	}
	key := f.Rule + "\x00" + identity
	if f.Rule == RuleSessionReset {
		c.n++
		key += "\x00" + strconv.Itoa(c.n)
	}
	i, ok := c.byKey[key]
	if !ok {
		c.byKey[key] = len(c.kept)
		c.kept = append(c.kept, keptFinding{})
		c.put(&c.kept[len(c.kept)-1], f)
		return
	}
	if !c.counted(&c.kept[i], f.Severity, f.Step) {
		c.put(&c.kept[i], f)
	}
}

// cookieSlot is add, in two steps, for a finding on the cookie identity
// (cookie, domain, path) whose text costs: it counts an occurrence that
// repeats the kept finding and returns -1, or returns the index of kept
// where the caller must put the finding (a new one, or a worse
// occurrence), so that its text is made only then. Most Set-Cookie
// findings repeat one already kept, and their messages were a tenth of
// the analysis.
func (c *collector) cookieSlot(rule string, sev Severity, step int, cookie, domain, path string) int {
	c.buf = append(c.buf[:0], rule...)
	c.buf = append(c.buf, 0)
	if cookie != "" {
		c.buf = append(c.buf, cookie...)
		c.buf = append(c.buf, '|')
		c.buf = append(c.buf, domain...)
		c.buf = append(c.buf, '|')
		c.buf = append(c.buf, path...)
	}
	i, ok := c.byKey[string(c.buf)]
	if ok && c.counted(&c.kept[i], sev, step) {
		return -1
	}
	if !ok {
		i = len(c.kept)
		c.byKey[string(c.buf)] = i
		c.kept = append(c.kept, keptFinding{})
	}
	return i
}

// counted counts an occurrence of severity sev at step towards the kept
// finding k and reports true, or reports false when the occurrence is
// worse (or as bad and earlier) and must take k's place.
func (c *collector) counted(k *keptFinding, sev Severity, step int) bool {
	old := &k.f
	if sev.rank() > old.Severity.rank() || sev == old.Severity && step < old.Step {
		return false
	}
	old.Count++
	k.others = append(k.others, step)
	return true
}

// put makes f the kept finding of k (new when k has none).
func (c *collector) put(k *keptFinding, f Finding) {
	f.Scenario, f.File = c.scenario, c.file
	if r := RuleByID(f.Rule); r != nil && f.Remediation == "" {
		f.Remediation = r.Remediation
	}
	f.Count = 1
	if k.f.Count > 0 {
		k.others = append(k.others, k.f.Step)
		f.Count = k.f.Count + 1
	}
	k.f = f
}

func (c *collector) list() []Finding {
	out := make([]Finding, 0, len(c.kept))
	for _, k := range c.kept {
		f := k.f
		if f.Count > 1 {
			steps := uniqueInts(k.others)
			more := fmt.Sprintf("%d occurrences; the others at %s %s", f.Count, plural(len(steps), "step", "steps"), joinInts(steps))
			if f.Evidence != "" {
				f.Evidence += " (" + more + ")"
			} else {
				f.Evidence = more
			}
		}
		out = append(out, f)
	}
	return out
}

func uniqueInts(xs []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Ints(out)
	return out
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}
