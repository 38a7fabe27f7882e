package recording

import (
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/recjson"
	"github.com/sessiontrace/sessiontrace/internal/recjson/recjsontest"
)

// The generated decoder (decode_gen.go) is held to encoding/json: the
// same values and the same errors, type by type (unmarshalRecording is
// json.Unmarshal) and for Decode and DecodeIndex (their results and error
// messages are those of the encoding/json versions they replaced,
// decodeStd and decodeIndexStd).

// decodeStd is Decode as it was, on encoding/json.
func decodeStd(file string, data []byte) (*Recording, error) {
	return decodeStdAs[Recording](file, data, Schema)
}

// decodeIndexStd is DecodeIndex as it was, on encoding/json.
func decodeIndexStd(file string, data []byte) (*Index, error) {
	return decodeStdAs[Index](file, data, IndexSchema)
}

func decodeStdAs[T any](file string, data []byte, want string) (*T, error) {
	var head struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, stdError(file, data, err)
	}
	if err := checkSchema(file, head.Schema, want); err != nil {
		return nil, err
	}
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, stdError(file, data, err)
	}
	return &v, nil
}

// stdError is the old jsonError: encoding/json's errors with line and
// column (of the offending character, of the start of a mistyped value).
func stdError(file string, data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		l, c := recjson.LineCol(data, (&recjson.SyntaxError{Msg: syn.Error(), Offset: syn.Offset}).At())
		return &DecodeError{File: file, Line: l, Column: c, Msg: "invalid JSON: " + syn.Error()}
	case errors.As(err, &typ):
		off := typ.Offset // at the start of the value, as jsonError points
		if v := recjson.ValueStart(data, typ.Offset); v >= 0 {
			off = v
		}
		l, c := recjson.LineCol(data, off)
		field := typ.Field
		if field == "" {
			field = "value"
		}
		return &DecodeError{File: file, Line: l, Column: c,
			Msg: fmt.Sprintf("%s: expected %s, got JSON %s", field, typ.Type, typ.Value)}
	}
	return &DecodeError{File: file, Msg: err.Error()}
}

// checkTypes compares the generated decoders with json.Unmarshal.
func checkTypes(t *testing.T, data []byte) {
	t.Helper()
	recjsontest.Check(t, data,
		recjsontest.Same(data, unmarshalRecording),
		recjsontest.Same(data, unmarshalIndex),
		recjsontest.Same(data, unmarshalSchemaHead))
}

// checkDecode compares Decode and DecodeIndex with what they were.
func checkDecode(t *testing.T, data []byte) {
	t.Helper()
	want, werr := decodeStd("f.json", data)
	got, gerr := Decode("f.json", data)
	if fmt.Sprint(werr) != fmt.Sprint(gerr) || !reflect.DeepEqual(want, got) {
		t.Fatalf("input %q:\nencoding/json %v\nDecode        %v", data, werr, gerr)
	}
	wix, werr := decodeIndexStd("index.json", data)
	gix, gerr := DecodeIndex("index.json", data)
	if fmt.Sprint(werr) != fmt.Sprint(gerr) || !reflect.DeepEqual(wix, gix) {
		t.Fatalf("input %q:\nencoding/json %v\nDecodeIndex   %v", data, werr, gerr)
	}
}

// value is a value object long enough to be shared (recjson.Memo).
const value = `{"fp": "abcdefgh12345678", "len": 22, "classes": ["lower", "digit"], "bits": 113.7}`

