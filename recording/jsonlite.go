package recording

// A JSON decoder without encoding/json, for the inspector: encoding/json
// and the reflection it drags in cost the inspector's WebAssembly about
// 100-160 kB gzipped, a tenth of its budget. decodeJSON reads the HARs
// (ImportHAR, on every platform), and the recordings and run indexes
// that the inspector's fast decoder leaves to it (DecodeLite,
// DecodeIndexLite).
//
// It is held to encoding/json's Unmarshal, byte for byte and value for
// value, by differential tests and fuzz targets (jsonlite_test.go): the
// same syntax errors (text and offset), the same type errors (JSON kind,
// Go type, field path, offset), the same results for what Unmarshal does
// quietly: keys matched to fields in any case (exact case first, then
// Unicode simple folding), duplicate keys (the later one is decoded into
// what the earlier one left: structs, maps and slice elements merge),
// null (clears pointers, slices, maps and interfaces, leaves the rest),
// invalid UTF-8 and lone surrogates in strings (U+FFFD), numbers that do
// not fit (a type error, the rest still decoded). It calls UnmarshalJSON
// and UnmarshalText methods as Unmarshal does (time.Time's among them).
//
// What it does not do, because no type of this package needs it: embedded
// structs whose fields are promoted, the ",string" tag option,
// json.Number, and base64 strings into []byte fields (a type error here;
// encoding/base64 would cost the page 4 kB). A struct that uses them is an
// error, never a silent difference; TestDecodeLiteEveryField decodes
// every field of the formats.

import (
	"encoding"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// A jsonSyntaxError is encoding/json's SyntaxError: the same message
// and offset (the error occurred after reading Offset bytes).
type jsonSyntaxError struct {
	msg    string
	Offset int64
}

func (e *jsonSyntaxError) Error() string { return e.msg }

// A jsonTypeError is encoding/json's UnmarshalTypeError: a JSON value
// (Value: "bool", "array", "number -5") that does not fit the Go type
// Type, at the field path Field (JSON names joined by dots, no array
// indices), Offset the offset encoding/json reports (just after a
// literal; just after the '[' or '{' of an array or object).
type jsonTypeError struct {
	Value  string
	Type   reflect.Type
	Offset int64
	Field  string
}

func (e *jsonTypeError) Error() string {
	if e.Field != "" {
		return "json: cannot unmarshal " + e.Value + " into Go struct field " + e.Field + " of type " + e.Type.String()
	}
	return "json: cannot unmarshal " + e.Value + " into Go value of type " + e.Type.String()
}

// decodeJSON is json.Unmarshal(data, v) for a non-nil pointer v.
func decodeJSON(data []byte, v any) error {
	if err := checkJSON(data); err != nil {
		return err
	}
	return decodeValidJSON(data, v)
}

// decodeValidJSON is decodeJSON for data that checkJSON accepted.
func decodeValidJSON(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("decodeJSON: %T is not a non-nil pointer", v)
	}
	d := &jsonDecoder{data: data}
	d.space()
	if err := d.value(rv); err != nil {
		return err
	}
	return d.saved
}

// liteError is jsonError for decodeJSON's errors: a DecodeError with the
// line and column of the offset, and the same message.
func liteError(file string, data []byte, err error) error {
	switch e := err.(type) {
	case *jsonSyntaxError:
		l, c := lineCol(data, e.Offset)
		return &DecodeError{File: file, Line: l, Column: c, Msg: "invalid JSON: " + e.msg}
	case *jsonTypeError:
		l, c := lineCol(data, e.Offset)
		field := e.Field
		if field == "" {
			field = "value"
		}
		return &DecodeError{File: file, Line: l, Column: c,
			Msg: fmt.Sprintf("%s: expected %s, got JSON %s", field, e.Type, e.Value)}
	}
	return &DecodeError{File: file, Msg: err.Error()}
}

// ---------------------------------------------------------------------------
// Syntax: encoding/json's checkValid, as a recursive descent with the
// same messages and offsets as its state machine.

// maxJSONDepth is encoding/json's limit on nested arrays and objects.
const maxJSONDepth = 10000

