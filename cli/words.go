package cli

import "fmt"

// plural returns one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// count says n things: "1 scenario", "2 scenarios", "0 scenarios"; a
// noun whose plural is not noun+"s" gives it: count(n, "entry", "entries").
func count(n int, noun string, pluralForm ...string) string {
	many := noun + "s"
	if len(pluralForm) > 0 {
		many = pluralForm[0]
	}
	return fmt.Sprintf("%d %s", n, plural(n, noun, many))
}
