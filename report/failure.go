package report

import (
	"path/filepath"

	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// A failure is why a scenario did not pass, and where: the step that
// ended it, its place in the scenario file, and the page kept of it.
type failure struct {
	status recording.Status
	msg    string
	step   *recording.Step // nil when no step ended it (the browser could not start)
	// evidence are the paths of the failing page's screenshot and HTML
	// snapshot, as the reader of the report can open them (the run
	// folder's path joined).
	evidence []string
}

// failureOf is the failure of a scenario that failed, errored or was
// interrupted; nil for one that passed.
func failureOf(l runfolder.Loaded) *failure {
	r := l.Recording
	if r.Status == recording.StatusPassed || r.Status == "" {
		return nil
	}
	f := &failure{status: r.Status, msg: r.Error}
	for i := range r.Steps {
		if s := &r.Steps[i]; s.Status == recording.StatusFailed {
			f.step = s
		}
	}
	if f.step != nil && l.Path != "" {
		// A recording's path is RUN/recordings/NAME.json.
		run := filepath.Dir(filepath.Dir(l.Path))
		for _, p := range []string{f.step.Screenshot, f.step.Snapshot} {
			if p != "" {
				f.evidence = append(f.evidence, filepath.Join(run, filepath.FromSlash(p)))
			}
		}
	}
	return f
}

// line is the failing step's line in the scenario file, or 0.
func (f *failure) line() int {
	if f == nil || f.step == nil {
		return 0
	}
	return f.step.Line
}
