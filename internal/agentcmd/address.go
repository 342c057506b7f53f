package agentcmd

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// addressFlag is one --address WIRE=LAB/LEN: the lab address this host has
// on the interface Docker wired at WIRE. The lab's networks run on Docker
// subnets of their own (see harness/lab/wire.go), so the host sets its lab
// address itself.
type addressFlag struct {
	wire netip.Addr
	lab  netip.Prefix
}

type addressFlags []addressFlag

func (a *addressFlags) String() string { return fmt.Sprint(*a) }

func (a *addressFlags) Set(v string) error {
	wire, lab, err := parseWireLab(v)
	if err != nil {
		return err
	}
	*a = append(*a, addressFlag{wire: wire, lab: lab})
	return nil
}

// parseWireLab reads WIRE=LAB/LEN, the pair --address and --vlan take: the
// address Docker or the lab's wire gave an interface, and the lab address
// that replaces it.
func parseWireLab(v string) (netip.Addr, netip.Prefix, error) {
	w, l, ok := strings.Cut(v, "=")
	if !ok {
		return netip.Addr{}, netip.Prefix{}, fmt.Errorf("%q is not WIRE=LAB/LEN", v)
	}
	wire, err := netip.ParseAddr(w)
	if err != nil {
		return netip.Addr{}, netip.Prefix{}, fmt.Errorf("wire address %q: %w", w, err)
	}
	lab, err := netip.ParsePrefix(l)
	if err != nil {
		return netip.Addr{}, netip.Prefix{}, fmt.Errorf("lab address %q: %w", l, err)
	}
	return wire, lab, nil
}

// setAddresses replaces, on each interface that holds a wire address, every
// IPv4 address with the lab address. Docker's connected route goes with its
// address; the lab's comes with the new one.
//
// Equivalent to: ip -4 addr flush dev IF; ip addr add LAB/LEN dev IF
func setAddresses(h *netlink.Handle, flags addressFlags) error {
	links, err := h.LinkList()
	if err != nil {
		return fmt.Errorf("list interfaces to set lab addresses: %w", err)
	}
	for _, f := range flags {
		var link netlink.Link
		var old []netlink.Addr
		for _, l := range links {
			addrs, err := h.AddrList(l, netlink.FAMILY_V4)
			if err != nil {
				return fmt.Errorf("list addresses of %s: %w", l.Attrs().Name, err)
			}
			for _, a := range addrs {
				if ip, ok := netip.AddrFromSlice(a.IP.To4()); ok && ip == f.wire {
					link, old = l, addrs
				}
			}
		}
		if link == nil {
			return fmt.Errorf("set lab address %s: no interface has the wire address %s", f.lab, f.wire)
		}
		for _, a := range old {
			if err := h.AddrDel(link, &a); err != nil {
				return fmt.Errorf("remove %s from %s: %w", a.IPNet, link.Attrs().Name, err)
			}
		}
		lab := &netlink.Addr{IPNet: &net.IPNet{IP: f.lab.Addr().AsSlice(), Mask: net.CIDRMask(f.lab.Bits(), 32)}}
		if err := h.AddrAdd(link, lab); err != nil {
			return fmt.Errorf("add lab address %s to %s: %w", f.lab, link.Attrs().Name, err)
		}
	}
	return nil
}

// address6Flags are --address6 WIRE=LAB6/LEN: the IPv6 address this host
// has on the interface Docker or the wire gave the IPv4 address WIRE.
type address6Flags []addressFlag

func (a *address6Flags) String() string { return fmt.Sprint(*a) }

func (a *address6Flags) Set(v string) error {
	wire, lab, err := parseWireLab(v)
	if err != nil {
		return err
	}
	if !lab.Addr().Is6() || lab.Addr().Is4In6() {
		return fmt.Errorf("lab address %s is not IPv6", lab)
	}
	*a = append(*a, addressFlag{wire: wire, lab: lab})
	return nil
}

