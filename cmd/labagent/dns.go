package main

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"time"

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
	if _, err := appendName(nil, o.name); err != nil || o.name == "" {
		return probe.Result{}, usageErrorf(stderr, fs, "--name %q is not a valid name", o.name)
	}
	if o.timeout <= 0 {
		return probe.Result{}, usageErrorf(stderr, fs, "--timeout must be positive")
	}
	return probeDNS(ctx, o), nil
}

// probeDNS sends one query and reports the answer. A truncated UDP answer is asked again over
// TCP, as a stub resolver would.
func probeDNS(ctx context.Context, o dnsOptions) probe.Result {
	res := probe.Result{Probe: probe.KindDNS}
	start := time.Now()
	deadline := start.Add(o.timeout)
	id := uint16(rand.Uint32())
	query, err := buildQuery(id, o.name, o.qtype)
	if err != nil {
		return failed(res, err)
	}
	var m dnsMessage
	if o.tcp {
		m, err = exchangeTCP(ctx, o.server, query, deadline)
	} else {
		m, err = exchangeUDP(ctx, o.server, query, deadline)
		if err == nil && m.truncated() {
			m, err = exchangeTCP(ctx, o.server, query, deadline)
		}
	}
	res.MS = ms(time.Since(start))
	if err != nil {
		return failed(res, err)
	}
	res.Rcode = rcodeName(m.rcode())
	res.Answers, res.CNAMEs = []string{}, []string{}
	for i, rr := range m.answers {
		if i == 0 || int(rr.ttl) < res.TTL {
			res.TTL = int(rr.ttl)
		}
		switch {
		case rr.typ == dnsTypeCNAME:
			res.CNAMEs = append(res.CNAMEs, rr.target)
			if o.qtype == dnsTypeCNAME {
				res.Answers = append(res.Answers, rr.target)
			}
		case rr.typ == o.qtype && rr.addr.IsValid():
			res.Answers = append(res.Answers, rr.addr.String())
		}
	}
	switch m.rcode() {
	case 0:
		res.Result = probe.OK
	case 2:
		res.Result = probe.ServFail
	case 3:
		res.Result = probe.NXDomain
	case 5:
		res.Result = probe.Refused
	default:
		res.Result = probe.Error
		res.Error = fmt.Sprintf("server %s answered %s", o.server, res.Rcode)
	}
	return res
}

// exchangeUDP sends query from a connected socket (so an ICMP port unreachable reads as refused)
// and waits for the response with the same id. The query is sent again halfway through the
// timeout, since one lost datagram should not read as a dead server.
func exchangeUDP(ctx context.Context, server string, query []byte, deadline time.Time) (dnsMessage, error) {
	d := net.Dialer{Deadline: deadline}
	c, err := d.DialContext(ctx, "udp", server)
	if err != nil {
		return dnsMessage{}, fmt.Errorf("open udp socket to dns server %s: %w", server, err)
	}
	defer c.Close()
	id := binary.BigEndian.Uint16(query)
	buf := make([]byte, 65535)
	resend := time.Now().Add(time.Until(deadline) / 2)
	resent := false
	if _, err := c.Write(query); err != nil {
		return dnsMessage{}, fmt.Errorf("send query to dns server %s: %w", server, err)
	}
	for {
		wait := deadline
		if !resent {
			wait = resend
		}
		_ = c.SetReadDeadline(wait)
		n, err := c.Read(buf)
		if err != nil {
			if outcome(err) == probe.Timeout && !resent {
				resent = true
				if _, err := c.Write(query); err != nil {
					return dnsMessage{}, fmt.Errorf("send query again to dns server %s: %w", server, err)
				}
				continue
			}
			return dnsMessage{}, fmt.Errorf("read response from dns server %s: %w", server, err)
		}
		if n < 2 || binary.BigEndian.Uint16(buf) != id {
			continue // a stray datagram, or the late answer to an earlier query
		}
		m, err := parseMessage(buf[:n])
		if err != nil {
			return m, fmt.Errorf("parse response from dns server %s: %w", server, err)
		}
		if !m.response() {
			continue
		}
		return m, nil
	}
}

// exchangeTCP sends query with its two-byte length prefix (RFC 1035 4.2.2) and reads the response.
func exchangeTCP(ctx context.Context, server string, query []byte, deadline time.Time) (dnsMessage, error) {
	d := net.Dialer{Deadline: deadline}
	c, err := d.DialContext(ctx, "tcp", server)
	if err != nil {
		return dnsMessage{}, fmt.Errorf("connect to dns server %s: %w", server, err)
	}
	defer c.Close()
	_ = c.SetDeadline(deadline)
	msg := binary.BigEndian.AppendUint16(nil, uint16(len(query)))
	if _, err := c.Write(append(msg, query...)); err != nil {
		return dnsMessage{}, fmt.Errorf("send query to dns server %s: %w", server, err)
	}
	var l [2]byte
	if _, err := io.ReadFull(c, l[:]); err != nil {
		return dnsMessage{}, fmt.Errorf("read response length from dns server %s: %w", server, err)
	}
	buf := make([]byte, binary.BigEndian.Uint16(l[:]))
	if _, err := io.ReadFull(c, buf); err != nil {
		return dnsMessage{}, fmt.Errorf("read response from dns server %s: %w", server, err)
	}
	m, err := parseMessage(buf)
	if err != nil {
		return m, fmt.Errorf("parse response from dns server %s: %w", server, err)
	}
	if m.id != binary.BigEndian.Uint16(query) || !m.response() {
		return m, errors.New("dns server " + server + " answered with another id or a query")
	}
	return m, nil
}
