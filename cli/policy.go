package cli

import "fmt"

// policyCmd is being built (issue 6); it says so rather than pretending.
func policyCmd(e *env, _ []string) int {
	fmt.Fprintln(e.stderr, "sessiontrace policy: not implemented yet")
	return ExitUsage
}
