// Package csvw writes CSV exactly as encoding/csv's Writer does with its
// defaults (comma, "\n" line ends), for the inspector's exports:
// encoding/csv and the bufio it brings weigh on the WebAssembly page
// (docs/benchmarks.md). FuzzMatchesEncodingCSV holds the two
// together.
package csvw

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Append appends a record as one CSV line to b.
func Append(b *strings.Builder, record []string) {
	for n, field := range record {
		if n > 0 {
			b.WriteByte(',')
		}
		if !needsQuotes(field) {
			b.WriteString(field)
			continue
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(field, `"`, `""`))
		b.WriteByte('"')
	}
	b.WriteByte('\n')
}

// needsQuotes is encoding/csv's fieldNeedsQuotes for a comma: a field
// with a comma, a quote or a line end, `\.`, or one that starts with a
// space.
func needsQuotes(field string) bool {
	if field == "" {
		return false
	}
	if field == `\.` || strings.ContainsAny(field, ",\"\r\n") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(field)
	return unicode.IsSpace(r)
}
