// Command sessiontrace records what happens to every cookie and session ID
// of a web journey in real Chromium, and explains why a session reset.
package main

import (
	"os"

	"github.com/sessiontrace/sessiontrace/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:])) }
