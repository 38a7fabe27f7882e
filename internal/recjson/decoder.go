// Package recjson reads JSON into Go types without reflection, and writes
// analysis reports as JSON.
//
// Reading: the decoders of the types are generated from their definitions
// by gen/ (go generate in each package that has such types: recording,
// recording/har); this package is what they run on. A generated decoder
// is json.Unmarshal for its types, value for value and error for error:
// keys matched in any case, duplicate keys merged, null, invalid UTF-8,
// type errors with encoding/json's field path and offset, syntax errors
// with its message and offset (tests and fuzz targets hold it to
// encoding/json). It is fast where recordings are big: strings are slices
// of the input (which the caller must not modify afterwards), value
// objects that repeat byte for byte are shared (Memo), short lists of
// strings are shared, and arrays are sized from their first elements.
// The inspector (WebAssembly) uses it because encoding/json is much
// slower there than the browser's JSON.parse and weighs on its bundle;
// the CLI because it reads a large recording much faster
// (docs/benchmarks.md has the figures).
//
// It also answers what a JSON document is (Head) without
// decoding it, and writes reports (AppendReport).
package recjson

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"
)

// maxDepth is encoding/json's limit on nested arrays and objects.
const maxDepth = 10000

// A SyntaxError is encoding/json's SyntaxError: the same message, and the
// offset after which the error was found.
type SyntaxError struct {
	Msg    string
	Offset int64
}

func (e *SyntaxError) Error() string { return e.Msg }

// At is the byte offset to show the error at: the offending character
// (Offset is encoding/json's, just after it), or the end of the input.
func (e *SyntaxError) At() int64 {
	if e.Offset > 0 && strings.HasPrefix(e.Msg, "invalid character") {
		return e.Offset - 1
	}
	return e.Offset
}

// A TypeError is encoding/json's UnmarshalTypeError: a JSON value that
// does not fit the Go type it is read into. Decoding goes on; the first
// one is returned at the end.
type TypeError struct {
	// Value is the JSON value: "string", "number", "number 1.5", "bool",
	// "array", "object".
	Value string
	// Type is the Go type as reflect prints it ("int", "[]recording.Step").
	Type string
	// Expected is the JSON the Go type is read from: "a string", "a
	// number", "true or false", "an array", "an object".
	Expected string
	// Offset is encoding/json's: just after a literal, just after the
	// '[' or '{' of an array or object. Start is where the value starts.
	Offset, Start int64
	// Field is the path of JSON names of the struct fields from the top,
	// joined by dots, without array indices (encoding/json's); empty for
	// the top-level value.
	Field string
}

func (e *TypeError) Error() string {
	if e.Field != "" {
		return "json: cannot unmarshal " + e.Value + " into Go struct field " + e.Field + " of type " + e.Type
	}
	return "json: cannot unmarshal " + e.Value + " into Go value of type " + e.Type
}

// errInternal says the decoder stopped on input the syntax check accepts:
// a bug, which the fuzz targets look for.
var errInternal = errors.New("recjson: the decoder stopped on valid JSON (a bug)")

// syntaxStop and abort are the panics that stop decoding: bad syntax
// (whose message CheckSyntax then finds, as encoding/json checks the
// whole input first), or the error of an UnmarshalJSON method.
type syntaxStop struct{}

type abort struct{ err error }

// A Decoder reads one JSON document. Generated code embeds it in a state
// of its own (scratch space per type) and calls its methods; Run starts it.
type Decoder struct {
	data  []byte
	i     int
	depth int // open arrays and objects
	peak  int // the deepest depth reached (see Memo)

	err  *TypeError // the first type error
	pend int        // the level up to which err.Field is still being built (see Next)

	kinds []bool // Skip's stack: true for an object

	fold string // the field name Next returns again (see Unknown)

	// Allocation savers: string lists that repeat (classes, reasons) are
	// shared; a time literal equal to the previous one is not parsed
	// again (value objects are shared too: see Memo). Readers never
	// modify a decoded value, so sharing is invisible.
	lists    [][]string
	strs     []string
	lastTime []byte
	lastT    time.Time
}

