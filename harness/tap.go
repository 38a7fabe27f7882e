package harness

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto"
	cdptarget "github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// The tap records the targets of a scenario other than its tab: the
// popups it opens, its cross-site frames (which run in their own process,
// with their own DevTools session), and its workers. The browser attaches
// them to the debugger before they run (target auto-attach with
// waitForDebuggerOnStart and flat sessions), so the recorder can turn on
// what it listens to before their first request.
//
// chromedp cannot do this: its Browser drops every message of a session
// it did not open itself. So the tap sits in the connection, under
// chromedp: it reads every message first, keeps those of the sessions it
// handles (and the replies to its own commands, whose ids are above
// tapIDBase, far from chromedp's counter), and hands the rest to chromedp.

// tapIDBase is the first message id of the tap's own commands: above any
// id chromedp's counter reaches, below 2^31 (the browser reads ids as
// 32-bit integers).
const tapIDBase = int64(1) << 30

// childSetupTimeout bounds the wait for the replies to the commands that
// set up a new target: the target waits for them before it runs.
const childSetupTimeout = 10 * time.Second

type tap struct {
	chromedp.Transport
	next atomic.Int64
	// errf reports an event the tap could not decode, like chromedp's
	// own error log (see Browser.driverError): nothing is lost silently.
	errf func(string, ...any)

	mu      sync.Mutex
	replies map[int64]chan *cdproto.Message
	// owners are the scenario tabs being recorded, by browser context and
	// by the tab's own session.
	byContext map[string]*tabOwner
	bySession map[string]*tabOwner
	// children are the sessions the tap handles, by session id; ignored
	// are sessions it let go (resumed and detached), whose detach it
	// keeps from chromedp, which never knew them.
	children map[string]*child
	ignored  map[string]bool
	// explicit are the targets chromedp asked to attach (its tabs): the
	// browser reports those attaches like its own auto-attaches.
	explicit map[string]bool
	// closed ends the waits for replies when the connection closes.
	closed    chan struct{}
	closeOnce sync.Once
}

// A tabOwner is a scenario's tab, whose browser context's other targets
// the tap records into the scenario's collector.
type tabOwner struct {
	col      *collector
	bctx     string
	tabID    string // the tab's target id
	session  string // the tab's session (chromedp's)
	setup    []tapCmd
	attached map[string]bool // target ids recorded, so that a target attached twice is recorded once
}

// A child is a session the tap attached for an owner.
type child struct {
	owner   *tabOwner
	session string
	parent  string // the session it was attached on ("" for the browser)
	tg      *targetRec
}

type tapCmd struct {
	method string
	params any
	// optional commands may fail on some kinds of target (a worker has
	// no Audits); the others are needed for the recording.
	optional bool
}

func newTap(tr chromedp.Transport, errf func(string, ...any)) *tap {
	t := &tap{Transport: tr, errf: errf, replies: map[int64]chan *cdproto.Message{},
		byContext: map[string]*tabOwner{}, bySession: map[string]*tabOwner{},
		children: map[string]*child{}, ignored: map[string]bool{}, explicit: map[string]bool{},
		closed: make(chan struct{})}
	t.next.Store(tapIDBase)
	return t
}

// Read hands chromedp the next message that is not the tap's.
func (t *tap) Read(ctx context.Context, msg *cdproto.Message) error {
	for {
		m := new(cdproto.Message)
		if err := t.Transport.Read(ctx, m); err != nil {
			return err
		}
		if !t.take(m) {
			*msg = *m
			return nil
		}
	}
}

// Write notes the targets chromedp attaches itself, then writes.
func (t *tap) Write(ctx context.Context, m *cdproto.Message) error {
	if m.Method == "Target.attachToTarget" && m.SessionID == "" {
		var p struct {
			TargetID string `json:"targetId"`
		}
		if json.Unmarshal(m.Params, &p) == nil {
			t.mu.Lock()
			t.explicit[p.TargetID] = true
			t.mu.Unlock()
		}
	}
	return t.Transport.Write(ctx, m)
}

// call sends a command on session ("" for the browser) and waits for the
// reply.
func (t *tap) call(ctx context.Context, session, method string, params any, res any) error {
	ch, err := t.send(ctx, session, method, params)
	if err != nil {
		return err
	}
	return t.wait(ctx, ch, res)
}

func reply(m *cdproto.Message, res any) error {
	if m.Error != nil {
		return m.Error
	}
	if res != nil && len(m.Result) > 0 {
		return json.Unmarshal(m.Result, res)
	}
	return nil
}

