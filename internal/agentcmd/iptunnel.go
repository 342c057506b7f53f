package agentcmd

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/chrlab/chrlab/rosemu/iptun"
	"github.com/vishvananda/netlink"
)

// A lab host's GRE, IPIP or EoIP tunnel (labagent node --gre-* /
// --ipip-* / --eoip-*): the far site of a router's /interface gre, ipip
// or eoip. It runs in user space (rosemu/iptun, the code rosemu's own
// tunnels run), as the lab's kernels have no gre or ipip module, and
// answers the router's GRE and IPIP keepalives as Linux and Cisco do (it
// routes them back). EoIP's keepalive is not answered but sent by each
// end, so the host sends its own, 10s,10 (RouterOS's default) unless
// --eoip-keepalive says otherwise; its TAP carries the host's address
// in the subnet of the router's bridge (layer 2 site to site).

type ipTunFlags struct {
	kind                                      string // "gre", "ipip" or "eoip"
	local, remote, address, routes, keepalive string
	tunnelID                                  int // EoIP's --eoip-tunnel-id
}

func (f *ipTunFlags) register(fs *flag.FlagSet) {
	k := f.kind
	fs.StringVar(&f.remote, k+"-remote", "", k+": the router's `address` (the tunnel's far end; enables the tunnel)")
	fs.StringVar(&f.local, k+"-local", "", k+": this host's outer `address` (default: the routing table's choice)")
	fs.StringVar(&f.address, k+"-address", "", k+": this host's tunnel `address/len`")
	if k == "eoip" {
		// A TAP is an Ethernet link: a route needs its next hop there,
		// or the host asks ARP for every far address and nobody answers.
		fs.StringVar(&f.routes, k+"-routes", "", k+": comma-separated `prefix=gateway` routes through the tunnel, each by its next hop in --eoip-address's subnet (the router's address on its EoIP interface)")
	} else {
		fs.StringVar(&f.routes, k+"-routes", "", k+": comma-separated `prefixes` routed into the tunnel (prefix=gateway: by a next hop in --"+k+"-address's subnet)")
	}
	if k == "eoip" {
		fs.IntVar(&f.tunnelID, k+"-tunnel-id", 0, k+": the tunnel's `id` (the router's tunnel-id, 0..65535)")
		fs.StringVar(&f.keepalive, k+"-keepalive", "", k+": `interval,retries` of this host's own keepalives, which the router's tunnel needs to keep running (default 10s,10, RouterOS's; off: none)")
		return
	}
	fs.StringVar(&f.keepalive, k+"-keepalive", "", k+": `interval,retries` of this host's own keepalives (default none; the router's are answered regardless)")
}

type ipTunOptions struct {
	cfg     iptun.Config
	address netip.Prefix
	routes  []tunRoute
}

// tunRoute is a route through the host's tunnel: to dst, by the next hop
// via in the tunnel's subnet (invalid: straight into the link, which a
// GRE or IPIP TUN allows).
type tunRoute struct {
	dst netip.Prefix
	via netip.Addr
}

func (r tunRoute) String() string {
	if r.via.IsValid() {
		return r.dst.String() + " via " + r.via.String()
	}
	return r.dst.String()
}

