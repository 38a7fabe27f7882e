//go:build !js

package runfolder

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/web"
)

// A Dir is a run folder on disk, by its path.
type Dir string

// Create makes the run folder and its recordings folder.
func (d Dir) Create() error {
	return os.MkdirAll(d.Path(RecordingsDir), 0o755)
}

// Path is the path of name, a path relative to the run folder (with / or
// the system's separator).
func (d Dir) Path(name string) string {
	return filepath.Join(string(d), filepath.FromSlash(name))
}

// WriteRecording writes rec as the file name of the run folder.
func (d Dir) WriteRecording(name string, rec *recording.Recording) error {
	data, err := recording.Encode(rec)
	if err != nil {
		return err
	}
	return writeBytes(d.Path(name), data)
}

// WriteIndex writes the run index, index.json.
func (d Dir) WriteIndex(ix *recording.Index) error {
	data, err := recording.EncodeIndex(ix)
	if err != nil {
		return err
	}
	return writeBytes(d.Path(IndexFile), data)
}

// WriteFindings writes the audit report, findings.json.
func (d Dir) WriteFindings(rep *analysis.Report) error {
	return d.WriteFile(FindingsFile, func(w io.Writer) error { return EncodeFindings(w, rep) })
}

// FindingsSchema is the schema id of the audit report: findings.json and
// the output of audit --format json (docs/audit-json.md).
const FindingsSchema = "sessiontrace.audit/v1"

// EncodeFindings writes rep as findings.json holds it: its schema id
// first, then the report's fields. The id is added here, not in
// analysis.Report, so that the analysis (and the inspector, which encodes
// its own copy) keeps one type whatever the file says about itself.
func EncodeFindings(w io.Writer, rep *analysis.Report) error {
	return EncodeJSON(w, struct {
		Schema string `json:"schema"`
		*analysis.Report
	}{FindingsSchema, rep})
}

// WriteSummary writes the run's outcome, summary.json.
func (d Dir) WriteSummary(s *Summary) error {
	return d.WriteFile(SummaryFile, func(w io.Writer) error { return EncodeJSON(w, s) })
}

// WriteFile writes the file name of the run folder with write.
func (d Dir) WriteFile(name string, write func(io.Writer) error) error {
	return writeAtomic(d.Path(name), write)
}

// WriteScreenshot writes an image at name, a path relative to the run
// folder (the scenario parser keeps it inside), and returns that path
// with /.
func (d Dir) WriteScreenshot(name string, data []byte) (string, error) {
	rel := filepath.Clean(filepath.FromSlash(name))
	if filepath.IsAbs(rel) || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("screenshot path %q leaves the run folder", name)
	}
	full := d.Path(rel)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return "", err
	}
	return filepath.ToSlash(rel), writeBytes(full, data)
}

// WriteNew writes data under name, or under name-2, name-3, ... (before
// the extension) when a file of that name exists: the failures of a
// scenario's earlier attempts are kept. It returns the name used.
func (d Dir) WriteNew(name string, data []byte) (string, error) {
	used := map[string]bool{}
	for n := name; ; n = uniqueName(used, name) {
		used[n] = true
		if _, err := os.Stat(d.Path(filepath.FromSlash(n))); os.IsNotExist(err) {
			return d.WriteScreenshot(n, data)
		}
	}
}

// WriteInspector writes the inspector's files (package web's: index.html,
// inspector.wasm, ...) into the run folder:
// index.html next to index.json then shows the run from any static file
// server (or CI artifact viewer), with no sessiontrace at hand. Existing
// files of the same names are replaced.
func (d Dir) WriteInspector() error {
	if err := os.MkdirAll(string(d), 0o755); err != nil {
		return err
	}
	for _, name := range web.Files {
		data, err := fs.ReadFile(web.FS(), name)
		if err != nil {
			return err
		}
		if err := writeBytes(d.Path(name), data); err != nil {
			return err
		}
	}
	return nil
}

// EncodeJSON writes v as the reports of a run folder are written
// (findings.json, summary.json): indented by two spaces, with no HTML
// escapes (URLs and selectors read better without \u0026).
func EncodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func writeBytes(path string, data []byte) error {
	return writeAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeAtomic writes a file through a temporary file and a rename, so
// that a reader (or a crash) never sees half of it. Files are readable by
// all (0644), like the files a static web server serves.
func writeAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	err = write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