// Run decodes data with fn, which reads one value at the start of data.
// It returns the error json.Unmarshal returns: the first syntax error of
// the whole input, else the error of an UnmarshalJSON method, else the
// first type error; nil if none.
func (d *Decoder) Run(data []byte, fn func()) (err error) {
	d.data, d.i = data, 0
	defer func() {
		if p := recover(); p != nil {
			err = d.stopped(p)
		}
	}()
	fn()
	d.ws()
	if d.i != len(d.data) {
		d.syntax()
	}
	if d.err != nil {
		return d.err
	}
	return nil
}

func (d *Decoder) stopped(p any) error {
	switch p := p.(type) {
	case syntaxStop:
		if err := CheckSyntax(d.data); err != nil {
			return err
		}
		return errInternal
	case abort:
		if err := CheckSyntax(d.data); err != nil {
			return err
		}
		return p.err
	}
	panic(p)
}

// syntax stops at bad syntax: the message comes from CheckSyntax.
func (d *Decoder) syntax() { panic(syntaxStop{}) }

// Abort stops decoding with err (an UnmarshalJSON method's).
func (d *Decoder) Abort(err error) { panic(abort{err}) }

// typeError keeps the first type error. Its field path is built on the
// way back up (see Next): pend is the level of the value that failed.
func (d *Decoder) typeError(value, typ, expected string, start, off int) {
	if d.err != nil {
		return
	}
	d.err = &TypeError{Value: value, Type: typ, Expected: expected, Offset: int64(off), Start: int64(start)}
	d.pend = d.depth + 1
}

// up adds the field name k, read by an object at level lvl, in front of
// the first type error's path.
func (d *Decoder) up(lvl int, k string) {
	if d.err.Field == "" {
		d.err.Field = strings.Clone(k)
	} else {
		d.err.Field = k + "." + d.err.Field
	}
	d.pend = lvl
}

func (d *Decoder) ws() {
	// Locals and a table: in WebAssembly every d.i is a memory access and
	// every comparison an instruction, and this loop sees a third of the
	// bytes. (The loop is written out where it is used: a function for it,
	// inlined, made decoding 5% slower there.)
	data, i := d.data, d.i
	for i < len(data) && isSpace[data[i]] {
		i++
	}
	d.i = i
}

// isSpace marks JSON's whitespace bytes.
var isSpace = [256]bool{' ': true, '\n': true, '\r': true, '\t': true}

// isPlain marks the bytes a string can hold as they are: printable ASCII
// but the quote and the backslash.
var isPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func (d *Decoder) push() {
	d.depth++
	if d.depth > d.peak { // rarely: peak is the deepest level yet
		d.peak = d.depth
		if d.depth > maxDepth {
			d.syntax()
		}
	}
}

// Object starts reading a JSON object into a struct of Go type typ. It
// reports whether a key follows, and returns it and the level to give
// Next. A null leaves the struct alone; another kind of value is a type
// error, skipped. A generated reader's loop over the keys is
//
//	for lvl, k, ok := d.Object(typ); ok; k, ok = d.Next(lvl, k) {
//		switch k {
//		case "name":
//			... // the field's value
//		default:
//			k = d.Unknown(k, names)
//		}
//	}
//
// What is the same for every struct (the commas, the keys, the end, keys
// in another case, the field path of a type error) is here, once; the
// switch, compiled for each struct, is the reader's.
func (d *Decoder) Object(typ string) (lvl int, k string, ok bool) {
	d.ws()
	if d.i < len(d.data) && d.data[d.i] == '{' {
		d.i++
		d.push()
		d.ws()
		if d.i < len(d.data) && d.data[d.i] == '}' {
			d.i++
			d.depth--
			return 0, "", false
		}
		return d.depth, d.key(), true
	}
	d.other(typ, "an object")
	return 0, "", false
}

