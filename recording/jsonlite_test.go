package recording

//lint:file-ignore SA5008 liteProbe's odd tags are on purpose: they are read as encoding/json reads them

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The decoder of jsonlite.go is held to encoding/json's Unmarshal: the
// same values and the same errors, on the formats' types and on types
// that use what Unmarshal does beyond them.

// errKey describes an error of either decoder in the same terms.
func errKey(err error) string {
	var (
		syn  *json.SyntaxError
		typ  *json.UnmarshalTypeError
		lsyn *jsonSyntaxError
		ltyp *jsonTypeError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &syn):
		return fmt.Sprintf("syntax %q at %d", syn.Error(), syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("type %s into %v at %d, field %q", typ.Value, typ.Type, typ.Offset, typ.Field)
	case errors.As(err, &lsyn):
		return fmt.Sprintf("syntax %q at %d", lsyn.Error(), lsyn.Offset)
	case errors.As(err, &ltyp):
		return fmt.Sprintf("type %s into %v at %d, field %q", ltyp.Value, ltyp.Type, ltyp.Offset, ltyp.Field)
	}
	return "other " + err.Error()
}

// sameAsUnmarshal decodes data into a new T with both decoders and
// reports how they differ.
func sameAsUnmarshal[T any](data []byte) string {
	var want, got T
	werr := json.Unmarshal(data, &want)
	gerr := decodeJSON(data, &got)
	if wk, gk := errKey(werr), errKey(gerr); wk != gk {
		return fmt.Sprintf("%T: errors differ:\n encoding/json %s\n decodeJSON    %s", want, wk, gk)
	}
	if !reflect.DeepEqual(want, got) {
		return fmt.Sprintf("%T: values differ:\n encoding/json %#v\n decodeJSON    %#v", want, want, got)
	}
	return ""
}

// A textKey is a map key and a value with an UnmarshalText method.
type textKey string

func (k *textKey) UnmarshalText(b []byte) error {
	if bytes.Contains(b, []byte("bad")) {
		return errors.New("bad text")
	}
	*k = textKey("<" + string(b) + ">")
	return nil
}

// A jsonNote has an UnmarshalJSON method that fails on some input.
type jsonNote struct{ raw string }

func (n *jsonNote) UnmarshalJSON(b []byte) error {
	if bytes.Contains(b, []byte("fail")) {
		return errors.New("note: fail")
	}
	n.raw = string(b)
	return nil
}

type liteInner struct {
	A int               `json:"a"`
	B string            `json:"b,omitempty"`
	M map[string]string `json:"m"`
}

// liteProbe uses what Unmarshal does that the formats' types do not.
type liteProbe struct {
	I8      int8                `json:"i8"`
	U16     uint16              `json:"u16"`
	U       uint                `json:"u"`
	F32     float32             `json:"f32"`
	F       float64             `json:"f"`
	Arr     [2]int              `json:"arr"`
	IntMap  map[int]string      `json:"intMap"`
	UintMap map[uint8]bool      `json:"uintMap"`
	TextMap map[textKey]int     `json:"textMap"`
	AnyMap  map[string]any      `json:"anyMap"`
	Any     any                 `json:"any"`
	Err     error               `json:"err"`
	PP      **string            `json:"pp"`
	Text    textKey             `json:"text"`
	TextPtr *textKey            `json:"textPtr"`
	Note    jsonNote            `json:"note"`
	Notes   []*jsonNote         `json:"notes"`
	Inner   liteInner           `json:"inner"`
	Inners  []liteInner         `json:"inners"`
	InnerP  *liteInner          `json:"innerP"`
	Nested  map[string][]string `json:"nested"`
	Time    time.Time           `json:"time"`
	TimeP   *time.Time          `json:"timeP"`
	Status  Status              `json:"status"`
	Untag   string
	Dash    string `json:"-"`
	// Odd tags, read as encoding/json reads them: the name "-", an
	// invalid name (the Go name instead); dupType has two fields of one name.
	DashC  string `json:"-,"`
	BadTag string `json:"a\\b"`
	Win    string `json:"Untagged2"`
	// Untagged2 loses to the tagged field of its name.
	Untagged2 string
	Kelvin    string `json:"k"`
	Long      string `json:"ſtatus"`
	Embedded  int    `json:"embedded"`
}

