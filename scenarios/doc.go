// Package scenarios is the scenario language of sessiontrace: it parses
// and validates the YAML files that script a journey through a site, and
// substitutes their variables. The language is specified in the
// project's design document ("Scenario files (YAML)"); in short:
//
//	name: Login rotates the session ID
//	target: ${lab}
//	vars: { user: alice }
//	steps:
//	  - goto: /login
//	  - fill: { selector: "#user", value: "${vars.user}" }
//	  - fill: { selector: "#password", value: "${env.SHOP_PASSWORD}", secret: true }
//	  - submit: "#login-form"
//	    as: login
//	  - expect: { session: rotated, cookie: { name: SID, httpOnly: true } }
//
// Parse reports every problem of a file at once, each with its
// file:line:col and, for a misspelt word, a suggestion. Resolve replaces
// ${env.X}, ${vars.x} and ${lab...} just before a run, and Secrets lists
// the values the caller must redact.
//
// The package uses only the standard library, a YAML parser and
// internal/yamlfile (the positioned reader it shares with policy), so it
// also runs in the WebAssembly inspector.
package scenarios
