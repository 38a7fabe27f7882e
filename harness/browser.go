package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/remote"
)

// BrowserOptions says which browser to drive and how.
type BrowserOptions struct {
	// ExecPath is the Chromium binary; empty means $CHROME_PATH, then the
	// usual install names on PATH.
	ExecPath string
	// RemoteURL attaches to a running browser's DevTools endpoint
	// (ws://... or http://host:port) instead of starting one. The whole
	// URL is used, query included (pools put their token there); see
	// Endpoint.
	RemoteURL string
	// HostRules is passed as --host-resolver-rules, e.g.
	// "MAP *.test 127.0.0.1, EXCLUDE localhost".
	HostRules string
	// TrustSPKI lists base64 SHA-256 hashes of public keys whose
	// certificates the browser accepts although no CA signed them (the
	// lab's). Only those certificates; every other error still fails.
	TrustSPKI []string
	// InsecureCerts makes the browser accept every invalid certificate.
	// For test sites only.
	InsecureCerts bool
	// ExtraFlags are added to the command line as --name=value.
	ExtraFlags map[string]string
	// BusyWait is how long to keep asking a busy pool (429, 503) for a
	// browser before giving up; 0 asks once.
	BusyWait time.Duration
	// Headed starts Chromium with a window on the user's display (a
	// recording by hand) instead of headless. On Linux it needs DISPLAY
	// or WAYLAND_DISPLAY (else chromedp.ErrNoDisplay).
	Headed bool
}

// A Browser is a running (or attached) Chromium shared by scenario runs;
// each run gets its own browser context, so cookies never cross scenarios.
type Browser struct {
	opts      BrowserOptions
	ctx       context.Context
	cancel    context.CancelFunc
	product   string
	userAgent string
	protocol  string
	// perConn is true when the browser is a pool's, handed out for this
	// connection alone; endpoint is the redacted --browser-url.
	perConn  bool
	endpoint string
	// tap is the connection's, which records the targets of a scenario
	// other than its tab; tapErr says why it cannot, when the browser
	// refused the auto-attach it needs.
	tap    *tap
	tapErr error

	mu           sync.Mutex
	driverErrors []string // chromedp's "could not unmarshal event" reports
	dropped      int

	// probes is the replay probes' HTTP client, made once: its connections
	// are kept, so a scenario's second probe (and the next scenario's)
	// does not pay a new TLS handshake.
	probesOnce sync.Once
	probes     *http.Client
}

// ErrNoChromium is returned when no Chromium binary can be found.
var ErrNoChromium = errors.New("no Chromium found: install it (Debian/Ubuntu: apt-get install chromium), set CHROME_PATH, or pass --chrome PATH")