// key reads an object key and its colon. The string may share memory with
// the input.
func (d *Decoder) key() string {
	// Keys are plain ASCII: scanned here, without a call to str (calls
	// are dear in WebAssembly, and a recording has millions of keys).
	data, i := d.data, d.i
	for i < len(data) && isSpace[data[i]] {
		i++
	}
	if i >= len(data) || data[i] != '"' {
		d.i = i
		d.syntax()
	}
	d.i = i
	i++
	start := i
	for i < len(data) && isPlain[data[i]] {
		i++
	}
	if i >= len(data) || data[i] != '"' || i == start {
		return d.keySlow() // escapes, other bytes, or ""
	}
	k := unsafe.String(&data[start], i-start)
	i++
	for i < len(data) && isSpace[data[i]] {
		i++
	}
	if i >= len(data) || data[i] != ':' {
		d.i = i
		d.syntax()
	}
	i++
	for i < len(data) && isSpace[data[i]] {
		i++
	}
	d.i = i
	return k
}

// keySlow is key for a key that is not plain ASCII, at d.i.
func (d *Decoder) keySlow() string {
	k := d.str()
	d.ws()
	if d.i >= len(d.data) || d.data[d.i] != ':' {
		d.syntax()
	}
	d.i++
	d.ws()
	return k
}

// Unknown handles key k, which names none of a struct's fields exactly.
// When it names one in another case (see folded), as encoding/json
// matches keys, it returns that field's name, which Next then returns
// again for the value to be read into the field; else it skips the value
// and returns "". Generated readers call it in the default case of their
// switch on the key. names are the JSON names of the struct's fields, in
// its order, joined by commas (which no JSON name of a field holds): one
// constant, where a slice literal was code in every reader.
func (d *Decoder) Unknown(k, names string) string {
	f := folded(k, names)
	if f == "" {
		d.Skip()
		return ""
	}
	// Next must not take the value for what follows it: a value never
	// starts with a comma, which Next would consume.
	if d.i < len(d.data) && d.data[d.i] == ',' {
		d.syntax()
	}
	d.fold = f
	return f
}

// Next ends the value of key k (as the struct's field names it) of the
// object at level lvl: it reports whether another key follows, and
// returns it. Its common case, a comma right after the value, comes
// first.
func (d *Decoder) Next(lvl int, k string) (string, bool) {
	if d.pend <= lvl && d.i < len(d.data) && d.data[d.i] == ',' {
		d.i++
		return d.key(), true
	}
	return d.nextField(lvl, k)
}

// nextField is Next when a type error happened inside the value (k then
// joins its field path), or whitespace or the end of the object follows,
// or the value is still ahead (see Unknown).
//
//go:noinline
func (d *Decoder) nextField(lvl int, k string) (string, bool) {
	if d.fold != "" {
		k, d.fold = d.fold, ""
		return k, true
	}
	if d.pend > lvl {
		d.up(lvl, k)
	}
	if d.nextSlow('}') {
		return d.key(), true
	}
	return "", false
}

// nextSlow is what follows a value in an object or array when whitespace
// comes first, or the end (closer).
//
//go:noinline
func (d *Decoder) nextSlow(closer byte) bool {
	d.ws()
	if d.i < len(d.data) {
		switch d.data[d.i] {
		case ',':
			d.i++
			return true
		case closer:
			d.i++
			d.depth--
			return false
		}
	}
	d.syntax()
	return false
}

// arrStart consumes the '[' at d.i and reports whether an element follows.
func (d *Decoder) arrStart() bool {
	d.i++
	d.push()
	d.ws()
	if d.i < len(d.data) && d.data[d.i] == ']' {
		d.i++
		d.depth--
		return false
	}
	return true
}

// arrNext is Next for arrays.
func (d *Decoder) arrNext() bool {
	if d.i < len(d.data) && d.data[d.i] == ',' {
		d.i++
		return true
	}
	return d.nextSlow(']')
}

