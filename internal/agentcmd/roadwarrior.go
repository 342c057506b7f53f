package agentcmd

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/rosemu/service/l2tp"
	"github.com/chrlab/chrlab/rosemu/service/ppp"
	"github.com/chrlab/chrlab/rosemu/service/sstp"
)

// The l2tp and sstp probes make the node a road warrior: an L2TP (RFC
// 2661) or SSTP (MS-SSTP) client in user space (rosemu/service/l2tp and
// sstp, the router's own code the other way) dials the router with a
// user and password and, once PPP is up, carries the node's traffic
// through the session: the session's address on the protocol's TUN and
// two /1 routes into it, the server's own address kept on the node's
// gateway, as a Windows or phone client with "use the remote gateway"
// does. The session runs in a detached process (labagent l2tp-session,
// sstp-session) that outlives the probe, so later probes from the node go
// through it; the next l2tp or sstp probe of the node hangs it up first.

// roadWarrior is what one protocol's probe differs in.
type roadWarrior struct {
	kind    probe.Kind
	tun     string // the session's TUN
	role    string // the detached dialer's command
	pidFile string
	// dial opens the session; it returns its PPP and how to hang up.
	dial func(ctx context.Context, o l2tpOptions) (*ppp.Conn, func(), error)
	// refused and timedOut sort a failed dial's error.
	refused, timedOut func(error) bool
}

var (
	l2tpRW = roadWarrior{kind: probe.KindL2TP, tun: "l2tp0", role: "l2tp-session", pidFile: "/run/labagent/l2tp-session.pid",
		dial: func(ctx context.Context, o l2tpOptions) (*ppp.Conn, func(), error) {
			s, err := l2tp.Dial(ctx, o.to, l2tp.ClientConfig{HostName: hostName(), PPP: ppp.Config{User: o.user, Password: o.password, Keepalive: 10 * time.Second},
				Log: func(f string, a ...any) { log.Printf(f, a...) }})
			if err != nil {
				return nil, nil, err
			}
			return s.PPP, s.Close, nil
		},
		refused: func(err error) bool {
			return errors.Is(err, ppp.ErrAuth) || errors.Is(err, ppp.ErrNoCommonAuth) || errors.Is(err, l2tp.ErrCallDown) || errors.Is(err, l2tp.ErrStopped)
		},
		timedOut: func(err error) bool {
			return errors.Is(err, l2tp.ErrNoAnswer) || errors.Is(err, context.DeadlineExceeded)
		},
	}
	// The SSTP client does not verify the router's certificate, as a
	// road warrior that was told to trust it (or a lab's self-signed
	// one) does; the server still checks the crypto binding.
	sstpRW = roadWarrior{kind: probe.KindSSTP, tun: "sstp0", role: "sstp-session", pidFile: "/run/labagent/sstp-session.pid",
		dial: func(ctx context.Context, o l2tpOptions) (*ppp.Conn, func(), error) {
			s, err := sstp.Dial(ctx, o.to, sstp.ClientConfig{TLS: &tls.Config{InsecureSkipVerify: true},
				PPP: ppp.Config{User: o.user, Password: o.password, Keepalive: 10 * time.Second},
				Log: func(f string, a ...any) { log.Printf(f, a...) }})
			if err != nil {
				return nil, nil, err
			}
			return s.PPP, s.Close, nil
		},
		// Refused: a closed port (RST), a TLS handshake the server
		// fails (no usable certificate), an HTTP or call refusal, a
		// refused login.
		refused: func(err error) bool {
			var alert tls.AlertError
			var rec tls.RecordHeaderError
			return errors.Is(err, ppp.ErrAuth) || errors.Is(err, ppp.ErrNoCommonAuth) || errors.Is(err, sstp.ErrRefused) ||
				errors.Is(err, sstp.ErrAborted) || errors.Is(err, sstp.ErrDisconnected) || errors.Is(err, syscall.ECONNREFUSED) ||
				errors.Is(err, syscall.ECONNRESET) || errors.As(err, &alert) || errors.As(err, &rec) || strings.Contains(err.Error(), "remote error: tls")
		},
		// Timed out: no SSTP answer (ErrTimeout), or a dial or TLS read
		// that ran out of time, read as the tcp probe reads it
		// (outcome). Go's dialer races the context's deadline against
		// the socket's own: "dial tcp ...: i/o timeout" is
		// context.DeadlineExceeded one time and os.ErrDeadlineExceeded
		// the next, and the second read as error (a CI run's control
		// against a dropped port 443).
		timedOut: func(err error) bool {
			return errors.Is(err, sstp.ErrTimeout) || outcome(err) == probe.Timeout
		},
	}
)

