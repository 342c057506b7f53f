// Package dhcpserver is rosemu's DHCP server service: for every enabled
// /ip dhcp-server entry it answers DHCPv4 clients on the entry's interface
// (insomniacslk/dhcp server4, a UDP socket bound to the interface in the
// router's namespace). Which address a client gets and the leases
// themselves are the configuration engine's (config.Router.Offer, Request,
// Release, ExpireLeases); this package speaks the protocol, expires leases
// and runs the server's lease script with RouterOS's variables.
package dhcpserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
	"github.com/insomniacslk/dhcp/dhcpv4/server4"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
)

// Engine is the part of the router the servers drive; *config.Router
// implements it.
type Engine interface {
	DHCPServers() []config.DHCPServer
	DHCPServerAddrs(server string) []netip.Addr
	Offer(server string, c config.DHCPClientID, requested netip.Addr) (config.DHCPOffer, error)
	Request(server string, c config.DHCPClientID, addr netip.Addr) (config.DHCPOffer, error)
	Release(server string, c config.DHCPClientID) (config.EndedLease, bool)
	ExpireLeases(now time.Time) []config.EndedLease
	RunScript(ctx context.Context, name, src string, vars map[string]script.Value) error
}

// Manager runs one server per enabled /ip dhcp-server entry. Its Wake
// belongs in config.Options.OnCommit.
type Manager struct {
	Log *slog.Logger
	// Port is the server port (67); tests use another.
	Port int

	bell doorbell.Bell
	once sync.Once
}

// New returns a manager.
func New(log *slog.Logger) *Manager {
	m := &Manager{Log: log}
	m.init()
	return m
}

func (m *Manager) init() {
	m.once.Do(func() {
		if m.Log == nil {
			m.Log = slog.New(slog.DiscardHandler)
		}
		if m.Port == 0 {
			m.Port = dhcpv4.ServerPort
		}
	})
}

// Wake tells the manager the configuration changed; it never blocks.
func (m *Manager) Wake() { m.bell.Ring() }

// Run starts and stops servers as /ip dhcp-server changes and expires
// leases, until ctx ends.
func (m *Manager) Run(ctx context.Context, e Engine) error {
	m.init()
	running := map[string]context.CancelFunc{}
	var wg sync.WaitGroup
	defer func() {
		for _, stop := range running {
			stop()
		}
		wg.Wait()
	}()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	m.Wake()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			for _, l := range e.ExpireLeases(time.Now()) {
				m.Log.Info("dhcp-server: lease expired", "server", l.Server, "address", l.Address, "mac", l.MAC)
				runScript(ctx, m.Log, e, l.Script, l.Server, l.MAC, l.Address, "", false)
			}
			continue
		case <-m.bell.C():
		}
		keep := map[string]bool{}
		for _, s := range e.DHCPServers() {
			key := s.Name + "@" + s.Interface + "@" + strconv.FormatBool(s.Authoritative)
			keep[key] = true
			if _, ok := running[key]; ok {
				continue
			}
			sctx, cancel := context.WithCancel(ctx)
			running[key] = cancel
			srv := &server{m: m, e: e, name: s.Name, iface: s.Interface, authoritative: s.Authoritative}
			wg.Go(func() { srv.run(sctx) })
		}
		for key, stop := range running {
			if !keep[key] {
				stop()
				delete(running, key)
			}
		}
	}
}

// server answers on one interface for one /ip dhcp-server entry.
type server struct {
	m     *Manager
	e     Engine
	name  string
	iface string
	// authoritative servers answer NAK to a request they cannot grant
	// (RouterOS's after-2sec-delay and after-10sec-delay NAK at once).
	authoritative bool
}

// link is the Linux interface under the server's RouterOS interface, where
// its socket binds (kernel.LinkName): a name with a blank or over 15 bytes
// is carried by another, as the DHCP client's is.
func (s *server) link() string { return kernel.LinkName(s.iface) }