// decodeSeeds are inputs where Unmarshal does something worth copying.
var decodeSeeds = []string{
	``, ` `, `null`, `true`, `0`, `"x"`, `[]`, `{`, `{"a"`, `{"a":`, `{"a":1`, `{"a":1,}`, `{"a" 1}`, `{1:1}`, `{"a":1}}`, `[1,]`, `"\ud800"`,
	"{\"\xff\":1}", `{"schema": "sessiontrace.recording/v1", "Schema": "x"}`, `{"schema": 1}`, `{"schema": null}`, `{"SCHEMA": "sessiontrace.run/v1"}`,
	`{"schema": "sessiontrace.recording/v1", "steps": [{"jar": [{"value": {"fp": 1}}]}]}`, `{"steps": {}}`, `{"steps": [null, {"index": 1.5}]}`,
	`{"requests": [{"headers": {"a": "b", "a": "c"}, "Headers": {"d": "e"}}], "requests": [{"maxAge": 1}]}`, `{"requests": [{"setCookies": [{"maxAge": null, "expires": "x"}]}]}`,
	`{"schema": "sessiontrace.recording/v1", "start": "noon"}`, `{"start": 5}`, `{"start": {}}`, `{"start": null}`, `{"start": "2026-11-22T01:02:03.5+01:00"}`,
	`{"start": "2026-11-22T01:02:03Z", "end": "2026-11-22T01:02:03Z"}`, `{"start": "2026-02-30T01:02:03Z"}`, `{"start": "2026-11-22T01:02:03.1234567891Z"}`,
	`{"steps": [{"index": 1, "kind": "a"}, {"index": 2}], "steps": [{"name": "n"}]}`, `{"steps": [{"index": 1}, {"index": 2}], "steps": [{}], "steps": [{}, {"kind": "c"}]}`,
	`{"steps": [{"index": 1}], "steps": []}`, `{"steps": [], "steps": null}`, `{"scenario": {"name": "a", "tags": ["x"]}, "scenario": {"target": "t"}}`,
	`{"probe": {"url": "x"}, "probe": {"status": 1}}`, `{"probe": {"url": "x"}, "probe": null}`, `{"probe": 5}`, `{"probe": []}`,
	"{\"\u017ftatus\": \"passed\", \"\u212aind\": 1, \"STATUS\": \"x\"}", `{"status": "passed", "status": 2}`, `{"status": true, "error": [1]}`,
	`{"steps": [{"jar": [{"size": "1"}]}], "status": 2}`, `{"steps": [{"index": 123456789012345678901234}]}`, `{"steps": [{"index": -0}, {"index": 1e2}]}`,
	`{"steps": [{"jar": [{"value": {"bits": -0.0}}, {"value": {"bits": 1e400}}, {"value": {"bits": 0.1}}, {"value": {"bits": 1234567890123456}}]}]}`,
	`{"events": [{"value": ` + value + `}, {"value": ` + value + `}, {"value": null}, {"value": ` + value + `, "value": {"len": 3}}]}`,
	`{"events": [{"value": ` + value + `}, {"value": ` + value + `}], "events": [{"value": {"classes": ["x"]}}, {"value": {"raw": "r"}}]}`,
	`{"steps": [{"jar": [{"name": "a", "value": ` + value + `}, {"name": "b", "value": ` + value + `, "value": {"classes": ["q"], "raw": "x"}}]}]}`,
	`{"steps": [{"jar": [{"value": ` + value + `}]}], "steps": [{"jar": [{"value": {"len": 5}}]}]}`,
	`{"requests": [{"cookiesSent": [{"value": ` + value + `, "reasons": ["A"]}, {"value": ` + value + `, "reasons": ["A"], "reasons": ["B", "C"]}]}]}`,
	`{"events": [{"value": {"fp": "abcdefgh12345678", "len": 22, "classes": ["lower", "digit"], "x": [[[[1]]]]}}, {"value": {"fp": "abcdefgh12345678", "len": 22, "classes": ["lower", "digit"], "x": [[[[1]]]]}}]}`,
	`{"warnings": ["a", "b"], "warnings": ["c"]}`, `{"warnings": [1, "x"]}`, `{"warnings": null}`, `{"warnings": "x"}`,
	`{"schema": "sessiontrace.run/v1", "scenarios": [{"steps": -1.5}], "totals": {"flaky": true}}`,
	`{"Schema": "sessiontrace.run/v1", "SCENARIOS": [{"name": "a"}, {"name": "b"}], "scenarios": [{"file": "c"}]}`,
	"{\"error\": \"a\xffb\\ud800\\u00e9\\n\\\"\\\\\\/\\ud83d\\ude00<\"}", "{\"error\": \"\\ud800\\u0041\"}",
	"{\n \"schema\": \"sessiontrace.recording/v1\",\n \"steps\": [1,\n", "{\"schema\": \"sessiontrace.recording/v1\",\n\"steps\": \"no\"}",
	`{"schema": "sessiontrace.recording/v2"}`, `{"schema": "other"}`, "{\n\"schema\": \"sessiontrace.recording/v1\", \"status\" }",
	`{"schema": "sessiontrace.recording/v1", "future": {"a": [1, 2, {"b": null}]}, "status": "passed"}`,
	` { "schema" : "sessiontrace.recording/v1" , "steps" : [ { "index" : 1 , "jar" : [ ] } ] } `, "\n[\r\n\t1]\n", `[[[[[[[[[[]]]]]]]]]]`,
}

