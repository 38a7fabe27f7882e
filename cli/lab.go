package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/sessiontrace/sessiontrace/lab"
)

const labShort = `Starts the lab: a demo site over https and http on 127.0.0.1 with one host per
session failure (see docs/lab.md). The hosts are .test names: point a browser at
them with --host-resolver-rules="MAP *.test 127.0.0.1" and trust the printed key
with --ignore-certificate-errors-spki-list. Stops on Ctrl-C.`

func labCmd(e *env, args []string) int {
	fs := newFlags(e, "lab", "[flags]", labShort)
	addr := fs.String("addr", lab.DefaultAddr, "address to bind (the lab is a test fixture: keep it on loopback)")
	httpsPort := fs.Int("https-port", 8443, "HTTPS port (0: any free port)")
	httpPort := fs.Int("http-port", 8080, "HTTP port (0: any free port)")
	idle, maxAge, latency := new(time.Duration), new(time.Duration), new(time.Duration)
	durationVar(fs, idle, "idle-timeout", lab.DefaultIdleTimeout, "idle.test's server idle timeout")
	durationVar(fs, maxAge, "cookie-max-age", lab.DefaultCookieMaxAge, "expiry.test's session cookie Max-Age")
	durationVar(fs, latency, "latency", 0, "latency added to every response")
	verbose := fs.BoolP("verbose", "v", false, "log every request")
	if code, stop := parseFlags(fs, e, args); stop {
		return code
	}
	cfg := lab.Config{Addr: *addr, HTTPSPort: *httpsPort, HTTPPort: *httpPort, IdleTimeout: *idle, CookieMaxAge: *maxAge, Latency: *latency}
	if *verbose {
		cfg.Logf = func(format string, args ...any) { fmt.Fprintf(e.stderr, format+"\n", args...) }
	}
	l, err := lab.Start(cfg)
	if err != nil {
		fmt.Fprintln(e.stderr, "sessiontrace lab:", err)
		return ExitFailed
	}
	defer l.Close()
	if *addr != lab.DefaultAddr {
		sayf(e, "lab", "warning: the lab listens on %s, not only on this machine's loopback", *addr)
	}
	fmt.Fprintf(e.stdout, "lab: %s (https), %s (http)\n", l.URL(""), l.HTTPURL(""))
	fmt.Fprintf(e.stdout, "certificate key (for --ignore-certificate-errors-spki-list): %s\n\n", l.SPKIHash())
	for _, h := range l.Hosts() {
		fmt.Fprintf(e.stdout, "  %-18s %s\n", h.Name, h.Behaviour)
	}
	fmt.Fprintln(e.stdout, "\nCtrl-C to stop.")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return ExitOK
}
