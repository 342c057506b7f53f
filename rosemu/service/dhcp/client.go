package dhcp

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
	"github.com/insomniacslk/dhcp/dhcpv4/nclient4"
	"github.com/insomniacslk/dhcp/dhcpv4/server4"

	"github.com/chrlab/chrlab/internal/ctxwait"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// client is the DHCP client of one /ip dhcp-client entry: RFC 2131's
// INIT, SELECTING, REQUESTING, BOUND, RENEWING and REBINDING states.
type client struct {
	m      *Manager
	e      Engine
	iface  string
	cancel context.CancelFunc
	done   chan struct{}
	// kick carries /ip dhcp-client release and renew (Manager.DHCPClientCommand).
	kick chan string

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

// stop ends the client and waits until it released its lease.
func (c *client) stop() {
	c.cancel()
	<-c.done
}

// wait waits d, until ctx ends or until a release or renew command
// comes; it reports whether ctx is still alive and the command ("" when
// d passed).
func (c *client) wait(ctx context.Context, d time.Duration) (bool, string) {
	t := time.NewTimer(d)
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

// link is the Linux interface under the client's RouterOS interface, where
// its sockets bind: a name with a blank or over 15 bytes ("main
// infrastructure", a cAP's bridge) is carried by another (kernel.LinkName),
// and binding the RouterOS name failed "no such network interface" until
// the lab gave up waiting for the lease.
func (c *client) link() string { return kernel.LinkName(c.iface) }

// open creates the nclient4 client in the router's namespace, retrying
// while the interface does not exist yet (a port the lab has not wired).
func (c *client) open(ctx context.Context) (*nclient4.Client, error) {
	for {
		var cl *nclient4.Client
		err := c.m.inNetns(func() error {
			var err error
			cl, err = nclient4.New(c.link(), nclient4.WithTimeout(c.m.retransmit()), nclient4.WithRetry(2))
			return err
		})
		if err == nil {
			return cl, nil
		}
		c.m.Log.Warn("dhcp-client: open raw socket", "interface", c.iface, "err", err)
		if !ctxwait.Sleep(ctx, time.Second) {
			return nil, ctx.Err()
		}
	}
}

func (c *client) status(s string) {
	if err := c.e.SetDHCPStatus(c.iface, s); err != nil {
		c.m.Log.Debug("dhcp-client: set status", "interface", c.iface, "status", s, "err", err)
	}
}

func (c *client) run(ctx context.Context) {
	cl, err := c.open(ctx)
	if err != nil {
		return
	}
	defer cl.Close()
	var cur *nclient4.Lease
	// scripted is the address the lease script last saw bound; the script
	// runs again only when a lease brings another address. Whether a plain
	// renewal re-runs the script on RouterOS is open ([verify] in docs/routeros.md);
	// the documentation says the script runs when a lease is "added or
	// changed", so an unchanged renewal does not.
	var scripted netip.Prefix
	defer func() {
		// The entry was disabled, removed or the router stops: release
		// the lease, as RouterOS does, and tell the script.
		if cur != nil {
			if err := cl.Release(cur); err != nil {
				c.m.Log.Warn("dhcp-client: release", "interface", c.iface, "err", err)
			}
			c.runScript(context.WithoutCancel(ctx), cur, false)
		}
	}()
	for ctx.Err() == nil {
		if cur == nil {
			// A release or renew asked while there is no lease has
			// nothing to act on.
			select {
			case <-c.kick:
			default:
			}
			c.status("searching...")
			offer, err := cl.DiscoverOffer(ctx)
			if err != nil {
				if ctx.Err() == nil {
					c.m.Log.Info("dhcp-client: no offer", "interface", c.iface, "err", err)
				}
				ctxwait.Sleep(ctx, time.Second)
				continue
			}
			c.status("requesting...")
			l, err := cl.RequestFromOffer(ctx, offer)
			if err != nil {
				c.m.Log.Info("dhcp-client: request refused", "interface", c.iface, "offer", offer.YourIPAddr, "err", err)
				continue
			}
			cur = l
			scripted = c.bound(ctx, l, scripted)
			continue
		}
		t1, t2, exp := leaseTimes(cur)
		alive, cmd := c.wait(ctx, time.Until(t1))
		if !alive {
			return
		}
		if cmd == "release" {
			// /ip dhcp-client release: the lease ends as when the entry
			// is disabled (DHCPRELEASE, the address and route go, the
			// script runs unbound), and the client starts again.
			c.m.Log.Info("dhcp-client: release asked", "interface", c.iface, "address", cur.ACK.YourIPAddr)
			if err := cl.Release(cur); err != nil {
				c.m.Log.Warn("dhcp-client: release", "interface", c.iface, "err", err)
			}
			released := cur
			cur = nil
			if err := c.e.SetLease(c.iface, nil); err != nil {
				c.m.Log.Warn("dhcp-client: remove lease", "interface", c.iface, "err", err)
			}
			c.runScript(ctx, released, false)
			scripted = netip.Prefix{}
			continue
		}
		// T1, or /ip dhcp-client renew: ask the server now.
		c.status("renewing...")
		l, err := c.renew(ctx, cl, cur, &net.UDPAddr{IP: cur.ACK.ServerIdentifier(), Port: nclient4.ServerPort}, t2)
		if err == nil {
			cur = l
			scripted = c.bound(ctx, l, scripted)
			continue
		}
		var nak *nclient4.ErrNak
		if !errors.As(err, &nak) && ctx.Err() == nil {
			c.status("rebinding...")
			l, err = c.renew(ctx, cl, cur, nclient4.DefaultServers, exp)
			if err == nil {
				cur = l
				scripted = c.bound(ctx, l, scripted)
				continue
			}
		}
		if ctx.Err() != nil {
			return
		}
		c.m.Log.Info("dhcp-client: lease lost", "interface", c.iface, "address", cur.ACK.YourIPAddr, "err", err)
		lost := cur
		cur = nil
		if err := c.e.SetLease(c.iface, nil); err != nil {
			c.m.Log.Warn("dhcp-client: remove lease", "interface", c.iface, "err", err)
		}
		c.runScript(ctx, lost, false)
		scripted = netip.Prefix{}
	}
}

// renew asks for the lease again until deadline: unicast to the server in
// RENEWING, broadcast in REBINDING. A NAK ends it at once.
//
// Requests go out through a UDP socket on the interface, sourced from the
// leased address the kernel holds: the raw socket sends from 0.0.0.0, which
// a Linux server drops as a martian source unless the destination is a
// broadcast. Answers are read from a raw socket instead, below the
// firewall, as RouterOS's client reads them: a server NAKs by broadcast
// (RFC 2131 4.3.2), and that broadcast matches no conntrack entry, so the
// defconf "drop all not coming from LAN" rule would drop it before any UDP
// socket saw it. Only when those sockets cannot be opened does the raw
// client serve for both.
func (c *client) renew(ctx context.Context, raw *nclient4.Client, cur *nclient4.Lease, dest *net.UDPAddr, deadline time.Time) (*nclient4.Lease, error) {
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	var send, recv net.PacketConn
	err := c.m.inNetns(func() error {
		var err error
		if send, err = server4.NewIPv4UDPConn(c.link(), &net.UDPAddr{Port: nclient4.ClientPort}); err != nil {
			return err
		}
		// NewRawUDPConn yields DHCP payloads sent to port 68 at any
		// address, broadcasts included.
		if recv, err = nclient4.NewRawUDPConn(c.link(), nclient4.ClientPort); err != nil {
			send.Close()
			return err
		}
		return nil
	})
	if err != nil {
		c.m.Log.Warn("dhcp-client: open sockets for renewal; renewing over the raw client", "interface", c.iface, "err", err)
		return c.renewRaw(ctx, raw, cur, dest)
	}
	defer send.Close()
	defer recv.Close()
	buf := make([]byte, nclient4.MaxMessageSize)
	var last error = context.DeadlineExceeded
	// The clock, not only ctx, ends the loop: past the deadline every read fails at once,
	// and on a loaded machine the context's timer may run late; until it did, the loop sent
	// a request per read (167 within 15 ms at an ISP in a lab).
	for ctx.Err() == nil && time.Now().Before(deadline) {
		req, err := dhcpv4.NewRenewFromAck(cur.ACK, dhcpv4.WithOption(dhcpv4.OptMaxMessageSize(nclient4.MaxMessageSize)))
		if err != nil {
			return nil, err
		}
		if _, err := send.WriteTo(req.ToBytes(), dest); err != nil {
			last = fmt.Errorf("send renewal to %s: %w", dest, err)
			ctxwait.Sleep(ctx, c.m.retransmit())
			continue
		}
		wait := time.Now().Add(c.m.retransmit())
		if wait.After(deadline) {
			wait = deadline
		}
		_ = recv.SetReadDeadline(wait)
		for {
			n, _, err := recv.ReadFrom(buf)
			if err != nil {
				// Retransmit, or give up at the deadline; but never before the retransmit
				// time (a read that fails at once, on a socket error, would send a request
				// per loop).
				ctxwait.Sleep(ctx, time.Until(wait))
				break
			}
			m, err := dhcpv4.FromBytes(buf[:n])
			if err != nil || m.OpCode != dhcpv4.OpcodeBootReply || m.TransactionID != req.TransactionID {
				continue
			}
			switch m.MessageType() {
			case dhcpv4.MessageTypeAck:
				return &nclient4.Lease{Offer: cur.Offer, ACK: m, CreationTime: time.Now()}, nil
			case dhcpv4.MessageTypeNak:
				return nil, &nclient4.ErrNak{Offer: cur.Offer, Nak: m}
			}
		}
	}
	return nil, last
}

// renewRaw renews through the raw client alone.
func (c *client) renewRaw(ctx context.Context, raw *nclient4.Client, cur *nclient4.Lease, dest *net.UDPAddr) (*nclient4.Lease, error) {
	var last error
	for ctx.Err() == nil {
		req, err := dhcpv4.NewRenewFromAck(cur.ACK, dhcpv4.WithOption(dhcpv4.OptMaxMessageSize(nclient4.MaxMessageSize)))
		if err != nil {
			return nil, err
		}
		resp, err := raw.SendAndRead(ctx, dest, req, nclient4.IsMessageType(dhcpv4.MessageTypeAck, dhcpv4.MessageTypeNak))
		if err != nil {
			last = err
			continue
		}
		if resp.MessageType() == dhcpv4.MessageTypeNak {
			return nil, &nclient4.ErrNak{Offer: cur.Offer, Nak: resp}
		}
		return &nclient4.Lease{Offer: cur.Offer, ACK: resp, CreationTime: time.Now()}, nil
	}
	if last == nil {
		last = ctx.Err()
	}
	return nil, last
}

// leaseTimes returns T1, T2 and the expiry of a lease: options 58 and 59
// when the server sent them, else RFC 2131's 1/2 and 7/8 of the lease time.
func leaseTimes(l *nclient4.Lease) (t1, t2, exp time.Time) {
	d := l.ACK.IPAddressLeaseTime(time.Hour)
	r := l.ACK.IPAddressRenewalTime(d / 2)
	b := l.ACK.IPAddressRebindingTime(d * 7 / 8)
	return l.CreationTime.Add(r), l.CreationTime.Add(b), l.CreationTime.Add(d)
}

// bound hands a fresh or renewed lease to the engine and runs the script
// when the address differs from the one the script last saw.
func (c *client) bound(ctx context.Context, l *nclient4.Lease, scripted netip.Prefix) netip.Prefix {
	cl := engineLease(l)
	if err := c.e.SetLease(c.iface, cl); err != nil {
		c.m.Log.Warn("dhcp-client: apply lease", "interface", c.iface, "address", cl.Address, "err", err)
		return scripted
	}
	c.m.Log.Info("dhcp-client: bound", "interface", c.iface, "address", cl.Address, "expires", cl.Expires)
	if cl.Address != scripted {
		c.runScript(ctx, l, true)
	}
	return cl.Address
}

// engineLease converts a lease for the engine.
func engineLease(l *nclient4.Lease) *config.Lease {
	ack := l.ACK
	addr, _ := netip.AddrFromSlice(ack.YourIPAddr.To4())
	bits := 32
	if m := ack.SubnetMask(); m != nil {
		bits, _ = m.Size()
	}
	out := &config.Lease{Address: netip.PrefixFrom(addr, bits), Expires: l.CreationTime.Add(ack.IPAddressLeaseTime(time.Hour))}
	out.Server, _ = netip.AddrFromSlice(ack.ServerIdentifier().To4())
	if rs := ack.Router(); len(rs) > 0 {
		out.Gateway, _ = netip.AddrFromSlice(rs[0].To4())
	}
	for _, d := range ack.DNS() {
		if a, ok := netip.AddrFromSlice(d.To4()); ok {
			out.DNS = append(out.DNS, a)
		}
	}
	for _, r := range ack.ClasslessStaticRoute() {
		dst, ok1 := netip.AddrFromSlice(r.Dest.IP.To4())
		gw, ok2 := netip.AddrFromSlice(r.Router.To4())
		ones, _ := r.Dest.Mask.Size()
		if ok1 && ok2 {
			out.Routes = append(out.Routes, config.LeaseRoute{Dst: netip.PrefixFrom(dst, ones).Masked(), Gateway: gw})
		}
	}
	return out
}

// scriptVars are the variables docs/routeros.md lists. lease-options holds every
// received option by its decimal code, the value as a hex string.
// [verify] how RouterOS renders options whose type it knows (addresses).
func scriptVars(iface string, l *nclient4.Lease, bound bool) map[string]script.Value {
	ack := l.ACK
	opts := &script.Array{Keys: map[string]script.Value{}}
	for code, v := range ack.Options {
		opts.Keys[strconv.Itoa(int(code))] = script.Str(hex.EncodeToString(v))
	}
	gw := ""
	if rs := ack.Router(); len(rs) > 0 {
		gw = rs[0].String()
	}
	b := int64(0)
	if bound {
		b = 1
	}
	return map[string]script.Value{
		"bound":           script.Num(b),
		"lease-address":   script.Str(ack.YourIPAddr.String()),
		"server-address":  script.Str(ack.ServerIdentifier().String()),
		"gateway-address": script.Str(gw),
		"interface":       script.Str(iface),
		"lease-options":   {Kind: script.KindArray, Arr: opts},
		"vendor-specific": script.Str(hex.EncodeToString(ack.GetOneOption(dhcpv4.OptionVendorSpecificInformation))),
	}
}

// runScript runs the entry's lease script; a failure is already in the
// router's /log, and the rest of the configuration stays as it was.
func (c *client) runScript(ctx context.Context, l *nclient4.Lease, bound bool) {
	src := c.currentScript()
	if src == "" {
		return
	}
	if err := c.e.RunScript(ctx, "dhcp-client "+c.iface, src, scriptVars(c.iface, l, bound)); err != nil {
		c.m.Log.Warn("dhcp-client: lease script failed", "interface", c.iface, "bound", bound, "err", err)
	}
}
