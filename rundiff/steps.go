package rundiff

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/sessiontrace/sessiontrace/recording"
)

// A stepRange says which steps of a scenario ran in each run. Only the
// steps that ran in both are compared: a step B skipped after a failure
// says nothing about what B's site does there.
type stepRange struct {
	a, b       *recording.Recording
	ranA, ranB map[int]bool
}

func compareSteps(a, b *recording.Recording) stepRange {
	return stepRange{a: a, b: b, ranA: ranSteps(a), ranB: ranSteps(b)}
}

func ranSteps(r *recording.Recording) map[int]bool {
	ran := make(map[int]bool, len(r.Steps))
	for _, st := range r.Steps {
		ran[st.Index] = st.Status != recording.StatusSkipped
	}
	return ran
}

// both reports whether step i ran in both runs.
func (s stepRange) both(i int) bool { return s.ranA[i] && s.ranB[i] }

// notes says which steps were not compared, and whether the runs' steps
// line up at all.
func (s stepRange) notes() []string {
	var out []string
	onlyIn := func(this, other map[int]bool, r *recording.Recording, name, otherName string, otherRec *recording.Recording) {
		var idx []int
		for i, ran := range this {
			if ran && !other[i] {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			return
		}
		sort.Ints(idx)
		n := fmt.Sprintf("%s ran only in %s", plural(len(idx), "step", "steps")+" "+ranges(idx), name)
		if why := stopReason(otherRec); why != "" {
			n += " (" + otherName + " " + why + ")"
		}
		n += ": what happened there is not compared"
		var marked []string
		for _, i := range idx {
			if st := stepAt(r, i); st != nil && st.As != "" {
				marked = append(marked, fmt.Sprintf("the %s step %d", st.As, i))
			}
		}
		if len(marked) > 0 {
			n += ", including " + strings.Join(marked, " and ")
		}
		out = append(out, n)
	}
	onlyIn(s.ranA, s.ranB, s.a, "A", "B", s.b)
	onlyIn(s.ranB, s.ranA, s.b, "B", "A", s.a)
	if d := stepsDiffer(s.a, s.b); d != "" {
		out = append(out, "the scenario's steps differ between the runs ("+d+"): steps are compared by index")
	}
	return out
}

// stopReason says why a run did not run all its steps, if it did not.
func stopReason(r *recording.Recording) string {
	switch r.Status {
	case recording.StatusPassed:
		return ""
	case recording.StatusFailed:
		if f := failedStep(r); f != "none" {
			return "failed at step " + f
		}
		return "failed"
	}
	if f := failedStep(r); f != "none" {
		return string(r.Status) + " at step " + f
	}
	return string(r.Status)
}

func stepAt(r *recording.Recording, i int) *recording.Step {
	for j := range r.Steps {
		if r.Steps[j].Index == i {
			return &r.Steps[j]
		}
	}
	return nil
}

// stepsDiffer describes the first difference between the two step lists
// (kind or privilege boundary), or returns "".
func stepsDiffer(a, b *recording.Recording) string {
	for i := 0; i < min(len(a.Steps), len(b.Steps)); i++ {
		x, y := a.Steps[i], b.Steps[i]
		if x.Kind != y.Kind || x.As != y.As {
			return fmt.Sprintf("step %d is %s in A, %s in B", i, stepName(x), stepName(y))
		}
	}
	if len(a.Steps) != len(b.Steps) {
		return fmt.Sprintf("A has %d steps, B %d", len(a.Steps), len(b.Steps))
	}
	return ""
}

func stepName(st recording.Step) string {
	if st.As != "" {
		return string(st.Kind) + " (as " + string(st.As) + ")"
	}
	return string(st.Kind)
}

// ranges writes sorted ints compactly: 2-7, 9.
func ranges(xs []int) string {
	var parts []string
	for i := 0; i < len(xs); {
		j := i
		for j+1 < len(xs) && xs[j+1] == xs[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, itoa(xs[i])+"-"+itoa(xs[j]))
		} else {
			parts = append(parts, itoa(xs[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

func itoa(i int) string { return strconv.Itoa(i) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
