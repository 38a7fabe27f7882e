package recording

import (
	"strings"
	"time"
)

// SplitSetCookie splits a Set-Cookie header value as browsers report it
// (several lines joined with "\n") into its lines, trimmed of ASCII white
// space, dropping empty ones.
func SplitSetCookie(header string) []string {
	var lines []string
	for _, l := range strings.Split(header, "\n") {
		if l = trimASCIISpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// ParseSetCookie parses one Set-Cookie line received at time now. It uses
// net/http's grammar (see cookieparse.go), keeps what that parser does not model (unknown
// attributes, an invalid SameSite value) and, when the line is not valid
// syntax for net/http, still recovers the name, the value and the attributes
// the way browsers do, noting the error.
func ParseSetCookie(line string, now time.Time, r *Redactor) SetCookie {
	name, value, attrs := SetCookieParts(line)
	sc := SetCookie{Name: name, Value: r.Value(value), Attributes: attrs, Size: len(name) + len(value)}
	c, err := parseSetCookieLine(line)
	if err != nil {
		sc.ParseError = err.Error()
		c = lenientSetCookie(line)
	}
	sc.Domain = c.Domain
	sc.Path = c.Path
	sc.Secure = c.Secure
	sc.HTTPOnly = c.HTTPOnly
	sc.Partitioned = c.Partitioned
	sc.SameSite, _ = AttrValue(attrs, "samesite")
	sc.Unparsed = c.Unparsed
	if ma, ok := maxAge(attrs); ok {
		sc.MaxAge = &ma
	}
	if !c.Expires.IsZero() {
		e := c.Expires
		sc.Expires = &e
	}
	sc.Deletion = IsDeletion(sc.MaxAge, sc.Expires, now)
	return sc
}

// IsDeletion reports whether a Set-Cookie with these lifetime attributes,
// received at now, deletes the cookie. Max-Age wins over Expires.
func IsDeletion(maxAge *int, expires *time.Time, now time.Time) bool {
	if maxAge != nil {
		return *maxAge <= 0
	}
	return expires != nil && !expires.After(now)
}

// Lifetime returns how long a cookie set by sc lives from now, and false for
// a session cookie.
func (sc SetCookie) Lifetime(now time.Time) (time.Duration, bool) {
	if sc.MaxAge != nil {
		return time.Duration(*sc.MaxAge) * time.Second, true
	}
	if sc.Expires != nil {
		return sc.Expires.Sub(now), true
	}
	return 0, false
}

// SetCookieParts splits a Set-Cookie line into its name, its value and
// the attributes after them, as browsers read it (RFC 6265bis section
// 5.6): a pair without "=" is a cookie with an empty name; each part is
// trimmed of ASCII white space only (a no-break space is part of the name
// or value, as it is to the browser).
func SetCookieParts(line string) (name, value, attrs string) {
	pair, attrs, _ := strings.Cut(line, ";")
	name, value, ok := strings.Cut(pair, "=")
	if !ok {
		name, value = "", name
	}
	return trimASCIISpace(name), trimASCIISpace(value), trimASCIISpace(attrs)
}

// lenientSetCookie reads the attributes of a line net/http refused (for
// example a value with a space, which browsers accept).
func lenientSetCookie(line string) *parsedCookie {
	_, _, attrs := SetCookieParts(line)
	c, err := parseSetCookieLine("x=y; " + attrs)
	if err != nil {
		return &parsedCookie{}
	}
	return c
}

// AttrValue returns the value of the last attribute called name in attrs,
// the text after a Set-Cookie line's name=value pair, and whether there is
// one (browsers use the last). Names compare
// ASCII case-insensitively, as in browsers (RFC 6265bis section 5.6), not
// with Unicode folding: "ſameSite" (U+017F) is not SameSite, though
// strings.EqualFold says it is. Names and values are trimmed of ASCII white
// space only. It does not allocate: the analysis looks up every line.
func AttrValue(attrs, name string) (string, bool) {
	val, found := "", false
	for more := true; more; {
		var a string
		a, attrs, more = strings.Cut(attrs, ";") // not strings.Split: no slice to allocate
		n, v, _ := strings.Cut(a, "=")
		if equalFoldASCII(trimASCIISpace(n), name) {
			val, found = trimASCIISpace(v), true
		}
	}
	return val, found
}

// equalFoldASCII reports whether s and t are equal but for the case of
// ASCII letters.
func equalFoldASCII(s, t string) bool { return len(s) == len(t) && hasPrefixFoldASCII(s, t) }

// hasPrefixFoldASCII reports whether s starts with prefix but for the
// case of ASCII letters.
func hasPrefixFoldASCII(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		a, b := s[i], prefix[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

// SameSiteMode reads a SameSite attribute value as browsers do: "Strict",
// "Lax" or "None", compared ASCII case-insensitively; "" for any other
// value (browsers ignore it and apply their default, Lax in Chromium) and
// for none.
func SameSiteMode(v string) string { return foldedOneOf(v, false, "Strict", "Lax", "None") }

// CookiePrefix returns the name prefix the browser enforces on a cookie,
// "__Host-" or "__Secure-", spelled so, when name starts with it in any
// ASCII case (RFC 6265bis section 4.1.3, as Chromium checks it), else "".
func CookiePrefix(name string) string { return foldedOneOf(name, true, "__Host-", "__Secure-") }

// foldedOneOf returns the first of words that s is (or, with prefix,
// starts with) but for the case of ASCII letters, or "".
func foldedOneOf(s string, prefix bool, words ...string) string {
	for _, w := range words {
		if hasPrefixFoldASCII(s, w) && (prefix || len(s) == len(w)) {
			return w
		}
	}
	return ""
}

// maxAge parses Max-Age as browsers do: an optional minus sign and digits;
// anything else is ignored.
func maxAge(attrs string) (int, bool) {
	v, _ := AttrValue(attrs, "max-age")
	if v == "" {
		return 0, false
	}
	neg := strings.HasPrefix(v, "-")
	digits := strings.TrimPrefix(v, "-")
	if digits == "" {
		return 0, false
	}
	n := 0
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		if n < 1<<40 {
			n = n*10 + int(c-'0')
		}
	}
	if neg {
		n = -n
	}
	return n, true
}

// ParseCookieHeader parses a Cookie request header into name/value pairs
// with net/http's grammar; when that refuses the header it falls back to a
// lenient split, keeping what could be read (a pair without "=" being a
// value with an empty name, as in SetCookieParts).
func ParseCookieHeader(h string) [][2]string {
	var out [][2]string
	if pairs, err := parseCookiePairs(h); err == nil {
		return pairs
	}
	for _, p := range strings.Split(h, ";") {
		if p = trimASCIISpace(p); p == "" {
			continue
		}
		n, v, _ := SetCookieParts(p)
		out = append(out, [2]string{n, v})
	}
	return out
}
