package scenarios

import "embed"

// LabSuite holds the bundled scenarios (lab/*.yaml), written against the
// built-in lab site; load them with LoadFS(LabSuite, "lab").
//
//go:embed lab
var LabSuite embed.FS
