package recording

import "time"

// IndexSchema is the schema id of a run folder's index.json.
const IndexSchema = "sessiontrace.run/v1"

// An Index lists the recordings of one run of a suite. It is written as
// index.json at the top of the run folder.
type Index struct {
	Schema string    `json:"schema"`
	Tool   string    `json:"tool"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	// Status is the worst status of the scenarios, or interrupted.
	Status    Status       `json:"status"`
	Scenarios []IndexEntry `json:"scenarios"`
	Totals    Totals       `json:"totals"`
}

// An IndexEntry is one scenario run of an Index.
type IndexEntry struct {
	Name string `json:"name"`
	File string `json:"file,omitempty"`
	// Recording is the path of the recording, relative to the run folder.
	Recording string    `json:"recording"`
	Status    Status    `json:"status"`
	Error     string    `json:"error,omitempty"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Steps     int       `json:"steps"`
	Requests  int       `json:"requests"`
	Events    int       `json:"events"`
	Tags      []string  `json:"tags,omitempty"`
	// Attempts lists the recordings of earlier attempts (--retries),
	// oldest first; Recording is the last attempt.
	Attempts []string `json:"attempts,omitempty"`
	// Flaky is true when the scenario passed only after failing.
	Flaky bool `json:"flaky,omitempty"`
	// Shard is the shard (K/N) that ran the scenario, in a merged run.
	Shard string `json:"shard,omitempty"`
}

// Totals counts scenarios by status.
type Totals struct {
	Passed      int `json:"passed"`
	Failed      int `json:"failed"`
	Errored     int `json:"errored"`
	Interrupted int `json:"interrupted"`
	// Flaky counts scenarios that passed only on a retry (also counted
	// as passed).
	Flaky int `json:"flaky,omitempty"`
}

// Add counts one scenario of status s.
func (t *Totals) Add(s Status) {
	switch s {
	case StatusPassed:
		t.Passed++
	case StatusFailed:
		t.Failed++
	case StatusInterrupted:
		t.Interrupted++
	default:
		t.Errored++
	}
}

// Worse reports whether status a is worse than b, in the order passed <
// failed < errored < interrupted.
func Worse(a, b Status) bool { return rank(a) > rank(b) }

func rank(s Status) int {
	switch s {
	case StatusPassed:
		return 0
	case StatusFailed:
		return 1
	case StatusErrored, StatusRunning:
		return 2
	case StatusInterrupted:
		return 3
	}
	return 2
}
