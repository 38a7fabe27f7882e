package runfolder

// The names in a run folder, relative to it.
const (
	IndexFile      = "index.json"
	RecordingsDir  = "recordings"
	ScreenshotsDir = "screenshots"
	FailuresDir    = "failures" // the page at each failing step: a screenshot and an HTML snapshot
	FindingsFile   = "findings.json"
	SummaryFile    = "summary.json"
	JUnitFile      = "junit.xml"
)

// IsReportFile reports whether name (a file name, without folder) is one
// of the run folder's reports: JSON files that are not recordings.
func IsReportFile(name string) bool {
	return name == FindingsFile || name == SummaryFile
}