// dupType has fields of one JSON name, which hide each other (go vet
// refuses such tags in source).
var dupType = reflect.StructOf([]reflect.StructField{
	{Name: "Dup1", Type: reflect.TypeFor[string](), Tag: `json:"dup"`},
	{Name: "Dup2", Type: reflect.TypeFor[string](), Tag: `json:"dup"`},
	{Name: "Dup", Type: reflect.TypeFor[string]()},
	{Name: "Two1", Type: reflect.TypeFor[int](), Tag: `json:"two"`},
	{Name: "Two", Type: reflect.TypeFor[string]()},
	{Name: "Three", Type: reflect.TypeFor[[]string](), Tag: `json:"dup,omitempty"`},
})

// sameAsUnmarshalType is sameAsUnmarshal for a type made at run time.
func sameAsUnmarshalType(data []byte, t reflect.Type) string {
	want, got := reflect.New(t), reflect.New(t)
	werr := json.Unmarshal(data, want.Interface())
	gerr := decodeJSON(data, got.Interface())
	if wk, gk := errKey(werr), errKey(gerr); wk != gk {
		return fmt.Sprintf("%v: errors differ:\n encoding/json %s\n decodeJSON    %s", t, wk, gk)
	}
	if !reflect.DeepEqual(want.Interface(), got.Interface()) {
		return fmt.Sprintf("%v: values differ:\n encoding/json %#v\n decodeJSON    %#v", t, want.Elem(), got.Elem())
	}
	return ""
}

func checkLite(t *testing.T, data []byte) {
	t.Helper()
	for _, diff := range []string{
		sameAsUnmarshalType(data, dupType),
		sameAsUnmarshal[any](data),
		sameAsUnmarshal[liteProbe](data),
		sameAsUnmarshal[[]liteProbe](data),
		sameAsUnmarshal[map[string]liteInner](data),
		sameAsUnmarshal[Recording](data),
		sameAsUnmarshal[Index](data),
		sameAsUnmarshal[harFileIn](data),
		sameAsUnmarshal[harMeta](data),
		sameAsUnmarshal[string](data),
		sameAsUnmarshal[float64](data),
		sameAsUnmarshal[*int](data),
		sameAsUnmarshal[[]string](data),
	} {
		if diff != "" {
			t.Fatalf("input %q:\n%s", data, diff)
		}
	}
}

