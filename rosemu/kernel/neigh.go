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

// neighTable is one of the kernel's IPv4 neighbour tables as a sync sees
// it: how to dump it, which of its entries are rosemu's, whether one of
// those already is the wanted entry, and how to remove and add an entry
// (each returning the step that undoes it).
type neighTable struct {
	what     string // "static arp": the start of every error
	listWhat string // what the dump is, for its error
	list     func() ([]netlink.Neigh, error)
	ours     func(h netlink.Neigh) bool
	same     func(h netlink.Neigh, n Neighbor) bool
	remove   func(h netlink.Neigh) (func() error, error)
	add      func(link int, n Neighbor) (func() error, error)
}

// syncNeighTable makes rosemu's entries of table t exactly want: one dump
// of the table serves every link (an export may have thousands of VLANs),
// an entry that is ours and not wanted (or not the same) is removed, a
// wanted one that is missing is added in address order, and each change
// leaves its undo step in undo.
func (d *Dataplane) syncNeighTable(t neighTable, want []Neighbor, undo *[]func() error) error {
	type key struct {
		link int
		addr netip.Addr
	}
	wanted := map[key]Neighbor{}
	for _, n := range want {
		l, err := d.nl.LinkByName(LinkName(n.Interface))
		if err != nil {
			return fmt.Errorf("%s %s on %s: find the interface: %w", t.what, n.Addr, n.Interface, err)
		}
		wanted[key{l.Attrs().Index, n.Addr}] = n
	}
	have, err := t.list()
	if err != nil {
		return fmt.Errorf("%s: %s: %w", t.what, t.listWhat, err)
	}
	kept := map[key]bool{}
	for _, h := range have {
		if !t.ours(h) {
			continue
		}
		a, _ := netip.AddrFromSlice(h.IP.To4())
		k := key{h.LinkIndex, a}
		if n, ok := wanted[k]; ok && t.same(h, n) {
			kept[k] = true
			continue
		}
		back, err := t.remove(h)
		if err != nil {
			return fmt.Errorf("%s: remove %s: %w", t.what, a, err)
		}
		*undo = append(*undo, back)
	}
	keys := make([]key, 0, len(wanted))
	for k := range wanted {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].addr.Less(keys[j].addr) })
	for _, k := range keys {
		if kept[k] {
			continue
		}
		n := wanted[k]
		back, err := t.add(k.link, n)
		if err != nil {
			return fmt.Errorf("%s %s on %s: %w", t.what, n.Addr, n.Interface, err)
		}
		*undo = append(*undo, back)
	}
	return nil
}

// syncNeighbors makes the permanent IPv4 neighbours of the router's
// namespace exactly st.StaticARP: RouterOS's static ARP entries. Only
// permanent entries are touched; the ones the kernel learns come and go
// as on any host. An entry whose MAC changed is replaced.
func (d *Dataplane) syncNeighbors(st *State, undo *[]func() error) error {
	return d.syncNeighTable(neighTable{
		what:     "static arp",
		listWhat: "list the neighbours",
		list:     func() ([]netlink.Neigh, error) { return d.nl.NeighList(0, netlink.FAMILY_V4) },
		ours:     func(h netlink.Neigh) bool { return h.State&netlink.NUD_PERMANENT != 0 },
		same:     func(h netlink.Neigh, n Neighbor) bool { return equalMAC(h.HardwareAddr, n.MAC) },
		remove: func(h netlink.Neigh) (func() error, error) {
			if err := d.nl.NeighDel(&h); err != nil {
				return nil, err
			}
			return func() error { return d.nl.NeighSet(&h) }, nil
		},
		add: func(link int, n Neighbor) (func() error, error) {
			hw, err := net.ParseMAC(n.MAC)
			if err != nil {
				return nil, fmt.Errorf("mac address %q: %w", n.MAC, err)
			}
			nb := &netlink.Neigh{LinkIndex: link, Family: unix.AF_INET, State: netlink.NUD_PERMANENT, IP: n.Addr.AsSlice(), HardwareAddr: hw}
			if err := d.nl.NeighSet(nb); err != nil {
				return nil, err
			}
			return func() error { return d.nl.NeighDel(nb) }, nil
		},
	}, st.StaticARP, undo)
}

// syncPublished makes the IPv4 proxy neighbours of the router's
// namespace exactly st.PublishedARP: for a published ARP entry RouterOS
// answers ARP for the entry's address on its interface (ARP page of the
// manual, published: a static proxy-arp entry for one address). Linux
// answers for an address with a proxy neighbour on the link the request
// came in on (ip neigh add proxy A dev L) when it forwards IPv4 and
// routes A out of another link; the answer carries the link's own MAC.
// Broadcast requests are answered after up to the link's proxy_delay
// (0.8 s), as for arp=proxy-arp. A proxy entry has no MAC: one on the
// right link and address is the wanted one.
func (d *Dataplane) syncPublished(st *State, undo *[]func() error) error {
	return d.syncNeighTable(neighTable{
		what:     "published arp",
		listWhat: "list the proxy neighbours",
		list:     func() ([]netlink.Neigh, error) { return d.nl.NeighProxyList(0, netlink.FAMILY_V4) },
		ours:     func(h netlink.Neigh) bool { return h.Flags&netlink.NTF_PROXY != 0 },
		same:     func(netlink.Neigh, Neighbor) bool { return true },
		remove: func(h netlink.Neigh) (func() error, error) {
			old := netlink.Neigh{LinkIndex: h.LinkIndex, Family: unix.AF_INET, Flags: netlink.NTF_PROXY, IP: h.IP}
			if err := d.nl.NeighDel(&old); err != nil {
				return nil, err
			}
			return func() error { return d.nl.NeighAdd(&old) }, nil
		},
		add: func(link int, n Neighbor) (func() error, error) {
			nb := &netlink.Neigh{LinkIndex: link, Family: unix.AF_INET, Flags: netlink.NTF_PROXY, IP: n.Addr.AsSlice()}
			if err := d.nl.NeighAdd(nb); err != nil {
				return nil, err
			}
			return func() error { return d.nl.NeighDel(nb) }, nil
		},
	}, st.PublishedARP, undo)
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
