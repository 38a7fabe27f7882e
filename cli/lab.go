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
session failure (see docs/lab.md). Its hosts are .test names. Stops on Ctrl-C.

To run scenarios against it from another terminal, map the names to it, accept its
certificate, and give ${lab...} its ports (it prints this line with its own; without
PATH, run runs the built-in lab suite):

  sessiontrace run --host-map '*.test=127.0.0.1' --insecure-certs --lab-ports 8443,8080 [PATH...]

(run --lab starts a lab of its own for the run instead.) A browser by hand needs
--host-resolver-rules="MAP *.test 127.0.0.1" and the printed key in
--ignore-certificate-errors-spki-list.`

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
	fmt.Fprintf(e.stdout, "\nrun scenarios against it from another terminal:\n  %s\n", labRunCommand(l))
	fmt.Fprintln(e.stdout, "\nCtrl-C to stop.")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return ExitOK
}

// labRunCommand is the run command line for scenarios against the lab l,
// started by hand: its names mapped to its address, its certificate
// accepted, ${lab...} pointed at its ports.
func labRunCommand(l *lab.Lab) string {
	return fmt.Sprintf("sessiontrace run --host-map '*.test=%s' --insecure-certs --lab-ports %d,%d [PATH...]", l.Addr(), l.HTTPSPort(), l.HTTPPort())
}
