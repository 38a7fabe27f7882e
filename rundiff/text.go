package rundiff

import (
	"fmt"
	"io"
	"path"
	"strings"
)

// WriteText writes the diff for people and for grep: one line per change,
// starting with the scenario's label (its file's base name, else its
// name) and ending with REGRESSION or improvement when it is one, e.g.
//
//	correct.yaml  cookie __Host-sid  httpOnly: true -> false  REGRESSION
//
// Unchanged scenarios are left out; a summary line ends the output.
func (d *Diff) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	if d.A.Source != "" || d.B.Source != "" {
		ew.printf("A: %s (%s)\n", d.A.Source, runSummary(d.A))
		ew.printf("B: %s (%s)\n\n", d.B.Source, runSummary(d.B))
	}
	for i := range d.Scenarios {
		sd := &d.Scenarios[i]
		if sd.Change == Unchanged && len(sd.Notes) == 0 {
			continue
		}
		sd.writeText(ew)
		ew.printf("\n")
	}
	t := d.Totals
	if t.Changes == 0 {
		ew.printf("no changes in %d %s\n", t.Scenarios, plural(t.Scenarios, "scenario", "scenarios"))
	} else {
		ew.printf("%d of %d scenarios changed: %d %s, %d %s, %d %s\n", t.Changed, t.Scenarios,
			t.Changes, plural(t.Changes, "change", "changes"), t.Regressions, plural(t.Regressions, "regression", "regressions"),
			t.Improvements, plural(t.Improvements, "improvement", "improvements"))
	}
	return ew.err
}

func runSummary(r RunInfo) string {
	return fmt.Sprintf("%d %s, %s", r.Scenarios, plural(r.Scenarios, "scenario", "scenarios"), orNone(string(r.Status)))
}

// Label is how the text output names the scenario: the base name of its
// file in A (else in B), else its name.
func (sd *ScenarioDiff) Label() string {
	for _, r := range []*ScenarioRun{sd.A, sd.B} {
		if r != nil && r.File != "" {
			return path.Base(strings.ReplaceAll(r.File, "\\", "/"))
		}
	}
	return sd.Scenario
}

func (sd *ScenarioDiff) writeText(ew *errWriter) {
	label := sd.Label()
	head := "== " + sd.Scenario
	var files []string
	if sd.A != nil && sd.A.File != "" {
		files = append(files, "A: "+sd.A.File)
	}
	if sd.B != nil && sd.B.File != "" && (sd.A == nil || sd.B.File != sd.A.File) {
		files = append(files, "B: "+sd.B.File)
	}
	if len(files) > 0 {
		head += " (" + strings.Join(files, ", ") + ")"
	}
	ew.printf("%s\n", head)
	line := func(subject, text string, d Delta, detail string) {
		s := label + "  "
		if subject != "" {
			s += subject + "  "
		}
		s += text
		if m := d.Mark(); m != "" {
			s += "  " + m
		}
		ew.printf("%s\n", s)
		if detail != "" {
			ew.printf("    %s\n", detail)
		}
	}
	for _, o := range sd.Outcome {
		switch {
		case o.Attribute == "scenario" && sd.Change == Gone:
			line("", "scenario: gone (only in A)", o.Delta, "")
		case o.Attribute == "scenario":
			line("", "scenario: new (only in B)", o.Delta, "")
		case o.Attribute == "status" && sd.B != nil && sd.B.Error != "":
			line("", arrow(o.Attribute, o.Delta), o.Delta, "B: "+sd.B.Error)
		default:
			line("", arrow(o.Attribute, o.Delta), o.Delta, "")
		}
	}
	for _, c := range sd.Cookies {
		subject := "cookie " + c.Name
		switch c.Change {
		case Added:
			line(subject, "added: "+c.B.summary(), Delta{}, "")
		case Gone:
			line(subject, "gone: "+c.A.summary(), Delta{}, "")
		default:
			for _, at := range c.Attributes {
				line(subject, arrow(at.Attribute, at.Delta), at.Delta, "")
			}
		}
	}
	for _, s := range sd.Sessions {
		line("session "+s.Cookie, arrow(s.what(), s.Delta), s.Delta, "")
	}
	for _, f := range sd.Findings {
		subject := "finding " + f.Rule
		if f.Cookie != "" {
			subject += "  " + f.Cookie
		}
		var text string
		switch f.Change {
		case New:
			text = fmt.Sprintf("new (%s, step %d)", f.To, f.Step)
		case Fixed:
			text = fmt.Sprintf("fixed (%s, step %d)", f.From, f.Step)
		default:
			text = arrow("severity", f.Delta)
		}
		line(subject, text, f.Delta, f.Message)
	}
	for _, n := range sd.Notes {
		ew.printf("%s  note: %s\n", label, n)
	}
}

func arrow(what string, d Delta) string { return what + ": " + d.From + " -> " + d.To }

// Mark is the word a change's line ends with in the text report:
// REGRESSION, improvement, or nothing.
func (d Delta) Mark() string {
	switch {
	case d.Regression:
		return "REGRESSION"
	case d.Improvement:
		return "improvement"
	}
	return ""
}

// errWriter keeps the first write error so that the printing code stays
// linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
