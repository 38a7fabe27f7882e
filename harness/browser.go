package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/remote"
)

// BrowserOptions says which browser to drive and how.
type BrowserOptions struct {
	// ExecPath is the Chromium binary; empty means $CHROME_PATH, then the
	// usual install names on PATH.
	ExecPath string
	// RemoteURL attaches to a running browser's DevTools endpoint
	// (ws://... or http://host:port) instead of starting one.
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
	b := &Browser{opts: opts}
	var allocCtx context.Context
	var allocCancel context.CancelFunc
	tmpDir := ""
	if opts.RemoteURL != "" {
		allocCtx, allocCancel = remote.NewAllocator(ctx, opts.RemoteURL)
	} else {
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
			chromedp.WindowSize(1280, 800),
		)
		if opts.HostRules != "" {
			flags = append(flags, chromedp.Flag("host-resolver-rules", opts.HostRules))
		}
		if len(opts.TrustSPKI) > 0 {
			flags = append(flags, chromedp.Flag("ignore-certificate-errors-spki-list", strings.Join(opts.TrustSPKI, ",")))
		}
		if opts.InsecureCerts {
			flags = append(flags, chromedp.Flag("ignore-certificate-errors", true))
		}
		for k, v := range opts.ExtraFlags {
			flags = append(flags, chromedp.Flag(k, v))
		}
		// Chromium keeps its singleton socket (and, with
		// disable-dev-shm-usage, its shared memory files) in a directory
		// under $TMPDIR that only a clean exit removes; chromedp ends the
		// browser with a signal, which left one directory in /tmp per run.
		// The browser's TMPDIR is ours, removed once it has exited.
		// The name is short: the socket's path must fit in 108 bytes, and
		// where it would not, the browser keeps the usual TMPDIR.
		if tmpDir, err = os.MkdirTemp("", "st-"); err != nil {
			return nil, fmt.Errorf("starting the browser: %w", err)
		}
		if len(tmpDir)+len("/org.chromium.Chromium.XXXXXX/SingletonSocket") < 104 {
			flags = append(flags, chromedp.Env("TMPDIR="+tmpDir))
		}
		allocCtx, allocCancel = chromedp.NewExecAllocator(ctx, flags...)
	}
	bctx, bcancel := chromedp.NewContext(allocCtx, chromedp.WithErrorf(b.driverError))
	b.ctx = bctx
	b.cancel = func() {
		bcancel()
		allocCancel() // waits for the browser to exit
		if tmpDir != "" {
			os.RemoveAll(tmpDir)
		}
	}
	if err := chromedp.Do(bctx); err != nil {
		b.cancel()
		return nil, fmt.Errorf("starting the browser: %w", err)
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
	return b, nil
}

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
