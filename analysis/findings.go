package analysis

import (
	"fmt"
	"sort"
	"strings"
)

// collector gathers the findings of one recording, de-duplicated per rule
// and cookie identity (SESSION-RESET: one per reset). A duplicate counts
// towards the kept finding; a worse one takes its place.
type collector struct {
	scenario, file string
	order          []string
	byKey          map[string]*Finding
	others         map[string][]int // steps of the other occurrences
	n              int
}

func newCollector(scenario, file string) *collector {
	return &collector{scenario: scenario, file: file, byKey: map[string]*Finding{}, others: map[string][]int{}}
}

// add records f. identity names what the finding is de-duplicated on
// besides the rule; "" means the cookie identity of f (or nothing).
func (c *collector) add(f Finding, identity string) {
	f.Scenario, f.File = c.scenario, c.file
	if r := RuleByID(f.Rule); r != nil && f.Remediation == "" {
		f.Remediation = r.Remediation
	}
	if identity == "" && f.Cookie != "" {
		identity = f.Cookie + "|" + f.Domain + "|" + f.Path
	}
	key := f.Rule + "\x00" + identity
	if f.Rule == RuleSessionReset {
		c.n++
		key += fmt.Sprint("\x00", c.n)
	}
	old, ok := c.byKey[key]
	if !ok {
		f.Count = 1
		c.byKey[key] = &f
		c.order = append(c.order, key)
		return
	}
	if f.Severity.rank() > old.Severity.rank() || f.Severity == old.Severity && f.Step < old.Step {
		c.others[key] = append(c.others[key], old.Step)
		f.Count = old.Count + 1
		*old = f
		return
	}
	old.Count++
	c.others[key] = append(c.others[key], f.Step)
}

func (c *collector) list() []Finding {
	out := make([]Finding, 0, len(c.order))
	for _, k := range c.order {
		f := *c.byKey[k]
		if f.Count > 1 {
			steps := uniqueInts(c.others[k])
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
