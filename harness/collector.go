package harness

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto/audits"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// A collector receives the raw protocol events of one scenario's page and
// keeps them, decoded, until the recording is built. Events of different
// methods arrive on separate queues, so nothing here depends on their order
// across methods: requests and their ExtraInfo events are joined by request
// id and ordinal when the recording is built.
type collector struct {
	log     decodeLog
	binding string // the name of the script-write binding (random per run)
	// manualDialogs leaves the page's dialogs to the user (a recording by
	// hand): nothing answers them for the user.
	manualDialogs bool

	// tabURL is the URL the tab's main frame shows, as its navigations
	// report it (see pageURL); tabFrame is that frame's id.
	tabURL   atomic.Pointer[string]
	tabFrame atomic.Pointer[string]

	mu         sync.Mutex
	events     int
	hops       map[string][]*hop // by request id, in redirect order
	order      []*hop
	reqExtra   map[string][]evRequestExtra
	respExtra  map[string][]evResponseExtra
	responses  map[string]evResponse
	loading    map[string]evLoading
	issues     []timed[evCookieIssue]
	scripts    []timed[scriptWrite]
	dialogs    []timed[string] // JavaScript dialogs the harness accepted (the first maxDialogs)
	dialogsAll int             // every dialog, noted or not
	popups     []*popup        // windows the page opened, in order
	// popupsRecorded says that the popups' requests are recorded.
	popupsRecorded bool
	downloads      []timed[download]
	crashes        []time.Time  // when the page's renderer died
	targets        []*targetRec // the scenario's other targets (see tap.go)
	targetErrs     []targetErr
	// downloaded is closed and replaced at each download, to wake a step
	// that waits for one.
	downloaded chan struct{}
	// popupOpened is closed and replaced at each new popup, to wake a
	// step that waits for one.
	popupOpened chan struct{}
	// popupChanged is closed and replaced whenever a popup opens or its
	// URL or title changes (popupMatching waits on it).
	popupChanged chan struct{}
	clockDelta   float64         // wallTime - monotonic timestamp, from requestWillBeSent
	scanned      map[string]bool // documents whose body was read

	wg sync.WaitGroup
	// activity counts, in the driver's reader loop, the events that can
	// change cookies. It is current when a command's reply arrives, which
	// the per-method queues above are not.
	activity atomic.Int64
}

type timed[T any] struct {
	at time.Time
	v  T
}

// A hop is one request of a redirect chain.
type hop struct {
	req     evRequest
	n       int
	arrival time.Time
	resp    *response
	respTS  float64
	hasXtra bool       // the browser said ExtraInfo would come for the response
	tg      *targetRec // the target that made it; nil for the tab
}

// scriptWrite is a cookie or Web Storage write by page script, reported by the
// instrumentation script through the binding.
type scriptWrite struct {
	Op        string `json:"op"` // document.cookie, cookieStore.set, cookieStore.delete, storage.set, storage.remove, storage.clear
	Cookie    string `json:"cookie"`
	Name      string `json:"name"`
	Value     string `json:"value"`
	Domain    string `json:"domain"`
	Path      string `json:"path"`
	Expires   any    `json:"expires"`
	SameSite  string `json:"sameSite"`
	URL       string `json:"url"`
	Loc       string `json:"loc"`
	Malformed string `json:"-"`
	// Area and Origin are a Web Storage write's (op storage.*).
	Area   string `json:"area"`
	Origin string `json:"origin"`
	// tg is the target whose page wrote it; nil for the tab.
	tg *targetRec
}

func newCollector(binding string) *collector {
	return &collector{
		binding:     binding,
		hops:        map[string][]*hop{},
		reqExtra:    map[string][]evRequestExtra{},
		respExtra:   map[string][]evResponseExtra{},
		responses:   map[string]evResponse{},
		loading:     map[string]evLoading{},
		scanned:     map[string]bool{},
		downloaded:  make(chan struct{}),
		popupOpened: make(chan struct{}), popupChanged: make(chan struct{}),
	}
}

