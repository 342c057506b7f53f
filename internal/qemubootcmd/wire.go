package qemubootcmd

import (
	"errors"
	"fmt"

	"net/netip"
	"strings"

	"github.com/vishvananda/netlink"
)

// portSpec is one --port flag: a RouterOS port and the lab subnet it joins.
type portSpec struct {
	Name   string
	Subnet netip.Prefix
}

// iface is a container interface and its IPv4 addresses.
type iface struct {
	Name  string
	Addrs []netip.Prefix
}

// matchPorts finds, for each port in order, the one container interface
// with an address in its subnet, and the interface in the management
// subnet. Docker's ethN order follows the order networks were connected,
// which the lab does not promise: the subnet is the only stable key.
func matchPorts(ifaces []iface, ports []portSpec, mgmt netip.Prefix) (portIfs []string, mgmtIf iface, err error) {
	in := func(f iface, p netip.Prefix) bool {
		for _, a := range f.Addrs {
			if p.Contains(a.Addr()) {
				return true
			}
		}
		return false
	}
	var seen []string
	for _, f := range ifaces {
		seen = append(seen, fmt.Sprintf("%s%v", f.Name, f.Addrs))
	}
	var errs []error
	for _, p := range ports {
		var found []string
		for _, f := range ifaces {
			if in(f, p.Subnet) {
				found = append(found, f.Name)
			}
		}
		switch len(found) {
		case 1:
			portIfs = append(portIfs, found[0])
		case 0:
			errs = append(errs, fmt.Errorf("match port %s: no container interface has an address in %s (interfaces: %s)", p.Name, p.Subnet, strings.Join(seen, ", ")))
		default:
			errs = append(errs, fmt.Errorf("match port %s: interfaces %s all have an address in %s", p.Name, strings.Join(found, " and "), p.Subnet))
		}
	}
	n := 0
	for _, f := range ifaces {
		if in(f, mgmt) {
			mgmtIf = f
			n++
		}
	}
	if n != 1 {
		errs = append(errs, fmt.Errorf("match the management interface: want one container interface in %s, found %d (interfaces: %s)", mgmt, n, strings.Join(seen, ", ")))
	}
	for i, a := range portIfs {
		if a == mgmtIf.Name {
			errs = append(errs, fmt.Errorf("match port %s: its interface %s is also the management interface", ports[i].Name, a))
		}
	}
	return portIfs, mgmtIf, errors.Join(errs...)
}

// listIfaces returns the container's interfaces with their IPv4 addresses.
func listIfaces() ([]iface, error) {
	links, err := netlink.LinkList()
	if err != nil {
		return nil, fmt.Errorf("list the container's interfaces: %w", err)
	}
	var out []iface
	for _, l := range links {
		if l.Attrs().Name == "lo" {
			continue
		}
		addrs, err := netlink.AddrList(l, netlink.FAMILY_V4)
		if err != nil {
			return nil, fmt.Errorf("list the addresses of %s: %w", l.Attrs().Name, err)
		}
		f := iface{Name: l.Attrs().Name}
		for _, a := range addrs {
			ip, ok := netip.AddrFromSlice(a.IP.To4())
			ones, _ := a.Mask.Size()
			if ok {
				f.Addrs = append(f.Addrs, netip.PrefixFrom(ip, ones))
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// bridgePort puts the container interface ifName and a new tap into a new
// bridge, so that the guest NIC behind the tap sits on the lab network
// itself: the guest answers ARP for the port's address with its own MAC.
// The interface loses its address: the router's address is the guest's to
// configure, as on rosemu and CHR.
func bridgePort(i int, ifName string) (tap string, err error) {
	br := fmt.Sprintf("qbr%d", i+1)
	tap = fmt.Sprintf("qtap%d", i+1)
	l, err := netlink.LinkByName(ifName)
	if err != nil {
		return "", fmt.Errorf("find interface %s: %w", ifName, err)
	}
	addrs, err := netlink.AddrList(l, netlink.FAMILY_V4)
	if err != nil {
		return "", fmt.Errorf("list addresses of %s: %w", ifName, err)
	}
	for _, a := range addrs {
		if err := netlink.AddrDel(l, &a); err != nil {
			return "", fmt.Errorf("remove address %s from %s: %w", a.IPNet, ifName, err)
		}
	}
	bridge := &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: br, MTU: l.Attrs().MTU}}
	if err := netlink.LinkAdd(bridge); err != nil {
		return "", fmt.Errorf("create bridge %s for %s: %w", br, ifName, err)
	}
	// A persistent tap that QEMU attaches to by name (script=no): it
	// exists, and is in the bridge, before the guest sends its first frame.
	t := &netlink.Tuntap{LinkAttrs: netlink.LinkAttrs{Name: tap, MTU: l.Attrs().MTU}, Mode: netlink.TUNTAP_MODE_TAP,
		Flags: netlink.TUNTAP_NO_PI | netlink.TUNTAP_ONE_QUEUE | netlink.TUNTAP_VNET_HDR, Queues: 1}
	if err := netlink.LinkAdd(t); err != nil {
		return "", fmt.Errorf("create tap %s for %s (is /dev/net/tun mapped into the container?): %w", tap, ifName, err)
	}
	// LinkAdd keeps the queue it opened attached; a single-queue tap takes
	// one file at a time, so QEMU's open would fail with EBUSY.
	for _, f := range t.Fds {
		f.Close()
	}
	for _, name := range []string{ifName, tap} {
		m, err := netlink.LinkByName(name)
		if err != nil {
			return "", fmt.Errorf("find %s: %w", name, err)
		}
		if err := netlink.LinkSetMasterByIndex(m, bridge.Attrs().Index); err != nil {
			return "", fmt.Errorf("put %s into bridge %s: %w", name, br, err)
		}
		if err := netlink.LinkSetUp(m); err != nil {
			return "", fmt.Errorf("set %s up: %w", name, err)
		}
	}
	if err := netlink.LinkSetUp(bridge); err != nil {
		return "", fmt.Errorf("set bridge %s up: %w", br, err)
	}
	return tap, nil
}
