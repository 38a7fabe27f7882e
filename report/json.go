package report

import (
	"io"

	"github.com/sessiontrace/sessiontrace/runfolder"
)

// JSON is analysis.Report as JSON with its schema id
// (runfolder.FindingsSchema), the same bytes as a run folder's
// findings.json (fields in docs/audit-json.md).
var JSON Format = &format{"json", writeJSON}

func writeJSON(w io.Writer, in *Input) error {
	return runfolder.EncodeFindings(w, in.Report)
}
