//go:build !js

package runfolder

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
)

// summary.json's perScenario rows say, per scenario of the index, what its
// findings, resets and cookies are; the inspector's readers of summary.json
// and findings.json read what encoding/json reads.
func TestOverviewFiles(t *testing.T) {
	a, b := labRecording(t, "mixed", "Mixed"), labRecording(t, "correct", "Correct")
	ix, _ := writeRun(t, t.TempDir(), a, b)
	rep := analysis.AnalyzeAll([]*recording.Recording{a, b})
	s := NewSummary(ix, rep, []*recording.Recording{a, nil}, 1, "")
	if len(s.PerScenario) != 2 || s.PerScenario[0].Recording != ix.Scenarios[0].Recording {
		t.Fatalf("perScenario: %+v", s.PerScenario)
	}
	row := s.PerScenario[0]
	var sev SeverityCounts
	var rules []string
	var resets []ResetStat
	for _, f := range rep.Findings {
		if f.Scenario == "Mixed" {
			sev.Add(f.Severity, 1)
			if !slices.Contains(rules, f.Rule) {
				rules = append(rules, f.Rule)
			}
		}
	}
	slices.Sort(rules)
	for _, ss := range rep.Sessions {
		if ss.Scenario == "Mixed" {
			for _, r := range ss.Resets {
				resets = append(resets, ResetStat{r.Cause, r.Basis, r.Step, r.Summary})
			}
		}
	}
	if row.Findings != sev || !slices.Equal(row.Rules, rules) || !slices.Equal(row.Resets, resets) || len(resets) == 0 || len(rules) == 0 {
		t.Errorf("Mixed's row %+v, want findings %+v, rules %v, resets %v", row, sev, rules, resets)
	}
	if !slices.Contains(row.Cookies, "JSESSIONID") || !slices.IsSorted(row.Cookies) || len(slices.Compact(slices.Clone(row.Cookies))) != len(row.Cookies) {
		t.Errorf("Mixed's cookies: %v", row.Cookies)
	}
	if s.PerScenario[1].Cookies != nil {
		t.Errorf("a scenario without its recording has cookies %v", s.PerScenario[1].Cookies)
	}

	var buf bytes.Buffer
	if err := EncodeJSON(&buf, s); err != nil {
		t.Fatal(err)
	}
	got, err := DecodeSummaryOverview("summary.json", buf.Bytes())
	var want SummaryOverview
	if err != nil || json.Unmarshal(buf.Bytes(), &want) != nil || !reflect.DeepEqual(got, &want) {
		t.Errorf("DecodeSummaryOverview: %v\n%+v\n%+v", err, got, want)
	}
	buf.Reset()
	if err := EncodeJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	gotRep, err := DecodeReportOverview("findings.json", buf.Bytes())
	var wantRep ReportOverview
	if err != nil || json.Unmarshal(buf.Bytes(), &wantRep) != nil || !reflect.DeepEqual(gotRep, &wantRep) || len(wantRep.Findings) != len(rep.Findings) {
		t.Errorf("DecodeReportOverview: %v", err)
	}
	if _, err := DecodeSummaryOverview("summary.json", []byte(`{"schema": "other", "perScenario": []}`)); err == nil {
		t.Errorf("another schema was read as a summary")
	}
	if _, err := DecodeReportOverview("findings.json", []byte("{\n\"findings\": [1]}")); err == nil || !bytes.Contains([]byte(err.Error()), []byte("findings.json:2:")) {
		t.Errorf("a bad findings.json: %v", err)
	}
}
