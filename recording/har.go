package recording

// HAR (HTTP Archive 1.2) import and export.
//
// A HAR lists HTTP exchanges: sessiontrace turns them into a Recording
// (ImportHAR) and writes a Recording as one (ExportHAR). What a HAR cannot
// tell (the cookies the browser withheld or refused, script writes, the
// jar) is left unknown, never invented. docs/har.md is the user's guide.

import (
	"fmt"
	"math"
	"net/url"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// HARMetaSchema names the version of the "_sessiontrace" object that
// ExportHAR writes at the top of the HAR's log: with it, ImportHAR restores
// the steps, the fingerprints and the browser's cookie verdicts exactly.
const HARMetaSchema = "sessiontrace.har/v1"

// harKeptHeaders are the response headers kept on each request, as the
// harness keeps them.
var harKeptHeaders = []string{"Cache-Control", "Pragma", "Content-Type", "Expires"}

// A HARReport says what ImportHAR found in a HAR besides the recording.
type HARReport struct {
	// Creator and Browser are the HAR's log.creator and log.browser
	// ("WebInspector 537.36", "Playwright 1.49.0", "chromium 131.0").
	Creator string `json:"creator"`
	Browser string `json:"browser,omitempty"`
	// Entries is the number of HAR entries, each a request of the recording.
	Entries int `json:"entries"`
	// Pages is the number of HAR pages; Steps the number of steps made.
	Pages int `json:"pages"`
	Steps int `json:"steps"`
	// FromSessiontrace is true for a HAR written by ExportHAR: its steps,
	// fingerprints, withheld and refused cookies were restored.
	FromSessiontrace bool `json:"fromSessiontrace,omitempty"`
	// Sanitized is true when the HAR holds no cookie at all although it
	// has requests: the way browsers' default ("sanitized") HAR exports
	// look. Message then says what is missing and how to export with
	// cookies.
	Sanitized bool   `json:"sanitized,omitempty"`
	Message   string `json:"message,omitempty"`
	// Notes are other things the import had to guess or leave out.
	Notes []string `json:"notes,omitempty"`
}

// ---------------------------------------------------------------------------
// The HAR as read. Standard fields are typed (a wrong type is an error with
// its position); the browsers' own "_" fields are kept raw and read
// leniently, so that a tool's custom field never makes a HAR unreadable.
//
// decodeJSON reads these types as encoding/json's Unmarshal did before it
// (jsonlite.go), keys in any case among them: the HARs of Chrome, Firefox
// and Playwright spell the keys exactly, but a HAR written by another tool
// with "Log" or "StartedDateTime" was readable, and stays so.

// rawJSON is a value kept as its JSON text (json.RawMessage): an absent
// key leaves it empty, null is "null". It shares memory with the HAR's
// bytes, which ImportHAR never modifies.
type rawJSON []byte

func (m *rawJSON) UnmarshalJSON(b []byte) error {
	*m = b
	return nil
}

type harFileIn struct {
	Log    *harLogIn `json:"log"`
	Schema rawJSON   `json:"schema"`
}

type harLogIn struct {
	Version string          `json:"version"`
	Creator *harNameVersion `json:"creator"`
	Browser *harNameVersion `json:"browser"`
	Pages   []harPageIn     `json:"pages"`
	Entries *[]harEntryIn   `json:"entries"`
	Meta    rawJSON         `json:"_sessiontrace"`
}

type harNameVersion struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harPageIn struct {
	StartedDateTime string  `json:"startedDateTime"`
	ID              string  `json:"id"`
	Title           string  `json:"title"`
	Step            rawJSON `json:"_step"`
}

type harEntryIn struct {
	Pageref         string        `json:"pageref"`
	StartedDateTime string        `json:"startedDateTime"`
	Time            float64       `json:"time"`
	Request         harRequestIn  `json:"request"`
	Response        harResponseIn `json:"response"`
	ResourceType    rawJSON       `json:"_resourceType"`
	Initiator       rawJSON       `json:"_initiator"`
	Step            rawJSON       `json:"_step"`
	RequestID       rawJSON       `json:"_requestId"`
	RedirectedFrom  rawJSON       `json:"_redirectedFrom"`
	RequestExtra    rawJSON       `json:"_requestExtraInfo"`
	ResponseExtra   rawJSON       `json:"_responseExtraInfo"`
	BlockedReasons  rawJSON       `json:"_blockedReasons"`
	RejectedCookies rawJSON       `json:"_rejectedCookies"`
}

type harRequestIn struct {
	Method      string       `json:"method"`
	URL         string       `json:"url"`
	HTTPVersion string       `json:"httpVersion"`
	Cookies     []harCookie  `json:"cookies"`
	Headers     []harHeader  `json:"headers"`
	PostData    *harPostData `json:"postData"`
}

type harResponseIn struct {
	Status      float64     `json:"status"`
	StatusText  string      `json:"statusText"`
	HTTPVersion string      `json:"httpVersion"`
	Cookies     []harCookie `json:"cookies"`
	Headers     []harHeader `json:"headers"`
	RedirectURL string      `json:"redirectURL"`
	Error       rawJSON     `json:"_error"`       // Chrome
	FailureText rawJSON     `json:"_failureText"` // Playwright
}

type harHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harPostData struct {
	MimeType string        `json:"mimeType"`
	Text     string        `json:"text"`
	Params   []harPostParm `json:"params"`
}

type harPostParm struct {
	Name string `json:"name"`
}

// harCookie is a cookie of a cookies array. Chrome adds sameSite; Firefox
// writes only name and value.
type harCookie struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	Path       *string `json:"path"`
	Domain     *string `json:"domain"`
	Expires    rawJSON `json:"expires"`
	HTTPOnly   *bool   `json:"httpOnly"`
	Secure     *bool   `json:"secure"`
	SameSite   rawJSON `json:"sameSite"`
	Exemption  rawJSON `json:"_exemption"`
	ParseError rawJSON `json:"_parseError"`
}

// ---------------------------------------------------------------------------
// sessiontrace's extension, written by ExportHAR and read back by ImportHAR.

// harMeta is the log's "_sessiontrace" object.
type harMeta struct {
	Schema   string       `json:"schema"`
	Scenario ScenarioInfo `json:"scenario"`
	Browser  BrowserInfo  `json:"browser"`
	Options  Options      `json:"options"`
	Start    time.Time    `json:"start"`
	End      time.Time    `json:"end"`
	Status   Status       `json:"status"`
	Error    string       `json:"error,omitempty"`
	Probe    *ProbeResult `json:"probe,omitempty"`
	Warnings []string     `json:"warnings,omitempty"`
	// Values are the cookie values of the recording: the HAR's cookie
	// values are "[value:FP]" placeholders naming one of them by its
	// fingerprint (or the raw value, in a run that revealed values).
	Values []Value `json:"values"`
}