type jsonChecker struct {
	data  []byte
	i     int
	depth int
}

// checkJSON reports the first syntax error of data as encoding/json does,
// nil when data is one JSON value (with white space around it).
func checkJSON(data []byte) error {
	c := &jsonChecker{data: data}
	if err := c.value(); err != nil {
		return err
	}
	c.space()
	if c.i < len(data) {
		return c.bad("after top-level value")
	}
	return nil
}

func (c *jsonChecker) space() {
	for c.i < len(c.data) && isJSONSpace(c.data[c.i]) {
		c.i++
	}
}

func isJSONSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

// bad is the error for the byte at c.i: at the end of the input the
// scanner sees the space it pads the input with.
func (c *jsonChecker) bad(context string) error {
	if c.i >= len(c.data) {
		return &jsonSyntaxError{"invalid character ' ' " + context, int64(len(c.data))}
	}
	return &jsonSyntaxError{"invalid character " + quoteJSONChar(c.data[c.i]) + " " + context, int64(c.i + 1)}
}

func (c *jsonChecker) eof() error {
	return &jsonSyntaxError{"unexpected end of JSON input", int64(len(c.data))}
}

// quoteJSONChar is encoding/json's quoteChar.
func quoteJSONChar(b byte) string {
	switch b {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	s := strconv.Quote(string(rune(b)))
	return "'" + s[1:len(s)-1] + "'"
}

func (c *jsonChecker) value() error {
	c.space()
	if c.i >= len(c.data) {
		return c.eof()
	}
	switch b := c.data[c.i]; {
	case b == '{':
		return c.object()
	case b == '[':
		return c.array()
	case b == '"':
		return c.str()
	case b == '-' || '0' <= b && b <= '9':
		return c.number()
	case b == 't':
		return c.literal("true")
	case b == 'f':
		return c.literal("false")
	case b == 'n':
		return c.literal("null")
	}
	return c.bad("looking for beginning of value")
}

func (c *jsonChecker) object() error {
	if c.depth++; c.depth > maxJSONDepth {
		return c.bad("exceeded max depth")
	}
	c.i++
	c.space()
	if c.i < len(c.data) && c.data[c.i] == '}' {
		c.i++
		c.depth--
		return nil
	}
	for {
		if c.i >= len(c.data) {
			return c.eof()
		}
		if c.data[c.i] != '"' {
			return c.bad("looking for beginning of object key string")
		}
		if err := c.str(); err != nil {
			return err
		}
		c.space()
		if c.i >= len(c.data) {
			return c.eof()
		}
		if c.data[c.i] != ':' {
			return c.bad("after object key")
		}
		c.i++
		if err := c.value(); err != nil {
			return err
		}
		c.space()
		if c.i >= len(c.data) {
			return c.eof()
		}
		switch c.data[c.i] {
		case ',':
			c.i++
			c.space()
			continue
		case '}':
			c.i++
			c.depth--
			return nil
		}
		return c.bad("after object key:value pair")
	}
}

func (c *jsonChecker) array() error {
	if c.depth++; c.depth > maxJSONDepth {
		return c.bad("exceeded max depth")
	}
	c.i++
	c.space()
	if c.i < len(c.data) && c.data[c.i] == ']' {
		c.i++
		c.depth--
		return nil
	}
	for {
		if err := c.value(); err != nil {
			return err
		}
		c.space()
		if c.i >= len(c.data) {
			return c.eof()
		}
		switch c.data[c.i] {
		case ',':
			c.i++
			continue
		case ']':
			c.i++
			c.depth--
			return nil
		}
		return c.bad("after array element")
	}
}

func (c *jsonChecker) str() error {
	c.i++
	for {
		// The common bytes first.
		for c.i < len(c.data) && c.data[c.i] >= 0x20 && c.data[c.i] != '"' && c.data[c.i] != '\\' {
			c.i++
		}
		if c.i >= len(c.data) {
			return c.eof()
		}
		switch c.data[c.i] {
		case '"':
			c.i++
			return nil
		case '\\':
			c.i++
			if c.i >= len(c.data) {
				return c.bad("in string escape code")
			}
			switch c.data[c.i] {
			case 'b', 'f', 'n', 'r', 't', '\\', '/', '"':
				c.i++
			case 'u':
				c.i++
				for k := 0; k < 4; k++ {
					if c.i >= len(c.data) || !isHex(c.data[c.i]) {
						return c.bad("in \\u hexadecimal character escape")
					}
					c.i++
				}
			default:
				return c.bad("in string escape code")
			}
		default: // a control character
			return c.bad("in string literal")
		}
	}
}

func isHex(b byte) bool { return '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F' }

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

func (c *jsonChecker) digits() {
	for c.i < len(c.data) && isDigit(c.data[c.i]) {
		c.i++
	}
}

func (c *jsonChecker) number() error {
	if c.data[c.i] == '-' {
		c.i++
		if c.i >= len(c.data) || !isDigit(c.data[c.i]) {
			return c.bad("in numeric literal")
		}
	}
	if c.data[c.i] == '0' {
		c.i++
	} else {
		c.digits()
	}
	if c.i < len(c.data) && c.data[c.i] == '.' {
		c.i++
		if c.i >= len(c.data) || !isDigit(c.data[c.i]) {
			return c.bad("after decimal point in numeric literal")
		}
		c.digits()
	}
	if c.i < len(c.data) && (c.data[c.i] == 'e' || c.data[c.i] == 'E') {
		c.i++
		if c.i < len(c.data) && (c.data[c.i] == '+' || c.data[c.i] == '-') {
			c.i++
		}
		if c.i >= len(c.data) || !isDigit(c.data[c.i]) {
			return c.bad("in exponent of numeric literal")
		}
		c.digits()
	}
	return nil
}

func (c *jsonChecker) literal(word string) error {
	c.i++
	for k := 1; k < len(word); k++ {
		if c.i >= len(c.data) || c.data[c.i] != word[k] {
			return c.bad("in literal " + word + " (expecting " + quoteJSONChar(word[k]) + ")")
		}
		c.i++
	}
	return nil
}

// ---------------------------------------------------------------------------
// Decoding: encoding/json's decodeState, over input checkJSON accepted.

type jsonUnmarshaler interface {
	UnmarshalJSON([]byte) error
}

var textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()

type jsonDecoder struct {
	data  []byte
	i     int
	saved error    // the first type error, reported at the end
	path  []string // the JSON names of the struct fields being decoded
}

func (d *jsonDecoder) space() {
	for d.i < len(d.data) && isJSONSpace(d.data[d.i]) {
		d.i++
	}
}

// saveError keeps the first error, as encoding/json does with the errors
// that do not stop the decoding.
func (d *jsonDecoder) saveError(err error) {
	if d.saved != nil {
		return
	}
	if te, ok := err.(*jsonTypeError); ok {
		te.Field = strings.Join(d.path, ".")
	}
	d.saved = err
}

func (d *jsonDecoder) typeError(value string, t reflect.Type, off int) {
	d.saveError(&jsonTypeError{Value: value, Type: t, Offset: int64(off)})
}

// skip moves past the value at d.i.
func (d *jsonDecoder) skip() {
	depth := 0
	for {
		switch d.data[d.i] {
		case '"':
			d.skipString()
		case '{', '[':
			depth++
			d.i++
		case '}', ']':
			depth--
			d.i++
		case ',', ':', ' ', '\t', '\r', '\n':
			d.i++
		default:
			d.skipLiteral()
		}
		if depth == 0 {
			return
		}
	}
}

func (d *jsonDecoder) skipString() {
	d.i++
	for {
		switch d.data[d.i] {
		case '"':
			d.i++
			return
		case '\\':
			d.i += 2
		default:
			d.i++
		}
	}
}

// skipLiteral moves past a number, true, false or null.
func (d *jsonDecoder) skipLiteral() {
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return
		}
		d.i++
	}
}

