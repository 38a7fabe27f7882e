package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sessiontrace/sessiontrace/web"
)

const serveShort = `Serves the inspector (a page that opens the run and analyses it in the browser)
and the run folder DIR (default sessiontrace-report) on 127.0.0.1, and prints the
address. The page shows DIR's run; DIR's files are under /run/. Only files inside
DIR are served. Stops on Ctrl-C.`

// DefaultServePort is serve's port unless --port says otherwise.
const DefaultServePort = 8300

// serveContext is what stops serve: Ctrl-C and SIGTERM (tests replace it).
var serveContext = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func serveCmd(e *env, args []string) int {
	fs := newFlags(e, "serve", "[flags] [DIR]", serveShort)
	port := fs.IntP("port", "p", DefaultServePort, "port to listen on (0: any free port)")
	addr := fs.String("addr", "127.0.0.1", "address to bind; anything but a loopback address lets other machines read the run")
	open := fs.Bool("open", false, "open the inspector in a browser (xdg-open, open)")
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(e.stderr, "sessiontrace serve: give one DIR (a run folder)")
		return ExitUsage
	}
	dir := "sessiontrace-report"
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		if err == nil {
			err = errors.New("not a folder")
		} else {
			err = errors.Unwrap(err)
		}
		fmt.Fprintf(e.stderr, "sessiontrace serve: %s: %v (give the run folder that `sessiontrace run -o DIR` wrote)\n", dir, err)
		return ExitUsage
	}
	if *port < 0 || *port > 65535 {
		fmt.Fprintf(e.stderr, "sessiontrace serve: --port %d: use 0 to 65535\n", *port)
		return ExitUsage
	}
	h, err := newServeHandler(dir, isLoopback(*addr))
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace serve:", err)
		return ExitUsage
	}
	defer h.Close()
	ln, err := net.Listen("tcp", net.JoinHostPort(*addr, strconv.Itoa(*port)))
	if err != nil {
		fmt.Fprintf(e.stderr, "sessiontrace serve: %v (another port: --port N, or --port 0 for any free one)\n", err)
		return ExitFailed
	}
	if !isLoopback(*addr) {
		fmt.Fprintf(e.stderr, "warning: serving on %s: other machines that reach it can read the recordings of %s\n", *addr, dir)
	}
	url := serveURL(ln.Addr().(*net.TCPAddr), *addr)
	fmt.Fprintf(e.stdout, "inspector: %s\n", url)
	fmt.Fprintf(e.stdout, "serving %s (under %srun/); nothing is uploaded anywhere. Ctrl-C to stop.\n", dir, url)
	if *open {
		if err := openBrowser(url); err != nil {
			fmt.Fprintf(e.stdout, "--open: %v; open %s yourself\n", err, url)
		}
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := serveContext()
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintln(e.stderr, "sessiontrace serve:", err)
		return ExitFailed
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	return ExitOK
}

func isLoopback(addr string) bool {
	if addr == "localhost" {
		return true
	}
	ip := net.ParseIP(addr)
	return ip != nil && ip.IsLoopback()
}

// serveURL is the address to print: a wildcard bind is reachable on
// loopback too.
func serveURL(a *net.TCPAddr, bind string) string {
	host := bind
	if a.IP.IsUnspecified() || bind == "" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(a.Port)) + "/"
}

// openBrowser starts the desktop's URL opener.
func openBrowser(url string) error {
	var name string
	var args []string
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name, args = "rundll32", []string{"url.dll,FileProtocolHandler"}
	default:
		name = "xdg-open"
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return fmt.Errorf("no %s here to open a browser with", name)
	}
	cmd := exec.Command(p, append(args, url)...)
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}

// The page's Content-Security-Policy: its own scripts and WebAssembly
// only, no inline script or style attribute, no fetch elsewhere, and no
// string-to-HTML sink at all (Trusted Types with no policy).
const inspectorCSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; " +
	"require-trusted-types-for 'script'; trusted-types 'none'"

// serveHandler serves the inspector at / and a run folder under /run/.
type serveHandler struct {
	root     *os.Root
	loopback bool
	assets   map[string]*asset
}

// An asset is an inspector file, with its gzip form made on first use.
type asset struct {
	name, ctype, etag string
	data              []byte
	once              sync.Once
	gz                []byte
}

func (a *asset) gzipped() []byte {
	a.once.Do(func() {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		w.Write(a.data)
		w.Close()
		a.gz = b.Bytes()
	})
	return a.gz
}

func newServeHandler(dir string, loopback bool) (*serveHandler, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	h := &serveHandler{root: root, loopback: loopback, assets: map[string]*asset{}}
	for _, name := range web.Files {
		data, err := fs.ReadFile(web.FS(), name)
		if err != nil {
			root.Close()
			return nil, fmt.Errorf("the inspector is missing %s: %w", name, err)
		}
		sum := sha256.Sum256(data)
		h.assets[name] = &asset{name: name, ctype: contentType(name), etag: `"` + hex.EncodeToString(sum[:8]) + `"`, data: data}
	}
	return h, nil
}

