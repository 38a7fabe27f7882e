// Package rundiff compares two runs of a suite (two builds, two
// environments) and says, per scenario, what changed: cookies added or
// gone, cookie attributes, session behaviour (rotation at login, ending at
// logout, resets and their causes), findings new or fixed, and the
// scenario's status. Each change is classified as a regression, an
// improvement or neither, so CI can gate on regressions.
//
// It reads only recordings and the analysis of them, and imports no
// browser, network or file system code: the inspector runs it in the page
// (GOOS=js GOARCH=wasm) and the CLI's diff command prints it.
//
// Three rules make the comparison fair between runs:
//
//   - Cookie values are never compared. Each run fingerprints values with
//     its own random key, so equal values have different fingerprints in
//     two runs; cookies are matched by identity (name, path, partition and
//     domain relative to the scenario's target) instead.
//   - Domains are compared relative to the target host: a host-only cookie
//     of staging.shop.test and one of shop.test are the same cookie when
//     each run targets its own host. Only a change of relation (host-only
//     to a Domain attribute, the target host to its parent, ...) is a
//     change.
//   - Only steps that ran in both runs are compared. When B fails at step
//     1, what A saw at its login step is not reported as lost: a note says
//     which steps were not compared.
//
// docs/diff.md describes the output and the regression rules for users.
package rundiff
