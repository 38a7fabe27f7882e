package csvw

import (
	"encoding/csv"
	"strings"
	"testing"
)

func viaEncodingCSV(rows [][]string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	for _, r := range rows {
		w.Write(r)
	}
	w.Flush()
	return b.String()
}

func viaAppend(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		Append(&b, r)
	}
	return b.String()
}

func TestMatchesEncodingCSV(t *testing.T) {
	rows := [][]string{
		{"name", "domain", "path"},
		{"", "a,b", `say "hi"`},
		{"line\nbreak", "cr\rlf\r\n", `\.`, `\..`},
		{" lead", "\ttab", "\u00a0nbsp", "\u2028sep", "trail "},
		{"é", "\xff", "=1+1"},
		{},
		{""},
	}
	if got, want := viaAppend(rows), viaEncodingCSV(rows); got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}

func FuzzMatchesEncodingCSV(f *testing.F) {
	for _, s := range []string{"a", "a,b", `"`, "\n", "\r\n", " x", `\.`, "\u0085x", "\xffx", ""} {
		f.Add(s, "plain")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		rows := [][]string{{a, b}, {b}, {a}}
		if got, want := viaAppend(rows), viaEncodingCSV(rows); got != want {
			t.Fatalf("%q %q: got %q want %q", a, b, got, want)
		}
	})
}
