package policy

import "github.com/sessiontrace/sessiontrace/internal/yamlfile"

// Pos is a position in a policy file. Line and Col are 1-based; zero means
// unknown (see yamlfile.Pos).
type Pos = yamlfile.Pos

// Error is one problem in a policy file.
type Error = yamlfile.Error

// ErrorList is every problem found in a file, sorted by position by its
// Err method, so a user can fix them all in one pass.
type ErrorList = yamlfile.ErrorList

// fileLine is "file:line", how violations cite the clause they break.
func fileLine(p Pos) string { return Pos{File: p.File, Line: p.Line}.String() }
