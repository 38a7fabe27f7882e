//go:build js && wasm

package main

import (
	"errors"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall/js"

	"github.com/sessiontrace/sessiontrace/analysis"
	"github.com/sessiontrace/sessiontrace/recording"
	"github.com/sessiontrace/sessiontrace/runfolder"
)

// await waits for a promise. Only from a goroutine, never from a js
// callback (the callback would wait for itself).
func await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	ok := js.FuncOf(func(this js.Value, args []js.Value) any {
		var v js.Value
		if len(args) > 0 {
			v = args[0]
		}
		ch <- result{v: v}
		return nil
	})
	bad := js.FuncOf(func(this js.Value, args []js.Value) any {
		msg := "failed"
		if len(args) > 0 {
			msg = args[0].Call("toString").String()
		}
		ch <- result{err: errors.New(msg)}
		return nil
	})
	p.Call("then", ok, bad)
	r := <-ch
	ok.Release()
	bad.Release()
	return r.v, r.err
}

// nextFrame lets the browser paint (the status line) before long work.
func nextFrame() {
	ch := make(chan struct{}, 1)
	fn := js.FuncOf(func(this js.Value, args []js.Value) any {
		ch <- struct{}{}
		return nil
	})
	js.Global().Call("requestAnimationFrame", fn)
	<-ch
	fn.Release()
	// A second frame: the first callback runs before the paint.
	fn2 := js.FuncOf(func(this js.Value, args []js.Value) any {
		ch <- struct{}{}
		return nil
	})
	js.Global().Call("setTimeout", fn2, 0)
	<-ch
	fn2.Release()
}

func bytesOf(buf js.Value) []byte {
	u8 := js.Global().Get("Uint8Array").New(buf)
	b := make([]byte, u8.Get("length").Int())
	js.CopyBytesToGo(b, u8)
	return b
}

var errNotFound = errors.New("not found")

// fetchBytes reads a URL of the page's own origin.
func fetchBytes(u string) ([]byte, error) {
	resp, err := await(js.Global().Call("fetch", u))
	if err != nil {
		return nil, err
	}
	if !resp.Get("ok").Bool() {
		return nil, httpError(resp)
	}
	if n := resp.Get("headers").Call("get", "Content-Length"); n.Truthy() {
		if size, err := strconv.ParseFloat(n.String(), 64); err == nil {
			if msg := tooBig(u, size); msg != "" {
				return nil, errors.New(msg)
			}
		}
	}
	buf, err := await(resp.Call("arrayBuffer"))
	if err != nil {
		return nil, err
	}
	if msg := tooBig(u, buf.Get("byteLength").Float()); msg != "" {
		return nil, errors.New(msg)
	}
	return bytesOf(buf), nil
}

// httpError is the error of a response that is not ok.
func httpError(resp js.Value) error {
	if resp.Get("status").Int() == 404 {
		return errNotFound
	}
	return errors.New("HTTP " + resp.Get("status").Call("toString").String() + " " + resp.Get("statusText").String())
}

// resolve resolves ref against base (both URLs of the page's origin).
func resolve(ref, base string) string {
	return js.Global().Get("URL").New(ref, base).Get("href").String()
}

func mark(name string) {
	if p := js.Global().Get("performance"); p.Truthy() {
		p.Call("mark", name)
	}
}

