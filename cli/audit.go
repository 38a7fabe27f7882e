package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/internal/recjson"
	"github.com/sessiontrace/sessiontrace/recording"
)

const auditShort = `Analyses run folders (their index.json), recordings and HAR files (from Chrome,
Firefox, Playwright) and prints the findings
and the session summary: which cookies are session IDs, what happened to each ID,
why every unexpected reset happened. Formats: text (default), json, junit, sarif.`

func auditCmd(e *env, args []string) int {
	fs := newFlags(e, "audit", "[flags] PATH...", auditShort)
	format := fs.String("format", "text", "output format: text, json, junit or sarif")
	failOn := fs.String("fail-on", "", "exit 1 when a finding is at or above this severity (critical, high, medium, low, info)")
	out := fs.StringP("output", "o", "", "write the report to this file instead of standard output")
	maxSize := fs.Int64("max-size", defaultMaxSize>>20, "refuse input files larger than this many MiB (decoding needs a few times the file size in memory)")
	policyFile := fs.String("policy", "", "also check the recordings against this cookie policy file (docs/policy.md); violations are POLICY-VIOLATION findings")
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "sessiontrace audit: no PATH given (a run folder, a recording)")
		return ExitUsage
	}
	var threshold analysis.Severity
	if *failOn != "" {
		s, err := analysis.ParseSeverity(*failOn)
		if err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace audit: --fail-on:", err)
			return ExitUsage
		}
		threshold = s
	}
	switch *format {
	case "text", "json", "junit", "sarif":
	default:
		fmt.Fprintf(e.stderr, "sessiontrace audit: --format %q: use text, json, junit or sarif\n", *format)
		return ExitUsage
	}
	pol, ok := policyFlag(e, *policyFile)
	if !ok {
		return ExitUsage
	}
	recs, ok := loadSaying(e, fs.Args(), *maxSize<<20)
	if !ok {
		return ExitUsage
	}
	rep := analysis.AnalyzeAll(recordingsOf(recs))
	pol.Apply(rep, recordingsOf(recs))
	w := e.stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(e.stderr, "sessiontrace audit:", err)
			return ExitFailed
		}
		defer f.Close()
		w = f
	}
	var err error
	switch *format {
	case "json":
		err = writeJSON(w, rep)
	case "junit":
		err = writeJUnit(w, recs, rep, threshold)
	case "sarif":
		err = writeSARIF(w, recs, rep)
	default:
		writeText(w, recs, rep, colorFor(e, w), threshold)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace audit:", err)
		return ExitFailed
	}
	if threshold != "" && rep.CountAtLeast(threshold) > 0 {
		return ExitFailed
	}
	return ExitOK
}

// A loaded is a recording and where it came from.
type loaded struct {
	rec  *recording.Recording
	path string // as the user can open it
}

func recordingsOf(ls []loaded) []*recording.Recording {
	out := make([]*recording.Recording, len(ls))
	for i, l := range ls {
		out[i] = l.rec
	}
	return out
}

// defaultMaxSize bounds the files audit reads: decoding a recording takes
// a few times its size in memory, and a clear refusal beats an OOM kill.
const defaultMaxSize = 1 << 30

// loadSaying is loadRecordings for a command: the warnings, and an error
// (then ok is false), go to standard error.
func loadSaying(e *env, paths []string, maxSize int64) (recs []loaded, ok bool) {
	recs, warnings, err := loadRecordings(paths, maxSize)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return nil, false
	}
	for _, w := range warnings {
		fmt.Fprintln(e.stderr, w)
	}
	return recs, true
}

// loadRecordings reads each PATH: a run folder (its index.json lists the
// recordings), an index.json, a recording file, or a HAR file. Files
// larger than maxSize bytes are refused. The warnings are for the user
// (a HAR exported without its cookies).
func loadRecordings(paths []string, maxSize int64) ([]loaded, []string, error) {
	var out []loaded
	var warnings []string
	readLimited := func(p string) ([]byte, error) {
		if info, err := os.Stat(p); err == nil && info.Size() > maxSize {
			return nil, fmt.Errorf("%s: %d MiB is over the size limit of %d MiB; raise it with --max-size if this machine has a few times that in memory", p, info.Size()>>20, maxSize>>20)
		}
		return os.ReadFile(p)
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p, errors.Unwrap(err))
		}
		if info.IsDir() {
			p = filepath.Join(p, "index.json")
		}
		data, err := readLimited(p)
		if err != nil {
			return nil, nil, err
		}
		if isIndex(data) {
			ix, err := recording.DecodeIndex(p, data)
			if err != nil {
				return nil, nil, err
			}
			for _, s := range ix.Scenarios {
				rp := filepath.Join(filepath.Dir(p), filepath.FromSlash(s.Recording))
				data, err := readLimited(rp)
				if err != nil {
					return nil, nil, err
				}
				r, err := recording.Decode(rp, data)
				if err != nil {
					return nil, nil, err
				}
				out = append(out, loaded{r, rp})
			}
			continue
		}
		if isHAR(p, data) {
			l, warning, err := loadHARData(p, data)
			if err != nil {
				return nil, nil, err
			}
			if warning != "" {
				warnings = append(warnings, warning)
			}
			out = append(out, l)
			continue
		}
		r, err := recording.Decode(p, data)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, loaded{r, p})
	}
	return out, warnings, nil
}

func readRecording(path string) (*recording.Recording, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return recording.Decode(path, data)
}

