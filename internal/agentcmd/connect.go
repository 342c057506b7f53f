package agentcmd

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"syscall"
	"time"

	"github.com/chrlab/chrlab/harness/probe"
	"golang.org/x/sys/unix"
)

// udpAttempts is how many datagrams a UDP probe sends within its timeout: a lost datagram is
// normal on a busy lab link and must not read as a drop by the firewall.
const udpAttempts = 3

// connectOptions are the inputs of the tcp and udp probes.
type connectOptions struct {
	to         string
	timeout    time.Duration
	expectName string
	srcPort    int
}

func cmdConnect(ctx context.Context, kind probe.Kind, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet(string(kind), flag.ContinueOnError)
	var o connectOptions
	fs.StringVar(&o.to, "to", "", "whoami server `host:port`")
	fs.DurationVar(&o.timeout, "timeout", 2*time.Second, "bound on the whole probe")
	fs.StringVar(&o.expectName, "expect-name", "", "answer wrong-answer unless the server has this `name`")
	fs.IntVar(&o.srcPort, "src-port", 0, "send from this source `port` (0: any)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	if _, _, err := net.SplitHostPort(o.to); err != nil {
		return probe.Result{}, usageErrorf(stderr, fs, "--to %q is not host:port: %v", o.to, err)
	}
	if o.timeout <= 0 {
		return probe.Result{}, usageErrorf(stderr, fs, "--timeout must be positive")
	}
	if o.srcPort < 0 || o.srcPort > 65535 {
		return probe.Result{}, usageErrorf(stderr, fs, "--src-port %d is not within 0..65535", o.srcPort)
	}
	if kind == probe.KindUDP {
		return probeUDP(ctx, o), nil
	}
	return probeTCP(ctx, o), nil
}

// probeTCP connects to a whoami server and reads its line. The timeout covers connect and read.
func probeTCP(ctx context.Context, o connectOptions) probe.Result {
	res := probe.Result{Probe: probe.KindTCP}
	start := time.Now()
	deadline := start.Add(o.timeout)
	c, err := fixedPortDialer("tcp", o.srcPort, deadline).DialContext(ctx, "tcp", o.to)
	if err != nil {
		res.TotalMS = ms(time.Since(start))
		return failed(res, fmt.Errorf("connect to %s: %w", o.to, err))
	}
	defer c.Close()
	res.ConnectMS = ms(time.Since(start))
	res.Local = c.LocalAddr().String()
	_ = c.SetReadDeadline(deadline)
	line, err := readLine(bufio.NewReader(c))
	res.TotalMS = ms(time.Since(start))
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		if errors.Is(err, io.EOF) {
			res.Result = probe.WrongAnswer
			res.Error = fmt.Sprintf("read whoami line from %s: connection closed without an answer", o.to)
			return res
		}
		return failed(res, fmt.Errorf("read whoami line from %s: %w", o.to, err))
	}
	return answered(res, line, o.expectName)
}

// probeUDP sends up to udpAttempts datagrams to a whoami server from one connected socket (so
// that ICMP errors come back to it) and waits for the line.
func probeUDP(ctx context.Context, o connectOptions) probe.Result {
	res := probe.Result{Probe: probe.KindUDP}
	start := time.Now()
	deadline := start.Add(o.timeout)
	d := fixedPortDialer("udp", o.srcPort, deadline)
	d.Control = withRecvErr(d.Control)
	c, err := d.DialContext(ctx, "udp", o.to)
	if err != nil {
		res.TotalMS = ms(time.Since(start))
		return failed(res, fmt.Errorf("open udp socket to %s: %w", o.to, err))
	}
	defer c.Close()
	res.Local = c.LocalAddr().String()
	per := o.timeout / udpAttempts
	buf := make([]byte, 2048)
	var lastErr error
	for attempt := 1; attempt <= udpAttempts; attempt++ {
		sent := time.Now()
		attemptDeadline := sent.Add(per)
		if attempt == udpAttempts || attemptDeadline.After(deadline) {
			attemptDeadline = deadline
		}
		if _, err := c.Write([]byte("whoami?\n")); err != nil {
			lastErr = fmt.Errorf("send datagram %d to %s: %w", attempt, o.to, err)
			if outcome(err) != probe.Timeout {
				break
			}
			continue
		}
		_ = c.SetReadDeadline(attemptDeadline)
		n, err := c.Read(buf)
		if err != nil {
			lastErr = fmt.Errorf("read answer to datagram %d from %s: %w", attempt, o.to, err)
			// Only silence is worth another datagram; an ICMP error is the answer.
			if outcome(err) != probe.Timeout {
				break
			}
			continue
		}
		res.ConnectMS = ms(time.Since(sent))
		res.TotalMS = ms(time.Since(start))
		return answered(res, string(buf[:n]), o.expectName)
	}
	res.TotalMS = ms(time.Since(start))
	return failed(res, lastErr)
}

