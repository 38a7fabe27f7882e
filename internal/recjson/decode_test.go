package recjson_test

// The generated decoder and its runtime are held to encoding/json, on
// types that use every kind of field the generator supports (the probe
// types, probe_test.go), on any input.

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/recjson"
	"github.com/sessiontrace/sessiontrace/internal/recjson/recjsontest"
)

func check(t *testing.T, data []byte) {
	t.Helper()
	recjsontest.Check(t, data,
		recjsontest.Same(data, unmarshalProbe),
		recjsontest.Same(data, unmarshalProbeList),
		recjsontest.Same(data, unmarshalShared),
		recjsontest.Same(data, recjson.UnmarshalString),
		recjsontest.Same(data, recjson.UnmarshalBool),
		recjsontest.Same(data, recjson.UnmarshalInt),
		recjsontest.Same(data, recjson.UnmarshalFloat))
}

// shared is a value object long enough to be shared (recjson.Memo).
const shared = `{"fp": "abcdefgh12345678", "len": 22, "classes": ["lower", "digit"], "bits": 113.7}`

// seeds are inputs where Unmarshal does something worth copying.
var seeds = []string{
	``, ` `, `null`, `true`, `false`, `0`, `-0`, `1.5e3`, `-`, `-a`, `01`, `1.`, `1.e`, `1e`, `1e+`, `1E-2`, `1x`, `123456789012345678`, `1234567890123456789`,
	`"`, `"\`, `"\u12`, `"\u12G4"`, `"\x"`, "\"a\tb\"", "\"\x7f\"", `"\'"`, `tru`, `nul`, `fals`, `truex`, `nulL`,
	`[`, `[1`, `[1,`, `[1,]`, `[,1]`, `[1 2]`, `{`, `{"a"`, `{"a":`, `{"a":1`, `{"a":1,}`, `{"a" 1}`, `{1:1}`, `{"a":1}}`,
	`"\ud800"`, `"\ud800\u0041"`, `"\udc00\ud800"`, `"\ud83d\ude00"`, `"\ud83d\\ude00"`, "\"\xff\xfe\"", "\"a\xc3\"", "\"\xed\xa0\x80\"",
	"{\"\xff\":1}", `"\/\b\f\n\r\t\"\\"`, `{"s": "\u00e9\n", "k": "kind"}`,
	`{"i": 127, "f": 1e308, "b": true, "k": "x", "s": "y", "t": "2026-11-22T01:02:03Z", "tp": "2026-11-22T01:02:03.5+01:00"}`,
	`{"i": 1.5}`, `{"i": 1e2}`, `{"i": 99999999999999999999}`, `{"i": -9223372036854775808}`, `{"i": 9223372036854775808}`, `{"f": 1e400}`, `{"f": -0}`, `{"f": 0.30000000000000004}`,
	`{"i": "1", "b": 1, "s": 2, "k": [], "f": {}, "strs": {}, "m": [], "inner": 1, "inners": {}, "empty": [], "value": "x"}`,
	`{"sp": "a", "ip": 1, "bp": true, "fp": 2.5, "kp": "k", "pp": "p", "strsP": ["a"], "MP": {"a": "b"}}`,
	`{"sp": null, "ip": null, "bp": null, "fp": null, "kp": null, "pp": null, "strsP": null, "MP": null, "noteP": null, "innerP": null, "valueP": null, "InnersP": null}`,
	`{"sp": 1, "ip": "x", "bp": "x", "fp": true, "kp": 1, "pp": 1, "strsP": 1, "MP": 1, "innerP": 1, "valueP": 1, "InnersP": 1}`,
	`{"sp": "a", "sp": "b", "pp": "x", "pp": "y", "ip": 1, "ip": 2}`,
	`{"note": "fail"}`, `{"note": 1, "i": "x"}`, `{"i": "x", "note": "fail"}`, `{"noteP": [1, "fail"]}`, `{"note": {"a": [1, {}]}}`, `{"note": null}`,
	`{"raw": {"a": [1, 2]}}`, `{"raw": null}`, `{"raw": "x", "raw": 5}`,
	`{"inner": {"a": 1, "m": {"x": "y"}}, "inner": {"b": "z", "m": {"q": "r"}}}`, `{"inner": null}`, `{"innerP": {"a": 1}, "innerP": {"b": "x"}}`, `{"innerP": {"a": 1}, "innerP": null}`,
	`{"inners": [{"a": 1, "b": "x"}, {"a": 2}], "inners": [{"b": "y"}]}`, `{"inners": [{"a": 1}, {"a": 2}], "inners": [{"b": "y"}], "inners": [{}, {}]}`,
	`{"inners": [{"a": 1}], "inners": []}`, `{"inners": [{"a": "x"}, {"m": []}]}`, `{"inners": [null, 1, "x", {"tags": ["a"]}]}`, `{"InnersP": [{"a": 1}], "InnersP": [{}, {"b": "q"}]}`,
	`{"m": {"a": "x", "b": null, "a": "y", "c": 1}}`, `{"m": {"a": "b"}, "m": {"c": "d"}}`, `{"m": {}, "m": null}`,
	`{"t": "2026-11-22T01:02:03.5+01:00"}`, `{"t": "yesterday"}`, `{"t": 5}`, `{"t": null}`, `{"t": {"a": 1}}`, `{"t": "2026-11-22T01:02:03Z", "t": "2026-11-22T01:02:03Z"}`,
	`{"tp": null}`, `{"tp": "2026-11-22T01:02:03Z"}`, `{"t": "2026-11-22T01:02:03\u005a"}`, `{"t": "2026-13-22T01:02:03Z"}`, `{"t": "2024-02-29T23:59:59.123456789Z"}`,
	`{"strs": ["a", "b"], "strs": ["c"]}`, `{"strs": ["a", "b", "c"], "strs": ["d"], "strs": ["e", "f"]}`, `{"strs": [1, "x", null]}`, `{"strs": null}`, `{"strs": []}`,
	`{"Untag": "u", "untag": "v", "UNTAG": "w"}`, `{"Dash": "d", "-": "e"}`, `{"BadTag": "x", "a\\b": "y"}`, `{"K": "kelvin", "\u212a": "sign", "K2": "x"}`,
	`{"S":,"b":true}`, `{"S": ,}`, `{"S":,"s"}`, `{"S":}`, `{"S":`, `{"S" :`, `{"I": "x", "INNER": {"A": "y"}}`, `{"Inners": [{"A": 1}, {"A": "x"}]}`, `{"EMPTY": {"a": 1}, "S": "x"}`,
	`{"STATUS": "x", "ſtatus": "long s", "ſTATUS": "y", "S": "fold", "\u017f": "long"}`, `{"opts": "o", "OPTS": "p"}`, `{"hidden": "h", "empty": {"a": 1}}`,
	`{"value": ` + shared + `, "valueP": ` + shared + `, "inner": {"value": ` + shared + `, "values": [` + shared + `, ` + shared + `]}}`,
	`{"value": ` + shared + `, "value": {"len": 3, "classes": ["x"], "raw": "r"}, "valueP": ` + shared + `, "valueP": {"classes": ["y"]}}`,
	`[{"value": ` + shared + `}, {"value": ` + shared + `, "value": {"classes": ["q", "r"]}}, {"value": ` + shared + `}]`,
	`[{"valueP": ` + shared + `}, {"valueP": ` + shared + `}], "x"`, `[{"valueP": ` + shared + `}, {"valueP": ` + shared + `, "valueP": {"raw": "z", "classes": null}}, {"valueP": ` + shared + `}]`,
	`[{"inners": [{"value": ` + shared + `}]}, {"inners": [{"value": ` + shared + `}]}]`, `[{"value": ` + shared + `}, {"value": ` + shared + `}, {"value": 5}, {"value": 5}]`,
	`{"fp": "abcdefgh12345678", "len": 22, "classes": ["lower"], "At": "2026-11-22T01:02:03Z", "raw": null, "secret": true}`,
	` { "a" : [ 1 , 2 ] , "b" : { } } `, "\n[\r\n\t1]\n", `[[[[[[[[[[]]]]]]]]]]`, `[{}, {"s": "a"}, null, {"i": 1}]`, `[{"s": "a"}, {"s": "b"}], [{"i": 1}]`,
}

