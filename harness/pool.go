package harness

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
)

// PerWorker says whether each worker of a suite gets a browser of its own.
type PerWorker int

const (
	// PerWorkerAuto: a browser per worker when the endpoint hands out a
	// fresh browser per connection (a pool's gateway), else one shared.
	PerWorkerAuto PerWorker = iota
	// PerWorkerNo: the workers share one browser (a context each).
	PerWorkerNo
	// PerWorkerYes: every worker connects (or starts) a browser of its own.
	PerWorkerYes
)

// A pool gives each worker of a suite a browser: the local Chromium it
// starts, or one of the --browser-url endpoints (members). Workers are
// spread over the members; a member whose browser dies and cannot be
// reached again is dropped, and its workers move to the next live one, so
// a dead member costs only the scenarios it was running (which --retries
// runs again elsewhere). A local browser that dies is started again.
type pool struct {
	members   []*member
	perWorker PerWorker

	mu     sync.Mutex
	assign map[int]int // worker to member
}

// A member is one endpoint (or the local browser) with its browsers.
type member struct {
	opts BrowserOptions
	dead error // why it was dropped
	// shared is the browser the workers share; own are the workers' own.
	shared *Browser
	own    map[int]*Browser
}

func newPool(opts BrowserOptions, urls []string, perWorker PerWorker) *pool {
	p := &pool{perWorker: perWorker, assign: map[int]int{}}
	if len(urls) == 0 && opts.RemoteURL != "" {
		urls = []string{opts.RemoteURL}
	}
	for _, u := range urls {
		o := opts
		o.RemoteURL = u
		p.members = append(p.members, &member{opts: o, own: map[int]*Browser{}})
	}
	if len(p.members) == 0 {
		p.members = []*member{{opts: opts, own: map[int]*Browser{}}}
	}
	return p
}

// get returns the worker's browser: the one it had if it still answers,
// else a new connection, on the worker's member or the next live one.
func (p *pool) get(ctx context.Context, worker int) (*Browser, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	start, ok := p.assign[worker]
	if !ok {
		start = worker % len(p.members)
	}
	var errs []error
	for i := range p.members {
		k := (start + i) % len(p.members)
		m := p.members[k]
		if m.dead != nil {
			errs = append(errs, m.dead)
			continue
		}
		b, err := m.browser(ctx, worker, p.perWorker)
		if err == nil {
			p.assign[worker] = k
			return b, nil
		}
		if m.opts.RemoteURL == "" || len(p.members) == 1 {
			return nil, err
		}
		// A pool member that does not answer is dropped for the rest of
		// the suite: asking it again for every scenario would cost each
		// one the dial timeout.
		m.dead = err
		errs = append(errs, err)
	}
	return nil, fmt.Errorf("no browser endpoint answers: %w", errors.Join(errs...))
}

// browser is the worker's browser on m, connected (or started) when it
// has none that answers.
func (m *member) browser(ctx context.Context, worker int, perWorker PerWorker) (*Browser, error) {
	b := m.shared
	if own, ok := m.own[worker]; ok {
		b = own
	}
	if b != nil && b.alive() {
		return b, nil
	}
	if b != nil {
		m.drop(b)
	}
	b, err := StartBrowser(context.WithoutCancel(ctx), m.opts)
	if err != nil {
		return nil, err
	}
	if perWorker == PerWorkerYes || perWorker == PerWorkerAuto && b.perConn {
		m.own[worker] = b
	} else {
		m.shared = b
	}
	return b, nil
}

// drop closes b and forgets it.
func (m *member) drop(b *Browser) {
	b.Close()
	if m.shared == b {
		m.shared = nil
	}
	for w, own := range m.own {
		if own == b {
			delete(m.own, w)
		}
	}
}

// discard closes b, which died during a scenario; the worker's next get
// connects again (or moves to another member).
func (p *pool) discard(b *Browser) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.members {
		if m.shared == b || ownedBy(m, b) {
			m.drop(b)
		}
	}
}

func ownedBy(m *member, b *Browser) bool {
	for _, own := range m.own {
		if own == b {
			return true
		}
	}
	return false
}

func (p *pool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.members {
		if m.shared != nil {
			m.drop(m.shared)
		}
		for _, b := range m.own {
			m.drop(b)
		}
	}
}

// alive reports whether the browser still answers.
func (b *Browser) alive() bool {
	if b.ctx.Err() != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(b.ctx, 3*time.Second)
	defer cancel()
	return chromedp.FromContext(b.ctx).Browser.Call(ctx, "Browser.getVersion", nil, nil) == nil
}

// diedWarning is the recording's note about a browser that died under it.
func (b *Browser) diedWarning() string {
	if b.endpoint != "" {
		return "the browser of " + b.endpoint + " died during this scenario; the next scenario connects again (or to another --browser-url)"
	}
	return "the browser died during this scenario; the next scenario gets a new one"
}
