//go:build !js

package recjson

// The tests compare with encoding/json (recording.Decode), which GOOS=js
// builds of the recording package leave out.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/synth"
	"github.com/sessiontrace/sessiontrace/recording"
)

func labFiles(t testing.TB) map[string][]byte {
	t.Helper()
	files, _ := filepath.Glob("../../analysis/testdata/lab/*.json")
	if len(files) == 0 {
		t.Fatal("no lab recordings in analysis/testdata/lab")
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	return out
}

// same checks that the fast decoder agrees with recording.Decode on data,
// and (when fast is set) that it did not need to fall back.
func same(t *testing.T, name string, data []byte, fast bool) {
	t.Helper()
	want, werr := recording.Decode(name, data)
	got, gerr := DecodeRecording(name, data)
	if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
		t.Fatalf("%s: errors differ: recording.Decode %v, recjson %v", name, werr, gerr)
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("%s: values differ", name)
	}
	if fast {
		if _, err := FastRecording(data); err != nil {
			t.Fatalf("%s: fast path declined a recording written by recording.Encode", name)
		}
	}
}

func TestLabRecordings(t *testing.T) {
	for name, data := range labFiles(t) {
		same(t, name, data, true)
	}
}

func TestSynthetic(t *testing.T) {
	data, err := recording.Encode(synth.Recording(500, 5000))
	if err != nil {
		t.Fatal(err)
	}
	same(t, "synth", data, true)
}

// fill sets every field reachable from v to a non-zero value, so that a
// field the decoder does not know shows up as a difference.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("s<&>\u2028\"\\é" + strings.Repeat("x", *n%3))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Float64:
		v.SetFloat(float64(*n) + 0.5)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fill(s.Index(0), n)
		fill(s.Index(1), n)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, n)
		fill(e, n)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2026, 11, 22, 1, 2, 3, *n, time.FixedZone("", 3600))))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	}
}

// Every field of the format, filled: a field added to the recording types
// and not to this decoder fails here.
func TestEveryField(t *testing.T) {
	var r recording.Recording
	n := 0
	fill(reflect.ValueOf(&r).Elem(), &n)
	r.Schema = recording.Schema
	data, err := recording.Encode(&r)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "full", data, true)

	var ix recording.Index
	fill(reflect.ValueOf(&ix).Elem(), &n)
	ix.Schema = recording.IndexSchema
	idata, err := recording.EncodeIndex(&ix)
	if err != nil {
		t.Fatal(err)
	}
	if !IsIndex(idata) || IsIndex(data) {
		t.Fatal("IsIndex")
	}
}

