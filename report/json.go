package report

import (
	"io"

	"github.com/sessiontrace/sessiontrace/runfolder"
)

// JSON is analysis.Report as JSON, the same bytes as a run folder's
// findings.json (fields in docs/rules.md).
var JSON Format = &format{"json", writeJSON}

func writeJSON(w io.Writer, in *Input) error {
	return runfolder.EncodeJSON(w, in.Report)
}
