package agentcmd

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv6"
	"github.com/insomniacslk/dhcp/dhcpv6/server6"
	"github.com/insomniacslk/dhcp/iana"
	"github.com/vishvananda/netlink"
)

// The ISP's DHCPv6 prefix delegation (labagent node --serve dhcp6): it
// delegates one prefix to whichever client asks on the customer network
// (a home ISP delegates one prefix per line) and routes it to the
// client's link-local address, the address the request came from, as an
// ISP's edge router does (RFC 8415 6.3). A release or a lease that runs
// out takes the route away. It gives no addresses (IA_NA gets
// NoAddrsAvail): the lab's router takes its WAN address otherwise.

// dhcp6Flags are the --dhcp6-* flags.
type dhcp6Flags struct {
	subnet, pd string
	lease      time.Duration
	parsed     dhcp6Options
}

type dhcp6Options struct {
	Subnet netip.Prefix // serve on the interface with an address in it
	PD     netip.Prefix // the delegated prefix
	Lease  time.Duration
}

func (f *dhcp6Flags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.subnet, "dhcp6-subnet", "", "dhcp6: serve on the interface with an IPv6 address in this `prefix`")
	fs.StringVar(&f.pd, "dhcp6-pd", "", "dhcp6: the `prefix` delegated to the customer")
	fs.DurationVar(&f.lease, "dhcp6-lease", time.Minute, "dhcp6: the prefix's valid and preferred `lifetime` (renewed at half of it)")
}

// check parses the flags when the service is on.
func (f *dhcp6Flags) check(on bool) error {
	if !on {
		return nil
	}
	var err error
	if f.parsed.Subnet, err = netip.ParsePrefix(f.subnet); err != nil || !f.parsed.Subnet.Addr().Is6() {
		return fmt.Errorf("--dhcp6-subnet %q is not an IPv6 prefix", f.subnet)
	}
	if f.parsed.PD, err = netip.ParsePrefix(f.pd); err != nil || !f.parsed.PD.Addr().Is6() || f.parsed.PD.Bits() > 64 || f.parsed.PD.Masked() != f.parsed.PD {
		return fmt.Errorf("--dhcp6-pd %q is not an IPv6 prefix of /64 or shorter with its host bits clear", f.pd)
	}
	if f.lease < 4*time.Second || f.lease > 24*time.Hour {
		return fmt.Errorf("--dhcp6-lease %s is out of range (4s to 24h)", f.lease)
	}
	f.parsed.Lease = f.lease
	return nil
}

// dhcp6Server is the running server.
type dhcp6Server struct {
	o     dhcp6Options
	link  netlink.Link
	duid  dhcpv6.DUID
	logf  func(string, ...any)
	srv   *server6.Server
	stop  chan struct{}
	mu    sync.Mutex
	peer  net.IP    // the link-local address the prefix is routed to
	until time.Time // when the delegation runs out
}

// startDHCP6Server finds the interface with an address in o.Subnet and
// serves DHCPv6 on it. It must run in the node's namespace.
func startDHCP6Server(o dhcp6Options, logf func(string, ...any)) (*dhcp6Server, error) {
	s := &dhcp6Server{o: o, logf: logf, stop: make(chan struct{})}
	links, err := netlink.LinkList()
	if err != nil {
		return nil, fmt.Errorf("list links for the dhcp6 server: %w", err)
	}
	for _, l := range links {
		addrs, _ := netlink.AddrList(l, netlink.FAMILY_V6)
		for _, a := range addrs {
			if ip, ok := netip.AddrFromSlice(a.IP); ok && o.Subnet.Contains(ip) && s.link == nil {
				s.link = l
			}
		}
	}
	if s.link == nil {
		return nil, fmt.Errorf("serve dhcp6: no interface has an address in %s", o.Subnet)
	}
	s.duid = &dhcpv6.DUIDLL{HWType: iana.HWTypeEthernet, LinkLayerAddr: s.link.Attrs().HardwareAddr}
	s.srv, err = server6.NewServer(s.link.Attrs().Name, nil, s.handle)
	if err != nil {
		return nil, fmt.Errorf("serve dhcp6 on %s: %w", s.link.Attrs().Name, err)
	}
	go s.srv.Serve()
	go s.expire()
	logf("dhcp6: delegating %s on %s", o.PD, s.link.Attrs().Name)
	return s, nil
}

// Close stops the server and takes the route away.
func (s *dhcp6Server) Close() error {
	close(s.stop)
	s.mu.Lock()
	s.unroute()
	s.mu.Unlock()
	return s.srv.Close()
}

// expire takes the route away when the delegation runs out unrenewed.
func (s *dhcp6Server) expire() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		s.mu.Lock()
		if s.peer != nil && time.Now().After(s.until) {
			s.logf("dhcp6: %s ran out", s.o.PD)
			s.unroute()
		}
		s.mu.Unlock()
	}
}