// liteSeeds are inputs where Unmarshal does something worth copying.
var liteSeeds = []string{
	``, ` `, `null`, `true`, `false`, `0`, `-0`, `1.5e3`, `-`, `-a`, `01`, `1.`, `1.e`, `1e`, `1e+`, `1E-2`, `1x`,
	`"`, `"\`, `"\u12`, `"\u12G4"`, `"\x"`, "\"a\tb\"", "\"\x7f\"", `"\'"`, `tru`, `nul`, `fals`, `truex`, `nulL`,
	`[`, `[1`, `[1,`, `[1,]`, `[,1]`, `[1 2]`, `{`, `{"a"`, `{"a":`, `{"a":1`, `{"a":1,}`, `{"a" 1}`, `{1:1}`, `{"a":1}}`,
	`"\ud800"`, `"\ud800\u0041"`, `"\udc00\ud800"`, `"\ud83d\ude00"`, `"\ud83d\\ude00"`, "\"\xff\xfe\"", "\"a\xc3\"", "\"\xed\xa0\x80\"",
	"{\"\xff\":1}", `"\/\b\f\n\r\t\"\\"`,
	`{"i8": 127, "u16": 65535, "u": 1, "f32": 3.4e38, "f": 1e308, "bytes": [104, 105], "arr": [1, 2, 3], "intMap": {"-1": "a", "2": "b"}}`,
	`{"i8": 128}`, `{"i8": -129}`, `{"u16": -1}`, `{"u": 1.5}`, `{"f32": 3.5e38}`, `{"f": 1e400}`, `{"any": 1e400}`, `{"anyMap": {"x": [1e999]}}`,
	`{"bytes": [1, 2]}`, `{"bytes": [256]}`, `{"bytes": null}`, `{"arr": [1]}`, `{"arr": []}`, `{"arr": null}`,
	`{"intMap": {"x": "a"}}`, `{"uintMap": {"256": true, "-1": false, "1": true}}`, `{"textMap": {"a": 1, "bad": 2}}`, `{"textMap": {"a": 1}, "textMap": {"b": 2}}`,
	`{"any": {"a": [1, "x", null, true, {}]}}`, `{"err": "x"}`, `{"err": null}`, `{"err": {}}`, `{"err": []}`, `{"err": 1}`, `{"err": true}`,
	`{"pp": "x"}`, `{"pp": null}`, `{"text": "a"}`, `{"text": 1}`, `{"text": null}`, `{"text": true}`, `{"text": {}}`, `{"text": []}`, `{"textPtr": "bad"}`, `{"textPtr": null}`,
	`{"note": "fail"}`, `{"note": 1, "i8": "x"}`, `{"i8": "x", "note": "fail"}`, `{"notes": [null, "a", {"fail": 1}]}`,
	`{"inner": {"a": 1, "m": {"x": "y"}}, "inner": {"b": "z", "m": {"q": "r"}}}`, `{"inner": null}`, `{"innerP": {"a": 1}, "innerP": {"b": "x"}}`, `{"innerP": {"a": 1}, "innerP": null}`,
	`{"inners": [{"a": 1, "b": "x"}, {"a": 2}], "inners": [{"b": "y"}]}`, `{"inners": [{"a": 1}, {"a": 2}], "inners": [{"b": "y"}], "inners": [{}, {}]}`,
	`{"inners": [{"a": 1}], "inners": []}`, `{"inners": [{"a": "x"}, {"m": []}]}`, `{"nested": {"a": ["x"], "b": null, "a": ["y", "z"]}}`,
	`{"time": "2026-11-22T01:02:03.5+01:00"}`, `{"time": "yesterday"}`, `{"time": 5}`, `{"time": null}`, `{"timeP": null}`, `{"timeP": "2026-11-22T01:02:03Z"}`,
	`{"status": "passed"}`, `{"status": 1}`, `{"Untag": "u", "untag": "v", "UNTAG": "w"}`, `{"Dash": "d", "-": "e"}`, `{"BadTag": "x", "a\\b": "y"}`,
	`{"dup": "x", "Dup1": "y", "Dup2": "z", "Dup": "w", "two": 2, "Two": "t", "TWO": 3}`, `{"Untagged2": "w", "untagged2": "v"}`, `{"K": "kelvin", "\u212a": "sign"}`, `{"STATUS": "x", "ſtatus": "long s", "ſTATUS": "y"}`,
	`{"embedded": 1}`, `{"I8": 1, "i8": 2, "I8": "x"}`,
	`{"schema": "sessiontrace.recording/v1", "Schema": "x"}`, `{"schema": 1}`, `{"steps": [{"jar": [{"value": {"fp": 1}}]}]}`, `{"steps": {}}`, `{"steps": [null, {"index": 1.5}]}`,
	`{"requests": [{"headers": {"a": "b", "a": "c"}, "Headers": {"d": "e"}}], "requests": [{"maxAge": 1}]}`, `{"requests": [{"setCookies": [{"maxAge": null, "expires": "x"}]}]}`,
	`{"log": {"entries": [{"request": {"url": "x", "cookies": [{"httpOnly": "yes"}]}}]}}`, `{"log": {"Entries": [], "_Sessiontrace": {"values": [{"raw": "x"}]}}}`,
	`{"log": {"entries": [{"_step": 1, "_STEP": "x", "response": {"status": "200"}}]}, "log": {"pages": [{}]}}`, `{"log": []}`, `[{"log": 1}]`,
	`{"values": [{"fp": "a", "len": 1, "classes": ["x"], "bits": 1.5, "raw": null, "secret": true}], "start": "2026-11-22T00:00:00Z", "probe": {"status": "x"}}`,
	` { "a" : [ 1 , 2 ] , "b" : { } } `, "\n[\r\n\t1]\n", `[[[[[[[[[[]]]]]]]]]]`,
}

// A string into a []byte is what decodeJSON does not copy from Unmarshal
// (base64): a type error, never a silent difference. No format has such a
// field.
func TestDecodeJSONBase64IsATypeError(t *testing.T) {
	var p struct {
		Bytes []byte `json:"bytes"`
	}
	if err := decodeJSON([]byte(`{"bytes": [104, 105]}`), &p); err != nil || string(p.Bytes) != "hi" {
		t.Fatalf("an array into []byte: %q, %v", p.Bytes, err)
	}
	err := decodeJSON([]byte(`{"bytes": "aGk="}`), &p)
	if err == nil || !strings.Contains(err.Error(), "cannot unmarshal string into Go struct field bytes of type []uint8") {
		t.Fatalf("got %v, want a type error", err)
	}
}

