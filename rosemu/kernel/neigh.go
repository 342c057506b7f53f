package kernel

import (
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strings"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// Neighbor is a static ARP entry (/ip arp add address= mac-address=
// interface=): the kernel uses it for the address instead of asking.
type Neighbor struct {
	Addr      netip.Addr
	MAC       string // as RouterOS prints it, 02:00:C0:A8:58:14
	Interface string // the link, as the model names it (kernelState translates)
}

// syncNeighbors makes the permanent IPv4 neighbours of the router's
// namespace exactly st.StaticARP: RouterOS's static ARP entries. Only
// permanent entries are touched; the ones the kernel learns come and go
// as on any host. One dump of the neighbour table serves every link (an
// export may have thousands of VLANs).
func (d *Dataplane) syncNeighbors(st *State, undo *[]func() error) error {
	type key struct {
		link int
		addr netip.Addr
	}
	want := map[key]Neighbor{}
	for _, n := range st.StaticARP {
		l, err := d.nl.LinkByName(LinkName(n.Interface))
		if err != nil {
			return fmt.Errorf("static arp %s on %s: find the interface: %w", n.Addr, n.Interface, err)
		}
		want[key{l.Attrs().Index, n.Addr}] = n
	}
	have, err := d.nl.NeighList(0, netlink.FAMILY_V4)
	if err != nil {
		return fmt.Errorf("static arp: list the neighbours: %w", err)
	}
	kept := map[key]bool{}
	for _, h := range have {
		if h.State&netlink.NUD_PERMANENT == 0 {
			continue
		}
		a, _ := netip.AddrFromSlice(h.IP.To4())
		k := key{h.LinkIndex, a}
		if n, ok := want[k]; ok && equalMAC(h.HardwareAddr, n.MAC) {
			kept[k] = true
			continue
		}
		old := h
		if err := d.nl.NeighDel(&old); err != nil {
			return fmt.Errorf("static arp: remove %s: %w", a, err)
		}
		*undo = append(*undo, func() error { return d.nl.NeighSet(&old) })
	}
	keys := make([]key, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].addr.Less(keys[j].addr) })
	for _, k := range keys {
		if kept[k] {
			continue
		}
		n := want[k]
		hw, err := net.ParseMAC(n.MAC)
		if err != nil {
			return fmt.Errorf("static arp %s on %s: mac address %q: %w", n.Addr, n.Interface, n.MAC, err)
		}
		nb := &netlink.Neigh{LinkIndex: k.link, Family: unix.AF_INET, State: netlink.NUD_PERMANENT, IP: n.Addr.AsSlice(), HardwareAddr: hw}
		if err := d.nl.NeighSet(nb); err != nil {
			return fmt.Errorf("static arp %s on %s: %w", n.Addr, n.Interface, err)
		}
		*undo = append(*undo, func() error { return d.nl.NeighDel(nb) })
	}
	return nil
}

// syncPublished makes the IPv4 proxy neighbours of the router's
// namespace exactly st.PublishedARP: for a published ARP entry RouterOS
// answers ARP for the entry's address on its interface (ARP page of the
// manual, published: a static proxy-arp entry for one address). Linux
// answers for an address with a proxy neighbour on the link the request
// came in on (ip neigh add proxy A dev L) when it forwards IPv4 and
// routes A out of another link; the answer carries the link's own MAC.
// Broadcast requests are answered after up to the link's proxy_delay
// (0.8 s), as for arp=proxy-arp.
func (d *Dataplane) syncPublished(st *State, undo *[]func() error) error {
	type key struct {
		link int
		addr netip.Addr
	}
	want := map[key]Neighbor{}
	for _, n := range st.PublishedARP {
		l, err := d.nl.LinkByName(LinkName(n.Interface))
		if err != nil {
			return fmt.Errorf("published arp %s on %s: find the interface: %w", n.Addr, n.Interface, err)
		}
		want[key{l.Attrs().Index, n.Addr}] = n
	}
	have, err := d.nl.NeighProxyList(0, netlink.FAMILY_V4)
	if err != nil {
		return fmt.Errorf("published arp: list the proxy neighbours: %w", err)
	}
	kept := map[key]bool{}
	for _, h := range have {
		if h.Flags&netlink.NTF_PROXY == 0 {
			continue
		}
		a, _ := netip.AddrFromSlice(h.IP.To4())
		k := key{h.LinkIndex, a}
		if _, ok := want[k]; ok {
			kept[k] = true
			continue
		}
		old := netlink.Neigh{LinkIndex: h.LinkIndex, Family: unix.AF_INET, Flags: netlink.NTF_PROXY, IP: h.IP}
		if err := d.nl.NeighDel(&old); err != nil {
			return fmt.Errorf("published arp: remove %s: %w", a, err)
		}
		*undo = append(*undo, func() error { return d.nl.NeighAdd(&old) })
	}
	keys := make([]key, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].addr.Less(keys[j].addr) })
	for _, k := range keys {
		if kept[k] {
			continue
		}
		n := want[k]
		nb := &netlink.Neigh{LinkIndex: k.link, Family: unix.AF_INET, Flags: netlink.NTF_PROXY, IP: n.Addr.AsSlice()}
		if err := d.nl.NeighAdd(nb); err != nil {
			return fmt.Errorf("published arp %s on %s: %w", n.Addr, n.Interface, err)
		}
		*undo = append(*undo, func() error { return d.nl.NeighDel(nb) })
	}
	return nil
}