func (s *dhcp6Server) route(peer net.IP) error {
	r := &netlink.Route{LinkIndex: s.link.Attrs().Index, Dst: ipnet6(s.o.PD), Gw: peer}
	if err := netlink.RouteReplace(r); err != nil {
		return fmt.Errorf("route %s via %s: %w", s.o.PD, peer, err)
	}
	s.peer = peer
	return nil
}

func (s *dhcp6Server) unroute() {
	if s.peer == nil {
		return
	}
	_ = netlink.RouteDel(&netlink.Route{LinkIndex: s.link.Attrs().Index, Dst: ipnet6(s.o.PD), Gw: s.peer})
	s.peer = nil
}

func ipnet6(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: net.IP(p.Addr().AsSlice()), Mask: net.CIDRMask(p.Bits(), 128)}
}

// handle answers one client message.
func (s *dhcp6Server) handle(conn net.PacketConn, peer net.Addr, d dhcpv6.DHCPv6) {
	m, ok := d.(*dhcpv6.Message)
	if !ok {
		return // relayed messages: the lab has no relay
	}
	from, ok := peer.(*net.UDPAddr)
	if !ok {
		return
	}
	reply, bind, err := s.answer(m)
	if err != nil {
		s.logf("dhcp6: %s from %s: %v", m.MessageType, from.IP, err)
		return
	}
	if reply == nil {
		return
	}
	s.mu.Lock()
	switch {
	case bind:
		err = s.route(from.IP)
		s.until = time.Now().Add(s.o.Lease)
	case m.MessageType == dhcpv6.MessageTypeRelease:
		s.unroute()
	}
	s.mu.Unlock()
	if err != nil {
		s.logf("dhcp6: %v", err)
		return
	}
	if _, err := conn.WriteTo(reply.ToBytes(), from); err != nil {
		s.logf("dhcp6: send %s to %s: %v", reply.MessageType, from.IP, err)
		return
	}
	s.logf("dhcp6: %s from %s -> %s %s", m.MessageType, from.IP, reply.MessageType, s.o.PD)
}

// answer builds the reply to m and says whether it binds the prefix.
// A message for another server is not answered (nil).
func (s *dhcp6Server) answer(m *dhcpv6.Message) (*dhcpv6.Message, bool, error) {
	if sid := m.Options.ServerID(); sid != nil && !sid.Equal(s.duid) {
		return nil, false, nil
	}
	if m.Options.ClientID() == nil {
		return nil, false, errors.New("no client id")
	}
	var typ dhcpv6.MessageType
	bind := false
	switch m.MessageType {
	case dhcpv6.MessageTypeSolicit:
		typ = dhcpv6.MessageTypeAdvertise
		if m.GetOneOption(dhcpv6.OptionRapidCommit) != nil {
			typ, bind = dhcpv6.MessageTypeReply, true
		}
	case dhcpv6.MessageTypeRequest, dhcpv6.MessageTypeRenew, dhcpv6.MessageTypeRebind:
		typ, bind = dhcpv6.MessageTypeReply, true
	case dhcpv6.MessageTypeRelease:
		typ = dhcpv6.MessageTypeReply
	default:
		return nil, false, nil
	}
	r, err := dhcpv6.NewMessage()
	if err != nil {
		return nil, false, err
	}
	r.MessageType, r.TransactionID = typ, m.TransactionID
	r.AddOption(dhcpv6.OptClientID(m.Options.ClientID()))
	r.AddOption(dhcpv6.OptServerID(s.duid))
	if typ == dhcpv6.MessageTypeReply && m.MessageType == dhcpv6.MessageTypeSolicit {
		dhcpv6.WithRapidCommit(r)
	}
	if m.MessageType == dhcpv6.MessageTypeRelease {
		r.AddOption(&dhcpv6.OptStatusCode{StatusCode: iana.StatusSuccess, StatusMessage: "released"})
		return r, false, nil
	}
	for _, pd := range m.Options.IAPD() {
		out := &dhcpv6.OptIAPD{IaId: pd.IaId, T1: s.o.Lease / 2, T2: s.o.Lease * 4 / 5}
		out.Options.Add(&dhcpv6.OptIAPrefix{PreferredLifetime: s.o.Lease, ValidLifetime: s.o.Lease, Prefix: ipnet6(s.o.PD)})
		r.AddOption(out)
	}
	for _, na := range m.Options.IANA() {
		out := &dhcpv6.OptIANA{IaId: na.IaId}
		out.Options.Add(&dhcpv6.OptStatusCode{StatusCode: iana.StatusNoAddrsAvail, StatusMessage: "this ISP delegates prefixes only"})
		r.AddOption(out)
	}
	if len(m.Options.IAPD()) == 0 {
		bind = false
	}
	return r, bind, nil
}
