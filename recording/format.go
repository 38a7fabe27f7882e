package recording

import (
	"net/url"
	"strings"
)

// A Format is the structure of a cookie value ([Value.Format]), told from
// the raw value when it is recorded. A format names the shape only; nothing
// of the content is kept. Open: a newer recorder may know more formats.
type Format string

const (
	FormatJWT           Format = "jwt"            // header.payload.signature, base64url; the header is JSON with "alg"
	FormatItsdangerous  Format = "itsdangerous"   // Flask: payload.timestamp.signature (a leading "." marks a compressed payload)
	FormatDjangoSigned  Format = "django-signed"  // Django signing: payload:timestamp:signature
	FormatRails         Format = "rails"          // Rails cookie store: data--digest, or data--iv--tag when encrypted
	FormatExpressSigned Format = "express-signed" // express-session: s:ID.signature
	FormatSecurecookie  Format = "securecookie"   // Go gorilla/securecookie: base64url of timestamp|value|mac
	FormatLaravel       Format = "laravel"        // Laravel: base64 of JSON with iv, value and mac (re-encrypted on every response)
	FormatBase64JSON    Format = "base64-json"    // base64 of a JSON object (cookie-session, koa-session: the session itself)
	FormatSigned        Format = "signed"         // another value of several segments whose last is MAC-sized
)

// ValueFormat tells the structure of a cookie value, or "" when it has
// none of the known ones. It looks only at the shape: segments, base64
// alphabets, a JSON header with "alg", a timestamp where one belongs.
func ValueFormat(raw string) Format {
	if len(raw) < 16 || len(raw) > 8192 {
		return ""
	}
	v := raw
	if strings.IndexByte(v, '%') >= 0 {
		if u, err := url.PathUnescape(v); err == nil {
			v = u
		}
	}
	if rest, ok := strings.CutPrefix(v, "s:"); ok {
		if i := strings.LastIndexByte(rest, '.'); i > 0 && macSized(rest[i+1:]) {
			return FormatExpressSigned
		}
	}
	if parts := strings.Split(v, "--"); len(parts) == 2 || len(parts) == 3 {
		if b64ish(parts[0]) && len(parts[0]) >= 8 && (macSized(parts[len(parts)-1]) || len(parts) == 3 && b64ish(parts[1]) && b64ish(parts[2])) {
			return FormatRails
		}
	}
	if parts := strings.Split(strings.TrimPrefix(v, "."), "."); len(parts) == 3 {
		if h, ok := b64decode(parts[0]); ok && jsonObject(h) && strings.Contains(string(h), `"alg"`) && b64ish(parts[1]) {
			return FormatJWT
		}
		if b64ish(parts[0]) && b64ish(parts[1]) && len(parts[1]) <= 8 && macSized(parts[2]) {
			return FormatItsdangerous
		}
	}
	if parts := strings.Split(strings.TrimPrefix(v, "."), ":"); len(parts) == 3 &&
		b64ish(parts[0]) && len(parts[1]) <= 8 && alnum(parts[1]) && macSized(parts[2]) {
		return FormatDjangoSigned
	}
	if d, ok := b64decode(v); ok {
		switch {
		case timestampPipe(d):
			return FormatSecurecookie
		case jsonObject(d) && strings.Contains(string(d), `"iv"`) && strings.Contains(string(d), `"mac"`):
			return FormatLaravel
		case jsonObject(d):
			return FormatBase64JSON
		}
	}
	for _, sep := range []string{".", "|", ":", "--"} {
		if parts := strings.Split(v, sep); len(parts) >= 2 && len(parts) <= 5 && len(parts[0]) >= 4 && macSized(parts[len(parts)-1]) {
			return FormatSigned
		}
	}
	return ""
}

// ClientSideFormat reports whether a value of format f holds the session
// data itself (signed or encrypted), rather than an ID into a server store.
func ClientSideFormat(f Format) bool {
	switch f {
	case FormatJWT, FormatItsdangerous, FormatDjangoSigned, FormatRails, FormatBase64JSON:
		return true
	}
	return false
}

// VolatileFormat reports whether a value of format f changes without the
// session changing: it carries a timestamp or a random IV, or is the
// session data re-signed on every write. A new value of such a cookie does
// not prove a new session.
func VolatileFormat(f Format) bool {
	switch f {
	case FormatExpressSigned, "":
		return false
	}
	return true
}

// macSized reports whether s looks like a MAC: base64url of 20, 32 or 64
// bytes, or hex of 40 or 64 digits.
func macSized(s string) bool {
	s = strings.TrimRight(s, "=")
	switch len(s) {
	case 27, 43, 86:
		return b64ish(s)
	case 40, 64, 128:
		return hexOnly(s) || b64ish(s)
	case 44:
		return b64ish(s)
	}
	return false
}

func b64ish(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

func hexOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// b64decode decodes standard or URL-safe base64, padded or not. It is
// small on purpose: the inspector's bundle does without encoding/base64.
func b64decode(s string) ([]byte, bool) {
	s = strings.TrimRight(s, "=")
	if len(s) < 4 || len(s)%4 == 1 {
		return nil, false
	}
	out := make([]byte, 0, len(s)*3/4)
	var acc uint32
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d uint32
		switch {
		case c >= 'A' && c <= 'Z':
			d = uint32(c - 'A')
		case c >= 'a' && c <= 'z':
			d = uint32(c-'a') + 26
		case c >= '0' && c <= '9':
			d = uint32(c-'0') + 52
		case c == '+' || c == '-':
			d = 62
		case c == '/' || c == '_':
			d = 63
		default:
			return nil, false
		}
		acc = acc<<6 | d
		n += 6
		if n >= 8 {
			n -= 8
			out = append(out, byte(acc>>uint(n)))
		}
	}
	return out, true
}

// jsonObject reports whether b looks like a JSON object.
func jsonObject(b []byte) bool {
	t := strings.TrimSpace(string(b))
	return len(t) >= 2 && t[0] == '{' && t[len(t)-1] == '}'
}

// timestampPipe reports whether b starts with a Unix time in decimal
// followed by "|" (gorilla/securecookie's date|value|mac).
func timestampPipe(b []byte) bool {
	i := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i >= 9 && i <= 11 && i < len(b) && b[i] == '|'
}
