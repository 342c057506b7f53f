package config

import (
	"hash/fnv"
	"net/netip"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// leaseEntryBase marks the ids of the dynamic address-list entries bound
// leases add (below kernelEntryBase's range, above every configured id).
const leaseEntryBase = 0x30000000

// leaseListItems are the dynamic address-list entries of bound leases: a
// lease's address is in each list its own address-lists names and in each
// its server's address-lists names, while it is bound ("address-lists:
// address list to which address will be added if lease is bound",
// https://help.mikrotik.com/docs/spaces/ROS/pages/24805500/DHCP).
func (t *tx) leaseListItems() []*item {
	servers := map[string]string{}
	for _, s := range t.m.tables[dhcpServerTable] {
		servers[s.props["name"]] = s.props["address-lists"]
	}
	var out []*item
	for _, l := range t.m.tables[dhcpLeaseTable] {
		if l.props["~status"] != "bound" || l.disabled() {
			continue
		}
		addr := l.props["~address"]
		seen := map[string]bool{}
		for _, lists := range []string{l.props["address-lists"], servers[l.props["~server"]]} {
			for _, list := range strings.Split(lists, ",") {
				if list = strings.TrimSpace(list); list == "" || seen[list] {
					continue
				}
				seen[list] = true
				h := fnv.New32a()
				h.Write([]byte(list + "/" + addr))
				out = append(out, &item{id: leaseEntryBase | uint64(h.Sum32()&0x0fffffff), dynamic: true,
					props: map[string]string{"list": list, "address": addr, "comment": "dhcp lease"}})
			}
		}
	}
	return out
}

// feedsLists reports whether a lease changes the kernel's state when
// bound: it puts its address in an address list (its own address-lists,
// or its server's), its server has add-arp=yes, or it has a rate-limit.
func (r *Router) feedsLists(l *item) bool {
	// A rate-limit makes a simple queue of the lease (leaseQueues).
	if strings.TrimSpace(l.props["address-lists"]) != "" || strings.TrimSpace(l.props["rate-limit"]) != "" {
		return true
	}
	for _, s := range r.m.tables[dhcpServerTable] {
		if s.props["name"] == l.props["~server"] && (strings.TrimSpace(s.props["address-lists"]) != "" || s.props["add-arp"] == "yes") {
			return true
		}
	}
	return false
}

// leaseARP are the ARP entries of a server with add-arp=yes: one per bound
// lease, on the server's interface ("add-arp: whether to add dynamic ARP
// entry", DHCP page of the manual; with arp=reply-only on the interface
// they are the only hosts the router talks to, which is what the two are
// set together for).
func leaseARP(m *model) []kernel.Neighbor {
	servers := map[string]string{}
	for _, s := range m.tables[dhcpServerTable] {
		if s.props["add-arp"] == "yes" && !s.disabled() {
			servers[s.props["name"]] = s.props["interface"]
		}
	}
	var out []kernel.Neighbor
	for _, l := range m.tables[dhcpLeaseTable] {
		iface, ok := servers[l.props["~server"]]
		if !ok || l.props["~status"] != "bound" || l.disabled() || l.props["mac-address"] == "" {
			continue
		}
		if a, err := netip.ParseAddr(l.props["~address"]); err == nil {
			out = append(out, kernel.Neighbor{Addr: a, MAC: l.props["mac-address"], Interface: iface})
		}
	}
	return out
}

// applyLeaseLists applies the kernel's state again after a lease that
// feeds address lists was bound or ended, so that the firewall's sets
// follow; the caller holds r.mu. Without a kernel there is nothing to do.
func (r *Router) applyLeaseLists() {
	if r.opts.Kernel == nil {
		return
	}
	t := &tx{r: r, m: r.m, now: time.Now()}
	if err := r.opts.Kernel.Apply(buildState(t, r.opts.Ports)); err != nil {
		// The router's log says so, as RouterOS logs what it cannot do.
		r.book.add(script.LogEntry{Time: t.now, Topics: "dhcp,error", Msg: "address lists of leases not applied: " + err.Error()})
	}
}
