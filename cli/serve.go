package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
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
	h, err := web.NewHandler(dir, isLoopback(*addr))
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace serve:", err)
		return ExitUsage
	}
	defer h.Close()
	ln, err := net.Listen("tcp", net.JoinHostPort(*addr, strconv.Itoa(*port)))
	if err != nil {
		sayf(e, "serve", "%s", listenError(*addr, *port, err))
		return ExitUsage
	}
	if !isLoopback(*addr) {
		sayf(e, "serve", "warning: serving on %s: other machines that reach it can read the recordings of %s", *addr, dir)
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
	// Requests in flight get a moment to finish (a page being loaded);
	// then the connections are cut, so that Ctrl-C stops serve within a
	// second even while a large recording is being sent.
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if srv.Shutdown(sctx) != nil {
		_ = srv.Close()
	}
	return ExitOK
}

// shutdownGrace is how long serve waits for requests in flight when it
// is stopped.
const shutdownGrace = 300 * time.Millisecond

// listenError says why the port cannot be listened on and what to do:
// when it is in use, a port near it that is free now, or --port 0.
func listenError(addr string, port int, err error) string {
	if !errors.Is(err, syscall.EADDRINUSE) {
		return err.Error() + " (another port: --port N, or --port 0 for any free one)"
	}
	at := net.JoinHostPort(addr, strconv.Itoa(port))
	for p := port + 1; p < port+100 && p <= 65535; p++ {
		if ln, err := net.Listen("tcp", net.JoinHostPort(addr, strconv.Itoa(p))); err == nil {
			ln.Close()
			return fmt.Sprintf("%s is in use (another serve?): try --port %d, free now, or --port 0 for any free port", at, p)
		}
	}
	return fmt.Sprintf("%s is in use (another serve?): try --port 0 for any free port", at)
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
