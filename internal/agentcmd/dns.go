package agentcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/chrlab/chrlab/harness/probe"
)

// dnsOptions are the inputs of the dns probe.
type dnsOptions struct {
	server  string // host:port
	name    string
	qtype   uint16
	tcp     bool
	timeout time.Duration
}

func cmdDNS(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("dns", flag.ContinueOnError)
	var o dnsOptions
	var server, qtype string
	fs.StringVar(&server, "server", "", "DNS server `IP` or IP:port (port 53 by default)")
	fs.StringVar(&o.name, "name", "", "the `name` to look up")
	fs.StringVar(&qtype, "type", "A", "record `type`: A, AAAA or CNAME")
	fs.BoolVar(&o.tcp, "tcp", false, "query over TCP")
	fs.DurationVar(&o.timeout, "timeout", 2*time.Second, "bound on the query")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	if net.ParseIP(server) != nil {
		o.server = net.JoinHostPort(server, "53")
	} else if _, _, err := net.SplitHostPort(server); err == nil {
		o.server = server
	} else {
		return probe.Result{}, usageErrorf(stderr, fs, "--server %q is neither an IP nor IP:port", server)
	}
	var ok bool
	if o.qtype, ok = dnsTypes[strings.ToUpper(qtype)]; !ok {
		return probe.Result{}, usageErrorf(stderr, fs, "--type %q is not A, AAAA or CNAME", qtype)
	}
	if !validName(o.name) {
		return probe.Result{}, usageErrorf(stderr, fs, "--name %q is not a valid name", o.name)
	}
	if o.timeout <= 0 {
		return probe.Result{}, usageErrorf(stderr, fs, "--timeout must be positive")
	}
	return probeDNS(ctx, o), nil
}

// DNS record types the probe asks for, by the names --type takes.
var dnsTypes = map[string]uint16{"A": dns.TypeA, "CNAME": dns.TypeCNAME, "AAAA": dns.TypeAAAA}

// validName reports whether name can be asked: not empty, labels of 1 to 63 bytes, at most 255
// bytes in wire form.
func validName(name string) bool {
	_, ok := dns.IsDomainName(name)
	return ok && name != "" && name != "."
}

// rcodeName names a response code as RFC 1035 and its successors do.
func rcodeName(rcode int) string {
	if s, ok := dns.RcodeToString[rcode]; ok {
		return s
	}
	return fmt.Sprintf("RCODE%d", rcode)
}

// probeDNS sends one query and reports the answer. A truncated UDP answer is asked again over
// TCP, as a stub resolver would.
func probeDNS(ctx context.Context, o dnsOptions) probe.Result {
	res := probe.Result{Probe: probe.KindDNS}
	start := time.Now()
	deadline := start.Add(o.timeout)
	query := new(dns.Msg).SetQuestion(dns.Fqdn(o.name), o.qtype)
	var m *dns.Msg
	var err error
	if o.tcp {
		m, err = exchangeTCP(ctx, o.server, query, deadline)
	} else {
		m, err = exchangeUDP(ctx, o.server, query, deadline)
		if err == nil && m.Truncated {
			m, err = exchangeTCP(ctx, o.server, query, deadline)
		}
	}
	res.MS = ms(time.Since(start))
	if err != nil {
		return failed(res, err)
	}
	res.Rcode = rcodeName(m.Rcode)
	res.Message = m.String()
	res.Answers, res.CNAMEs = []string{}, []string{}
	for i, rr := range m.Answer {
		if ttl := int(rr.Header().Ttl); i == 0 || ttl < res.TTL {
			res.TTL = ttl
		}
		switch rr := rr.(type) {
		case *dns.CNAME:
			res.CNAMEs = append(res.CNAMEs, rr.Target)
			if o.qtype == dns.TypeCNAME {
				res.Answers = append(res.Answers, rr.Target)
			}
		case *dns.A:
			if a, ok := netip.AddrFromSlice(rr.A.To4()); ok && o.qtype == dns.TypeA {
				res.Answers = append(res.Answers, a.String())
			}
		case *dns.AAAA:
			if a, ok := netip.AddrFromSlice(rr.AAAA); ok && o.qtype == dns.TypeAAAA {
				res.Answers = append(res.Answers, a.String())
			}
		}
	}
	switch m.Rcode {
	case dns.RcodeSuccess:
		res.Result = probe.OK
		if len(res.Answers) == 0 {
			// The name exists, the type asked does not (forum40 N3: this read as ok).
			res.Result = probe.NoData
		}
	case dns.RcodeServerFailure:
		res.Result = probe.ServFail
	case dns.RcodeNameError:
		res.Result = probe.NXDomain
	case dns.RcodeRefused:
		res.Result = probe.Refused
	default:
		res.Result = probe.Error
		res.Error = fmt.Sprintf("server %s answered %s", o.server, res.Rcode)
	}
	return res
}

// exchangeUDP sends query from a connected socket (so an ICMP port unreachable reads as refused)
// and waits for the response with the same id. The query is sent again halfway through the
// timeout, since one lost datagram should not read as a dead server; dns.Client does not resend,
// so the exchange runs on its connection by hand.
func exchangeUDP(ctx context.Context, server string, query *dns.Msg, deadline time.Time) (*dns.Msg, error) {
	client := dns.Client{Net: "udp", Dialer: &net.Dialer{Deadline: deadline}}
	c, err := client.DialContext(ctx, server)
	if err != nil {
		return nil, fmt.Errorf("open udp socket to dns server %s: %w", server, err)
	}
	defer c.Close()
	c.UDPSize = dns.MaxMsgSize
	resend := time.Now().Add(time.Until(deadline) / 2)
	resent := false
	if err := c.WriteMsg(query); err != nil {
		return nil, fmt.Errorf("send query to dns server %s: %w", server, err)
	}
	for {
		wait := deadline
		if !resent {
			wait = resend
		}
		_ = c.SetReadDeadline(wait)
		// ReadMsg returns a message with an error when only the body cannot be read.
		m, err := c.ReadMsg()
		if err != nil && m == nil && !errors.Is(err, dns.ErrShortRead) {
			if outcome(err) == probe.Timeout && !resent {
				resent = true
				if err := c.WriteMsg(query); err != nil {
					return nil, fmt.Errorf("send query again to dns server %s: %w", server, err)
				}
				continue
			}
			return nil, fmt.Errorf("read response from dns server %s: %w", server, err)
		}
		if m == nil || m.Id != query.Id || !m.Response {
			continue // a stray datagram, or the late answer to an earlier query
		}
		if err != nil {
			return nil, fmt.Errorf("parse response from dns server %s: %w", server, err)
		}
		return m, nil
	}
}

// exchangeTCP asks over TCP, where dns.Client frames the messages (RFC 1035 4.2.2).
func exchangeTCP(ctx context.Context, server string, query *dns.Msg, deadline time.Time) (*dns.Msg, error) {
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	client := dns.Client{Net: "tcp", Timeout: time.Until(deadline), Dialer: &net.Dialer{Deadline: deadline}}
	m, _, err := client.ExchangeContext(ctx, query, server)
	if err != nil {
		return nil, fmt.Errorf("ask dns server %s over tcp: %w", server, err)
	}
	if !m.Response {
		return nil, errors.New("dns server " + server + " answered with a query")
	}
	return m, nil
}
