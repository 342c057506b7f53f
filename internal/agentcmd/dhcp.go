package agentcmd

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
	"github.com/insomniacslk/dhcp/dhcpv4/server4"
	"github.com/vishvananda/netlink"
)

// The ISP's DHCP server (labagent node --serve dhcp). It leases one address, the current offer,
// to whoever asks: in a lab the only client on the ISP segment is the router. labagent renumber
// changes the offer through a unix socket; from then on the server refuses (NAK) every request
// for the old address, so the router's next renewal fails and it starts over with DISCOVER and
// gets the new address, as at a real ISP that renumbers its customers.

// defaultDHCPSocket is where the running server listens for labagent renumber and dhcp-leases.
const defaultDHCPSocket = "/run/labagent-dhcp.sock"

// dhcpFlags are the raw --dhcp-* flags of labagent node.
type dhcpFlags struct {
	subnet, offer, router, dns, socket string
	lease                              time.Duration
	parsed                             dhcpOptions // set by check when the dhcp service is on
}

// check parses the flags into f.parsed when the dhcp service is on.
func (f *dhcpFlags) check(on bool) error {
	if !on {
		return nil
	}
	var err error
	f.parsed, err = f.options()
	return err
}

func (f *dhcpFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.subnet, "dhcp-subnet", "", "dhcp: serve on the interface with an address in this `prefix` only")
	fs.StringVar(&f.offer, "dhcp-offer", "", "dhcp: the `IP` offered to clients (labagent renumber changes it)")
	fs.DurationVar(&f.lease, "dhcp-lease", time.Hour, "dhcp: lease `time`")
	fs.StringVar(&f.router, "dhcp-router", "", "dhcp: the router option's `IP` (default none)")
	fs.StringVar(&f.dns, "dhcp-dns", "", "dhcp: comma-separated DNS server `IPs` (default none)")
	fs.StringVar(&f.socket, "dhcp-socket", defaultDHCPSocket, "dhcp: control socket `path` for labagent renumber")
}

// dhcpOptions configure the DHCP server.
type dhcpOptions struct {
	Subnet netip.Prefix
	Offer  netip.Addr
	Lease  time.Duration
	Router netip.Addr // invalid: no router option
	DNS    []netip.Addr
	Socket string
}

// options checks the flags; they are required only when the dhcp service is on.
func (f *dhcpFlags) options() (dhcpOptions, error) {
	o := dhcpOptions{Lease: f.lease, Socket: f.socket}
	var err error
	if o.Subnet, err = netip.ParsePrefix(f.subnet); err != nil || !o.Subnet.Addr().Is4() {
		return o, fmt.Errorf("--dhcp-subnet %q is not an IPv4 prefix", f.subnet)
	}
	o.Subnet = o.Subnet.Masked()
	if o.Offer, err = netip.ParseAddr(f.offer); err != nil || !o.Subnet.Contains(o.Offer) {
		return o, fmt.Errorf("--dhcp-offer %q is not an address in %s", f.offer, o.Subnet)
	}
	if f.router != "" {
		if o.Router, err = netip.ParseAddr(f.router); err != nil || !o.Router.Is4() {
			return o, fmt.Errorf("--dhcp-router %q is not an IPv4 address", f.router)
		}
	}
	for s := range strings.SplitSeq(f.dns, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return o, fmt.Errorf("--dhcp-dns %q is not a list of IPv4 addresses", f.dns)
		}
		o.DNS = append(o.DNS, a)
	}
	if o.Lease < time.Second || o.Lease > 0xffffffff*time.Second {
		return o, fmt.Errorf("--dhcp-lease %s is out of range", o.Lease)
	}
	if o.Socket == "" {
		return o, errors.New("--dhcp-socket is empty")
	}
	return o, nil
}

