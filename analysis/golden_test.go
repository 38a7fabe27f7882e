package analysis

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/sessiontrace/sessiontrace/internal/rectest"
	"github.com/sessiontrace/sessiontrace/internal/synth"
	"github.com/sessiontrace/sessiontrace/recording"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden from the current analysis")

// goldenLimit: a report encoded larger than this is kept as a SHA-256 and
// a summary instead of in full.
const goldenLimit = 2 << 20

// goldenCases are the recordings whose AnalyzeAll output must not change
// by a byte: a synthetic journey (the inspector's benchmark shape, smaller),
// every lab recording alone and all of them as one run (cross-recording
// checks), and the crafted journeys of the fuzz seeds.
func goldenCases(t *testing.T) map[string][]*recording.Recording {
	t.Helper()
	cases := map[string][]*recording.Recording{
		"synth-2000-20000": {synth.Recording(2000, 20000)},
		"large-2000":       {largeRecording(2000)},
		"fuzz-seeds":       fuzzSeeds(),
	}
	lab, copies := rectest.Lab(t), rectest.Lab(t)
	names := slices.Sorted(maps.Keys(lab))
	var all []*recording.Recording
	for _, name := range names {
		cases["lab-"+name] = []*recording.Recording{lab[name]}
		all = append(all, lab[name])
	}
	cases["lab-all"] = all
	// Shapes the harness does not write but other recordings may have:
	// events out of step order, events without domain or path (identities
	// guessed from the jar and the URL), no events at all (derived from the
	// requests), and one name on several paths.
	var mutated []*recording.Recording
	for i, name := range names {
		r := copies[name]
		switch i % 4 {
		case 0:
			slices.Reverse(r.Events)
		case 1:
			for j := range r.Events {
				if j%2 == 0 {
					r.Events[j].Domain = ""
				}
				if j%3 == 0 {
					r.Events[j].Path = ""
				}
			}
		case 2:
			r.Events = nil
		case 3:
			for j := range r.Events {
				if j%2 == 1 {
					r.Events[j].Path = "/p" + fmt.Sprint(j%5)
				}
			}
		}
		r.Scenario.Name += " (mutated)"
		mutated = append(mutated, r)
	}
	cases["lab-mutated"] = mutated
	return cases
}

// TestGoldenAnalyzeAll holds AnalyzeAll's output, encoded with
// encoding/json, byte for byte to testdata/golden (written before the
// analysis was optimised; -update-golden rewrites it).
func TestGoldenAnalyzeAll(t *testing.T) {
	for name, rs := range goldenCases(t) {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(AnalyzeAll(rs), "", " ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			full := filepath.Join("testdata", "golden", name+".json")
			hashed := filepath.Join("testdata", "golden", name+".sha256")
			if *updateGolden {
				os.Remove(full)
				os.Remove(hashed)
				if len(got) > goldenLimit {
					write(t, hashed, []byte(goldenDigest(got)))
				} else {
					write(t, full, got)
				}
				return
			}
			if want, err := os.ReadFile(full); err == nil {
				if !bytes.Equal(got, want) {
					t.Fatalf("AnalyzeAll output differs from %s (%d bytes, want %d) at: %s\n(run with -update-golden only if the change is intended)",
						full, len(got), len(want), firstDiff(got, want))
				}
				return
			}
			want, err := os.ReadFile(hashed)
			if err != nil {
				t.Fatalf("no golden file for %s: %v", name, err)
			}
			if g := goldenDigest(got); g != string(want) {
				t.Fatalf("AnalyzeAll output differs from %s:\ngot\n%swant\n%s", hashed, g, want)
			}
		})
	}
}

// goldenDigest is the SHA-256 of a report's JSON with a readable summary:
// its size and the number of findings per rule.
func goldenDigest(data []byte) string {
	var rep Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return "undecodable: " + err.Error() + "\n"
	}
	sum := sha256.Sum256(data)
	var b strings.Builder
	fmt.Fprintf(&b, "sha256 %s\nbytes %d\nsessions %d\nfindings %d\n", hex.EncodeToString(sum[:]), len(data), len(rep.Sessions), len(rep.Findings))
	per := map[string]int{}
	for _, f := range rep.Findings {
		per[f.Rule]++
	}
	rules := make([]string, 0, len(per))
	for r := range per {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	for _, r := range rules {
		fmt.Fprintf(&b, "rule %s %d\n", r, per[r])
	}
	return b.String()
}

// firstDiff shows where two encodings part: the line number and both lines.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return "(same lines)"
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
