package yamlfile

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Pos is a position in a file. Line and Col are 1-based; zero means
// unknown (I/O errors have neither; a YAML syntax error that could not be
// located has no column).
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats p as "file:line:col", leaving out the parts that are
// unknown, like go/token does.
func (p Pos) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		if b.Len() > 0 {
			b.WriteByte(':')
		}
		b.WriteString(strconv.Itoa(p.Line))
		if p.Col > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(p.Col))
		}
	}
	return b.String()
}

// Error is one problem in a file.
type Error struct {
	Pos  Pos
	Msg  string
	Hint string // a suggested replacement for the offending word, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	if p := e.Pos.String(); p != "" {
		b.WriteString(p)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		fmt.Fprintf(&b, " (did you mean %q?)", e.Hint)
	}
	return b.String()
}

// ErrorList is every problem found in one or more files, sorted by
// position, so a user can fix them all in one pass.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As reach the individual *Error values.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Err returns l sorted and without duplicates, or nil if l is empty; it
// spares callers the typed-nil-in-an-interface trap.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l = slices.Clone(l)
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(a.Msg, b.Msg),
			cmp.Compare(a.Hint, b.Hint),
		)
	})
	// Aliased YAML nodes are read once per use, so the same problem can
	// be found more than once.
	return slices.CompactFunc(l, func(a, b *Error) bool { return *a == *b })
}

// Suggest returns the candidate closest to word, or "" if none is close
// enough to be a plausible typo. Case differences are free, so
// "httponly" suggests "httpOnly".
func Suggest(word string, candidates ...string) string {
	if word == "" || !utf8.ValidString(word) {
		return ""
	}
	lw := []rune(strings.ToLower(word))
	if len(lw) > 64 {
		return "" // not a typo; and keeps the quadratic distance cheap
	}
	// Roughly one edit per four letters: catches "slector" and "goot"
	// without proposing "url" for "id".
	maxDist := max(1, (len(lw)+2)/4)
	best, bestDist := "", maxDist+1
	for _, c := range candidates {
		if c == word {
			continue
		}
		if d := editDistance(lw, []rune(strings.ToLower(c))); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance: Levenshtein
// plus adjacent transpositions, the most common typo ("goot").
func editDistance(a, b []rune) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// OneOf formats a list of choices for a message: "a, b or c".
func OneOf(choices []string) string {
	switch len(choices) {
	case 0:
		return ""
	case 1:
		return choices[0]
	}
	return strings.Join(choices[:len(choices)-1], ", ") + " or " + choices[len(choices)-1]
}

// Quote quotes a user's word for a message, shortened so that a pasted
// blob does not flood the terminal.
func Quote(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max]) + "..."
	}
	return strconv.Quote(s)
}

// Prefix puts where (the field, "fill.selector") before msg, as Errorf
// does; for problems found after reading, such as in substituted values.
func Prefix(where, msg string) string {
	if where == "" {
		return msg
	}
	return where + ": " + msg
}