// dhcpLease is one lease the server gave, as labagent dhcp-leases prints it.
type dhcpLease struct {
	MAC     string    `json:"mac"`
	Address string    `json:"address"`
	Expires time.Time `json:"expires"`
	// State is bound, released, or refused (the client asked for an address it no longer has).
	State string    `json:"state"`
	Last  time.Time `json:"last"`
}

// dhcpServer is the running server.
type dhcpServer struct {
	o     dhcpOptions
	iface string
	self  netip.Addr // the server identifier: our address in the subnet
	logf  func(string, ...any)
	srv   *server4.Server
	ctl   net.Listener
	// nl is a netlink handle in the server's namespace (made at start, where the server's
	// sockets are): forget drops neighbour entries through it.
	nl *netlink.Handle

	mu     sync.Mutex
	offer  netip.Addr
	leases map[string]*dhcpLease // by client MAC
	closed bool
}

// startDHCPServer finds the interface with an address in o.Subnet, serves DHCP on it alone and
// listens on the control socket. It must run in the node's network namespace.
func startDHCPServer(o dhcpOptions, logf func(string, ...any)) (*dhcpServer, error) {
	s := &dhcpServer{o: o, logf: logf, offer: o.Offer, leases: map[string]*dhcpLease{}}
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("list interfaces for the dhcp server: %w", err)
	}
	for _, ifc := range ifs {
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				if ip, ok := netip.AddrFromSlice(n.IP.To4()); ok && o.Subnet.Contains(ip) && s.iface == "" {
					s.iface, s.self = ifc.Name, ip
				}
			}
		}
	}
	if s.iface == "" {
		return nil, fmt.Errorf("serve dhcp: no interface has an address in %s", o.Subnet)
	}
	if s.nl, err = netlink.NewHandle(); err != nil {
		return nil, fmt.Errorf("serve dhcp: netlink: %w", err)
	}
	s.srv, err = server4.NewServer(s.iface, &net.UDPAddr{Port: dhcpv4.ServerPort}, s.handle)
	if err != nil {
		s.nl.Close()
		return nil, fmt.Errorf("serve dhcp on %s: %w", s.iface, err)
	}
	os.Remove(o.Socket) // a socket file left by an earlier run would block Listen
	if s.ctl, err = net.Listen("unix", o.Socket); err != nil {
		s.srv.Close()
		s.nl.Close()
		return nil, fmt.Errorf("listen for dhcp control on %s: %w", o.Socket, err)
	}
	go s.srv.Serve()
	go s.serveControl()
	logf("dhcp: serving %s on %s as %s, offering %s", o.Subnet, s.iface, s.self, o.Offer)
	return s, nil
}

// Close stops the server and removes the control socket.
func (s *dhcpServer) Close() error {
	err := errors.Join(s.srv.Close(), s.ctl.Close())
	s.mu.Lock()
	s.closed = true
	s.nl.Close()
	s.mu.Unlock()
	os.Remove(s.o.Socket)
	return err
}