// value decodes the value at d.i into v, or skips it when v is invalid.
func (d *jsonDecoder) value(v reflect.Value) error {
	switch d.data[d.i] {
	case '[':
		if !v.IsValid() {
			d.skip()
			return nil
		}
		return d.array(v)
	case '{':
		if !v.IsValid() {
			d.skip()
			return nil
		}
		return d.object(v)
	case '"':
		start := d.i
		d.skipString()
		if !v.IsValid() {
			return nil
		}
		return d.literal(d.data[start:d.i], v)
	}
	start := d.i
	d.skipLiteral()
	if !v.IsValid() {
		return nil
	}
	return d.literal(d.data[start:d.i], v)
}

// samePointer reports whether x is the pointer p (of p's type), as
// x.Equal(p) does for a pointer p.
func samePointer(x, p reflect.Value) bool {
	return x.Kind() == reflect.Pointer && x.Type() == p.Type() && x.Pointer() == p.Pointer()
}

// indirect is encoding/json's: it walks down v, allocating pointers,
// until a non-pointer, or a value with an UnmarshalJSON or UnmarshalText
// method; with decodingNull it stops at the last settable pointer.
func indirect(v reflect.Value, decodingNull bool) (jsonUnmarshaler, encoding.TextUnmarshaler, reflect.Value) {
	v0 := v
	haveAddr := false
	if v.Kind() != reflect.Pointer && v.Type().Name() != "" && v.CanAddr() {
		haveAddr = true
		v = v.Addr()
	}
	for {
		if v.Kind() == reflect.Interface && !v.IsNil() {
			e := v.Elem()
			if e.Kind() == reflect.Pointer && !e.IsNil() && (!decodingNull || e.Elem().Kind() == reflect.Pointer) {
				haveAddr = false
				v = e
				continue
			}
		}
		if v.Kind() != reflect.Pointer {
			break
		}
		if decodingNull && v.CanSet() {
			break
		}
		// encoding/json's v.Elem().Elem().Equal(v) (an interface that
		// holds its own address), without Value.Equal's code for every kind.
		if e := v.Elem(); e.Kind() == reflect.Interface && samePointer(e.Elem(), v) {
			v = v.Elem()
			break
		}
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		if v.Type().NumMethod() > 0 && v.CanInterface() {
			if u, ok := v.Interface().(jsonUnmarshaler); ok {
				return u, nil, reflect.Value{}
			}
			if !decodingNull {
				if u, ok := v.Interface().(encoding.TextUnmarshaler); ok {
					return nil, u, reflect.Value{}
				}
			}
		}
		if haveAddr {
			v = v0
			haveAddr = false
		} else {
			v = v.Elem()
		}
	}
	return nil, nil, v
}

