// Package recjson reads recordings and run indexes, and writes analysis
// reports, as JSON without reflection: for the inspector (GOOS=js
// GOARCH=wasm), where encoding/json is 25-40 times slower than the
// browser's JSON.parse, and for the CLI's audit, where it reads a large
// recording about ten times faster than encoding/json.
//
// The contract: [DecodeRecording] returns exactly what [recording.Decode]
// returns for the same bytes, value for value, and so does [DecodeIndex]
// for [recording.DecodeIndex]. The fast path accepts the well-formed JSON
// that recordings are made of; anything else (a syntax error, a duplicate
// key, a key in another case, invalid UTF-8, a null where encoding/json
// would do something subtle, an unknown schema) is handed to the
// recording package's [recording.DecodeLite], which gives the same result
// and the positioned error message without linking encoding/json into
// the inspector. [AppendReport] writes the bytes json.Marshal writes.
// Tests (native) check all three against encoding/json.
package recjson

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/sessiontrace/sessiontrace/recording"
)

// errFallback says the fast path met something it leaves to
// recording.DecodeLite.
var errFallback = errors.New("recjson: fall back to recording.DecodeLite")

// DecodeRecording is recording.Decode, faster. Strings of the result share
// memory with data: the caller must not modify data afterwards.
func DecodeRecording(file string, data []byte) (*recording.Recording, error) {
	r, err := FastRecording(data)
	if err != nil {
		return recording.DecodeLite(file, data)
	}
	return r, nil
}

// DecodeIndex is recording.DecodeIndex: an index is small, and its
// format grows (retries, shards), so it goes through
// recording.DecodeIndexLite, which gives the same result.
func DecodeIndex(file string, data []byte) (*recording.Index, error) {
	return recording.DecodeIndexLite(file, data)
}

// IsIndex reports whether data is a run index (its schema says so),
// looking only at the top-level "schema" key.
func IsIndex(data []byte) bool {
	d := &dec{data: data}
	ok := false
	func() {
		defer func() { _ = recover() }()
		d.ws()
		if !d.objStart() {
			return
		}
		for {
			k := d.key()
			if k == "schema" {
				ok = d.peek() == '"' && d.str() == recording.IndexSchema
				return
			}
			d.skip(0)
			if !d.objNext() {
				return
			}
		}
	}()
	return ok
}

// Head reads what a JSON document's top level says it is: the "schema"
// string and whether "log" is an object (a HAR), as json.Unmarshal into
// struct { Schema string; Log json.RawMessage } fills them (keys in any
// case, the last of duplicates, null leaving the field alone). known is
// false where the answer needs encoding/json (invalid UTF-8, very deep
// nesting, bad syntax): the caller asks it then. It reads the whole
// document, but about five times faster than encoding/json.
func Head(data []byte) (schema string, logIsObject, known bool) {
	d := &dec{data: data}
	defer func() {
		if p := recover(); p != nil {
			if p != errFallback { //nolint:errorlint // sentinel identity
				panic(p)
			}
			schema, logIsObject, known = "", false, false
		}
	}()
	d.ws()
	if d.isNull() {
		d.end()
		return "", false, true
	}
	if d.objStart() {
		for {
			k := d.key()
			switch {
			case strings.EqualFold(k, "schema"):
				if !d.isNull() {
					schema = d.str()
				}
			case strings.EqualFold(k, "log"):
				logIsObject = d.peek() == '{'
				d.skip(0)
			default:
				d.skip(0)
			}
			if !d.objNext() {
				break
			}
		}
	}
	d.end()
	return schema, logIsObject, true
}

// FastRecording runs only the fast path: errFallback when it declines.
// Exported for tests and benchmarks.
func FastRecording(data []byte) (r *recording.Recording, err error) {
	d := &dec{data: data}
	defer func() {
		if p := recover(); p != nil {
			if p != errFallback { //nolint:errorlint // sentinel identity
				panic(p)
			}
			r, err = nil, errFallback
		}
	}()
	r = new(recording.Recording)
	d.ws()
	d.recording(r)
	d.end()
	if r.Schema != recording.Schema {
		return nil, errFallback
	}
	return r, nil
}

