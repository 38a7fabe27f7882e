package recording

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

func sample() *Recording {
	r := NewRedactor([]byte("k"), false)
	now := time.Date(2026, 11, 22, 1, 2, 3, 0, time.UTC)
	return &Recording{
		Scenario: ScenarioInfo{Name: "login", Target: "https://shop.test"},
		Start:    now, End: now.Add(time.Second), Status: StatusPassed,
		Steps: []Step{{Index: 0, Kind: "goto", Start: now, End: now, Status: StatusPassed,
			Jar: []Cookie{{Name: "sid", Domain: "shop.test", Path: "/", Value: r.Value("abcdefgh12345678"), Secure: true, Session: true}}}},
		Requests: []Request{{ID: "1", Method: "GET", URL: "https://shop.test/", Status: 200,
			SetCookies: []SetCookie{ParseSetCookie("sid=abcdefgh12345678; Secure", now, r)}}},
		Events: []CookieEvent{{Time: now, Kind: EventSet, Source: SourceHTTP, Name: "sid"}},
	}
}

func TestRoundTrip(t *testing.T) {
	in := sample()
	b, err := Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"schema": "`+Schema+`"`) {
		t.Fatalf("schema missing:\n%s", b)
	}
	if strings.Contains(string(b), "abcdefgh12345678") {
		t.Fatalf("raw value written without reveal")
	}
	out, err := Decode("x.json", b)
	if err != nil {
		t.Fatal(err)
	}
	if out.Steps[0].Jar[0].Value.Fingerprint != in.Steps[0].Jar[0].Value.Fingerprint || out.Requests[0].SetCookies[0].Name != "sid" {
		t.Fatalf("round trip lost data: %+v", out)
	}
}

func TestDecodeErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"{\n \"schema\": \"sessiontrace.recording/v1\",\n \"steps\": [1,\n", "x.json:4:1: invalid JSON"},
		{"{\"schema\": \"sessiontrace.recording/v1\",\n\"steps\": \"no\"}", "x.json:2:10: steps: expected []recording.Step"},
		{`{"schema": "sessiontrace.recording/v2"}`, `is not supported by this version`},
		{`{"schema": "other"}`, `schema "other": expected`},
		{`{}`, `no "schema" field`},
		{"{\n\"schema\": \"sessiontrace.recording/v1\", \"status\" }", "x.json:2:49: invalid JSON"},
	}
	for _, c := range cases {
		_, err := Decode("x.json", []byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Decode(%q) error = %v, want it to contain %q", c.in, err, c.want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	b, _ := Encode(sample())
	f.Add(b)
	f.Add([]byte(`{"schema":"sessiontrace.recording/v1","steps":[{"jar":[{"expires":"x"}]}]}`))
	f.Add([]byte(`{"schema":"sessiontrace.run/v1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Decode("f.json", data)
		if err == nil && r == nil {
			t.Fatal("nil recording without error")
		}
		// The same recording, or the same error, as on encoding/json.
		checkDecode(t, data)
	})
}

func TestIndexRoundTrip(t *testing.T) {
	ix := &Index{Tool: "test", Status: StatusFailed, Scenarios: []IndexEntry{{Name: "a", Recording: "recordings/a.json", Status: StatusFailed}}}
	ix.Totals.Add(StatusFailed)
	b, err := EncodeIndex(ix)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeIndex("index.json", b)
	if err != nil || got.Totals.Failed != 1 || got.Scenarios[0].Recording != "recordings/a.json" {
		t.Fatalf("index round trip: %+v %v", got, err)
	}
	if _, err := Decode("index.json", b); err == nil {
		t.Fatal("an index must not decode as a recording")
	}
}

func TestWorse(t *testing.T) {
	if !Worse(StatusFailed, StatusPassed) || !Worse(StatusInterrupted, StatusErrored) || Worse(StatusPassed, StatusFailed) {
		t.Fatal("status order wrong")
	}
}

// goTool finds the go command the way a user's shell would.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go"
}
