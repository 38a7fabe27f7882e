package recording

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// This file is net/http's Set-Cookie and Cookie grammar (Go 1.26's
// ParseSetCookie and ParseCookie), rewritten on strings and time alone:
// importing net/http would pull its TLS and certificate code into the
// inspector's WebAssembly bundle for three functions. A differential fuzz
// test (FuzzParseMatchesNetHTTP) holds the two to the same results.

// The errors are net/http's, word for word, so that recordings made before
// and after the switch carry the same parse errors.
var (
	errBlankCookie           = errors.New("http: blank cookie")
	errEqualNotFoundInCookie = errors.New("http: '=' not found in cookie")
	errInvalidCookieName     = errors.New("http: invalid cookie name")
	errInvalidCookieValue    = errors.New("http: invalid cookie value")
	errCookieNumLimit        = errors.New("http: number of cookies exceeded limit")
)

// maxCookiesPerHeader is net/http's default limit on the pairs of one
// Cookie header (GODEBUG httpcookiemaxnum).
const maxCookiesPerHeader = 3000

// parsedCookie is the part of net/http's Cookie that recording uses.
type parsedCookie struct {
	Name, Value  string
	Path, Domain string
	Expires      time.Time
	// MaxAge is 0 when absent, -1 for a zero or negative Max-Age.
	MaxAge                        int
	Secure, HTTPOnly, Partitioned bool
	// SameSite is "lax", "strict", "none", "" when absent and "default" for
	// any other value, as net/http maps them.
	SameSite string
	Unparsed []string
}

// parseSetCookieLine parses one Set-Cookie line as http.ParseSetCookie does.
func parseSetCookieLine(line string) (*parsedCookie, error) {
	parts := strings.Split(trimASCIISpace(line), ";")
	if len(parts) == 1 && parts[0] == "" {
		return nil, errBlankCookie
	}
	name, value, ok := strings.Cut(trimASCIISpace(parts[0]), "=")
	if !ok {
		return nil, errEqualNotFoundInCookie
	}
	name = trimASCIISpace(name)
	if !isToken(name) {
		return nil, errInvalidCookieName
	}
	value, ok = parseCookieValue(value, true)
	if !ok {
		return nil, errInvalidCookieValue
	}
	c := &parsedCookie{Name: name, Value: value}
	for _, part := range parts[1:] {
		part = trimASCIISpace(part)
		if part == "" {
			continue
		}
		attr, val, _ := strings.Cut(part, "=")
		lower, isASCII := asciiLower(attr)
		if !isASCII {
			continue
		}
		val, ok = parseCookieValue(val, false)
		if !ok {
			c.Unparsed = append(c.Unparsed, part)
			continue
		}
		if !c.attr(lower, val) {
			c.Unparsed = append(c.Unparsed, part)
		}
	}
	return c, nil
}

// attr sets the attribute name (lower case) to val; false when the
// parser does not model it or val is not valid for it (it is kept
// unparsed).
func (c *parsedCookie) attr(name, val string) bool {
	switch name {
	case "samesite":
		switch v, _ := asciiLower(val); v {
		case "lax", "strict", "none":
			c.SameSite = v
		default:
			c.SameSite = "default"
		}
		return true
	case "secure":
		c.Secure = true
		return true
	case "httponly":
		c.HTTPOnly = true
		return true
	case "domain":
		c.Domain = val
		return true
	case "max-age":
		secs, err := strconv.Atoi(val)
		if err != nil || secs != 0 && val[0] == '0' {
			return false
		}
		if secs <= 0 {
			secs = -1
		}
		c.MaxAge = secs
		return true
	case "expires":
		t, err := time.Parse(time.RFC1123, val)
		if err != nil {
			if t, err = time.Parse("Mon, 02-Jan-2006 15:04:05 MST", val); err != nil {
				c.Expires = time.Time{}
				return false
			}
		}
		c.Expires = t.UTC()
		return true
	case "path":
		c.Path = val
		return true
	case "partitioned":
		c.Partitioned = true
		return true
	}
	return false
}

// parseCookiePairs parses a Cookie request header as http.ParseCookie does.
func parseCookiePairs(line string) ([][2]string, error) {
	if strings.Count(line, ";")+1 > maxCookiesPerHeader {
		return nil, errCookieNumLimit
	}
	parts := strings.Split(trimASCIISpace(line), ";")
	if len(parts) == 1 && parts[0] == "" {
		return nil, errBlankCookie
	}
	out := make([][2]string, 0, len(parts))
	for _, s := range parts {
		name, value, found := strings.Cut(trimASCIISpace(s), "=")
		if !found {
			return nil, errEqualNotFoundInCookie
		}
		if !isToken(name) {
			return nil, errInvalidCookieName
		}
		if value, found = parseCookieValue(value, true); !found {
			return nil, errInvalidCookieValue
		}
		out = append(out, [2]string{name, value})
	}
	return out, nil
}

// parseCookieValue strips one pair of double quotes (cookie values only)
// and checks every byte against RFC 6265's cookie-octet, plus space and
// comma, which net/http tolerates.
func parseCookieValue(raw string, allowDoubleQuote bool) (string, bool) {
	if allowDoubleQuote && len(raw) > 1 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		raw = raw[1 : len(raw)-1]
	}
	for i := 0; i < len(raw); i++ {
		if b := raw[i]; b < 0x20 || b >= 0x7f || b == '"' || b == ';' || b == '\\' {
			return "", false
		}
	}
	return raw, true
}

// isToken reports whether s is a non-empty RFC 7230 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", b) >= 0:
		default:
			return false
		}
	}
	return true
}

func trimASCIISpace(s string) string {
	isSpace := func(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// asciiLower lower-cases s and reports whether it was printable ASCII
// (net/http skips attributes whose name is not).
func asciiLower(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return "", false
		}
	}
	return strings.ToLower(s), true
}

// httpTimeFormats are the date formats of HTTP/1.1 (RFC 9110 section 5.6.7),
// tried in order as http.ParseTime does.
var httpTimeFormats = []string{
	"Mon, 02 Jan 2006 15:04:05 GMT", // http.TimeFormat
	time.RFC850,
	time.ANSIC,
}

// ParseHTTPTime parses an HTTP date as http.ParseTime does.
func ParseHTTPTime(s string) (t time.Time, err error) {
	for _, f := range httpTimeFormats {
		if t, err = time.Parse(f, s); err == nil {
			return t, nil
		}
	}
	return t, err
}