func TestDecodeMatchesUnmarshal(t *testing.T) {
	for _, s := range seeds {
		check(t, []byte(s))
		checkOffsets(t, []byte(s))
	}
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	for _, s := range []string{deep, "[" + deep + "]", `{"raw":` + deep + `}`, `{"note":[` + deep + `]}`, strings.Repeat(`{"a":`, 10001), `[{"x":` + deep[1:] + `}]`} {
		check(t, []byte(s))
	}
	// A value shared at one depth, repeated where it would nest too deep.
	nested := `{"fp": "abcdefgh12345678", "x": ` + strings.Repeat("[", 9990) + strings.Repeat("]", 9990) + `}`
	check(t, []byte(`[{"value": `+nested+`}, {"inners": [{"value": `+nested+`}]}]`))
	for b := 0; b < 256; b++ {
		for _, s := range [][]byte{{byte(b)}, {'"', byte(b), '"'}, {'[', '1', byte(b)}, {'"', '\\', byte(b), '"'}, {'{', '"', byte(b), '"', ':', '1', '}'}} {
			check(t, s)
		}
	}
}

// FuzzDecode holds the generated decoder and the runtime to encoding/json
// (values, errors, offsets), and Locate and Elements to what they were,
// on any input.
func FuzzDecode(f *testing.F) {
	recjsontest.Seed(f, seeds)
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data)
		checkOffsets(t, data)
	})
}