func isIndex(data []byte) bool {
	if schema, _, known := recjson.Head(data); known {
		return schema == recording.IndexSchema
	}
	var head struct {
		Schema string `json:"schema"`
	}
	return json.Unmarshal(data, &head) == nil && head.Schema == recording.IndexSchema
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// colorFor decides whether to colour output: on a terminal, unless
// NO_COLOR is set (https://no-color.org).
func colorFor(e *env, w io.Writer) bool {
	if _, ok := e.lookupEnv("NO_COLOR"); ok {
		return false
	}
	return isTerminal(w) && e.getenv("TERM") != "dumb"
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// writeText prints findings grouped by scenario, worst scenario first,
// then each scenario's session summary.
func writeText(w io.Writer, recs []loaded, rep *analysis.Report, color bool, threshold analysis.Severity) {
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	sevColor := map[analysis.Severity]string{analysis.Critical: "1;31", analysis.High: "31", analysis.Medium: "33", analysis.Low: "36", analysis.Info: "2"}
	byScenario := map[string][]analysis.Finding{}
	worst := map[string]analysis.Severity{}
	var order []string
	for _, l := range recs {
		if _, ok := worst[l.rec.Scenario.Name]; !ok {
			order = append(order, l.rec.Scenario.Name)
			worst[l.rec.Scenario.Name] = ""
		}
	}
	for _, f := range rep.Findings {
		byScenario[f.Scenario] = append(byScenario[f.Scenario], f)
		if f.Severity.AtLeast(worst[f.Scenario]) {
			worst[f.Scenario] = f.Severity
		}
	}
	sortScenarios(order, worst)
	sessions := map[string][]analysis.SessionReport{}
	for _, s := range rep.Sessions {
		sessions[s.Scenario] = append(sessions[s.Scenario], s)
	}
	for _, name := range order {
		fmt.Fprintln(w, paint("1", termText(name)))
		for _, f := range byScenario[name] {
			sev := fmt.Sprintf("%-8s", strings.ToUpper(string(f.Severity)))
			fmt.Fprintf(w, "  %s %s  step %d", paint(sevColor[f.Severity], sev), f.Rule, f.Step)
			if f.Cookie != "" {
				fmt.Fprintf(w, "  cookie %s", termText(f.Cookie))
			}
			if f.Count > 1 {
				fmt.Fprintf(w, "  (x%d)", f.Count)
			}
			fmt.Fprintln(w)
			fmt.Fprintf(w, "           %s\n", termText(f.Message))
			if f.Evidence != "" {
				fmt.Fprintf(w, "           %s\n", paint("2", "evidence: "+termText(f.Evidence)))
			}
		}
		for _, s := range sessions[name] {
			fmt.Fprintf(w, "  session %s (%s): %d ID(s)", termText(s.Cookie), termText(s.Detection), len(s.IDs))
			var ends []string
			for _, id := range s.IDs {
				ends = append(ends, id.Ended)
			}
			if len(ends) > 0 {
				fmt.Fprintf(w, " ended %s", strings.Join(ends, ", "))
			}
			fmt.Fprintln(w)
			if s.ClientSide != "" {
				fmt.Fprintf(w, "    client-side session: %s\n", termText(s.ClientSide))
			}
			for _, r := range s.Resets {
				fmt.Fprintf(w, "    %s step %d: %s (%s): %s\n", paint("33", "reset"), r.Step, termText(r.Cause), r.Basis, termText(r.Summary))
				fmt.Fprintf(w, "      %s\n", paint("2", termText(r.Detail)))
			}
		}
		if lane := authChanges(rep.Auth, name); lane != "" {
			fmt.Fprintf(w, "  logged in: %s\n", termText(lane))
		}
		if len(byScenario[name]) == 0 && len(sessions[name]) == 0 {
			fmt.Fprintln(w, "  no findings, no session cookie")
		}
		fmt.Fprintln(w)
	}
	counts := map[analysis.Severity]int{}
	for _, f := range rep.Findings {
		counts[f.Severity]++
	}
	var parts []string
	for _, s := range analysis.Severities {
		parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
	}
	resets := 0
	for _, s := range rep.Sessions {
		resets += len(s.Resets)
	}
	fmt.Fprintf(w, "findings in %d scenarios: %d (%s); %d session resets\n", len(order), len(rep.Findings), strings.Join(parts, ", "), resets)
	if threshold != "" {
		fmt.Fprintf(w, "%d findings at or above %s\n", rep.CountAtLeast(threshold), threshold)
	}
}

// authChanges tells a scenario's logged-in state where it changed, from
// the steps where it was checked: "step 3 in, step 5 out, step 7 in".
func authChanges(lanes []analysis.AuthReport, scenario string) string {
	var parts []string
	for _, l := range lanes {
		if l.Scenario != scenario {
			continue
		}
		last := ""
		for _, st := range l.Steps {
			if !st.Checked || st.State == last || st.State == "unknown" {
				continue
			}
			parts = append(parts, fmt.Sprintf("step %d %s", st.Step, st.State))
			last = st.State
		}
	}
	return strings.Join(parts, ", ")
}

// sortScenarios orders scenario names worst first, keeping the input order
// among equals.
func sortScenarios(order []string, worst map[string]analysis.Severity) {
	for i := 1; i < len(order); i++ {
		for j := i; j > 0; j-- {
			a, b := worst[order[j]], worst[order[j-1]]
			if a != b && a.AtLeast(b) {
				order[j], order[j-1] = order[j-1], order[j]
				continue
			}
			break
		}
	}
}