func TestDecodeMatchesUnmarshal(t *testing.T) {
	for _, s := range decodeSeeds {
		checkTypes(t, []byte(s))
		checkDecode(t, []byte(s))
	}
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	for _, s := range []string{deep, "[" + deep + "]", `{"future":` + deep + `}`, `{"future":[` + deep + `]}`, strings.Repeat(`{"a":`, 10001)} {
		checkTypes(t, []byte(s))
		checkDecode(t, []byte(s))
	}
	// Long arrays are sized from their first elements (and grown when
	// the estimate falls short).
	var events, requests []string
	for i := range 3000 {
		events = append(events, fmt.Sprintf(`{"step": %d, "name": "c%d", "value": %s}`, i%7, i%5, value))
		requests = append(requests, fmt.Sprintf(`{"id": "R%d", "cookiesSent": [{"name": "c", "value": %s}]%s}`, i, value, strings.Repeat(" ", i)))
	}
	long := `{"schema": "sessiontrace.recording/v1", "events": [` + strings.Join(events, ",") + `], "requests": [` + strings.Join(requests, ",") + `]}`
	checkTypes(t, []byte(long))
	checkDecode(t, []byte(long))
	for b := 0; b < 256; b++ {
		for _, s := range [][]byte{{byte(b)}, {'"', byte(b), '"'}, {'[', '1', byte(b)}, {'"', '\\', byte(b), '"'},
			[]byte(`{"schema":"sessiontrace.recording/v1","error":"` + string(rune(b)) + `"}` + string(rune(b)))} {
			checkTypes(t, s)
			checkDecode(t, s)
		}
	}
}

// The real files: the lab's recordings, a synthetic one, and the format
// with every field set.
func TestDecodeMatchesUnmarshalOnFiles(t *testing.T) {
	for _, data := range recjsontest.Files(t, "../analysis/testdata/lab/*.json") {
		checkTypes(t, data)
		checkDecode(t, data)
		// Cut anywhere, a recording is an error in the same place.
		for _, cut := range recjsontest.Cuts(data) {
			checkDecode(t, cut)
		}
	}
}

// Every field of the formats, filled: a field the generated decoder does
// not read fails here (and TestGeneratedCodeIsCurrent when it is stale).
func TestDecodeEveryField(t *testing.T) {
	n := 0
	var r Recording
	recjsontest.Fill(reflect.ValueOf(&r).Elem(), &n)
	r.Schema = Schema
	data, err := Encode(&r)
	if err != nil {
		t.Fatal(err)
	}
	checkTypes(t, data)
	checkDecode(t, data)
	if got, err := Decode("full.json", data); err != nil || !reflect.DeepEqual(got.Warnings, r.Warnings) {
		t.Fatalf("Decode: %v", err)
	}
	var ix Index
	recjsontest.Fill(reflect.ValueOf(&ix).Elem(), &n)
	ix.Schema = IndexSchema
	if data, err = EncodeIndex(&ix); err != nil {
		t.Fatal(err)
	}
	checkTypes(t, data)
	checkDecode(t, data)
	if got, err := DecodeIndex("index.json", data); err != nil || !reflect.DeepEqual(got, &ix) {
		t.Fatalf("DecodeIndex: %v", err)
	}
}

// FuzzDecodeJSON holds the generated decoders to json.Unmarshal, and
// Decode and DecodeIndex to what they were, on any input.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkTypes(t, data)
		checkDecode(t, data)
	})
}

// The inspector does not link encoding/json (its bundle's budget): not
// through this package, which leaves out what uses it on GOOS=js, nor
// otherwise.
func TestInspectorWithoutEncodingJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("lists the inspector's packages for wasm")
	}
	cmd := exec.Command(goTool(), "list", "-deps", ".", "../wasm")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("GOOS=js GOARCH=wasm go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if p == "encoding/json" {
			t.Fatal("the inspector (GOOS=js) imports encoding/json: read JSON with the generated decoders (internal/recjson) instead")
		}
	}
}