// handle answers one client message (RFC 2131 4.3).
func (s *dhcpServer) handle(conn net.PacketConn, peer net.Addr, m *dhcpv4.DHCPv4) {
	if m.OpCode != dhcpv4.OpcodeBootRequest {
		return
	}
	s.mu.Lock()
	offer := s.offer
	s.mu.Unlock()
	mac := m.ClientHWAddr.String()
	var reply *dhcpv4.DHCPv4
	var err error
	switch m.MessageType() {
	case dhcpv4.MessageTypeDiscover:
		reply, err = s.reply(m, dhcpv4.MessageTypeOffer, offer)
	case dhcpv4.MessageTypeRequest:
		if sid := m.ServerIdentifier(); sid != nil && !sid.Equal(s.self.AsSlice()) {
			return // the client chose another server
		}
		// SELECTING and INIT-REBOOT name the address in option 50, RENEWING and REBINDING in
		// ciaddr.
		want := m.RequestedIPAddress()
		if want == nil || want.IsUnspecified() {
			want = m.ClientIPAddr
		}
		if a, ok := netip.AddrFromSlice(want.To4()); ok && a == offer {
			reply, err = s.reply(m, dhcpv4.MessageTypeAck, offer)
			if prev := s.record(mac, offer.String(), "bound", time.Now().Add(s.o.Lease)); prev != nil && prev.Address != offer.String() {
				// The client's old address is no one's now; the client gives it up a moment after
				// this ACK, so forget it again once it has.
				if old, err := netip.ParseAddr(prev.Address); err == nil {
					s.forget(old)
					time.AfterFunc(2*time.Second, func() { s.forget(old) })
				}
			}
		} else {
			reply, err = dhcpv4.NewReplyFromRequest(m,
				dhcpv4.WithMessageType(dhcpv4.MessageTypeNak),
				dhcpv4.WithOption(dhcpv4.OptServerIdentifier(s.self.AsSlice())),
				dhcpv4.WithOption(dhcpv4.OptMessage("address "+want.String()+" is not yours")))
			s.record(mac, want.String(), "refused", time.Time{})
			if a, ok := netip.AddrFromSlice(want.To4()); ok {
				s.forget(a)
			}
			// A NAK goes to the broadcast address whatever the request's source (4.3.2).
			peer = &net.UDPAddr{IP: net.IPv4bcast, Port: dhcpv4.ClientPort}
		}
	case dhcpv4.MessageTypeRelease:
		s.record(mac, m.ClientIPAddr.String(), "released", time.Time{})
		return
	default:
		return
	}
	if err != nil {
		s.logf("dhcp: build %s for %s: %v", m.MessageType(), mac, err)
		return
	}
	if _, err := conn.WriteTo(reply.ToBytes(), peer); err != nil {
		s.logf("dhcp: send %s to %s: %v", reply.MessageType(), peer, err)
		return
	}
	s.logf("dhcp: %s %s -> %s %s", m.MessageType(), mac, reply.MessageType(), reply.YourIPAddr)
}

// reply builds an OFFER or ACK of addr with the configured options.
func (s *dhcpServer) reply(m *dhcpv4.DHCPv4, t dhcpv4.MessageType, addr netip.Addr) (*dhcpv4.DHCPv4, error) {
	mods := []dhcpv4.Modifier{
		dhcpv4.WithMessageType(t),
		dhcpv4.WithYourIP(addr.AsSlice()),
		dhcpv4.WithServerIP(s.self.AsSlice()),
		dhcpv4.WithOption(dhcpv4.OptServerIdentifier(s.self.AsSlice())),
		dhcpv4.WithNetmask(net.CIDRMask(s.o.Subnet.Bits(), 32)),
		dhcpv4.WithLeaseTime(uint32(s.o.Lease / time.Second)),
	}
	if s.o.Router.IsValid() {
		mods = append(mods, dhcpv4.WithOption(dhcpv4.OptRouter(s.o.Router.AsSlice())))
	}
	if len(s.o.DNS) > 0 {
		var ips []net.IP
		for _, a := range s.o.DNS {
			ips = append(ips, a.AsSlice())
		}
		mods = append(mods, dhcpv4.WithOption(dhcpv4.OptDNS(ips...)))
	}
	return dhcpv4.NewReplyFromRequest(m, mods...)
}

// record stores the client's lease and returns the one it replaces (nil for none).
func (s *dhcpServer) record(mac, addr, state string, expires time.Time) *dhcpLease {
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.leases[mac]
	s.leases[mac] = &dhcpLease{MAC: mac, Address: addr, State: state, Expires: expires, Last: time.Now()}
	return prev
}