// fetchRun reads an index (and its recordings) or a recording by URL. It
// returns nil when it could not, after saying why; with probe, a file that
// cannot be read is not an error, and handled is false.
func (a *app) fetchRun(ref string, probe, eager bool) (r *run, handled bool) {
	loc := js.Global().Get("location")
	u := resolve(ref, loc.Get("href").String())
	if js.Global().Get("URL").New(u).Get("origin").String() != loc.Get("origin").String() {
		a.fail("?open= and ?compare= must name a file of this site (a relative path such as recordings/x.json); " + ref + " is elsewhere, and recordings are never fetched from other sites.")
		return nil, true
	}
	if !probe {
		setStatus("Loading " + ref + " …")
	}
	mark("st-fetch-start")
	// A run folder's summary.json is asked for with its index.json (the
	// overview needs both), not one round trip after it.
	var summary chan fetched
	if !eager && strings.HasSuffix(js.Global().Get("URL").New(u).Get("pathname").String(), "/"+runfolder.IndexFile) {
		summary = make(chan fetched, 1)
		go func() {
			b, err := fetchBytes(resolve(runfolder.SummaryFile, u))
			summary <- fetched{data: b, err: err}
		}()
	}
	data, err := fetchBytes(u)
	if err != nil {
		if probe {
			return nil, false
		}
		a.fail("Could not read " + ref + ": " + err.Error())
		return nil, true
	}
	mark("st-fetched")
	r = &run{source: ref}
	kind := runfolder.Sniff(ref, data)
	if kind == runfolder.KindIndex {
		gcPause() // (as decode does: until the run is on screen)
		ix, err := runfolder.DecodeIndex(ref, data)
		if err != nil {
			a.fail(err.Error())
			return nil, true
		}
		r.index = ix
		// One folder for all (a URL resolved by the browser costs a call
		// into JavaScript: thousands of them held the overview back).
		folder := runFolder(u, true)
		r.scens = make([]*scen, len(ix.Scenarios))
		for i := range ix.Scenarios {
			e := &ix.Scenarios[i]
			r.scens[i] = &scen{entry: e, path: e.Recording, folder: folder}
		}
		if summary != nil && a.lazyRun(r, u, summary) {
			mark("st-decoded")
			return r, true
		}
		// The policy's results are in findings.json only.
		reports := make(chan []byte, 1)
		go func() {
			b, _ := fetchBytes(resolve(runfolder.FindingsFile, u))
			reports <- b
		}()
		defer func() { r.policy = policyFindings(<-reports) }()
		// Fetch all, then decode in order.
		type got struct {
			data []byte
			err  error
		}
		results := make([]chan got, len(r.scens))
		for i, s := range r.scens {
			results[i] = make(chan got, 1)
			go func(c chan got, p string) {
				b, err := fetchBytes(resolve(p, u))
				c <- got{b, err}
			}(results[i], s.path)
		}
		for i, s := range r.scens {
			setStatus("Reading recording " + itoa(i+1) + " of " + itoa(len(r.scens)) + ": " + s.path)
			g := <-results[i]
			if g.err != nil {
				s.err = "could not read " + s.path + ": " + g.err.Error()
				continue
			}
			s.rec, err = decode(s.path, g.data, runfolder.Sniff(s.path, g.data))
			if err != nil {
				s.err = err.Error()
			}
		}
	} else {
		setStatus("Reading " + ref + " …")
		nextFrame()
		rec, err := decode(ref, data, kind)
		if err != nil {
			a.fail(err.Error())
			return nil, true
		}
		r.scens = []*scen{{rec: rec, path: ref, folder: runFolder(u, false)}}
	}
	mark("st-decoded")
	return r, true
}

func (a *app) fail(msg string) {
	gcResume()
	setStatus(msg)
	byID("status").Get("classList").Call("add", "error")
	a.setState("error")
}

// The garbage collector pauses from the start of decoding until the run
// is on screen (unless memory runs short): the decoder makes little
// garbage, and in WebAssembly each collection marks the whole growing
// heap again on the page's only thread. It runs again after the paint.
var gcSaved struct {
	on      bool
	percent int
	limit   int64
}

func gcPause() {
	if gcSaved.on {
		return
	}
	gcSaved.on = true
	gcSaved.percent = debug.SetGCPercent(-1)
	gcSaved.limit = debug.SetMemoryLimit(1536 << 20)
}

