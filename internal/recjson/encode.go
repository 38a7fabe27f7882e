package recjson

import (
	"errors"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// AppendReport appends rep (an *analysis.Report: this package cannot
// import analysis, which imports recording, which imports this package)
// as json.Marshal(rep) writes it (compact, HTML characters escaped):
// `sessiontrace audit --format json` prints the same value, indented. It
// walks the report with reflect, which the page links anyway (fmt): a
// writer per report type cost the page code (docs/benchmarks.md), and
// needed code for every new field.
func AppendReport(b []byte, rep any) ([]byte, error) {
	e := enc{b: b}
	e.value(reflect.ValueOf(rep))
	return e.b, e.err
}

type enc struct {
	b   []byte
	err error
}

// value writes v as encoding/json does, for the kinds a report is made
// of: strings, booleans, integers, float64, pointers, slices, string
// maps (map[string]string) and structs with json tags (a name and
// omitempty; no embedded structs, no Marshaler methods: no report type
// has one). Anything else is an error.
func (e *enc) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		e.b = AppendString(e.b, v.String())
	case reflect.Bool:
		e.b = strconv.AppendBool(e.b, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.b = strconv.AppendInt(e.b, v.Int(), 10)
	case reflect.Float64:
		e.float(v.Float())
	case reflect.Pointer:
		if v.IsNil() {
			e.b = append(e.b, "null"...)
		} else {
			e.value(v.Elem())
		}
	case reflect.Slice:
		if v.IsNil() {
			e.b = append(e.b, "null"...)
			return
		}
		e.b = append(e.b, '[')
		for i := range v.Len() {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.value(v.Index(i))
		}
		e.b = append(e.b, ']')
	case reflect.Map:
		e.stringMap(v)
	case reflect.Struct:
		e.fields(v)
	default:
		e.unsupported(v.Type())
	}
}

func (e *enc) unsupported(t reflect.Type) {
	if e.err == nil {
		e.err = errors.New("recjson: cannot write a " + t.String() + " as JSON")
	}
	e.b = append(e.b, "null"...)
}

// stringMap writes a map[string]string, its keys in order.
func (e *enc) stringMap(v reflect.Value) {
	m, ok := v.Interface().(map[string]string)
	if !ok {
		e.unsupported(v.Type())
		return
	}
	if m == nil {
		e.b = append(e.b, "null"...)
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	e.b = append(e.b, '{')
	for i, k := range keys {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.b = AppendString(e.b, k)
		e.b = append(e.b, ':')
		e.b = AppendString(e.b, m[k])
	}
	e.b = append(e.b, '}')
}

// fields writes a struct's exported fields, named and left out as their
// json tags say.
func (e *enc) fields(v reflect.Value) {
	t := v.Type()
	e.b = append(e.b, '{')
	first := true
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			if e.err == nil {
				e.err = errors.New("recjson: cannot write the embedded field " + f.Name + " of " + t.String())
			}
			continue
		}
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		fv := v.Field(i)
		if hasOption(opts, "omitzero") && e.err == nil {
			e.err = errors.New("recjson: cannot write the omitzero field " + f.Name + " of " + t.String())
		}
		if hasOption(opts, "omitempty") && isEmpty(fv) {
			continue
		}
		if !first {
			e.b = append(e.b, ',')
		}
		first = false
		e.b = AppendString(e.b, name)
		e.b = append(e.b, ':')
		e.value(fv)
	}
	e.b = append(e.b, '}')
}

// hasOption reports whether the comma-separated options of a json tag
// include opt.
func hasOption(opts, opt string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == opt {
			return true
		}
	}
	return false
}

// isEmpty is encoding/json's test for omitempty, for the kinds value
// writes.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Float64:
		return v.Float() == 0
	case reflect.Pointer:
		return v.IsNil()
	}
	return false
}

// float writes f as encoding/json does (ES6 number formatting).
func (e *enc) float(f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		if e.err == nil {
			e.err = errors.New("json: unsupported value: " + strconv.FormatFloat(f, 'g', -1, 64))
		}
		e.b = append(e.b, '0')
		return
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	e.b = strconv.AppendFloat(e.b, f, format, -1, 64)
	if format == 'e' {
		n := len(e.b)
		if n >= 4 && e.b[n-4] == 'e' && e.b[n-3] == '-' && e.b[n-2] == '0' {
			e.b[n-2] = e.b[n-1]
			e.b = e.b[:n-1]
		}
	}
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string, escaped as encoding/json does
// by default (HTML characters too).
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
