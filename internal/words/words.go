// Package words writes counts the way a person reads them: "1 scenario",
// "2 scenarios", for the commands and their reports.
package words

import "strconv"

// Plural returns one when n is 1, else many.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Count says n things: Count(1, "entry", "entries") is "1 entry",
// Count(0, ...) "0 entries".
func Count(n int, one, many string) string {
	return strconv.Itoa(n) + " " + Plural(n, one, many)
}
