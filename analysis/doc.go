// Package analysis turns recordings into session lifecycles, reset
// diagnoses and security findings.
//
// It reads only [recording.Recording] values and never talks to a browser,
// a network or a file system, so the same code runs in the CLI (audit, run)
// and in the inspector compiled to GOOS=js GOARCH=wasm. Every function is
// pure: it depends only on the recording it is given, and it does not panic
// on any recording that [recording.Decode] accepts.
//
// The three things it computes:
//
//   - Session IDs: which cookies are session IDs (declared by the scenario,
//     by name, or by behaviour), and for each cookie identity (name, domain,
//     path, partition) the IDs it held, where each was issued, which requests
//     carried or withheld it and how it ended.
//   - Resets: every ID the browser held that ended or was replaced where the
//     journey did not expect it, with exactly one cause from [Causes] and the
//     evidence for it.
//   - Findings: the checks of the catalogue [Rules] (cookie attributes,
//     session-ID exposure, fixation, logout, session tokens in Web Storage
//     and their revocation, mixed-scheme links, cleartext passwords),
//     de-duplicated per rule, scenario and cookie (or storage item).
//
// docs/rules.md is generated from [Rules] and [Causes] by [RulesMarkdown].
package analysis
