package agentcmd

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/chrlab/chrlab/rosemu/service/cloud"
)

// The lab's stand-in public DNS server (labagent node --serve dns --zone NAME=IP): the resolver of
// the "internet" at 198.51.100.53. It answers A queries for its zone names and NXDOMAIN for any
// other name, over UDP and TCP, which is all a router forwarding to it needs. github.com/miekg/dns
// reads and writes the messages and runs the listeners.

// publicDNSTTL is the TTL of every answer; short, so that a lab that changes its zone is not
// misled by a cache for long, and distinct from RouterOS's static default (1d) in reports.
const publicDNSTTL = 60

// zoneFlags collects repeated --zone NAME=IP flags; a name may be given several addresses.
type zoneFlags map[string][]netip.Addr

func (z *zoneFlags) String() string { return fmt.Sprint(map[string][]netip.Addr(*z)) }

func (z *zoneFlags) Set(v string) error {
	name, ip, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("zone entry %q is not NAME=IP", v)
	}
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if !validName(name) {
		return fmt.Errorf("zone entry %q: %q is not a valid name", v, name)
	}
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is4() {
		return fmt.Errorf("zone entry %q: %q is not an IPv4 address", v, ip)
	}
	if *z == nil {
		*z = zoneFlags{}
	}
	(*z)[name] = append((*z)[name], a)
	return nil
}

// publicDNS is the pair of listeners of the stand-in server.
type publicDNS struct {
	zone zoneFlags
	// cloud, when the node also serves the cloud stand-in, answers the names it publishes.
	cloud *cloud.StandIn
	// follow answers a name with the cloud record of another (--zone-follow).
	follow followFlags
	udp    net.PacketConn
	tcp    net.Listener
}

// listenPublicDNS opens UDP and TCP on host:port (port 0: the UDP port the kernel picks, for tests).
func listenPublicDNS(host string, port int, zone zoneFlags) (*publicDNS, error) {
	pc, err := net.ListenPacket("udp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("listen public dns on udp %s:%d: %w", host, port, err)
	}
	port = pc.LocalAddr().(*net.UDPAddr).Port
	l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		pc.Close()
		return nil, fmt.Errorf("listen public dns on tcp %s:%d: %w", host, port, err)
	}
	return &publicDNS{zone: zone, udp: pc, tcp: l}, nil
}

// publicDNSIdle is how long a TCP client may stay silent before the server ends the connection,
// as a real server would.
const publicDNSIdle = 10 * time.Second

// serve answers until the listeners are closed.
func (s *publicDNS) serve(logf func(string, ...any)) {
	idle := func() time.Duration { return publicDNSIdle }
	for _, srv := range []*dns.Server{
		{PacketConn: s.udp, UDPSize: dns.MaxMsgSize},
		{Listener: s.tcp, ReadTimeout: publicDNSIdle, IdleTimeout: idle},
	} {
		srv.Handler, srv.MsgAcceptFunc = s, acceptQueries
		go func() {
			if err := srv.ActivateAndServe(); err != nil && !errors.Is(err, net.ErrClosed) {
				logf("public dns: serve: %v", err)
			}
		}()
	}
}

// acceptQueries lets every query through to the handler, which answers the opcodes and question
// counts it does not serve itself; responses get no answer.
func acceptQueries(h dns.Header) dns.MsgAcceptAction {
	if h.Bits&(1<<15) != 0 { // QR
		return dns.MsgIgnore
	}
	return dns.MsgAccept
}

func (s *publicDNS) close() {
	s.udp.Close()
	s.tcp.Close()
}

// ServeDNS writes the answer to one query (dns.Handler).
func (s *publicDNS) ServeDNS(w dns.ResponseWriter, q *dns.Msg) { _ = w.WriteMsg(s.answer(q)) }

// answer builds the response to one query: the question copied, then the A records of a zone name
// (none for other types: the name exists, the type does not), NXDOMAIN for names outside the
// zone, NOTIMP for anything but a standard query of one question. What cannot be read gets
// FORMERR from dns.Server before it reaches here.
func (s *publicDNS) answer(q *dns.Msg) *dns.Msg {
	r := &dns.Msg{MsgHdr: dns.MsgHdr{Id: q.Id, Response: true, Opcode: q.Opcode,
		RecursionDesired: q.RecursionDesired, RecursionAvailable: true}, Compress: true}
	if len(q.Question) != 1 || q.Opcode != dns.OpcodeQuery {
		r.Rcode = dns.RcodeNotImplemented
		return r
	}
	r.Question = q.Question
	qq := q.Question[0]
	lname := strings.ToLower(strings.TrimSuffix(qq.Name, "."))
	addrs, ok := s.zone[lname]
	ttl := uint32(publicDNSTTL)
	if target, follows := s.follow[lname]; follows {
		if a, cttl, found := s.cloudLookup(target); found {
			addrs, ttl, ok = []netip.Addr{a}, cttl, true
		}
	}
	if a, cttl, found := s.cloudLookup(lname); !ok && found {
		addrs, ttl, ok = []netip.Addr{a}, cttl, true
	}
	if !ok {
		r.Rcode = dns.RcodeNameError
		return r
	}
	if qq.Qtype != dns.TypeA {
		return r
	}
	for _, a := range addrs {
		r.Answer = append(r.Answer, &dns.A{
			Hdr: dns.RR_Header{Name: qq.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: ttl},
			A:   a.AsSlice()})
	}
	return r
}

// cloudLookup answers from the cloud stand-in's records, when there is one.
func (s *publicDNS) cloudLookup(name string) (netip.Addr, uint32, bool) {
	if s.cloud == nil {
		return netip.Addr{}, 0, false
	}
	return s.cloud.Lookup(name)
}