// docRef names an HTML document whose body can be read, with its size as
// received.
type docRef struct {
	id, url string
	size    int
}

// newDocuments returns the HTML documents that finished loading and were
// not returned before.
func (c *collector) newDocuments() []docRef {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []docRef
	for id, l := range c.loading {
		// A document of another target is read through its own session,
		// which the recorder does not keep: it is left out.
		if l.Failed || c.scanned[id] || c.foreign(id) {
			continue
		}
		resp, ok := c.responses[id]
		if !ok || resp.Type != "Document" || resp.Response == nil || !strings.Contains(resp.Response.MimeType, "html") {
			continue
		}
		c.scanned[id] = true
		out = append(out, docRef{id: id, url: resp.Response.URL, size: int(l.EncodedDataLength)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// foreign reports whether a request is another target's than the tab's.
func (c *collector) foreign(id string) bool {
	hs := c.hops[id]
	return len(hs) > 0 && hs[0].tg != nil
}

// attach subscribes to the recorded methods of the context's target. The
// subscriptions end when the target goes away; wait then returns.
func (c *collector) attach(ctx context.Context) error {
	cc := chromedp.FromContext(ctx)
	if cc == nil || cc.Target == nil {
		return chromedp.ErrInvalidContext
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent, *network.EventRequestWillBeSentExtraInfo,
			*network.EventResponseReceived, *network.EventResponseReceivedExtraInfo,
			*network.EventLoadingFinished, *network.EventLoadingFailed,
			*runtime.EventBindingCalled, *audits.EventIssueAdded:
			c.activity.Add(1)
		case *page.EventFrameNavigated:
			c.activity.Add(1)
			if f := e.Frame; f != nil && f.ParentID == "" {
				id, u := string(f.ID), f.URL+f.URLFragment
				c.tabFrame.Store(&id)
				c.tabURL.Store(&u)
			}
		case *page.EventNavigatedWithinDocument:
			// history.pushState and fragments: the URL changes with no
			// request.
			c.activity.Add(1)
			if id := c.tabFrame.Load(); id != nil && *id == string(e.FrameID) {
				u := e.URL
				c.tabURL.Store(&u)
			}
		}
	})
	if err != nil {
		return err
	}
	c.handleDialogs(ctx, cc.Target)
	c.watchWindows(ctx, cc)
	c.watchCrashes(cc.Target)
	for _, m := range recordedMethods {
		ch, _ := cc.Target.Subscribe(m)
		c.wg.Add(1)
		go func(m string) {
			defer c.wg.Done()
			for raw := range ch {
				c.handle(m, raw, time.Now())
			}
		}(m)
	}
	return nil
}

// handleDialogs accepts every JavaScript dialog (alert, confirm, prompt,
// beforeunload) as it opens, so that a page cannot stall the journey, and
// notes each one for the recording.
func (c *collector) handleDialogs(ctx context.Context, t *chromedp.Target) {
	if c.manualDialogs {
		return
	}
	ch, _ := t.Subscribe("Page.javascriptDialogOpening")
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		for raw := range ch {
			c.noteDialog(raw)
			go func() {
				// Answer outside the event loop: the reply waits for it.
				_ = t.Call(ctx, "Page.handleJavaScriptDialog", map[string]any{"accept": true}, nil)
			}()
		}
	}()
}

// noteDialog notes a JavaScript dialog the harness accepts.
func (c *collector) noteDialog(raw []byte) {
	o := parseObj(raw, &c.log, "Page.javascriptDialogOpening", "")
	kind, msg := o.str("type"), o.str("message")
	c.mu.Lock()
	defer c.mu.Unlock()
	// A page can open dialogs without end: note the first ones.
	if c.dialogsAll++; len(c.dialogs) < maxDialogs {
		c.dialogs = append(c.dialogs, timed[string]{time.Now(), kind + ": " + clipText(msg)})
	}
}

// wait blocks until every subscription has delivered its last event.
func (c *collector) wait() { c.wg.Wait() }

// handle decodes one raw event of the tab and stores it.
func (c *collector) handle(method string, raw []byte, at time.Time) {
	c.handleFrom(nil, method, raw, at)
}

// handleFrom decodes one raw event of target tg (nil for the tab) and
// stores it. A target's request ids get its prefix, so that requests of
// different targets never join.
func (c *collector) handleFrom(tg *targetRec, method string, raw []byte, at time.Time) {
	o := parseObj(raw, &c.log, method, "")
	pre := ""
	if tg != nil {
		pre = tg.prefix
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events++
	switch method {
	case mRequestWillBeSent:
		e := readRequest(o)
		e.ID = pre + e.ID
		if tg != nil && tg.doc == "" && e.Type == "Document" {
			tg.doc = e.URL
		}
		// One offset for the whole run: the wall clock can step, the
		// protocol's monotonic clock cannot, and event order must hold.
		if e.WallTime > 0 && e.Timestamp > 0 && c.clockDelta == 0 {
			c.clockDelta = e.WallTime - e.Timestamp
		}
		hs := c.hops[e.ID]
		if e.Redirect != nil && len(hs) > 0 {
			prev := hs[len(hs)-1]
			prev.resp, prev.respTS, prev.hasXtra = e.Redirect, e.Timestamp, e.RedirectHasExtraInfo
		}
		h := &hop{req: e, n: len(hs), arrival: at, tg: tg}
		c.hops[e.ID] = append(hs, h)
		c.order = append(c.order, h)
	case mRequestWillBeSentExtraInfo:
		e := readRequestExtra(o)
		e.ID = pre + e.ID
		c.reqExtra[e.ID] = append(c.reqExtra[e.ID], e)
	case mResponseReceived:
		e := readResponseEv(o)
		e.ID = pre + e.ID
		c.responses[e.ID] = e
		c.noteUnseen(tg, e.ID)
	case mResponseReceivedExtraInfo:
		e := readResponseExtra(o)
		e.ID = pre + e.ID
		c.respExtra[e.ID] = append(c.respExtra[e.ID], e)
	case mLoadingFinished:
		e := readLoading(o, false)
		e.ID = pre + e.ID
		if prev, ok := c.loading[e.ID]; ok && prev.Failed {
			return // the browser's error page, loaded under the failed request's id
		}
		c.loading[e.ID] = e
		c.noteUnseen(tg, e.ID)
	case mLoadingFailed:
		e := readLoading(o, true)
		e.ID = pre + e.ID
		c.loading[e.ID] = e
	case mIssueAdded:
		if is, ok := readIssue(o); ok {
			if is.RequestID != "" {
				is.RequestID = pre + is.RequestID
			}
			c.issues = append(c.issues, timed[evCookieIssue]{at, is})
		}
	case mBindingCalled:
		b := readBinding(o)
		if b.Name != c.binding {
			return
		}
		var w scriptWrite
		if err := json.Unmarshal([]byte(b.Payload), &w); err != nil {
			c.log.add(method, "payload", "script-write report is not JSON: "+shortErr(err))
			return
		}
		w.tg = tg
		c.scripts = append(c.scripts, timed[scriptWrite]{at, w})
	}
}

// noteUnseen notes a request of target tg that answered, though its start
// was never reported: it started before the recording was on in the
// target. (A target's events come in the order the browser sent them, so
// a start not seen by now was never sent to the recording.) The browser
// holds a new target until the recording is on, unless another DevTools
// client of the browser lets it run first: a pool's own client may.
func (c *collector) noteUnseen(tg *targetRec, id string) {
	if tg == nil || id == tg.prefix || len(c.hops[id]) > 0 {
		return // the tab's, an event without an id (counted as undecodable), or seen
	}
	if tg.unseen == nil {
		tg.unseen = map[string]bool{}
	}
	tg.unseen[id] = true
}

// wallTime converts a protocol monotonic timestamp to wall-clock time.
func (c *collector) wallTime(ts float64, fallback time.Time) time.Time {
	if ts <= 0 || c.clockDelta == 0 {
		return fallback
	}
	return fromSeconds(ts + c.clockDelta)
}

func fromSeconds(s float64) time.Time {
	sec := int64(s)
	return time.Unix(sec, int64((s-float64(sec))*1e9))
}

// isHTTP reports whether a URL is fetched over the network (ExtraInfo
// events are only expected for those).
func isHTTP(u string) bool {
	return strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")
}

// A targetRec is a target of the scenario other than its tab, recorded
// through the tap: a popup, a frame in its own process, a worker.
type targetRec struct {
	id   string // the browser's target id
	kind string // the protocol's type: page, iframe, worker, shared_worker, service_worker
	url  string // as attached (often empty for a frame)
	doc  string // the URL of its first document request
	// frame and cur are its main frame and the URL that frame shows, as
	// its navigations report them (for a popup: see targetURL).
	frame, cur string
	parent     *targetRec
	// prefix keeps its request ids apart from the tab's and the other
	// targets': each process numbers its requests on its own.
	prefix string
	gone   bool
	// unseen are the ids of its requests that answered with no start
	// seen (see noteUnseen): not in the recording.
	unseen map[string]bool
}

// pageURL is the URL the tab shows, as its last navigation reported it:
// what document.location says, without a round trip to the page. ok is
// false before the first navigation was seen.
func (c *collector) pageURL() (string, bool) {
	if u := c.tabURL.Load(); u != nil {
		return *u, true
	}
	return "", false
}

// targetURL is the URL the page of target id shows, as its navigations
// reported them to the tap; ok is false when none was seen.
func (c *collector) targetURL(id string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, tg := range c.targets {
		if tg.id == id && !tg.gone && tg.cur != "" {
			return tg.cur, true
		}
	}
	return "", false
}

// addTarget notes a target the tap attached (under parent, nil for the
// tab).
func (c *collector) addTarget(parent *targetRec, id, kind, url string) *targetRec {
	c.mu.Lock()
	defer c.mu.Unlock()
	tg := &targetRec{id: id, kind: kind, url: url, parent: parent, prefix: "t" + strconv.Itoa(len(c.targets)+1) + ":"}
	c.targets = append(c.targets, tg)
	c.activity.Add(1)
	return tg
}

func (c *collector) targetGone(tg *targetRec) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tg.gone = true
}

// targetTrouble notes a target whose recording could not be set up: its
// requests may be missing, and the recording says so.
func (c *collector) targetTrouble(tg *targetRec, method string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.targetErrs = append(c.targetErrs, targetErr{tg, method + ": " + err.Error()})
}

type targetErr struct {
	tg  *targetRec
	err string
}

// handleChild takes an event of a target the tap attached.
func (c *collector) handleChild(t *tap, ch *child, method string, raw []byte, at time.Time) {
	switch method {
	case mRequestWillBeSent, mRequestWillBeSentExtraInfo, mResponseReceived, mResponseReceivedExtraInfo,
		mLoadingFinished, mLoadingFailed, mIssueAdded, mBindingCalled:
		c.activity.Add(1)
		c.handleFrom(ch.tg, method, raw, at)
	case "Page.frameNavigated", "Page.navigatedWithinDocument":
		// Where a popup is, without asking it (see pageURL).
		o := parseObj(raw, &c.log, method, "")
		f := o.obj("frame")
		c.mu.Lock()
		switch {
		case method == "Page.frameNavigated" && f.str("parentId") == "":
			ch.tg.frame, ch.tg.cur = f.str("id"), f.str("url")+f.str("urlFragment")
		case method == "Page.navigatedWithinDocument" && o.str("frameId") == ch.tg.frame && ch.tg.frame != "":
			ch.tg.cur = o.str("url")
		}
		c.mu.Unlock()
	case "Page.javascriptDialogOpening":
		if c.manualDialogs {
			return
		}
		c.noteDialog(raw)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), childSetupTimeout)
			defer cancel()
			_ = t.call(ctx, ch.session, "Page.handleJavaScriptDialog", map[string]any{"accept": true}, nil)
		}()
	}
}