// at reports whether the next value starts with c, after whitespace.
func (d *Decoder) at(c byte) bool {
	d.ws()
	return d.i < len(d.data) && d.data[d.i] == c
}

// Null consumes a null if one comes next.
func (d *Decoder) Null() bool {
	d.ws()
	if d.i+4 <= len(d.data) && string(d.data[d.i:d.i+4]) == "null" {
		d.i += 4
		return true
	}
	return false
}

// other handles a value that is not of the kind Go type typ reads from:
// null leaves the value alone, as encoding/json does for structs,
// strings, numbers and booleans; anything else is a type error, skipped.
func (d *Decoder) other(typ, expected string) {
	if d.i >= len(d.data) {
		d.syntax()
	}
	start := d.i
	var kind string
	switch c := d.data[start]; {
	case c == 'n':
		d.lit("null")
		return
	case c == '{':
		kind = "object"
	case c == '[':
		kind = "array"
	case c == '"':
		kind = "string"
	case c == 't' || c == 'f':
		kind = "bool"
	case c == '-' || '0' <= c && c <= '9':
		kind = "number"
	default:
		d.syntax()
	}
	d.skipValue()
	off := d.i
	if kind == "object" || kind == "array" {
		off = start + 1
	}
	d.typeError(kind, typ, expected, start, off)
}

// lit consumes the literal word at d.i.
func (d *Decoder) lit(word string) {
	if d.i+len(word) > len(d.data) || string(d.data[d.i:d.i+len(word)]) != word {
		d.syntax()
	}
	d.i += len(word)
}

// Skip moves past the next value, checking its syntax.
func (d *Decoder) Skip() {
	d.ws()
	d.skipValue()
}

// Raw returns the bytes of the next value (what an UnmarshalJSON method
// gets), checking its syntax.
func (d *Decoder) Raw() []byte {
	d.ws()
	start := d.i
	d.skipValue()
	return d.data[start:d.i]
}

// Unmarshal reads the next value with u's UnmarshalJSON method, as
// encoding/json does (null included); its error stops decoding.
func (d *Decoder) Unmarshal(u interface{ UnmarshalJSON([]byte) error }) {
	if err := u.UnmarshalJSON(d.Raw()); err != nil {
		d.Abort(err)
	}
}

// skipValue moves past the value at d.i. It loops rather than recursing:
// a value may nest 10,000 deep.
func (d *Decoder) skipValue() {
	base := d.depth
	kinds := d.kinds[:0]
	for {
		// A value starts at d.i.
		if d.i >= len(d.data) {
			d.syntax()
		}
		switch c := d.data[d.i]; {
		case c == '"':
			d.skipStr(d.i + 1)
		case c == '{' || c == '[':
			d.i++
			d.push()
			d.ws()
			if d.i < len(d.data) && d.data[d.i] == c+2 { // '}' or ']'
				d.i++
				d.depth--
				break
			}
			kinds = append(kinds, c == '{')
			if c == '{' {
				d.skipKey()
			}
			continue
		case c == 't':
			d.lit("true")
		case c == 'f':
			d.lit("false")
		case c == 'n':
			d.lit("null")
		case c == '-' || '0' <= c && c <= '9':
			d.number()
		default:
			d.syntax()
		}
		// After a value: close what ends, or go to the next element.
		for {
			if d.depth == base {
				d.kinds = kinds
				return
			}
			d.ws()
			if d.i >= len(d.data) {
				d.syntax()
			}
			obj := kinds[len(kinds)-1]
			c := d.data[d.i]
			if c == ',' {
				d.i++
				d.ws()
				if obj {
					d.skipKey()
				}
				break
			}
			if obj && c == '}' || !obj && c == ']' {
				d.i++
				d.depth--
				kinds = kinds[:len(kinds)-1]
				continue
			}
			d.syntax()
		}
	}
}

// skipKey moves past a key, its colon and the whitespace after it.
func (d *Decoder) skipKey() {
	if d.i >= len(d.data) || d.data[d.i] != '"' {
		d.syntax()
	}
	d.skipStr(d.i + 1)
	d.ws()
	if d.i >= len(d.data) || d.data[d.i] != ':' {
		d.syntax()
	}
	d.i++
	d.ws()
}

