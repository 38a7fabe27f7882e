package recording

import "strings"

// The placeholders that stand for what is scrubbed from text: "[secret]"
// for a secret, "[value:FP]" for a cookie value, FP being the start of the
// value's fingerprint (its first 8 characters in scrubbed text, the whole
// of it for a cookie value in an exported HAR). Redactor.Scrub and HAR
// export write them; HAR import and the analysis read them back, with the
// scanner below.

// SecretPlaceholder stands for a secret in scrubbed text.
const SecretPlaceholder = "[secret]"

// maxPlaceholderFP is the longest FP a placeholder may hold: twice a
// fingerprint, so that a placeholder written by a later version with a
// longer one is still read as such.
const maxPlaceholderFP = 32

// ValuePlaceholder is the placeholder for a cookie value whose fingerprint
// starts with fp.
func ValuePlaceholder(fp string) string { return "[value:" + fp + "]" }

// A placeholder is read case-insensitively (ASCII) and with any of its
// brackets and colon percent-encoded, as a URL may spell it:
//
//	(?i)(?:\[|%5B)(?:value(?::|%3A)([A-Za-z0-9_-]{1,32})|secret)(?:\]|%5D)
//
// (placeholder_test.go holds the scanner to that expression).

// scanPlaceholder reads a placeholder at the start of s. It returns its
// length, and the FP of a value placeholder ("" for "[secret]"); n is 0
// when s does not start with one.
func scanPlaceholder(s string) (n int, fp string) {
	j := 0
	switch {
	case strings.HasPrefix(s, "["):
		j = 1
	case hasPrefixFoldASCII(s, "%5B"):
		j = 3
	default:
		return 0, ""
	}
	if hasPrefixFoldASCII(s[j:], "secret") {
		j += len("secret")
	} else {
		if !hasPrefixFoldASCII(s[j:], "value") {
			return 0, ""
		}
		j += len("value")
		switch {
		case strings.HasPrefix(s[j:], ":"):
			j++
		case hasPrefixFoldASCII(s[j:], "%3A"):
			j += 3
		default:
			return 0, ""
		}
		k := j
		for k < len(s) && isFPByte(s[k]) {
			k++
		}
		if k == j || k-j > maxPlaceholderFP {
			return 0, ""
		}
		fp, j = s[j:k], k
	}
	switch {
	case strings.HasPrefix(s[j:], "]"):
		return j + 1, fp
	case hasPrefixFoldASCII(s[j:], "%5D"):
		return j + 3, fp
	}
	return 0, ""
}

// isFPByte reports whether b may be part of a fingerprint (base64url).
func isFPByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '_' || b == '-'
}

// ParseValuePlaceholder reports whether s is one value placeholder and
// nothing else, and returns its FP.
func ParseValuePlaceholder(s string) (fp string, ok bool) {
	if n, fp := scanPlaceholder(s); n == len(s) && fp != "" {
		return fp, true
	}
	return "", false
}

// ValuePlaceholders returns the FPs of the value placeholders in s, left
// to right; nil (without allocating) when there are none.
func ValuePlaceholders(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		j := strings.IndexAny(s[i:], "[%")
		if j < 0 {
			break
		}
		i += j
		n, fp := scanPlaceholder(s[i:])
		if n == 0 {
			i++
			continue
		}
		if fp != "" {
			out = append(out, fp)
		}
		i += n
	}
	return out
}

// UnescapePlaceholders spells every placeholder in s that is written with
// percent-encoding ("%5Bvalue:FP%5D", as a HAR's URLs must) as written
// plain ("[value:FP]").
func UnescapePlaceholders(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		n, fp := scanPlaceholder(s[i:])
		if n == 0 {
			i++
			continue
		}
		if m := s[i : i+n]; strings.IndexByte(m, '%') >= 0 {
			b.WriteString(s[last:i])
			if fp == "" {
				b.WriteString(SecretPlaceholder)
			} else {
				b.WriteString(ValuePlaceholder(fp))
			}
			last = i + n
		}
		i += n
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