// Inputs the fast path leaves to encoding/json give the same result.
func TestFallbacks(t *testing.T) {
	lab := labFiles(t)["correct.json"]
	cases := map[string]string{
		"duplicate key":   `{"schema":"sessiontrace.recording/v1","status":"passed","status":"failed"}`,
		"key case":        `{"schema":"sessiontrace.recording/v1","Status":"passed"}`,
		"key case nested": `{"schema":"sessiontrace.recording/v1","scenario":{"NAME":"x"}}`,
		"unknown key":     `{"schema":"sessiontrace.recording/v1","future":{"a":[1,2,{"b":null}]},"status":"passed"}`,
		"invalid utf8":    "{\"schema\":\"sessiontrace.recording/v1\",\"error\":\"a\xffb\"}",
		"lone surrogate":  `{"schema":"sessiontrace.recording/v1","error":"a\ud800b"}`,
		"escapes":         `{"schema":"sessiontrace.recording/v1","error":"a\u00e9\n\"\\\/\ud83d\ude00<"}`,
		"null string":     `{"schema":"sessiontrace.recording/v1","error":null}`,
		"null slices":     `{"schema":"sessiontrace.recording/v1","steps":null,"requests":null,"events":null}`,
		"float int":       `{"schema":"sessiontrace.recording/v1","steps":[{"index":1.0}]}`,
		"big int":         `{"schema":"sessiontrace.recording/v1","steps":[{"index":123456789012345678901234}]}`,
		"exp float":       `{"schema":"sessiontrace.recording/v1","steps":[{"jar":[{"value":{"bits":1e2}}]}]}`,
		"syntax":          `{"schema":"sessiontrace.recording/v1",}`,
		"trailing":        `{"schema":"sessiontrace.recording/v1"} x`,
		"other schema":    `{"schema":"sessiontrace.recording/v2"}`,
		"index schema":    `{"schema":"sessiontrace.run/v1"}`,
		"no schema":       `{}`,
		"top null":        `null`,
		"top array":       `[]`,
		"bad time":        `{"schema":"sessiontrace.recording/v1","start":"yesterday"}`,
		"time offset":     `{"schema":"sessiontrace.recording/v1","start":"2026-11-22T01:02:03.5+02:00"}`,
		"truncated":       string(lab[:len(lab)/2]),
		"empty":           ``,
		"merged struct":   `{"schema":"sessiontrace.recording/v1","scenario":{"name":"a","tags":["x"]},"scenario":{"target":"t"}}`,
		"merged slice":    `{"schema":"sessiontrace.recording/v1","steps":[{"index":1,"kind":"a"},{"index":2}],"steps":[{"name":"n"}]}`,
		"folded key":      "{\"schema\":\"sessiontrace.recording/v1\",\"\u017ftatus\":\"passed\",\"\u212aind\":1}",
		"type error":      `{"schema":"sessiontrace.recording/v1","steps":[{"jar":[{"size":"1"}]}],"status":2}`,
		"bad utf8 key":    "{\"schema\":\"sessiontrace.recording/v1\",\"st\xffatus\":\"passed\"}",
		"whitespace":      " \t{ \"schema\" :\r\n\"sessiontrace.recording/v1\" , \"steps\" : [ { \"index\" : 1 , \"jar\" : [ ] } , {\"kind\":\"a\"} ] ,\n\"events\":[\n{ \"reasons\" : [ \"a\" , \"b\" ] }\n] } \n",
		"floats":          `{"schema":"sessiontrace.recording/v1","steps":[{"jar":[{"value":{"bits":-0.0}},{"value":{"bits":0.1}},{"value":{"bits":123456789012345}},{"value":{"bits":1234567890123456}},{"value":{"bits":0.30000000000000004}},{"value":{"bits":-12.75}}]}]}`,
		"bad float":       `{"schema":"sessiontrace.recording/v1","steps":[{"jar":[{"value":{"bits":1.}}]}]}`,
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) { same(t, name, []byte(in), false) })
	}
}

// DecodeIndex (recording.DecodeIndexLite) is recording.DecodeIndex.
func TestDecodeIndex(t *testing.T) {
	var ix recording.Index
	n := 0
	fill(reflect.ValueOf(&ix).Elem(), &n)
	ix.Schema = recording.IndexSchema
	full, err := recording.EncodeIndex(&ix)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{string(full), `{"schema":"sessiontrace.run/v1","Scenarios":[{"name":"a"}],"scenarios":[{"steps":1}]}`,
		`{"schema":"sessiontrace.run/v1","totals":{"passed":"1"}}`, `{"schema":"sessiontrace.run/v2"}`, `{"schema":"sessiontrace.run/v1"`, `[]`} {
		want, werr := recording.DecodeIndex("index.json", []byte(in))
		got, gerr := DecodeIndex("index.json", []byte(in))
		if fmt.Sprint(werr) != fmt.Sprint(gerr) || !reflect.DeepEqual(want, got) {
			t.Fatalf("%.80s: recording.DecodeIndex %v, recjson %v", in, werr, gerr)
		}
	}
}

