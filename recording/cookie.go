package recording

import (
	"strings"
	"time"
)

// SplitSetCookie splits a Set-Cookie header value as browsers report it
// (several lines joined with "\n") into its lines, dropping empty ones.
func SplitSetCookie(header string) []string {
	var lines []string
	for _, l := range strings.Split(header, "\n") {
		if l = strings.TrimSpace(l); l != "" {
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
	sc.SameSite = rawAttr(attrs, "samesite")
	sc.Unparsed = c.Unparsed
	if c.MaxAge != 0 || hasAttr(attrs, "max-age") {
		if ma, ok := maxAge(attrs); ok {
			sc.MaxAge = &ma
		}
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
// the attributes after them, trimmed, as browsers read it.
func SetCookieParts(line string) (name, value, attrs string) {
	pair, attrs, _ := strings.Cut(line, ";")
	name, value, ok := strings.Cut(pair, "=")
	if !ok {
		// RFC 6265bis: a pair with no "=" is a cookie with an empty name.
		name, value = "", name
	}
	return strings.TrimSpace(name), strings.TrimSpace(value), strings.TrimSpace(attrs)
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

// attrs yields the attribute name (lower case) and raw value of each
// attribute in the text after the name=value pair.
func eachAttr(attrs string, f func(name, val string) bool) {
	for _, a := range strings.Split(attrs, ";") {
		n, v, _ := strings.Cut(a, "=")
		if !f(strings.ToLower(strings.TrimSpace(n)), strings.TrimSpace(v)) {
			return
		}
	}
}

func hasAttr(attrs, name string) bool {
	found := false
	eachAttr(attrs, func(n, _ string) bool { found = n == name; return !found })
	return found
}

// rawAttr returns the value of the last attribute called name, as sent
// (browsers use the last one).
func rawAttr(attrs, name string) string {
	val := ""
	eachAttr(attrs, func(n, v string) bool {
		if n == name {
			val = v
		}
		return true
	})
	return val
}

// maxAge parses Max-Age as browsers do: an optional minus sign and digits;
// anything else is ignored.
func maxAge(attrs string) (int, bool) {
	v := rawAttr(attrs, "max-age")
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
// lenient split, keeping what could be read.
func ParseCookieHeader(h string) [][2]string {
	var out [][2]string
	if pairs, err := parseCookiePairs(h); err == nil {
		return pairs
	}
	for _, p := range strings.Split(h, ";") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		n, v, ok := strings.Cut(p, "=")
		if !ok {
			n, v = "", n
		}
		out = append(out, [2]string{strings.TrimSpace(n), strings.TrimSpace(v)})
	}
	return out
}