// An interface that holds its own address, or another's: decodeJSON stops
// where Unmarshal does (its guard against looping forever), and fills the
// same values.
func TestDecodeJSONInterfacePointers(t *testing.T) {
	for _, data := range []string{`1`, `"x"`, `null`, `{"a":[1,"b"]}`, `true`} {
		var wantX, gotX, wantY, gotY any
		wantX, gotX = &wantX, &gotX
		werr := json.Unmarshal([]byte(data), &wantX)
		gerr := decodeJSON([]byte(data), &gotX)
		if errKey(werr) != errKey(gerr) || !reflect.DeepEqual(wantX, gotX) {
			t.Errorf("%s into itself: encoding/json %#v (%v), decodeJSON %#v (%v)", data, wantX, werr, gotX, gerr)
		}
		wantX, gotX = &wantY, &gotY
		werr = json.Unmarshal([]byte(data), &wantX)
		gerr = decodeJSON([]byte(data), &gotX)
		if errKey(werr) != errKey(gerr) || !reflect.DeepEqual(wantY, gotY) || !reflect.DeepEqual(wantX, gotX) {
			t.Errorf("%s through another: encoding/json %#v (%v), decodeJSON %#v (%v)", data, wantY, werr, gotY, gerr)
		}
		var wantP, gotP any
		n, m := 5, 5
		wantP, gotP = &n, &m
		werr = json.Unmarshal([]byte(data), &wantP)
		gerr = decodeJSON([]byte(data), &gotP)
		if errKey(werr) != errKey(gerr) || !reflect.DeepEqual(wantP, gotP) {
			t.Errorf("%s through *int: encoding/json %#v (%v), decodeJSON %#v (%v)", data, wantP, werr, gotP, gerr)
		}
	}
}

func TestDecodeJSONMatchesUnmarshal(t *testing.T) {
	for _, s := range liteSeeds {
		checkLite(t, []byte(s))
	}
	deep := strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth)
	checkLite(t, []byte(deep))
	checkLite(t, []byte("["+deep+"]"))
	checkLite(t, []byte(strings.Repeat(`{"a":`, maxJSONDepth+1)))
	for b := 0; b < 256; b++ {
		checkLite(t, []byte{byte(b)})
		checkLite(t, []byte{'"', byte(b), '"'})
		checkLite(t, []byte{'[', '1', byte(b)})
		checkLite(t, []byte{'"', '\\', byte(b), '"'})
	}
}

// The real files: the lab's recordings, the run index format, the HARs.
func TestDecodeLiteMatchesDecodeOnFiles(t *testing.T) {
	files, _ := filepath.Glob("../analysis/testdata/lab/*.json")
	hars, _ := filepath.Glob("testdata/har/*.har")
	if len(files) == 0 || len(hars) == 0 {
		t.Fatal("no lab recordings or HAR fixtures")
	}
	for _, f := range append(files, hars...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkDecodeLite(t, data)
		if diff := sameAsUnmarshal[harFileIn](data); diff != "" {
			t.Fatalf("%s: %s", f, diff)
		}
	}
	if b, err := ExportHAR(sampleForHAR(true)); err != nil {
		t.Fatal(err)
	} else if diff := sameAsUnmarshal[harFileIn](b); diff != "" {
		t.Fatal(diff)
	}
}

// checkDecodeLite compares DecodeLite with Decode and DecodeIndexLite
// with DecodeIndex.
func checkDecodeLite(t *testing.T, data []byte) {
	t.Helper()
	want, werr := Decode("f.json", data)
	got, gerr := DecodeLite("f.json", data)
	if fmt.Sprint(werr) != fmt.Sprint(gerr) || !reflect.DeepEqual(want, got) {
		t.Fatalf("input %q:\nDecode     %v\nDecodeLite %v", data, werr, gerr)
	}
	wix, werr := DecodeIndex("index.json", data)
	gix, gerr := DecodeIndexLite("index.json", data)
	if fmt.Sprint(werr) != fmt.Sprint(gerr) || !reflect.DeepEqual(wix, gix) {
		t.Fatalf("input %q:\nDecodeIndex     %v\nDecodeIndexLite %v", data, werr, gerr)
	}
}

// fillLite sets every exported field reachable from v, so that a field
// the decoder missed shows as a difference.
func fillLite(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("s<&>\u2028\"\\é\x01" + strconv.Itoa(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n) + 0.25)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillLite(v.Elem(), n)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fillLite(s.Index(0), n)
		fillLite(s.Index(1), n)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fillLite(k, n)
			fillLite(e, n)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 11, 22, 1, 2, 3, *n, time.FixedZone("", 3600))))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fillLite(v.Field(i), n)
			}
		}
	}
}

