package recjson

import "unsafe"

// Slice reads a JSON array into *p, each element with elem; typ is the Go
// type of the slice, for type errors. null clears the slice.
//
// A slice read for the first time (nil: the common case) is built in
// scratch, then copied at its length: grown by appends, a large recording
// left much garbage, and in the page the first touch of fresh memory is
// dear (a page fault per page of memory; docs/benchmarks.md). A long array (past 64 elements) is sized from the
// bytes its first elements took; memory reserved past its length is never
// touched. A slice that is already there (a duplicate key) is decoded
// into as encoding/json does: into its elements, and into those past its
// length up to its capacity, on a copy of its backing array (which may be
// shared: see Strings and Memo).
//
// Slice is instantiated for each element type, so it is one function and
// what does not depend on the type is in methods (in the page, each
// instance of a generic function is a copy of its code).
func Slice[T any](d *Decoder, p *[]T, scratch *[]T, typ string, elem func(*T)) {
	start := d.i
	switch d.list(typ) {
	case listNull:
		*p = nil
		return
	case listOther:
		return
	case listEmpty:
		*p = []T{}
		return
	}
	old := *p
	buf, big := (*scratch)[:0], false
	if old != nil {
		buf, big = make([]T, len(old), cap(old)), true
		copy(buf[:cap(old)], old[:cap(old)])
	}
	i := 0
	for {
		if i == cap(buf) {
			// Grown by make and copy rather than append: less code in
			// each instance, and the new elements are zero.
			n, sized := max(2*i, 8), old == nil && i >= probe
			if sized {
				n = d.capFor(start, i, unsafe.Sizeof(buf[0]))
			}
			grown := make([]T, i, n)
			copy(grown, buf)
			if sized && !big {
				clear(buf) // scratch space stays zero
				*scratch, big = buf[:0], true
			}
			buf = grown
		}
		if i == len(buf) {
			// Zero in scratch space (see below); past the length of a
			// slice decoded into, an element decoded into again, as
			// encoding/json does.
			buf = buf[:i+1]
		}
		elem(&buf[i])
		i++
		if !d.arrNext() {
			break
		}
	}
	if big {
		*p = buf[:i]
		return
	}
	*p = make([]T, i)
	copy(*p, buf)
	clear(buf[:i]) // scratch space stays zero
	*scratch = buf[:0]
}

// What list found.
const (
	listArray = iota // an array with elements: the first comes next
	listEmpty
	listNull
	listOther // a type error, skipped
)

// list starts reading an array into a slice of Go type typ.
//
//go:noinline
func (d *Decoder) list(typ string) int {
	if d.Null() {
		return listNull
	}
	if d.i >= len(d.data) || d.data[d.i] != '[' {
		d.other(typ, "an array")
		return listOther
	}
	if !d.arrStart() {
		return listEmpty
	}
	return listArray
}

// probe is how many elements are read into scratch before an array is
// sized from them.
const probe = 64

// capFor is the capacity for an array of which n elements, of size bytes
// each, were read from start: at first an estimate from the bytes they
// took and the bytes left, then double. An estimate that reserves too
// much, or too little, costs at most a copy.
func (d *Decoder) capFor(start, n int, size uintptr) int {
	if n > probe {
		return 2 * n
	}
	per := max((d.i-start)/n, 16)
	est := n + (len(d.data)-d.i)/per + probe
	if uintptr(est)*size > 512<<20 {
		return 2 * n
	}
	return est
}

// Ptr returns what *p points to, to decode into: a new value when *p is
// nil, else a copy of the value (which may be shared, see Memo), as
// encoding/json decodes into the value a pointer already holds. (Small
// enough to be inlined: the caller reads the null that clears *p.)
func Ptr[T any](p **T) *T {
	if *p == nil {
		*p = new(T)
	} else {
		c := **p
		*p = &c
	}
	return *p
}

// Pointer reads the next value into *p, a pointer, with read: null
// clears it; else read decodes into Ptr(p).
func Pointer[T any](d *Decoder, p **T, read func(*T)) {
	if d.Null() {
		*p = nil
		return
	}
	read(Ptr(p))
}

// MemoPointer is Pointer for a pointer to a value of a memo type (see
// Memo): a nil pointer gets the shared value.
func MemoPointer[T any](d *Decoder, p **T, m *Memos[T], read func(*T)) {
	switch {
	case d.Null():
		*p = nil
	case *p == nil:
		*p = Memo(d, m, read)
	default:
		read(Ptr(p))
	}
}

// MemoValue reads a value of a memo type into *p: a value that nothing
// was decoded into yet (zero: *p is the zero value, which the caller
// tests inline) becomes the shared one; else the value is decoded into,
// as encoding/json does with a duplicate key.
func MemoValue[T any](d *Decoder, p *T, zero bool, m *Memos[T], read func(*T)) {
	if zero {
		*p = *Memo(d, m, read)
		return
	}
	read(p)
}

// Memos is what Memo keeps for one type: the values recently read, by a
// hash of their first bytes, and the slab new values come from.
type Memos[T any] struct {
	table *[64]memoEntry[T] // allocated when first used: decoders of small values are many
	slab  []T
}

type memoEntry[T any] struct {
	raw []byte
	v   *T
	rel int // how deep the value nests
}

// Memo reads a value with dec, or returns the value read before from the
// same bytes. A recording repeats the same value objects many times
// (every request sends the session cookie, every step's jar lists every
// cookie): when the bytes ahead are those of a value object read
// recently, they are that value again, shared rather than read (a
// comparison of bytes instead of a dozen tokens). JSON text that begins
// with a whole value is that value, so the result is the same; readers
// never modify a recording, so sharing is invisible. Values come from a
// slab, a thousand at a time.
func Memo[T any](d *Decoder, m *Memos[T], dec func(*T)) *T {
	d.ws()
	i := d.i
	var e *memoEntry[T]
	if b := d.data[i:]; len(b) >= 32 {
		// A hash of the first 32 bytes, which hold the fingerprint.
		h := (le64(b)*0x9E3779B97F4A7C15 ^ le64(b[8:])) * 0x9E3779B97F4A7C15
		h = (h ^ le64(b[16:])) * 0x9E3779B97F4A7C15
		h = (h ^ le64(b[24:])) * 0x9E3779B97F4A7C15
		if m.table == nil {
			m.table = new([64]memoEntry[T])
		}
		e = &m.table[h>>58]
		if n := len(e.raw); n > 0 && n <= len(b) && string(b[:n]) == string(e.raw) && d.depth+e.rel <= maxDepth {
			d.i += n
			return e.v
		}
	}
	if len(m.slab) == 0 {
		m.slab = make([]T, 1024)
	}
	v := &m.slab[0]
	m.slab = m.slab[1:]
	peak := d.peak
	d.peak = d.depth
	dec(v)
	if e != nil {
		e.raw, e.v, e.rel = d.data[i:d.i], v, d.peak-d.depth
	}
	d.peak = max(peak, d.peak)
	return v
}

// le64 loads 8 bytes at once (WebAssembly does not merge byte loads);
// their order does not matter to a hash.
func le64(b []byte) uint64 {
	_ = b[7]
	return *(*uint64)(unsafe.Pointer(&b[0]))
}
