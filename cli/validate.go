package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/sessiontrace/sessiontrace/scenarios"
)

func validateCmd(e *env, args []string) int {
	fs := newFlags(e, "validate", "PATH...", "Checks scenario files (and every file in folders) without running them.\nPrints every error as file:line:col and exits 2 if there is any.")
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "sessiontrace validate: no PATH given")
		return ExitUsage
	}
	for _, p := range fs.Args() {
		if _, err := os.Stat(p); err != nil {
			fmt.Fprintf(e.stderr, "%s: %v\n", p, errors.Unwrap(err))
			return ExitUsage
		}
	}
	list, err := scenarios.Load(fs.Args()...)
	if err != nil {
		var el scenarios.ErrorList
		if errors.As(err, &el) {
			for _, x := range el {
				fmt.Fprintln(e.stderr, x)
			}
			fmt.Fprintf(e.stderr, "%d errors\n", len(el))
		} else {
			fmt.Fprintln(e.stderr, err)
		}
		return ExitUsage
	}
	if len(list) == 0 {
		fmt.Fprintln(e.stderr, "sessiontrace validate: no scenario files (*.yaml, *.yml) found")
		return ExitUsage
	}
	for _, sc := range list {
		fmt.Fprintf(e.stdout, "ok  %s  (%s, %d steps)\n", sc.File, sc.Name, len(sc.Steps))
	}
	return ExitOK
}