// harStep is a page's "_step": the step the page stands for.
type harStep struct {
	Index      int       `json:"index"`
	Kind       string    `json:"kind"`
	Name       string    `json:"name,omitempty"`
	As         string    `json:"as,omitempty"`
	Detail     string    `json:"detail,omitempty"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	Status     Status    `json:"status"`
	Error      string    `json:"error,omitempty"`
	URL        string    `json:"url,omitempty"`
	Screenshot string    `json:"screenshot,omitempty"`
	// Auth is the logged-in state after the step: the recording's own, or
	// what its pages showed (InferAuth), since a HAR keeps no page facts.
	Auth *AuthState `json:"auth,omitempty"`
	// Probe is a login step's probe.
	Probe *ProbeResult `json:"probe,omitempty"`
}

// harBlocked is one cookie of an entry's "_blockedReasons": a cookie the
// browser held for the URL but did not send, with its reasons.
type harBlocked struct {
	Name      string   `json:"name"`
	Value     string   `json:"value"`
	Domain    string   `json:"domain,omitempty"`
	Path      string   `json:"path,omitempty"`
	Reasons   []string `json:"reasons"`
	Exemption string   `json:"exemption,omitempty"`
}

// harRejected is one line of an entry's "_rejectedCookies": a Set-Cookie
// the browser refused; Index is the line's position among the response's
// Set-Cookie lines.
type harRejected struct {
	Name    string   `json:"name"`
	Index   int      `json:"index"`
	Reasons []string `json:"reasons"`
}

type harSessionID struct {
	Name        string `json:"name"`
	Fingerprint string `json:"fp"`
}

// ---------------------------------------------------------------------------
// Import

// ImportHAR reads a HAR 1.2 file (from Chrome or Edge DevTools, Firefox,
// Playwright's recordHar, or ExportHAR) and turns it into a Recording: each
// entry a Request, in the order the browser started them; the cookies sent
// from each request's Cookie header (and its cookies array); the
// Set-Cookie lines of each response, parsed as browsers do; the pages and
// navigations as steps. Cookie values go through r: fingerprints, and the
// raw values only when r reveals them. file names the HAR in errors.
//
// A HAR does not say which cookies the browser withheld or refused, which
// cookies page script wrote, nor what the jar held: those are unknown in
// the recording (requestExtraInfo and responseExtraInfo are false, the
// steps' jars empty), and a line of Warnings says so. A HAR written by
// ExportHAR carries them in "_" fields, which are restored.
//
// Malformed input is an error that names the file, line and column and
// what was expected. A HAR with requests but no cookie at all is not an
// error: the HARReport is marked Sanitized and says how to export a HAR
// with its cookies.
func ImportHAR(file string, data []byte, r *Redactor) (*Recording, *HARReport, error) {
	if r == nil {
		return nil, nil, &DecodeError{File: file, Msg: "ImportHAR: no Redactor"}
	}
	var hf harFileIn
	if err := decodeJSON(data, &hf); err != nil {
		if typ, ok := err.(*jsonTypeError); ok {
			// The offset is just after the value: point at its start.
			off := typ.Offset
			if v := valueStart(data, typ.Offset); v >= 0 {
				off = v
			}
			if typ.Field == "" {
				return nil, nil, harError(file, data, "not a HAR file: expected a JSON object with a \"log\" object (HAR 1.2)", off)
			}
			return nil, nil, harError(file, data, fmt.Sprintf("%s: expected %s, got %s", indexedField(data, typ.Field, off), jsonKind(typ.Type), typ.Value), off)
		}
		return nil, nil, liteError(file, data, err)
	}
	if hf.Log == nil {
		var s string
		if decodeJSON(hf.Schema, &s) == nil && strings.HasPrefix(s, "sessiontrace.") {
			return nil, nil, &DecodeError{File: file, Msg: fmt.Sprintf("this is a sessiontrace file (schema %q), not a HAR", s)}
		}
		return nil, nil, harErrorAt(file, data, "not a HAR file: no \"log\" object (expected {\"log\": {\"version\": \"1.2\", \"creator\": {...}, \"entries\": [...]}})")
	}
	if hf.Log.Entries == nil {
		return nil, nil, harErrorAt(file, data, "log: no \"entries\" array (a HAR 1.2 log lists its requests in \"entries\")", "log")
	}
	im := &harImporter{file: file, data: data, red: r, log: hf.Log, rep: &HARReport{}}
	return im.run()
}

// indexedField adds the index of the entry or page to a field path of
// a type error ("log.entries.request.url" becomes
// "log.entries[3].request.url"), found from the error's offset.
func indexedField(data []byte, field string, off int64) string {
	for _, list := range []string{"entries", "pages"} {
		rest, ok := strings.CutPrefix(field, "log."+list+".")
		if !ok {
			continue
		}
		offs := elementOffsets(data, "log", list)
		for i := len(offs) - 1; i >= 0; i-- {
			if offs[i] <= off {
				return fmt.Sprintf("log.%s[%d].%s", list, i, rest)
			}
		}
	}
	return field
}

// elementOffsets returns the offsets of the elements of the array at path.
func elementOffsets(data []byte, path ...any) []int64 {
	start := offsetOf(data, path...)
	if start < 0 || start >= int64(len(data)) || data[start] != '[' {
		return nil
	}
	d := &jsonDecoder{data: data, i: int(start) + 1}
	d.space()
	if d.data[d.i] == ']' {
		return nil
	}
	var out []int64
	for {
		out = append(out, int64(d.i))
		d.skip()
		d.space()
		if d.data[d.i] == ']' {
			return out
		}
		d.i++
		d.space()
	}
}

// jsonKind names a Go type as the JSON it is read from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Float32, reflect.Float64, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return t.String()
}

// valueStart finds the start of the JSON value that ends at end (the
// offset encoding/json reports), by scanning back over it; -1 if unsure.
func valueStart(data []byte, end int64) int64 {
	if end <= 0 || end > int64(len(data)) {
		return -1
	}
	i := end - 1
	if data[i] == '"' {
		for j := i - 1; j >= 0; j-- {
			if data[j] == '"' {
				k, n := j-1, 0
				for k >= 0 && data[k] == '\\' {
					k--
					n++
				}
				if n%2 == 0 {
					return j
				}
			}
		}
		return -1
	}
	if data[i] == '}' || data[i] == ']' {
		return -1
	}
	for i > 0 && !strings.ContainsRune(" \t\r\n:,[{", rune(data[i-1])) {
		i--
	}
	return i
}

// harError is a DecodeError at byte offset off of data.
func harError(file string, data []byte, msg string, off int64) error {
	if off < 0 {
		return &DecodeError{File: file, Msg: msg}
	}
	l, c := lineCol(data, off)
	return &DecodeError{File: file, Line: l, Column: c, Msg: msg}
}

// harErrorAt is a DecodeError at the value found at path (object keys and
// array indices) in data; at the start of the file when path is empty.
func harErrorAt(file string, data []byte, msg string, path ...any) error {
	// The closest enclosing value that exists (an entry without "request").
	for n := len(path); n >= 0; n-- {
		if off := offsetOf(data, path[:n]...); off >= 0 {
			return harError(file, data, msg, off)
		}
	}
	return harError(file, data, msg, -1)
}

// offsetOf returns the byte offset of the JSON value at path in data (keys
// are strings, the first one of that exact spelling; array indices ints),
// or -1 when there is none or data is not JSON.
func offsetOf(data []byte, path ...any) int64 {
	if checkJSON(data) != nil {
		return -1
	}
	d := &jsonDecoder{data: data}
	d.space()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			if d.data[d.i] != '{' {
				return -1
			}
			d.i++
			d.space()
			for {
				if d.data[d.i] == '}' {
					return -1
				}
				kstart := d.i
				d.skipString()
				key := unquoteJSON(d.data[kstart:d.i])
				d.space()
				d.i++ // ':'
				d.space()
				if string(key) == k {
					break
				}
				d.skip()
				d.space()
				if d.data[d.i] == ',' {
					d.i++
					d.space()
				}
			}
		case int:
			if d.data[d.i] != '[' {
				return -1
			}
			d.i++
			d.space()
			for i := 0; ; i++ {
				if d.data[d.i] == ']' {
					return -1
				}
				if i == k {
					break
				}
				d.skip()
				d.space()
				if d.data[d.i] == ',' {
					d.i++
					d.space()
				}
			}
		default:
			return -1
		}
	}
	return int64(d.i)
}

// lenient decodes a browser's custom field into v; false when it is absent
// or of another type.
func lenient(raw rawJSON, v any) bool {
	if len(raw) == 0 || string(raw) == "null" {
		return false
	}
	return decodeJSON(raw, v) == nil
}

func lenientString(raw rawJSON) string {
	var s string
	lenient(raw, &s)
	return s
}

// hEntry is one HAR entry being imported.
type hEntry struct {
	idx        int // position in log.entries
	e          *harEntryIn
	url        string // raw
	start, end time.Time
	id         string
	parent     *hEntry // the hop that redirected here
	root       *hEntry // the first hop of its redirect chain (itself when none)
	hops       int     // hops so far on the chain (0 for a root)
	linked     bool    // a redirect already points here
	page       int
	step       int
	nav        bool // starts a navigation
	login      bool // a POST with a password field
	logout     bool // a request to a logout URL
}

type harImporter struct {
	file string
	data []byte
	red  *Redactor
	log  *harLogIn
	rep  *HARReport

	meta       *harMeta
	metaValues map[string]Value // by fingerprint
	rawValues  map[string]Value // by raw value (runs that revealed values)
	foreign    int              // values a sessiontrace HAR did not list

	entries []*hEntry // in start order
}

func (im *harImporter) run() (*Recording, *HARReport, error) {
	lg := im.log
	if lg.Creator != nil {
		im.rep.Creator = strings.TrimSpace(lg.Creator.Name + " " + lg.Creator.Version)
	}
	if lg.Browser != nil {
		im.rep.Browser = strings.TrimSpace(lg.Browser.Name + " " + lg.Browser.Version)
	}
	im.readMeta()
	if err := im.readEntries(); err != nil {
		return nil, nil, err
	}
	im.noteValues()
	im.linkRedirects()
	rec := &Recording{
		Schema:   Schema,
		Status:   StatusPassed,
		Steps:    []Step{},
		Requests: []Request{},
		Events:   []CookieEvent{},
		Options:  Options{RevealValues: im.red.Reveal(), FingerprintKey: im.red.KeyID()},
	}
	if im.meta != nil {
		im.restoreMeta(rec)
		rec.Steps = im.metaSteps()
	} else {
		rec.Steps = im.harSteps()
	}
	for _, he := range im.entries {
		rec.Requests = append(rec.Requests, im.request(he))
	}
	if len(rec.Events) == 0 {
		// What the requests show, so that every reader (the inspector's
		// timeline, the analysis, a diff) sees the same events.
		rec.Events = DeriveEvents(rec.Requests)
	}
	if im.meta == nil {
		im.describe(rec)
	}
	if im.foreign > 0 {
		im.note(fmt.Sprintf("%d cookie values are not in the values the HAR's _sessiontrace object lists: they were fingerprinted with another key than the rest and compare with nothing", im.foreign))
	}
	im.rep.Entries = len(im.entries)
	im.rep.Pages = len(lg.Pages)
	im.rep.Steps = len(rec.Steps)
	if im.rep.Sanitized {
		rec.Warnings = append([]string{im.rep.Message}, rec.Warnings...)
	}
	rec.Warnings = append(rec.Warnings, im.rep.Notes...)
	return rec, im.rep, nil
}

func (im *harImporter) note(s string) { im.rep.Notes = append(im.rep.Notes, s) }

// readMeta reads the "_sessiontrace" object of a HAR written by ExportHAR.
func (im *harImporter) readMeta() {
	if len(im.log.Meta) == 0 || string(im.log.Meta) == "null" {
		return
	}
	var m harMeta
	if !lenient(im.log.Meta, &m) {
		im.note("the HAR's _sessiontrace object could not be read; the HAR was imported as any other")
		return
	}
	family, version, _ := strings.Cut(m.Schema, "/")
	wantFamily, wantVersion, _ := strings.Cut(HARMetaSchema, "/")
	if family != wantFamily || version != wantVersion {
		im.note(fmt.Sprintf("the HAR's _sessiontrace object is %q, which this version does not read (it reads %q); the HAR was imported as any other", m.Schema, HARMetaSchema))
		return
	}
	im.meta = &m
	im.rep.FromSessiontrace = true
	im.metaValues = map[string]Value{}
	im.rawValues = map[string]Value{}
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

// readEntries checks the entries and orders them by start time.
func (im *harImporter) readEntries() error {
	es := *im.log.Entries
	for i := range es {
		e := &es[i]
		if e.Request.URL == "" {
			return harErrorAt(im.file, im.data, fmt.Sprintf("log.entries[%d].request.url: expected the request's URL (a non-empty string)", i), "log", "entries", i, "request")
		}
		if e.Request.Method == "" {
			return harErrorAt(im.file, im.data, fmt.Sprintf("log.entries[%d].request.method: expected the request's method (a non-empty string)", i), "log", "entries", i, "request")
		}
		he := &hEntry{idx: i, e: e, url: e.Request.URL}
		he.root = he
		if e.StartedDateTime != "" {
			t, ok := parseHARTime(e.StartedDateTime)
			if !ok {
				return harErrorAt(im.file, im.data, fmt.Sprintf("log.entries[%d].startedDateTime: expected an ISO 8601 date and time such as 2026-11-22T00:35:58.337Z, got %q", i, e.StartedDateTime), "log", "entries", i, "startedDateTime")
			}
			he.start = t
			if e.Time > 0 && e.Time < 1e12 {
				he.end = t.Add(time.Duration(math.Round(e.Time * float64(time.Millisecond))))
			}
		}
		im.entries = append(im.entries, he)
	}
	missing := 0
	for _, he := range im.entries {
		if he.start.IsZero() {
			missing++
		}
	}
	if missing > 0 {
		im.note(fmt.Sprintf("%d entries have no startedDateTime: they keep their place in the file and have no time", missing))
	} else {
		sort.SliceStable(im.entries, func(i, j int) bool { return im.entries[i].start.Before(im.entries[j].start) })
	}
	for i, p := range im.log.Pages {
		if p.StartedDateTime != "" {
			if _, ok := parseHARTime(p.StartedDateTime); !ok {
				return harErrorAt(im.file, im.data, fmt.Sprintf("log.pages[%d].startedDateTime: expected an ISO 8601 date and time such as 2026-11-22T00:35:58.337Z, got %q", i, p.StartedDateTime), "log", "pages", i, "startedDateTime")
			}
		}
	}
	return nil
}

// parseHARTime parses an ISO 8601 date-time as HAR writers spell it
// (RFC 3339, with or without the colon in the zone offset).
func parseHARTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// headers returns every value of the header called name (any case).
func headerValues(hs []harHeader, name string) []string {
	var out []string
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			out = append(out, h.Value)
		}
	}
	return out
}

func firstHeader(hs []harHeader, name string) string {
	if v := headerValues(hs, name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// setCookieLines returns the Set-Cookie lines of a response: one header
// entry per line, or several lines joined with "\n" as some tools write.
func setCookieLines(hs []harHeader) []string {
	var out []string
	for _, v := range headerValues(hs, "set-cookie") {
		out = append(out, SplitSetCookie(v)...)
	}
	return out
}

func cookieHeader(hs []harHeader) string {
	return strings.Join(headerValues(hs, "cookie"), "; ")
}

// valueText is the cookie value as the HAR spells it, resolved: a
// placeholder of a sessiontrace HAR is not a value to note for scrubbing.
func (im *harImporter) isPlaceholder(v string) bool {
	if im.meta == nil {
		return false
	}
	fp, ok := valuePlaceholder(v)
	if !ok {
		return false
	}
	_, ok = im.metaValues[fp]
	return ok
}

// noteValues tells the redactor every raw cookie value of the HAR first,
// so that every URL and header is scrubbed of all of them.
func (im *harImporter) noteValues() {
	note := func(v string) {
		if !im.isPlaceholder(v) {
			im.red.Note(v)
		}
	}
	for _, he := range im.entries {
		e := he.e
		for _, c := range e.Request.Cookies {
			note(c.Value)
		}
		for _, p := range ParseCookieHeader(cookieHeader(e.Request.Headers)) {
			note(p[1])
		}
		for _, c := range e.Response.Cookies {
			note(c.Value)
		}
		for _, l := range setCookieLines(e.Response.Headers) {
			_, v, _ := splitLine(l)
			note(v)
		}
		var bl []harBlocked
		if im.meta != nil && lenient(e.BlockedReasons, &bl) {
			for _, b := range bl {
				note(b.Value)
			}
		}
	}
}

// value turns a cookie value of the HAR into a Value.
func (im *harImporter) value(raw string) Value {
	if im.meta != nil {
		v, ok := Value{}, false
		if fp, isFP := valuePlaceholder(raw); isFP {
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

// scrub removes cookie values and secrets from text; in a HAR written by
// ExportHAR it also restores the markers that were percent-encoded to keep
// URLs valid.
func (im *harImporter) scrub(s string) string {
	if im.meta != nil && strings.Contains(s, "%5B") {
		s = unescapeMarkers(s)
	}
	return im.red.Scrub(s)
}

// location is the redirect target a response named: its Location header,
// else the HAR's redirectURL.
func location(e *harEntryIn) string {
	if l := firstHeader(e.Response.Headers, "location"); l != "" {
		return l
	}
	return e.Response.RedirectURL
}

// linkRedirects finds each redirect's next hop: in a sessiontrace HAR by
// "_redirectedFrom", otherwise the first later entry of the Location URL.
// It also gives every entry its id.
func (im *harImporter) linkRedirects() {
	if im.meta != nil {
		byID := map[string]*hEntry{}
		pos := map[*hEntry]int{}
		for i, he := range im.entries {
			pos[he] = i
			var id string
			if lenient(he.e.RequestID, &id) && id != "" && byID[id] == nil {
				he.id = id
				byID[id] = he
			}
		}
		for _, he := range im.entries {
			if he.id == "" {
				he.id = "e" + strconv.Itoa(he.idx+1)
				for byID[he.id] != nil {
					he.id += "'"
				}
				byID[he.id] = he
			}
		}
		// A hop follows the hop it was redirected from.
		for i, he := range im.entries {
			var from string
			if lenient(he.e.RedirectedFrom, &from) {
				if p := byID[from]; p != nil && pos[p] < i {
					he.parent, he.root, he.hops = p, p.root, p.hops+1
				}
			}
		}
		return
	}
	keys := make([]string, len(im.entries))
	for i, he := range im.entries {
		keys[i] = urlKey(he.url)
	}
	for i, he := range im.entries {
		if he.parent == nil {
			he.id = "e" + strconv.Itoa(he.idx+1)
		} else {
			he.id = he.root.id + "." + strconv.Itoa(he.hops)
		}
		st := int(he.e.Response.Status)
		loc := location(he.e)
		if st < 300 || st > 399 || loc == "" {
			continue
		}
		target := urlKey(resolveRef(he.url, loc))
		// The next hop starts soon after: look a bounded way ahead, so a
		// redirect whose hop is not in the HAR costs little.
		for j := i + 1; j < len(im.entries) && j <= i+maxHopDistance; j++ {
			next := im.entries[j]
			if next.linked || next.parent != nil || keys[j] != target {
				continue
			}
			if !he.start.IsZero() && !next.start.IsZero() && next.start.Before(he.start) {
				continue
			}
			next.linked = true
			next.parent, next.root, next.hops = he, he.root, he.hops+1
			break
		}
	}
}

// resolveRef resolves a Location against the URL that sent it.
func resolveRef(base, ref string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}

// maxHopDistance is how many entries after a redirect its next hop is
// looked for.
const maxHopDistance = 500

// urlKey is a URL for comparison: without its fragment, the scheme and
// host in lower case.
func urlKey(raw string) string {
	raw, _, _ = strings.Cut(raw, "#")
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + u.EscapedPath() + "?" + u.RawQuery
}

// restoreMeta fills what the "_sessiontrace" object says.
func (im *harImporter) restoreMeta(rec *Recording) {
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
	rec.Warnings = append(rec.Warnings, m.Warnings...)
	rec.Warnings = append(rec.Warnings, "This recording was made from a HAR exported by sessiontrace: the requests, their cookies (sent, withheld, set and refused), the steps and the logout probe come from the original recording; the cookie jars after each step, the cookie events seen only by script or in the jar, and the facts about the pages were not exported and are unknown here.")
}

// metaSteps restores the steps of a sessiontrace HAR from its pages, and
// each entry's step from its "_step".
func (im *harImporter) metaSteps() []Step {
	steps := []Step{}
	pageStep := map[string]int{}
	for _, p := range im.log.Pages {
		var hs harStep
		if !lenient(p.Step, &hs) {
			continue
		}
		pageStep[p.ID] = hs.Index
		steps = append(steps, Step{Index: hs.Index, Kind: hs.Kind, Name: hs.Name, As: hs.As, Detail: hs.Detail,
			Start: hs.Start, End: hs.End, Status: hs.Status, Error: hs.Error, URL: hs.URL, Screenshot: hs.Screenshot, Jar: []Cookie{},
			Auth: hs.Auth, Probe: hs.Probe})
	}
	for _, he := range im.entries {
		var s int
		if lenient(he.e.Step, &s) && s >= 0 {
			he.step = s
		} else if s, ok := pageStep[he.e.Pageref]; ok {
			he.step = s
		}
	}
	return steps
}

// harSteps makes the steps of any other HAR: one per navigation of each
// page (a page of Chrome's is one navigation; Firefox's and Playwright's
// pages span the whole tab), and one more at each login (a POST with a
// password field) and logout (a request to a logout URL).
func (im *harImporter) harSteps() []Step {
	pages := im.log.Pages
	pageIdx := map[string]int{}
	pageStart := make([]time.Time, len(pages))
	for i, p := range pages {
		if _, dup := pageIdx[p.ID]; !dup {
			pageIdx[p.ID] = i
		}
		pageStart[i], _ = parseHARTime(p.StartedDateTime)
	}
	// The page of each entry: its pageref, else the last page started
	// before it (as Firefox attributes them).
	unpaged := 0
	for _, he := range im.entries {
		if i, ok := pageIdx[he.e.Pageref]; ok {
			he.page = i
			continue
		}
		he.page = -1
		for i := range pages {
			if !pageStart[i].IsZero() && !he.start.IsZero() && !pageStart[i].After(he.start) {
				he.page = i
			}
		}
		if he.page < 0 && len(pages) > 0 {
			he.page = 0
		}
		unpaged++
	}
	if unpaged > 0 && len(pages) > 0 {
		im.note(fmt.Sprintf("%d entries name no page of the HAR: each was put with the last page started before it", unpaged))
	}
	for _, he := range im.entries {
		if he.parent != nil {
			continue
		}
		he.nav = isNavigation(he.e)
		he.login = isLogin(he.e)
		he.logout = isLogout(he.url)
	}
	var steps []Step
	type stepState struct {
		page    int
		hasNav  bool
		entries []*hEntry
	}
	var states []*stepState
	cur := map[int]*stepState{} // the current step of each page
	var logins, logouts []int
	for _, he := range im.entries {
		if he.parent != nil && he.root.step < len(states) {
			he.step = he.root.step
			states[he.step].entries = append(states[he.step].entries, he)
			continue
		}
		st := cur[he.page]
		boundary := he.login || he.logout || he.nav && st != nil && st.hasNav
		if st == nil || boundary {
			st = &stepState{page: he.page}
			cur[he.page] = st
			states = append(states, st)
		}
		he.step = len(states) - 1
		st.entries = append(st.entries, he)
		if he.nav {
			st.hasNav = true
		}
		if he.login && !containsInt(logins, he.step) {
			logins = append(logins, he.step)
		}
		if he.logout && !he.login && !containsInt(logouts, he.step) {
			logouts = append(logouts, he.step)
		}
	}
	stepsOfPage := map[int]int{}
	for _, st := range states {
		stepsOfPage[st.page]++
	}
	for i, st := range states {
		s := Step{Index: i, Kind: "page", Status: StatusPassed, Jar: []Cookie{}}
		first := st.entries[0]
		for _, he := range st.entries {
			if he.parent == nil && (he.nav || he.login || he.logout) {
				first = he
				s.Kind = "navigation"
				break
			}
		}
		s.Detail = first.e.Request.Method + " " + im.scrub(first.url)
		// The page after the step: the end of the first navigation's
		// redirect chain.
		last := first
		for _, he := range st.entries {
			if he.root == first && he.hops > last.hops {
				last = he
			}
		}
		s.URL = im.scrub(last.url)
		for _, he := range st.entries {
			if !he.start.IsZero() && (s.Start.IsZero() || he.start.Before(s.Start)) {
				s.Start = he.start
			}
			end := he.end
			if end.IsZero() {
				end = he.start
			}
			if end.After(s.End) {
				s.End = end
			}
		}
		// A page's title names the step only when the page is that one
		// step (Playwright's page title is the tab's last title).
		if st.page >= 0 && st.page < len(pages) && stepsOfPage[st.page] == 1 && !isURL(pages[st.page].Title) {
			s.Name = pages[st.page].Title
		}
		switch {
		case containsInt(logins, i):
			s.As = "login"
			s.Detail += " (taken as the login: a POST with a password field)"
		case containsInt(logouts, i):
			s.As = "logout"
			s.Detail += " (taken as the logout: a logout URL)"
		}
		steps = append(steps, s)
	}
	if len(logins)+len(logouts) > 0 {
		im.note("The HAR does not say where the user logged in or out: a POST with a password field was taken as the login (as: login) and a request to a logout URL as the logout (as: logout), so the analysis expects the session ID to be replaced at the login and to end at the logout.")
	}
	if steps == nil {
		steps = []Step{}
	}
	return steps
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "")
}

// isNavigation reports whether an entry is a top-level document request:
// its Sec-Fetch-Dest is document; without that header (Chromium sends it
// only to secure origins), Chrome's _resourceType is document; without
// either, it asks for HTML.
func isNavigation(e *harEntryIn) bool {
	if d := firstHeader(e.Request.Headers, "sec-fetch-dest"); d != "" {
		return strings.EqualFold(d, "document")
	}
	if t := lenientString(e.ResourceType); t != "" {
		return strings.EqualFold(t, "document")
	}
	m := e.Request.Method
	return (m == "GET" || m == "POST") && strings.HasPrefix(firstHeader(e.Request.Headers, "accept"), "text/html")
}

func passwordField(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "password") || strings.Contains(n, "passwd") || strings.Contains(n, "passphrase") ||
		n == "pwd" || n == "pass" || strings.HasSuffix(n, "[pwd]") || strings.HasSuffix(n, "_pwd")
}

// isLogin reports whether an entry posts a password (a form field or a
// JSON member whose name says so) and the server accepted it (a status
// below 400: a refused login changes no session).
func isLogin(e *harEntryIn) bool {
	if !strings.EqualFold(e.Request.Method, "POST") || e.Request.PostData == nil || e.Response.Status <= 0 || e.Response.Status >= 400 {
		return false
	}
	pd := e.Request.PostData
	for _, p := range pd.Params {
		if passwordField(p.Name) {
			return true
		}
	}
	if strings.Contains(strings.ToLower(pd.MimeType), "json") || strings.HasPrefix(strings.TrimSpace(pd.Text), "{") {
		return hasJSONPasswordKey(pd.Text)
	}
	if len(pd.Params) == 0 {
		if vals, err := url.ParseQuery(pd.Text); err == nil {
			for k := range vals {
				if passwordField(k) {
					return true
				}
			}
		}
	}
	return false
}

// isLogout reports whether a URL's path names a logout.
func isLogout(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	return isLogoutPath(u.Path)
}

// describe fills the scenario and browser of a HAR that sessiontrace did
// not write, and says what the recording cannot know.
func (im *harImporter) describe(rec *Recording) {
	lg := im.log
	name := path.Base(strings.ReplaceAll(im.file, "\\", "/"))
	if name == "." || name == "/" || name == "-" || name == "" {
		name = ""
		for _, p := range lg.Pages {
			if p.Title != "" && !isURL(p.Title) {
				name = p.Title
				break
			}
		}
		if name == "" {
			name = "HAR import"
		}
	}
	rec.Scenario = ScenarioInfo{Name: name, File: im.file}
	for _, he := range im.entries {
		if u, err := url.Parse(he.url); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
			rec.Scenario.Target = u.Scheme + "://" + u.Host
			break
		}
	}
	for _, he := range im.entries {
		if ua := firstHeader(he.e.Request.Headers, "user-agent"); ua != "" {
			rec.Browser.UserAgent = ua
			break
		}
	}
	switch {
	case lg.Browser != nil && lg.Browser.Name != "":
		rec.Browser.Product = lg.Browser.Name + "/" + lg.Browser.Version
	case productFromUA(rec.Browser.UserAgent) != "":
		rec.Browser.Product = productFromUA(rec.Browser.UserAgent)
	case lg.Creator != nil:
		rec.Browser.Product = lg.Creator.Name + "/" + lg.Creator.Version
	}
	for _, he := range im.entries {
		if !he.start.IsZero() && (rec.Start.IsZero() || he.start.Before(rec.Start)) {
			rec.Start = he.start
		}
		end := he.end
		if end.IsZero() {
			end = he.start
		}
		if end.After(rec.End) {
			rec.End = end
		}
	}
	creator := im.rep.Creator
	if creator == "" {
		creator = "an unnamed tool"
	}
	rec.Warnings = append(rec.Warnings, "This recording was made from a HAR file (written by "+creator+"). A HAR records the cookies each request sent and the Set-Cookie lines each response carried, but not the cookies the browser withheld from a request or refused to store (nor why), the cookies page script wrote, or the browser's cookie jar: those are unknown here, not absent (requestExtraInfo and responseExtraInfo are false, and the steps' jars are empty).")

	// What cookie data the HAR has.
	var httpEntries, cookieHeaders, setCookieHeaders, reqArrays, respArrays int
	for _, he := range im.entries {
		e := he.e
		if strings.HasPrefix(he.url, "http:") || strings.HasPrefix(he.url, "https:") {
			httpEntries++
		}
		if cookieHeader(e.Request.Headers) != "" {
			cookieHeaders++
		}
		if len(setCookieLines(e.Response.Headers)) > 0 {
			setCookieHeaders++
		}
		if len(e.Request.Cookies) > 0 {
			reqArrays++
		}
		if len(e.Response.Cookies) > 0 {
			respArrays++
		}
	}
	if httpEntries > 0 && cookieHeaders+setCookieHeaders+reqArrays+respArrays == 0 {
		im.rep.Sanitized = true
		im.rep.Message = sanitizedMessage(httpEntries, creator)
	}
}

// sanitizedMessage says what a HAR without cookies is missing and how to
// export one with them.
func sanitizedMessage(n int, creator string) string {
	return fmt.Sprintf("This HAR has no cookie data: none of its %d requests has a Cookie header or cookies, and no response has a Set-Cookie header or cookies, so no session can be followed. "+
		"Browsers' default HAR export leaves them out: Chrome's and Edge's DevTools export a \"sanitized\" HAR without the Cookie, Set-Cookie and Authorization headers and with empty cookies arrays. "+
		"Export it again with cookies: in Chrome or Edge DevTools open Settings (F1) > Preferences > Network, check \"Allow to generate HAR with sensitive data\", then in the Network panel use Export HAR > \"Export HAR (with sensitive data)...\"; "+
		"Firefox's \"Save All As HAR\" (right-click in the Network panel) keeps the cookie headers; Playwright's recordHar keeps them too (in mode \"minimal\" the cookies arrays are empty but the headers, which sessiontrace reads, are kept). "+
		"Such a HAR holds live session cookies: share it like a password. (This HAR was written by %s; if the site really set no cookie, ignore this message.)", n, creator)
}

// productFromUA names the browser a User-Agent header says it is.
func productFromUA(ua string) string {
	best := ""
	for _, m := range uaProductVersions(ua) {
		switch m[0] {
		case "Firefox", "Edg":
			return m[0] + "/" + m[1]
		case "HeadlessChrome", "Chrome":
			best = "Chrome/" + m[1]
		case "Version":
			if best == "" && strings.Contains(ua, "Safari/") {
				best = "Safari/" + m[1]
			}
		}
	}
	return best
}

// chromeResourceTypes maps Chrome's HAR spelling of resource types (the
// DevTools frontend's names) to the DevTools protocol's, which recordings
// use.
var chromeResourceTypes = map[string]string{
	"document": "Document", "stylesheet": "Stylesheet", "image": "Image", "media": "Media", "font": "Font",
	"script": "Script", "texttrack": "TextTrack", "xhr": "XHR", "fetch": "Fetch", "prefetch": "Prefetch",
	"eventsource": "EventSource", "websocket": "WebSocket", "manifest": "Manifest", "signed-exchange": "SignedExchange",
	"ping": "Ping", "csp-violation-report": "CSPViolationReport", "preflight": "Preflight", "fedcm": "FedCM", "other": "Other",
}

func protocolResourceType(t string) string {
	if p, ok := chromeResourceTypes[strings.ToLower(t)]; ok {
		return p
	}
	return t
}

func harResourceType(t string) string {
	for k, v := range chromeResourceTypes {
		if v == t {
			return k
		}
	}
	return t
}

// httpVersion spells a HAR's httpVersion as the DevTools protocol does
// (http/1.1, h2, h3).
func httpVersion(v string) string {
	l := strings.ToLower(strings.TrimSpace(v))
	switch l {
	case "h2", "http/2", "http/2.0":
		return "h2"
	case "h3", "http/3", "http/3.0":
		return "h3"
	}
	return l
}

// initiator reads Chrome's _initiator: {type, url, stack: {callFrames}}.
func initiator(raw rawJSON) (typ, u string) {
	var in struct {
		Type  string `json:"type"`
		URL   string `json:"url"`
		Stack *struct {
			CallFrames []struct {
				URL string `json:"url"`
			} `json:"callFrames"`
		} `json:"stack"`
	}
	if lenient(raw, &in) {
		u = in.URL
		if u == "" && in.Stack != nil && len(in.Stack.CallFrames) > 0 {
			u = in.Stack.CallFrames[0].URL
		}
		return in.Type, u
	}
	var s string
	lenient(raw, &s)
	return s, ""
}

func boolOf(raw rawJSON) bool {
	var b bool
	lenient(raw, &b)
	return b
}

// request turns one entry into a Request.
func (im *harImporter) request(he *hEntry) Request {
	e := he.e
	q := Request{
		ID: he.id, Step: he.step, Method: e.Request.Method, URL: im.scrub(he.url),
		ResourceType: protocolResourceType(lenientString(e.ResourceType)),
		Start:        he.start, End: he.end,
		StatusText: e.Response.StatusText,
		Protocol:   httpVersion(e.Response.HTTPVersion),
		Referrer:   im.scrub(firstHeader(e.Request.Headers, "referer")),
	}
	if st := int(e.Response.Status); st > 0 {
		q.Status = st
	}
	if q.Protocol == "" {
		q.Protocol = httpVersion(e.Request.HTTPVersion)
	}
	typ, iu := initiator(e.Initiator)
	q.Initiator, q.InitiatorURL = typ, im.scrub(iu)
	if he.parent != nil {
		q.RedirectedFrom = he.parent.id
		var chain []string
		for p := he.parent; p != nil; p = p.parent {
			chain = append([]string{im.scrub(p.url)}, chain...)
		}
		q.RedirectChain = chain
	}
	if st := int(e.Response.Status); st >= 300 && st <= 399 || firstHeader(e.Response.Headers, "location") != "" {
		q.Location = im.scrub(location(e))
	}
	custom := ""
	if im.meta != nil {
		custom = im.meta.Scenario.NodeHeader
	}
	for _, n := range NodeHeaderNames(custom) {
		if v := firstHeader(e.Response.Headers, n); v != "" {
			q.Node, q.NodeHeader = im.scrub(v), n
			break
		}
	}
	for _, k := range harKeptHeaders {
		if vs := headerValues(e.Response.Headers, k); len(vs) > 0 {
			if q.Headers == nil {
				q.Headers = map[string]string{}
			}
			q.Headers[k] = im.scrub(strings.Join(vs, "\n"))
		}
	}
	if f := lenientString(e.Response.Error); f != "" {
		q.Failed = im.scrub(f)
	} else if f := lenientString(e.Response.FailureText); f != "" {
		q.Failed = im.scrub(f)
	}
	q.CookiesSent = im.sentCookies(he)
	q.SetCookies = im.setCookies(he)
	if im.meta != nil {
		q.RequestExtraInfo = boolOf(e.RequestExtra)
		q.ResponseExtraInfo = boolOf(e.ResponseExtra)
		var bl []harBlocked
		if lenient(e.BlockedReasons, &bl) {
			for _, b := range bl {
				q.CookiesWithheld = append(q.CookiesWithheld, SentCookie{Name: b.Name, Domain: b.Domain, Path: b.Path,
					Value: im.value(b.Value), Reasons: b.Reasons, Exemption: b.Exemption})
			}
		}
		var rj []harRejected
		if lenient(e.RejectedCookies, &rj) {
			for _, x := range rj {
				i := x.Index
				if i < 0 || i >= len(q.SetCookies) || q.SetCookies[i].Name != x.Name {
					i = -1
					for j := range q.SetCookies {
						if q.SetCookies[j].Name == x.Name && !q.SetCookies[j].Rejected {
							i = j
							break
						}
					}
				}
				if i >= 0 {
					q.SetCookies[i].Rejected, q.SetCookies[i].Reasons = true, x.Reasons
				}
			}
		}
	}
	return q
}

// sentCookies reads the cookies a request sent: its Cookie header, which
// is complete, with each cookie's domain and path from the cookies array
// when it has them; the cookies array alone when the header is missing.
func (im *harImporter) sentCookies(he *hEntry) []SentCookie {
	e := he.e
	arr := e.Request.Cookies
	used := make([]bool, len(arr))
	match := func(name, value string) *harCookie {
		for i := range arr {
			if !used[i] && arr[i].Name == name && arr[i].Value == value {
				used[i] = true
				return &arr[i]
			}
		}
		return nil
	}
	var out []SentCookie
	pairs := ParseCookieHeader(cookieHeader(e.Request.Headers))
	if len(pairs) > 0 {
		for _, p := range pairs {
			sc := SentCookie{Name: p[0], Value: im.value(p[1])}
			if c := match(p[0], p[1]); c != nil {
				sc.Domain, sc.Path = deref(c.Domain), deref(c.Path)
				sc.Exemption = lenientString(c.Exemption)
			}
			out = append(out, sc)
		}
		return out
	}
	for _, c := range arr {
		out = append(out, SentCookie{Name: c.Name, Domain: deref(c.Domain), Path: deref(c.Path), Value: im.value(c.Value),
			Exemption: lenientString(c.Exemption)})
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// setCookies reads the Set-Cookie lines of a response; when the HAR has
// none, the response's cookies array, for the cookies whose attributes it
// gives.
func (im *harImporter) setCookies(he *hEntry) []SetCookie {
	e := he.e
	at := he.end
	if at.IsZero() {
		at = he.start
	}
	scratch := NewRedactor(nil, false) // values are made below, by im.value
	var out []SetCookie
	if lines := setCookieLines(e.Response.Headers); len(lines) > 0 {
		for i, l := range lines {
			sc := ParseSetCookie(l, at, scratch)
			_, raw, _ := splitLine(l)
			sc.Value = im.value(raw)
			sc.Size = len(sc.Name) + sc.Value.Len
			sc.Attributes = im.scrub(sc.Attributes)
			if im.meta != nil && len(e.Response.Cookies) == len(lines) {
				if pe := lenientString(e.Response.Cookies[i].ParseError); pe != "" {
					sc.ParseError = pe
				}
			}
			out = append(out, sc)
		}
		return out
	}
	skipped := 0
	for _, c := range e.Response.Cookies {
		if c.Path == nil && c.Domain == nil && c.HTTPOnly == nil && c.Secure == nil && len(c.SameSite) == 0 && len(c.Expires) == 0 {
			skipped++
			continue
		}
		v := im.value(c.Value)
		sc := SetCookie{Name: c.Name, Value: v, Size: len(c.Name) + v.Len, Domain: deref(c.Domain), Path: deref(c.Path),
			SameSite: lenientString(c.SameSite)}
		if c.HTTPOnly != nil {
			sc.HTTPOnly = *c.HTTPOnly
		}
		if c.Secure != nil {
			sc.Secure = *c.Secure
		}
		if t, ok := cookieExpires(c.Expires); ok {
			sc.Expires = &t
		}
		sc.Deletion = IsDeletion(nil, sc.Expires, at) || c.Value == "" && sc.Expires != nil && !sc.Expires.After(at.Add(time.Second))
		out = append(out, sc)
	}
	if len(out) > 0 {
		im.note(fmt.Sprintf("%s %s: no Set-Cookie header, so its cookies were read from the response's cookies array (the raw attributes, Max-Age among them, are unknown)", e.Request.Method, im.scrub(he.url)))
	}
	if skipped > 0 {
		im.note(fmt.Sprintf("%s %s: %d response cookies are known by name and value only (no Set-Cookie header): left out, as their attributes are unknown", e.Request.Method, im.scrub(he.url), skipped))
	}
	return out
}

// cookieExpires reads a cookies array's expires: an ISO 8601 string (as
// HAR says), an HTTP date, or seconds since the epoch.
func cookieExpires(raw rawJSON) (time.Time, bool) {
	var s string
	if lenient(raw, &s) {
		if t, ok := parseHARTime(s); ok {
			return t, true
		}
		if t, err := parseHTTPTime(s); err == nil {
			return t.UTC(), true
		}
		return time.Time{}, false
	}
	var f float64
	if lenient(raw, &f) && f > 0 && f < 1e11 {
		return time.Unix(int64(f), 0).UTC(), true
	}
	return time.Time{}, false
}

// ---------------------------------------------------------------------------
// Export

type harFileOut struct {
	Log harLogOut `json:"log"`
}

type harLogOut struct {
	Version string          `json:"version"`
	Creator harNameVersion  `json:"creator"`
	Browser *harNameVersion `json:"browser,omitempty"`
	Pages   []harPageOut    `json:"pages"`
	Entries []harEntryOut   `json:"entries"`
	Comment string          `json:"comment,omitempty"`
	Meta    *harMeta        `json:"_sessiontrace"`
}

type harPageOut struct {
	StartedDateTime string         `json:"startedDateTime"`
	ID              string         `json:"id"`
	Title           string         `json:"title"`
	PageTimings     harPageTimings `json:"pageTimings"`
	Step            harStep        `json:"_step"`
}

type harPageTimings struct {
	OnContentLoad float64 `json:"onContentLoad"`
	OnLoad        float64 `json:"onLoad"`
}

type harEntryOut struct {
	Pageref         string         `json:"pageref,omitempty"`
	StartedDateTime string         `json:"startedDateTime"`
	Time            float64        `json:"time"`
	Request         harRequestOut  `json:"request"`
	Response        harResponseOut `json:"response"`
	Cache           struct{}       `json:"cache"`
	Timings         harTimings     `json:"timings"`
	ResourceType    string         `json:"_resourceType,omitempty"`
	Initiator       *harInitiator  `json:"_initiator,omitempty"`
	RequestID       string         `json:"_requestId"`
	Step            int            `json:"_step"`
	RedirectedFrom  string         `json:"_redirectedFrom,omitempty"`
	SessionID       *harSessionID  `json:"_sessionId,omitempty"`
	BlockedReasons  []harBlocked   `json:"_blockedReasons,omitempty"`
	RejectedCookies []harRejected  `json:"_rejectedCookies,omitempty"`
	RequestExtra    bool           `json:"_requestExtraInfo"`
	ResponseExtra   bool           `json:"_responseExtraInfo"`
}

type harInitiator struct {
	Type string `json:"type"`
	URL  string `json:"url,omitempty"`
}

type harRequestOut struct {
	Method      string         `json:"method"`
	URL         string         `json:"url"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []harCookieOut `json:"cookies"`
	Headers     []harHeader    `json:"headers"`
	QueryString []harHeader    `json:"queryString"`
	HeadersSize int            `json:"headersSize"`
	BodySize    int            `json:"bodySize"`
}

