// Package recjsontest holds the generated JSON decoders to encoding/json
// in tests: the packages that have generated decoders (recording,
// recording/har, and recjson's tests on its probe types) share it.
package recjsontest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/sessiontrace/sessiontrace/internal/recjson"
)

// ErrKey describes an error of encoding/json or of a generated decoder in
// the same terms: syntax errors by message and offset, type errors by
// value, Go type, offset and field path.
func ErrKey(err error) string {
	var (
		syn  *json.SyntaxError
		typ  *json.UnmarshalTypeError
		gsyn *recjson.SyntaxError
		gtyp *recjson.TypeError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &syn):
		return fmt.Sprintf("syntax %q at %d", syn.Error(), syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("type %s into %v at %d, field %q", typ.Value, typ.Type, typ.Offset, typ.Field)
	case errors.As(err, &gsyn):
		return fmt.Sprintf("syntax %q at %d", gsyn.Error(), gsyn.Offset)
	case errors.As(err, &gtyp):
		return fmt.Sprintf("type %s into %v at %d, field %q", gtyp.Value, gtyp.Type, gtyp.Offset, gtyp.Field)
	}
	return "other " + err.Error()
}

// Same decodes data into a new T with json.Unmarshal and with gen, a
// generated decoder, and says how they differ ("" when they do not). The
// values are compared after a type error too, which does not stop
// decoding: both fill the same fields. (After a syntax error or an
// UnmarshalJSON method's, which do, what was filled differs: callers
// drop it.)
func Same[T any](data []byte, gen func([]byte, *T) error) string {
	var want, got T
	werr := json.Unmarshal(data, &want)
	gerr := gen(data, &got)
	if wk, gk := ErrKey(werr), ErrKey(gerr); wk != gk {
		return fmt.Sprintf("%T: errors differ:\n encoding/json %s\n generated     %s", want, wk, gk)
	}
	var typ *json.UnmarshalTypeError
	if (werr == nil || errors.As(werr, &typ)) && !reflect.DeepEqual(want, got) {
		return fmt.Sprintf("%T: values differ:\n encoding/json %#v\n generated     %#v", want, want, got)
	}
	return ""
}

// Check fails the test on data at the first difference that diffs, the
// answers of Same on data, report.
func Check(t testing.TB, data []byte, diffs ...string) {
	t.Helper()
	for _, diff := range diffs {
		if diff != "" {
			t.Fatalf("input %q:\n%s", data, diff)
		}
	}
}

// Files reads the files that match pattern (filepath.Glob), by base name:
// the real files a decoder is held to. A pattern that matches nothing
// fails the test, which would otherwise check nothing.
func Files(t testing.TB, pattern string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(pattern)
	if err != nil || len(paths) == 0 {
		t.Fatalf("no file matches %s (%v)", pattern, err)
	}
	out := make(map[string][]byte, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = data
	}
	return out
}

// Cuts returns data (at least two bytes) cut short at a few places: a
// file cut anywhere must fail the same way in a generated decoder as in
// encoding/json.
func Cuts(data []byte) [][]byte {
	return [][]byte{data[:1], data[:len(data)/3], data[:len(data)/2], data[:len(data)-2]}
}

// Seed adds inputs to a fuzz target's corpus.
func Seed(f *testing.F, inputs []string) {
	for _, s := range inputs {
		f.Add([]byte(s))
	}
}

// Fill sets every exported field reachable from v, so that a field a
// decoder or writer misses shows as a difference. n numbers the values.
func Fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("s<&>\u2028\"\\é\x01" + strconv.Itoa(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n) + 0.25)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		Fill(v.Elem(), n)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		Fill(s.Index(0), n)
		Fill(s.Index(1), n)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			Fill(k, n)
			Fill(e, n)
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
				Fill(v.Field(i), n)
			}
		}
	}
}
