package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// validateHAR checks files against the HAR 1.2 JSON Schema (har-schema)
// with tools/validate.
func validateHAR(t *testing.T, paths ...string) {
	t.Helper()
	if _, err := os.Stat("../tools/validate/node_modules/har-schema"); err != nil {
		t.Fatal("the schema validator is not installed: run make node-tools (make test does)")
	}
	if out, err := exec.Command("node", append([]string{"../tools/validate/validate.js", "har"}, paths...)...).CombinedOutput(); err != nil {
		t.Fatalf("not valid HAR 1.2: %v\n%s", err, out)
	}
}

func allLabRecordings(t *testing.T) []string {
	t.Helper()
	all, _ := filepath.Glob("../analysis/testdata/lab/*.json")
	if len(all) < 15 {
		t.Fatalf("lab recordings: %v", all)
	}
	return all
}

func TestExportHARFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "correct.har")
	code, stdout, stderr := runCLI(t, "export", "--har", "-o", out, labRecordings(t, "correct")[0])
	if code != ExitOK || stdout != "" || !strings.Contains(stderr, "wrote "+out+": 5 entries") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	validateHAR(t, out)
	data, _ := os.ReadFile(out)
	var h struct {
		Log struct {
			Creator struct{ Name string } `json:"creator"`
			Pages   []struct {
				ID   string `json:"id"`
				Step struct {
					As string `json:"as"`
				} `json:"_step"`
			} `json:"pages"`
			Entries []struct {
				Step      int `json:"_step"`
				SessionID *struct {
					Name string `json:"name"`
					FP   string `json:"fp"`
				} `json:"_sessionId"`
				Request struct {
					Headers []struct{ Name, Value string } `json:"headers"`
				} `json:"request"`
			} `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(data, &h); err != nil {
		t.Fatal(err)
	}
	rec, _ := readRecording(labRecordings(t, "correct")[0])
	if h.Log.Creator.Name != "sessiontrace" || len(h.Log.Pages) != len(rec.Steps) || len(h.Log.Entries) != len(rec.Requests) {
		t.Fatalf("HAR: %d pages, %d entries", len(h.Log.Pages), len(h.Log.Entries))
	}
	logins := 0
	for _, p := range h.Log.Pages {
		if p.Step.As == "login" {
			logins++
		}
	}
	if logins != 1 {
		t.Fatalf("%d login pages", logins)
	}
	for i, e := range h.Log.Entries {
		q := rec.Requests[i]
		sent := ""
		for _, c := range q.CookiesSent {
			if c.Name == "__Host-sid" {
				sent = c.Value.Fingerprint
			}
		}
		got := ""
		if e.SessionID != nil {
			got = e.SessionID.FP
		}
		if got != sent || e.Step != q.Step {
			t.Fatalf("entry %d: _sessionId %q, want %q; _step %d, want %d", i, got, sent, e.Step, q.Step)
		}
		for _, hd := range e.Request.Headers {
			if hd.Name == "Cookie" && !strings.HasPrefix(hd.Value, "__Host-sid=[value:"+sent+"]") {
				t.Fatalf("entry %d Cookie %q", i, hd.Value)
			}
		}
	}
}

func TestExportHARStdoutAndRunFolders(t *testing.T) {
	dir := t.TempDir()
	src, _ := os.ReadFile(labRecordings(t, "fixation")[0])
	if err := os.MkdirAll(filepath.Join(dir, "one", "recordings"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "one", "recordings", "fixation.json"), src, 0o644)
	ix := &recording.Index{Tool: "test", Scenarios: []recording.IndexEntry{{Name: "f", Recording: "recordings/fixation.json", Status: recording.StatusPassed}}}
	b, _ := recording.EncodeIndex(ix)
	os.WriteFile(filepath.Join(dir, "one", "index.json"), b, 0o644)
	code, stdout, stderr := runCLI(t, "export", "--har", filepath.Join(dir, "one"))
	if code != ExitOK || !strings.HasPrefix(stdout, "{\n \"log\": {\n  \"version\": \"1.2\"") || stderr != "" {
		t.Fatalf("exit %d, stderr %q, stdout %.80q", code, stderr, stdout)
	}
	ix.Scenarios = append(ix.Scenarios, recording.IndexEntry{Name: "g", Recording: "recordings/other.json"})
	b, _ = recording.EncodeIndex(ix)
	os.WriteFile(filepath.Join(dir, "one", "index.json"), b, 0o644)
	code, _, stderr = runCLI(t, "export", "--har", filepath.Join(dir, "one", "index.json"))
	if code != ExitUsage || !strings.Contains(stderr, "lists 2 scenarios: export one recording at a time") || !strings.Contains(stderr, "fixation.json") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestExportUsageErrors(t *testing.T) {
	dir := t.TempDir()
	notRec := filepath.Join(dir, "x.json")
	os.WriteFile(notRec, []byte("{}"), 0o644)
	good := labRecordings(t, "correct")[0]
	cases := []struct {
		args []string
		want string
	}{
		{[]string{good}, "say which format to write: --har"},
		{[]string{"--har"}, "expected one RECORDING"},
		{[]string{"--har", good, good}, "got 2"},
		{[]string{"--har", filepath.Join(dir, "missing.json")}, "missing.json: no such file or directory"},
		{[]string{"--har", dir}, "is not a run folder: it has no index.json"},
		{[]string{"--har", "../recording/har/testdata/har/chrome-correct.har"}, "is already a HAR"},
		{[]string{"--har", notRec}, "x.json: no \"schema\" field"},
		{[]string{"--har", "-o", filepath.Join(dir, "no", "such", "dir.har"), good}, "no such file or directory"},
		{[]string{"--har", "--bogus", good}, "unknown flag: --bogus"},
	}
	for _, c := range cases {
		code, _, stderr := runCLI(t, append([]string{"export"}, c.args...)...)
		if code != ExitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("export %q: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	if code, stdout, _ := runCLI(t, "export", "--help"); code != ExitOK || !strings.Contains(stdout, "Usage: sessiontrace export --har") {
		t.Errorf("--help: %d %q", code, stdout)
	}
}

func TestExportHARRevealedWarns(t *testing.T) {
	rec, _ := readRecording(labRecordings(t, "correct")[0])
	rec.Options.RevealValues = true
	p := filepath.Join(t.TempDir(), "r.json")
	b, _ := recording.Encode(rec)
	os.WriteFile(p, b, 0o644)
	if code, _, stderr := runCLI(t, "export", "--har", "-o", p+".har", p); code != ExitOK || !strings.Contains(stderr, "treat it like a password") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

// What a HAR cannot carry, and so what the round trip loses, per lab
// scenario (docs/har.md lists the same):
var (
	// Findings (by rule) that rest on the HTML of pages or on cookie writes
	// by script, neither of which is in a HAR.
	harLostFindings = map[string][]string{
		"mixed":      {"AUTH-CLEARTEXT"}, // the password form of the http page (page facts)
		"script":     {"SESSID-IN-PAGE"}, // the page script's document.cookie use (script events)
		"urlsession": {"SESSID-IN-PAGE"}, // the ID in the page's HTML (page facts)
	}
	// Resets still found, whose cause rests on a jar or harness event (the
	// browser dropping the cookie): the analysis diagnoses them from the
	// requests instead.
	harChangedCauses = map[string][2]string{
		"expiry":  {"expired", "idle-timeout"},
		"restart": {"browser-restart", "server-dropped"},
	}
	// Recordings whose whole analysis (findings, sessions, resets, every
	// message) is the same after the round trip.
	harIdentical = []string{"cluster", "correct", "faults-500", "fixation", "idle", "logout-keep", "rejects", "resetcode"}
)

func findingKeys(fs []analysis.Finding, lost []string) []string {
	var out []string
	for _, f := range fs {
		skip := false
		for _, l := range lost {
			skip = skip || f.Rule == l
		}
		if !skip {
			out = append(out, f.Rule+"/"+string(f.Severity)+"/"+f.Cookie)
		}
	}
	sort.Strings(out)
	return out
}

func resetCauses(rep *analysis.Report, change [2]string) []string {
	var out []string
	for _, s := range rep.Sessions {
		for _, r := range s.Resets {
			c := string(r.Cause)
			if c == change[0] {
				c = change[1]
			}
			out = append(out, s.Cookie+":"+c)
		}
	}
	return out
}

// TestHARRoundTrip: every lab recording, exported as HAR (valid against the
// HAR 1.2 schema) and imported again, keeps its requests exactly (cookies
// sent, withheld, set and refused, fingerprints, redirects, nodes) and its
// steps, and the audit finds the same findings and resets, except what a
// HAR cannot carry (harLostFindings, harChangedCauses).
func TestHARRoundTrip(t *testing.T) {
	dir := t.TempDir()
	var hars []string
	for _, f := range allLabRecordings(t) {
		out := filepath.Join(dir, strings.TrimSuffix(filepath.Base(f), ".json")+".har")
		if code, _, stderr := runCLI(t, "export", "--har", "-o", out, f); code != ExitOK {
			t.Fatalf("export %s: %d %s", f, code, stderr)
		}
		hars = append(hars, out)
	}
	validateHAR(t, hars...)
	seenIdentical := 0
	for _, f := range allLabRecordings(t) {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			orig, err := readRecording(f)
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, name+".har")
			l, warning, err := loadHAR(out)
			if err != nil || warning != "" {
				t.Fatalf("import: %v %q", err, warning)
			}
			back := l.Recording
			want, _ := json.MarshalIndent(orig.Requests, "", " ")
			got, _ := json.MarshalIndent(back.Requests, "", " ")
			if !bytes.Equal(want, got) {
				t.Fatalf("requests changed:\nwant %s\n got %s", want, got)
			}
			if len(back.Steps) != len(orig.Steps) {
				t.Fatalf("%d steps, want %d", len(back.Steps), len(orig.Steps))
			}
			// A HAR keeps no page facts: the export carries each step's
			// logged-in state as the recording shows it (recorded or inferred).
			auths := recording.InferAuth(orig)
			for i, st := range orig.Steps {
				st.Jar = []recording.Cookie{}
				got := back.Steps[i]
				if !reflect.DeepEqual(auths[i], got.Auth) {
					t.Fatalf("step %d: auth %+v, want %+v", i, got.Auth, auths[i])
				}
				st.Auth, got.Auth = nil, nil
				if fmt.Sprint(st) != fmt.Sprint(got) {
					t.Fatalf("step %d:\nwant %+v\n got %+v", i, st, got)
				}
			}
			if back.Scenario.Name != orig.Scenario.Name || back.Options != orig.Options || fmt.Sprint(back.Probe) != fmt.Sprint(orig.Probe) {
				t.Fatalf("recording header changed: %+v %+v", back.Scenario, back.Options)
			}
			ra, rb := analysis.Analyze(orig), analysis.Analyze(back)
			if a, b := findingKeys(ra.Findings, harLostFindings[name]), findingKeys(rb.Findings, nil); fmt.Sprint(a) != fmt.Sprint(b) {
				t.Fatalf("findings\nwant %v\n got %v", a, b)
			}
			for _, lost := range harLostFindings[name] {
				found := false
				for _, f := range ra.Findings {
					found = found || f.Rule == lost
				}
				if !found {
					t.Fatalf("%s is no longer found in the original: update harLostFindings", lost)
				}
			}
			if a, b := resetCauses(ra, harChangedCauses[name]), resetCauses(rb, [2]string{}); fmt.Sprint(a) != fmt.Sprint(b) {
				t.Fatalf("resets\nwant %v\n got %v", a, b)
			}
			if ch, ok := harChangedCauses[name]; ok && fmt.Sprint(resetCauses(ra, [2]string{})) == fmt.Sprint(resetCauses(rb, [2]string{})) {
				t.Fatalf("the cause %s now survives: update harChangedCauses", ch[0])
			}
			for _, id := range harIdentical {
				if id == name {
					seenIdentical++
					ja, _ := json.Marshal(ra)
					jb, _ := json.Marshal(rb)
					if !bytes.Equal(ja, jb) {
						t.Fatalf("analysis changed:\nwant %s\n got %s", ja, jb)
					}
				}
			}
		})
	}
	if seenIdentical != len(harIdentical) {
		t.Fatalf("%d of the %d identical recordings were seen", seenIdentical, len(harIdentical))
	}
}

// TestAuditHARFixtures: the HARs of the lab's login journey recorded by
// Chromium (DevTools' HAR shape), Playwright and (hand-made) Firefox give
// the findings the lab documents for correct.test and fixation.test; the
// sanitized export gives the warning.
func TestAuditHARFixtures(t *testing.T) {
	cases := map[string][]string{
		"chrome-correct.har":      nil,
		"playwright-correct.har":  nil,
		"chrome-fixation.har":     {"COOKIE-HTTPONLY-MISSING/medium", "SESSION-FIXATION/high"},
		"playwright-fixation.har": {"COOKIE-HTTPONLY-MISSING/medium", "SESSION-FIXATION/high"},
		"firefox-fixation.har":    {"COOKIE-HTTPONLY-MISSING/medium", "SESSION-FIXATION/high"},
	}
	for file, want := range cases {
		l, warning, err := loadHAR(filepath.Join("..", "recording", "har", "testdata", "har", file))
		if err != nil || warning != "" {
			t.Fatalf("%s: %v %q", file, err, warning)
		}
		rep := analysis.AnalyzeAll([]*recording.Recording{l.Recording})
		var got []string
		for _, f := range rep.Findings {
			if f.Severity.AtLeast(analysis.Low) {
				got = append(got, f.Rule+"/"+string(f.Severity))
			}
		}
		sort.Strings(got)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: findings %v, want %v", file, got, want)
		}
		for _, s := range rep.Sessions {
			if len(s.Resets) > 0 {
				t.Errorf("%s: resets %+v", file, s.Resets)
			}
		}
	}
	l, warning, err := loadHAR("../recording/har/testdata/har/chrome-fixation-sanitized.har")
	if err != nil || !strings.Contains(warning, "chrome-fixation-sanitized.har: warning: This HAR has no cookie data") ||
		!strings.Contains(warning, "Allow to generate HAR with sensitive data") {
		t.Fatalf("sanitized: %v %q", err, warning)
	}
	if rep := analysis.Analyze(l.Recording); len(rep.Findings) != 0 || len(rep.Sessions) != 0 {
		t.Fatalf("sanitized: %+v", rep)
	}
	if _, _, err := loadHAR("../recording/har/testdata/har/missing.har"); err == nil {
		t.Fatal("a missing file must be an error")
	}
}

func TestHARFixturesValidate(t *testing.T) {
	all, _ := filepath.Glob("../recording/har/testdata/har/*.har")
	if len(all) != 6 {
		t.Fatalf("fixtures: %v", all)
	}
	validateHAR(t, all...)
}

// readRecording reads a recording file (or a HAR) as the commands do.
func readRecording(path string) (*recording.Recording, error) {
	l, _, err := loadHAR(path)
	return l.Recording, err
}

// loadHAR reads one file as the commands do, with its warning.
func loadHAR(path string) (runfolder.Loaded, string, error) {
	ls, warnings, err := runfolder.Load([]string{path}, runfolder.DefaultMaxSize)
	if err != nil {
		return runfolder.Loaded{}, "", err
	}
	return ls[0], strings.Join(warnings, "\n"), nil
}