func (h *serveHandler) Close() error { return h.root.Close() }

func contentType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".json", ".har", ".sarif":
		return "application/json"
	case ".wasm":
		return "application/wasm"
	case ".xml":
		return "application/xml"
	case ".txt", ".md", ".log", ".yaml", ".yml":
		return "text/plain; charset=utf-8"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".svg":
		return "image/svg+xml"
	}
	return "application/octet-stream"
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.HasPrefix(ctype, "application/json") ||
		ctype == "application/wasm" || ctype == "application/xml" || ctype == "image/svg+xml"
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// cleanRunPath turns the part of a URL path after /run/ into a name inside
// the run folder, or reports why it is refused: no "..", no empty or
// hidden segments, no backslashes or NULs, nothing absolute.
func cleanRunPath(p string) (string, bool) {
	if p == "" {
		return ".", true
	}
	if strings.ContainsAny(p, "\\\x00") || strings.HasPrefix(p, "/") {
		return "", false
	}
	p = strings.TrimSuffix(p, "/")
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." || strings.HasPrefix(seg, ".") || strings.Contains(seg, ":") {
			return "", false
		}
	}
	return p, true
}

func (h *serveHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", inspectorCSP)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cross-Origin-Opener-Policy", "same-origin")
	hd.Set("Cross-Origin-Resource-Policy", "same-origin")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hd.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// On loopback, refuse other host names: a web page cannot then reach
	// the run through DNS rebinding.
	if h.loopback && !loopbackHost(r.Host) {
		http.Error(w, "this server answers only to 127.0.0.1, localhost and [::1]", http.StatusMisdirectedRequest)
		return
	}
	p := r.URL.Path
	switch {
	case p == "/":
		h.serveAsset(w, r, h.assets["index.html"])
	case p == "/run":
		http.Redirect(w, r, "/run/", http.StatusMovedPermanently)
	case strings.HasPrefix(p, "/run/"):
		name, ok := cleanRunPath(strings.TrimPrefix(p, "/run/"))
		if !ok {
			http.Error(w, "refused: the path leaves the run folder or names a hidden file", http.StatusBadRequest)
			return
		}
		h.serveRun(w, r, name)
	default:
		a := h.assets[strings.TrimPrefix(p, "/")]
		if a == nil || strings.Contains(p[1:], "/") {
			http.NotFound(w, r)
			return
		}
		h.serveAsset(w, r, a)
	}
}

func loopbackHost(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (h *serveHandler) serveAsset(w http.ResponseWriter, r *http.Request, a *asset) {
	hd := w.Header()
	hd.Set("Content-Type", a.ctype)
	hd.Set("Cache-Control", "no-cache")
	hd.Set("Vary", "Accept-Encoding")
	hd.Set("ETag", a.etag)
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	data := a.data
	if acceptsGzip(r) {
		data = a.gzipped()
		hd.Set("Content-Encoding", "gzip")
	}
	hd.Set("Content-Length", strconv.Itoa(len(data)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(data)
}

// serveRun serves a file of the run folder. The os.Root refuses anything
// outside the folder, symbolic links that leave it included.
func (h *serveHandler) serveRun(w http.ResponseWriter, r *http.Request, name string) {
	f, err := h.root.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			http.NotFound(w, r)
			return
		}
		http.Error(w, "refused: "+strings.ReplaceAll(err.Error(), h.root.Name(), "DIR"), http.StatusForbidden)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.Error(w, "cannot read", http.StatusInternalServerError)
		return
	}
	if st.IsDir() {
		h.serveDir(w, r, name)
		return
	}
	if !st.Mode().IsRegular() {
		http.Error(w, "refused: not a regular file", http.StatusForbidden)
		return
	}
	hd := w.Header()
	ctype := contentType(name)
	hd.Set("Content-Type", ctype)
	hd.Set("Cache-Control", "no-cache")
	if compressible(ctype) {
		hd.Set("Vary", "Accept-Encoding")
	}
	if compressible(ctype) && acceptsGzip(r) && r.Header.Get("Range") == "" && st.Size() > 512 {
		hd.Set("Content-Encoding", "gzip")
		hd.Set("Last-Modified", st.ModTime().UTC().Format(http.TimeFormat))
		if r.Method == http.MethodHead {
			return
		}
		gz, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
		io.Copy(gz, f)
		gz.Close()
		return
	}
	http.ServeContent(w, r, path.Base(name), st.ModTime(), f)
}

// serveDir serves a folder's index.html, or refuses: listings are not
// needed by the page.
func (h *serveHandler) serveDir(w http.ResponseWriter, r *http.Request, name string) {
	if !strings.HasSuffix(r.URL.Path, "/") {
		http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
		return
	}
	idx := path.Join(name, "index.html")
	if _, err := h.root.Stat(idx); err != nil {
		http.NotFound(w, r)
		return
	}
	h.serveRun(w, r, idx)
}
