package agentcmd

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"github.com/chrlab/chrlab/rosemu/wgdev"
	"github.com/chrlab/chrlab/rosemu/wgkey"
	"github.com/vishvananda/netlink"
)

// A lab host's WireGuard tunnel (labagent node --wg-*): a road warrior or
// the far site of a router's WireGuard interface. It runs in user space
// (wireguard-go on a TUN device), as the lab's kernels need no WireGuard
// module, with one peer: the router.

// wgLink is the host's tunnel interface.
const wgLink = "wg0"

type wgFlags struct {
	address, privateKey, peerKey, psk, endpoint, allowed string
	listenPort                                           int
	keepalive                                            time.Duration
}

func (f *wgFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.address, "wg-address", "", "wireguard: the tunnel `address/len` of this host (enables the tunnel)")
	fs.StringVar(&f.privateKey, "wg-private-key", "", "wireguard: this host's private `key` (base64)")
	fs.IntVar(&f.listenPort, "wg-listen-port", 0, "wireguard: the UDP `port` to listen on (0: any)")
	fs.StringVar(&f.peerKey, "wg-peer-public-key", "", "wireguard: the peer's public `key` (base64)")
	fs.StringVar(&f.psk, "wg-preshared-key", "", "wireguard: the peer's preshared `key` (base64), if any")
	fs.StringVar(&f.endpoint, "wg-endpoint", "", "wireguard: the peer's `IP:port`; empty to wait for the peer")
	fs.StringVar(&f.allowed, "wg-allowed", "", "wireguard: comma-separated `prefixes` routed into the tunnel (0.0.0.0/0 for all)")
	fs.DurationVar(&f.keepalive, "wg-keepalive", 0, "wireguard: persistent keepalive `interval` (0: none)")
}

type wgOptions struct {
	address  netip.Prefix
	uapi     string
	peer     string // the peer's public key in hex
	allowed  []netip.Prefix
	endpoint netip.AddrPort
}

// options checks the flags; enabled is false when no --wg-address is set.
func (f *wgFlags) options() (o wgOptions, enabled bool, err error) {
	if f.address == "" {
		if f.privateKey != "" || f.peerKey != "" || f.endpoint != "" || f.allowed != "" {
			return o, false, errors.New("--wg-* flags without --wg-address")
		}
		return o, false, nil
	}
	if o.address, err = netip.ParsePrefix(f.address); err != nil || !o.address.Addr().Is4() {
		return o, false, fmt.Errorf("--wg-address %q is not an IPv4 address/len", f.address)
	}
	priv, pub := wgkey.Hex(f.privateKey), wgkey.Hex(f.peerKey)
	if priv == "" {
		return o, false, fmt.Errorf("--wg-private-key %q is not a 32-byte base64 key", f.privateKey)
	}
	if pub == "" {
		return o, false, fmt.Errorf("--wg-peer-public-key %q is not a 32-byte base64 key", f.peerKey)
	}
	o.peer = pub
	var b strings.Builder
	fmt.Fprintf(&b, "private_key=%s\nlisten_port=%d\nreplace_peers=true\npublic_key=%s\n", priv, f.listenPort, pub)
	if f.psk != "" {
		psk := wgkey.Hex(f.psk)
		if psk == "" {
			return o, false, fmt.Errorf("--wg-preshared-key %q is not a 32-byte base64 key", f.psk)
		}
		fmt.Fprintf(&b, "preshared_key=%s\n", psk)
	}
	if f.endpoint != "" {
		if o.endpoint, err = netip.ParseAddrPort(f.endpoint); err != nil {
			return o, false, fmt.Errorf("--wg-endpoint %q is not IP:port", f.endpoint)
		}
		fmt.Fprintf(&b, "endpoint=%s\n", o.endpoint)
	}
	fmt.Fprintf(&b, "persistent_keepalive_interval=%d\n", int(f.keepalive/time.Second))
	for s := range strings.SplitSeq(f.allowed, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil || !p.Addr().Is4() {
			return o, false, fmt.Errorf("--wg-allowed: %q is not an IPv4 prefix", s)
		}
		o.allowed = append(o.allowed, p.Masked())
		fmt.Fprintf(&b, "allowed_ip=%s\n", p.Masked())
	}
	o.uapi = b.String()
	return o, true, nil
}

// startWireGuard brings the tunnel up: the TUN device with its address,
// the device with its peer, and routes for the allowed prefixes through
// it. A full tunnel (0.0.0.0/0) is two /1 routes, with the endpoint kept
// on the default gateway, so the tunnel's own packets do not loop into
// it. The device lives as long as the process.
func startWireGuard(o wgOptions, gateway net.IP, logf func(string, ...any)) error {
	dev, np, err := wgdev.Open(wgLink, 1420, func(f string, a ...any) { logf("wireguard: "+f, a...) })
	if err != nil {
		return fmt.Errorf("wireguard: %w", err)
	}
	if err := dev.IpcSet(o.uapi); err != nil {
		dev.Close()
		return fmt.Errorf("wireguard: configure: %w", err)
	}
	np.SetPeers([]wgdev.Peer{{Key: o.peer, Allowed: o.allowed}}) // a Linux host's WireGuard answers what its peer does not take
	if err := dev.Up(); err != nil {
		dev.Close()
		return fmt.Errorf("wireguard: up: %w", err)
	}
	err = withNetlink("set up the WireGuard tunnel", func(h *netlink.Handle) error {
		l, err := h.LinkByName(wgLink)
		if err != nil {
			return err
		}
		if err := h.AddrAdd(l, &netlink.Addr{IPNet: &net.IPNet{IP: o.address.Addr().AsSlice(), Mask: net.CIDRMask(o.address.Bits(), 32)}}); err != nil {
			return fmt.Errorf("address %s on %s: %w", o.address, wgLink, err)
		}
		if err := h.LinkSetUp(l); err != nil {
			return err
		}
		var routes []netip.Prefix
		for _, p := range o.allowed {
			if p.Bits() == 0 {
				routes = append(routes, netip.MustParsePrefix("0.0.0.0/1"), netip.MustParsePrefix("128.0.0.0/1"))
				if o.endpoint.IsValid() && gateway != nil {
					ep := &net.IPNet{IP: o.endpoint.Addr().AsSlice(), Mask: net.CIDRMask(32, 32)}
					if err := h.RouteAdd(&netlink.Route{Dst: ep, Gw: gateway}); err != nil && !errors.Is(err, syscall.EEXIST) {
						return fmt.Errorf("keep the endpoint %s on the gateway: %w", o.endpoint.Addr(), err)
					}
				}
				continue
			}
			routes = append(routes, p)
		}
		for _, p := range routes {
			dst := &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), 32)}
			// The tunnel's own subnet is connected already (EEXIST).
			if err := h.RouteAdd(&netlink.Route{Dst: dst, LinkIndex: l.Attrs().Index, Scope: netlink.SCOPE_LINK}); err != nil && !errors.Is(err, syscall.EEXIST) {
				return fmt.Errorf("route %s into the tunnel: %w", p, err)
			}
		}
		return nil
	})
	if err != nil {
		dev.Close()
		return err
	}
	logf("wireguard: %s %s up, peer endpoint %v, allowed %v", wgLink, o.address, o.endpoint, o.allowed)
	return nil
}