type harResponseOut struct {
	Status      int            `json:"status"`
	StatusText  string         `json:"statusText"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []harCookieOut `json:"cookies"`
	Headers     []harHeader    `json:"headers"`
	Content     harContent     `json:"content"`
	RedirectURL string         `json:"redirectURL"`
	HeadersSize int            `json:"headersSize"`
	BodySize    int            `json:"bodySize"`
	Error       string         `json:"_error,omitempty"`
}

type harContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Comment  string `json:"comment,omitempty"`
}

type harTimings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	Connect float64 `json:"connect"`
	SSL     float64 `json:"ssl"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

type harCookieOut struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	Path       string  `json:"path,omitempty"`
	Domain     string  `json:"domain,omitempty"`
	Expires    *string `json:"expires,omitempty"`
	HTTPOnly   *bool   `json:"httpOnly,omitempty"`
	Secure     *bool   `json:"secure,omitempty"`
	SameSite   string  `json:"sameSite,omitempty"`
	Exemption  string  `json:"_exemption,omitempty"`
	ParseError string  `json:"_parseError,omitempty"`
}

// harTime writes a time as HAR wants it (ISO 8601 with fractional seconds).
func harTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// exportHAR builds the HAR that ExportHAR writes.
func exportHAR(r *Recording) harFileOut {
	ex := &harExporter{r: r, values: map[string]Value{}}
	out := harFileOut{Log: harLogOut{
		Version: "1.2",
		Creator: harNameVersion{Name: "sessiontrace", Version: Schema},
		Pages:   []harPageOut{},
		Entries: []harEntryOut{},
		Comment: "Exported by sessiontrace from the recording of \"" + r.Scenario.Name + "\". " +
			"Cookie values are \"[value:FP]\" placeholders (FP is the value's fingerprint in the recording) unless the run revealed values; " +
			"sessiontrace's own data is in the fields whose names start with \"_\".",
	}}
	if name, version, ok := strings.Cut(r.Browser.Product, "/"); ok && name != "" {
		out.Log.Browser = &harNameVersion{Name: name, Version: version}
	} else if r.Browser.Product != "" {
		out.Log.Browser = &harNameVersion{Name: r.Browser.Product, Version: ""}
	}
	pageOf := map[int]string{}
	auths := InferAuth(r)
	for i, st := range r.Steps {
		id := "step_" + strconv.Itoa(st.Index)
		if _, dup := pageOf[st.Index]; dup {
			continue
		}
		pageOf[st.Index] = id
		title := st.Detail
		if title == "" {
			title = strings.TrimSpace(st.Kind + " " + st.Name)
		}
		out.Log.Pages = append(out.Log.Pages, harPageOut{
			StartedDateTime: harTime(st.Start), ID: id, Title: title,
			PageTimings: harPageTimings{OnContentLoad: -1, OnLoad: -1},
			Step: harStep{Index: st.Index, Kind: st.Kind, Name: st.Name, As: st.As, Detail: st.Detail, Start: st.Start, End: st.End,
				Status: st.Status, Error: st.Error, URL: st.URL, Screenshot: st.Screenshot, Auth: auths[i], Probe: st.Probe},
		})
	}
	for i := range r.Requests {
		e := ex.entry(&r.Requests[i])
		e.Pageref = pageOf[r.Requests[i].Step]
		out.Log.Entries = append(out.Log.Entries, e)
	}
	meta := &harMeta{Schema: HARMetaSchema, Scenario: r.Scenario, Browser: r.Browser, Options: r.Options,
		Start: r.Start, End: r.End, Status: r.Status, Error: r.Error, Probe: r.Probe, Warnings: r.Warnings, Values: []Value{}}
	fps := make([]string, 0, len(ex.values))
	for fp := range ex.values {
		fps = append(fps, fp)
	}
	sort.Strings(fps)
	for _, fp := range fps {
		meta.Values = append(meta.Values, ex.values[fp])
	}
	out.Log.Meta = meta
	return out
}

