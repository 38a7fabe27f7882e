package cli

import (
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// JUnit XML: one testsuite, one testcase per scenario. A testcase fails
// when its scenario failed or errored, or has findings at or above the
// threshold; every finding is listed in its system-out.

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
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func writeJUnit(w io.Writer, recs []loaded, rep *analysis.Report, threshold analysis.Severity) error {
	byScenario := map[string][]analysis.Finding{}
	for _, f := range rep.Findings {
		byScenario[f.Scenario] = append(byScenario[f.Scenario], f)
	}
	suite := junitSuite{Name: "sessiontrace"}
	var total float64
	for _, l := range recs {
		r := l.rec
		secs := r.End.Sub(r.Start).Seconds()
		if secs < 0 {
			secs = 0
		}
		total += secs
		c := junitCase{Name: r.Scenario.Name, Classname: classname(r), Time: fmt.Sprintf("%.3f", secs), File: r.Scenario.File}
		var out strings.Builder
		// The Jenkins/GitLab attachment convention, so CI links the recording.
		fmt.Fprintf(&out, "[[ATTACHMENT|%s]]\n", l.path)
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
			c.Failure = &junitFailure{Message: fmt.Sprintf("%d findings at or above %s", len(bad), threshold), Type: "findings", Text: strings.Join(bad, "\n")}
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

// SARIF 2.1.0 (OASIS): the rule catalogue as the driver's rules, one result
// per finding, located at the scenario file (the journey is the artifact
// under test) with the recording as a related location.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifText       `json:"message"`
	Locations        []sarifLocation `json:"locations,omitempty"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Properties       map[string]any  `json:"properties,omitempty"`
}

type sarifLocation struct {
	ID               int               `json:"id,omitempty"`
	PhysicalLocation *sarifPhysical    `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical    `json:"logicalLocations,omitempty"`
	Message          *sarifText        `json:"message,omitempty"`
	Properties       map[string]string `json:"properties,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName,omitempty"`
	Kind               string `json:"kind,omitempty"`
}

// sarifLevel maps severities to SARIF levels.
func sarifLevel(s analysis.Severity) string {
	switch s {
	case analysis.Critical, analysis.High:
		return "error"
	case analysis.Medium:
		return "warning"
	}
	return "note"
}

func writeSARIF(w io.Writer, recs []loaded, rep *analysis.Report) error {
	driver := sarifDriver{Name: "sessiontrace", Version: Version, InformationURI: "https://github.com/sessiontrace/sessiontrace"}
	index := map[string]int{}
	for i, r := range analysis.Rules {
		index[r.ID] = i
		help := r.Remediation
		if len(r.References) > 0 {
			help += " References: " + strings.Join(r.References, "; ")
		}
		driver.Rules = append(driver.Rules, sarifRule{
			ID: r.ID, Name: r.Title, ShortDescription: sarifText{r.Title}, FullDescription: sarifText{r.Criterion},
			Help: sarifText{help}, DefaultConfiguration: sarifConfig{sarifLevel(r.Severity)},
			Properties: map[string]any{"security-severity": securitySeverity(r.Severity), "tags": []string{"security", "session"}},
		})
	}
	recordingOf := map[string]string{}
	fileOf := map[string]string{}
	for _, l := range recs {
		recordingOf[l.rec.Scenario.Name] = filepath.ToSlash(l.path)
		fileOf[l.rec.Scenario.Name] = filepath.ToSlash(l.rec.Scenario.File)
	}
	results := []sarifResult{}
	for _, f := range rep.Findings {
		res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity), Message: sarifText{f.Message},
			Properties: map[string]any{"severity": string(f.Severity), "scenario": f.Scenario, "step": f.Step}}
		if f.Cookie != "" {
			res.Properties["cookie"] = f.Cookie
		}
		if f.URL != "" {
			res.Properties["url"] = f.URL
		}
		if f.Evidence != "" {
			res.Properties["evidence"] = f.Evidence
		}
		logical := []sarifLogical{{Name: fmt.Sprintf("step %d", f.Step), FullyQualifiedName: fmt.Sprintf("%s/step %d", f.Scenario, f.Step), Kind: "function"}}
		loc := sarifLocation{LogicalLocations: logical}
		if file := fileOf[f.Scenario]; file != "" {
			loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: file}}
		}
		res.Locations = []sarifLocation{loc}
		if rp := recordingOf[f.Scenario]; rp != "" {
			res.RelatedLocations = []sarifLocation{{ID: 1, PhysicalLocation: &sarifPhysical{ArtifactLocation: sarifArtifact{URI: rp}},
				Message: &sarifText{"the recording of the journey"}}}
		}
		results = append(results, res)
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0",
		Runs: []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results}}}
	return writeJSON(w, log)
}

// securitySeverity is GitHub code scanning's numeric severity (0-10).
func securitySeverity(s analysis.Severity) string {
	switch s {
	case analysis.Critical:
		return "9.5"
	case analysis.High:
		return "8.0"
	case analysis.Medium:
		return "5.5"
	case analysis.Low:
		return "3.0"
	}
	return "0.0"
}