func gcResume() {
	if !gcSaved.on {
		return
	}
	gcSaved.on = false
	debug.SetGCPercent(gcSaved.percent)
	debug.SetMemoryLimit(gcSaved.limit)
}

// decode reads a recording, or a HAR file (Chrome, Firefox, Playwright)
// as a recording, of kind k (what runfolder.Sniff said of it), with the
// collector paused (see gcPause).
func decode(file string, data []byte, k runfolder.Kind) (*recording.Recording, error) {
	gcPause()
	rec, rep, err := runfolder.DecodeRecording(file, data, k, harRedactor)
	if err == nil && rep != nil && rep.Sanitized && rep.Message != "" {
		rec.Warnings = append([]string{rep.Message}, rec.Warnings...)
	}
	if err == nil && k == runfolder.KindHAR {
		imported[rec] = true
	}
	return rec, err
}

// harRedactor fingerprints the values of imported HARs: one key per page
// load, so the HARs opened together compare.
var harRedactor = func() *recording.Redactor {
	// The browser's generator, not crypto/rand: that one brings its own
	// (AES-based) generator and hashes into the bundle (docs/benchmarks.md).
	u8 := js.Global().Get("Uint8Array").New(32)
	js.Global().Get("crypto").Call("getRandomValues", u8)
	k := make([]byte, 32)
	js.CopyBytesToGo(k, u8)
	return recording.NewRedactor(k, false)
}()

// A fileIn is a file the user gave the page.
type fileIn struct {
	path string // relative path within a dropped or picked folder, else the name
	data []byte
	kind runfolder.Kind
	// refused says why the file was not read (over the size limit).
	refused string
}

// maxFileMiB bounds the files the page reads: WebAssembly memory ends at
// 4 GiB and reading a recording takes about three times its size, so a
// bigger file would end in an out-of-memory crash of the tab instead of a
// message. ?maxSize=MiB in the page's address changes it.
var maxFileMiB = func() int {
	q := js.Global().Get("URLSearchParams").New(js.Global().Get("location").Get("search"))
	if v := q.Call("get", "maxSize"); v.Truthy() {
		if n, err := strconv.Atoi(v.String()); err == nil && n > 0 {
			return n
		}
	}
	return 512
}()

// tooBig says why a file of size bytes is not read, or "" when it is read.
func tooBig(name string, size float64) string {
	if size <= float64(maxFileMiB)*(1<<20) {
		return ""
	}
	return name + " is " + itoa(int(size/(1<<20))) + " MiB, over the page's limit of " + itoa(maxFileMiB) +
		" MiB (reading it takes about three times that in memory, and a tab has at most 4 GiB). " +
		"Use sessiontrace audit on it, or raise the limit with ?maxSize=MiB in the address if this computer has the memory."
}

// readFiles reads a FileList (or an array of File).
func readFiles(list js.Value) []fileIn {
	var out []fileIn
	for i := 0; i < list.Length(); i++ {
		f := list.Index(i)
		p := f.Get("name").String()
		if rp := f.Get("webkitRelativePath"); rp.Truthy() && rp.String() != "" {
			p = rp.String()
		}
		if fp := f.Get("stPath"); fp.Truthy() {
			p = fp.String()
		}
		if msg := tooBig(p, f.Get("size").Float()); msg != "" {
			out = append(out, fileIn{path: p, refused: msg})
			continue
		}
		buf, err := await(f.Call("arrayBuffer"))
		if err != nil {
			continue
		}
		data := bytesOf(buf)
		out = append(out, fileIn{path: p, data: data, kind: runfolder.Sniff(p, data)})
	}
	return out
}

// openFiles opens what the user picked or dropped as the run to show; a
// comparison with another run ends.
func (a *app) openFiles(files []fileIn) {
	r := a.runFromFiles(files)
	if r == nil {
		return
	}
	mark("st-decoded")
	a.setRun(r, nil)
	a.view, a.sc, a.step, a.cookie, a.req, a.finding, a.reset, a.event = vOverview, 0, -1, "", "", -1, -1, -1
	a.replace()
}

