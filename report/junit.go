package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/words"
	"github.com/sessiontrace/sessiontrace/recording"
)

// JUnit is JUnit XML: one testsuite, one testcase per scenario. A
// testcase fails when its scenario failed or errored, or has findings at
// or above the threshold; every finding is listed in its system-out, with
// the recording attached.
var JUnit Format = &format{"junit", writeJUnit}

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Name    string       `xml:"name,attr"`
	Tests   int          `xml:"tests,attr"`
	Fails   int          `xml:"failures,attr"`
	Errors  int          `xml:"errors,attr"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name   string      `xml:"name,attr"`
	Tests  int         `xml:"tests,attr"`
	Fails  int         `xml:"failures,attr"`
	Errors int         `xml:"errors,attr"`
	Time   string      `xml:"time,attr"`
	Cases  []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func writeJUnit(w io.Writer, in *Input) error {
	recs, rep, threshold := in.Recordings, in.Report, in.Threshold
	byScenario := map[string][]analysis.Finding{}
	for _, f := range rep.Findings {
		byScenario[f.Scenario] = append(byScenario[f.Scenario], f)
	}
	suite := junitSuite{Name: "sessiontrace"}
	var total float64
	for _, l := range recs {
		r := l.Recording
		secs := r.End.Sub(r.Start).Seconds()
		if secs < 0 {
			secs = 0
		}
		total += secs
		fail := failureOf(l)
		c := junitCase{Name: r.Scenario.Name, Classname: classname(r), Time: fmt.Sprintf("%.3f", secs), File: r.Scenario.File, Line: fail.line()}
		var out strings.Builder
		// The Jenkins/GitLab attachment convention, so CI links the
		// recording, and the failing page's screenshot and snapshot.
		fmt.Fprintf(&out, "[[ATTACHMENT|%s]]\n", l.Path)
		if fail != nil {
			for _, p := range fail.evidence {
				fmt.Fprintf(&out, "[[ATTACHMENT|%s]]\n", p)
			}
		}
		var bad []string
		for _, f := range byScenario[r.Scenario.Name] {
			fmt.Fprintf(&out, "%s %s step %d %s: %s\n", f.Severity, f.Rule, f.Step, f.Cookie, f.Message)
			if threshold != "" && f.Severity.AtLeast(threshold) {
				bad = append(bad, fmt.Sprintf("%s %s: %s", f.Severity, f.Rule, f.Message))
			}
		}
		c.SystemOut = out.String()
		switch {
		case r.Status == recording.StatusErrored || r.Status == recording.StatusInterrupted:
			c.Error = &junitFailure{Message: r.Error, Type: string(r.Status), Text: r.Error}
			suite.Errors++
		case r.Status == recording.StatusFailed:
			c.Failure = &junitFailure{Message: r.Error, Type: "failed", Text: r.Error}
			suite.Fails++
		case len(bad) > 0:
			c.Failure = &junitFailure{Message: fmt.Sprintf("%s at or above %s", words.Count(len(bad), "finding", "findings"), threshold), Type: "findings", Text: strings.Join(bad, "\n")}
			suite.Fails++
		}
		suite.Cases = append(suite.Cases, c)
	}
	suite.Tests = len(suite.Cases)
	suite.Time = fmt.Sprintf("%.3f", total)
	doc := junitSuites{Name: "sessiontrace", Tests: suite.Tests, Fails: suite.Fails, Errors: suite.Errors, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func classname(r *recording.Recording) string {
	if r.Scenario.File != "" {
		return strings.TrimSuffix(filepath.ToSlash(r.Scenario.File), filepath.Ext(r.Scenario.File))
	}
	return "sessiontrace"
}
