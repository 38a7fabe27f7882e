package harness

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

// ErrNothingRecorded is the scenario's error when the user did nothing
// that makes a step (no page was opened).
var ErrNothingRecorded = errors.New("nothing to replay: no page was opened during the recording")

// scenarioYAML writes the scenario of the steps so far and parses it
// back: the parsed steps give the recording each step's place in the
// file. The error says that the YAML does not parse (a bug of the
// recorder; the YAML is returned all the same).
func (rc *recorder) scenarioYAML() ([]byte, *scenarios.Scenario, error) {
	if len(rc.steps) == 0 || rc.target == "" {
		return nil, nil, ErrNothingRecorded
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Recorded by hand with sessiontrace record on %s.\n", rc.started.Format("2006-01-02 15:04 MST"))
	b.WriteString("# Replay it with sessiontrace run (see docs/record.md).\n")
	if len(rc.env) > 0 {
		fmt.Fprintf(&b, "# The secrets typed are not written here: set %s to them before the replay.\n", strings.Join(rc.env, ", "))
	}
	if names := rc.sessionNames(); len(names) > 0 {
		fmt.Fprintf(&b, "# Session cookies seen (recognised by name): %s.\n", strings.Join(names, ", "))
	}
	fmt.Fprintf(&b, "name: %s\n", yq(rc.name()))
	fmt.Fprintf(&b, "target: %s\n", yq(refs(rc.target)))
	fmt.Fprintf(&b, "tags: [%s]\n", recordedTag)
	b.WriteString("steps:\n")
	for i := range rc.meta {
		rc.writeStep(&b, &rc.meta[i])
	}
	sc, err := scenarios.Parse(RecordedScenarioFile, b.Bytes())
	if err == nil && len(sc.Steps) != len(rc.steps) {
		err = fmt.Errorf("the scenario has %d steps, the recording %d", len(sc.Steps), len(rc.steps))
	}
	if err != nil {
		return b.Bytes(), nil, fmt.Errorf("the scenario written does not parse (a bug of sessiontrace record; please report it): %w", err)
	}
	return b.Bytes(), sc, nil
}

// writeStep writes one step as a list item of steps.
func (rc *recorder) writeStep(b *bytes.Buffer, m *recMeta) {
	st := m.st
	if m.comment != "" {
		fmt.Fprintf(b, "  # %s\n", oneLine(rc.red.Scrub(m.comment)))
	}
	sel := yq(refs(st.Selector))
	switch st.Kind {
	case scenarios.KindGoto:
		fmt.Fprintf(b, "  - goto: %s\n", yq(refs(st.URL)))
	case scenarios.KindClick, scenarios.KindSubmit:
		fmt.Fprintf(b, "  - %s: %s\n", st.Kind, sel)
	case scenarios.KindFill:
		v := yq(refs(st.Value))
		if m.envRef {
			v = yq(st.Value)
			fmt.Fprintf(b, "  - fill: { selector: %s, value: %s, secret: true }\n", sel, v)
		} else {
			fmt.Fprintf(b, "  - fill: { selector: %s, value: %s }\n", sel, v)
		}
	case scenarios.KindSelect:
		fmt.Fprintf(b, "  - select: { selector: %s, value: %s }\n", sel, yq(refs(st.Value)))
	case scenarios.KindCheck:
		fmt.Fprintf(b, "  - check: { selector: %s, checked: %t }\n", sel, st.Checked)
	case scenarios.KindPress:
		if st.Selector == "" {
			fmt.Fprintf(b, "  - press: %s\n", yq(st.Key))
		} else {
			fmt.Fprintf(b, "  - press: { selector: %s, key: %s }\n", sel, yq(st.Key))
		}
	case scenarios.KindEval:
		fmt.Fprintf(b, "  - eval: %s\n", yq(refs(st.Script)))
	case scenarios.KindWait:
		fmt.Fprintf(b, "  - wait: { url: %s }\n", yq(refs(st.URL)))
	case scenarios.KindExpect:
		b.WriteString("  - expect:\n")
		if u := st.Expect.URL; u != nil {
			if u.Contains != "" {
				fmt.Fprintf(b, "      url: { contains: %s }\n", yq(refs(u.Contains)))
			} else {
				fmt.Fprintf(b, "      url: %s\n", yq(refs(u.Equals)))
			}
		}
		if st.Expect.Session != "" {
			fmt.Fprintf(b, "      session: %s\n", st.Expect.Session)
		}
	}
	if st.Name != "" {
		fmt.Fprintf(b, "    name: %s\n", yq(oneLine(rc.red.Scrub(st.Name))))
	}
	if st.As != "" {
		fmt.Fprintf(b, "    as: %s\n", st.As)
	}
	if st.In != "" {
		fmt.Fprintf(b, "    in: %s\n", yq(refs(st.In))) // (a selector's # would start a comment)
	}
}

// sessionNames lists the cookies of the recorded jars whose names look
// like session IDs', as the replay's session checks will find them.
func (rc *recorder) sessionNames() []string {
	var out []string
	for _, s := range rc.steps {
		for _, c := range s.jar {
			if ok, _ := recording.IsSessionName(c.Name); ok && !contains(out, c.Name) {
				out = append(out, c.Name)
			}
		}
	}
	return out
}

// yq quotes s as a YAML double-quoted scalar (JSON's string syntax is
// YAML's, and says every character safely).
func yq(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// refs escapes a recorded text for a scenario string: "${" starts a
// variable there, and is written "$${".
func refs(s string) string { return strings.ReplaceAll(s, "${", "$${") }

// oneLine keeps a comment or name on its line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
