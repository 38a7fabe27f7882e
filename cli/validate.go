package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/sessiontrace/sessiontrace/internal/words"
	"github.com/sessiontrace/sessiontrace/internal/yamlfile"
	"github.com/sessiontrace/sessiontrace/scenarios"
)

func validateCmd(e *env, args []string) int {
	fs := newFlags(e, "validate", "PATH...", "Checks scenario files (and every file in folders) without running them.\nPrints every error as file:line:col and exits 2 if there is any.")
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	if fs.NArg() == 0 {
		sayf(e, "validate", "no PATH given")
		return ExitUsage
	}
	for _, p := range fs.Args() {
		if _, err := os.Stat(p); err != nil {
			sayf(e, "validate", "%s: %v", p, errors.Unwrap(err))
			return ExitUsage
		}
	}
	list, err := scenarios.Load(fs.Args()...)
	if err != nil {
		listErrors(e, "validate", err, true)
		return ExitUsage
	}
	if len(list) == 0 {
		sayf(e, "validate", "no scenario files (*.yaml, *.yml) found")
		return ExitUsage
	}
	for _, sc := range list {
		fmt.Fprintf(e.stdout, "ok  %s  (%s, %s)\n", sc.File, sc.Name, words.Count(len(sc.Steps), "step", "steps"))
	}
	return ExitOK
}

// listErrors says the errors of files (a scenarios or policy ErrorList:
// file:line:col, one a line) for the command cmd. When the command lists
// the problems of files (list: validate, policy validate), they are
// printed as they are, which editors read, and their count after the
// command's name; otherwise each line starts with the command's name.
func listErrors(e *env, cmd string, err error, list bool) {
	var el yamlfile.ErrorList
	if !list || !errors.As(err, &el) {
		sayf(e, cmd, "%v", err)
		return
	}
	for _, x := range el {
		fmt.Fprintln(e.stderr, x)
	}
	sayf(e, cmd, "%s", words.Count(len(el), "error", "errors"))
}