func (d *jsonDecoder) array(v reflect.Value) error {
	start := d.i
	u, ut, pv := indirect(v, false)
	if u != nil {
		d.skip()
		return u.UnmarshalJSON(d.data[start:d.i])
	}
	if ut != nil {
		d.typeError("array", v.Type(), start+1)
		d.skip()
		return nil
	}
	v = pv
	switch v.Kind() {
	case reflect.Interface:
		if v.NumMethod() == 0 {
			v.Set(reflect.ValueOf(d.arrayInterface()))
			return nil
		}
		d.typeError("array", v.Type(), start+1)
		d.skip()
		return nil
	case reflect.Array, reflect.Slice:
	default:
		d.typeError("array", v.Type(), start+1)
		d.skip()
		return nil
	}
	d.i++
	d.space()
	i := 0
	if d.data[d.i] != ']' {
		for {
			if v.Kind() == reflect.Slice {
				if i >= v.Cap() {
					v.Grow(1)
				}
				if i >= v.Len() {
					v.SetLen(i + 1)
				}
			}
			if i < v.Len() {
				if err := d.value(v.Index(i)); err != nil {
					return err
				}
			} else {
				d.skip()
			}
			i++
			d.space()
			if d.data[d.i] == ']' {
				break
			}
			d.i++ // ','
			d.space()
		}
	}
	d.i++ // ']'
	if i < v.Len() {
		if v.Kind() == reflect.Array {
			for ; i < v.Len(); i++ {
				v.Index(i).SetZero()
			}
		} else {
			v.SetLen(i)
		}
	}
	if i == 0 && v.Kind() == reflect.Slice {
		v.Set(reflect.MakeSlice(v.Type(), 0, 0))
	}
	return nil
}

