package recjson

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// CheckSyntax returns the first syntax error of data as encoding/json
// reports it (its checkValid: the same message and offset), nil when data
// is one JSON value with white space around it. The decoder calls it only
// once it has found that something is wrong.
func CheckSyntax(data []byte) error {
	c := &checker{data: data}
	if err := c.value(); err != nil {
		return err
	}
	c.space()
	if c.i < len(data) {
		return c.bad("after top-level value")
	}
	return nil
}

// checker is encoding/json's state machine as a recursive descent, with
// the same messages and offsets.
type checker struct {
	data  []byte
	i     int
	depth int
}

func (c *checker) space() {
	for c.i < len(c.data) && isSpace[c.data[c.i]] {
		c.i++
	}
}

// bad is the error for the byte at c.i: at the end of the input the
// scanner sees the space it pads the input with.
func (c *checker) bad(context string) error {
	if c.i >= len(c.data) {
		return &SyntaxError{"invalid character ' ' " + context, int64(len(c.data))}
	}
	return &SyntaxError{"invalid character " + quoteChar(c.data[c.i]) + " " + context, int64(c.i + 1)}
}

func (c *checker) eof() error {
	return &SyntaxError{"unexpected end of JSON input", int64(len(c.data))}
}

// quoteChar is encoding/json's quoteChar.
func quoteChar(b byte) string {
	switch b {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	s := strconv.Quote(string(rune(b)))
	return "'" + s[1:len(s)-1] + "'"
}

func (c *checker) value() error {
	c.space()
	if c.i >= len(c.data) {
		return c.eof()
	}
	switch b := c.data[c.i]; {
	case b == '{':
		return c.container('}')
	case b == '[':
		return c.container(']')
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

// container checks the object or the array at c.i, which closer ends:
// the two differ only in the key before each object value.
func (c *checker) container(closer byte) error {
	if c.depth++; c.depth > maxDepth {
		return c.bad("exceeded max depth")
	}
	c.i++
	c.space()
	if c.i < len(c.data) && c.data[c.i] == closer {
		c.i++
		c.depth--
		return nil
	}
	obj := closer == '}'
	for {
		if obj {
			if err := c.key(); err != nil {
				return err
			}
		}
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
		case closer:
			c.i++
			c.depth--
			return nil
		}
		if obj {
			return c.bad("after object key:value pair")
		}
		return c.bad("after array element")
	}
}

// key checks an object key and its colon, at c.i.
func (c *checker) key() error {
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
	return nil
}

func (c *checker) str() error {
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

func (c *checker) digits() {
	for c.i < len(c.data) && isDigit(c.data[c.i]) {
		c.i++
	}
}

func (c *checker) number() error {
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

func (c *checker) literal(word string) error {
	c.i++
	for k := 1; k < len(word); k++ {
		if c.i >= len(c.data) || c.data[c.i] != word[k] {
			return c.bad("in literal " + word + " (expecting " + quoteChar(word[k]) + ")")
		}
		c.i++
	}
	return nil
}

// unquote decodes the inside of a string literal whose syntax was checked,
// as encoding/json does: invalid UTF-8 and lone surrogates become U+FFFD.
func unquote(s []byte) []byte {
	b := make([]byte, 0, len(s)+2*utf8.UTFMax)
	for r := 0; r < len(s); {
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

// hex4 reads four hex digits at the start of s; -1 when they are not.
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

// Fold is encoding/json's foldName: Fold(a) == Fold(b) when
// bytes.EqualFold(a, b). Generated decoders match a key that names no
// field exactly by its folded form, as encoding/json does.
func Fold(k string) string {
	out := make([]byte, 0, len(k))
	for i := 0; i < len(k); {
		if c := k[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(k[i:])
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
	return string(out)
}

// ValueStart finds the start of the JSON value that ends at end (the
// offset encoding/json reports in an UnmarshalTypeError), by scanning back
// over it; -1 if unsure. Tests hold the decoders' TypeError.Start to it.
func ValueStart(data []byte, end int64) int64 {
	if end <= 0 || end > int64(len(data)) {
		return -1
	}
	i := end - 1
	if data[i] == '"' {
		for j := i - 1; j >= 0; j-- {
			if data[j] == '"' {
				k, n := j-1, 0
				for k >= 0 && data[k] == '\\' {
					k--
					n++
				}
				if n%2 == 0 {
					return j
				}
			}
		}
		return -1
	}
	if data[i] == '}' || data[i] == ']' {
		return -1
	}
	for i > 0 && bytes.IndexByte([]byte(" \t\r\n:,[{"), data[i-1]) < 0 {
		i--
	}
	return i
}

// LineCol returns the 1-based line and column of byte offset off of data.
func LineCol(data []byte, off int64) (line, col int) {
	off = max(0, min(off, int64(len(data))))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// folded returns the first of names (joined by commas) that equals k in
// another case (see Fold), or "": the field a key names when it names
// none exactly, as encoding/json matches keys.
func folded(k, names string) string {
	f := Fold(k)
	for names != "" {
		var n string
		n, names, _ = strings.Cut(names, ",")
		if Fold(n) == f {
			return n
		}
	}
	return ""
}
