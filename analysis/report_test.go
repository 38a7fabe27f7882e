//go:build !js

package analysis

import (
	"encoding/json"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/recording"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md from the catalogue")

func TestSeverity(t *testing.T) {
	for _, s := range []string{"critical", "HIGH", " medium ", "Low", "info"} {
		if _, err := ParseSeverity(s); err != nil {
			t.Errorf("ParseSeverity(%q): %v", s, err)
		}
	}
	if _, err := ParseSeverity("severe"); err == nil {
		t.Error("ParseSeverity(severe) did not fail")
	}
	if !High.AtLeast(Medium) || !High.AtLeast(High) || Low.AtLeast(Medium) || Severity("bogus").AtLeast(Info) {
		t.Error("AtLeast is wrong")
	}
	rep := &Report{Findings: []Finding{{Severity: Low}, {Severity: High}, {Severity: Info}}}
	if rep.Worst() != High || rep.CountAtLeast(Low) != 2 || rep.CountAtLeast(Critical) != 0 {
		t.Errorf("Worst %s, CountAtLeast(low) %d", rep.Worst(), rep.CountAtLeast(Low))
	}
	if (&Report{}).Worst() != "" {
		t.Error("Worst of no findings is not empty")
	}
}

func TestAnalyzeNil(t *testing.T) {
	rep := Analyze(nil)
	b, err := json.Marshal(rep)
	if err != nil || string(b) != `{"findings":[],"sessions":[],"auth":[]}` {
		t.Fatalf("%s %v", b, err)
	}
	if rep := AnalyzeAll([]*recording.Recording{nil}); len(rep.Findings) != 0 {
		t.Fatal("findings from nothing")
	}
}