// roadWarriors are every protocol's, for hanging up any session.
var roadWarriors = []roadWarrior{l2tpRW, sstpRW}

type l2tpOptions struct {
	to             netip.AddrPort
	user, password string
	timeout        time.Duration
}

func (o *l2tpOptions) flags(fs *flag.FlagSet) (to *string) {
	to = fs.String("to", "", "the server's `address:port` (the router's WAN address, 1701 for L2TP, 443 for SSTP)")
	fs.StringVar(&o.user, "user", "", "the PPP user")
	fs.StringVar(&o.password, "password", "", "the PPP password")
	fs.DurationVar(&o.timeout, "timeout", 15*time.Second, "how long the dial may take")
	return to
}

func (o *l2tpOptions) parse(fs *flag.FlagSet, to string, stderr io.Writer) error {
	ap, err := netip.ParseAddrPort(to)
	if err != nil || !ap.Addr().Is4() {
		return usageErrorf(stderr, fs, "--to %q is not an IPv4 address:port", to)
	}
	o.to = ap
	if o.user == "" {
		return usageErrorf(stderr, fs, "--user is required")
	}
	return nil
}

// cmdRoadWarrior hangs up the node's earlier session, dials anew in a
// detached process and reports how the dial ended: ok with the
// session's address (Local), refused (the server refused the login or
// the call; for SSTP also a closed port or a failed TLS handshake),
// timeout (no answer: a firewall that drops the packets, an L2TP server
// that is off).
func cmdRoadWarrior(ctx context.Context, rw roadWarrior, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet(string(rw.kind), flag.ContinueOnError)
	var o l2tpOptions
	to := o.flags(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	if err := o.parse(fs, *to, stderr); err != nil {
		return probe.Result{}, err
	}
	res := probe.Result{Probe: rw.kind}
	start := time.Now()
	defer func() { res.TotalMS = float64(time.Since(start).Microseconds()) / 1000 }()
	for _, w := range roadWarriors {
		w.stop()
	}
	stopOVPN()
	line, err := rw.start(ctx, o)
	if err != nil {
		res.Result, res.Error = probe.Error, err.Error()
		return res, nil
	}
	dialled(&res, line)
	return res, nil
}

// dialled fills res from a dialer's line of outcome: "up ADDRESS",
// "refused WHY", "timeout WHY", or anything else, an error.
func dialled(res *probe.Result, line string) {
	word, rest, _ := strings.Cut(line, " ")
	switch word {
	case "up":
		res.Result, res.Local = probe.OK, rest
	case "refused":
		res.Result, res.Error = probe.Refused, rest
	case "timeout":
		res.Result, res.Error = probe.Timeout, rest
	default:
		res.Result, res.Error = probe.Error, line
	}
}

// start starts the detached dialer and reads its one line of outcome
// from a pipe.
func (rw roadWarrior) start(ctx context.Context, o l2tpOptions) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find labagent's own binary: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(rw.pidFile), 0o755); err != nil {
		return "", err
	}
	logf := strings.TrimSuffix(rw.pidFile, ".pid") + ".log"
	// The password goes by the environment, not the command line, which
	// every process of the node may read.
	pid, r, err := startDetached(exe, logf, []string{"LABAGENT_PPP_PASSWORD=" + o.password},
		rw.role, "--to", o.to.String(), "--user", o.user, "--timeout", o.timeout.String())
	if err != nil {
		return "", fmt.Errorf("start the %s dialer: %w", rw.kind, err)
	}
	defer r.Close()
	if err := os.WriteFile(rw.pidFile, []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		return "", err
	}
	got := make(chan string, 1)
	go func() {
		l, err := bufio.NewReader(r).ReadString('\n')
		if l = strings.TrimSpace(l); l == "" {
			l = fmt.Sprintf("error the dialer exited (%v); see %s", err, logf)
		}
		got <- l
	}()
	select {
	case l := <-got:
		return l, nil
	case <-time.After(o.timeout + 5*time.Second):
		rw.stop()
		return "timeout the dialer said nothing", nil
	case <-ctx.Done():
		rw.stop()
		return "", ctx.Err()
	}
}