// options checks the flags; enabled is false without --KIND-remote.
func (f *ipTunFlags) options() (o ipTunOptions, enabled bool, err error) {
	k := f.kind
	if f.remote == "" {
		if f.local != "" || f.address != "" || f.routes != "" || f.keepalive != "" || f.tunnelID != 0 {
			return o, false, fmt.Errorf("--%s-* flags without --%s-remote", k, k)
		}
		return o, false, nil
	}
	o.cfg = iptun.Config{Link: k + "0", Proto: iptun.GRE}
	if k == "ipip" {
		o.cfg.Proto = iptun.IPIP
	}
	if k == "eoip" {
		if f.tunnelID < 0 || f.tunnelID > 65535 {
			return o, false, fmt.Errorf("--eoip-tunnel-id %d is not in 0..65535", f.tunnelID)
		}
		o.cfg.EoIP, o.cfg.TunnelID = true, uint16(f.tunnelID)
		switch f.keepalive {
		case "":
			f.keepalive = "10s,10"
		case "off":
			f.keepalive = ""
		}
	}
	if o.cfg.Remote, err = netip.ParseAddr(f.remote); err != nil || !o.cfg.Remote.Is4() {
		return o, false, fmt.Errorf("--%s-remote %q is not an IPv4 address", k, f.remote)
	}
	if f.local != "" {
		if o.cfg.Local, err = netip.ParseAddr(f.local); err != nil || !o.cfg.Local.Is4() {
			return o, false, fmt.Errorf("--%s-local %q is not an IPv4 address", k, f.local)
		}
	}
	if o.address, err = netip.ParsePrefix(f.address); err != nil || !o.address.Addr().Is4() {
		return o, false, fmt.Errorf("--%s-address %q is not an IPv4 address/len", k, f.address)
	}
	for s := range strings.SplitSeq(f.routes, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		dst, gw, hasGW := strings.Cut(s, "=")
		p, err := netip.ParsePrefix(dst)
		if err != nil || !p.Addr().Is4() {
			return o, false, fmt.Errorf("--%s-routes: %q is not an IPv4 prefix", k, dst)
		}
		r := tunRoute{dst: p.Masked()}
		switch {
		case hasGW:
			if r.via, err = netip.ParseAddr(gw); err != nil || !o.address.Masked().Contains(r.via) || r.via == o.address.Addr() {
				return o, false, fmt.Errorf("--%s-routes: the next hop %q of %s is no other address of --%s-address %s's subnet", k, gw, dst, k, o.address)
			}
		case o.cfg.EoIP:
			// forum58 D2: such routes were taken as routes into the
			// link, and every packet to a routed prefix was lost.
			return o, false, fmt.Errorf("--eoip-routes: %s needs its next hop (%s=ADDRESS, the router's address in %s): an EoIP tunnel is an Ethernet link, where a route without one makes the host ask ARP for every far address", dst, dst, o.address.Masked())
		}
		o.routes = append(o.routes, r)
	}
	if f.keepalive != "" {
		iv, rv, _ := strings.Cut(f.keepalive, ",")
		d, err1 := time.ParseDuration(iv)
		n, err2 := strconv.Atoi(rv)
		if err1 != nil || err2 != nil || d <= 0 || n <= 0 {
			return o, false, fmt.Errorf("--%s-keepalive %q: want interval,retries such as 10s,10", k, f.keepalive)
		}
		o.cfg.Keepalive, o.cfg.Retries = d, n
	}
	return o, true, nil
}

// ipTunnels holds the host's tunnels for the life of the process.
var ipTunnels []*iptun.Tunnel

// startIPTunnel brings the tunnel up: its TUN link (TAP for EoIP) with the
// address and the GRE, IPIP or EoIP default mtu (1476, 1480, 1458), and
// the routes through it.
func startIPTunnel(o ipTunOptions, logf func(string, ...any)) error {
	k := o.cfg.Proto.String()
	mtu := 1500 - o.cfg.Proto.Overhead()
	if o.cfg.EoIP {
		k, mtu = "eoip", 1500-iptun.EoIPOverhead
	}
	o.cfg.Logf = func(f string, a ...any) { logf(k+": "+f, a...) }
	t, err := iptun.Start(o.cfg)
	if err != nil {
		return fmt.Errorf("%s: %w", k, err)
	}
	err = withNetlink("set up the "+k+" tunnel", func(h *netlink.Handle) error {
		l, err := h.LinkByName(o.cfg.Link)
		if err != nil {
			return err
		}
		if err := h.LinkSetMTU(l, mtu); err != nil {
			return err
		}
		if err := h.AddrAdd(l, &netlink.Addr{IPNet: &net.IPNet{IP: o.address.Addr().AsSlice(), Mask: net.CIDRMask(o.address.Bits(), 32)}}); err != nil {
			return fmt.Errorf("address %s on %s: %w", o.address, o.cfg.Link, err)
		}
		if err := h.LinkSetUp(l); err != nil {
			return err
		}
		for _, r := range o.routes {
			route := &netlink.Route{Dst: &net.IPNet{IP: r.dst.Addr().AsSlice(), Mask: net.CIDRMask(r.dst.Bits(), 32)}, LinkIndex: l.Attrs().Index, Scope: netlink.SCOPE_LINK}
			if r.via.IsValid() {
				route.Gw, route.Scope = r.via.AsSlice(), netlink.SCOPE_UNIVERSE
			}
			if err := h.RouteAdd(route); err != nil && !errors.Is(err, syscall.EEXIST) {
				return fmt.Errorf("route %s into the tunnel: %w", r.dst, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Close()
		return err
	}
	ipTunnels = append(ipTunnels, t)
	logf("%s: %s %s up, remote %s, local %v, tunnel id %d, routes %v, keepalive %v,%d", k, o.cfg.Link, o.address, o.cfg.Remote, o.cfg.Local, o.cfg.TunnelID, o.routes, o.cfg.Keepalive, o.cfg.Retries)
	return nil
}
