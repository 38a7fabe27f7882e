// Package report writes the analysis of recordings in the formats that
// `sessiontrace audit --format` (and run, merge) offer: text, json,
// junit, sarif and html (also `sessiontrace report`), one file each. A new format is a type with the Format
// methods and a line in Formats; the flag's help and its error message
// list it from there.
package report

import (
	"io"
	"strings"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// A Format writes a report.
type Format interface {
	// Name is the format's --format value.
	Name() string
	// Write writes the report of in to w.
	Write(w io.Writer, in *Input) error
}

// Input is what a format reports on.
type Input struct {
	// Recordings are the recordings analysed, with the files they came
	// from (JUnit attaches them, SARIF points at them).
	Recordings []runfolder.Loaded
	// Report is their analysis (analysis.AnalyzeAll).
	Report *analysis.Report
	// Threshold is --fail-on, or "": text counts the findings at or above
	// it, JUnit fails the scenarios that have one.
	Threshold analysis.Severity
	// Color asks text for ANSI colours.
	Color bool
	// Version is the program's version, for SARIF's tool.
	Version string
}

// format is a Format made of a name and a writer.
type format struct {
	name  string
	write func(w io.Writer, in *Input) error
}

func (f *format) Name() string                       { return f.name }
func (f *format) Write(w io.Writer, in *Input) error { return f.write(w, in) }

// Formats are the formats, in the order help lists them.
var Formats = []Format{Text, JSON, JUnit, SARIF, HTML}

// Lookup returns the format called name.
func Lookup(name string) (Format, bool) {
	for _, f := range Formats {
		if f.Name() == name {
			return f, true
		}
	}
	return nil, false
}

// Names lists the formats' names for a sentence: "text, json, junit,
// sarif or html".
func Names() string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = f.Name()
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
