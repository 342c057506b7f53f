package agentcmd

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"

	"github.com/miekg/dns"

	"github.com/chrlab/chrlab/harness/probe"
)

type resolveConnectOptions struct {
	dns     dnsOptions
	port    int
	timeout time.Duration
	// udp makes the exchange with the answer a UDP one (the whoami datagram the udp probe
	// sends), for services such as WireGuard or a game server that have no TCP port.
	udp bool
}

func cmdResolveConnect(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("resolve-then-connect", flag.ContinueOnError)
	var o resolveConnectOptions
	fs.StringVar(&o.dns.server, "server", "", "the resolver, `IP:port`")
	fs.StringVar(&o.dns.name, "name", "", "the `name` to resolve")
	fs.BoolVar(&o.dns.tcp, "tcp", false, "query over TCP")
	fs.IntVar(&o.port, "port", whoamiPort, "the whoami `port` to connect to at the answer")
	connect := fs.String("connect", "tcp", "how to reach the answer: `tcp` (connect) or udp (a datagram exchange)")
	fs.DurationVar(&o.timeout, "timeout", 2*time.Second, "bound on the query and on the connection, each")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	if _, _, err := net.SplitHostPort(o.dns.server); err != nil {
		return probe.Result{}, usageErrorf(stderr, fs, "--server %q is not IP:port: %v", o.dns.server, err)
	}
	if !validName(o.dns.name) {
		return probe.Result{}, usageErrorf(stderr, fs, "--name %q is not a valid name", o.dns.name)
	}
	if o.port <= 0 || o.port > 65535 || o.timeout <= 0 {
		return probe.Result{}, usageErrorf(stderr, fs, "--port must be within 1..65535 and --timeout positive")
	}
	switch *connect {
	case "tcp":
	case "udp":
		o.udp = true
	default:
		return probe.Result{}, usageErrorf(stderr, fs, "--connect %q: want tcp or udp", *connect)
	}
	o.dns.qtype, o.dns.timeout = dns.TypeA, o.timeout
	return probeResolveConnect(ctx, o), nil
}

// probeResolveConnect does what an application does with a name: ask the resolver, then connect
// over TCP to the first address of the answer and read who is there, or, with udp, exchange a
// datagram with it as the udp probe does (up to three within the timeout).
func probeResolveConnect(ctx context.Context, o resolveConnectOptions) probe.Result {
	start := time.Now()
	d := probeDNS(ctx, o.dns)
	res := probe.Result{Probe: probe.KindResolveConnect, Answers: d.Answers}
	if d.Result != probe.OK && d.Result != probe.NoData {
		res.Result, res.Error = d.Result, d.Error
		if res.Error == "" {
			res.Error = fmt.Sprintf("resolve %s through %s: %s", o.dns.name, o.dns.server, d.Rcode)
		}
		return res
	}
	if len(d.Answers) == 0 {
		res.Result = probe.NXDomain
		res.Error = fmt.Sprintf("resolve %s through %s: no A record in the answer", o.dns.name, o.dns.server)
		return res
	}
	to := net.JoinHostPort(d.Answers[0], strconv.Itoa(o.port))
	exchange := probeTCP
	if o.udp {
		exchange = probeUDP
	}
	t := exchange(ctx, connectOptions{to: to, timeout: o.timeout})
	res.Result, res.Error = t.Result, t.Error
	res.ServerName, res.ServerSaw, res.ConnectMS = t.ServerName, t.ServerSaw, t.ConnectMS
	// The step's time is the lookup and the connection together, as an application waits for
	// both (forum40 D9: the report showed the connect time alone).
	res.TotalMS = ms(time.Since(start))
	return res
}
