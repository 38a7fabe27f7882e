package har

import (
	"fmt"
	"strings"
	"time"

	"github.com/sessiontrace/sessiontrace/internal/recjson"
	"github.com/sessiontrace/sessiontrace/recording"
)

// sessiontrace's extension, written by Export and read back by Import.

// metaObject is the log's "_sessiontrace" object.
type metaObject struct {
	Schema   string                 `json:"schema"`
	Scenario recording.ScenarioInfo `json:"scenario"`
	Browser  recording.BrowserInfo  `json:"browser"`
	Options  recording.Options      `json:"options"`
	Start    time.Time              `json:"start"`
	End      time.Time              `json:"end"`
	Status   recording.Status       `json:"status"`
	Error    string                 `json:"error,omitempty"`
	Probe    *recording.ProbeResult `json:"probe,omitempty"`
	// TokenProbe and Storage are the recording's own: a HAR has no place
	// for them.
	TokenProbe *recording.TokenProbe    `json:"tokenProbe,omitempty"`
	Storage    []recording.StorageEvent `json:"storage,omitempty"`
	Warnings   []string                 `json:"warnings,omitempty"`
	// Values are the cookie values of the recording: the HAR's cookie
	// values are "[value:FP]" placeholders naming one of them by its
	// fingerprint (or the raw value, in a run that revealed values).
	Values []recording.Value `json:"values"`
}

// pageStep is a page's "_step": the step the page stands for.
type pageStep struct {
	Index      int                `json:"index"`
	Kind       recording.StepKind `json:"kind"`
	Name       string             `json:"name,omitempty"`
	As         recording.Boundary `json:"as,omitempty"`
	Detail     string             `json:"detail,omitempty"`
	Start      time.Time          `json:"start"`
	End        time.Time          `json:"end"`
	Status     recording.Status   `json:"status"`
	Error      string             `json:"error,omitempty"`
	URL        string             `json:"url,omitempty"`
	Target     string             `json:"target,omitempty"`
	Screenshot string             `json:"screenshot,omitempty"`
	// Auth is the logged-in state after the step: the recording's own, or
	// what its pages showed (recording.InferAuth), since a HAR keeps no
	// page facts.
	Auth *recording.AuthState `json:"auth,omitempty"`
	// Probe is a login step's probe.
	Probe *recording.ProbeResult `json:"probe,omitempty"`
	// Storage is what a logout step left in Web Storage.
	Storage []recording.StorageItem `json:"storage,omitzero"`
}

// blocked is one cookie of an entry's "_blockedReasons": a cookie the
// browser held for the URL but did not send, with its reasons.
type blocked struct {
	Name      string   `json:"name"`
	Value     string   `json:"value"`
	Domain    string   `json:"domain,omitempty"`
	Path      string   `json:"path,omitempty"`
	Reasons   []string `json:"reasons"`
	Exemption string   `json:"exemption,omitempty"`
}

// rejected is one line of an entry's "_rejectedCookies": a Set-Cookie the
// browser refused; Index is the line's position among the response's
// Set-Cookie lines.
type rejected struct {
	Name    string   `json:"name"`
	Index   int      `json:"index"`
	Reasons []string `json:"reasons"`
}

type sessionID struct {
	Name        string `json:"name"`
	Fingerprint string `json:"fp"`
}

// readMeta reads the "_sessiontrace" object of a HAR written by Export.
func (im *importer) readMeta() {
	if len(im.log.Meta) == 0 || string(im.log.Meta) == "null" {
		return
	}
	var m metaObject
	if !lenient(im.log.Meta, &m, unmarshalMetaObject) {
		im.note("the HAR's _sessiontrace object could not be read; the HAR was imported as any other")
		return
	}
	family, version, _ := strings.Cut(m.Schema, "/")
	wantFamily, wantVersion, _ := strings.Cut(MetaSchema, "/")
	if family != wantFamily || version != wantVersion {
		im.note(fmt.Sprintf("the HAR's _sessiontrace object is %q, which this version does not read (it reads %q); the HAR was imported as any other", m.Schema, MetaSchema))
		return
	}
	im.meta = &m
	im.rep.FromSessiontrace = true
	im.metaValues = map[string]recording.Value{}
	im.rawValues = map[string]recording.Value{}
	for _, v := range m.Values {
		im.metaValues[v.Fingerprint] = v
		switch {
		case v.Raw != nil:
			im.rawValues[*v.Raw] = v
		case v.Len == 0 && !v.Secret:
			im.rawValues[""] = v // an empty value is written as is
		}
	}
}