// TestReportJSONShape checks the field names the documented audit output
// promises.
func TestReportJSONShape(t *testing.T) {
	rep := Analyze(rectest.Lab(t)["mixed"])
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []map[string]any `json:"findings"`
		Sessions []struct {
			IDs    []map[string]any `json:"ids"`
			Resets []map[string]any `json:"resets"`
		} `json:"sessions"`
	}
	var raw struct {
		Sessions []map[string]any `json:"sessions"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	sessions := raw.Sessions
	has := func(what string, m map[string]any, keys ...string) {
		t.Helper()
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Errorf("%s has no %q: %v", what, k, m)
			}
		}
	}
	var withCookie map[string]any
	for _, f := range doc.Findings {
		has("finding", f, "rule", "severity", "scenario", "step", "message")
		if f["cookie"] != nil && f["url"] != nil && f["evidence"] != nil {
			withCookie = f
		}
	}
	if withCookie == nil {
		t.Fatal("no finding with cookie, url and evidence")
	}
	if len(sessions) == 0 || len(doc.Sessions[0].IDs) == 0 || len(doc.Sessions[0].Resets) == 0 {
		t.Fatalf("sessions = %s", b)
	}
	has("session", sessions[0], "scenario", "cookie", "ids", "resets")
	has("id", doc.Sessions[0].IDs[0], "fingerprint", "firstStep", "lastStep", "ended")
	has("reset", doc.Sessions[0].Resets[0], "step", "request", "cause", "detail")
	if _, ok := doc.Sessions[0].IDs[0]["firstStep"].(float64); !ok {
		t.Errorf("firstStep is not a number")
	}
}

func TestRulesDoc(t *testing.T) {
	path := filepath.Join("..", "docs", "rules.md")
	want := RulesMarkdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(got)
	for _, r := range Rules {
		if !strings.Contains(doc, "### "+r.ID+"\n") {
			t.Errorf("docs/rules.md has no section for %s", r.ID)
		}
		if r.Severity.rank() == 0 || r.Title == "" || r.Criterion == "" || r.Why == "" || r.Remediation == "" || len(r.References) == 0 {
			t.Errorf("rule %s is incomplete", r.ID)
		}
	}
	for _, c := range Causes {
		if !strings.Contains(doc, "### "+string(c.ID)+"\n") {
			t.Errorf("docs/rules.md has no row for cause %s", c.ID)
		}
	}
	if doc != want {
		t.Errorf("docs/rules.md is not what RulesMarkdown() renders; run: go test ./analysis -run TestRulesDoc -update")
	}
	// The ids the issue names.
	for _, id := range []string{"COOKIE-SECURE-MISSING", "COOKIE-HTTPONLY-MISSING", "COOKIE-SAMESITE-MISSING", "COOKIE-SAMESITE-NONE",
		"COOKIE-SAMESITE-INVALID", "COOKIE-SAMESITE-NONE-INSECURE", "COOKIE-DOMAIN-LOOSE", "COOKIE-PREFIX-VIOLATION", "COOKIE-HOST-PREFIX-ABSENT",
		"COOKIE-SESSION-PERSISTENT", "COOKIE-EXPIRY-CAPPED", "COOKIE-SIZE-EXCEEDED", "COOKIE-DUPLICATE-SET", "COOKIE-OVERWRITE-SECURE",
		"COOKIE-REJECTED", "SESSID-IN-URL", "SESSID-IN-PAGE", "SESSID-NAME-FINGERPRINT", "SESSID-LOW-ENTROPY", "SESSID-CACHEABLE",
		"SESSION-FIXATION", "SESSION-NOT-INVALIDATED", "SESSION-RESET", "MIXED-SCHEME-LINK", "AUTH-CLEARTEXT"} {
		if RuleByID(id) == nil {
			t.Errorf("rule %s missing", id)
		}
	}
	for _, id := range []CauseID{"secure-over-http", "samesite", "scope-mismatch", "set-rejected", "node-switch", "idle-timeout",
		"server-dropped", "server-ended", "expired", "client-cleared", "browser-restart"} {
		if CauseByID(id) == nil {
			t.Errorf("cause %s missing", id)
		}
	}
	// The severities.
	for id, sev := range map[string]Severity{"COOKIE-HOST-PREFIX-ABSENT": Info, "SESSID-NAME-FINGERPRINT": Info, "SESSION-RESET": Medium, "COOKIE-SECURE-MISSING": High} {
		if RuleByID(id).Severity != sev {
			t.Errorf("%s: severity %s, want %s", id, RuleByID(id).Severity, sev)
		}
	}
}

// labExpect is what each bundled lab scenario must produce: its reset
// causes, and its findings above info (rule/severity), both sorted.
var labExpect = map[string]struct{ causes, findings []string }{
	"cluster":     {[]string{"node-switch", "node-switch", "node-switch"}, []string{"SESSION-RESET/medium", "SESSION-RESET/medium", "SESSION-RESET/medium"}},
	"correct":     {nil, nil},
	"expiry":      {[]string{"expired"}, []string{"SESSION-RESET/medium"}},
	"faults-500":  {nil, nil},
	"fixation":    {nil, []string{"COOKIE-HTTPONLY-MISSING/medium", "SESSION-FIXATION/high"}},
	"idle":        {[]string{"idle-timeout"}, []string{"SESSION-RESET/medium"}},
	"logout-keep": {nil, []string{"SESSION-NOT-INVALIDATED/high"}},
	"mixed": {[]string{"secure-over-http"},
		[]string{"AUTH-CLEARTEXT/critical", "COOKIE-OVERWRITE-SECURE/medium", "MIXED-SCHEME-LINK/medium", "SESSION-RESET/medium"}},
	"rejects": {nil, []string{"COOKIE-DUPLICATE-SET/low", "COOKIE-EXPIRY-CAPPED/low", "COOKIE-OVERWRITE-SECURE/low", "COOKIE-PREFIX-VIOLATION/low",
		"COOKIE-REJECTED/low", "COOKIE-SAMESITE-INVALID/low", "COOKIE-SAMESITE-NONE-INSECURE/low", "COOKIE-SIZE-EXCEEDED/low"}},
	"resetcode":  {[]string{"server-ended"}, []string{"SESSION-RESET/medium"}},
	"restart":    {[]string{"browser-restart"}, []string{"SESSION-RESET/medium"}},
	"scope":      {[]string{"scope-mismatch"}, []string{"SESSION-RESET/medium"}},
	"script":     {nil, []string{"COOKIE-HTTPONLY-MISSING/medium", "SESSID-IN-PAGE/medium"}},
	"sso":        {[]string{"samesite"}, []string{"SESSION-RESET/medium"}},
	"urlsession": {nil, []string{"SESSID-IN-PAGE/high", "SESSID-IN-URL/high"}},
}

// TestLabRecordings analyses the recordings of the bundled lab suite made
// in real Chromium (testdata/lab, scrubbed: fingerprints only).
func TestLabRecordings(t *testing.T) {
	lab := rectest.Lab(t)
	var all []*recording.Recording
	for _, name := range slices.Sorted(maps.Keys(lab)) {
		t.Run(name, func(t *testing.T) {
			r := lab[name]
			all = append(all, r)
			want, ok := labExpect[name]
			if !ok {
				t.Fatalf("no expectation for %s", name)
			}
			rep := analyze(t, r)
			var got []string
			for _, c := range causes(rep) {
				got = append(got, string(c))
			}
			sort.Strings(got)
			if !reflect.DeepEqual(got, want.causes) && (len(got) > 0 || len(want.causes) > 0) {
				t.Errorf("causes = %v, want %v", got, want.causes)
			}
			var fs []string
			for _, f := range rep.Findings {
				if f.Severity.AtLeast(Low) {
					fs = append(fs, f.Rule+"/"+string(f.Severity))
				}
			}
			sort.Strings(fs)
			if !reflect.DeepEqual(fs, want.findings) && (len(fs) > 0 || len(want.findings) > 0) {
				t.Errorf("findings above info = %v, want %v", fs, want.findings)
			}
			if name == "correct" && (rep.CountAtLeast(Low) != 0 || len(rep.Resets()) != 0) {
				t.Errorf("the correct app has findings or resets")
			}
		})
	}
	// The run as a whole: no cross-recording findings (every ID is
	// different), sorted worst first.
	rep := AnalyzeAll(all)
	check(t, rep)
	for i := 1; i < len(rep.Findings); i++ {
		if rep.Findings[i].Severity.rank() > rep.Findings[i-1].Severity.rank() {
			t.Fatalf("AnalyzeAll findings not sorted worst first at %d", i)
		}
	}
	if rep.Worst() != Critical {
		t.Errorf("worst = %s", rep.Worst())
	}
}