// skipStr moves past the string at d.i, checking its syntax (encoding/json
// accepts any byte from 0x20 up, invalid UTF-8 included); from is where
// its bytes still to check start. It reports whether it has no escapes.
func (d *Decoder) skipStr(from int) (plain bool) {
	data, i := d.data, from
	plain = true
	for {
		for i < len(data) && isPlain[data[i]] {
			i++
		}
		if i >= len(data) {
			d.syntax()
		}
		switch c := data[i]; {
		case c == '"':
			d.i = i + 1
			return plain
		case c == '\\':
			plain = false
			i = d.escape(i)
		case c < 0x20:
			d.syntax()
		default:
			i++
		}
	}
}

// escape checks the escape at data[i] (a backslash) and returns the index
// after it.
func (d *Decoder) escape(i int) int {
	data := d.data
	if i+1 >= len(data) {
		d.syntax()
	}
	switch data[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return i + 2
	case 'u':
		if i+6 > len(data) || hex4(data[i+2:i+6]) < 0 {
			d.syntax()
		}
		return i + 6
	}
	d.syntax()
	return 0
}

// str reads the string at d.i as encoding/json does: escapes decoded,
// invalid UTF-8 and lone surrogates replaced by U+FFFD. Without escapes
// or invalid bytes the result shares memory with the input.
func (d *Decoder) str() string { return d.strFrom(d.i+1, d.i+1) }

// strFrom is str for the string whose bytes start at start, of which
// those before i are known to be plain ASCII (see StringOf).
func (d *Decoder) strFrom(start, i int) string {
	plain := d.skipStr(i)
	s := d.data[start : d.i-1]
	if len(s) == 0 {
		return ""
	}
	if plain && utf8.Valid(s) {
		return unsafe.String(&s[0], len(s))
	}
	return string(unquote(s))
}

// String reads a string into *p.
func (d *Decoder) String(p *string) { d.StringOf(p, "string") }

// StringOf reads a string into *p, of the named string type typ. The
// common case, plain ASCII, is read here (one call per string).
func (d *Decoder) StringOf(p *string, typ string) {
	data, i := d.data, d.i
	for i < len(data) && isSpace[data[i]] {
		i++
	}
	d.i = i
	if i >= len(data) || data[i] != '"' {
		d.other(typ, "a string")
		return
	}
	i++
	start := i
	for i < len(data) && isPlain[data[i]] {
		i++
	}
	if i < len(data) && data[i] == '"' {
		d.i = i + 1
		if i == start {
			*p = ""
		} else {
			*p = unsafe.String(&data[start], i-start)
		}
		return
	}
	*p = d.strFrom(start, i)
}

// Bool reads true or false into *p.
func (d *Decoder) Bool(p *bool) {
	d.ws()
	if d.i < len(d.data) {
		switch d.data[d.i] {
		case 't':
			d.lit("true")
			*p = true
			return
		case 'f':
			d.lit("false")
			*p = false
			return
		}
	}
	d.other("bool", "true or false")
}

// number consumes a JSON number literal and returns its bytes.
func (d *Decoder) number() []byte {
	data, i := d.data, d.i
	start := i
	if i < len(data) && data[i] == '-' {
		i++
	}
	if i < len(data) && data[i] == '0' {
		i++
	} else {
		i = d.digits(i)
	}
	if i < len(data) && data[i] == '.' {
		i = d.digits(i + 1)
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		i = d.digits(i)
	}
	d.i = i
	return data[start:i]
}

// digits returns the index after the digits at i, of which there must be
// one at least.
func (d *Decoder) digits(i int) int {
	data, start := d.data, i
	for i < len(data) && '0' <= data[i] && data[i] <= '9' {
		i++
	}
	if i == start {
		d.syntax()
	}
	return i
}