// runFromFiles reads an index with its recordings (matched by relative
// path), or recordings, from files the user gave. It returns nil after
// saying why when there is nothing to show.
func (a *app) runFromFiles(files []fileIn) *run {
	if len(files) == 0 {
		return nil
	}
	for _, f := range files {
		if f.refused != "" {
			a.fail(f.refused)
			return nil
		}
	}
	byPath := map[string]*fileIn{}
	var index *fileIn
	for i := range files {
		f := &files[i]
		byPath[f.path] = f
		if index == nil && f.kind == runfolder.KindIndex {
			index = f
		}
	}
	r := &run{source: "local files (" + itoa(len(files)) + ")"}
	if index != nil {
		if f := byPath[path.Join(path.Dir(index.path), runfolder.FindingsFile)]; f != nil {
			r.policy = policyFindings(f.data)
		}
		ix, err := runfolder.DecodeIndex(index.path, index.data)
		if err != nil {
			a.fail(err.Error())
			return nil
		}
		r.index, r.source = ix, index.path
		dir := path.Dir(index.path)
		for i := range ix.Scenarios {
			e := &ix.Scenarios[i]
			s := &scen{entry: e, path: e.Recording}
			want := path.Clean(path.Join(dir, e.Recording))
			f := byPath[want]
			if f == nil { // matched by the end of the path, or the name alone
				for p, g := range byPath {
					if strings.HasSuffix("/"+p, "/"+e.Recording) {
						f = g
						break
					}
				}
				for p, g := range byPath {
					if f == nil && path.Base(p) == path.Base(e.Recording) {
						f = g
					}
				}
			}
			if f == nil {
				s.err = e.Recording + " was not among the files given; open the whole run folder"
			} else {
				rec, err := decode(f.path, f.data, f.kind)
				s.rec = rec
				if err != nil {
					s.err = err.Error()
				}
			}
			r.scens = append(r.scens, s)
		}
	} else {
		for _, f := range files {
			if !maybeRecording(f) {
				continue
			}
			rec, err := decode(f.path, f.data, f.kind)
			s := &scen{rec: rec, path: f.path}
			if err != nil {
				s.err = err.Error()
			}
			r.scens = append(r.scens, s)
		}
		if len(r.scens) == 1 {
			r.source = r.scens[0].path
		}
	}
	if len(r.scens) == 0 {
		a.fail("No recording among the files given (recordings are .json files with \"schema\": \"" + recording.Schema + "\"; HAR files end in .har).")
		return nil
	}
	return r
}

// maybeRecording tells the files given without an index that are read
// as recordings: recordings and HAR files, and the other .json files but
// the run folder's reports (to say why they cannot be read). Scenario
// files, screenshots, the inspector's own files are passed over.
func maybeRecording(f fileIn) bool {
	switch f.kind {
	case runfolder.KindRecording, runfolder.KindHAR:
		return true
	case runfolder.KindOther:
		return strings.HasSuffix(strings.ToLower(f.path), ".json") && !runfolder.IsReportFile(path.Base(f.path))
	}
	return false
}

// setRun shows run r, compared with run b when b is not nil (r is then
// the baseline, A). It analyses r (analysis.AnalyzeAll, as `audit` does).
func (a *app) setRun(r, b *run) {
	if !r.lazy {
		setStatus("Analysing " + itoa(len(r.scens)) + " recording(s) …")
		nextFrame()
	}
	analyse(r)
	mark("st-analysed")
	a.cmp = nil
	if b != nil {
		a.cmp = a.compareRuns(r, b)
	}
	a.run = nil
	a.showRun(r)
	a.fromHash()
	setStatus("")
	byID("status").Get("classList").Call("remove", "error")
	a.showSource()
	a.render()
	a.afterPaint(func() {
		mark("st-rendered")
		a.setState("ready")
		gcResume()
		if r.lazy {
			go a.afterOverview(r)
		}
	})
}