// isPlaceholder reports whether a cookie value as the HAR spells it is a
// placeholder of a sessiontrace HAR: not a value to note for scrubbing.
func (im *importer) isPlaceholder(v string) bool {
	if im.meta == nil {
		return false
	}
	fp, ok := recording.ParseValuePlaceholder(v)
	if !ok {
		return false
	}
	_, ok = im.metaValues[fp]
	return ok
}

// value turns a cookie value of the HAR into a Value.
func (im *importer) value(raw string) recording.Value {
	if im.meta != nil {
		v, ok := recording.Value{}, false
		if fp, isFP := recording.ParseValuePlaceholder(raw); isFP {
			v, ok = im.metaValues[fp]
		}
		if !ok {
			v, ok = im.rawValues[raw]
		}
		if ok {
			if !im.red.Reveal() {
				v.Raw = nil
			} else if v.Raw != nil {
				s := *v.Raw
				v.Raw = &s
			}
			v.Classes = append([]string(nil), v.Classes...)
			return v
		}
		im.foreign++
	}
	return im.red.Value(raw)
}

// restoreMeta fills what the "_sessiontrace" object says.
func (im *importer) restoreMeta(rec *recording.Recording) {
	m := im.meta
	rec.Scenario = m.Scenario
	rec.Browser = m.Browser
	rec.Options = m.Options
	rec.Options.RevealValues = m.Options.RevealValues && im.red.Reveal()
	rec.Start, rec.End = m.Start, m.End
	if m.Status != "" {
		rec.Status = m.Status
	}
	rec.Error = m.Error
	rec.Probe = m.Probe
	rec.TokenProbe, rec.Storage = m.TokenProbe, m.Storage
	if !im.red.Reveal() {
		// Imported without reveal, a revealed HAR loses its raw values
		// here too.
		if rec.TokenProbe != nil {
			rec.TokenProbe.Value.Raw = nil
		}
		for i := range rec.Storage {
			if v := rec.Storage[i].Value; v != nil {
				v.Raw = nil
			}
			unreveal(rec.Storage[i].Fields)
		}
	}
	rec.Warnings = append(rec.Warnings, m.Warnings...)
	rec.Warnings = append(rec.Warnings, "This recording was made from a HAR exported by sessiontrace: the requests, their cookies (sent, withheld, set and refused), the steps, the logout and token probes and the Web Storage writes come from the original recording; the cookie jars after each step, the cookie events seen only by script or in the jar, and the facts about the pages were not exported and are unknown here.")
}

// metaSteps restores the steps of a sessiontrace HAR from its pages, and
// each entry's step from its "_step".
func (im *importer) metaSteps() []recording.Step {
	steps := []recording.Step{}
	stepOfPage := map[string]int{}
	for _, p := range im.log.Pages {
		var hs pageStep
		if !lenient(p.Step, &hs, unmarshalPageStep) {
			continue
		}
		stepOfPage[p.ID] = hs.Index
		steps = append(steps, recording.Step{Index: hs.Index, Kind: hs.Kind, Name: hs.Name, As: hs.As, Detail: hs.Detail,
			Start: hs.Start, End: hs.End, Status: hs.Status, Error: hs.Error, URL: hs.URL, Target: hs.Target, Screenshot: hs.Screenshot, Jar: []recording.Cookie{},
			Auth: hs.Auth, Probe: hs.Probe, Storage: hs.Storage})
		if !im.red.Reveal() {
			for i := range hs.Storage {
				hs.Storage[i].Value.Raw = nil
				unreveal(hs.Storage[i].Fields)
			}
		}
	}
	for _, he := range im.entries {
		var s int
		if lenient(he.e.Step, &s, recjson.UnmarshalInt) && s >= 0 {
			he.step = s
		} else if s, ok := stepOfPage[he.e.Pageref]; ok {
			he.step = s
		}
	}
	return steps
}

// unreveal drops the raw values of fields.
func unreveal(fs []recording.StorageField) {
	for i := range fs {
		fs[i].Value.Raw = nil
	}
}