// withRecvErr adds IP_RECVERR (IPV6_RECVERR on an IPv6 socket) to a UDP
// socket's control. Without it Linux reports on a UDP socket only the ICMP
// errors it counts as hard (port and protocol unreachable, administratively
// prohibited); network and host unreachable (codes 0 and 1, RouterOS's
// default reject-with=icmp-network-unreachable among them) and ICMPv6 no
// route (an IPv6 rule's default icmp-no-route) were silence, and the probe
// read them as a timeout (forum27 D5). With it every ICMP error sets the
// socket's error, so the read returns ENETUNREACH or EHOSTUNREACH (ip(7):
// IP_RECVERR; ipv6(7)).
func withRecvErr(next func(network, address string, rc syscall.RawConn) error) func(string, string, syscall.RawConn) error {
	return func(network, address string, rc syscall.RawConn) error {
		if next != nil {
			if err := next(network, address, rc); err != nil {
				return err
			}
		}
		level, opt := unix.SOL_IP, unix.IP_RECVERR
		if network == "udp6" {
			level, opt = unix.SOL_IPV6, unix.IPV6_RECVERR
		}
		var serr error
		if err := rc.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), level, opt, 1)
		}); err != nil {
			return err
		}
		if serr != nil {
			return fmt.Errorf("set %s error reporting on the udp socket: %w", network, serr)
		}
		return nil
	}
}

// answered fills res from a whoami line.
func answered(res probe.Result, line, expectName string) probe.Result {
	a, err := parseWhoami(line)
	if err != nil {
		res.Result = probe.WrongAnswer
		res.Error = err.Error()
		return res
	}
	res.ServerName = a.name
	res.ServerSaw = a.saw.Addr().String()
	res.ServerSawPort = int(a.saw.Port())
	res.ServerAt = a.local.String()
	res.Result = probe.OK
	if expectName != "" && a.name != expectName {
		res.Result = probe.WrongAnswer
		res.Error = fmt.Sprintf("server answered as %q, want %q", a.name, expectName)
	}
	return res
}

// failed records err in res with the outcome it stands for.
func failed(res probe.Result, err error) probe.Result {
	res.Result = outcome(err)
	res.Error = err.Error()
	return res
}

// outcome maps a network error to the outcome it means on the wire. A TCP reset and an ICMP port
// unreachable both arrive as ECONNREFUSED; ICMP host, network and (IPv4) administratively
// prohibited unreachables arrive as EHOSTUNREACH or ENETUNREACH, as does a missing route; Linux
// gives ICMPv6's administratively prohibited (type 1 code 1, an IPv6 reject-with=
// icmp-admin-prohibited) as EACCES, and ICMP protocol unreachable (code 2, a reject-with=
// icmp-protocol-unreachable) as ENOPROTOOPT, which read as error before (forum59 D6).
func outcome(err error) probe.Outcome {
	var ne net.Error
	switch {
	case err == nil:
		return probe.OK
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET):
		// A reset is an active reject whether it answered the SYN or came once the connection was
		// up (a service that accepts and resets at once, as one whose address= leaves the client out).
		return probe.Refused
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EACCES),
		errors.Is(err, syscall.ENOPROTOOPT):
		return probe.Unreachable
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, syscall.ETIMEDOUT), errors.As(err, &ne) && ne.Timeout():
		return probe.Timeout
	default:
		return probe.Error
	}
}

// ms converts d to milliseconds, rounded to the microsecond.
func ms(d time.Duration) float64 {
	return math.Round(float64(d)/float64(time.Microsecond)) / 1000
}