func (d *jsonDecoder) object(v reflect.Value) error {
	start := d.i
	u, ut, pv := indirect(v, false)
	if u != nil {
		d.skip()
		return u.UnmarshalJSON(d.data[start:d.i])
	}
	if ut != nil {
		d.typeError("object", v.Type(), start+1)
		d.skip()
		return nil
	}
	v = pv
	t := v.Type()
	if v.Kind() == reflect.Interface && v.NumMethod() == 0 {
		v.Set(reflect.ValueOf(d.objectInterface()))
		return nil
	}
	var fields *liteFields
	switch v.Kind() {
	case reflect.Map:
		switch t.Key().Kind() {
		case reflect.String,
			reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		default:
			if !reflect.PointerTo(t.Key()).Implements(textUnmarshalerType) {
				d.typeError("object", t, start+1)
				d.skip()
				return nil
			}
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(t))
		}
	case reflect.Struct:
		var err error
		if fields, err = liteFieldsOf(t); err != nil {
			return err
		}
	default:
		d.typeError("object", t, start+1)
		d.skip()
		return nil
	}

	var mapElem reflect.Value
	depth := len(d.path)
	d.i++
	d.space()
	if d.data[d.i] == '}' {
		d.i++
		return nil
	}
	for {
		kstart := d.i
		d.skipString()
		item := d.data[kstart:d.i]
		key := unquoteJSON(item)

		var subv reflect.Value
		if v.Kind() == reflect.Map {
			if !mapElem.IsValid() {
				mapElem = reflect.New(t.Elem()).Elem()
			} else {
				mapElem.SetZero()
			}
			subv = mapElem
		} else {
			f := fields.exact[string(key)]
			if f == nil {
				f = fields.folded[string(foldJSONName(key))]
			}
			if f != nil {
				subv = v.Field(f.index)
				d.path = append(d.path, f.name)
			}
		}
		d.space()
		d.i++ // ':'
		d.space()
		if err := d.value(subv); err != nil {
			return err
		}

		if v.Kind() == reflect.Map {
			kt := t.Key()
			var kv reflect.Value
			if reflect.PointerTo(kt).Implements(textUnmarshalerType) {
				kv = reflect.New(kt)
				if err := d.literal(item, kv); err != nil {
					return err
				}
				kv = kv.Elem()
			} else {
				switch kt.Kind() {
				case reflect.String:
					kv = reflect.New(kt).Elem()
					kv.SetString(string(key))
				case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
					s := string(key)
					n, err := strconv.ParseInt(s, 10, 64)
					if err != nil || kt.OverflowInt(n) {
						d.typeError("number "+s, kt, kstart+1)
						break
					}
					kv = reflect.New(kt).Elem()
					kv.SetInt(n)
				default: // the unsigned kinds
					s := string(key)
					n, err := strconv.ParseUint(s, 10, 64)
					if err != nil || kt.OverflowUint(n) {
						d.typeError("number "+s, kt, kstart+1)
						break
					}
					kv = reflect.New(kt).Elem()
					kv.SetUint(n)
				}
			}
			if kv.IsValid() {
				v.SetMapIndex(kv, subv)
			}
		}
		d.path = d.path[:depth]

		d.space()
		if d.data[d.i] == '}' {
			d.i++
			return nil
		}
		d.i++ // ','
		d.space()
	}
}

