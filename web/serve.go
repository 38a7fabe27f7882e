package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
)

// The page's Content-Security-Policy: its own scripts and WebAssembly
// only, no inline script or style attribute, no fetch elsewhere, and no
// string-to-HTML sink at all (Trusted Types with no policy).
const inspectorCSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; " +
	"require-trusted-types-for 'script'; trusted-types 'none'"

// A Handler serves the inspector at / and a run folder under /run/, on
// loopback only to loopback host names (see NewHandler).
type Handler struct {
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

// NewHandler serves the inspector and the run folder dir. With loopback
// (the server listens on a loopback address), it answers only to the
// host names 127.0.0.1, localhost and [::1], so that a web page cannot
// reach the run through DNS rebinding. Close releases dir.
func NewHandler(dir string, loopback bool) (*Handler, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	h := &Handler{root: root, loopback: loopback, assets: map[string]*asset{}}
	for _, name := range Files {
		data, err := fs.ReadFile(FS(), name)
		if err != nil {
			root.Close()
			return nil, fmt.Errorf("the inspector is missing %s: %w", name, err)
		}
		if name == "index.html" {
			// The page looks for the run here, not beside itself first
			// (which would ask for /index.json: a 404 on every load).
			data = bytes.Replace(data, []byte(`<meta name="st-run" content="">`), []byte(`<meta name="st-run" content="run/">`), 1)
		}
		sum := sha256.Sum256(data)
		h.assets[name] = &asset{name: name, ctype: contentType(name), etag: `"` + hex.EncodeToString(sum[:8]) + `"`, data: data}
	}
	return h, nil
}

// Close releases the run folder.
func (h *Handler) Close() error { return h.root.Close() }

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

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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

func (h *Handler) serveAsset(w http.ResponseWriter, r *http.Request, a *asset) {
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
func (h *Handler) serveRun(w http.ResponseWriter, r *http.Request, name string) {
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
func (h *Handler) serveDir(w http.ResponseWriter, r *http.Request, name string) {
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