// numberFor reads the number that comes next, for Go type typ: its
// literal and where it starts. ok is false where another kind of value
// comes (see other).
func (d *Decoder) numberFor(typ string) (lit []byte, start int, ok bool) {
	d.ws()
	if d.i < len(d.data) {
		if c := d.data[d.i]; c == '-' || '0' <= c && c <= '9' {
			start = d.i
			return d.number(), start, true
		}
	}
	d.other(typ, "a number")
	return nil, 0, false
}

// badNumber is the type error of a number lit, from start, that Go type
// typ cannot hold.
func (d *Decoder) badNumber(lit []byte, typ string, start int) {
	d.typeError("number "+string(lit), typ, "a number", start, d.i)
}

// Int reads an integer into *p: a number with a fraction, an exponent or
// out of range is a type error, as in encoding/json.
func (d *Decoder) Int(p *int) {
	lit, start, ok := d.numberFor("int")
	if !ok {
		return
	}
	digits := lit
	if lit[0] == '-' {
		digits = lit[1:]
	}
	if len(digits) < 19 {
		n := 0
		for _, c := range digits {
			if c < '0' || c > '9' {
				d.badNumber(lit, "int", start)
				return
			}
			n = n*10 + int(c-'0')
		}
		if lit[0] == '-' {
			n = -n
		}
		*p = n
		return
	}
	n, err := strconv.ParseInt(string(lit), 10, 64)
	if err != nil || int64(int(n)) != n {
		d.badNumber(lit, "int", start)
		return
	}
	*p = int(n)
}

// Float reads a number into *p.
func (d *Decoder) Float(p *float64) {
	lit, start, ok := d.numberFor("float64")
	if !ok {
		return
	}
	if f, ok := exactFloat(lit); ok {
		*p = f
		return
	}
	f, err := strconv.ParseFloat(string(lit), 64)
	if err != nil {
		d.badNumber(lit, "float64", start)
		return
	}
	*p = f
}