// literal decodes a string, number, true, false or null into v.
func (d *jsonDecoder) literal(item []byte, v reflect.Value) error {
	end := d.i // encoding/json's offset for a literal: just after it
	isNull := item[0] == 'n'
	u, ut, pv := indirect(v, isNull)
	if u != nil {
		return u.UnmarshalJSON(item)
	}
	if ut != nil {
		if item[0] != '"' {
			val := "number"
			switch item[0] {
			case 'n':
				val = "null"
			case 't', 'f':
				val = "bool"
			}
			d.typeError(val, v.Type(), end)
			return nil
		}
		return ut.UnmarshalText(unquoteJSON(item))
	}
	v = pv

	switch c := item[0]; c {
	case 'n':
		switch v.Kind() {
		case reflect.Interface, reflect.Pointer, reflect.Map, reflect.Slice:
			v.SetZero()
		}
	case 't', 'f':
		value := c == 't'
		switch v.Kind() {
		default:
			d.typeError("bool", v.Type(), end)
		case reflect.Bool:
			v.SetBool(value)
		case reflect.Interface:
			if v.NumMethod() == 0 {
				v.Set(reflect.ValueOf(value))
			} else {
				d.typeError("bool", v.Type(), end)
			}
		}
	case '"':
		s := unquoteJSON(item)
		switch v.Kind() {
		default:
			d.typeError("string", v.Type(), end)
		case reflect.String:
			v.SetString(string(s))
		case reflect.Interface:
			if v.NumMethod() == 0 {
				v.Set(reflect.ValueOf(string(s)))
			} else {
				d.typeError("string", v.Type(), end)
			}
		}
	default: // a number
		s := string(item)
		switch v.Kind() {
		case reflect.Interface:
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				d.typeError("number "+s, reflect.TypeFor[float64](), end+1)
				break
			}
			if v.NumMethod() != 0 {
				d.typeError("number", v.Type(), end)
				break
			}
			v.Set(reflect.ValueOf(f))
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || v.OverflowInt(n) {
				d.typeError("number "+s, v.Type(), end)
				break
			}
			v.SetInt(n)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			n, err := strconv.ParseUint(s, 10, 64)
			if err != nil || v.OverflowUint(n) {
				d.typeError("number "+s, v.Type(), end)
				break
			}
			v.SetUint(n)
		case reflect.Float32, reflect.Float64:
			n, err := strconv.ParseFloat(s, v.Type().Bits())
			if err != nil || v.OverflowFloat(n) {
				d.typeError("number "+s, v.Type(), end)
				break
			}
			v.SetFloat(n)
		default:
			d.typeError("number", v.Type(), end)
		}
	}
	return nil
}

// anyValue decodes the value at d.i as encoding/json does into an empty
// interface: map[string]any, []any, string, float64, bool or nil.
func (d *jsonDecoder) anyValue() any {
	switch d.data[d.i] {
	case '[':
		return d.arrayInterface()
	case '{':
		return d.objectInterface()
	case '"':
		start := d.i
		d.skipString()
		return string(unquoteJSON(d.data[start:d.i]))
	case 't':
		d.i += 4
		return true
	case 'f':
		d.i += 5
		return false
	case 'n':
		d.i += 4
		return nil
	}
	start := d.i
	d.skipLiteral()
	s := string(d.data[start:d.i])
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		d.typeError("number "+s, reflect.TypeFor[float64](), d.i+1)
		return nil
	}
	return f
}

func (d *jsonDecoder) arrayInterface() []any {
	v := make([]any, 0)
	d.i++
	d.space()
	if d.data[d.i] == ']' {
		d.i++
		return v
	}
	for {
		v = append(v, d.anyValue())
		d.space()
		if d.data[d.i] == ']' {
			d.i++
			return v
		}
		d.i++
		d.space()
	}
}

func (d *jsonDecoder) objectInterface() map[string]any {
	m := make(map[string]any)
	d.i++
	d.space()
	if d.data[d.i] == '}' {
		d.i++
		return m
	}
	for {
		kstart := d.i
		d.skipString()
		key := string(unquoteJSON(d.data[kstart:d.i]))
		d.space()
		d.i++ // ':'
		d.space()
		m[key] = d.anyValue()
		d.space()
		if d.data[d.i] == '}' {
			d.i++
			return m
		}
		d.i++
		d.space()
	}
}

