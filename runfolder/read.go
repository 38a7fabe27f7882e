//go:build !js

package runfolder

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/sessiontrace/sessiontrace/recording"
)

// A Loaded is a recording and the file it was read from, as the user can
// open it.
type Loaded struct {
	Recording *recording.Recording
	Path      string
}

// Recordings returns the recordings of ls.
func Recordings(ls []Loaded) []*recording.Recording {
	out := make([]*recording.Recording, len(ls))
	for i, l := range ls {
		out[i] = l.Recording
	}
	return out
}

// DefaultMaxSize bounds the files Load reads unless told otherwise:
// decoding a recording takes a few times its size in memory, and a clear
// refusal beats an OOM kill.
const DefaultMaxSize = 1 << 30

// Load reads each path: a run folder (the recordings its index.json
// lists), an index.json, a recording or a HAR file, as Sniff tells them
// apart. Files larger than maxSize bytes are refused. The warnings are
// for the user (a HAR exported without its cookies).
func Load(paths []string, maxSize int64) ([]Loaded, []string, error) {
	return load(paths, maxSize, true)
}

// LoadRun reads one run, as Load: a run folder, an index.json, a
// recording or a HAR file. A folder must be a run folder: reading the
// recordings of any folder would hide a missing index.json.
func LoadRun(p string, maxSize int64) ([]Loaded, []string, error) {
	return load([]string{p}, maxSize, false)
}

// load is Load; offerFiles is hasIndex's files: whether a folder without
// index.json is answered with the files in it the user may give instead.
func load(paths []string, maxSize int64, offerFiles bool) ([]Loaded, []string, error) {
	var out []Loaded
	var warnings []string
	add := func(p string, data []byte, k Kind) error {
		l, warning, err := decodeFile(p, data, k)
		if err != nil {
			return err
		}
		if warning != "" {
			warnings = append(warnings, warning)
		}
		out = append(out, l)
		return nil
	}
	for _, p := range paths {
		p, err := runPath(p, offerFiles)
		if err != nil {
			return nil, nil, err
		}
		data, err := readLimited(p, maxSize)
		if err != nil {
			return nil, nil, err
		}
		if k := Sniff(p, data); k != KindIndex {
			if err := add(p, data, k); err != nil {
				return nil, nil, err
			}
			continue
		}
		ix, err := DecodeIndex(p, data)
		if err != nil {
			return nil, nil, err
		}
		for _, s := range ix.Scenarios {
			rp := filepath.Join(filepath.Dir(p), filepath.FromSlash(s.Recording))
			data, err := readLimited(rp, maxSize)
			if err != nil {
				return nil, nil, err
			}
			if err := add(rp, data, Sniff(rp, data)); err != nil {
				return nil, nil, err
			}
		}
	}
	return out, warnings, nil
}

// runPath is the file a path given by the user stands for: a folder is
// a run folder, read through its index.json (hasIndex says why not, with
// files as there); anything else is itself.
func runPath(p string, files bool) (string, error) {
	info, err := os.Stat(p)
	if err != nil {
		return "", fmt.Errorf("%s: %w", p, errors.Unwrap(err))
	}
	if !info.IsDir() {
		return p, nil
	}
	if err := hasIndex(p, files); err != nil {
		return "", err
	}
	return filepath.Join(p, IndexFile), nil
}

// hasIndex says, when the folder dir has no index.json, that it is not a
// run folder, where it looked, and, when files may be given instead
// (several: files), the recordings and HAR files it holds.
func hasIndex(dir string, files bool) error {
	ix := filepath.Join(dir, IndexFile)
	if _, err := os.Stat(ix); err == nil {
		return nil
	}
	msg := fmt.Sprintf("%s is not a run folder: it has no %s (looked for %s; a run folder is what 'sessiontrace run -o DIR' writes)", dir, IndexFile, ix)
	if !files {
		return errors.New(msg)
	}
	var offer []string
	for _, pat := range []string{"*.json", "*.har", filepath.Join(RecordingsDir, "*.json")} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		for _, f := range m {
			if !IsReportFile(filepath.Base(f)) {
				offer = append(offer, filepath.Join(dir, pat))
				break
			}
		}
	}
	if len(offer) == 0 {
		return errors.New(msg + "; it holds no recording or HAR file (*.json, *.har) either")
	}
	return errors.New(msg + "; to read the recordings or HAR files in it, give them: " + strings.Join(offer, " "))
}

// SingleRecording resolves a path to one recording file: a recording (or
// any other file) as it is; a run folder or its index.json to the
// recording of its scenario, when the run has exactly one.
func SingleRecording(p string) (string, error) {
	p, err := runPath(p, false)
	if err != nil {
		return "", err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	if Sniff(p, data) != KindIndex {
		return p, nil
	}
	ix, err := DecodeIndex(p, data)
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

func readLimited(p string, maxSize int64) ([]byte, error) {
	if info, err := os.Stat(p); err == nil && info.Size() > maxSize {
		return nil, fmt.Errorf("%s: %d MiB is over the size limit of %d MiB; raise it with --max-size if this machine has a few times that in memory", p, info.Size()>>20, maxSize>>20)
	}
	return os.ReadFile(p)
}

// decodeFile reads a recording or a HAR file (k: what Sniff said). warning is not empty when
// the HAR holds no cookie at all (a sanitized export): it says what is
// missing and how to export the HAR with its cookies.
func decodeFile(p string, data []byte, k Kind) (Loaded, string, error) {
	rec, rep, err := DecodeRecording(p, data, k, harRedactor())
	if err != nil {
		return Loaded{}, "", err
	}
	warning := ""
	if rep != nil && rep.Sanitized {
		warning = p + ": warning: " + rep.Message
	}
	return Loaded{Recording: rec, Path: p}, warning, nil
}

var (
	harKeyOnce sync.Once
	harKey     []byte
)

// harRedactor fingerprints the cookie values of imported HARs with one
// random key per process, so the HARs of one command compare with each
// other (and with nothing else). Values are never revealed.
func harRedactor() *recording.Redactor {
	harKeyOnce.Do(func() {
		harKey = make([]byte, 32)
		rand.Read(harKey) // never fails: it crashes the program instead
	})
	return recording.NewRedactor(harKey, false)
}