// setAddresses6 adds each IPv6 address to the interface that holds its
// wire address; it runs before setAddresses replaces that. The address is
// usable at once (no duplicate detection: the lab plans its addresses).
//
// Equivalent to: ip -6 addr add LAB6/LEN dev IF nodad
func setAddresses6(h *netlink.Handle, flags address6Flags, taps map[netip.Addr]string) error {
	for _, f := range flags {
		link, err := labLink(h, f.wire, taps)
		if err != nil {
			return fmt.Errorf("set lab address %s: %w", f.lab, err)
		}
		a := &netlink.Addr{IPNet: &net.IPNet{IP: f.lab.Addr().AsSlice(), Mask: net.CIDRMask(f.lab.Bits(), 128)}, Flags: unix.IFA_F_NODAD}
		if err := h.AddrAdd(link, a); err != nil && !errors.Is(err, syscall.EEXIST) {
			return fmt.Errorf("add lab address %s to %s: %w", f.lab, link.Attrs().Name, err)
		}
	}
	return nil
}

// slaacFlags are --slaac WIRE=TOKEN: the interface that holds the IPv4
// address WIRE forms its IPv6 address from the router's advertisements
// with TOKEN as its interface identifier.
type slaacFlags []slaacFlag

type slaacFlag struct {
	wire  netip.Addr
	token netip.Addr
}

func (a *slaacFlags) String() string { return fmt.Sprint(*a) }

func (a *slaacFlags) Set(v string) error {
	w, tok, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("%q is not WIRE=TOKEN", v)
	}
	wire, err := netip.ParseAddr(w)
	if err != nil || !wire.Is4() {
		return fmt.Errorf("wire address %q is not IPv4", w)
	}
	token, err := netip.ParseAddr(tok)
	if err != nil || !token.Is6() || token.Is4In6() || token.As16()[0]|token.As16()[7] != 0 {
		return fmt.Errorf("token %q is not an IPv6 interface identifier such as ::20", tok)
	}
	*a = append(*a, slaacFlag{wire: wire, token: token})
	return nil
}

// setSLAAC sets each interface's token, so that the address it forms from
// an advertised prefix is the planned one. The interface accepts
// advertisements already (the container's defaults), which the kernel
// requires of a token.
//
// Equivalent to: ip token set TOKEN dev IF
func setSLAAC(h *netlink.Handle, sup *supervisor, flags slaacFlags, taps map[netip.Addr]string) error {
	for _, f := range flags {
		link, err := labLink(h, f.wire, taps)
		if err != nil {
			return fmt.Errorf("set IPv6 token %s: %w", f.token, err)
		}
		if _, err := sup.run("ip", "token", "set", f.token.String(), "dev", link.Attrs().Name); err != nil {
			return fmt.Errorf("set IPv6 token %s on %s: %w", f.token, link.Attrs().Name, err)
		}
	}
	return nil
}

// localFlags are --local addresses: hosts beyond the lab that a router
// under test pings or routes by (the 9.9.9.9 of a recursive failover
// route), which this node answers as its own so that the lab needs no
// packet to leave it.
type localFlags []netip.Addr

func (l *localFlags) String() string { return fmt.Sprint(*l) }

func (l *localFlags) Set(v string) error {
	a, err := netip.ParseAddr(v)
	if err != nil || !a.Is4() {
		return fmt.Errorf("want an IPv4 address, got %q", v)
	}
	*l = append(*l, a)
	return nil
}

// setLocal puts each address on the loopback as a /32: the kernel then
// answers ping and connections to it, and routes nothing by it.
func setLocal(h *netlink.Handle, addrs []netip.Addr) error {
	lo, err := h.LinkByName("lo")
	if err != nil {
		return fmt.Errorf("find the loopback: %w", err)
	}
	for _, a := range addrs {
		ip := net.IP(a.AsSlice())
		if err := h.AddrAdd(lo, &netlink.Addr{IPNet: &net.IPNet{IP: ip, Mask: net.CIDRMask(32, 32)}}); err != nil && !errors.Is(err, syscall.EEXIST) {
			return fmt.Errorf("add %s to the loopback: %w", a, err)
		}
	}
	return nil
}
