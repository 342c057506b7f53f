package agentcmd

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/netip"
	"os"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"

	"github.com/chrlab/chrlab/harness/probe"
)

// maxPings bounds the ping probe: it shows reachability and round trips, it is not a flood.
const maxPings = 1000

type pingOptions struct {
	to       netip.Addr
	count    int
	interval time.Duration
	timeout  time.Duration // wait for the last reply
}

func cmdPing(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("ping", flag.ContinueOnError)
	var o pingOptions
	var to string
	fs.StringVar(&to, "to", "", "IPv4 or IPv6 `address` to ping")
	fs.IntVar(&o.count, "count", 5, "echo requests to send")
	fs.DurationVar(&o.interval, "interval", 100*time.Millisecond, "time between requests")
	fs.DurationVar(&o.timeout, "timeout", time.Second, "how long to wait for a reply after the last request")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	a, err := netip.ParseAddr(to)
	if err != nil || a.Zone() != "" {
		return probe.Result{}, usageErrorf(stderr, fs, "--to %q is not an IP address", to)
	}
	o.to = a
	if o.count < 1 || o.count > maxPings {
		return probe.Result{}, usageErrorf(stderr, fs, "--count %d is not within 1..%d", o.count, maxPings)
	}
	if o.interval <= 0 || o.timeout <= 0 {
		return probe.Result{}, usageErrorf(stderr, fs, "--interval and --timeout must be positive")
	}
	return probePing(ctx, o), nil
}

// probePing sends count echo requests from a raw ICMP socket and matches replies by identifier
// and sequence. Any reply makes the result ok: the loss share and round trips are the data.
func probePing(ctx context.Context, o pingOptions) probe.Result {
	res := probe.Result{Probe: probe.KindPing}
	// ICMP or ICMPv6 by the target's family: the same echo, other
	// numbers.
	network, listen, proto := "ip4:icmp", "0.0.0.0", 1
	var echo, reply icmp.Type = ipv4.ICMPTypeEcho, ipv4.ICMPTypeEchoReply
	if o.to.Is6() && !o.to.Is4In6() {
		network, listen, proto = "ip6:ipv6-icmp", "::", 58
		echo, reply = ipv6.ICMPTypeEchoRequest, ipv6.ICMPTypeEchoReply
	}
	c, err := icmp.ListenPacket(network, listen)
	if err != nil {
		return failed(res, fmt.Errorf("open an ICMP socket to ping %s: %w", o.to, err))
	}
	defer c.Close()
	id := os.Getpid() & 0xffff
	dst := &net.IPAddr{IP: o.to.AsSlice()}
	sent := make(map[int]time.Time, o.count)
	var rtts []time.Duration
	var unreachable error
	var mu sync.Mutex // sent, rtts and unreachable are shared with the reader
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 1500)
		for {
			n, peer, err := c.ReadFrom(buf)
			if err != nil {
				return // the deadline or the close ends the reader
			}
			at := time.Now()
			m, err := icmp.ParseMessage(proto, buf[:n])
			if err != nil {
				continue
			}
			switch body := m.Body.(type) {
			case *icmp.Echo:
				if m.Type != reply || body.ID != id || peer.String() != o.to.String() {
					continue
				}
				mu.Lock()
				if t, ok := sent[body.Seq]; ok {
					rtts = append(rtts, at.Sub(t))
					delete(sent, body.Seq)
				}
				mu.Unlock()
			case *icmp.DstUnreach:
				mu.Lock()
				// Any code (network, host, administratively prohibited) is an unreachable
				// that came back, as connect reports it (outcome).
				unreachable = fmt.Errorf("ping %s: ICMP destination unreachable (code %d) from %s: %w", o.to, m.Code, peer, syscall.EHOSTUNREACH)
				mu.Unlock()
			}
		}
	}()
	start := time.Now()
	for seq := 0; seq < o.count; seq++ {
		if seq > 0 {
			select {
			case <-ctx.Done():
				seq = o.count
				continue
			case <-time.After(time.Until(start.Add(time.Duration(seq) * o.interval))):
			}
		}
		msg := icmp.Message{Type: echo, Body: &icmp.Echo{ID: id, Seq: seq, Data: []byte("chrlab ping")}}
		b, _ := msg.Marshal(nil)
		mu.Lock()
		sent[seq] = time.Now()
		mu.Unlock()
		if _, err := c.WriteTo(b, dst); err != nil {
			mu.Lock()
			if unreachable == nil {
				unreachable = fmt.Errorf("send echo %d to %s: %w", seq, o.to, err)
			}
			mu.Unlock()
		}
		res.Sent++
	}
	// Wait for the last replies, but no longer than needed.
	_ = c.SetReadDeadline(time.Now().Add(o.timeout))
	for wait := time.Now().Add(o.timeout); time.Now().Before(wait); time.Sleep(5 * time.Millisecond) {
		mu.Lock()
		all := len(sent) == 0
		mu.Unlock()
		if all {
			_ = c.SetReadDeadline(time.Now())
			break
		}
	}
	<-done
	res.Received = len(rtts)
	res.Loss = math.Round(float64(res.Sent-res.Received)/float64(res.Sent)*1000) / 1000
	if res.Received == 0 {
		if unreachable != nil {
			return failed(res, unreachable)
		}
		res.Result = probe.Timeout
		res.Error = fmt.Sprintf("no echo reply from %s to %d requests", o.to, res.Sent)
		return res
	}
	var sum time.Duration
	minRTT, maxRTT := rtts[0], rtts[0]
	for _, r := range rtts {
		sum += r
		minRTT, maxRTT = min(minRTT, r), max(maxRTT, r)
	}
	res.RTTMinMS, res.RTTMaxMS = ms(minRTT), ms(maxRTT)
	res.RTTAvgMS = ms(sum / time.Duration(len(rtts)))
	res.Result = probe.OK
	return res
}