func equalMAC(hw net.HardwareAddr, mac string) bool {
	m, err := net.ParseMAC(mac)
	return err == nil && hw.String() == m.String()
}

// ARPTableName is the nftables table (family arp) of arp=reply-only.
const ARPTableName = "rosemu_arp"

// replyOnly lists the links with arp=reply-only: ports, bridges and VLANs.
func replyOnly(st *State) []string {
	var out []string
	for _, p := range st.Ports {
		if st.PortStates[p].ARP == "reply-only" {
			out = append(out, p)
		}
	}
	for _, b := range st.Bridges {
		if b.ARP == "reply-only" {
			out = append(out, b.Name)
		}
	}
	for _, v := range st.VLANs {
		if v.ARP == "reply-only" {
			out = append(out, v.Name)
		}
	}
	return out
}

// RenderARP writes the arp table of arp=reply-only (ARP page of the
// manual: such an interface answers only requests from the address and
// MAC pairs of static entries, and adds no dynamic entries): on each such
// link, ARP from any sender that is not a static entry's pair is dropped
// before the kernel answers or learns from it, and the router sends no
// requests of its own (it reaches only its static entries). With no such
// link the table is removed.
func RenderARP(st *State) string {
	var b strings.Builder
	fmt.Fprintf(&b, "table arp %s {}\ndelete table arp %s\n", ARPTableName, ARPTableName)
	links := replyOnly(st)
	if len(links) == 0 {
		return b.String()
	}
	fmt.Fprintf(&b, "table arp %s {\n", ARPTableName)
	for i, l := range links {
		fmt.Fprintf(&b, "\tset static%d {\n\t\ttype ipv4_addr . ether_addr\n", i)
		var elems []string
		for _, n := range st.StaticARP {
			if n.Interface == l {
				elems = append(elems, fmt.Sprintf("%s . %s", n.Addr, strings.ToLower(n.MAC)))
			}
		}
		if len(elems) > 0 {
			fmt.Fprintf(&b, "\t\telements = { %s }\n", strings.Join(elems, ", "))
		}
		b.WriteString("\t}\n")
	}
	b.WriteString("\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n")
	for i, l := range links {
		fmt.Fprintf(&b, "\t\tiifname %q arp saddr ip . arp saddr ether != @static%d drop\n", LinkName(l), i)
	}
	b.WriteString("\t}\n\tchain output {\n\t\ttype filter hook output priority 0; policy accept;\n")
	for _, l := range links {
		fmt.Fprintf(&b, "\t\toifname %q arp operation request drop\n", LinkName(l))
	}
	b.WriteString("\t}\n}\n")
	return b.String()
}

// flushLearned removes the neighbours the kernel learnt on the
// reply-only links (from now on only the static entries count), and on
// the links that were reply-only before (their failed entries would keep
// the hosts unreachable for a while once ARP is back).
func (d *Dataplane) flushLearned(st, prev *State) error {
	links := replyOnly(st)
	if prev != nil {
		links = append(links, replyOnly(prev)...)
	}
	for _, name := range links {
		l, err := d.nl.LinkByName(LinkName(name))
		if err != nil {
			continue // a bridge or VLAN the apply removed
		}
		ns, err := d.nl.NeighList(l.Attrs().Index, netlink.FAMILY_V4)
		if err != nil {
			return fmt.Errorf("arp=reply-only on %s: list the neighbours: %w", name, err)
		}
		for i := range ns {
			if ns[i].State&(netlink.NUD_PERMANENT|netlink.NUD_NOARP) == 0 {
				_ = d.nl.NeighDel(&ns[i])
			}
		}
	}
	return nil
}
