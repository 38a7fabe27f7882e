package runfolder

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/recording"
)

func TestSniff(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 1001) + "1" + strings.Repeat("}", 1001)
	for _, c := range []struct {
		name, data string
		want       Kind
	}{
		// By name.
		{"a.har", "", KindHAR},
		{"a.HAR", "{}", KindHAR},
		{"dir/a.har", `{"schema": "sessiontrace.recording/v1"}`, KindHAR},
		{"a.har", `{"schema": "sessiontrace.run/v1"}`, KindHAR},
		{"login.yaml", "name: x\nsteps: []\n", KindScenario},
		{"LOGIN.YML", "name: x", KindScenario},
		{"a.yaml", `{"schema": "sessiontrace.recording/v1"}`, KindScenario},
		// By the top level's "schema".
		{"index.json", `{"schema": "sessiontrace.run/v1", "scenarios": []}`, KindIndex},
		{"x.txt", "\n\t {\r\n \"schema\" :\t\"sessiontrace.run/v1\"}", KindIndex},
		{"r.json", `{"schema":"sessiontrace.recording/v1","steps":[]}`, KindRecording},
		{"r", `{"steps": [], "schema": "sessiontrace.recording/v1"}`, KindRecording},
		{"r.json", `{"Schema": "sessiontrace.recording/v1"}`, KindRecording},
		{"r.json", `{"SCHEMA": "sessiontrace.run/v1"}`, KindIndex},
		{"r.json", `{"schema": "sessiontrace.run\/v1"}`, KindIndex},
		{"r.json", `{"schema": "sessiontrace.recording\u002fv1"}`, KindRecording},
		{"r.json", `{"x": 1, "schema": "sessiontrace.recording/v1", "schema": "sessiontrace.run/v1"}`, KindIndex}, // the last, as json.Unmarshal
		{"r.json", `{"schema": "sessiontrace.recording/v1", "schema": "sessiontrace.run/v1"}`, KindRecording},     // the shortcut: the first key decides
		{"s.json", `{"schema": "sessiontrace.summary/v1", "shard": "1/2"}`, KindOther},
		{"r.json", `{"schema": "sessiontrace.recording/v2"}`, KindOther},
		{"findings.json", `{"findings": [], "sessions": []}`, KindOther},
		// HARs under another name: a "log" object and no schema.
		{"a.json", `{"log": {"entries": []}}`, KindHAR},
		{"a.json", `{"LOG": {}, "schema": null}`, KindHAR},
		{"a.json", `{"log": {}, "schema": ""}`, KindHAR},
		{"a.json", `{"log": {"_sessiontrace": {"schema": "sessiontrace.recording/v1"}}}`, KindHAR},
		{"a.json", `{"schema": "sessiontrace.recording/v1", "log": {}}`, KindRecording},
		{"a.json", `{"schema": "other", "log": {}}`, KindOther},
		{"a.json", `{"log": []}`, KindOther},
		{"a.json", `{"log": null}`, KindOther},
		// What encoding/json reads and recjson.Head declines.
		{"a.json", "{\"log\": {\"text\": \"caf\xe9\"}}", KindHAR},
		{"a.json", `{"log": {"text": "\ud800 lone"}}`, KindHAR},
		{"a.json", `{"log": {"text": "\udc00\ud83d\ude00\\ud800"}}`, KindHAR},
		{"a.json", "{\"schema\": \"sessiontrace.run/v1\", \"x\": \"\xff\"}", KindIndex},
		// Odd, broken and truncated input.
		{"a.json", "", KindOther},
		{"a.json", "   ", KindOther},
		{"a.json", "null", KindOther},
		{"a.json", `[{"schema": "sessiontrace.recording/v1"}]`, KindOther},
		{"a.json", `"sessiontrace.recording/v1"`, KindOther},
		{"a.json", "not json", KindOther},
		{"a.json", "\xef\xbb\xbf{\"log\": {}}", KindOther}, // a BOM: not JSON to encoding/json
		{"a.json", `{"log": {}`, KindOther},
		{"a.json", `{"log": {}} trailing`, KindOther},
		{"a.json", `{"schema": 1, "log": {}}`, KindOther},
		{"a.json", `{"schema": "sessiontrace.run/v1"`, KindIndex},                       // truncated: its decoder says so
		{"a.json", `{"schema": "sessiontrace.recording/v1", "steps": [`, KindRecording}, // idem
		{"a.json", `{"schema": "sessiontrace.recording/v1`, KindOther},
		{"a.json", `{"schema"`, KindOther},
		{"a.json", `{`, KindOther},
		{"a.json", deep, KindOther}, // nested deeper than recjson.Head reads
	} {
		if got := Sniff(c.name, []byte(c.data)); got != c.want {
			t.Errorf("Sniff(%q, %.60q) = %v, want %v", c.name, c.data, got, c.want)
		}
	}
}

