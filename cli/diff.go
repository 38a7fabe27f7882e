package cli

import "fmt"

// diffCmd is being built (issue 6); it says so rather than pretending.
func diffCmd(e *env, _ []string) int {
	fmt.Fprintln(e.stderr, "sessiontrace diff: not implemented yet")
	return ExitUsage
}
