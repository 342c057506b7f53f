package dhcp6

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv6"
	"github.com/insomniacslk/dhcp/iana"

	"github.com/chrlab/chrlab/internal/ctxwait"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
)

// client is the DHCPv6 client of one entry: Solicit, Advertise, Request
// and Reply to bind (or Solicit and Reply with rapid commit), Renew at
// T1, Rebind at T2, a fresh start when the lease runs out or the server
// says no, Release when it stops.
type client struct {
	m      *Manager
	e      Engine
	w      config.DHCP6Client
	cancel context.CancelFunc
	done   chan struct{}
	kick   chan string

	mu     sync.Mutex
	script string
}

func (c *client) setScript(s string) {
	c.mu.Lock()
	c.script = s
	c.mu.Unlock()
}

func (c *client) currentScript() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.script
}

func (c *client) stop() {
	c.cancel()
	<-c.done
}

// binding is what the client holds: the lease and what it needs to
// renew it.
type binding struct {
	lease    config.Lease6
	serverID dhcpv6.DUID
	server   *net.UDPAddr
	t1, t2   time.Duration
	valid    time.Duration
	at       time.Time
}

// link is the Linux interface that carries the RouterOS interface.
func (c *client) link() string { return kernel.LinkName(c.w.Interface) }

// iaid is the identity association's id: the same for the same
// interface name, so a restarted client asks for the same binding.
func (c *client) iaid() [4]byte {
	var id [4]byte
	s := crc32.ChecksumIEEE([]byte(c.w.Interface))
	id[0], id[1], id[2], id[3] = byte(s>>24), byte(s>>16), byte(s>>8), byte(s)
	return id
}

func (c *client) run(ctx context.Context) {
	log := c.m.Log.With("interface", c.w.Interface)
	var conn *net.UDPConn
	var duid dhcpv6.DUID
	// The socket needs the interface's link-local address, which comes
	// with IPv6 on the link: wait for it.
	for conn == nil {
		err := c.m.inNetns(func() error {
			var err error
			conn, duid, err = open(c.link())
			return err
		})
		if err != nil {
			_ = c.e.SetDHCP6Status(c.w.Interface, "searching...")
			log.Debug("dhcpv6: waiting for the interface", "err", err)
			if !ctxwait.Sleep(ctx, time.Second) {
				return
			}
		}
	}
	defer conn.Close()
	x := &exchanger{conn: conn, zone: conn.LocalAddr().(*net.UDPAddr).Zone, rt: c.m.retransmit()}
	var b *binding
	defer func() {
		if b != nil {
			// Give it back; a short wait, as the router is going away.
			rctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			_, _, _ = x.exchange(rctx, c.message(dhcpv6.MessageTypeRelease, duid, b), b.server, 1, dhcpv6.MessageTypeReply)
			cancel()
			// The entry was disabled or removed (or the router stops):
			// the prefix and address are gone (the engine dropped the
			// lease in the same change), and the script is told so
			// with pd-valid=0 and na-valid=0, as after a release and
			// as the IPv4 client's lease script runs unbound on
			// disable. The ctx is over; the script gets one that is
			// not.
			c.runScript(context.WithoutCancel(ctx), nil, log)
		}
	}()
	for ctx.Err() == nil {
		if b == nil {
			_ = c.e.SetDHCP6Status(c.w.Interface, "searching...")
			nb, err := c.bind(ctx, x, duid)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				log.Debug("dhcpv6: no lease", "err", err)
				if !ctxwait.Sleep(ctx, c.m.retransmit()) {
					return
				}
				continue
			}
			b = nb
			c.report(ctx, &b.lease, log)
			log.Info("dhcpv6: bound", "prefix", b.lease.Prefix, "address", b.lease.Address, "server", b.lease.Server)
		}
		// Bound: wait for T1, a command, or the end.
		ok, cmd := c.wait(ctx, time.Until(b.at.Add(b.t1)))
		if !ok {
			return
		}
		switch cmd {
		case "release":
			_, _, _ = x.exchange(ctx, c.message(dhcpv6.MessageTypeRelease, duid, b), b.server, 1, dhcpv6.MessageTypeReply)
			b = nil
			c.report(ctx, nil, log)
			continue
		}
		nb := c.extend(ctx, x, duid, b, log)
		if ctx.Err() != nil {
			return
		}
		if nb == nil {
			b = nil
			c.report(ctx, nil, log)
			continue
		}
		changed := nb.lease.Prefix != b.lease.Prefix || nb.lease.Address != b.lease.Address
		b = nb
		if changed {
			c.report(ctx, &b.lease, log)
		} else {
			_ = c.e.SetLease6(c.w.Interface, &b.lease)
		}
	}
}