// dec is the scanner. Every method panics with errFallback on input it
// does not handle.
type dec struct {
	data []byte
	i    int

	// Allocation savers: values come from slabs; string lists that repeat
	// (classes, reasons) are shared; a time literal equal to the previous
	// one is not parsed again. Sharing is invisible to readers, who never
	// modify a recording.
	values  []recording.Value
	lists   [][]string
	scratch []string

	// Value objects recently read, by a hash of their cookie's name: see
	// memoValue.
	memo [64]struct {
		raw []byte
		v   *recording.Value
	}

	// Scratch space of list, one per type.
	scratchSentCookie []recording.SentCookie
	scratchCookie     []recording.Cookie
	scratchSetCookie  []recording.SetCookie
	lastTime          []byte
	lastT             time.Time
}

// memoValue reads a value object. A recording repeats the same value many
// times (every request sends the session cookie; every step's jar lists
// every cookie): when the bytes ahead are those of the last value object
// read for a cookie of that name, they are that value again, and it is
// shared rather than read (a comparison of bytes instead of a dozen tokens).
// JSON text that begins with a whole object is that object, so the result
// is the same; readers never modify a recording, so sharing is invisible.
func (d *dec) memoValue(name string) *recording.Value {
	h := uint(len(name))
	if len(name) > 0 {
		h = h*31 + uint(name[len(name)-1]) + 7*uint(name[0])
	}
	m := &d.memo[h%uint(len(d.memo))]
	if n := len(m.raw); n > 0 && n <= len(d.data)-d.i && string(d.data[d.i:d.i+n]) == string(m.raw) {
		d.i += n
		return m.v
	}
	start := d.i
	v := d.newValue()
	d.value(v)
	m.raw, m.v = d.data[start:d.i], v
	return v
}

// newValue returns a zeroed Value from the slab.
func (d *dec) newValue() *recording.Value {
	if len(d.values) == 0 {
		d.values = make([]recording.Value, 1024)
	}
	v := &d.values[0]
	d.values = d.values[1:]
	return v
}

func fail() { panic(errFallback) }

