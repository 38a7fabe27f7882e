package har

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/recjson"
	"github.com/sessiontrace/sessiontrace/internal/recjson/recjsontest"
	"github.com/sessiontrace/sessiontrace/recording"
)

// The generated decoder (decode_gen.go) is held to encoding/json on the
// HAR's types, and Import's errors to what they were when it read HARs
// with encoding/json's Unmarshal.

func checkInput(t *testing.T, data []byte) {
	t.Helper()
	recjsontest.Check(t, data,
		recjsontest.Same(data, unmarshalFileIn),
		recjsontest.Same(data, unmarshalMetaObject),
		recjsontest.Same(data, unmarshalPageStep),
		recjsontest.Same(data, unmarshalInitiatorIn),
		recjsontest.Same(data, unmarshalBlockedList),
		recjsontest.Same(data, unmarshalRejectedList))
	// A HAR that does not decode: the same error, at the same place.
	var hf fileIn
	if json.Unmarshal(data, &hf) != nil {
		_, _, err := Import("x.har", data, recording.NewRedactor([]byte("k"), false))
		if want := stdError("x.har", data); fmt.Sprint(err) != want {
			t.Fatalf("input %q:\nencoding/json %s\nImport        %v", data, want, err)
		}
	}
}

// stdError is Import's error for a HAR that json.Unmarshal refuses, as
// Import wrote it when it read HARs that way: a type error at the start
// of the value (found by scanning back from the end encoding/json gives),
// with the JSON it expected.
func stdError(file string, data []byte) string {
	var hf fileIn
	err := json.Unmarshal(data, &hf)
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		l, c := recjson.LineCol(data, (&recjson.SyntaxError{Msg: syn.Error(), Offset: syn.Offset}).At())
		return fmt.Sprintf("%s:%d:%d: invalid JSON: %s", file, l, c, syn.Error())
	case errors.As(err, &typ):
		off := typ.Offset
		if v := recjson.ValueStart(data, typ.Offset); v >= 0 {
			off = v
		}
		msg := "not a HAR file: expected a JSON object with a \"log\" object (HAR 1.2)"
		if typ.Field != "" {
			msg = fmt.Sprintf("%s: expected %s, got %s", indexedField(data, typ.Field, off), jsonKind(typ.Type), typ.Value)
		}
		l, c := recjson.LineCol(data, off)
		return fmt.Sprintf("%s:%d:%d: %s", file, l, c, msg)
	}
	return fmt.Sprint(err)
}

// jsonKind names a Go type as the JSON it is read from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Float32, reflect.Float64, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return t.String()
}

// decodeSeeds are HAR-shaped inputs where Unmarshal does something worth
// copying.
var decodeSeeds = []string{
	``, `null`, `[]`, `{}`, `"x"`, `{"log": []}`, `[{"log": 1}]`, `{"log": null}`, `{"log": {"entries": null}}`, `{"Log": {"Entries": []}}`,
	`{"log": {"entries": [{"request": {"url": "x", "cookies": [{"httpOnly": "yes"}]}}]}}`, `{"log": {"Entries": [], "_Sessiontrace": {"values": [{"raw": "x"}]}}}`,
	`{"log": {"entries": [{"_step": 1, "_STEP": "x", "response": {"status": "200"}}]}, "log": {"pages": [{}]}}`,
	`{"log": {"entries": [{}, {"request": {"headers": {}}}]}}`, `{"log": {"entries": {}}}`, `{"log": {"creator": 5, "browser": [], "version": 1.2}}`,
	`{"log": {"pages": [{"startedDateTime": 1}], "entries": [{"time": "5", "request": {"postData": {"params": [{"name": 1}]}}}]}}`,
	`{"log": {"entries": [{"request": {"cookies": [{"path": null, "domain": 1, "secure": null}]}, "response": {"cookies": [{"expires": {"a": [1]}}]}}]}}`,
	`{"log": {"entries": [{"response": {"status": 1e400}}, {"response": {"status": -0}}]}}`, `{"log": {"entries": [1, "x", null, true]}}`,
	"{\"log\": {\"entries\": [\n  {\"request\": ", `{"log": {"entries": [{"request": {"url": "\u00e9\ud800"}}]}}`, `{"schema": "sessiontrace.recording/v1"}`,
	`{"schema": "sessiontrace.har/v1", "scenario": {"name": "a"}, "start": "2026-11-22T01:02:03Z", "values": [{"fp": "a", "len": 1, "classes": ["x"], "bits": 1.5, "raw": null, "secret": true}], "probe": {"status": "x"}}`,
	`{"schema": "sessiontrace.har/v1", "start": "noon", "end": 5}`, `{"values": [{}, {"raw": "a"}], "values": [{"len": 2}]}`,
	`{"index": 1, "kind": "goto", "start": "2026-11-22T01:02:03.5+01:00", "status": "passed"}`, `{"index": "1"}`,
	`{"type": "script", "url": "u", "stack": {"callFrames": [{"url": "a"}, {"url": 1}]}}`, `{"stack": null}`, `{"stack": {"callFrames": null}}`,
	`[{"name": "a", "value": "b", "reasons": ["SecureOnly"], "index": 1}]`, `[{"reasons": "x"}, {"index": 1.5}]`, `[null, {}]`,
}

func TestDecodeMatchesUnmarshal(t *testing.T) {
	for _, s := range decodeSeeds {
		checkInput(t, []byte(s))
	}
	for _, data := range recjsontest.Files(t, "testdata/har/*.har") {
		checkInput(t, data)
		for _, cut := range recjsontest.Cuts(data) {
			checkInput(t, cut)
		}
	}
	if b, err := Export(sampleForHAR(true)); err != nil {
		t.Fatal(err)
	} else {
		checkInput(t, b)
	}
}

// Every field of the HAR's types, filled: a field the generated decoder
// does not read fails here.
func TestDecodeEveryField(t *testing.T) {
	n := 0
	for _, v := range []any{&fileIn{}, &metaObject{}, &pageStep{}, &initiatorIn{}, &[]blocked{}, &[]rejected{}} {
		recjsontest.Fill(reflect.ValueOf(v).Elem(), &n)
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		checkInput(t, data)
	}
}

// FuzzDecodeHAR holds the generated decoder of the HAR's types to
// encoding/json, and Import's errors to what they were, on any input.
func FuzzDecodeHAR(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkInput(t, data)
	})
}
