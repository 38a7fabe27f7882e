package report

import (
	"bytes"
	"encoding/xml"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/internal/sariftest"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// failedRun is a scenario whose expect at login.yaml:14:5 failed, with
// the page kept, and a finding at that step.
func failedRun(t *testing.T) *Input {
	b := rectest.New("login", "sid")
	b.Step("goto", "").Get("https://app.test/login")
	b.Step("expect", "")
	b.Fail()
	r := b.Rec()
	r.Scenario.File = "scenarios/login.yaml"
	st := &r.Steps[1]
	st.Line, st.Column = 14, 5
	st.Screenshot, st.Snapshot = "failures/login-step-01.png", "failures/login-step-01.html"
	r.Error = "scenarios/login.yaml:14:5: step 1 (expect): #welcome: no element matched after 3s"
	rep := &analysis.Report{Findings: []analysis.Finding{{Rule: analysis.RuleSessionFixation, Severity: analysis.High, Scenario: "login", Step: 1, Message: "kept"}}}
	return &Input{Recordings: []runfolder.Loaded{{Recording: r, Path: filepath.Join("report", "recordings", "login.json")}}, Report: rep}
}

func TestTextShowsTheFailureAndThePage(t *testing.T) {
	var b bytes.Buffer
	Text.Write(&b, failedRun(t))
	for _, want := range []string{
		"FAILED: scenarios/login.yaml:14:5: step 1 (expect): #welcome: no element matched after 3s",
		"the page at that step: " + filepath.Join("report", "failures", "login-step-01.png") + ", " + filepath.Join("report", "failures", "login-step-01.html"),
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
}

func TestJUnitLocatesTheFailure(t *testing.T) {
	var b bytes.Buffer
	JUnit.Write(&b, failedRun(t))
	var doc struct {
		Cases []struct {
			File     string `xml:"file,attr"`
			LineAttr string `xml:"line,attr"`
			Failure  *struct {
				Message string `xml:"message,attr"`
			} `xml:"failure"`
			Out string `xml:"system-out"`
		} `xml:"testsuite>testcase"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil || len(doc.Cases) != 1 {
		t.Fatalf("%v\n%s", err, b.String())
	}
	c := doc.Cases[0]
	if c.File != "scenarios/login.yaml" || c.LineAttr != "14" || c.Failure == nil || !strings.Contains(c.Failure.Message, "login.yaml:14:5") {
		t.Errorf("testcase file %q line %q failure %+v", c.File, c.LineAttr, c.Failure)
	}
	for _, want := range []string{"[[ATTACHMENT|" + filepath.Join("report", "failures", "login-step-01.png") + "]]", "[[ATTACHMENT|" + filepath.Join("report", "failures", "login-step-01.html") + "]]"} {
		if !strings.Contains(c.Out, want) {
			t.Errorf("system-out lacks %s:\n%s", want, c.Out)
		}
	}
}

func TestSARIFLocatesStepsInTheScenario(t *testing.T) {
	var b bytes.Buffer
	SARIF.Write(&b, failedRun(t))
	got := map[string]bool{}
	for _, res := range sariftest.Results(t, b.Bytes()) {
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI != "scenarios/login.yaml" || loc.Region.StartLine != 14 || loc.Region.StartColumn != 5 {
			t.Errorf("%s at %+v, want scenarios/login.yaml:14:5", res.RuleID, loc)
		}
		got[res.RuleID] = true
	}
	if !got["SCENARIO-FAILED"] || !got[analysis.RuleSessionFixation] {
		t.Errorf("results %v: want the failure and the finding", got)
	}
}