func FuzzDecode(f *testing.F) {
	// Small seeds (large ones make the fuzzer's minimisation crawl): a
	// short synthetic recording and a few lines.
	v := recording.Value{Fingerprint: "abcdefgh12345678", Len: 22, Classes: []string{"lower", "digit"}, Bits: 113.7}
	t0 := time.Date(2026, 11, 22, 1, 2, 3, 456789000, time.UTC)
	small, err := recording.Encode(&recording.Recording{
		Scenario: recording.ScenarioInfo{Name: "s", Target: "https://a.test"}, Start: t0, End: t0.Add(time.Second), Status: recording.StatusPassed,
		Steps: []recording.Step{{Index: 0, Kind: "goto", As: "login", Start: t0, End: t0, Status: recording.StatusPassed,
			Jar: []recording.Cookie{{Name: "SID", Domain: "a.test", Path: "/", Value: v, HTTPOnly: true, Secure: true, Session: true}}}},
		Requests: []recording.Request{{ID: "R1", Method: "GET", URL: "https://a.test/", Start: t0, Status: 200, Headers: map[string]string{"Content-Type": "text/html"},
			CookiesWithheld: []recording.SentCookie{{Name: "x", Value: v, Reasons: []string{"SecureOnly"}}},
			SetCookies:      []recording.SetCookie{{Name: "SID", Value: v, Attributes: "Path=/", Path: "/", Size: 25}}}},
		Events: []recording.CookieEvent{{Time: t0, Kind: "set", Source: "http", Name: "SID", Domain: "a.test", Path: "/", Value: &v, Request: "R1"}},
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small)
	f.Add([]byte(`{"schema":"sessiontrace.recording/v1","events":[{"kind":"set","value":{"fp":"x","len":1,"bits":4.7}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		same(t, "fuzz", data, false)
	})
}

// Head is json.Unmarshal into the struct the CLI probed files with,
// wherever it answers.
func FuzzHead(f *testing.F) {
	for _, s := range []string{`{"schema":"sessiontrace.run/v1"}`, `{"log":{"entries":[]}}`, `{"Log":[]}`, `{"LOG":{}, "log":null}`,
		`{"schema":"a","SCHEMA":null}`, `{"schema":1}`, `null`, `[]`, `{"schema":"x"} x`, `{"a":{"b":[1,"\u00e9",true]}}`,
		"{\"\u017fchema\":\"k\"}", `{"schema":"a\"b"}`, `{`, ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		schema, logObj, known := Head(data)
		if !known {
			return
		}
		var head struct {
			Log    json.RawMessage `json:"log"`
			Schema string          `json:"schema"`
		}
		if err := json.Unmarshal(data, &head); err != nil {
			t.Fatalf("%q: Head answered, json.Unmarshal failed: %v", data, err)
		}
		wantLog := strings.HasPrefix(strings.TrimSpace(string(head.Log)), "{")
		if schema != head.Schema || logObj != wantLog {
			t.Fatalf("%q: Head %q %v, json.Unmarshal %q %v", data, schema, logObj, head.Schema, wantLog)
		}
	})
}

// exactFloat is strconv.ParseFloat wherever it answers.
func FuzzExactFloat(f *testing.F) {
	for _, s := range []string{"0", "-0", "10.3", "128", "21.3", "0.1", "-12.75", "123456789012345", "99999999999999.9", "0.00000000000001", "1.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := exactFloat([]byte(s))
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%q: exactFloat %v, strconv %v (%v)", s, got, want, err)
		}
	})
}

// The report the page shows is byte for byte what encoding/json writes.
func TestAppendReport(t *testing.T) {
	var recs []*recording.Recording
	for name, data := range labFiles(t) {
		r, err := recording.Decode(name, data)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	recs = append(recs, synth.Recording(300, 3000))
	for _, rep := range []*analysis.Report{analysis.AnalyzeAll(recs), analysis.Analyze(recs[0]), {}, nil} {
		want, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		got, err := AppendReport(nil, rep)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("AppendReport differs from json.Marshal (%v):\n%.300s\n%.300s", err, got, want)
		}
	}
	// Every field filled.
	var rep analysis.Report
	n := 0
	fill(reflect.ValueOf(&rep).Elem(), &n)
	want, _ := json.Marshal(&rep)
	got, _ := AppendReport(nil, &rep)
	if !bytes.Equal(got, want) {
		t.Fatalf("full report differs:\n%s\n%s", got, want)
	}
}

// AppendReport is json.Marshal for any report JSON can describe: nulls
// and empty lists, absent and zero fields, odd strings and numbers.
func FuzzAppendReport(f *testing.F) {
	var full analysis.Report
	n := 0
	fill(reflect.ValueOf(&full).Elem(), &n)
	seed, _ := json.Marshal(&full)
	f.Add(seed)
	for _, s := range []string{`{}`, `null`, `{"findings":[],"sessions":null,"auth":[{"steps":[]}]}`,
		`{"findings":[{"count":0,"step":-1,"message":"\u2028<&>\ud800"}]}`,
		`{"sessions":[{"ids":[{"bits":1e-7,"sent":[]},{"bits":1e21},{"bits":-0.0000012},{"bits":123456789.125}]}]}`,
		`{"sessions":[{"resets":[{"evidence":{},"observedStep":0},{"evidence":{"b":"1","a":"\u00e9","":""}}]}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var rep *analysis.Report
		if json.Unmarshal(data, &rep) != nil {
			return
		}
		want, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := AppendReport(nil, rep); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: AppendReport (%v)\n%s\njson.Marshal\n%s", data, err, got, want)
		}
	})
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a<b>&c", "\u2028\u2029", "\x00\x1f\x7f", "a\xffb", "é😀", `"\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := AppendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s want %s", s, got, want)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	data, err := recording.Encode(synth.Recording(2000, 20000))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.Run("recjson", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			if _, err := FastRecording(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			if _, err := recording.Decode("x", data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
