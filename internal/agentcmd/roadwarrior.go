package agentcmd

import (
	"bufio"
	"context"
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
)

// The l2tp probe makes the node a road warrior: an L2TP (RFC 2661) client
// in user space (rosemu/service/l2tp, the router's own code the other
// way) dials the router with a user and password and, once PPP is up,
// carries the node's traffic through the session: the session's address
// on l2tpTUN and two /1 routes into it, the server's own address kept on
// the node's gateway, as a Windows or phone client with "use the remote
// gateway" does. The session runs in a detached process (labagent
// l2tp-session) that outlives the probe, so later probes from the node go
// through it; the next l2tp probe of the node hangs it up first.

const (
	l2tpTUN     = "l2tp0"
	l2tpRole    = "l2tp-session"
	l2tpPidFile = "/run/labagent/l2tp-session.pid"
)

type l2tpOptions struct {
	to             netip.AddrPort
	user, password string
	timeout        time.Duration
}

func (o *l2tpOptions) flags(fs *flag.FlagSet) (to *string) {
	to = fs.String("to", "", "the L2TP server's `address:port` (the router's WAN address, 1701)")
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

// cmdL2TP hangs up the node's earlier session, dials anew in a detached
// l2tp-session process and reports how the dial ended: ok with the
// session's address (Local), refused (the server refused the login or
// the call), timeout (no answer: a firewall that drops UDP 1701, a server
// that is off).
func cmdL2TP(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("l2tp", flag.ContinueOnError)
	var o l2tpOptions
	to := o.flags(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	if err := o.parse(fs, *to, stderr); err != nil {
		return probe.Result{}, err
	}
	res := probe.Result{Probe: probe.KindL2TP}
	start := time.Now()
	defer func() { res.TotalMS = float64(time.Since(start).Microseconds()) / 1000 }()
	stopL2TPSession()
	line, err := startL2TPSession(ctx, o)
	if err != nil {
		res.Result, res.Error = probe.Error, err.Error()
		return res, nil
	}
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
	return res, nil
}

// startL2TPSession starts the detached dialer and reads its one line of
// outcome from a pipe.
func startL2TPSession(ctx context.Context, o l2tpOptions) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find labagent's own binary: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(l2tpPidFile), 0o755); err != nil {
		return "", err
	}
	logf := strings.TrimSuffix(l2tpPidFile, ".pid") + ".log"
	// The password goes by the environment, not the command line, which
	// every process of the node may read.
	pid, r, err := startDetached(exe, logf, []string{"LABAGENT_L2TP_PASSWORD=" + o.password},
		l2tpRole, "--to", o.to.String(), "--user", o.user, "--timeout", o.timeout.String())
	if err != nil {
		return "", fmt.Errorf("start the L2TP dialer: %w", err)
	}
	defer r.Close()
	if err := os.WriteFile(l2tpPidFile, []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
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
		stopL2TPSession()
		return "timeout the dialer said nothing", nil
	case <-ctx.Done():
		stopL2TPSession()
		return "", ctx.Err()
	}
}

// stopL2TPSession hangs up the node's session, if any: the dialer sends
// its LCP Terminate, CDN and StopCCN and takes its routes away.
func stopL2TPSession() {
	b, err := os.ReadFile(l2tpPidFile)
	if err != nil {
		return
	}
	_ = os.Remove(l2tpPidFile)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || !isRole(pid, l2tpRole) {
		return
	}
	_ = syscall.Kill(pid, syscall.SIGTERM)
	for deadline := time.Now().Add(5 * time.Second); isRole(pid, l2tpRole) && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if isRole(pid, l2tpRole) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// runL2TPSession is the detached dialer: it writes its outcome to fd 3
// and, once up, carries the session until SIGTERM or the session's end.
func runL2TPSession(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet(l2tpRole, flag.ContinueOnError)
	var o l2tpOptions
	to := o.flags(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return 2
	}
	if err := o.parse(fs, *to, stderr); err != nil {
		return 2
	}
	o.password = os.Getenv("LABAGENT_L2TP_PASSWORD")
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
	if err := l2tpSession(ctx, o, say); err != nil {
		log.Printf("l2tp session to %s: %v", o.to, err)
		switch {
		case errors.Is(err, ppp.ErrAuth), errors.Is(err, ppp.ErrNoCommonAuth), errors.Is(err, l2tp.ErrCallDown), errors.Is(err, l2tp.ErrStopped):
			say("refused %v", err)
		case errors.Is(err, l2tp.ErrNoAnswer), errors.Is(err, context.DeadlineExceeded):
			say("timeout %v", err)
		default:
			say("error %v", err)
		}
		return 1
	}
	return 0
}

// l2tpSession dials, routes the node through the session and pumps its
// packets until ctx ends or the session does.
func l2tpSession(ctx context.Context, o l2tpOptions, say func(string, ...any)) error {
	// The server's own address stays on the route it has now, so the
	// tunnel's datagrams do not loop into the tunnel.
	var gw net.IP
	if rs, err := netlink.RouteGet(o.to.Addr().AsSlice()); err == nil && len(rs) > 0 {
		gw = rs[0].Gw
	}
	dctx, cancel := context.WithTimeout(ctx, o.timeout)
	s, err := l2tp.Dial(dctx, o.to, l2tp.ClientConfig{HostName: hostName(), PPP: ppp.Config{User: o.user, Password: o.password, Keepalive: 10 * time.Second},
		Log: func(f string, a ...any) { log.Printf(f, a...) }})
	cancel()
	if err != nil {
		return err
	}
	defer s.Close()
	c := s.PPP
	tun, err := ppp.OpenTUN(l2tpTUN)
	if err != nil {
		return err
	}
	defer tun.Close()
	err = withNetlink("route through the L2TP session", func(h *netlink.Handle) error {
		if err := configureTUN(h, l2tpTUN, c.Local, c.Peer, c.MTU); err != nil {
			return err
		}
		tl, err := h.LinkByName(l2tpTUN)
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
				return fmt.Errorf("route %s into %s: %w", p, l2tpTUN, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	log.Printf("l2tp session to %s up as user %s: %s, peer %s, MTU %d", o.to, o.user, c.Local, c.Peer, c.MTU)
	say("up %s", c.Local)
	go func() {
		<-ctx.Done()
		s.Close()
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