// report tells the engine what the client holds and runs the script.
func (c *client) report(ctx context.Context, l *config.Lease6, log *slog.Logger) {
	if err := c.e.SetLease6(c.w.Interface, l); err != nil {
		log.Warn("dhcpv6: the router did not take the lease", "err", err)
	}
	c.runScript(ctx, l, log)
}

// runScript runs the entry's script, if it has one, with the variables
// of l (nil: nothing held, pd-valid=0 and na-valid=0).
func (c *client) runScript(ctx context.Context, l *config.Lease6, log *slog.Logger) {
	if src := c.currentScript(); src != "" {
		if err := c.e.RunLease6Script(ctx, c.w.Interface, src, l); err != nil {
			log.Warn("dhcpv6: script", "err", err)
		}
	}
}

// extend renews the binding at T1, rebinds from T2 and gives up when the
// valid lifetime ends; nil when the lease is gone.
func (c *client) extend(ctx context.Context, x *exchanger, duid dhcpv6.DUID, b *binding, log *slog.Logger) *binding {
	_ = c.e.SetDHCP6Status(c.w.Interface, "renewing...")
	end := b.at.Add(b.valid)
	for ctx.Err() == nil && time.Now().Before(end) {
		typ, dst := dhcpv6.MessageTypeRenew, b.server
		if !time.Now().Before(b.at.Add(b.t2)) {
			typ, dst = dhcpv6.MessageTypeRebind, nil
			_ = c.e.SetDHCP6Status(c.w.Interface, "rebinding...")
		}
		m := c.message(typ, duid, b)
		if typ == dhcpv6.MessageTypeRebind {
			m.Options.Del(dhcpv6.OptionServerID)
		}
		reply, from, err := x.exchange(ctx, m, dst, 3, dhcpv6.MessageTypeReply)
		if err == nil {
			nb, err := c.binding(reply, from)
			if err == nil {
				return nb
			}
			log.Debug("dhcpv6: renewal refused", "err", err)
			return nil
		}
	}
	return nil
}

// bind runs Solicit to Reply.
func (c *client) bind(ctx context.Context, x *exchanger, duid dhcpv6.DUID) (*binding, error) {
	sol := c.message(dhcpv6.MessageTypeSolicit, duid, nil)
	if c.w.RapidCommit {
		dhcpv6.WithRapidCommit(sol)
	}
	adv, from, err := x.exchange(ctx, sol, nil, 3, dhcpv6.MessageTypeAdvertise, dhcpv6.MessageTypeReply)
	if err != nil {
		return nil, err
	}
	if adv.MessageType == dhcpv6.MessageTypeReply {
		return c.binding(adv, from)
	}
	if _, err := c.binding(adv, from); err != nil {
		return nil, err // it offers nothing we asked for
	}
	req := c.message(dhcpv6.MessageTypeRequest, duid, &binding{serverID: adv.Options.ServerID()})
	reply, from, err := x.exchange(ctx, req, nil, 3, dhcpv6.MessageTypeReply)
	if err != nil {
		return nil, err
	}
	return c.binding(reply, from)
}

