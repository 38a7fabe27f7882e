package cli

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/sessiontrace/sessiontrace/internal/recjson"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/recording/har"
)

const exportShort = `Writes a recording as a HAR 1.2 file (HTTP Archive) that other HAR tools open:
each step a page, each request an entry with its Cookie and Set-Cookie headers.
Cookie values are written as [value:FP] fingerprints unless the run revealed
them (--reveal-values). sessiontrace's own knowledge is in "_" fields:
_blockedReasons (cookies the browser withheld, and why), _rejectedCookies,
_sessionId, _step. RECORDING is a recording file, or a run folder (or its
index.json) of a single scenario. See docs/har.md.`

func exportCmd(e *env, args []string) int {
	fs := newFlags(e, "export", "--har [-o FILE] RECORDING", exportShort)
	asHAR := fs.Bool("har", false, "write HAR 1.2 (the only export format)")
	out := fs.StringP("output", "o", "", "write the HAR to this file instead of standard output")
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	if !*asHAR {
		fmt.Fprintln(e.stderr, "sessiontrace export: say which format to write: --har (HAR 1.2, the only one)")
		return ExitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(e.stderr, "sessiontrace export: expected one RECORDING (a recording file or a run folder of one scenario), got %d\n", fs.NArg())
		return ExitUsage
	}
	path, err := exportSource(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace export:", err)
		return ExitUsage
	}
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace export:", err)
		return ExitUsage
	}
	if isHAR(path, data) {
		fmt.Fprintf(e.stderr, "sessiontrace export: %s is already a HAR; give a recording (recordings/NAME.json of a run folder)\n", path)
		return ExitUsage
	}
	rec, err := recording.Decode(path, data)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return ExitUsage
	}
	b, err := har.Export(rec)
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace export:", err)
		return ExitUsage
	}
	if *out == "" {
		if _, err := e.stdout.Write(b); err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace export:", err)
			return ExitUsage
		}
	} else if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace export:", err)
		return ExitUsage
	} else {
		fmt.Fprintf(e.stderr, "wrote %s: %d entries, %d pages (steps) of %q\n", *out, len(rec.Requests), len(rec.Steps), rec.Scenario.Name)
	}
	if rec.Options.RevealValues {
		fmt.Fprintln(e.stderr, "sessiontrace export: warning: the run revealed cookie values (--reveal-values), so the HAR holds them raw: treat it like a password")
	}
	return ExitOK
}

// exportSource resolves RECORDING: a recording file as is; a run folder or
// an index.json to its recording when the run has exactly one scenario.
func exportSource(p string) (string, error) {
	info, err := os.Stat(p)
	if err != nil {
		return "", fmt.Errorf("%s: %w", p, errors.Unwrap(err))
	}
	if info.IsDir() {
		p = filepath.Join(p, "index.json")
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	if !isIndex(data) {
		return p, nil
	}
	ix, err := recording.DecodeIndex(p, data)
	if err != nil {
		return "", err
	}
	if len(ix.Scenarios) != 1 {
		var names []string
		for _, s := range ix.Scenarios {
			names = append(names, filepath.Join(filepath.Dir(p), filepath.FromSlash(s.Recording)))
		}
		return "", fmt.Errorf("%s lists %d scenarios: export one recording at a time (%s)", p, len(ix.Scenarios), strings.Join(names, ", "))
	}
	return filepath.Join(filepath.Dir(p), filepath.FromSlash(ix.Scenarios[0].Recording)), nil
}

// isHAR reports whether a file is a HAR: its name ends in .har, or it is a
// JSON object with a "log" object and no sessiontrace "schema".
func isHAR(path string, data []byte) bool {
	if strings.EqualFold(filepath.Ext(path), ".har") {
		return true
	}
	// recjson.Head answers as json.Unmarshal would, five times faster
	// (this probe was most of an audit's time on a large recording).
	if schema, logIsObject, known := recjson.Head(data); known {
		return schema == "" && logIsObject
	}
	var head struct {
		Log    json.RawMessage `json:"log"`
		Schema string          `json:"schema"`
	}
	if json.Unmarshal(data, &head) != nil || head.Schema != "" {
		return false
	}
	l := strings.TrimSpace(string(head.Log))
	return strings.HasPrefix(l, "{")
}

var (
	harKeyOnce sync.Once
	harKey     []byte
)

// harRedactor fingerprints the cookie values of imported HARs with one
// random key per process, so the HARs of one audit compare with each
// other (and with nothing else). Values are never revealed.
func harRedactor() *recording.Redactor {
	harKeyOnce.Do(func() {
		harKey = make([]byte, 32)
		rand.Read(harKey) // never fails: it crashes the program instead
	})
	return recording.NewRedactor(harKey, false)
}

// loadHAR reads a HAR file as a recording for audit. warning is not empty
// when the HAR holds no cookie at all (a sanitized export): it says what is
// missing and how to export the HAR with its cookies, and should be
// printed on standard error.
func loadHAR(path string) (loaded, string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return loaded{}, "", err
	}
	return loadHARData(path, data)
}

// loadHARData is loadHAR for a HAR already read.
func loadHARData(path string, data []byte) (loaded, string, error) {
	rec, rep, err := har.Import(path, data, harRedactor())
	if err != nil {
		return loaded{}, "", err
	}
	warning := ""
	if rep.Sanitized {
		warning = path + ": warning: " + rep.Message
	}
	return loaded{rec: rec, path: path}, warning, nil
}