// exactFloat parses a short decimal without exponent (what recordings
// hold: "bits": 21.3) as strconv.ParseFloat does. Both the digits as an
// integer below 2^53 and the power of ten up to 1e15 are exact float64s,
// so one IEEE division gives the correctly rounded result (strconv's own
// fast path, without its generality).
func exactFloat(lit []byte) (float64, bool) {
	neg := len(lit) > 0 && lit[0] == '-'
	if neg {
		lit = lit[1:]
	}
	if len(lit) == 0 || len(lit) > 15 || lit[0] == '.' || lit[len(lit)-1] == '.' {
		return 0, false
	}
	var mant uint64
	frac := -1
	for i, c := range lit {
		switch {
		case c >= '0' && c <= '9':
			mant = mant*10 + uint64(c-'0')
		case c == '.' && frac < 0:
			frac = len(lit) - i - 1
		default:
			return 0, false
		}
	}
	f := float64(mant)
	if frac > 0 {
		f /= pow10[frac]
	}
	if neg {
		f = -f
	}
	return f, true
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// Time reads a time.Time as encoding/json does, through its UnmarshalJSON
// method (whose error stops decoding), except for the common UTC form,
// which is parsed here into the same value.
func (d *Decoder) Time(p *time.Time) {
	data, i := d.data, d.i
	for i < len(data) && isSpace[data[i]] {
		i++
	}
	d.i = i
	if i >= len(data) || data[i] != '"' {
		d.Unmarshal(p) // null leaves it alone; anything else is an error
		return
	}
	// Times are plain ASCII: scanned here (see key).
	start := i
	i++
	for i < len(data) && isPlain[data[i]] {
		i++
	}
	if i >= len(data) || data[i] != '"' {
		d.skipStr(i)
		i = d.i - 1
	}
	i++
	d.i = i
	lit := data[start:i]
	if string(lit) == string(d.lastTime) {
		*p = d.lastT
		return
	}
	t, ok := utcTime(lit[1 : len(lit)-1])
	if !ok {
		if err := p.UnmarshalJSON(lit); err != nil {
			d.Abort(err)
		}
		t = *p
	}
	d.lastTime, d.lastT = lit, t
	*p = t
}

// utcTime parses YYYY-MM-DDTHH:MM:SS[.fraction]Z with the checks of
// time.Time.UnmarshalJSON (RFC 3339, strict); ok is false for any other
// form, which the caller leaves to UnmarshalJSON.
func utcTime(b []byte) (time.Time, bool) {
	if len(b) < 20 || b[len(b)-1] != 'Z' || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	num := func(s []byte) (int, bool) {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	year, ok1 := num(b[0:4])
	month, ok2 := num(b[5:7])
	day, ok3 := num(b[8:10])
	hour, ok4 := num(b[11:13])
	minute, ok5 := num(b[14:16])
	sec, ok6 := num(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	if day > 28 && day > daysIn(month, year) {
		return time.Time{}, false
	}
	nsec := 0
	rest := b[19 : len(b)-1]
	if len(rest) > 0 {
		if rest[0] != '.' || len(rest) < 2 || len(rest) > 10 {
			return time.Time{}, false
		}
		f, ok := num(rest[1:])
		if !ok {
			return time.Time{}, false
		}
		for i := len(rest) - 1; i < 9; i++ {
			f *= 10
		}
		nsec = f
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// Strings reads a []string. Short lists equal to one read before are
// shared.
func (d *Decoder) Strings(p *[]string) {
	if !d.at('[') {
		if d.Null() {
			*p = nil
			return
		}
		d.other("[]string", "an array")
		return
	}
	if *p != nil {
		var scratch []string // unused: the slice is decoded into
		Slice(d, p, &scratch, "[]string", d.String)
		return
	}
	if !d.arrStart() {
		*p = []string{}
		return
	}
	sc := d.strs[:0]
	for {
		var s string
		d.String(&s)
		sc = append(sc, s)
		if !d.arrNext() {
			break
		}
	}
	d.strs = sc
	if len(sc) <= 4 {
	next:
		for _, l := range d.lists {
			if len(l) != len(sc) {
				continue
			}
			for i := range l {
				if l[i] != sc[i] {
					continue next
				}
			}
			*p = l
			return
		}
	}
	out := append([]string(nil), sc...)
	if len(sc) <= 4 && len(d.lists) < 256 {
		d.lists = append(d.lists, out)
	}
	*p = out
}

// StringMap reads a map[string]string: into the map there is, as
// encoding/json does; null clears it.
func (d *Decoder) StringMap(p *map[string]string) {
	if !d.at('{') {
		if d.Null() {
			*p = nil
			return
		}
		d.other("map[string]string", "an object")
		return
	}
	if *p == nil {
		*p = map[string]string{}
	}
	m := *p
	// A map's keys are no struct's fields: at a level no type error is
	// deeper than, they join no field path (nor do they in encoding/json).
	const noPath = math.MaxInt
	_, k, ok := d.Object("")
	for ok {
		var s string // a null or a type error stores ""
		d.String(&s)
		m[k] = s
		k, ok = d.Next(noPath, k)
	}
}

// UnmarshalString is json.Unmarshal(data, p) for a *string.
func UnmarshalString(data []byte, p *string) error { return unmarshal(data, p, (*Decoder).String) }

// UnmarshalBool is json.Unmarshal(data, p) for a *bool.
func UnmarshalBool(data []byte, p *bool) error { return unmarshal(data, p, (*Decoder).Bool) }

// UnmarshalFloat is json.Unmarshal(data, p) for a *float64.
func UnmarshalFloat(data []byte, p *float64) error { return unmarshal(data, p, (*Decoder).Float) }

// UnmarshalInt is json.Unmarshal(data, p) for a *int.
func UnmarshalInt(data []byte, p *int) error { return unmarshal(data, p, (*Decoder).Int) }

func unmarshal[T any](data []byte, p *T, read func(*Decoder, *T)) error {
	var d Decoder
	return d.Run(data, func() { read(&d, p) })
}