// message builds a client message; b, when not nil, names the server and
// what the client holds.
func (c *client) message(t dhcpv6.MessageType, duid dhcpv6.DUID, b *binding) *dhcpv6.Message {
	m, _ := dhcpv6.NewMessage()
	m.MessageType = t
	m.AddOption(dhcpv6.OptClientID(duid))
	if b != nil && b.serverID != nil {
		m.AddOption(dhcpv6.OptServerID(b.serverID))
	}
	m.AddOption(dhcpv6.OptElapsedTime(0))
	m.AddOption(dhcpv6.OptRequestedOption(dhcpv6.OptionDNSRecursiveNameServer))
	iaid := c.iaid()
	if c.w.Prefix {
		pd := &dhcpv6.OptIAPD{IaId: iaid}
		switch {
		case b != nil && b.lease.Prefix.IsValid():
			pd.Options.Add(&dhcpv6.OptIAPrefix{Prefix: ipnet(b.lease.Prefix)})
		case c.w.PrefixHint.IsValid():
			pd.Options.Add(&dhcpv6.OptIAPrefix{Prefix: ipnet(c.w.PrefixHint)})
		}
		m.AddOption(pd)
	}
	if c.w.Address {
		na := &dhcpv6.OptIANA{IaId: iaid}
		if b != nil && b.lease.Address.IsValid() {
			na.Options.Add(&dhcpv6.OptIAAddress{IPv6Addr: net.IP(b.lease.Address.AsSlice())})
		}
		m.AddOption(na)
	}
	return m
}

func ipnet(p netip.Prefix) *net.IPNet {
	return &net.IPNet{IP: net.IP(p.Addr().AsSlice()), Mask: net.CIDRMask(p.Bits(), 128)}
}

// binding reads what a reply (or advertise) gives: every asked-for
// identity association must come back with a usable lease.
func (c *client) binding(m *dhcpv6.Message, from *net.UDPAddr) (*binding, error) {
	if st := m.Options.Status(); st != nil && st.StatusCode != iana.StatusSuccess {
		return nil, fmt.Errorf("server says %s: %s", st.StatusCode, st.StatusMessage)
	}
	srv, ok := netip.AddrFromSlice(from.IP)
	if !ok {
		return nil, errors.New("reply from a non-IPv6 address")
	}
	b := &binding{serverID: m.Options.ServerID(), server: from, at: time.Now()}
	b.lease.Server = srv.Unmap()
	var t1, t2, valid time.Duration
	take := func(it1, it2, pref, v time.Duration) {
		// RFC 8415 21.4: T1 and T2 of 0 leave the times to the client,
		// 0.5 and 0.8 of the shortest preferred lifetime.
		if it1 == 0 {
			it1 = pref / 2
		}
		if it2 == 0 {
			it2 = pref * 8 / 10
		}
		if t1 == 0 || it1 < t1 {
			t1 = it1
		}
		if t2 == 0 || it2 < t2 {
			t2 = it2
		}
		if valid == 0 || v < valid {
			valid = v
		}
	}
	iaid := c.iaid()
	if c.w.Prefix {
		var got bool
		for _, pd := range m.Options.IAPD() {
			if pd.IaId != iaid {
				continue
			}
			if st := pd.Options.Status(); st != nil && st.StatusCode != iana.StatusSuccess {
				return nil, fmt.Errorf("no prefix: %s: %s", st.StatusCode, st.StatusMessage)
			}
			for _, p := range pd.Options.Prefixes() {
				if p.Prefix == nil || p.ValidLifetime == 0 {
					continue
				}
				a, _ := netip.AddrFromSlice(p.Prefix.IP.To16())
				n, _ := p.Prefix.Mask.Size()
				b.lease.Prefix = netip.PrefixFrom(a, n).Masked()
				take(pd.T1, pd.T2, p.PreferredLifetime, p.ValidLifetime)
				got = true
				break
			}
		}
		if !got {
			return nil, errors.New("no prefix delegated")
		}
	}
	if c.w.Address {
		var got bool
		for _, na := range m.Options.IANA() {
			if na.IaId != iaid {
				continue
			}
			if st := na.Options.Status(); st != nil && st.StatusCode != iana.StatusSuccess {
				return nil, fmt.Errorf("no address: %s: %s", st.StatusCode, st.StatusMessage)
			}
			for _, a := range na.Options.Addresses() {
				if ip, ok := netip.AddrFromSlice(a.IPv6Addr.To16()); ok && a.ValidLifetime > 0 {
					b.lease.Address = ip
					take(na.T1, na.T2, a.PreferredLifetime, a.ValidLifetime)
					got = true
					break
				}
			}
		}
		if !got {
			return nil, errors.New("no address leased")
		}
	}
	for _, d := range m.Options.DNS() {
		if a, ok := netip.AddrFromSlice(d.To16()); ok {
			b.lease.DNS = append(b.lease.DNS, a)
		}
	}
	if t1 <= 0 {
		t1 = time.Second
	}
	if t2 < t1 {
		t2 = t1
	}
	if valid < t2 {
		valid = t2
	}
	b.t1, b.t2, b.valid = t1, t2, valid
	b.lease.Expires = b.at.Add(valid)
	return b, nil
}