// unquoteJSON decodes a string literal that checkJSON accepted, as
// encoding/json does: invalid UTF-8 and lone surrogates become U+FFFD.
// Without escapes nor invalid bytes the result shares memory with s.
func unquoteJSON(s []byte) []byte {
	s = s[1 : len(s)-1]
	r := 0
	for r < len(s) {
		c := s[r]
		if c == '\\' || c == '"' || c < ' ' {
			break
		}
		if c < utf8.RuneSelf {
			r++
			continue
		}
		rr, size := utf8.DecodeRune(s[r:])
		if rr == utf8.RuneError && size == 1 {
			break
		}
		r += size
	}
	if r == len(s) {
		return s
	}
	b := make([]byte, 0, len(s)+2*utf8.UTFMax)
	b = append(b, s[:r]...)
	for r < len(s) {
		switch c := s[r]; {
		case c == '\\':
			r++
			switch e := s[r]; e {
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr := hex4(s[r+1:])
				r += 5
				if utf16.IsSurrogate(rr) {
					if r+6 <= len(s) && s[r] == '\\' && s[r+1] == 'u' {
						if dec := utf16.DecodeRune(rr, hex4(s[r+2:])); dec != unicode.ReplacementChar {
							b = utf8.AppendRune(b, dec)
							r += 6
							continue
						}
					}
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
				continue
			default: // '"', '\\', '/'
				b = append(b, e)
			}
			r++
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	return b
}

// hex4 reads the four hex digits at the start of s (checked by checkJSON
// where they follow \u); -1 when they are not four hex digits.
func hex4(s []byte) rune {
	if len(s) < 4 {
		return -1
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// ---------------------------------------------------------------------------
// Struct fields, as encoding/json's typeFields finds them.

type liteField struct {
	name  string
	index int
}

type liteFields struct {
	exact  map[string]*liteField
	folded map[string]*liteField // the first field of each folded name
}

var liteFieldCache sync.Map // reflect.Type -> *liteFields

func liteFieldsOf(t reflect.Type) (*liteFields, error) {
	if f, ok := liteFieldCache.Load(t); ok {
		return f.(*liteFields), nil
	}
	type cand struct {
		liteField
		tagged bool
	}
	var all []cand
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		ft := sf.Type
		if ft.Name() == "" && ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if sf.Anonymous {
			if !sf.IsExported() && ft.Kind() != reflect.Struct {
				continue
			}
		} else if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if !validJSONTag(name) {
			name = ""
		}
		if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			return nil, fmt.Errorf("recording: decoding JSON into %v: the embedded struct %s is not supported", t, sf.Name)
		}
		if hasJSONOption(opts, "string") {
			switch ft.Kind() {
			case reflect.Bool, reflect.String, reflect.Float32, reflect.Float64,
				reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
				reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
				return nil, fmt.Errorf("recording: decoding JSON into %v: the \",string\" option of %s is not supported", t, sf.Name)
			}
		}
		tagged := name != ""
		if !tagged {
			name = sf.Name
		}
		all = append(all, cand{liteField{name, i}, tagged})
	}
	// Of the fields of one name (all at the same depth), a tagged one
	// wins over untagged ones; two tagged or two untagged hide each other.
	fs := &liteFields{exact: map[string]*liteField{}, folded: map[string]*liteField{}}
	var kept []*liteField
	for i := range all {
		c := &all[i]
		tagged, untagged := 0, 0
		for _, o := range all {
			if o.name == c.name {
				if o.tagged {
					tagged++
				} else {
					untagged++
				}
			}
		}
		if c.tagged && tagged == 1 || !c.tagged && tagged == 0 && untagged == 1 {
			kept = append(kept, &c.liteField)
		}
	}
	for _, f := range kept {
		fs.exact[f.name] = f
		k := string(foldJSONName([]byte(f.name)))
		if _, ok := fs.folded[k]; !ok {
			fs.folded[k] = f
		}
	}
	f, _ := liteFieldCache.LoadOrStore(t, fs)
	return f.(*liteFields), nil
}

func hasJSONOption(opts, name string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == name {
			return true
		}
	}
	return false
}

// validJSONTag is encoding/json's isValidTag.
func validJSONTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// foldJSONName is encoding/json's foldName: equal for names that
// bytes.EqualFold finds equal.
func foldJSONName(in []byte) []byte {
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); {
		if c := in[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(in[i:])
		for {
			r2 := unicode.SimpleFold(r)
			if r2 <= r {
				r = r2
				break
			}
			r = r2
		}
		out = utf8.AppendRune(out, r)
		i += n
	}
	return out
}