type harExporter struct {
	r      *Recording
	values map[string]Value
}

// text is a cookie value as written in the HAR: the raw value when the
// recording kept it, else a placeholder naming its fingerprint.
func (ex *harExporter) text(v Value) string {
	if _, ok := ex.values[v.Fingerprint]; !ok {
		ex.values[v.Fingerprint] = v
	}
	if v.Raw != nil {
		return *v.Raw
	}
	if v.Len == 0 && !v.Secret {
		return "" // the empty value: nothing to hide, and clearer to HAR tools
	}
	return "[value:" + v.Fingerprint + "]"
}

func (ex *harExporter) isSession(name string) bool {
	if len(ex.r.Scenario.SessionCookies) > 0 {
		for _, n := range ex.r.Scenario.SessionCookies {
			if n == name {
				return true
			}
		}
		return false
	}
	ok, _ := IsSessionName(name)
	return ok
}

func (ex *harExporter) entry(q *Request) harEntryOut {
	e := harEntryOut{
		StartedDateTime: harTime(q.Start),
		ResourceType:    harResourceType(q.ResourceType),
		RequestID:       q.ID,
		Step:            q.Step,
		RedirectedFrom:  q.RedirectedFrom,
		RequestExtra:    q.RequestExtraInfo,
		ResponseExtra:   q.ResponseExtraInfo,
	}
	if !q.End.IsZero() && !q.End.Before(q.Start) {
		e.Time = float64(q.End.Sub(q.Start)) / float64(time.Millisecond)
	}
	e.Timings = harTimings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1, Wait: e.Time}
	if q.Initiator != "" || q.InitiatorURL != "" {
		e.Initiator = &harInitiator{Type: q.Initiator, URL: q.InitiatorURL}
	}
	req := harRequestOut{Method: q.Method, URL: uriEscape(q.URL), HTTPVersion: q.Protocol,
		Cookies: []harCookieOut{}, Headers: []harHeader{}, QueryString: queryString(q.URL), HeadersSize: -1, BodySize: -1}
	var pairs []string
	for _, c := range q.CookiesSent {
		t := ex.text(c.Value)
		pairs = append(pairs, c.Name+"="+t)
		req.Cookies = append(req.Cookies, harCookieOut{Name: c.Name, Value: t, Path: c.Path, Domain: c.Domain, Exemption: c.Exemption})
		if e.SessionID == nil && ex.isSession(c.Name) {
			e.SessionID = &harSessionID{Name: c.Name, Fingerprint: c.Value.Fingerprint}
		}
	}
	if len(pairs) > 0 {
		req.Headers = append(req.Headers, harHeader{Name: "Cookie", Value: strings.Join(pairs, "; ")})
	}
	if q.Referrer != "" {
		req.Headers = append(req.Headers, harHeader{Name: "Referer", Value: q.Referrer})
	}
	for _, c := range q.CookiesWithheld {
		e.BlockedReasons = append(e.BlockedReasons, harBlocked{Name: c.Name, Value: ex.text(c.Value), Domain: c.Domain, Path: c.Path,
			Reasons: append([]string{}, c.Reasons...), Exemption: c.Exemption})
	}
	resp := harResponseOut{Status: q.Status, StatusText: q.StatusText, HTTPVersion: q.Protocol, Cookies: []harCookieOut{},
		Headers: []harHeader{}, RedirectURL: q.Location, HeadersSize: -1, BodySize: -1, Error: q.Failed}
	keys := make([]string, 0, len(q.Headers))
	for k := range q.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		resp.Headers = append(resp.Headers, harHeader{Name: k, Value: q.Headers[k]})
	}
	if q.Location != "" {
		resp.Headers = append(resp.Headers, harHeader{Name: "Location", Value: q.Location})
	}
	if q.Node != "" && q.NodeHeader != "" {
		resp.Headers = append(resp.Headers, harHeader{Name: q.NodeHeader, Value: q.Node})
	}
	at := q.End
	if at.IsZero() {
		at = q.Start
	}
	for i := range q.SetCookies {
		sc := &q.SetCookies[i]
		t := ex.text(sc.Value)
		line := t
		if sc.Name != "" || strings.Contains(t, "=") {
			line = sc.Name + "=" + t
		}
		if sc.Attributes != "" {
			line += "; " + sc.Attributes
		}
		resp.Headers = append(resp.Headers, harHeader{Name: "Set-Cookie", Value: line})
		c := harCookieOut{Name: sc.Name, Value: t, Path: sc.Path, Domain: sc.Domain, SameSite: sc.SameSite,
			HTTPOnly: &sc.HTTPOnly, Secure: &sc.Secure, ParseError: sc.ParseError}
		switch {
		case sc.MaxAge != nil:
			s := harTime(at.Add(time.Duration(*sc.MaxAge) * time.Second))
			c.Expires = &s
		case sc.Expires != nil:
			s := harTime(*sc.Expires)
			c.Expires = &s
		}
		resp.Cookies = append(resp.Cookies, c)
		if sc.Rejected {
			e.RejectedCookies = append(e.RejectedCookies, harRejected{Name: sc.Name, Index: i, Reasons: append([]string{}, sc.Reasons...)})
		}
	}
	resp.Content = harContent{MimeType: q.Headers["Content-Type"], Comment: "not recorded by sessiontrace"}
	if resp.Content.MimeType == "" {
		resp.Content.MimeType = "x-unknown"
	}
	e.Request, e.Response = req, resp
	return e
}

// queryString lists a URL's query parameters in order, decoded.
func queryString(raw string) []harHeader {
	out := []harHeader{}
	_, q, ok := strings.Cut(raw, "?")
	if !ok {
		return out
	}
	q, _, _ = strings.Cut(q, "#")
	for _, p := range strings.Split(q, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		out = append(out, harHeader{Name: k, Value: v})
	}
	return out
}

// uriEscape percent-encodes what a URI may not hold after its authority
// (the "[value:...]" and "[secret]" markers of scrubbed URLs among them),
// so that the HAR's request URLs are valid URIs.
func uriEscape(raw string) string {
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + 3
		if j := strings.IndexAny(raw[start:], "/?#"); j >= 0 {
			start += j
		} else {
			return raw
		}
	} else if i := strings.Index(raw, ":"); i >= 0 {
		start = i + 1
	}
	var b strings.Builder
	b.WriteString(raw[:start])
	for i := start; i < len(raw); i++ {
		c := raw[i]
		if uriByte(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func uriByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~:/?#@!$&'()*+,;=%", c) >= 0
}