// stop hangs up the node's session, if any: the dialer sends its LCP
// Terminate and the protocol's end (L2TP CDN and StopCCN, SSTP Call
// Disconnect) and takes its routes away.
func (rw roadWarrior) stop() {
	b, err := os.ReadFile(rw.pidFile)
	if err != nil {
		return
	}
	_ = os.Remove(rw.pidFile)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || !isRole(pid, rw.role) {
		return
	}
	_ = syscall.Kill(pid, syscall.SIGTERM)
	for deadline := time.Now().Add(5 * time.Second); isRole(pid, rw.role) && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if isRole(pid, rw.role) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// runSession is the detached dialer: it writes its outcome to fd 3 and,
// once up, carries the session until SIGTERM or the session's end.
func (rw roadWarrior) runSession(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet(rw.role, flag.ContinueOnError)
	var o l2tpOptions
	to := o.flags(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return 2
	}
	if err := o.parse(fs, *to, stderr); err != nil {
		return 2
	}
	o.password = os.Getenv("LABAGENT_PPP_PASSWORD")
	report := os.NewFile(3, "report")
	say := func(format string, a ...any) {
		if report != nil {
			fmt.Fprintf(report, format+"\n", a...)
			report.Close()
			report = nil
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := rw.session(ctx, o, say); err != nil {
		log.Printf("%s session to %s: %v", rw.kind, o.to, err)
		say("%s %v", rw.sort(err), err)
		return 1
	}
	return 0
}

// sort names how a failed dial ended: refused, timeout or error.
func (rw roadWarrior) sort(err error) string {
	switch {
	case rw.refused(err):
		return "refused"
	case rw.timedOut(err):
		return "timeout"
	default:
		return "error"
	}
}

// session dials, routes the node through the session and pumps its
// packets until ctx ends or the session does.
func (rw roadWarrior) session(ctx context.Context, o l2tpOptions, say func(string, ...any)) error {
	// The server's own address stays on the route it has now, so the
	// tunnel's datagrams do not loop into the tunnel.
	var gw net.IP
	if rs, err := netlink.RouteGet(o.to.Addr().AsSlice()); err == nil && len(rs) > 0 {
		gw = rs[0].Gw
	}
	dctx, cancel := context.WithTimeout(ctx, o.timeout)
	c, hangup, err := rw.dial(dctx, o)
	cancel()
	if err != nil {
		return err
	}
	defer hangup()
	tun, err := ppp.OpenTUN(rw.tun)
	if err != nil {
		return err
	}
	defer tun.Close()
	err = withNetlink("route through the "+string(rw.kind)+" session", func(h *netlink.Handle) error {
		if err := configureTUN(h, rw.tun, c.Local, c.Peer, c.MTU); err != nil {
			return err
		}
		tl, err := h.LinkByName(rw.tun)
		if err != nil {
			return err
		}
		if gw != nil {
			ep := &net.IPNet{IP: o.to.Addr().AsSlice(), Mask: net.CIDRMask(32, 32)}
			if err := h.RouteReplace(&netlink.Route{Dst: ep, Gw: gw}); err != nil {
				return fmt.Errorf("keep the server %s on the gateway: %w", o.to.Addr(), err)
			}
		}
		for _, p := range []string{"0.0.0.0/1", "128.0.0.0/1"} {
			pf := netip.MustParsePrefix(p)
			dst := &net.IPNet{IP: pf.Addr().AsSlice(), Mask: net.CIDRMask(pf.Bits(), 32)}
			if err := h.RouteReplace(&netlink.Route{Dst: dst, LinkIndex: tl.Attrs().Index, Scope: netlink.SCOPE_LINK}); err != nil {
				return fmt.Errorf("route %s into %s: %w", p, rw.tun, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	log.Printf("%s session to %s up as user %s: %s, peer %s, MTU %d", rw.kind, o.to, o.user, c.Local, c.Peer, c.MTU)
	say("up %s", c.Local)
	go func() {
		<-ctx.Done()
		hangup()
	}()
	err = ppp.Pump(c, tun, nil)
	if ctx.Err() != nil {
		return nil // hung up by the next probe or the lab's end
	}
	return fmt.Errorf("session ended: %w", err)
}

func hostName() string {
	h, err := os.Hostname()
	if err != nil {
		return "labagent"
	}
	return h
}
