//go:build js && wasm

package main

import (
	"cmp"
	"slices"
	"strings"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// statusImported is the status the page gives a HAR file: it was imported,
// not run, so it neither passed nor failed.
const statusImported recording.Status = "imported"

// imported holds the recordings read from HAR files.
var imported = map[*recording.Recording]bool{}

// runFolder is the URL of the folder that recording path p, read from
// URL u, belongs to: an index's folder, or the folder above recordings/.
func runFolder(u string, index bool) string {
	if index {
		return resolve(".", u)
	}
	dir := resolve(".", u)
	if strings.HasSuffix(dir, "/recordings/") {
		return resolve("..", dir)
	}
	return dir
}

// fileURL is the URL of p, a path relative to the run folder at URL
// folder, or "" when p is not a plain relative path inside it (absolute,
// a scheme, "..", a backslash, a query) or the folder is not known (files
// opened by hand).
func fileURL(folder, p string) string {
	if folder == "" || p == "" || strings.ContainsAny(p, ":\\?#%") || strings.HasPrefix(p, "/") {
		return ""
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return ""
		}
	}
	u := resolve(p, folder)
	if !strings.HasPrefix(u, folder) {
		return ""
	}
	return u
}

// failureEvidence shows what the run kept of a failed step: the error
// with its place in the scenario file, the page's screenshot and its HTML
// snapshot. The files are linked by URL inside the run folder only, and
// the snapshot (the site's HTML) opens in a new tab, never in this page.
func (a *app) failureEvidence(u *ui, m *model, st *recording.Step) {
	msg := st.Error
	if msg == "" && st.Status == recording.StatusFailed {
		msg = m.rec.Error
	}
	if msg == "" && st.Screenshot == "" && st.Snapshot == "" {
		return
	}
	u.open("div").cls("evidence-box").attr("id", "step-evidence")
	if msg != "" {
		u.el("h3", "", "Error").el("p", "error step-error", msg)
	}
	folder := ""
	if s := a.cur(); s != nil {
		folder = s.folder
	}
	for _, f := range []struct{ path, what, cls string }{
		{st.Screenshot, "Screenshot of the page", "ev-shot"},
		{st.Snapshot, "HTML snapshot of the page (opens in a new tab; its scripts are blocked)", "ev-snapshot"},
	} {
		if f.path == "" {
			continue
		}
		u.open("p").cls(f.cls)
		href := fileURL(folder, f.path)
		switch {
		case href != "":
			u.open("a").attr("href", href).attr("target", "_blank").attr("rel", "noopener noreferrer").attr("title", f.path)
			if f.cls == "ev-shot" {
				u.open("img").cls("shot").attr("src", href).attr("alt", f.what+" at step "+itoa(st.Index)).attr("loading", "lazy").close()
			}
			u.el("span", "", f.what).close()
		case folder == "" && safeRel(f.path):
			u.text(f.what + ": " + f.path + " in the run folder (open the run from its folder, or serve it, to see it here)")
		default:
			u.text(f.what+": ").el("code", "", f.path).text(" (not shown: not a path inside the run folder)")
		}
		u.close()
	}
	u.close()
}

// safeRel says whether p is a plain relative path (what fileURL accepts).
func safeRel(p string) bool { return fileURL("http://x/", p) != "" }

// policyFindings are the POLICY-VIOLATION findings of findings.json
// (data; nil when there is none or it cannot be read).
func policyFindings(data []byte) []analysis.Finding {
	if data == nil {
		return nil
	}
	ro, err := runfolder.DecodeReportOverview(runfolder.FindingsFile, data)
	if err != nil {
		return nil
	}
	var out []analysis.Finding
	for _, f := range ro.Findings {
		if f.Rule == analysis.RulePolicyViolation {
			out = append(out, f)
		}
	}
	return out
}

// addPolicy adds the run's policy results to the report the page made,
// those of the scenarios it read, in the order `audit --policy` gives
// (policy.SortFindings: worst first, then scenario, step, rule, cookie).
func addPolicy(r *run) {
	if len(r.policy) == 0 {
		return
	}
	read := map[string]bool{}
	for _, rec := range r.recordings() {
		read[rec.Scenario.Name] = true
	}
	for _, f := range r.policy {
		if read[f.Scenario] {
			r.report.Findings = append(r.report.Findings, f)
		}
	}
	rank := func(s analysis.Severity) int {
		if i := slices.Index(analysis.Severities, s); i >= 0 {
			return i
		}
		return len(analysis.Severities)
	}
	slices.SortStableFunc(r.report.Findings, func(a, b analysis.Finding) int {
		return cmp.Or(cmp.Compare(rank(a.Severity), rank(b.Severity)), cmp.Compare(a.Scenario, b.Scenario),
			cmp.Compare(a.Step, b.Step), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Cookie, b.Cookie))
	})
}
