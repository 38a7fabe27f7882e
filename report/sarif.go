package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// SARIF is SARIF 2.1.0 (OASIS), for code-scanning dashboards: the rule
// catalogue as the driver's rules, one result per finding, located at the
// scenario file (the journey is the artifact under test) with the
// recording as a related location.
var SARIF Format = &format{"sarif", writeSARIF}

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
	Region           *sarifRegion  `json:"region,omitempty"`
}

// sarifRegion is the step's place in the scenario file.
type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
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

func writeSARIF(w io.Writer, in *Input) error {
	recs, rep := in.Recordings, in.Report
	driver := sarifDriver{Name: "sessiontrace", Version: in.Version, InformationURI: "https://github.com/sessiontrace/sessiontrace"}
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
	// Scenarios that did not pass are results too, of two rules of this
	// report's own (they are no finding of the analysis).
	for _, r := range outcomeRules {
		index[r.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, r)
	}
	recordingOf := map[string]string{}
	byName := map[string]runfolder.Loaded{}
	for _, l := range recs {
		recordingOf[l.Recording.Scenario.Name] = filepath.ToSlash(l.Path)
		byName[l.Recording.Scenario.Name] = l
	}
	// at locates a step of a scenario: its file, and its line when known.
	at := func(scenario string, step int) *sarifPhysical {
		l, ok := byName[scenario]
		if !ok || l.Recording.Scenario.File == "" {
			return nil
		}
		p := &sarifPhysical{ArtifactLocation: sarifArtifact{URI: filepath.ToSlash(l.Recording.Scenario.File)}}
		if steps := l.Recording.Steps; step >= 0 && step < len(steps) && steps[step].Line > 0 {
			p.Region = &sarifRegion{StartLine: steps[step].Line, StartColumn: steps[step].Column}
		}
		return p
	}
	results := []sarifResult{}
	for _, l := range recs {
		f := failureOf(l)
		if f == nil {
			continue
		}
		id, level := ruleScenarioErrored, "warning"
		if f.status == recording.StatusFailed {
			id, level = ruleScenarioFailed, "error"
		}
		res := sarifResult{RuleID: id, RuleIndex: index[id], Level: level,
			Message: sarifText{f.msg}, Properties: map[string]any{"scenario": l.Recording.Scenario.Name, "status": string(f.status)}}
		step := -1
		if f.step != nil {
			step = f.step.Index
			res.Properties["step"] = step
		}
		res.Locations = []sarifLocation{{PhysicalLocation: at(l.Recording.Scenario.Name, step)}}
		if res.Locations[0].PhysicalLocation == nil {
			res.Locations = nil
		}
		results = append(results, res)
	}
	for _, f := range rep.Findings {
		res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity), Message: sarifText{f.Message},
			Properties: map[string]any{"severity": string(f.Severity), "scenario": f.Scenario, "step": f.Step}}
		if f.Cookie != "" {
			res.Properties["cookie"] = f.Cookie
		}
		if f.StorageKey != "" {
			res.Properties["storageArea"], res.Properties["storageOrigin"], res.Properties["storageKey"] = string(f.StorageArea), f.StorageOrigin, f.StorageKey
			if f.StorageField != "" {
				res.Properties["storageField"] = f.StorageField
			}
		}
		if f.URL != "" {
			res.Properties["url"] = f.URL
		}
		if f.Evidence != "" {
			res.Properties["evidence"] = f.Evidence
		}
		logical := []sarifLogical{{Name: fmt.Sprintf("step %d", f.Step), FullyQualifiedName: fmt.Sprintf("%s/step %d", f.Scenario, f.Step), Kind: "function"}}
		loc := sarifLocation{LogicalLocations: logical, PhysicalLocation: at(f.Scenario, f.Step)}
		res.Locations = []sarifLocation{loc}
		if rp := recordingOf[f.Scenario]; rp != "" {
			res.RelatedLocations = []sarifLocation{{ID: 1, PhysicalLocation: &sarifPhysical{ArtifactLocation: sarifArtifact{URI: rp}},
				Message: &sarifText{"the recording of the journey"}}}
		}
		results = append(results, res)
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0",
		Runs: []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results}}}
	return runfolder.EncodeJSON(w, log)
}

// The rules of a scenario's outcome, in SARIF only.
const (
	ruleScenarioFailed  = "SCENARIO-FAILED"
	ruleScenarioErrored = "SCENARIO-ERRORED"
)

var outcomeRules = []sarifRule{
	{ID: ruleScenarioFailed, Name: "Scenario failed", ShortDescription: sarifText{"A step or an expectation of the scenario failed"},
		FullDescription:      sarifText{"The journey did not go as the scenario expects: the message names the step, its place in the scenario file, and what was found."},
		Help:                 sarifText{"Open the recording and the failing page (failures/ in the run folder) to see what the site did at that step."},
		DefaultConfiguration: sarifConfig{"error"}},
	{ID: ruleScenarioErrored, Name: "Scenario errored or was interrupted", ShortDescription: sarifText{"The scenario could not run to its end"},
		FullDescription:      sarifText{"Trouble, not the site's verdict: the site could not be reached, the browser died, the scenario timed out, or the run was interrupted."},
		Help:                 sarifText{"The message says what happened and what to do (e.g. --host-map for an unresolved test name)."},
		DefaultConfiguration: sarifConfig{"warning"}},
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