func (d *dec) ws() {
	// Locals and a table: in WebAssembly every d.i is a memory access and
	// every comparison an instruction, and this loop sees a third of the bytes.
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

func (d *dec) peek() byte {
	if d.i >= len(d.data) {
		fail()
	}
	return d.data[d.i]
}

func (d *dec) end() {
	d.ws()
	if d.i != len(d.data) {
		fail()
	}
}

// objStart consumes '{' and reports whether the object has a key.
func (d *dec) objStart() bool {
	d.ws()
	if d.peek() != '{' {
		fail()
	}
	d.i++
	d.ws()
	if d.peek() == '}' {
		d.i++
		return false
	}
	return true
}

// key reads a key and its colon. The string may share memory with data
// and is only valid for comparisons.
func (d *dec) key() string {
	// Keys are plain ASCII: scanned here, without a call to str (calls
	// are dear in WebAssembly, and a recording has millions of keys).
	data, i := d.data, d.i
	for i < len(data) && isSpace[data[i]] {
		i++
	}
	if i >= len(data) || data[i] != '"' {
		fail()
	}
	d.i = i
	i++
	start := i
	for i < len(data) && isPlain[data[i]] {
		i++
	}
	if i >= len(data) || data[i] != '"' || i == start {
		k := d.str() // escapes, other bytes, or "": the general path
		d.ws()
		if d.peek() != ':' {
			fail()
		}
		d.i++
		d.ws()
		return k
	}
	k := unsafe.String(&data[start], i-start)
	i++
	for i < len(data) && isSpace[data[i]] {
		i++
	}
	if i >= len(data) || data[i] != ':' {
		fail()
	}
	i++
	for i < len(data) && isSpace[data[i]] {
		i++
	}
	d.i = i
	return k
}

// objNext consumes what follows a value: ',' (true, another key follows)
// or '}' (false). The common case, a comma right after the value, is
// small enough to be inlined: it leaves the whitespace after the comma to
// what reads the next key or element (key, objStart, str and skip skip
// whitespace first).
func (d *dec) objNext() bool {
	if d.i < len(d.data) && d.data[d.i] == ',' {
		d.i++
		return true
	}
	return d.nextSlow('}')
}

// nextSlow is objNext and arrNext when whitespace comes first, or the end
// (closer).
func (d *dec) nextSlow(closer byte) bool {
	d.ws()
	switch d.peek() {
	case ',':
		d.i++
		d.ws()
		return true
	case closer:
		d.i++
		return false
	}
	fail()
	return false
}

// arrStart consumes '[' and reports whether the array has an element. A
// null is reported through isNull first by callers that accept it.
func (d *dec) arrStart() bool {
	if d.peek() != '[' {
		fail()
	}
	d.i++
	d.ws()
	if d.peek() == ']' {
		d.i++
		return false
	}
	return true
}

// arrNext is objNext for arrays.
func (d *dec) arrNext() bool {
	if d.i < len(d.data) && d.data[d.i] == ',' {
		d.i++
		return true
	}
	return d.nextSlow(']')
}

// array reads an array of objects, such as a recording's 100k events,
// into a slice of the right size. Grown by doubling, or built in chunks
// and then copied, such a slice touches twice the memory it keeps, and in
// the page the first touch of fresh memory is dear (a page fault per 4
// KiB: 0.6 to 4 ms per MB on the machines measured). So once the first
// elements are read, the length is estimated from the bytes they took and
// the bytes left; memory reserved past the length is never touched. Past
// the estimate, or where it would reserve too much, it goes on in chunks.
func array[T any](d *dec, elem func(*dec, *T)) []T {
	const probe = 64
	start := d.i
	out := make([]T, 0, probe)
	var full [][]T
	n := 0
	if d.arrStart() {
		for {
			if len(out) == cap(out) {
				if n == probe && len(full) == 0 {
					per := max((d.i-start)/probe, 16)
					est := n + (len(d.data)-d.i)/per + probe
					var zero T
					if uintptr(est)*unsafe.Sizeof(zero) <= 512<<20 {
						grown := make([]T, n, est)
						copy(grown, out)
						out = grown
					}
				}
				if len(out) == cap(out) {
					full = append(full, out)
					out = make([]T, 0, min(2*cap(out), 8192))
				}
			}
			out = append(out, *new(T))
			elem(d, &out[len(out)-1])
			n++
			if !d.arrNext() {
				break
			}
		}
	}
	if len(full) == 0 {
		return out
	}
	all := make([]T, 0, n)
	for _, c := range full {
		all = append(all, c...)
	}
	return append(all, out...)
}

// list reads a short array of objects (a request's cookies, a step's jar)
// into scratch, then copies it into a slice of its exact length: grown by
// appends, 10k requests with 8 cookies each left 30 MB of garbage, and
// fresh memory is dear in the page (see array).
func list[T any](d *dec, scratch *[]T, elem func(*dec, *T)) []T {
	sc := (*scratch)[:0]
	if d.arrStart() {
		for {
			sc = append(sc, *new(T))
			elem(d, &sc[len(sc)-1])
			if !d.arrNext() {
				break
			}
		}
	}
	*scratch = sc
	out := make([]T, len(sc))
	copy(out, sc)
	return out
}

// isNull consumes a null literal if there is one.
func (d *dec) isNull() bool {
	if d.i+4 <= len(d.data) && string(d.data[d.i:d.i+4]) == "null" {
		d.i += 4
		return true
	}
	return false
}

// seen marks field bit of an object as decoded; a duplicate key falls back
// (encoding/json merges duplicates in ways not worth copying).
func seen(mask *uint64, bit uint) {
	if *mask&(1<<bit) != 0 {
		fail()
	}
	*mask |= 1 << bit
}

// unknown skips the value of a key no field has, like encoding/json,
// unless the key matches a field in another case: encoding/json would
// fill that field.
func (d *dec) unknown(k string, fields []string) {
	for _, f := range fields {
		if strings.EqualFold(k, f) {
			fail()
		}
	}
	d.skip(0)
}

// str reads a string. Without escapes the result shares memory with data.
func (d *dec) str() string {
	d.ws()
	if d.peek() != '"' {
		fail()
	}
	// The common case first: plain ASCII up to the closing quote.
	data, i := d.data, d.i+1
	start := i
	for i < len(data) && isPlain[data[i]] {
		i++
	}
	if i < len(data) && data[i] == '"' {
		d.i = i + 1
		if i == start {
			return ""
		}
		return unsafe.String(&data[start], i-start)
	}
	d.i = i
	ascii := true
	for d.i < len(d.data) {
		c := d.data[d.i]
		switch {
		case c == '"':
			s := d.data[start:d.i]
			d.i++
			if !ascii && !utf8.Valid(s) {
				fail() // encoding/json replaces invalid bytes with U+FFFD
			}
			if len(s) == 0 {
				return ""
			}
			return unsafe.String(&s[0], len(s))
		case c == '\\':
			return d.strEscaped(start)
		case c < 0x20:
			fail()
		case c >= utf8.RuneSelf:
			ascii = false
		}
		d.i++
	}
	fail()
	return ""
}

// strEscaped finishes a string with escapes, from its first byte at start.
func (d *dec) strEscaped(start int) string {
	b := make([]byte, 0, d.i-start+16)
	b = append(b, d.data[start:d.i]...)
	for d.i < len(d.data) {
		c := d.data[d.i]
		switch {
		case c == '"':
			d.i++
			if !utf8.Valid(b) {
				fail()
			}
			return string(b)
		case c < 0x20:
			fail()
		case c != '\\':
			b = append(b, c)
			d.i++
			continue
		}
		d.i++
		if d.i >= len(d.data) {
			fail()
		}
		e := d.data[d.i]
		d.i++
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
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
			r := d.hex4()
			if utf16.IsSurrogate(r) {
				if d.i+2 > len(d.data) || d.data[d.i] != '\\' || d.data[d.i+1] != 'u' {
					fail() // a lone surrogate: encoding/json writes U+FFFD
				}
				d.i += 2
				r2 := d.hex4()
				r = utf16.DecodeRune(r, r2)
				if r == utf8.RuneError {
					fail()
				}
			}
			b = utf8.AppendRune(b, r)
		default:
			fail()
		}
	}
	fail()
	return ""
}

