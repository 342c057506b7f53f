package agentcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/internal/sockopt"
)

// fixedPortDialer dials from srcPort (0: the kernel's choice). SO_REUSEADDR lets a probe reuse the
// port a moment after an earlier probe from it, as an application with a fixed port (SIP, a game)
// does.
func fixedPortDialer(network string, srcPort int, deadline time.Time) *net.Dialer {
	d := &net.Dialer{Deadline: deadline}
	if srcPort == 0 {
		return d
	}
	switch network {
	case "udp", "udp4":
		d.LocalAddr = &net.UDPAddr{Port: srcPort}
	default:
		d.LocalAddr = &net.TCPAddr{Port: srcPort}
	}
	d.Control = sockopt.ReuseAddr
	return d
}

type portOptions struct {
	to      string
	timeout time.Duration
	srcPort int
}

func cmdPort(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("port", flag.ContinueOnError)
	var o portOptions
	fs.StringVar(&o.to, "to", "", "`host:port` to test")
	fs.DurationVar(&o.timeout, "timeout", 2*time.Second, "how long silence may last before the port counts as filtered")
	fs.IntVar(&o.srcPort, "src-port", 0, "send from this source `port` (0: any)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	if _, _, err := net.SplitHostPort(o.to); err != nil {
		return probe.Result{}, usageErrorf(stderr, fs, "--to %q is not host:port: %v", o.to, err)
	}
	if o.timeout <= 0 || o.srcPort < 0 || o.srcPort > 65535 {
		return probe.Result{}, usageErrorf(stderr, fs, "--timeout must be positive and --src-port within 0..65535")
	}
	return probePort(ctx, o), nil
}

// portOutcome is the port state a failed handshake tells. A reset is closed whether it answered the
// SYN (nothing listens) or came right after the SYN-ACK, before connect returned
// (ECONNRESET, which outcome counts as refused).
func portOutcome(err error) probe.Outcome {
	switch outcome(err) {
	case probe.Refused:
		return probe.Closed
	case probe.Timeout:
		return probe.Filtered
	case probe.Unreachable:
		// An administratively prohibited ICMP arrives as EHOSTUNREACH: a firewall said no.
		if errors.Is(err, syscall.ENETUNREACH) {
			return probe.Unreachable
		}
		return probe.Filtered
	}
	return probe.Error
}

// probePort tells a port's state by the TCP handshake alone and sends no application data: a
// completed handshake is open, a reset is closed, silence or an ICMP prohibition is filtered
// (what a firewall's drop or reject-with icmp-admin-prohibited looks like from outside), and a
// network unreachable is unreachable (docs/scenarios.md lists all four).
func probePort(ctx context.Context, o portOptions) probe.Result {
	res := probe.Result{Probe: probe.KindPort}
	start := time.Now()
	c, err := fixedPortDialer("tcp", o.srcPort, start.Add(o.timeout)).DialContext(ctx, "tcp", o.to)
	res.ConnectMS = ms(time.Since(start))
	if err != nil {
		res.Result = portOutcome(err)
		res.Error = fmt.Sprintf("connect to %s: %v", o.to, err)
		return res
	}
	res.Local = c.LocalAddr().String()
	defer c.Close()
	// A service that accepts and then resets a client it does not allow
	// (RouterOS's /ip service address=, rosemu's ipsvc) completes the
	// handshake first; its reset usually comes after connect returned. So
	// the probe listens a moment for it: a reset is closed, as the
	// reset of a SYN is; data, a close or silence is open (the service
	// took the connection).
	_ = c.SetReadDeadline(time.Now().Add(resetWait))
	var b [1]byte
	if _, rerr := c.Read(b[:]); errors.Is(rerr, syscall.ECONNRESET) {
		res.Result = probe.Closed
		res.Error = fmt.Sprintf("connection to %s reset right after the handshake", o.to)
		return res
	}
	res.Result = probe.Open
	return res
}

// resetWait is how long the port probe waits after the handshake for a
// reset: a lab's services reset within a millisecond; a vm router under
// TCG takes longer, which the margin covers.
const resetWait = 150 * time.Millisecond