// run opens the socket, retrying while the interface does not exist yet (a
// bridge the configuration creates later), and serves until ctx ends.
func (s *server) run(ctx context.Context) {
	for ctx.Err() == nil {
		conn, err := openConn(s.link(), s.m.Port)
		var srv *server4.Server
		if err == nil {
			srv, err = server4.NewServer(s.link(), nil, func(conn net.PacketConn, peer net.Addr, req *dhcpv4.DHCPv4) {
				s.handle(ctx, conn, peer, req)
			}, server4.WithConn(conn))
		}
		if err != nil {
			s.m.Log.Warn("dhcp-server: open socket", "server", s.name, "interface", s.iface, "err", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			continue
		}
		s.m.Log.Info("dhcp-server: serving", "server", s.name, "interface", s.iface)
		stop := context.AfterFunc(ctx, func() { srv.Close() })
		err = srv.Serve()
		stop()
		if ctx.Err() == nil {
			s.m.Log.Warn("dhcp-server: serve", "server", s.name, "err", err)
		}
	}
}

// clientID formats option 61 as RouterOS shows client-id: the bytes in hex
// without leading zeros, joined by colons ("1:2:0:0:0:0:1").
func clientID(req *dhcpv4.DHCPv4) string {
	v := req.GetOneOption(dhcpv4.OptionClientIdentifier)
	var parts []string
	for _, b := range v {
		parts = append(parts, strconv.FormatUint(uint64(b), 16))
	}
	return strings.Join(parts, ":")
}

func (s *server) handle(ctx context.Context, conn net.PacketConn, peer net.Addr, req *dhcpv4.DHCPv4) {
	if req.OpCode != dhcpv4.OpcodeBootRequest || len(req.ClientHWAddr) != 6 {
		return
	}
	id := config.DHCPClientID{MAC: strings.ToUpper(req.ClientHWAddr.String()), ClientID: clientID(req), HostName: req.HostName()}
	log := s.m.Log.With("server", s.name, "mac", id.MAC)
	switch req.MessageType() {
	case dhcpv4.MessageTypeDiscover:
		want, _ := netip.AddrFromSlice(req.RequestedIPAddress().To4())
		o, err := s.e.Offer(s.name, id, want)
		if err != nil {
			log.Info("dhcp-server: no offer", "err", err)
			return
		}
		s.reply(conn, req, dhcpv4.MessageTypeOffer, o, log)
	case dhcpv4.MessageTypeRequest:
		if sid := req.ServerIdentifier(); sid != nil && !sid.IsUnspecified() && !s.ownsServerID(sid) {
			return // the client took another server's offer
		}
		addr := req.RequestedIPAddress()
		if addr == nil || addr.IsUnspecified() {
			addr = req.ClientIPAddr
		}
		want, _ := netip.AddrFromSlice(addr.To4())
		o, err := s.e.Request(s.name, id, want)
		if err != nil {
			log.Info("dhcp-server: request refused", "address", want, "err", err)
			if errors.Is(err, config.ErrNoLease) && s.authoritative {
				s.nak(conn, req, log)
			}
			return
		}
		s.reply(conn, req, dhcpv4.MessageTypeAck, o, log)
		if o.Bound {
			log.Info("dhcp-server: lease bound", "address", o.Address, "host", id.HostName)
			go runScript(context.WithoutCancel(ctx), s.m.Log, s.e, o.Script, s.name, id.MAC, o.Address.String(), id.HostName, true)
		}
	case dhcpv4.MessageTypeRelease, dhcpv4.MessageTypeDecline:
		if l, ok := s.e.Release(s.name, id); ok {
			log.Info("dhcp-server: lease released", "address", l.Address)
			go runScript(context.WithoutCancel(ctx), s.m.Log, s.e, l.Script, l.Server, l.MAC, l.Address, id.HostName, false)
		}
	}
}

// ownsServerID reports whether sid is one of the router's addresses on the
// server's interface.
func (s *server) ownsServerID(sid net.IP) bool {
	a, ok := netip.AddrFromSlice(sid.To4())
	return ok && slices.Contains(s.e.DHCPServerAddrs(s.name), a)
}

func ip(a netip.Addr) net.IP { return net.IP(a.AsSlice()) }

func ips(as []netip.Addr) []net.IP {
	var out []net.IP
	for _, a := range as {
		out = append(out, ip(a))
	}
	return out
}

// reply sends an OFFER or ACK. Replies go to the client's address when it
// has one (renewal), otherwise to the broadcast address on the interface:
// a client without an address cannot be reached by unicast without an ARP
// entry the socket cannot make.
func (s *server) reply(conn net.PacketConn, req *dhcpv4.DHCPv4, mt dhcpv4.MessageType, o config.DHCPOffer, log *slog.Logger) {
	mods := []dhcpv4.Modifier{
		dhcpv4.WithMessageType(mt),
		dhcpv4.WithYourIP(ip(o.Address)),
		dhcpv4.WithServerIP(ip(o.ServerID)),
		dhcpv4.WithOption(dhcpv4.OptServerIdentifier(ip(o.ServerID))),
		dhcpv4.WithOption(dhcpv4.OptSubnetMask(net.CIDRMask(o.Netmask, 32))),
		dhcpv4.WithOption(dhcpv4.OptIPAddressLeaseTime(o.LeaseTime)),
		dhcpv4.WithOption(dhcpv4.OptRenewTimeValue(o.LeaseTime / 2)),
		dhcpv4.WithOption(dhcpv4.OptRebindingTimeValue(o.LeaseTime * 7 / 8)),
	}
	if len(o.Gateway) > 0 {
		mods = append(mods, dhcpv4.WithOption(dhcpv4.OptRouter(ips(o.Gateway)...)))
	}
	if len(o.DNS) > 0 {
		mods = append(mods, dhcpv4.WithOption(dhcpv4.OptDNS(ips(o.DNS)...)))
	}
	if len(o.NTP) > 0 {
		mods = append(mods, dhcpv4.WithOption(dhcpv4.OptNTPServers(ips(o.NTP)...)))
	}
	if o.Domain != "" {
		mods = append(mods, dhcpv4.WithOption(dhcpv4.OptDomainName(o.Domain)))
	}
	resp, err := dhcpv4.NewReplyFromRequest(req, mods...)
	if err != nil {
		log.Warn("dhcp-server: build reply", "err", err)
		return
	}
	s.send(conn, req, resp, log)
}

func (s *server) nak(conn net.PacketConn, req *dhcpv4.DHCPv4, log *slog.Logger) {
	resp, err := dhcpv4.NewReplyFromRequest(req, dhcpv4.WithMessageType(dhcpv4.MessageTypeNak))
	if err != nil {
		return
	}
	resp.ClientIPAddr = net.IPv4zero
	s.send(conn, req, resp, log)
}

func (s *server) send(conn net.PacketConn, req, resp *dhcpv4.DHCPv4, log *slog.Logger) {
	dst := &net.UDPAddr{IP: net.IPv4bcast, Port: dhcpv4.ClientPort}
	if c := req.ClientIPAddr; c != nil && !c.IsUnspecified() && resp.MessageType() != dhcpv4.MessageTypeNak {
		dst.IP = c
	}
	if _, err := conn.WriteTo(resp.ToBytes(), dst); err != nil {
		log.Warn("dhcp-server: send", "type", resp.MessageType(), "to", dst, "err", err)
	}
}

// runScript runs a server's lease script with the variables of RouterOS
// (docs/routeros.md); a failure is already in the router's /log.
func runScript(ctx context.Context, log *slog.Logger, e Engine, src, server, mac, addr, host string, bound bool) {
	if strings.TrimSpace(src) == "" {
		return
	}
	vars := config.LeaseScriptVars(server, mac, addr, host, bound)
	if err := e.RunScript(ctx, fmt.Sprintf("dhcp-server %s", server), src, vars); err != nil {
		log.Warn("dhcp-server: lease script failed", "server", server, "bound", bound, "err", err)
	}
}