func (d *dec) hex4() rune {
	if d.i+4 > len(d.data) {
		fail()
	}
	var r rune
	for _, c := range d.data[d.i : d.i+4] {
		r <<= 4
		switch {
		case '0' <= c && c <= '9':
			r |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			r |= rune(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			fail()
		}
	}
	d.i += 4
	return r
}

// number returns the bytes of a JSON number literal.
func (d *dec) number() []byte {
	start := d.i
	if d.i < len(d.data) && d.data[d.i] == '-' {
		d.i++
	}
	switch {
	case d.i < len(d.data) && d.data[d.i] == '0':
		d.i++
	case d.i < len(d.data) && '1' <= d.data[d.i] && d.data[d.i] <= '9':
		for d.i < len(d.data) && '0' <= d.data[d.i] && d.data[d.i] <= '9' {
			d.i++
		}
	default:
		fail()
	}
	if d.i < len(d.data) && d.data[d.i] == '.' {
		d.i++
		n := d.i
		for d.i < len(d.data) && '0' <= d.data[d.i] && d.data[d.i] <= '9' {
			d.i++
		}
		if d.i == n {
			fail()
		}
	}
	if d.i < len(d.data) && (d.data[d.i] == 'e' || d.data[d.i] == 'E') {
		d.i++
		if d.i < len(d.data) && (d.data[d.i] == '+' || d.data[d.i] == '-') {
			d.i++
		}
		n := d.i
		for d.i < len(d.data) && '0' <= d.data[d.i] && d.data[d.i] <= '9' {
			d.i++
		}
		if d.i == n {
			fail()
		}
	}
	return d.data[start:d.i]
}

func (d *dec) int() int {
	lit := d.number()
	neg := lit[0] == '-'
	digits := lit
	if neg {
		digits = lit[1:]
	}
	if len(digits) > 0 && len(digits) < 19 {
		n := 0
		for _, c := range digits {
			if c < '0' || c > '9' {
				fail() // a fraction or an exponent: an error in encoding/json
			}
			n = n*10 + int(c-'0')
		}
		if neg {
			return -n
		}
		return n
	}
	n, err := strconv.ParseInt(unsafe.String(&lit[0], len(lit)), 10, 64)
	if err != nil {
		fail()
	}
	return int(n)
}

func (d *dec) float() float64 {
	lit := d.number()
	if f, ok := exactFloat(lit); ok {
		return f
	}
	f, err := strconv.ParseFloat(unsafe.String(&lit[0], len(lit)), 64)
	if err != nil {
		fail()
	}
	return f
}

// exactFloat parses a short decimal without exponent (what recordings
// hold: "bits": 21.3) as strconv.ParseFloat does. Both the digits as an
// integer below 2^53 and the power of ten up to 1e22 are exact float64s,
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

func (d *dec) bool() bool {
	switch {
	case d.i+4 <= len(d.data) && string(d.data[d.i:d.i+4]) == "true":
		d.i += 4
		return true
	case d.i+5 <= len(d.data) && string(d.data[d.i:d.i+5]) == "false":
		d.i += 5
		return false
	}
	fail()
	return false
}

// time reads a time as encoding/json does: through time.Time's
// UnmarshalJSON on the literal, except for the common UTC form, which is
// parsed here into the same value.
func (d *dec) time() time.Time {
	start := d.i
	if d.peek() != '"' {
		fail()
	}
	d.i++
	for d.i < len(d.data) && d.data[d.i] != '"' {
		if d.data[d.i] == '\\' || d.data[d.i] < 0x20 {
			fail()
		}
		d.i++
	}
	if d.i >= len(d.data) {
		fail()
	}
	d.i++
	lit := d.data[start:d.i]
	if string(lit) == string(d.lastTime) {
		return d.lastT
	}
	t, ok := utcTime(lit[1 : len(lit)-1])
	if !ok {
		if err := t.UnmarshalJSON(lit); err != nil {
			fail()
		}
	}
	d.lastTime, d.lastT = lit, t
	return t
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

func (d *dec) timePtr() *time.Time {
	if d.isNull() {
		return nil
	}
	t := d.time()
	return &t
}

func (d *dec) strs() []string {
	if d.isNull() {
		return nil
	}
	if !d.arrStart() {
		return []string{}
	}
	sc := d.scratch[:0]
	for {
		sc = append(sc, d.str())
		if !d.arrNext() {
			break
		}
	}
	d.scratch = sc
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
			return l
		}
	}
	out := append([]string(nil), sc...)
	if len(sc) <= 4 && len(d.lists) < 256 {
		d.lists = append(d.lists, out)
	}
	return out
}

func (d *dec) strMap() map[string]string {
	if d.isNull() {
		return nil
	}
	m := map[string]string{}
	if d.objStart() {
		for {
			k := d.key()
			m[k] = d.str()
			if !d.objNext() {
				break
			}
		}
	}
	return m
}

// skip skips any value, checking its syntax.
func (d *dec) skip(depth int) {
	if depth > 1000 {
		fail()
	}
	d.ws()
	switch c := d.peek(); {
	case c == '"':
		d.str()
	case c == '{':
		if d.objStart() {
			for {
				d.key()
				d.skip(depth + 1)
				if !d.objNext() {
					break
				}
			}
		}
	case c == '[':
		if d.arrStart() {
			for {
				d.skip(depth + 1)
				if !d.arrNext() {
					break
				}
			}
		}
	case c == 't' || c == 'f':
		d.bool()
	case c == 'n':
		if !d.isNull() {
			fail()
		}
	default:
		d.number()
	}
}