// send writes a command and returns the channel its reply will come on.
func (t *tap) send(ctx context.Context, session, method string, params any) (chan *cdproto.Message, error) {
	var buf []byte
	if params != nil {
		var err error
		if buf, err = json.Marshal(params); err != nil {
			return nil, err
		}
	}
	id := t.next.Add(1)
	ch := make(chan *cdproto.Message, 1)
	t.mu.Lock()
	t.replies[id] = ch
	t.mu.Unlock()
	m := &cdproto.Message{ID: id, Method: cdproto.MethodType(method), Params: buf}
	m.SessionID = cdptarget.SessionID(session)
	if err := t.Transport.Write(ctx, m); err != nil {
		t.mu.Lock()
		delete(t.replies, id)
		t.mu.Unlock()
		return nil, err
	}
	return ch, nil
}

func (t *tap) forget(ch chan *cdproto.Message) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for id, c := range t.replies {
		if c == ch {
			delete(t.replies, id)
		}
	}
}

// Close ends the waits for replies, then the connection.
func (t *tap) Close() error {
	t.closeOnce.Do(func() { close(t.closed) })
	return t.Transport.Close()
}

// wait waits for the reply on ch.
func (t *tap) wait(ctx context.Context, ch chan *cdproto.Message, res any) error {
	select {
	case <-ctx.Done():
		t.forget(ch)
		return ctx.Err()
	case <-t.closed:
		return errors.New("the connection to the browser closed")
	case m := <-ch:
		return reply(m, res)
	}
}

// take handles a message that is the tap's and reports whether it was:
// the reply to one of its commands, an event of a session it handles,
// the attach of a target to record, or a detach chromedp has no use for.
func (t *tap) take(m *cdproto.Message) bool {
	if m.ID >= tapIDBase {
		t.mu.Lock()
		ch := t.replies[m.ID]
		delete(t.replies, m.ID)
		t.mu.Unlock()
		if ch != nil {
			ch <- m
		}
		return true
	}
	if m.Method == "" {
		return false
	}
	session := string(m.SessionID)
	t.mu.Lock()
	ch := t.children[session]
	ignored := t.ignored[session]
	t.mu.Unlock()
	switch m.Method {
	case "Target.attachedToTarget":
		return t.attached(session, ch, m.Params)
	case "Target.detachedFromTarget":
		var p struct {
			SessionID string `json:"sessionId"`
		}
		if err := json.Unmarshal(m.Params, &p); err != nil {
			t.errf("could not unmarshal event: tap: Target.detachedFromTarget: %v", err)
		}
		t.mu.Lock()
		gone, wasIgnored := t.children[p.SessionID], t.ignored[p.SessionID]
		delete(t.children, p.SessionID)
		delete(t.ignored, p.SessionID)
		t.mu.Unlock()
		if gone != nil {
			gone.owner.col.targetGone(gone.tg)
		}
		if gone != nil || wasIgnored {
			return true
		}
		return ch != nil
	}
	if ch != nil {
		ch.owner.col.handleChild(t, ch, string(m.Method), m.Params, time.Now())
		return true
	}
	return ignored
}

// attachInfo is Target.attachedToTarget's.
type attachInfo struct {
	SessionID  string `json:"sessionId"`
	TargetInfo struct {
		TargetID         string `json:"targetId"`
		Type             string `json:"type"`
		URL              string `json:"url"`
		BrowserContextID string `json:"browserContextId"`
		OpenerID         string `json:"openerId"`
	} `json:"targetInfo"`
	WaitingForDebugger bool `json:"waitingForDebugger"`
}

// attached decides what to do with a target attached on session: record it
// for its owner, or let it go (resumed, so that a page the tap does not
// record never waits for it).
func (t *tap) attached(session string, parent *child, raw []byte) bool {
	var a attachInfo
	if err := json.Unmarshal(raw, &a); err != nil || a.SessionID == "" {
		// A target that may wait for ever, and whose requests are not
		// recorded: counted with chromedp's undecodable events.
		t.errf("could not unmarshal event: tap: Target.attachedToTarget: %v", err)
		return parent != nil
	}
	ti := a.TargetInfo
	t.mu.Lock()
	var owner *tabOwner
	var ptg *targetRec
	switch {
	case parent != nil:
		owner, ptg = parent.owner, parent.tg
		if ti.Type == "service_worker" || ti.Type == "shared_worker" {
			// The context's, whichever page it was attached under
			// first: the same label from run to run.
			ptg = nil
		}
	case t.bySession[session] != nil:
		owner = t.bySession[session]
	case session == "":
		// The browser's auto-attach: every new page and worker of the
		// browser (waiting), and those that ran before it was asked
		// (not waiting: let go at once). chromedp's own attach to a
		// tab reports the same event, never waiting: chromedp's.
		if !a.WaitingForDebugger && t.explicit[ti.TargetID] {
			delete(t.explicit, ti.TargetID)
			t.mu.Unlock()
			return false
		}
		if o := t.byContext[ti.BrowserContextID]; o != nil && ti.TargetID != o.tabID && a.WaitingForDebugger {
			owner = o
		}
	default:
		t.mu.Unlock()
		return false // a session the tap does not handle
	}
	if owner == nil || owner.attached[ti.TargetID] {
		t.ignored[a.SessionID] = true
		t.mu.Unlock()
		go t.release(session, a.SessionID)
		return session == "" || parent != nil
	}
	owner.attached[ti.TargetID] = true
	tg := owner.col.addTarget(ptg, ti.TargetID, ti.Type, ti.URL)
	c := &child{owner: owner, session: a.SessionID, parent: session, tg: tg}
	t.children[a.SessionID] = c
	t.mu.Unlock()
	go t.setUp(c)
	return session == "" || parent != nil
}