// analyse runs analysis.AnalyzeAll on r's recordings, once, and gives each
// scenario its findings and sessions. A lazy run's report is findings.json
// instead (lazy.go).
func analyse(r *run) {
	if r.report != nil {
		return
	}
	r.report = analysis.AnalyzeAll(r.recordings())
	addPolicy(r)
	r.distribute(true)
}

// distribute gives each scenario its findings and sessions of r.report,
// matched by name (and, with auth, its logged-in lane: one per recording,
// in the order of r.recordings()). A scenario whose recording was read
// and analysed keeps its own sessions.
func (r *run) distribute(auth bool) {
	byName := map[string]int{}
	for i := len(r.scens) - 1; i >= 0; i-- {
		byName[r.scens[i].name()] = i
	}
	r.findingScen = make([]int, len(r.report.Findings))
	for i := range r.report.Findings {
		f := &r.report.Findings[i]
		si, ok := byName[f.Scenario]
		if !ok {
			si = -1
		}
		r.findingScen[i] = si
		if si >= 0 {
			r.scens[si].findings = append(r.scens[si].findings, i)
		}
	}
	for i := range r.report.Sessions {
		sr := &r.report.Sessions[i]
		if si, ok := byName[sr.Scenario]; ok && (auth || r.scens[si].rec == nil) {
			r.scens[si].sessions = append(r.scens[si].sessions, sr)
		}
	}
	for i := range r.report.Tokens {
		tr := &r.report.Tokens[i]
		if si, ok := byName[tr.Scenario]; ok && (auth || r.scens[si].rec == nil) {
			r.scens[si].tokens = append(r.scens[si].tokens, tr)
		}
	}
	if !auth {
		return
	}
	k := 0
	for _, s := range r.scens {
		if s.rec != nil && k < len(r.report.Auth) {
			s.auth = &r.report.Auth[k]
			k++
		}
	}
}

// sessionsOf are findings.json's sessions of scenario i of a lazy run.
func (r *run) sessionsOf(i int) []*analysis.SessionReport {
	name := r.scens[i].name()
	for j := 0; j < i; j++ {
		if r.scens[j].name() == name {
			return nil // the first scenario of that name has them
		}
	}
	var out []*analysis.SessionReport
	for k := range r.report.Sessions {
		if r.report.Sessions[k].Scenario == name {
			out = append(out, &r.report.Sessions[k])
		}
	}
	return out
}

// showRun makes r the run the views show (analysing it if need be).
func (a *app) showRun(r *run) {
	if a.run == r {
		return
	}
	analyse(r)
	a.run = r
	a.tl = map[int]*tlState{}
	a.reqRowsKey = ""
}

// showSource says in the page and the window title what is open.
func (a *app) showSource() {
	r := a.run
	title := r.source
	if len(r.scens) == 1 {
		title = r.scens[0].name()
	}
	if c := a.cmp; c != nil {
		setText(byID("source"), " Comparing A: "+c.runs[0].source+" (the baseline) with B: "+c.runs[1].source+".")
		doc.Set("title", "Diff "+c.runs[0].source+" → "+c.runs[1].source+" · sessiontrace inspector")
		return
	}
	setText(byID("source"), " Showing "+r.source+".")
	doc.Set("title", title+" · sessiontrace inspector")
}

// afterPaint runs f after the browser has painted what was rendered.
func (a *app) afterPaint(f func()) {
	var fn js.Func
	fn = js.FuncOf(func(this js.Value, args []js.Value) any {
		fn.Release()
		var fn2 js.Func
		fn2 = js.FuncOf(func(this js.Value, args []js.Value) any {
			fn2.Release()
			f()
			return nil
		})
		js.Global().Call("setTimeout", fn2, 0)
		return nil
	})
	js.Global().Call("requestAnimationFrame", fn)
}