// wait waits d, until ctx ends or a command comes.
func (c *client) wait(ctx context.Context, d time.Duration) (bool, string) {
	t := time.NewTimer(max(d, 0))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false, ""
	case <-t.C:
		return true, ""
	case cmd := <-c.kick:
		return true, cmd
	}
}

// open binds the client's socket on the link's link-local address, port
// 546, and makes its DUID (DUID-LL of the link's MAC address). It runs in
// the router's namespace; the socket's zone is the link's index, so that
// later sends do not look the name up in another namespace.
func open(link string) (*net.UDPConn, dhcpv6.DUID, error) {
	ifc, err := net.InterfaceByName(link)
	if err != nil {
		return nil, nil, err
	}
	addrs, err := ifc.Addrs()
	if err != nil {
		return nil, nil, err
	}
	var ll net.IP
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() == nil && n.IP.IsLinkLocalUnicast() {
			ll = n.IP
			break
		}
	}
	if ll == nil {
		return nil, nil, fmt.Errorf("%s has no link-local address yet", link)
	}
	mac := ifc.HardwareAddr
	if len(mac) < 6 {
		// A link without a MAC address (a tunnel): a DUID made of
		// the interface's index stands in.
		mac = net.HardwareAddr{0x02, 0, 0, 0, byte(ifc.Index >> 8), byte(ifc.Index)}
	}
	conn, err := net.ListenUDP("udp6", &net.UDPAddr{IP: ll, Port: dhcpv6.DefaultClientPort, Zone: strconv.Itoa(ifc.Index)})
	if err != nil {
		return nil, nil, err
	}
	return conn, &dhcpv6.DUIDLL{HWType: iana.HWTypeEthernet, LinkLayerAddr: mac}, nil
}

// exchanger sends a message and waits for its answer.
type exchanger struct {
	conn *net.UDPConn
	zone string
	rt   time.Duration
}

// allServers is All_DHCP_Relay_Agents_and_Servers.
var allServers = net.ParseIP("ff02::1:2")

// exchange sends m to dst (nil: every server on the link) up to tries
// times and returns the first answer of one of the types with m's
// transaction id, and where it came from.
func (x *exchanger) exchange(ctx context.Context, m *dhcpv6.Message, dst *net.UDPAddr, tries int, types ...dhcpv6.MessageType) (*dhcpv6.Message, *net.UDPAddr, error) {
	if dst == nil {
		dst = &net.UDPAddr{IP: allServers, Port: dhcpv6.DefaultServerPort, Zone: x.zone}
	}
	buf := make([]byte, 4096)
	for i := 0; i < tries; i++ {
		if _, err := x.conn.WriteToUDP(m.ToBytes(), dst); err != nil {
			return nil, nil, err
		}
		deadline := time.Now().Add(x.rt)
		for time.Now().Before(deadline) {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			// Short reads, so that ctx's end is seen quickly.
			rd := time.Now().Add(200 * time.Millisecond)
			if deadline.Before(rd) {
				rd = deadline
			}
			_ = x.conn.SetReadDeadline(rd)
			n, from, err := x.conn.ReadFromUDP(buf)
			if err != nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					continue
				}
				return nil, nil, err
			}
			r, err := dhcpv6.MessageFromBytes(buf[:n])
			if err != nil || r.TransactionID != m.TransactionID {
				continue
			}
			for _, t := range types {
				if r.MessageType == t {
					return r, from, nil
				}
			}
		}
	}
	return nil, nil, errors.New("no answer from a DHCPv6 server")
}
