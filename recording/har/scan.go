package har

import "strings"

// Hand-written scanners for the few patterns HAR import looks for (the
// "[value:FP]" placeholders are read by package recording's). They
// replace regular expressions because package regexp (and the Unicode
// tables it brings) is a sixth of the inspector's WebAssembly bundle; the
// tests hold each one to the regular expression it replaces, on ASCII
// input (case-insensitive regexps also fold a few non-ASCII letters, such
// as U+017F for "s", which these scanners do not).

func asciiLetterOrUnderscore(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b == '_'
}

// hasJSONPasswordKey reports whether JSON text has a member whose name
// (letters and underscores) contains password, passwd or passphrase.
// It matches (?i)"[a-z_]*(password|passwd|passphrase)[a-z_]*"\s*: on ASCII.
func hasJSONPasswordKey(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '"' {
			continue
		}
		j := i + 1
		for j < len(s) && asciiLetterOrUnderscore(s[j]) {
			j++
		}
		if j >= len(s) || s[j] != '"' {
			continue
		}
		k := j + 1
		for k < len(s) && strings.IndexByte(" \t\n\f\r", s[k]) >= 0 {
			k++
		}
		if k >= len(s) || s[k] != ':' {
			continue
		}
		name := strings.ToLower(s[i+1 : j])
		if strings.Contains(name, "password") || strings.Contains(name, "passwd") || strings.Contains(name, "passphrase") {
			return true
		}
	}
	return false
}

// logoutWords are the path words that name a logout.
var logoutWords = []string{"logout", "log-out", "log_out", "signout", "sign-out", "sign_out",
	"logoff", "log-off", "signoff", "sign-off"}

// isLogoutPath reports whether a URL path names a logout: one of
// logoutWords, at the start or after one of /_.- and followed by the end
// or one of /.;.
// It matches (?i)(^|[/_.-])(log-?out|log_out|sign-?out|sign_out|log-?off|sign-?off)($|[/.;]) on ASCII.
func isLogoutPath(p string) bool {
	lower := strings.ToLower(p)
	for i := 0; i < len(lower); i++ {
		if i > 0 && strings.IndexByte("/_.-", lower[i-1]) < 0 {
			continue
		}
		for _, w := range logoutWords {
			if !strings.HasPrefix(lower[i:], w) {
				continue
			}
			if end := i + len(w); end == len(lower) || strings.IndexByte("/.;", lower[end]) >= 0 {
				return true
			}
		}
	}
	return false
}

// uaProducts are the User-Agent product names productFromUA looks for, in
// the order of preference when two start at the same place.
var uaProducts = []string{"Firefox", "Edg", "HeadlessChrome", "Chrome", "Version"}

// uaProductVersions returns the product/version pairs of a User-Agent, left
// to right.
// It is FindAllStringSubmatch of (Firefox|Edg|HeadlessChrome|Chrome|Version)/([0-9.]+).
func uaProductVersions(ua string) [][2]string {
	var out [][2]string
	for i := 0; i < len(ua); {
		matched := false
		for _, p := range uaProducts {
			rest, ok := strings.CutPrefix(ua[i:], p+"/")
			if !ok {
				continue
			}
			n := 0
			for n < len(rest) && (rest[n] == '.' || '0' <= rest[n] && rest[n] <= '9') {
				n++
			}
			if n == 0 {
				continue
			}
			out = append(out, [2]string{p, rest[:n]})
			i += len(p) + 1 + n
			matched = true
			break
		}
		if !matched {
			i++
		}
	}
	return out
}