// FindChrome returns the Chromium binary to use: path if set, else
// $CHROME_PATH, else the first of the usual names found on PATH.
func FindChrome(path string) (string, error) {
	if path == "" {
		path = os.Getenv("CHROME_PATH")
	}
	if path != "" {
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("chrome %s: %w", path, err)
		}
		return path, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// StartBrowser starts Chromium (or attaches to a remote one). The browser
// lives until Close or until ctx ends.
func StartBrowser(ctx context.Context, opts BrowserOptions) (*Browser, error) {
	if opts.RemoteURL != "" {
		return attachBrowser(ctx, opts)
	}
	path, err := FindChrome(opts.ExecPath)
	if err != nil {
		return nil, err
	}
	flags := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-domain-reliability", true),
		// chromedp's list, and no spare renderer: Chromium starts one ahead
		// for the next navigation, but a scenario's browser context is new
		// and short-lived, so most spares were started only to be killed
		// with it (about one process a journey).
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,SpareRendererForSitePerProcess"),
		chromedp.WindowSize(1280, 800),
	)
	for _, f := range opts.flags() {
		flags = append(flags, chromedp.Flag(f.name, f.value))
	}
	if opts.Headed {
		flags = append(flags, chromedp.VisibleWindow, ownProcessGroup())
	}
	// Chromium keeps its singleton socket (and, with
	// disable-dev-shm-usage, its shared memory files) in a directory
	// under $TMPDIR that only a clean exit removes; chromedp ends the
	// browser with a signal, which left one directory in /tmp per run.
	// The browser's TMPDIR is ours, removed once it has exited.
	// The name is short: the socket's path must fit in 108 bytes, and
	// where it would not, the browser keeps the usual TMPDIR.
	tmpDir, err := os.MkdirTemp("", "st-")
	if err != nil {
		return nil, fmt.Errorf("starting the browser: %w", err)
	}
	if len(tmpDir)+len("/org.chromium.Chromium.XXXXXX/SingletonSocket") < 104 {
		flags = append(flags, chromedp.Env("TMPDIR="+tmpDir))
	}
	b := &Browser{opts: opts}
	// A websocket (on a port of 127.0.0.1 only) instead of chromedp's
	// default pipe, because chromedp's pipe cannot be wrapped: the tap
	// must sit in the connection (see tap.go).
	flags = append(flags, chromedp.WithDialer(func(ctx context.Context, ws string) (chromedp.Transport, error) {
		dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		conn, err := remote.DialContext(dctx, ws)
		if err != nil {
			return nil, err
		}
		b.tap = newTap(conn, b.driverError)
		return b.tap, nil
	}))
	allocCtx, allocCancel := chromedp.NewExecAllocator(ctx, flags...)
	if err := b.connect(allocCtx, func() { allocCancel(); os.RemoveAll(tmpDir) }); err != nil {
		return nil, fmt.Errorf("starting the browser: %w", err)
	}
	return b, nil
}

// A flag is one command-line switch of the browser, --name=value.
type flag struct {
	name  string
	value any
}

// flags are the switches the options ask for, beyond the defaults: given
// to a browser we start, or to a pool that starts one per connection.
func (o BrowserOptions) flags() []flag {
	var out []flag
	if o.HostRules != "" {
		out = append(out, flag{"host-resolver-rules", o.HostRules})
	}
	if len(o.TrustSPKI) > 0 {
		out = append(out, flag{"ignore-certificate-errors-spki-list", strings.Join(o.TrustSPKI, ",")})
	}
	if o.InsecureCerts {
		out = append(out, flag{"ignore-certificate-errors", true})
	}
	for _, k := range slices.Sorted(maps.Keys(o.ExtraFlags)) {
		out = append(out, flag{k, o.ExtraFlags[k]})
	}
	return out
}

// attachBrowser connects to opts.RemoteURL. A pool that has no browser
// free (429, 503) is asked again, with growing pauses, for up to
// opts.BusyWait.
func attachBrowser(ctx context.Context, opts BrowserOptions) (*Browser, error) {
	ep, err := ParseEndpoint(opts.RemoteURL)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(opts.BusyWait)
	pause := 250 * time.Millisecond
	for {
		b, err := attachOnce(ctx, ep, opts)
		if err == nil || !errors.Is(err, ErrBusy) || time.Now().Add(pause).After(deadline) {
			if err != nil {
				return nil, fmt.Errorf("attaching to %s: %w", ep, err)
			}
			return b, nil
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("attaching to %s: %w", ep, err)
		case <-t.C:
		}
		pause = min(2*pause, 4*time.Second)
	}
}

func attachOnce(ctx context.Context, ep Endpoint, opts BrowserOptions) (*Browser, error) {
	t, err := ep.resolve(ctx, http.DefaultClient)
	if err != nil {
		return nil, err
	}
	if t.perConn {
		var args []string
		for _, f := range opts.flags() {
			if v, ok := f.value.(bool); ok && v {
				args = append(args, "--"+f.name)
			} else {
				args = append(args, fmt.Sprintf("--%s=%v", f.name, f.value))
			}
		}
		t.ws = withLaunchArgs(t.ws, args)
	}
	b := &Browser{opts: opts, perConn: t.perConn, endpoint: ep.String()}
	allocCtx, allocCancel := chromedp.NewAllocatorContext(ctx, &tapAllocator{ws: t.ws, b: b})
	if err := b.connect(allocCtx, allocCancel); err != nil {
		return nil, ep.dialError(err)
	}
	return b, nil
}