// Head is json.Unmarshal into the struct the CLI probed files with,
// wherever it answers.
func FuzzHead(f *testing.F) {
	recjsontest.Seed(f, []string{`{"schema":"sessiontrace.run/v1"}`, `{"log":{"entries":[]}}`, `{"Log":[]}`, `{"LOG":{}, "log":null}`,
		`{"schema":"a","SCHEMA":null}`, `{"schema":1}`, `null`, `[]`, `{"schema":"x"} x`, `{"a":{"b":[1,"\u00e9",true]}}`,
		"{\"\u017fchema\":\"k\"}", `{"schema":"a\"b"}`, `{`, ""})
	f.Fuzz(func(t *testing.T, data []byte) {
		schema, logObj, known := recjson.Head(data)
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

// offsetOfStd and elementOffsetsStd are Locate and Elements as they
// were, on encoding/json's Decoder.
func offsetOfStd(data []byte, path ...any) int64 {
	skipSep := func(off int64) int64 {
		for off < int64(len(data)) && strings.IndexByte(" \t\r\n:,", data[off]) >= 0 {
			off++
		}
		return off
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	off := skipSep(0)
	for _, p := range path {
		switch k := p.(type) {
		case string:
			if t, err := dec.Token(); err != nil || t != json.Delim('{') {
				return -1
			}
			found := false
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return -1
				}
				if kt == k {
					off, found = skipSep(dec.InputOffset()), true
					break
				}
				var skip json.RawMessage
				if dec.Decode(&skip) != nil {
					return -1
				}
			}
			if !found {
				return -1
			}
		case int:
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return -1
			}
			for i := 0; ; i++ {
				if !dec.More() {
					return -1
				}
				if i == k {
					off = skipSep(dec.InputOffset())
					break
				}
				var skip json.RawMessage
				if dec.Decode(&skip) != nil {
					return -1
				}
			}
		}
	}
	return off
}

func elementOffsetsStd(data []byte, path ...any) []int64 {
	start := offsetOfStd(data, path...)
	if start < 0 || start >= int64(len(data)) || data[start] != '[' {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data[start:]))
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return nil
	}
	var out []int64
	for dec.More() {
		off := dec.InputOffset()
		for off < int64(len(data)-int(start)) && strings.IndexByte(" \t\r\n:,", data[start+off]) >= 0 {
			off++
		}
		out = append(out, start+off)
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			break
		}
	}
	return out
}

func checkOffsets(t *testing.T, data []byte) {
	t.Helper()
	if !json.Valid(data) {
		return // ImportHAR looks for offsets only in JSON it decoded
	}
	for _, path := range [][]any{{}, {"log"}, {"log", "entries"}, {"log", "entries", 0}, {"log", "entries", 1, "request"},
		{"log", "pages", 0, "startedDateTime"}, {0}, {1, "a"}, {"a", 0, "b", 1}} {
		if got, want := recjson.Locate(data, path...), offsetOfStd(data, path...); got != want {
			t.Fatalf("input %q: Locate(%v) = %d, was %d", data, path, got, want)
		}
	}
	for _, path := range [][]any{{"log", "entries"}, {"log", "pages"}, {}, {"a"}} {
		if got, want := recjson.Elements(data, path...), elementOffsetsStd(data, path...); !reflect.DeepEqual(got, want) {
			t.Fatalf("input %q: Elements(%v) = %v, was %v", data, path, got, want)
		}
	}
}

func TestOffsetsAsBefore(t *testing.T) {
	for _, s := range append(seeds,
		`{"log": {"entries": [ {"request": {}} , {"request" : {"url": 1}}, 3 ], "pages": [{"startedDateTime": "x"}]}}`,
		`{"log": 1, "log": {"entries": []}}`, `{"Log": {"entries": [1]}}`, `[ {"a": [1, {"b": [2, 3]}]}, {"a": 1} ]`,
		`{"\u006cog": {"entries": [[], {}]}}`, ` {"log":{"pages":[ {"startedDateTime":null} ]}} `) {
		checkOffsets(t, []byte(s))
	}
	for _, f := range []string{"chrome-fixation.har", "firefox-fixation.har", "playwright-correct.har"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "recording", "har", "testdata", "har", f))
		if err != nil {
			t.Fatal(err)
		}
		checkOffsets(t, data)
	}
}