// Every field of the formats, filled: a field of a kind the decoder does
// not handle fails here.
func TestDecodeLiteEveryField(t *testing.T) {
	n := 0
	var r Recording
	fillLite(reflect.ValueOf(&r).Elem(), &n)
	r.Schema = Schema
	data, err := Encode(&r)
	if err != nil {
		t.Fatal(err)
	}
	checkDecodeLite(t, data)
	if got, err := DecodeLite("full.json", data); err != nil || !reflect.DeepEqual(got.Warnings, r.Warnings) {
		t.Fatalf("DecodeLite: %v", err)
	}
	var ix Index
	fillLite(reflect.ValueOf(&ix).Elem(), &n)
	ix.Schema = IndexSchema
	if data, err = EncodeIndex(&ix); err != nil {
		t.Fatal(err)
	}
	checkDecodeLite(t, data)
	var m harMeta
	fillLite(reflect.ValueOf(&m).Elem(), &n)
	if data, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	if diff := sameAsUnmarshal[harMeta](data); diff != "" {
		t.Fatal(diff)
	}
	for _, typ := range []any{Recording{}, Index{}, harFileIn{}, harMeta{}, harStep{}, harBlocked{}, harRejected{}} {
		if err := decodeJSON([]byte(`{}`), reflect.New(reflect.TypeOf(typ)).Interface()); err != nil {
			t.Errorf("%T: %v", typ, err)
		}
	}
}

// What the decoder refuses rather than decode differently.
func TestDecodeJSONUnsupported(t *testing.T) {
	type Base struct{ A int }
	var embedded struct {
		Base
		B int
	}
	var quoted struct {
		N int `json:"n,string"`
	}
	for _, v := range []any{&embedded, &quoted} {
		if err := decodeJSON([]byte(`{"a": 1}`), v); err == nil || !strings.Contains(err.Error(), "not supported") {
			t.Errorf("%T: error %v, want not supported", v, err)
		}
	}
}

func TestDecodeLiteErrors(t *testing.T) {
	for _, in := range []string{
		"{\n \"schema\": \"sessiontrace.recording/v1\",\n \"steps\": [1,\n",
		"{\"schema\": \"sessiontrace.recording/v1\",\n\"steps\": \"no\"}",
		`{"schema": "sessiontrace.recording/v2"}`, `{"schema": "other"}`, `{}`, `null`, `[]`,
		"{\n\"schema\": \"sessiontrace.recording/v1\", \"status\" }",
		`{"schema": "sessiontrace.recording/v1", "start": "noon"}`,
		`{"schema": "sessiontrace.recording/v1", "steps": [{"jar": [{"size": "x"}]}], "status": 1}`,
		`{"schema": "sessiontrace.run/v1", "scenarios": [{"steps": -1.5}], "totals": {"flaky": true}}`,
		`{"Schema": "sessiontrace.run/v1", "SCENARIOS": [{"name": "a"}, {"name": "b"}], "scenarios": [{"file": "c"}]}`,
	} {
		checkDecodeLite(t, []byte(in))
	}
}

// offsetOfStd and elementOffsetsStd are offsetOf and elementOffsets as
// they were, on encoding/json's Decoder.
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
		if got, want := offsetOf(data, path...), offsetOfStd(data, path...); got != want {
			t.Fatalf("input %q: offsetOf(%v) = %d, was %d", data, path, got, want)
		}
	}
	for _, path := range [][]any{{"log", "entries"}, {"log", "pages"}, {}, {"a"}} {
		if got, want := elementOffsets(data, path...), elementOffsetsStd(data, path...); !reflect.DeepEqual(got, want) {
			t.Fatalf("input %q: elementOffsets(%v) = %v, was %v", data, path, got, want)
		}
	}
}

func TestOffsetsAsBefore(t *testing.T) {
	for _, s := range append(liteSeeds,
		`{"log": {"entries": [ {"request": {}} , {"request" : {"url": 1}}, 3 ], "pages": [{"startedDateTime": "x"}]}}`,
		`{"log": 1, "log": {"entries": []}}`, `{"Log": {"entries": [1]}}`, `[ {"a": [1, {"b": [2, 3]}]}, {"a": 1} ]`,
		`{"\u006cog": {"entries": [[], {}]}}`, ` {"log":{"pages":[ {"startedDateTime":null} ]}} `) {
		checkOffsets(t, []byte(s))
	}
	for _, f := range []string{"chrome-fixation.har", "firefox-fixation.har", "playwright-correct.har"} {
		data, err := os.ReadFile(filepath.Join("testdata", "har", f))
		if err != nil {
			t.Fatal(err)
		}
		checkOffsets(t, data)
	}
}

// FuzzDecodeJSON holds decodeJSON to encoding/json's Unmarshal, offsetOf
// and elementOffsets to what they were, and DecodeLite and
// DecodeIndexLite to Decode and DecodeIndex, on any input.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range liteSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkLite(t, data)
		checkOffsets(t, data)
		checkDecodeLite(t, data)
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
			t.Fatal("the inspector (GOOS=js) imports encoding/json: use DecodeLite, DecodeIndexLite and decodeJSON instead")
		}
	}
}