// Issue 13: a small HAR that `sessiontrace export --har` wrote, saved as
// .json, was a HAR to the CLI and a broken recording to the inspector,
// which looked for "schema" in the first 4 kB: the "_sessiontrace"
// object's "schema" stood there. Both ask Sniff now (the page's side:
// TestInspectorOpensSmallHARSavedAsJSON in cli).
func TestSniffSmallExportedHARSavedAsJSON(t *testing.T) {
	data, err := os.ReadFile("testdata/small-export.har.json")
	if err != nil {
		t.Fatal(err)
	}
	// The fixture is the case: the old page rule said "not a HAR".
	head := data[:min(len(data), 4096)]
	if oldPage := !bytes.Contains(head, []byte(`"schema"`)) && bytes.Contains(head, []byte(`"log"`)); oldPage {
		t.Fatal("the fixture no longer shows the old disagreement")
	}
	if k := Sniff("small-export.har.json", data); k != KindHAR {
		t.Fatalf("Sniff = %v, want HAR", k)
	}
	rec, rep, err := DecodeRecording("small-export.har.json", data, KindHAR, recording.NewRedactor(make([]byte, 32), false))
	if err != nil || rep == nil || rep.Sanitized {
		t.Fatalf("DecodeRecording: %v %+v", err, rep)
	}
	if rec.Scenario.Name != "Lab: correct session handling" || len(rec.Requests) != 1 {
		t.Fatalf("the HAR's recording: %q, %d requests", rec.Scenario.Name, len(rec.Requests))
	}
}

func TestDecodeRecordingOfOtherKinds(t *testing.T) {
	for _, c := range []struct{ name, data, err string }{
		{"s.json", `{"schema": "sessiontrace.summary/v1"}`, `s.json: schema "sessiontrace.summary/v1": expected "sessiontrace.recording/v1"`},
		{"f.json", `{"findings": []}`, `f.json: no "schema" field: expected "sessiontrace.recording/v1"`},
		{"t.json", `{"schema": "sessiontrace.recording/v1", "steps": [`, `t.json:1:51: invalid JSON: unexpected end of JSON input`},
	} {
		data := []byte(c.data)
		_, rep, err := DecodeRecording(c.name, data, Sniff(c.name, data), nil)
		if err == nil || err.Error() != c.err || rep != nil {
			t.Errorf("%s: %v, want %s", c.name, err, c.err)
		}
	}
}

// jsonTopLevel is how the CLI read the top level before Sniff, with
// encoding/json.
func jsonTopLevel(data []byte) (schema string, log bool) {
	var head struct {
		Schema string          `json:"schema"`
		Log    json.RawMessage `json:"log"`
	}
	if json.Unmarshal(data, &head) != nil {
		return "", false
	}
	return head.Schema, strings.HasPrefix(strings.TrimSpace(string(head.Log)), "{")
}

// depth is how deeply data nests arrays and objects (strings aside).
func depth(data []byte) int {
	d, most, in := 0, 0, false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case in && c == '\\':
			i++
		case c == '"':
			in = !in
		case !in && (c == '{' || c == '['):
			d++
			most = max(most, d)
		case !in && (c == '}' || c == ']'):
			d--
		}
	}
	return most
}

// topLevel reads what encoding/json reads, without it (up to 1000 levels
// of nesting, where recjson.Head stops).
func FuzzTopLevel(f *testing.F) {
	for _, s := range []string{
		`{"log": {"entries": []}}`, `{"schema": "sessiontrace.run/v1"}`, "{\"log\": {\"a\": \"\xff\"}}",
		`{"log": {"a": "\ud800\u0041"}}`, `{"Schema": "x", "schema": null, "LOG": {}}`, `{"a": "\\ud800"}`,
		`{"log": {"a": "\ud83d\ude00 \udbff\udfff \ud800\ud800"}}`, `[1]`, `null`, `{"log": 1e999}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if depth(data) > 1000 {
			return
		}
		schema, log := topLevel(data)
		wantSchema, wantLog := jsonTopLevel(data)
		if schema != wantSchema && (schema == recording.Schema || schema == recording.IndexSchema || wantSchema == recording.Schema || wantSchema == recording.IndexSchema) ||
			(schema == "") != (wantSchema == "") || log != wantLog {
			t.Fatalf("%q: topLevel %q %v, encoding/json %q %v", data, schema, log, wantSchema, wantLog)
		}
	})
}
