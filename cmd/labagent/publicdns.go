package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/service/cloud"
)

// The lab's stand-in public DNS server (labagent node --serve dns --zone NAME=IP): the resolver of
// the "internet" at 198.51.100.53. It answers A queries for its zone names and NXDOMAIN for any
// other name, over UDP and TCP, which is all a router forwarding to it needs.

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
	if _, err := appendName(nil, name); err != nil || name == "" {
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
	udp   net.PacketConn
	tcp   net.Listener
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

// serve answers until the listeners are closed.
func (s *publicDNS) serve(logf func(string, ...any)) {
	go func() {
		buf := make([]byte, 65535)
		for {
			n, from, err := s.udp.ReadFrom(buf)
			if err != nil {
				if !errors.Is(err, net.ErrClosed) {
					logf("public dns: read udp: %v", err)
				}
				return
			}
			if resp := s.answer(buf[:n]); resp != nil {
				if _, err := s.udp.WriteTo(resp, from); err != nil {
					logf("public dns: answer %s: %v", from, err)
				}
			}
		}
	}()
	go func() {
		for {
			c, err := s.tcp.Accept()
			if err != nil {
				if !errors.Is(err, net.ErrClosed) {
					logf("public dns: accept tcp: %v", err)
				}
				return
			}
			go s.serveTCP(c)
		}
	}()
}

// serveTCP answers the queries of one connection; ten idle seconds end it, as they would on a
// real server.
func (s *publicDNS) serveTCP(c net.Conn) {
	defer c.Close()
	for {
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		var l [2]byte
		if _, err := io.ReadFull(c, l[:]); err != nil {
			return
		}
		q := make([]byte, binary.BigEndian.Uint16(l[:]))
		if _, err := io.ReadFull(c, q); err != nil {
			return
		}
		resp := s.answer(q)
		if resp == nil {
			return
		}
		if _, err := c.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(resp))), resp...)); err != nil {
			return
		}
	}
}

func (s *publicDNS) close() {
	s.udp.Close()
	s.tcp.Close()
}

// answer builds the response to one query: the header and question copied, then the A records of
// a zone name (none for other types: the name exists, the type does not), NXDOMAIN for names
// outside the zone, FORMERR for what cannot be read. Responses and garbage get no answer.
func (s *publicDNS) answer(q []byte) []byte {
	if len(q) < dnsHeaderLen || binary.BigEndian.Uint16(q[2:])&dnsFlagQR != 0 {
		return nil
	}
	flags := uint16(dnsFlagQR|1<<7) | binary.BigEndian.Uint16(q[2:])&(0xf<<11|dnsFlagRD) // QR, RA, opcode, RD
	hdr := func(rcode uint16, qd, an int) []byte {
		b := binary.BigEndian.AppendUint16(nil, binary.BigEndian.Uint16(q))
		b = binary.BigEndian.AppendUint16(b, flags|rcode)
		for _, n := range []int{qd, an, 0, 0} {
			b = binary.BigEndian.AppendUint16(b, uint16(n))
		}
		return b
	}
	if binary.BigEndian.Uint16(q[4:]) != 1 || q[2]>>3&0xf != 0 {
		return hdr(4, 0, 0) // NOTIMP: one question, standard queries only
	}
	name, end, err := readName(q, dnsHeaderLen)
	if err != nil || end+4 > len(q) {
		return hdr(1, 0, 0) // FORMERR
	}
	qtype := binary.BigEndian.Uint16(q[end:])
	question := q[dnsHeaderLen : end+4]
	lname := strings.ToLower(strings.TrimSuffix(name, "."))
	addrs, ok := s.zone[lname]
	ttl := uint32(publicDNSTTL)
	if a, cttl, found := s.cloudLookup(lname); !ok && found {
		addrs, ttl, ok = []netip.Addr{a}, cttl, true
	}
	if !ok {
		return append(hdr(3, 1, 0), question...)
	}
	if qtype != dnsTypeA {
		return append(hdr(0, 1, 0), question...)
	}
	b := append(hdr(0, 1, len(addrs)), question...)
	for _, a := range addrs {
		b = append(b, 0xc0, dnsHeaderLen) // the owner is the question's name
		b = binary.BigEndian.AppendUint16(b, dnsTypeA)
		b = binary.BigEndian.AppendUint16(b, dnsClassIN)
		b = binary.BigEndian.AppendUint32(b, ttl)
		b = binary.BigEndian.AppendUint16(b, 4)
		b = append(b, a.AsSlice()...)
	}
	return b
}

// cloudLookup answers from the cloud stand-in's records, when there is one.
func (s *publicDNS) cloudLookup(name string) (netip.Addr, uint32, bool) {
	if s.cloud == nil {
		return netip.Addr{}, 0, false
	}
	return s.cloud.Lookup(name)
}
