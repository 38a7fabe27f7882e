package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/sessiontrace/sessiontrace/internal/words"
	"github.com/sessiontrace/sessiontrace/policy"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

const policyUsage = `Usage: sessiontrace policy init [flags] RUN...
       sessiontrace policy validate FILE...

A cookie policy (` + policy.FileName + `) lists the cookies a site is expected to
set and the rules each must keep: flags, SameSite, lifetime, host-only, prefix, a
new ID at login, death at logout. Runs are checked against it with
'sessiontrace run --policy FILE' or 'sessiontrace audit --policy FILE RUN':
every broken clause is a POLICY-VIOLATION finding. Format: docs/policy.md.

  init       write a baseline from a good run, for you to edit
  validate   check policy files; errors as file:line:col

Run 'sessiontrace policy init --help' for its flags.
`

func policyCmd(e *env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, policyUsage)
		return ExitUsage
	}
	switch args[0] {
	case "init":
		return policyInitCmd(e, args[1:])
	case "validate":
		return policyValidateCmd(e, args[1:])
	case "-h", "--help", "help":
		fmt.Fprint(e.stdout, policyUsage)
		return ExitOK
	}
	fmt.Fprintf(e.stderr, "sessiontrace policy: unknown subcommand %q (want init or validate)%s\n\n%s", args[0], didYouMean(args[0], []string{"init", "validate"}, "%q"), policyUsage)
	return ExitUsage
}

const policyInitShort = `Writes a cookie policy baseline from a good run: one entry per cookie the site
set (session IDs first) with the flags, SameSite (as a minimum), lifetime (rounded
up), host-only and prefix it showed, plus rotateAtLogin and dieAtLogout where the
run shows them. RUN is a run folder (its index.json), a recording or a HAR file.
Edit the file, commit it, and check later runs with --policy.`

func policyInitCmd(e *env, args []string) int {
	fs := newFlags(e, "policy init", "[flags] RUN...", policyInitShort)
	out := fs.StringP("output", "o", policy.FileName, "file to write (- for standard output)")
	force := fs.Bool("force", false, "overwrite the file if it exists")
	maxSize := maxSizeFlag(fs)
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "sessiontrace policy init: no RUN given (a run folder, a recording or a HAR file)")
		return ExitUsage
	}
	recs, ok := loadSaying(e, "policy init", fs.Args(), *maxSize)
	if !ok {
		return ExitUsage
	}
	for _, l := range recs {
		if s := l.Recording.Status; s != recording.StatusPassed {
			sayf(e, "policy init", "warning: %s: scenario %q %s; the baseline misses what it did not reach", l.Path, l.Recording.Scenario.Name, s)
		}
	}
	data, err := policy.Init(runfolder.Recordings(recs), nil, strings.Join(fs.Args(), " "))
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace policy init:", err)
		return ExitUsage
	}
	if *out == "-" {
		if _, err := e.stdout.Write(data); err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace policy init:", err)
			return ExitFailed
		}
		return ExitOK
	}
	if err := writeNew(*out, data, *force); err != nil {
		if errors.Is(err, os.ErrExist) {
			fmt.Fprintf(e.stderr, "sessiontrace policy init: %s exists; pass --force to overwrite it\n", *out)
			return ExitUsage
		}
		fmt.Fprintln(e.stderr, "sessiontrace policy init:", err)
		return ExitFailed
	}
	n := 0
	if p, err := policy.Parse(*out, data); err == nil {
		n = len(p.Cookies)
	}
	fmt.Fprintf(e.stdout, "wrote %s: %s from %s\n", *out, words.Count(n, "cookie entry", "cookie entries"), words.Count(len(recs), "recording", "recordings"))
	fmt.Fprintf(e.stdout, "edit it, then check runs with: sessiontrace run --policy %s ...  or  sessiontrace audit --policy %s RUN\n", *out, *out)
	return ExitOK
}

// writeNew writes data to path, refusing to replace a file unless force.
func writeNew(path string, data []byte, force bool) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func policyValidateCmd(e *env, args []string) int {
	fs := newFlags(e, "policy validate", "FILE...", "Checks policy files. Prints every error as file:line:col and exits 2 if there is any.")
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "sessiontrace policy validate: no FILE given")
		return ExitUsage
	}
	code := ExitOK
	for _, path := range fs.Args() {
		p, ok := loadPolicy(e, "policy validate", path, true)
		if !ok {
			code = ExitUsage
			continue
		}
		fmt.Fprintf(e.stdout, "ok  %s  (%s, unknown cookies: %s)\n", path, words.Count(len(p.Cookies), "cookie entry", "cookie entries"), p.UnknownCookies)
	}
	return code
}

// loadPolicy reads a policy file for the command cmd, saying its errors
// (file:line:col, one a line) on standard error: as they are, followed by
// their count, when the command lists the problems of files (list: policy
// validate), else each after the command's name.
func loadPolicy(e *env, cmd, path string, list bool) (*policy.Policy, bool) {
	p, err := policy.Load(path)
	if err != nil {
		listErrors(e, cmd, err, list)
		return nil, false
	}
	return p, true
}

// policyFlag loads the file of --policy; the caller treats a bad one as a
// usage error, before anything else runs. An empty path means no policy.
func policyFlag(e *env, cmd, path string) (*policy.Policy, bool) {
	if path == "" {
		return nil, true
	}
	return loadPolicy(e, cmd, path, false)
}
