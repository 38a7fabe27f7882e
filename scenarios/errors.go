package scenarios

import "github.com/sessiontrace/sessiontrace/internal/yamlfile"

// Pos is a position in a scenario file. Line and Col are 1-based; zero
// means unknown (see yamlfile.Pos).
type Pos = yamlfile.Pos

// Error is one problem in a scenario file.
type Error = yamlfile.Error

// ErrorList is every problem found in one or more files, sorted by
// position by its Err method, so a user can fix them all in one pass.
type ErrorList = yamlfile.ErrorList