// connect opens the browser's first target on the allocator and reads its
// version; release frees the allocator once the browser is closed.
func (b *Browser) connect(allocCtx context.Context, release func()) error {
	bctx, bcancel := chromedp.NewContext(allocCtx, chromedp.WithErrorf(b.driverError))
	b.ctx = bctx
	b.cancel = func() {
		bcancel()
		release() // for a browser we started: waits for it to exit
	}
	if err := chromedp.Do(bctx); err != nil {
		b.cancel()
		return err
	}
	var v struct {
		Product         string `json:"product"`
		UserAgent       string `json:"userAgent"`
		ProtocolVersion string `json:"protocolVersion"`
	}
	var raw json.RawMessage
	if err := chromedp.FromContext(bctx).Browser.Call(bctx, "Browser.getVersion", nil, &raw); err == nil {
		_ = json.Unmarshal(raw, &v)
	}
	b.product, b.userAgent, b.protocol = v.Product, v.UserAgent, v.ProtocolVersion
	b.autoAttach(bctx)
	return nil
}

// autoAttach has the browser attach every new page and worker to the tap
// before it runs: a popup's first request is made before anything could
// attach to it afterwards. The tap resumes at once the targets no
// scenario records (chromedp's own tabs among them).
func (b *Browser) autoAttach(ctx context.Context) {
	if b.tap == nil {
		b.tapErr = errors.New("the connection has no tap")
		return
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	b.tapErr = b.tap.call(cctx, "", "Target.setAutoAttach", map[string]any{
		"autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true,
		"filter": []map[string]any{{"type": "page"}, {"type": "service_worker"}, {"type": "shared_worker"}},
	}, nil)
}

// A tapAllocator connects to a remote browser like chromedp's remote
// allocator, with the tap in the connection.
type tapAllocator struct {
	ws string
	b  *Browser
	wg sync.WaitGroup
}

func (a *tapAllocator) Allocate(ctx context.Context, opts ...chromedp.BrowserOption) (*chromedp.Browser, error) {
	// The connection has a context of its own, so that the tabs can be
	// closed before it is (as remote.Allocator does).
	wctx, cancel := context.WithCancel(context.Background())
	a.wg.Go(func() {
		<-ctx.Done()
		chromedp.Cancel(ctx)
		cancel()
	})
	dctx, dcancel := context.WithTimeout(wctx, 10*time.Second)
	defer dcancel()
	conn, err := remote.DialContext(dctx, a.ws)
	if err != nil {
		return nil, fmt.Errorf("could not dial %q: %w", a.ws, err)
	}
	a.b.tap = newTap(conn, a.b.driverError)
	return chromedp.NewBrowserTransport(wctx, a.b.tap, opts...)
}

func (a *tapAllocator) Wait()          { a.wg.Wait() }
func (a *tapAllocator) Attaches() bool { return true }

// driverError receives chromedp's error log. Events it could not decode
// are counted: the recorder decodes them itself, but the count shows the
// drift between the driver and the browser.
func (b *Browser) driverError(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	b.mu.Lock()
	defer b.mu.Unlock()
	if strings.Contains(msg, "could not unmarshal event") {
		b.dropped++
	}
	if len(b.driverErrors) < 20 {
		b.driverErrors = append(b.driverErrors, msg)
	}
}

func (b *Browser) driverStats() (int, []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.dropped, append([]string(nil), b.driverErrors...)
}

// Product is the browser's name and version, e.g. "Chrome/156.0.8078.79".
func (b *Browser) Product() string { return b.product }

// Close ends the browser (or detaches from a remote one) and waits for the
// process to exit.
func (b *Browser) Close() {
	b.cancel()
	if b.probes != nil {
		b.probes.CloseIdleConnections()
	}
}
