package recjson_test

// The report writer is held to encoding/json.

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/recjson"
	"github.com/sessiontrace/sessiontrace/internal/recjson/recjsontest"
	"github.com/sessiontrace/sessiontrace/internal/synth"
	"github.com/sessiontrace/sessiontrace/recording"
)

// The report the page shows is byte for byte what encoding/json writes.
func TestAppendReport(t *testing.T) {
	var recs []*recording.Recording
	for name, data := range recjsontest.Files(t, "../../analysis/testdata/lab/*.json") {
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
		got, err := recjson.AppendReport(nil, rep)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("AppendReport differs from json.Marshal (%v):\n%.300s\n%.300s", err, got, want)
		}
	}
	// Every field filled.
	var rep analysis.Report
	n := 0
	recjsontest.Fill(reflect.ValueOf(&rep).Elem(), &n)
	want, _ := json.Marshal(&rep)
	got, _ := recjson.AppendReport(nil, &rep)
	if !bytes.Equal(got, want) {
		t.Fatalf("full report differs:\n%s\n%s", got, want)
	}
}

// AppendReport is json.Marshal for any report JSON can describe: nulls
// and empty lists, absent and zero fields, odd strings and numbers.
func FuzzAppendReport(f *testing.F) {
	var full analysis.Report
	n := 0
	recjsontest.Fill(reflect.ValueOf(&full).Elem(), &n)
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
		if got, err := recjson.AppendReport(nil, rep); err != nil || !bytes.Equal(got, want) {
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
		if got := recjson.AppendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s want %s", s, got, want)
		}
	})
}
