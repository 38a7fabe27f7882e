// Package har reads HAR (HTTP Archive 1.2) files as recordings (Import)
// and writes recordings as HAR files (Export).
//
// A HAR lists HTTP exchanges: Import turns them into a Recording, Export
// writes a Recording as one. What a HAR cannot tell (the cookies the
// browser withheld or refused, script writes, the jar) is left unknown,
// never invented. docs/har.md is the user's guide.
//
// The files: input.go, the HAR as read (its decoder is generated:
// decode_gen.go); meta.go, sessiontrace's own "_sessiontrace" object and
// "_" fields; import.go, entries and their cookies; steps.go, redirects
// and the steps inferred from pages and navigations; describe.go, what
// is said about a HAR that sessiontrace did not write; errors.go, errors
// with their position; scan.go, the scanners of the patterns import looks
// for; export.go, the writer.
package har

// MetaSchema names the version of the "_sessiontrace" object that Export
// writes at the top of the HAR's log: with it, Import restores the steps,
// the fingerprints and the browser's cookie verdicts exactly.
const MetaSchema = "sessiontrace.har/v1"

// keptHeaders are the response headers kept on each request, as the
// harness keeps them.
var keptHeaders = []string{"Cache-Control", "Pragma", "Content-Type", "Expires"}

// A Report says what Import found in a HAR besides the recording.
type Report struct {
	// Creator and Browser are the HAR's log.creator and log.browser
	// ("WebInspector 537.36", "Playwright 1.49.0", "chromium 131.0").
	Creator string `json:"creator"`
	Browser string `json:"browser,omitempty"`
	// Entries is the number of HAR entries, each a request of the recording.
	Entries int `json:"entries"`
	// Pages is the number of HAR pages; Steps the number of steps made.
	Pages int `json:"pages"`
	Steps int `json:"steps"`
	// FromSessiontrace is true for a HAR written by Export: its steps,
	// fingerprints, withheld and refused cookies were restored.
	FromSessiontrace bool `json:"fromSessiontrace,omitempty"`
	// Sanitized is true when the HAR holds no cookie at all although it
	// has requests: the way browsers' default ("sanitized") HAR exports
	// look. Message then says what is missing and how to export with
	// cookies.
	Sanitized bool   `json:"sanitized,omitempty"`
	Message   string `json:"message,omitempty"`
	// Notes are other things the import had to guess or leave out.
	Notes []string `json:"notes,omitempty"`
}