// forget drops the server's neighbour entry for an address whose lease ended (refused, or
// replaced by a renumbering). A real ISP stops delivering to an address it took back; the lab's
// ISP would otherwise keep the router's MAC for it while the entry stays confirmed, and traffic
// a router still sends from the old address (a src-nat rule naming it) would keep working after
// a renumbering. Once forgotten, the ISP asks by ARP, and the router no longer answers for it.
func (s *dhcpServer) forget(a netip.Addr) {
	// Under mu: the handle is not shared between goroutines, and a closed handle would act in
	// the calling thread's namespace (Close may come before a delayed forget).
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	l, err := s.nl.LinkByName(s.iface)
	if err != nil {
		return
	}
	err = s.nl.NeighDel(&netlink.Neigh{LinkIndex: l.Attrs().Index, Family: netlink.FAMILY_V4, IP: a.AsSlice()})
	if err == nil {
		s.logf("dhcp: forgot the neighbour %s (its lease ended)", a)
	}
}

// renumber makes to the offer from now on and returns the old offer and the moment of change.
func (s *dhcpServer) renumber(to netip.Addr) (netip.Addr, time.Time, error) {
	if !s.o.Subnet.Contains(to) || to == s.self {
		return netip.Addr{}, time.Time{}, fmt.Errorf("renumber to %s: not a free address in %s", to, s.o.Subnet)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.offer
	s.offer = to
	at := time.Now()
	s.logf("dhcp: renumbered %s -> %s", old, to)
	return old, at, nil
}

// controlRequest is one line a client writes on the control socket.
type controlRequest struct {
	Op string `json:"op"` // renumber or leases
	To string `json:"to,omitempty"`
}

// controlReply is the server's one-line answer.
type controlReply struct {
	Result string `json:"result"` // ok or error
	Error  string `json:"error,omitempty"`
	Old    string `json:"old,omitempty"`
	New    string `json:"new,omitempty"`
	At     string `json:"at,omitempty"`
	Server string `json:"server,omitempty"`
	Offer  string `json:"offer,omitempty"`
	// Leases is a pointer so that dhcp-leases prints [] when there are none and renumber
	// prints no leases field at all.
	Leases *[]dhcpLease `json:"leases,omitempty"`
}

func (s *dhcpServer) serveControl() { serveControl(s.ctl, s.control) }

// renumberReply is a control socket's answer to renumber: renumber's
// outcome for the address to, which must parse.
func renumberReply(to string, renumber func(netip.Addr) (netip.Addr, time.Time, error)) controlReply {
	a, err := netip.ParseAddr(to)
	if err != nil {
		return controlReply{Result: "error", Error: fmt.Sprintf("renumber to %q: not an IP address", to)}
	}
	old, at, err := renumber(a)
	if err != nil {
		return controlReply{Result: "error", Error: err.Error()}
	}
	return controlReply{Result: "ok", Old: old.String(), New: a.String(), At: at.UTC().Format(time.RFC3339Nano)}
}

// serveControl answers each connection to a control socket (the DHCP
// server's, the PPPoE server's) with one JSON line: handle's reply to the
// request read from it. It returns when l is closed.
func serveControl(l net.Listener, handle func(controlRequest) controlReply) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			var req controlRequest
			if err := json.NewDecoder(bufio.NewReader(c)).Decode(&req); err != nil {
				json.NewEncoder(c).Encode(controlReply{Result: "error", Error: "read request: " + err.Error()})
				return
			}
			json.NewEncoder(c).Encode(handle(req))
		}()
	}
}

func (s *dhcpServer) control(req controlRequest) controlReply {
	switch req.Op {
	case "renumber":
		return renumberReply(req.To, s.renumber)
	case "leases":
		s.mu.Lock()
		defer s.mu.Unlock()
		leases := []dhcpLease{}
		for _, l := range s.leases {
			leases = append(leases, *l)
		}
		sort.Slice(leases, func(i, j int) bool { return leases[i].MAC < leases[j].MAC })
		return controlReply{Result: "ok", Server: s.self.String(), Offer: s.offer.String(), Leases: &leases}
	}
	return controlReply{Result: "error", Error: fmt.Sprintf("unknown operation %q", req.Op)}
}