// release lets a target run without the tap: resumed, and, when the
// browser's session attached it (a page of another context, say),
// detached. A target a page's session attached again (a service worker
// is attached to the browser, to the tab and to each popup) stays
// attached, with nothing turned on: detached, the page's auto-attach
// would attach it once more.
func (t *tap) release(parent, session string) {
	ctx, cancel := context.WithTimeout(context.Background(), childSetupTimeout)
	defer cancel()
	_ = t.call(ctx, session, "Runtime.runIfWaitingForDebugger", nil, nil)
	if parent == "" {
		_ = t.call(ctx, parent, "Target.detachFromTarget", map[string]any{"sessionId": session}, nil)
	}
}

// setUp turns on, in the new target, what the tab's recording listens to,
// then lets it run. The commands go out in order, before any reply: the
// browser runs them in that order, so the target runs with its events on.
func (t *tap) setUp(c *child) {
	ctx, cancel := context.WithTimeout(context.Background(), childSetupTimeout)
	defer cancel()
	cmds := []tapCmd{{method: "Network.enable", params: map[string]any{"maxResourceBufferSize": maxBodyBytes}}}
	cmds = append(cmds, c.owner.setup...)
	if c.tg.kind == "page" {
		cmds = append(cmds, tapCmd{method: "Page.enable", optional: true})
	}
	if c.tg.kind == "page" || c.tg.kind == "iframe" {
		// Runtime too: without it the browser reports no binding call
		// (the instrumentation's script cookie writes).
		cmds = append(cmds,
			tapCmd{method: "Runtime.enable", optional: true},
			tapCmd{method: "Runtime.addBinding", params: map[string]any{"name": c.owner.col.binding}, optional: true},
			tapCmd{method: "Page.addScriptToEvaluateOnNewDocument", params: map[string]any{"source": instrumentation(c.owner.col.binding)}, optional: true})
	}
	cmds = append(cmds,
		tapCmd{method: "Target.setAutoAttach", params: map[string]any{"autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true}, optional: true},
		tapCmd{method: "Runtime.runIfWaitingForDebugger"})
	chans := make([]chan *cdproto.Message, len(cmds))
	for i, cmd := range cmds {
		ch, err := t.send(ctx, c.session, cmd.method, cmd.params)
		if err != nil {
			c.owner.col.targetTrouble(c.tg, cmd.method, err)
			return
		}
		chans[i] = ch
	}
	for i, ch := range chans {
		if err := t.wait(ctx, ch, nil); err != nil && !cmds[i].optional && !isGoneError(err) {
			c.owner.col.targetTrouble(c.tg, cmds[i].method, err)
		}
	}
}

// isGoneError reports whether a command failed because its target went
// away before it answered (a frame removed at once): nothing was missed.
func isGoneError(err error) bool {
	var e *cdproto.Error
	return errors.As(err, &e) && e.Code == -32001 // "Session with given id not found."
}

// own starts recording the other targets of the tab's browser context.
// setup are commands to run in each of them besides the tap's own (the
// tab's Audits.enable, say).
func (t *tap) own(col *collector, bctx, tabID, session string, setup []tapCmd) {
	o := &tabOwner{col: col, bctx: bctx, tabID: tabID, session: session, setup: setup, attached: map[string]bool{}}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.byContext[bctx] = o
	t.bySession[session] = o
}

// disown stops recording for the tab's context.
func (t *tap) disown(bctx, session string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if o := t.byContext[bctx]; o != nil {
		for s, c := range t.children {
			if c.owner == o {
				delete(t.children, s)
				t.ignored[s] = true
			}
		}
	}
	delete(t.byContext, bctx)
	delete(t.bySession, session)
}
